"""The statutory clocks' arithmetic: when a clock is due, and from which day it is a near breach. Pure.

The clocks themselves (what starts and stops each, how long it runs, its target) are published with the reviews
contracts (`shared.events.reviews.CLOCKS`); this service alone counts their days, and publishes each case's clock
(`reviews.clock.set.v1`, `reviews.clock.stopped.v1`), so that readers compare dates and never count again.

Working days exclude Saturdays, Sundays and the bank holidays of England and Wales (shared.calendar). Day 0 is the
day of the trigger, and a clock of N working days is due on the Nth working day after it: aware on Monday,
notification due the next Monday. A trigger on a weekend or a bank holiday still starts the count on that day, so
its first working day is the next one.

A clock counted in months is due on the same day of the month N months later (the month's last day when that day
does not exist: 31 August + 6 months is 28 or 29 February), moved on to the next working day when that date is not
one.

Each clock is published with its working days (those after day 0 up to and including the due day,
`shared.calendar.working_days_after`), so that a reader says how many are left on any day by counting the listed days after it, without a calendar of its own.

An open clock is a near breach from the day that leaves `warn_within` working days or fewer before its due date,
that is `warn_within` working days before it (on the due day itself for the LADO referral's 0).
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from shared.calendar import add_months, add_working_days, next_working_day_from
from shared.events.reviews import CLOCKS, Clock

# Where the rapid review's 15 days start: "notification" (current Panel guidance, the default) or "awareness"
# (older local procedures). Decided here, once, for every reader.
RAPID_REVIEW_STARTS: Literal["notification", "awareness"] = "notification"


def due(clock: Clock | str, start: date) -> date:
    """The day a clock started on `start` is due."""
    clock = CLOCKS[clock] if isinstance(clock, str) else clock
    if clock.unit == "working_days":
        return add_working_days(start, clock.amount)
    return next_working_day_from(add_months(start, clock.amount))


def near_breach_from(clock: Clock | str, due_on: date) -> date:
    """The first day a clock due on `due_on` and still running is a near breach."""
    clock = CLOCKS[clock] if isinstance(clock, str) else clock
    return add_working_days(due_on, -clock.warn_within)


def rapid_review_start(aware_on: date | None, notified_on: date | None,
                       starts: Literal["notification", "awareness"] = RAPID_REVIEW_STARTS) -> date | None:
    """The day 0 of an incident's rapid review clock, or None while it has not started."""
    return notified_on if starts == "notification" else aware_on
