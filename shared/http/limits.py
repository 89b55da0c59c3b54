"""How long a client may keep the server waiting, and how much it may send.

Two places enforce them, each where the other cannot see:

- The server, before the app runs (`HeaderDeadline`, uvicorn's HTTP/1.1 protocol with a deadline):
  once the server is ready for a request (the connection opened, or the last response went out), the
  client has `http_header_timeout_s` to send the whole request head. Else the connection is closed,
  with a 408 if part of a request had come. The same deadline covers the rest of a body that the app
  no longer reads because it has already answered. A request the HTTP parser (h11) cannot accept (a
  bad or negative Content-Length, a NUL in a header, a head longer than h11's 16 KiB) is refused
  there too, in the problem shape (`parser_problem`): 400, or 431 / 501 where h11 says so.
- The app, while it reads the body (`BodyLimits`, ASGI middleware): a Content-Length over
  `http_max_body_bytes` is refused at once with 413; a body that grows past it while being read gets a
  413 then; a body not complete within `http_body_timeout_s` of the app's first read gets a 408. The
  refusal is a problem-details response that closes the connection, and the app's own answer is dropped.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys

import h11
from h11._connection import DEFAULT_MAX_INCOMPLETE_EVENT_SIZE as MAX_HEAD_BYTES  # as uvicorn configures h11
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from shared.http.problems import PROBLEM_JSON, error, problem, problem_body
from shared.http.security import CACHE_CONTROL, SECURITY_HEADERS


class BodyRefused(HTTPException):
    """Raised from `receive` once the refusal has been sent: the app's work on this request is over.

    An HTTPException, so that the app's own handlers treat it as a refusal (not a defect to log) on its
    way out; their answer is dropped, since the client already has this one.
    """


class BodyLimits:
    """ASGI middleware: a request body of at most `max_bytes`, all of it within `timeout_s` of the first read."""

    def __init__(self, app: ASGIApp, max_bytes: int, timeout_s: float):
        self.app, self.max_bytes, self.timeout_s = app, max_bytes, timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            return await _refuse(scope, receive, send, 413, ["header", "content-length"],
                                 f"the body may be at most {self.max_bytes} bytes", "body_too_large")

        loop = asyncio.get_running_loop()
        deadline: float | None = None
        received, body_done, started, refused = 0, False, False, False

        async def refuse(status: int, msg: str, type: str) -> None:
            nonlocal refused
            if not started:
                await _refuse(scope, receive, send, status, ["body"], msg, type)
            refused = True
            raise BodyRefused(status, msg)

        async def limited_receive() -> Message:
            nonlocal deadline, received, body_done
            if body_done or refused:
                return await receive()
            if deadline is None:
                deadline = loop.time() + self.timeout_s
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                await refuse(408, f"the body did not arrive within {self.timeout_s:g} s", "body_timeout")
            if message["type"] != "http.request":
                body_done = True
                return message
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                await refuse(413, f"the body may be at most {self.max_bytes} bytes", "body_too_large")
            body_done = not message.get("more_body", False)
            return message

        async def checked_send(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the client has its answer; whatever the app makes of the refusal is not sent
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, checked_send)
        except BodyRefused:
            pass


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, loc: list, msg: str, type: str) -> None:
    response = problem(status, [error(loc, msg, type)], headers={"Connection": "close"})
    await response(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


class HeaderDeadline(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, with a deadline for the client's part whenever no request is in the app.

    Use `header_deadline(timeout_s)` to get the class to pass as uvicorn's `http`.
    """

    header_timeout_s: float = 10.0
    _deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._watch()

    _head: bytes = b""  # what has come of the request head being read, to name a refused header

    def data_received(self, data: bytes) -> None:
        if self.conn.their_state is h11.IDLE:
            self._head = (self._head + data)[-_HEAD_KEPT:]
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:
            self._head = b""
        self._watch()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._watch()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop()
        super().connection_lost(exc)

    def _waiting_for_client(self) -> bool:
        """Waiting for a request's head, or for the rest of a body after the response went out."""
        state = self.conn.their_state
        answered = self.cycle is not None and self.cycle.response_complete
        return state is h11.IDLE or (state is h11.SEND_BODY and answered)

    def _watch(self) -> None:
        if self.transport.is_closing() or not self._waiting_for_client():
            self._stop()
        elif self._deadline is None:
            self._deadline = self.loop.call_later(self.header_timeout_s, self._too_slow)

    def _stop(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def send_400_response(self, msg: str) -> None:
        """uvicorn's answer to a request h11 refused ("Invalid HTTP request received.", as text/plain), as a
        problem document. uvicorn calls it inside its `except h11.RemoteProtocolError`, so `sys.exc_info()` is that error."""
        exc = sys.exc_info()[1]
        status, loc, why, type = parser_problem(exc if isinstance(exc, h11.ProtocolError) else None,
                                                self._head)
        body = json.dumps(problem_body(status, [error(loc, why, type)])).encode()
        if self.conn.our_state in (h11.IDLE, h11.SEND_RESPONSE):  # else an answer has begun: only closing is left
            headers = [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode()),
                       (b"connection", b"close"), (b"cache-control", CACHE_CONTROL.encode()),
                       *[(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]]
            try:
                self.transport.write(self.conn.send(h11.Response(status_code=status, headers=headers,
                                                                 reason=_REASONS.get(status, b""))))
                self.transport.write(self.conn.send(h11.Data(data=body)))
                self.transport.write(self.conn.send(h11.EndOfMessage()))
            except h11.LocalProtocolError:
                pass
        self.transport.close()

    def _too_slow(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        partial_request = self.conn.our_state is h11.IDLE and self.conn.trailing_data[0]
        if partial_request:
            self.transport.write(_REQUEST_TIMEOUT)
        self.transport.close()


def header_deadline(timeout_s: float) -> type[HeaderDeadline]:
    """The protocol class for uvicorn (`http=`), with this deadline."""
    return type("HeaderDeadline", (HeaderDeadline,), {"header_timeout_s": timeout_s})


def _raw_408() -> bytes:
    body = json.dumps(problem_body(408, [error(["header"], "the request's head did not arrive in time",
                                               "header_timeout")])).encode()
    headers = {"Content-Type": PROBLEM_JSON, "Content-Length": str(len(body)), "Connection": "close",
               "Cache-Control": CACHE_CONTROL, **SECURITY_HEADERS}
    head = "HTTP/1.1 408 Request Timeout\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    return head.encode() + body


_REQUEST_TIMEOUT = _raw_408()


_HEAD_KEPT = 64 * 1024
_REASONS = {400: b"Bad Request", 431: b"Request Header Fields Too Large", 501: b"Not Implemented"}
_TOKEN = re.compile(rb"^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,64}$")
_BAD_VALUE = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")


def _bad_header(head: bytes) -> str | None:
    """The name of the first header line in `head` whose value holds a character HTTP forbids (NUL, a control)."""
    for line in head.split(b"\r\n")[1:]:
        name, colon, value = line.partition(b":")
        if colon and _TOKEN.match(name) and _BAD_VALUE.search(value):
            return name.decode("ascii").lower()
    return None


def parser_problem(exc: h11.ProtocolError | None, head: bytes = b"") -> tuple[int, list, str, str]:
    """(status, loc, msg, type) for a request h11 refused; h11's own message is not echoed (it quotes the bytes)."""
    said = str(exc) if exc else ""
    status = getattr(exc, "error_status_hint", 400)
    if said == "Receive buffer too long":
        return (status, ["header"], f"the request line and headers may be at most {MAX_HEAD_BYTES // 1024} KiB "
                "together", "header_too_large")
    if "Content-Length" in said:
        return (status, ["header", "content-length"], "Content-Length must be one non-negative whole number of bytes",
                "content_length_invalid")
    if "Transfer-Encoding" in said:
        return (status, ["header", "transfer-encoding"], "only Transfer-Encoding: chunked is accepted, once",
                "transfer_encoding_unsupported")
    if "Host" in said:
        return (status, ["header", "host"], "an HTTP/1.1 request must have one Host header", "host_missing")
    if said.startswith("Illegal header value") or said.startswith("Illegal header name") or "header line" in \
            said or "continuation line" in said:
        name = _bad_header(head)
        return (status, ["header", *([name] if name else [])], "a header line is malformed or holds a character "
                "HTTP does not allow (a control character such as NUL)", "header_invalid")
    if "request line" in said:
        return (status, ["request-line"], "the request line must be METHOD SP target SP HTTP/1.x, in printable ASCII",
                "request_line_invalid")
    if "chunk" in said:
        return status, ["body"], "the chunked body is malformed", "chunk_invalid"
    return status, [], "the request is not valid HTTP/1.1", "http_invalid"
