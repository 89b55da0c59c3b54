"""Accepted means counted, through the real services, Kafka and FerretDB (issue 13, classes 1 to 3).

An outside tester sent courses with `time`s at the edges of the accepted years in far offsets, and as numbers in
strings: some were answered 202 and then dead-lettered by the projector. Now each is refused with 422 at ingest
or accepted and counted, and the dead-letter topic stays empty. Two systems' events that share an `id` are two
facts in the read model: a KPI's January and February values, an action's progress report and its completion.
"""

from datetime import datetime

from shared.events.catalogue import dlq_for
from shared.events.envelope import new_event
from tests.harness import eventually

HOSTILE_TIMES = [
    "1970-01-01T00:00:00+23:59", "2099-12-31T23:59:59-23:59", "1969-12-31T23:59:59Z", "2100-01-01T00:00:00Z",
    "12", "1609459200", "1.5e9", "2021-11-02", "2021-11-02T09:30", "2021-11-02T09:30:00",
    # accepted: the instant, in UTC, is inside 1970-2099
    "1970-01-01T00:00:00Z", "1970-01-01T00:00:00-00:01", "2099-12-31T23:59:59Z", "2100-01-01T23:00:00+23:59",
    "2099-12-31T23:59:59.999999+00:00", "2021-11-02t09:30:00z",
]


def course(n: int, time: str) -> bytes:
    event = new_event("training.course.published.v1", {"course_id": f"probe-{n}", "title": f"Probe course {n}"},
                      partnership="doncaster", agency="dscp-training", source="/probe/hostile-times")
    body = event.to_json().decode()
    return body.replace(f'"time":"{event.model_dump(mode="json")["time"]}"', f'"time":"{time}"').encode()


async def test_every_event_answered_202_is_projected_and_none_is_dead_lettered(stack):
    key = await stack.key()
    answers = [await stack.post([], key, body=course(n, time), content_type="application/cloudevents+json")
               for n, time in enumerate(HOSTILE_TIMES)]
    assert {a.status_code for a in answers} <= {202, 422}, [a.text for a in answers]
    refused = [a.json()["errors"][0]["loc"] for a in answers if a.status_code == 422]
    assert all(loc == ["body", "time"] or loc == ["body", 0, "time"] for loc in refused), refused
    accepted = [time for time, a in zip(HOSTILE_TIMES, answers) if a.status_code == 202]
    assert len(accepted) == 6 and len(refused) == 10, accepted

    await stack.start_projector()
    await eventually(lambda: _courses(stack, len(accepted)))
    assert len(await stack.read_topic(stack.topic, expect=len(accepted))) == len(accepted)
    assert await stack.end_offsets(dlq_for(stack.topic)) == 0


async def _courses(stack, expected):
    return (await stack.dashboard())["courses"] == expected


def at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T12:00:00+00:00")


def strategy(type_name: str, day: str, sender: str = "/partners/dscp/strategy", id: str | None = None, **data):
    event = new_event(f"strategy.{type_name}.v1", data, partnership="doncaster", agency="dscp", source=sender,
                      time=at(day))
    return event.model_copy(update={"id": id}) if id else event


async def test_two_systems_events_that_share_an_id_are_two_facts(stack):
    key = await stack.key("dscp", ("strategy.*",))
    plan = [
        strategy("strategy.published", "2021-09-01", strategy_id="plan", kind="delivery_plan", title="Delivery Plan",
                 starts_on="2021-04-01", ends_on="2022-03-31", owner_agency="dscp", owner_group="board"),
        strategy("priority.published", "2021-09-01", priority_id="p-1", strategy_id="plan", number=1,
                 title="Neglect"),
        strategy("action.planned", "2021-09-01", action_id="p-1-a", priority_id="p-1", letter="a",
                 title="Graded Care Profile everywhere", owner_agency="dscp", due_on="2022-03-31"),
        strategy("kpi.defined", "2021-09-01", kpi_id="gcp", title="GCP used", strategy_id="plan",
                 numerator="Cases with a GCP", unit="count", period_type="month", trajectory="target_only",
                 target={"value": 100, "on": "2022-03-31"}),
    ]
    shared_ids = [  # the same `id` from two systems: two facts
        strategy("kpi_value.recorded", "2022-01-10", "/probe/sys-a", "v-1", kpi_id="gcp", period="2022-01",
                 value=40, source="System A"),
        strategy("kpi_value.recorded", "2022-02-20", "/probe/sys-b", "v-1", kpi_id="gcp", period="2022-02",
                 value=55, source="System B"),
        strategy("action.progress_reported", "2021-12-15", "/probe/sys-a", "step-1", action_id="p-1-a",
                 reported_on="2021-12-15", assessment="on_track", note="Champions trained"),
        strategy("action.completed", "2022-02-20", "/probe/sys-b", "step-1", action_id="p-1-a",
                 completed_on="2022-02-20"),
    ]
    for events in (plan, shared_ids):
        response = await stack.post(events, key, service="strategy")
        assert response.status_code == 202 and response.json()["accepted"] == len(events), response.text
    await stack.start_projector()

    async def both_values():
        response = await stack.reporting.get("/p/doncaster/api/strategy/kpis/gcp")
        if response.status_code != 200:
            return None
        rows = [r for s in response.json()["kpi"]["series"] for r in s["rows"] if r["value"] is not None]
        return rows if len(rows) == 2 else None

    async def completed_action():  # the action's events may sit on another partition than the KPI's
        actions = [a for s in (await stack.figures("strategy/scorecard", as_of="2022-03-01"))["strategies"]
                   for p in s["priorities"] for a in p["actions"]]
        return actions if actions and actions[0]["event_ids"].count("step-1") == 2 else None

    rows = await eventually(both_values)
    assert [(r["period"], r["value"]) for r in rows] == [("2022-01", 40), ("2022-02", 55)]
    [action] = await eventually(completed_action)
    assert action["status"] == "complete_on_time"
    assert action["event_ids"].count("step-1") == 2, action["event_ids"]  # the progress report and the completion
    december = [a for s in (await stack.figures("strategy/scorecard", as_of="2021-12-31"))["strategies"]
                for p in s["priorities"] for a in p["actions"]]
    assert december[0]["status"] == "on_track"
