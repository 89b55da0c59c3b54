"""Stories of what the training service decides from a partner's fact and publishes beside it, in the same write:
whether a cancellation was late, when a refresher falls due, whether an evaluation agrees and whether a follow-up
came on time. Against the in-memory aggregate store: no servers."""

import json

import pytest

from shared.write.aggregates import KeyedLocks, MemoryAggregateStore, UnitOfWork
from shared.events.catalogue import parse_data
from shared.events.envelope import new_event
from shared.write.handling import ingest as ingest_events
from shared.write.identities import MemoryIdentities
from shared.write.rules import Actor
from services.training import handlers

PROVIDER = Actor("dscp-training")
STARTS = "2021-11-04T09:30:00Z"  # a Thursday: the cut-off is Tuesday 2 November, 00:00 London


def event(type_name, **data):
    env = new_event(type_name, data, partnership="doncaster", agency="dscp-training", source="/tests")
    return env, parse_data(env)


def course(refresher_months=36, course_id="c1"):
    return event("training.course.published.v1", course_id=course_id, title="Child Exploitation",
                 competencies=["be_aware"], refresher_months=refresher_months)


def session(starts=STARTS, capacity=1, course_id="c1"):
    return event("training.session.scheduled.v1", session_id="s1", course_id=course_id, delivery_mode="virtual",
                 starts_at=starts, capacity=capacity)


def book(ref, waiting_list=False):
    return event("training.booking.made.v1", session_id="s1", attendee_ref=ref, attendee_agency="schools",
                 booked_at="2021-10-20T10:00:00Z", waiting_list=waiting_list)


def cancel(ref, at):
    return event("training.booking.cancelled.v1", session_id="s1", attendee_ref=ref, cancelled_at=at)


def attended(ref, outcome="attended"):
    return event("training.attendance.recorded.v1", session_id="s1", attendee_ref=ref, attendee_agency="schools",
                 outcome=outcome)


def evaluation(ref, good="agree", impact="strongly_agree"):
    return event("training.evaluation.submitted.v1", session_id="s1", attendee_ref=ref,
                 submitted_at="2021-11-04T12:30:00Z", good_use_of_time=good, positive_impact=impact)


def follow_up(ref, at):
    return event("training.evaluation.followed_up.v1", session_id="s1", attendee_ref=ref, followed_up_at=at,
                 practice="changed")


@pytest.fixture
def store():
    return MemoryAggregateStore()


async def ingest(store, *events):
    return await ingest_events(UnitOfWork(store, KeyedLocks()), handlers.ROUTES, MemoryIdentities(), list(events),
                               PROVIDER)


def published(store, kind="sessions", id="doncaster/s1"):
    return [json.loads(e["value"]) for e in store.docs[(kind, id)].outbox]


def decided(store, type_name, kind="sessions", id="doncaster/s1"):
    return [e["data"] for e in published(store, kind, id) if e["type"] == type_name]


async def test_a_booked_place_given_up_the_day_before_is_judged_late_beside_the_cancellation(store):
    await ingest(store, course(), session(capacity=1), book("ref-0001"), book("ref-0002", waiting_list=True))
    fact, _ = cancel("ref-0001", "2021-11-03T08:00:00Z")
    await ingest(store, (fact, parse_data(fact)))
    after = [e["type"] for e in published(store)][-3:]
    # the fact, what the service decided from it, then the place freed for the first on the waiting list
    assert after == ["training.booking.cancelled.v1", "training.cancellation.judged.v1", "training.booking.promoted.v1"]
    judged = [e for e in published(store) if e["type"] == "training.cancellation.judged.v1"][0]
    assert (judged["source"], judged["time"]) == ("/scp/training", json.loads(fact.to_json())["time"])  # the fact's
    assert judged["data"] == {"session_id": "s1", "attendee_ref": "ref-0001", "cancelled_at": "2021-11-03T08:00:00Z",
                              "session_starts_at": STARTS, "cut_off": "2021-11-02T00:00:00Z", "gave_up_place": True,
                              "late": True}


async def test_a_cancellation_in_time_and_leaving_a_waiting_list_are_never_late(store):
    await ingest(store, course(), session(capacity=1), book("ref-0001"), book("ref-0002", waiting_list=True))
    await ingest(store, cancel("ref-0002", "2021-11-03T08:00:00Z"))  # leaves the waiting list, the day before
    await ingest(store, cancel("ref-0001", "2021-10-25T10:00:00Z"))  # in time
    judged = decided(store, "training.cancellation.judged.v1")
    assert [(j["attendee_ref"], j["gave_up_place"], j["late"]) for j in judged] == [
        ("ref-0002", False, False), ("ref-0001", True, False)]


async def test_a_session_rescheduled_after_a_cancellation_does_not_judge_it_again(store):
    await ingest(store, course(), session(capacity=2), book("ref-0001"))
    await ingest(store, cancel("ref-0001", "2021-11-03T08:00:00Z"))  # late for the 4th
    await ingest(store, session(starts="2021-11-18T09:30:00Z", capacity=2))  # moved a fortnight on
    assert [j["late"] for j in decided(store, "training.cancellation.judged.v1")] == [True]  # the notice they gave


async def test_an_attendance_sets_its_refresher_from_the_sessions_day_and_the_courses_interval(store):
    await ingest(store, course(refresher_months=36), session(capacity=5), attended("ref-0001"),
                 attended("ref-0002", "no_show"))
    assert decided(store, "training.refresher.set.v1") == [
        {"session_id": "s1", "attendee_ref": "ref-0001", "course_id": "c1", "attended_on": "2021-11-04",
         "refresher_months": 36, "due_on": "2024-11-04", "due_soon_from": "2024-08-06"}]  # no refresher for a no-show


async def test_a_course_without_a_refresher_interval_sets_no_refresher(store):
    await ingest(store, course(refresher_months=None), session(capacity=5), attended("ref-0001"))
    assert decided(store, "training.refresher.set.v1") == []
    assert [e["type"] for e in published(store)] == ["training.session.scheduled.v1", "training.attendance.recorded.v1"]


async def test_a_session_rescheduled_after_attendance_sets_its_attendees_refreshers_again(store):
    await ingest(store, course(refresher_months=12), session(capacity=5), attended("ref-0001"),
                 attended("ref-0002", "no_show"))
    await ingest(store, session(starts="2021-11-11T09:30:00Z", capacity=5))  # the day was recorded wrongly
    assert [(r["attendee_ref"], r["attended_on"], r["due_on"]) for r in decided(store, "training.refresher.set.v1")] \
        == [("ref-0001", "2021-11-04", "2022-11-04"), ("ref-0001", "2021-11-11", "2022-11-11")]
    await ingest(store, session(starts="2021-11-11T14:00:00Z", capacity=5))  # the same day: nothing to set again
    assert len(decided(store, "training.refresher.set.v1")) == 2


async def test_a_session_delivers_the_course_as_it_stood_when_scheduled_until_it_is_scheduled_again(store):
    await ingest(store, course(refresher_months=36), session(capacity=5))
    await ingest(store, course(refresher_months=24))  # revised after the session was scheduled
    await ingest(store, attended("ref-0001"))
    assert decided(store, "training.refresher.set.v1")[-1]["due_on"] == "2024-11-04"  # the session's 36 months
    await ingest(store, session(capacity=5))  # sent again: it takes the course's interval as it stands now
    assert decided(store, "training.refresher.set.v1")[-1] == {
        "session_id": "s1", "attendee_ref": "ref-0001", "course_id": "c1", "attended_on": "2021-11-04",
        "refresher_months": 24, "due_on": "2023-11-04", "due_soon_from": "2023-08-06"}
    await ingest(store, course(refresher_months=None), session(capacity=5))  # no refresher any more
    assert decided(store, "training.refresher.set.v1")[-1]["due_on"] is None


async def test_an_evaluation_is_judged_on_each_scale_and_judged_again_when_corrected(store):
    await ingest(store, course(), session(capacity=5), attended("ref-0001"))
    await ingest(store, evaluation("ref-0001", good="agree", impact="neither"))
    await ingest(store, evaluation("ref-0001", good="strongly_agree", impact="agree"))  # the correction
    judged = decided(store, "training.evaluation.judged.v1", "evaluations", "doncaster/s1:ref-0001")
    assert [(j["agreed_good_use_of_time"], j["agreed_positive_impact"], j["agreed_both"]) for j in judged] == [
        (True, False, False), (True, True, True)]
    assert judged[0]["submitted_at"] == "2021-11-04T12:30:00Z"


async def test_a_follow_up_is_judged_on_time_within_six_to_eight_weeks_of_the_session(store):
    await ingest(store, course(), session(capacity=5), attended("ref-0001"))
    await ingest(store, follow_up("ref-0001", "2021-12-31T10:00:00Z"))  # day 57: late
    await ingest(store, follow_up("ref-0001", "2021-12-20T10:00:00Z"))  # corrected: day 46
    judged = decided(store, "training.follow_up.judged.v1", "evaluations", "doncaster/s1:ref-0001")
    assert [(j["window_opens"], j["window_closes"], j["on_time"]) for j in judged] == [
        ("2021-12-16", "2021-12-30", False), ("2021-12-16", "2021-12-30", True)]


async def test_a_retried_fact_decides_nothing_twice(store):
    await ingest(store, course(), session(capacity=5))
    once = attended("ref-0001")
    await ingest(store, once)
    assert await ingest(store, once) == ["duplicate"]
    assert len(decided(store, "training.refresher.set.v1")) == 1
