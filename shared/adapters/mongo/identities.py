"""Which events a service has already accepted, kept in MongoDB (shared.write.identities says what for)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, DuplicateKeyError

COLLECTION = "event_identities"


class MongoIdentities:
    """`event_identities`: {_id: identity, fingerprint}. Insert-only: the first fingerprint stays.

    `by_id`: look each identity up with its own `{_id: X}` query, concurrently, rather than one
    `{_id: {$in: [...]}}`. FerretDB 1.x pushes only the first down to its backend (on PostgreSQL,
    served by the GIN index of shared.adapters.mongo.ferretdb_indexes); `$in` reads the whole collection, which grows
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
