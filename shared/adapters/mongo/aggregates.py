"""The MongoDB implementation of AggregateStore: one document per aggregate, outbox inside."""

from __future__ import annotations

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from shared.write.aggregates import APPLIED_WINDOW, ConcurrencyError, KeyedLocks, Parked, Stored, partnership_of

PARKED = "outbox_parked"


class MongoAggregateStore:
    """Documents: {_id: "<partnership>/<id>", partnership, version, state, applied: [marks], outbox: [entries],
    pending: bool}. Bounded: `applied` keeps the latest APPLIED_WINDOW marks (every identity is also in
    event_identities), and the outbox empties as the relay publishes.

    With `compare_and_set` (MongoDB), every update is filtered on the version it read, an atomic
    check that protects several replicas. FerretDB does not make that check atomic (it does not lock a
    document during an update) and reads the whole collection for any filter but `{_id}`, so there
    the filter is `{_id}` alone and the per-aggregate locks of the one process are what keep a single
    writer: run one replica of a service on FerretDB.
    """

    def __init__(self, db: AsyncDatabase, kinds: tuple[str, ...], locks: KeyedLocks, *, compare_and_set: bool = True):
        self.db, self.kinds, self.locks, self.compare_and_set = db, kinds, locks, compare_and_set

    def _current(self, id: str, version: int) -> dict[str, Any]:
        return {"_id": id, "version": version} if self.compare_and_set else {"_id": id}

    async def create_indexes(self) -> None:
        for kind in self.kinds:
            await self.db[kind].create_index("pending")

    async def load(self, kind: str, id: str) -> Stored | None:
        doc = await self.db[kind].find_one({"_id": id})
        if doc is None:
            return None
        return Stored(kind, id, doc["version"], doc["state"], doc.get("applied", []), doc.get("outbox", []))

    async def save(self, stored: Stored, state: dict[str, Any], entries: list[dict], applied: list[str]) -> None:
        if stored.version == 0:
            try:
                await self.db[stored.kind].insert_one({"_id": stored.id, "partnership": partnership_of(stored.id),
                                                       "version": 1, "state": state,
                                                       "applied": applied[-APPLIED_WINDOW:], "outbox": entries,
                                                       "pending": bool(entries)})
            except DuplicateKeyError as exc:
                raise ConcurrencyError(stored.kind, stored.id) from exc
            return
        result = await self.db[stored.kind].update_one(
            self._current(stored.id, stored.version),
            {"$set": {"state": state, "version": stored.version + 1, "pending": True,
                      "applied": (stored.applied + applied)[-APPLIED_WINDOW:]},
             "$push": {"outbox": {"$each": entries}}})
        if result.matched_count != 1:
            raise ConcurrencyError(stored.kind, stored.id)

    async def pending(self, limit: int) -> list[Stored]:
        out: list[Stored] = []
        for kind in self.kinds:
            async for doc in self.db[kind].find({"pending": True}, {"state": 0, "applied": 0}).limit(limit):
                out.append(Stored(kind, doc["_id"], doc["version"], None, [], doc.get("outbox", [])))
        return out

    async def outbox_of(self, kind: str, id: str) -> Stored | None:
        doc = await self.db[kind].find_one({"_id": id}, {"outbox": 1, "version": 1})
        return Stored(kind, id, doc["version"], None, [], doc.get("outbox", [])) if doc else None

    async def remove_from_outbox(self, kind: str, id: str, entry_ids: set[str]) -> None:
        async with self.locks.hold([(kind, id)]):
            doc = await self.db[kind].find_one({"_id": id}, {"outbox": 1, "version": 1})
            remaining = [e for e in doc.get("outbox", []) if e["id"] not in entry_ids]
            await self.db[kind].update_one(self._current(id, doc["version"]),
                                           {"$set": {"outbox": remaining, "pending": bool(remaining),
                                                     "version": doc["version"] + 1}})

    async def park(self, parked: Parked) -> None:
        """Keep the entry in `outbox_parked` first, then take it out of the outbox: a crash between the
        two leaves it in both, and the relay parks it again (the same `_id`), never loses it."""
        await self.db[PARKED].replace_one(
            {"_id": parked.key},
            {"kind": parked.kind, "aggregate": parked.aggregate, "entry": parked.entry, "reason": parked.reason,
             "parked_at": parked.parked_at}, upsert=True)
        await self.remove_from_outbox(parked.kind, parked.aggregate, {parked.entry["id"]})

    async def parked(self, limit: int = 100) -> list[Parked]:
        return [Parked(d["kind"], d["aggregate"], d["entry"], d["reason"], d["parked_at"])
                async for d in self.db[PARKED].find({}).sort("parked_at", 1).limit(limit)]

    async def count_parked(self) -> int:
        return await self.db[PARKED].count_documents({})

    async def requeue(self, key: str) -> bool:
        """Put a parked entry back at the end of its aggregate's outbox (after the cause is fixed)."""
        doc = await self.db[PARKED].find_one({"_id": key})
        if doc is None:
            return False
        async with self.locks.hold([(doc["kind"], doc["aggregate"])]):
            current = await self.db[doc["kind"]].find_one({"_id": doc["aggregate"]}, {"outbox": 1, "version": 1})
            if current is None:
                return False
            outbox = [e for e in current.get("outbox", []) if e["id"] != doc["entry"]["id"]] + [doc["entry"]]
            await self.db[doc["kind"]].update_one(self._current(doc["aggregate"], current["version"]),
                                                  {"$set": {"outbox": outbox, "pending": True,
                                                            "version": current["version"] + 1}})
        await self.db[PARKED].delete_one({"_id": key})
        return True

    async def discard(self, key: str) -> bool:
        """Forget a parked entry for good (it stays in the aggregate's state; only its publication is dropped)."""
        return (await self.db[PARKED].delete_one({"_id": key})).deleted_count == 1
