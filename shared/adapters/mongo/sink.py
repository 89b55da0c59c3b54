"""Applies projected writes to MongoDB: one unordered bulk_write of upserts per collection.

Collections named `last` (a read-model version stamp) are written after every other collection of the batch, so
a reader who sees the new stamp also sees everything written with it: an answer cached under a stamp is never
older than the stamp.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence

from pymongo import UpdateOne
from pymongo.errors import ConnectionFailure, OperationFailure
from pymongo.asynchronous.database import AsyncDatabase

from shared.read.projection import Upsert


def _merge(writes: Sequence[Upsert]) -> dict[str, dict[str, Upsert]]:
    """Fold writes to the same document together, in order: last write wins, as it would applied one by one, and
    the values added to an array are all added, each once."""
    merged: dict[str, dict[str, Upsert]] = defaultdict(dict)
    for w in writes:
        prev = merged[w.collection].get(w.id)
        if prev is None:
            merged[w.collection][w.id] = w
        else:
            added = {k: list(v) for k, v in prev.add_to_set.items()}
            for name, values in w.add_to_set.items():
                held = added.setdefault(name, [])
                held.extend(v for v in values if v not in held)
            merged[w.collection][w.id] = Upsert(w.collection, w.id, {**prev.set, **w.set},
                                                {**w.set_on_insert, **prev.set_on_insert}, added)
    return merged


def update_ops(writes: Sequence[Upsert]) -> dict[str, list[UpdateOne]]:
    """The writes as one upsert per document, per collection: what one bulk_write per collection sends.
    Folding matters beyond saving work: many upserts of one document in a single bulk_write hang
    FerretDB 1.24 on PostgreSQL."""
    ops: dict[str, list[UpdateOne]] = {}
    for collection, docs in _merge(writes).items():
        for w in docs.values():
            update: dict = {"$set": w.set}
            on_insert = {k: v for k, v in w.set_on_insert.items() if k not in w.set}
            if on_insert:
                update["$setOnInsert"] = on_insert
            if w.add_to_set:
                update["$addToSet"] = {name: {"$each": values} for name, values in w.add_to_set.items()}
            ops.setdefault(collection, []).append(UpdateOne({"_id": w.id}, update, upsert=True))
    return ops


class MongoSink:
    # the database unreachable (a dropped connection, a timeout): retried without limit; a refused write: a few times
    unreachable = (ConnectionFailure, OSError, asyncio.TimeoutError)
    refused = (OperationFailure,)

    def __init__(self, db: AsyncDatabase, last: Sequence[str] = ()):
        self.db, self.last = db, tuple(last)

    async def apply(self, writes: Sequence[Upsert]) -> None:
        ops = update_ops(writes)
        for collection in sorted(ops, key=lambda c: c in self.last):  # stable: first seen first, `last` at the end
            await self.db[collection].bulk_write(ops[collection], ordered=False)
