"""The consumer runner's promises, with in-memory fakes of Kafka and the sink:
writes before commits, retries for transient errors, and only the message at fault dead-lettered."""

import json
from dataclasses import dataclass, field

import pytest
from aiokafka import TopicPartition

from shared.events.envelope import new_event
from shared.kafka.consumer import ConsumerRunner
from shared.read.projection import MemorySink
from services.reporting.projections import EVENTS, HANDLERS
from tests.read_model import attendance as attended

TOPIC = "training.events"
TP = TopicPartition(TOPIC, 0)


@dataclass
class Record:
    value: bytes
    offset: int
    topic: str = TOPIC
    partition: int = 0
    key: bytes = b"s-1"
    headers: list = field(default_factory=list)


class FakeConsumer:
    def __init__(self, journal):
        self.journal, self.committed = journal, {}

    async def commit(self, offsets):
        self.journal.append(("commit", dict(offsets)))
        self.committed.update(offsets)

    def highwater(self, tp):
        return 10


class FakeProducer:
    def __init__(self):
        self.sent = []

    async def publish(self, records):
        self.sent += records


class Refused(Exception):
    """This fake sink's refusal of a write (the MongoDB sink's is pymongo's OperationFailure)."""


class JournalSink(MemorySink):
    """Records each apply; fails as told: `fail_for` an attendee ref, or `transient` times. It tells the consumer
    which of its errors are which, as every sink does: the consumer knows no database's errors."""

    unreachable, refused = (ConnectionError,), (Refused,)

    def __init__(self, journal, fail_for=None, transient=0):
        super().__init__()
        self.journal, self.fail_for, self.transient = journal, fail_for, transient

    async def apply(self, writes):
        if self.transient:
            self.transient -= 1
            raise ConnectionError("the database went away")
        if self.fail_for and any(w.id.endswith(self.fail_for) for w in writes):
            raise Refused("the server refused this document")
        self.journal.append(("write", [w.id for w in writes if w.collection != EVENTS]))  # the ledger aside
        await super().apply(writes)


def attendance(ref):
    """One person's attendance, at a session of their own (`s-<ref>`): each write its own entity document."""
    return new_event("training.attendance.recorded.v1",
                     {"session_id": f"s-{ref}", "attendee_ref": ref, "attendee_agency": "schools"},
                     partnership="doncaster", agency="dscp-training", source="/tests").to_json()


def runner(sink, journal):
    return ConsumerRunner(bootstrap_servers="unused:9092", group_id="g", topics=[TOPIC], handlers=HANDLERS,
                          sink=sink, producer=FakeProducer(), backoff_s=0.001, consumer=FakeConsumer(journal))


async def test_the_batch_is_written_before_its_offsets_are_committed():
    journal = []
    r = runner(JournalSink(journal), journal)
    await r.handle_batch({TP: [Record(attendance("ref-0001"), 0), Record(attendance("ref-0002"), 1)]})
    assert journal == [("write", ["doncaster/session/s-ref-0001", "doncaster", "doncaster/session/s-ref-0002",
                                  "doncaster"]),
                       ("commit", {TP: 2})]


async def test_bad_bytes_are_dead_lettered_with_the_reason_and_the_rest_is_written():
    journal = []
    r = runner(JournalSink(journal), journal)
    await r.handle_batch({TP: [Record(b"{not json", 0), Record(attendance("ref-0001"), 1)]})
    [dead] = r.producer.sent
    assert dead.topic == "training.events.dlq" and dead.value == b"{not json"
    assert dict(dead.headers)["dlq_reason"].startswith(b"invalid envelope")
    assert dict(dead.headers)["content-type"] == b"application/cloudevents+json; charset=UTF-8"  # as every record
    assert journal[-1] == ("commit", {TP: 2})
    assert "doncaster/s-ref-0001/ref-0001" in attended(r.sink)


async def test_a_write_that_keeps_failing_dead_letters_only_its_own_message():
    journal = []
    r = runner(JournalSink(journal, fail_for="ref-0002"), journal)
    await r.handle_batch({TP: [Record(attendance(f"ref-000{i}"), i) for i in range(1, 4)]})
    assert [dict(d.headers)["dlq_offset"] for d in r.producer.sent] == [b"2"]
    assert sorted(attended(r.sink)) == ["doncaster/s-ref-0001/ref-0001", "doncaster/s-ref-0003/ref-0003"]
    assert journal[-1] == ("commit", {TP: 4})


async def test_an_unreachable_database_is_waited_for_not_dead_lettered():
    journal = []
    r = runner(JournalSink(journal, transient=3), journal)
    await r.handle_batch({TP: [Record(attendance("ref-0001"), 0)]})
    assert r.producer.sent == [] and journal == [("write", ["doncaster/session/s-ref-0001", "doncaster"]),
                                                 ("commit", {TP: 1})]


@pytest.mark.parametrize("type_name", ["training.unknown.happened.v1"])
async def test_an_uncatalogued_type_is_dead_lettered(type_name):
    journal = []
    r = runner(JournalSink(journal), journal)
    raw = attendance("ref-0001").replace(b"training.attendance.recorded.v1", type_name.encode())
    await r.handle_batch({TP: [Record(raw, 0)]})
    assert dict(r.producer.sent[0].headers)["dlq_reason"].startswith(b"unknown event type")


async def test_a_dead_letter_too_large_for_its_topic_goes_there_without_its_bytes_and_the_batch_commits():
    from aiokafka.errors import MessageSizeTooLargeError

    class SmallTopicProducer(FakeProducer):
        resets = 0

        async def publish(self, records):
            if any(len(r.value) > 1000 for r in records):
                raise MessageSizeTooLargeError("too large")
            self.sent += records

        async def reset(self):
            self.resets += 1

    journal = []
    r = runner(JournalSink(journal), journal)
    r.producer = SmallTopicProducer()
    await r.handle_batch({TP: [Record(b"x" * 5000, 0), Record(b"{not json", 1), Record(attendance("ref-0001"), 2)]})
    big, small = r.producer.sent
    assert big.value == b"" and dict(big.headers)["dlq_value_omitted"].startswith(b"5000 bytes")
    assert dict(big.headers)["dlq_offset"] == b"0"  # the original is still on its topic, at this offset
    assert small.value == b"{not json" and r.producer.resets >= 1
    assert journal[-1] == ("commit", {TP: 3})


async def test_a_version_newer_than_the_consumer_knows_is_dead_lettered_saying_what_to_do():
    journal = []
    r = runner(JournalSink(journal), journal)
    event = json.loads(attendance("ref-0001"))
    event.update(type="training.attendance.recorded.v2", schemaversion=2)
    await r.handle_batch({TP: [Record(json.dumps(event).encode(), 0)]})
    reason = dict(r.producer.sent[0].headers)["dlq_reason"].decode()
    assert reason.startswith("training.attendance.recorded.v2 is a newer version than this code knows: its newest "
                             "version of training.attendance.recorded is v1")
    assert reason.endswith("then send its dead letters back (python -m shared.kafka.dlq replay)")
    assert journal[-1] == ("commit", {TP: 1})
