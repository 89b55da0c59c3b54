"""MongoDB access: one AsyncMongoClient per process, created in the lifespan, never at import."""

from __future__ import annotations

from pymongo import AsyncMongoClient


def connect(url: str, *, timeout_ms: int = 5000) -> AsyncMongoClient:
    # a bounded socket timeout: a server that stops answering becomes a (retried) error, not a hang
    return AsyncMongoClient(url, serverSelectionTimeoutMS=timeout_ms, socketTimeoutMS=60_000, tz_aware=True,
                            appname="scp")


async def ping(client: AsyncMongoClient) -> None:
    await client.admin.command("ping")


async def is_ferretdb(client: AsyncMongoClient) -> bool:
    """FerretDB answers buildInfo with its own version beside the MongoDB one it emulates."""
    return "ferretdbVersion" in await client.admin.command("buildInfo")
