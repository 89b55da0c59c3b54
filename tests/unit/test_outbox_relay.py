"""The outbox relay: what is stored is published, then cleared; a failed publish keeps it for later."""

import json

import pytest

from shared.write.aggregates import KeyedLocks, MemoryAggregateStore, UnitOfWork
from shared.events.catalogue import parse_data
from shared.events.envelope import new_event, schema_url
from shared.write.handling import ingest
from shared.write.identities import MemoryIdentities
from shared.write.outbox import OutboxRelay
from shared.write.rules import Actor
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
                    partnership="doncaster", agency="dscp-training", source="/tests", correlationid="corr-9")
    await ingest(UnitOfWork(store, KeyedLocks()), handlers.ROUTES, MemoryIdentities(), [(env, parse_data(env))],
                 Actor("dscp-training"))
    return env


async def test_stored_events_are_published_keyed_by_aggregate_then_cleared():
    store, producer = MemoryAggregateStore(), Producer()
    env = await stored_course(store)
    assert await OutboxRelay(store, producer).relay_once() == 1
    [record] = producer.sent
    as_published = env.model_copy(update={"dataschema": schema_url(env.type)})  # the service's URL of its schema
    assert (record.topic, record.key, record.value) == ("training.events", "doncaster/c1", as_published.to_json())
    assert dict(record.headers)["correlation_id"] == b"corr-9" and dict(record.headers)["ce_id"] == env.id.encode()
    assert store.docs[("courses", "doncaster/c1")].outbox == []
    assert await OutboxRelay(store, producer).relay_once() == 0


async def test_when_kafka_is_down_the_events_stay_in_the_outbox():
    store = MemoryAggregateStore()
    await stored_course(store)
    with pytest.raises(ConnectionError):
        await OutboxRelay(store, Producer(fail=True)).relay_once()
    assert len(store.docs[("courses", "doncaster/c1")].outbox) == 1
    healthy = Producer()
    assert await OutboxRelay(store, healthy).relay_once() == 1 and len(healthy.sent) == 1


async def test_a_wake_names_the_aggregates_to_publish_without_a_sweep():
    store, producer = MemoryAggregateStore(), Producer()
    await stored_course(store)
    relay = OutboxRelay(store, producer)
    assert await relay.relay_changed() == 0  # nothing named yet
    relay.wake([("courses", "doncaster/c1")])
    assert await relay.relay_changed() == 1 and store.docs[("courses", "doncaster/c1")].outbox == []


class SizeLimitedProducer(Producer):
    """Refuses, like a broker, any request holding a record larger than `limit` bytes; counts resets."""

    def __init__(self, limit):
        super().__init__()
        self.limit, self.resets = limit, 0

    async def publish(self, records):
        from aiokafka.errors import MessageSizeTooLargeError

        if any(len(r.value) > self.limit for r in records):
            raise MessageSizeTooLargeError("the request included a message larger than the max message size")
        self.sent += records

    async def reset(self):
        self.resets += 1


async def stored_courses(store, *titles):
    events = [new_event("training.course.published.v1", {"course_id": f"c{i}", "title": title},
                        partnership="doncaster", agency="dscp-training", source="/tests") for i, title in enumerate(titles)]
    await ingest(UnitOfWork(store, KeyedLocks()), handlers.ROUTES, MemoryIdentities(),
                 [(e, parse_data(e)) for e in events], Actor("dscp-training"))
    return events


async def test_an_entry_kafka_will_never_take_is_parked_with_its_reason_and_the_others_are_published():
    store, producer = MemoryAggregateStore(), SizeLimitedProducer(limit=400)
    small, poison, after = await stored_courses(store, "Self Neglect", "L" * 200, "Safer Recruitment")
    assert await OutboxRelay(store, producer).relay_once() == 2
    assert sorted(json.loads(r.value)["id"] for r in producer.sent) == sorted([small.id, after.id])
    [parked] = await store.parked()
    assert parked.entry["event_id"] == poison.id and parked.reason.startswith("MessageSizeTooLargeError")
    assert all(not doc.outbox for doc in store.docs.values())
    assert producer.resets >= 1  # an idempotent producer refused by the broker must start afresh


async def test_a_relay_that_keeps_failing_says_it_is_stuck_and_recovers():
    store = MemoryAggregateStore()
    await stored_course(store)
    relay = OutboxRelay(store, Producer(fail=True), stuck_after_s=0)
    assert relay.health() == "ok"
    with pytest.raises(ConnectionError):
        await relay.relay_once()
    relay._failed(ConnectionError("Kafka is unreachable"))
    assert relay.health().startswith("stuck: publishing has failed")
    relay.producer = Producer()
    await relay.relay_once()
    relay._succeeded()
    assert relay.health() == "ok"


async def test_after_a_passing_failure_an_aggregates_later_entries_wait_in_order():
    from shared.write.aggregates import Stored

    class FlakyProducer(SizeLimitedProducer):
        """Too large is found first (as the client's own size check would); then a passing error."""

        async def publish(self, records):
            if any(len(r.value) <= self.limit and b'"title":"Flaky"' in r.value for r in records) \
                    and all(len(r.value) <= self.limit for r in records):
                raise ConnectionError("leader moved")
            await super().publish(records)

    store = MemoryAggregateStore()
    events = [new_event("training.course.published.v1", {"course_id": "c1", "title": t}, partnership="doncaster", agency="dscp-training",
                        source="/tests") for t in ("L" * 200, "Flaky", "Later")]
    for e in events:
        await ingest(UnitOfWork(store, KeyedLocks()), handlers.ROUTES, MemoryIdentities(), [(e, parse_data(e))],
                     Actor("dscp-training"))
    producer = FlakyProducer(limit=400)
    with pytest.raises(ConnectionError):
        await OutboxRelay(store, producer).relay_once()
    remaining = [e["event_id"] for e in store.docs[("courses", "doncaster/c1")].outbox]
    assert remaining == [events[1].id, events[2].id]  # the poison parked; the rest kept, in order
    assert producer.sent == [] and isinstance(store.docs[("courses", "doncaster/c1")], Stored)


@pytest.mark.parametrize("turns", range(6))
async def test_a_relay_woken_as_it_is_cancelled_stops(turns):
    """Its wait for work must not swallow the cancellation (asyncio.wait_for does on Python 3.11 when the wait ends
    in the same turn: an idle app's shutdown then hung its test's teardown for 60 s, about once in 700)."""
    import asyncio

    relay = OutboxRelay(MemoryAggregateStore(), Producer(), poll_s=60, sweep_s=3600)
    task = asyncio.create_task(relay.run())
    for _ in range(3):
        await asyncio.sleep(0)  # the relay sweeps once, then waits for work
    relay.wake()
    for _ in range(turns):
        await asyncio.sleep(0)
    task.cancel()
    done, _ = await asyncio.wait([task], timeout=2)
    assert done and task.cancelled(), "the relay went on after it was cancelled"
