"""The GIN indexes of shared.adapters.mongo.ferretdb_indexes on a real FerretDB on PostgreSQL: made on every collection
table that lacks them, once, and used by the SQL that FerretDB pushes down for a find by `_id`.

Skipped, saying why, unless MONGODB_URL is a FerretDB that stores in FERRETDB_POSTGRESQL_URL (as `make test`
sets them up by default; with FERRETDB_HANDLER=sqlite, or on MongoDB, there is nothing to index).
"""

import asyncio
import os

import pytest

from shared.adapters.mongo.ferretdb_indexes import METADATA_TABLE, ensure_gin_indexes, libpq_url, missing_gin_indexes
from shared.adapters.mongo.client import connect, is_ferretdb

psycopg = pytest.importorskip("psycopg", reason="psycopg (psycopg[binary]) is needed to reach FerretDB's PostgreSQL")


@pytest.fixture
async def ferretdb_on_postgresql(servers, prefix):
    """(MongoDB database, PostgreSQL URL, psycopg connection) of a FerretDB on PostgreSQL, with one collection
    that has a declared index; skips when the server is anything else."""
    _, mongo_url = servers
    pg_url = os.environ.get("FERRETDB_POSTGRESQL_URL")
    if not pg_url:
        pytest.skip("MONGODB_URL's server is not FerretDB on PostgreSQL: FERRETDB_POSTGRESQL_URL is not set "
                    "(`eval \"$(scripts/infra.sh env)\"` sets it when the local FerretDB runs on PostgreSQL)")
    client = connect(mongo_url)
    name = f"{prefix}gin"
    try:
        if not await is_ferretdb(client):
            pytest.skip("MONGODB_URL's server is not FerretDB: it needs no GIN indexes")
        db = client[name]
        await db.sessions.create_index("pending")
        await db.sessions.insert_many([{"_id": f"s{i:05d}", "pending": i == 7} for i in range(3000)])
        async with await psycopg.AsyncConnection.connect(libpq_url(pg_url), autocommit=True) as pg:
            if (await (await pg.execute("SELECT to_regnamespace(%s)", (f'"{name}"',))).fetchone())[0] is None:
                pytest.skip("MONGODB_URL's FerretDB does not store its data in FERRETDB_POSTGRESQL_URL")
            yield db, pg_url, pg
    finally:
        await client.drop_database(name)
        await client.close()


async def gin_indexes(pg, schema: str) -> dict[str, str]:
    """Index name -> definition of the GIN indexes on the `sessions` collection's table."""
    cur = await pg.execute(f'SELECT _jsonb->>\'table\' FROM "{schema}"."{METADATA_TABLE}" WHERE _jsonb->>\'_id\' = %s',
                           ("sessions",))
    table = (await cur.fetchone())[0]
    cur = await pg.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = %s AND tablename = %s"
                           " AND indexdef LIKE '%% USING gin %%'", (schema, table))
    return dict(await cur.fetchall())


async def test_the_gin_indexes_are_made_once_on_id_and_on_declared_indexes(ferretdb_on_postgresql):
    db, pg_url, pg = ferretdb_on_postgresql
    assert await gin_indexes(pg, db.name) == {}
    missing = await missing_gin_indexes(pg_url, [db.name])
    assert sorted(m.fields for m in missing) == [("_id",), ("pending",)]

    # two callers at once (services starting together): the advisory lock makes each index once
    made = await asyncio.gather(ensure_gin_indexes(pg_url, [db.name]), ensure_gin_indexes(pg_url, [db.name]))
    fields = [m.fields for m in made[0] + made[1]]
    assert len(fields) == len(set(fields)) and set(fields) <= {("_id",), ("pending",)}
    assert await ensure_gin_indexes(pg_url, [db.name]) == []
    assert await missing_gin_indexes(pg_url, [db.name]) == []

    definitions = list((await gin_indexes(pg, db.name)).values())
    assert len(definitions) == 2
    assert any("((_jsonb -> '_id'::text))" in d for d in definitions)
    assert any("((_jsonb -> 'pending'::text))" in d for d in definitions)


async def test_a_find_by_id_uses_the_gin_index(ferretdb_on_postgresql):
    db, pg_url, pg = ferretdb_on_postgresql
    await ensure_gin_indexes(pg_url, [db.name])
    [id_index] = [name for name, d in (await gin_indexes(pg, db.name)).items() if "'_id'" in d]
    for flt in ({"_id": "s01234"}, {"pending": True}):
        explained = await db.command("explain", {"find": "sessions", "filter": flt}, verbosity="queryPlanner")
        assert explained["filterPushdown"] is True
        assert "Bitmap Index Scan" in str(explained["queryPlanner"]), explained["queryPlanner"]
    explained = await db.command("explain", {"find": "sessions", "filter": {"_id": "s01234"}}, verbosity="queryPlanner")
    assert id_index in str(explained["queryPlanner"])
    assert (await db.sessions.find_one({"_id": "s01234"}))["_id"] == "s01234"
