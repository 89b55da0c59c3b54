"""The clients a service process holds: opened in the lifespan, closed at shutdown."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from pymongo import AsyncMongoClient

from shared.auth.keys import KeyStore
from shared.kafka.producer import EventProducer
from shared.mongo import connect, ping
from shared.settings import Settings


@dataclass
class Runtime:
    settings: Settings
    mongo: AsyncMongoClient
    producer: EventProducer | None
    keys: KeyStore

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
        return cls(settings, mongo, kafka, KeyStore(mongo[settings.auth_database]))

    async def close(self) -> None:
        if self.producer:
            await self.producer.stop()
        await self.mongo.close()

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
        return checks
