"""What every reporting endpoint shares: the partnership in the path, the as-of moment and the period in the query
(`Window`), and the shape of its answer (`answer`).

The period is the partnership's own reporting year holding the as-of day unless the reader asks for another:
`?period=2021-22` (a reporting year), `?period=2022-Q1` (a calendar quarter), `?period=2022-01` (a month), or
`?from=2021-10-01&to=2022-03-31` (any days, both included). Asked for a period without an as-of moment, the figures
are as they stood at the period's end (or now, while it runs)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from fastapi import Path, Query
from fastapi.exceptions import RequestValidationError

from shared.calendar import Period, days, end_of_day, london_day, named_period, reporting_period
from shared.events.base import read_day, read_moment
from shared.http.problems import problem_responses
from shared.partnerships import CODE, Partnership

NOT_HOSTED = problem_responses({401: "no reader signed in and no read key (Authorization: Bearer <key>)",
                                404: "no such partnership is hosted here, or not one this reader may read"})
PartnershipCode = Path(pattern=CODE, max_length=63, description="The partnership's code, e.g. doncaster.")


def answer(partnership: Partnership, as_of: datetime, sources: Sequence[str], period: Period | None = None,
           **figures: Any) -> dict[str, Any]:
    """Every figure endpoint's answer, in one shape: which partnership, as of which moment (and its London day, the
    day dates are compared with), the partnership's reporting year's start, the period the figures cover (its
    label, first and last day, and the moments that bound it), the event types the figures are computed from, then
    the figures, each row naming its facts' event ids. A figure's own `sources`, where it gives them, are the
    answer's."""
    period = period or reporting_period(london_day(as_of), partnership.year_starts)
    return {"partnership": partnership.code, "as_of": as_of.isoformat(), "as_of_day": london_day(as_of).isoformat(),
            "year_starts": partnership.year_starts, "period": period.shown(), "sources": list(sources), **figures}


def parse_as_of(value: str | None, now: datetime | None = None) -> datetime:
    """`2022-03-31` is the end of that day in London; `2022-03-31T12:00:00+01:00` is that moment; none is now.
    Dates and moments by the rules of events' `Day` and `Moment` (shared.events.base): RFC 3339 only, years 1970
    to 2099 (a moment's in UTC). Raises ValueError."""
    if value is None:
        return now or datetime.now(timezone.utc)
    if len(value) == 10:
        return end_of_day(read_day(value))
    return read_moment(value)


def _invalid(name: str, message: str) -> RequestValidationError:
    return RequestValidationError([{"loc": ("query", name), "msg": message, "type": "value_error"}])


@dataclass(frozen=True)
class Window:
    """What the reader asked for: the as-of moment (None: not asked) and the period (a label, or days from and to;
    all None: the reporting year holding the as-of day). Resolved against the partnership's own year by `of`."""

    as_of: datetime | None = None
    period: str | None = None
    first: str | None = None
    last: str | None = None
    since: datetime | None = None  # training's older way to start the period at a moment

    def of(self, partnership: Partnership, now: datetime | None = None) -> tuple[datetime, Period]:
        """The as-of moment and the period, for this partnership; 422 naming the parameter when they cannot be."""
        now = now or datetime.now(timezone.utc)
        year_starts = partnership.year_starts
        try:
            if self.period is not None:
                period = named_period(self.period, year_starts)
            elif self.first is not None or self.last is not None:
                first = read_day(self.first) if self.first else None
                last = read_day(self.last) if self.last else None
                if first is None:
                    raise _invalid("from", "a period of days needs its first day, `from` (YYYY-MM-DD)")
                period = days(first, last or london_day(self.as_of or now))
            else:
                period = None
        except ValueError as exc:
            raise _invalid("period" if self.period is not None else "to", str(exc)) from exc
        as_of = self.as_of or (min(now, period.ends_at) if period else now)
        if period is None:
            period = reporting_period(london_day(as_of), year_starts)
        if self.since is not None:
            period = Period(None, london_day(self.since), period.last, self.since, period.ends_at)
        if period.starts_at > as_of:
            raise _invalid("period" if self.period is not None else "from" if self.first else "since",
                           f"the period starts ({period.first}) after the as-of moment ({as_of.isoformat()}): "
                           "nothing in it can have happened by then")
        return as_of, period


def _day_query(value: str | None, name: str) -> str | None:
    if value is not None:
        try:
            read_day(value)
        except ValueError as exc:
            raise _invalid(name, str(exc)) from exc
    return value


def window(as_of_: str | None = Query(
               None, alias="as_of", max_length=40,
               description="The figures as they stood at this moment: a date (YYYY-MM-DD, the end of that day in "
                           "London) or an RFC 3339 time with its offset. Default: now, or the end of the period "
                           "asked for when it has ended."),
           period: str | None = Query(
               None, max_length=10, pattern=r"^(\d{4}(-\d{2}|-Q[1-4])?)?$",
               description="The period the figures cover: a reporting year (2021-22, from the partnership's own "
                           "year start), a calendar quarter (2022-Q1) or a month (2022-01). Default: the "
                           "partnership's reporting year holding the as-of day."),
           first: str | None = Query(None, alias="from", max_length=10,
                                     description="Instead of `period`: the period's first day (YYYY-MM-DD)."),
           last: str | None = Query(None, alias="to", max_length=10,
                                    description="With `from`: the period's last day (YYYY-MM-DD). Default: the "
                                                "as-of day.")) -> Window:
    """FastAPI dependency: the as-of moment and the period asked for, each checked (422 naming it). An empty value
    is no value (a page's filter form sends its empty fields)."""
    as_of_, period, first, last = (v or None for v in (as_of_, period, first, last))
    if period is not None and (first is not None or last is not None):
        raise _invalid("period", "ask for a `period` or for days `from` and `to`, not both")
    moment = None
    if as_of_ is not None:
        try:
            moment = parse_as_of(as_of_)
        except ValueError as exc:
            raise _invalid("as_of", str(exc)) from exc
    return Window(moment, period, _day_query(first, "from"), _day_query(last, "to"))
