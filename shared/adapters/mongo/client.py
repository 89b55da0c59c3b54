"""MongoDB access: one AsyncMongoClient per process, created in the lifespan, never at import."""

from __future__ import annotations

import structlog
from pymongo import AsyncMongoClient
from pymongo.errors import CollectionInvalid, OperationFailure

log = structlog.get_logger("mongo")


def connect(url: str, *, timeout_ms: int = 5000) -> AsyncMongoClient:
    # a bounded socket timeout: a server that stops answering becomes a (retried) error, not a hang
    return AsyncMongoClient(url, serverSelectionTimeoutMS=timeout_ms, socketTimeoutMS=60_000, tz_aware=True,
                            appname="scp")


async def ping(client: AsyncMongoClient) -> None:
    await client.admin.command("ping")


async def is_ferretdb(client: AsyncMongoClient) -> bool:
    """FerretDB answers buildInfo with its own version beside the MongoDB one it emulates."""
    return "ferretdbVersion" in await client.admin.command("buildInfo")


NAMESPACE_EXISTS = 48


async def prepare_collections(db, indexes: dict[str, list], *, ferretdb_postgresql_url: str | None = None) -> None:
    """Create a service's collections and their indexes (`collection -> fields`, each a field or a list of fields
    for one compound index; an empty list for none).

    On FerretDB over PostgreSQL (`ferretdb_postgresql_url` set, as `scripts/infra.sh env` sets
    FERRETDB_POSTGRESQL_URL locally), also add the GIN indexes that let its `{_id: X}` and
    `{field: value}` lookups use an index (shared.adapters.mongo.ferretdb_indexes). A failure there is logged, not
    raised: the service works without them, only slower. MongoDB needs none of it.
    """
    existing = set(await db.list_collection_names())
    for collection, fields in indexes.items():
        if collection not in existing and not fields:
            try:
                await db.create_collection(collection)
            except CollectionInvalid:  # made meanwhile by another process, seen by the driver
                pass
            except OperationFailure as exc:  # ... or by the server (NamespaceExists): services share a database
                if exc.code != NAMESPACE_EXISTS:
                    raise
        for field in fields:  # a field, or a list of fields for one compound index
            await db[collection].create_index([(f, 1) for f in field] if isinstance(field, list) else field)
    if ferretdb_postgresql_url:
        from shared.adapters.mongo.ferretdb_indexes import ensure_gin_indexes

        try:
            made = await ensure_gin_indexes(ferretdb_postgresql_url, [db.name])
            if made:
                log.info("GIN indexes made for FerretDB", database=db.name, indexes=[str(m) for m in made])
        except Exception as exc:
            log.warning("could not make FerretDB's GIN indexes; lookups will scan", database=db.name, error=repr(exc))
