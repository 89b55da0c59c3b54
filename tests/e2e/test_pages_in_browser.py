"""The pages as a reader meets them, in Debian's Chromium driven by Playwright: the sample partnerships loaded
through the public APIs, the reporting service on a real port, readers of each role signing in.

The stories: nothing without signing in; the overview after signing in; an older as-of date shows an older
figure; a figure followed to its events; a live page changing within seconds of an event; another partnership
not found; a form without its CSRF token refused; the audit log showing the views; and no serious or critical
accessibility violation (axe-core, WCAG 2.2 AA) on any page.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from datetime import datetime, timezone

import pytest
import uvicorn

from shared.events.envelope import new_event
from tests.axe import violations
from tests.browser import async_chromium, signed_in
from tests.e2e.processes import free_port
from tests.harness import Stack, eventually

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery staple"
AS_OF = "2022-03-31"


@pytest.fixture(scope="module")
async def site(servers):
    """The stack with the sample loaded and projected, its reporting app served on a real port; a reader of each
    role for Doncaster, and one for Rotherham only."""
    kafka, mongo_url = servers
    async with Stack(f"t{uuid.uuid4().hex[:8]}-", kafka, mongo_url) as stack:
        assert await stack.load_sample() > 1800
        for username, role, partnerships in (("board", "board", ("doncaster",)), ("lqi", "lqi", ("doncaster",)),
                                             ("scrutineer", "scrutineer", ("doncaster", "rotherham")),
                                             ("admin", "admin", ("doncaster",)), ("rotherham", "board", ("rotherham",))):
            await stack.reader(username, role, partnerships, PASSWORD, name=f"Sample {username.capitalize()}")
        await stack.start_projector()

        await eventually(stack.caught_up, timeout_s=120)
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(stack.reporting_app, host="127.0.0.1", port=port, lifespan="off",
                                               log_level="warning"))
        serving = asyncio.create_task(server.serve())
        await eventually(lambda: asyncio.sleep(0, server.started))
        try:
            yield stack, f"http://127.0.0.1:{port}"
        finally:
            server.should_exit = True
            await asyncio.wait_for(serving, 30)


@pytest.fixture(scope="module")
async def browser():
    async with async_chromium() as chromium:
        yield chromium


async def test_nothing_is_shown_without_signing_in(site, browser):
    _, base = site
    page = await (await browser.new_context()).new_page()
    for path in ("/", "/p/doncaster/", f"/p/doncaster/reviews?as_of={AS_OF}", "/p/doncaster/audit"):
        await page.goto(base + path)
        assert re.search(r"/login\?next=", page.url), path
        assert await page.get_by_role("button", name="Sign in").is_visible()
    answer = await page.request.get(f"{base}/p/doncaster/api/reviews/cases")
    assert answer.status == 401


async def test_a_board_member_signs_in_and_sees_the_overview(site, browser):
    _, base = site
    page = await signed_in(browser, base, "board", PASSWORD, next=f"/p/doncaster/?as_of={AS_OF}")
    assert page.url == f"{base}/p/doncaster/?as_of={AS_OF}"
    text = await page.inner_text("main")
    assert "1,368 attendances at 100 sessions" in text
    assert "Sample Board (board member)" in await page.inner_text("header")
    await page.get_by_role("navigation", name="Pages").get_by_role("link", name="Training").click()
    assert "/p/doncaster/training?as_of=2022-03-31" in page.url  # the tabs keep the as-of date
    assert await page.inner_text("#attendances") == "1,368"
    assert "South Yorkshire Police" in await page.inner_text("#reach")  # names, never codes


async def test_an_older_as_of_date_shows_an_older_figure(site, browser):
    _, base = site
    page = await signed_in(browser, base, "lqi", PASSWORD, next=f"/p/doncaster/training?as_of={AS_OF}")
    assert await page.inner_text("#attendances") == "1,368"
    await page.get_by_label("As of").fill("2021-10-31")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Show").click()
    assert "as_of=2021-10-31" in page.url  # in the URL, so the view can be shared
    older = int((await page.inner_text("#attendances")).replace(",", ""))
    assert 0 < older < 1368
    assert "As of 2021-10-31" in await page.inner_text("#asof")


async def test_a_figure_is_followed_to_the_events_behind_it(site, browser):
    _, base = site
    page = await signed_in(browser, base, "scrutineer", PASSWORD, next=f"/p/doncaster/strategy?as_of={AS_OF}")
    await page.locator("table.actions a.events").first.click()
    await page.wait_for_url(re.compile(r"/p/doncaster/events\?ids="))
    rows = await page.locator("main table tbody tr").all_inner_texts()
    assert rows and all("strategy.action" in row for row in rows), rows
    assert any("Doncaster Safeguarding Children Partnership" in row for row in rows)  # the emitting agency, named


async def test_a_live_page_changes_within_seconds_of_an_event(site, browser):
    stack, base = site
    page = await signed_in(browser, base, "board", PASSWORD, next="/p/doncaster/strategy?period=2021-22")
    assert await page.locator(".live").is_visible()  # no as-of date: the page follows the read model
    before = await page.inner_text("#plans")
    assert "a. Actively participate in the work of the Partnership Improvement Board" in before
    first = page.locator("table.actions tr", has_text="Actively participate").first
    assert "on track" in await first.inner_text()
    key = await stack.key("dscp", ("strategy.*",))
    done = new_event("strategy.action.completed.v1", {"action_id": "priority-1-a", "completed_on": "2022-03-25"},
                     partnership="doncaster", agency="dscp", source="/partners/dscp/strategy",
                     time=datetime(2022, 3, 25, 12, tzinfo=timezone.utc))
    assert (await stack.post(done, key, service="strategy")).status_code == 202
    row = page.locator("table.actions tr", has_text="Actively participate").first
    await row.get_by_text("complete on time").wait_for(timeout=20_000)  # the page reloaded itself


async def test_another_partnerships_pages_and_figures_are_not_found(site, browser):
    _, base = site
    page = await signed_in(browser, base, "rotherham", PASSWORD, next="/")
    assert "Rotherham" in await page.inner_text("main") and "Doncaster" not in await page.inner_text("main")
    for path in ("/p/doncaster/", "/p/doncaster/reviews", "/p/doncaster/api/reviews/cases"):
        answer = await page.goto(base + path)
        assert answer.status == 404, path


async def test_a_form_posted_without_its_csrf_token_is_refused(site, browser):
    _, base = site
    page = await signed_in(browser, base, "board", PASSWORD, next="/p/doncaster/")
    forged = await page.request.post(f"{base}/logout", form={"csrf": "not the token"})
    assert forged.status == 403
    assert (await page.request.get(f"{base}/p/doncaster/api/dashboard")).status == 200  # still signed in
    await page.get_by_role("button", name="Sign out").click()
    await page.wait_for_url(re.compile(r"/login$"))
    assert (await page.request.get(f"{base}/p/doncaster/api/dashboard")).status == 401


async def test_the_admin_reads_who_viewed_what(site, browser):
    _, base = site
    reader = await signed_in(browser, base, "lqi", PASSWORD, next=f"/p/doncaster/reviews?as_of={AS_OF}")
    assert "Statutory clocks" in await reader.inner_text("main")
    await reader.goto(f"{base}/p/doncaster/reviews?as_of=2021-11-30")  # two clocks near breach that day
    rows = {await row.locator("td").nth(1).inner_text(): await row.locator("td").nth(6).inner_text()
            for row in await reader.locator("#clocks table").first.locator("tbody tr").all()}
    assert rows["Rapid review completed and sent to the Panel"] == "3"
    assert rows["Serious incident notified to the national Panel"] == "–"  # met
    admin = await signed_in(browser, base, "admin", PASSWORD, next="/")
    await admin.get_by_role("link", name="views").click()
    log = await admin.inner_text("#audit")
    assert "Sample Lqi" in log and f"GET /p/doncaster/reviews?as_of={AS_OF}" in log


async def test_no_page_has_a_serious_accessibility_violation(site, browser):
    _, base = site
    anonymous = await (await browser.new_context()).new_page()
    await anonymous.goto(f"{base}/login")
    found = {"/login": await violations(anonymous)}
    page = await signed_in(browser, base, "admin", PASSWORD, next="/")
    for path in ("/", f"/p/doncaster/?as_of={AS_OF}", f"/p/doncaster/strategy?as_of={AS_OF}",
                 f"/p/doncaster/reviews?as_of={AS_OF}", f"/p/doncaster/training?as_of={AS_OF}", "/p/doncaster/audit",
                 "/p/doncaster/notices",
                 "/p/doncaster/digest?from=2021-10-01&to=2022-03-31",
                 "/p/doncaster/report?from=2021-10-01&to=2022-03-31",
                 f"/p/doncaster/briefings/learning-maca-q3?as_of={AS_OF}"):
        await page.goto(base + path)
        found[path] = await violations(page)
    await page.goto(f"{base}/p/doncaster/strategy?as_of={AS_OF}")
    await page.locator("a.events").first.click()
    await page.wait_for_url(re.compile(r"/events\?"))
    found["events"] = await violations(page)
    assert not {path: v for path, v in found.items() if v}, found


async def test_the_lqi_group_follows_the_digest_to_a_briefing_and_the_yearly_report_to_its_events(site, browser):
    _, base = site
    page = await signed_in(browser, base, "lqi", PASSWORD, next="/p/doncaster/digest?from=2021-10-01&to=2022-03-31")
    await page.get_by_role("link", name="7-minute briefing").nth(2).click()
    await page.wait_for_url(re.compile(r"/briefings/learning-maca-q3"))
    assert "5. Questions for reflection" in await page.inner_text("article.document")
    await page.get_by_role("link", name="Yearly report").click()
    await page.wait_for_url(re.compile(r"/p/doncaster/report"))
    await page.goto(f"{base}/p/doncaster/report?from=2021-10-01&to=2022-03-31")
    text = await page.inner_text("article.document")
    assert "Before you publish: Working Together's four contents" in text and "Child Matters" in text
    await page.locator("article.document a", has_text="event").first.click()
    await page.wait_for_url(re.compile(r"/events\?ids="))
    assert "reviews." in await page.inner_text("main") or "strategy." in await page.inner_text("main")
