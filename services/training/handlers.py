"""Training's use cases: one handler per event type, applied to aggregates in a unit of work.

What follows from a partner's fact by training's rules (services.training.domain.rules and the session's own
waiting list) is decided here, when the fact is recorded, and published beside it as a `Decision`
(shared.write.aggregates.Scoped.decide), in the same outbox write, with an id derived from the fact's identity, so it is
made once however often the partner retries: a booking put on a waiting list (`training.booking.waitlisted.v1`) or
promoted from it (`training.booking.promoted.v1`), whether a cancellation was late, when an attendance's refresher
falls due (set again when its session is rescheduled), whether an evaluation agrees and whether a follow-up came on
time. Partners never send a decision (ingest refuses its type); reporting compares them with an as-of date.
"""

from __future__ import annotations

from datetime import datetime

from shared.write.aggregates import Scoped
from shared.events.base import EventData
from shared.events.envelope import Envelope
from shared.events.training import (AttendanceRecorded, BookingCancelled, BookingMade, BookingPromoted,
                                    BookingWaitlisted, CancellationJudged, CoursePublished, EvaluationFollowedUp,
                                    EvaluationJudged, EvaluationSubmitted, FollowUpJudged, NeedsAnalysisRecorded,
                                    FeedbackSummaryReported, ProgrammeReported, RefresherSet,
                                    SessionScheduled)
from shared.write.handling import Route
from shared.write.rules import Actor, RuleBroken
from services.training.domain import rules
from services.training.domain.model import Course, Evaluation, Recorded, Session

COURSES, SESSIONS, EVALUATIONS, SURVEYS, PROGRAMMES = "courses", "sessions", "evaluations", "surveys", "programmes"
FEEDBACK_SUMMARIES = "feedback_summaries"
KINDS = (COURSES, SESSIONS, EVALUATIONS, SURVEYS, PROGRAMMES, FEEDBACK_SUMMARIES)


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
    course = uow.get(COURSES, data.course_id)
    if course is None:
        raise RuleBroken("data.course_id", f"unknown course {data.course_id!r}: publish the course first")
    months = (course.get("details") or {}).get("refresher_months")
    state = uow.get(SESSIONS, data.session_id)
    starts_at = data.starts_at.isoformat()
    if state is None:
        session = Session(data.session_id, data.course_id, data.delivery_mode, starts_at, data.capacity,
                          scheduled_by=actor.agency, refresher_months=months)
        uow.record(SESSIONS, data.session_id, session.to_state(), event)
        return
    session = Session.from_state(state)
    before = rules.refresher_of(datetime.fromisoformat(session.starts_at), session.refresher_months)
    session.reschedule(data.course_id, data.delivery_mode, starts_at, data.capacity, actor, refresher_months=months)
    uow.record(SESSIONS, data.session_id, session.to_state(), event)
    after = rules.refresher_of(data.starts_at, months)
    if after != before and (after.due_on or before.due_on):  # a new day attended or interval: refreshers again
        uow.decide(SESSIONS, data.session_id, event,
                   *(refresher_set(session, ref, after) for ref in session.attendees()))


def refresher_set(session: Session, attendee_ref: str, refresher: rules.Refresher) -> RefresherSet:
    return RefresherSet(session_id=session.session_id, attendee_ref=attendee_ref, course_id=session.course_id,
                        attended_on=refresher.attended_on, refresher_months=refresher.months,
                        due_on=refresher.due_on, due_soon_from=refresher.due_soon_from)


def _session(uow: Scoped, session_id: str) -> Session:
    state = uow.get(SESSIONS, session_id)
    if state is None:
        raise RuleBroken("data.session_id", f"unknown session {session_id!r}: schedule the session first")
    return Session.from_state(state)


def record_attendance(uow: Scoped, event: Envelope, data: AttendanceRecorded, actor: Actor) -> None:
    session = _session(uow, data.session_id)
    session.record_attendance(data.attendee_ref, data.attendee_agency, data.outcome, actor)
    uow.record(SESSIONS, data.session_id, session.to_state(), event)
    if data.outcome == "attended" and session.refresher_months:
        refresher = rules.refresher_of(datetime.fromisoformat(session.starts_at), session.refresher_months)
        uow.decide(SESSIONS, data.session_id, event, refresher_set(session, data.attendee_ref, refresher))


def make_booking(uow: Scoped, event: Envelope, data: BookingMade, actor: Actor) -> None:
    session = _session(uow, data.session_id)
    position = session.book(data.attendee_ref, data.attendee_agency, data.attendee_role, data.waiting_list, actor)
    uow.record(SESSIONS, data.session_id, session.to_state(), event)
    if position is not None:
        uow.decide(SESSIONS, data.session_id, event,
                   BookingWaitlisted(session_id=data.session_id, attendee_ref=data.attendee_ref, position=position))


def cancel_booking(uow: Scoped, event: Envelope, data: BookingCancelled, actor: Actor) -> None:
    session = _session(uow, data.session_id)
    starts_at = datetime.fromisoformat(session.starts_at)
    gave_up_place = session.booking_status(data.attendee_ref) == "booked"
    promoted = session.cancel(data.attendee_ref, data.cancelled_at < starts_at, actor)
    uow.record(SESSIONS, data.session_id, session.to_state(), event)
    judged = rules.judge_cancellation(data.cancelled_at, starts_at, gave_up_place)
    uow.decide(SESSIONS, data.session_id, event, CancellationJudged(
        session_id=data.session_id, attendee_ref=data.attendee_ref, cancelled_at=data.cancelled_at,
        session_starts_at=starts_at, cut_off=judged.cut_off, gave_up_place=judged.gave_up_place, late=judged.late))
    if promoted is not None:
        uow.decide(SESSIONS, data.session_id, event, BookingPromoted(
            session_id=data.session_id, attendee_ref=promoted, promoted_at=data.cancelled_at, freed_by=data.attendee_ref))


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
    agreement = rules.judge_evaluation(data.good_use_of_time, data.positive_impact)
    uow.decide(EVALUATIONS, evaluation_id(data), event, EvaluationJudged(
        session_id=data.session_id, attendee_ref=data.attendee_ref, submitted_at=data.submitted_at,
        agreed_good_use_of_time=agreement.good_use_of_time, agreed_positive_impact=agreement.positive_impact,
        agreed_both=agreement.both))


def follow_up_evaluation(uow: Scoped, event: Envelope, data: EvaluationFollowedUp, actor: Actor) -> None:
    session, evaluation = _evaluation(uow, data, data.followed_up_at, "a follow-up", "data.followed_up_at")
    session.may_act_for(actor, session.attendance[data.attendee_ref]["agency"], "a follow-up")
    evaluation.follow(data.model_dump(mode="json", exclude={"session_id", "attendee_ref"}), actor)
    uow.record(EVALUATIONS, evaluation_id(data), evaluation.to_state(), event)
    starts_at = datetime.fromisoformat(session.starts_at)
    judged = rules.judge_follow_up(starts_at, data.followed_up_at)
    uow.decide(EVALUATIONS, evaluation_id(data), event, FollowUpJudged(
        session_id=data.session_id, attendee_ref=data.attendee_ref, followed_up_at=data.followed_up_at,
        session_starts_at=starts_at, window_opens=judged.window_opens, window_closes=judged.window_closes,
        on_time=judged.on_time))


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


def report_feedback_summary(uow: Scoped, event: Envelope, data: FeedbackSummaryReported, actor: Actor) -> None:
    _record_whole(uow, event, FEEDBACK_SUMMARIES, data.summary_id, data.model_dump(mode="json"), actor,
                  f"the feedback summary {data.summary_id!r}")


def _session_key(d: EventData) -> tuple[str, str]:
    return SESSIONS, d.session_id


# event type -> its handler, the aggregate it changes, and the aggregates it reads
ROUTES = {
    CoursePublished: Route(publish_course, lambda d: (COURSES, d.course_id)),
    SessionScheduled: Route(schedule_session, _session_key, lambda d: [(COURSES, d.course_id)]),
    AttendanceRecorded: Route(record_attendance, _session_key),
    BookingMade: Route(make_booking, _session_key),
    BookingCancelled: Route(cancel_booking, _session_key),
    EvaluationSubmitted: Route(submit_evaluation, lambda d: (EVALUATIONS, evaluation_id(d)),
                               lambda d: [_session_key(d)]),
    EvaluationFollowedUp: Route(follow_up_evaluation, lambda d: (EVALUATIONS, evaluation_id(d)),
                                lambda d: [_session_key(d)]),
    NeedsAnalysisRecorded: Route(record_needs_analysis, lambda d: (SURVEYS, d.survey_id)),
    ProgrammeReported: Route(report_programme, lambda d: (PROGRAMMES, programme_period(d))),
    FeedbackSummaryReported: Route(report_feedback_summary, lambda d: (FEEDBACK_SUMMARIES, d.summary_id)),
}
