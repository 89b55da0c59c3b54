"""Every projection of the reporting read model, by event type.

Each projection also writes the event's entry in the ledger (`read_model_events`, one document per event: its id,
type, source, agency, time, subject and correlation id), so that every event id a figure names can be shown.

Each projection also stamps its partnership's read-model version (`read_model_versions`, one
document per partnership, `_id` the partnership): the id, identity and time of the latest event projected
for it, and every year each collection's entity documents are filed under (`years_of_<collection>`,
shared.read.entities: the years a read for a period asks for). The dashboards cache their answers until that version changes (services.reporting.dashboard).
"""

import asyncio
from collections.abc import Callable, Iterable, Mapping

from shared.events.base import EventData
from shared.events.catalogue import CATALOGUE
from shared.events.envelope import Envelope
from shared.calendar import Period
from shared.read import entities
from shared.read.entities import YEARS
from shared.read.projection import Upsert
from services.reporting.projections import reviews, strategy, training

VERSIONS = "read_model_versions"
EVENTS = "read_model_events"  # every event projected, by its identity: what a figure's event ids are traced to
Handler = Callable[[Envelope, EventData], Iterable[Upsert]]


def versioned(handler: Handler) -> Handler:
    def project(event: Envelope, data: EventData) -> list[Upsert]:
        writes = list(handler(event, data))
        held = {f"{HELD}{w.collection}": list(w.add_to_set[YEARS]) for w in writes if w.add_to_set.get(YEARS)}
        return [*writes, Upsert(EVENTS, event.identity, ledger_entry(event)), Upsert(VERSIONS, event.partnership,
                                {"event_id": event.id, "event_identity": event.identity, "event_time": event.time},
                                add_to_set=held)]

    project.__name__ = handler.__name__
    return project


def ledger_entry(event: Envelope) -> dict:
    """What a reader is shown of an event a figure counts: who sent what, when, about what, in which conversation;
    never its data (the figures show what of it they use)."""
    return {"partnership": event.partnership, "event_id": event.id, "type": event.type, "source": event.source,
            "agency": event.agency, "time": event.time, "subject": event.subject,
            "correlation_id": event.correlationid, "causation_id": event.causationid}


async def events_named(db, partnership: str, event_ids: Iterable[str]) -> list[dict]:
    """The ledger entries of these event ids (an id two sources used gives both), in recorded order."""
    wanted = sorted(set(event_ids))[:500]
    found = [doc async for doc in db[EVENTS].find({"partnership": partnership, "event_id": {"$in": wanted}},
                                                  {"_id": 0})]
    return sorted(found, key=lambda d: (d["time"], d["source"], d["event_id"]))


DOMAINS = (strategy, reviews, training)
_CURRENT = {type_name: versioned(handler) for domain in DOMAINS for type_name, handler in domain.HANDLERS.items()}
# an event sent in a superseded version is read upcast (shared.events.catalogue.parse_data): its current version's
# handler projects it
HANDLERS = {**_CURRENT, **{type_name: _CURRENT[model.superseded_by] for type_name, model in CATALOGUE.items()
                           if model.superseded_by in _CURRENT}}
# every read-model collection, with the fields its queries filter on (each partnership's figures)
READ_MODEL_INDEXES = {**{c: f for domain in DOMAINS for c, f in domain.INDEXES.items()}, VERSIONS: [],
                      EVENTS: [["partnership", "event_id"]]}


HELD = "years_of_"  # a read-model version's field: the years one collection's entity documents are filed under


async def years_held(db, partnership: str) -> dict[str, list[str]]:
    """Per collection, every year the partnership's entity documents are filed under (its read-model version's
    `years_of_<collection>`)."""
    stamp = await db[VERSIONS].find_one({"_id": partnership}) or {}
    return {k.removeprefix(HELD): list(v) for k, v in stamp.items() if k.startswith(HELD)}


async def read_for(db, partnership: str, period: Period | None, collections: Mapping[str, bool]) -> dict[str, list[dict]]:
    """The entity documents of each collection that can bear on the period (every one, without a period), each
    collection read once, at once; `collections`: each with whether it has open things to ask for too."""
    years = entities.plan(period.first.year, await years_held(db, partnership)) if period else None
    found = await asyncio.gather(*(entities.read(db, c, partnership, years, opens=opens)
                                   for c, opens in collections.items()))
    return dict(zip(collections, found))
