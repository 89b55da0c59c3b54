"""MongoDB access: one AsyncMongoClient per process, created in the lifespan, never at import."""

from __future__ import annotations

from pymongo import AsyncMongoClient


def connect(url: str, *, timeout_ms: int = 5000) -> AsyncMongoClient:
    return AsyncMongoClient(url, serverSelectionTimeoutMS=timeout_ms, tz_aware=True, appname="scp")


async def ping(client: AsyncMongoClient) -> None:
    await client.admin.command("ping")
