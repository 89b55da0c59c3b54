"""The clients a service process holds: opened in the lifespan, closed at shutdown."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any
from dataclasses import dataclass, field

import structlog

from pymongo import AsyncMongoClient

from shared.adapters.mongo.keys import KeyStore
from shared.kafka.limits import event_size_limit, topic_message_limit
from shared.kafka.producer import EventProducer
from shared.adapters.mongo.client import connect, ping
from shared.adapters.mongo.partnerships import PartnershipRegistry
from shared.adapters.mongo.write_log import WriteLog
from shared.http.rate_limits import KeyLimits
from shared.settings import Settings

log = structlog.get_logger("runtime")


@dataclass
class Runtime:
    settings: Settings
    mongo: AsyncMongoClient
    producer: EventProducer | None
    keys: KeyStore
    partnerships: PartnershipRegistry
    writes: WriteLog | None = None  # the record of every accepted batch (domain services)
    rates: KeyLimits | None = None  # requests and events a second per partner key
    _size_limits: dict[str, int] = field(default_factory=dict)
    health_checks: dict[str, Callable[[], str]] = field(default_factory=dict)  # name -> "ok" or what is wrong
    notices: dict[str, Callable[[], Awaitable[Any]]] = field(default_factory=dict)  # shown on /readyz, never failing it

    @property
    def db(self):
        return self.mongo[self.settings.mongodb_database]

    @classmethod
    async def open(cls, settings: Settings, *, producer: bool = True) -> "Runtime":
        mongo = connect(settings.mongodb_url)
        kafka = None
        if producer:
            kafka = EventProducer(settings.kafka_bootstrap_servers, client_id=settings.service_name)
            await kafka.start()
        auth = mongo[settings.auth_database]
        return cls(settings, mongo, kafka, KeyStore(auth), PartnershipRegistry(auth), WriteLog(auth),
                   KeyLimits(settings.key_requests_per_s, settings.key_events_per_s))

    async def close(self) -> None:
        if self.producer:
            await self.producer.stop()
        await self.mongo.close()

    async def event_size_limit(self, topic: str) -> int:
        """The largest event accepted for `topic`: the configured limit within what the topic accepts.
        Read from the broker once; if it cannot be read yet, the configured limit is used meanwhile."""
        if topic not in self._size_limits:
            try:
                topic_limit = await asyncio.wait_for(
                    topic_message_limit(self.settings.kafka_bootstrap_servers, topic), self.settings.readiness_timeout_s)
            except Exception as exc:  # the broker is unreachable: answer with what is configured, ask again later
                log.warning("could not read the topic's size limit", topic=topic, error=repr(exc))
                return event_size_limit(self.settings.max_event_bytes, None)
            self._size_limits[topic] = event_size_limit(self.settings.max_event_bytes, topic_limit)
            if self._size_limits[topic] < self.settings.max_event_bytes:
                log.warning("events are limited below MAX_EVENT_BYTES by what Kafka accepts", topic=topic,
                            configured=self.settings.max_event_bytes, limit=self._size_limits[topic])
        return self._size_limits[topic]

    async def readiness(self) -> dict[str, str]:
        """Each dependency: "ok" or why not."""
        checks: dict[str, str] = {}
        timeout = self.settings.readiness_timeout_s

        async def check(name, probe):
            try:
                await asyncio.wait_for(probe(), timeout)
                checks[name] = "ok"
            except Exception as exc:  # reported, not raised: /readyz says what is down
                checks[name] = f"unreachable: {type(exc).__name__}"

        await check("mongodb", lambda: ping(self.mongo))
        if self.producer:
            await check("kafka", self.producer.ping)
        for name, probe in self.health_checks.items():
            checks[name] = probe()
        return checks

    async def notes(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, probe in self.notices.items():
            try:
                out[name] = await asyncio.wait_for(probe(), self.settings.readiness_timeout_s)
            except Exception as exc:
                out[name] = f"unknown: {type(exc).__name__}"
        return out
