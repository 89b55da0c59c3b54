"""Training's rules: courses, their sessions, and who attended. No I/O here.

Who may record what (the ownership rule, for partners in README.md):
- a course is changed only by the agency that published it; a session only by the agency that
  scheduled it (the provider);
- an attendance is recorded by the session's provider, or by the attendee's own agency for its own
  people; once recorded, it is corrected only by the agency that recorded it;
- a key made with the right to correct (`create-key --may-correct`) may change any of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from shared.rules import CONFLICT, FORBIDDEN, Actor, RuleBroken, only_owner


def _state(aggregate) -> dict[str, Any]:
    """The aggregate's fields as a dict, sharing its values: no deep copy of a growing attendance map."""
    return {f.name: getattr(aggregate, f.name) for f in fields(aggregate)}


@dataclass
class Course:
    course_id: str
    title: str
    competencies: list[str] = field(default_factory=list)
    published_by: str | None = None

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> "Course":
        return cls(**state)

    def to_state(self) -> dict[str, Any]:
        return _state(self)

    def revise(self, title: str, competencies: list[str], actor: Actor) -> None:
        only_owner(actor, self.published_by, f"course {self.course_id!r}")
        self.title, self.competencies = title, competencies


@dataclass
class Session:
    session_id: str
    course_id: str
    delivery_mode: str
    starts_at: str
    capacity: int | None = None
    attendance: dict[str, dict[str, str]] = field(default_factory=dict)  # attendee_ref -> {agency, outcome, recorded_by}
    scheduled_by: str | None = None

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> "Session":
        return cls(**state)

    def to_state(self) -> dict[str, Any]:
        return _state(self)

    @property
    def attended(self) -> int:
        return sum(1 for a in self.attendance.values() if a["outcome"] == "attended")

    def reschedule(self, course_id: str, delivery_mode: str, starts_at: str, capacity: int | None, actor: Actor) -> None:
        only_owner(actor, self.scheduled_by, f"session {self.session_id!r}")
        if course_id != self.course_id and self.attendance:
            raise RuleBroken("data.course_id", "attendance is already recorded against this session's course",
                             status=CONFLICT)
        if capacity is not None and capacity < self.attended:
            raise RuleBroken("data.capacity", f"{self.attended} people already attended", status=CONFLICT)
        self.course_id, self.delivery_mode, self.starts_at, self.capacity = course_id, delivery_mode, starts_at, capacity

    def record_attendance(self, attendee_ref: str, agency: str, outcome: str, actor: Actor) -> None:
        """Record or correct one person's attendance; a full session takes no further attendees."""
        earlier = self.attendance.get(attendee_ref)
        if earlier is not None:
            only_owner(actor, earlier.get("recorded_by"), f"the attendance of {attendee_ref!r}")
        elif not (actor.may_correct or actor.agency in (self.scheduled_by, agency)):
            raise RuleBroken("agency", f"an attendance at this session is recorded by its provider ({self.scheduled_by}) "
                                       "or by the attendee's own agency", status=FORBIDDEN)
        already = earlier is not None and earlier["outcome"] == "attended"
        if outcome == "attended" and not already and self.capacity is not None and self.attended >= self.capacity:
            raise RuleBroken("data.session_id", f"the session is full ({self.capacity} places)", status=CONFLICT)
        self.attendance[attendee_ref] = {"agency": agency, "outcome": outcome,
                                         "recorded_by": earlier.get("recorded_by", actor.agency) if earlier else actor.agency}
