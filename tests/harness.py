"""The platform run in-process against the real Kafka and MongoDB server, for integration tests.

Each test gets its own topic prefix and databases, the domain services (strategy, reviews,
training) and reporting apps with their lifespans (each outbox relay runs), partner keys, and a
projector it can start and stop. `stack.post(events, key, service="strategy")` emits to a service;
`stack.strategy`, `stack.reviews`, `stack.training` and `stack.reporting` are their HTTP clients.
"""

from __future__ import annotations

import asyncio
import re
import time
import warnings
from collections.abc import Callable
from contextlib import AsyncExitStack
from datetime import datetime, timezone
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from shared.adapters.mongo.keys import KeyStore
from shared.adapters.mongo.readers import ReaderStore
from shared.auth.readers import Reader, hash_password
from shared.partnerships import Partnership
from shared.adapters.mongo.partnerships import PartnershipRegistry
from shared.http.app import cancel_and_wait
from shared.events.envelope import Envelope
from shared.kafka.topics import all_topics, delete_topics, ensure_topics
from shared.adapters.mongo.client import connect
from services.reporting import projector
from services.reporting.entrypoints.api import build as build_reporting
from services.reporting.settings import ReportingSettings
from services.reviews.entrypoints.api import build as build_reviews
from services.reviews.settings import ReviewsSettings
from services.strategy.entrypoints.api import build as build_strategy
from services.strategy.settings import StrategySettings
from services.training.entrypoints.api import build as build_training
from services.training.settings import TrainingSettings

BATCH = "application/cloudevents-batch+json"
TEARDOWN_STEP_S = 60.0
PARTNERSHIPS = ("doncaster", "rotherham")  # registered in every test's stack
STRUCTURED = "application/cloudevents+json"


def settings_for(prefix: str, kafka: str, mongo_url: str) -> dict[str, Any]:
    """Environment-style settings that isolate one test (also used for the services run as processes)."""
    return {"kafka_bootstrap_servers": kafka, "mongodb_url": mongo_url, "topic_prefix": prefix,
            "auth_database": f"{prefix}auth", "log_format": "console", "log_level": "WARNING"}


class Stack:
    def __init__(self, prefix: str, kafka: str, mongo_url: str):
        self.prefix, self.kafka, self.mongo_url = prefix, kafka, mongo_url
        common = settings_for(prefix, kafka, mongo_url)
        outbox = {"outbox_poll_s": 0.2, "outbox_sweep_s": 0.5}
        self.training_settings = TrainingSettings(**common, mongodb_database=f"{prefix}training", **outbox)
        self.strategy_settings = StrategySettings(**common, mongodb_database=f"{prefix}strategy", **outbox)
        self.reviews_settings = ReviewsSettings(**common, mongodb_database=f"{prefix}reviews", **outbox)
        self.reporting_settings = ReportingSettings(**common, mongodb_database=f"{prefix}reporting", metrics_port=0,
                                                    max_batch=50)
        self.mongo = connect(mongo_url)
        self._exit = AsyncExitStack()  # the HTTP clients
        self._lifespans: list[tuple[str, Any]] = []  # each app's running lifespan, stopped one by one
        self._projector: asyncio.Task | None = None

    @property
    def topic(self) -> str:
        return f"{self.prefix}training.events"

    @property
    def read_model(self):
        return self.mongo[self.reporting_settings.mongodb_database]

    async def __aenter__(self) -> "Stack":
        await ensure_topics(self.kafka, all_topics(self.prefix))
        registry = PartnershipRegistry(self.mongo[f"{self.prefix}auth"])
        for code in PARTNERSHIPS:
            await registry.add(Partnership(code=code, name=f"{code.capitalize()} Safeguarding Children Partnership",
                                           area=code.capitalize()))
        self.read_key, _ = await KeyStore(self.mongo[f"{self.prefix}auth"]).create_read_key(
            "the tests' reporting client", partnerships=list(PARTNERSHIPS))
        self.training_app = build_training(self.training_settings)
        self.strategy_app = build_strategy(self.strategy_settings)
        self.reviews_app = build_reviews(self.reviews_settings)
        self.reporting_app = build_reporting(self.reporting_settings)
        clients = {}
        for name in ("training", "strategy", "reviews", "reporting"):
            app = getattr(self, f"{name}_app")
            lifespan = app.router.lifespan_context(app)
            await lifespan.__aenter__()
            self._lifespans.append((name, lifespan))
            reads = {"authorization": f"Bearer {self.read_key}"} if name == "reporting" else {}
            clients[name] = await self._exit.enter_async_context(
                httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url=f"http://{name}", headers=reads))
        self.training, self.strategy, self.reviews = clients["training"], clients["strategy"], clients["reviews"]
        self.reporting = clients["reporting"]
        return self

    async def __aexit__(self, *exc) -> None:
        """Stop and delete what the test made; each step bounded, so that one that hangs is named in a warning
        and the suite goes on (a teardown once hung the whole run until pytest's 600 s timeout)."""
        async def drop_databases() -> None:
            for db in ("training", "strategy", "reviews", "reporting", "auth"):
                await self.mongo.drop_database(f"{self.prefix}{db}")

        steps = [("stop the projector", self.stop_projector), ("close the HTTP clients", self._exit.aclose),
                 *[(f"stop the {name} app", lambda cm=cm: cm.__aexit__(None, None, None))
                   for name, cm in reversed(self._lifespans)],
                 ("drop the databases", drop_databases), ("close the MongoDB client", self.mongo.close),
                 # a long-lived local Kafka would otherwise gather thousands of partitions
                 ("delete the topics", lambda: delete_topics(self.kafka, self.prefix))]
        for name, step in steps:
            task = asyncio.ensure_future(step())
            done, _ = await asyncio.wait([task], timeout=TEARDOWN_STEP_S)
            if not done:  # say where every task waits before giving up on it: the stall is rare, so catch it in the act
                where = "\n".join(f"{t.get_name()}: {_waiting_at(t)}" for t in asyncio.all_tasks() if not t.done())
                task.cancel()
                warnings.warn(f"test teardown: {name} took over {TEARDOWN_STEP_S:.0f} s; went on without it. "
                              f"Tasks waiting:\n{where}")
            elif task.exception() is not None:
                raise task.exception()

    async def key(self, agency: str = "dscp-training", event_types: tuple[str, ...] = ("training.*",),
                  partnerships: tuple[str, ...] = ("doncaster",)) -> str:
        raw, _ = await KeyStore(self.mongo[f"{self.prefix}auth"]).create(agency, list(event_types),
                                                                       partnerships=list(partnerships))
        return raw

    async def reader(self, username: str = "alice", role: str = "board", partnerships: tuple[str, ...] = ("doncaster",),
                     password: str = "correct horse battery staple", name: str | None = None) -> str:
        """A reader's account, as `python -m shared.auth add-reader` makes it; returns its password."""
        reader = Reader(username=username, name=name or username.capitalize(), role=role,
                        partnerships=list(partnerships), created_at=datetime.now(timezone.utc))
        await ReaderStore(self.mongo[f"{self.prefix}auth"]).add(reader, hash_password(password))
        return password

    async def browser(self) -> httpx.AsyncClient:
        """A client with no key, as a browser is: over HTTPS (the session cookie is `Secure`), keeping cookies."""
        return await self._exit.enter_async_context(httpx.AsyncClient(
            transport=httpx.ASGITransport(self.reporting_app, client=("192.0.2.10", 50000)),
            base_url="https://reporting.example"))

    async def sign_in(self, client: httpx.AsyncClient, username: str, password: str,
                      next: str = "/") -> httpx.Response:
        """Fill in and post the sign-in form, as a person would."""
        form = await client.get("/login", params={"next": next})
        csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)[1]
        return await client.post("/login", data={"username": username, "password": password, "csrf": csrf,
                                                 "next": next})

    async def load_sample(self) -> int:
        """Every sample event (sample.load.sample_events), each sender's with its own key, as `make run` loads them;
        the sample's agencies registered. Returns how many were accepted."""
        from sample.agencies import AGENCIES
        from sample.load import KEYS, by_sender, key_for, sample_events
        from shared.adapters.mongo.agencies import AgencyRegistry
        from shared.agencies import Agency

        registry = AgencyRegistry(self.mongo[f"{self.prefix}auth"])
        for spec in AGENCIES:
            await registry.add(Agency(**spec))
        keys = [{**spec, "key": await self.key(spec["agency"], tuple(spec["event_types"]), tuple(spec["partnerships"]))}
                for spec in KEYS]
        accepted = 0
        for (domain, code, agency), group in by_sender(sample_events()).items():
            key = key_for(keys, domain, code, agency, {e.type for e in group})
            for start in range(0, len(group), 200):
                response = await self.post(group[start:start + 200], key, service=domain)
                assert response.status_code == 202, response.text
                accepted += response.json()["accepted"]
        return accepted

    async def post(self, events: list[Envelope] | Envelope, key: str | None, content_type: str | None = None,
                   body: bytes | None = None, service: str = "training") -> httpx.Response:
        if body is None:
            body = (b"[" + b",".join(e.to_json() for e in events) + b"]") if isinstance(events, list) else events.to_json()
        headers = {"content-type": content_type or (BATCH if isinstance(events, list) else STRUCTURED)}
        if key:
            headers["authorization"] = f"Bearer {key}"
        return await getattr(self, service).post("/events", content=body, headers=headers)

    async def dashboard(self, partnership: str = "doncaster") -> dict:
        response = await self.reporting.get(f"/p/{partnership}/api/dashboard")
        response.raise_for_status()
        return response.json()["training"]

    async def figures(self, path: str, partnership: str = "doncaster", **params) -> dict:
        """A reporting JSON endpoint's answer, e.g. `await stack.figures("strategy/scorecard", as_of="2022-03-31")`."""
        response = await self.reporting.get(f"/p/{partnership}/api/{path}", params=params)
        response.raise_for_status()
        return response.json()

    async def start_projector(self) -> None:
        self._projector = asyncio.create_task(projector.run(self.reporting_settings))

    async def stop_projector(self) -> None:
        if self._projector:
            await cancel_and_wait([self._projector])  # again until it ends: a cancellation can be lost on 3.11
            self._projector = None

    async def caught_up(self) -> bool:
        """Whether everything accepted is shown: no domain service holds an event it has not relayed (no aggregate
        is pending), and the projector has committed every record of every domain topic (its offsets are committed
        after the writes they cover)."""
        from shared.events.catalogue import DOMAINS, topic_for

        for settings in (self.training_settings, self.strategy_settings, self.reviews_settings):
            db = self.mongo[settings.mongodb_database]
            for name in await db.list_collection_names():
                if await db[name].find_one({"pending": True}, {"_id": 1}):
                    return False
        consumer = AIOKafkaConsumer(bootstrap_servers=self.kafka, enable_auto_commit=False,
                                    group_id=f"{self.prefix}{self.reporting_settings.consumer_group}")
        await consumer.start()
        try:
            for topic in (topic_for(d, self.prefix) for d in DOMAINS):
                parts = await _partitions(consumer, topic)
                ends = await consumer.end_offsets(parts)
                for part in parts:
                    if ends[part] and (await consumer.committed(part) or 0) < ends[part]:
                        return False
            return True
        finally:
            await consumer.stop()

    async def end_offsets(self, topic: str) -> int:
        """How many records the topic holds, over all partitions."""
        consumer = AIOKafkaConsumer(bootstrap_servers=self.kafka)
        await consumer.start()
        try:
            parts = await _partitions(consumer, topic)
            return sum((await consumer.end_offsets(parts)).values())
        finally:
            await consumer.stop()

    async def read_topic(self, topic: str, expect: int, timeout_s: float = 20) -> list:
        """Every record of a topic, once at least `expect` are there."""
        consumer = AIOKafkaConsumer(topic, bootstrap_servers=self.kafka, auto_offset_reset="earliest",
                                    enable_auto_commit=False, group_id=None)
        await consumer.start()
        records: list = []
        try:
            deadline = time.monotonic() + timeout_s
            while len(records) < expect and time.monotonic() < deadline:
                for batch in (await consumer.getmany(timeout_ms=300)).values():
                    records += batch
            return records
        finally:
            await consumer.stop()

    async def produce_raw(self, value: bytes, key: bytes = b"raw", headers: list | None = None) -> None:
        producer = AIOKafkaProducer(bootstrap_servers=self.kafka)
        await producer.start()
        try:
            await producer.send_and_wait(self.topic, value, key=key, headers=headers)
        finally:
            await producer.stop()


async def _partitions(consumer: AIOKafkaConsumer, topic: str) -> list[TopicPartition]:
    """The topic's partitions, asking the broker again if the consumer's metadata does not know it yet."""
    parts = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or []]
    if not parts:
        await consumer._client.force_metadata_update()
        parts = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or []]
    return parts


def _waiting_at(task: asyncio.Task) -> str:
    """Where a task waits: the innermost frames of its chain of awaits (a suspended task's own stack is one frame)."""
    frames, coro = [], task.get_coro()
    while coro is not None:
        frame = getattr(coro, "cr_frame", None) or getattr(coro, "gi_frame", None) or getattr(coro, "ag_frame", None)
        if frame is not None:
            frames.append(frame)
        awaited = (getattr(coro, "cr_await", None) or getattr(coro, "gi_yieldfrom", None)
                   or getattr(coro, "ag_await", None))
        entering_or_leaving = frame is not None and frame.f_code.co_name in ("__aenter__", "__aexit__")
        manager = frame.f_locals.get("self") if entering_or_leaving else None
        if hasattr(manager, "gen"):  # an @asynccontextmanager: anext() hides its generator, which is where it waits
            awaited = manager.gen
        coro = awaited
    return " <- ".join(f"{f.f_code.co_filename.rsplit('/', 2)[-1]}:{f.f_lineno} {f.f_code.co_name}"
                       for f in reversed(frames[-8:])) or "(no frames)"


async def eventually(check: Callable[[], Any], timeout_s: float = 30.0, every_s: float = 0.25) -> Any:
    """Wait until `await check()` is truthy; return it, or fail with the last value seen."""
    deadline, last = time.monotonic() + timeout_s, None
    while time.monotonic() < deadline:
        last = await check()
        if last:
            return last
        await asyncio.sleep(every_s)
    raise AssertionError(f"not within {timeout_s}s; last value: {last!r}")
