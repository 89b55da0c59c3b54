"""Readers' accounts, their sessions, the sign-in throttle and the audit log of views, in the auth database.

- `readers`: one document per account (`_id` its username), with its argon2id password hash (None for an account
  that signs in only through OpenID Connect).
- `reader_sessions`: one per session, `_id` the SHA-256 of its cookie's token (the token itself is never stored).
- `login_attempts`: failed sign-ins counted per account and per address in fixed windows.
- `audit_log`: who read what of which partnership, when.

No TTL indexes (FerretDB has none): expired sessions and spent windows are deleted by the writes that pass them.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from shared.auth.readers import Reader, Role, Viewer


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _token_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ReaderExists(Exception):
    pass


class ReaderStore:
    def __init__(self, db: AsyncDatabase):
        self.collection = db["readers"]

    async def add(self, reader: Reader, password_hash: str | None) -> Reader:
        doc = {"_id": reader.username, "password_hash": password_hash,
               **reader.model_dump(exclude={"username"}, mode="python")}
        try:
            await self.collection.insert_one(doc)
        except DuplicateKeyError as exc:
            raise ReaderExists(reader.username) from exc
        return reader

    async def update(self, username: str, **fields: Any) -> bool:
        """Change an account's role, partnerships, name or password hash."""
        result = await self.collection.update_one({"_id": username}, {"$set": fields})
        return result.matched_count == 1

    async def get(self, username: str) -> tuple[Reader, str | None] | None:
        """The account and its password hash, or None."""
        doc = await self.collection.find_one({"_id": username})
        if doc is None:
            return None
        return Reader(username=doc["_id"], **{k: v for k, v in doc.items() if k not in ("_id", "password_hash")}), \
            doc.get("password_hash")

    async def list(self) -> list[Reader]:
        return [Reader(username=d["_id"], **{k: v for k, v in d.items() if k not in ("_id", "password_hash")})
                async for d in self.collection.find({}).sort("_id", ASCENDING)]

    async def disable(self, username: str) -> bool:
        result = await self.collection.update_one({"_id": username, "disabled_at": None},
                                                  {"$set": {"disabled_at": _now()}})
        return result.modified_count == 1


@dataclass(frozen=True)
class SessionPolicy:
    lifetime: timedelta = timedelta(hours=8)  # a session ends this long after sign-in, however active
    idle: timedelta = timedelta(minutes=60)  # and after this long without a request
    touch_every: timedelta = timedelta(minutes=1)  # how stale `last_seen` may get before a request writes it

    @classmethod
    def of(cls, hours: float, idle_minutes: float) -> "SessionPolicy":
        return cls(lifetime=timedelta(hours=hours), idle=timedelta(minutes=idle_minutes))


class SessionStore:
    """Sessions that expire (after `lifetime`, or `idle` without use) and can be revoked, one or all of a reader's.

    Each request reads its session by `_id` (one lookup, the account's read with it); a request writes only when
    `last_seen` is older than `touch_every`, so a busy page does not write on every figure it fetches."""

    def __init__(self, db: AsyncDatabase, policy: SessionPolicy = SessionPolicy()):
        self.collection = db["reader_sessions"]
        self.readers = ReaderStore(db)
        self.policy = policy

    async def create(self, username: str, address: str | None = None) -> tuple[str, str]:
        """A new session: (the cookie's token, the session's CSRF token)."""
        token, csrf, now = secrets.token_urlsafe(32), secrets.token_urlsafe(24), _now()
        await self.collection.delete_many({"username": username, "expires_at": {"$lt": now}})  # this reader's spent
        await self.collection.insert_one({"_id": _token_id(token), "username": username, "csrf": csrf,
                                          "created_at": now, "last_seen": now, "expires_at": now + self.policy.lifetime,
                                          "address": address, "revoked_at": None})
        return token, csrf

    async def viewer(self, token: str | None) -> Viewer | None:
        """Who holds this session, if it is live and its account enabled; else None."""
        if not token or len(token) > 100:
            return None
        doc = await self.collection.find_one({"_id": _token_id(token)})
        now = _now()
        if doc is None or doc.get("revoked_at") or doc["expires_at"] <= now \
                or doc["last_seen"] + self.policy.idle <= now:
            return None
        found = await self.readers.get(doc["username"])
        if found is None or found[0].disabled_at is not None:
            return None
        if doc["last_seen"] + self.policy.touch_every <= now:
            await self.collection.update_one({"_id": doc["_id"]}, {"$set": {"last_seen": now}})
        return Viewer.of_reader(found[0], doc["csrf"])

    async def revoke(self, token: str) -> None:
        await self.collection.update_one({"_id": _token_id(token)}, {"$set": {"revoked_at": _now()}})

    async def revoke_all(self, username: str) -> int:
        result = await self.collection.update_many({"username": username, "revoked_at": None},
                                                   {"$set": {"revoked_at": _now()}})
        return result.modified_count

    async def prepare(self) -> None:
        await self.collection.create_index([("username", ASCENDING)])


@dataclass(frozen=True)
class ThrottlePolicy:
    window: timedelta = timedelta(minutes=15)
    per_account: int = 5  # failed sign-ins of one account in a window before it is refused until the next
    per_address: int = 20  # failed sign-ins from one address in a window (many accounts tried from one place)

    @classmethod
    def of(cls, window_minutes: float, per_account: int, per_address: int) -> "ThrottlePolicy":
        return cls(window=timedelta(minutes=window_minutes), per_account=per_account, per_address=per_address)


class LoginThrottle:
    """Failed sign-ins counted per account and per address in fixed windows (one `$inc` upsert each, safe with
    many replicas); while either count is at its limit, a sign-in is refused before its password is checked."""

    def __init__(self, db: AsyncDatabase, policy: ThrottlePolicy = ThrottlePolicy()):
        self.collection = db["login_attempts"]
        self.policy = policy

    def _window(self, now: datetime) -> int:
        return int(now.timestamp() // self.policy.window.total_seconds())

    def _ids(self, account: str, address: str, window: int) -> tuple[str, str]:
        return f"account:{account}:{window}", f"address:{address}:{window}"

    async def retry_after(self, account: str, address: str) -> int:
        """Seconds until a sign-in may be tried again, 0 when it may now."""
        now = _now()
        window = self._window(now)
        account_id, address_id = self._ids(account, address, window)
        for _id, limit in ((account_id, self.policy.per_account), (address_id, self.policy.per_address)):
            doc = await self.collection.find_one({"_id": _id})
            if doc and doc["failures"] >= limit:
                return max(1, int((window + 1) * self.policy.window.total_seconds() - now.timestamp()))
        return 0

    async def failed(self, account: str, address: str) -> None:
        window = self._window(_now())
        for _id in self._ids(account, address, window):
            await self.collection.update_one({"_id": _id}, {"$inc": {"failures": 1}, "$set": {"window": window}},
                                             upsert=True)
        await self.collection.delete_many({"window": {"$lt": window - 1}})

    async def succeeded(self, account: str, address: str) -> None:
        """A right password clears the account's count (not the address's: one good account must not unlock a
        guessing run against others)."""
        await self.collection.delete_one({"_id": self._ids(account, address, self._window(_now()))[0]})

    async def prepare(self) -> None:
        await self.collection.create_index([("window", ASCENDING)])


class AuditLog:
    """Every view of a page, a figure or an export, and every refusal of one: who, what, which partnership, when."""

    def __init__(self, db: AsyncDatabase):
        self.collection = db["audit_log"]

    async def record(self, viewer: Viewer | None, partnership: str, what: str, outcome: str = "shown",
                     address: str | None = None) -> None:
        await self.collection.insert_one({
            "at": _now(), "partnership": partnership, "who": viewer.who if viewer else "anonymous",
            "name": viewer.name if viewer else None,
            "role": str(viewer.role) if viewer and viewer.role else None, "what": what, "outcome": outcome,
            "address": address})

    async def entries(self, partnership: str, since: datetime | None = None, limit: int = 200) -> list[dict]:
        """The partnership's entries, newest first."""
        query: dict[str, Any] = {"partnership": partnership}
        if since is not None:
            query["at"] = {"$gte": since}
        found = self.collection.find(query, {"_id": 0}).sort([("at", DESCENDING)]).limit(limit)
        return [{**d, "at": d["at"].isoformat()} async for d in found]

    async def prepare(self) -> None:
        await self.collection.create_index([("partnership", ASCENDING), ("at", DESCENDING)])


__all__ = ["AuditLog", "LoginThrottle", "ReaderExists", "ReaderStore", "Role", "SessionPolicy", "SessionStore",
           "ThrottlePolicy"]
