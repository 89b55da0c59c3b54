"""Worked examples of the status rules (docs/strategy.md), each at an as-of moment: KPIs against their trajectory,
actions, green without evidence, and the Ofsted areas' roll-up.

The strategy service decides (services.strategy.domain: a KPI's schedule and a value's figure, an action's state
after each step) and reporting compares what it is told with the as-of moment (services.reporting.figures.strategy):
each example runs through both, as the published decisions would carry it."""

from datetime import datetime

import pytest

from shared.calendar import london_day
from shared.events.strategy import ActionStateDecided, KpiScheduleSet, KpiValueComputed
from shared.write.rules import Actor
from services.reporting.figures.strategy import action_status, area_progress, judge, kpi_series, state_in_force
from services.strategy.domain.model import Action, computed, record_value
from services.strategy.domain.rules import expected_value, kpi_period_bounds, kpi_value, schedule


def at(day: str, time: str = "23:00:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{time}+00:00")


YOUNG_CARERS = {"kpi_id": "young-carers", "unit": "count", "direction": "higher_is_better", "period_type": "quarter",
                "trajectory": "rate_per_period", "rate_per_period": 4.5, "baseline": {"value": 225, "on": "2022-03-31"}}
MEMBERS_0_2 = {"kpi_id": "members-0-2", "unit": "percent", "direction": "higher_is_better", "period_type": "quarter",
               "trajectory": "linear", "baseline": {"value": 60, "on": "2022-03-31"},
               "target": {"value": 75, "on": "2023-03-31"}, "tolerance": 2}
NEGLECT_REFERRALS = {"kpi_id": "neglect-referrals", "unit": "rate_per_10000", "direction": "lower_is_better",
                     "period_type": "year", "trajectory": "target_only", "target": {"value": 50, "on": "2023-03-31"}}


def published_schedule(kpi: dict) -> dict:
    """The KPI's schedule as the service publishes it (strategy.kpi_schedule.set.v1)."""
    return KpiScheduleSet(kpi_id=kpi["kpi_id"], revision=1, **schedule(kpi)).model_dump(mode="json")


def status_of(kpi: dict, period: str, value: float) -> str:
    """A value's status as reporting compares it with its period's thresholds in the published schedule."""
    decided = published_schedule(kpi)
    [listed] = [p for p in decided["periods"] if p["period"] == period] or [{"expectation": decided["after"]}]
    return judge(decided["compare"], listed["expectation"], value)


@pytest.mark.parametrize("ptype, label, start, end", [
    ("month", "2022-02", "2022-02-01", "2022-02-28"), ("quarter", "2022-Q1", "2022-01-01", "2022-03-31"),
    ("year", "2021-22", "2021-04-01", "2022-03-31")])
def test_a_period_is_a_month_a_calendar_quarter_or_a_financial_year(ptype, label, start, end):
    assert tuple(d.isoformat() for d in kpi_period_bounds(ptype, label)) == (start, end)


@pytest.mark.parametrize("ptype, label", [("month", "2021-22"), ("year", "2021-12"), ("quarter", "2022-01")])
def test_a_label_of_another_period_type_is_refused(ptype, label):
    with pytest.raises(ValueError, match="is not a"):
        kpi_period_bounds(ptype, label)


def test_young_carers_grow_4_5_percent_each_quarter_compounding_from_the_baseline():
    assert expected_value(YOUNG_CARERS, "2022-Q1") == 225
    assert round(expected_value(YOUNG_CARERS, "2022-Q2"), 3) == 235.125
    assert round(expected_value(YOUNG_CARERS, "2022-Q3"), 2) == 245.71


@pytest.mark.parametrize("value, status", [(250, "on_track"), (245.71, "on_track"), (240, "at_risk"),
                                           (233.43, "at_risk"), (230, "off_track")])
def test_a_value_within_5_percent_below_the_trajectory_is_at_risk_beyond_it_off_track(value, status):
    """2022-Q3 expects 245.71 young carers; 5% of that (12.29) is the default tolerance: 233.42 is the edge."""
    assert status_of(YOUNG_CARERS, "2022-Q3", value) == status


def test_a_linear_trajectory_runs_from_baseline_to_target_and_a_stated_tolerance_applies():
    expected = expected_value(MEMBERS_0_2, "2022-Q2")  # 91 of 365 days: 60 + 15 x 91/365
    assert round(expected, 2) == 63.74
    assert status_of(MEMBERS_0_2, "2022-Q2", 62.0) == "at_risk"  # 1.74 short, within the stated 2 points
    assert status_of(MEMBERS_0_2, "2022-Q2", 61.5) == "off_track"
    assert expected_value(MEMBERS_0_2, "2023-Q2") == 75  # after the target date: the target


def test_lower_is_better_reverses_the_comparison():
    assert status_of(NEGLECT_REFERRALS, "2022-23", 48) == "on_track"
    assert status_of(NEGLECT_REFERRALS, "2022-23", 52) == "at_risk"
    assert status_of(NEGLECT_REFERRALS, "2022-23", 60) == "off_track"
    assert status_of({**NEGLECT_REFERRALS, "target": None}, "2022-23", 60) == "no_target"


def test_a_percentage_from_numerator_and_denominator_and_a_rate_per_10000():
    assert kpi_value("percent", None, 45, 60) == 75.0
    assert kpi_value("rate_per_10000", None, 31, 62_000) == 5.0
    assert kpi_value("count", 111, None, None) == 111


def test_a_period_is_expected_30_days_after_it_ends():
    decided = published_schedule(YOUNG_CARERS)
    due = {p["period"]: p["due_on"] for p in decided["periods"]}
    assert due["2022-Q1"] is None  # the baseline's own quarter: listed for its expectation, never due
    assert due["2022-Q2"] == "2022-07-30"
    assert kpi_series(YOUNG_CARERS, decided, [], at("2022-07-29", "12:00:00"))["series"] == []
    assert [r["period"] for r in kpi_series(YOUNG_CARERS, decided, [], at("2022-07-30", "12:00:00"))["series"][0]["rows"]] == [
        "2022-Q2"]


def fact(period, value, recorded, event_id, agency=None, kpi=YOUNG_CARERS, earlier=None):
    """A value as the service records and publishes it (strategy.kpi_value.computed.v1), as reporting keeps it."""
    state = record_value({**kpi, "published_by": "doncaster-council"}, earlier, period, agency, value, None, None,
                         Actor("doncaster-council"))
    published = KpiValueComputed(**computed(kpi, state, "Family Hub records")).model_dump(mode="json")
    return {**published, "event_time": at(recorded, "12:00:00"), "fact_id": event_id}, state


def series(kpi, values, as_of):
    return kpi_series(kpi, published_schedule(kpi), values, as_of)


def test_an_expected_period_with_no_value_is_missing_not_green():
    value, _ = fact("2022-Q2", 240, "2022-07-10", "e1")
    answer = series(YOUNG_CARERS, [value], at("2022-10-31"))
    rows = answer["series"][0]["rows"]
    assert [(r["period"], r["status"]) for r in rows] == [("2022-Q2", "on_track"), ("2022-Q3", "missing")]
    assert answer["status"] == "missing"


def test_a_correction_replaces_the_value_from_when_it_was_recorded_and_keeps_the_earlier_one():
    first, state = fact("2022-Q2", 220, "2022-07-10", "e1")
    correction, _ = fact("2022-Q2", 236, "2022-08-01", "e2", earlier=state)
    assert (first["version"], correction["version"]) == (1, 2)
    recorded_by_july = [first]  # reporting reads what was recorded by the as-of moment
    before = series(YOUNG_CARERS, recorded_by_july, at("2022-07-31"))["series"][0]["rows"][0]
    assert (before["value"], before["status"], before["superseded"]) == (220, "off_track", [])
    after = series(YOUNG_CARERS, [first, correction], at("2022-08-02"))["series"][0]["rows"][0]
    assert (after["value"], after["status"], after["event_id"]) == (236, "on_track", "e2")
    assert [s["value"] for s in after["superseded"]] == [220]


def test_per_agency_values_are_separate_series_and_the_kpi_takes_the_worst():
    values = [fact("2022-Q2", 250, "2022-07-10", "e1", "doncaster-council")[0],
              fact("2022-Q2", 200, "2022-07-10", "e2", "doncaster-childrens-services-trust")[0]]
    answer = series(YOUNG_CARERS, values, at("2022-07-31"))
    assert [(s["agency"], s["status"]) for s in answer["series"]] == [
        ("doncaster-childrens-services-trust", "off_track"), ("doncaster-council", "on_track")]
    assert answer["status"] == "off_track"


DATE_FIELD = {"started": "started_on", "progress_reported": "reported_on", "completed": "completed_on",
              "deferred": "deferred_on", "reopened": "reopened_on"}


def decided(*items, due_on="2022-03-31"):
    """(step, date[, extra fields]) applied by the service to an action planned due `due_on`: its published states
    (strategy.action_state.decided.v1), each recorded at noon on its own date (the plan before them all)."""
    action = Action("priority-3-c", "priority-3", "dscp", due_on, planned_by="dscp")
    states = [{**ActionStateDecided(**action.decided()).model_dump(mode="json"), "event_time": at("2021-09-01")}]
    for kind, day, *rest in items:
        extra = dict(rest[0]) if rest else {}
        action.step(kind, datetime.fromisoformat(day).date(), Actor("dscp"), extra.get("due_on"),
                    assessment=extra.get("assessment"), note=extra.get("note"), evidence=extra.get("evidence"))
        states.append({**ActionStateDecided(**action.decided()).model_dump(mode="json"),
                       "event_time": at(day, "12:00:00")})
    return states


def status_at(states, as_of: datetime) -> dict:
    """What reporting shows on the as-of day, of the states recorded by the as-of moment."""
    day = london_day(as_of).isoformat()
    return action_status(state_in_force([s for s in states if s["event_time"] <= as_of], day), day)


EVIDENCE = {"evidence": [{"kind": "audit", "ref": "audit-2022-01"}]}


@pytest.mark.parametrize("history, as_of, status, display", [
    ((), "2022-01-01", "not_started", "grey"),
    ((), "2022-04-01", "overdue", "red"),
    ((("started", "2021-11-01"),), "2022-01-01", "on_track", "green_without_evidence"),
    ((("started", "2021-11-01"), ("progress_reported", "2021-12-01", {"assessment": "on_track", **EVIDENCE})),
     "2022-01-01", "on_track", "green"),
    ((("progress_reported", "2021-12-01", {"assessment": "at_risk"}),), "2022-01-01", "at_risk", "amber"),
    ((("started", "2021-11-01"),), "2022-04-01", "overdue", "red"),
    ((("completed", "2022-03-01", EVIDENCE),), "2022-04-01", "complete_on_time", "green"),
    ((("completed", "2022-04-20"),), "2022-05-01", "complete_late", "green_without_evidence"),
    ((("deferred", "2022-02-01", {"reason": "r"}),), "2022-05-01", "deferred", "grey"),
    ((("completed", "2022-02-01"), ("reopened", "2022-02-10", {"due_on": "2022-06-30"})), "2022-05-01",
     "not_started", "grey"),
])
def test_an_actions_status_at_an_as_of_date(history, as_of, status, display):
    answer = status_at(decided(*history), at(as_of))
    assert (answer["status"], answer["display"]) == (status, display)


def test_a_step_not_yet_happened_or_not_yet_recorded_does_not_count():
    states = decided(("completed", "2022-03-01", EVIDENCE))
    assert status_at(states, at("2022-02-28"))["status"] == "not_started"
    late_record = [states[0], {**states[1], "event_time": at("2022-04-05")}]  # recorded after the as-of: not known
    assert status_at(late_record, at("2022-04-01"))["status"] == "overdue"
    assert status_at(late_record, at("2022-04-06"))["status"] == "complete_on_time"
    before_its_date = [states[0], {**states[1], "event_time": at("2022-02-01")}]  # recorded ahead of its date
    assert status_at(before_its_date, at("2022-02-15"))["status"] == "not_started"


def test_a_reopen_is_kept_and_the_new_due_date_applies():
    states = decided(("started", "2021-11-01"), ("completed", "2022-02-01", EVIDENCE),
                     ("reopened", "2022-02-10", {"due_on": "2022-06-30"}))
    answer = status_at(states, at("2022-05-01"))
    assert (answer["status"], answer["reopened"], answer["due_on"]) == ("on_track", 1, "2022-06-30")


def a(status, display="green"):
    return {"status": status, "display": display}


@pytest.mark.parametrize("actions, kpis, progress", [
    ([], [], "no_links"),
    ([a("on_track"), a("overdue", "red")], ["on_track"], "off_track"),
    ([a("on_track")], ["off_track"], "off_track"),
    ([a("on_track", "green_without_evidence")], [], "at_risk"),
    ([a("complete_on_time")], ["missing"], "at_risk"),
    ([a("deferred", "grey")], [], "at_risk"),
    ([a("complete_on_time"), a("complete_late")], ["on_track"], "complete"),
    ([a("not_started", "grey")], [], "not_started"),
    ([a("complete_on_time"), a("on_track")], ["no_target"], "on_track"),
])
def test_an_ofsted_area_rolls_up_its_actions_and_kpis(actions, kpis, progress):
    assert area_progress(actions, kpis) == progress


def test_a_trajectory_that_grows_beyond_any_number_gives_no_expectation_rather_than_an_error():
    kpi = {**YOUNG_CARERS, "period_type": "month", "rate_per_period": 1000,
           "baseline": {"value": 1, "on": "1970-01-31"}}
    assert expected_value(kpi, "2099-12") is None
    assert all(p["expectation"] is None for p in published_schedule(kpi)["periods"][-200:])


def test_a_value_whose_period_no_longer_fits_the_revised_kpi_is_not_shown():
    value, _ = fact("2022-Q2", 240, "2022-07-10", "e1")  # recorded when the KPI was quarterly
    answer = series({**YOUNG_CARERS, "period_type": "month"}, [value], at("2022-07-01"))
    assert [(r["period"], r["value"]) for r in answer["series"][0]["rows"]] == [("2022-04", None), ("2022-05", None)]
