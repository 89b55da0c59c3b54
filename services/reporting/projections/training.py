"""The training read model: one projection per collection, pure functions from event to writes.

Every write is an upsert keyed by the fact's natural identity within its partnership, so a redelivered
event rewrites the same document: nothing is counted twice, and the figures are computed from these
documents when they are read. Every document carries its `partnership`, and its `_id` starts with it:
`doncaster/c1`.

Two kinds of document:
- the current state of a course, a session, one person at one session (`training_attendance`, which the
  dashboard reads; it also keeps the outcome first recorded, so an as-of before a correction sees that);
- one document per event for the other per-person or per-period facts (`training_bookings`,
  `training_evaluations`, `training_surveys`, `training_programmes`: `_id` ends with the event's identity, its
  source and id together, since two systems may use one id), so the
  figures at a past as-of moment see the facts as they were recorded by then, and a later correction does
  not rewrite an earlier as-of.

What the training service decided from a fact (its `Decision`s) is kept the same way, one document per event,
beside the facts it follows: a cancellation judged in time or late in `training_bookings` (kind `judged`), an
evaluation's agreement and a follow-up's timeliness in `training_evaluations` (kinds `on_the_day_judged` and
`follow_up_judged`), and each attendance's refresher in `training_refreshers`. The figures take the latest
recorded by the as-of moment and compare it; they never apply training's rules themselves.
"""

from __future__ import annotations

from shared.events.envelope import Envelope
from shared.events.training import (AttendanceRecorded, BookingCancelled, BookingMade, BookingPromoted,
                                    BookingWaitlisted, CancellationJudged, CoursePublished, EvaluationFollowedUp,
                                    EvaluationJudged, EvaluationSubmitted, FollowUpJudged, NeedsAnalysisRecorded,
                                    ProgrammeReported, RefresherSet, SessionScheduled)
from shared.read.projection import Upsert
from services.reporting.projections.source import source

COURSES, SESSIONS, ATTENDANCE = "training_courses", "training_sessions", "training_attendance"
BOOKINGS, EVALUATIONS = "training_bookings", "training_evaluations"
SURVEYS, PROGRAMMES = "training_surveys", "training_programmes"
REFRESHERS = "training_refreshers"


def _id(event: Envelope, *parts: str) -> str:
    return "/".join((event.partnership, *parts))


def course_published(event: Envelope, data: CoursePublished) -> list[Upsert]:
    return [Upsert(COURSES, _id(event, data.course_id),
                   {"title": data.title, "competencies": list(data.competencies), "level": data.level,
                    "competency_items": list(data.competency_items), "delivery_modes": list(data.delivery_modes),
                    "serves": list(data.serves), "refresher_months": data.refresher_months, **source(event)})]


def session_scheduled(event: Envelope, data: SessionScheduled) -> list[Upsert]:
    return [Upsert(SESSIONS, _id(event, data.session_id),
                   {"course_id": data.course_id, "delivery_mode": data.delivery_mode, "starts_at": data.starts_at,
                    "capacity": data.capacity, **source(event)})]


def attendance_recorded(event: Envelope, data: AttendanceRecorded) -> list[Upsert]:
    """One document per person per session (the dashboard's count). It keeps the outcome first recorded beside the
    latest, so a figure at an as-of moment before a correction shows what was recorded by then."""
    fields = {"session_id": data.session_id, "attendee_agency": data.attendee_agency, "outcome": data.outcome,
              **({"attendee_role": data.attendee_role} if data.attendee_role else {})}
    return [Upsert(ATTENDANCE, _id(event, data.session_id, data.attendee_ref), {**fields, **source(event)},
                   {"first_outcome": data.outcome, "first_event_time": event.time, "first_event_id": event.id})]


def _booking(kind: str, at_field: str):
    def project(event: Envelope, data) -> list[Upsert]:
        extra = {k: v for k, v in data.model_dump(exclude={"session_id", "attendee_ref", at_field}).items()}
        return [Upsert(BOOKINGS, _id(event, data.session_id, data.attendee_ref, event.identity),
                       {"kind": kind, "session_id": data.session_id, "attendee_ref": data.attendee_ref,
                        "at": getattr(data, at_field) if at_field else event.time, **extra, **source(event)})]

    project.__name__ = f"booking_{kind}"
    return project


def _evaluation(kind: str, at_field: str):
    def project(event: Envelope, data) -> list[Upsert]:
        answers = data.model_dump(mode="json", exclude={"session_id", "attendee_ref", at_field})
        return [Upsert(EVALUATIONS, _id(event, data.session_id, data.attendee_ref, event.identity),
                       {"kind": kind, "session_id": data.session_id, "attendee_ref": data.attendee_ref,
                        "at": getattr(data, at_field), **answers, **source(event)})]

    project.__name__ = f"evaluation_{kind}"
    return project


def refresher_set(event: Envelope, data: RefresherSet) -> list[Upsert]:
    """One document per decision: a past as-of moment sees the refresher as set by then."""
    return [Upsert(REFRESHERS, _id(event, data.session_id, data.attendee_ref, event.identity),
                   {**data.model_dump(mode="json"), **source(event)})]


def needs_analysis_recorded(event: Envelope, data: NeedsAnalysisRecorded) -> list[Upsert]:
    return [Upsert(SURVEYS, _id(event, data.survey_id, event.identity),
                   {**data.model_dump(mode="json"), **source(event)})]


def programme_reported(event: Envelope, data: ProgrammeReported) -> list[Upsert]:
    return [Upsert(PROGRAMMES, _id(event, data.programme_id, data.period_start.isoformat(), event.identity),
                   {**data.model_dump(mode="json"), **source(event)})]


HANDLERS = {
    CoursePublished.type_name: course_published,
    SessionScheduled.type_name: session_scheduled,
    AttendanceRecorded.type_name: attendance_recorded,
    BookingMade.type_name: _booking("made", "booked_at"),
    BookingWaitlisted.type_name: _booking("waitlisted", ""),
    BookingPromoted.type_name: _booking("promoted", "promoted_at"),
    BookingCancelled.type_name: _booking("cancelled", "cancelled_at"),
    CancellationJudged.type_name: _booking("judged", "cancelled_at"),
    EvaluationSubmitted.type_name: _evaluation("on_the_day", "submitted_at"),
    EvaluationFollowedUp.type_name: _evaluation("follow_up", "followed_up_at"),
    EvaluationJudged.type_name: _evaluation("on_the_day_judged", "submitted_at"),
    FollowUpJudged.type_name: _evaluation("follow_up_judged", "followed_up_at"),
    RefresherSet.type_name: refresher_set,
    NeedsAnalysisRecorded.type_name: needs_analysis_recorded,
    ProgrammeReported.type_name: programme_reported,
}
# read-model collection -> the fields its queries filter on
INDEXES = {COURSES: ["partnership"], SESSIONS: ["partnership"], ATTENDANCE: ["partnership"],
           BOOKINGS: ["partnership"], EVALUATIONS: ["partnership"],
           SURVEYS: ["partnership"], PROGRAMMES: ["partnership"], REFRESHERS: ["partnership"]}
