"""An event Kafka will never take must not stop the others: refused at ingest when it can be known,
moved aside with its reason when only the broker can tell."""

import json

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from shared.events.envelope import new_event
from shared.adapters.mongo.aggregates import MongoAggregateStore
from shared.write.aggregates import KeyedLocks
from tests.harness import eventually

SOURCE = "/partners/dscp-training/lms"


def course(course_id, padding=0):
    """A course event; `padding` makes it larger, within every field's own limit (subject and source)."""
    title = "Child Exploitation" + (" (the multi-agency course)" * 6 if padding else "")
    return new_event("training.course.published.v1", {"course_id": course_id, "title": title},
                     partnership="doncaster", agency="dscp-training", source=SOURCE + "/s" * min(padding, 100), subject="x" * padding or None)


async def set_topic_limit(stack, max_message_bytes: int) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=stack.kafka)
    await admin.start()
    try:
        await admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, stack.topic,
                                                  {"max.message.bytes": str(max_message_bytes)})])
    finally:
        await admin.close()


async def test_an_event_larger_than_the_topic_accepts_is_refused_at_ingest(stack):
    await set_topic_limit(stack, 1500)  # before the service first asks: it learns the topic's limit
    key = await stack.key()
    small, large = course("c-small"), course("c-large", padding=250)
    assert len(large.to_json()) > 1500 - 1024 and len(small.to_json()) < 1500 - 1024 + 200
    response = await stack.post([large], key)
    assert response.status_code == 413, response.text
    problem = response.json()
    assert problem["status"] == 413 and problem["errors"][0]["loc"] == ["body", 0]
    assert "at most 476" in problem["errors"][0]["msg"]
    assert await stack.end_offsets(stack.topic) == 0


async def test_an_event_the_broker_refuses_is_parked_with_its_reason_and_the_rest_keep_flowing(stack):
    key = await stack.key()
    first = course("c-first")
    assert (await stack.post(first, key)).status_code == 202  # the service learns the 1 MB limit
    await eventually(lambda: _published(stack, 1))
    await set_topic_limit(stack, 900)  # the topic shrinks afterwards: only the broker can tell now

    poison, after = course("c-poison", padding=250), course("c-after")
    assert len(poison.to_json()) > 900 and len(after.to_json()) < 450  # before its dataschema is even added
    response = await stack.post([poison, after], key)
    assert response.status_code == 202, response.text

    await eventually(lambda: _published(stack, 2))  # the one after the poison is published
    records = await stack.read_topic(stack.topic, expect=2)
    # at least once: the one after may be published twice (once in the refused batch, once alone)
    assert {json.loads(r.value)["id"] for r in records} == {first.id, after.id}

    store = MongoAggregateStore(stack.mongo[f"{stack.prefix}training"], (), KeyedLocks())
    await eventually(lambda: _parked(store, 1))
    ready = (await stack.training.get("/readyz")).json()
    assert ready["status"] == "ready" and ready["notices"]["outbox_parked"] == 1
    [parked] = await store.parked()
    assert parked.entry["event_id"] == poison.id and "MessageSizeTooLarge" in parked.reason
    assert await stack.mongo[f"{stack.prefix}training"]["courses"].count_documents({"pending": True}) == 0
    metrics = (await stack.training.get("/metrics")).text
    assert 'outbox_parked_total{error="MessageSizeTooLargeError"}' in metrics

    # once the cause is fixed, an operator requeues it and it is published
    await set_topic_limit(stack, 1_048_588)
    assert await store.requeue(parked.key)
    stack.training_app.state.relay.wake([("courses", "c-poison")])
    await eventually(lambda: _published(stack, 3))
    assert await store.count_parked() == 0


async def _published(stack, n):
    return await stack.end_offsets(stack.topic) >= n


async def _parked(store, n):
    return await store.count_parked() == n
