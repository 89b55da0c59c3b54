"""Which events a service has already accepted, by identity (CloudEvents: `source` and `id`).

Each accepted event leaves its identity and its content's fingerprint here, so that the same event
sent again is recognised as a duplicate, and a different event reusing the identity, whatever
aggregate it targets, as a conflict (409 naming `id`). Aggregates also keep the marks of the events
applied to them, written in the same write as their state: that is the exact check, and this
registry, written just after, is what catches a reused identity aimed at another aggregate.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from typing import Protocol

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, DuplicateKeyError

COLLECTION = "event_identities"


class Identities(Protocol):
    async def known(self, identities: Sequence[str]) -> dict[str, str]: ...
    async def remember(self, marks: Iterable[tuple[str, str]]) -> None: ...


class MemoryIdentities:
    def __init__(self) -> None:
        self.marks: dict[str, str] = {}

    async def known(self, identities: Sequence[str]) -> dict[str, str]:
        return {i: self.marks[i] for i in identities if i in self.marks}

    async def remember(self, marks: Iterable[tuple[str, str]]) -> None:
        for identity, fingerprint in marks:
            self.marks.setdefault(identity, fingerprint)


class MongoIdentities:
    """`event_identities`: {_id: identity, fingerprint}. Insert-only: the first fingerprint stays.

    `by_id`: look each identity up with its own `{_id: X}` query, concurrently, rather than one
    `{_id: {$in: [...]}}`. FerretDB 1.x pushes only the first down to its backend (on PostgreSQL,
    served by the GIN index of shared.ferretdb_indexes); `$in` reads the whole collection, which grows
    with every event ever accepted. MongoDB serves both from its `_id` index, so there `$in` is used.
    """

    def __init__(self, db: AsyncDatabase, *, by_id: bool = False):
        self.collection, self.by_id = db[COLLECTION], by_id

    async def known(self, identities: Sequence[str]) -> dict[str, str]:
        wanted = list(dict.fromkeys(identities))
        if not wanted:
            return {}
        if self.by_id:
            found = await asyncio.gather(*(self.collection.find_one({"_id": i}, {"fingerprint": 1}) for i in wanted))
            return {d["_id"]: d["fingerprint"] for d in found if d}
        return {d["_id"]: d["fingerprint"]
                async for d in self.collection.find({"_id": {"$in": wanted}}, {"fingerprint": 1})}

    async def remember(self, marks: Iterable[tuple[str, str]]) -> None:
        docs = [{"_id": identity, "fingerprint": fingerprint} for identity, fingerprint in dict(marks).items()]
        if not docs:
            return
        try:
            await self.collection.insert_many(docs, ordered=False)
        except (BulkWriteError, DuplicateKeyError):  # some were there already (a race, or a replay): insert the rest one by one
            for doc in docs:
                try:
                    await self.collection.insert_one(doc)
                except DuplicateKeyError:
                    pass
