"""The agencies a deployment knows by name, kept in the `agencies` collection of the auth database."""

from __future__ import annotations

from datetime import datetime, timezone

from cachetools import TTLCache
from pymongo.asynchronous.database import AsyncDatabase

from shared.agencies import Agency, Directory
from shared.partnerships import is_code


def _agency(doc: dict) -> Agency:
    return Agency(code=doc["_id"], **{k: v for k, v in doc.items() if k != "_id"})


class AgencyRegistry:
    """The registry; its `directory()` cached briefly: an agency added is named by every service within `cache_s`."""

    def __init__(self, db: AsyncDatabase, cache_s: float = 30.0):
        self.collection = db["agencies"]
        self._cache: TTLCache[str, Directory] = TTLCache(maxsize=1, ttl=cache_s)

    async def add(self, agency: Agency) -> Agency:
        """Register an agency, or update its name, kind and partnerships."""
        doc = agency.model_dump(mode="json", exclude={"code", "created_at"})
        await self.collection.update_one({"_id": agency.code},
                                         {"$set": doc, "$setOnInsert": {"created_at": datetime.now(timezone.utc)}},
                                         upsert=True)
        self._cache.clear()
        return await self.get(agency.code)

    async def get(self, code: str) -> Agency | None:
        if not is_code(code):
            return None
        doc = await self.collection.find_one({"_id": code})
        return _agency(doc) if doc else None

    async def list(self) -> list[Agency]:
        return [_agency(d) async for d in self.collection.find({}).sort("_id", 1)]

    async def remove(self, code: str) -> bool:
        removed = (await self.collection.delete_one({"_id": code})).deleted_count == 1
        self._cache.clear()
        return removed

    async def directory(self) -> Directory:
        """Every registered agency, by code (read again after `cache_s`, or after an add or remove here)."""
        if "all" not in self._cache:
            self._cache["all"] = Directory(await self.list())
        return self._cache["all"]
