"""Strategy tracking through the real services: owners' systems emit the plan, the action lifecycle and KPI
values to the strategy service; the read model answers every status rule at any as-of date, including a
KPI correction seen before and after it was recorded, and refuses what the state does not allow."""

import json
from datetime import datetime

from shared.events.envelope import new_event
from tests.harness import eventually

POLICE = "south-yorkshire-police"


def at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T12:00:00+00:00")


def ev(type_name, recorded, agency="dscp", **data):
    """An event recorded on `recorded` (its envelope time), as the owner's system would have sent it then."""
    return new_event(f"strategy.{type_name}.v1", data, partnership="doncaster", agency=agency,
                     source=f"/partners/{agency}/strategy", time=at(recorded))


def plan():
    return [
        ev("strategy.published", "2021-09-01", strategy_id="delivery-plan-2021-22", kind="delivery_plan",
           title="DSCP Delivery Plan 2021-22", starts_on="2021-04-01", ends_on="2022-03-31", owner_agency="dscp",
           owner_group="board"),
        ev("priority.published", "2021-09-01", priority_id="priority-3", strategy_id="delivery-plan-2021-22", number=3,
           title="A more effective multi-agency response to child neglect",
           success_measures=["100% compliance with use of Graded Care Profile when neglect identified"]),
        *[ev("action.planned", "2021-09-01", action_id=f"priority-3-{letter}", priority_id="priority-3", letter=letter,
             title=title, owner_agency=owner, owner_group=group, due_on=due)
          for letter, title, owner, group, due in (
              ("a", "Implement the NSPCC Graded Care Profile across the partnership", "dscp", "neglect-sub-group",
               "2022-03-31"),
              ("b", "Improve the analysis of risk in cases of long-term neglect", "dscp", "lqi-group", "2022-06-30"),
              ("c", "Ensure full multi-agency participation in the SYP programme", POLICE, None, "2022-03-31"),
              ("d", "Act on learning from the SYP analysis of historic neglect cases", POLICE, None, "2022-09-30"))],
        ev("kpi.defined", "2021-09-01", kpi_id="young-carers", title="Young carers supported",
           strategy_id="delivery-plan-2021-22", numerator="Young carers supported by the young carers team",
           unit="count", period_type="quarter", trajectory="rate_per_period", rate_per_period=4.5,
           baseline={"value": 225, "on": "2022-03-31"}),
        ev("kpi.defined", "2021-09-01", kpi_id="gcp-compliance", title="Graded Care Profile used when neglect found",
           priority_id="priority-3", numerator="Neglect cases with a GCP2 assessment",
           denominator="Cases where neglect was identified", unit="percent", period_type="quarter",
           trajectory="target_only", target={"value": 100, "on": "2022-03-31"}),
        ev("ofsted_area.identified", "2022-03-01", area_id="ofsted-2022-3", inspection="ofsted-ilacs-2022-02",
           inspected_on="2022-02-18", number=3, title="A shared understanding of thresholds",
           action_ids=["priority-3-a"], kpi_ids=["gcp-compliance"]),
        ev("ofsted_area.identified", "2022-03-01", area_id="ofsted-2022-5", inspection="ofsted-ilacs-2022-02",
           inspected_on="2022-02-18", number=5, title="Supervision and management oversight",
           action_ids=["priority-3-c"]),
    ]


def lifecycle():
    evidence = [{"kind": "audit", "ref": "gcp-audit-2022-02", "title": "GCP2 multi-agency audit"}]
    return {"dscp": [
        ev("action.started", "2021-10-04", action_id="priority-3-a", started_on="2021-10-04"),
        ev("action.progress_reported", "2021-12-15", action_id="priority-3-a", reported_on="2021-12-15",
           assessment="on_track", note="GCP2 champions trained", evidence=[{"kind": "document", "ref": "gcp-plan"}]),
        ev("action.completed", "2022-02-20", action_id="priority-3-a", completed_on="2022-02-20", evidence=evidence),
        ev("action.progress_reported", "2022-01-20", action_id="priority-3-b", reported_on="2022-01-20",
           assessment="at_risk", note="Audit capacity short"),
        ev("action.completed", "2022-07-15", action_id="priority-3-b", completed_on="2022-07-15"),
        ev("kpi_value.recorded", "2022-04-20", kpi_id="gcp-compliance", period="2022-Q1", numerator=45,
           denominator=60, source="DCST case management system"),
        ev("kpi_value.recorded", "2022-07-10", kpi_id="young-carers", period="2022-Q2", value=230,
           source="Young carers team records"),
        ev("kpi_value.recorded", "2022-08-05", kpi_id="young-carers", period="2022-Q2", value=240,
           source="Young carers team records (corrected: late registrations)"),
    ], POLICE: [
        ev("action.started", "2021-10-01", POLICE, action_id="priority-3-c", started_on="2021-10-01"),
        ev("action.progress_reported", "2022-01-10", POLICE, action_id="priority-3-c", reported_on="2022-01-10",
           assessment="on_track", note="Partners attending Child Matters"),
        ev("action.deferred", "2022-02-01", POLICE, action_id="priority-3-d", deferred_on="2022-02-01",
           reason="The historic case analysis moves to 2022-23"),
        ev("action.reopened", "2022-04-10", POLICE, action_id="priority-3-d", reopened_on="2022-04-10",
           reason="Analysts found; back in this plan", due_on="2022-12-31"),
    ]}


async def loaded(stack):
    dscp = await stack.key("dscp", ("strategy.*",))
    police = await stack.key(POLICE, ("strategy.action.*", "strategy.kpi_value.recorded.v1"))
    for events, key in ((plan(), dscp), (lifecycle()["dscp"], dscp), (lifecycle()[POLICE], police)):
        response = await stack.post(events, key, service="strategy")
        assert response.status_code == 202, response.text
    await stack.start_projector()
    await eventually(lambda: _has_value(stack))
    return dscp, police


async def _has_value(stack):
    """The read model has projected the last event sent (the correction)."""
    response = await stack.reporting.get("/p/doncaster/api/strategy/kpis/young-carers")
    if response.status_code != 200:
        return False
    series = response.json()["kpi"]["series"]
    since_the_plan = {"from": "2021-04-01"}  # as of now, over every year since the plan began
    actions = _actions(await stack.figures("strategy/scorecard", **since_the_plan))
    areas = (await stack.figures("strategy/ofsted", **since_the_plan))["areas"]
    return bool(series) and series[0]["rows"][0]["value"] == 240 and len(areas) == 2 and \
        sum(len(a["event_ids"]) for a in actions.values()) == 4 + 3 + 3 + 3


def _actions(scorecard):
    return {a["action_id"]: a for s in scorecard["strategies"] for p in s["priorities"] for a in p["actions"]}


async def test_each_action_status_and_green_without_evidence_at_dates_past_and_present(stack):
    await loaded(stack)
    january = _actions(await stack.figures("strategy/scorecard", as_of="2022-01-31"))
    assert {k: (a["status"], a["display"]) for k, a in january.items()} == {
        "priority-3-a": ("on_track", "green"),
        "priority-3-b": ("at_risk", "amber"),
        "priority-3-c": ("on_track", "green_without_evidence"),
        "priority-3-d": ("not_started", "grey")}
    april = await stack.figures("strategy/scorecard", as_of="2022-04-01", period="2021-22")  # the plan's own year
    assert {k: a["status"] for k, a in _actions(april).items()} == {
        "priority-3-a": "complete_on_time", "priority-3-b": "at_risk", "priority-3-c": "overdue",
        "priority-3-d": "deferred"}
    next_year = await stack.figures("strategy/scorecard", as_of="2022-04-01")  # 2022-23: the plan has ended
    assert _actions(next_year) == {}
    attention = (await stack.figures("strategy/actions/attention", as_of="2022-04-01"))["owners"]
    assert sorted(a["action_id"] for o in attention for kind in ("overdue", "at_risk") for a in o[kind]) == [
        "priority-3-b", "priority-3-c"]  # what it left unfinished needs attention still
    priority = april["strategies"][0]["priorities"][0]
    assert priority["counts"]["overdue"] == 1 and priority["counts"]["total"] == 4
    assert _actions(april)["priority-3-a"]["evidence"][0]["ref"] == "gcp-audit-2022-02"
    summer = _actions(await stack.figures("strategy/scorecard", as_of="2022-08-01", period="2021-22"))
    assert (summer["priority-3-b"]["status"], summer["priority-3-b"]["display"]) == (
        "complete_late", "green_without_evidence")  # due 30 June, completed 15 July, with no evidence
    assert (summer["priority-3-d"]["status"], summer["priority-3-d"]["reopened"], summer["priority-3-d"]["due_on"]) \
        == ("not_started", 1, "2022-12-31")  # deferred before it started; reopened in April with a new due date
    before_the_plan = await stack.figures("strategy/scorecard", as_of="2021-08-31")
    assert before_the_plan["strategies"] == [] and before_the_plan["as_of"].startswith("2021-08-31T22:59:59")


async def test_overdue_and_at_risk_actions_by_owner(stack):
    await loaded(stack)
    owners = (await stack.figures("strategy/actions/attention", as_of="2022-04-01"))["owners"]
    assert [(o["owner_agency"], o["owner_group"], [a["action_id"] for a in o["overdue"]],
             [a["action_id"] for a in o["at_risk"]]) for o in owners] == [
        ("dscp", "lqi-group", [], ["priority-3-b"]), (POLICE, None, ["priority-3-c"], [])]


async def test_a_kpi_correction_shows_only_from_when_it_was_recorded_and_a_due_period_without_a_value_is_missing(stack):
    await loaded(stack)
    july = (await stack.figures("strategy/kpis/young-carers", as_of="2022-07-31"))["kpi"]
    row = july["series"][0]["rows"][0]
    assert (row["period"], row["value"], row["expected"], row["status"], row["superseded"]) == (
        "2022-Q2", 230, 235.12, "at_risk", [])
    august = (await stack.figures("strategy/kpis/young-carers", as_of="2022-08-31"))["kpi"]
    row = august["series"][0]["rows"][0]
    assert (row["value"], row["status"], [s["value"] for s in row["superseded"]]) == (240, "on_track", [230])
    assert len(august["event_ids"]) == 3
    november = (await stack.figures("strategy/kpis/young-carers", as_of="2022-11-15"))["kpi"]
    assert [(r["period"], r["status"]) for r in november["series"][0]["rows"]] == [
        ("2022-Q2", "on_track"), ("2022-Q3", "missing")]
    assert november["status"] == "missing"


async def test_a_value_from_numerator_and_denominator_and_the_kpi_list(stack):
    await loaded(stack)
    listed = {k["kpi_id"]: k for k in (await stack.figures("strategy/kpis", as_of="2022-05-01",
                                                            period="2021-22"))["kpis"]}
    assert listed["gcp-compliance"]["latest"]["value"] == 75.0
    assert listed["gcp-compliance"]["status"] == "off_track"  # 75% against a standard of 100%
    assert listed["young-carers"]["status"] == "no_values"  # nothing due yet at 1 May 2022


async def test_ofsted_areas_roll_up_their_actions_and_kpis(stack):
    await loaded(stack)
    march = {a["area_id"]: a for a in (await stack.figures("strategy/ofsted", as_of="2022-03-15"))["areas"]}
    assert march["ofsted-2022-3"]["progress"] == "complete"  # 3-a complete with evidence; no GCP value due yet
    assert march["ofsted-2022-5"]["progress"] == "at_risk"  # 3-c on track, without evidence
    may = {a["area_id"]: a for a in (await stack.figures("strategy/ofsted", as_of="2022-05-31"))["areas"]}
    assert may["ofsted-2022-3"]["progress"] == "off_track"  # GCP compliance 75% against 100%
    assert may["ofsted-2022-5"]["progress"] == "off_track"  # 3-c overdue
    assert may["ofsted-2022-5"]["event_ids"][0]


async def test_refusals_name_the_field(stack):
    dscp, police = await loaded(stack)
    unknown = ev("action.planned", "2022-03-01", action_id="priority-9-a", priority_id="priority-9", title="x",
                 owner_agency="dscp", due_on="2022-03-31")
    response = await stack.post([unknown], dscp, service="strategy")
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"] == ["body", 0, "data", "priority_id"]
    again = ev("action.completed", "2022-03-01", action_id="priority-3-a", completed_on="2022-03-01")
    response = await stack.post([again], dscp, service="strategy")
    assert response.status_code == 409, response.text
    assert response.json()["errors"][0]["loc"] == ["body", 0, "data", "action_id"]
    not_theirs = ev("action.started", "2022-03-01", POLICE, action_id="priority-3-b", started_on="2022-03-01")
    response = await stack.post([not_theirs], police, service="strategy")
    assert response.status_code == 403 and response.json()["errors"][0]["loc"] == ["body", 0, "agency"]
    wrong_period = ev("kpi_value.recorded", "2022-03-01", kpi_id="young-carers", period="2022-03", value=1, source="x")
    response = await stack.post([wrong_period], dscp, service="strategy")
    assert response.status_code == 422 and response.json()["errors"][0]["loc"] == ["body", 0, "data", "period"]


async def test_the_service_publishes_what_it_decided_beside_each_fact_on_the_same_key(stack):
    await loaded(stack)
    sent = plan() + lifecycle()["dscp"] + lifecycle()[POLICE]
    decisions = [e for e in sent if e.type.startswith(("strategy.action.", "strategy.kpi."))
                 or e.type == "strategy.kpi_value.recorded.v1"]
    records = await stack.read_topic(f"{stack.prefix}strategy.events", expect=len(sent) + len(decisions))
    published = [(r.key.decode(), json.loads(r.value)) for r in records]
    facts = [(key, e) for key, e in published if not e["source"].startswith("/scp/")]
    decided = [(key, e) for key, e in published if e["source"] == "/scp/strategy"]
    assert len(facts) == len(sent) and len(decided) == len(decisions)  # one decision per action step, KPI or value
    for key, decision in decided:
        fact_key, fact = next((k, e) for k, e in facts if e["id"] == decision["causationid"])
        assert key == fact_key and decision["time"] == fact["time"]  # the fact's aggregate, the fact's moment
        assert published.index((key, decision)) > published.index((fact_key, fact))  # after it
    completed = next(e for _, e in decided if e["type"] == "strategy.action_state.decided.v1"
                     and e["data"]["action_id"] == "priority-3-a" and e["data"]["after"] == "completed")
    assert (completed["data"]["status"], completed["data"]["overdue_after"]) == ("complete_on_time", None)
    figure = next(e for _, e in decided if e["type"] == "strategy.kpi_value.computed.v1"
                  and e["data"]["kpi_id"] == "gcp-compliance")
    assert figure["data"]["value"] == 75.0  # 45 of 60, as a percentage
