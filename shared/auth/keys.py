"""API keys: made once, shown once, stored only as a hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from datetime import datetime, timezone
from fnmatch import fnmatchcase

from pydantic import BaseModel
from pymongo.asynchronous.database import AsyncDatabase

PREFIX = "scp"


class ApiKey(BaseModel):
    key_id: str
    agency: str
    event_types: list[str]  # exact type names, or patterns such as "training.*"
    label: str = ""
    created_at: datetime
    revoked_at: datetime | None = None

    def may_emit(self, type_name: str) -> bool:
        return any(fnmatchcase(type_name, pattern) for pattern in self.event_types)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def split_key(raw: str) -> tuple[str, str] | None:
    parts = raw.strip().split("_")
    if len(parts) != 3 or parts[0] != PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


class KeyStore:
    """Keys in the `api_keys` collection of the auth database, cached briefly to spare a read per request."""

    def __init__(self, db: AsyncDatabase, cache_s: float = 30.0):
        self.collection = db["api_keys"]
        self.cache_s = cache_s
        self._cache: dict[str, tuple[float, dict | None]] = {}

    async def create(self, agency: str, event_types: list[str], label: str = "") -> tuple[str, ApiKey]:
        """Make a key; return the raw key (shown once) and its record."""
        key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(24).replace("_", "-")
        key = ApiKey(key_id=key_id, agency=agency, event_types=event_types, label=label,
                     created_at=datetime.now(timezone.utc))
        await self.collection.insert_one({"_id": key_id, "hash": _hash(secret), **key.model_dump(exclude={"key_id"})})
        return f"{PREFIX}_{key_id}_{secret}", key

    async def authenticate(self, raw: str | None) -> ApiKey | None:
        """The key's record if `raw` is a valid, unrevoked key; else None."""
        parts = split_key(raw or "")
        if parts is None:
            return None
        key_id, secret = parts
        cached = self._cache.get(key_id)
        if cached and time.monotonic() - cached[0] < self.cache_s:
            doc = cached[1]
        else:
            doc = await self.collection.find_one({"_id": key_id})
            self._cache[key_id] = (time.monotonic(), doc)
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
