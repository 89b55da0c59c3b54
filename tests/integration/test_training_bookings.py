"""Bookings, evaluations, refreshers and partner programmes through the training API, Kafka, the projector
and the reporting JSON endpoints, on the real servers."""

from shared.events.envelope import new_event
from tests.harness import eventually
from tests.read_model import EVER, stored_records

LMS, POLICE = "dscp-training", "south-yorkshire-police"


def ev(type_name, time, agency=LMS, **data):
    return new_event(type_name, data, partnership="doncaster", agency=agency, source=f"/partners/{agency}/lms",
                     time=time)


def course(refresher_months=None):
    return ev("training.course.published.v1", "2021-10-01T09:00:00+01:00", course_id="l1", title="L1 Safeguarding",
              level="L1", competencies=["be_aware", "recognise"], serves=["priority-3"],
              refresher_months=refresher_months)


def session(session_id="s1", starts="2021-11-04T09:30:00Z", capacity=1):
    return ev("training.session.scheduled.v1", "2021-10-02T09:00:00+01:00", session_id=session_id, course_id="l1",
              delivery_mode="face_to_face", starts_at=starts, capacity=capacity)


def book(ref, waiting_list=False, session_id="s1", when="2021-10-20T10:00:00+01:00"):
    return ev("training.booking.made.v1", when, session_id=session_id, attendee_ref=ref, attendee_agency="schools",
              booked_at=when, waiting_list=waiting_list)


def cancel(ref, when, session_id="s1"):
    return ev("training.booking.cancelled.v1", when, session_id=session_id, attendee_ref=ref, cancelled_at=when)


def attendance(ref, outcome="attended", session_id="s1", when="2021-11-04T13:00:00Z"):
    return ev("training.attendance.recorded.v1", when, session_id=session_id, attendee_ref=ref,
              attendee_agency="schools", outcome=outcome)


async def accepted(stack, events, key):
    response = await stack.post(events, key)
    assert response.status_code == 202, response.text
    return response.json()


async def test_a_cancellation_promotes_the_first_on_the_waiting_list_and_a_booking_beyond_capacity_is_refused(stack):
    key = await stack.key()
    await accepted(stack, [course(), session(capacity=1), book("ref-0001"), book("ref-0002", waiting_list=True)], key)
    beyond = await stack.post([book("ref-0003")], key)
    assert beyond.status_code == 409, beyond.text
    assert beyond.json()["errors"][0]["loc"] == ["body", 0, "data", "session_id"]
    await accepted(stack, [cancel("ref-0001", "2021-10-25T10:00:00+01:00")], key)

    await stack.start_projector()

    async def promoted():
        figures = await stack.figures("training/bookings", as_of="2021-10-31")
        return figures if figures["promoted_from_waiting_list"] == 1 else None

    figures = await eventually(promoted)
    assert (figures["booked"], figures["waiting"], figures["cancelled_in_time"]) == (1, 0, 1)
    assert figures["upcoming_sessions"] == [{"session_id": "s1", "capacity": 1, "booked": 1, "waiting": 0,
                                             "fill_rate": 1.0}]
    before = await stack.figures("training/bookings", as_of="2021-10-21")
    assert (before["booked"], before["waiting"], before["promoted_from_waiting_list"]) == (1, 1, 0)
    records = await stack.read_topic(stack.topic, expect=7)
    assert [r for r in records if b"training.booking.promoted.v1" in r.value]  # the service's own event, published


async def test_a_late_cancellation_and_a_no_show_are_counted_as_such(stack):
    key = await stack.key()
    await accepted(stack, [course(), session(capacity=5), book("ref-0001"), book("ref-0002"), book("ref-0003")], key)
    await accepted(stack, [cancel("ref-0001", "2021-11-03T08:00:00Z")], key)  # the day before a Thursday: late
    await accepted(stack, [attendance("ref-0002", "no_show"), attendance("ref-0003")], key)
    await stack.start_projector()

    async def counted():
        figures = await stack.figures("training/attendance", as_of="2021-11-30")
        return figures if figures["no_shows"] == 1 and figures["attendances"] == 1 else None

    figures = await eventually(counted)
    assert figures["late_cancellations"] == 1 and figures["late_cancellation_rate"] == 0.333
    assert figures["no_show_rate"] == 0.5 and figures["fill_rate"] == 0.2
    bookings = await stack.figures("training/bookings", as_of="2021-11-30")
    assert (bookings["cancelled_late"], bookings["cancelled_in_time"], bookings["no_shows_among_booked"]) == (1, 0, 1)
    dashboard = await stack.dashboard()
    assert dashboard["attendances"] == 1 and dashboard["no_shows"] == 1


async def test_an_evaluation_from_someone_who_did_not_attend_is_refused(stack):
    key = await stack.key()
    await accepted(stack, [course(), session(capacity=5), attendance("ref-0001"), attendance("ref-0002", "no_show")],
                   key)
    on_the_day = dict(submitted_at="2021-11-04T13:00:00Z", good_use_of_time="agree", positive_impact="agree")
    refused = await stack.post([ev("training.evaluation.submitted.v1", "2021-11-04T13:00:00Z", session_id="s1",
                                   attendee_ref="ref-0002", **on_the_day)], key)
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["loc"] == ["body", 0, "data", "attendee_ref"]
    await accepted(stack, [ev("training.evaluation.submitted.v1", "2021-11-04T13:00:00Z", session_id="s1",
                              attendee_ref="ref-0001", **on_the_day)], key)
    await stack.start_projector()

    async def evaluated():
        figures = await stack.figures("training/evaluations", as_of="2021-11-30")
        return figures if figures["responses"] == 1 else None

    figures = await eventually(evaluated)
    assert (figures["attended"], figures["agreed_both"], figures["response_rate"]) == (1, 1, 1.0)


async def test_refreshers_due_at_a_past_as_of_date(stack):
    key = await stack.key()
    await accepted(stack, [course(refresher_months=12), session(capacity=5), attendance("ref-0001"),
                           attendance("ref-0002")], key)
    # ref-0001 took the course again a year on: their refresher is done; ref-0002's is overdue by then
    again = session("s2", starts="2022-10-20T09:30:00+01:00")
    await accepted(stack, [again, attendance("ref-0001", session_id="s2", when="2022-10-20T13:00:00+01:00")], key)
    await stack.start_projector()

    async def overdue():
        figures = await stack.figures("training/competencies", as_of="2022-12-01")
        # the course travels on its own key: wait for it too, not only for the sessions' refreshers
        return figures if figures["refreshers"]["overdue"] == 1 and figures["coverage"]["be_aware"]["people"] else None

    figures = await eventually(overdue)
    assert figures["refreshers"]["people"][0]["attendee_ref"] == "ref-0002"
    assert figures["coverage"]["be_aware"]["people"] == 1
    past = await stack.figures("training/competencies", as_of="2022-09-30")  # before the second session
    assert past["refreshers"]["due_soon"] == 2 and past["refreshers"]["overdue"] == 0
    assert past["coverage"]["recognise"]["by_agency"] == {"schools": 2}
    assert [(p["due"], p["due_soon_from"]) for p in past["refreshers"]["people"]] == [("2022-11-04", "2022-08-06")] * 2
    # the due-soon window is the training service's (90 days), not a reader's choice: asking for another is refused
    other = await stack.reporting.get("/p/doncaster/api/training/competencies", params={"due_within_days": "30"})
    assert other.status_code == 422 and other.json()["errors"][0]["loc"] == ["query", "due_within_days"]


async def test_child_matters_is_reported_apart_and_not_added_into_individual_attendance(stack):
    key, police = await stack.key(), await stack.key(POLICE, ("training.programme.reported.v1",))
    await accepted(stack, [course(), session(capacity=5), attendance("ref-0001")], key)
    report = ev("training.programme.reported.v1", "2022-03-31T17:00:00+01:00", agency=POLICE,
                programme_id="child-matters", title="Child Matters", period_start="2021-09-01",
                period_end="2022-03-31", sessions=81, attendees=4600, serves=["priority-3-c", "neglect-2022-24"])
    await accepted(stack, [report], police)
    await stack.start_projector()

    async def reported():
        figures = await stack.figures("training/programmes", as_of="2022-03-31")
        return figures if figures["programmes"] else None

    figures = await eventually(reported)
    assert [(p["sessions"], p["attendees"], p["reported_by"]) for p in figures["programmes"]] == [(81, 4600, POLICE)]
    assert figures["programmes"][0]["periods"][0]["event_id"] == report.id
    attendance_figures = await stack.figures("training/attendance", as_of="2022-03-31")
    assert attendance_figures["attendances"] == 1 and attendance_figures["people"] == 1
    assert (await stack.dashboard())["attendances"] == 1
    assert (await stack.figures("training/programmes", as_of="2022-03-30"))["programmes"] == []


async def test_a_partner_cannot_send_the_services_own_promotion(stack):
    key = await stack.key()
    await accepted(stack, [course(), session()], key)
    forged = ev("training.booking.promoted.v1", "2021-10-25T10:00:00+01:00", session_id="s1", attendee_ref="ref-0001",
                promoted_at="2021-10-25T10:00:00+01:00", freed_by="ref-0002")
    response = await stack.post([forged], key)
    assert response.status_code == 422, response.text  # a decision of the service's: never sent to it
    assert [(e["loc"], e["type"]) for e in response.json()["errors"]] == [(["body", 0, "type"], "decided_by_service")]


async def test_a_malformed_period_or_as_of_is_refused_naming_the_parameter(stack):
    for params, name in (({"since": "2022-13-01"}, "since"), ({"as_of": "yesterday"}, "as_of")):
        response = await stack.reporting.get("/p/doncaster/api/training/attendance", params=params)
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["loc"] == ["query", name]
    assert (await stack.reporting.get("/p/barnsley/api/training")).status_code == 404


async def test_what_load_filters_on_the_as_of_moment_changes_no_answer(stack):
    """`load` reads only what can count at the as-of moment (an attendance by its first or latest record); every
    figure is what the same functions give from all of the partnership's documents."""
    from datetime import datetime, timezone

    from services.reporting.figures import training as figures
    from services.reporting.projections import training as rm

    key = await stack.key()
    await accepted(stack, [course(refresher_months=12), session(capacity=4), book("ref-0001"), book("ref-0002"),
                           book("ref-0003"), book("ref-0004"), book("ref-0005", waiting_list=True)], key)
    await accepted(stack, [cancel("ref-0001", "2021-11-03T08:00:00Z")], key)  # late: ref-0005 takes the place
    await accepted(stack, [attendance("ref-0002"), attendance("ref-0003", "no_show"), attendance("ref-0005")], key)
    # corrections: ref-0003 did attend (recorded a week on); ref-0002's outcome corrected with an earlier time
    await accepted(stack, [attendance("ref-0003", when="2021-11-11T10:00:00Z"),
                           attendance("ref-0002", "no_show", when="2021-11-04T12:00:00Z")], key)
    await accepted(stack, [ev("training.evaluation.submitted.v1", "2021-11-04T13:30:00Z", session_id="s1",
                              attendee_ref="ref-0005", submitted_at="2021-11-04T13:30:00Z", good_use_of_time="agree",
                              positive_impact="agree"),
                           ev("training.evaluation.followed_up.v1", "2021-12-20T10:00:00Z", session_id="s1",
                              attendee_ref="ref-0005", followed_up_at="2021-12-20T10:00:00Z", practice="changed"),
                           ev("training.needs_analysis.recorded.v1", "2022-03-31T17:00:00+01:00", survey_id="tna",
                              title="TNA", closed_on="2022-03-31", respondents=10, prefer_virtual=5,
                              prefer_face_to_face=3, prefer_e_learning=2),
                           attendance("ref-0004", when="2030-01-01T09:00:00Z")], key)  # sent with a later time
    await stack.start_projector()

    async def projected():
        found = await stack.read_model[rm.SURVEYS].count_documents({"partnership": "doncaster"})  # an entity
        return found or None

    await eventually(projected)
    db = stack.read_model

    async def everything() -> figures.Facts:
        """Every record of every training entity, whatever its moment."""
        return figures.facts_of(await stored_records(db, rm.COURSES, rm.SESSIONS, rm.SURVEYS, rm.PROGRAMMES),
                                "doncaster", EVER)

    whole = await everything()
    assert len(whole.attendance) == 4 and whole.refreshers
    for day in ("2021-10-19", "2021-11-03T09:00:00Z", "2021-11-04T12:30:00Z", "2021-11-05", "2021-11-30",
                "2022-03-31T23:00:00+01:00", "2022-10-20", "2031-01-01"):
        as_of = datetime.fromisoformat(day if "T" in day else f"{day}T23:59:59+00:00").astimezone(timezone.utc)
        loaded = await figures.load(db, "doncaster", as_of)
        assert figures.summary(loaded, as_of) == figures.summary(whole, as_of), day
        assert len(loaded.attendance) <= len(whole.attendance)
    assert len((await figures.load(db, "doncaster", datetime(2021, 11, 30, tzinfo=timezone.utc))).attendance) == 3
    from services.reporting.dashboard import training_figures
    tiles = await training_figures(db, "doncaster")  # as of now: the attendance sent with a later time is not counted
    assert tiles["attendances"] == 2 and tiles["last_event_at"] == "2030-01-01T09:00:00+00:00"  # but shown, as ever
