"""Prometheus metrics, one set per process.

Every label value comes from a bounded set, whatever a client sends: each labelled metric is built
with a rule per label that maps a value outside its set to `other` (`Bounded`). A made-up HTTP
method, a path no route serves, an event type the catalogue does not have, or a dead letter's
free-text reason adds no series; only what the code knows does (the methods of RFC 9110, the
app's route templates or `unmatched`, the HTTP statuses, the catalogue's types, the topics).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from http import HTTPStatus

from prometheus_client import Counter, Gauge, Histogram

from shared.events.catalogue import CATALOGUE

OTHER = "other"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"})
STATUSES = frozenset(str(int(s)) for s in HTTPStatus)
_DOMAINS = "|".join(sorted({t.split(".", 1)[0] for t in CATALOGUE}))
_TOPIC = re.compile(rf"^[A-Za-z0-9._-]{{0,64}}(?:{_DOMAINS})\.events(?:\.dlq)?$")
# a dead letter's reason, as shared.kafka.consumer writes it, without its free text (which may name a made-up type)
_DLQ_REASONS = [(re.compile(r"^invalid envelope"), "invalid envelope"),
                (re.compile(r"^invalid data for (?P<type>[a-z0-9_.]+)"), "invalid data for {type}"),
                (re.compile(r"^unknown event type"), "unknown event type"),
                (re.compile(r"^[a-z0-9_.]+ is a newer version"), "newer version"),
                (re.compile(r"^handler for (?P<type>[a-z0-9_.]+) failed"), "handler for {type} failed"),
                (re.compile(r"^write failed"), "write failed")]


def one_of(allowed: frozenset[str]) -> Callable[[str], str]:
    return lambda value: value if value in allowed else OTHER


def event_type(value: str) -> str:
    return value if value in CATALOGUE else OTHER


def topic(value: str) -> str:
    """A domain topic or its DLQ, under the deployment's prefix (`TOPIC_PREFIX`, one per process)."""
    return value if _TOPIC.match(value) else OTHER


def partition(value: str) -> str:
    return value if value.isdigit() and int(value) < 1024 else OTHER


def _exception_names() -> set[str]:
    names, stack = set(), [BaseException]
    while stack:
        cls = stack.pop()
        names.add(cls.__name__)
        stack += type.__subclasses__(cls)
    return names


def exception_name(value: str) -> str:
    """An exception's class name: one of the exception classes this process has loaded."""
    return value if value in _exception_names() else OTHER


def dlq_reason(value: str) -> str:
    for pattern, label in _DLQ_REASONS:
        if found := pattern.match(value):
            named = found.groupdict().get("type")
            if named is not None and named not in CATALOGUE:
                return label.format(type=OTHER)
            return label.format(**found.groupdict())
    return OTHER


ROUTES: set[str] = {"unmatched"}  # route templates of this process's apps, added as the router matches them


def route(value: str) -> str:
    """A route template (`/p/{partnership}/api/dashboard`) of an app's routing table, or `unmatched`."""
    return value if value in ROUTES else OTHER


class Bounded:
    """A labelled metric whose every label value is mapped into its bounded set by that label's rule."""

    def __init__(self, metric, rules: Mapping[str, Callable[[str], str]]):
        names = list(metric._labelnames)
        missing = set(names) - set(rules)
        if missing:
            raise ValueError(f"{metric._name}: no rule bounds the label(s) {sorted(missing)}")
        self.metric, self._rules = metric, [rules[name] for name in names]

    def labels(self, *values: str):
        return self.metric.labels(*(rule(str(value)) for rule, value in zip(self._rules, values, strict=True)))

    def __getattr__(self, name):
        return getattr(self.metric, name)


HTTP_LATENCY = Bounded(Histogram("http_request_duration_seconds", "HTTP request latency", ["method", "route", "status"]),
                       {"method": one_of(METHODS), "route": route, "status": one_of(STATUSES)})
EVENTS_ACCEPTED = Bounded(Counter("events_accepted_total", "Events accepted by the ingest endpoint", ["type"]),
                          {"type": event_type})
EVENTS_REJECTED = Bounded(Counter("events_rejected_total", "Events refused by the ingest endpoint (reason: the HTTP status)",
                                  ["reason"]), {"reason": one_of(STATUSES)})
EVENTS_PUBLISHED = Bounded(Counter("events_published_total", "Events published to Kafka", ["topic"]), {"topic": topic})
EVENTS_CONSUMED = Bounded(Counter("events_consumed_total", "Events handled by a consumer", ["topic", "type"]),
                          {"topic": topic, "type": event_type})
DLQ_MESSAGES = Bounded(Counter("dlq_messages_total", "Messages sent to a dead-letter topic", ["topic", "reason"]),
                       {"topic": topic, "reason": dlq_reason})
CONSUMER_LAG = Bounded(Gauge("consumer_lag", "Messages behind the end of the partition", ["topic", "partition"]),
                       {"topic": topic, "partition": partition})
OUTBOX_PENDING = Gauge("outbox_pending", "Events stored but not yet published")
OUTBOX_PARKED = Bounded(Counter("outbox_parked_total", "Outbox entries moved aside because they can never be published",
                                ["error"]), {"error": exception_name})
OUTBOX_RELAY_STUCK = Gauge("outbox_relay_stuck", "1 while the outbox relay has been failing for longer than its limit")
