"""What Kafka will accept: the size limit an event must fit, and which publish errors never heal.

The broker refuses a record batch larger than the topic's `max.message.bytes` (the broker's
`message.max.bytes` unless the topic overrides it), and the producer refuses a request larger than
its `max_request_size`. An event is checked against both at ingest, less a margin for the record's
key, headers and batch framing, so that what is accepted can be published.
"""

from __future__ import annotations

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import (CorruptRecordException, InvalidProducerEpoch, InvalidTopicError, MessageSizeTooLargeError,
                             OutOfOrderSequenceNumber, PolicyViolationError, ProducerFenced, RecordListTooLargeError,
                             RecordTooLargeError, TopicAuthorizationFailedError, UnknownProducerId,
                             UnsupportedForMessageFormatError)

BROKER_DEFAULT = 1_048_588  # Kafka's message.max.bytes default
PRODUCER_MAX_REQUEST = 1_048_576  # aiokafka's max_request_size default, used by EventProducer
FRAMING_MARGIN = 1024  # key (<= 64), headers (type, id, correlation id, traceparent: < 600) and batch framing

# Errors that publishing the same record again will meet again: the record must be moved aside.
PERMANENT = (MessageSizeTooLargeError, RecordTooLargeError, RecordListTooLargeError, InvalidTopicError,
             TopicAuthorizationFailedError, CorruptRecordException, UnsupportedForMessageFormatError,
             PolicyViolationError)


# Errors after which an idempotent producer cannot send again (its sequence or epoch is broken): replace it.
PRODUCER_BROKEN = (OutOfOrderSequenceNumber, UnknownProducerId, InvalidProducerEpoch, ProducerFenced)


def needs_new_producer(exc: BaseException) -> bool:
    """True if the producer must be replaced before it can publish again (see EventProducer.reset)."""
    return isinstance(exc, PRODUCER_BROKEN) or isinstance(exc, PERMANENT)


def is_permanent(exc: BaseException) -> bool:
    """True for a publish error that retrying cannot cure: the record itself, or the topic, is at fault."""
    return isinstance(exc, PERMANENT) or isinstance(exc, (ValueError, TypeError, UnicodeError))


async def topic_message_limit(bootstrap_servers: str, topic: str) -> int | None:
    """The topic's effective `max.message.bytes`, or None if the topic is unknown."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, client_id="scp-limits")
    await admin.start()
    try:
        [response] = await admin.describe_configs(
            [ConfigResource(ConfigResourceType.TOPIC, topic, {"max.message.bytes": None})])
        for error_code, _msg, _type, _name, configs in response.resources:
            if error_code:
                return None
            for entry in configs:
                if entry[0] == "max.message.bytes" and entry[1] is not None:
                    return int(entry[1])
        return None
    finally:
        await admin.close()


def event_size_limit(configured: int, topic_limit: int | None) -> int:
    """The largest serialised event accepted at ingest: within the configuration, the topic and the producer."""
    return min(configured, (topic_limit or BROKER_DEFAULT) - FRAMING_MARGIN, PRODUCER_MAX_REQUEST - FRAMING_MARGIN)
