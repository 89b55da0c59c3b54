"""The one way events reach Kafka: idempotent, acks=all, keyed by aggregate, traced."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field

from aiokafka import AIOKafkaProducer
from opentelemetry import context

from shared.observability import metrics
from shared.observability.tracing import extract_context


@dataclass(frozen=True)
class Outgoing:
    """One record to publish: the key keeps an aggregate's events on one partition, in order."""

    topic: str
    key: str
    value: bytes
    headers: list[tuple[str, bytes]] = field(default_factory=list)


# The CloudEvents Kafka protocol binding's structured mode: the whole event is the record's value, and says so in
# this header, which any CloudEvents consumer (the official SDKs' Kafka bindings) reads to choose the mode.
STRUCTURED_CONTENT_TYPE = ("content-type", b"application/cloudevents+json; charset=UTF-8")


def event_headers(type_name: str, event_id: str, correlation_id: str | None) -> list[tuple[str, bytes]]:
    """A record's headers: structured mode's content type, then the type and id for routing without parsing."""
    headers = [STRUCTURED_CONTENT_TYPE, ("ce_type", type_name.encode()), ("ce_id", event_id.encode())]
    if correlation_id:
        headers.append(("correlation_id", correlation_id.encode()))
    return headers


class EventProducer:
    """A started aiokafka producer with the settings every service must use."""

    def __init__(self, bootstrap_servers: str, client_id: str, linger_ms: int = 5):
        self._options = dict(bootstrap_servers=bootstrap_servers, client_id=client_id,
                             enable_idempotence=True, acks="all", linger_ms=linger_ms,
                             max_batch_size=1 << 20, request_timeout_ms=15000)
        self._producer = AIOKafkaProducer(**self._options)

    async def start(self) -> None:
        await self._producer.start()

    async def reset(self) -> None:
        """Replace the underlying producer with a new one (a new producer id, sequences from zero).

        An idempotent producer whose record the broker refused (too large, say) has a gap in its
        sequence numbers on that partition, and every later send fails with OutOfOrderSequenceNumber:
        aiokafka does not bump the epoch as the Java client does. A new producer starts clean."""
        old, self._producer = self._producer, AIOKafkaProducer(**self._options)
        try:
            await old.stop()
        except Exception:  # the old one is broken anyway; it must not stop the new one from starting
            pass
        await self._producer.start()

    async def stop(self) -> None:
        await self._producer.stop()

    async def publish(self, records: Sequence[Outgoing]) -> None:
        """Send all records and wait until every one is acknowledged by all in-sync replicas.

        A record that carries a `traceparent` (an outbox entry stored during a request) is sent in
        that trace, so the request, the relay and the consumers form one trace; the aiokafka
        instrumentation writes the new `traceparent` header.
        """
        futures = []
        for r in records:
            token = context.attach(extract_context(r.headers))
            try:
                headers = [(k, v) for k, v in r.headers if k not in ("traceparent", "tracestate")]
                futures.append(await self._producer.send(r.topic, r.value, key=r.key.encode(), headers=headers))
            finally:
                context.detach(token)
        await asyncio.gather(*futures)
        for r in records:
            metrics.EVENTS_PUBLISHED.labels(r.topic).inc()

    async def ping(self) -> None:
        """Raise unless the cluster answers (used by /readyz)."""
        await self._producer.client.fetch_all_metadata()
