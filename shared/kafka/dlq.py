"""Read a dead-letter topic: `python -m shared.kafka.dlq training.events.dlq [--limit N]`.

Prints each message's reason, where it came from, and the start of its original bytes. Reads from
the beginning to the current end, without joining a consumer group (it commits nothing).
"""

from __future__ import annotations

import argparse
import asyncio

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
                                "origin": f"{headers.get('dlq_topic')}[{headers.get('dlq_partition')}]@{headers.get('dlq_offset')}",
                                "key": (r.key or b"").decode(errors="replace"), "value": r.value or b""})
        return out[:limit]
    finally:
        try:
            await consumer.stop()
        except asyncio.CancelledError:  # aiokafka cancels its own committed-offsets task when no group is used
            if asyncio.current_task().cancelling():
                raise


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m shared.kafka.dlq", description=__doc__.splitlines()[0])
    parser.add_argument("topic", help="e.g. training.events.dlq")
    parser.add_argument("--limit", type=int, default=100)
    args = parser.parse_args()
    messages = asyncio.run(read(Settings().kafka_bootstrap_servers, args.topic, args.limit))
    for m in messages:
        print(f"{m['origin']}  key={m['key']}\n  reason: {m['reason']}\n  bytes:  {m['value'][:120]!r}")
    print(f"{len(messages)} message(s) in {args.topic}")


if __name__ == "__main__":
    main()
