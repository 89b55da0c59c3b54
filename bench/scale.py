"""The scale bench: does the platform stay as fast as the data grows? (issue 6, part 3)

    python -m bench.scale [--sizes 1,10,30] [--quick] [--markdown] [--requests N] ...   (or `make bench-scale`)

It loads 1x, 10x and 30x the sample's yearly volume (Doncaster's 1,490 events: 22 courses, 100
sessions, 1,368 attendances), spread over as many partnerships (`p01`...`p30`, each with the sample's
shape), **cumulatively**: the 10x stage adds p02..p10 to what the 1x stage stored, the 30x stage adds
p11..p30. At each size it measures the LAST slice loaded (the last partnership's year, 1x worth of
events, with size - 1 years already stored), because the question is whether the cost of an event
grows with the data already stored. Each figure stands beside a bare baseline measured in the same run
on the same servers, on stores that hold the same volume:

* **ingest**: the training service as a process, POSTing the slice in batches (accepted: the last 202;
  published: the relay has put every event on Kafka). Baselines: a bare aiokafka producer sending the
  same records; and a bare `insert_many` of the same events into a collection that holds every event
  loaded so far, followed by producing them.
* **projector**: the projector's parts (`bench.projector.measure_projector`) over a topic holding the
  slice, into the read model that holds every earlier year. Baseline: bare `bulk_write` of the same
  upserts into another database that holds the same documents (`bare_bulk`: the handlers' writes computed
  beforehand, written by the projector's sink alone, with no Kafka and no instrumentation).
* **rebuild**: the projector from offset 0 of the training service's own topic (everything it published,
  warm-ups included) into a fresh database. Same baseline, into another fresh database.
* **dashboard**: `GET /p/p01/api/dashboard` on the reporting app (`build()`, served as the service is),
  p50 and p99 over `--requests` requests, interleaved with the baseline: a static JSON body of the same
  size from a bench-only route of the same app instance (same process, middleware and server). The very
  first request of each side (a new process: nothing cached) is reported too, and the figures computed
  in-process (`services.reporting.dashboard.dashboard`, bypassing any cache) as a figure without baseline.

One pass per size (it cannot be repeated without reloading): single measurements, so read the
30x-vs-1x ratios beside the baselines' own 30x-vs-1x, which show how much the server or the machine
moved on its own. Timings are only reported, never asserted. Everything the run makes (topics,
databases, consumer groups) is named `bench<hex>-...` and deleted at the end, also after a failure.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import signal
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from aiokafka.admin import AIOKafkaAdminClient
from pymongo import AsyncMongoClient

from bench import ingest, projector
from bench.events import Event, Workload, documents, partnership_codes, spread, workload, SAMPLE_YEAR
from bench.infra import clean_up, create_topic, machine
from bench.run import _markdown, _plain
from sample.partnership import AGENCY
from shared.adapters.mongo.keys import KeyStore
from shared.adapters.mongo.sink import MongoSink
from shared.kafka.topics import all_topics, ensure_topics
from shared.adapters.mongo.client import connect
from shared.partnerships import Partnership
from shared.adapters.mongo.partnerships import PartnershipRegistry
from services.reporting.projections import HANDLERS, VERSIONS

WARM = "warmup"  # the partnership of the warm-up events each new service process gets
DASHBOARD_OF = "p01"  # the partnership whose dashboard is timed (the same one at every size)
STATIC = "/bench/static/{size}"  # the bench-only route of the reporting app (see serve_reporting)


@dataclass(frozen=True)
class ScaleParams:
    sizes: tuple[int, ...] = (1, 10, 30)  # multiples of the sample's year, one partnership each
    year: tuple[int, int, int] = SAMPLE_YEAR  # (courses, sessions, attendances) of one partnership's year
    requests: int = 200  # dashboard requests timed at each size, on each side
    computed: int = 20  # in-process dashboard() computations timed at each size
    batch: int = 100  # events per POST
    clients: int = 4  # concurrent HTTP clients
    max_batch: int = projector.MAX_BATCH  # the projector's batch, and the baseline's bulk_write batch
    warmup: int = 200  # events posted to each new training service process before it is measured
    tracing: bool = True  # the in-process projector with tracing configured, as its process has it
    gin_indexes: str | None = None  # FerretDB's PostgreSQL URL: make shared.adapters.mongo.ferretdb_indexes' GIN indexes first

    @property
    def per_year(self) -> int:
        return sum(self.year)


QUICK = ScaleParams(sizes=(1, 2, 3), year=(2, 4, 40), requests=20, computed=3, batch=50, clients=2, warmup=20)


@dataclass(frozen=True)
class Measure:
    key: str
    name: str
    baseline: str
    unit: str  # "ev/s" (higher is better) or "ms" (lower is better)
    target: str = ""  # the "done when", for the largest size against the smallest


MEASURES = [
    Measure("accepted/producer", "ingest: accepted (HTTP 202)", "bare aiokafka producer", "ev/s", ">= 0.7"),
    Measure("accepted/insert", "ingest: accepted (HTTP 202)", "insert_many, then the producer", "ev/s"),
    Measure("published/producer", "ingest: published (relay to Kafka)", "bare aiokafka producer", "ev/s", ">= 0.7"),
    Measure("published/insert", "ingest: published (relay to Kafka)", "insert_many, then the producer", "ev/s"),
    Measure("projector", "projector: slice written and committed", "bulk_write of its upserts", "ev/s", ">= 0.7"),
    Measure("rebuild", "rebuild from offset 0, fresh database", "bulk_write of its upserts", "ev/s"),
    Measure("dashboard p50", "dashboard: p50", "static JSON, same size, same app", "ms"),
    Measure("dashboard p99", "dashboard: p99", "static JSON, same size, same app", "ms", "<= 2"),
    Measure("dashboard first", "dashboard: first request of a new process", "static JSON, first request", "ms"),
    Measure("dashboard computed", "dashboard: computed in process (no cache), p50", "", "ms"),
]
BY_KEY = {m.key: m for m in MEASURES}


@dataclass(frozen=True)
class Figure:
    platform: float
    baseline: float | None  # None: no baseline for this measure

    @property
    def ratio(self) -> float | None:
        return self.platform / self.baseline if self.baseline else None


@dataclass
class ScaleReport:
    params: ScaleParams
    machine: dict[str, str]
    prefix: str  # of every topic, database and consumer group the run made (and deleted)
    figures: dict[tuple[str, int], Figure] = field(default_factory=dict)  # (measure key, size) -> figure
    stored: dict[int, int] = field(default_factory=dict)  # size -> events of the partnerships' years stored
    stage_seconds: dict[int, float] = field(default_factory=dict)
    details: list[str] = field(default_factory=list)  # one line per measurement, in the order run
    seconds: float = 0.0
    interrupted: int | None = None  # the size a Ctrl-C stopped (its figures are left out of the tables)

    @property
    def sizes(self) -> list[int]:
        """The sizes measured to the end."""
        return [s for s in self.params.sizes if s in self.stage_seconds]


class Slice(Workload):
    """Events loaded onto what is already stored: `documents()` counts what the database holds after them,
    so that `measure_projector` and `bare_bulk` check a read model that grows from size to size."""

    def __init__(self, part: Workload, stored: list[Event]):
        super().__init__(part.tag, part.phases)
        self.stored = stored

    def documents(self) -> dict[str, int]:
        return documents([*self.stored, *self.events])


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _detail(report: ScaleReport, log: Callable[[str], None], line: str) -> None:
    report.details.append(line)
    log(f"bench.scale: {line}")


def backend(mongo_url: str) -> str:
    """The storage of the FerretDB listening at the URL's port on this machine (from its command line), if any."""
    port = urlsplit(mongo_url).port or 27017
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            args = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        if any("ferretdb" in a for a in args[:1]) and any(a.endswith(f":{port}") and a.startswith("--listen-addr=")
                                                          for a in args):
            handler = next((a.split("=", 1)[1] for a in args if a.startswith("--handler=")), "?")
            return {"postgresql": "PostgreSQL", "sqlite": "SQLite"}.get(handler, handler)
    return "unknown (not a local FerretDB)"


async def run(kafka: str, mongo_url: str, params: ScaleParams = ScaleParams(), *,
              log: Callable[[str], None] = _stderr, prefix: str | None = None) -> ScaleReport:
    began = time.perf_counter()
    projector.setup_tracing()  # before any MongoDB client
    prefix = prefix or f"bench{uuid.uuid4().hex[:6]}-"
    mongo = connect(mongo_url)
    info = await machine(kafka, mongo)
    info["mongodb server"] += f", storage: {backend(mongo_url)}"
    if params.gin_indexes:
        info["mongodb server"] += "; GIN indexes of shared.adapters.mongo.ferretdb_indexes made by the bench (--gin-indexes)"
    report = ScaleReport(params, info, prefix)
    codes = partnership_codes(params.sizes[-1])
    try:
        with tempfile.TemporaryDirectory(prefix="scp-bench-scale-") as tmp:
            await ensure_topics(kafka, all_topics(prefix))
            registry = PartnershipRegistry(mongo[f"{prefix}auth"])
            for code in (WARM, *codes):
                await registry.add(Partnership(code=code, name=f"Bench partnership {code}", area=f"Area {code}"))
            key, _ = await KeyStore(mongo[f"{prefix}auth"]).create(AGENCY, ["training.*"], label="bench scale",
                                                                   partnerships=[WARM, *codes])
            stage = _Stage(kafka, mongo_url, mongo, prefix, Path(tmp), key, params, report, log)
            await create_topic(kafka, stage.producer_topic)
            log(f"bench.scale: sizes {', '.join(f'{s}x' for s in params.sizes)} of {params.per_year:,} events a "
                f"partnership-year, names {prefix}*")
            loaded = 0
            for n, size in enumerate(params.sizes, 1):
                started = time.perf_counter()
                try:
                    await stage.load(n, size, codes[loaded:size])
                except asyncio.CancelledError:  # Ctrl-C, SIGTERM: report the sizes done; the clean-up below runs
                    if not report.stage_seconds:
                        raise
                    report.interrupted = size
                    log(f"bench.scale: interrupted during {size}x; reporting the sizes done")
                    break
                loaded = size
                report.stored[size] = size * params.per_year
                report.stage_seconds[size] = time.perf_counter() - started
                log(f"bench.scale: {size}x done in {report.stage_seconds[size]:.0f} s")
    finally:
        topics, databases = await clean_up(kafka, mongo, prefix)
        groups = await delete_groups(kafka, prefix)
        log(f"bench.scale: deleted {len(topics)} topics, {len(databases)} databases and {len(groups)} consumer "
            f"groups named {prefix}*")
        await mongo.close()
    report.seconds = time.perf_counter() - began
    return report


class _Stage:
    """What one size adds and measures; holds what the earlier sizes stored."""

    def __init__(self, kafka: str, mongo_url: str, mongo: AsyncMongoClient, prefix: str, tmp: Path, key: str,
                 params: ScaleParams, report: ScaleReport, log: Callable[[str], None]):
        self.kafka, self.mongo_url, self.mongo, self.prefix, self.tmp = kafka, mongo_url, mongo, prefix, tmp
        self.key, self.params, self.report, self.log = key, params, report, log
        self.training_db, self.read_model = f"{prefix}training", f"{prefix}reporting"
        self.bare_events, self.bare_read_model = f"{prefix}bare-events", f"{prefix}bare-reporting"
        self.producer_topic = f"{prefix}bench.producer"
        self.service_topic = f"{prefix}training.events"
        self.through_service: list[Workload] = []  # everything the training service published, in order
        self.projected: list[Event] = []  # everything in the read model (and in the bare read model)

    def put(self, key: str, size: int, platform: float, baseline: float | None) -> None:
        self.report.figures[(key, size)] = Figure(platform, baseline)

    def detail(self, line: str) -> None:
        _detail(self.report, self.log, line)

    async def load(self, n: int, size: int, new: list[str]) -> None:
        year = self.params.year
        fill = spread(f"y{n}", new[:-1], year=year)  # not measured: it brings the stores to size - 1 years
        last = spread(f"y{n}", new[-1:], year=year)  # measured: the size's last year
        platform_first = n % 2 == 1  # which side of each pair goes first alternates from size to size
        await self.ingest(n, size, fill, last, platform_first)
        await self.project(n, size, fill, last, platform_first)
        await self.rebuild(n, size, platform_first)
        await self.dashboards(size)

    async def gin_indexes(self, database: str, collections: Iterable[str] = ()) -> None:
        """With --gin-indexes: the collections made if missing, then the GIN indexes of shared.adapters.mongo.ferretdb_indexes
        on every collection of the database (what the issue asks the platform to have on FerretDB-PostgreSQL)."""
        if not self.params.gin_indexes:
            return
        from shared.adapters.mongo.ferretdb_indexes import ensure_gin_indexes

        db = self.mongo[database]
        for name in set(collections) - set(await db.list_collection_names()):
            await db.create_collection(name)
        await ensure_gin_indexes(self.params.gin_indexes, [database])

    async def ingest(self, n: int, size: int, fill: Workload, last: Workload, platform_first: bool) -> None:
        p = self.params
        await self.gin_indexes(self.bare_events, ["events"])
        async with ingest.TrainingService(self.prefix, self.kafka, self.mongo_url, self.tmp, self.training_db) as service:
            warm = workload(p.warmup, f"w{n}", partnership=WARM)  # connections, the key's cache, the collections
            await ingest.measure_service(service, self.key, self.kafka, self.mongo, warm, batch=p.batch, clients=p.clients)
            await ingest.measure_producer(self.kafka, self.producer_topic, warm)
            self.through_service.append(warm)
            await self.gin_indexes(self.training_db)
            if len(fill):
                run = await ingest.measure_service(service, self.key, self.kafka, self.mongo, fill, batch=p.batch,
                                                   clients=p.clients)
                self.through_service.append(fill)
                await self.mongo[self.bare_events]["events"].insert_many(_event_documents(fill), ordered=False)
                self.detail(f"{size}x fill: {run.events:,} events (not measured) accepted at {run.accepted_rate:,.0f}/s, "
                            f"published at {run.published_rate:,.0f}/s")

            async def platform() -> ingest.IngestRun:
                run = await ingest.measure_service(service, self.key, self.kafka, self.mongo, last, batch=p.batch,
                                                   clients=p.clients)
                self.detail(f"{size}x ingest: last {run.events:,} events accepted in {run.accepted_s:.2f} s "
                            f"({run.accepted_rate:,.0f}/s), published in {run.published_s:.2f} s "
                            f"({run.published_rate:,.0f}/s), outbox empty after {run.drained_s:.2f} s")
                return run

            async def baselines() -> tuple[float, float]:
                bare = await ingest.measure_producer(self.kafka, self.producer_topic, last)
                stored = await self.insert_and_produce(last)
                self.detail(f"{size}x ingest baselines: producer {bare.seconds:.3f} s ({bare.rate:,.0f}/s); "
                            f"insert_many + producer {stored:.3f} s ({len(last) / stored:,.0f}/s)")
                return bare.rate, len(last) / stored

            if platform_first:
                run, (producer_rate, insert_rate) = await platform(), await baselines()
            else:
                (producer_rate, insert_rate), run = await baselines(), await platform()
            self.through_service.append(last)
        self.put("accepted/producer", size, run.accepted_rate, producer_rate)
        self.put("accepted/insert", size, run.accepted_rate, insert_rate)
        self.put("published/producer", size, run.published_rate, producer_rate)
        self.put("published/insert", size, run.published_rate, insert_rate)

    async def insert_and_produce(self, part: Workload) -> float:
        """Seconds to store the events (one insert_many into a collection holding every event loaded so far)
        and then produce them with the bare producer."""
        docs = _event_documents(part)
        started = time.perf_counter()
        await self.mongo[self.bare_events]["events"].insert_many(docs, ordered=False)
        inserted = time.perf_counter() - started
        return inserted + (await ingest.measure_producer(self.kafka, self.producer_topic, part)).seconds

    async def project(self, n: int, size: int, fill: Workload, last: Workload, platform_first: bool) -> None:
        p, timeout = self.params, _timeout(len(self.projected) + len(fill) + len(last))
        parts = [("fill", fill), ("last", last)] if len(fill) else [("last", last)]
        for database in (self.read_model, self.bare_read_model):
            await self.gin_indexes(database, last.documents())
        for name, part in parts:
            topic = f"{self.prefix}bench.{name}{n}"
            await create_topic(self.kafka, topic)
            await projector.prefill(self.kafka, topic, part)
            loaded = Slice(part, list(self.projected))

            async def platform() -> projector.ProjectorRun:
                with projector.traced(p.tracing):
                    return await projector.measure_projector(self.kafka, self.mongo, topic, self.read_model, loaded,
                                                             max_batch=p.max_batch, timeout_s=timeout)

            async def baseline() -> projector.BulkRun:
                return await bare_bulk(self.mongo, self.bare_read_model, loaded, max_batch=p.max_batch)

            if platform_first:
                run, bulk = await platform(), await baseline()
            else:
                bulk, run = await baseline(), await platform()
            self.projected += part.events
            what = "fill (not measured)" if name == "fill" else "projector: last"
            self.detail(f"{size}x {what} {run.events:,} events in {run.seconds:.2f} s ({run.rate:,.0f}/s, "
                        f"{run.batches} batches, join {run.join_s:.2f} s); bulk_write {bulk.seconds:.2f} s "
                        f"({bulk.rate:,.0f}/s); {len(self.projected):,} events' documents stored")
        self.put("projector", size, run.rate, bulk.rate)

    async def rebuild(self, n: int, size: int, platform_first: bool) -> None:
        p = self.params
        everything = Workload("all", [w.events for w in self.through_service])
        fresh, bare = f"{self.prefix}rebuild{n}", f"{self.prefix}bare-rebuild{n}"
        for database in (fresh, bare):
            await self.gin_indexes(database, everything.documents())

        async def platform() -> projector.ProjectorRun:
            with projector.traced(p.tracing):
                return await projector.measure_projector(self.kafka, self.mongo, self.service_topic, fresh, everything,
                                                         max_batch=p.max_batch, timeout_s=_timeout(len(everything)))

        async def baseline() -> projector.BulkRun:
            return await bare_bulk(self.mongo, bare, everything, max_batch=p.max_batch)

        try:
            if platform_first:
                run, bulk = await platform(), await baseline()
            else:
                bulk, run = await baseline(), await platform()
        finally:
            for name in (fresh, bare):  # as large as everything stored: not kept beyond its measurement
                await self.mongo.drop_database(name)
        self.detail(f"{size}x rebuild: {run.events:,} events from offset 0 in {run.seconds:.2f} s ({run.rate:,.0f}/s); "
                    f"bulk_write {bulk.seconds:.2f} s ({bulk.rate:,.0f}/s)")
        self.put("rebuild", size, run.rate, bulk.rate)

    async def dashboards(self, size: int) -> None:
        """A new reporting process each size (so its first answer is computed); its route and the static one,
        interleaved, one request at a time over one keep-alive connection."""
        p = self.params
        async with ReportingService(self.prefix, self.kafka, self.mongo_url, self.tmp, self.read_model) as service:
            read_key, _ = await KeyStore(self.mongo[f"{self.prefix}auth"]).create_read_key(
                "bench scale", partnerships=[DASHBOARD_OF])  # the platform's route needs it (and records each view)
            async with httpx.AsyncClient(base_url=service.url, timeout=120,
                                         headers={"authorization": f"Bearer {read_key}"}) as http:
                (await http.get("/healthz")).raise_for_status()  # the connection
                path = f"/p/{DASHBOARD_OF}/api/dashboard"
                first, body = await _timed_get(http, path)
                static = STATIC.format(size=len(body))
                first_static, _ = await _timed_get(http, static)
                for _ in range(5):
                    await _timed_get(http, path)
                    await _timed_get(http, static)
                platform, baseline = [], []
                for i in range(p.requests):
                    for side, url in ((platform, path), (baseline, static))[::1 if i % 2 else -1]:
                        side.append((await _timed_get(http, url))[0])
        from services.reporting.dashboard import dashboard  # the figures as computed, without any cache

        computed = []
        for _ in range(p.computed):
            started = time.perf_counter()
            await dashboard(self.mongo[self.read_model], DASHBOARD_OF)
            computed.append((time.perf_counter() - started) * 1000)
        p50, p99, b50, b99 = (_quantile(platform, 0.5), _quantile(platform, 0.99), _quantile(baseline, 0.5),
                              _quantile(baseline, 0.99))
        self.put("dashboard p50", size, p50, b50)
        self.put("dashboard p99", size, p99, b99)
        self.put("dashboard first", size, first, first_static)
        self.put("dashboard computed", size, _quantile(computed, 0.5), None)
        self.detail(f"{size}x dashboard of {DASHBOARD_OF} ({len(body):,} bytes), {p.requests} requests a side: "
                    f"p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {max(platform):.2f} ms, first {first:.2f} ms; static "
                    f"p50 {b50:.2f} ms, p99 {b99:.2f} ms, first {first_static:.2f} ms; computed in process "
                    f"p50 {_quantile(computed, 0.5):.2f} ms, max {max(computed):.2f} ms")


async def bare_bulk(mongo: AsyncMongoClient, database: str, part: Workload, *,
                    max_batch: int = projector.MAX_BATCH) -> projector.BulkRun:
    """The projector's baseline: the handlers' upserts for each `max_batch` events, computed beforehand, written
    by `MongoSink.apply` alone (one unordered bulk_write per collection), with no Kafka and no instrumentation.

    Unlike `bench.projector.measure_bulk`, each batch's writes to one document are folded into one upsert
    first, as the projector's sink does: the partnership's read-model version is written by every event, and
    FerretDB 1.24 on PostgreSQL hangs for good (every client, every database) on a bulk_write that updates one
    document more than about 50 times."""
    events = part.events
    batches = [[w for e in events[i:i + max_batch] for w in HANDLERS[e.envelope.type](e.envelope, e.data)]
               for i in range(0, len(events), max_batch)]
    sink = MongoSink(mongo[database], last=[VERSIONS])
    started = time.perf_counter()
    for batch in batches:
        await sink.apply(batch)
    seconds = time.perf_counter() - started
    expected = part.documents()
    held = {c: await mongo[database][c].count_documents({}) for c in expected}
    if held != expected:
        raise RuntimeError(f"{database} holds {held}, expected {expected}")
    return projector.BulkRun(len(events), seconds, sum(len(b) for b in batches))


def _timeout(events: int) -> float:
    """How long a projector run may take: generous, since the slow backends are what this bench looks for."""
    return 300 + events / 10


def _event_documents(part: Workload) -> list[dict]:
    """The events as documents for the bare insert_many: the envelope, keyed by its identity."""
    return [{**e.envelope.model_dump(exclude_none=True), "_id": e.envelope.identity} for e in part.events]


async def _timed_get(http: httpx.AsyncClient, url: str) -> tuple[float, bytes]:
    """Milliseconds from sending the request to having read the whole body, and the body."""
    started = time.perf_counter()
    response = await http.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}: {response.text[:300]}")
    return elapsed, response.content


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


async def delete_groups(kafka: str, prefix: str) -> list[str]:
    """Delete every consumer group whose name starts with the prefix (aiokafka's admin has no call for it)."""
    from aiokafka.protocol.admin import DeleteGroupsRequest

    admin = AIOKafkaAdminClient(bootstrap_servers=kafka, client_id="scp-bench")
    await admin.start()
    try:
        groups = [g[0] for g in await admin.list_consumer_groups() if g[0].startswith(prefix)]
        for group in groups:
            await admin._send_request(DeleteGroupsRequest([group]), await admin.find_coordinator(group))
        return groups
    finally:
        await admin.close()


class ReportingService(ingest.TrainingService):
    """The reporting app, as `python -m services.reporting` builds and serves it, plus the bench's static
    route (`serve_reporting`), as a process on a free port reading `database` as its read model."""

    def __init__(self, prefix: str, kafka: str, mongo_url: str, log_dir: Path, database: str):
        super().__init__(prefix, kafka, mongo_url, log_dir, database)
        self.log_path = log_dir / "reporting.log"
        self.command = [sys.executable, "-c", "from bench.scale import serve_reporting; serve_reporting()"]


def serve_reporting() -> None:
    """Serve `services.reporting.entrypoints.api.build()` as `python -m services.reporting` does, with one
    bench-only route added to the same app: a static JSON body of a given size (the dashboard's baseline)."""
    from fastapi import Path as PathParam
    from fastapi.responses import Response

    from services.reporting.entrypoints.api import build
    from services.reporting.settings import ReportingSettings
    from shared.http.serve import serve

    settings = ReportingSettings()
    app = build(settings)
    bodies: dict[int, bytes] = {}

    @app.get(STATIC, include_in_schema=False)
    async def static(size: int = PathParam(ge=16, le=1 << 24)) -> Response:
        if size not in bodies:
            bodies[size] = b'{"padding":"' + b"x" * (size - 14) + b'"}'
        return Response(bodies[size], media_type="application/json")

    serve(app, settings)


def _number(value: float, unit: str) -> str:
    return f"{value:,.0f} {unit}" if unit == "ev/s" else f"{value:,.2f} {unit}"


def table(report: ScaleReport, markdown: bool = False) -> str:
    """Every measure at every size beside its baseline; then the largest size against the smallest; then the machine."""
    p, render, sizes = report.params, (_markdown if markdown else _plain), report.sizes
    first, last = sizes[0], sizes[-1]
    head = ["measure", "size", "platform", "bare baseline", "ratio", f"platform vs {first}x", "baseline"]
    rows = []
    for m in MEASURES:
        for size in sizes:
            fig, base = report.figures.get((m.key, size)), report.figures.get((m.key, first))
            if fig is None:
                continue
            rows.append([m.name, f"{size}x", _number(fig.platform, m.unit),
                         _number(fig.baseline, m.unit) if fig.baseline else "-",
                         f"{fig.ratio:.3g}" if fig.ratio else "-",
                         f"{fig.platform / base.platform:.2f}" if base else "-", m.baseline or "-"])
    title = (f"{', '.join(f'{s}x' for s in sizes)} the sample's year ({p.per_year:,} events a partnership), one "
             f"partnership a year, loaded cumulatively; each rate is the LAST year loaded at that size. ratio = "
             f"platform / baseline (ev/s: below 1 is slower than the baseline; ms: above 1 is slower)")
    check_head = ["measure", f"{first}x", f"{last}x", f"{last}x / {first}x", "done when", f"baseline {last}x / {first}x"]
    checks = []
    for m in MEASURES:
        a, b = report.figures.get((m.key, first)), report.figures.get((m.key, last))
        if a and b and (m.target or m.key in ("published/insert", "rebuild", "dashboard computed")):
            checks.append([f"{m.name} (vs {m.baseline})" if m.baseline else m.name, _number(a.platform, m.unit),
                           _number(b.platform, m.unit), f"{b.platform / a.platform:.2f}", m.target or "-",
                           f"{b.baseline / a.baseline:.2f}" if a.baseline and b.baseline else "-"])
    stages = ", ".join(f"{s}x in {report.stage_seconds[s]:.0f} s" for s in sizes)
    if report.interrupted:
        stages += f"; interrupted during {report.interrupted}x, whose figures are only in the list above"
    bullet = "- " if markdown else ""
    out = [title, "", render(head, rows, {2, 3, 4, 5}), "",
           "The largest size against the smallest (the issue's targets are for 30x against 1x):", "",
           render(check_head, checks, {1, 2, 3, 5}), "",
           render(["machine", ""], [[k, v] for k, v in report.machine.items()]), "",
           "Each measurement, in the order run:", "", *(f"{bullet}{d}" for d in report.details), "",
           f"Bench took {report.seconds:.0f} s ({stages})."]
    return "\n".join(out)


async def _until_stopped(job):
    """Run `job`; SIGTERM cancels it as Ctrl-C does, so that it still deletes what it made (and reports the
    sizes done)."""
    task = asyncio.ensure_future(job)
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    return await task


def main(argv: list[str] | None = None) -> int:
    default = ScaleParams()
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description="Ingest, projector, rebuild and "
                                     "dashboard at 1x, 10x and 30x the sample's yearly volume, each beside a bare "
                                     "baseline measured in the same run (see docs/performance.md).")
    parser.add_argument("--sizes", help="multiples of the sample's year, ascending (default 1,10,30; quick 1,2,3)")
    counts = {"requests": "dashboard requests timed at each size", "batch": "events a POST",
              "clients": "concurrent HTTP clients", "max_batch": "projector batch and bulk_write batch"}
    for name, text in counts.items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=int, help=f"{text} (default {getattr(default, name)})")
    flags = {"quick": "a tiny smoke run: sizes 1,2,3 of a 46-event year",
             "no-tracing": "run the in-process projector without the tracing instrumentation its process has",
             "markdown": "print the tables as Markdown"}
    for name, text in flags.items():
        parser.add_argument(f"--{name}", action="store_true", help=text)
    parser.add_argument("--gin-indexes", action="store_true",
                        help="on FerretDB-PostgreSQL: make shared.adapters.mongo.ferretdb_indexes' GIN indexes on every bench database "
                             "before it is measured (needs FERRETDB_POSTGRESQL_URL)")
    args = parser.parse_args(argv)

    kafka, mongo_url = os.environ.get("KAFKA_BOOTSTRAP_SERVERS"), os.environ.get("MONGODB_URL")
    if not (kafka and mongo_url):
        parser.error('set KAFKA_BOOTSTRAP_SERVERS and MONGODB_URL (eval "$(scripts/infra.sh env)"), or run '
                     '`make bench-scale`')
    params = QUICK if args.quick else default
    chosen = {name: getattr(args, name) for name in counts if getattr(args, name) is not None}
    if args.sizes:
        try:
            chosen["sizes"] = tuple(int(s) for s in args.sizes.split(","))
        except ValueError:
            parser.error("--sizes: whole numbers separated by commas, e.g. 1,10,30")
    if args.gin_indexes and not os.environ.get("FERRETDB_POSTGRESQL_URL"):
        parser.error('--gin-indexes needs FERRETDB_POSTGRESQL_URL (eval "$(scripts/infra.sh env)")')
    params = dataclasses.replace(params, **chosen, tracing=not args.no_tracing,
                                 gin_indexes=os.environ.get("FERRETDB_POSTGRESQL_URL") if args.gin_indexes else None)
    if (not params.sizes or params.sizes[0] < 1 or list(params.sizes) != sorted(set(params.sizes))
            or params.requests < 1 or not 1 <= params.batch <= 1000 or params.clients < 1 or params.max_batch < 1):
        parser.error("need ascending --sizes >= 1, --requests >= 1, --batch 1 to 1000, --clients >= 1, --max-batch >= 1")

    from shared.observability.logging import configure_logging

    configure_logging("bench", "WARNING", "console")
    report = asyncio.run(_until_stopped(run(kafka, mongo_url, params)))
    print(table(report, markdown=args.markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
