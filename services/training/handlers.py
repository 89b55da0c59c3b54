"""Training's use cases: one handler per event type, applied to aggregates in a unit of work."""

from __future__ import annotations

from shared.aggregates import Scoped
from shared.events.envelope import Envelope
from shared.events.training import AttendanceRecorded, CoursePublished, SessionScheduled
from shared.handling import Route
from shared.rules import Actor, RuleBroken
from services.training.domain.model import Course, Session

COURSES, SESSIONS = "courses", "sessions"
KINDS = (COURSES, SESSIONS)


def publish_course(uow: Scoped, event: Envelope, data: CoursePublished, actor: Actor) -> None:
    state = uow.get(COURSES, data.course_id)
    if state is None:
        course = Course(data.course_id, data.title, list(data.competencies), published_by=actor.agency)
    else:
        course = Course.from_state(state)
        course.revise(data.title, list(data.competencies), actor)
    uow.record(COURSES, data.course_id, course.to_state(), event)


def schedule_session(uow: Scoped, event: Envelope, data: SessionScheduled, actor: Actor) -> None:
    if uow.get(COURSES, data.course_id) is None:
        raise RuleBroken("data.course_id", f"unknown course {data.course_id!r}: publish the course first")
    state = uow.get(SESSIONS, data.session_id)
    starts_at = data.starts_at.isoformat()
    if state is None:
        session = Session(data.session_id, data.course_id, data.delivery_mode, starts_at, data.capacity,
                          scheduled_by=actor.agency)
    else:
        session = Session.from_state(state)
        session.reschedule(data.course_id, data.delivery_mode, starts_at, data.capacity, actor)
    uow.record(SESSIONS, data.session_id, session.to_state(), event)


def record_attendance(uow: Scoped, event: Envelope, data: AttendanceRecorded, actor: Actor) -> None:
    state = uow.get(SESSIONS, data.session_id)
    if state is None:
        raise RuleBroken("data.session_id", f"unknown session {data.session_id!r}: schedule the session first")
    session = Session.from_state(state)
    session.record_attendance(data.attendee_ref, data.attendee_agency, data.outcome, actor)
    uow.record(SESSIONS, data.session_id, session.to_state(), event)


# event type -> its handler, the aggregate it changes, and the aggregates it reads
ROUTES = {
    CoursePublished: Route(publish_course, lambda d: (COURSES, d.course_id)),
    SessionScheduled: Route(schedule_session, lambda d: (SESSIONS, d.session_id), lambda d: [(COURSES, d.course_id)]),
    AttendanceRecorded: Route(record_attendance, lambda d: (SESSIONS, d.session_id)),
}
