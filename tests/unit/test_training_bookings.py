"""Stories of bookings, waiting lists, evaluations and partner reports, against the in-memory aggregate store."""

import json

import pytest

from shared.write.aggregates import KeyedLocks, MemoryAggregateStore, UnitOfWork
from shared.events.catalogue import parse_data
from shared.events.envelope import new_event
from shared.write.handling import EventRefused, ingest as ingest_events
from shared.http.ingest import validate
from shared.write.identities import MemoryIdentities
from shared.write.rules import Actor
from services.training import handlers
from tests.generated_events import an_accepted

PROVIDER = Actor("dscp-training")
POLICE = Actor("south-yorkshire-police")
STARTS = "2021-11-04T09:30:00Z"  # a Thursday: the cut-off is Tuesday 2 November, 00:00 London


def event(type_name, agency="dscp-training", **data):
    env = new_event(type_name, data, partnership="doncaster", agency=agency, source="/tests")
    return env, parse_data(env)


def course():
    return event("training.course.published.v1", course_id="c1", title="Child Exploitation", level="L2",
                 competencies=["be_aware"], competency_items=["recognise.c", "respond.e"], delivery_modes=["virtual"],
                 serves=["priority-2", "child-exploitation-strategy"], refresher_months=36)


def session(capacity=2):
    return event("training.session.scheduled.v1", session_id="s1", course_id="c1", delivery_mode="virtual",
                 starts_at=STARTS, capacity=capacity)


def book(ref, waiting_list=False, agency="dscp-training", attendee_agency="schools", at="2021-10-20T10:00:00Z"):
    return event("training.booking.made.v1", agency=agency, session_id="s1", attendee_ref=ref,
                 attendee_agency=attendee_agency, booked_at=at, waiting_list=waiting_list)


def cancel(ref, at="2021-10-25T10:00:00Z"):
    return event("training.booking.cancelled.v1", session_id="s1", attendee_ref=ref, cancelled_at=at)


def attended(ref, outcome="attended"):
    return event("training.attendance.recorded.v1", session_id="s1", attendee_ref=ref, attendee_agency="schools",
                 outcome=outcome)


def evaluation(ref, at="2021-11-04T12:30:00Z", agency="dscp-training"):
    return event("training.evaluation.submitted.v1", agency=agency, session_id="s1", attendee_ref=ref,
                 submitted_at=at, good_use_of_time="agree", positive_impact="strongly_agree",
                 comments="Really useful and easy to take on board.")


@pytest.fixture
def store():
    return MemoryAggregateStore()


async def ingest(store, *events, actor=PROVIDER):
    return await ingest_events(UnitOfWork(store, KeyedLocks()), handlers.ROUTES, MemoryIdentities(), list(events),
                               actor)


def outbox_types(store, kind="sessions", id="doncaster/s1"):
    return [e["type"] for e in store.docs[(kind, id)].outbox]


async def refused(store, *events, actor=PROVIDER):
    with pytest.raises(EventRefused) as refusal:
        await ingest(store, *events, actor=actor)
    return refusal.value


async def test_a_course_keeps_its_level_competency_items_modes_priorities_and_refresher(store):
    await ingest(store, course())
    details = store.docs[("courses", "doncaster/c1")].state["details"]
    assert details == {"level": "L2", "competency_items": ["recognise.c", "respond.e"], "delivery_modes": ["virtual"],
                       "serves": ["priority-2", "child-exploitation-strategy"], "refresher_months": 36}


def test_a_competency_item_the_core_principles_do_not_have_is_refused():
    with pytest.raises(Exception, match="Core Principles"):
        event("training.course.published.v1", course_id="c1", title="T", competency_items=["recognise.e"])


async def test_a_booking_beyond_capacity_is_refused_naming_the_session(store):
    await ingest(store, course(), session(capacity=2), book("ref-0001"), book("ref-0002"))
    refusal = await refused(store, book("ref-0003"))
    assert refusal.rule.status == 409 and refusal.rule.field == "data.session_id"
    assert "waiting_list" in refusal.rule.message


async def test_a_full_session_puts_a_booking_that_asks_on_its_waiting_list_and_says_so(store):
    await ingest(store, course(), session(capacity=1), book("ref-0001"), book("ref-0002", waiting_list=True))
    state = store.docs[("sessions", "doncaster/s1")].state
    assert state["waiting"] == ["ref-0002"] and state["bookings"]["ref-0002"]["status"] == "waiting"
    assert outbox_types(store)[-2:] == ["training.booking.made.v1", "training.booking.waitlisted.v1"]
    derived = json.loads(store.docs[("sessions", "doncaster/s1")].outbox[-1]["value"])
    assert derived["source"] == "/scp/training" and derived["data"]["position"] == 1


async def test_a_cancellation_frees_a_place_for_the_first_on_the_waiting_list(store):
    await ingest(store, course(), session(capacity=1), book("ref-0001"), book("ref-0002", waiting_list=True),
                 book("ref-0003", waiting_list=True))
    await ingest(store, cancel("ref-0001"))
    state = store.docs[("sessions", "doncaster/s1")].state
    assert state["bookings"]["ref-0002"]["status"] == "booked" and state["waiting"] == ["ref-0003"]
    assert "ref-0001" not in state["bookings"]
    promoted = json.loads(store.docs[("sessions", "doncaster/s1")].outbox[-1]["value"])
    assert promoted["type"] == "training.booking.promoted.v1"
    assert promoted["data"]["attendee_ref"] == "ref-0002" and promoted["data"]["freed_by"] == "ref-0001"


async def test_a_retried_cancellation_promotes_nobody_twice(store):
    await ingest(store, course(), session(capacity=1), book("ref-0001"), book("ref-0002", waiting_list=True))
    once = cancel("ref-0001")
    await ingest(store, once)
    assert await ingest(store, once) == ["duplicate"]
    assert outbox_types(store).count("training.booking.promoted.v1") == 1


async def test_a_place_freed_after_the_session_started_goes_to_nobody(store):
    await ingest(store, course(), session(capacity=1), book("ref-0001"), book("ref-0002", waiting_list=True))
    await ingest(store, cancel("ref-0001", at="2021-11-04T10:00:00Z"))
    assert store.docs[("sessions", "doncaster/s1")].state["waiting"] == ["ref-0002"]


def test_a_partner_may_not_send_the_services_own_waiting_list_events():
    for type_name in ("training.booking.promoted.v1", "training.booking.waitlisted.v1"):
        sent = json.loads(an_accepted(type_name).envelope.to_json())
        incoming, errors = validate([sent], "training")
        assert not incoming and [(e["loc"], e["type"]) for e in errors] == [(["body", 0, "type"], "decided_by_service")]


async def test_cancelling_a_booking_nobody_made_is_refused(store):
    await ingest(store, course(), session())
    assert (await refused(store, cancel("ref-0009"))).rule.field == "data.attendee_ref"


async def test_a_walk_in_takes_a_place_and_a_booked_person_always_has_theirs(store):
    await ingest(store, course(), session(capacity=2), book("ref-0001"), attended("ref-0009"))
    assert (await refused(store, book("ref-0002"))).rule.status == 409  # one booked plus one walk-in: full
    assert await ingest(store, attended("ref-0001")) == ["accepted"]


async def test_an_agency_books_for_its_own_people_only(store):
    await ingest(store, course(), session())
    own = book("ref-0001", agency="south-yorkshire-police", attendee_agency="south-yorkshire-police")
    assert await ingest(store, own, actor=POLICE) == ["accepted"]
    other = book("ref-0002", agency="south-yorkshire-police", attendee_agency="schools")
    assert (await refused(store, other, actor=POLICE)).rule.status == 403


async def test_an_evaluation_from_someone_who_did_not_attend_is_refused(store):
    await ingest(store, course(), session(), book("ref-0001"), attended("ref-0001", "no_show"))
    refusal = await refused(store, evaluation("ref-0001"))
    assert refusal.rule.field == "data.attendee_ref" and "no_show" in refusal.rule.message
    assert (await refused(store, evaluation("ref-0404"))).rule.field == "data.attendee_ref"


async def test_an_attendee_evaluates_on_the_day_and_follows_up_with_their_manager(store):
    await ingest(store, course(), session(), attended("ref-0001"))
    follow_up = event("training.evaluation.followed_up.v1", session_id="s1", attendee_ref="ref-0001",
                      manager_ref="mgr-0001", followed_up_at="2021-12-20T10:00:00Z", practice="changed",
                      what_changed="Uses the exploitation screening tool at every contact.")
    assert await ingest(store, evaluation("ref-0001"), follow_up) == ["accepted", "accepted"]
    state = store.docs[("evaluations", "doncaster/s1:ref-0001")].state
    assert state["on_the_day"]["good_use_of_time"] == "agree" and state["follow_up"]["practice"] == "changed"


async def test_an_evaluation_dated_before_the_session_is_refused(store):
    await ingest(store, course(), session(), attended("ref-0001"))
    refusal = await refused(store, evaluation("ref-0001", at="2021-11-01T10:00:00Z"))
    assert refusal.rule.field == "data.submitted_at"


async def test_a_partner_programme_period_is_changed_only_by_the_partner_that_reported_it(store):
    report = event("training.programme.reported.v1", agency="south-yorkshire-police", programme_id="child-matters",
                   title="Child Matters", period_start="2021-09-01", period_end="2022-03-31", sessions=81,
                   attendees=4600, serves=["priority-3-c", "neglect-2022-24"])
    assert await ingest(store, report, actor=POLICE) == ["accepted"]
    assert ("programmes", "doncaster/child-matters:2021-09-01:2022-03-31") in store.docs
    again = event("training.programme.reported.v1", programme_id="child-matters", title="Child Matters",
                  period_start="2021-09-01", period_end="2022-03-31", sessions=80, attendees=4600)
    assert (await refused(store, again)).rule.status == 403


def test_a_needs_analysis_cannot_have_more_preferences_than_respondents():
    with pytest.raises(Exception, match="more preferences than respondents"):
        event("training.needs_analysis.recorded.v1", survey_id="tna-2021-22", title="TNA", closed_on="2022-03-31",
              respondents=10, prefer_virtual=6, prefer_face_to_face=4, prefer_e_learning=1)
