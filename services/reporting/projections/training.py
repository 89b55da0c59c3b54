"""The training read model: one projection per collection, pure functions from event to writes.

Every write is an upsert keyed by the fact's natural identity within its partnership (a course, a
session, one person at one session), so a redelivered event rewrites the same document: nothing is
counted twice, and the figures are computed from these documents when they are read. Every
document carries its `partnership`, and its `_id` starts with it: `doncaster/c1`.
"""

from __future__ import annotations

from shared.events.envelope import Envelope
from shared.events.training import AttendanceRecorded, CoursePublished, SessionScheduled
from shared.projection import Upsert

COURSES, SESSIONS, ATTENDANCE = "training_courses", "training_sessions", "training_attendance"


def _source(event: Envelope) -> dict:
    """Where a document's figures come from: every document names its latest event (traceability)."""
    return {"partnership": event.partnership, "event_id": event.id, "event_time": event.time,
            "emitted_by": event.agency}


def _id(event: Envelope, *parts: str) -> str:
    return "/".join((event.partnership, *parts))


def course_published(event: Envelope, data: CoursePublished) -> list[Upsert]:
    return [Upsert(COURSES, _id(event, data.course_id),
                   {"title": data.title, "competencies": list(data.competencies), **_source(event)})]


def session_scheduled(event: Envelope, data: SessionScheduled) -> list[Upsert]:
    return [Upsert(SESSIONS, _id(event, data.session_id),
                   {"course_id": data.course_id, "delivery_mode": data.delivery_mode, "starts_at": data.starts_at,
                    "capacity": data.capacity, **_source(event)})]


def attendance_recorded(event: Envelope, data: AttendanceRecorded) -> list[Upsert]:
    return [Upsert(ATTENDANCE, _id(event, data.session_id, data.attendee_ref),
                   {"session_id": data.session_id, "attendee_agency": data.attendee_agency, "outcome": data.outcome,
                    **_source(event)})]


HANDLERS = {
    CoursePublished.type_name: course_published,
    SessionScheduled.type_name: session_scheduled,
    AttendanceRecorded.type_name: attendance_recorded,
}
# read-model collection -> the fields its queries filter on
INDEXES = {COURSES: ["partnership"], SESSIONS: ["partnership"], ATTENDANCE: ["partnership"]}
