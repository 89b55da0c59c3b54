"""The figures bench: do the strategy, reviews and training figures stay as fast as the data grows?

    python -m bench.figures [--sizes 1,10,30] [--requests 30] [--markdown]   (or `make bench-figures`)
    python -m bench.figures --years 1,5,10 [--requests 30] [--markdown]     (one partnership's own history)

By partnerships (`--sizes`): it projects Doncaster's whole sample (strategy, reviews and training: 1,682 partner
events, and the decisions their services publish beside them: sample.published) into a fresh read model once per
partnership, `p01`...`pNN`, cumulatively (the 10x stage adds p02..p10 to what the 1x stage stored), through the
projections and the projector's sink (`MongoSink`: no Kafka, since what is measured is the read). At each size it
measures p01's figures, whose own data never changes, so the question is whether their cost grows with the other
partnerships' data already stored.

By years (`--years`): one partnership, p01, holds 1, 5, 10... years of the sample's facts (sample.history: year k
is the sample k years on, with ids of its own), and each endpoint is read as of the last year's 31 March. The
question is whether a figure's cost grows with the partnership's own history.

For every JSON endpoint (`/p/p01/api/strategy/scorecard?as_of=2022-03-31`, ...), on the reporting app
in process (`build()`, its lifespan, over httpx's ASGI transport), the median and the p99 of `--requests`
requests, each interleaved with its bare baseline: reading every document of p01 in the collections that domain's
figures read (`find({"partnership": "p01"})`, no computing). One pass per stage: single measurements, so read each
endpoint's last/first beside its baseline's own. Timings are reported, never asserted.
Everything it makes (`bench<hex>-` databases) is deleted at the end, also after a failure.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
import uuid
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field

import httpx

from sample import partnership as training_sample, reviews as reviews_sample, strategy as strategy_sample
from sample.history import year_of
from sample.published import published
from shared.adapters.mongo.sink import MongoSink
from shared.adapters.mongo.client import connect, prepare_collections
from shared.partnerships import Partnership
from shared.adapters.mongo.partnerships import PartnershipRegistry
from services.reporting.projections import HANDLERS, READ_MODEL_INDEXES, reviews, strategy, training

MEASURED = "p01"
ENDPOINTS = {  # path under /p/p01/api/ -> the domain whose collections are its baseline
    "strategy/scorecard?as_of=2022-03-31": strategy,
    "strategy/kpis?as_of=2022-03-31": strategy,
    "strategy/ofsted?as_of=2022-03-31": strategy,
    "reviews/clocks?as_of=2022-03-31": reviews,
    "reviews/recommendations?as_of=2022-03-31": reviews,
    "training?as_of=2022-03-31": training,
    "training/attendance?as_of=2022-03-31": training,
    "dashboard": training,
}


@dataclass
class Report:
    sizes: list[int] = field(default_factory=list)
    events: dict[int, int] = field(default_factory=dict)  # size -> events stored
    ms: dict[tuple[str, int], tuple[float, float]] = field(default_factory=dict)  # (endpoint, size) -> (it, bare)
    p99: dict[tuple[str, int], tuple[float, float]] = field(default_factory=dict)  # the same, 99th percentile
    unit: str = "x"  # x: partnerships stored; y: years of one partnership's history


async def sample_events() -> list:
    """Doncaster's whole sample as its services publish it: each fact with its data contract, and the decisions the
    services made from it (sample.published: their rules, in memory)."""
    events = strategy_sample.events() + reviews_sample.events() + training_sample.training_events()
    return await published([e for e in events if e.partnership == "doncaster"])


async def project(db, sample: list, code: str, batch: int = 500) -> int:
    """The sample's events as partnership `code`'s, projected and written as the projector would."""
    sink, events = MongoSink(db), [(e.model_copy(update={"partnership": code}), d) for e, d in sample]
    for start in range(0, len(events), batch):
        await sink.apply([w for e, d in events[start:start + batch] for w in HANDLERS[e.type](e, d)])
    return len(events)


async def _bare(db, domain) -> None:
    for collection in domain.INDEXES:
        [doc async for doc in db[collection].find({"partnership": MEASURED})]


async def _measure(http, db, report: "Report", size: int, requests: int, log, years_on: int = 0) -> None:
    """Each endpoint's median (and p99) of `requests` reads, interleaved with its bare read, at one stage; the as-of
    date `years_on` years after the sample's."""
    for path, domain in ENDPOINTS.items():
        url = f"/p/{MEASURED}/api/{path}".replace("as_of=2022-", f"as_of={2022 + years_on}-")

        async def get(url=url):
            (await http.get(url)).raise_for_status()

        async def bare(domain=domain):
            await _bare(db, domain)

        await get(), await bare()  # warm
        times, bare_times = [], []
        for _ in range(requests):
            for job, into in ((get, times), (bare, bare_times)):
                started = time.perf_counter()
                await job()
                into.append((time.perf_counter() - started) * 1000)
        report.ms[(path, size)] = (_quantile(times, 0.5), _quantile(bare_times, 0.5))
        report.p99[(path, size)] = (_quantile(times, 0.99), _quantile(bare_times, 0.99))
        log(f"{size}{report.unit} {path}: {report.ms[(path, size)][0]:.1f} ms, p99 {report.p99[(path, size)][0]:.1f} ms "
            f"(bare read {report.ms[(path, size)][1]:.1f} ms)")


def _quantile(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@asynccontextmanager
async def reporting_app(kafka: str, mongo_url: str, prefix: str):
    """An HTTP client of a new reporting app (its lifespan, over httpx's ASGI transport) on the `<prefix>reporting`
    read model and `<prefix>auth` registry: nothing is cached from an earlier app."""
    from services.reporting.entrypoints.api import build
    from services.reporting.settings import ReportingSettings

    settings = ReportingSettings(kafka_bootstrap_servers=kafka, mongodb_url=mongo_url, topic_prefix=prefix,
                                 mongodb_database=f"{prefix}reporting", auth_database=f"{prefix}auth",
                                 log_level="WARNING", log_format="console", metrics_port=0)
    app = build(settings)
    async with AsyncExitStack() as stack:
        await stack.enter_async_context(app.router.lifespan_context(app))
        registry = app.state.runtime.partnerships
        read_key, _ = await app.state.runtime.keys.create_read_key(
            "bench", partnerships=[p.code for p in await registry.list()])
        yield await stack.enter_async_context(
            httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://reporting", timeout=120,
                              headers={"authorization": f"Bearer {read_key}"}))


@asynccontextmanager
async def bench_read_model(kafka: str, mongo_url: str):
    """A fresh read model and partnership registry (`bench<hex>-` databases, deleted afterwards, also after a
    failure), and `measure(report, stage, requests, log, years_on)`: every endpoint read on a new reporting app
    (`reporting_app`), so nothing is cached from the stage before."""
    prefix = f"bench{uuid.uuid4().hex[:8]}-"
    mongo = connect(mongo_url)
    db = mongo[f"{prefix}reporting"]

    async def measure(report: Report, stage: int, requests: int, log, years_on: int = 0) -> None:
        async with reporting_app(kafka, mongo_url, prefix) as http:
            await _measure(http, db, report, stage, requests, log, years_on)

    try:
        await prepare_collections(db, READ_MODEL_INDEXES,
                                  ferretdb_postgresql_url=os.environ.get("FERRETDB_POSTGRESQL_URL"))
        yield db, PartnershipRegistry(mongo[f"{prefix}auth"]), measure
    finally:
        for name in await mongo.list_database_names():
            if name.startswith(prefix):
                await mongo.drop_database(name)
        await mongo.close()


async def run_history(kafka: str, mongo_url: str, years: list[int], requests: int = 30,
                      log=lambda line: print(line, file=sys.stderr)) -> Report:
    """One partnership, p01, holding 1, 5, 10... years of the sample's facts (sample.history), as its services
    publish them; at each stage every endpoint is read as of the last year's 31 March, beside the bare read of all
    of p01's documents in the collections it reads. The question: does a figure's cost grow with the
    partnership's own history?"""
    report = Report(unit="y")
    partner_events = [e for e in strategy_sample.events() + reviews_sample.events() + training_sample.training_events()
                      if e.partnership == "doncaster"]
    async with bench_read_model(kafka, mongo_url) as (db, registry, measure):
        await registry.add(Partnership(code=MEASURED, name="Bench partnership", area=MEASURED))
        loaded, stored = 0, 0
        for stage in sorted(years):
            started = time.perf_counter()
            for k in range(loaded, stage):  # cumulatively: the 5-year stage adds years 2 to 5 to the first
                stored += await project(db, await published(year_of(partner_events, k)), MEASURED)
            report.events[stage], loaded = stored, stage
            log(f"{stage}y: {stored:,} records projected in {time.perf_counter() - started:.0f} s")
            report.sizes.append(stage)
            await measure(report, stage, requests, log, years_on=stage - 1)
    return report


async def run(kafka: str, mongo_url: str, sizes: list[int], requests: int = 30,
              log=lambda line: print(line, file=sys.stderr)) -> Report:
    report, sample = Report(), await sample_events()
    async with bench_read_model(kafka, mongo_url) as (db, registry, measure):
        loaded = 0
        for size in sizes:
            started = time.perf_counter()
            for n in range(loaded + 1, size + 1):
                code = f"p{n:02d}"
                await registry.add(Partnership(code=code, name=f"Bench partnership {n}", area=code))
                await project(db, sample, code)
            report.events[size], loaded = len(sample) * size, size
            log(f"{size}x: {report.events[size]:,} events projected in {time.perf_counter() - started:.0f} s")
            report.sizes.append(size)
            await measure(report, size, requests, log)
    return report


def table(report: Report, markdown: bool = False) -> str:
    """Per endpoint and stage: the median (its bare read's) and the p99; then the last stage over the first."""
    first, last, unit = report.sizes[0], report.sizes[-1], report.unit
    head = ["endpoint (p01)", *[f"{s}{unit} ms (bare), p99" for s in report.sizes], f"{last}{unit} / {first}{unit}",
            "bare's", "p99's"]
    rows = []
    for path in ENDPOINTS:
        cells = [f"{report.ms[(path, s)][0]:.1f} ({report.ms[(path, s)][1]:.1f}), {report.p99[(path, s)][0]:.1f}"
                 for s in report.sizes]
        a, b = report.ms[(path, first)], report.ms[(path, last)]
        pa, pb = report.p99[(path, first)], report.p99[(path, last)]
        rows.append([path, *cells, f"{b[0] / a[0]:.2f}", f"{b[1] / a[1]:.2f}", f"{pb[0] / pa[0]:.2f}"])
    if markdown:
        out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        return "\n".join(out + ["| " + " | ".join(r) + " |" for r in rows])
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows)]
    return "\n".join("  ".join(str(c).ljust(w) for c, w in zip(r, widths)) for r in [head, *rows])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.figures", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,30", help="partnerships stored at each stage (default 1,10,30)")
    parser.add_argument("--years", default="", help="instead: one partnership holding this many years of the "
                                                    "sample's facts at each stage, e.g. 1,5,10")
    parser.add_argument("--requests", type=int, default=30, help="requests per endpoint and size (default 30)")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args(argv)
    sizes = sorted({int(s) for s in args.sizes.split(",")})
    kafka, mongo_url = os.environ.get("KAFKA_BOOTSTRAP_SERVERS"), os.environ.get("MONGODB_URL")
    if not (kafka and mongo_url):
        print("set KAFKA_BOOTSTRAP_SERVERS and MONGODB_URL: eval \"$(scripts/infra.sh env)\"", file=sys.stderr)
        return 2
    from shared.observability.logging import configure_logging

    configure_logging("bench", "WARNING", "console")
    if args.years:
        report = asyncio.run(run_history(kafka, mongo_url, sorted({int(y) for y in args.years.split(",")}),
                                         args.requests))
    else:
        report = asyncio.run(run(kafka, mongo_url, sizes, args.requests))
    print(table(report, markdown=args.markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
