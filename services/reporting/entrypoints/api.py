"""The reporting service's HTTP entrypoint: the dashboard page, its files (/static) and its figures."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from shared.http.app import create_app
from services.reporting.dashboard import dashboard
from services.reporting.settings import ReportingSettings

STATIC = Path(__file__).resolve().parents[1] / "static"
PAGE = STATIC / "dashboard.html"
router = APIRouter(tags=["dashboard"])


@router.get("/api/dashboard", summary="The partnership dashboard's figures, live from the read model")
async def dashboard_figures(request: Request) -> dict:
    return await dashboard(request.app.state.runtime.db)


@cache
def _page() -> str:
    return PAGE.read_text()


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def dashboard_page() -> HTMLResponse:
    return HTMLResponse(_page())


def build(settings: ReportingSettings | None = None) -> FastAPI:
    settings = settings or ReportingSettings()
    app = create_app(settings, title="Reporting service",
                     description="Partnership dashboards projected from every domain's events.",
                     routers=[router], producer=True)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")  # the page's CSS and JS (no inline code: CSP)
    return app
