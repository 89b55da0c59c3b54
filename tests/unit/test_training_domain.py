"""Stories of training's rules, against the in-memory aggregate store."""

import pytest

from shared.aggregates import KeyedLocks, MemoryAggregateStore, UnitOfWork
from shared.events.envelope import new_event
from shared.events.catalogue import parse_data
from services.training import handlers
from services.training.domain.model import RuleBroken, Session


def event(type_name, **data):
    env = new_event(type_name, data, agency="dscp-training", source="/tests")
    return env, parse_data(env)


def course(course_id="c1"):
    return event("training.course.published.v1", course_id=course_id, title="Child Exploitation")


def session(session_id="s1", course_id="c1", capacity=None):
    return event("training.session.scheduled.v1", session_id=session_id, course_id=course_id,
                 delivery_mode="virtual", starts_at="2021-11-01T10:00:00Z", capacity=capacity)


def attended(ref, session_id="s1", outcome="attended"):
    return event("training.attendance.recorded.v1", session_id=session_id, attendee_ref=ref,
                 attendee_agency="south-yorkshire-police", outcome=outcome)


@pytest.fixture
def store():
    return MemoryAggregateStore()


async def ingest(store, *events):
    return await handlers.ingest(UnitOfWork(store, KeyedLocks()), list(events))


async def test_a_course_session_and_attendance_are_stored_with_their_events_in_the_outbox(store):
    statuses = await ingest(store, course(), session(), attended("ref-0001"))
    assert statuses == ["accepted"] * 3
    stored = store.docs[("sessions", "s1")]
    assert stored.state["attendance"] == {"ref-0001": {"agency": "south-yorkshire-police", "outcome": "attended"}}
    assert [e["topic"] for e in stored.outbox] == ["training.events", "training.events"]
    assert {e["key"] for e in stored.outbox} == {"s1"}


async def test_the_same_event_sent_twice_is_a_duplicate_and_publishes_nothing_more(store):
    first = attended("ref-0001")
    await ingest(store, course(), session(), first)
    assert await ingest(store, first) == ["duplicate"]
    assert len(store.docs[("sessions", "s1")].outbox) == 2


async def test_attendance_at_an_unknown_session_is_refused_naming_the_field(store):
    with pytest.raises(handlers.EventRefused) as refused:
        await ingest(store, attended("ref-0001", session_id="nope"))
    assert refused.value.index == 0 and refused.value.rule.field == "data.session_id"
    assert store.docs == {}


async def test_a_batch_is_all_or_nothing(store):
    with pytest.raises(handlers.EventRefused) as refused:
        await ingest(store, course(), session(), attended("ref-0001"), attended("ref-0002", session_id="nope"))
    assert refused.value.index == 3
    assert store.docs == {}


async def test_a_session_cannot_be_scheduled_for_an_unpublished_course(store):
    with pytest.raises(handlers.EventRefused) as refused:
        await ingest(store, session(course_id="unknown"))
    assert refused.value.rule.field == "data.course_id"


def test_a_full_session_takes_no_more_attendees_but_accepts_corrections():
    s = Session("s1", "c1", "virtual", "2021-11-01T10:00:00+00:00", capacity=1)
    s.record_attendance("ref-0001", "police", "attended")
    s.record_attendance("ref-0001", "police", "attended")  # the same person again: a correction, not a new place
    s.record_attendance("ref-0002", "police", "no_show")
    with pytest.raises(RuleBroken) as full:
        s.record_attendance("ref-0003", "police", "attended")
    assert full.value.conflict and s.attended == 1
