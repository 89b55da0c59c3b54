"""The dashboard's figures, computed from the read model when it has changed (so they are always live),
and served from a cache while it has not. They are the training figures' own functions as of now
(services.reporting.figures.training), so the dashboard and `/api/training` never disagree.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from cachetools import TTLCache
from pymongo.asynchronous.database import AsyncDatabase

from services.reporting.figures import training as figures
from services.reporting.projections import VERSIONS
from services.reporting.projections.training import ATTENDANCE


async def training_figures(db: AsyncDatabase, partnership: str, now: datetime | None = None) -> dict[str, Any]:
    """The dashboard's training tiles: the training figures (services.reporting.figures.training) as of now, the
    functions `/api/training` serves for any as-of date, never a second implementation of them."""
    now = now or datetime.now(timezone.utc)
    facts = await figures.load(db, partnership, now)
    seen, said = figures.attendance(facts, now), figures.evaluations(facts, now)
    surveys = figures.needs_analysis(facts, now)["surveys"]
    last = await last_attendance_event(db, partnership, facts, now)
    return {
        "attendances": seen["attendances"],
        "no_shows": seen["no_shows"],
        "late_cancellations": seen["late_cancellations"],
        "courses": len(facts.courses),
        "sessions": len(facts.sessions),
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
                               for p in figures.programmes(facts, now)["programmes"]],
    }


async def last_attendance_event(db: AsyncDatabase, partnership: str, facts: figures.Facts,
                                now: datetime) -> datetime | None:
    """The latest `time` of any attendance event of the partnership: of those loaded as of now, and of any a
    partner sent with a later time (which no figure counts yet, and the tile has always shown)."""
    later = db[ATTENDANCE].find({"partnership": partnership, "event_time": {"$gt": now}}, {"event_time": 1})
    times = [d["event_time"] for d in facts.attendance] + [figures.utc(d["event_time"]) async for d in later]
    return max(times, default=None)


async def dashboard(db: AsyncDatabase, partnership: str) -> dict[str, Any]:
    return {"partnership": partnership, "generated_at": datetime.now(timezone.utc).isoformat(),
            "training": await training_figures(db, partnership)}


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

    async def get(self, partnership: str) -> dict[str, Any]:
        stamp = await self.db[VERSIONS].find_one({"_id": partnership}, {"event_id": 1, "event_identity": 1})
        # the identity (source and id), not the id alone: two systems' latest events may share an id
        version = (stamp.get("event_identity") or stamp["event_id"]) if stamp else None
        cached = self._answers.get(partnership)
        if cached is not None and cached[0] == version:
            return cached[1]
        answer = await dashboard(self.db, partnership)
        answer["as_of_event"] = stamp["event_id"] if stamp else None
        self._answers[partnership] = (version, answer)
        self.computed += 1
        return answer
