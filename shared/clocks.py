"""Statutory clocks: working days in England and Wales, and each clock's rule as configuration. Pure.

Working days exclude Saturdays, Sundays and the bank holidays of England and Wales (the same list for
both; `holidays.UK(subdiv="ENG")`, from the maintained `holidays` package). Day 0 is the day of the
trigger, and a clock of N working days is due on the Nth working day after it: aware on Monday,
notification due the next Monday. A trigger on a weekend or a bank holiday still starts the count on
that day, so its first working day is the next one.

A clock counted in months is due on the same day of the month N months later (the month's last day
when that day does not exist: 31 August + 6 months is 28 or 29 February), moved on to the next working
day when that date is not one.

For an as-of date, a clock is:
- `met`: done by its due date; `missed`: done after it;
- `overdue`: not done and the due date has passed (a breach, like `missed`);
- `near_breach`: not done, not yet due, with at most the rule's `warn_within` working days left;
- `open`: not done, with more time than that.
A completion dated after the as-of date is not known yet at that date: the clock is still running.

The public API used by other domains (training's deadlines, say) is `bank_holidays`, `is_working_day`,
`add_working_days`, `working_days_between` and `add_months`; the rest is the reviews' clocks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from shared.calendar import (add_months, add_working_days, bank_holidays, is_working_day,  # noqa: F401 (re-exported)
                             next_working_day_from, working_days_between)

Unit = Literal["working_days", "months"]
State = Literal["met", "missed", "overdue", "near_breach", "open"]
BREACHES: tuple[State, ...] = ("missed", "overdue")


@dataclass(frozen=True)
class ClockRule:
    """One statutory clock, as configuration: what starts it, what stops it, how long it runs."""

    name: str
    label: str
    amount: int
    unit: Unit
    starts: str  # the fact that starts it
    stops: str  # the fact that stops it
    warn_within: int  # working days left at which an open clock is a near breach
    target: float = 1.0  # share of cases expected on time (the allegation clocks: 80%, 90%, nearly all)
    basis: str = ""  # where the rule comes from

    def due(self, start: date) -> date:
        if self.unit == "working_days":
            return add_working_days(start, self.amount)
        return next_working_day_from(add_months(start, self.amount))


RULES: dict[str, ClockRule] = {rule.name: rule for rule in (
    ClockRule("serious_incident_notification", "Serious incident notified to the national Panel", 5, "working_days",
              "the date the local authority became aware", "the notification to the Panel", warn_within=1,
              basis="Children Act 2004 s16C(1); Working Together"),
    ClockRule("rapid_review", "Rapid review completed and sent to the Panel", 15, "working_days",
              "the notification to the Panel", "the rapid review sent to the Panel", warn_within=3,
              basis="Working Together; Child Safeguarding Practice Review Panel guidance"),
    ClockRule("practice_review_publication", "Local practice review published", 6, "months",
              "the decision to hold a local child safeguarding practice review", "publication", warn_within=20,
              basis="SI 2018/789 reg. 14; Working Together (about 6 months)"),
    ClockRule("lado_referral", "Allegation referred to the LADO", 1, "working_days",
              "the allegation", "the referral to the LADO", warn_within=0,
              basis="Working Together 2023 ch. 4; local procedures"),
    ClockRule("allegation_resolution_1_month", "Allegation resolved within 1 month", 1, "months",
              "the allegation", "the allegation's resolution", warn_within=5, target=0.8,
              basis="statutory guidance on managing allegations: 80% within 1 month"),
    ClockRule("allegation_resolution_3_months", "Allegation resolved within 3 months", 3, "months",
              "the allegation", "the allegation's resolution", warn_within=10, target=0.9,
              basis="statutory guidance on managing allegations: 90% within 3 months"),
    ClockRule("allegation_resolution_12_months", "Allegation resolved within 12 months", 12, "months",
              "the allegation", "the allegation's resolution", warn_within=20, target=0.99,
              basis="statutory guidance on managing allegations: all but the most exceptional within 12 months"),
)}
# Where the rapid review's 15 days start: "notification" (current Panel guidance, the default) or "awareness"
# (older local procedures). Reporting reads it through `rapid_review_start`.
RAPID_REVIEW_STARTS: Literal["notification", "awareness"] = "notification"


def rapid_review_start(aware_on: date | None, notified_on: date | None,
                       starts: Literal["notification", "awareness"] = RAPID_REVIEW_STARTS) -> date | None:
    """The day 0 of an incident's rapid review clock, or None while it has not started."""
    return notified_on if starts == "notification" else aware_on


@dataclass(frozen=True)
class ClockStatus:
    """One clock at an as-of date. `working_days_left` is negative when overdue or missed (by how many)."""

    rule: str
    start: date
    due: date
    done: date | None
    state: State
    working_days_left: int

    @property
    def breached(self) -> bool:
        return self.state in BREACHES

    @property
    def met(self) -> bool | None:
        """True or False once decided (done, or overdue); None while it may still be met."""
        if self.state in ("met", "missed", "overdue"):
            return self.state == "met"
        return None

    def as_dict(self) -> dict:
        return {"rule": self.rule, "start": self.start.isoformat(), "due": self.due.isoformat(),
                "done": self.done.isoformat() if self.done else None, "state": self.state,
                "working_days_left": self.working_days_left, "breached": self.breached}


def status(rule: ClockRule, start: date, done: date | None, as_of: date) -> ClockStatus:
    """The clock that `start` set running under `rule`, as it stood on `as_of`."""
    due = rule.due(start)
    if done is not None and done > as_of:
        done = None  # not yet known on the as-of date
    if done is not None:
        state: State = "met" if done <= due else "missed"
        return ClockStatus(rule.name, start, due, done, state, working_days_between(done, due))
    left = working_days_between(as_of, due)
    if as_of > due:
        state = "overdue"
    elif left <= rule.warn_within:
        state = "near_breach"
    else:
        state = "open"
    return ClockStatus(rule.name, start, due, None, state, left)
