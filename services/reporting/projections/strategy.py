"""The strategy read model: pure functions from event to writes, one document per event.

Strategy figures are asked for at any as-of date, and a corrected KPI value or a revised plan must not change
what an earlier as-of shows, so nothing is overwritten: every event becomes its own document, keyed
`<partnership>/<natural id>/<event identity>` (a redelivered event rewrites the same document). The figures fold
these histories when they are read (services.reporting.figures.strategy). The event part of the key is the
event's identity (its source and id together), so two systems' events with one id are two documents. Every document carries
`partnership`, its natural id and its source event (`event_id`, `event_time`, `emitted_by`).

What the strategy service decided from each fact (an action's state, a KPI's schedule, a value's figure) is kept
the same way, in its own collection, with `fact_id`: the id of the fact it was decided from (its `causationid`).
"""

from __future__ import annotations

import json

from shared.events.envelope import Envelope
from shared.events.strategy import (ActionCompleted, ActionDeferred, ActionPlanned, ActionProgressReported,
                                    ActionReopened, ActionStarted, ActionStateDecided, KpiDefined, KpiScheduleSet,
                                    KpiValueComputed, KpiValueRecorded, OfstedAreaIdentified, PriorityPublished,
                                    StrategyPublished)
from shared.read.projection import Upsert
from services.reporting.projections.source import source

PLANS, ACTIONS, KPIS, KPI_VALUES, AREAS = (
    "strategy_plans", "strategy_actions", "strategy_kpis", "strategy_kpi_values", "strategy_ofsted_areas")
# what the strategy service decided
ACTION_STATES, KPI_SCHEDULES, KPI_FIGURES = "strategy_action_states", "strategy_kpi_schedules", "strategy_kpi_figures"


def _source(event: Envelope) -> dict:
    return {**source(event), "event_type": event.type}


def _fact(collection: str, record: str | None = None):
    """A projection writing the event's data as one document of `collection`, keyed by its aggregate and event."""
    def project(event: Envelope, data) -> list[Upsert]:
        fields = {**data.model_dump(mode="json"), **_source(event)}
        if record:
            fields["record"] = record
        return [Upsert(collection, "/".join((event.partnership, data.aggregate_id(), event.identity)), fields)]

    project.__name__ = f"project_{record or collection}"
    return project


def _decided(collection: str, packed: str | None = None):
    """A projection writing a decision's data as one document of `collection`, with the id of its fact. A long list
    read whole (a schedule's periods) is kept as one JSON text, `<field>_json`: FerretDB decodes a document element
    by element, and 360 periods of 6 elements each cost ten times what one text does."""
    def project(event: Envelope, data) -> list[Upsert]:
        fields = {**data.model_dump(mode="json"), **_source(event), "fact_id": event.causationid}
        if packed:
            fields[f"{packed}_json"] = json.dumps(fields.pop(packed), separators=(",", ":"))
        return [Upsert(collection, "/".join((event.partnership, data.aggregate_id(), event.identity)), fields)]

    project.__name__ = f"project_{collection}"
    return project


def _step(step: str):
    def project(event: Envelope, data) -> list[Upsert]:
        fields = {**data.model_dump(mode="json"), "step": step, **_source(event)}
        return [Upsert(ACTIONS, "/".join((event.partnership, data.action_id, event.identity)), fields)]

    project.__name__ = f"action_{step}"
    return project


HANDLERS = {
    StrategyPublished.type_name: _fact(PLANS, "strategy"),
    PriorityPublished.type_name: _fact(PLANS, "priority"),
    ActionPlanned.type_name: _step("planned"),
    ActionStarted.type_name: _step("started"),
    ActionProgressReported.type_name: _step("progress_reported"),
    ActionCompleted.type_name: _step("completed"),
    ActionDeferred.type_name: _step("deferred"),
    ActionReopened.type_name: _step("reopened"),
    KpiDefined.type_name: _fact(KPIS),
    KpiValueRecorded.type_name: _fact(KPI_VALUES),
    OfstedAreaIdentified.type_name: _fact(AREAS),
    ActionStateDecided.type_name: _decided(ACTION_STATES),
    KpiScheduleSet.type_name: _decided(KPI_SCHEDULES, packed="periods"),
    KpiValueComputed.type_name: _decided(KPI_FIGURES),
}
# read-model collection -> the fields its queries filter on
INDEXES = {c: ["partnership"] for c in (PLANS, ACTIONS, KPIS, KPI_VALUES, AREAS, ACTION_STATES, KPI_SCHEDULES,
                                        KPI_FIGURES)}
SOURCES = sorted(HANDLERS)
