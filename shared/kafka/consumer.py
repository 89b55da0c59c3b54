"""The consumer runner: batches, one handler per event type, writes before commits, a DLQ.

For each batch from Kafka:
1. decode every record into an envelope and validate its data against the catalogue; a record that
   fails goes to `<topic>.dlq` with its original bytes and the reason;
2. run the handler for its type (a pure function returning writes) and apply the batch's writes
   through the sink, retrying transient errors with backoff; writes that keep failing are retried one
   message at a time so that only the message at fault goes to the DLQ;
3. only then commit the batch's offsets.
A crash anywhere before 3 redelivers the batch; the handlers' upserts make that harmless.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import structlog
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import CommitFailedError, KafkaError
from pydantic import ValidationError

from shared.observability import metrics
from shared.events.base import EventData
from shared.events.catalogue import CATALOGUE, NewerVersion, UnknownEventType, dlq_for
from shared.events.catalogue import decode as decode_event
from shared.events.envelope import Envelope
from shared.stopping import Stoppable
from shared.kafka.limits import is_permanent, needs_new_producer
from shared.kafka.producer import STRUCTURED_CONTENT_TYPE, EventProducer, Outgoing
from shared.observability.logging import bind_correlation_id
from shared.read.projection import Sink, Upsert
from shared.observability.tracing import extract_context, tracer

log = structlog.get_logger("consumer")
Handler = Callable[[Envelope, EventData], Iterable[Upsert]]
_TYPE_OF_MODEL = {model.__name__: type_name for type_name, model in CATALOGUE.items()}


@dataclass(frozen=True)
class Decoded:
    record: object
    envelope: Envelope
    data: EventData


class Failed(Exception):
    """A message that cannot be handled: it goes to the DLQ with this reason."""


class Stopping(Exception):
    """Asked to stop while the sink was unreachable: leave the batch uncommitted, to be redelivered."""


def decode(record) -> Decoded:
    """The record's event, read as ingest checked it before accepting it (shared.events.catalogue.decode)."""
    try:
        return Decoded(record, *decode_event(record.value))
    except NewerVersion as exc:
        raise Failed(f"{exc}: upgrade this consumer, then send its dead letters back "
                     "(python -m shared.kafka.dlq replay)") from exc
    except UnknownEventType as exc:
        raise Failed(str(exc)) from exc
    except ValidationError as exc:
        if exc.title == Envelope.__name__:
            raise Failed(f"invalid envelope: {_errors(exc)}") from exc
        raise Failed(f"invalid data for {_TYPE_OF_MODEL.get(exc.title, exc.title)}: {_errors(exc)}") from exc


def _errors(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, e['loc'])) or '(root)'}: {e['msg']}" for e in exc.errors()[:5])


class ConsumerRunner(Stoppable):
    """Runs handlers over topics until stopped (SIGTERM, SIGINT or `stop()`)."""

    def __init__(self, *, bootstrap_servers: str, group_id: str, topics: Sequence[str],
                 handlers: Mapping[str, Handler], sink: Sink, producer: EventProducer,
                 max_batch: int = 500, max_attempts: int = 5, backoff_s: float = 0.2,
                 pause_before_commit_s: float = 0.0, consumer: AIOKafkaConsumer | None = None):
        self.topics, self.handlers, self.sink, self.producer = list(topics), handlers, sink, producer
        self.max_batch, self.max_attempts, self.backoff_s = max_batch, max_attempts, backoff_s
        self.pause_before_commit_s = pause_before_commit_s  # fault injection for the crash tests only
        self.consumer = consumer or AIOKafkaConsumer(
            *self.topics, bootstrap_servers=bootstrap_servers, group_id=group_id,
            enable_auto_commit=False, auto_offset_reset="earliest", isolation_level="read_committed",
            max_poll_records=max_batch, client_id=group_id,
        )
        self._stopping = asyncio.Event()
        self.batches = 0


    async def run(self) -> None:
        await self.consumer.start()
        log.info("consumer started", topics=self.topics, pid=os.getpid())
        try:
            while not self._stopping.is_set():
                batch = await self.consumer.getmany(timeout_ms=500, max_records=self.max_batch)
                if batch:
                    await self.handle_batch(batch)
        except Stopping:
            log.warning("stopped with a batch unwritten; it will be redelivered")
        finally:
            await self.consumer.stop()
            log.info("consumer stopped")

    async def handle_batch(self, batch: Mapping[TopicPartition, list]) -> None:
        records = [r for tp in sorted(batch, key=lambda t: (t.topic, t.partition)) for r in batch[tp]]
        good: list[tuple[Decoded, list[Upsert]]] = []
        dead: list[tuple[object, str]] = []
        for record in records:
            try:
                decoded = decode(record)
                writes = self._project(decoded)
            except Failed as exc:
                dead.append((record, str(exc)))
                continue
            good.append((decoded, writes))

        try:
            await self._apply_with_retry([w for _, ws in good for w in ws])
            written = [decoded for decoded, _ in good]
        except Failed:
            written = []
            for decoded, writes in good:  # isolate the message at fault
                try:
                    await self._apply_with_retry(writes)
                    written.append(decoded)
                except Failed as exc:
                    dead.append((decoded.record, str(exc)))
        await self._dead_letter(dead)
        for decoded in written:
            metrics.EVENTS_CONSUMED.labels(decoded.record.topic, decoded.envelope.type).inc()

        if self.pause_before_commit_s:
            await asyncio.sleep(self.pause_before_commit_s)
        await self._commit(batch)
        self.batches += 1

    def _project(self, decoded: Decoded) -> list[Upsert]:
        handler = self.handlers.get(decoded.envelope.type)
        if handler is None:
            return []  # a catalogued type this consumer has no use for
        bind_correlation_id(decoded.envelope.correlationid)
        with tracer("consumer").start_as_current_span(
                f"project {decoded.envelope.type}", context=extract_context(decoded.record.headers)):
            try:
                return list(handler(decoded.envelope, decoded.data))
            except Exception as exc:  # a handler's rule refused it: deterministic, so dead-letter it
                raise Failed(f"handler for {decoded.envelope.type} failed: {exc!r}") from exc

    async def _apply_with_retry(self, writes: list[Upsert]) -> None:
        """Transient errors (the database unreachable) are retried without limit; others `max_attempts` times."""
        if not writes:
            return
        attempt, delay = 0, self.backoff_s
        while True:
            try:
                await self.sink.apply(writes)
                return
            except self.sink.unreachable as exc:  # the sink says which of its errors are which
                log.warning("sink unreachable, retrying", error=repr(exc), delay_s=delay)
            except self.sink.refused as exc:
                attempt += 1
                if attempt >= self.max_attempts:
                    raise Failed(f"write failed {attempt} times: {exc}") from exc
                log.warning("write failed, retrying", error=str(exc), attempt=attempt)
            if self._stopping.is_set():
                raise Stopping()
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10.0)

    async def _dead_letter(self, dead: list[tuple[object, str]]) -> None:
        if not dead:
            return
        out = []
        for record, reason in dead:
            log.error("message dead-lettered", topic=record.topic, partition=record.partition,
                      offset=record.offset, reason=reason)
            headers = list(record.headers or ())
            if not any(k.lower() == "content-type" for k, _ in headers):  # a record our services did not write
                headers.insert(0, STRUCTURED_CONTENT_TYPE)
            headers += [
                ("dlq_reason", reason.encode()), ("dlq_topic", record.topic.encode()),
                ("dlq_partition", str(record.partition).encode()), ("dlq_offset", str(record.offset).encode())]
            out.append(Outgoing(dlq_for(record.topic), (record.key or b"").decode(errors="replace"),
                                record.value if record.value is not None else b"", headers))
            metrics.DLQ_MESSAGES.labels(record.topic, reason.split(":")[0][:60]).inc()
        try:
            await self.producer.publish(out)
        except Exception as exc:
            if not needs_new_producer(exc):
                raise  # Kafka unreachable: the batch is not committed, and comes back
            await self.producer.reset()
            for record in out:  # one by one: a record too large for the DLQ goes there without its bytes
                try:
                    await self.producer.publish([record])
                except Exception as one:
                    if not is_permanent(one):
                        raise
                    await self.producer.reset()
                    log.error("dead letter too large for its topic; sent without the original bytes",
                              alert="dlq_value_omitted", topic=record.topic, bytes=len(record.value))
                    await self.producer.publish([Outgoing(record.topic, record.key, b"", record.headers + [
                        ("dlq_value_omitted", f"{len(record.value)} bytes, {type(one).__name__}".encode())])])

    async def _commit(self, batch: Mapping[TopicPartition, list]) -> None:
        offsets = {tp: records[-1].offset + 1 for tp, records in batch.items() if records}
        try:
            await self.consumer.commit(offsets)
        except (CommitFailedError, KafkaError) as exc:  # a rebalance took the partition: it will be redelivered
            log.warning("commit failed; the batch will be redelivered", error=repr(exc))
        for tp, offset in offsets.items():
            high = self.consumer.highwater(tp)
            if high is not None:
                metrics.CONSUMER_LAG.labels(tp.topic, str(tp.partition)).set(max(high - offset, 0))

