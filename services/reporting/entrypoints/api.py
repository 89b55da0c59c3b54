"""The reporting service's HTTP entrypoint: each partnership's dashboard page and figures, under
/p/{partnership}/, an index of the partnerships at /, and the pages' files (/static)."""

from __future__ import annotations

from functools import cache
from pathlib import Path as FilePath

from fastapi import APIRouter, FastAPI, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from shared.http.app import create_app
from shared.http.runtime import Runtime
from shared.http.security import PublicFiles
from shared.partnerships import CODE
from services.reporting.entrypoints import reviews, strategy, training
from services.reporting.entrypoints.common import NOT_HOSTED, partnership_or_404
from services.reporting.dashboard import DashboardCache
from services.reporting.settings import ReportingSettings

STATIC = FilePath(__file__).resolve().parents[1] / "static"
router = APIRouter(tags=["dashboard"])


@router.get("/api/partnerships", summary="The partnerships this deployment hosts, each with its dashboard")
async def partnerships(request: Request) -> list[dict]:
    return [{"code": p.code, "name": p.name, "area": p.area, "year_starts": p.year_starts,
             "dashboard": f"/p/{p.code}/", "figures": f"/p/{p.code}/api/dashboard"}
            for p in await request.app.state.runtime.partnerships.list()]


@router.get("/p/{partnership}/api/dashboard", summary="One partnership's dashboard figures, live from the read model",
            responses=NOT_HOSTED)
async def dashboard_figures(request: Request, partnership: str = Path(pattern=CODE, max_length=63)) -> dict:
    found = await partnership_or_404(request, partnership)
    return {"name": found.name, **await request.app.state.dashboards.get(found.code, found.year_starts)}


@cache
def _page(name: str) -> str:
    return (STATIC / name).read_text()


@router.get("/p/{partnership}/", response_class=HTMLResponse, include_in_schema=False)
async def dashboard_page(request: Request, partnership: str = Path(pattern=CODE, max_length=63)) -> HTMLResponse:
    await partnership_or_404(request, partnership)
    return HTMLResponse(_page("dashboard.html"))


@router.get("/p/{partnership}", include_in_schema=False)
async def dashboard_page_slash(partnership: str = Path(pattern=CODE, max_length=63)) -> RedirectResponse:
    return RedirectResponse(f"/p/{partnership}/", status_code=308)


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def index_page() -> HTMLResponse:
    return HTMLResponse(_page("index.html"))


async def start(app: FastAPI, runtime: Runtime) -> list:
    app.state.dashboards = DashboardCache(runtime.db)
    return []


def build(settings: ReportingSettings | None = None) -> FastAPI:
    settings = settings or ReportingSettings()
    app = create_app(settings, title="Reporting service",
                     description="Partnership dashboards projected from every domain's events.",
                     routers=[router, strategy.router, reviews.router, training.router], start=start, producer=True)
    app.mount("/static", PublicFiles(directory=STATIC), name="static")  # the page's CSS and JS (no inline code: CSP)
    return app
