"""The partnerships one deployment hosts: each one a tenant, its data walled off from the others'.

Kept in the `partnerships` collection of the auth database (beside the keys), managed with
`python -m shared.auth add-partnership|list-partnerships`. Every event names its partnership
(`partnership`, a CloudEvents extension attribute), every key names the partnerships it may emit
to, and every stored document and query is scoped to one partnership.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from cachetools import TTLCache
from pydantic import BaseModel, Field, field_validator
from pymongo.asynchronous.database import AsyncDatabase

CODE = r"^[a-z0-9][a-z0-9-]{1,62}$"
_CODE = re.compile(CODE)


class Partnership(BaseModel):
    code: str = Field(pattern=CODE, description="e.g. doncaster: in every event, key, URL and document")
    name: str = Field(min_length=2, max_length=200, description="e.g. Doncaster Safeguarding Children Partnership")
    area: str = Field(min_length=2, max_length=200, description="the local authority area it covers")
    year_starts: str = Field("04-01", pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
                             description="MM-DD: the first day of its reporting year (April for most)")
    created_at: datetime | None = None

    @field_validator("year_starts")
    @classmethod
    def _a_real_day(cls, value: str) -> str:
        month, day = map(int, value.split("-"))
        date(2001, month, day)  # raises for 02-30 and the like (2001: not a leap year, so no 02-29)
        return value

    def reporting_year(self, on: date) -> tuple[date, date]:
        """The first and last day of the reporting year that `on` falls in."""
        month, day = map(int, self.year_starts.split("-"))
        start = date(on.year, month, day)
        if on < start:
            start = date(on.year - 1, month, day)
        return start, date(start.year + 1, month, day) - timedelta(days=1)


def is_code(value: str) -> bool:
    return bool(_CODE.match(value))


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
