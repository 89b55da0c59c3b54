"""The strategy figures for a partnership at an as-of moment, computed when read from the read model's
histories (one document per event, services.reporting.projections.strategy) with the status rules of
shared.strategy_status.

Each query is filtered on the partnership and on the events recorded by the as-of moment; the latest
definition of each strategy, priority, action plan, KPI and Ofsted area then stands, and the status rules
fold the lifecycle steps and KPI values. Joins are done here in Python ($lookup is not in the subset
FerretDB serves). Every row names the events behind it (`event_ids`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from services.reporting.projections.source import recorded_order
from services.reporting.projections.strategy import ACTIONS, AREAS, KPI_VALUES, KPIS, PLANS, SOURCES
from shared.strategy_status import ACTION_STATUSES, action_status, area_progress, kpi_series, kpi_value

DROP = {"_id": 0, "partnership": 0}


@dataclass
class Facts:
    """What was recorded by the as-of moment: the latest definition of each thing, and every history."""

    strategies: dict[str, dict] = field(default_factory=dict)
    priorities: dict[str, dict] = field(default_factory=dict)
    plans: dict[str, dict] = field(default_factory=dict)  # action_id -> its latest plan
    steps: dict[str, list[dict]] = field(default_factory=dict)  # action_id -> lifecycle steps
    kpis: dict[str, dict] = field(default_factory=dict)
    values: dict[str, list[dict]] = field(default_factory=dict)  # kpi_id -> values and corrections
    areas: dict[str, dict] = field(default_factory=dict)


_order = recorded_order


async def _docs(db: AsyncDatabase, collection: str, partnership: str, as_of: datetime) -> list[dict]:
    found = db[collection].find({"partnership": partnership, "event_time": {"$lte": as_of}}, DROP)
    return sorted([d async for d in found], key=_order)


def _latest(docs: list[dict], key: str) -> dict[str, dict]:
    """The standing version of each definition: the latest event for its id (docs are in recorded order)."""
    latest: dict[str, dict] = {}
    first: dict[str, datetime] = {}  # when each was first published: the scorecard's order
    for doc in docs:
        first.setdefault(doc[key], doc["event_time"])
        latest[doc[key]] = {**doc, "first_event_time": first[doc[key]]}
    return latest


async def load(db: AsyncDatabase, partnership: str, as_of: datetime) -> Facts:
    facts = Facts()
    plans = await _docs(db, PLANS, partnership, as_of)
    facts.strategies = _latest([d for d in plans if d["record"] == "strategy"], "strategy_id")
    facts.priorities = _latest([d for d in plans if d["record"] == "priority"], "priority_id")
    actions = await _docs(db, ACTIONS, partnership, as_of)
    facts.plans = _latest([d for d in actions if d["step"] == "planned"], "action_id")
    for doc in actions:
        if doc["step"] != "planned":
            facts.steps.setdefault(doc["action_id"], []).append(doc)
    facts.kpis = _latest(await _docs(db, KPIS, partnership, as_of), "kpi_id")
    for doc in await _docs(db, KPI_VALUES, partnership, as_of):
        kpi = facts.kpis.get(doc["kpi_id"])
        if kpi is not None:  # a value of a KPI defined later than the as-of is not shown yet
            doc["value"] = kpi_value(kpi["unit"], doc.get("value"), doc.get("numerator"), doc.get("denominator"))
            facts.values.setdefault(doc["kpi_id"], []).append(doc)
    facts.areas = _latest(await _docs(db, AREAS, partnership, as_of), "area_id")
    return facts


def actions(facts: Facts, as_of: datetime) -> dict[str, dict]:
    """Every action planned by the as-of moment, with its status then."""
    rows = {}
    for action_id, plan in facts.plans.items():
        steps = facts.steps.get(action_id, [])
        status = action_status(plan, steps, as_of)
        rows[action_id] = {
            "action_id": action_id, "priority_id": plan["priority_id"], "letter": plan["letter"],
            "title": plan["title"], "owner_agency": plan["owner_agency"], "owner_group": plan.get("owner_group"),
            "kpi_ids": plan.get("kpi_ids", []), **status,
            "event_ids": [plan["event_id"], *(s["event_id"] for s in steps)]}
    return rows


def kpis(facts: Facts, as_of: datetime) -> dict[str, dict]:
    """Every KPI defined by the as-of moment, with its series against the trajectory and its status."""
    rows = {}
    for kpi_id, kpi in facts.kpis.items():
        series = kpi_series(kpi, facts.values.get(kpi_id, []), as_of)
        latest = [r for s in series["series"] for r in s["rows"] if r["value"] is not None]
        latest = max(latest, key=lambda r: r["end"]) if latest else None
        rows[kpi_id] = {
            **{k: kpi.get(k) for k in ("kpi_id", "title", "strategy_id", "priority_id", "numerator", "denominator",
                                       "unit", "direction", "period_type", "baseline", "target", "trajectory",
                                       "rate_per_period", "tolerance")},
            "status": series["status"], "latest": latest, "series": series["series"],
            "event_ids": [kpi["event_id"], *(v["event_id"] for v in facts.values.get(kpi_id, []))]}
    return rows


def _counts(rows: list[dict]) -> dict[str, int]:
    counted = Counter(r["status"] for r in rows)
    return {**{s: counted.get(s, 0) for s in ACTION_STATUSES}, "total": len(rows),
            "green_without_evidence": sum(r["display"] == "green_without_evidence" for r in rows)}


def _kpi_brief(row: dict) -> dict:
    return {k: row[k] for k in ("kpi_id", "title", "unit", "status")} | {
        "value": row["latest"] and row["latest"]["value"], "period": row["latest"] and row["latest"]["period"],
        "expected": row["latest"] and row["latest"]["expected"]}


def scorecard(facts: Facts, as_of: datetime) -> list[dict]:
    """Each strategy or plan, its priorities (by number), their actions (by letter) and KPIs, with counts."""
    action_rows, kpi_rows = actions(facts, as_of), kpis(facts, as_of)
    answer = []
    for strategy in sorted(facts.strategies.values(), key=lambda s: (s["first_event_time"], s["strategy_id"])):
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


def attention(facts: Facts, as_of: datetime) -> list[dict]:
    """Overdue, at-risk and green-without-evidence actions, by owner (agency and group)."""
    owners: dict[tuple, dict] = {}
    for row in actions(facts, as_of).values():
        kind = "overdue" if row["status"] == "overdue" else "at_risk" if row["status"] == "at_risk" else \
            "green_without_evidence" if row["display"] == "green_without_evidence" else None
        if kind is None:
            continue
        owner = owners.setdefault((row["owner_agency"], row["owner_group"] or ""), {
            "owner_agency": row["owner_agency"], "owner_group": row["owner_group"],
            "overdue": [], "at_risk": [], "green_without_evidence": []})
        owner[kind].append({k: row[k] for k in ("action_id", "title", "due_on", "status", "display", "event_ids")})
    return [owners[k] for k in sorted(owners)]


def ofsted(facts: Facts, as_of: datetime) -> list[dict]:
    """Each Ofsted area for improvement, with its linked actions' and KPIs' statuses and its roll-up."""
    action_rows, kpi_rows = actions(facts, as_of), kpis(facts, as_of)
    answer = []
    for area in sorted(facts.areas.values(), key=lambda a: (a["inspection"], a["number"])):
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


def envelope(partnership: str, as_of: datetime, **figures: Any) -> dict[str, Any]:
    return {"partnership": partnership, "as_of": as_of.isoformat(), **figures, "sources": SOURCES}
