"""Ratio (a), ingest: events a second the training service accepts, against a bare aiokafka producer.

Platform side: `python -m services.training` run as a process (its own prefix, databases and port),
`POST /events` with `application/cloudevents-batch+json` batches from a few concurrent clients, with
a real partner key. "Accepted" is until the last 202; "published" is until the training topic's end
offsets have grown by the round's events (the outbox relay has sent everything).

Baseline: one AIOKafkaProducer with the service producer's settings (idempotent, acks=all, same
linger and batch size) sending the same serialized envelopes, keys and headers to a topic of the
same partitions, awaiting every acknowledgement at the end. That is the least any ingest path that
ends on Kafka must cost on this machine; the ratio says what the HTTP endpoint, validation, the
aggregates in MongoDB and the outbox add on top of it.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from aiokafka import AIOKafkaProducer
from pymongo import AsyncMongoClient

from bench.events import Workload, batch_body
from bench.infra import ROOT, Offsets
from shared.http.ingest import BATCH
from services.training.handlers import KINDS

LINGER_MS = 5  # shared.kafka.producer.EventProducer's default, which the services use


@dataclass(frozen=True)
class IngestRun:
    events: int
    accepted_s: float  # first POST to last 202
    published_s: float  # first POST to the topic holding every event
    drained_s: float  # first POST to the outbox empty again (the relay has also removed what it published)

    @property
    def accepted_rate(self) -> float:
        return self.events / self.accepted_s

    @property
    def published_rate(self) -> float:
        return self.events / self.published_s


@dataclass(frozen=True)
class ProducerRun:
    events: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.events / self.seconds


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TrainingService:
    """`python -m services.training` as a process on a free port, with the bench's prefix.

    `profile` (a file path) runs it under pyinstrument, which writes a text profile there at exit.
    """

    def __init__(self, prefix: str, kafka: str, mongo_url: str, log_dir: Path, database: str | None = None,
                 profile: Path | None = None):
        self.prefix, self.port, self.log_path = prefix, _free_port(), log_dir / "training.log"
        self.database = database or f"{prefix}training"
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("PORT", "MONGODB_DATABASE", "TOPIC_PREFIX", "AUTH_DATABASE", "OUTBOX_"))}
        self.env.update(KAFKA_BOOTSTRAP_SERVERS=kafka, MONGODB_URL=mongo_url, PORT=str(self.port),
                        TOPIC_PREFIX=prefix, MONGODB_DATABASE=self.database, AUTH_DATABASE=f"{prefix}auth",
                        LOG_LEVEL="WARNING", LOG_FORMAT="console", PYTHONUNBUFFERED="1")
        runner = ([sys.executable, "-m", "pyinstrument", "-r", "text", "-o", str(profile)]
                  if profile else [sys.executable])
        self.command = [*runner, "-m", "services.training"]
        # uvicorn re-raises the signal it stopped on: SIGINT becomes a KeyboardInterrupt, after which
        # pyinstrument still writes its profile; SIGTERM would end the process before it does
        self.stop_signal = signal.SIGINT if profile else signal.SIGTERM
        self.process: subprocess.Popen | None = None

    async def __aenter__(self) -> "TrainingService":
        self._log = open(self.log_path, "ab")
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        async with httpx.AsyncClient(timeout=2) as http:
            while True:
                if self.process.poll() is not None:
                    raise RuntimeError(f"the training service exited: {self.tail()}")
                try:
                    if (await http.get(f"{self.url}/readyz")).status_code == 200:
                        return self
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the training service was not ready in 60 s: {self.tail()}")
                await asyncio.sleep(0.2)

    async def __aexit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(self.stop_signal)
            try:
                await asyncio.to_thread(self.process.wait, 30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                await asyncio.to_thread(self.process.wait)
        self._log.close()

    def tail(self, lines: int = 20) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


async def post_all(url: str, key: str, workload: Workload, *, batch: int, clients: int) -> int:
    """Post the workload phase by phase (a phase's batches by `clients` concurrent clients); return events accepted."""
    headers = {"authorization": f"Bearer {key}", "content-type": BATCH}
    accepted = 0
    bodies = [[(batch_body(phase[i:i + batch]), len(phase[i:i + batch])) for i in range(0, len(phase), batch)]
              for phase in workload.phases]

    async def client(queue: list, http: httpx.AsyncClient) -> None:
        nonlocal accepted
        while queue:
            body, count = queue.pop(0)
            response = await http.post("/events", content=body, headers=headers)
            if response.status_code != 202 or response.json()["accepted"] != count:
                raise RuntimeError(f"POST /events answered {response.status_code}: {response.text[:500]}")
            accepted += count

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as http:
        for phase in bodies:
            queue = list(phase)
            await asyncio.gather(*(client(queue, http) for _ in range(min(clients, len(queue)))))
    return accepted


async def measure_service(service: TrainingService, key: str, kafka: str, mongo: AsyncMongoClient, workload: Workload,
                          *, batch: int, clients: int, timeout_s: float = 600) -> IngestRun:
    """Post the workload; time the last 202, the topic holding it all, and the outbox drained (so that
    nothing the service still does spills into the next measurement)."""
    topic = f"{service.prefix}training.events"
    async with Offsets(kafka) as offsets:
        before = await offsets.end(topic)
        started = time.perf_counter()
        accepted = await post_all(service.url, key, workload, batch=batch, clients=clients)
        accepted_at = time.perf_counter()
        published_at = await offsets.wait_for(topic, before + len(workload), timeout_s)
    if accepted != len(workload):
        raise RuntimeError(f"{accepted} of {len(workload)} events accepted")
    drained_at = await _outbox_drained(mongo[service.database], timeout_s)
    return IngestRun(len(workload), accepted_at - started, published_at - started, drained_at - started)


async def _outbox_drained(db, timeout_s: float, every_s: float = 0.25) -> float:
    deadline = time.monotonic() + timeout_s
    while True:
        pending = 0
        for kind in KINDS:
            pending += await db[kind].count_documents({"pending": True})
        if not pending:
            return time.perf_counter()
        if time.monotonic() > deadline:
            raise TimeoutError(f"{pending} aggregates still have outbox entries after {timeout_s}s")
        await asyncio.sleep(every_s)


def bare_producer(kafka: str) -> AIOKafkaProducer:
    """The settings of shared.kafka.producer.EventProducer, without anything around it."""
    return AIOKafkaProducer(bootstrap_servers=kafka, client_id="scp-bench-baseline", enable_idempotence=True,
                            acks="all", linger_ms=LINGER_MS, max_batch_size=1 << 20, request_timeout_ms=15000)


async def measure_producer(kafka: str, topic: str, workload: Workload) -> ProducerRun:
    producer = bare_producer(kafka)
    await producer.start()
    try:
        await producer.partitions_for(topic)  # the topic's metadata, which the service's warm producer has too
        events = workload.events
        started = time.perf_counter()
        futures = [await producer.send(topic, e.value, key=e.key.encode(), headers=e.headers) for e in events]
        await asyncio.gather(*futures)
        return ProducerRun(len(events), time.perf_counter() - started)
    finally:
        await producer.stop()
