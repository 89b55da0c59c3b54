"""Applying a request's events to a service's aggregates: identity, duplicates, conflicts, all or nothing.

Every domain service routes each event type to a pure handler (`Route`), and calls `ingest`. A
handler sees its event's partnership only (`UnitOfWork.scoped`): it names aggregates by their own
ids, and they are stored as `<partnership>/<id>`. For each event, in order:
- an identity (`source` and `id`) already accepted with the same content (`Envelope.fingerprints`) is a
  `"duplicate"`: it is answered, and changes nothing;
- an identity already accepted with different content is refused: 409 naming `id`;
- otherwise the handler applies it to its aggregate, or refuses it with a `RuleBroken`.
The whole request is checked in memory first; then each changed aggregate is saved once, with its
outbox. A refusal stores nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from shared.write.aggregates import Key, Scoped, UnitOfWork, scoped_key
from shared.events.base import EventData
from shared.events.envelope import Envelope
from shared.write.identities import Identities
from shared.write.rules import CONFLICT, Actor, RuleBroken

Apply = Callable[[Scoped, Envelope, EventData, Actor], None]


@dataclass(frozen=True)
class Route:
    """How one event type is handled: the handler, the aggregate it changes, the aggregates it reads."""

    apply: Apply
    target: Callable[[EventData], Key]
    reads: Callable[[EventData], list[Key]] = field(default=lambda data: [])


class EventRefused(Exception):
    """The event at `index` of the request broke a rule."""

    def __init__(self, index: int, rule: RuleBroken):
        super().__init__(rule.message)
        self.index, self.rule = index, rule


def _conflict(event: Envelope) -> RuleBroken:
    return RuleBroken("id", f"an event with source {event.source!r} and id {event.id!r} was already accepted with "
                            "different content: give a new event a new id", status=CONFLICT)


def apply_all(uow: UnitOfWork, routes: Mapping[type[EventData], Route], events: Sequence[tuple[Envelope, EventData]],
              actor: Actor, known: Mapping[str, str]) -> list[str]:
    """Apply events in order; return "accepted" or "duplicate" for each. Raises EventRefused."""
    statuses, in_request = [], {}
    for index, (event, data) in enumerate(events):
        route = routes[type(data)]
        prior = in_request.get(event.identity) or known.get(event.identity) \
            or uow.applied_fingerprint(*scoped_key(event.partnership, route.target(data)), event)
        try:
            if prior is not None:
                if prior not in event.fingerprints:  # the digest, or the one taken before dataschema was left out
                    raise _conflict(event)
                statuses.append("duplicate")
                continue
            route.apply(uow.scoped(event.partnership), event, data, actor)
        except RuleBroken as rule:
            raise EventRefused(index, rule) from rule
        in_request[event.identity] = event.fingerprint
        statuses.append("accepted")
    return statuses


async def ingest(uow: UnitOfWork, routes: Mapping[type[EventData], Route], identities: Identities,
                 events: Sequence[tuple[Envelope, EventData]], actor: Actor) -> list[str]:
    """All events or none: the request is checked whole in memory before anything is stored."""
    known = await identities.known([event.identity for event, _ in events])
    keys: list[Key] = []
    for event, data in events:
        route = routes[type(data)]
        keys += [scoped_key(event.partnership, key) for key in (route.target(data), *route.reads(data))]
    statuses = await uow.run(keys, lambda u: apply_all(u, routes, events, actor, known))
    await identities.remember((event.identity, event.fingerprint)
                              for (event, _), status in zip(events, statuses) if status == "accepted")
    return statuses
