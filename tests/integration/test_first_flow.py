"""A partner's training events, from POST to the dashboard, through the real Kafka and FerretDB."""

import asyncio
import json

from shared.events.envelope import new_event
from shared.kafka import dlq
from shared.observability.tracing import memory_exporter
from tests.harness import eventually
from tests.read_model import stored_attendance

SOURCE = "/partners/dscp-training/lms"


def course(course_id="c-ce", title="Child Exploitation"):
    return new_event("training.course.published.v1", {"course_id": course_id, "title": title},
                     partnership="doncaster", agency="dscp-training", source=SOURCE)


def session(session_id="s-1", course_id="c-ce", mode="virtual"):
    return new_event("training.session.scheduled.v1",
                     {"session_id": session_id, "course_id": course_id, "delivery_mode": mode,
                      "starts_at": "2021-11-02T09:30:00Z"}, partnership="doncaster", agency="dscp-training", source=SOURCE)


def attendance(ref, session_id="s-1", agency="south-yorkshire-police", outcome="attended", emitted_by="dscp-training"):
    return new_event("training.attendance.recorded.v1",
                     {"session_id": session_id, "attendee_ref": ref, "attendee_agency": agency, "outcome": outcome},
                     partnership="doncaster", agency=emitted_by, source=SOURCE)


async def attendances(stack, n):
    figures = await stack.dashboard()
    return figures if figures["attendances"] == n else None


async def test_an_event_posted_by_a_partner_reaches_the_dashboard(stack):
    key = await stack.key()
    response = await stack.post([course(), session(), attendance("ref-0001"), attendance("ref-0002", agency="schools"),
                                 attendance("ref-0003", outcome="no_show")], key)
    assert response.status_code == 202, response.text
    assert response.json()["accepted"] == 5

    await stack.start_projector()
    figures = await eventually(lambda: attendances(stack, 2))
    assert figures["no_shows"] == 1 and figures["courses"] == 1 and figures["sessions"] == 1
    assert figures["by_agency"] == [{"agency": "schools", "attended": 1}, {"agency": "south-yorkshire-police", "attended": 1}]
    assert figures["by_course"][0]["title"] == "Child Exploitation"


async def test_a_single_event_in_structured_mode_is_accepted(stack):
    key = await stack.key()
    response = await stack.post(course(), key)
    assert response.status_code == 202 and response.json()["events"][0]["status"] == "accepted"


async def test_the_same_event_posted_twice_is_counted_once(stack):
    key = await stack.key()
    await stack.post([course(), session()], key)
    once = attendance("ref-0001")
    first, again = await stack.post(once, key), await stack.post(once, key)
    assert first.json()["accepted"] == 1
    assert again.status_code == 202 and again.json() == {"accepted": 0, "duplicates": 1,
                                                          "events": [{"id": once.id, "status": "duplicate"}]}
    # and a record redelivered by Kafka itself is harmless too
    await stack.produce_raw(once.to_json(), key=b"s-1")
    await stack.post(attendance("ref-0002"), key)  # a later event, to know when the projector has caught up
    await stack.start_projector()
    await eventually(lambda: attendances(stack, 2))
    records = await stack.read_topic(stack.topic, expect=5)
    assert sum(json.loads(r.value)["id"] == once.id for r in records) == 2  # published once, redelivered once
    assert len(await stored_attendance(stack.read_model)) == 2


async def test_an_invalid_event_gets_422_naming_the_field_and_publishes_nothing(stack):
    key = await stack.key()
    await stack.post([course(), session()], key)
    await eventually(lambda: _published(stack, 2))
    bad = attendance("ref-0001").model_dump(mode="json")
    del bad["data"]["session_id"]
    response = await stack.post([], key, body=json.dumps([bad]).encode(),
                                content_type="application/cloudevents-batch+json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", 0, "data", "session_id"]

    unknown = await stack.post(attendance("ref-0001", session_id="no-such-session"), key)
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["loc"] == ["body", 0, "data", "session_id"]
    assert "unknown session" in unknown.json()["errors"][0]["msg"]

    await asyncio.sleep(1.0)  # five relay polls: had anything been stored, it would be published by now
    assert await stack.end_offsets(stack.topic) == 2
    assert await stack.mongo[f"{stack.prefix}training"]["sessions"].count_documents({"pending": True}) == 0


async def _published(stack, n):
    return await stack.end_offsets(stack.topic) == n


async def test_a_batch_with_one_bad_event_stores_none_of_it(stack):
    key = await stack.key()
    response = await stack.post([course(), session(), attendance("ref-0001", session_id="nope")], key)
    assert response.status_code == 422 and response.json()["errors"][0]["loc"][:2] == ["body", 2]
    assert await stack.mongo[f"{stack.prefix}training"]["courses"].count_documents({}) == 0


async def test_no_key_gets_401_and_another_agencys_event_gets_403(stack):
    assert (await stack.post(course(), None)).status_code == 401
    assert (await stack.post(course(), "scp_nokey_nosecret")).status_code == 401

    police = await stack.key("south-yorkshire-police", ("training.attendance.recorded.v1",))
    someone_elses = await stack.post(attendance("ref-0001", emitted_by="dscp-training"), police)
    assert someone_elses.status_code == 403
    assert someone_elses.json()["errors"][0]["loc"] == ["body", 0, "agency"]

    not_covered = await stack.post(new_event("training.course.published.v1", {"course_id": "c", "title": "Own"},
                                             partnership="doncaster", agency="south-yorkshire-police", source=SOURCE), police)
    assert not_covered.status_code == 403
    assert not_covered.json()["errors"][0]["loc"] == ["body", 0, "type"]


async def test_malformed_bytes_go_to_the_dlq_with_a_reason_and_later_events_still_project(stack):
    key = await stack.key()
    await stack.produce_raw(b"\x00\xffnot json at all")
    await stack.produce_raw(json.dumps({"specversion": "1.0", "id": "x"}).encode())
    await stack.produce_raw(attendance("ref-0009", session_id="s-1").to_json().replace(b'"attended"', b'"maybe"'))
    await stack.post([course(), session(), attendance("ref-0001")], key)
    await stack.start_projector()

    await eventually(lambda: attendances(stack, 1))
    dead = await eventually(lambda: _at_least(dlq.read(stack.kafka, f"{stack.topic}.dlq", 10), 3))
    assert {m["value"] for m in dead} >= {b"\x00\xffnot json at all"}
    reasons = sorted(m["reason"] for m in dead)
    assert reasons[0].startswith("invalid data for training.attendance.recorded.v1: outcome"), reasons
    assert all(r.startswith("invalid envelope") for r in reasons[1:]), reasons
    assert all(m["origin"].startswith(f"{stack.topic}[") for m in dead)


async def _at_least(messages, n):
    found = await messages
    return found if len(found) >= n else None


async def test_a_post_its_publication_and_its_projection_form_one_trace(stack):
    key = await stack.key()
    memory_exporter.clear()
    await stack.post([course(), session()], key)
    response = await stack.post(attendance("ref-0001"), key)
    assert response.status_code == 202
    await stack.start_projector()
    await eventually(lambda: attendances(stack, 1))

    def spans():
        return memory_exporter.get_finished_spans()

    post = [s for s in spans() if s.name == "POST /events"][-1]
    projected = await eventually(lambda: _project_spans(spans, post.context.trace_id))
    assert projected[0].parent is not None
    records = await stack.read_topic(stack.topic, expect=3)
    traceparents = [dict(r.headers)["traceparent"].decode() for r in records]
    assert any(tp.split("-")[1] == format(post.context.trace_id, "032x") for tp in traceparents)


async def _project_spans(spans, trace_id):
    return [s for s in spans() if s.name.startswith("project training.attendance") and s.context.trace_id == trace_id]


async def test_readiness_reports_kafka_mongodb_and_the_outbox_relay(stack):
    response = await stack.training.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"mongodb": "ok", "kafka": "ok", "outbox_relay": "ok"},
                               "notices": {"outbox_parked": 0}}
    assert (await stack.reporting.get("/healthz")).json()["status"] == "ok"
    metrics = (await stack.training.get("/metrics")).text
    assert "http_request_duration_seconds" in metrics and "events_published_total" in metrics


async def test_events_stored_by_a_process_that_died_before_publishing_are_published_by_the_relay(stack):
    """Another process stored the course with its outbox, then died: the running relay finds and publishes it."""
    from shared.write.aggregates import KeyedLocks, UnitOfWork
    from shared.events.catalogue import parse_data
    from shared.write.handling import ingest
    from shared.write.identities import MemoryIdentities
    from shared.adapters.mongo.aggregates import MongoAggregateStore
    from shared.write.rules import Actor
    from services.training import handlers

    locks = KeyedLocks()
    store = MongoAggregateStore(stack.mongo[f"{stack.prefix}training"], handlers.KINDS, locks)
    orphan = course("c-orphan", "Safer Recruitment")
    await ingest(UnitOfWork(store, locks, stack.prefix), handlers.ROUTES, MemoryIdentities(),
                 [(orphan, parse_data(orphan))], Actor("dscp-training"))

    records = await stack.read_topic(stack.topic, expect=1)
    assert [json.loads(r.value)["id"] for r in records] == [orphan.id]
    await eventually(lambda: _outbox_empty(stack))


async def _outbox_empty(stack):
    return await stack.mongo[f"{stack.prefix}training"]["courses"].count_documents({"pending": True}) == 0


async def test_the_dashboard_is_served_from_its_cache_until_a_new_event_is_projected(stack):
    key = await stack.key()
    await stack.post([course(), session(), attendance("ref-0001")], key)
    await stack.start_projector()
    await eventually(lambda: attendances(stack, 1))
    cache = stack.reporting_app.state.dashboards
    computed = cache.computed
    for _ in range(5):
        assert (await stack.dashboard())["attendances"] == 1
    assert cache.computed == computed  # five reads, one lookup each, no recomputation
    await stack.post(attendance("ref-0002"), key)
    await eventually(lambda: attendances(stack, 2))  # the new event changed the version: computed again
    assert cache.computed == computed + 1
