"""The kit's one calendar: London days, working days in England and Wales, months, periods, reporting years. Pure.

Every service reads days and periods here, so that a day, a working day and a period mean the same thing
wherever they are read. What a domain decides with them (a clock's due date, a cancellation's cut-off, a
refresher's due day) is that domain's own rule, in its own service.

- A moment's day is its date in London (`london_day`); `start_of_day` and `end_of_day` are the first and last
  moments of a London day, in UTC.
- Working days exclude Saturdays, Sundays and the bank holidays of England and Wales (`holidays.UK(subdiv="ENG")`,
  from the maintained `holidays` package; observed days included).
- `add_months` is the same day of the month n months later, or that month's last day when it has fewer.
- Periods: `2022-01` a month; `2022-Q1` a calendar quarter (January to March); `2021-22` a reporting year, from the
  partnership's own year start (`year_starts`, `MM-DD`, 1 April unless the partnership says otherwise).
"""

from __future__ import annotations

import calendar as _calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")
APRIL = "04-01"  # the financial year's start, and a partnership's reporting year unless it says otherwise


# --- days and moments ------------------------------------------------------------------------------------

def london_day(moment: datetime) -> date:
    """The day a moment falls on in London."""
    return moment.astimezone(LONDON).date()


def start_of_day(day: date) -> datetime:
    """The first moment of a London day, in UTC."""
    return datetime.combine(day, time(0), LONDON).astimezone(timezone.utc)


def end_of_day(day: date) -> datetime:
    """The last moment of a London day, in UTC."""
    return datetime.combine(day, time.max, LONDON).astimezone(timezone.utc)


def day_before(day: date) -> date:
    return day - timedelta(days=1)


def london_month(moment: datetime) -> str:
    """The month a moment falls in, in London: `2022-01`."""
    return f"{moment.astimezone(LONDON):%Y-%m}"


# --- working days ----------------------------------------------------------------------------------------

@lru_cache(maxsize=256)
def _holidays_of(year: int) -> frozenset[date]:
    return frozenset(holidays.UK(subdiv="ENG", years=year))


def bank_holidays(years: int | range | list[int] | tuple[int, ...]) -> frozenset[date]:
    """The bank holidays of England and Wales in these years (observed days included: a Christmas on a
    Saturday gives Monday 27 and Tuesday 28 December)."""
    found: frozenset[date] = frozenset()
    for year in ([years] if isinstance(years, int) else years):
        found |= _holidays_of(year)
    return found


def is_working_day(day: date) -> bool:
    """Monday to Friday, and not a bank holiday in England and Wales."""
    return day.weekday() < 5 and day not in _holidays_of(day.year)


def add_working_days(start: date, n: int) -> date:
    """The Nth working day after `start` (day 0); n = 0 gives `start` itself. n may be negative."""
    day, step, left = start, (1 if n >= 0 else -1), abs(n)
    while left:
        day += timedelta(days=step)
        if is_working_day(day):
            left -= 1
    return day


def working_days_after(a: date, b: date) -> tuple[date, ...]:
    """The working days after `a` up to and including `b`, in order (none when `b` is not after `a`)."""
    return tuple(day for day in (a + timedelta(days=k) for k in range(1, (b - a).days + 1)) if is_working_day(day))


def working_days_between(a: date, b: date) -> int:
    """Working days after `a` up to and including `b`; negative (counted the same way) when `b` is before `a`.
    So `working_days_between(d, add_working_days(d, n)) == n` for a working day d."""
    if b < a:
        return -working_days_between(b, a)
    return len(working_days_after(a, b))


def next_working_day_from(day: date) -> date:
    """`day` itself when it is a working day, else the next one."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_months(start: date, n: int) -> date:
    """The same day of the month n months later, or that month's last day when it has fewer days."""
    month0 = start.month - 1 + n
    year, month = start.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(start.day, _calendar.monthrange(year, month)[1]))


# --- reporting years -------------------------------------------------------------------------------------

def _month_day(year_starts: str) -> tuple[int, int]:
    month, day = map(int, year_starts.split("-"))
    return month, day


def year_start(year: int, year_starts: str = APRIL) -> date:
    """The first day of the reporting year that starts in `year` (29 February starts on 28 February elsewhere)."""
    month, day = _month_day(year_starts)
    return date(year, month, min(day, _calendar.monthrange(year, month)[1]))


def reporting_year_of(day: date, year_starts: str = APRIL) -> int:
    """The calendar year in which the reporting year holding `day` starts."""
    return day.year if day >= year_start(day.year, year_starts) else day.year - 1


def reporting_year(day: date, year_starts: str = APRIL) -> tuple[date, date]:
    """The first and last day of the reporting year holding `day`."""
    first = reporting_year_of(day, year_starts)
    return year_start(first, year_starts), year_start(first + 1, year_starts) - timedelta(days=1)


def year_label(first_year: int, year_starts: str = APRIL) -> str:
    """A reporting year's name: `2021-22` for the year starting in 2021; `2022` for a calendar year."""
    if year_starts == "01-01":
        return f"{first_year:04d}"
    return f"{first_year:04d}-{(first_year + 1) % 100:02d}"


def quarter_of(day: date, year_starts: str = APRIL) -> str:
    """The quarter of the reporting year a day falls in: with years from April, 2021-10-05 is `2021-22 Q3`."""
    first = reporting_year_of(day, year_starts)
    start = year_start(first, year_starts)
    months = (day.year - start.year) * 12 + day.month - start.month - (1 if day.day < start.day else 0)
    return f"{year_label(first, year_starts)} Q{months // 3 + 1}"


# --- periods ---------------------------------------------------------------------------------------------

_MONTH = _YEAR = re.compile(r"^(\d{4})-(\d{2})$")  # 2022-01 or 2021-22: the period type tells them apart
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
PERIOD_EXAMPLES = {"month": "2022-01", "quarter": "2022-Q1", "year": "2021-22 (a reporting year)"}


def _month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def period_bounds(period_type: str, label: str, year_starts: str = APRIL) -> tuple[date, date]:
    """The first and last day of a period; ValueError when the label is not a period of that type."""
    if period_type == "month" and (m := _MONTH.match(label)) and 1 <= int(m[2]) <= 12:
        year, month = int(m[1]), int(m[2])
        return date(year, month, 1), _month_end(year, month)
    if period_type == "quarter" and (m := _QUARTER.match(label)):
        year, first = int(m[1]), 3 * int(m[2]) - 2
        return date(year, first, 1), _month_end(year, first + 2)
    if period_type == "year" and (m := _YEAR.match(label)) and int(m[2]) == (int(m[1]) + 1) % 100:
        year = int(m[1])
        return year_start(year, year_starts), year_start(year + 1, year_starts) - timedelta(days=1)
    raise ValueError(f"{label!r} is not a {period_type} period: write it like {PERIOD_EXAMPLES.get(period_type, '?')}")


def period_index(period_type: str, label: str) -> int:
    """A period's position on its own scale, so that the next period is index + 1."""
    start, _ = period_bounds(period_type, label)
    if period_type == "month":
        return start.year * 12 + start.month - 1
    if period_type == "quarter":
        return start.year * 4 + (start.month - 1) // 3
    return start.year


def period_at(period_type: str, index: int) -> str:
    if period_type == "month":
        return f"{index // 12:04d}-{index % 12 + 1:02d}"
    if period_type == "quarter":
        return f"{index // 4:04d}-Q{index % 4 + 1}"
    return year_label(index)


def period_containing(period_type: str, day: date, year_starts: str = APRIL) -> str:
    if period_type == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if period_type == "quarter":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    return year_label(reporting_year_of(day, year_starts))


def is_period(period_type: str, label: str) -> bool:
    try:
        period_bounds(period_type, label)
        return True
    except ValueError:
        return False


# --- a reader's period -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    """The days a figure covers, first and last included, and the moments that bound them in London. `label` names
    it (`2021-22`, `2022-Q1`, `2022-01`), or is None for any dates. `starts_at` may be later than the first day's
    start, for a period asked to begin at a moment."""

    label: str | None
    first: date
    last: date
    starts_at: datetime
    ends_at: datetime

    def holds(self, moment: datetime) -> bool:
        """Whether a moment falls in the period."""
        return self.starts_at <= moment <= self.ends_at

    def holds_day(self, day: date | str | None) -> bool:
        """Whether a day (or an ISO date) falls in the period; None does not."""
        if day is None:
            return False
        return self.first <= (date.fromisoformat(day) if isinstance(day, str) else day) <= self.last

    def shown(self) -> dict[str, str | None]:
        return {"label": self.label, "from": self.first.isoformat(), "to": self.last.isoformat(),
                "starts_at": self.starts_at.isoformat(), "ends_at": self.ends_at.isoformat()}


def days(first: date, last: date, label: str | None = None) -> Period:
    """The period from one day to another, both included; ValueError when it would end before it starts."""
    if last < first:
        raise ValueError(f"the period would end ({last}) before it starts ({first})")
    return Period(label, first, last, start_of_day(first), end_of_day(last))


def reporting_period(day: date, year_starts: str = APRIL) -> Period:
    """The partnership's reporting year holding `day`, as a period labelled like `2021-22`."""
    first, last = reporting_year(day, year_starts)
    return days(first, last, year_label(reporting_year_of(day, year_starts), year_starts))


def named_period(label: str, year_starts: str = APRIL) -> Period:
    """A period by its name: a reporting year (`2021-22`, or `2022` when the year starts on 1 January), a calendar
    quarter (`2022-Q1`) or a month (`2022-01`). ValueError for anything else."""
    if re.fullmatch(r"\d{4}", label) and year_starts == "01-01":
        return days(date(int(label), 1, 1), date(int(label), 12, 31), label)
    for kind in ("year", "quarter", "month"):
        try:
            first, last = period_bounds(kind, label, year_starts)
        except ValueError:
            continue
        return days(first, last, label)
    raise ValueError(f"{label!r} is not a period: write a reporting year like 2021-22, a quarter like 2022-Q1 or "
                     f"a month like 2022-01")
