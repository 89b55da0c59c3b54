"""Training's status rules: what follows from a fact, decided by the training service alone. Pure, no I/O.

The service applies them when it records a fact and publishes the outcome beside it (shared.events.training's
decisions: `training.cancellation.judged.v1`, `training.refresher.set.v1`, `training.evaluation.judged.v1`,
`training.follow_up.judged.v1`); reporting compares what it is told with an as-of date and never applies them
again. Written down for partners in docs/training.md:
- a cancellation is late when made on or after the cut-off: the start (London midnight) of the day two
  working days before the session's day (England and Wales working days, shared.calendar). A Thursday session's
  cut-off is Tuesday 00:00, so cancelling on Monday is in time. Only a cancellation that gives up a booked
  place can be late; leaving a waiting list never is;
- an evaluation agrees when its answer is agree or strongly_agree; a response agrees on both scales when
  both do (the report's "agreed or strongly agreed that the training was a good use of their time and
  that it would have a positive impact on their safeguarding practice");
- a follow-up is on time 6 to 8 weeks (42 to 56 days) after the session's London day;
- a course's competencies are held from the day a person attended it; a refresher is due `refresher_months`
  later (shared.calendar.add_months); it is due soon from DUE_SOON_DAYS before that day, overdue after it,
  until the person attends the course again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from shared.calendar import add_months, add_working_days, london_day, start_of_day
from shared.events.base import EARLIEST_YEAR, LATEST_YEAR

CUTOFF_WORKING_DAYS = 2
AGREES = ("agree", "strongly_agree")
FOLLOW_UP_WINDOW = (timedelta(weeks=6), timedelta(weeks=8))
DUE_SOON_DAYS = 90


def _kept(day: date) -> date | None:
    """`day`, or None when it falls outside the years the contracts keep (1970 to 2099)."""
    return day if EARLIEST_YEAR <= day.year <= LATEST_YEAR else None


def cancellation_cutoff(starts_at: datetime) -> datetime:
    """The moment from which a cancellation of a session starting at `starts_at` is late."""
    return start_of_day(add_working_days(london_day(starts_at), -CUTOFF_WORKING_DAYS))


def is_late(cancelled_at: datetime, starts_at: datetime) -> bool:
    return cancelled_at >= cancellation_cutoff(starts_at)


@dataclass(frozen=True)
class Cancellation:
    """How a cancellation was judged: against the session's start as the service held it when it was recorded."""

    cut_off: datetime | None  # None only when it falls before 1970
    gave_up_place: bool
    late: bool


def judge_cancellation(cancelled_at: datetime, starts_at: datetime, gave_up_place: bool) -> Cancellation:
    """A cancellation of a booked place made on or after the cut-off is late; leaving a waiting list never is."""
    cut_off = cancellation_cutoff(starts_at)
    kept = cut_off if _kept(cut_off.date()) else None
    return Cancellation(kept, gave_up_place, gave_up_place and cancelled_at >= cut_off)


def agrees(answer: str) -> bool:
    return answer in AGREES


@dataclass(frozen=True)
class Agreement:
    good_use_of_time: bool
    positive_impact: bool

    @property
    def both(self) -> bool:
        return self.good_use_of_time and self.positive_impact


def judge_evaluation(good_use_of_time: str, positive_impact: str) -> Agreement:
    return Agreement(agrees(good_use_of_time), agrees(positive_impact))


def follow_up_window(session_starts: datetime) -> tuple[date, date]:
    """The first and last London day of the 6-8-week follow-up: 42 and 56 days after the session's day."""
    low, high = FOLLOW_UP_WINDOW
    day = london_day(session_starts)
    return day + low, day + high


def follow_up_on_time(session_starts: datetime, followed_up_at: datetime) -> bool:
    """6 to 8 weeks on, counted in London days: 42 to 56 days after the session's day."""
    opens, closes = follow_up_window(session_starts)
    return opens <= london_day(followed_up_at) <= closes


@dataclass(frozen=True)
class FollowUp:
    window_opens: date | None  # None only beyond 2099
    window_closes: date | None
    on_time: bool


def judge_follow_up(session_starts: datetime, followed_up_at: datetime) -> FollowUp:
    opens, closes = follow_up_window(session_starts)
    return FollowUp(_kept(opens), _kept(closes), follow_up_on_time(session_starts, followed_up_at))


def refresher_due(attended_on: date, months: int) -> date:
    return add_months(attended_on, months)


def due_soon_from(due: date) -> date:
    """From this day a refresher is due soon: DUE_SOON_DAYS before its due day (1 January 1970 at the earliest,
    the first day an as-of date can be, so every comparison with an as-of day is the same)."""
    return max(due - timedelta(days=DUE_SOON_DAYS), date(EARLIEST_YEAR, 1, 1))


@dataclass(frozen=True)
class Refresher:
    """When the competencies of one attendance need a refresher: none when the course has no refresher interval
    (or the day falls beyond 2099, past any as-of date)."""

    attended_on: date
    months: int | None
    due_on: date | None
    due_soon_from: date | None


def refresher_of(session_starts: datetime, months: int | None) -> Refresher:
    """The refresher of attending a session that starts at `session_starts`, of a course lasting `months`."""
    attended_on = london_day(session_starts)
    due = _kept(refresher_due(attended_on, months)) if months else None
    return Refresher(attended_on, months, due, due_soon_from(due) if due else None)
