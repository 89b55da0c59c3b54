"""The notifier's record of every notice it decided (MongoDB, its own database's `notices` collection), and the
subscriptions it reads are the auth database's (shared.adapters.mongo.subscriptions).

Deciding a notice is inserting its document, keyed by the notice's id (services.notifier.notices.notice_id: the
partnership, subscription and thing-with-threshold): a second decision of the same notice is a duplicate key and
changes nothing, whether it comes from another evaluation, a restart or a redelivered event. The insert is the
idempotency record and the decision in one write.

A notice then moves pending -> sending (claimed with a lease) -> sent; a failed send goes back to pending with its
next attempt after a backoff, or, after the last attempt or a failure that trying again cannot mend, to dead with its
reason (the dead-letter record, kept and listed). A notice left `sending` by a notifier that died is claimed again
once its lease has passed: a send is at least once, and the receiver tells a repeat by the notice's id.
One notifier runs at a time (one writer per notice document).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pymongo import ASCENDING, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError


NOTICES = "notices"


class Notices:
    def __init__(self, db: AsyncDatabase):
        self.collection = db[NOTICES]

    async def prepare(self) -> None:
        await self.collection.create_index([("status", ASCENDING), ("next_attempt_at", ASCENDING)])
        await self.collection.create_index([("partnership", ASCENDING), ("created_at", ASCENDING)])

    async def decide(self, doc: dict[str, Any]) -> bool:
        """Record a notice decided (pending, to be sent now); False when it was decided before."""
        try:
            await self.collection.insert_one({**doc, "status": "pending", "attempts": 0,
                                              "next_attempt_at": doc["created_at"], "lease_until": None})
            return True
        except DuplicateKeyError:
            return False

    async def due(self, now: datetime, limit: int = 50) -> list[dict[str, Any]]:
        """The notices to send now: pending ones whose next attempt has come, and ones a dead notifier left sending
        whose lease has passed; oldest first."""
        query = {"$or": [{"status": "pending", "next_attempt_at": {"$lte": now}},
                         {"status": "sending", "lease_until": {"$lte": now}}]}
        return [d async for d in self.collection.find(query).sort("created_at", 1).limit(limit)]

    async def claim(self, doc: dict[str, Any], now: datetime, lease_s: float) -> dict[str, Any] | None:
        """Take the notice to send it, if it is still as `doc` read it (its status and attempts)."""
        return await self.collection.find_one_and_update(
            {"_id": doc["_id"], "status": doc["status"], "attempts": doc["attempts"]},
            {"$set": {"status": "sending", "lease_until": now + timedelta(seconds=lease_s)}},
            return_document=ReturnDocument.AFTER)

    async def sent(self, notice_id: str, now: datetime) -> None:
        await self.collection.update_one({"_id": notice_id}, {"$set": {"status": "sent", "sent_at": now,
                                                                       "lease_until": None},
                                                              "$inc": {"attempts": 1}})

    async def failed(self, doc: dict[str, Any], now: datetime, reason: str, retry_at: datetime | None) -> str:
        """After a failed send: pending again until `retry_at`, or dead (no `retry_at`) with its reason."""
        status = "pending" if retry_at is not None else "dead"
        await self.collection.update_one({"_id": doc["_id"]}, {
            "$set": {"status": status, "next_attempt_at": retry_at or now, "lease_until": None, "last_error": reason,
                     **({"dead_at": now} if status == "dead" else {})},
            "$inc": {"attempts": 1}})
        return status

    async def oldest_unsent(self) -> datetime | None:
        doc = await self.collection.find_one({"status": {"$in": ["pending", "sending"]}},
                                             sort=[("created_at", 1)])
        return doc["created_at"] if doc else None
