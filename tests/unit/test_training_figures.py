"""Stories of the training figures: events through the training service's rules, its outbox, the reporting
projections (an in-memory sink), then the figures at an as-of moment. No servers."""

from collections import Counter
from datetime import datetime

from shared.write.aggregates import KeyedLocks, MemoryAggregateStore, UnitOfWork
from shared.events.catalogue import parse_data
from shared.events.envelope import Envelope, new_event
from shared.write.handling import ingest
from shared.write.identities import MemoryIdentities
from shared.read.projection import MemorySink
from shared.write.rules import Actor
from services.reporting.figures import training as figures
from services.reporting.projections import HANDLERS
from services.training import handlers
from tests.read_model import training_facts


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def ev(type_name, time, agency="dscp-training", **data):
    return new_event(type_name, data, partnership="doncaster", agency=agency, source=f"/tests/{agency}", time=at(time))


class World:
    """The training service and the reporting read model, in memory."""

    def __init__(self):
        self.store, self.identities, self.sink = MemoryAggregateStore(), MemoryIdentities(), MemorySink()
        self.published = 0

    async def send(self, *events: Envelope, agency="dscp-training"):
        statuses = await ingest(UnitOfWork(self.store, KeyedLocks()), handlers.ROUTES, self.identities,
                                [(e, parse_data(e)) for e in events], Actor(agency))
        for stored in self.store.docs.values():
            for entry in stored.outbox:
                envelope = Envelope.from_json(entry["value"])
                await self.sink.apply(HANDLERS[envelope.type](envelope, parse_data(envelope)))
            stored.outbox = []
        return statuses

    def facts(self) -> figures.Facts:
        return training_facts(self.sink)


def course(course_id="ce", refresher_months=None, serves=("priority-2",)):
    return ev("training.course.published.v1", "2021-10-01T09:00:00+01:00", course_id=course_id,
              title="Child Exploitation", competencies=["be_aware"], competency_items=["recognise.c"],
              serves=list(serves), refresher_months=refresher_months)


def session(session_id="s1", starts="2021-11-04T09:30:00+00:00", capacity=2, course_id="ce"):
    return ev("training.session.scheduled.v1", "2021-10-02T09:00:00+01:00", session_id=session_id,
              course_id=course_id, delivery_mode="virtual", starts_at=starts, capacity=capacity)


def book(ref, when="2021-10-20T10:00:00+01:00", waiting_list=False, session_id="s1"):
    return ev("training.booking.made.v1", when, session_id=session_id, attendee_ref=ref, attendee_agency="schools",
              booked_at=when, waiting_list=waiting_list)


def cancel(ref, when, session_id="s1"):
    return ev("training.booking.cancelled.v1", when, session_id=session_id, attendee_ref=ref, cancelled_at=when)


def attendance(ref, outcome="attended", session_id="s1", when="2021-11-04T13:00:00+00:00", role="practitioner"):
    return ev("training.attendance.recorded.v1", when, session_id=session_id, attendee_ref=ref,
              attendee_agency="schools", outcome=outcome, attendee_role=role)


async def test_a_promotion_a_late_cancellation_and_a_no_show_are_counted_as_such():
    world = World()
    await world.send(course(), session(capacity=2), book("ref-0001"), book("ref-0002"),
                     book("ref-0003", waiting_list=True))
    await world.send(cancel("ref-0001", "2021-10-25T10:00:00+01:00"))  # in time: ref-0003 takes the place
    await world.send(cancel("ref-0002", "2021-11-03T08:00:00+00:00"))  # the day before: late
    await world.send(attendance("ref-0003", "no_show"))
    b = figures.bookings(world.facts(), at("2021-11-30T00:00:00+00:00"))
    assert (b["bookings"], b["promoted_from_waiting_list"], b["cancelled_in_time"], b["cancelled_late"]) == (3, 1, 1, 1)
    assert b["no_shows_among_booked"] == 1 and b["no_show_rate_among_booked"] == 1.0
    a = figures.attendance(world.facts(), at("2021-11-30T00:00:00+00:00"))
    assert (a["attendances"], a["no_shows"], a["late_cancellations"]) == (0, 1, 1)
    # before the cancellations were made, the waiting list still held ref-0003
    earlier = figures.bookings(world.facts(), at("2021-10-22T00:00:00+01:00"))
    assert (earlier["booked"], earlier["waiting"]) == (2, 1)
    assert earlier["upcoming_sessions"] == [{"session_id": "s1", "capacity": 2, "booked": 2, "waiting": 1,
                                              "fill_rate": 1.0}]


async def test_evaluations_count_responses_agreement_and_follow_ups_as_the_events_make_them():
    world = World()
    await world.send(course(), session(capacity=10), *[attendance(f"ref-000{i}") for i in range(4)])
    answers = [("agree", "strongly_agree"), ("strongly_agree", "agree"), ("agree", "neither")]
    await world.send(*[ev("training.evaluation.submitted.v1", "2021-11-04T13:00:00+00:00", session_id="s1",
                          attendee_ref=f"ref-000{i}", submitted_at="2021-11-04T13:00:00+00:00", good_use_of_time=g,
                          positive_impact=p) for i, (g, p) in enumerate(answers)])
    await world.send(ev("training.evaluation.followed_up.v1", "2021-12-20T10:00:00+00:00", session_id="s1",
                        attendee_ref="ref-0000", followed_up_at="2021-12-20T10:00:00+00:00", practice="changed"))
    e = figures.evaluations(world.facts(), at("2022-03-31T23:59:00+01:00"))
    assert (e["attended"], e["responses"], e["agreed_both"], e["agreed_good_use_of_time"]) == (4, 3, 2, 3)
    assert e["response_rate"] == 0.75 and e["agreement_rate"] == 0.667
    assert e["follow_ups"]["responses"] == 1 and e["follow_ups"]["on_time"] == 1
    before_follow_up = figures.evaluations(world.facts(), at("2021-12-01T00:00:00+00:00"))
    assert before_follow_up["follow_ups"]["responses"] == 0


async def test_refreshers_fall_due_and_competencies_lapse_at_later_as_of_dates():
    world = World()
    await world.send(course(refresher_months=12), session(capacity=10), attendance("ref-0001"),
                     attendance("ref-0002", role="manager"))
    c = figures.competencies(world.facts(), at("2022-03-31T12:00:00+01:00"))
    assert c["coverage"]["be_aware"]["people"] == 2 and c["coverage"]["recognise"]["items"]["recognise.c"] == 2
    assert c["coverage"]["be_aware"]["by_role"] == {"manager": 1, "practitioner": 1}
    assert c["refreshers"]["due_soon"] == 0 and c["refreshers"]["overdue"] == 0
    due = figures.competencies(world.facts(), at("2022-10-01T12:00:00+01:00"))
    assert due["refreshers"]["due_soon"] == 2 and due["refreshers"]["people"][0]["due"] == "2022-11-04"
    lapsed = figures.competencies(world.facts(), at("2022-12-01T12:00:00+00:00"))
    assert lapsed["refreshers"]["overdue"] == 2 and lapsed["coverage"]["be_aware"]["people"] == 0


async def test_a_partner_programme_is_reported_apart_and_never_added_into_attendance():
    world = World()
    await world.send(course(), session(capacity=10), attendance("ref-0001"))
    await world.send(ev("training.programme.reported.v1", "2022-04-05T10:00:00+01:00",
                        agency="south-yorkshire-police", programme_id="child-matters", title="Child Matters",
                        period_start="2021-09-01", period_end="2022-03-31", sessions=81, attendees=4600,
                        serves=["priority-2"]), agency="south-yorkshire-police")
    facts = world.facts()
    assert figures.attendance(facts, at("2022-06-30T00:00:00+01:00"))["attendances"] == 1
    p = figures.programmes(facts, at("2022-06-30T00:00:00+01:00"))["programmes"]
    assert [(x["programme_id"], x["sessions"], x["attendees"]) for x in p] == [("child-matters", 81, 4600)]
    assert figures.programmes(facts, at("2022-03-31T23:00:00+01:00"))["programmes"] == []  # not yet recorded
    served = figures.priorities(facts, at("2022-06-30T00:00:00+01:00"))["served"]
    assert served == [{"id": "priority-2", "courses": ["ce"], "sessions": 1, "people_reached": 1,
                       "partner_programmes": [{"programme_id": "child-matters", "sessions": 81, "attendees": 4600}]}]


async def test_a_later_correction_does_not_change_an_earlier_as_of():
    world = World()
    await world.send(course(), session(capacity=10), attendance("ref-0001"))
    await world.send(attendance("ref-0001", "no_show", when="2021-12-01T10:00:00+00:00"))
    facts = world.facts()
    assert figures.attendance(facts, at("2021-11-30T00:00:00+00:00"))["attendances"] == 1
    assert figures.attendance(facts, at("2021-12-02T00:00:00+00:00"))["no_shows"] == 1


async def test_a_late_cancellation_stays_late_when_the_session_is_moved_afterwards():
    world = World()
    await world.send(course(), session(capacity=2), book("ref-0001"))
    await world.send(cancel("ref-0001", "2021-11-03T08:00:00+00:00"))  # the day before the 4th: late
    await world.send(ev("training.session.scheduled.v1", "2021-11-03T09:00:00+00:00", session_id="s1",
                        course_id="ce", delivery_mode="virtual", starts_at="2021-11-25T09:30:00+00:00", capacity=2))
    b = figures.bookings(world.facts(), at("2021-11-30T00:00:00+00:00"))
    assert (b["cancelled_late"], b["cancelled_in_time"]) == (1, 0)  # judged against the session they had booked


# --- the figures from the training service's decisions, as documents: no service, no database -------------------

T0 = at("2021-10-01T09:00:00+00:00")


def doc(_id, **fields):
    return {"_id": f"doncaster/{_id}", "partnership": "doncaster", "event_id": _id, "event_source": "/tests",
            "event_time": T0, **fields}


def facts(**collections) -> figures.Facts:
    return figures.Facts(courses={"ce": doc("ce", title="Child Exploitation", competencies=["be_aware"])},
                         sessions={"s1": doc("s1", course_id="ce", delivery_mode="virtual", capacity=10,
                                             starts_at=at("2021-11-04T09:30:00+00:00"))},
                         **collections)


def attended_doc(ref):
    return doc(f"s1/{ref}", session_id="s1", attendee_agency="schools", outcome="attended",
               event_time=at("2021-11-04T13:00:00+00:00"))


async def test_a_cancellation_is_late_when_the_service_judged_it_so_and_the_figures_do_not_judge_it_again():
    made = doc("s1/ref-0001/m", kind="made", session_id="s1", attendee_ref="ref-0001", at=T0, attendee_agency="schools")
    cancelled = doc("s1/ref-0001/c", kind="cancelled", session_id="s1", attendee_ref="ref-0001",
                    at=at("2021-10-05T09:00:00+00:00"), event_time=at("2021-10-05T09:00:00+00:00"))
    judged = {**cancelled, "_id": "doncaster/s1/ref-0001/j", "event_id": "decided-1", "event_source": "/scp/training",
              "kind": "judged", "late": True}  # a month ahead, yet late: what the service said is what counts
    as_of = at("2021-11-30T00:00:00+00:00")
    told = facts(bookings=[made, cancelled, judged])
    assert figures.bookings(told, as_of)["cancelled_late"] == 1
    assert figures.attendance(told, as_of)["late_cancellations"] == 1
    untold = facts(bookings=[made, cancelled])  # no judgement recorded: in time
    assert (figures.bookings(untold, as_of)["cancelled_late"], figures.bookings(untold, as_of)["cancelled_in_time"]) \
        == (0, 1)
    before = figures.bookings(told, at("2021-10-05T08:00:00+00:00"))  # neither cancelled nor judged yet
    assert (before["booked"], before["cancelled_late"]) == (1, 0)


def refresher_doc(ref, due_on, due_soon_from, recorded=at("2021-11-04T13:00:00+00:00"), n=1):
    return doc(f"s1/{ref}/r{n}", session_id="s1", attendee_ref=ref, course_id="ce", attended_on="2021-11-04",
               due_on=due_on, due_soon_from=due_soon_from, event_time=recorded, event_source="/scp/training")


async def test_a_refresher_is_current_due_soon_or_overdue_by_comparing_the_days_the_service_set():
    told = facts(attendance=[attended_doc("ref-0001")],
                 refreshers=[refresher_doc("ref-0001", "2022-11-04", "2022-10-25")])
    states = {}
    for day in ("2022-10-24", "2022-10-25", "2022-11-04", "2022-11-05"):
        c = figures.competencies(told, at(f"{day}T12:00:00+00:00"))
        states[day] = (c["refreshers"]["due_soon"], c["refreshers"]["overdue"], c["coverage"]["be_aware"]["people"])
    assert states == {"2022-10-24": (0, 0, 1), "2022-10-25": (1, 0, 1), "2022-11-04": (1, 0, 1),
                      "2022-11-05": (0, 1, 0)}  # overdue: the competency has lapsed
    listed = figures.competencies(told, at("2022-11-05T12:00:00+00:00"))["refreshers"]["people"]
    assert listed == [{"attendee_ref": "ref-0001", "agency": "schools", "course_id": "ce", "attended_on": "2021-11-04",
                       "due": "2022-11-04", "due_soon_from": "2022-10-25", "state": "overdue"}]
    # set again later (the session was rescheduled): the latest recorded by the as-of moment stands
    again = facts(attendance=[attended_doc("ref-0001")],
                  refreshers=[refresher_doc("ref-0001", "2022-11-04", "2022-10-25"),
                              refresher_doc("ref-0001", None, None, recorded=at("2022-01-10T09:00:00+00:00"), n=2)])
    assert figures.competencies(again, at("2021-12-01T12:00:00+00:00"))["refreshers"]["people"] == []
    assert figures.competencies(again, at("2022-11-05T12:00:00+00:00"))["refreshers"]["overdue"] == 0


async def test_agreement_and_on_time_follow_ups_are_counted_as_the_service_judged_them():
    def response(kind, ref, when, **said):
        return doc(f"s1/{ref}/{kind}", kind=kind, session_id="s1", attendee_ref=ref, at=at(when),
                   event_time=at(when), **said)

    day = "2021-11-04T13:00:00+00:00"
    told = facts(attendance=[attended_doc("ref-0001"), attended_doc("ref-0002")], evaluations=[
        response("on_the_day", "ref-0001", day, good_use_of_time="neither", positive_impact="neither"),
        response("on_the_day_judged", "ref-0001", day, agreed_good_use_of_time=True, agreed_positive_impact=True,
                 agreed_both=True),
        response("on_the_day", "ref-0002", day, good_use_of_time="agree", positive_impact="agree"),
        response("follow_up", "ref-0001", "2022-02-01T10:00:00+00:00", practice="changed"),
        response("follow_up_judged", "ref-0001", "2022-02-01T10:00:00+00:00", on_time=True)])
    e = figures.evaluations(told, at("2022-03-31T00:00:00+00:00"))
    # ref-0002's answers would agree, but no judgement of them is recorded: what the service said is what counts
    assert (e["responses"], e["agreed_good_use_of_time"], e["agreed_both"]) == (2, 1, 1)
    assert (e["follow_ups"]["responses"], e["follow_ups"]["on_time"]) == (1, 1)


async def test_one_answer_replays_the_bookings_and_reads_the_attendance_once(monkeypatch):
    world = World()
    await world.send(course(refresher_months=12), session(capacity=2), book("ref-0001"), book("ref-0002"))
    await world.send(cancel("ref-0002", "2021-11-03T08:00:00+00:00"), attendance("ref-0001"))
    calls = Counter()
    for name in ("_booking_history", "_recorded_attendance"):
        work = getattr(figures, name)
        monkeypatch.setattr(figures, name, lambda *a, _work=work, _name=name: (calls.update([_name]), _work(*a))[1])
    summary = figures.summary(world.facts(), at("2021-11-30T00:00:00+00:00"))
    assert calls == {"_booking_history": 1, "_recorded_attendance": 1}
    assert (summary["attendance"]["attendances"], summary["attendance"]["late_cancellations"]) == (1, 1)
