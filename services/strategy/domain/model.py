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
reopen takes a completed or deferred action back (to in progress, or to not started if it never started), and it
is counted. Each step's date may not be before the action's latest step. After every plan and step the service
decides the action's state in force (`Action.decided`, published as `strategy.action_state.decided.v1`).

A KPI's schedule (its periods, due days and status thresholds) and a value's figure are decided by
services.strategy.domain.rules.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from shared.write.rules import CONFLICT, FORBIDDEN, Actor, RuleBroken, only_owner
from services.strategy.domain.rules import LAST_DAY, kpi_period_bounds, kpi_value

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
    due_on: str  # the due date in force: the plan's, or a reopen's new one, whichever came last
    planned_by: str
    state: str = "not_started"  # not_started, in_progress, completed, deferred
    last_step_on: str | None = None
    completed_on: str | None = None
    reopened: int = 0
    revision: int = 1  # plans and steps applied
    last_applied: str = "planned"
    started_on: str | None = None  # the first start or progress report
    assessment: str | None = None  # the latest progress report's, until a reopen
    evidence: list[dict[str, Any]] = field(default_factory=list)  # behind the claim: the completion's, or the report's
    last_note: str | None = None

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> "Action":
        return cls(**state)

    def to_state(self) -> dict[str, Any]:
        return asdict(self)

    def replan(self, priority_id: str, owner_agency: str, due_on: str, actor: Actor) -> None:
        only_owner(actor, self.planned_by, f"the plan of action {self.action_id!r}")
        self.priority_id, self.owner_agency, self.due_on = priority_id, owner_agency, due_on
        self.revision, self.last_applied = self.revision + 1, "planned"

    def status(self) -> str:
        """The status while the action is not past its due date: not_started, on_track, at_risk (the latest report
        says at risk or off track), complete_on_time / complete_late (on or before / after the due date in force),
        deferred."""
        if self.state == "completed":
            return "complete_on_time" if self.completed_on <= self.due_on else "complete_late"
        if self.state in ("deferred", "not_started"):
            return self.state
        return "at_risk" if self.assessment in ("at_risk", "off_track") else "on_track"

    def decided(self) -> dict[str, Any]:
        """The state in force after the latest plan or step (shared.events.strategy.ActionStateDecided): from the
        step's date, or for a plan from the latest step's (at once before any step). Open (not completed, not
        deferred), it is overdue on any day after its due date."""
        status = self.status()
        return {"action_id": self.action_id, "revision": self.revision, "after": self.last_applied,
                "in_force_on": self.last_step_on, "status": status,
                "overdue_after": self.due_on if self.state in ("not_started", "in_progress") else None,
                "due_on": self.due_on, "started_on": self.started_on, "completed_on": self.completed_on,
                "assessment": self.assessment, "evidence": list(self.evidence), "evidenced": bool(self.evidence),
                "reopened": self.reopened, "last_note": self.last_note}

    def step(self, kind: str, on: date, actor: Actor, new_due_on: str | None = None,
             assessment: str | None = None, note: str | None = None, evidence: list[dict] | None = None) -> None:
        """Apply one lifecycle step (a progress report's assessment, note and evidence; a completion's evidence),
        or refuse it naming the field."""
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
        self.last_step_on, self.revision, self.last_applied = on.isoformat(), self.revision + 1, kind
        if kind in ("started", "progress_reported"):
            self.state, self.started_on = "in_progress", self.started_on or on.isoformat()
            if kind == "progress_reported":
                self.assessment, self.evidence, self.last_note = assessment, list(evidence or []), note
        elif kind == "completed":
            self.state, self.completed_on, self.evidence = "completed", on.isoformat(), list(evidence or [])
        elif kind == "deferred":
            self.state = "deferred"
        else:  # back to in progress, or to not started if it never started; what was claimed goes with it
            self.state = "in_progress" if self.started_on else "not_started"
            self.completed_on, self.reopened, self.assessment, self.evidence = None, self.reopened + 1, None, []
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
        _, end = kpi_period_bounds(period_type, period)
    except ValueError as exc:
        raise RuleBroken(field, f"the KPI is measured by {period_type}: {exc}") from exc
    if end > LAST_DAY:
        raise RuleBroken(field, f"{period!r} ends on {end.isoformat()}: a period must end by {LAST_DAY.isoformat()}")


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


def computed(kpi: dict[str, Any], value: dict[str, Any], source: str) -> dict[str, Any]:
    """What the service publishes of a value it recorded (shared.events.strategy.KpiValueComputed): its figure, in
    the KPI's unit and period as defined then, and its version."""
    start, end = kpi_period_bounds(kpi["period_type"], value["period"])
    return {"kpi_id": value["kpi_id"], "period": value["period"], "agency": value["agency"],
            "period_type": kpi["period_type"], "unit": kpi["unit"], "starts_on": start.isoformat(),
            "ends_on": end.isoformat(), "value": value["value"], "version": value["versions"], "source": source}
