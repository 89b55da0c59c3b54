"""Every projection of the reporting read model, by event type.

Each projection also stamps its partnership's read-model version (`read_model_versions`, one
document per partnership, `_id` the partnership): the id, identity and time of the latest event projected
for it, and every year each collection's entity documents are filed under (`years_of_<collection>`,
shared.read.entities: the years a read for a period asks for). The dashboards cache their answers until that version changes (services.reporting.dashboard).
"""

import asyncio
from collections.abc import Callable, Iterable, Mapping

from shared.events.base import EventData
from shared.events.envelope import Envelope
from shared.calendar import Period
from shared.read import entities
from shared.read.entities import YEARS
from shared.read.projection import Upsert
from services.reporting.projections import reviews, strategy, training

VERSIONS = "read_model_versions"
Handler = Callable[[Envelope, EventData], Iterable[Upsert]]


def versioned(handler: Handler) -> Handler:
    def project(event: Envelope, data: EventData) -> list[Upsert]:
        writes = list(handler(event, data))
        held = {f"{HELD}{w.collection}": list(w.add_to_set[YEARS]) for w in writes if w.add_to_set.get(YEARS)}
        return [*writes, Upsert(VERSIONS, event.partnership,
                                {"event_id": event.id, "event_identity": event.identity, "event_time": event.time},
                                add_to_set=held)]

    project.__name__ = handler.__name__
    return project


DOMAINS = (strategy, reviews, training)
HANDLERS = {type_name: versioned(handler) for domain in DOMAINS for type_name, handler in domain.HANDLERS.items()}
# every read-model collection, with the fields its queries filter on (each partnership's figures)
READ_MODEL_INDEXES = {**{c: f for domain in DOMAINS for c, f in domain.INDEXES.items()}, VERSIONS: []}


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
