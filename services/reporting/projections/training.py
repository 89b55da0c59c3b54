"""The training read model: one projection per event type, pure functions from event to writes, each keeping the
event as a record of an entity document (shared.read.entities).

The entities: a course (standing, and read as it stands now: its latest record only); a session, with everything that
happens at it (its bookings, attendance, evaluations, and what the training service decided of them: a
cancellation judged in time or late, an evaluation's agreement, a follow-up's timeliness, each attendance's
refresher), filed under the years of its start and of its events, so a period's read finds every session held in
it with all its facts, wherever they were recorded; a needs analysis; a partner programme. A redelivered event
adds nothing. Every record carries its `partnership`, the kind it is read as (`kept_as`: the names below) and
the id it is known by (`_id`, starting with the partnership: `doncaster/c1`):

- the current state of a course, a session, one person at one session (`training_attendance`): each event's
  record is merged over the earlier ones in the order they were projected (as an update would be), and an
  attendance keeps the outcome first recorded beside the latest, so an as-of before a correction sees that;
- one record per event for the other per-person or per-period facts (`training_bookings`,
  `training_evaluations`, `training_surveys`, `training_programmes`: `_id` ends with the event's identity, its
  source and id together, since two systems may use one id), so the figures at a past as-of moment see the
  facts as they were recorded by then, and a later correction does not rewrite an earlier as-of.

What the training service decided from a fact (its `Decision`s) is kept the same way, one record per event,
beside the facts it follows: a cancellation judged in time or late in `training_bookings` (kind `judged`), an
evaluation's agreement and a follow-up's timeliness in `training_evaluations` (kinds `on_the_day_judged` and
`follow_up_judged`), and each attendance's refresher in `training_refreshers`. The figures take the latest
recorded by the as-of moment and compare it; they never apply training's rules themselves.
"""

from __future__ import annotations

from shared.events.envelope import Envelope
from shared.events.training import (AttendanceRecorded, BookingCancelled, BookingMade, BookingPromoted,
                                    BookingWaitlisted, CancellationJudged, CoursePublished, EvaluationFollowedUp,
                                    EvaluationJudged, EvaluationSubmitted, FeedbackSummaryReported, FollowUpJudged,
                                    NeedsAnalysisRecorded, ProgrammeReported, RefresherSet, SessionScheduled)
from shared.read import entities
from shared.read.projection import Upsert
from services.reporting.projections.source import source

COURSES, SESSIONS, ATTENDANCE = "training_courses", "training_sessions", "training_attendance"
BOOKINGS, EVALUATIONS = "training_bookings", "training_evaluations"
SURVEYS, PROGRAMMES = "training_surveys", "training_programmes"
FEEDBACK = "training_feedback_summaries"  # a survey tool's own count, kept with the needs analyses' surveys
REFRESHERS = "training_refreshers"
# where each kind of record is kept: a session's entity holds everything that happens at it
ENTITY_OF = {COURSES: COURSES, SESSIONS: SESSIONS, ATTENDANCE: SESSIONS, BOOKINGS: SESSIONS, EVALUATIONS: SESSIONS,
             REFRESHERS: SESSIONS, SURVEYS: SURVEYS, PROGRAMMES: PROGRAMMES,
             FEEDBACK: SURVEYS}
STATES = (COURSES, SESSIONS, ATTENDANCE)  # the current state of one thing, merged from its records


def _id(event: Envelope, *parts: str) -> str:
    return "/".join((event.partnership, *parts))


def _kept(event: Envelope, kind: str, entity: str, id: str, fields: dict, *days) -> Upsert:
    """`fields` as one record of `kind` (known by `id`; a state's record by `id` and the event), in the document
    of `entity`, filed under the years of the event and of `days`."""
    record = {"_id": f"{id}/{event.identity}" if kind in STATES else id, "kept_as": kind, **fields}
    return entities.filed(ENTITY_OF[kind], event.partnership, entity, record, entities.span(event.time, *days),
                          True if kind == COURSES else None, latest_only=kind == COURSES)


def course_published(event: Envelope, data: CoursePublished) -> list[Upsert]:
    return [_kept(event, COURSES, f"course/{data.course_id}", _id(event, data.course_id),
                  {"title": data.title, "competencies": list(data.competencies), "level": data.level,
                   "competency_items": list(data.competency_items), "delivery_modes": list(data.delivery_modes),
                   "serves": list(data.serves), "refresher_months": data.refresher_months, **source(event)})]


def session_scheduled(event: Envelope, data: SessionScheduled) -> list[Upsert]:
    return [_kept(event, SESSIONS, f"session/{data.session_id}", _id(event, data.session_id),
                  {"course_id": data.course_id, "delivery_mode": data.delivery_mode, "starts_at": data.starts_at,
                   "capacity": data.capacity, **source(event)}, data.starts_at)]


def attendance_recorded(event: Envelope, data: AttendanceRecorded) -> list[Upsert]:
    """One person at one session (the dashboard's count), as a state: it keeps the outcome first recorded beside
    the latest, so a figure at an as-of moment before a correction shows what was recorded by then."""
    fields = {"session_id": data.session_id, "attendee_agency": data.attendee_agency, "outcome": data.outcome,
              **({"attendee_role": data.attendee_role} if data.attendee_role else {})}
    return [_kept(event, ATTENDANCE, f"session/{data.session_id}", _id(event, data.session_id, data.attendee_ref),
                  {**fields, **source(event)})]


def _booking(kind: str, at_field: str):
    def project(event: Envelope, data) -> list[Upsert]:
        extra = {k: v for k, v in data.model_dump(exclude={"session_id", "attendee_ref", at_field}).items()}
        return [_kept(event, BOOKINGS, f"session/{data.session_id}",
                      _id(event, data.session_id, data.attendee_ref, event.identity),
                      {"kind": kind, "session_id": data.session_id, "attendee_ref": data.attendee_ref,
                       "at": getattr(data, at_field) if at_field else event.time, **extra, **source(event)})]

    project.__name__ = f"booking_{kind}"
    return project


def _evaluation(kind: str, at_field: str):
    def project(event: Envelope, data) -> list[Upsert]:
        answers = data.model_dump(mode="json", exclude={"session_id", "attendee_ref", at_field})
        return [_kept(event, EVALUATIONS, f"session/{data.session_id}",
                      _id(event, data.session_id, data.attendee_ref, event.identity),
                      {"kind": kind, "session_id": data.session_id, "attendee_ref": data.attendee_ref,
                       "at": getattr(data, at_field), **answers, **source(event)})]

    project.__name__ = f"evaluation_{kind}"
    return project


def refresher_set(event: Envelope, data: RefresherSet) -> list[Upsert]:
    """One record per decision: a past as-of moment sees the refresher as set by then."""
    return [_kept(event, REFRESHERS, f"session/{data.session_id}",
                  _id(event, data.session_id, data.attendee_ref, event.identity),
                  {**data.model_dump(mode="json"), **source(event)})]


def needs_analysis_recorded(event: Envelope, data: NeedsAnalysisRecorded) -> list[Upsert]:
    return [_kept(event, SURVEYS, f"survey/{data.survey_id}", _id(event, data.survey_id, event.identity),
                  {**data.model_dump(mode="json"), **source(event)}, data.closed_on)]


def programme_reported(event: Envelope, data: ProgrammeReported) -> list[Upsert]:
    return [_kept(event, PROGRAMMES, f"programme/{data.programme_id}",
                  _id(event, data.programme_id, data.period_start.isoformat(), event.identity),
                  {**data.model_dump(mode="json"), **source(event)}, data.period_start, data.period_end)]


def feedback_summary_reported(event: Envelope, data: FeedbackSummaryReported) -> list[Upsert]:
    return [_kept(event, FEEDBACK, f"feedback/{data.summary_id}", _id(event, "feedback", data.summary_id, event.identity),
                  {**data.model_dump(mode="json"), **source(event)}, data.period_start, data.period_end)]


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
    FeedbackSummaryReported.type_name: feedback_summary_reported,
}
# read-model collection -> the fields its queries filter on
INDEXES = {c: entities.INDEXES for c in (COURSES, SESSIONS, SURVEYS, PROGRAMMES)}
