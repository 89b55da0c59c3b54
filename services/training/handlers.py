"""Training's use cases: one handler per event type, applied to aggregates in a unit of work.

A booking's waiting list is the service's own rule, so when it puts a booking on a waiting list or promotes
the first on it, it says so in an event of its own (`training.booking.waitlisted.v1`,
`training.booking.promoted.v1`, source /services/training), stored in the same outbox as the partner's event
that caused it: the read model sees what the service decided. Its id is derived from the causing event's
identity, so it is made once however often the partner retries. Partners may not send these two types.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from shared.aggregates import Scoped
from shared.events.base import EventData
from shared.events.envelope import Envelope
from shared.events.training import (AttendanceRecorded, BookingCancelled, BookingMade, BookingPromoted,
                                    BookingWaitlisted, CoursePublished, EvaluationFollowedUp, EvaluationSubmitted,
                                    NeedsAnalysisRecorded, ProgrammeReported, SessionScheduled)
from shared.handling import Route
from shared.rules import FORBIDDEN, Actor, RuleBroken
from services.training.domain.model import Course, Evaluation, Recorded, Session

COURSES, SESSIONS, EVALUATIONS, SURVEYS, PROGRAMMES = "courses", "sessions", "evaluations", "surveys", "programmes"
KINDS = (COURSES, SESSIONS, EVALUATIONS, SURVEYS, PROGRAMMES)
SERVICE_SOURCE = "/services/training"
DERIVED = uuid.uuid5(uuid.NAMESPACE_URL, "https://scp.example/services/training/derived")


def publish_course(uow: Scoped, event: Envelope, data: CoursePublished, actor: Actor) -> None:
    state = uow.get(COURSES, data.course_id)
    details = data.model_dump(mode="json", include={"level", "competency_items", "delivery_modes", "serves",
                                                    "refresher_months"})
    if state is None:
        course = Course(data.course_id, data.title, list(data.competencies), published_by=actor.agency, details=details)
    else:
        course = Course.from_state(state)
        course.revise(data.title, list(data.competencies), actor, details)
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


def _session(uow: Scoped, session_id: str) -> Session:
    state = uow.get(SESSIONS, session_id)
    if state is None:
        raise RuleBroken("data.session_id", f"unknown session {session_id!r}: schedule the session first")
    return Session.from_state(state)


def record_attendance(uow: Scoped, event: Envelope, data: AttendanceRecorded, actor: Actor) -> None:
    session = _session(uow, data.session_id)
    session.record_attendance(data.attendee_ref, data.attendee_agency, data.outcome, actor)
    uow.record(SESSIONS, data.session_id, session.to_state(), event)


def derived(cause: Envelope, data: EventData, agency: str) -> Envelope:
    """The service's own event about what `cause` led to: same partnership, time and correlation, fixed id."""
    return Envelope(id=str(uuid.uuid5(DERIVED, f"{cause.partnership}/{cause.identity}/{data.type_name}")),
                    source=SERVICE_SOURCE, type=data.type_name, time=cause.time, subject=data.aggregate_id(),
                    agency=agency, partnership=cause.partnership, correlationid=cause.correlationid,
                    schemaversion=1, data=data.model_dump(mode="json"),
                    dataschema=f"https://schemas.scp.example/{data.type_name}.json")


def make_booking(uow: Scoped, event: Envelope, data: BookingMade, actor: Actor) -> None:
    session = _session(uow, data.session_id)
    position = session.book(data.attendee_ref, data.attendee_agency, data.attendee_role, data.waiting_list, actor)
    uow.record(SESSIONS, data.session_id, session.to_state(), event)
    if position is not None:
        waitlisted = BookingWaitlisted(session_id=data.session_id, attendee_ref=data.attendee_ref, position=position)
        said = derived(event, waitlisted, session.scheduled_by or actor.agency)
        uow.record(SESSIONS, data.session_id, session.to_state(), said)


def cancel_booking(uow: Scoped, event: Envelope, data: BookingCancelled, actor: Actor) -> None:
    session = _session(uow, data.session_id)
    promoted = session.cancel(data.attendee_ref, data.cancelled_at < datetime.fromisoformat(session.starts_at), actor)
    uow.record(SESSIONS, data.session_id, session.to_state(), event)
    if promoted is not None:
        promotion = BookingPromoted(session_id=data.session_id, attendee_ref=promoted, promoted_at=data.cancelled_at,
                                    freed_by=data.attendee_ref)
        said = derived(event, promotion, session.scheduled_by or actor.agency)
        uow.record(SESSIONS, data.session_id, session.to_state(), said)


def only_the_service(uow: Scoped, event: Envelope, data: EventData, actor: Actor) -> None:
    raise RuleBroken("type", f"{event.type} is made by the training service itself when it applies a booking or a "
                             "cancellation; a partner does not send it", status=FORBIDDEN)


def _evaluation(uow: Scoped, data: EvaluationSubmitted | EvaluationFollowedUp, at: datetime, what: str,
                at_field: str) -> tuple[Session, Evaluation]:
    session = _session(uow, data.session_id)
    session.check_attended(data.attendee_ref, what)
    if at < datetime.fromisoformat(session.starts_at):
        raise RuleBroken(at_field, f"{what} cannot come before the session started ({session.starts_at})")
    state = uow.get(EVALUATIONS, evaluation_id(data))
    return session, Evaluation.from_state(state) if state else Evaluation(data.session_id, data.attendee_ref)


def evaluation_id(data: EvaluationSubmitted | EvaluationFollowedUp) -> str:
    return f"{data.session_id}:{data.attendee_ref}"


def submit_evaluation(uow: Scoped, event: Envelope, data: EvaluationSubmitted, actor: Actor) -> None:
    session, evaluation = _evaluation(uow, data, data.submitted_at, "an evaluation", "data.submitted_at")
    session.may_act_for(actor, session.attendance[data.attendee_ref]["agency"], "an evaluation")
    evaluation.submit(data.model_dump(mode="json", exclude={"session_id", "attendee_ref"}), actor)
    uow.record(EVALUATIONS, evaluation_id(data), evaluation.to_state(), event)


def follow_up_evaluation(uow: Scoped, event: Envelope, data: EvaluationFollowedUp, actor: Actor) -> None:
    session, evaluation = _evaluation(uow, data, data.followed_up_at, "a follow-up", "data.followed_up_at")
    session.may_act_for(actor, session.attendance[data.attendee_ref]["agency"], "a follow-up")
    evaluation.follow(data.model_dump(mode="json", exclude={"session_id", "attendee_ref"}), actor)
    uow.record(EVALUATIONS, evaluation_id(data), evaluation.to_state(), event)


def _record_whole(uow: Scoped, event: Envelope, kind: str, id: str, facts: dict, actor: Actor, what: str) -> None:
    state = uow.get(kind, id)
    if state is None:
        fact = Recorded(id, facts, actor.agency)
    else:
        fact = Recorded.from_state(state)
        fact.revise(facts, actor, what)
    uow.record(kind, id, fact.to_state(), event)


def record_needs_analysis(uow: Scoped, event: Envelope, data: NeedsAnalysisRecorded, actor: Actor) -> None:
    _record_whole(uow, event, SURVEYS, data.survey_id, data.model_dump(mode="json"), actor,
                  f"the needs analysis {data.survey_id!r}")


def programme_period(data: ProgrammeReported) -> str:
    """A programme's report is one aggregate per period: a correction re-sends the same period."""
    return f"{data.programme_id}:{data.period_start.isoformat()}:{data.period_end.isoformat()}"


def report_programme(uow: Scoped, event: Envelope, data: ProgrammeReported, actor: Actor) -> None:
    _record_whole(uow, event, PROGRAMMES, programme_period(data), data.model_dump(mode="json"), actor,
                  f"the report of {data.programme_id!r} for {data.period_start} to {data.period_end}")


def _session_key(d: EventData) -> tuple[str, str]:
    return SESSIONS, d.session_id


# event type -> its handler, the aggregate it changes, and the aggregates it reads
ROUTES = {
    CoursePublished: Route(publish_course, lambda d: (COURSES, d.course_id)),
    SessionScheduled: Route(schedule_session, _session_key, lambda d: [(COURSES, d.course_id)]),
    AttendanceRecorded: Route(record_attendance, _session_key),
    BookingMade: Route(make_booking, _session_key),
    BookingCancelled: Route(cancel_booking, _session_key),
    BookingWaitlisted: Route(only_the_service, _session_key),
    BookingPromoted: Route(only_the_service, _session_key),
    EvaluationSubmitted: Route(submit_evaluation, lambda d: (EVALUATIONS, evaluation_id(d)),
                               lambda d: [_session_key(d)]),
    EvaluationFollowedUp: Route(follow_up_evaluation, lambda d: (EVALUATIONS, evaluation_id(d)),
                                lambda d: [_session_key(d)]),
    NeedsAnalysisRecorded: Route(record_needs_analysis, lambda d: (SURVEYS, d.survey_id)),
    ProgrammeReported: Route(report_programme, lambda d: (PROGRAMMES, programme_period(d))),
}
