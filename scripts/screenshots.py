"""`make screenshots`: what a reader sees, as PNGs under docs/screenshots/, from the stack `make run` started.

Signs in as the sample board member (and the admin, for the audit log) in Debian's headless Chromium through
Playwright, and takes each page of Doncaster as it stood on 31 March 2022, full length, 1280 pixels wide.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
RUN_DIR = Path(os.environ.get("SCP_RUN_DIR") or ROOT / ".local" / "run")
OUT = ROOT / "docs" / "screenshots"
BASE = f"http://127.0.0.1:{os.environ.get('REPORTING_PORT', '8000')}"
AS_OF = "2022-03-31"
PAGES = {"overview": f"/p/doncaster/?as_of={AS_OF}", "strategy": f"/p/doncaster/strategy?as_of={AS_OF}",
         "reviews": f"/p/doncaster/reviews?as_of={AS_OF}", "training": f"/p/doncaster/training?as_of={AS_OF}",
         "digest": "/p/doncaster/digest?from=2021-10-01&to=2022-03-31",
         "report": "/p/doncaster/report?from=2021-10-01&to=2022-03-31",
         "briefing": "/p/doncaster/briefings/learning-cspr-2021-01?as_of=2022-03-31", "events": None, "index": "/", "login": "/login"}


def sign_in(page, username: str, password: str) -> None:
    page.goto(f"{BASE}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def main() -> int:
    readers = {r["role"]: r for r in json.loads((RUN_DIR / "sample-readers.json").read_text())["readers"]}
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                                             args=["--no-sandbox", "--disable-gpu"])
        anonymous = browser.new_page(viewport={"width": 1280, "height": 800})
        anonymous.goto(BASE + PAGES["login"])
        anonymous.screenshot(path=OUT / "login.png", full_page=True)
        page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
        sign_in(page, readers["board"]["username"], readers["board"]["password"])
        for name, path in PAGES.items():
            if name == "login":
                continue
            if name == "events":  # the events behind the first action on the strategy page
                page.goto(BASE + PAGES["strategy"])
                path = page.locator("a.events").first.get_attribute("href")
            page.goto(BASE + path)
            page.screenshot(path=OUT / f"{name}.png", full_page=True)
            print(f"docs/screenshots/{name}.png  {path}")
        admin = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
        sign_in(admin, readers["admin"]["username"], readers["admin"]["password"])
        admin.goto(f"{BASE}/p/doncaster/audit")
        admin.screenshot(path=OUT / "audit.png", full_page=True)
        print("docs/screenshots/audit.png  /p/doncaster/audit")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
