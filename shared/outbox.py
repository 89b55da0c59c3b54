"""The outbox relay: publishes what aggregates stored in their outbox, then removes it.

At-least-once: a crash between publishing and removing publishes those events again, which the
consumers' idempotent handlers absorb.
"""

from __future__ import annotations

import asyncio

import structlog

from shared import metrics
from shared.aggregates import AggregateStore
from shared.kafka.producer import EventProducer, Outgoing

log = structlog.get_logger("outbox")


class OutboxRelay:
    def __init__(self, store: AggregateStore, producer: EventProducer, *, poll_s: float = 1.0, batch: int = 200):
        self.store, self.producer, self.poll_s, self.batch = store, producer, poll_s, batch
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Called after a write so the relay publishes at once instead of at the next poll."""
        self._wake.set()

    async def relay_once(self) -> int:
        docs = await self.store.pending(self.batch)
        records = [Outgoing(e["topic"], e["key"], e["value"].encode(), [(k, v.encode()) for k, v in e["headers"].items()])
                   for doc in docs for e in doc.outbox]
        metrics.OUTBOX_PENDING.set(len(records))
        if not records:
            return 0
        await self.producer.publish(records)
        for doc in docs:
            await self.store.remove_from_outbox(doc.kind, doc.id, {e["id"] for e in doc.outbox})
        return len(records)

    async def run(self) -> None:
        while True:
            self._wake.clear()
            try:
                if await self.relay_once():
                    continue
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # Kafka or the database unreachable: keep the events, try again
                log.warning("outbox relay failed; will retry", error=repr(exc))
                await asyncio.sleep(self.poll_s)
            try:
                await asyncio.wait_for(self._wake.wait(), self.poll_s)
            except asyncio.TimeoutError:
                pass
