"""The strategy figures for a partnership at an as-of moment, from the read model's histories (one record per
event, services.reporting.projections.strategy): the facts partners sent, and what the strategy service decided
from them.

`load` reads each entity collection once (the entities that can bear on the period: shared.read.entities), keeps
the records recorded by the as-of moment, and builds a `Snapshot`: the latest
definition of each strategy, priority, action plan, KPI and Ofsted area, each action's state in force and each
KPI's series. The figures (`scorecard`, `attention`, `ofsted`, and `kpis_shown`) are pure functions of it.

What a period shows: every strategy or plan published by the as-of moment that had not ended before the period
began (those running in it, and those published to start after it), with its priorities, the actions not already
finished when the period began, and its KPIs; every action needing attention, whichever plan it is of (one left
unfinished when its plan ended is overdue until it is closed); the
KPIs of no strategy; and every Ofsted area identified by then, with whatever it links to. A KPI's own series is
its whole history to the as-of day.

Nothing here works a rule out. The strategy service decided each action's status, due date and evidence
(`strategy.action_state.decided.v1`), each KPI's schedule: its periods, their due days and status thresholds
(`strategy.kpi_schedule.set.v1`), and each value's figure (`strategy.kpi_value.computed.v1`). Here they are
compared with the as-of moment and day (the latest decision recorded by then, dates on or before the day, a value
against its period's thresholds), grouped, counted, rolled up and presented. Joins are done here in Python
($lookup is not in the subset FerretDB serves). Every row names the events behind it (`event_ids`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from datetime import datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from services.reporting.projections import read_for
from services.reporting.projections.source import recorded_order
from services.reporting.projections.strategy import (ACTION_STATES, ACTIONS, AREAS, ENTITY_OF, KPI_FIGURES,
                                                     KPI_SCHEDULES, KPIS, PLANS, unpack)
from services.reporting.projections.strategy import SOURCES as READ
from shared.calendar import Period, day_before, london_day
from shared.read import entities

DROP = {"_id", "partnership"}  # a record's fields the figures do not read
ENTITIES = tuple(dict.fromkeys(ENTITY_OF.values()))  # the entity collections, each read once
KEPT_AS = tuple(ENTITY_OF)  # the kinds of record the figures read
SOURCES = READ  # the event types these figures are computed from

ACTION_STATUSES = ("overdue", "at_risk", "not_started", "on_track", "complete_late", "complete_on_time", "deferred")
GREEN = ("on_track", "complete_on_time", "complete_late")  # shown green, or green without evidence
DISPLAY = {"not_started": "grey", "at_risk": "amber", "overdue": "red", "deferred": "grey"}
FINISHED = ("complete_on_time", "complete_late", "deferred")
KPI_SEVERITY = ("off_track", "missing", "at_risk", "on_track", "no_target", "no_values")  # the worst first


@dataclass
class Facts:
    """What was recorded by the as-of moment: the latest definition of each thing, every history, and what the
    strategy service decided."""

    strategies: dict[str, dict] = field(default_factory=dict)
    priorities: dict[str, dict] = field(default_factory=dict)
    plans: dict[str, dict] = field(default_factory=dict)  # action_id -> its latest plan
    steps: dict[str, list[dict]] = field(default_factory=dict)  # action_id -> lifecycle steps
    states: dict[str, list[dict]] = field(default_factory=dict)  # action_id -> its decided states
    kpis: dict[str, dict] = field(default_factory=dict)
    schedules: dict[str, dict] = field(default_factory=dict)  # kpi_id -> its latest schedule, periods packed
    values: dict[str, list[dict]] = field(default_factory=dict)  # kpi_id -> the figures of its values and corrections
    areas: dict[str, dict] = field(default_factory=dict)


@dataclass
class Snapshot:
    """The figures' one input: the facts at the as-of moment, with each action's row and each KPI's row worked
    out once."""

    partnership: str
    as_of: datetime
    facts: Facts
    actions: dict[str, dict]
    kpis: dict[str, dict]
    period: Period | None = None

    def strategies(self) -> list[dict]:
        """The strategies and plans the period shows, in the order they were first published: those not ended
        before it began (every one, without a period)."""
        began = self.period.first.isoformat() if self.period else ""
        return sorted((s for s in self.facts.strategies.values() if s["ends_on"] >= began),
                      key=lambda s: (s["first_event_time"], s["strategy_id"]))

    def strategy_of_priority(self, priority_id: str | None) -> str | None:
        priority = self.facts.priorities.get(priority_id) if priority_id else None
        return priority["strategy_id"] if priority else None

    @cached_property
    def _shown(self) -> set[str]:
        return {s["strategy_id"] for s in self.strategies()}

    def shows_strategy(self, strategy_id: str | None) -> bool:
        return strategy_id is not None and strategy_id in self._shown


_order = recorded_order


async def _records(db: AsyncDatabase, partnership: str, as_of: datetime, period: Period | None) -> dict[str, list[dict]]:
    """Each kind of record (by the collection it is kept as) recorded by `as_of`, in recorded order, of the
    entities that can bear on the period (shared.read.entities): the strategies filed under its years and after,
    with their priorities; the actions filed so, and those still open; every KPI and Ofsted area."""
    found = await read_for(db, partnership, period, {c: c != PLANS for c in ENTITIES})
    return kept(entities.records_of(d for docs in found.values() for d in docs), partnership, as_of)


def kept(records: list[dict], partnership: str, as_of: datetime) -> dict[str, list[dict]]:
    """The records of `partnership` recorded by `as_of`, by the kind they are kept as, in recorded order (pure)."""
    found: dict[str, list[dict]] = {}
    for record in records:
        if record["event_time"] <= as_of and record["partnership"] == partnership:
            found.setdefault(record["kept_as"], []).append(
                {k: v for k, v in record.items() if k not in DROP and k != "kept_as"})
    return {c: sorted(found.get(c, []), key=_order) for c in KEPT_AS}


def _latest(docs: list[dict], key: str) -> dict[str, dict]:
    """The standing version of each definition: the latest event for its id (docs are in recorded order)."""
    latest: dict[str, dict] = {}
    first: dict[str, datetime] = {}  # when each was first published: the scorecard's order
    for doc in docs:
        first.setdefault(doc[key], doc["event_time"])
        latest[doc[key]] = {**doc, "first_event_time": first[doc[key]]}
    return latest


def _group(docs: list[dict], key: str) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for doc in docs:
        grouped.setdefault(doc[key], []).append(doc)
    return grouped


async def load(db: AsyncDatabase, partnership: str, as_of: datetime, period: Period | None = None) -> Snapshot:
    """Everything the strategy figures read for the period (every entity without one), each entity collection
    once, as recorded by the as-of moment."""
    return snapshot(partnership, as_of, facts_of(await _records(db, partnership, as_of, period)), period)


def facts_of(docs: dict[str, list[dict]]) -> Facts:
    """The facts from each kind of record, in recorded order (pure)."""
    facts = Facts()
    plans = docs[PLANS]
    facts.strategies = _latest([d for d in plans if d["record"] == "strategy"], "strategy_id")
    facts.priorities = _latest([d for d in plans if d["record"] == "priority"], "priority_id")
    actions = docs[ACTIONS]
    facts.plans = _latest([d for d in actions if d["step"] == "planned"], "action_id")
    facts.steps = _group([d for d in actions if d["step"] != "planned"], "action_id")
    facts.states = _group(docs[ACTION_STATES], "action_id")
    facts.kpis = _latest(docs[KPIS], "kpi_id")
    for kpi_id, schedules in _group(docs[KPI_SCHEDULES], "kpi_id").items():
        latest = max(schedules, key=lambda s: s["revision"])
        facts.schedules[kpi_id] = latest  # its periods unpacked only for a KPI shown (`kpis`)
    facts.values = _group(docs[KPI_FIGURES], "kpi_id")
    facts.areas = _latest(docs[AREAS], "area_id")
    return facts


def snapshot(partnership: str, as_of: datetime, facts: Facts, period: Period | None = None) -> Snapshot:
    """The snapshot of these facts at the as-of moment, for the period (pure: `load` reads, this compares): every
    action it shows, and the KPIs it shows or an Ofsted area links to, each worked out once."""
    snap = Snapshot(partnership, as_of, facts, actions(facts, as_of, period), {}, period)
    wanted = {k for k, kpi in facts.kpis.items() if _shown(snap, kpi)} | \
        {k for area in facts.areas.values() for k in area["kpi_ids"]}
    snap.kpis = kpis(facts, as_of, wanted)
    return snap


# --- actions ---------------------------------------------------------------------------------------------

def state_in_force(states: Sequence[Mapping[str, Any]], day: str) -> Mapping[str, Any] | None:
    """The action's state on `day` (ISO) as the strategy service decided it: of its decisions recorded by the as-of
    moment, the latest (highest revision) in force by that day."""
    in_force = [s for s in states if s["in_force_on"] is None or s["in_force_on"] <= day]
    return max(in_force, key=lambda s: s["revision"]) if in_force else None


def action_status(state: Mapping[str, Any], day: str) -> dict[str, Any]:
    """An action's status on `day`: the decided one, or overdue when it is still open after its due date; shown
    green when it is green with evidence, green_without_evidence when without."""
    overdue = state["overdue_after"] is not None and day > state["overdue_after"]
    status = "overdue" if overdue else state["status"]
    return {"status": status, "due_on": state["due_on"], "started_on": state["started_on"],
            "completed_on": state["completed_on"], "assessment": state["assessment"],
            "evidence": list(state["evidence"]), "evidenced": state["evidenced"], "reopened": state["reopened"],
            "last_note": state["last_note"],
            "display": ("green" if state["evidenced"] else "green_without_evidence") if status in GREEN
            else DISPLAY[status]}


def actions(facts: Facts, as_of: datetime, period: Period | None = None) -> dict[str, dict]:
    """Every action planned by the as-of moment, except one already finished (complete or deferred) when the period
    began that has not moved since (reopened, say), with its status then. (An action whose state the service has not decided, from facts recorded before it
    published its decisions, is left out until they are replayed.)"""
    day, rows = london_day(as_of).isoformat(), {}
    eve = day_before(period.first).isoformat() if period else None
    for action_id, plan in facts.plans.items():
        state = state_in_force(facts.states.get(action_id, []), day)
        if state is None:
            continue
        before = state_in_force(facts.states.get(action_id, []), eve) if eve else None
        if before is not None and before["status"] in FINISHED and before["revision"] == state["revision"]:
            continue  # finished before the period began, and nothing since
        steps = facts.steps.get(action_id, [])
        rows[action_id] = {
            "action_id": action_id, "priority_id": plan["priority_id"], "letter": plan["letter"],
            "title": plan["title"], "owner_agency": plan["owner_agency"], "owner_group": plan.get("owner_group"),
            "kpi_ids": plan.get("kpi_ids", []), **action_status(state, day),
            "event_ids": [plan["event_id"], *(s["event_id"] for s in steps)]}
    return rows


# --- KPIs ------------------------------------------------------------------------------------------------

def judge(compare: str, expectation: Mapping[str, float] | None, value: float) -> str:
    """A value against its period's thresholds, to 9 decimal places: on_track when at least (`at_most`: at most)
    the expected value, at_risk when at least (at most) the at-risk threshold, else off_track; no_target without
    an expectation."""
    if expectation is None:
        return "no_target"

    def meets(threshold: float) -> bool:
        short = threshold - value if compare == "at_least" else value - threshold
        return round(short, 9) <= 0

    if meets(expectation["expected"]):
        return "on_track"
    return "at_risk" if meets(expectation["at_risk_from"]) else "off_track"


def _expectation(schedule: Mapping[str, Any], listed: Mapping[str, Mapping], period: str, starts_on: str):
    if period in listed:
        return listed[period]["expectation"]
    periods = schedule["periods"]
    return schedule["before"] if not periods or starts_on < periods[0]["starts_on"] else schedule["after"]


def kpi_series(kpi: Mapping[str, Any], schedule: Mapping[str, Any] | None, values: Sequence[Mapping[str, Any]],
               as_of: datetime) -> dict[str, Any]:
    """One KPI at the as-of moment: per agency (None: the partnership's own figure), one row per period with the
    value that stood then (the highest version recorded by then), what its schedule compares it with and its
    status, and the earlier values it superseded; a due period without a value is "missing" from its due day. The
    KPI's status is its latest period's (for several agencies, the worst of their latest periods)."""
    day = london_day(as_of).isoformat()
    schedule = schedule or {"period_type": kpi["period_type"], "unit": kpi["unit"], "compare": "at_least",
                            "periods": [], "before": None, "after": None}  # not decided yet: nothing expected
    listed = {p["period"]: p for p in schedule["periods"]}
    visible = [v for v in values if v["period_type"] == schedule["period_type"] and v["unit"] == schedule["unit"]
               and v["starts_on"] <= day]
    by_series: dict[str | None, dict[str, list[Mapping[str, Any]]]] = {}
    for v in sorted(visible, key=lambda v: v["version"]):
        by_series.setdefault(v.get("agency"), {}).setdefault(v["period"], []).append(v)
    due = {p["period"]: p for p in schedule["periods"] if p["due_on"] is not None and p["due_on"] <= day}
    if not by_series and due:
        by_series[None] = {}
    target = _round((kpi.get("target") or {}).get("value"))
    series = []
    for agency, periods in sorted(by_series.items(), key=lambda kv: kv[0] or ""):
        bounds = {label: listed.get(label) or history[0] for label, history in periods.items()} | due
        rows = []
        for label in sorted(bounds, key=lambda p: bounds[p]["starts_on"]):
            start, end = bounds[label]["starts_on"], bounds[label]["ends_on"]
            expectation = _expectation(schedule, listed, label, start)
            history = periods.get(label, [])
            row: dict[str, Any] = {"period": label, "start": start, "end": end,
                                   "expected": _round(expectation and expectation["expected"]), "target": target}
            if history:
                current = history[-1]
                row.update(value=_round(current["value"]),
                           status=judge(schedule["compare"], expectation, current["value"]),
                           event_id=current["fact_id"], source=current.get("source"),
                           superseded=[{"value": _round(h["value"]), "event_id": h["fact_id"],
                                        "recorded_at": h["event_time"].isoformat()} for h in history[:-1]])
            else:
                row.update(value=None, status="missing", event_id=None, source=None, superseded=[])
            rows.append(row)
        series.append({"agency": agency, "rows": rows, "status": rows[-1]["status"] if rows else "no_values"})
    status = worst([s["status"] for s in series], KPI_SEVERITY) if series else "no_values"
    return {"status": status, "series": series}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def worst(statuses: Sequence[str], order: Sequence[str]) -> str:
    return min(statuses, key=order.index)


def kpis(facts: Facts, as_of: datetime, only: set[str] | None = None) -> dict[str, dict]:
    """Every KPI defined by the as-of moment (of `only`, when given), with its series against its schedule and its
    status."""
    rows = {}
    for kpi_id, kpi in facts.kpis.items():
        if only is not None and kpi_id not in only:
            continue
        values = facts.values.get(kpi_id, [])
        schedule = facts.schedules.get(kpi_id)
        if schedule is not None:
            schedule = {**{k: v for k, v in schedule.items() if k != "periods_packed"},
                        "periods": unpack(schedule["periods_packed"])}
        series = kpi_series(kpi, schedule, values, as_of)
        latest = [r for s in series["series"] for r in s["rows"] if r["value"] is not None]
        latest = max(latest, key=lambda r: r["end"]) if latest else None
        rows[kpi_id] = {
            **{k: kpi.get(k) for k in ("kpi_id", "title", "strategy_id", "priority_id", "numerator", "denominator",
                                       "unit", "direction", "period_type", "baseline", "target", "trajectory",
                                       "rate_per_period", "tolerance")},
            "owner_agency": kpi.get("emitted_by"),
            "status": series["status"], "latest": latest, "series": series["series"],
            "event_ids": [kpi["event_id"], *(v["fact_id"] for v in sorted(
                values, key=lambda v: (v["event_time"], v["fact_id"])))]}
    return rows


# --- the figures -----------------------------------------------------------------------------------------

def _counts(rows: list[dict]) -> dict[str, int]:
    counted = Counter(r["status"] for r in rows)
    return {**{s: counted.get(s, 0) for s in ACTION_STATUSES}, "total": len(rows),
            "green_without_evidence": sum(r["display"] == "green_without_evidence" for r in rows)}


def _kpi_brief(row: dict) -> dict:
    return {k: row[k] for k in ("kpi_id", "title", "unit", "status")} | {
        "value": row["latest"] and row["latest"]["value"], "period": row["latest"] and row["latest"]["period"],
        "expected": row["latest"] and row["latest"]["expected"]}


def _shown(snap: Snapshot, kpi: Mapping[str, Any]) -> bool:
    owner = kpi.get("strategy_id") or snap.strategy_of_priority(kpi.get("priority_id"))
    return (owner is None and not kpi.get("priority_id")) or snap.shows_strategy(owner)


def kpis_shown(snap: Snapshot) -> list[dict]:
    """Every KPI defined by the as-of moment that the period shows: those of its strategies and of their
    priorities, and those of no strategy."""
    return [row for row in snap.kpis.values() if _shown(snap, row)]


def kpi(snap: Snapshot, kpi_id: str) -> dict | None:
    """One KPI defined by the as-of moment, shown by the period or not (its own series), or None."""
    return snap.kpis.get(kpi_id) or kpis(snap.facts, snap.as_of, {kpi_id}).get(kpi_id)


def scorecard(snap: Snapshot) -> list[dict]:
    """Each strategy or plan the period shows, its priorities (by number), their actions (by letter) and KPIs, with
    counts."""
    facts, action_rows, kpi_rows = snap.facts, snap.actions, snap.kpis
    answer = []
    for strategy in snap.strategies():
        priorities = []
        for priority in sorted((p for p in facts.priorities.values() if p["strategy_id"] == strategy["strategy_id"]),
                               key=lambda p: p["number"]):
            its_actions = sorted((a for a in action_rows.values() if a["priority_id"] == priority["priority_id"]),
                                 key=lambda a: a["letter"])
            its_kpis = [_kpi_brief(k) for k in kpi_rows.values() if k["priority_id"] == priority["priority_id"]]
            priorities.append({
                "priority_id": priority["priority_id"], "number": priority["number"], "title": priority["title"],
                "success": priority.get("success"), "success_measures": priority.get("success_measures", []),
                "counts": _counts(its_actions), "actions": its_actions, "kpis": its_kpis,
                "event_ids": [priority["event_id"]]})
        all_actions = [a for p in priorities for a in p["actions"]]
        answer.append({
            **{k: strategy.get(k) for k in ("strategy_id", "kind", "title", "starts_on", "ends_on", "owner_agency",
                                            "owner_group", "themes")},
            "counts": _counts(all_actions), "priorities": priorities,
            "kpis": [_kpi_brief(k) for k in kpi_rows.values()
                     if k["strategy_id"] == strategy["strategy_id"] and not k["priority_id"]],
            "event_ids": [strategy["event_id"]]})
    return answer


def attention(snap: Snapshot) -> list[dict]:
    """Overdue, at-risk and green-without-evidence actions, of any plan, by owner (agency and group)."""
    owners: dict[tuple, dict] = {}
    for row in snap.actions.values():
        kind = "overdue" if row["status"] == "overdue" else "at_risk" if row["status"] == "at_risk" else \
            "green_without_evidence" if row["display"] == "green_without_evidence" else None
        if kind is None:
            continue
        owner = owners.setdefault((row["owner_agency"], row["owner_group"] or ""), {
            "owner_agency": row["owner_agency"], "owner_group": row["owner_group"],
            "overdue": [], "at_risk": [], "green_without_evidence": []})
        owner[kind].append({k: row[k] for k in ("action_id", "title", "due_on", "status", "display", "event_ids")})
    return [owners[k] for k in sorted(owners)]


def area_progress(actions: Sequence[Mapping[str, Any]], kpis: Sequence[str]) -> str:
    """An Ofsted area's roll-up of what it is told: its linked actions' statuses and displays and its KPIs'
    statuses, first rule that applies:
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


def ofsted(snap: Snapshot) -> list[dict]:
    """Each Ofsted area for improvement, with its linked actions' and KPIs' statuses and its roll-up."""
    action_rows, kpi_rows = snap.actions, snap.kpis
    answer = []
    for area in sorted(snap.facts.areas.values(), key=lambda a: (a["inspection"], a["number"])):
        linked = [action_rows[a] for a in area["action_ids"] if a in action_rows]
        measures = [kpi_rows[k] for k in area["kpi_ids"] if k in kpi_rows]
        answer.append({
            **{k: area[k] for k in ("area_id", "inspection", "inspected_on", "number", "title")},
            "progress": area_progress(linked, [k["status"] for k in measures]),
            "actions": [{k: a[k] for k in ("action_id", "title", "owner_agency", "due_on", "status", "display")}
                        for a in linked],
            "kpis": [_kpi_brief(k) for k in measures],
            "event_ids": [area["event_id"], *(e for a in linked for e in a["event_ids"])]})
    return answer
