"""One bench run: both ratios, each side measured alternately in every round, on the same servers.

First the ingest pairs: in each round a fresh training service process with a fresh database, warmed
up, then the service and the bare producer, the one going first alternating from round to round.
Then, with no service left running (its outbox relay polls the database), the projector pairs the
same way. The table gives the median of each side over the rounds and the ratio of the medians.

Everything the run makes is named with one fresh prefix (`bench<hex>-`): the training service's
topics and databases, the bench's own topics, the read-model and baseline databases. All of it is
deleted at the end, also after a failure.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pymongo import AsyncMongoClient

from bench import ingest, projector
from bench.events import Workload, workload
from bench.infra import CPU, clean_up, create_topic, local_servers, machine
from sample.partnership import AGENCY
from shared.adapters.mongo.keys import KeyStore
from shared.partnerships import Partnership
from shared.adapters.mongo.partnerships import PartnershipRegistry
from shared.kafka.topics import all_topics, ensure_topics
from shared.adapters.mongo.client import connect


@dataclass(frozen=True)
class Params:
    events: int = 2500  # see docs/performance.md: on FerretDB-SQLite the cost per event grows with the data
    rounds: int = 3
    batch: int = 100  # events per POST
    clients: int = 4  # concurrent HTTP clients
    max_batch: int = projector.MAX_BATCH  # the projector's batch, and the baseline's bulk_write batch
    tracing: bool = True  # the in-process projector with tracing configured, as its process has it
    warmup: int = 200  # events posted (and produced) once before the rounds, not measured


QUICK = Params(events=300, rounds=1, batch=50, clients=2, warmup=50)


@dataclass
class Row:
    name: str
    platform: str  # what the platform side is
    baseline: str  # what the bare baseline is
    platform_rates: list[float] = field(default_factory=list)
    baseline_rates: list[float] = field(default_factory=list)
    platform_cpu: list[dict[str, float]] = field(default_factory=list)  # CPU seconds by process, per round
    baseline_cpu: list[dict[str, float]] = field(default_factory=list)
    platform_wall: list[float] = field(default_factory=list)  # seconds, per round
    baseline_wall: list[float] = field(default_factory=list)

    @property
    def platform_median(self) -> float:
        return statistics.median(self.platform_rates)

    @property
    def baseline_median(self) -> float:
        return statistics.median(self.baseline_rates)

    @property
    def ratio(self) -> float:
        return self.platform_median / self.baseline_median


@dataclass
class Report:
    params: Params
    machine: dict[str, str]
    rows: list[Row]
    details: list[str] = field(default_factory=list)  # one line per measurement, in the order run
    seconds: float = 0.0
    profiles: list[Path] = field(default_factory=list)
    prefix: str = ""  # of every topic and database the run made (and deleted)


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


async def run(kafka: str, mongo_url: str, params: Params = Params(), *, profile_dir: Path | None = None,
              log: Callable[[str], None] = _stderr) -> Report:
    began = time.perf_counter()
    projector.setup_tracing()  # before any MongoDB client
    prefix = f"bench{uuid.uuid4().hex[:6]}-"
    mongo = connect(mongo_url)
    accepted = Row("ingest: accepted (HTTP 202)",
                   f"POST /events, {params.clients} clients x {params.batch}-event batches",
                   "one AIOKafkaProducer (idempotent, acks=all, linger 5 ms) sending the same records")
    published = Row("ingest: published (relay to Kafka)", "the same requests, until the topic holds every event",
                    "the same producer run")
    projected = Row("projector: written and committed",
                    f"ConsumerRunner + MongoSink + HANDLERS in process, max_batch {params.max_batch}, fresh group",
                    f"bulk_write(UpdateOne upserts) of the handlers' writes, {params.max_batch} events a batch")
    report = Report(params, await machine(kafka, mongo), [accepted, published, projected], prefix=prefix)
    if profile_dir:
        profile_dir.mkdir(parents=True, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory(prefix="scp-bench-") as tmp:
            producer_topic, projector_topic = f"{prefix}bench.producer", f"{prefix}bench.projector"
            await ensure_topics(kafka, all_topics(prefix))
            for topic in (producer_topic, projector_topic):
                await create_topic(kafka, topic)
            await PartnershipRegistry(mongo[f"{prefix}auth"]).add(
                Partnership(code="doncaster", name="Doncaster Safeguarding Children Partnership", area="Doncaster"))
            key, _ = await KeyStore(mongo[f"{prefix}auth"]).create(AGENCY, ["training.*"], label="bench",
                                                                   partnerships=["doncaster"])
            projected_events = workload(params.events, "p")
            await projector.prefill(kafka, projector_topic, projected_events)
            log(f"bench: {params.events} events, {params.rounds} rounds, names {prefix}*")
            for r in range(1, params.rounds + 1):  # each round: a fresh service process and database
                profile = profile_dir / f"training-service-round{r}.txt" if profile_dir else None
                database = f"{prefix}training-r{r}"
                async with ingest.TrainingService(prefix, kafka, mongo_url, Path(tmp), database, profile) as service:
                    pids = {"training service": service.process.pid, **local_servers(kafka, mongo_url),
                            "bench": os.getpid()}
                    if params.warmup:  # connections, the key's cache, the collections' creation
                        warm = workload(params.warmup, f"w{r}")
                        await ingest.measure_service(service, key, kafka, mongo, warm, batch=params.batch,
                                                     clients=params.clients)
                        await ingest.measure_producer(kafka, producer_topic, warm)
                    await _ingest_pair(r, service, key, kafka, mongo, producer_topic, workload(params.events, f"r{r}"),
                                       params, report, log, pids)
                await mongo.drop_database(database)
                if profile:
                    report.profiles.append(profile)
            pids = {**local_servers(kafka, mongo_url), "bench": os.getpid()}
            for r in range(1, params.rounds + 1):  # with no service running, so nothing else loads the servers
                await _projector_pair(r, kafka, mongo, prefix, projector_topic, projected_events, params,
                                      report, log, pids, profile_dir)
    finally:
        topics, databases = await clean_up(kafka, mongo, prefix)
        log(f"bench: deleted {len(topics)} topics and {len(databases)} databases named {prefix}*")
        await mongo.close()
    report.seconds = time.perf_counter() - began
    return report


async def _ingest_pair(r: int, service: ingest.TrainingService, key: str, kafka: str, mongo: AsyncMongoClient,
                       topic: str, events: Workload, params: Params, report: Report, log: Callable[[str], None],
                       pids: dict[str, int]) -> None:
    accepted, published, _ = report.rows

    async def platform() -> None:
        cpu = CPU(pids).start()
        run = await ingest.measure_service(service, key, kafka, mongo, events, batch=params.batch, clients=params.clients)
        accepted.platform_cpu.append(cpu.stop())
        accepted.platform_rates.append(run.accepted_rate)
        published.platform_rates.append(run.published_rate)
        accepted.platform_wall.append(run.drained_s)
        _detail(report, log, f"round {r} ingest service:   {run.events} events accepted in {run.accepted_s:.2f} s "
                             f"({run.accepted_rate:,.0f}/s), published in {run.published_s:.2f} s ({run.published_rate:,.0f}/s), "
                             f"outbox empty after {run.drained_s:.2f} s; "
                             f"CPU s: {cpu.summary()}")

    async def baseline() -> None:
        cpu = CPU(pids).start()
        run = await ingest.measure_producer(kafka, topic, events)
        accepted.baseline_cpu.append(cpu.stop())
        accepted.baseline_rates.append(run.rate)
        published.baseline_rates.append(run.rate)
        accepted.baseline_wall.append(run.seconds)
        _detail(report, log, f"round {r} ingest producer:  {run.events} events acknowledged in {run.seconds:.2f} s "
                             f"({run.rate:,.0f}/s); CPU s: {cpu.summary()}")

    for side in ((platform, baseline) if r % 2 else (baseline, platform)):  # alternate which goes first
        await side()


async def _projector_pair(r: int, kafka: str, mongo: AsyncMongoClient, prefix: str, topic: str, events: Workload, params: Params,
                          report: Report, log: Callable[[str], None], pids: dict[str, int],
                          profile_dir: Path | None) -> None:
    projected = report.rows[2]
    read_model, bare = f"{prefix}rm{r}", f"{prefix}bare{r}"

    async def platform() -> None:
        profiler = _profiler(profile_dir)
        cpu = CPU(pids).start()
        with projector.traced(params.tracing):
            if profiler:
                profiler.start()
            try:
                run = await projector.measure_projector(kafka, mongo, topic, read_model, events, max_batch=params.max_batch)
            finally:
                if profiler:
                    profiler.stop()
                    path = profile_dir / f"projector-round{r}.txt"
                    path.write_text(profiler.output_text(unicode=True, show_all=False))
                    report.profiles.append(path)
        projected.platform_cpu.append(cpu.stop())
        projected.platform_rates.append(run.rate)
        projected.platform_wall.append(run.seconds + run.join_s)
        _detail(report, log, f"round {r} projector:        {run.events} events in {run.seconds:.2f} s ({run.rate:,.0f}/s), "
                             f"{run.batches} batches, group join and first fetch {run.join_s:.2f} s; CPU s: {cpu.summary()}")

    async def baseline() -> None:
        cpu = CPU(pids).start()
        run = await projector.measure_bulk(mongo, bare, events, max_batch=params.max_batch)
        projected.baseline_cpu.append(cpu.stop())
        projected.baseline_rates.append(run.rate)
        projected.baseline_wall.append(run.seconds)
        _detail(report, log, f"round {r} bulk_write:       {run.events} events ({run.writes} upserts) in "
                             f"{run.seconds:.2f} s ({run.rate:,.0f}/s); CPU s: {cpu.summary()}")

    for side in ((platform, baseline) if r % 2 else (baseline, platform)):
        await side()
    for name in (read_model, bare):  # each round starts from empty databases
        await mongo.drop_database(name)


def _profiler(profile_dir: Path | None):
    if profile_dir is None:
        return None
    from pyinstrument import Profiler  # only for --profile; not a project dependency

    return Profiler(async_mode="disabled")


def _detail(report: Report, log: Callable[[str], None], line: str) -> None:
    report.details.append(line)
    log(f"bench: {line}")


def _rate(value: float) -> str:
    return f"{value:,.0f} ev/s"


def table(report: Report, markdown: bool = False) -> str:
    """The ratios (medians over the rounds), then the machine."""
    p = report.params
    head = ["measure", "platform", "bare baseline", "ratio"]
    rows = [[row.name, _rate(row.platform_median), _rate(row.baseline_median), f"{row.ratio:.3g}"] for row in report.rows]
    legend = [f"{row.name}: platform = {row.platform}; baseline = {row.baseline}" for row in report.rows]
    title = (f"{p.events:,} events a run, {p.rounds} round{'s' * (p.rounds != 1)}, median of each side; "
             f"ratio = platform / baseline (1.0 = as fast as the bare baseline)")
    machine = [[k, v] for k, v in report.machine.items()]
    cpu_head, cpu_rows = cpu_table(report)
    cpu_title = ("CPU seconds used by each process while a side ran, medians (wall: the side's seconds; "
                 "ingest platform: until its outbox is empty)")
    render = _markdown if markdown else _plain
    out = [title, "", render(head, rows, {1, 2, 3}), "", *((f"- {line}" if markdown else line) for line in legend), "",
           cpu_title, "",
           render(cpu_head, cpu_rows, set(range(1, len(cpu_head)))), "", render(["machine", ""], machine), "",
           "Each measurement, in the order run:", "", *((f"- {d}" if markdown else d) for d in report.details), "",
           f"Bench took {report.seconds:.0f} s." if markdown else f"bench took {report.seconds:.0f} s"]
    return "\n".join(out)


def cpu_table(report: Report) -> tuple[list[str], list[list[str]]]:
    names: list[str] = []
    for row in report.rows:
        for sample in row.platform_cpu + row.baseline_cpu:
            names += [n for n in sample if n not in names]
    head, rows = ["side", "wall", *names], []
    for row in report.rows:
        for side, walls, samples in (("platform", row.platform_wall, row.platform_cpu),
                                     ("baseline", row.baseline_wall, row.baseline_cpu)):
            if samples:
                rows.append([f"{row.name.split(':')[0]}, {side}", f"{statistics.median(walls):.2f}",
                             *(f"{statistics.median(s[n] for s in samples):.2f}" if all(n in s for s in samples) else "-"
                               for n in names)])
    return head, rows


def _plain(head: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]

    def line(r: list[str]) -> str:
        return "  ".join(str(c).rjust(w) if i in numeric else str(c).ljust(w)
                         for i, (c, w) in enumerate(zip(r, widths))).rstrip()

    return "\n".join([line(head), "  ".join("-" * w for w in widths), *(line(r) for r in rows)])


def _markdown(head: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    align = ["---:" if i in numeric else "---" for i in range(len(head))]
    return "\n".join("| " + " | ".join(str(c) for c in r) + " |" for r in [head, align, *rows])
