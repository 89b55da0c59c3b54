"""Every label of every metric takes its values from a bounded set, whatever values it is given
(issue 13, part 5): made-up methods, paths, statuses, event types and reasons become `other`."""

import random
import string

import pytest

from shared.observability import metrics
from shared.events.catalogue import CATALOGUE

LABELLED = {name: value for name, value in vars(metrics).items() if isinstance(value, metrics.Bounded)}
rng = random.Random(13)


def made_up(length: int = 12) -> str:
    """A value no code wrote: random printable text, not a number (a partition's number is a known value)."""
    value = "".join(rng.choice(string.printable) for _ in range(rng.randint(1, length)))
    return value if not value.isdigit() else made_up(length)


def series(metric: metrics.Bounded) -> set[tuple]:
    """The label sets the metric holds (a histogram's buckets and sums counted once)."""
    names = metric._labelnames
    return {tuple(sample.labels.get(n) for n in names)
            for family in metric.collect() for sample in family.samples}


def test_every_labelled_metric_of_the_module_is_bounded():
    from prometheus_client.metrics import MetricWrapperBase

    collected = {name: value for name, value in vars(metrics).items()
                 if isinstance(value, MetricWrapperBase) and value._labelnames}
    assert not collected, f"labelled but not bounded: {sorted(collected)}"
    assert {"HTTP_LATENCY", "EVENTS_ACCEPTED", "DLQ_MESSAGES", "OUTBOX_PARKED"} <= set(LABELLED)


def test_a_metric_without_a_rule_for_each_label_cannot_be_made():
    from prometheus_client import CollectorRegistry, Counter

    with pytest.raises(ValueError, match="topic"):
        metrics.Bounded(Counter("x_total", "x", ["topic"], registry=CollectorRegistry()), {})


@pytest.mark.parametrize("name", sorted(LABELLED))
def test_a_thousand_made_up_values_add_at_most_one_series_per_label(name):
    metric = LABELLED[name]
    before = series(metric)
    for _ in range(1000):
        values = [made_up() for _ in metric._labelnames]
        child = metric.labels(*values)
        child.observe(0.1) if hasattr(child, "observe") else child.inc() if hasattr(child, "inc") else None
    added = series(metric) - before
    assert len(added) <= 2 ** len(metric._labelnames), added  # each label: its value, or "other"
    for labels in added:
        assert "other" in labels, labels


def test_what_the_code_knows_is_kept():
    assert metrics.HTTP_LATENCY.labels("POST", "unmatched", "404")._labelvalues == ("POST", "unmatched", "404")
    assert metrics.HTTP_LATENCY.labels("X28D232976567", "/nowhere/1234", "799")._labelvalues == (
        "other", "other", "other")
    known = sorted(CATALOGUE)[0]
    assert metrics.EVENTS_ACCEPTED.labels(known)._labelvalues == (known,)
    assert metrics.EVENTS_ACCEPTED.labels("training.made.up.v1")._labelvalues == ("other",)
    assert metrics.EVENTS_PUBLISHED.labels("t1234-training.events")._labelvalues == ("t1234-training.events",)


@pytest.mark.parametrize("reason, label", [
    ("unknown event type 'training.x9f3.v1'", "unknown event type"),
    ("invalid envelope: id: Field required", "invalid envelope"),
    ("invalid data for training.course.published.v1: title: Field required",
     "invalid data for training.course.published.v1"),
    ("invalid data for training.made.up.v1: title: Field required", "invalid data for other"),
    ("handler for training.course.published.v1 failed: KeyError('x')", "handler for training.course.published.v1 failed"),
    ("write failed 5 times: E11000", "write failed"),
    ("training.course.published.v2 is a newer version than this code knows: ...", "newer version"),
    ("something nobody wrote down: 42", "other"),
])
def test_a_dead_letters_reason_is_its_kind_not_its_text(reason, label):
    assert metrics.dlq_reason(reason) == label
