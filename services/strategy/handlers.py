"""Strategy's use cases: one handler per event type, applied to aggregates in a unit of work."""

from __future__ import annotations

from shared.handling import Route

KINDS: tuple[str, ...] = ()
# event type -> its handler, the aggregate it changes, and the aggregates it reads
ROUTES: dict[type, Route] = {}
