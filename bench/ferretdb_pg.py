"""FerretDB 1.24 on PostgreSQL: lookups and writes by `_id`, without and with the GIN indexes of
`shared.adapters.mongo.ferretdb_indexes`, as a collection grows.

    python -m bench.ferretdb_pg [--mongodb-url URL] [--postgresql-url URL] [--sizes 1000,10000,30000]
                                [--samples 200] [--doc-bytes 1500] [--markdown]

The URLs default to MONGODB_URL and FERRETDB_POSTGRESQL_URL (`eval "$(scripts/infra.sh env)"`). The MongoDB
URL must be a FerretDB that stores in that PostgreSQL database. One client, one operation at a time, on an
otherwise idle server. For each size the collection is filled to that many documents, the GIN indexes are
dropped, and each operation is timed `--samples` times; then the indexes are made and the same operations
are timed again. Besides latencies it reports, from PostgreSQL's statistics, how many sequential scans and
index scans of the collection's table each side caused: the proof of which plan actually ran (an EXPLAIN
shows a custom plan, which a prepared statement may not be using). Everything goes in a fresh database,
`benchpg<hex>`, dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import time
import uuid
from dataclasses import dataclass, field

from pymongo import MongoClient, UpdateOne

from shared.adapters.mongo.ferretdb_indexes import METADATA_TABLE, ensure_gin_indexes, libpq_url

COLLECTION = "sessions"
IN_SIZE = 10  # ids in one $in lookup


def document(i: int, pad: int) -> dict:
    """Session-like: a partnership, a version, a pending flag (one in a thousand), some state."""
    return {"_id": f"session-{i:07d}", "partnership": f"p{i % 5}", "kind": "session", "version": 3,
            "pending": i % 1000 == 0, "state": {"course_id": f"course-{i % 40}", "capacity": 30,
                                                 "attendees": {f"att-{i}-{k}": "attended" for k in range(10)}},
            "pad": "x" * pad}


@dataclass
class Side:
    """One side (without or with the GIN indexes) at one size: latencies by operation, in ms."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    seq_scans: int = 0
    idx_scans: int = 0  # scans of the GIN indexes only

    def p(self, op: str, q: float) -> float:
        values = sorted(self.latencies[op])
        return values[min(len(values) - 1, int(q * len(values)))]


@dataclass
class Size:
    docs: int
    without: Side
    with_gin: Side
    build_s: float
    table_mb: float
    gin_mb: float
    plans: dict[str, str]


class Bench:
    def __init__(self, mongodb_url: str, postgresql_url: str, doc_bytes: int, samples: int):
        import psycopg

        self.client = MongoClient(mongodb_url, serverSelectionTimeoutMS=5000)
        self.db_name = f"benchpg{uuid.uuid4().hex[:8]}"
        self.coll = self.client[self.db_name][COLLECTION]
        self.pg_url = postgresql_url
        self.pg = psycopg.connect(libpq_url(postgresql_url), autocommit=True)
        self.pad = max(0, doc_bytes - len(str(document(0, 0))))
        self.samples = samples
        self.count = 0
        self.upserted = 0
        self.rng = random.Random(42)

    def close(self) -> None:
        self.client.drop_database(self.db_name)
        self.client.close()
        self.pg.close()

    def table(self) -> str:
        row = self.pg.execute(f'SELECT _jsonb->>\'table\' FROM "{self.db_name}"."{METADATA_TABLE}"'
                              " WHERE _jsonb->>'_id' = %s", (COLLECTION,)).fetchone()
        return row[0]

    def gin_indexes(self) -> list[str]:
        rows = self.pg.execute("SELECT indexname FROM pg_indexes WHERE schemaname = %s AND tablename = %s"
                               " AND indexdef LIKE '%% USING gin %%'", (self.db_name, self.table())).fetchall()
        return [r[0] for r in rows]

    def fill(self, n: int) -> None:
        while self.count < n:
            batch = [document(i, self.pad) for i in range(self.count, min(n, self.count + 1000))]
            self.coll.insert_many(batch, ordered=False)
            self.count += len(batch)
        self.pg.execute(f'ANALYZE "{self.db_name}"."{self.table()}"')

    def scans(self) -> tuple[int, int]:
        time.sleep(11)  # an idle backend flushes its statistics within 10 s (PGSTAT_IDLE_INTERVAL)
        seq = self.pg.execute("SELECT seq_scan FROM pg_stat_user_tables WHERE schemaname = %s AND relname = %s",
                              (self.db_name, self.table())).fetchone()[0]
        idx = self.pg.execute("SELECT coalesce(sum(idx_scan), 0) FROM pg_stat_user_indexes"
                              " WHERE schemaname = %s AND relname = %s AND indexrelname LIKE '%%\\_gin'",
                              (self.db_name, self.table())).fetchone()[0]
        return seq, int(idx)

    def existing(self) -> str:
        return f"session-{self.rng.randrange(self.count):07d}"

    def operations(self):
        """(name, how many times, the call) for each timed operation."""
        def find_id():
            assert self.coll.find_one({"_id": self.existing()}) is not None

        def update_id():
            self.coll.update_one({"_id": self.existing()}, {"$inc": {"version": 1}})

        def upsert_new_id():
            self.upserted += 1
            self.coll.update_one({"_id": f"upserted-{self.upserted:07d}"},
                                 {"$set": {"partnership": "p0", "pending": False}}, upsert=True)

        def bulk_upserts():  # the projector's way: one bulk_write of upserts by _id (10 a call here)
            ops = [UpdateOne({"_id": self.existing()}, {"$set": {"seen": True}}, upsert=True) for _ in range(10)]
            self.coll.bulk_write(ops, ordered=False)

        def find_in():
            ids = [self.existing() for _ in range(IN_SIZE)]
            assert len(list(self.coll.find({"_id": {"$in": ids}}, {"_id": 1}))) == len(set(ids))

        def find_pending():
            list(self.coll.find({"pending": True}, {"_id": 1}))

        few = max(5, self.samples // 10)  # the operations that scan in any case
        return [("find_one({_id})", self.samples, find_id), ("update_one({_id})", self.samples, update_id),
                ("upsert, new _id", self.samples, upsert_new_id), ("bulk_write 10 upserts", few, bulk_upserts),
                (f"find({{_id: {{$in: {IN_SIZE} ids}}}})", few, find_in), ("find({pending: true})", few, find_pending)]

    def measure(self) -> Side:
        side = Side()
        seq0, idx0 = self.scans()
        for name, times, op in self.operations():
            for _ in range(3):  # warm up: connections, prepared statements
                op()
            values = []
            for _ in range(times):
                t0 = time.perf_counter()
                op()
                values.append((time.perf_counter() - t0) * 1000)
            side.latencies[name] = values
        seq1, idx1 = self.scans()
        side.seq_scans, side.idx_scans = seq1 - seq0, idx1 - idx0
        return side

    def plans(self) -> dict[str, str]:
        """The plan FerretDB's explain shows for each pushed-down filter (a custom plan, with the values)."""
        out = {}
        for label, flt in [("{_id}", {"_id": self.existing()}), ("{_id: {$in}}", {"_id": {"$in": [self.existing()]}}),
                           ("{pending: true}", {"pending": True}), ("{partnership}", {"partnership": "p1"})]:
            res = self.client[self.db_name].command("explain", {"find": COLLECTION, "filter": flt},
                                                    verbosity="queryPlanner")
            plan = res.get("queryPlanner", {}).get("Plan", {})
            nodes = [plan.get("Node Type", "?")] + [p.get("Node Type", "?") + (f" on {p['Index Name']}"
                                                                               if "Index Name" in p else "")
                                                    for p in plan.get("Plans", [])]
            out[label] = f"pushdown {res.get('filterPushdown')}: {' > '.join(nodes)}"
        return out

    def size(self, n: int) -> Size:
        self.fill(n)
        for name in self.gin_indexes():
            self.pg.execute(f'DROP INDEX "{self.db_name}"."{name}"')
        log(f"{n:,} documents: without the GIN indexes")
        without = self.measure()
        t0 = time.perf_counter()
        made = asyncio.run(ensure_gin_indexes(self.pg_url, [self.db_name]))
        build = time.perf_counter() - t0
        log(f"{n:,} documents: made {len(made)} GIN index(es) in {build:.2f} s; with them")
        with_gin = self.measure()
        table = self.table()
        table_mb = self.pg.execute("SELECT pg_total_relation_size(%s::regclass)",
                                   (f'"{self.db_name}"."{table}"',)).fetchone()[0] / 2**20
        gin_mb = sum(self.pg.execute("SELECT pg_relation_size(%s::regclass)", (f'"{self.db_name}"."{i}"',)).fetchone()[0]
                     for i in self.gin_indexes()) / 2**20
        return Size(n, without, with_gin, build, table_mb, gin_mb, self.plans())


def log(msg: str) -> None:
    print(f"bench.ferretdb_pg: {msg}", file=sys.stderr, flush=True)


def report(sizes: list[Size], settings: dict[str, str], markdown: bool) -> str:
    lines = []
    sep = " | " if markdown else "  "
    def row(cells):
        lines.append(("| " + sep.join(cells) + " |") if markdown else sep.join(cells))
    header = ["documents", "operation", "without: p50 ms", "p95 ms", "with GIN: p50 ms", "p95 ms", "p50 ratio"]
    row(header)
    if markdown:
        lines.append("| " + " | ".join(["---"] * 2 + ["---:"] * 5) + " |")
    for s in sizes:
        for op in s.without.latencies:
            w50, w95, g50, g95 = s.without.p(op, .5), s.without.p(op, .95), s.with_gin.p(op, .5), s.with_gin.p(op, .95)
            row([f"{s.docs:,}", op, f"{w50:.2f}", f"{w95:.2f}", f"{g50:.2f}", f"{g95:.2f}", f"{w50 / g50:.1f}x"])
    lines.append("")
    row(["documents", "table MB", "GIN MB", "index build s", "seq scans without / with", "GIN index scans with"])
    if markdown:
        lines.append("| " + " | ".join(["---:"] * 6) + " |")
    for s in sizes:
        row([f"{s.docs:,}", f"{s.table_mb:.1f}", f"{s.gin_mb:.2f}", f"{s.build_s:.2f}",
             f"{s.without.seq_scans} / {s.with_gin.seq_scans}", str(s.with_gin.idx_scans)])
    lines.append("")
    lines.append(f"plans at {sizes[-1].docs:,} documents with the GIN indexes (FerretDB's explain):")
    for label, plan in sizes[-1].plans.items():
        lines.append(f"  {label}: {plan}")
    lines.append("server: " + ", ".join(f"{k}={v}" for k, v in settings.items()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ferretdb_pg", description=__doc__.split("\n\n")[0])
    parser.add_argument("--mongodb-url", default=os.environ.get("MONGODB_URL"),
                        help="a FerretDB on PostgreSQL (default: MONGODB_URL)")
    parser.add_argument("--postgresql-url", default=os.environ.get("FERRETDB_POSTGRESQL_URL"),
                        help="the PostgreSQL database that FerretDB uses (default: FERRETDB_POSTGRESQL_URL)")
    parser.add_argument("--sizes", default="1000,10000,30000", help="collection sizes, ascending (1000,10000,30000)")
    parser.add_argument("--samples", type=int, default=200, help="timed calls of each operation by _id (200)")
    parser.add_argument("--doc-bytes", type=int, default=1500, help="about how large each document is (1500)")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    args = parser.parse_args(argv)
    if not args.mongodb_url or not args.postgresql_url:
        parser.error('set MONGODB_URL and FERRETDB_POSTGRESQL_URL (eval "$(scripts/infra.sh env)"), or pass the URLs')
    sizes = sorted(int(s) for s in args.sizes.split(","))
    if sizes[0] < IN_SIZE or args.samples < 10:
        parser.error(f"need sizes >= {IN_SIZE} and --samples >= 10")

    bench = Bench(args.mongodb_url, args.postgresql_url, args.doc_bytes, args.samples)
    try:
        if "ferretdbVersion" not in bench.client.admin.command("buildInfo"):
            parser.error("the MongoDB URL is not a FerretDB server")
        bench.coll.create_index("pending")  # as the services declare it (shared/adapters/mongo/aggregates.py)
        bench.coll.insert_one({"_id": "probe"})
        if bench.pg.execute("SELECT to_regnamespace(%s)", (f'"{bench.db_name}"',)).fetchone()[0] is None:
            parser.error("this FerretDB does not store its data in that PostgreSQL database")
        bench.coll.delete_one({"_id": "probe"})
        settings = {name: bench.pg.execute(f"SHOW {name}").fetchone()[0]
                    for name in ("server_version", "plan_cache_mode", "synchronous_commit", "shared_buffers")}
        results = [bench.size(n) for n in sizes]
    finally:
        bench.close()
    print(report(results, settings, args.markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
