"""GIN indexes that let FerretDB 1.x on PostgreSQL find documents without scanning their collection.

FerretDB 1.24 on PostgreSQL stores each collection as a table with one `jsonb` column, `_jsonb`, and
pushes an equality filter on a top-level field down to SQL as containment:
`{_id: X}` becomes `WHERE _jsonb->'_id' @> X`, `{pending: true}` becomes `_jsonb->'pending' @> true`,
and the fields of one filter are joined with AND. The indexes FerretDB makes itself (the unique one on
`_id`, and one per `create_index`) are btree indexes on `(_jsonb->'field')`, which `@>` cannot use, so
every such find, every update and every upsert first scans the whole table. A GIN index on the same
expression serves `@>`. `ensure_gin_indexes` adds one to every collection table that lacks it:

* on `(_jsonb->'_id')`, for every collection;
* on the fields of each index a collection declared with `create_index` (one GIN index for each, on the
  same top-level fields; dotted fields are never pushed down, so they are left out).

What FerretDB does not push down is not helped: `{_id: {$in: [...]}}`, `$or`, `$gt`/`$lt`, a `null` value,
dotted fields. Such a filter still reads the whole collection (docs/architecture.md, "Storage: FerretDB on
PostgreSQL").

FerretDB creates a collection's table lazily, at its first insert or `create_index`, so call this after a
service's `create_indexes` at start, and again when new collections may have appeared (it is idempotent and
cheap when there is nothing to do). FerretDB never sees these indexes: they are not in its metadata, and they
go with the table when the collection is dropped. Production MongoDB needs none of this.

Concurrent callers are serialised by a PostgreSQL advisory lock. Each index is made with a plain
`CREATE INDEX` (transactional: a failure leaves nothing behind), which holds writes to that one collection
for as long as the build takes, milliseconds at this platform's sizes.

Needs psycopg 3 (`psycopg[binary]`), imported only when called.

    python -m shared.adapters.mongo.ferretdb_indexes [--url URL] [--database DB ...] [--check]

reads FERRETDB_POSTGRESQL_URL (as `eval "$(scripts/infra.sh env)"` sets it) unless `--url` is given.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

METADATA_TABLE = "_ferretdb_database_metadata"
LOCK_KEY = 0x5C9F_0001  # pg_advisory_lock key of this module
MAX_NAME = 63  # PostgreSQL's identifier length (NAMEDATALEN - 1)
CONNECT_TIMEOUT_S = 10


@dataclass(frozen=True)
class GinIndex:
    """One GIN index that should exist: on `table` in `schema` (the MongoDB database), over `fields`."""

    schema: str
    collection: str
    table: str
    fields: tuple[str, ...]
    name: str

    def __str__(self) -> str:
        return f"{self.schema}.{self.collection} ({', '.join(self.fields)}): {self.name} on {self.table}"


def libpq_url(url: str) -> str:
    """`url` without the query parameters that only pgx (FerretDB's driver) understands: libpq refuses them."""
    from psycopg import pq

    known = {d.keyword.decode() for d in pq.Conninfo.get_defaults()}
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k in known]
    return urlunsplit(parts._replace(query=urlencode(query)))


def index_name(table: str, label: str) -> str:
    """A name unique within the schema, never one FerretDB makes (its own end in `_<8 hex>_idx`)."""
    slug = re.sub(r"[^a-z0-9_]", "_", label.lower())
    name = f"{table}_{slug}_gin"
    if len(name) <= MAX_NAME:
        return name
    digest = hashlib.sha256(f"{table}\0{label}".encode()).hexdigest()[:8]
    return f"{table[:MAX_NAME - len(digest) - 5]}_{digest}_gin"


def _declared_fields(index: dict, order: list[str] | None) -> tuple[str, ...]:
    """The top-level fields of one index in FerretDB's metadata, in their declared order (`order`, when known)."""
    key = index.get("key") or {}
    fields = [f for f in (order or key) if f in key]
    return tuple(f for f in fields if "." not in f and not f.startswith("$"))


def _key_orders(meta: dict) -> list[list[str] | None]:
    """Each index's key order: FerretDB keeps a document's key order in its `$s` schema, as jsonb does not."""
    try:
        items = meta["$s"]["p"]["indexes"]["i"]
        return [item["$s"]["p"]["key"]["$s"]["$k"] for item in items]
    except (KeyError, TypeError):
        return []


def wanted_indexes(meta: dict, schema: str) -> list[GinIndex]:
    """The GIN indexes one collection (its entry in FerretDB's metadata) should have: `_id`, then each
    declared index's top-level fields."""
    table = meta["table"]
    collection = meta.get("_id", table)
    wanted = [GinIndex(schema, collection, table, ("_id",), index_name(table, "_id"))]
    seen = {("_id",)}
    declared = meta.get("indexes") or []
    orders = _key_orders(meta)
    for i, index in enumerate(declared):
        fields = _declared_fields(index, orders[i] if i < len(orders) else None)
        if fields and fields not in seen:
            seen.add(fields)
            wanted.append(GinIndex(schema, collection, table, fields, index_name(table, str(index.get("name", fields)))))
    return wanted


async def _schemas(conn, databases: Iterable[str] | None) -> list[str]:
    """The PostgreSQL schemas that hold a FerretDB database (those with FerretDB's metadata table)."""
    cur = await conn.execute(
        "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE c.relname = %s AND c.relkind = 'r' ORDER BY 1", (METADATA_TABLE,))
    found = [row[0] for row in await cur.fetchall()]
    if databases is None:
        return found
    wanted = set(databases)
    return [s for s in found if s in wanted]


async def _missing(conn, databases: Iterable[str] | None) -> list[GinIndex]:
    from psycopg import errors, sql

    missing: list[GinIndex] = []
    for schema in await _schemas(conn, databases):
        try:
            cur = await conn.execute(sql.SQL("SELECT _jsonb FROM {}").format(sql.Identifier(schema, METADATA_TABLE)))
            collections = [row[0] for row in await cur.fetchall()]
        except errors.UndefinedTable:  # the database was dropped meanwhile
            continue
        cur = await conn.execute(
            "SELECT c.relname, i.relname, pg_get_indexdef(i.oid) FROM pg_index x"
            " JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid"
            " JOIN pg_am am ON am.oid = i.relam JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = %s AND am.amname = 'gin' AND x.indisvalid", (schema,))
        gin: dict[str, list[tuple[str, str]]] = {}
        for table, name, definition in await cur.fetchall():
            gin.setdefault(table, []).append((name, definition))
        for meta in collections:
            if not meta.get("table"):
                continue
            existing = gin.get(meta["table"], [])
            for want in wanted_indexes(meta, schema):
                # ours, by name, or any GIN index on the same expressions (one made by hand, say)
                exprs = [f"(_jsonb -> '{f}'::text)" for f in want.fields]
                if not any(name == want.name or all(e in d for e in exprs) for name, d in existing):
                    missing.append(want)
    return missing


async def missing_gin_indexes(postgresql_url: str, databases: Iterable[str] | None = None) -> list[GinIndex]:
    """The GIN indexes that `ensure_gin_indexes` would make (`databases`: MongoDB database names; None: all)."""
    import psycopg

    async with await psycopg.AsyncConnection.connect(libpq_url(postgresql_url), autocommit=True,
                                                     connect_timeout=CONNECT_TIMEOUT_S) as conn:
        return await _missing(conn, databases)


async def ensure_gin_indexes(postgresql_url: str, databases: Iterable[str] | None = None, *,
                             lock_timeout_s: float = 30.0) -> list[GinIndex]:
    """Make every missing GIN index on FerretDB's collection tables; return those made.

    `postgresql_url` is the database FerretDB uses (FERRETDB_POSTGRESQL_URL). `databases` limits the work
    to these MongoDB databases (default: every FerretDB database in it). Raises psycopg's errors if the
    server cannot be reached, or if another caller holds the lock, or a collection's table stays locked,
    for longer than `lock_timeout_s`.
    """
    import psycopg
    from psycopg import errors, sql

    databases = None if databases is None else list(databases)
    made: list[GinIndex] = []
    async with await psycopg.AsyncConnection.connect(libpq_url(postgresql_url), autocommit=True,
                                                     connect_timeout=CONNECT_TIMEOUT_S) as conn:
        await conn.execute(sql.SQL("SET lock_timeout = {}").format(sql.Literal(f"{int(lock_timeout_s * 1000)}ms")))
        await conn.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
        try:
            for want in await _missing(conn, databases):
                columns = sql.SQL(", ").join(
                    sql.SQL("((_jsonb -> {}))").format(sql.Literal(f)) for f in want.fields)
                table = sql.Identifier(want.schema, want.table)
                try:
                    # holds writes to this one table (a SHARE lock) while it builds; a failure leaves nothing
                    await conn.execute(sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} USING gin ({})").format(
                        sql.Identifier(want.name), table, columns))
                    # statistics for the new expression, so the planner knows how selective it is (this
                    # one does not hold writes)
                    await conn.execute(sql.SQL("ANALYZE {}").format(table))
                except (errors.UndefinedTable, errors.InvalidSchemaName):
                    continue  # the collection or its database was dropped meanwhile
                made.append(want)
        finally:
            await conn.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shared.adapters.mongo.ferretdb_indexes", description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=os.environ.get("FERRETDB_POSTGRESQL_URL"),
                        help="the PostgreSQL database FerretDB uses (default: FERRETDB_POSTGRESQL_URL)")
    parser.add_argument("--database", action="append", help="only this MongoDB database (repeatable; default: all)")
    parser.add_argument("--check", action="store_true", help="make nothing; list what is missing, exit 1 if any")
    args = parser.parse_args(argv)
    if not args.url:
        print("no PostgreSQL URL: set FERRETDB_POSTGRESQL_URL (eval \"$(scripts/infra.sh env)\") or pass --url",
              file=sys.stderr)
        return 2
    import psycopg

    try:
        if args.check:
            missing = asyncio.run(missing_gin_indexes(args.url, args.database))
        else:
            made = asyncio.run(ensure_gin_indexes(args.url, args.database))
    except psycopg.Error as exc:
        print(f"shared.adapters.mongo.ferretdb_indexes: {type(exc).__name__}: {str(exc).strip()}", file=sys.stderr)
        return 1
    if args.check:
        for index in missing:
            print(f"missing: {index}")
        print(f"{len(missing)} GIN index(es) missing")
        return 1 if missing else 0
    for index in made:
        print(f"made: {index}")
    print(f"{len(made)} GIN index(es) made")
    return 0


if __name__ == "__main__":
    sys.exit(main())
