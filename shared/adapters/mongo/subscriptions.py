"""A partnership's subscriptions to notices (shared.subscriptions), kept in the auth database's `subscriptions`
collection: the admin CLI writes them, the notifier reads them."""

from __future__ import annotations

from pymongo.asynchronous.database import AsyncDatabase

from shared.subscriptions import Subscription

SUBSCRIPTIONS = "subscriptions"


class Subscriptions:
    def __init__(self, auth_db: AsyncDatabase):
        self.collection = auth_db[SUBSCRIPTIONS]

    async def add(self, subscription: Subscription) -> Subscription:
        await self.collection.insert_one({"_id": subscription.id,
                                          **subscription.model_dump(mode="json", exclude={"id"})})
        return subscription

    async def put(self, subscription: Subscription) -> Subscription:
        """Add the subscription, or replace the one with its id (the sample's, made again on every run)."""
        await self.collection.replace_one({"_id": subscription.id},
                                          subscription.model_dump(mode="json", exclude={"id"}), upsert=True)
        return subscription

    async def all(self, partnership: str | None = None) -> list[Subscription]:
        query = {"partnership": partnership} if partnership else {}
        return [Subscription(id=d.pop("_id"), **d) async for d in self.collection.find(query).sort("_id", 1)]

    async def get(self, subscription_id: str) -> Subscription | None:
        doc = await self.collection.find_one({"_id": subscription_id})
        return Subscription(id=doc.pop("_id"), **doc) if doc else None

    async def remove(self, subscription_id: str, partnership: str | None = None) -> bool:
        query = {"_id": subscription_id, **({"partnership": partnership} if partnership else {})}
        return (await self.collection.delete_one(query)).deleted_count == 1
