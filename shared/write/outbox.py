"""The outbox relay: publishes what aggregates stored in their outbox, then removes it.

After each write the service wakes the relay with the aggregates it changed, and the relay reads
just those documents by `_id`. Every `sweep_s`, and at start, it also sweeps for any document with
a pending outbox, to publish what a process that died left behind.

At-least-once: a crash between publishing and removing publishes those events again, which the
consumers' idempotent handlers absorb.

A poison entry never blocks the others. When a publish fails for a reason that retrying cannot cure
(the record is too large for the topic, the topic refuses it: `shared.kafka.limits.PERMANENT`), the
relay publishes the entries one at a time to find which ones are at fault, moves those aside to the
`outbox_parked` collection with the reason (`python -m shared.write.outbox` lists, requeues or discards
them), logs an error with `alert=outbox_parked`, counts them in `outbox_parked_total`, and goes on
with the rest. A relay that keeps failing for longer than `stuck_after_s` (Kafka unreachable, for
instance) says so on `/readyz` and in the `outbox_relay_stuck` gauge.

Order: an aggregate's entries are removed only as a prefix (published or parked); after the first
entry that failed and may still succeed, the rest stay and are published again, in order, next time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from datetime import datetime, timezone

import structlog

from shared.observability import metrics
from shared.write.aggregates import AggregateStore, Key, Parked, Stored
from shared.kafka.limits import is_permanent, needs_new_producer
from shared.kafka.producer import EventProducer, Outgoing

log = structlog.get_logger("outbox")


def to_record(entry: dict) -> Outgoing:
    return Outgoing(entry["topic"], entry["key"], entry["value"].encode(),
                    [(k, v.encode()) for k, v in entry["headers"].items()])


class OutboxRelay:
    def __init__(self, store: AggregateStore, producer: EventProducer, *, poll_s: float = 1.0,
                 sweep_s: float = 30.0, batch: int = 200, stuck_after_s: float = 60.0):
        self.store, self.producer = store, producer
        self.poll_s, self.sweep_s, self.batch, self.stuck_after_s = poll_s, sweep_s, batch, stuck_after_s
        self._wake = asyncio.Event()
        self._dirty: set[Key] = set()
        self.failing_since: float | None = None  # monotonic time of the first failure since the last success
        self.last_error: str | None = None

    def wake(self, keys: Iterable[Key] = ()) -> None:
        """Called after a write, with the aggregates it changed, so the relay publishes at once."""
        self._dirty.update(keys)
        self._wake.set()

    def health(self) -> str:
        """"ok", or how long the relay has been failing and why (for /readyz)."""
        if self.failing_since is None:
            metrics.OUTBOX_RELAY_STUCK.set(0)
            return "ok"
        failing = time.monotonic() - self.failing_since
        stuck = failing >= self.stuck_after_s
        metrics.OUTBOX_RELAY_STUCK.set(1 if stuck else 0)
        return f"stuck: publishing has failed for {failing:.0f} s: {self.last_error}" if stuck else "ok"

    def _failed(self, exc: BaseException) -> None:
        self.last_error = repr(exc)[:300]
        if self.failing_since is None:
            self.failing_since = time.monotonic()

    def _succeeded(self) -> None:
        self.failing_since, self.last_error = None, None

    async def _publish(self, docs: list[Stored]) -> int:
        docs = [d for d in docs if d.outbox]
        if not docs:
            return 0
        try:
            records = [to_record(e) for doc in docs for e in doc.outbox]
        except (KeyError, AttributeError, TypeError, ValueError):
            return await self._one_by_one(docs)  # an entry that cannot even be read: find it and park it
        metrics.OUTBOX_PENDING.set(len(records))  # stays up while publishing fails
        try:
            await self.producer.publish(records)
        except Exception as exc:
            await self._reset_if_broken(exc)
            if not is_permanent(exc):
                raise
            log.warning("a batch of the outbox was refused for good; publishing one by one to find the entries at fault",
                        error=repr(exc))
            return await self._one_by_one(docs)
        for doc in docs:
            await self.store.remove_from_outbox(doc.kind, doc.id, {e["id"] for e in doc.outbox})
        metrics.OUTBOX_PENDING.set(0)
        return len(records)

    async def _one_by_one(self, docs: list[Stored]) -> int:
        """Publish each entry alone: park the ones refused for good; stop an aggregate at a passing failure."""
        published, first_error = 0, None
        for doc in docs:
            done: set[str] = set()
            for entry in doc.outbox:
                try:
                    await self.producer.publish([to_record(entry)])
                except Exception as exc:
                    await self._reset_if_broken(exc)
                    if not (is_permanent(exc) or isinstance(exc, (KeyError, AttributeError))):
                        first_error = first_error or exc
                        break  # keep this entry and the ones after it, in order, for the next try
                    await self._park(doc, entry, exc)
                    continue
                done.add(entry["id"])
                published += 1
            if done:
                await self.store.remove_from_outbox(doc.kind, doc.id, done)
        if first_error is not None:
            raise first_error
        metrics.OUTBOX_PENDING.set(0)
        return published

    async def _reset_if_broken(self, exc: BaseException) -> None:
        if needs_new_producer(exc) and hasattr(self.producer, "reset"):
            log.warning("replacing the Kafka producer after an error that leaves it unable to send", error=repr(exc))
            await self.producer.reset()

    async def _park(self, doc: Stored, entry: dict, exc: BaseException) -> None:
        reason = f"{type(exc).__name__}: {exc}"[:500]
        await self.store.park(Parked(doc.kind, doc.id, entry, reason, datetime.now(timezone.utc)))
        metrics.OUTBOX_PARKED.labels(type(exc).__name__).inc()
        log.error("outbox entry parked: it can never be published as it is", alert="outbox_parked",
                  aggregate=f"{doc.kind}/{doc.id}", event_id=entry.get("event_id"), type=entry.get("type"),
                  topic=entry.get("topic"), bytes=len(entry.get("value", "")), reason=reason)

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
                self._succeeded()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # Kafka or the database unreachable: keep the events, try again
                self._failed(exc)
                log.warning("outbox relay failed; will retry", error=repr(exc))
                await asyncio.sleep(self.poll_s)
                continue
            if self._dirty:
                continue
            try:  # asyncio.timeout, not wait_for: on Python 3.11 wait_for swallows a cancellation that arrives as
                # the wait ends, and the relay then ran on after its app's shutdown had cancelled it (a hung stop)
                async with asyncio.timeout(self.poll_s):
                    await self._wake.wait()
            except TimeoutError:
                pass


async def _cli(args) -> int:
    from shared.adapters.mongo.client import connect
    from shared.adapters.mongo.aggregates import MongoAggregateStore
    from shared.settings import Settings
    from shared.write.aggregates import KeyedLocks

    client = connect(Settings().mongodb_url)
    try:
        store = MongoAggregateStore(client[args.database], (), KeyedLocks())
        if args.command == "list":
            parked = await store.parked(args.limit)
            for p in parked:
                print(f"{p.key}\t{p.parked_at:%Y-%m-%d %H:%M:%S}\t{p.entry.get('type')}\t{len(p.entry.get('value', ''))} bytes"
                      f"\n  reason: {p.reason}")
            print(f"{len(parked)} parked entr{'y' if len(parked) == 1 else 'ies'} in {args.database}")
        elif args.command == "requeue":
            if not await store.requeue(args.key):
                print(f"no parked entry {args.key} (or its aggregate is gone)")
                return 1
            print(f"requeued {args.key}: the relay publishes it at its next sweep")
        elif args.command == "discard":
            if not await store.discard(args.key):
                print(f"no parked entry {args.key}")
                return 1
            print(f"discarded {args.key}")
        return 0
    finally:
        await client.close()


def main() -> None:
    """`python -m shared.write.outbox list|requeue KEY|discard KEY --database training`: parked outbox entries."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(prog="python -m shared.write.outbox",
                                     description="Outbox entries that could not be published, moved aside with the reason.")
    parser.add_argument("--database", required=True, help="the service's database, e.g. training")
    sub = parser.add_subparsers(dest="command", required=True)
    listing = sub.add_parser("list", help="list parked entries, oldest first, with the reason")
    listing.add_argument("--limit", type=int, default=100)
    for name, text in (("requeue", "put an entry back in its aggregate's outbox, once the cause is fixed"),
                       ("discard", "drop an entry's publication for good")):
        sub.add_parser(name, help=text).add_argument("key", help="as `list` prints it: kind/aggregate/entry")
    sys.exit(asyncio.run(_cli(parser.parse_args())))


if __name__ == "__main__":
    main()
