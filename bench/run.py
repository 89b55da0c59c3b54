"""One bench run: both ratios, each side measured alternately in every round, on the same servers.

Everything the run makes is named with one fresh prefix (`bench<hex>-`): the training service's
topics and databases, the bench's own topics, the read-model and baseline databases. All of it is
deleted at the end, also after a failure.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench import ingest, projector
from bench.events import Workload, workload
from bench.infra import clean_up, create_topic, machine
from sample.partnership import AGENCY
from shared.auth.keys import KeyStore
from shared.kafka.topics import all_topics, ensure_topics
from shared.mongo import connect


@dataclass(frozen=True)
class Params:
    events: int = 8000
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
                   "aiokafka producer, same records")
    published = Row("ingest: published (relay to Kafka)", "same requests, until all are on the topic",
                    "aiokafka producer, same records")
    projected = Row("projector: written and committed", f"ConsumerRunner + MongoSink, max_batch {params.max_batch}",
                    f"bulk_write of the same upserts, {params.max_batch} events a batch")
    report = Report(params, await machine(kafka, mongo), [accepted, published, projected])
    if profile_dir:
        profile_dir.mkdir(parents=True, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory(prefix="scp-bench-") as tmp:
            producer_topic, projector_topic = f"{prefix}bench.producer", f"{prefix}bench.projector"
            await ensure_topics(kafka, all_topics(prefix))
            for topic in (producer_topic, projector_topic):
                await create_topic(kafka, topic)
            key, _ = await KeyStore(mongo[f"{prefix}auth"]).create(AGENCY, ["training.*"], label="bench")
            projected_events = workload(params.events, "p")
            await projector.prefill(kafka, projector_topic, projected_events)
            service_profile = profile_dir / "training-service.txt" if profile_dir else None
            log(f"bench: {params.events} events, {params.rounds} rounds; starting the training service ({prefix})")
            async with ingest.TrainingService(prefix, kafka, mongo_url, Path(tmp), service_profile) as service:
                if params.warmup:
                    warm = workload(params.warmup, "warmup")
                    await ingest.measure_service(service, key, kafka, warm, batch=params.batch, clients=params.clients)
                    await ingest.measure_producer(kafka, producer_topic, warm)
                for r in range(1, params.rounds + 1):
                    events = workload(params.events, f"r{r}")
                    await _ingest_pair(r, service, key, kafka, producer_topic, events, params, report, log)
                    await _projector_pair(r, kafka, mongo, prefix, projector_topic, projected_events, params,
                                          report, log, profile_dir)
            if service_profile:
                report.profiles.append(service_profile)
    finally:
        topics, databases = await clean_up(kafka, mongo, prefix)
        log(f"bench: deleted {len(topics)} topics and {len(databases)} databases named {prefix}*")
        await mongo.close()
    report.seconds = time.perf_counter() - began
    return report


async def _ingest_pair(r: int, service: ingest.TrainingService, key: str, kafka: str, topic: str, events: Workload,
                       params: Params, report: Report, log: Callable[[str], None]) -> None:
    accepted, published, _ = report.rows

    async def platform() -> None:
        run = await ingest.measure_service(service, key, kafka, events, batch=params.batch, clients=params.clients)
        accepted.platform_rates.append(run.accepted_rate)
        published.platform_rates.append(run.published_rate)
        _detail(report, log, f"round {r} ingest service:   {run.events} events accepted in {run.accepted_s:.2f} s "
                             f"({run.accepted_rate:,.0f}/s), published in {run.published_s:.2f} s ({run.published_rate:,.0f}/s)")

    async def baseline() -> None:
        run = await ingest.measure_producer(kafka, topic, events)
        accepted.baseline_rates.append(run.rate)
        published.baseline_rates.append(run.rate)
        _detail(report, log, f"round {r} ingest producer:  {run.events} events acknowledged in {run.seconds:.2f} s "
                             f"({run.rate:,.0f}/s)")

    for side in ((platform, baseline) if r % 2 else (baseline, platform)):  # alternate which goes first
        await side()


async def _projector_pair(r: int, kafka: str, mongo, prefix: str, topic: str, events: Workload, params: Params,
                          report: Report, log: Callable[[str], None], profile_dir: Path | None) -> None:
    projected = report.rows[2]
    read_model, bare = f"{prefix}rm{r}", f"{prefix}bare{r}"

    async def platform() -> None:
        profiler = _profiler(profile_dir)
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
        projected.platform_rates.append(run.rate)
        _detail(report, log, f"round {r} projector:        {run.events} events in {run.seconds:.2f} s ({run.rate:,.0f}/s), "
                             f"{run.batches} batches, group join and first fetch {run.join_s:.2f} s")

    async def baseline() -> None:
        run = await projector.measure_bulk(mongo, bare, events, max_batch=params.max_batch)
        projected.baseline_rates.append(run.rate)
        _detail(report, log, f"round {r} bulk_write:       {run.events} events ({run.writes} upserts) in "
                             f"{run.seconds:.2f} s ({run.rate:,.0f}/s)")

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
    head = ["measure", "platform", "bare baseline", "ratio", "platform side", "baseline side"]
    rows = [[row.name, _rate(row.platform_median), _rate(row.baseline_median), f"{row.ratio:.3f}", row.platform,
             row.baseline] for row in report.rows]
    title = (f"{p.events:,} events a run, {p.rounds} round{'s' * (p.rounds != 1)}, median of each side; "
             f"ratio = platform / baseline (1.0 = as fast as the bare baseline)")
    machine = [[k, v] for k, v in report.machine.items()]
    if markdown:
        out = [title, "", _markdown(head, rows), "", _markdown(["machine", ""], machine), "",
               f"Bench took {report.seconds:.0f} s."]
    else:
        out = [title, "", _plain(head, rows), "", _plain(["machine", ""], machine), "",
               f"bench took {report.seconds:.0f} s"]
    return "\n".join(out)


def _plain(head: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    numeric = {1, 2, 3} if len(head) > 2 else set()
    fmt = lambda r: "  ".join(str(c).rjust(w) if i in numeric else str(c).ljust(w) for i, (c, w) in enumerate(zip(r, widths)))
    return "\n".join([fmt(head), "  ".join("-" * w for w in widths), *(fmt(r).rstrip() for r in rows)])


def _markdown(head: list[str], rows: list[list[str]]) -> str:
    align = ["---:" if i in (1, 2, 3) and len(head) > 2 else "---" for i in range(len(head))]
    return "\n".join("| " + " | ".join(str(c) for c in r) + " |" for r in [head, align, *rows])
