"""Training: courses, sessions, bookings, attendance, evaluations, the training needs analysis and partner
programmes (the report's "Multi-agency Safeguarding Training" and "Child Matters").

The v1 contracts of 2021 (course, session, attendance) are unchanged for an LMS that already sends them: what
a course says about its level, competencies, modes, priorities served and refresher interval is optional.
Two types are made by the training service itself, never by a partner: a booking put on a waiting list
and a booking promoted from it (the service owns the waiting list; a partner's own event is published as sent).
Four more are what the service decided from a partner's fact (`Decision`s, published beside it, in the same write):
whether a cancellation was late, when a refresher falls due, whether an evaluation agrees, whether a follow-up came
on time. Readers compare these with an as-of date; they never apply the rules again (docs/training.md).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from shared.events.base import (AgencyCode, Count, Day, Decision, EventData, FreeText, Identifier,
                                Moment, PseudonymousRef, Title)

DeliveryMode = Literal["face_to_face", "virtual", "e_learning"]
Competency = Literal["be_aware", "recognise", "respond", "communicate"]
Outcome = Literal["attended", "no_show", "cancelled_late"]
Agreement = Literal["strongly_disagree", "disagree", "neither", "agree", "strongly_agree"]
PracticeChange = Literal["changed", "partly_changed", "not_changed"]

# The Core Principles for Working with Children and Adults in Need of Care and Support (the report's
# Principles 1-4): each competency and its lettered items.
CORE_PRINCIPLES: dict[str, tuple[str, ...]] = {
    "be_aware": ("a", "b", "c", "d"),
    "recognise": ("a", "b", "c"),
    "respond": ("a", "b", "c", "d", "e"),
    "communicate": ("a", "b", "c", "d"),
}
ITEMS = tuple(f"{c}.{letter}" for c, letters in CORE_PRINCIPLES.items() for letter in letters)


def _known_item(value: str) -> str:
    if value not in ITEMS:
        raise ValueError(f"not an item of the Core Principles: one of {', '.join(ITEMS)}")
    return value


CompetencyItem = Annotated[str, Field(max_length=16, pattern=r"^(be_aware|recognise|respond|communicate)\.[a-e]$",
                                      description="A lettered item of a Core Principle, e.g. recognise.c"),
                           AfterValidator(_known_item)]
Role = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{1,39}$", max_length=40,
                            description="The person's role, a code of the agency's choosing, e.g. practitioner, "
                                        "manager, volunteer.")]
Level = Annotated[str, Field(pattern=r"^L[1-6]$", max_length=2, description="The course level, e.g. L1, L2.")]




class CoursePublished(EventData):
    """A multi-agency course was added to the partnership's training offer (or revised by its publisher)."""

    type_name = "training.course.published.v1"
    aggregate = "course_id"
    summary = "A course joined the training offer."

    course_id: Identifier = Field(description="The course's identifier.")
    title: Title(200) = Field(description="The course title, as in the training offer.")
    competencies: tuple[Competency, ...] = Field(
        default=(), max_length=4,
        description="Core Principles the course builds: be_aware, recognise, respond, communicate.")
    level: Level | None = Field(None, description="The course level, e.g. L1 (Safeguarding Everyone), L2.")
    competency_items: tuple[CompetencyItem, ...] = Field(
        default=(), max_length=len(ITEMS),
        description="The lettered items of the Core Principles the course covers, e.g. be_aware.b, recognise.c; each "
                    "item's principle counts as built by the course.")
    delivery_modes: tuple[DeliveryMode, ...] = Field(default=(), max_length=3,
                                                     description="The delivery modes the course is offered in.")
    serves: tuple[Identifier, ...] = Field(
        default=(), max_length=20, description="The strategy service's ids of the priorities, actions or strategies "
                                               "the course serves, e.g. priority-2, child-exploitation-strategy.")
    refresher_months: Count | None = Field(None, ge=1, le=120,
                                           description="How long the course's competencies last before a refresher "
                                                       "is due, in months (e.g. 36).")


class SessionScheduled(EventData):
    """A session of a course was scheduled, in one delivery mode."""

    type_name = "training.session.scheduled.v1"
    aggregate = "session_id"
    summary = "A session of a course was scheduled."

    session_id: Identifier = Field(description="The session's identifier.")
    course_id: Identifier = Field(description="The course this is a session of; it must have been published.")
    delivery_mode: DeliveryMode = Field(description="face_to_face, virtual or e_learning.")
    starts_at: Moment = Field(description="When the session starts (RFC 3339, with its offset).")
    capacity: Count | None = Field(None, ge=1, le=10_000, description="Places offered, if limited.")


class AttendanceRecorded(EventData):
    """Whether one person attended a session: attended, did not show, or cancelled late."""

    type_name = "training.attendance.recorded.v1"
    aggregate = "session_id"
    summary = "A person's attendance at a session was recorded."

    session_id: Identifier = Field(description="The session; it must have been scheduled.")
    attendee_ref: PseudonymousRef
    attendee_agency: AgencyCode = Field(description="The agency the attendee works for.")
    outcome: Outcome = Field("attended", description="attended, no_show or cancelled_late.")
    attendee_role: Role | None = Field(None, description="The attendee's role, for competency coverage by role.")


class BookingMade(EventData):
    """A person booked a place at a session (or, if asked and the session is full, joined its waiting list)."""

    type_name = "training.booking.made.v1"
    aggregate = "session_id"
    summary = "A person booked a place at a session."

    session_id: Identifier = Field(description="The session; it must have been scheduled.")
    attendee_ref: PseudonymousRef
    attendee_agency: AgencyCode = Field(description="The agency the person works for.")
    attendee_role: Role | None = None
    booked_at: Moment = Field(description="When the booking was made.")
    waiting_list: bool = Field(False, description="If the session is full: true puts the person on its waiting list, "
                                                  "false refuses the booking (409).")


class BookingCancelled(EventData):
    """A booking (or a place on the waiting list) was cancelled; in time or late depends on the cut-off."""

    type_name = "training.booking.cancelled.v1"
    aggregate = "session_id"
    summary = "A booking was cancelled."

    session_id: Identifier = Field(description="The session booked.")
    attendee_ref: PseudonymousRef
    cancelled_at: Moment = Field(description="When the cancellation was made: late from the cut-off "
                                             "(docs/training.md).")


class BookingWaitlisted(Decision):
    """Decided by the training service: a booking asked for the waiting list of a full session and joined it."""

    type_name = "training.booking.waitlisted.v1"
    aggregate = "session_id"
    summary = "A booking joined a full session's waiting list (made by the training service)."

    session_id: Identifier
    attendee_ref: PseudonymousRef
    position: Count = Field(ge=1, le=10_000, description="The place on the waiting list, 1 first.")


class BookingPromoted(Decision):
    """Decided by the training service: a place freed, and the first on the waiting list took it."""

    type_name = "training.booking.promoted.v1"
    aggregate = "session_id"
    summary = "The first on a waiting list took a freed place (made by the training service)."

    session_id: Identifier
    attendee_ref: PseudonymousRef
    promoted_at: Moment = Field(description="When the place freed.")
    freed_by: PseudonymousRef = Field(description="Whose cancellation freed the place.")


class EvaluationSubmitted(EventData):
    """An attendee's evaluation on the day: two agreement scales and free text."""

    type_name = "training.evaluation.submitted.v1"
    aggregate = "session_id"
    summary = "An attendee evaluated a session on the day."

    session_id: Identifier = Field(description="The session evaluated; the person must have attended it.")
    attendee_ref: PseudonymousRef
    submitted_at: Moment
    good_use_of_time: Agreement = Field(description='"The training was a good use of my time".')
    positive_impact: Agreement = Field(description='"The training will have a positive impact on my safeguarding '
                                                   'practice".')
    comments: FreeText(2000) | None = Field(None, description="Free text; no names of children or families.")


class EvaluationFollowedUp(EventData):
    """The 6-8-week follow-up of an attendee's training, with their manager: what changed in practice."""

    type_name = "training.evaluation.followed_up.v1"
    aggregate = "session_id"
    summary = "An attendee and their manager followed up a session 6-8 weeks on."

    session_id: Identifier = Field(description="The session followed up; the person must have attended it.")
    attendee_ref: PseudonymousRef
    manager_ref: PseudonymousRef | None = Field(None, description="The learner's manager, pseudonymous.")
    followed_up_at: Moment
    practice: PracticeChange = Field(description="Whether practice changed: changed, partly_changed, not_changed.")
    what_changed: FreeText(2000) | None = Field(None, description="What changed in practice, in the manager's words.")


class NeedsAnalysisRecorded(EventData):
    """A training needs analysis (a survey): how many respondents prefer each delivery mode."""

    type_name = "training.needs_analysis.recorded.v1"
    aggregate = "survey_id"
    summary = "A training needs analysis (survey) was recorded."

    survey_id: Identifier
    title: Title(200)
    closed_on: Day = Field(description="The day the survey closed.")
    respondents: Count = Field(ge=1, le=1_000_000)
    prefer_virtual: Count = Field(ge=0, le=1_000_000)
    prefer_face_to_face: Count = Field(ge=0, le=1_000_000)
    prefer_e_learning: Count = Field(ge=0, le=1_000_000)

    @model_validator(mode="after")
    def _preferences_within_respondents(self) -> "NeedsAnalysisRecorded":
        if self.prefer_virtual + self.prefer_face_to_face + self.prefer_e_learning > self.respondents:
            raise ValueError("more preferences than respondents")
        return self


class ProgrammeReported(EventData):
    """A partner's own programme, reported in aggregate for one period (e.g. South Yorkshire Police's Child
    Matters): sessions delivered and attendees. Never added into individual attendance."""

    type_name = "training.programme.reported.v1"
    aggregate = "programme_id"
    summary = "A partner reported its own programme's sessions and attendees for a period."

    programme_id: Identifier
    title: Title(200)
    period_start: Day
    period_end: Day
    sessions: Count = Field(ge=0, le=1_000_000)
    attendees: Count = Field(ge=0, le=10_000_000, description="Attendances reported (people are not identified).")
    serves: tuple[Identifier, ...] = Field(default=(), max_length=20,
                                           description="Priorities or strategies served, as for a course.")

    @model_validator(mode="after")
    def _period_in_order(self) -> "ProgrammeReported":
        if self.period_end < self.period_start:
            raise ValueError("period_end is before period_start")
        return self


class FeedbackSummaryReported(EventData):
    """A feedback survey's own summary for a period, as the survey tool counted it: how many responses, and how
    many agreed with a statement. Kept beside the evaluations each attendee submitted and never added into them:
    where the two disagree, the figures show both."""

    type_name = "training.feedback_summary.reported.v1"
    aggregate = "summary_id"
    summary = "A feedback survey's own count of responses and agreement for a period was reported."

    summary_id: Identifier
    title: Title(200) = Field(description="The survey, e.g. DSCP training feedback survey 2021-22.")
    period_start: Day
    period_end: Day
    statement: Title(300) = Field(description="What respondents agreed with.")
    responses: Count = Field(ge=0, le=10_000_000)
    agreed: Count = Field(ge=0, le=10_000_000)

    @model_validator(mode="after")
    def _agreed_of_responses(self) -> "FeedbackSummaryReported":
        if self.period_end < self.period_start:
            raise ValueError("period_end is before period_start")
        if self.agreed > self.responses:
            raise ValueError("agreed is more than responses")
        return self


# --- what the training service decides from the facts (shared.events.base.Decision) ---------------------------

class CancellationJudged(Decision):
    """The training service judged a cancellation in time or late, when it recorded it: against the session's start
    as the service held it then (a session rescheduled afterwards does not judge it again: the person gave the
    notice they gave, for the session they had booked). Only a cancellation that gave up a booked place can be
    late; leaving a waiting list never is."""

    type_name = "training.cancellation.judged.v1"
    aggregate = "session_id"
    summary = "The training service judged a cancellation in time or late (cut-off: 2 working days before)."

    session_id: Identifier = Field(description="The session the booking was for.")
    attendee_ref: PseudonymousRef
    cancelled_at: Moment = Field(description="When the cancellation was made, as the partner said.")
    session_starts_at: Moment = Field(description="The session's start the cancellation was judged against.")
    cut_off: Moment | None = Field(None, description="From this moment a cancellation is late: 00:00 London time "
                                                     "of the day 2 working days before the session's day (absent "
                                                     "only if it falls before 1970).")
    gave_up_place: bool = Field(description="True: the cancellation gave up a booked place; false: it left the "
                                            "waiting list (never late).")
    late: bool = Field(description="True when a booked place was given up on or after the cut-off.")


class RefresherSet(Decision):
    """The training service set when one person's attendance at a session needs a refresher: when it recorded the
    attendance (from the course's refresher interval as the session holds it), and again when the session is
    rescheduled. The latest recorded stands; it applies while the person is recorded as having attended."""

    type_name = "training.refresher.set.v1"
    aggregate = "session_id"
    summary = "The training service set the day one attendance's refresher falls due, and when it is due soon."

    session_id: Identifier = Field(description="The session attended.")
    attendee_ref: PseudonymousRef
    course_id: Identifier = Field(description="The course the session is of.")
    attended_on: Day = Field(description="The day attended: the session's start, in London.")
    refresher_months: Count | None = Field(None, ge=1, le=120,
                                           description="The course's refresher interval the due day was set from.")
    due_on: Day | None = Field(None, description="The day the refresher is due: `refresher_months` after "
                                                 "`attended_on`, overdue after it. Absent: none falls due (the "
                                                 "course has no refresher interval, or it would be after 2099).")
    due_soon_from: Day | None = Field(None, description="From this day the refresher is due soon: 90 days before "
                                                        "`due_on`.")


class EvaluationJudged(Decision):
    """The training service judged whether an evaluation on the day agrees, on each scale and on both, when it
    recorded the evaluation (and again for a correction: the latest recorded stands)."""

    type_name = "training.evaluation.judged.v1"
    aggregate = "session_id"
    summary = "The training service judged whether an evaluation agrees (agree or strongly_agree) on each scale."

    session_id: Identifier = Field(description="The session evaluated.")
    attendee_ref: PseudonymousRef
    submitted_at: Moment = Field(description="When the evaluation was submitted, as the partner said.")
    agreed_good_use_of_time: bool = Field(description='"A good use of my time": agree or strongly_agree.')
    agreed_positive_impact: bool = Field(description='"A positive impact on my safeguarding practice": agree or '
                                                     'strongly_agree.')
    agreed_both: bool = Field(description="Agrees on both scales (the report's \"agreed or strongly agreed\").")


class FollowUpJudged(Decision):
    """The training service judged whether a follow-up came on time, 6 to 8 weeks (42 to 56 London days) after the
    session's day, when it recorded the follow-up (and again for a correction: the latest recorded stands)."""

    type_name = "training.follow_up.judged.v1"
    aggregate = "session_id"
    summary = "The training service judged whether a follow-up came 6 to 8 weeks after the session."

    session_id: Identifier = Field(description="The session followed up.")
    attendee_ref: PseudonymousRef
    followed_up_at: Moment = Field(description="When the follow-up was made, as the partner said.")
    session_starts_at: Moment = Field(description="The session's start the follow-up was judged against.")
    window_opens: Day | None = Field(None, description="The first day on time: 42 days after the session's day.")
    window_closes: Day | None = Field(None, description="The last day on time: 56 days after the session's day "
                                                        "(absent only after 2099).")
    on_time: bool = Field(description="True when made between `window_opens` and `window_closes`, inclusive.")


EVENTS: tuple[type[EventData], ...] = (CoursePublished, SessionScheduled, AttendanceRecorded, BookingMade,
                                       BookingCancelled, BookingWaitlisted, BookingPromoted, EvaluationSubmitted,
                                       EvaluationFollowedUp, NeedsAnalysisRecorded, ProgrammeReported,
                                       FeedbackSummaryReported,
                                       CancellationJudged, RefresherSet, EvaluationJudged, FollowUpJudged)
