"""Stories of training's rules, against the in-memory aggregate store."""

import pytest

from shared.write.aggregates import KeyedLocks, MemoryAggregateStore, UnitOfWork
from shared.events.catalogue import parse_data
from shared.events.envelope import new_event
from shared.write.handling import EventRefused, ingest as ingest_events
from shared.write.identities import MemoryIdentities
from shared.write.rules import Actor, RuleBroken
from services.training import handlers
from services.training.domain.model import Session

PROVIDER = Actor("dscp-training")
POLICE = Actor("south-yorkshire-police")


def event(type_name, agency="dscp-training", source="/tests", **data):
    env = new_event(type_name, data, partnership="doncaster", agency=agency, source=source)
    return env, parse_data(env)


def course(course_id="c1", title="Child Exploitation"):
    return event("training.course.published.v1", course_id=course_id, title=title)


def session(session_id="s1", course_id="c1", capacity=None):
    return event("training.session.scheduled.v1", session_id=session_id, course_id=course_id,
                 delivery_mode="virtual", starts_at="2021-11-01T10:00:00Z", capacity=capacity)


def attended(ref, session_id="s1", outcome="attended", attendee_agency="south-yorkshire-police", agency="dscp-training"):
    return event("training.attendance.recorded.v1", agency=agency, session_id=session_id, attendee_ref=ref,
                 attendee_agency=attendee_agency, outcome=outcome)


@pytest.fixture
def store():
    return MemoryAggregateStore()


@pytest.fixture
def identities():
    return MemoryIdentities()


async def ingest(store, *events, actor=PROVIDER, identities=None):
    return await ingest_events(UnitOfWork(store, KeyedLocks()), handlers.ROUTES, identities or MemoryIdentities(),
                               list(events), actor)


async def test_a_course_session_and_attendance_are_stored_with_their_events_in_the_outbox(store):
    statuses = await ingest(store, course(), session(), attended("ref-0001"))
    assert statuses == ["accepted"] * 3
    stored = store.docs[("sessions", "doncaster/s1")]
    assert stored.state["attendance"] == {
        "ref-0001": {"agency": "south-yorkshire-police", "outcome": "attended", "recorded_by": "dscp-training"}}
    assert [e["topic"] for e in stored.outbox] == ["training.events", "training.events"]
    assert {e["key"] for e in stored.outbox} == {"doncaster/s1"}  # partnership plus aggregate


async def test_the_same_event_sent_twice_is_a_duplicate_and_publishes_nothing_more(store, identities):
    first = attended("ref-0001")
    await ingest(store, course(), session(), first, identities=identities)
    assert await ingest(store, first, identities=identities) == ["duplicate"]
    assert await ingest(store, first) == ["duplicate"]  # known to the aggregate even without the registry
    assert len(store.docs[("sessions", "doncaster/s1")].outbox) == 2


async def test_an_event_is_identified_by_its_source_and_id_together(store):
    await ingest(store, course(), session(), attended("ref-0001"))
    env, data = attended("ref-0002")
    other_source = (env.model_copy(update={"source": "/another/system"}), data)
    reused = (env.model_copy(update={"id": store.docs[("sessions", "doncaster/s1")].outbox[0]["event_id"]}), data)
    assert await ingest(store, other_source) == ["accepted"]  # another source may use any id
    with pytest.raises(EventRefused) as conflict:  # the same source and id, saying something else
        await ingest(store, reused)
    assert conflict.value.rule.field == "id" and conflict.value.rule.status == 409


async def test_a_reused_identity_aimed_at_another_aggregate_is_a_conflict_too(store, identities):
    first = course("c1")
    await ingest(store, first, identities=identities)
    env, data = course("c2")
    with pytest.raises(EventRefused) as conflict:
        await ingest(store, (env.model_copy(update={"id": first[0].id}), data), identities=identities)
    assert conflict.value.rule.field == "id"
    assert ("courses", "doncaster/c2") not in store.docs


async def test_attendance_at_an_unknown_session_is_refused_naming_the_field(store):
    with pytest.raises(EventRefused) as refused:
        await ingest(store, attended("ref-0001", session_id="nope"))
    assert refused.value.index == 0 and refused.value.rule.field == "data.session_id"
    assert store.docs == {}


async def test_a_batch_is_all_or_nothing(store):
    with pytest.raises(EventRefused) as refused:
        await ingest(store, course(), session(), attended("ref-0001"), attended("ref-0002", session_id="nope"))
    assert refused.value.index == 3
    assert store.docs == {}


async def test_a_session_cannot_be_scheduled_for_an_unpublished_course(store):
    with pytest.raises(EventRefused) as refused:
        await ingest(store, session(course_id="unknown"))
    assert refused.value.rule.field == "data.course_id"


async def test_only_the_agency_that_recorded_an_attendance_may_correct_it(store):
    await ingest(store, course(), session(), attended("ref-0001"))
    correction = attended("ref-0001", outcome="no_show", attendee_agency="schools", agency="south-yorkshire-police")
    with pytest.raises(EventRefused) as refused:
        await ingest(store, correction, actor=POLICE)
    assert refused.value.rule.field == "agency" and refused.value.rule.status == 403
    assert store.docs[("sessions", "doncaster/s1")].state["attendance"]["ref-0001"]["outcome"] == "attended"
    # the provider corrects its own record; a key with the right to correct may too
    assert await ingest(store, attended("ref-0001", outcome="no_show")) == ["accepted"]
    assert await ingest(store, correction, actor=Actor("south-yorkshire-police", may_correct=True)) == ["accepted"]
    assert store.docs[("sessions", "doncaster/s1")].state["attendance"]["ref-0001"]["recorded_by"] == "dscp-training"


async def test_an_agency_records_the_attendance_of_its_own_people_only(store):
    await ingest(store, course(), session())
    own = attended("ref-0005", agency="south-yorkshire-police")
    assert await ingest(store, own, actor=POLICE) == ["accepted"]
    with pytest.raises(EventRefused) as refused:
        await ingest(store, attended("ref-0006", attendee_agency="schools", agency="south-yorkshire-police"), actor=POLICE)
    assert refused.value.rule.field == "agency"


async def test_a_course_or_session_is_changed_only_by_the_agency_that_made_it(store):
    await ingest(store, course(), session())
    for change in (course(title="Renamed"), session(capacity=20)):
        with pytest.raises(EventRefused) as refused:
            await ingest(store, change, actor=POLICE)
        assert refused.value.rule.status == 403
    assert await ingest(store, course(title="Child Exploitation (CE)")) == ["accepted"]


def test_a_full_session_takes_no_more_attendees_but_accepts_corrections():
    s = Session("s1", "c1", "virtual", "2021-11-01T10:00:00+00:00", capacity=1, scheduled_by="dscp-training")
    s.record_attendance("ref-0001", "police", "attended", PROVIDER)
    s.record_attendance("ref-0001", "police", "attended", PROVIDER)  # the same person again: a correction, not a new place
    s.record_attendance("ref-0002", "police", "no_show", PROVIDER)
    with pytest.raises(RuleBroken) as full:
        s.record_attendance("ref-0003", "police", "attended", PROVIDER)
    assert full.value.status == 409 and s.attended == 1


async def test_an_aggregate_document_stays_bounded_however_many_events_it_takes(store, identities):
    from shared.write.aggregates import APPLIED_WINDOW

    await ingest(store, course(), session(), identities=identities)
    first = attended("ref-0001")
    await ingest(store, first, identities=identities)
    for n in range(APPLIED_WINDOW + 50):  # corrections, each a new event
        await ingest(store, attended("ref-0001", outcome=("no_show", "attended")[n % 2]), identities=identities)
    stored = store.docs[("sessions", "doncaster/s1")]
    assert len(stored.applied) == APPLIED_WINDOW
    assert await ingest(store, first, identities=identities) == ["duplicate"]  # still known, from the registry
