"""axe-core (npm), the accessibility engine the browser tests run on every page: installed into the cache once per
version, and served to the page by the test itself (a route of the page's own origin, so that its CSP holds)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

VERSION = "4.14.1"
CACHE = Path(os.environ.get("SCP_CACHE_DIR") or Path.home() / ".cache" / "scp") / "npm" / f"axe-core-{VERSION}"
ROUTE = "/__tests__/axe.min.js"


def script() -> Path:
    found = CACHE / "node_modules" / "axe-core" / "axe.min.js"
    if not found.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(CACHE),
                        f"axe-core@{VERSION}"], check=True, timeout=300, capture_output=True)
    return found


async def violations(page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict]:
    """axe-core's WCAG 2.2 A and AA violations of the page as it is now, of the given impacts."""
    source = script().read_text()

    async def serve(route):
        await route.fulfill(status=200, content_type="text/javascript", body=source)

    await page.route(f"**{ROUTE}", serve)
    await page.add_script_tag(url=ROUTE)
    result = await page.evaluate("""() => axe.run(document, {runOnly: {type: "tag", values:
        ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}})""")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"] if v["impact"] in impacts]
