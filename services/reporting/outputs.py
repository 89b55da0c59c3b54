"""The documents the reporting service writes (services.reporting.documents): Markdown and printable HTML from Jinja2
templates, and PDF printed from that HTML by Debian's headless Chromium through Playwright, with no network at
render time (every request the page would make is refused) and tagged for accessibility.

The Markdown and the JSON are byte-identical for the same events and period; the PDF's text is too (its bytes
carry Chromium's creation date).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES = Path(__file__).resolve().parent / "templates"
_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                   undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def _words(code) -> str:
    return str(code or "–").replace("_", " ")


def _pct(value) -> str:
    return f"{100 * value:.0f}%" if isinstance(value, (int, float)) else "–"


def _md(text) -> str:
    """Text safe in a Markdown table cell or line: no pipes, no line breaks, no HTML."""
    return " ".join(str(text or "").replace("|", "/").replace("<", "‹").replace(">", "›").split())


def _figure(value, unit: str = "count") -> str:
    """A KPI's figure in its unit: 82%, 1,176, 41.5 per 10,000; – without one."""
    if not isinstance(value, (int, float)):
        return "–"
    shown = f"{value:,.1f}".removesuffix(".0")
    return {"percent": f"{shown}%", "rate_per_10000": f"{shown} per 10,000"}.get(unit, shown)


def _plural(word) -> str:
    """theme -> themes, priority -> priorities."""
    word = _words(word)
    return f"{word[:-1]}ies" if word.endswith("y") else f"{word}s"


_env.filters.update(words=_words, pct=_pct, md=_md, figure=_figure, plural=_plural)


def render(template: str, **context) -> str:
    return _env.get_template(template).render(**context)


def chromium_path() -> str:
    found = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise RuntimeError("no Chromium to print PDFs with: apt-get install chromium, or set CHROMIUM_PATH")
    return found


async def pdf_of(html: str) -> bytes:
    """`html` printed to an A4 PDF by headless Chromium, offline."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium_path(),
                                                   args=["--no-sandbox", "--disable-gpu"])
        try:
            page = await browser.new_page()
            await page.route("**/*", lambda route: route.abort())  # nothing leaves the machine
            await page.set_content(html, wait_until="load")
            return await page.pdf(format="A4", print_background=True, tagged=True, outline=True,
                                  margin={"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"},
                                  display_header_footer=True, header_template="<span></span>",
                                  footer_template='<div style="font-size:8px;width:100%;text-align:center">'
                                                  '<span class="pageNumber"></span> / <span class="totalPages"></span>'
                                                  '</div>')
        finally:
            await browser.close()
