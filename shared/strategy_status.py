"""The strategy status rules: pure functions of the recorded facts and an as-of moment (docs/strategy.md).

Shared by the strategy service (period names) and the reporting figures (every status), so both read a
period, a trajectory and a status the same way. No I/O. A fact counts at an as-of moment when it had
happened by then (its own date) and had been recorded by then (its event's time); a later correction
does not change what an earlier as-of shows.

Periods: `2022-01` a month; `2022-Q1` a calendar quarter (January to March); `2021-22` a financial
year (1 April 2021 to 31 March 2022). A period's value is due DUE_AFTER_DAYS after the period ends;
an expected period still without a value then is "missing".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from shared.calendar import (is_period, london_day, period_at, period_bounds, period_containing,  # noqa: F401
                             period_index)

DUE_AFTER_DAYS = 30  # a period's value is expected 30 days after the period ends
DEFAULT_TOLERANCE = 0.05  # at risk within 5% of the expected value (unless the KPI states its own tolerance)

# --- periods ---------------------------------------------------------------------------------------------

def _day(value: Any) -> date:
    return value if isinstance(value, date) and not isinstance(value, datetime) else date.fromisoformat(str(value)[:10])


def _moment(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def recorded_by(fact: Mapping[str, Any], as_of: datetime) -> bool:
    """Had the fact's event been recorded by the as-of moment?"""
    return _moment(fact["event_time"]) <= as_of


# --- KPIs ------------------------------------------------------------------------------------------------

def expected_value(kpi: Mapping[str, Any], period: str) -> float | None:
    """Where the trajectory says the KPI should be at the period's end; None when it gives no expectation.

    linear: from the baseline (at its date) to the target (at its date), in a straight line, then the target.
    rate_per_period: the baseline changed by rate_per_period percent each period, compounding, counted from the
    baseline's own period. target_only: the target, every period."""
    baseline, target, kind, ptype = kpi.get("baseline"), kpi.get("target"), kpi.get("trajectory"), kpi["period_type"]
    if kind == "rate_per_period":
        steps = period_index(ptype, period) - period_index(ptype, period_containing(ptype, _day(baseline["on"])))
        try:
            expected = baseline["value"] * (1 + kpi["rate_per_period"] / 100) ** steps
        except (OverflowError, ZeroDivisionError):  # centuries of growth, or -100% before the baseline
            return None
        return expected if abs(expected) < 1e15 else None
    if target is None:
        return None
    if kind == "target_only" or baseline is None:
        return target["value"]
    _, end = period_bounds(ptype, period)
    b_on, t_on = _day(baseline["on"]), _day(target["on"])
    if t_on <= b_on or end >= t_on:
        return target["value"]
    share = max(0.0, (end - b_on).days / (t_on - b_on).days)
    return baseline["value"] + (target["value"] - baseline["value"]) * share


def value_status(kpi: Mapping[str, Any], value: float, expected: float | None) -> str:
    """on_track: at or better than the trajectory; at_risk: worse, but within the tolerance; off_track: worse
    than that. The tolerance is the KPI's own (in its unit), or 5% of the expected value. no_target: nothing to
    compare with."""
    if expected is None:
        return "no_target"
    higher = kpi.get("direction", "higher_is_better") == "higher_is_better"
    shortfall = (expected - value) if higher else (value - expected)
    shortfall = round(shortfall, 9)
    if shortfall <= 0:
        return "on_track"
    tolerance = kpi.get("tolerance")
    tolerance = abs(expected) * DEFAULT_TOLERANCE if tolerance is None else tolerance
    return "at_risk" if shortfall <= round(tolerance, 9) else "off_track"


def first_expected_period(kpi: Mapping[str, Any]) -> str | None:
    """The first period a value is due for: the KPI's reporting_from, else the period after the baseline's."""
    ptype = kpi["period_type"]
    if kpi.get("reporting_from"):
        return kpi["reporting_from"]
    if kpi.get("baseline"):
        return period_at(ptype, period_index(ptype, period_containing(ptype, _day(kpi["baseline"]["on"]))) + 1)
    return None


def expected_periods(kpi: Mapping[str, Any], today: date) -> list[str]:
    """Periods whose value is due by `today` (their end plus DUE_AFTER_DAYS has passed)."""
    first, ptype = first_expected_period(kpi), kpi["period_type"]
    if first is None:
        return []
    periods, index = [], period_index(ptype, first)
    while True:
        label = period_at(ptype, index)
        if period_bounds(ptype, label)[1] + timedelta(days=DUE_AFTER_DAYS) > today or len(periods) >= 240:
            return periods
        periods.append(label)
        index += 1


def kpi_series(kpi: Mapping[str, Any], values: Iterable[Mapping[str, Any]], as_of: datetime) -> dict[str, Any]:
    """One KPI at the as-of moment: per agency (None: the partnership's own figure), one row per period with
    the value that stood then (the latest recorded by then), its expected value and status, and the earlier
    values it superseded; a due period without a value is "missing". The KPI's status is its latest period's
    (for several agencies, the worst of their latest periods)."""
    today, ptype = london_day(as_of), kpi["period_type"]
    visible = [v for v in values if recorded_by(v, as_of) and is_period(ptype, v["period"])
               and period_bounds(ptype, v["period"])[0] <= today]
    by_series: dict[str | None, dict[str, list[Mapping[str, Any]]]] = {}
    for v in sorted(visible, key=lambda v: (_moment(v["event_time"]), v["event_id"])):
        by_series.setdefault(v.get("agency"), {}).setdefault(v["period"], []).append(v)
    due = expected_periods(kpi, today)
    if not by_series and due:
        by_series[None] = {}
    series = []
    for agency, periods in sorted(by_series.items(), key=lambda kv: kv[0] or ""):
        rows = []
        for label in sorted(set(periods) | set(due), key=lambda p: period_index(ptype, p)):
            start, end = period_bounds(ptype, label)
            expected = expected_value(kpi, label)
            history = periods.get(label, [])
            target = (kpi.get("target") or {}).get("value")
            row: dict[str, Any] = {"period": label, "start": start.isoformat(), "end": end.isoformat(),
                                   "expected": _round(expected), "target": _round(target)}
            if history:
                current = history[-1]
                row.update(value=_round(current["value"]), status=value_status(kpi, current["value"], expected),
                           event_id=current["event_id"], source=current.get("source"),
                           superseded=[{"value": _round(h["value"]), "event_id": h["event_id"],
                                        "recorded_at": _moment(h["event_time"]).isoformat()} for h in history[:-1]])
            else:
                row.update(value=None, status="missing", event_id=None, source=None, superseded=[])
            rows.append(row)
        series.append({"agency": agency, "rows": rows, "status": rows[-1]["status"] if rows else "no_values"})
    status = worst([s["status"] for s in series], KPI_SEVERITY) if series else "no_values"
    return {"status": status, "series": series}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


KPI_SEVERITY = ("off_track", "missing", "at_risk", "on_track", "no_target", "no_values")


def worst(statuses: Sequence[str], order: Sequence[str]) -> str:
    return min(statuses, key=order.index)


# --- actions ---------------------------------------------------------------------------------------------

STEP_DATE = {"started": "started_on", "progress_reported": "reported_on", "completed": "completed_on",
             "deferred": "deferred_on", "reopened": "reopened_on"}


def action_status(plan: Mapping[str, Any], steps: Iterable[Mapping[str, Any]], as_of: datetime) -> dict[str, Any]:
    """An action at the as-of moment, from its plan (due_on) and its lifecycle steps that had happened and been
    recorded by then.

    not_started: nothing reported yet, and not yet due. on_track: started (or reported), not past due, and the
    latest report says on track. at_risk: the latest report says at risk or off track. overdue: past its due
    date and neither complete nor deferred. complete_on_time / complete_late: completed on or before / after
    the due date in force. deferred. A reopen puts a completed or deferred action back to in progress (or not
    started), with a new due date if given; it is counted in `reopened`.
    `evidenced`: the claim of green (on track, complete) has at least one evidence reference: a completion's own,
    or the latest progress report's. Green without it is shown as "green_without_evidence", never plain green.
    """
    today = london_day(as_of)
    due, started_on, state = _day(plan["due_on"]), None, "not_started"
    assessment, evidence, completed_on, reopened, last_note = None, [], None, 0, None
    for step in sorted(steps, key=lambda s: (_moment(s["event_time"]), s["event_id"])):
        on = _day(step[STEP_DATE[step["step"]]])
        if not recorded_by(step, as_of) or on > today:
            continue
        kind = step["step"]
        if kind in ("started", "progress_reported"):
            started_on = started_on or on
            state = "in_progress" if state in ("not_started", "in_progress") else state
            if kind == "progress_reported":
                assessment, evidence, last_note = step["assessment"], list(step.get("evidence") or []), step.get("note")
        elif kind == "completed":
            state, completed_on, evidence = "completed", on, list(step.get("evidence") or [])
        elif kind == "deferred":
            state = "deferred"
        elif kind == "reopened":
            state, completed_on, reopened = ("in_progress" if started_on else "not_started"), None, reopened + 1
            assessment, evidence = None, []
            due = _day(step["due_on"]) if step.get("due_on") else due
    if state == "completed":
        status = "complete_on_time" if completed_on <= due else "complete_late"
    elif state == "deferred":
        status = "deferred"
    elif today > due:
        status = "overdue"
    elif state == "not_started":
        status = "not_started"
    else:
        status = "at_risk" if assessment in ("at_risk", "off_track") else "on_track"
    green = status in ("on_track", "complete_on_time", "complete_late")
    return {"status": status, "due_on": due.isoformat(), "started_on": started_on and started_on.isoformat(),
            "completed_on": completed_on and completed_on.isoformat(), "assessment": assessment,
            "evidence": evidence, "evidenced": bool(evidence), "reopened": reopened, "last_note": last_note,
            "display": ("green" if evidence else "green_without_evidence") if green else DISPLAY[status]}


DISPLAY = {"not_started": "grey", "at_risk": "amber", "overdue": "red", "deferred": "grey"}
ACTION_STATUSES = ("overdue", "at_risk", "not_started", "on_track", "complete_late", "complete_on_time", "deferred")


# --- Ofsted areas ----------------------------------------------------------------------------------------

def area_progress(actions: Sequence[Mapping[str, Any]], kpis: Sequence[str]) -> str:
    """An Ofsted area's roll-up from its linked actions (action_status answers) and KPI statuses, first rule
    that applies:
    no_links: nothing linked. off_track: a linked action is overdue, or a linked KPI is off track.
    at_risk: a linked action is at risk, deferred, or green without evidence; or a KPI is at risk or missing.
    complete: every linked action is complete (with evidence), and every KPI with a status is on track.
    not_started: no linked action has started. on_track: otherwise (moving, with evidence)."""
    statuses = [a["status"] for a in actions]
    if not statuses and not kpis:
        return "no_links"
    if "overdue" in statuses or "off_track" in kpis:
        return "off_track"
    if any(s in ("at_risk", "deferred") for s in statuses) or any(a["display"] == "green_without_evidence"
                                                                    for a in actions) \
            or any(k in ("at_risk", "missing") for k in kpis):
        return "at_risk"
    if statuses and all(s.startswith("complete") for s in statuses):
        return "complete"
    if statuses and all(s == "not_started" for s in statuses):
        return "not_started"
    return "on_track"


# --- values from numerator and denominator ---------------------------------------------------------------

SCALE = {"percent": 100.0, "rate_per_10000": 10_000.0, "count": 1.0}


def kpi_value(unit: str, value: float | None, numerator: float | None, denominator: float | None) -> float:
    """The figure in the KPI's unit: as given, or numerator / denominator scaled (x100 for a percentage, x10,000
    for a rate per 10,000 children)."""
    if value is not None:
        return value
    return numerator / denominator * SCALE[unit]
