"""Partner and reader keys, kept in the `api_keys` collection of the auth database, only as hashes."""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta, timezone

from cachetools import TTLCache
from pymongo.asynchronous.database import AsyncDatabase

from shared.auth.keys import _UNCACHED, PREFIX, ApiKey, _hash, split_key


class KeyStore:
    """Keys in the `api_keys` collection of the auth database, cached briefly to spare a read per request.

    The cache holds at most `cache_size` key ids, each for `cache_s`, whether found or not, so a flood of
    made-up keys costs reads but never memory. A token that is not shaped like a key is refused before
    any lookup and leaves nothing behind.
    """

    def __init__(self, db: AsyncDatabase, cache_s: float = 30.0, cache_size: int = 1024):
        self.collection = db["api_keys"]
        self.cache_s = cache_s
        self._cache: TTLCache[str, dict | None] = TTLCache(maxsize=cache_size, ttl=cache_s)

    async def create(self, agency: str, event_types: list[str], label: str = "", *, partnerships: list[str],
                     may_correct: bool = False, scope: str = "emit", requests_per_s: int | None = None,
                     events_per_s: int | None = None) -> tuple[str, ApiKey]:
        """Make a key for one agency, emitting to `partnerships` (or, `scope="read"`, reading their figures); return
        the raw key (shown once) and its record."""
        key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(24).replace("_", "-")
        key = ApiKey(key_id=key_id, agency=agency, event_types=event_types, label=label,
                     partnerships=sorted(set(partnerships)), created_at=datetime.now(timezone.utc),
                     may_correct=may_correct, scope=scope, requests_per_s=requests_per_s,
                     events_per_s=events_per_s)
        await self.collection.insert_one({"_id": key_id, "hash": _hash(secret), **key.model_dump(exclude={"key_id"})})
        return f"{PREFIX}_{key_id}_{secret}", key

    async def authenticate(self, raw: str | None) -> ApiKey | None:
        """The key's record if `raw` is a valid, unrevoked key; else None."""
        parts = split_key(raw or "")
        if parts is None:
            return None
        key_id, secret = parts
        doc = self._cache.get(key_id, _UNCACHED)
        if doc is _UNCACHED:
            doc = self._cache[key_id] = await self.collection.find_one({"_id": key_id})
        if not doc or doc.get("revoked_at") or not hmac.compare_digest(doc["hash"], _hash(secret)):
            return None
        expires = doc.get("expires_at")
        if expires is not None and datetime.now(timezone.utc) >= expires.replace(tzinfo=expires.tzinfo or timezone.utc):
            return None
        return ApiKey(key_id=doc["_id"], **{k: v for k, v in doc.items() if k not in ("_id", "hash")})

    async def list(self) -> list[ApiKey]:
        return [ApiKey(key_id=d["_id"], **{k: v for k, v in d.items() if k not in ("_id", "hash")})
                async for d in self.collection.find({})]

    async def revoke(self, key_id: str) -> bool:
        result = await self.collection.update_one({"_id": key_id, "revoked_at": None},
                                                  {"$set": {"revoked_at": datetime.now(timezone.utc)}})
        self._cache.pop(key_id, None)
        return result.modified_count == 1

    async def rotate(self, key_id: str, overlap: timedelta) -> tuple[str, ApiKey] | None:
        """A successor of an active key, with the same agency, rights and partnerships; the old key keeps working
        for `overlap` (the partner's system switches meanwhile), then stops. None when `key_id` is not active."""
        doc = await self.collection.find_one({"_id": key_id, "revoked_at": None})
        if doc is None or (doc.get("expires_at") is not None):
            return None
        old = ApiKey(key_id=doc["_id"], **{k: v for k, v in doc.items() if k not in ("_id", "hash")})
        raw, new = await self.create(old.agency, old.event_types, old.label, partnerships=old.partnerships,
                                     may_correct=old.may_correct, scope=old.scope, requests_per_s=old.requests_per_s,
                                     events_per_s=old.events_per_s)
        await self.collection.update_one({"_id": new.key_id}, {"$set": {"rotated_from": key_id}})
        await self.collection.update_one({"_id": key_id},
                                         {"$set": {"expires_at": datetime.now(timezone.utc) + overlap}})
        self._cache.pop(key_id, None)
        return raw, new.model_copy(update={"rotated_from": key_id})

    async def create_read_key(self, label: str, *, partnerships: list[str]) -> tuple[str, ApiKey]:
        """A key for a partnership's own reporting tools: reads the figures of `partnerships`, emits nothing."""
        return await self.create("reader", [], label, partnerships=partnerships, scope="read")
