"""Stories of the strategy service's rules, against the in-memory aggregate store: the action lifecycle,
KPI values from numerator and denominator, corrections, what is refused naming its field, and what the service
decides and publishes beside each fact (an action's state, a KPI's schedule, a value's figure)."""

import json

import pytest

from shared.write.aggregates import KeyedLocks, MemoryAggregateStore, UnitOfWork
from shared.events.catalogue import parse_data
from shared.events.envelope import new_event
from shared.write.handling import EventRefused, ingest as ingest_events
from shared.write.identities import MemoryIdentities
from shared.write.rules import Actor
from services.strategy import handlers

DSCP, POLICE, TRUST = Actor("dscp"), Actor("south-yorkshire-police"), Actor("doncaster-childrens-services-trust")


def event(type_name, agency="dscp", **data):
    env = new_event(type_name, data, partnership="doncaster", agency=agency, source=f"/partners/{agency}/plan")
    return env, parse_data(env)


def plan():
    return [event("strategy.strategy.published.v1", strategy_id="delivery-plan-2021-22", kind="delivery_plan",
                  title="DSCP Delivery Plan 2021-22", starts_on="2021-04-01", ends_on="2022-03-31",
                  owner_agency="dscp", owner_group="board"),
            event("strategy.priority.published.v1", priority_id="priority-3", strategy_id="delivery-plan-2021-22",
                  number=3, title="A more effective multi-agency response to child neglect"),
            event("strategy.action.planned.v1", action_id="priority-3-c", priority_id="priority-3", letter="c",
                  title="Full multi-agency participation in the SYP programme", owner_agency="south-yorkshire-police",
                  due_on="2022-03-31")]


def step(kind, on, agency="south-yorkshire-police", **extra):
    field = {"started": "started_on", "progress_reported": "reported_on", "completed": "completed_on",
             "deferred": "deferred_on", "reopened": "reopened_on"}[kind]
    return event(f"strategy.action.{kind}.v1", agency=agency, action_id="priority-3-c", **{field: on}, **extra)


def kpi(**overrides):
    data = dict(kpi_id="gcp-compliance", title="Graded Care Profile used when neglect is identified",
                priority_id="priority-3", numerator="Neglect cases with a GCP2 assessment",
                denominator="Cases where neglect was identified", unit="percent", period_type="quarter",
                baseline={"value": 40, "on": "2021-12-31"}, target={"value": 100, "on": "2022-12-31"})
    return event("strategy.kpi.defined.v1", **{**data, **overrides})


def value(period="2022-Q1", agency="dscp", **figure):
    return event("strategy.kpi_value.recorded.v1", agency=agency, kpi_id="gcp-compliance", period=period,
                 source="DCST case management system", **figure)


@pytest.fixture
def store():
    return MemoryAggregateStore()


async def ingest(store, *events, actor=POLICE):
    return await ingest_events(UnitOfWork(store, KeyedLocks()), handlers.ROUTES, MemoryIdentities(), list(events),
                               actor)


async def refused(store, *events, actor=POLICE):
    with pytest.raises(EventRefused) as caught:
        await ingest(store, *events, actor=actor)
    return caught.value.rule


def action(store):
    return store.docs[("actions", "doncaster/priority-3-c")].state


async def test_an_action_is_planned_started_progressed_and_completed_by_its_owner(store):
    await ingest(store, *plan(), actor=DSCP)
    assert action(store)["state"] == "not_started" and action(store)["planned_by"] == "dscp"
    await ingest(store, step("started", "2021-10-04"),
                 step("progress_reported", "2021-12-15", assessment="on_track", note="Briefings delivered",
                      evidence=[{"kind": "document", "ref": "child-matters-briefing-1"}]),
                 step("completed", "2022-03-01", evidence=[{"kind": "audit", "ref": "audit-2022-03"}]))
    assert action(store)["state"] == "completed" and action(store)["completed_on"] == "2022-03-01"


async def test_completing_a_completed_action_is_refused_409_naming_the_action(store):
    await ingest(store, *plan(), actor=DSCP)
    await ingest(store, step("completed", "2022-03-01"))
    rule = await refused(store, step("completed", "2022-03-02"))
    assert (rule.status, rule.field) == (409, "data.action_id")
    assert "reopen it first" in rule.message


async def test_a_reopen_takes_a_completed_action_back_and_is_counted(store):
    await ingest(store, *plan(), actor=DSCP)
    await ingest(store, step("started", "2022-01-10"), step("completed", "2022-03-01"))
    await ingest(store, step("reopened", "2022-03-10", reason="Audit found GCP2 not used", due_on="2022-06-30"))
    reopened = action(store)
    assert (reopened["state"], reopened["reopened"], reopened["due_on"]) == ("in_progress", 1, "2022-06-30")
    await ingest(store, step("completed", "2022-06-01"))
    assert action(store)["state"] == "completed"


async def test_an_action_completed_without_starting_is_reopened_not_started_and_may_then_start(store):
    await ingest(store, *plan(), actor=DSCP)
    await ingest(store, step("completed", "2022-03-01"), step("reopened", "2022-03-10", reason="Not done after all"))
    assert action(store)["state"] == "not_started"
    await ingest(store, step("started", "2022-03-14"))
    assert action(store)["state"] == "in_progress"


async def test_status_moves_forward_only(store):
    await ingest(store, *plan(), actor=DSCP)
    await ingest(store, step("started", "2021-10-04"))
    again = await refused(store, step("started", "2021-10-05"))
    assert (again.status, again.field) == (409, "data.action_id")
    nothing_to_reopen = await refused(store, step("reopened", "2021-10-06", reason="no"))
    assert nothing_to_reopen.status == 409
    await ingest(store, step("deferred", "2021-11-01", reason="Waiting for the SYP programme"))
    progress = await refused(store, step("progress_reported", "2021-11-02", assessment="on_track", note="n"))
    assert (progress.status, progress.field) == (409, "data.action_id")
    earlier = await refused(store, step("reopened", "2021-10-30", reason="back"))
    assert (earlier.status, earlier.field) == (422, "data.reopened_on")


async def test_an_action_of_an_unknown_priority_is_refused_422_naming_the_priority(store):
    unknown = event("strategy.action.planned.v1", action_id="priority-9-a", priority_id="priority-9",
                    title="x", owner_agency="dscp", due_on="2022-03-31")
    rule = await refused(store, unknown, actor=DSCP)
    assert (rule.status, rule.field) == (422, "data.priority_id")
    assert not store.docs


async def test_only_the_owner_or_the_planner_reports_an_action(store):
    await ingest(store, *plan(), actor=DSCP)
    rule = await refused(store, step("started", "2021-10-04", agency=TRUST.agency), actor=TRUST)
    assert (rule.status, rule.field) == (403, "agency")
    await ingest(store, step("started", "2021-10-04", agency="dscp"), actor=DSCP)


async def test_a_kpi_value_from_numerator_and_denominator_is_computed_and_a_correction_keeps_count(store):
    await ingest(store, *plan()[:2], kpi(), actor=DSCP)
    await ingest(store, value(numerator=45, denominator=60), actor=DSCP)
    stored = store.docs[("kpi_values", "doncaster/gcp-compliance:2022-Q1:-")].state
    assert (stored["value"], stored["versions"]) == (75.0, 1)
    await ingest(store, value(value=72.5), actor=DSCP)
    stored = store.docs[("kpi_values", "doncaster/gcp-compliance:2022-Q1:-")].state
    assert (stored["value"], stored["versions"], stored["recorded_by"]) == (72.5, 2, "dscp")


async def test_a_value_is_recorded_by_the_kpis_definer_or_the_agency_it_is_for_and_corrected_by_its_recorder(store):
    await ingest(store, *plan()[:2], kpi(), actor=DSCP)
    not_theirs = await refused(store, value(agency=POLICE.agency, value=70), actor=POLICE)
    assert (not_theirs.status, not_theirs.field) == (403, "agency")
    police_value = new_event("strategy.kpi_value.recorded.v1",
                             {"kpi_id": "gcp-compliance", "period": "2022-Q1", "agency": POLICE.agency, "value": 70,
                              "source": "SYP Niche"}, partnership="doncaster", agency=POLICE.agency, source="/syp")
    await ingest(store, (police_value, parse_data(police_value)), actor=POLICE)
    correction = new_event("strategy.kpi_value.recorded.v1",
                           {"kpi_id": "gcp-compliance", "period": "2022-Q1", "agency": POLICE.agency, "value": 71,
                            "source": "DSCP"}, partnership="doncaster", agency="dscp", source="/dscp")
    rule = await refused(store, (correction, parse_data(correction)), actor=DSCP)
    assert (rule.status, rule.field) == (403, "agency")


async def test_a_value_for_a_period_the_kpi_does_not_measure_is_refused_naming_the_period(store):
    await ingest(store, *plan()[:2], kpi(), actor=DSCP)
    rule = await refused(store, value(period="2022-01", value=70), actor=DSCP)
    assert (rule.status, rule.field) == (422, "data.period")
    unknown = await refused(store, event("strategy.kpi_value.recorded.v1", kpi_id="nope", period="2022-Q1", value=1,
                                         source="x"), actor=DSCP)
    assert (unknown.status, unknown.field) == (422, "data.kpi_id")


def test_a_value_is_either_a_figure_or_a_fraction():
    with pytest.raises(ValueError, match="either value, or numerator and denominator"):
        value(value=70, numerator=1, denominator=2)
    with pytest.raises(ValueError, match="both numerator and denominator"):
        value(numerator=1)


async def test_an_ofsted_area_links_only_to_known_actions(store):
    await ingest(store, *plan(), actor=DSCP)
    area = dict(area_id="ofsted-2022-3", inspection="ofsted-ilacs-2022-02", inspected_on="2022-02-18", number=3,
                title="Thresholds")
    rule = await refused(store, event("strategy.ofsted_area.identified.v1", **area, action_ids=["priority-8-a"]),
                         actor=DSCP)
    assert (rule.status, rule.field) == (422, "data.action_ids")
    await ingest(store, event("strategy.ofsted_area.identified.v1", **area, action_ids=["priority-3-c"]), actor=DSCP)


async def test_a_fraction_beyond_any_range_is_refused_naming_the_denominator(store):
    await ingest(store, *plan()[:2], kpi(), actor=DSCP)
    rule = await refused(store, value(numerator=1e9, denominator=1e-300), actor=DSCP)
    assert (rule.status, rule.field) == (422, "data.denominator")


def published(store, kind, id, type_name):
    """The data of every `type_name` event on the aggregate's outbox, in order."""
    return [json.loads(e["value"])["data"] for e in store.docs[(kind, f"doncaster/{id}")].outbox
            if e["type"] == type_name]


def outbox_types(store, kind, id):
    return [e["type"].split(".", 1)[1] for e in store.docs[(kind, f"doncaster/{id}")].outbox]


STATE = "strategy.action_state.decided.v1"


async def test_after_each_plan_and_step_the_service_publishes_the_actions_state_beside_the_fact(store):
    await ingest(store, *plan(), actor=DSCP)
    await ingest(store, step("started", "2021-10-04"),
                 step("progress_reported", "2021-12-15", assessment="at_risk", note="Few partners attending",
                      evidence=[{"kind": "report", "ref": "child-matters-q3"}]),
                 step("completed", "2022-04-20", evidence=[]))
    assert outbox_types(store, "actions", "priority-3-c") == [
        "action.planned.v1", "action_state.decided.v1", "action.started.v1", "action_state.decided.v1",
        "action.progress_reported.v1", "action_state.decided.v1", "action.completed.v1", "action_state.decided.v1"]
    planned, started, reported, completed = published(store, "actions", "priority-3-c", STATE)
    assert (planned["revision"], planned["status"], planned["in_force_on"], planned["overdue_after"]) == (
        1, "not_started", None, "2022-03-31")
    assert (started["status"], started["in_force_on"], started["started_on"]) == ("on_track", "2021-10-04",
                                                                                "2021-10-04")
    assert (reported["status"], reported["assessment"], reported["evidenced"], reported["last_note"]) == (
        "at_risk", "at_risk", True, "Few partners attending")
    assert (completed["revision"], completed["status"], completed["overdue_after"], completed["evidenced"]) == (
        4, "complete_late", None, False)  # due 31 March, completed 20 April, with no evidence of its own


async def test_a_revised_plan_or_a_reopen_with_a_new_date_moves_the_due_date_in_force(store):
    await ingest(store, *plan(), actor=DSCP)
    await ingest(store, step("deferred", "2022-02-01", reason="Waiting for the SYP programme"))
    await ingest(store, step("reopened", "2022-04-10", reason="Back in the plan", due_on="2022-12-31"))
    revised = event("strategy.action.planned.v1", action_id="priority-3-c", priority_id="priority-3", letter="c",
                    title="Full multi-agency participation in the SYP programme",
                    owner_agency="south-yorkshire-police", due_on="2022-09-30")
    await ingest(store, revised, actor=DSCP)
    *_, reopened, replanned = published(store, "actions", "priority-3-c", STATE)
    assert (reopened["status"], reopened["due_on"], reopened["reopened"]) == ("not_started", "2022-12-31", 1)
    assert (replanned["after"], replanned["due_on"], replanned["in_force_on"]) == ("planned", "2022-09-30",
                                                                                 "2022-04-10")


KPI_SCHEDULE, KPI_FIGURE = "strategy.kpi_schedule.set.v1", "strategy.kpi_value.computed.v1"


async def test_a_kpi_definition_publishes_its_schedule_and_a_revision_sets_it_again(store):
    await ingest(store, *plan()[:2], kpi(), actor=DSCP)
    [first] = published(store, "kpis", "gcp-compliance", KPI_SCHEDULE)
    assert (first["revision"], first["compare"], first["unit"], first["period_type"]) == (1, "at_least", "percent",
                                                                                          "quarter")
    periods = {p["period"]: p for p in first["periods"]}
    assert periods["2021-Q4"]["due_on"] is None  # the baseline's quarter: an expectation, no value due
    q1 = periods["2022-Q1"]
    assert q1["due_on"] == "2022-04-30"  # 30 days after the quarter's end
    assert (round(q1["expectation"]["expected"], 2), round(q1["expectation"]["at_risk_from"], 2)) == (
        54.79, 52.05)  # 40 to 100 over 2022: 90 days of 365 in; at risk within 5% of that
    assert len([p for p in first["periods"] if p["due_on"]]) == 240
    assert first["after"] == {"expected": 100, "at_risk_from": 95.0}  # the target, once its date has passed
    assert first["before"] == {"expected": 40, "at_risk_from": 38.0}  # the baseline, before its date
    await ingest(store, kpi(trajectory="target_only", direction="higher_is_better", tolerance=10), actor=DSCP)
    _, revised = published(store, "kpis", "gcp-compliance", KPI_SCHEDULE)
    assert revised["revision"] == 2
    assert {p["period"]: p["expectation"] for p in revised["periods"]}["2022-Q1"] == {"expected": 100,
                                                                                     "at_risk_from": 90}


async def test_a_value_publishes_its_figure_and_a_correction_its_next_version(store):
    await ingest(store, *plan()[:2], kpi(), actor=DSCP)
    await ingest(store, value(numerator=45, denominator=60), actor=DSCP)
    await ingest(store, value(value=72.5), actor=DSCP)
    first, correction = published(store, "kpi_values", "gcp-compliance:2022-Q1:-", KPI_FIGURE)
    assert first == {"kpi_id": "gcp-compliance", "period": "2022-Q1", "agency": None, "period_type": "quarter",
                     "unit": "percent", "starts_on": "2022-01-01", "ends_on": "2022-03-31", "value": 75.0,
                     "version": 1, "source": "DCST case management system"}
    assert (correction["value"], correction["version"]) == (72.5, 2)


async def test_a_period_ending_after_2099_is_refused_naming_it(store):
    await ingest(store, *plan()[:2], kpi(period_type="year"), actor=DSCP)
    rule = await refused(store, value(period="2099-00", value=1), actor=DSCP)
    assert (rule.status, rule.field) == (422, "data.period")
