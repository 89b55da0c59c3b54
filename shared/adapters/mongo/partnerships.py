"""The partnerships a deployment hosts, kept in the `partnerships` collection of the auth database."""

from __future__ import annotations

from datetime import datetime, timezone

from cachetools import TTLCache
from pymongo.asynchronous.database import AsyncDatabase

from shared.partnerships import Partnership, is_code


class PartnershipRegistry:
    """The registry, cached briefly: a partnership added is known to every service within `cache_s`."""

    def __init__(self, db: AsyncDatabase, cache_s: float = 30.0, cache_size: int = 1024):
        self.collection = db["partnerships"]
        self._cache: TTLCache[str, Partnership | None] = TTLCache(maxsize=cache_size, ttl=cache_s)

    async def add(self, partnership: Partnership) -> Partnership:
        """Register a partnership, or update its name, area and reporting year."""
        doc = partnership.model_dump(exclude={"code", "created_at"})
        await self.collection.update_one({"_id": partnership.code},
                                         {"$set": doc, "$setOnInsert": {"created_at": datetime.now(timezone.utc)}},
                                         upsert=True)
        self._cache.pop(partnership.code, None)
        return await self.get(partnership.code)

    async def get(self, code: str) -> Partnership | None:
        if not is_code(code):
            return None
        if code not in self._cache:
            doc = await self.collection.find_one({"_id": code})
            self._cache[code] = Partnership(code=doc["_id"], **{k: v for k, v in doc.items() if k != "_id"}) if doc else None
        return self._cache[code]

    async def list(self) -> list[Partnership]:
        return [Partnership(code=d["_id"], **{k: v for k, v in d.items() if k != "_id"})
                async for d in self.collection.find({}).sort("_id", 1)]
