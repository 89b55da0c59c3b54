"""Readers sign in to read; nobody reads without signing in or a read key; a reader of one partnership finds no other;
every view is on record for the partnership's admin."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import httpx
import pytest

from shared.adapters.mongo.readers import SessionStore

pytestmark = pytest.mark.integration

PAGES_AND_FIGURES = ["/", "/api/partnerships", "/p/doncaster/", "/p/doncaster/api/dashboard",
                     "/p/doncaster/api/audit", "/p/doncaster/audit"]


def _partnership_routes(app) -> list[str]:
    """Every GET route under /p/{partnership}, with its path parameters filled in."""
    def routes(container):
        for route in container.routes:
            inner = getattr(route, "original_router", None)  # an included router (FastAPI 0.165)
            yield from routes(inner) if inner is not None else [route]

    paths = [r.path for r in routes(app) if getattr(r, "methods", None) and "GET" in r.methods
             and r.path.startswith("/p/{partnership}")]
    return [p.replace("{partnership}", "doncaster").replace("{kpi_id}", "gcp")
            .replace("{learning_id}", "learning-cspr-2021-01") for p in paths]


async def test_nothing_is_read_without_signing_in_or_a_read_key(stack):
    anonymous = await stack.browser()
    routes = _partnership_routes(stack.reporting_app)
    assert len(routes) >= 20, routes  # the figures of three domains, the dashboard, its page and the audit log
    for path in sorted(set(routes + PAGES_AND_FIGURES)):
        response = await anonymous.get(path)
        if "/api/" in path:
            assert response.status_code == 401, (path, response.status_code)
            assert response.headers["www-authenticate"].startswith("Bearer")
            assert response.json()["errors"][0]["loc"] == ["header", "authorization"]
        elif not path.endswith("/") and path + "/" in routes:  # /p/doncaster: to the page with its slash
            assert response.status_code == 308
        else:  # a page sends the browser to the sign-in form, and back afterwards
            assert response.status_code == 303, (path, response.status_code)
            assert response.headers["location"].startswith("/login?next=")


async def test_a_board_member_signs_in_and_sees_only_their_partnership(stack):
    password = await stack.reader("alice", "board", ("doncaster",), name="Alice Smith")
    browser = await stack.browser()
    first = await browser.get("/p/doncaster/api/dashboard")
    assert first.status_code == 401

    signed_in = await stack.sign_in(browser, "Alice", password, next="/p/doncaster/")
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/p/doncaster/"
    cookie = signed_in.headers["set-cookie"]
    assert "scp_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" in cookie

    page = await browser.get("/p/doncaster/")
    assert page.status_code == 200 and "Alice Smith" in page.text and "board member" in page.text
    assert (await browser.get("/p/doncaster/api/dashboard")).status_code == 200
    assert (await browser.get("/p/doncaster/api/reviews/cases")).status_code == 200
    index = await browser.get("/")
    assert "/p/doncaster/" in index.text and "/p/rotherham/" not in index.text
    assert [p["code"] for p in (await browser.get("/api/partnerships")).json()] == ["doncaster"]

    # another partnership's pages and figures are not there for her, exactly as one that is not hosted
    for path in ("/p/rotherham/", "/p/rotherham/api/dashboard", "/p/rotherham/api/reviews/cases"):
        other, unknown = await browser.get(path), await browser.get(path.replace("rotherham", "nowhere"))
        assert other.status_code == unknown.status_code == 404, path
        assert other.json()["detail"].replace("rotherham", "X") == unknown.json()["detail"].replace("nowhere", "X")


async def test_a_read_key_reads_its_partnerships_figures_and_nothing_else(stack):
    from shared.adapters.mongo.keys import KeyStore

    keys = KeyStore(stack.mongo[f"{stack.prefix}auth"])
    read_key, _ = await keys.create_read_key("Doncaster BI", partnerships=["doncaster"])
    partner_key = await stack.key()
    tool = httpx.AsyncClient(transport=httpx.ASGITransport(stack.reporting_app), base_url="http://reporting")
    async with tool:
        bearer = {"authorization": f"Bearer {read_key}"}
        assert (await tool.get("/p/doncaster/api/training", headers=bearer)).status_code == 200
        assert (await tool.get("/p/rotherham/api/training", headers=bearer)).status_code == 404
        emitting = await tool.get("/p/doncaster/api/training", headers={"authorization": f"Bearer {partner_key}"})
        assert emitting.status_code == 401 and 'error="invalid_token"' in emitting.headers["www-authenticate"]
        assert "read key" in emitting.json()["detail"]
    # and a read key emits nothing
    refused = await stack.post([], read_key, service="training", body=b"[]")
    assert refused.status_code == 403 and "read key" in refused.json()["detail"]


async def test_forms_without_their_csrf_token_are_refused(stack):
    password = await stack.reader("bob", "lqi")
    browser = await stack.browser()
    await browser.get("/login")  # the form's cookie is set, but the token is not sent back
    forged = await browser.post("/login", data={"username": "bob", "password": password, "next": "/"})
    assert forged.status_code == 403 and "scp_session" not in forged.headers.get("set-cookie", "")

    assert (await stack.sign_in(browser, "bob", password)).status_code == 303
    sign_out = await browser.post("/logout", data={})
    assert sign_out.status_code == 403
    assert (await browser.get("/p/doncaster/api/dashboard")).status_code == 200  # still signed in

    page = await browser.get("/p/doncaster/")
    csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
    assert (await browser.post("/logout", data={"csrf": csrf})).status_code == 303
    assert (await browser.get("/p/doncaster/api/dashboard")).status_code == 401


async def test_sign_in_goes_back_only_to_this_site(stack):
    password = await stack.reader("carol", "scrutineer")
    for target in ("https://evil.example/", "//evil.example/p/", "/\\evil.example"):
        browser = await stack.browser()
        response = await stack.sign_in(browser, "carol", password, next=target)
        assert response.status_code == 303 and response.headers["location"] == "/", target


async def test_failed_sign_ins_are_throttled_per_account(stack):
    password = await stack.reader("dave", "board")
    browser = await stack.browser()
    for _ in range(stack.reporting_settings.login_failures_per_account):
        assert (await stack.sign_in(browser, "dave", "not the password at all")).status_code == 401
    refused = await stack.sign_in(browser, "dave", password)  # even the right password waits now
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    assert "Too many failed sign-ins" in refused.text
    other = await stack.reader("erin", "board")
    assert (await stack.sign_in(browser, "erin", other)).status_code == 303  # another account is not locked


async def test_failed_sign_ins_are_throttled_per_address(stack):
    await stack.reader("frank", "board")
    browser = await stack.browser()
    for i in range(stack.reporting_settings.login_failures_per_address):
        assert (await stack.sign_in(browser, f"guess{i}", "not the password at all")).status_code == 401
    assert (await stack.sign_in(browser, "frank", "correct horse battery staple")).status_code == 429


async def test_sessions_end_when_idle_revoked_or_disabled(stack):
    auth = stack.mongo[f"{stack.prefix}auth"]
    password = await stack.reader("gill", "board")
    browser = await stack.browser()
    await stack.sign_in(browser, "gill", password)
    assert (await browser.get("/p/doncaster/api/dashboard")).status_code == 200
    an_hour_ago = datetime.now(timezone.utc) - timedelta(minutes=stack.reporting_settings.session_idle_minutes + 1)
    await auth["reader_sessions"].update_many({"username": "gill"}, {"$set": {"last_seen": an_hour_ago}})
    assert (await browser.get("/p/doncaster/api/dashboard")).status_code == 401  # idle too long

    await stack.sign_in(browser, "gill", password)
    assert (await browser.get("/p/doncaster/api/dashboard")).status_code == 200
    assert await SessionStore(auth).revoke_all("gill") == 2  # the idle one and the new one
    assert (await browser.get("/p/doncaster/api/dashboard")).status_code == 401  # revoked

    await stack.sign_in(browser, "gill", password)
    await auth["readers"].update_one({"_id": "gill"}, {"$set": {"disabled_at": datetime.now(timezone.utc)}})
    assert (await browser.get("/p/doncaster/api/dashboard")).status_code == 401  # the account disabled
    assert (await stack.sign_in(browser, "gill", password)).status_code == 401


async def test_the_admin_reads_who_read_what(stack):
    await stack.reader("alice", "board", ("doncaster",), name="Alice Smith")
    await stack.reader("hana", "admin", ("doncaster",), name="Hana Admin")
    alice, admin = await stack.browser(), await stack.browser()
    await stack.sign_in(alice, "alice", "correct horse battery staple")
    await alice.get("/p/doncaster/api/reviews/cases", params={"as_of": "2022-03-31"})
    await alice.get("/p/rotherham/api/reviews/cases")  # not hers: refused, and on Rotherham's record
    assert (await alice.get("/p/doncaster/api/audit")).status_code == 403  # a board member reads no audit log

    await stack.sign_in(admin, "hana", "correct horse battery staple")
    entries = (await admin.get("/p/doncaster/api/audit")).json()["entries"]
    seen = [(e["who"], e["role"], e["what"], e["outcome"]) for e in entries]
    assert ("reader:alice", "board", "GET /p/doncaster/api/reviews/cases?as_of=2022-03-31", "shown") in seen
    assert not any("rotherham" in e["what"] for e in entries)
    rotherham = await stack.mongo[f"{stack.prefix}auth"]["audit_log"].find_one({"partnership": "rotherham"})
    assert rotherham["who"] == "reader:alice" and rotherham["outcome"] == "refused"
    page = await admin.get("/p/doncaster/audit")
    assert page.status_code == 200 and "Alice Smith" in page.text and "/p/doncaster/api/reviews/cases" in page.text


async def test_local_http_to_localhost_sets_no_secure_flag(stack):
    password = await stack.reader("ivan", "board")
    local = httpx.AsyncClient(transport=httpx.ASGITransport(stack.reporting_app), base_url="http://127.0.0.1:8000")
    async with local:
        response = await stack.sign_in(local, "ivan", password)
        assert response.status_code == 303 and "Secure" not in response.headers["set-cookie"]
        assert (await local.get("/p/doncaster/api/dashboard")).status_code == 200


def test_the_admin_cli_makes_a_reader_who_can_sign_in(servers, prefix):
    _, mongo_url = servers
    env = {**os.environ, "MONGODB_URL": mongo_url, "AUTH_DATABASE": f"{prefix}auth"}

    def cli(*args, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "shared.auth", *args], input=stdin, capture_output=True,
                              text=True, env=env, timeout=60)

    try:
        assert cli("add-partnership", "--code", "doncaster", "--name", "Doncaster SCP", "--area", "Doncaster")\
            .returncode == 0
        short = cli("add-reader", "--username", "jo", "--name", "Jo", "--role", "lqi", "--partnership", "doncaster",
                    "--password-stdin", stdin="short\n")
        assert short.returncode == 2 and "at least 12 characters" in short.stderr
        made = cli("add-reader", "--username", "jo", "--name", "Jo Bloggs", "--role", "lqi",
                   "--partnership", "doncaster", "--password-stdin", stdin="a long enough passphrase\n")
        assert made.returncode == 0 and "LQI group member of doncaster" in made.stdout, made.stderr
        listed = cli("list-readers")
        assert "jo\tlqi\tdoncaster\tactive\tJo Bloggs" in listed.stdout
        again = cli("add-reader", "--username", "jo", "--name", "Jo", "--role", "lqi", "--partnership", "doncaster",
                    "--password-stdin", stdin="a long enough passphrase\n")
        assert again.returncode == 1 and "has an account already" in again.stderr
        read = cli("create-read-key", "--partnership", "doncaster", "--label", "BI", "--json")
        assert read.returncode == 0 and '"scope": "read"' in read.stdout
        assert cli("disable-reader", "jo").returncode == 0
        assert "disabled" in cli("list-readers").stdout
    finally:
        import pymongo

        pymongo.MongoClient(mongo_url).drop_database(f"{prefix}auth")
