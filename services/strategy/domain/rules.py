"""The strategy service's KPI rules: a value's figure, a period's expected value and status thresholds, and the
schedule of periods a value is due for (docs/strategy.md). Pure, no I/O; only the strategy service imports it.

The service publishes what these decide (shared.events.strategy: `KpiScheduleSet`, `KpiValueComputed`); readers
compare a value with its period's thresholds and a due day with an as-of day, and never work these out again.

Periods (shared.calendar): `2022-01` a month; `2022-Q1` a calendar quarter (January to March); `2021-22` a financial
year, 1 April to 31 March, whatever the partnership's own reporting year: KPIs are the national returns, kept by
financial year. A period's value is due DUE_AFTER_DAYS after the period ends.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from shared.calendar import APRIL, period_at, period_bounds, period_containing, period_index

FINANCIAL_YEAR = APRIL  # a KPI's year runs from 1 April (the financial year), not from the partnership's year start
DUE_AFTER_DAYS = 30  # a period's value is expected 30 days after the period ends
DEFAULT_TOLERANCE = 0.05  # at risk within 5% of the expected value (unless the KPI states its own tolerance)
DUE_PERIODS = 240  # at most this many periods are expected, from the first
LEAD_IN = 120  # at most this many periods are listed before the first expected one (from the baseline's)
SCALE = {"percent": 100.0, "rate_per_10000": 10_000.0, "count": 1.0}
FIRST_DAY, LAST_DAY = date(1970, 1, 1), date(2099, 12, 31)  # the days an event can name (shared.events.base.Day)


def _day(value: Any) -> date:
    return value if isinstance(value, date) and not isinstance(value, datetime) else date.fromisoformat(str(value)[:10])


def kpi_period_bounds(period_type: str, label: str) -> tuple[date, date]:
    """A KPI period's first and last day; ValueError when the label is not a period of that type."""
    return period_bounds(period_type, label, FINANCIAL_YEAR)


def _containing(period_type: str, day: date) -> int:
    return period_index(period_type, period_containing(period_type, day, FINANCIAL_YEAR))


# --- values from numerator and denominator ---------------------------------------------------------------

def kpi_value(unit: str, value: float | None, numerator: float | None, denominator: float | None) -> float:
    """The figure in the KPI's unit: as given, or numerator / denominator scaled (x100 for a percentage, x10,000
    for a rate per 10,000 children)."""
    if value is not None:
        return value
    return numerator / denominator * SCALE[unit]


# --- the trajectory --------------------------------------------------------------------------------------

def expected_value(kpi: Mapping[str, Any], period: str) -> float | None:
    """Where the trajectory says the KPI should be at the period's end; None when it gives no expectation.

    linear: from the baseline (at its date) to the target (at its date), in a straight line, then the target.
    rate_per_period: the baseline changed by rate_per_period percent each period, compounding, counted from the
    baseline's own period. target_only: the target, every period."""
    baseline, target, kind, ptype = kpi.get("baseline"), kpi.get("target"), kpi.get("trajectory"), kpi["period_type"]
    if kind == "rate_per_period":
        steps = period_index(ptype, period) - _containing(ptype, _day(baseline["on"]))
        try:
            expected = baseline["value"] * (1 + kpi["rate_per_period"] / 100) ** steps
        except (OverflowError, ZeroDivisionError):  # centuries of growth, or -100% before the baseline
            return None
        return expected if abs(expected) < 1e15 else None
    if target is None:
        return None
    if kind == "target_only" or baseline is None:
        return target["value"]
    _, end = kpi_period_bounds(ptype, period)
    b_on, t_on = _day(baseline["on"]), _day(target["on"])
    if t_on <= b_on or end >= t_on:
        return target["value"]
    share = max(0.0, (end - b_on).days / (t_on - b_on).days)
    return baseline["value"] + (target["value"] - baseline["value"]) * share


def expectation(kpi: Mapping[str, Any], expected: float | None) -> dict[str, float] | None:
    """What a value is compared with, given the expected value: on track at or better than it (higher or lower, by
    the KPI's direction); at risk when worse by no more than the tolerance (the KPI's own, in its unit, or 5% of
    the expected value); off track beyond. None: no expectation (no_target)."""
    if expected is None:
        return None
    tolerance = kpi.get("tolerance")
    tolerance = abs(expected) * DEFAULT_TOLERANCE if tolerance is None else tolerance
    higher = kpi.get("direction", "higher_is_better") == "higher_is_better"
    return {"expected": expected, "at_risk_from": expected - tolerance if higher else expected + tolerance}


def compare(kpi: Mapping[str, Any]) -> str:
    """How a value meets its thresholds: at least them where higher is better, at most where lower is."""
    return "at_least" if kpi.get("direction", "higher_is_better") == "higher_is_better" else "at_most"


# --- the schedule ----------------------------------------------------------------------------------------

def first_expected_period(kpi: Mapping[str, Any]) -> str | None:
    """The first period a value is due for: the KPI's reporting_from, else the period after the baseline's."""
    ptype = kpi["period_type"]
    if kpi.get("reporting_from"):
        return kpi["reporting_from"]
    if kpi.get("baseline"):
        return period_at(ptype, _containing(ptype, _day(kpi["baseline"]["on"])) + 1)
    return None


def _ramp(kpi: Mapping[str, Any]) -> tuple[int, int] | None:
    """For a linear trajectory from a baseline to a later target: the periods holding its two dates."""
    baseline, target = kpi.get("baseline"), kpi.get("target")
    if kpi.get("trajectory") != "linear" or not baseline or not target:
        return None
    b_on, t_on = _day(baseline["on"]), _day(target["on"])
    if t_on <= b_on:
        return None
    return _containing(kpi["period_type"], b_on), _containing(kpi["period_type"], t_on)


def _outside(kpi: Mapping[str, Any], side: str, edge: int | None) -> dict[str, float] | None:
    """What holds for every period before (side "before") or after the listed ones, whose first or last is `edge`
    (None: nothing listed), when the trajectory is the same for all of them; else None (no expectation).

    target_only, or no baseline: the target (or nothing) everywhere. linear: the baseline before the baseline's
    period, the target after the target's. rate_per_period changes every period: nothing is expected outside."""
    if kpi.get("trajectory") == "rate_per_period":
        return None
    ramp = _ramp(kpi)
    if ramp is None:  # the same expectation for every period
        target = kpi.get("target")
        return expectation(kpi, target["value"] if target else None)
    if edge is None:
        return None
    b_index, t_index = ramp
    if side == "before" and edge <= b_index:  # every period before ends before the baseline's date: the baseline
        return expectation(kpi, expected_value(kpi, period_at(kpi["period_type"], edge - 1)))
    if side == "after" and edge >= t_index:  # every period after ends after the target's date: the target
        return expectation(kpi, kpi["target"]["value"])
    return None


def schedule(kpi: Mapping[str, Any]) -> dict[str, Any]:
    """The KPI's schedule (shared.events.strategy.KpiScheduleSet, less its kpi_id and revision): the periods from
    up to LEAD_IN before the first expected one (LEAD_IN for a rate_per_period trajectory, from the baseline's period
    for a linear one) to the last expected one (DUE_PERIODS in all; none outside 1970 to 2099), each with its bounds, the day its value
    falls due (none before the first expected period, or after 2099) and its thresholds; and what holds before and
    after them."""
    ptype = kpi["period_type"]
    first = first_expected_period(kpi)
    periods: list[dict[str, Any]] = []
    if first is not None:
        due_from = period_index(ptype, first)
        starts = [due_from]
        if kpi.get("trajectory") == "rate_per_period":  # counted back from the baseline, too: as far as is listed
            starts.append(due_from - LEAD_IN)
        elif kpi.get("trajectory") == "linear" and kpi.get("baseline"):  # from the baseline's period
            starts.append(_containing(ptype, _day(kpi["baseline"]["on"])))
        for index in range(max(min(starts), due_from - LEAD_IN), due_from + DUE_PERIODS):
            label = period_at(ptype, index)
            start, end = kpi_period_bounds(ptype, label)
            if start < FIRST_DAY or end > LAST_DAY:  # no event names a day outside 1970-2099
                continue
            due = end + timedelta(days=DUE_AFTER_DAYS)
            periods.append({"period": label, "starts_on": start.isoformat(), "ends_on": end.isoformat(),
                            "due_on": due.isoformat() if index >= due_from and due <= LAST_DAY else None,
                            "expectation": expectation(kpi, expected_value(kpi, label))})
    first_listed = period_index(ptype, periods[0]["period"]) if periods else None
    last_listed = period_index(ptype, periods[-1]["period"]) if periods else None
    return {"period_type": ptype, "unit": kpi["unit"], "compare": compare(kpi), "periods": periods,
            "before": _outside(kpi, "before", first_listed), "after": _outside(kpi, "after", last_listed)}
