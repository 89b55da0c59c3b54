"""The learning digest of a partnership for a period, as JSON, Markdown, HTML or PDF; and its command:

    python -m services.reporting.digest --partnership doncaster --from 2021-10-01 --to 2022-03-31 \\
        --format pdf -o digest.pdf          # or --period 2022-Q1; --format md|html|json; --as-of 2022-04-30

Reads MONGODB_URL, MONGODB_DATABASE (the read model, `reporting`) and AUTH_DATABASE like the service. The same
document is served behind sign-in at /p/{partnership}/digest (.md, .pdf, api/digest), each download on record.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from services.reporting.documents import Document, main as document_main
from services.reporting.entrypoints.common import answer
from services.reporting.figures import digest as digest_figures, reviews, strategy, training
from shared.calendar import Period
from shared.partnerships import Partnership

SOURCES = sorted({*reviews.SOURCES, *strategy.SOURCES,
                  *(t for types in training.SOURCES.values() for t in types)})
DIGEST = Document("learning digest", "digest.md", "learning-digest")


async def gather(db: AsyncDatabase, partnership: Partnership, as_of: datetime, period: Period,
                 directory: Any = None, options: dict | None = None) -> dict[str, Any]:
    """The digest's answer: the common head, then its sections, from the three domains' figures for the period."""
    snap = await strategy.load(db, partnership.code, as_of, period)
    facts = await reviews.load(db, partnership.code, as_of, period)
    day = reviews.as_of_day(as_of)
    trained = await training.load(db, partnership.code, as_of, period)
    sections = digest_figures.digest(
        learning=reviews.learning(facts, day, period), recommendations=reviews.recommendations(facts, day, period),
        audits=reviews.audits(facts, day, period), scorecard=strategy.scorecard(snap),
        served=training.priorities(trained, as_of, period)["served"],
        attendance=training.attendance(trained, as_of, period), evaluations=training.evaluations(trained, as_of, period),
        briefings=reviews.briefings_used(facts, day, period))
    return answer(partnership, as_of, SOURCES, period, name=partnership.name, **sections)


if __name__ == "__main__":
    document_main("python -m services.reporting.digest", __doc__.splitlines()[0], DIGEST, gather)
