"""Training's status rules: pure functions of facts and a moment, shared by the service and the reporting figures.

Written down for partners in docs/training.md:
- a cancellation is late when made on or after the cut-off: the start (London midnight) of the day two
  working days before the session's day (England and Wales working days, shared.clocks). A Thursday session's
  cut-off is Tuesday 00:00, so cancelling on Monday is in time;
- an evaluation agrees when its answer is agree or strongly_agree; a response agrees on both scales when
  both do (the report's "agreed or strongly agreed that the training was a good use of their time and
  that it would have a positive impact on their safeguarding practice");
- a follow-up is on time 6 to 8 weeks (42 to 56 days) after the session;
- a course's competencies are held from the day a person attended it; a refresher is due `refresher_months`
  later (shared.clocks.add_months); it is `due_soon` within DUE_SOON_DAYS of that day, `overdue` after it,
  until the person attends the course again.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Literal

from shared.calendar import LONDON, add_months, add_working_days, london_day

CUTOFF_WORKING_DAYS = 2
AGREES = ("agree", "strongly_agree")
FOLLOW_UP_WINDOW = (timedelta(weeks=6), timedelta(weeks=8))
DUE_SOON_DAYS = 90
Refresher = Literal["current", "due_soon", "overdue"]


def cancellation_cutoff(starts_at: datetime) -> datetime:
    """The moment from which a cancellation of a session starting at `starts_at` is late."""
    day = add_working_days(london_day(starts_at), -CUTOFF_WORKING_DAYS)
    return datetime.combine(day, time(0), LONDON).astimezone(timezone.utc)


def is_late(cancelled_at: datetime, starts_at: datetime) -> bool:
    return cancelled_at >= cancellation_cutoff(starts_at)


def agrees(answer: str) -> bool:
    return answer in AGREES


def follow_up_on_time(session_starts: datetime, followed_up_at: datetime) -> bool:
    """6 to 8 weeks on, counted in London days: 42 to 56 days after the session's day."""
    low, high = FOLLOW_UP_WINDOW
    return low.days <= (london_day(followed_up_at) - london_day(session_starts)).days <= high.days


def refresher_due(attended_on: date, months: int) -> date:
    return add_months(attended_on, months)


def refresher_status(due: date, as_of: date, soon_days: int = DUE_SOON_DAYS) -> Refresher:
    """A refresher's state on `as_of`: overdue after its due day, due_soon within `soon_days` of it, else current."""
    if as_of > due:
        return "overdue"
    return "due_soon" if (due - as_of).days <= soon_days else "current"
