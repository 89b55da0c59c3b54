"""Many partnerships on one platform: each one's facts walled off from the others', and a partner that
sits in several (South Yorkshire Police) integrating once and emitting to each."""

from shared.events.envelope import new_event
from tests.harness import eventually

POLICE = "south-yorkshire-police"


def course(partnership, course_id="child-exploitation", title="Child Exploitation", agency=None):
    agency = agency or f"{partnership[0]}scp-training"
    return new_event("training.course.published.v1", {"course_id": course_id, "title": title},
                     partnership=partnership, agency=agency, source=f"/partners/{agency}/lms")


def session(partnership, session_id="ce-1", course_id="child-exploitation"):
    agency = f"{partnership[0]}scp-training"
    return new_event("training.session.scheduled.v1",
                     {"session_id": session_id, "course_id": course_id, "delivery_mode": "virtual",
                      "starts_at": "2021-11-02T09:30:00Z"}, partnership=partnership, agency=agency,
                     source=f"/partners/{agency}/lms")


def attendance(partnership, ref, agency, attendee_agency=None, session_id="ce-1"):
    return new_event("training.attendance.recorded.v1",
                     {"session_id": session_id, "attendee_ref": ref, "attendee_agency": attendee_agency or agency},
                     partnership=partnership, agency=agency, source=f"/partners/{agency}/learning")


async def keys(stack):
    return {"doncaster": await stack.key("dscp-training", partnerships=("doncaster",)),
            "rotherham": await stack.key("rscp-training", partnerships=("rotherham",)),
            "police": await stack.key(POLICE, ("training.attendance.recorded.v1",), ("doncaster", "rotherham"))}


async def test_a_key_emitting_to_a_partnership_it_does_not_cover_gets_403_and_an_unknown_one_422(stack):
    k = await keys(stack)
    refused = await stack.post(course("rotherham", agency="dscp-training"), k["doncaster"])
    assert refused.status_code == 403, refused.text
    assert refused.json()["errors"][0]["loc"] == ["body", 0, "partnership"]
    unknown = await stack.post(course("barnsley", agency="dscp-training"), k["doncaster"])
    assert unknown.status_code == 422, unknown.text
    assert unknown.json()["errors"][0]["loc"] == ["body", 0, "partnership"]
    assert await stack.end_offsets(stack.topic) == 0


async def test_the_same_ids_in_two_partnerships_stay_two_aggregates_and_two_dashboards(stack):
    k = await keys(stack)
    for code in ("doncaster", "rotherham"):
        response = await stack.post([course(code, title=f"Child Exploitation ({code})"), session(code)], k[code])
        assert response.status_code == 202 and response.json()["accepted"] == 2, response.text
    sessions = stack.mongo[f"{stack.prefix}training"]["sessions"]
    stored = {d["_id"]: d["partnership"] async for d in sessions.find({})}
    assert stored == {"doncaster/ce-1": "doncaster", "rotherham/ce-1": "rotherham"}

    await stack.post([attendance("doncaster", f"att-d{i:04d}", "dscp-training", "schools") for i in range(3)],
                     k["doncaster"])
    await stack.post([attendance("rotherham", "att-r0001", "rscp-training", "schools")], k["rotherham"])
    await stack.start_projector()
    doncaster = await eventually(lambda: _attended(stack, "doncaster", 3))
    rotherham = await eventually(lambda: _attended(stack, "rotherham", 1))
    assert doncaster["courses"] == rotherham["courses"] == 1
    assert doncaster["by_course"][0]["title"] == "Child Exploitation (doncaster)"
    assert rotherham["by_course"][0]["title"] == "Child Exploitation (rotherham)"
    assert doncaster["by_agency"] == [{"agency": "schools", "attended": 3}]


async def test_the_shared_police_key_reaches_each_partnership_it_emits_to(stack):
    k = await keys(stack)
    for code in ("doncaster", "rotherham"):
        await stack.post([course(code), session(code)], k[code])
    # one request from the police's system, its own people at a session in each partnership
    both = [attendance("doncaster", "att-p0001", POLICE), attendance("rotherham", "att-p0002", POLICE),
            attendance("rotherham", "att-p0003", POLICE)]
    response = await stack.post(both, k["police"])
    assert response.status_code == 202 and response.json()["accepted"] == 3, response.text
    await stack.start_projector()
    doncaster = await eventually(lambda: _attended(stack, "doncaster", 1))
    rotherham = await eventually(lambda: _attended(stack, "rotherham", 2))
    assert doncaster["by_agency"] == [{"agency": POLICE, "attended": 1}]
    assert rotherham["by_agency"] == [{"agency": POLICE, "attended": 2}]
    records = await stack.read_topic(stack.topic, expect=7)
    assert {r.key.decode().split("/")[0] for r in records} == {"doncaster", "rotherham"}  # keys: partnership/aggregate


async def test_the_partnerships_are_listed_and_an_unknown_one_has_no_dashboard(stack):
    listed = (await stack.reporting.get("/api/partnerships")).json()
    assert [p["code"] for p in listed] == ["doncaster", "rotherham"]
    assert listed[0]["dashboard"] == "/p/doncaster/"
    missing = await stack.reporting.get("/p/barnsley/api/dashboard")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("application/problem+json")
    page = await stack.reporting.get("/p/doncaster/")
    assert page.status_code == 200 and "/static/live.js" in page.text  # a live page


async def _attended(stack, partnership, n):
    figures = await stack.dashboard(partnership)
    return figures if figures["attendances"] == n else None
