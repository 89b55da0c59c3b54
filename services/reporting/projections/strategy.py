"""The strategy read model: pure functions from event to writes, one record per event, kept in entity documents
(shared.read.entities).

Strategy figures are asked for at any as-of date, and a corrected KPI value or a revised plan must not change
what an earlier as-of shows, so nothing is overwritten: every event becomes its own record, keyed
`<partnership>/<natural id>/<event identity>` (a redelivered event adds nothing). The figures fold these
histories when they are read (services.reporting.figures.strategy). The event part of the key is the event's
identity (its source and id together), so two systems' events with one id are two records. Every record carries
`partnership`, its natural id and its source event (`event_id`, `event_time`, `emitted_by`), and the collection
it is read as (`kept_as`: the names below, one per kind of record, which the figures read).

What the strategy service decided from each fact (an action's state, a KPI's schedule, a value's figure) is kept
the same way, with `fact_id`: the id of the fact it was decided from (its `causationid`).

The entities: a strategy or plan with its priorities (filed under the years from its publication to its end); an
action with its plan, steps and decided states (filed
under the years of every day they state, open while its decided status is neither complete nor deferred); a KPI
with its definition, values, schedules and figures, and an Ofsted area, both open: they stand until revised.
"""

from __future__ import annotations

import json
import re
import zlib

from shared.events.envelope import Envelope
from shared.events.strategy import (ActionCompleted, ActionDeferred, ActionPlanned, ActionProgressReported,
                                    ActionReopened, ActionStarted, ActionStateDecided, KpiDefined, KpiScheduleSet,
                                    KpiValueComputed, KpiValueRecorded, OfstedAreaIdentified, PriorityPublished,
                                    StrategyPublished)
from shared.read import entities
from shared.read.projection import Upsert
from services.reporting.projections.source import source

PLANS, ACTIONS, KPIS, KPI_VALUES, AREAS = (
    "strategy_plans", "strategy_actions", "strategy_kpis", "strategy_kpi_values", "strategy_ofsted_areas")
# what the strategy service decided
ACTION_STATES, KPI_SCHEDULES, KPI_FIGURES = "strategy_action_states", "strategy_kpi_schedules", "strategy_kpi_figures"
# where each kind of record is kept: the entity collections (a strategy's priorities with it, an action's states
# with it, a KPI's values, schedules and figures with it)
ENTITY_OF = {PLANS: PLANS, ACTIONS: ACTIONS, ACTION_STATES: ACTIONS, KPIS: KPIS, KPI_VALUES: KPIS,
             KPI_SCHEDULES: KPIS, KPI_FIGURES: KPIS, AREAS: AREAS}
FINISHED = ("complete_on_time", "complete_late", "deferred")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _source(event: Envelope) -> dict:
    return {**source(event), "event_type": event.type}


def _days(fields: dict) -> list[str]:
    return [v for v in fields.values() if isinstance(v, str) and _DAY.match(v)]


def _kept(event: Envelope, collection: str, natural_id: str, fields: dict) -> Upsert:
    """`fields` as one record of `collection` (`_id` by natural id and event), in its entity's document."""
    record = {"_id": "/".join((event.partnership, natural_id, event.identity)), "kept_as": collection, **fields}
    if ENTITY_OF[collection] == PLANS:  # a strategy, or a priority kept with its strategy
        strategy_id = fields["strategy_id"]
        years = entities.span(event.time, *_days(fields)) if fields["record"] == "strategy" else \
            entities.span(event.time)
        return entities.filed(PLANS, event.partnership, f"strategy/{strategy_id}", record, years)
    if ENTITY_OF[collection] == ACTIONS:
        opens = fields["status"] not in FINISHED if collection == ACTION_STATES else None
        return entities.filed(ACTIONS, event.partnership, f"action/{fields['action_id']}", record,
                              entities.span(event.time, *_days(fields)), opens)
    kind = "kpi" if ENTITY_OF[collection] == KPIS else "area"  # definitions that stand until revised
    return entities.filed(ENTITY_OF[collection], event.partnership, f"{kind}/{natural_id}", record,
                          entities.span(event.time), True)


def _fact(collection: str, record: str | None = None):
    """A projection keeping the event's data as one record of `collection`, keyed by its aggregate and event."""
    def project(event: Envelope, data) -> list[Upsert]:
        fields = {**data.model_dump(mode="json"), **_source(event)}
        if record:
            fields["record"] = record
        return [_kept(event, collection, data.aggregate_id(), fields)]

    project.__name__ = f"project_{record or collection}"
    return project


def pack(values: list) -> bytes:
    """A long list read whole (a schedule's periods), as compressed JSON: decoding 360 periods of 6 elements each
    costs ten times what one text does, and the text, regular, is a tenth of its size compressed."""
    return zlib.compress(json.dumps(values, separators=(",", ":")).encode())


def unpack(packed: bytes) -> list:
    return json.loads(zlib.decompress(packed))


def _decided(collection: str, packed: str | None = None):
    """A projection keeping a decision's data as one record of `collection`, with the id of its fact, and a long
    list of it packed (`<field>_packed`, `pack`)."""
    def project(event: Envelope, data) -> list[Upsert]:
        fields = {**data.model_dump(mode="json"), **_source(event), "fact_id": event.causationid}
        if packed:
            fields[f"{packed}_packed"] = pack(fields.pop(packed))
        return [_kept(event, collection, data.aggregate_id(), fields)]

    project.__name__ = f"project_{collection}"
    return project


def _step(step: str):
    def project(event: Envelope, data) -> list[Upsert]:
        fields = {**data.model_dump(mode="json"), "step": step, **_source(event)}
        return [_kept(event, ACTIONS, data.action_id, fields)]

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
INDEXES = {c: entities.INDEXES for c in (PLANS, ACTIONS, KPIS, AREAS)}
SOURCES = sorted(HANDLERS)
