"""The reporting service's HTTP entrypoint: each partnership's dashboard page and figures, under
/p/{partnership}/, an index of the partnerships the reader may read at /, the sign-in form (/login), and the pages'
files (/static). Everything but /static, /login and the operations endpoints needs a signed-in reader or a read key
(services.reporting.entrypoints.access)."""

from __future__ import annotations

from pathlib import Path as FilePath

from fastapi import APIRouter, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from shared.http.app import create_app
from shared.http.runtime import Runtime
from shared.http.security import PublicFiles
from shared.adapters.mongo.agencies import AgencyRegistry
from shared.adapters.mongo.write_log import WriteLog
from shared.http.problems import problem_responses
from shared.partnerships import Partnership
from services.reporting.entrypoints import access, answers, notices, oidc, pages, reviews, strategy, training
from services.reporting.entrypoints.access import TEMPLATES, Access, viewed, viewer_of
from services.reporting.entrypoints.common import NOT_HOSTED, PartnershipCode
from services.reporting.dashboard import DashboardCache
from services.reporting.settings import ReportingSettings

STATIC = FilePath(__file__).resolve().parents[1] / "static"
router = APIRouter(tags=["dashboard"], responses=NOT_HOSTED)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


@router.get("/api/partnerships", summary="The partnerships this reader may read, each with its dashboard",
            responses={200: {"model": answers.Partnerships, "description": "the partnerships this reader may read"}})
async def partnerships(request: Request) -> list[dict]:
    viewer = await viewer_of(request)
    return [{"code": p.code, "name": p.name, "area": p.area, "year_starts": p.year_starts,
             "dashboard": f"/p/{p.code}/", "figures": f"/p/{p.code}/api/dashboard"}
            for p in await request.app.state.runtime.partnerships.list() if viewer.may_read(p.code)]


@router.get("/p/{partnership}/api/dashboard", summary="One partnership's dashboard figures, live from the read model",
            responses={200: {"model": answers.DashboardAnswer, "description": "the dashboard's figures"}})
async def dashboard_figures(request: Request, partnership: str = PartnershipCode) -> dict:
    found = await viewed(request, partnership)
    return {"name": found.name, **await request.app.state.dashboards.get(found.code, found.year_starts)}


@router.get("/p/{partnership}/api/audit", summary="Who read what of the partnership, newest first (its admins only)",
            responses={**problem_responses({403: "only the partnership's admins read its audit log"}),
                       200: {"model": answers.AuditAnswer, "description": "the audit log's entries, newest first"}})
async def audit_entries(request: Request, partnership: str = PartnershipCode,
                        limit: int = Query(200, ge=1, le=1000, description="How many entries, newest first.")) -> dict:
    found = await _audited(request, partnership)
    return {"partnership": found.code, "entries": await request.app.state.access.audit.entries(found.code, limit=limit)}


@router.get("/p/{partnership}/api/writes", summary="The latest batches the services accepted, each linked to the one "
                                                   "before in a hash chain, checked (its admins only)",
            responses={**problem_responses({403: "only the partnership's admins read its write log"}),
                       200: {"model": answers.WritesAnswer, "description": "the chain's check and its latest entries"}})
async def write_entries(request: Request, partnership: str = PartnershipCode,
                        limit: int = Query(200, ge=1, le=1000, description="How many entries, newest first.")) -> dict:
    found = await _audited(request, partnership)
    log = WriteLog(request.app.state.runtime.mongo[request.app.state.runtime.settings.auth_database])
    _, problems = await log.verify(found.code, latest=limit)
    return {"partnership": found.code, "intact": not problems, "problems": problems,
            "entries": await log.entries(found.code, limit=limit)}


async def _audited(request: Request, partnership: str) -> Partnership:
    found = await viewed(request, partnership)
    if not request.state.viewer.may_audit(found.code):
        raise HTTPException(403, "only the partnership's admins read its audit log")
    return found


def _page(request: Request, template: str, **context) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, template, {"viewer": request.state.viewer, **context})


@router.get("/p/{partnership}/audit", response_class=HTMLResponse, include_in_schema=False)
async def audit_page(request: Request, partnership: str = PartnershipCode) -> HTMLResponse:
    found = await _audited(request, partnership)
    writes = WriteLog(request.app.state.runtime.mongo[request.app.state.runtime.settings.auth_database])
    count, problems = await writes.verify(found.code, latest=100)
    return _page(request, "audit.html", partnership=found,
                 entries=await request.app.state.access.audit.entries(found.code),
                 writes=await writes.entries(found.code, limit=100), written=count, problems=problems)


@router.get("/p/{partnership}", include_in_schema=False)
async def dashboard_page_slash(partnership: str = PartnershipCode) -> RedirectResponse:
    return RedirectResponse(f"/p/{partnership}/", status_code=308)


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def index_page(request: Request) -> HTMLResponse:
    viewer = await viewer_of(request)
    shown = [{"code": p.code, "name": p.name, "area": p.area, "audit": viewer.may_audit(p.code),
              "year_from": f"{int(p.year_starts[3:])} {MONTHS[int(p.year_starts[:2]) - 1]}"}
             for p in await request.app.state.runtime.partnerships.list() if viewer.may_read(p.code)]
    return _page(request, "index.html", partnerships=shown, audits=any(p["audit"] for p in shown))


async def start(app: FastAPI, runtime: Runtime) -> list:
    app.state.dashboards = DashboardCache(runtime.db)
    app.state.access = await Access.open(runtime.mongo[runtime.settings.auth_database], runtime.settings)
    app.state.agencies = AgencyRegistry(runtime.mongo[runtime.settings.auth_database])
    return []


def build(settings: ReportingSettings | None = None) -> FastAPI:
    settings = settings or ReportingSettings()
    app = create_app(settings, title="Reporting service",
                     description="Partnership dashboards projected from every domain's events.",
                     routers=[router, access.router, oidc.router, pages.router, notices.router, strategy.router, reviews.router,
                              training.router],
                     start=start, producer=True)
    access.install(app)
    oidc.configure(app, settings)
    app.mount("/static", PublicFiles(directory=STATIC), name="static")  # the page's CSS and JS (no inline code: CSP)
    return app
