"""A partner's training events, from POST to the dashboard, through the real Kafka and FerretDB."""

import json

from shared.events.envelope import new_event
from tests.harness import eventually

SOURCE = "/partners/dscp-training/lms"


def course(course_id="c-ce", title="Child Exploitation"):
    return new_event("training.course.published.v1", {"course_id": course_id, "title": title},
                     agency="dscp-training", source=SOURCE)


def session(session_id="s-1", course_id="c-ce", mode="virtual"):
    return new_event("training.session.scheduled.v1",
                     {"session_id": session_id, "course_id": course_id, "delivery_mode": mode,
                      "starts_at": "2021-11-02T09:30:00Z"}, agency="dscp-training", source=SOURCE)


def attendance(ref, session_id="s-1", agency="south-yorkshire-police", outcome="attended", emitted_by="dscp-training"):
    return new_event("training.attendance.recorded.v1",
                     {"session_id": session_id, "attendee_ref": ref, "attendee_agency": agency, "outcome": outcome},
                     agency=emitted_by, source=SOURCE)


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
    assert await stack.read_model["training_attendance"].count_documents({}) == 2


async def test_an_invalid_event_gets_422_naming_the_field_and_publishes_nothing(stack):
    key = await stack.key()
    await stack.post([course(), session()], key)
    before = await stack.end_offsets(stack.topic)
    bad = attendance("ref-0001").model_dump(mode="json")
    del bad["data"]["session_id"]
    response = await stack.post([], key, body=json.dumps([bad]).encode(),
                                content_type="application/cloudevents-batch+json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", 0, "data", "session_id"]

    unknown = await stack.post(attendance("ref-0001", session_id="no-such-session"), key)
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["body", 0, "data", "session_id"]
    assert "unknown session" in unknown.json()["detail"][0]["msg"]

    assert await stack.end_offsets(stack.topic) == before


async def test_a_batch_with_one_bad_event_stores_none_of_it(stack):
    key = await stack.key()
    response = await stack.post([course(), session(), attendance("ref-0001", session_id="nope")], key)
    assert response.status_code == 422 and response.json()["detail"][0]["loc"][:2] == ["body", 2]
    assert await stack.mongo[f"{stack.prefix}training"]["courses"].count_documents({}) == 0


async def test_no_key_gets_401_and_another_agencys_event_gets_403(stack):
    assert (await stack.post(course(), None)).status_code == 401
    assert (await stack.post(course(), "scp_nokey_nosecret")).status_code == 401

    police = await stack.key("south-yorkshire-police", ("training.attendance.recorded.v1",))
    someone_elses = await stack.post(attendance("ref-0001", emitted_by="dscp-training"), police)
    assert someone_elses.status_code == 403
    assert someone_elses.json()["detail"][0]["loc"] == ["body", 0, "agency"]

    not_covered = await stack.post(new_event("training.course.published.v1", {"course_id": "c", "title": "Own"},
                                             agency="south-yorkshire-police", source=SOURCE), police)
    assert not_covered.status_code == 403
    assert not_covered.json()["detail"][0]["loc"] == ["body", 0, "type"]


async def test_malformed_bytes_go_to_the_dlq_with_a_reason_and_later_events_still_project(stack):
    key = await stack.key()
    await stack.produce_raw(b"\x00\xffnot json at all")
    await stack.produce_raw(json.dumps({"specversion": "1.0", "id": "x"}).encode())
    await stack.post([course(), session(), attendance("ref-0001")], key)
    await stack.start_projector()

    await eventually(lambda: attendances(stack, 1))
    dead = await stack.read_topic(f"{stack.topic}.dlq", expect=2)
    assert sorted(r.value for r in dead)[0] == b"\x00\xffnot json at all" or b"\x00\xffnot json at all" in [r.value for r in dead]
    reasons = [dict(r.headers)["dlq_reason"].decode() for r in dead]
    assert all(reason.startswith("invalid envelope") for reason in reasons), reasons


async def test_readiness_reports_kafka_and_mongodb(stack):
    response = await stack.training.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"mongodb": "ok", "kafka": "ok"}}
    assert (await stack.reporting.get("/healthz")).json()["status"] == "ok"
    metrics = (await stack.training.get("/metrics")).text
    assert "http_request_duration_seconds" in metrics and "events_published_total" in metrics
