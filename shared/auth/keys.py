"""API keys: made once, shown once, stored only as a hash."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timezone
from fnmatch import fnmatchcase

from cachetools import TTLCache
from pydantic import BaseModel
from pymongo.asynchronous.database import AsyncDatabase

PREFIX = "scp"
# What KeyStore.create makes: 12 hex digits of id, then token_urlsafe(24) (32 characters) with "_" made "-".
KEY_SHAPE = re.compile(rf"{PREFIX}_([0-9a-f]{{12}})_([A-Za-z0-9-]{{32}})")
KEY_LENGTH = len(PREFIX) + 1 + 12 + 1 + 32
_UNCACHED = object()


class ApiKey(BaseModel):
    key_id: str
    agency: str
    event_types: list[str]  # exact type names, or patterns such as "training.*"
    partnerships: list[str] = []  # the partnerships it may emit to
    label: str = ""
    created_at: datetime
    revoked_at: datetime | None = None
    may_correct: bool = False  # may change facts that other agencies recorded (an administrator's key)

    def may_emit(self, type_name: str) -> bool:
        return any(fnmatchcase(type_name, pattern) for pattern in self.event_types)

    def may_emit_to(self, partnership: str) -> bool:
        return partnership in self.partnerships


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def split_key(raw: str) -> tuple[str, str] | None:
    """(key id, secret) if `raw` has the exact shape of a key, else None; a long token is refused unread."""
    if len(raw) > KEY_LENGTH + 8:  # room for surrounding blanks, which strip() below removes
        return None
    match = KEY_SHAPE.fullmatch(raw.strip())
    return (match[1], match[2]) if match else None


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
                     may_correct: bool = False) -> tuple[str, ApiKey]:
        """Make a key for one agency, emitting to `partnerships`; return the raw key (shown once) and its record."""
        key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(24).replace("_", "-")
        key = ApiKey(key_id=key_id, agency=agency, event_types=event_types, label=label,
                     partnerships=sorted(set(partnerships)), created_at=datetime.now(timezone.utc),
                     may_correct=may_correct)
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
        return ApiKey(key_id=doc["_id"], **{k: v for k, v in doc.items() if k not in ("_id", "hash")})

    async def list(self) -> list[ApiKey]:
        return [ApiKey(key_id=d["_id"], **{k: v for k, v in d.items() if k not in ("_id", "hash")})
                async for d in self.collection.find({})]

    async def revoke(self, key_id: str) -> bool:
        result = await self.collection.update_one({"_id": key_id, "revoked_at": None},
                                                  {"$set": {"revoked_at": datetime.now(timezone.utc)}})
        self._cache.pop(key_id, None)
        return result.modified_count == 1
