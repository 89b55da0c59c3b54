"""Debian's headless Chromium driven by Playwright (Python), for the tests that look at pages as a reader does.

`make test` installs Chromium when it is missing and the machine allows it (scripts/infra.sh, as root). Where it
cannot, the browser tests skip with the reason, except in CI, where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import asynccontextmanager, contextmanager
from urllib.parse import quote

import pytest
from playwright.async_api import async_playwright
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _require_chromium() -> None:
    if CHROMIUM is None:
        assert not os.environ.get("CI"), "Chromium is missing in CI: scripts/infra.sh install should have installed it"
        pytest.skip("Chromium is not installed (apt-get install chromium): the pages are not checked in a browser")


@contextmanager
def chromium() -> Iterator[Browser]:
    _require_chromium()
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


@asynccontextmanager
async def async_chromium():
    """Chromium for async tests (Playwright's async API), as `chromium()` for sync ones."""
    _require_chromium()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            yield browser
        finally:
            await browser.close()


async def signed_in(browser, base: str, username: str, password: str, next: str = "/"):
    """A new browser context (its own cookies) with a page signed in as `username`, at `next`."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    await page.goto(f"{base}/login?next={quote(next, safe='')}")
    await page.get_by_label("Username").fill(username)
    await page.get_by_label("Password").fill(password)
    async with page.expect_navigation():
        await page.get_by_role("button", name="Sign in").click()
    return page
