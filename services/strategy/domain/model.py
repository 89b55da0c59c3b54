"""Strategy's rules: strategies and plans, priorities, actions and their lifecycle, KPIs and their values, and
the Ofsted areas. No I/O here.

Who may record what (the ownership rule, for partners in README.md):
- a strategy, priority, action plan, KPI definition or Ofsted area is changed only by the agency that first
  published it (or a key with the right to correct);
- an action's lifecycle (started, progress, completed, deferred, reopened) is reported by the action's owner
  agency or by the agency that planned it;
- a KPI value is recorded by the agency that defined the KPI or by the agency the value is for, and corrected
  only by the agency that first recorded it.

An action's status moves forward only: not started, in progress, then completed or deferred. Only an explicit
reopen takes a completed or deferred action back, and it is counted. Each step's date may not be before the
action's latest step.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from shared.rules import CONFLICT, FORBIDDEN, Actor, RuleBroken, only_owner
from shared.strategy_status import kpi_value, period_bounds

STEP_FIELD = {"started": "started_on", "progress_reported": "reported_on", "completed": "completed_on",
              "deferred": "deferred_on", "reopened": "reopened_on"}


def published(state: dict[str, Any] | None, fields: dict[str, Any], actor: Actor, what: str) -> dict[str, Any]:
    """A definition (strategy, priority, KPI, Ofsted area) first published, or revised by whoever published it."""
    if state is None:
        return {**fields, "published_by": actor.agency}
    only_owner(actor, state["published_by"], what)
    return {**state, **fields}


@dataclass
class Action:
    action_id: str
    priority_id: str
    owner_agency: str
    due_on: str
    planned_by: str
    state: str = "not_started"  # not_started, in_progress, completed, deferred
    last_step_on: str | None = None
    completed_on: str | None = None
    reopened: int = 0

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> "Action":
        return cls(**state)

    def to_state(self) -> dict[str, Any]:
        return asdict(self)

    def replan(self, priority_id: str, owner_agency: str, due_on: str, actor: Actor) -> None:
        only_owner(actor, self.planned_by, f"the plan of action {self.action_id!r}")
        self.priority_id, self.owner_agency, self.due_on = priority_id, owner_agency, due_on

    def step(self, kind: str, on: date, actor: Actor, new_due_on: str | None = None) -> None:
        """Apply one lifecycle step, or refuse it naming the field."""
        if not (actor.may_correct or actor.agency in (self.owner_agency, self.planned_by)):
            raise RuleBroken("agency", f"action {self.action_id!r} is reported by its owner ({self.owner_agency}) or "
                                       f"by the agency that planned it ({self.planned_by})", status=FORBIDDEN)
        field = f"data.{STEP_FIELD[kind]}"
        if self.last_step_on and on.isoformat() < self.last_step_on:
            raise RuleBroken(field, f"is before the action's latest step ({self.last_step_on}): steps move forward")
        allowed = {"started": ("not_started",), "progress_reported": ("not_started", "in_progress"),
                   "completed": ("not_started", "in_progress"), "deferred": ("not_started", "in_progress"),
                   "reopened": ("completed", "deferred")}[kind]
        if self.state not in allowed:
            raise RuleBroken("data.action_id", self._why_not(kind), status=CONFLICT)
        self.last_step_on = on.isoformat()
        if kind in ("started", "progress_reported"):
            self.state = "in_progress"
        elif kind == "completed":
            self.state, self.completed_on = "completed", on.isoformat()
        elif kind == "deferred":
            self.state = "deferred"
        else:
            self.state, self.completed_on, self.reopened = "in_progress", None, self.reopened + 1
            self.due_on = new_due_on or self.due_on

    def _why_not(self, kind: str) -> str:
        if self.state == "completed":
            return f"action {self.action_id!r} was completed on {self.completed_on}: reopen it first"
        if self.state == "deferred":
            return f"action {self.action_id!r} is deferred: reopen it first"
        if kind == "started":
            return f"action {self.action_id!r} has already started"
        return f"action {self.action_id!r} is neither completed nor deferred: there is nothing to reopen"


def check_period(period_type: str, period: str, field: str = "data.period") -> None:
    try:
        period_bounds(period_type, period)
    except ValueError as exc:
        raise RuleBroken(field, f"the KPI is measured by {period_type}: {exc}") from exc


def record_value(kpi: dict[str, Any], earlier: dict[str, Any] | None, period: str, agency: str | None,
                 value: float | None, numerator: float | None, denominator: float | None,
                 actor: Actor) -> dict[str, Any]:
    """A KPI value for one period (and agency), computed from numerator and denominator when given those. A
    second value for the same period and agency is a correction by the agency that recorded the first."""
    check_period(kpi["period_type"], period)
    if earlier is None and not (actor.may_correct or actor.agency in (kpi["published_by"], agency)):
        raise RuleBroken("agency", f"a value of KPI {kpi['kpi_id']!r} is recorded by the agency that defined it "
                                   f"({kpi['published_by']}) or the agency it is for", status=FORBIDDEN)
    if earlier is not None:
        only_owner(actor, earlier["recorded_by"], f"the value of KPI {kpi['kpi_id']!r} for {period}")
    figure = kpi_value(kpi["unit"], value, numerator, denominator)
    if not math.isfinite(figure) or abs(figure) > 1e12:
        raise RuleBroken("data.denominator", f"numerator / denominator gives {figure!r}, beyond any KPI's range")
    return {"kpi_id": kpi["kpi_id"], "period": period, "agency": agency, "value": figure,
            "recorded_by": earlier["recorded_by"] if earlier else actor.agency,
            "versions": (earlier["versions"] if earlier else 0) + 1}
