"""Stories of the strategy service's rules, against the in-memory aggregate store: the action lifecycle,
KPI values from numerator and denominator, corrections, and what is refused naming its field."""

import pytest

from shared.aggregates import KeyedLocks, MemoryAggregateStore, UnitOfWork
from shared.events.catalogue import parse_data
from shared.events.envelope import new_event
from shared.handling import EventRefused, ingest as ingest_events
from shared.identities import MemoryIdentities
from shared.rules import Actor
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
    await ingest(store, step("completed", "2022-03-01"))
    await ingest(store, step("reopened", "2022-03-10", reason="Audit found GCP2 not used", due_on="2022-06-30"))
    reopened = action(store)
    assert (reopened["state"], reopened["reopened"], reopened["due_on"]) == ("in_progress", 1, "2022-06-30")
    await ingest(store, step("completed", "2022-06-01"))
    assert action(store)["state"] == "completed"


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
