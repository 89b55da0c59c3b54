"""Strategy's use cases: one handler per event type, applied to aggregates in a unit of work; after each fact,
what the service decided from it, on the same aggregate: an action's state after each plan and step, a KPI's
schedule after each definition, a value's figure after each value (shared.events.strategy)."""

from __future__ import annotations

from shared.write.aggregates import Scoped
from shared.events.envelope import Envelope
from shared.events.strategy import (ActionCompleted, ActionDeferred, ActionPlanned, ActionProgressReported,
                                    ActionReopened, ActionStarted, ActionStateDecided, KpiDefined, KpiScheduleSet,
                                    KpiValueComputed, KpiValueRecorded, OfstedAreaIdentified, PriorityPublished,
                                    StrategyPublished)
from shared.write.handling import Route
from shared.write.rules import Actor, RuleBroken
from services.strategy.domain.model import Action, check_period, computed, published, record_value
from services.strategy.domain.rules import schedule

STRATEGIES, PRIORITIES, ACTIONS, KPIS, KPI_VALUES, AREAS = (
    "strategies", "priorities", "actions", "kpis", "kpi_values", "ofsted_areas")
KINDS = (STRATEGIES, PRIORITIES, ACTIONS, KPIS, KPI_VALUES, AREAS)


def _known(uow: Scoped, kind: str, id: str | None, field: str, what: str, first: str) -> None:
    if id is not None and uow.get(kind, id) is None:
        raise RuleBroken(field, f"unknown {what} {id!r}: {first} first")


def publish_strategy(uow: Scoped, event: Envelope, data: StrategyPublished, actor: Actor) -> None:
    fields = {"strategy_id": data.strategy_id, "kind": data.kind, "title": data.title}
    state = published(uow.get(STRATEGIES, data.strategy_id), fields, actor, f"strategy {data.strategy_id!r}")
    uow.record(STRATEGIES, data.strategy_id, state, event)


def publish_priority(uow: Scoped, event: Envelope, data: PriorityPublished, actor: Actor) -> None:
    _known(uow, STRATEGIES, data.strategy_id, "data.strategy_id", "strategy", "publish the strategy or plan")
    fields = {"priority_id": data.priority_id, "strategy_id": data.strategy_id}
    state = published(uow.get(PRIORITIES, data.priority_id), fields, actor, f"priority {data.priority_id!r}")
    uow.record(PRIORITIES, data.priority_id, state, event)


def plan_action(uow: Scoped, event: Envelope, data: ActionPlanned, actor: Actor) -> None:
    _known(uow, PRIORITIES, data.priority_id, "data.priority_id", "priority", "publish the priority")
    state, due_on = uow.get(ACTIONS, data.action_id), data.due_on.isoformat()
    if state is None:
        action = Action(data.action_id, data.priority_id, data.owner_agency, due_on, planned_by=actor.agency)
    else:
        action = Action.from_state(state)
        action.replan(data.priority_id, data.owner_agency, due_on, actor)
    uow.record(ACTIONS, data.action_id, action.to_state(), event)
    uow.decide(ACTIONS, data.action_id, event, ActionStateDecided(**action.decided()))


def _step(kind: str, on_field: str):
    def apply(uow: Scoped, event: Envelope, data, actor: Actor) -> None:
        state = uow.get(ACTIONS, data.action_id)
        if state is None:
            raise RuleBroken("data.action_id", f"unknown action {data.action_id!r}: plan the action first")
        action = Action.from_state(state)
        new_due = data.due_on.isoformat() if kind == "reopened" and data.due_on else None
        action.step(kind, getattr(data, on_field), actor, new_due, assessment=getattr(data, "assessment", None),
                    note=getattr(data, "note", None) if kind == "progress_reported" else None,
                    evidence=[e.model_dump(mode="json") for e in getattr(data, "evidence", ())])
        uow.record(ACTIONS, data.action_id, action.to_state(), event)
        uow.decide(ACTIONS, data.action_id, event, ActionStateDecided(**action.decided()))

    apply.__name__ = f"action_{kind}"
    return apply


def define_kpi(uow: Scoped, event: Envelope, data: KpiDefined, actor: Actor) -> None:
    _known(uow, STRATEGIES, data.strategy_id, "data.strategy_id", "strategy", "publish the strategy or plan")
    _known(uow, PRIORITIES, data.priority_id, "data.priority_id", "priority", "publish the priority")
    if data.reporting_from:
        check_period(data.period_type, data.reporting_from, "data.reporting_from")
    earlier = uow.get(KPIS, data.kpi_id)
    fields = {"kpi_id": data.kpi_id, "unit": data.unit, "period_type": data.period_type,
              "revision": (earlier or {}).get("revision", 0) + 1}
    uow.record(KPIS, data.kpi_id, published(earlier, fields, actor, f"KPI {data.kpi_id!r}"), event)
    uow.decide(KPIS, data.kpi_id, event, KpiScheduleSet(kpi_id=data.kpi_id, revision=fields["revision"],
                                                        **schedule(data.model_dump(mode="json"))))


def value_key(data: KpiValueRecorded) -> str:
    """One aggregate per KPI, period and agency: a KPI's values never grow one document."""
    return f"{data.kpi_id}:{data.period}:{data.agency or '-'}"


def record_kpi_value(uow: Scoped, event: Envelope, data: KpiValueRecorded, actor: Actor) -> None:
    kpi = uow.get(KPIS, data.kpi_id)
    if kpi is None:
        raise RuleBroken("data.kpi_id", f"unknown KPI {data.kpi_id!r}: define the KPI first")
    state = record_value(kpi, uow.get(KPI_VALUES, value_key(data)), data.period, data.agency, data.value,
                         data.numerator, data.denominator, actor)
    uow.record(KPI_VALUES, value_key(data), state, event)
    uow.decide(KPI_VALUES, value_key(data), event, KpiValueComputed(**computed(kpi, state, data.source)))


def identify_area(uow: Scoped, event: Envelope, data: OfstedAreaIdentified, actor: Actor) -> None:
    for action_id in data.action_ids:
        _known(uow, ACTIONS, action_id, "data.action_ids", "action", "plan the action")
    for kpi_id in data.kpi_ids:
        _known(uow, KPIS, kpi_id, "data.kpi_ids", "KPI", "define the KPI")
    fields = {"area_id": data.area_id, "action_ids": list(data.action_ids), "kpi_ids": list(data.kpi_ids)}
    uow.record(AREAS, data.area_id, published(uow.get(AREAS, data.area_id), fields, actor,
                                              f"Ofsted area {data.area_id!r}"), event)


def _action(d) -> tuple[str, str]:
    return ACTIONS, d.action_id


# event type -> its handler, the aggregate it changes, and the aggregates it reads
ROUTES = {
    StrategyPublished: Route(publish_strategy, lambda d: (STRATEGIES, d.strategy_id)),
    PriorityPublished: Route(publish_priority, lambda d: (PRIORITIES, d.priority_id),
                             lambda d: [(STRATEGIES, d.strategy_id)]),
    ActionPlanned: Route(plan_action, _action, lambda d: [(PRIORITIES, d.priority_id)]),
    ActionStarted: Route(_step("started", "started_on"), _action),
    ActionProgressReported: Route(_step("progress_reported", "reported_on"), _action),
    ActionCompleted: Route(_step("completed", "completed_on"), _action),
    ActionDeferred: Route(_step("deferred", "deferred_on"), _action),
    ActionReopened: Route(_step("reopened", "reopened_on"), _action),
    KpiDefined: Route(define_kpi, lambda d: (KPIS, d.kpi_id),
                      lambda d: [k for k in ((STRATEGIES, d.strategy_id), (PRIORITIES, d.priority_id)) if k[1]]),
    KpiValueRecorded: Route(record_kpi_value, lambda d: (KPI_VALUES, value_key(d)), lambda d: [(KPIS, d.kpi_id)]),
    OfstedAreaIdentified: Route(identify_area, lambda d: (AREAS, d.area_id),
                                lambda d: [*((ACTIONS, a) for a in d.action_ids), *((KPIS, k) for k in d.kpi_ids)]),
}
