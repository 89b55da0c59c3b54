"""A consumer nobody here wrote reads every record of every topic (issue 14, part 5).

The sample's three domains are sent through the services, and one record the projector cannot use is
dead-lettered; then every record of every topic, dead-letter topics included, is read with a second Kafka client
(confluent-kafka, on librdkafka) and decoded with the official CloudEvents SDK's Kafka binding in structured mode,
which the `content-type` header announces.
"""

import json

from cloudevents.v1.kafka import KafkaMessage, from_structured
from confluent_kafka import Consumer, TopicPartition

from sample.load import sample_events
from shared.events.catalogue import dlq_for
from shared.events.envelope import new_event
from shared.kafka.producer import STRUCTURED_CONTENT_TYPE
from shared.kafka.topics import all_topics
from tests.harness import eventually

STRUCTURED = b"application/cloudevents+json; charset=UTF-8"  # the binding's structured mode, as its spec says


def _every_record(bootstrap: str, topics: list[str]) -> dict[str, list]:
    """Every record of these topics, read from the beginning with librdkafka."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "scp-cloudevents-test",
                         "enable.auto.commit": False, "auto.offset.reset": "earliest"})
    try:
        found: dict[str, list] = {}
        for topic in topics:
            meta = consumer.list_topics(topic, timeout=10).topics[topic]
            parts = [TopicPartition(topic, p, 0) for p in meta.partitions]
            ends = {p.partition: consumer.get_watermark_offsets(p, timeout=10)[1] for p in parts}
            consumer.assign(parts)
            records, wanted = [], sum(ends.values())
            while len(records) < wanted:
                batch = consumer.consume(num_messages=500, timeout=5)
                assert batch or len(records) == wanted, f"{topic}: {len(records)} of {wanted} records read"
                records += [m for m in batch if m.error() is None]
            consumer.unassign()
            found[topic] = records
        return found
    finally:
        consumer.close()


async def test_every_record_on_every_topic_decodes_with_the_cloudevents_sdk(stack):
    doncaster = [e for e in sample_events() if e.partnership == "doncaster"]
    chosen = {domain: [e for e in doncaster if e.domain == domain][:40] for domain in ("strategy", "reviews", "training")}
    for domain, events in chosen.items():
        agencies = {e.agency for e in events}
        for agency in agencies:
            key = await stack.key(agency, (f"{domain}.*",))
            response = await stack.post([e for e in events if e.agency == agency], key, service=domain)
            assert response.status_code in (202, 409, 422), response.text
    poison = new_event("training.course.published.v1", {"course_id": "c-1", "title": "Neglect"},
                       partnership="doncaster", agency="dscp-training", source="/tests/poison")
    # a record a newer producer might write, of a type this projector does not know: dead-lettered as it came
    await stack.produce_raw(poison.to_json().replace(b"training.course.published.v1", b"training.course.gone.v1"),
                            headers=[STRUCTURED_CONTENT_TYPE])
    await stack.start_projector()
    await eventually(lambda: stack.end_offsets(dlq_for(stack.topic)))

    records = _every_record(stack.kafka, all_topics(stack.prefix))
    assert sum(len(r) for r in records.values()) > 40 and records[dlq_for(stack.topic)]
    for topic, found in records.items():
        for record in found:
            headers = dict(record.headers() or [])
            assert headers.get("content-type") == STRUCTURED, (topic, headers)
            event = from_structured(KafkaMessage(headers=headers, key=record.key(), value=record.value()))
            sent = json.loads(record.value())
            assert (event["id"], event["source"], event["type"], event["specversion"]) == (
                sent["id"], sent["source"], sent["type"], "1.0"), topic
            assert event.get_data() == sent["data"]
