"""Worked examples of the status rules (docs/strategy.md): KPIs against their trajectory, actions, green without
evidence, and the Ofsted areas' roll-up, each at an as-of moment."""

from datetime import datetime

import pytest

from shared.strategy_status import (action_status, area_progress, expected_periods, expected_value, kpi_series,
                                    kpi_value, period_bounds, value_status)


def at(day: str, time: str = "23:00:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{time}+00:00")


YOUNG_CARERS = {"kpi_id": "young-carers", "unit": "count", "direction": "higher_is_better", "period_type": "quarter",
                "trajectory": "rate_per_period", "rate_per_period": 4.5, "baseline": {"value": 225, "on": "2022-03-31"}}
MEMBERS_0_2 = {"kpi_id": "members-0-2", "unit": "percent", "direction": "higher_is_better", "period_type": "quarter",
               "trajectory": "linear", "baseline": {"value": 60, "on": "2022-03-31"},
               "target": {"value": 75, "on": "2023-03-31"}, "tolerance": 2}
NEGLECT_REFERRALS = {"kpi_id": "neglect-referrals", "unit": "rate_per_10000", "direction": "lower_is_better",
                     "period_type": "year", "trajectory": "target_only", "target": {"value": 50, "on": "2023-03-31"}}


@pytest.mark.parametrize("ptype, label, start, end", [
    ("month", "2022-02", "2022-02-01", "2022-02-28"), ("quarter", "2022-Q1", "2022-01-01", "2022-03-31"),
    ("year", "2021-22", "2021-04-01", "2022-03-31")])
def test_a_period_is_a_month_a_calendar_quarter_or_a_financial_year(ptype, label, start, end):
    assert tuple(d.isoformat() for d in period_bounds(ptype, label)) == (start, end)


@pytest.mark.parametrize("ptype, label", [("month", "2021-22"), ("year", "2021-12"), ("quarter", "2022-01")])
def test_a_label_of_another_period_type_is_refused(ptype, label):
    with pytest.raises(ValueError, match="is not a"):
        period_bounds(ptype, label)


def test_young_carers_grow_4_5_percent_each_quarter_compounding_from_the_baseline():
    assert expected_value(YOUNG_CARERS, "2022-Q1") == 225
    assert round(expected_value(YOUNG_CARERS, "2022-Q2"), 3) == 235.125
    assert round(expected_value(YOUNG_CARERS, "2022-Q3"), 2) == 245.71


@pytest.mark.parametrize("value, status", [(250, "on_track"), (245.71, "on_track"), (240, "at_risk"),
                                           (233.43, "at_risk"), (230, "off_track")])
def test_a_value_within_5_percent_below_the_trajectory_is_at_risk_beyond_it_off_track(value, status):
    """2022-Q3 expects 245.71 young carers; 5% of that (12.29) is the default tolerance: 233.42 is the edge."""
    assert value_status(YOUNG_CARERS, value, expected_value(YOUNG_CARERS, "2022-Q3")) == status


def test_a_linear_trajectory_runs_from_baseline_to_target_and_a_stated_tolerance_applies():
    expected = expected_value(MEMBERS_0_2, "2022-Q2")  # 91 of 365 days: 60 + 15 x 91/365
    assert round(expected, 2) == 63.74
    assert value_status(MEMBERS_0_2, 62.0, expected) == "at_risk"  # 1.74 short, within the stated 2 points
    assert value_status(MEMBERS_0_2, 61.5, expected) == "off_track"
    assert expected_value(MEMBERS_0_2, "2023-Q2") == 75  # after the target date: the target


def test_lower_is_better_reverses_the_comparison():
    assert value_status(NEGLECT_REFERRALS, 48, 50) == "on_track"
    assert value_status(NEGLECT_REFERRALS, 52, 50) == "at_risk"
    assert value_status(NEGLECT_REFERRALS, 60, 50) == "off_track"
    assert value_status({**NEGLECT_REFERRALS, "target": None}, 60, None) == "no_target"


def test_a_percentage_from_numerator_and_denominator_and_a_rate_per_10000():
    assert kpi_value("percent", None, 45, 60) == 75.0
    assert kpi_value("rate_per_10000", None, 31, 62_000) == 5.0
    assert kpi_value("count", 111, None, None) == 111


def test_a_period_is_expected_30_days_after_it_ends():
    assert expected_periods(YOUNG_CARERS, at("2022-07-29").date()) == []
    assert expected_periods(YOUNG_CARERS, at("2022-07-30").date()) == ["2022-Q2"]


def fact(period, value, recorded, event_id, agency=None):
    return {"period": period, "value": value, "event_time": at(recorded, "12:00:00"), "event_id": event_id,
            "agency": agency, "source": "Family Hub records"}


def test_an_expected_period_with_no_value_is_missing_not_green():
    series = kpi_series(YOUNG_CARERS, [fact("2022-Q2", 240, "2022-07-10", "e1")], at("2022-10-31"))
    rows = series["series"][0]["rows"]
    assert [(r["period"], r["status"]) for r in rows] == [("2022-Q2", "on_track"), ("2022-Q3", "missing")]
    assert series["status"] == "missing"


def test_a_correction_replaces_the_value_from_when_it_was_recorded_and_keeps_the_earlier_one():
    values = [fact("2022-Q2", 220, "2022-07-10", "e1"), fact("2022-Q2", 236, "2022-08-01", "e2")]
    before = kpi_series(YOUNG_CARERS, values, at("2022-07-31"))["series"][0]["rows"][0]
    assert (before["value"], before["status"], before["superseded"]) == (220, "off_track", [])
    after = kpi_series(YOUNG_CARERS, values, at("2022-08-02"))["series"][0]["rows"][0]
    assert (after["value"], after["status"], after["event_id"]) == (236, "on_track", "e2")
    assert [s["value"] for s in after["superseded"]] == [220]


def test_per_agency_values_are_separate_series_and_the_kpi_takes_the_worst():
    values = [fact("2022-Q2", 250, "2022-07-10", "e1", "doncaster-council"),
              fact("2022-Q2", 200, "2022-07-10", "e2", "doncaster-childrens-services-trust")]
    series = kpi_series(YOUNG_CARERS, values, at("2022-07-31"))
    assert [(s["agency"], s["status"]) for s in series["series"]] == [
        ("doncaster-childrens-services-trust", "off_track"), ("doncaster-council", "on_track")]
    assert series["status"] == "off_track"


PLAN = {"due_on": "2022-03-31"}


DATE_FIELD = {"started": "started_on", "progress_reported": "reported_on", "completed": "completed_on",
              "deferred": "deferred_on", "reopened": "reopened_on"}


def steps(*items):
    """(step, date[, extra fields]) -> lifecycle facts, each recorded at noon on its own date."""
    return [{"event_id": f"e{i}", "event_time": at(day, "12:00:00"), "step": kind, DATE_FIELD[kind]: day,
             **(rest[0] if rest else {})} for i, (kind, day, *rest) in enumerate(items)]


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
    answer = action_status(PLAN, steps(*history), at(as_of))
    assert (answer["status"], answer["display"]) == (status, display)


def test_a_step_not_yet_happened_or_not_yet_recorded_does_not_count():
    history = steps(("completed", "2022-03-01", EVIDENCE))
    assert action_status(PLAN, history, at("2022-02-28"))["status"] == "not_started"
    late_record = [{**history[0], "event_time": at("2022-04-05")}]  # recorded after the as-of: not yet known
    assert action_status(PLAN, late_record, at("2022-04-01"))["status"] == "overdue"
    assert action_status(PLAN, late_record, at("2022-04-06"))["status"] == "complete_on_time"


def test_a_reopen_is_kept_and_the_new_due_date_applies():
    history = steps(("started", "2021-11-01"), ("completed", "2022-02-01", EVIDENCE),
                    ("reopened", "2022-02-10", {"due_on": "2022-06-30"}))
    answer = action_status(PLAN, history, at("2022-05-01"))
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


def test_a_value_whose_period_no_longer_fits_the_revised_kpi_is_not_shown():
    series = kpi_series({**YOUNG_CARERS, "period_type": "month"}, [fact("2022-Q2", 240, "2022-07-10", "e1")],
                        at("2022-07-01"))
    assert [(r["period"], r["value"]) for r in series["series"][0]["rows"]] == [("2022-04", None), ("2022-05", None)]
