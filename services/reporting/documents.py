"""The documents the reporting service writes for a partnership and a period (the learning digest, the yearly
report, a learning item's 7-minute briefing): one way to render each as JSON, Markdown, HTML or PDF, and one command
line for all of them.

A document is its Markdown template, written once (Jinja2), shown as HTML (Python-Markdown, with its tables) and
printed to PDF by Chromium (services.reporting.outputs). Links to the dashboard's pages (a figure's events) are
relative in the Markdown, so that its bytes do not depend on where it is served; the printed HTML carries a
`<base href>` so that the PDF's links lead to the deployment that wrote it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import markdown

from services.reporting.outputs import pdf_of, render
from shared.calendar import Period
from shared.partnerships import Partnership

LINKED_IDS = 60  # a figure resting on more events than this links to its page, not to each event

# a document's answer: (read model, partnership, as-of moment, period, agency directory, the command's options)
Gather = Callable[[Any, Partnership, datetime, Period, Any, dict], Awaitable[dict | None]]


@dataclass(frozen=True)
class Document:
    name: str  # what it is called, e.g. "learning digest"
    template: str  # its Markdown template
    file_stem: str  # its download's name starts so: learning-digest

    def as_json(self, found: dict) -> str:
        return json.dumps(found, ensure_ascii=False, indent=1, sort_keys=False) + "\n"

    def as_markdown(self, found: dict, names=None) -> str:
        return render(self.template, d=found, agency_name=names or (lambda code: code),
                      events=events_link(found["partnership"]), page=page_link(found))

    def as_html_fragment(self, found: dict, names=None) -> str:
        """The Markdown as HTML, for the page and the print."""
        return markdown.markdown(self.as_markdown(found, names), extensions=["tables"], output_format="html")

    def as_html(self, found: dict, names=None, base_url: str | None = None) -> str:
        """The printable document (its styles inside: it is printed offline, not served under the site's CSP)."""
        return render("print.html", title=f"{self.name[:1].upper()}{self.name[1:]}: {found['name']}",
                      body=self.as_html_fragment(found, names), base_url=base_url)

    async def as_pdf(self, found: dict, names=None, base_url: str | None = None) -> bytes:
        return await pdf_of(self.as_html(found, names, base_url))

    def file_name(self, found: dict, extension: str) -> str:
        if found.get("learning_id"):  # a learning item's document
            return f"{self.file_stem}-{found['partnership']}-{found['learning_id']}.{extension}"
        return f"{self.file_stem}-{found['partnership']}-{found['period']['from']}-to-{found['period']['to']}" \
               f".{extension}"


def events_link(partnership: str) -> Callable[[Any, str], str]:
    """A Markdown link to the events page of these ids (or to `page` when there are too many to list): a figure's
    provenance."""
    def link(ids, page: str = "") -> str:
        ids = list(dict.fromkeys(ids or ()))
        if not ids:
            return "no events"
        if len(ids) > LINKED_IDS and page:
            return f"[{len(ids):,} events](/p/{partnership}/{page})"
        shown = ids[:LINKED_IDS]
        label = f"{len(ids)} event{'' if len(ids) == 1 else 's'}"
        return f"[{label}](/p/{partnership}/events?ids={quote(','.join(shown), safe=',')})"

    return link


def page_link(found: dict) -> Callable[[str], str]:
    """The path of one of the dashboard's pages for the document's period and as-of moment."""
    query = urlencode({"from": found["period"]["from"], "to": found["period"]["to"], "as_of": found["as_of"]})
    return lambda name: f"/p/{found['partnership']}/{name}?{query}"


async def run(args: argparse.Namespace, document: Document, gather: Gather) -> int:
    """Write the document for the arguments' partnership and period (see `parser`)."""
    from shared.adapters.mongo.agencies import AgencyRegistry
    from shared.adapters.mongo.client import connect
    from shared.adapters.mongo.partnerships import PartnershipRegistry
    from services.reporting.entrypoints.common import Window, parse_as_of
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
        shown = await gather(client[settings.mongodb_database], found, moment, period, directory, vars(args))
        if shown is None:
            print(f"no {document.name} of {found.name} answers these options", file=sys.stderr)
            return 1
        if args.format == "pdf":
            body: bytes | str = await document.as_pdf(shown, directory.name, args.base_url)
        elif args.format == "html":
            body = document.as_html(shown, directory.name, args.base_url)
        elif args.format == "md":
            body = document.as_markdown(shown, directory.name)
        else:
            body = document.as_json(shown)
        if args.output in (None, "-"):
            if isinstance(body, bytes):
                sys.stdout.buffer.write(body)
            else:
                sys.stdout.write(body)
        else:
            Path(args.output).write_bytes(body if isinstance(body, bytes) else body.encode())
            print(f"{args.output}: the {document.name} of {found.name}, {period.first} to {period.last}",
                  file=sys.stderr)
        return 0
    finally:
        await client.close()


def parser(prog: str, description: str) -> argparse.ArgumentParser:
    found = argparse.ArgumentParser(prog=prog, description=description)
    found.add_argument("--partnership", required=True)
    found.add_argument("--period", help="a reporting year (2021-22), a quarter (2022-Q1) or a month (2022-01)")
    found.add_argument("--from", dest="first", help="the first day (YYYY-MM-DD), instead of --period")
    found.add_argument("--to", dest="last", help="the last day, with --from (default: the as-of day)")
    found.add_argument("--as-of", help="as the partnership stood at this moment (default: the period's end, or now)")
    found.add_argument("--format", choices=("md", "html", "pdf", "json"), default="md")
    found.add_argument("--base-url", default=None,
                       help="where the dashboard is served (e.g. https://scp.example.org): the PDF's links lead there")
    found.add_argument("-o", "--output", help="the file to write (default: stdout)")
    return found


def main(prog: str, description: str, document: Document, gather: Gather,
         extra: Callable[[argparse.ArgumentParser], None] | None = None) -> None:
    arguments = parser(prog, description)
    if extra:
        extra(arguments)
    sys.exit(asyncio.run(run(arguments.parse_args(), document, gather)))
