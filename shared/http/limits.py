"""How long a client may keep the server waiting, and how much it may send.

Two places enforce them, each where the other cannot see:

- The server, before the app runs (`HeaderDeadline`, uvicorn's HTTP/1.1 protocol with a deadline):
  once the server is ready for a request (the connection opened, or the last response went out), the
  client has `http_header_timeout_s` to send the whole request head. Else the connection is closed,
  with a 408 if part of a request had come. The same deadline covers the rest of a body that the app
  no longer reads because it has already answered.
- The app, while it reads the body (`BodyLimits`, ASGI middleware): a Content-Length over
  `http_max_body_bytes` is refused at once with 413; a body that grows past it while being read gets a
  413 then; a body not complete within `http_body_timeout_s` of the app's first read gets a 408. The
  refusal is a problem-details response that closes the connection, and the app's own answer is dropped.
"""

from __future__ import annotations

import asyncio
import json

import h11
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from shared.http.problems import PROBLEM_JSON, error, problem, problem_body
from shared.http.security import SECURITY_HEADERS


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

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
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
               **SECURITY_HEADERS}
    head = "HTTP/1.1 408 Request Timeout\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    return head.encode() + body


_REQUEST_TIMEOUT = _raw_408()
