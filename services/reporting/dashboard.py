"""The dashboard's figures, computed from the read model when it has changed (so they are always live),
and served from a cache while it has not. They are the training figures' own functions as of now
(services.reporting.figures.training), so the dashboard and `/api/training` never disagree.

The tiles cover the partnership's reporting year of its latest session held by now (the year running, once it
has a session; until then the last year that had one), and say which (`period`): `/api/training` for that period
gives the same numbers.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from cachetools import TTLCache
from pymongo.asynchronous.database import AsyncDatabase

from services.reporting.figures import training as figures
from services.reporting.projections import VERSIONS
from shared.calendar import APRIL, Period, london_day, reporting_period


def latest_year(facts: figures.Facts, now: datetime, year_starts: str = APRIL) -> Period:
    """The reporting year of the latest session held by `now`; the year holding `now` when none has been."""
    held = [doc["starts_at"] for doc in facts.sessions.values() if doc["starts_at"] <= now]
    return reporting_period(london_day(max(held, default=now)), year_starts)


async def training_figures(db: AsyncDatabase, partnership: str, now: datetime | None = None,
                           year_starts: str = APRIL) -> dict[str, Any]:
    """The dashboard's training tiles: the training figures (services.reporting.figures.training) as of now, for
    the reporting year of the latest session held (`latest_year`): the functions `/api/training` serves for any
    as-of date and period, never a second implementation of them."""
    now = now or datetime.now(timezone.utc)
    period = reporting_period(london_day(now), year_starts)
    facts = await figures.load(db, partnership, now, period)  # the year running: what it holds, not all history
    if not any(period.holds(doc["starts_at"]) and doc["starts_at"] <= now for doc in facts.sessions.values()):
        facts = await figures.load(db, partnership, now)  # no session held this year yet: the latest year that had
    period = latest_year(facts, now, year_starts)
    seen, said = figures.attendance(facts, now, period), figures.evaluations(facts, now, period)
    surveys = figures.needs_analysis(facts, now, period)["surveys"]
    last = max([d["event_time"] for d in facts.attendance] + facts.attended_later, default=None)
    return {
        "period": period.shown(),
        "attendances": seen["attendances"],
        "no_shows": seen["no_shows"],
        "late_cancellations": seen["late_cancellations"],
        "courses": len(facts.courses),
        "sessions": sum(1 for doc in facts.sessions.values() if period.holds(doc["starts_at"])),
        "by_agency": seen["by_agency"],
        "by_course": sorted(({k: row[k] for k in ("course_id", "title", "sessions", "attended")}
                             for row in seen["by_course"]), key=lambda r: (-r["attended"], r["title"])),
        "by_delivery_mode": [{k: row[k] for k in ("mode", "sessions", "attended", "share")}
                             for row in seen["by_delivery_mode"]],
        "last_event_at": last.isoformat() if last else None,
        "sources": seen["sources"],
        "evaluations": {"responses": said["responses"], "agreed_both": said["agreed_both"],
                        "response_rate": said["response_rate"], "sources": said["sources"]},
        "needs_analysis": surveys[-1] if surveys else None,
        "partner_programmes": [{k: p[k] for k in ("programme_id", "title", "reported_by", "sessions", "attendees")}
                               for p in figures.programmes(facts, now, period)["programmes"]],
    }


async def dashboard(db: AsyncDatabase, partnership: str, year_starts: str = APRIL) -> dict[str, Any]:
    return {"partnership": partnership, "generated_at": datetime.now(timezone.utc).isoformat(),
            "training": await training_figures(db, partnership, year_starts=year_starts)}


class DashboardCache:
    """Answers kept until the projector projects a new event for their partnership.

    A read costs one lookup by `_id` (the partnership's `read_model_versions` document) whatever the
    volume of data; the figures are computed again only after they changed, so the answer is never
    older than the last projected event. Bounded: at most `size` partnerships, each for `ttl_s`.
    """

    def __init__(self, db: AsyncDatabase, size: int = 1024, ttl_s: float = 3600.0):
        self.db = db
        self._answers: TTLCache[str, tuple[Any, dict[str, Any]]] = TTLCache(maxsize=size, ttl=ttl_s)
        self.computed = 0  # how many answers were computed rather than served from the cache

    async def get(self, partnership: str, year_starts: str = APRIL) -> dict[str, Any]:
        stamp = await self.db[VERSIONS].find_one({"_id": partnership}, {"event_id": 1, "event_identity": 1})
        # the identity (source and id), not the id alone: two systems' latest events may share an id
        version = (stamp.get("event_identity") or stamp["event_id"]) if stamp else None
        cached = self._answers.get(partnership)
        if cached is not None and cached[0] == version:
            return cached[1]
        answer = await dashboard(self.db, partnership, year_starts)
        answer["as_of_event"] = stamp["event_id"] if stamp else None
        self._answers[partnership] = (version, answer)
        self.computed += 1
        return answer
