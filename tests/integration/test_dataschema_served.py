"""A published event's `dataschema` is a URL the deployment serves (issue 14, part 5).

The training service runs as in production (uvicorn on a real socket, on its default SCHEMA_BASE_URL: its own
address). Events are sent without `dataschema`, and with the catalogue's canonical URL; each record on Kafka names
the service's own URL, which is fetched over HTTP like any consumer would, and the record's `data` (and the
record itself, against the envelope's schema beside it) is validated against what was fetched, with `jsonschema`.
"""

from __future__ import annotations

import asyncio
import json
import time
from urllib.parse import urljoin

import httpx
import jsonschema
from confluent_kafka import Consumer

from shared.events.catalogue import SCHEMA_BASE, topic_for
from shared.events.envelope import new_event
from shared.kafka.topics import all_topics, delete_topics, ensure_topics
from tests.e2e.processes import free_port
from tests.served import training_served

COURSE = "training.course.published.v1"
SESSION = "training.session.scheduled.v1"


def published(kafka: str, topic: str, expect: int, timeout_s: float = 60) -> list[dict]:
    """The first `expect` records of a topic, as JSON, read with a second client (librdkafka)."""
    consumer = Consumer({"bootstrap.servers": kafka, "group.id": f"{topic}-dataschema-test",
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    consumer.subscribe([topic])
    records: list[dict] = []
    try:
        deadline = time.monotonic() + timeout_s
        while len(records) < expect and time.monotonic() < deadline:
            message = consumer.poll(1)
            if message is not None and message.error() is None:
                records.append(json.loads(message.value()))
        return records
    finally:
        consumer.close()


def validated(instance: dict, schema: dict) -> None:
    """Validate with the validator the schema's own `$schema` names (2020-12), formats checked."""
    validator = jsonschema.validators.validator_for(schema)
    validator.check_schema(schema)
    validator(schema, format_checker=validator.FORMAT_CHECKER).validate(instance)


def test_each_published_dataschema_is_served_and_the_data_validates_against_it(servers):
    kafka, _ = servers
    with training_served(servers, port=free_port()) as (host, port, key, prefix):
        asyncio.run(ensure_topics(kafka, all_topics(prefix)))
        try:
            base = f"http://{host}:{port}"
            headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/cloudevents-batch+json"}
            course = new_event(COURSE, {"course_id": "c-neglect", "title": "Neglect", "competencies": ["recognise"]},
                               partnership="doncaster", agency="dscp-training", source="/tests/dataschema")
            session = new_event(SESSION, {"session_id": "s-neglect-1", "course_id": "c-neglect",
                                          "delivery_mode": "virtual", "starts_at": "2022-01-12T09:30:00Z",
                                          "capacity": 20},
                                partnership="doncaster", agency="dscp-training", source="/tests/dataschema")
            sent = [course.model_dump(mode="json", exclude_none=True),  # no dataschema
                    {**session.model_dump(mode="json", exclude_none=True),
                     "dataschema": f"{SCHEMA_BASE}{SESSION}.json"}]  # the catalogue's canonical URL
            wrong = {**sent[1], "id": "another-id", "dataschema": f"{SCHEMA_BASE}{COURSE}.json"}
            refused = httpx.post(f"{base}/events", content=json.dumps([wrong]), headers=headers)
            assert refused.status_code == 422 and refused.json()["errors"][0]["loc"] == ["body", 0, "dataschema"]
            answer = httpx.post(f"{base}/events", content=json.dumps(sent), headers=headers)
            assert answer.status_code == 202 and answer.json()["accepted"] == 2, answer.text

            records = published(kafka, topic_for("training", prefix), expect=2)
            assert [r["type"] for r in records] == [COURSE, SESSION]
            for record in records:
                assert record["dataschema"] == f"http://127.0.0.1:{port}/schemas/{record['type']}.json"
                fetched = httpx.get(record["dataschema"])
                assert fetched.status_code == 200 and fetched.headers["content-type"] == "application/schema+json"
                schema = fetched.json()
                assert schema["$id"] == record["dataschema"]
                validated(record["data"], schema)
                envelope = httpx.get(urljoin(record["dataschema"], "envelope.json")).json()
                validated(record, envelope)
            # and what the schema says is what the service holds to: data it refuses, the schema refuses
            try:
                validated({**records[0]["data"], "child_name": "x"}, httpx.get(records[0]["dataschema"]).json())
            except jsonschema.ValidationError as error:
                assert "child_name" in error.message
            else:
                raise AssertionError("the served schema took a field the contract does not have")
        finally:
            asyncio.run(delete_topics(kafka, prefix))
