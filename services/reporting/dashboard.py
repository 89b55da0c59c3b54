"""The dashboard's figures, computed from the read model when it has changed (so they are always live),
and served from a cache while it has not.

Only $match/$group/$sum/$sort are used (MongoDB and FerretDB alike); joins of the small course and
session lists are done here in Python, since $lookup is not in the common subset.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timezone
from typing import Any

from cachetools import TTLCache
from pymongo.asynchronous.database import AsyncDatabase

from services.reporting.projections.source import recorded_order
from services.reporting.projections import VERSIONS

from services.reporting.figures import training as figures
from services.reporting.projections.training import ATTENDANCE, COURSES, EVALUATIONS, PROGRAMMES, SESSIONS, SURVEYS
from shared.training_rules import agrees

MODES = ("face_to_face", "virtual", "e_learning")


async def _group(db: AsyncDatabase, collection: str, key: dict, match: dict | None = None) -> list[dict]:
    pipeline: list[dict] = [{"$match": match}] if match else []
    pipeline.append({"$group": {"_id": key, "n": {"$sum": 1}}})
    return [row async for row in await db[collection].aggregate(pipeline)]


async def training_figures(db: AsyncDatabase, partnership: str) -> dict[str, Any]:
    """The training figures of one partnership: every query is filtered on it."""
    mine = {"partnership": partnership}
    outcomes = {row["_id"]: row["n"] for row in await _group(db, ATTENDANCE, "$outcome", mine)}
    per_session = await _group(db, ATTENDANCE, {"session": "$session_id", "agency": "$attendee_agency"},
                               {**mine, "outcome": "attended"})
    courses = {figures.own_id(d): d async for d in db[COURSES].find(mine, {"title": 1})}
    sessions = {figures.own_id(d): d async for d in db[SESSIONS].find(mine, {"course_id": 1, "delivery_mode": 1})}

    by_agency: Counter[str] = Counter()
    by_course: dict[str, Counter] = defaultdict(Counter)
    by_mode: dict[str, Counter] = defaultdict(Counter)
    for row in per_session:
        session = sessions.get(row["_id"]["session"], {})
        by_agency[row["_id"]["agency"]] += row["n"]
        by_course[session.get("course_id", "unknown")]["attended"] += row["n"]
        by_mode[session.get("delivery_mode", "unknown")]["attended"] += row["n"]
    for session in sessions.values():
        by_course[session["course_id"]]["sessions"] += 1
        by_mode[session["delivery_mode"]]["sessions"] += 1
    attended = outcomes.get("attended", 0)
    last = [d async for d in db[ATTENDANCE].find(mine, {"event_time": 1}).sort("event_time", -1).limit(1)]

    return {
        "attendances": attended,
        "no_shows": outcomes.get("no_show", 0),
        "late_cancellations": outcomes.get("cancelled_late", 0),
        "courses": len(courses),
        "sessions": len(sessions),
        "by_agency": [{"agency": a, "attended": n} for a, n in sorted(by_agency.items(), key=lambda kv: (-kv[1], kv[0]))],
        "by_course": sorted(
            [{"course_id": c, "title": courses.get(c, {}).get("title", "(course not yet published)"),
              "sessions": v["sessions"], "attended": v["attended"]} for c, v in by_course.items()],
            key=lambda r: (-r["attended"], r["title"])),
        "by_delivery_mode": [{"mode": m, "sessions": by_mode[m]["sessions"], "attended": by_mode[m]["attended"],
                              "share": round(by_mode[m]["attended"] / attended, 3) if attended else 0.0}
                             for m in (*MODES, *sorted(set(by_mode) - set(MODES)))],
        "last_event_at": last[0]["event_time"].astimezone(timezone.utc).isoformat() if last else None,
        "sources": ["training.course.published.v1", "training.session.scheduled.v1", "training.attendance.recorded.v1"],
        **await _feedback_and_partners(db, partnership, attended),
    }


async def _feedback_and_partners(db: AsyncDatabase, partnership: str, attended: int) -> dict[str, Any]:
    """Evaluations on the day, the latest needs analysis, and partner programmes (reported in aggregate, never added
    into `attendances`), as they stand now; for any as-of date, see /p/{partnership}/api/training."""
    mine, now = {"partnership": partnership}, datetime.now(timezone.utc)
    latest: dict[tuple, dict] = {}
    async for d in db[EVALUATIONS].find({**mine, "kind": "on_the_day"},
                                        {"session_id": 1, "attendee_ref": 1, "good_use_of_time": 1,
                                         "positive_impact": 1, "event_time": 1, "event_id": 1, "event_source": 1}):
        key = (d["session_id"], d["attendee_ref"])
        if key not in latest or recorded_order(latest[key]) < recorded_order(d):
            latest[key] = d
    both = sum(1 for d in latest.values() if agrees(d["good_use_of_time"]) and agrees(d["positive_impact"]))
    facts = figures.Facts(surveys=[d async for d in db[SURVEYS].find(mine)],
                          programmes=[d async for d in db[PROGRAMMES].find(mine)])
    for d in facts.surveys + facts.programmes:
        d["event_time"] = d["event_time"].astimezone(timezone.utc)
    surveys = figures.needs_analysis(facts, now)["surveys"]
    return {
        "evaluations": {"responses": len(latest), "agreed_both": both,
                        "response_rate": round(len(latest) / attended, 3) if attended else None,
                        "sources": ["training.evaluation.submitted.v1"]},
        "needs_analysis": surveys[-1] if surveys else None,
        "partner_programmes": [{k: p[k] for k in ("programme_id", "title", "reported_by", "sessions", "attendees")}
                               for p in figures.programmes(facts, now)["programmes"]],
    }


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
