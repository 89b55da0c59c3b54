"""Every answer says how a browser may treat it, and the pages hold under that policy (issue 5, defect 11)."""

import re
from html.parser import HTMLParser

import httpx
import pytest
from fastapi import APIRouter

from services.reporting.entrypoints.api import build as build_reporting
from services.reporting.settings import ReportingSettings
from services.training.settings import TrainingSettings
from shared.http.app import create_app
from shared.http.security import SECURITY_HEADERS

failing = APIRouter()


@failing.get("/boom")
async def boom():
    raise RuntimeError("a defect")


@pytest.fixture
async def reporting():
    app = build_reporting(ReportingSettings(http_max_body_bytes=1000))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://reporting") as client:
        yield client


@pytest.fixture
async def service():
    app = create_app(TrainingSettings(), title="A service", description="", routers=[failing])
    transport = httpx.ASGITransport(app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        yield client


def assert_secured(response: httpx.Response) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, f"{response.request.url.path} {response.status_code}: {name}"


def test_the_policy_allows_no_inline_code_no_framing_and_no_foreign_origin():
    csp = dict(d.strip().split(" ", 1) for d in SECURITY_HEADERS["Content-Security-Policy"].split(";"))
    assert csp["default-src"] == "'self'" and "script-src" not in csp and "style-src" not in csp
    assert csp["frame-ancestors"] == csp["base-uri"] == csp["object-src"] == "'none'"
    assert csp["form-action"] == "'self'"  # the sign-in and sign-out forms
    assert "unsafe" not in SECURITY_HEADERS["Content-Security-Policy"]
    assert SECURITY_HEADERS["X-Content-Type-Options"] == "nosniff" and SECURITY_HEADERS["X-Frame-Options"] == "DENY"
    assert SECURITY_HEADERS["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("path", ["/login", "/healthz", "/docs", "/openapi.json", "/static/dashboard.css",
                                  "/static/live.js", "/docs/swagger-init.js", "/docs/assets/swagger-ui.css"])
async def test_pages_data_and_files_carry_the_headers(reporting, path):
    response = await reporting.get(path)
    assert response.status_code == 200
    assert_secured(response)


async def test_refusals_and_failures_carry_the_headers(reporting, service):
    refusals = [await reporting.get("/nowhere"), await reporting.post("/healthz"), await reporting.get("/redoc"),
                await reporting.post("/api/dashboard", content=b"x" * 2000), await service.get("/boom")]
    assert [r.status_code for r in refusals] == [404, 405, 404, 413, 500]
    for response in refusals:
        assert_secured(response)
        assert response.headers["content-type"] == "application/problem+json"


class Page(HTMLParser):
    """What a page loads, and any code or style written into it."""

    def __init__(self, html: str):
        super().__init__()
        self.loads: list[str] = []
        self.inline: list[str] = []
        self._in_script = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.loads += [attrs[a] for a in ("src", "href") if attrs.get(a)]
        if "style" in attrs or tag == "style" or (tag == "script" and not attrs.get("src")):
            self.inline.append(tag)
        if any(name.startswith("on") for name in attrs):
            self.inline.append(f"{tag} handler")

    def handle_data(self, data):
        if self.lasttag == "script" and data.strip():
            self.inline.append("script text")


@pytest.mark.parametrize("path", ["/docs", "/login"])
async def test_the_pages_load_only_their_own_files_and_hold_no_inline_code(reporting, path):
    response = await reporting.get(path)
    page = Page(response.text)
    assert page.inline == []
    assert page.loads, "the page loads its script and style from files"
    for url in page.loads:
        if url == "data:,":  # the dashboard's empty icon
            continue
        assert not re.match(r"^(\w+:)?//", url), f"{url} is not this service's"
        asset = await reporting.get(httpx.URL(str(response.url)).join(url))
        assert asset.status_code == 200, url
        assert asset.headers["content-type"].split(";")[0] in ("text/css", "text/javascript", "image/png"), url


async def test_the_docs_page_starts_swagger_ui_on_this_services_openapi(reporting):
    page = (await reporting.get("/docs")).text
    assert 'data-openapi-url="/openapi.json"' in page
    init = (await reporting.get("/docs/swagger-init.js")).text
    assert "SwaggerUIBundle(" in init and "dataset.openapiUrl" in init
