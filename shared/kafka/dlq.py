"""Read a dead-letter topic, and send its dead letters back once what failed them is fixed:

    python -m shared.kafka.dlq training.events.dlq [--limit N]
    python -m shared.kafka.dlq replay --topic training.events.dlq --since 2026-12-02T09:00:00Z [--until ...]

Reading prints each message's reason, where it came from, and the start of its original bytes, from the beginning
to the current end, without joining a consumer group (it commits nothing). Replaying sends each dead letter dead-
lettered in the window (by the time the DLQ received it) back to the topic it came from, with its key and its own
headers (not the `dlq_*` ones): the projector then handles it again. Replaying is idempotent: every projection is
keyed by the event's identity, so an event replayed twice, or one that reached the read model after all, is counted
once. One that fails again goes back to the DLQ with its reason.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import datetime, timezone

from aiokafka import AIOKafkaConsumer, TopicPartition

from shared.settings import Settings


async def read(bootstrap_servers: str, topic: str, limit: int) -> list[dict]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers, enable_auto_commit=False, group_id=None)
    await consumer.start()
    try:
        cluster = await consumer._client.fetch_all_metadata()
        partitions = [TopicPartition(topic, p) for p in sorted(cluster.partitions_for_topic(topic) or ())]
        if not partitions:
            return []
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        end = await consumer.end_offsets(partitions)
        out: list[dict] = []
        async def behind() -> bool:
            return any([await consumer.position(tp) < end[tp] for tp in partitions])

        while len(out) < limit and await behind():
            for records in (await consumer.getmany(timeout_ms=500)).values():
                for r in records:
                    headers = {k: v.decode(errors="replace") for k, v in (r.headers or ()) if v is not None}
                    out.append({"partition": r.partition, "offset": r.offset, "reason": headers.get("dlq_reason", "?"),
                                "timestamp_ms": r.timestamp, "topic": headers.get("dlq_topic"),
                                "headers": [(k, v) for k, v in (r.headers or ()) if not k.startswith("dlq_")],
                                "origin": f"{headers.get('dlq_topic')}[{headers.get('dlq_partition')}]@{headers.get('dlq_offset')}",
                                "key": (r.key or b"").decode(errors="replace"), "value": r.value or b""})
        return out[:limit]
    finally:
        try:
            await consumer.stop()
        except asyncio.CancelledError:  # aiokafka cancels its own committed-offsets task when no group is used
            if asyncio.current_task().cancelling():
                raise


async def replay(bootstrap_servers: str, topic: str, since: datetime, until: datetime | None = None) -> int:
    """Send back to its own topic every dead letter of `topic` the DLQ received in [since, until); how many."""
    from shared.kafka.producer import EventProducer, Outgoing

    letters = [m for m in await read(bootstrap_servers, topic, 10_000_000)
               if m["topic"] and since.timestamp() * 1000 <= m["timestamp_ms"]
               and (until is None or m["timestamp_ms"] < until.timestamp() * 1000)]
    if not letters:
        return 0
    producer = EventProducer(bootstrap_servers, client_id="dlq-replay")
    await producer.start()
    try:
        await producer.publish([Outgoing(m["topic"], m["key"], m["value"], m["headers"]) for m in letters])
    finally:
        await producer.stop()
    return len(letters)


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["replay"]:
        parser = argparse.ArgumentParser(prog="python -m shared.kafka.dlq replay",
                                         description="send dead letters back to the topic they came from")
        parser.add_argument("--topic", required=True, help="the DLQ, e.g. reviews.events.dlq")
        parser.add_argument("--since", required=True, type=_moment, help="dead-lettered at or after (RFC 3339)")
        parser.add_argument("--until", type=_moment, help="and before this moment (default: now)")
        args = parser.parse_args(argv[1:])
        sent = asyncio.run(replay(Settings().kafka_bootstrap_servers, args.topic, args.since, args.until))
        print(f"{sent} dead letter(s) of {args.topic} sent back to their topics")
        return
    parser = argparse.ArgumentParser(prog="python -m shared.kafka.dlq", description=__doc__.splitlines()[0])
    parser.add_argument("topic", help="e.g. training.events.dlq")
    parser.add_argument("--limit", type=int, default=100)
    args = parser.parse_args(argv)
    messages = asyncio.run(read(Settings().kafka_bootstrap_servers, args.topic, args.limit))
    for m in messages:
        print(f"{m['origin']}  key={m['key']}\n  reason: {m['reason']}\n  bytes:  {m['value'][:120]!r}")
    print(f"{len(messages)} message(s) in {args.topic}")


if __name__ == "__main__":
    main()
