"""What an outside tester found against the running stack (issue 13, parts 5 and 6), and what each
class of request now gets. The training service runs as it does in production (shared/http/serve.py's
uvicorn on a real socket); the reporting figures are asked of the in-process stack.
"""

from __future__ import annotations

import asyncio
import json
import random
import select
import socket
import string
import uuid

import pytest
from prometheus_client.parser import text_string_to_metric_families

from shared.observability import metrics
from shared.events.envelope import new_event
from shared.adapters.mongo.client import connect
from tests.served import training_served

PROBLEM = "application/problem+json"
rng = random.Random(13)


@pytest.fixture(scope="module")
def training(servers):
    """(host, port, a valid key, the prefix) of the training service run by uvicorn in a thread."""
    with training_served(servers) as served:
        yield served


class Answer:
    def __init__(self, raw: bytes):
        head, _, self.body = raw.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        self.status = int(lines[0].split()[1])
        self.headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            self.headers[name.strip().lower()] = value.strip()

    def problem(self) -> dict:
        assert self.headers.get("content-type") == PROBLEM, (self.status, self.headers, self.body[:200])
        body = json.loads(self.body)
        assert body["status"] == self.status and {"type", "title", "detail", "errors"} <= set(body)
        return body


def _read(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                   if line.lower().startswith(b"content-length:")), 0)
    while len(body) < length:
        body += sock.recv(65536)
    return head + b"\r\n\r\n" + body


def exchange(service, request: bytes, sock: socket.socket | None = None) -> Answer:
    """Send raw bytes, read one answer (on `sock`, kept open, or on a connection of its own)."""
    if sock is not None:
        sock.sendall(request)
        return Answer(_read(sock))
    with socket.create_connection(service[:2], timeout=10) as own:
        own.sendall(request)
        return Answer(_read(own))


def request(method: str, target: str, *headers: str, body: bytes = b"", host: str = "training") -> bytes:
    lines = [f"{method} {target} HTTP/1.1", f"Host: {host}", *headers]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def series(service) -> dict[str, set[tuple]]:
    """Every metric family's label sets, as /metrics shows them (a histogram's buckets counted once).
    Read twice: a scrape is counted once it is answered, so the second shows the first."""
    exchange(service, request("GET", "/metrics"))
    text = exchange(service, request("GET", "/metrics")).body.decode()
    families: dict[str, set[tuple]] = {}
    for family in text_string_to_metric_families(text):
        families[family.name] = {tuple(sorted((k, v) for k, v in s.labels.items() if k != "le"))
                                 for s in family.samples}
    return families


def made_up_method() -> str:
    return "X" + "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(12))


def random_traffic(service, n: int) -> None:
    """Made-up methods on real and made-up paths, and requests refused with every status ingest can give."""
    key = service[2]
    with socket.create_connection(service[:2], timeout=10) as sock:
        for i in range(n):
            path = rng.choice(["/events", "/healthz", f"/{uuid.uuid4().hex}", f"/events/{rng.randint(0, 10**9)}",
                               "/events/", f"/p/{uuid.uuid4().hex[:8]}/api/dashboard"])
            kind = i % 5
            if kind == 0:
                raw = request(made_up_method(), path)
            elif kind == 1:
                raw = request("GET", path)
            elif kind == 2:
                raw = request("POST", "/events", "Authorization: Bearer scp_" + uuid.uuid4().hex, body=b"[]")
            elif kind == 3:
                raw = request("POST", "/events", f"Authorization: Bearer {key}", f"Content-Type: text/x-{i}", body=b"[]")
            else:
                raw = request("POST", "/events", f"Authorization: Bearer {key}",
                              "Content-Type: application/cloudevents-batch+json",
                              body=json.dumps([{"type": f"training.made.up{i}.v1"}]).encode())
            assert exchange(service, raw, sock).status < 500


def test_made_up_methods_paths_and_statuses_leave_the_number_of_series_bounded(training):
    random_traffic(training, 200)
    settled = series(training)
    random_traffic(training, 1500)
    after = series(training)
    grown = {name: after[name] - settled.get(name, set()) for name in after if after[name] - settled.get(name, set())}
    assert grown == {}, "more random requests made new series"
    for labels in after["http_request_duration_seconds"]:
        values = dict(labels)
        assert values["method"] in metrics.METHODS | {"other"}
        assert values["route"] in metrics.ROUTES | {"other"}, values
        assert values["status"] in metrics.STATUSES | {"other"}
    methods = {dict(labels)["method"] for labels in after["http_request_duration_seconds"]}
    assert "other" in methods and not any(m.startswith("X") for m in methods)


@pytest.mark.parametrize("head, status, loc", [
    ("POST /events HTTP/1.1\r\nHost: training\r\nContent-Length: -1", 400, ["header", "content-length"]),
    ("POST /events HTTP/1.1\r\nHost: training\r\nContent-Length: 12abc", 400, ["header", "content-length"]),
    ("POST /events HTTP/1.1\r\nHost: training\r\nContent-Length: 2\r\nContent-Length: 3", 400,
     ["header", "content-length"]),
    ("GET /healthz HTTP/1.1\r\nHost: training\r\nX-Note: a\x00b", 400, ["header", "x-note"]),
    ("GET /healthz HTTP/1.1\r\nHost: training\r\nX-N\x00te: ab", 400, ["header"]),
    ("GET /healthz HTTP/1.1\r\nHost: training\r\nX-Long: " + "a" * 100_000, 431, ["header"]),
    ("GET /" + "a" * 100_000 + " HTTP/1.1\r\nHost: training", 431, ["header"]),
    ("GET /healthz HTTP/1.1", 400, ["header", "host"]),
    ("POST /events HTTP/1.1\r\nHost: training\r\nTransfer-Encoding: gzip", 501, ["header", "transfer-encoding"]),
    ("G\x00T /healthz HTTP/1.1\r\nHost: training", 400, ["request-line"]),
])
def test_what_the_http_parser_refuses_is_a_problem_document_too(training, head, status, loc):
    with socket.create_connection(training[:2], timeout=10) as sock:
        data = (head + "\r\n\r\n").encode("latin-1")
        for start in range(0, len(data), 8192):  # as a client's writes arrive: the parser sees the head grow
            sock.sendall(data[start:start + 8192])
            if select.select([sock], [], [], 0.2)[0]:  # answered part-way: stop sending, read the answer
                break
        answer = Answer(_read(sock))
    assert answer.status == status
    problem = answer.problem()
    assert problem["errors"][0]["loc"] == loc
    assert answer.headers["connection"] == "close" and answer.headers["cache-control"] == "no-store"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "\x00" not in answer.body.decode() and "aaaa" not in answer.body.decode()  # the bytes are not echoed


@pytest.mark.parametrize("authorization, challenge", [
    (None, 'Bearer realm="scp"'),
    ("Bearer scp_000000000000_00000000000000000000000000000000", 'Bearer realm="scp", error="invalid_token"'),
    ("Basic dXNlcjpwYXNz", 'Bearer realm="scp"'),  # not a bearer token: asked for one
])
def test_a_401_says_how_to_authenticate(training, authorization, challenge):
    headers = [f"Authorization: {authorization}"] if authorization else []
    answer = exchange(training, request("POST", "/events", *headers, "Content-Type: application/cloudevents+json",
                                        body=b"{}"))
    assert answer.status == 401 and answer.problem()["errors"][0]["loc"] == ["header", "authorization"]
    assert answer.headers["www-authenticate"] == challenge


def test_a_trailing_slash_is_a_404_naming_the_path_and_never_a_redirect_to_the_senders_host(training):
    for method, target in [("POST", "/events/"), ("GET", "/healthz/"), ("GET", "//evil.example/healthz/")]:
        answer = exchange(training, request(method, target, body=b"{}" if method == "POST" else b"",
                                            host="evil.example"))
        assert answer.status == 404 and "location" not in answer.headers
        assert answer.problem()["errors"][0]["loc"] == ["path"]
    hint = exchange(training, request("GET", "/healthz/")).problem()["errors"][0]["msg"]
    assert "served without its trailing slash" in hint


def test_every_answer_of_a_domain_service_says_no_store(training):
    key = training[2]
    answers = [exchange(training, raw) for raw in [
        request("GET", "/healthz"), request("GET", "/readyz"), request("GET", "/metrics"), request("GET", "/openapi.json"),
        request("GET", "/docs"), request("GET", "/nowhere"), request("DELETE", "/events"),
        request("POST", "/events", f"Authorization: Bearer {key}", "Content-Type: application/cloudevents+json",
                body=b"{")]]
    assert [a.status for a in answers] == [200, 200, 200, 200, 200, 404, 405, 422]
    assert {a.headers.get("cache-control") for a in answers} == {"no-store"}
    assets = exchange(training, request("GET", "/docs/assets/swagger-ui.css"))
    assert assets.status == 200 and assets.headers["cache-control"] == "no-cache"  # public files: revalidated


def test_a_key_twice_in_an_object_is_a_422_naming_where_and_nothing_is_stored(training):
    key = training[2]
    event = new_event("training.course.published.v1", {"course_id": "c-dup", "title": "Neglect"},
                      partnership="doncaster", agency="dscp-training", source="/partners/dscp-training/lms")
    text = event.to_json().decode()
    cases = {  # the same key again, at the top, in data, and in the second event of a batch
        '"agency":"dscp-training"': ('"agency":"other-agency","agency":"dscp-training"', ["body", 0, "agency"]),
        '"title":"Neglect"': ('"title":"Neglect","title":"Abuse"', ["body", 0, "data", "title"]),
    }
    for original, (doubled, loc) in cases.items():
        assert original in text, text
        body = text.replace(original, doubled).encode()
        answer = exchange(training, request("POST", "/events", f"Authorization: Bearer {key}",
                                            "Content-Type: application/cloudevents+json", body=body))
        assert answer.status == 422
        assert answer.problem()["errors"][0] == {
            "loc": loc, "msg": "this key appears more than once in its object; send it once",
            "type": "json_duplicate_key"}
    batch = f"[{text.replace('c-dup', 'c-ok')},{text.replace(chr(34) + 'title', chr(34) + 'title' + chr(34) + ':1,' + chr(34) + 'title', 1)}]"
    answer = exchange(training, request("POST", "/events", f"Authorization: Bearer {key}",
                                        "Content-Type: application/cloudevents-batch+json", body=batch.encode()))
    assert answer.status == 422 and answer.problem()["errors"][0]["loc"] == ["body", 1, "data", "title"]
    assert asyncio.run(_stored(training)) == 0


async def _stored(service) -> int:
    from os import environ

    mongo = connect(environ["MONGODB_URL"])
    try:
        db = mongo[f"{service[3]}training"]
        return sum([await db[name].count_documents({}) for name in await db.list_collection_names()])
    finally:
        await mongo.close()
