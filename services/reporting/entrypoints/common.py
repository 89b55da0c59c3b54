"""What every reporting endpoint shares: the partnership in the path, the as-of moment in the query, and the
shape of its answer (`answer`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any

from fastapi import HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError

from shared.calendar import end_of_day, london_day
from shared.events.base import read_day, read_moment
from shared.http.problems import problem_responses
from shared.partnerships import CODE, Partnership

NOT_HOSTED = problem_responses({404: "no such partnership is hosted here"})
PartnershipCode = Path(pattern=CODE, max_length=63, description="The partnership's code, e.g. doncaster.")


async def partnership_or_404(request: Request, code: str) -> Partnership:
    partnership = await request.app.state.runtime.partnerships.get(code)
    if partnership is None:
        raise HTTPException(404, f"no partnership {code!r} is hosted here")
    return partnership


def answer(partnership: Partnership, as_of: datetime, sources: Sequence[str], since: datetime | None = None,
           **figures: Any) -> dict[str, Any]:
    """Every figure endpoint's answer, in one shape: which partnership, as of which moment (and its London day, the
    day dates are compared with), the partnership's reporting year's start, the period asked for (`since`, or null
    for everything recorded by then), the event types the figures are computed from, then the figures, each row
    naming its facts' event ids. A figure's own `sources`, where it gives them, are the answer's."""
    return {"partnership": partnership.code, "as_of": as_of.isoformat(), "as_of_day": london_day(as_of).isoformat(),
            "year_starts": partnership.year_starts, "since": since.isoformat() if since else None,
            "sources": list(sources), **figures}


def parse_as_of(value: str | None, now: datetime | None = None) -> datetime:
    """`2022-03-31` is the end of that day in London; `2022-03-31T12:00:00+01:00` is that moment; none is now.
    Dates and moments by the rules of events' `Day` and `Moment` (shared.events.base): RFC 3339 only, years 1970
    to 2099 (a moment's in UTC). Raises ValueError."""
    if value is None:
        return now or datetime.now(timezone.utc)
    if len(value) == 10:
        return end_of_day(read_day(value))
    return read_moment(value)


def as_of(value: str | None = Query(
        None, alias="as_of", max_length=40,
        description="The figures as they stood at this moment: a date (YYYY-MM-DD, the end of that day in "
                    "London) or an RFC 3339 time with its offset. Default: now.")) -> datetime:
    """FastAPI dependency: the as-of moment (UTC), or 422 naming `as_of`."""
    try:
        return parse_as_of(value)
    except ValueError as exc:
        raise RequestValidationError([{"loc": ("query", "as_of"), "msg": str(exc), "type": "value_error"}]) from exc
