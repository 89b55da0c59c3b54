"""Training's use cases: one handler per event type, applied to aggregates in a unit of work."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from shared.aggregates import Key, UnitOfWork
from shared.events.base import EventData
from shared.events.envelope import Envelope
from shared.events.training import AttendanceRecorded, CoursePublished, SessionScheduled
from services.training.domain.model import Course, RuleBroken, Session

COURSES, SESSIONS = "courses", "sessions"
KINDS = (COURSES, SESSIONS)


class EventRefused(Exception):
    """The event at `index` of the request broke a rule."""

    def __init__(self, index: int, rule: RuleBroken):
        super().__init__(rule.message)
        self.index, self.rule = index, rule


def publish_course(uow: UnitOfWork, event: Envelope, data: CoursePublished) -> None:
    course = Course(data.course_id, data.title, list(data.competencies))
    uow.record(COURSES, data.course_id, course.to_state(), event)


def schedule_session(uow: UnitOfWork, event: Envelope, data: SessionScheduled) -> None:
    if uow.get(COURSES, data.course_id) is None:
        raise RuleBroken("data.course_id", f"unknown course {data.course_id!r}: publish the course first")
    state = uow.get(SESSIONS, data.session_id)
    starts_at = data.starts_at.isoformat()
    if state is None:
        session = Session(data.session_id, data.course_id, data.delivery_mode, starts_at, data.capacity)
    else:
        session = Session.from_state(state)
        session.reschedule(data.course_id, data.delivery_mode, starts_at, data.capacity)
    uow.record(SESSIONS, data.session_id, session.to_state(), event)


def record_attendance(uow: UnitOfWork, event: Envelope, data: AttendanceRecorded) -> None:
    state = uow.get(SESSIONS, data.session_id)
    if state is None:
        raise RuleBroken("data.session_id", f"unknown session {data.session_id!r}: schedule the session first")
    session = Session.from_state(state)
    session.record_attendance(data.attendee_ref, data.attendee_agency, data.outcome)
    uow.record(SESSIONS, data.session_id, session.to_state(), event)


Handler = Callable[[UnitOfWork, Envelope, EventData], None]
# event type -> (handler, the aggregate it changes, the aggregates it reads)
HANDLERS: dict[type[EventData], tuple[Handler, Callable[[EventData], Key], Callable[[EventData], list[Key]]]] = {
    CoursePublished: (publish_course, lambda d: (COURSES, d.course_id), lambda d: []),
    SessionScheduled: (schedule_session, lambda d: (SESSIONS, d.session_id), lambda d: [(COURSES, d.course_id)]),
    AttendanceRecorded: (record_attendance, lambda d: (SESSIONS, d.session_id), lambda d: []),
}


def apply_all(uow: UnitOfWork, events: Sequence[tuple[Envelope, EventData]]) -> list[str]:
    """Apply events in order; an event already applied to its aggregate is a duplicate, not a change."""
    statuses = []
    for index, (event, data) in enumerate(events):
        handler, target, _ = HANDLERS[type(data)]
        if uow.has_applied(*target(data), event.id):
            statuses.append("duplicate")
            continue
        try:
            handler(uow, event, data)
        except RuleBroken as rule:
            raise EventRefused(index, rule) from rule
        statuses.append("accepted")
    return statuses


async def ingest(uow: UnitOfWork, events: Sequence[tuple[Envelope, EventData]]) -> list[str]:
    """All events or none: the batch is checked whole in memory before anything is stored."""
    keys: list[Key] = []
    for _, data in events:
        _, target, reads = HANDLERS[type(data)]
        keys += [target(data), *reads(data)]
    return await uow.run(keys, lambda u: apply_all(u, events))
