"""Training's rules: courses, their sessions, and who attended. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any


class RuleBroken(Exception):
    """An event the current state does not allow. `field` names the offending field of the event."""

    def __init__(self, field: str, message: str, *, conflict: bool = False):
        super().__init__(message)
        self.field, self.message, self.conflict = field, message, conflict


def _state(aggregate) -> dict[str, Any]:
    """The aggregate's fields as a dict, sharing its values: no deep copy of a growing attendance map."""
    return {f.name: getattr(aggregate, f.name) for f in fields(aggregate)}


@dataclass
class Course:
    course_id: str
    title: str
    competencies: list[str] = field(default_factory=list)

    def to_state(self) -> dict[str, Any]:
        return _state(self)


@dataclass
class Session:
    session_id: str
    course_id: str
    delivery_mode: str
    starts_at: str
    capacity: int | None = None
    attendance: dict[str, dict[str, str]] = field(default_factory=dict)  # attendee_ref -> {agency, outcome}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> "Session":
        return cls(**state)

    def to_state(self) -> dict[str, Any]:
        return _state(self)

    @property
    def attended(self) -> int:
        return sum(1 for a in self.attendance.values() if a["outcome"] == "attended")

    def reschedule(self, course_id: str, delivery_mode: str, starts_at: str, capacity: int | None) -> None:
        if course_id != self.course_id and self.attendance:
            raise RuleBroken("data.course_id", "attendance is already recorded against this session's course", conflict=True)
        if capacity is not None and capacity < self.attended:
            raise RuleBroken("data.capacity", f"{self.attended} people already attended", conflict=True)
        self.course_id, self.delivery_mode, self.starts_at, self.capacity = course_id, delivery_mode, starts_at, capacity

    def record_attendance(self, attendee_ref: str, agency: str, outcome: str) -> None:
        """Record or correct one person's attendance; a full session takes no further attendees."""
        already = self.attendance.get(attendee_ref, {}).get("outcome") == "attended"
        if outcome == "attended" and not already and self.capacity is not None and self.attended >= self.capacity:
            raise RuleBroken("data.session_id", f"the session is full ({self.capacity} places)", conflict=True)
        self.attendance[attendee_ref] = {"agency": agency, "outcome": outcome}
