"""The learning digest of a partnership for a period, as JSON, Markdown, HTML or PDF; and its command:

    python -m services.reporting.digest --partnership doncaster --from 2021-10-01 --to 2022-03-31 \\
        --format pdf -o digest.pdf          # or --period 2022-Q1; --format md|html|json; --as-of 2022-04-30

Reads MONGODB_URL, MONGODB_DATABASE (the read model, `reporting`) and AUTH_DATABASE like the service. The same
document is served behind sign-in at /p/{partnership}/digest (.md, .pdf, api/digest), each download on record.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import markdown
from pymongo.asynchronous.database import AsyncDatabase

from services.reporting.entrypoints.common import Window, answer, parse_as_of
from services.reporting.figures import digest as digest_figures, reviews, strategy, training
from services.reporting.outputs import pdf_of, render
from shared.calendar import Period
from shared.partnerships import Partnership

SOURCES = sorted({*reviews.SOURCES, *strategy.SOURCES,
                  *(t for types in training.SOURCES.values() for t in types)})


async def gather(db: AsyncDatabase, partnership: Partnership, as_of: datetime, period: Period) -> dict[str, Any]:
    """The digest's answer: the common head, then its sections, from the three domains' figures for the period."""
    snap = await strategy.load(db, partnership.code, as_of, period)
    facts = await reviews.load(db, partnership.code, as_of, period)
    day = reviews.as_of_day(as_of)
    trained = await training.load(db, partnership.code, as_of, period)
    sections = digest_figures.digest(
        learning=reviews.learning(facts, day, period), recommendations=reviews.recommendations(facts, day, period),
        audits=reviews.audits(facts, day, period), scorecard=strategy.scorecard(snap),
        served=training.priorities(trained, as_of, period)["served"],
        attendance=training.attendance(trained, as_of, period), evaluations=training.evaluations(trained, as_of, period))
    return answer(partnership, as_of, SOURCES, period, name=partnership.name, **sections)


def as_json(found: dict) -> str:
    return json.dumps(found, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def as_markdown(found: dict, names=None) -> str:
    return render("digest.md", d=found, agency_name=names or (lambda code: code))


def as_html_fragment(found: dict, names=None) -> str:
    """The Markdown as HTML (Python-Markdown, with its tables), for the page and the print."""
    return markdown.markdown(as_markdown(found, names), extensions=["tables"], output_format="html")


def as_html(found: dict, names=None) -> str:
    """The printable document (its styles inside: it is printed offline, not served under the site's CSP)."""
    return render("print.html", title=f"Learning digest: {found['name']}", body=as_html_fragment(found, names))


async def as_pdf(found: dict, names=None) -> bytes:
    return await pdf_of(as_html(found, names))


async def _main(args: argparse.Namespace) -> int:
    from shared.adapters.mongo.agencies import AgencyRegistry
    from shared.adapters.mongo.client import connect
    from shared.adapters.mongo.partnerships import PartnershipRegistry
    from services.reporting.settings import ReportingSettings

    settings = ReportingSettings()
    client = connect(settings.mongodb_url)
    try:
        found = await PartnershipRegistry(client[settings.auth_database]).get(args.partnership)
        if found is None:
            print(f"no partnership {args.partnership!r} is hosted here", file=sys.stderr)
            return 1
        try:
            asked = Window(parse_as_of(args.as_of) if args.as_of else None, args.period, args.first, args.last)
            moment, period = asked.of(found)
        except Exception as exc:  # a bad date or period: say which, as the API would
            print(f"cannot read the period: {exc}", file=sys.stderr)
            return 2
        directory = await AgencyRegistry(client[settings.auth_database]).directory()
        shown = await gather(client[settings.mongodb_database], found, moment, period)
        if args.format == "pdf":
            body: bytes | str = await as_pdf(shown, directory.name)
        else:
            body = {"json": as_json, "md": as_markdown, "html": as_html}[args.format](
                shown, *([] if args.format == "json" else [directory.name]))
        if args.output in (None, "-"):
            if isinstance(body, bytes):
                sys.stdout.buffer.write(body)
            else:
                sys.stdout.write(body)
        else:
            Path(args.output).write_bytes(body if isinstance(body, bytes) else body.encode())
            print(f"{args.output}: the learning digest of {found.name}, {period.first} to {period.last}",
                  file=sys.stderr)
        return 0
    finally:
        await client.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m services.reporting.digest", description=__doc__.splitlines()[0])
    parser.add_argument("--partnership", required=True)
    parser.add_argument("--period", help="a reporting year (2021-22), a quarter (2022-Q1) or a month (2022-01)")
    parser.add_argument("--from", dest="first", help="the first day (YYYY-MM-DD), instead of --period")
    parser.add_argument("--to", dest="last", help="the last day, with --from (default: the as-of day)")
    parser.add_argument("--as-of", help="as the partnership stood at this moment (default: the period's end, or now)")
    parser.add_argument("--format", choices=("md", "html", "pdf", "json"), default="md")
    parser.add_argument("-o", "--output", help="the file to write (default: stdout)")
    sys.exit(asyncio.run(_main(parser.parse_args())))


if __name__ == "__main__":
    main()
