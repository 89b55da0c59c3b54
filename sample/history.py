"""The sample as years of one partnership's history: the same facts, recorded again one, two, ... years later.

`years_of(events, n)` gives n years: year 0 is the sample itself; in year k every moment and date (the envelope's
`time` and every date, moment and period in `data`) is k years later, and every id (the envelope's `id`, its
`subject`, every `*_id` and `*_ids` field of `data`) carries `-y<k>`, so each year is a new year of facts: new
sessions, incidents, strategies, actions and KPIs, recorded by the same agencies for the same partnership. What
lasts from year to year keeps its id: people's pseudonymous references (the same workforce, trained again), the
courses (the same catalogue, run again and published again each year) and the Ofsted areas for improvement (the
same areas, identified again with the year's actions). For the figures bench (bench/figures.py `--years`): what a
partnership's own history costs its figures as it grows.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from shared.events.envelope import Envelope

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MOMENT = re.compile(r"^(\d{4})-\d{2}-\d{2}[Tt]")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_MONTH_OR_YEAR = re.compile(r"^(\d{4})-(\d{2})$")  # 2022-01 a month; 2021-22 a reporting year


def _later_day(day: date | datetime, years: int) -> date | datetime:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, in a year without one
        return day.replace(year=day.year + years, day=28)


def _later(value: Any, years: int) -> Any:
    """A date, moment or period `years` later; anything else as it is (lists and objects looked into)."""
    if isinstance(value, dict):
        return {k: _later(v, years) for k, v in value.items()}
    if isinstance(value, list):
        return [_later(v, years) for v in value]
    if not isinstance(value, str):
        return value
    if _DAY.match(value):
        return _later_day(date.fromisoformat(value), years).isoformat()
    if _MOMENT.match(value):
        return _later_day(datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00")), years).isoformat()
    if m := _QUARTER.match(value):
        return f"{int(m[1]) + years:04d}-Q{m[2]}"
    if m := _MONTH_OR_YEAR.match(value):
        first, second = int(m[1]), int(m[2])
        if second == (first + 1) % 100 and second > 12:  # a reporting year, 2021-22
            return f"{first + years:04d}-{(first + years + 1) % 100:02d}"
        return f"{first + years:04d}-{second:02d}"
    return value


KEPT = {"course_id", "area_id"}  # what lasts from year to year: the same courses, the same areas


def _renamed(data: dict[str, Any], suffix: str) -> dict[str, Any]:
    out = {}
    for key, value in data.items():
        if key in KEPT:
            pass
        elif key.endswith("_id") and isinstance(value, str):
            value = value + suffix
        elif key.endswith("_ids") and isinstance(value, list):
            value = [v + suffix for v in value]
        out[key] = value
    return out


def year_of(events: list[Envelope], k: int) -> list[Envelope]:
    """The events as they would be recorded `k` years on: moments, dates and periods later, ids of their own."""
    if k == 0:
        return list(events)
    suffix = f"-y{k}"
    return [Envelope.model_validate({
        **event.model_dump(mode="json", exclude_none=True),
        "id": event.id + suffix, "time": _later(event.time.isoformat(), k),
        **({"subject": event.subject if event.subject in {event.data.get(k) for k in KEPT} else event.subject + suffix}
           if event.subject else {}),
        "data": _later(_renamed(event.data, suffix), k)}) for event in events]


def years_of(events: list[Envelope], n: int) -> list[Envelope]:
    """`n` years of the events, year after year."""
    return [e for k in range(n) for e in year_of(events, k)]
