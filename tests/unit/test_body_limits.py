"""BodyLimits on its own: what a body may weigh and how long it may take (issue 5, defect 7).

The same limits are tested on real sockets, against the running service, in
tests/integration/test_slow_clients.py.
"""

import asyncio
import json

from shared.http.limits import BodyLimits


async def reads_the_body(scope, receive, send):
    """An app that reads the whole body, then answers 200 with its size."""
    size, more = 0, True
    while more:
        message = await receive()
        size += len(message.get("body", b""))
        more = message.get("more_body", False)
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": str(size).encode()})


async def call(app, chunks, *, content_length=None, then_wait=False):
    """Run `app` behind BodyLimits(max 100 bytes, 0.05 s) on a body sent as `chunks`; return (status, body, headers)."""
    headers = [(b"content-length", str(content_length).encode())] if content_length is not None else []
    scope = {"type": "http", "method": "POST", "path": "/", "headers": headers}
    incoming = [{"type": "http.request", "body": c, "more_body": i < len(chunks) - 1 or then_wait}
                for i, c in enumerate(chunks)]
    reads = 0

    async def receive():
        nonlocal reads
        reads += 1
        if incoming:
            return incoming.pop(0)
        await asyncio.Event().wait()  # a client that sends nothing more

    sent = []

    async def send(message):
        sent.append(message)

    await BodyLimits(app, max_bytes=100, timeout_s=0.05)(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    assert sum(m["type"] == "http.response.start" for m in sent) == 1, "one answer only"
    return start["status"], body, dict(start["headers"]), reads


async def test_a_body_within_the_limit_reaches_the_app():
    assert (await call(reads_the_body, [b"x" * 60, b"x" * 40], content_length=100))[:2] == (200, b"100")


async def test_a_declared_length_over_the_limit_is_refused_before_the_body_is_read():
    status, body, headers, reads = await call(reads_the_body, [b"x" * 50], content_length=101)
    assert (status, reads) == (413, 0)
    assert json.loads(body)["errors"][0]["loc"] == ["header", "content-length"]
    assert headers[b"connection"] == b"close"


async def test_a_body_that_grows_past_the_limit_is_refused_as_it_passes_it():
    status, body, headers, reads = await call(reads_the_body, [b"x" * 60, b"x" * 60, b"x" * 60])
    assert (status, reads) == (413, 2)
    assert json.loads(body)["errors"][0] == {"loc": ["body"], "msg": "the body may be at most 100 bytes",
                                             "type": "body_too_large"}


async def test_a_body_that_stops_coming_gets_408_and_the_apps_own_answer_is_dropped():
    async def catches_everything(scope, receive, send):
        try:
            await reads_the_body(scope, receive, send)
        except Exception:  # an app that answers whatever goes wrong: its answer must not follow the 408
            await send({"type": "http.response.start", "status": 500, "headers": []})
            await send({"type": "http.response.body", "body": b"oops"})

    status, body, headers, _ = await call(catches_everything, [b"x" * 10], then_wait=True)
    assert status == 408 and headers[b"connection"] == b"close"
    assert json.loads(body)["errors"][0]["type"] == "body_timeout"
