"""Create every domain topic and its dead-letter topic (idempotent): `python -m shared.kafka.topics`."""

from __future__ import annotations

import asyncio

from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from shared.events.catalogue import DOMAINS, dlq_for, topic_for
from shared.settings import Settings

PARTITIONS = 3


def all_topics(prefix: str = "") -> list[str]:
    topics = [topic_for(d, prefix) for d in DOMAINS]
    return topics + [dlq_for(t) for t in topics]


async def ensure_topics(bootstrap_servers: str, topics: list[str], partitions: int = PARTITIONS,
                        replication_factor: int = 1) -> list[str]:
    """Create the topics that do not exist yet; return the ones created."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, client_id="scp-topics")
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in topics if t not in existing]
        if missing:
            await admin.create_topics([NewTopic(t, num_partitions=partitions, replication_factor=replication_factor)
                                       for t in missing])
        return missing
    finally:
        await admin.close()


async def delete_topics(bootstrap_servers: str, prefix: str) -> list[str]:
    """Delete every topic whose name starts with `prefix` (a test's or a bench's own); return their names."""
    if not prefix:
        raise ValueError("a prefix is required: this never deletes every topic")
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, client_id="scp-topics")
    await admin.start()
    try:
        topics = [t for t in await admin.list_topics() if t.startswith(prefix)]
        if topics:
            await admin.delete_topics(topics)
        return topics
    finally:
        await admin.close()


def main() -> None:
    settings = Settings()
    created = asyncio.run(ensure_topics(settings.kafka_bootstrap_servers, all_topics(settings.topic_prefix),
                                          replication_factor=settings.topic_replication_factor))
    print(f"topics: created {created or 'none'} on {settings.kafka_bootstrap_servers}")


if __name__ == "__main__":
    main()
