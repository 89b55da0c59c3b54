"""Debian's headless Chromium driven by Playwright (Python), for the tests that look at pages as a reader does.

`make test` installs Chromium when it is missing and the machine allows it (scripts/infra.sh, as root). Where it
cannot, the browser tests skip with the reason, except in CI, where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@contextmanager
def chromium() -> Iterator[Browser]:
    if CHROMIUM is None:
        assert not os.environ.get("CI"), "Chromium is missing in CI: scripts/infra.sh install should have installed it"
        pytest.skip("Chromium is not installed (apt-get install chromium): the pages are not checked in a browser")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            yield browser
        finally:
            browser.close()


def sign_in(page: Page, base: str, username: str, password: str, next: str = "/") -> None:
    """Fill in the sign-in form and send it, as a person would; wait for the page it leads to."""
    page.goto(f"{base}/login?next={quote(next, safe='')}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
