"""Aggregates stored one document each, with their outbox inside the same document.

A state change and the events it publishes are written in one single-document write, which is atomic
on MongoDB and FerretDB alike: both happen or neither. The outbox relay (shared.write.outbox) publishes
the pending entries and then removes them.

FerretDB does not lock a document during an update, so every write to an aggregate document is made
under that aggregate's lock in this process, and carries the version it read (optimistic concurrency
for several replicas on MongoDB).
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from shared.events.catalogue import topic_for
from shared.events.base import Decision
from shared.events.envelope import SCHEMA_BASE, Envelope, decision_of, schema_url
from shared.kafka.producer import event_headers
from shared.observability.tracing import inject_headers

Key = tuple[str, str]  # (kind, id): kind is the collection; id is "<partnership>/<aggregate id>"


def scoped_key(partnership: str, key: Key) -> Key:
    """An aggregate's key within its partnership: ids are unique per partnership, not across them."""
    kind, id = key
    return kind, f"{partnership}/{id}"


def partnership_of(id: str) -> str:
    return id.split("/", 1)[0]


class ConcurrencyError(Exception):
    """Someone else wrote the aggregate since it was read: load it again and retry."""


@dataclass
class Stored:
    kind: str
    id: str
    version: int = 0  # 0: not stored yet
    state: dict[str, Any] | None = None
    applied: list[str] = field(default_factory=list)  # "identity:fingerprint" of each event applied
    outbox: list[dict[str, Any]] = field(default_factory=list)


APPLIED_WINDOW = 200  # marks an aggregate keeps: its latest events; older ones are in event_identities


def applied_mark(envelope: Envelope) -> str:
    """What an aggregate keeps of an event it applied: its identity (source and id) and its content's digest."""
    return f"{envelope.identity}:{envelope.fingerprint}"


@dataclass(frozen=True)
class Parked:
    """An outbox entry that can never be published (too large, refused by the broker), moved aside with why."""

    kind: str
    aggregate: str
    entry: dict[str, Any]
    reason: str
    parked_at: datetime

    @property
    def key(self) -> str:
        return f"{self.kind}/{self.aggregate}/{self.entry['id']}"


class AggregateStore(Protocol):
    async def load(self, kind: str, id: str) -> Stored | None: ...
    async def save(self, stored: Stored, state: dict[str, Any], entries: list[dict], applied: list[str]) -> None: ...
    async def pending(self, limit: int) -> list[Stored]: ...
    async def outbox_of(self, kind: str, id: str) -> Stored | None: ...
    async def remove_from_outbox(self, kind: str, id: str, entry_ids: set[str]) -> None: ...
    async def park(self, parked: Parked) -> None: ...
    async def parked(self, limit: int = 100) -> list[Parked]: ...
    async def count_parked(self) -> int: ...


class KeyedLocks:
    """One asyncio lock per aggregate, taken in sorted order so that two batches never deadlock."""

    def __init__(self) -> None:
        self._locks: dict[Key, asyncio.Lock] = {}
        self._users: dict[Key, int] = {}

    @asynccontextmanager
    async def hold(self, keys: Iterable[Key]):
        ordered = sorted(set(keys))
        for key in ordered:
            self._users[key] = self._users.get(key, 0) + 1
            self._locks.setdefault(key, asyncio.Lock())
        taken: list[asyncio.Lock] = []
        try:
            for key in ordered:
                await self._locks[key].acquire()
                taken.append(self._locks[key])
            yield
        finally:
            for lock in reversed(taken):
                lock.release()
            for key in ordered:
                self._users[key] -= 1
                if not self._users[key]:
                    del self._users[key], self._locks[key]


def outbox_entry(envelope: Envelope, key: str, topic_prefix: str, schema_base: str = SCHEMA_BASE) -> dict[str, Any]:
    """What the relay will publish: the envelope as a CloudEvent, keyed by aggregate, with the
    correlation id and the current trace context (captured now, inside the request's span), and as its
    `dataschema` the URL of its type's schema under `schema_base` (where the service serves it, shared.http.schemas).
    Headers are kept as a document, not pairs: FerretDB refuses nested arrays."""
    if envelope.dataschema != (url := schema_url(envelope.type, schema_base)):  # ingest set it already on a fact
        envelope = envelope.model_copy(update={"dataschema": url})
    headers = inject_headers(event_headers(envelope.type, envelope.id, envelope.correlationid))
    return {"id": envelope.identity, "event_id": envelope.id, "type": envelope.type,
            "topic": topic_for(envelope.domain, topic_prefix), "key": key,
            "value": envelope.to_json().decode(), "headers": {k: v.decode() for k, v in headers}}


class UnitOfWork:
    """Loads the aggregates a batch of commands touches, lets pure handlers change them, saves each once."""

    def __init__(self, store: AggregateStore, locks: KeyedLocks, topic_prefix: str = "", schema_base: str = SCHEMA_BASE):
        self.store, self.locks, self.topic_prefix, self.schema_base = store, locks, topic_prefix, schema_base
        self._loaded: dict[Key, Stored] = {}
        self._changes: dict[Key, tuple[dict[str, Any], list[dict], list[str]]] = {}
        self._decided: dict[str, int] = {}  # decisions published so far per fact (by identity)

    def get(self, kind: str, id: str) -> dict[str, Any] | None:
        """The aggregate's current state, including changes made earlier in this unit of work."""
        if (kind, id) in self._changes:
            return self._changes[(kind, id)][0]
        stored = self._loaded.get((kind, id))
        return stored.state if stored else None

    def applied_fingerprint(self, kind: str, id: str, envelope: Envelope) -> str | None:
        """The fingerprint of the event with this one's identity that the aggregate applied, if any."""
        prefix = envelope.identity + ":"
        stored = self._loaded.get((kind, id))
        pending = self._changes.get((kind, id))
        for mark in (*(stored.applied if stored else ()), *(pending[2] if pending else ())):
            if mark.startswith(prefix):
                return mark[len(prefix):]
        return None

    def scoped(self, partnership: str) -> "Scoped":
        """This unit of work as one partnership's handlers see it: aggregates named by their own ids."""
        return Scoped(self, partnership)

    @property
    def changed(self) -> list[Key]:
        """The aggregates the last run changed (their outbox now holds events)."""
        return list(self._changes)

    def record(self, kind: str, id: str, state: dict[str, Any], envelope: Envelope) -> None:
        """Set the aggregate's new state and queue the event that says so."""
        _, entries, applied = self._changes.get((kind, id), (None, [], []))
        entries.append(outbox_entry(envelope, id, self.topic_prefix, self.schema_base))
        applied.append(applied_mark(envelope))
        self._changes[(kind, id)] = (state, entries, applied)

    def publish(self, kind: str, id: str, fact: Envelope, decision: Decision) -> None:
        """Queue a decision the service made from `fact` on the aggregate's outbox, after the fact: the same write
        stores both, and they travel in order, on the aggregate's key. The aggregate must have recorded the fact."""
        if (kind, id) not in self._changes:
            raise RuntimeError(f"record the fact on {kind}/{id} before publishing what was decided from it")
        n = self._decided.get(fact.identity, 0)
        self._decided[fact.identity] = n + 1
        envelope = decision_of(fact, decision.type_name, decision.model_dump(mode="json"), n)
        self._changes[(kind, id)][1].append(outbox_entry(envelope, id, self.topic_prefix, self.schema_base))

    async def run(self, keys: Sequence[Key], work: Callable[["UnitOfWork"], Any], attempts: int = 5) -> Any:
        """Lock and load `keys`, run `work` (pure, synchronous), then save every changed aggregate."""
        async with self.locks.hold(keys):
            for attempt in range(attempts):
                self._changes = {}
                self._decided = {}
                self._loaded = {}
                for kind, id in set(keys):
                    stored = await self.store.load(kind, id)
                    if stored:
                        self._loaded[(kind, id)] = stored
                result = work(self)
                try:
                    for (kind, id), (state, entries, applied) in self._changes.items():
                        stored = self._loaded.get((kind, id)) or Stored(kind, id)
                        await self.store.save(stored, state, entries, applied)
                    return result
                except ConcurrencyError:
                    if attempt == attempts - 1:
                        raise
                    await asyncio.sleep(0.01 * (attempt + 1))


class Scoped:
    """A unit of work seen from one partnership. Handlers say `get(COURSES, "c1")`; what is stored and
    published is `doncaster/c1`, so two partnerships may both have a course `c1`."""

    def __init__(self, uow: UnitOfWork, partnership: str):
        self.uow, self.partnership = uow, partnership

    def get(self, kind: str, id: str) -> dict[str, Any] | None:
        return self.uow.get(*scoped_key(self.partnership, (kind, id)))

    def record(self, kind: str, id: str, state: dict[str, Any], envelope: Envelope) -> None:
        self.uow.record(*scoped_key(self.partnership, (kind, id)), state, envelope)

    def decide(self, kind: str, id: str, fact: Envelope, *decisions: Decision) -> None:
        """Publish what the service decided from `fact` (shared.events.base.Decision), after recording it."""
        for decision in decisions:
            self.uow.publish(*scoped_key(self.partnership, (kind, id)), fact, decision)


class MemoryAggregateStore:
    """The in-memory fake of AggregateStore, for unit tests."""

    def __init__(self) -> None:
        self.docs: dict[Key, Stored] = {}
        self.parked_entries: dict[str, Parked] = {}

    async def load(self, kind: str, id: str) -> Stored | None:
        s = self.docs.get((kind, id))
        return Stored(kind, id, s.version, copy.deepcopy(s.state), list(s.applied), list(s.outbox)) if s else None

    async def save(self, stored: Stored, state, entries, applied) -> None:
        current = self.docs.get((stored.kind, stored.id))
        if (current.version if current else 0) != stored.version:
            raise ConcurrencyError(stored.kind, stored.id)
        self.docs[(stored.kind, stored.id)] = Stored(
            stored.kind, stored.id, stored.version + 1, state,
            ((current.applied if current else []) + applied)[-APPLIED_WINDOW:], (current.outbox if current else []) + entries)

    async def pending(self, limit: int) -> list[Stored]:
        return [s for s in self.docs.values() if s.outbox][:limit]

    async def outbox_of(self, kind: str, id: str) -> Stored | None:
        return self.docs.get((kind, id))

    async def remove_from_outbox(self, kind: str, id: str, entry_ids: set[str]) -> None:
        s = self.docs[(kind, id)]
        s.outbox = [e for e in s.outbox if e["id"] not in entry_ids]
        s.version += 1

    async def park(self, parked: Parked) -> None:
        self.parked_entries[parked.key] = parked
        await self.remove_from_outbox(parked.kind, parked.aggregate, {parked.entry["id"]})

    async def parked(self, limit: int = 100) -> list[Parked]:
        return list(self.parked_entries.values())[:limit]

    async def count_parked(self) -> int:
        return len(self.parked_entries)
