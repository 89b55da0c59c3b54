"""Training: courses, sessions and who attended them (the report's 1,368 attendances)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from shared.events.base import AgencyCode, Count, EventData, Identifier, Moment, PseudonymousRef, Title

DeliveryMode = Literal["face_to_face", "virtual", "e_learning"]
Competency = Literal["be_aware", "recognise", "respond", "communicate"]
Outcome = Literal["attended", "no_show", "cancelled_late"]


class CoursePublished(EventData):
    """A multi-agency course was added to the partnership's training offer."""

    type_name = "training.course.published.v1"
    aggregate = "course_id"
    summary = "A course joined the training offer."

    course_id: Identifier = Field(description="The course's identifier.")
    title: Title(200) = Field(description="The course title, as in the training offer.")
    competencies: tuple[Competency, ...] = Field(
        default=(), max_length=4, description="Competency framework levels the course builds: be_aware, recognise, respond, communicate.")


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


EVENTS: tuple[type[EventData], ...] = (CoursePublished, SessionScheduled, AttendanceRecorded)
