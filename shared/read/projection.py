"""What a projection handler returns: writes described as data, applied by the consumer's sink.

Handlers stay pure (no I/O), so they are unit-tested without a database, and the sink can apply a
whole batch in one `bulk_write` per collection.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Upsert:
    """Set these fields on the document with this `_id`, creating it if absent, and add these values to these
    array fields (each value once: `$addToSet`). Idempotent, whatever the order of two writes' values."""

    collection: str
    id: str
    set: dict[str, Any]
    set_on_insert: dict[str, Any] = field(default_factory=dict)
    add_to_set: dict[str, list[Any]] = field(default_factory=dict)


class Sink(Protocol):
    """Where projected writes go. The MongoDB sink is in shared.adapters.mongo.sink; tests use a dict.

    A sink says which of its errors mean it cannot be reached now (`unreachable`: the consumer retries without
    limit, and commits nothing meanwhile) and which mean it refused a write (`refused`: retried a few times, then
    dead-lettered), so that the consumer knows nothing of the database behind it."""

    unreachable: tuple[type[BaseException], ...]
    refused: tuple[type[BaseException], ...]

    async def apply(self, writes: Sequence[Upsert]) -> None: ...


class MemorySink:
    """An in-memory sink for unit tests: collection -> _id -> document."""

    unreachable: tuple[type[BaseException], ...] = (OSError, TimeoutError)
    refused: tuple[type[BaseException], ...] = ()

    def __init__(self) -> None:
        self.collections: dict[str, dict[str, dict[str, Any]]] = {}

    async def apply(self, writes: Iterable[Upsert]) -> None:
        for w in writes:
            docs = self.collections.setdefault(w.collection, {})
            doc = docs.get(w.id)
            if doc is None:
                doc = docs[w.id] = {"_id": w.id, **w.set_on_insert}
            doc.update(w.set)
            for name, values in w.add_to_set.items():
                held = doc.setdefault(name, [])
                held.extend(v for v in values if v not in held)
