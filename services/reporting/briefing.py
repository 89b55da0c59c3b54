"""A learning item's 7-minute briefing, as HTML, PDF, Markdown or JSON; and its command:

    python -m services.reporting.briefing --partnership doncaster --learning-id learning-cspr-2021-01 \\
        --format pdf -o briefing.pdf        # --as-of 2022-03-31; --format md|html|json

Reads MONGODB_URL, MONGODB_DATABASE (the read model, `reporting`) and AUTH_DATABASE like the service. The same
briefing is served behind sign-in at /p/{partnership}/briefings/{learning_id} (.pdf, .md, api/briefings/...), each
download on record. An agency records that it used one with its staff with `reviews.briefing.used.v1`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from services.reporting.documents import Document, main as document_main
from services.reporting.entrypoints.common import answer
from services.reporting.figures import briefing as briefing_figures, reviews
from shared.calendar import Period
from shared.partnerships import Partnership

SOURCES = [t for t in reviews.SOURCES if t.split(".")[1] in (
    "learning", "briefing", "audit", "practice_review", "rapid_review", "lado_review", "recommendation")]
BRIEFING = Document("7-minute briefing", "briefing.md", "7-minute-briefing")
SOURCE_KINDS = {"audit": "audits", "deep_dive": "audits", "practice_review": "practice_reviews",
                "rapid_review": "rapid_reviews", "lado_review": "lado_reviews", "lado_dip_sample": "dip_samples"}


async def gather(db: AsyncDatabase, partnership: Partnership, as_of: datetime, period: Period,
                 directory: Any = None, options: dict | None = None) -> dict[str, Any] | None:
    """The briefing of the learning item `options["learning_id"]` as it stood at `as_of` (None when no such item
    was disseminated by then), whatever period it was disseminated in."""
    learning_id = (options or {}).get("learning_id")
    facts = await reviews.load(db, partnership.code, as_of)
    day = reviews.as_of_day(as_of)
    item = facts.learning.get(learning_id)
    if item is None or not item.get("disseminated_on") or item["disseminated_on"] > day.isoformat():
        return None
    kind = SOURCE_KINDS.get(item["source"])
    source = getattr(facts, kind).get(item.get("source_id")) if kind else None
    uses = {row["learning_id"]: row for row in reviews.briefings_used(facts, day)["by_learning_item"]}
    shown = briefing_figures.briefing(item, source, reviews.recommendations(facts, day)["recommendations"],
                                      uses.get(learning_id))
    return answer(partnership, as_of, SOURCES, period, name=partnership.name, **shown)


def _learning_id(arguments) -> None:
    arguments.add_argument("--learning-id", required=True, help="the learning item, e.g. learning-cspr-2021-01")


if __name__ == "__main__":
    document_main("python -m services.reporting.briefing", __doc__.splitlines()[0], BRIEFING, gather, _learning_id)
