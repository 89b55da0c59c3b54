"""The partnership's yearly report for a period (any 12 months, or the seed's six), with its checklist against
Working Together's four contents, as JSON, Markdown, HTML or PDF; and its command:

    python -m services.reporting.yearly_report --partnership doncaster --from 2021-10-01 --to 2022-03-31 \\
        --format pdf -o yearly-report.pdf     # or --period 2021-22; --format md|html|json; --base-url https://...

Reads MONGODB_URL, MONGODB_DATABASE (the read model, `reporting`) and AUTH_DATABASE like the service. The same
document is served behind sign-in at /p/{partnership}/report (.md, .pdf, api/report), each download on record.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from services.reporting.documents import Document, main as document_main
from services.reporting.entrypoints.common import answer
from services.reporting.figures import reviews, strategy, training, yearly
from shared.calendar import Period
from shared.partnerships import Partnership

SOURCES = sorted({*reviews.SOURCES, *strategy.SOURCES,
                  *(t for types in training.SOURCES.values() for t in types)})
REPORT = Document("yearly report", "yearly_report.md", "yearly-report")


def members(directory: Any, partnership: str) -> list[dict]:
    """The registered agencies of the partnership (an agency naming no partnership is a member of any), by kind and
    name."""
    listed = directory.members_of(partnership) if directory is not None else []
    return sorted(({"code": a.code, "name": a.name, "kind": a.kind.value} for a in listed),
                  key=lambda a: (a["kind"], a["name"]))


async def gather(db: AsyncDatabase, partnership: Partnership, as_of: datetime, period: Period,
                 directory: Any = None, options: dict | None = None) -> dict[str, Any]:
    """The report's answer: the common head, then its sections and checklist, from the three domains' figures for
    the period."""
    snap = await strategy.load(db, partnership.code, as_of, period)
    facts = await reviews.load(db, partnership.code, as_of, period)
    day = reviews.as_of_day(as_of)
    trained = await training.load(db, partnership.code, as_of, period)
    every_clock = reviews.clocks(facts, day, period)
    sections = yearly.report(
        agencies=members(directory, partnership.code), scorecard=strategy.scorecard(snap),
        kpis=strategy.kpis_shown(snap), attention=strategy.attention(snap), ofsted=strategy.ofsted(snap),
        cases=reviews.cases(facts, day, period), timeliness=reviews.timeliness(every_clock),
        recommendations=reviews.recommendations(facts, day, period), learning=reviews.learning(facts, day, period),
        audits=reviews.audits(facts, day, period), lado=reviews.lado(facts, day, every_clock, partnership.year_starts,
                                                                     period),
        briefings=reviews.briefings_used(facts, day, period), attendance=training.attendance(trained, as_of, period),
        evaluations=training.evaluations(trained, as_of, period), programmes=training.programmes(trained, as_of, period),
        voice=reviews.voice(facts, day, period), last_day=period.last.isoformat())
    return answer(partnership, as_of, SOURCES, period, name=partnership.name, area=partnership.area, **sections)


if __name__ == "__main__":
    document_main("python -m services.reporting.yearly_report", __doc__.splitlines()[0], REPORT, gather)
