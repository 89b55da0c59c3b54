"""Ratio (b), projector: events a second into the read model, against bare bulk_write upserts.

Platform side: the reporting projector's own parts, in this process: `ConsumerRunner` with
`MongoSink` and `services.reporting.projections.HANDLERS`, a fresh consumer group and a fresh
read-model database, over a topic pre-filled with the round's events. Timed from the first batch it
receives to the end of its last commit (the group join before that is reported apart: it is a
one-off, not a rate). Tracing is configured as the projector process configures it (exporter
"none": spans made, not exported), so the aiokafka and PyMongo instrumentation is on.

Baseline: the very `Upsert`s the handlers make of those events, computed beforehand, turned into
`UpdateOne(..., upsert=True)` the way MongoSink does and written with one unordered `bulk_write`
per collection per `max_batch` events, into another fresh database on the same server, with no
instrumentation. That is the least any projection must cost; the ratio says what consuming from
Kafka, decoding and validating each envelope, the handlers, the DLQ logic and the commits add.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass

from aiokafka import AIOKafkaProducer
from pymongo import AsyncMongoClient, UpdateOne

from bench.events import Workload
from shared.kafka.consumer import ConsumerRunner
from shared.adapters.mongo.sink import MongoSink, update_ops
from shared.kafka.producer import EventProducer
from shared.observability.tracing import configure_tracing
from services.reporting.projections import HANDLERS, VERSIONS
from services.reporting.settings import ReportingSettings

MAX_BATCH = ReportingSettings().max_batch  # the projector's default, 500


@dataclass(frozen=True)
class ProjectorRun:
    events: int
    seconds: float  # first batch received to last commit done
    join_s: float  # runner started to first batch received (group join, first fetch)
    batches: int

    @property
    def rate(self) -> float:
        return self.events / self.seconds


@dataclass(frozen=True)
class BulkRun:
    events: int
    seconds: float
    writes: int

    @property
    def rate(self) -> float:
        return self.events / self.seconds


_owned = False  # whether this module configured tracing (so may switch the instrumentation on and off)


def _instrumentation(on: bool) -> None:
    from opentelemetry.instrumentation.aiokafka import AIOKafkaInstrumentor
    from opentelemetry.instrumentation.pymongo import PymongoInstrumentor

    for instrumentor in (AIOKafkaInstrumentor(), PymongoInstrumentor()):
        instrumentor.instrument() if on else instrumentor.uninstrument()


def setup_tracing() -> None:
    """Configure tracing as the projector process does (exporter "none": spans made, not exported), then
    switch the instrumentation off until `traced()`, so that the bare baselines run uninstrumented.
    Call before any MongoDB client is made: PyMongo copies its listeners then. If tracing is already
    configured (the tests do it), leave it as it is."""
    global _owned
    from shared.observability import tracing

    if tracing._configured:
        return
    configure_tracing("reporting-projector", "none")
    _owned = True
    _instrumentation(False)


@contextmanager
def traced(enabled: bool = True):
    """The aiokafka and PyMongo instrumentation on inside (if `enabled` and ours to switch)."""
    switch = _owned and enabled
    if switch:
        _instrumentation(True)
    try:
        yield
    finally:
        if switch:
            _instrumentation(False)


async def prefill(kafka: str, topic: str, workload: Workload) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=kafka, client_id="scp-bench-prefill", enable_idempotence=True,
                                acks="all", linger_ms=5, max_batch_size=1 << 20)
    await producer.start()
    try:
        futures = [await producer.send(topic, e.value, key=e.key.encode(), headers=e.headers) for e in workload.events]
        await asyncio.gather(*futures)
    finally:
        await producer.stop()


async def measure_projector(kafka: str, mongo: AsyncMongoClient, topic: str, database: str, workload: Workload, *,
                            max_batch: int = MAX_BATCH, timeout_s: float = 300) -> ProjectorRun:
    """Run the projector's parts over `topic` (holding exactly the workload) until all is written and committed."""
    total = len(workload)
    dlq = EventProducer(kafka, client_id="scp-bench-projector-dlq")
    await dlq.start()
    runner = ConsumerRunner(bootstrap_servers=kafka, group_id=f"{database}-{uuid.uuid4().hex[:6]}", topics=[topic],
                            handlers=HANDLERS, sink=MongoSink(mongo[database], last=[VERSIONS]), producer=dlq,
                            max_batch=max_batch)
    seen, first, last = 0, None, None
    handle_batch = runner.handle_batch

    async def timed(batch):  # the runner's own handle_batch (project, write, commit), timed
        nonlocal seen, first, last
        if first is None:
            first = time.perf_counter()
        await handle_batch(batch)
        last = time.perf_counter()
        seen += sum(len(records) for records in batch.values())
        if seen >= total:
            runner.stop()

    runner.handle_batch = timed
    started = time.perf_counter()
    try:
        await asyncio.wait_for(runner.run(), timeout_s)
    finally:
        await dlq.stop()
    if seen != total or first is None or last is None:
        raise RuntimeError(f"the projector handled {seen} of {total} events")
    expected = workload.documents()
    counts = {c: await mongo[database][c].count_documents({}) for c in expected}
    if counts != expected:
        raise RuntimeError(f"read model holds {counts}, expected {expected}")
    return ProjectorRun(total, last - first, first - started, runner.batches)


def bulk_batches(workload: Workload, max_batch: int = MAX_BATCH) -> list[list[tuple[str, list[UpdateOne]]]]:
    """The handlers' writes for each `max_batch` events, as MongoSink turns them into UpdateOnes, per collection."""
    events = workload.events
    return [list(update_ops([w for e in events[i:i + max_batch]
                             for w in HANDLERS[e.envelope.type](e.envelope, e.data)]).items())
            for i in range(0, len(events), max_batch)]


async def measure_bulk(mongo: AsyncMongoClient, database: str, workload: Workload, *,
                       max_batch: int = MAX_BATCH) -> BulkRun:
    batches = bulk_batches(workload, max_batch)
    db = mongo[database]
    started = time.perf_counter()
    for batch in batches:
        for collection, ops in batch:
            await db[collection].bulk_write(ops, ordered=False)
    seconds = time.perf_counter() - started
    expected = workload.documents()
    counts = {c: await db[c].count_documents({}) for c in expected}
    if counts != expected:
        raise RuntimeError(f"baseline database holds {counts}, expected {expected}")
    return BulkRun(len(workload), seconds, sum(len(ops) for batch in batches for _, ops in batch))
