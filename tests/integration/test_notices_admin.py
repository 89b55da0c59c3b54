"""A partnership admin manages who is told of what: with the admin CLI, and on the dashboard's notices page (behind
sign-in, admins only, each form carrying its CSRF token, each change on the audit log)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from shared.adapters.mongo.subscriptions import Subscriptions

pytestmark = pytest.mark.integration
PASSWORD = "correct horse battery staple"


def _csrf(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page)[1]


async def test_an_admin_adds_and_removes_an_email_subscription_on_the_notices_page(stack):
    await stack.reader("admin", "admin", ("doncaster",), PASSWORD)
    await stack.reader("board", "board", ("doncaster",), PASSWORD)
    admin = await stack.browser()
    await stack.sign_in(admin, "admin", PASSWORD)
    page = await admin.get("/p/doncaster/notices")
    assert page.status_code == 200 and "No one is told of anything yet." in page.text

    added = await admin.post("/p/doncaster/notices/subscriptions", data={
        "csrf": _csrf(page.text), "email": "safeguarding@council.example.org", "name": "Council inbox",
        "topic": ["clocks", "actions"], "owner": "doncaster-council", "before": "5 1"})
    assert added.status_code == 303 and added.headers["location"] == "/p/doncaster/notices"
    (kept,) = await Subscriptions(stack.mongo[f"{stack.prefix}auth"]).all("doncaster")
    assert (str(kept.recipient.address), kept.topics, kept.owners, kept.when.before_working_days) == (
        "safeguarding@council.example.org", ("clocks", "actions"), ("doncaster-council",), (1, 5))
    page = await admin.get("/p/doncaster/notices")
    assert "Council inbox" in page.text and "5 working days before" in page.text

    bad = await admin.post("/p/doncaster/notices/subscriptions", data={"csrf": _csrf(page.text), "email": "not-mail"})
    assert bad.status_code == 422 and "Not added" in bad.text
    forged = await admin.post(f"/p/doncaster/notices/subscriptions/{kept.id}/remove", data={"csrf": "forged"})
    assert forged.status_code == 403

    board = await stack.browser()
    await stack.sign_in(board, "board", PASSWORD)
    assert (await board.get("/p/doncaster/notices")).status_code == 403
    assert (await board.post(f"/p/doncaster/notices/subscriptions/{kept.id}/remove",
                             data={"csrf": "x"})).status_code == 403

    removed = await admin.post(f"/p/doncaster/notices/subscriptions/{kept.id}/remove",
                               data={"csrf": _csrf(page.text)})
    assert removed.status_code == 303 and await Subscriptions(stack.mongo[f"{stack.prefix}auth"]).all() == []
    log = [e["what"] async for e in stack.mongo[f"{stack.prefix}auth"]["audit_log"].find({"who": "reader:admin"})]
    assert "POST /p/doncaster/notices/subscriptions" in log
    assert f"POST /p/doncaster/notices/subscriptions/{kept.id}/remove" in log


def test_the_admin_cli_adds_lists_and_removes_subscriptions(stack):
    env = {**os.environ, "MONGODB_URL": stack.mongo_url, "AUTH_DATABASE": f"{stack.prefix}auth"}

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "shared.auth", *args], env=env, capture_output=True, text=True,
                              timeout=60)

    made = cli("add-subscription", "--partnership", "doncaster", "--webhook", "https://dscp.example.org/hooks",
               "--topic", "kpis", "--owner", "dscp", "--before", "3", "--json")
    assert made.returncode == 0, made.stderr
    subscription = json.loads(made.stdout)
    assert subscription["recipient"]["secret"].startswith("whsec_") and subscription["topics"] == ["kpis"]
    listed = cli("list-subscriptions", "--partnership", "doncaster")
    assert subscription["id"] in listed.stdout and "whsec_" not in listed.stdout  # the secret is shown once
    assert "3wd-before" in listed.stdout
    assert cli("add-subscription", "--partnership", "nowhere", "--email", "a@b.example.org").returncode == 1
    assert cli("add-subscription", "--partnership", "doncaster", "--email", "not-mail").returncode == 2
    assert cli("remove-subscription", subscription["id"]).returncode == 0
    assert cli("remove-subscription", subscription["id"]).returncode == 1
