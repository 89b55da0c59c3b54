"""Slow and greedy clients against the training service as it runs (shared/http/serve.py's uvicorn), on real sockets.

Issue 5, defect 7: a head or a body trickled one byte at a time must not hold a connection open, and
a body over the limit is refused while it is read. The limits are set small here (1 s, 1000 bytes), and
every trickle would last ten times the limit, so a server that does not enforce it fails the test.
"""

from __future__ import annotations

import json
import select
import socket

import pytest

from tests.served import training_served

LIMIT_S = 1.0
MAX_BODY = 1000
TRICKLE = 0.1  # seconds between bytes; every trickle below is long enough to last 10 x LIMIT_S


@pytest.fixture(scope="module")
def service(servers):
    """(host, port, a valid key) of the training service run by uvicorn in a thread, with small limits."""
    with training_served(servers, http_header_timeout_s=LIMIT_S, http_body_timeout_s=LIMIT_S,
                         http_max_body_bytes=MAX_BODY) as (host, port, key, _):
        yield host, port, key


def _connect(service) -> socket.socket:
    host, port, _ = service
    return socket.create_connection((host, port), timeout=10)


def _post_head(service, *, key: bool = True, length: int | None = None, chunked: bool = False) -> bytes:
    lines = ["POST /events HTTP/1.1", "Host: training", "Content-Type: application/cloudevents-batch+json"]
    if key:
        lines.append(f"Authorization: Bearer {service[2]}")
    if length is not None:
        lines.append(f"Content-Length: {length}")
    if chunked:
        lines.append("Transfer-Encoding: chunked")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _trickle(sock: socket.socket, data: bytes) -> tuple[int, bytes]:
    """Send `data` a byte at a time until the server answers or closes; (bytes sent, what it said)."""
    for sent in range(len(data)):
        if select.select([sock], [], [], TRICKLE)[0]:
            return sent, _read_all(sock)
        try:
            sock.sendall(data[sent:sent + 1])
        except (BrokenPipeError, ConnectionResetError):
            return sent, b""
    return len(data), b""


def _read_all(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (which it must, within the socket's timeout)."""
    chunks = []
    try:
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    except ConnectionResetError:
        pass
    return b"".join(chunks)


def _read_response(sock: socket.socket) -> bytes:
    """One response, read by its Content-Length, leaving the connection open."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                  if line.lower().startswith(b"content-length:"))
    while len(body) < length:
        body += sock.recv(65536)
    return head + b"\r\n\r\n" + body


def _status_and_problem(answer: bytes) -> tuple[int, dict]:
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body)


def test_a_trickled_head_is_answered_408_and_closed_long_before_it_ends(service):
    head = b"GET /healthz HTTP/1.1\r\nHost: training\r\nX-Slow: " + b"a" * 200 + b"\r\n\r\n"
    with _connect(service) as sock:
        sent, answer = _trickle(sock, head)
    assert sent < len(head) // 2, f"the server waited for {sent} of {len(head)} bytes"
    status, problem = _status_and_problem(answer)
    assert status == 408 and problem["errors"][0]["type"] == "header_timeout"
    assert b"connection: close" in answer.lower()


def test_a_connection_that_sends_nothing_is_closed(service):
    with _connect(service) as sock:
        assert _read_all(sock) == b""  # closed, without an answer to a request that never came


def test_a_keep_alive_connection_cannot_trickle_its_next_request(service):
    with _connect(service) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: training\r\n\r\n")
        assert _read_response(sock).startswith(b"HTTP/1.1 200")
        head = b"GET /healthz HTTP/1.1\r\nHost: training\r\nX-Slow: " + b"a" * 200 + b"\r\n\r\n"
        sent, answer = _trickle(sock, head)
    assert sent < len(head) // 2
    assert _status_and_problem(answer)[0] == 408


def test_a_trickled_body_is_answered_408_while_the_app_reads_it(service):
    body = b"[" + b" " * 300 + b"]"
    with _connect(service) as sock:
        sock.sendall(_post_head(service, length=len(body)))
        sent, answer = _trickle(sock, body)
    assert sent < len(body) // 2, f"the server waited for {sent} of {len(body)} bytes"
    status, problem = _status_and_problem(answer)
    assert status == 408 and problem["errors"][0] == {
        "loc": ["body"], "msg": f"the body did not arrive within {LIMIT_S:g} s", "type": "body_timeout"}


def test_a_body_trickled_after_the_answer_does_not_hold_the_connection(service):
    """Refused for its key before its body is read: the rest of that body may not keep the connection."""
    body = b"[" + b" " * 300 + b"]"
    with _connect(service) as sock:
        sock.sendall(_post_head(service, key=False, length=len(body)))
        assert _read_response(sock).startswith(b"HTTP/1.1 401")
        sent, answer = _trickle(sock, body)
    assert sent < len(body) // 2, f"the server waited for {sent} of {len(body)} bytes"
    assert answer == b""  # closed: it has answered already


def test_a_content_length_over_the_limit_is_refused_at_once_with_413(service):
    with _connect(service) as sock:
        sock.sendall(_post_head(service, length=10 * 1024 * 1024))  # and not a byte of the body
        answer = _read_all(sock)
    status, problem = _status_and_problem(answer)
    assert status == 413 and problem["errors"][0]["loc"] == ["header", "content-length"]


def test_a_chunked_body_that_grows_past_the_limit_is_refused_with_413_while_it_is_read(service):
    chunk = b" " * 600
    with _connect(service) as sock:
        sock.sendall(_post_head(service, chunked=True))
        for _ in range(2):  # 1200 bytes, over the 1000 allowed; the body never ends
            sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        answer = _read_all(sock)
    status, problem = _status_and_problem(answer)
    assert status == 413 and problem["errors"][0] == {
        "loc": ["body"], "msg": f"the body may be at most {MAX_BODY} bytes", "type": "body_too_large"}


def test_a_body_within_the_limits_still_gets_through(service):
    body = b"[]"
    with _connect(service) as sock:
        sock.sendall(_post_head(service, length=len(body)) + body)
        answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 422")  # past the limits: an empty batch refused for what it is
