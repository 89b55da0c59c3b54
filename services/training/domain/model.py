"""Training's rules: courses, their sessions, and who attended. No I/O here.

Who may record what (the ownership rule, for partners in README.md):
- a course is changed only by the agency that published it; a session only by the agency that
  scheduled it (the provider);
- an attendance is recorded by the session's provider, or by the attendee's own agency for its own
  people; once recorded, it is corrected only by the agency that recorded it;
- a booking, its cancellation, an evaluation and its follow-up likewise: the provider or the person's own agency;
- a training needs analysis, or a partner programme's report for a period, only by the agency that recorded it;
- a key made with the right to correct (`create-key --may-correct`) may change any of them.

Bookings (docs/training.md): a session holds its places (`bookings`, status booked) and its waiting list
(`waiting`, in order), so a session document stays bounded by its capacity plus WAITING_LIST_LIMIT; a
cancelled booking leaves the document (the read model keeps every booking event). Places taken are the
people booked plus anyone recorded as attended without a booking. A booking beyond capacity is refused (409)
unless it asks for the waiting list; a cancelled place goes to the first on the list, while the session has
not started.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from shared.write.rules import CONFLICT, FORBIDDEN, INVALID, Actor, RuleBroken, only_owner

WAITING_LIST_LIMIT = 100
UNLIMITED = 10_000  # the most places a session without a stated capacity can take bookings for


def _state(aggregate) -> dict[str, Any]:
    """The aggregate's fields as a dict, sharing its values: no deep copy of a growing attendance map."""
    return {f.name: getattr(aggregate, f.name) for f in fields(aggregate)}


@dataclass
class Course:
    course_id: str
    title: str
    competencies: list[str] = field(default_factory=list)
    published_by: str | None = None
    details: dict[str, Any] = field(default_factory=dict)  # level, competency_items, delivery_modes, serves, refresher

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> "Course":
        return cls(**state)

    def to_state(self) -> dict[str, Any]:
        return _state(self)

    def revise(self, title: str, competencies: list[str], actor: Actor, details: dict[str, Any] | None = None) -> None:
        only_owner(actor, self.published_by, f"course {self.course_id!r}")
        self.title, self.competencies = title, competencies
        self.details = details or {}


@dataclass
class Session:
    session_id: str
    course_id: str
    delivery_mode: str
    starts_at: str
    capacity: int | None = None
    attendance: dict[str, dict[str, str]] = field(default_factory=dict)  # attendee_ref -> {agency, outcome, recorded_by}
    scheduled_by: str | None = None
    bookings: dict[str, dict[str, str]] = field(default_factory=dict)  # attendee_ref -> {agency, status, recorded_by}
    waiting: list[str] = field(default_factory=list)  # attendee_refs on the waiting list, first first
    # the course's refresher interval as the session took it when scheduled (or rescheduled): a session delivers
    # the course as it stood then, and its attendees' refreshers fall due from it (docs/training.md)
    refresher_months: int | None = None

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> "Session":
        return cls(**state)

    def to_state(self) -> dict[str, Any]:
        return _state(self)

    @property
    def attended(self) -> int:
        return sum(1 for a in self.attendance.values() if a["outcome"] == "attended")

    @property
    def places(self) -> int:
        return self.capacity if self.capacity is not None else UNLIMITED

    def places_taken(self, besides: str | None = None) -> int:
        """People booked, plus anyone who attended without a booking (a walk-in), other than `besides`."""
        booked = {ref for ref, b in self.bookings.items() if b["status"] == "booked"}
        walk_ins = {ref for ref, a in self.attendance.items() if a["outcome"] == "attended"}
        return len((booked | walk_ins) - {besides})

    def has_attended(self, attendee_ref: str) -> bool:
        return self.attendance.get(attendee_ref, {}).get("outcome") == "attended"

    def reschedule(self, course_id: str, delivery_mode: str, starts_at: str, capacity: int | None, actor: Actor,
                   refresher_months: int | None = None) -> None:
        only_owner(actor, self.scheduled_by, f"session {self.session_id!r}")
        if course_id != self.course_id and self.attendance:
            raise RuleBroken("data.course_id", "attendance is already recorded against this session's course",
                             status=CONFLICT)
        if capacity is not None and capacity < self.places_taken():
            raise RuleBroken("data.capacity", f"{self.places_taken()} places are already taken (booked or attended)",
                             status=CONFLICT)
        self.course_id, self.delivery_mode, self.starts_at, self.capacity = course_id, delivery_mode, starts_at, capacity
        self.refresher_months = refresher_months

    def record_attendance(self, attendee_ref: str, agency: str, outcome: str, actor: Actor) -> None:
        """Record or correct one person's attendance; a full session takes no further attendees."""
        earlier = self.attendance.get(attendee_ref)
        if earlier is not None:
            only_owner(actor, earlier.get("recorded_by"), f"the attendance of {attendee_ref!r}")
        elif not (actor.may_correct or actor.agency in (self.scheduled_by, agency)):
            raise RuleBroken("agency", f"an attendance at this session is recorded by its provider ({self.scheduled_by}) "
                                       "or by the attendee's own agency", status=FORBIDDEN)
        already = earlier is not None and earlier["outcome"] == "attended"
        holds_place = self.bookings.get(attendee_ref, {}).get("status") == "booked"
        if outcome == "attended" and not already and not holds_place and self.capacity is not None \
                and self.places_taken(besides=attendee_ref) >= self.capacity:
            raise RuleBroken("data.session_id", f"the session is full ({self.capacity} places)", status=CONFLICT)
        self.attendance[attendee_ref] = {"agency": agency, "outcome": outcome,
                                         "recorded_by": earlier.get("recorded_by", actor.agency) if earlier else actor.agency}

    def attendees(self) -> list[str]:
        """The people recorded as having attended, in the order first recorded."""
        return [ref for ref, a in self.attendance.items() if a["outcome"] == "attended"]

    def booking_status(self, attendee_ref: str) -> str | None:
        """`booked` (holding a place), `waiting` (on the waiting list), or None (no booking)."""
        return self.bookings.get(attendee_ref, {}).get("status")

    def may_act_for(self, actor: Actor, agency: str, what: str) -> None:
        if not (actor.may_correct or actor.agency in (self.scheduled_by, agency)):
            raise RuleBroken("agency", f"{what} at this session is made by its provider ({self.scheduled_by}) "
                                       "or by the person's own agency", status=FORBIDDEN)

    def book(self, attendee_ref: str, agency: str, role: str | None, waiting_list: bool, actor: Actor) -> int | None:
        """Book a place; if the session is full, join the waiting list when asked (return its position), else 409."""
        self.may_act_for(actor, agency, "a booking")
        if attendee_ref in self.bookings:
            raise RuleBroken("data.attendee_ref", f"{attendee_ref!r} already has a booking "
                                                  f"({self.bookings[attendee_ref]['status']}) at this session",
                             status=CONFLICT)
        entry = {"agency": agency, "role": role, "recorded_by": actor.agency}
        if self.places_taken(besides=attendee_ref) < self.places:
            self.bookings[attendee_ref] = {**entry, "status": "booked"}
            return None
        if not waiting_list:
            raise RuleBroken("data.session_id", f"the session is full ({self.places} places): ask for its waiting "
                                                "list with waiting_list: true", status=CONFLICT)
        if len(self.waiting) >= WAITING_LIST_LIMIT:
            raise RuleBroken("data.waiting_list", f"the waiting list is full ({WAITING_LIST_LIMIT})", status=CONFLICT)
        self.bookings[attendee_ref] = {**entry, "status": "waiting"}
        self.waiting.append(attendee_ref)
        return len(self.waiting)

    def cancel(self, attendee_ref: str, before_start: bool, actor: Actor) -> str | None:
        """Cancel a booking or a place on the waiting list. Return who was promoted to the freed place, if anyone:
        the first on the waiting list, while the session has not started."""
        booking = self.bookings.get(attendee_ref)
        if booking is None:
            raise RuleBroken("data.attendee_ref", f"{attendee_ref!r} has no booking at this session")
        if not (actor.may_correct or actor.agency in (booking["recorded_by"], self.scheduled_by, booking["agency"])):
            raise RuleBroken("agency", "a booking is cancelled by the session's provider or the person's own agency",
                             status=FORBIDDEN)
        del self.bookings[attendee_ref]
        if booking["status"] == "waiting":
            self.waiting.remove(attendee_ref)
            return None
        if self.waiting and before_start and self.places_taken() < self.places:
            first = self.waiting.pop(0)
            self.bookings[first]["status"] = "booked"
            return first
        return None

    def check_attended(self, attendee_ref: str, what: str) -> None:
        """An evaluation or follow-up comes only from someone recorded as having attended."""
        if not self.has_attended(attendee_ref):
            outcome = self.attendance.get(attendee_ref, {}).get("outcome", "no attendance recorded")
            raise RuleBroken("data.attendee_ref", f"{what} comes only from someone who attended this session "
                                                  f"({attendee_ref!r}: {outcome})", status=INVALID)


@dataclass
class Evaluation:
    """One attendee's evaluation of one session: on the day, then the 6-8-week follow-up with their manager."""

    session_id: str
    attendee_ref: str
    on_the_day: dict[str, Any] | None = None
    follow_up: dict[str, Any] | None = None
    recorded_by: str | None = None

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> "Evaluation":
        return cls(**state)

    def to_state(self) -> dict[str, Any]:
        return _state(self)

    def _owned(self, actor: Actor) -> None:
        if self.recorded_by is not None:
            only_owner(actor, self.recorded_by, f"the evaluation of {self.attendee_ref!r}")
        else:
            self.recorded_by = actor.agency

    def submit(self, answers: dict[str, Any], actor: Actor) -> None:
        self._owned(actor)
        self.on_the_day = answers

    def follow(self, answers: dict[str, Any], actor: Actor) -> None:
        self._owned(actor)
        self.follow_up = answers


@dataclass
class Recorded:
    """A fact one agency reports whole (a needs analysis, a programme's period): changed only by that agency."""

    id: str
    facts: dict[str, Any]
    recorded_by: str

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> "Recorded":
        return cls(**state)

    def to_state(self) -> dict[str, Any]:
        return _state(self)

    def revise(self, facts: dict[str, Any], actor: Actor, what: str) -> None:
        only_owner(actor, self.recorded_by, what)
        self.facts = facts
