"""What the domain services publish for a list of events: each partner's fact as its service accepted it, then the
decisions its service made from it (shared.events.base.Decision), in the order they were queued, decoded as the
reporting projector reads them.

The services' own rules run in memory (their routes over in-memory stores), so tests and the figures bench can
build a read model without running the services, and still see what the services decide. Each event is applied
with its own agency's rights, one at a time, in the order given.
"""

from __future__ import annotations

from collections.abc import Iterable

from services.reviews import handlers as reviews
from services.strategy import handlers as strategy
from services.training import handlers as training
from shared.write.aggregates import KeyedLocks, MemoryAggregateStore, UnitOfWork
from shared.events.base import EventData
from shared.events.catalogue import decode, parse_data
from shared.events.envelope import Envelope
from shared.write.handling import ingest
from shared.write.identities import MemoryIdentities
from shared.write.rules import Actor

ROUTES = {"strategy": strategy.ROUTES, "reviews": reviews.ROUTES, "training": training.ROUTES}


async def published(events: Iterable[Envelope]) -> list[tuple[Envelope, EventData]]:
    """Every record the services publish for `events`, in order: each fact, then its decisions."""
    stores = {domain: MemoryAggregateStore() for domain in ROUTES}
    identities = {domain: MemoryIdentities() for domain in ROUTES}
    records: list[tuple[Envelope, EventData]] = []
    for event in events:
        store = stores[event.domain]
        uow = UnitOfWork(store, KeyedLocks())
        await ingest(uow, ROUTES[event.domain], identities[event.domain], [(event, parse_data(event))],
                     Actor(event.agency))
        for kind, id in uow.changed:  # what this event wrote, as the relay would publish it, then cleared
            stored = await store.outbox_of(kind, id)
            records += [decode(entry["value"]) for entry in stored.outbox]
            await store.remove_from_outbox(kind, id, {entry["id"] for entry in stored.outbox})
    return records
