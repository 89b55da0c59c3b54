"""The outbox relay: publishes what aggregates stored in their outbox, then removes it.

After each write the service wakes the relay with the aggregates it changed, and the relay reads
just those documents by `_id`. Every `sweep_s`, and at start, it also sweeps for any document with
a pending outbox, to publish what a process that died left behind.

At-least-once: a crash between publishing and removing publishes those events again, which the
consumers' idempotent handlers absorb.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable

import structlog

from shared import metrics
from shared.aggregates import AggregateStore, Key, Stored
from shared.kafka.producer import EventProducer, Outgoing

log = structlog.get_logger("outbox")


class OutboxRelay:
    def __init__(self, store: AggregateStore, producer: EventProducer, *, poll_s: float = 1.0,
                 sweep_s: float = 30.0, batch: int = 200):
        self.store, self.producer = store, producer
        self.poll_s, self.sweep_s, self.batch = poll_s, sweep_s, batch
        self._wake = asyncio.Event()
        self._dirty: set[Key] = set()

    def wake(self, keys: Iterable[Key] = ()) -> None:
        """Called after a write, with the aggregates it changed, so the relay publishes at once."""
        self._dirty.update(keys)
        self._wake.set()

    async def _publish(self, docs: list[Stored]) -> int:
        docs = [d for d in docs if d.outbox]
        records = [Outgoing(e["topic"], e["key"], e["value"].encode(), [(k, v.encode()) for k, v in e["headers"].items()])
                   for doc in docs for e in doc.outbox]
        if not records:
            return 0
        metrics.OUTBOX_PENDING.set(len(records))  # stays up while publishing fails
        await self.producer.publish(records)
        for doc in docs:
            await self.store.remove_from_outbox(doc.kind, doc.id, {e["id"] for e in doc.outbox})
        metrics.OUTBOX_PENDING.set(0)
        return len(records)

    async def relay_once(self) -> int:
        """Sweep: publish every pending outbox (at start, every `sweep_s`, and in tests)."""
        return await self._publish(await self.store.pending(self.batch))

    async def relay_changed(self) -> int:
        """Publish the outboxes of the aggregates written since the last call."""
        keys, self._dirty = self._dirty, set()
        try:
            docs = [doc for kind, id in sorted(keys) if (doc := await self.store.outbox_of(kind, id))]
            return await self._publish(docs)
        except Exception:
            self._dirty |= keys  # keep them for the next try
            raise

    async def run(self) -> None:
        next_sweep = 0.0
        while True:
            self._wake.clear()
            try:
                if time.monotonic() >= next_sweep:
                    await self.relay_once()
                    next_sweep = time.monotonic() + self.sweep_s
                await self.relay_changed()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # Kafka or the database unreachable: keep the events, try again
                log.warning("outbox relay failed; will retry", error=repr(exc))
                await asyncio.sleep(self.poll_s)
                continue
            if self._dirty:
                continue
            try:
                await asyncio.wait_for(self._wake.wait(), self.poll_s)
            except asyncio.TimeoutError:
                pass
