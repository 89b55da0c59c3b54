"""What an outside tester tried against the ingest endpoint, and what every such attempt now gets:
a 4xx in one shape (RFC 9457 problem details) naming the field, and nothing stored or published."""

import json

import pytest

from shared.events.envelope import new_event
from tests.harness import eventually

SOURCE = "/partners/dscp-training/lms"
PROBLEM_KEYS = {"type", "title", "status", "detail", "errors"}


def course(course_id="c-1", title="Child Exploitation", **envelope):
    return new_event("training.course.published.v1", {"course_id": course_id, "title": title},
                     partnership="doncaster", agency=envelope.pop("agency", "dscp-training"), source=envelope.pop("source", SOURCE))


def raw(event, **changes):
    body = event.model_dump(mode="json", exclude_none=True)
    for path, value in changes.items():
        target, *keys = path.split("__")
        holder = body if not keys else body[target]
        holder[keys[-1] if keys else target] = value
    return body


def assert_problem(response, status, loc):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert PROBLEM_KEYS <= set(problem) and problem["status"] == status
    assert loc in [e["loc"] for e in problem["errors"]], problem
    return problem


async def post_json(stack, key, body, content_type="application/cloudevents-batch+json"):
    return await stack.post([], key, content_type=content_type, body=json.dumps(body).encode())


async def test_json_nested_thousands_of_levels_deep_is_a_422_not_a_500(stack):
    key = await stack.key()
    for depth in (40, 5_000, 100_000):
        body = ("[" * depth + "]" * depth).encode()
        assert_problem(await stack.post([], key, body=body), 422, ["body"])
    deep_data = raw(course(), data={"course_id": "c-1", "title": "x" * 3, "n": json.loads("[" * 900 + "]" * 900)})
    assert_problem(await post_json(stack, key, [deep_data]), 422, ["body"])


@pytest.mark.parametrize("time", ["9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00", "10000-01-01T00:00:00Z"])
async def test_a_time_at_the_edge_of_the_calendar_is_a_422_naming_time(stack, time):
    key = await stack.key()
    assert_problem(await post_json(stack, key, [raw(course(), time=time)]), 422, ["body", 0, "time"])


async def test_a_server_error_would_still_be_counted_and_answered_in_the_one_shape(stack):
    from fastapi import APIRouter
    from httpx import ASGITransport, AsyncClient

    from shared.http.app import create_app
    from services.training.settings import TrainingSettings

    broken = APIRouter()

    @broken.get("/broken")
    async def fail():
        raise RuntimeError("a defect")

    app = create_app(TrainingSettings(), title="t", description="d", routers=[broken])
    async with AsyncClient(transport=ASGITransport(app), base_url="http://t") as client:
        assert_problem(await client.get("/broken"), 500, [])
        assert 'route="/broken",status="500"' in (await client.get("/metrics")).text


@pytest.mark.parametrize("field, value", [
    ("data__capacity", "12"), ("data__capacity", True), ("data__starts_at", "2021-11-02T09:30:00"),
    ("data__starts_at", 1635845400)])
async def test_numbers_as_strings_booleans_as_numbers_and_times_without_offset_are_refused(stack, field, value):
    key = await stack.key()
    scheduled = new_event("training.session.scheduled.v1",
                          {"session_id": "s-1", "course_id": "c-1", "delivery_mode": "virtual",
                           "starts_at": "2021-11-02T09:30:00Z", "capacity": 12}, partnership="doncaster", agency="dscp-training", source=SOURCE)
    assert_problem(await post_json(stack, key, [raw(course()), raw(scheduled, **{field: value})]), 422,
                   ["body", 1, "data", field.split("__")[1]])


@pytest.mark.parametrize("field, value", [
    ("id", "evt\u202e1"), ("id", "evt\x001"), ("data__title", "Child \u202eExploitation"),
    ("data__title", "Child\x07Exploitation"), ("subject", "c-1\nforged log line"), ("source", "not a uri ref"),
    ("dataschema", "https://schemas.example/" + "x" * 600), ("correlationid", "a" * 200), ("specversion", "0.3"),
    ("schemaversion", 2)])
async def test_control_characters_loose_uris_and_unbounded_attributes_are_refused(stack, field, value):
    key = await stack.key()
    path = field.split("__")
    assert_problem(await post_json(stack, key, [raw(course(), **{field: value})]), 422,
                   ["body", 0, *(["data", path[1]] if len(path) == 2 else path)])
    assert await stack.end_offsets(stack.topic) == 0


@pytest.mark.parametrize("ref", ["943-476-5919", "NHS9434765919", "94347659190", "943.476.5919", "943 476 5919"])
async def test_an_nhs_number_however_written_is_refused_in_references_and_text(stack, ref):
    key = await stack.key()
    attendance = new_event("training.attendance.recorded.v1",
                           {"session_id": "s-1", "attendee_ref": ref.replace(" ", "-").replace(".", "-"),
                            "attendee_agency": "schools"}, partnership="doncaster", agency="dscp-training", source=SOURCE)
    assert_problem(await post_json(stack, key, [raw(attendance)]), 422, ["body", 0, "data", "attendee_ref"])
    titled = raw(course(title=f"Case {ref} learning"))
    assert_problem(await post_json(stack, key, [titled]), 422, ["body", 0, "data", "title"])


async def test_every_refusal_has_one_shape_and_names_its_field(stack):
    key = await stack.key()
    assert_problem(await stack.post(course(), None), 401, ["header", "authorization"])
    assert_problem(await stack.post(course(), key, content_type="text/plain"), 415, ["header", "content-type"])
    assert_problem(await stack.post([], key, body=b"{not json"), 422, ["body"])
    assert_problem(await post_json(stack, key, {"a": 1}), 422, ["body"])
    assert_problem(await stack.post(course(agency="schools"), key), 403, ["body", 0, "agency"])
    assert_problem(await stack.training.get("/no-such-page"), 404, ["path"])
    assert_problem(await stack.training.get("/events"), 405, ["path"])
    assert_problem(await stack.reporting.get("/no-such-page"), 404, ["path"])


async def test_an_event_is_its_source_and_id_and_a_reused_identity_with_new_content_is_a_conflict(stack):
    key = await stack.key()
    first = course("c-1")
    assert (await stack.post(first, key)).json()["accepted"] == 1
    # another system of the partnership happens to use the same id: a different event, accepted
    other = course("c-2", source="/partners/dscp-training/booking").model_copy(update={"id": first.id})
    assert (await stack.post(other, key)).json()["accepted"] == 1
    # the same source and id again, saying something else (another course): a conflict naming id
    reused = course("c-3").model_copy(update={"id": first.id})
    assert_problem(await stack.post(reused, key), 409, ["body", 0, "id"])
    # and the same event again, byte for byte or with only a new correlation id: a duplicate
    again = first.model_copy(update={"correlationid": "retry-2"})
    assert (await stack.post(again, key)).json() == {"accepted": 0, "duplicates": 1,
                                                     "events": [{"id": first.id, "status": "duplicate"}]}
    await eventually(lambda: _published(stack, 2))


async def test_one_agency_cannot_change_the_facts_another_recorded(stack):
    provider = await stack.key()
    police = await stack.key("south-yorkshire-police", ("training.attendance.recorded.v1",))
    session = new_event("training.session.scheduled.v1",
                        {"session_id": "s-1", "course_id": "c-1", "delivery_mode": "virtual",
                         "starts_at": "2021-11-02T09:30:00Z"}, partnership="doncaster", agency="dscp-training", source=SOURCE)

    def attendance(outcome, attendee_agency, agency):
        return new_event("training.attendance.recorded.v1",
                         {"session_id": "s-1", "attendee_ref": "att-0001", "attendee_agency": attendee_agency,
                          "outcome": outcome}, partnership="doncaster", agency=agency, source=f"/partners/{agency}")

    assert (await stack.post([course(), session, attendance("attended", "schools", "dscp-training")],
                             provider)).status_code == 202
    forged = attendance("no_show", "south-yorkshire-police", "south-yorkshire-police")
    problem = assert_problem(await stack.post(forged, police), 403, ["body", 0, "agency"])
    assert "recorded by dscp-training" in problem["errors"][0]["msg"]
    sessions = stack.mongo[f"{stack.prefix}training"]["sessions"]
    stored = await sessions.find_one({"_id": "doncaster/s-1"})
    assert stored["state"]["attendance"]["att-0001"]["outcome"] == "attended"


async def _published(stack, n):
    return await stack.end_offsets(stack.topic) >= n
