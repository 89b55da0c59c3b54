"""Prometheus metrics, one set per process."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

HTTP_LATENCY = Histogram("http_request_duration_seconds", "HTTP request latency", ["method", "route", "status"])
EVENTS_ACCEPTED = Counter("events_accepted_total", "Events accepted by the ingest endpoint", ["type"])
EVENTS_REJECTED = Counter("events_rejected_total", "Events refused by the ingest endpoint", ["reason"])
EVENTS_PUBLISHED = Counter("events_published_total", "Events published to Kafka", ["topic"])
EVENTS_CONSUMED = Counter("events_consumed_total", "Events handled by a consumer", ["topic", "type"])
DLQ_MESSAGES = Counter("dlq_messages_total", "Messages sent to a dead-letter topic", ["topic", "reason"])
CONSUMER_LAG = Gauge("consumer_lag", "Messages behind the end of the partition", ["topic", "partition"])
OUTBOX_PENDING = Gauge("outbox_pending", "Events stored but not yet published")
OUTBOX_PARKED = Counter("outbox_parked_total", "Outbox entries moved aside because they can never be published", ["error"])
OUTBOX_RELAY_STUCK = Gauge("outbox_relay_stuck", "1 while the outbox relay has been failing for longer than its limit")
