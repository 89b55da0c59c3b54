"""The outbox relay: what is stored is published, then cleared; a failed publish keeps it for later."""

import pytest

from shared.aggregates import KeyedLocks, MemoryAggregateStore, UnitOfWork
from shared.events.catalogue import parse_data
from shared.events.envelope import new_event
from shared.outbox import OutboxRelay
from services.training import handlers


class Producer:
    def __init__(self, fail=False):
        self.fail, self.sent = fail, []

    async def publish(self, records):
        if self.fail:
            raise ConnectionError("Kafka is unreachable")
        self.sent += records


async def stored_course(store):
    env = new_event("training.course.published.v1", {"course_id": "c1", "title": "Self Neglect"},
                    agency="dscp-training", source="/tests", correlationid="corr-9")
    await handlers.ingest(UnitOfWork(store, KeyedLocks()), [(env, parse_data(env))])
    return env


async def test_stored_events_are_published_keyed_by_aggregate_then_cleared():
    store, producer = MemoryAggregateStore(), Producer()
    env = await stored_course(store)
    assert await OutboxRelay(store, producer).relay_once() == 1
    [record] = producer.sent
    assert (record.topic, record.key, record.value) == ("training.events", "c1", env.to_json())
    assert dict(record.headers)["correlation_id"] == b"corr-9" and dict(record.headers)["ce_id"] == env.id.encode()
    assert store.docs[("courses", "c1")].outbox == []
    assert await OutboxRelay(store, producer).relay_once() == 0


async def test_when_kafka_is_down_the_events_stay_in_the_outbox():
    store = MemoryAggregateStore()
    await stored_course(store)
    with pytest.raises(ConnectionError):
        await OutboxRelay(store, Producer(fail=True)).relay_once()
    assert len(store.docs[("courses", "c1")].outbox) == 1
    healthy = Producer()
    assert await OutboxRelay(store, healthy).relay_once() == 1 and len(healthy.sent) == 1


async def test_a_wake_names_the_aggregates_to_publish_without_a_sweep():
    store, producer = MemoryAggregateStore(), Producer()
    await stored_course(store)
    relay = OutboxRelay(store, producer)
    assert await relay.relay_changed() == 0  # nothing named yet
    relay.wake([("courses", "c1")])
    assert await relay.relay_changed() == 1 and store.docs[("courses", "c1")].outbox == []
