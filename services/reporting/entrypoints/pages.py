"""The partnership's pages, server-rendered: an overview, strategy, reviews, training, and the events behind any
figure. Each page renders the figure functions its JSON endpoints serve, over the same snapshot for the same window
(services.reporting.entrypoints.strategy/reviews/training): a page is never a third implementation of a figure.

Every page takes the JSON's window (`as_of`, `period`, `from`, `to`) and an `agency` filter, in its URL so that a
view can be shared. A page without `as_of` is live: it asks every few seconds whether the read model has moved
(`api/version`) and reloads when it has.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from services.reporting import briefing, digest, yearly_report
from services.reporting.documents import Document
from services.reporting.entrypoints import answers, reviews, strategy, training
from services.reporting.entrypoints.access import TEMPLATES, viewed
from services.reporting.entrypoints.common import NOT_HOSTED, PartnershipCode, Window, window
from services.reporting.figures import reviews as review_figures, strategy as strategy_figures
from services.reporting.figures import training as training_figures
from services.reporting.projections import VERSIONS, events_named
from shared.partnerships import Partnership

router = APIRouter()
TABS = (("overview", "", "Overview"), ("strategy", "strategy", "Strategy"), ("reviews", "reviews", "Reviews"),
        ("training", "training", "Training"), ("digest", "digest", "Learning digest"),
        ("report", "report", "Yearly report"))
FILTERS = ("as_of", "period", "from", "to", "agency")


def agency_filter(agency: str | None = Query(None, max_length=63, pattern=r"^([a-z0-9][a-z0-9-]{1,62})?$",
                                             description="Only this agency's rows (its code).")) -> str | None:
    return agency or None


async def _directory(request: Request):
    registry = getattr(request.app.state, "agencies", None)
    return await registry.directory() if registry is not None else None


async def _render(request: Request, template: str, found: Partnership, head: dict, page: str,
                  agency: str | None, **figures: Any) -> HTMLResponse:
    directory = await _directory(request)
    unknown: set[str] = set()

    def agency_name(code: str | None) -> str:
        if not code:
            return "–"
        if directory is not None and directory.known(code):
            return directory.name(code)
        unknown.add(code)
        return code

    kept = {k: v for k, v in request.query_params.items() if k in FILTERS and v}
    viewer = request.state.viewer
    context = {
        "viewer": viewer, "partnership": found, "head": head, "page": page, "tabs": TABS, "agency": agency,
        "filters": kept, "query": ("?" + urlencode(kept)) if kept else "", "live": "as_of" not in kept,
        "agency_name": agency_name, "unknown_agencies": unknown, "admin": viewer.may_audit(found.code),
        "shows": lambda code: agency is None or code == agency,
        "only": lambda rows, key: [r for r in rows if agency is None or r.get(key) == agency], "events_link": _events_link(found.code), **figures}
    return TEMPLATES.TemplateResponse(request, template, context)


def _events_link(code: str):
    def link(ids) -> str:
        ids = [i for i in (ids or []) if i][:100]
        return f"/p/{code}/events?" + urlencode({"ids": ",".join(ids)}) if ids else ""
    return link


def _tally(rows, key: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in rows:
        counts[row[key]] = counts.get(row[key], 0) + 1
    return counts


@router.get("/p/{partnership}/", response_class=HTMLResponse, include_in_schema=False)
async def overview(request: Request, partnership: str = PartnershipCode, asked: Window = Depends(window),
                   agency: str | None = Depends(agency_filter)) -> HTMLResponse:
    found, snap = await strategy.snapshot(request, partnership, asked)
    head, facts, day, period = await reviews.gathered(request, partnership, asked)
    every = review_figures.clocks(facts, day, period)
    trained = await training.answered(request, partnership, asked, training_figures.summary, lifetime=True)
    scorecard = strategy_figures.scorecard(snap)
    actions = [a for s in scorecard for p in s["priorities"] for a in p["actions"]]
    kpis = strategy_figures.kpis_shown(snap)
    latest = await request.app.state.runtime.db[VERSIONS].find_one({"_id": found.code}) or {}
    return await _render(
        request, "overview.html", found, head, "overview", agency,
        strategies=scorecard, actions=_tally(actions, "status"), green_without_evidence=sum(
            1 for a in actions if a["display"] == "green_without_evidence"), kpi_statuses=_tally(kpis, "status"),
        kpis=len(kpis), clocks=review_figures.running(every), timeliness=review_figures.timeliness(every),
        recommendations=review_figures.recommendations(facts, day, period),
        learning=review_figures.learning(facts, day, period), training=trained,
        latest_event_at=latest.get("event_time"), period_is_empty=_empty(actions, every, trained))


def _empty(actions, clocks, trained) -> bool:
    return not actions and not clocks and not trained["attendance"]["sessions_held"]


@router.get("/p/{partnership}/strategy", response_class=HTMLResponse, include_in_schema=False)
async def strategy_page(request: Request, partnership: str = PartnershipCode, asked: Window = Depends(window),
                        agency: str | None = Depends(agency_filter)) -> HTMLResponse:
    found, snap = await strategy.snapshot(request, partnership, asked)
    head = strategy._answer(found, snap)
    kpis = strategy_figures.kpis_shown(snap)
    return await _render(request, "strategy.html", found, head, "strategy", agency,
                         strategies=strategy_figures.scorecard(snap), kpis=kpis,
                         attention=strategy_figures.attention(snap), areas=strategy_figures.ofsted(snap))


@router.get("/p/{partnership}/reviews", response_class=HTMLResponse, include_in_schema=False)
async def reviews_page(request: Request, partnership: str = PartnershipCode, asked: Window = Depends(window),
                       agency: str | None = Depends(agency_filter)) -> HTMLResponse:
    head, facts, day, period = await reviews.gathered(request, partnership, asked)
    every = review_figures.clocks(facts, day, period)
    return await _render(
        request, "reviews.html", request.state.viewed, head, "reviews", agency, rules=review_figures.clock_rules(),
        clocks=every, running=review_figures.running(every), timeliness=review_figures.timeliness(every),
        cases=review_figures.cases(facts, day, period),
        recommendations=review_figures.recommendations(facts, day, period),
        learning=review_figures.learning(facts, day, period), audits=review_figures.audits(facts, day, period),
        lado=review_figures.lado(facts, day, every, head["year_starts"], period))


@router.get("/p/{partnership}/training", response_class=HTMLResponse, include_in_schema=False)
async def training_page(request: Request, partnership: str = PartnershipCode, asked: Window = Depends(window),
                        agency: str | None = Depends(agency_filter)) -> HTMLResponse:
    shown = await training.answered(request, partnership, asked, training_figures.summary, lifetime=True)
    return await _render(request, "training.html", request.state.viewed, shown, "training", agency, training=shown)


DocumentGather = Any  # services.reporting.documents.Gather


async def _document(request: Request, partnership: str, asked: Window, gather: DocumentGather,
                    **options: Any) -> tuple[Partnership, dict, Any]:
    """The document's answer for the reader's window (404 when it has none, as for a learning item not known), with
    the agency directory's names."""
    found = await viewed(request, partnership)
    moment, period = asked.of(found)
    directory = await _directory(request)
    shown = await gather(request.app.state.runtime.db, found, moment, period, directory, options)
    if shown is None:
        raise HTTPException(404, f"nothing of that name was recorded by {moment.isoformat()}")
    return found, shown, (directory.name if directory is not None else None)


def _base_url(request: Request) -> str:
    return str(request.base_url)


def documents(document: Document, gather: DocumentGather, path: str, api_path: str, model: type, summary: str,
              page: str, key: str | None = None) -> None:
    """The routes of one document, all behind the same sign-in and each on the audit log: the page (in the
    dashboard's frame), its Markdown and PDF downloads, and its JSON (typed by `model`). `path` may end in a
    `{learning_id}` (with `key="learning_id"`), which the document's gather reads from its options."""
    if key == "learning_id":
        def named(learning_id: str = Path(pattern=r"^[A-Za-z0-9_.:-]{1,64}$", max_length=64,
                                          description="The learning item's id.")) -> dict:
            return {"learning_id": learning_id}
    else:
        def named() -> dict:
            return {}


    async def html(request: Request, partnership: str = PartnershipCode, asked: Window = Depends(window),
                   chosen: dict = Depends(named)):
        found, shown, names = await _document(request, partnership, asked, gather, **chosen)
        return await _render(request, "document.html", found, shown, page, None, name=document.name,
                             downloads=f"/p/{found.code}/{path.format(**chosen)}",
                             api=f"/p/{found.code}/{api_path.format(**chosen)}",
                             document=document.as_html_fragment(shown, names))

    async def md(request: Request, partnership: str = PartnershipCode, asked: Window = Depends(window),
                 chosen: dict = Depends(named)):
        found, shown, names = await _document(request, partnership, asked, gather, **chosen)
        return Response(document.as_markdown(shown, names), media_type="text/markdown; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{document.file_name(shown, "md")}"'})

    async def pdf(request: Request, partnership: str = PartnershipCode, asked: Window = Depends(window),
                  chosen: dict = Depends(named)):
        found, shown, names = await _document(request, partnership, asked, gather, **chosen)
        return Response(await document.as_pdf(shown, names, _base_url(request)), media_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{document.file_name(shown, "pdf")}"'})

    async def json(request: Request, partnership: str = PartnershipCode, asked: Window = Depends(window),
                   chosen: dict = Depends(named)) -> dict:
        return (await _document(request, partnership, asked, gather, **chosen))[1]

    # the downloads first: a learning item's id may hold a dot, and its page's route would take `id.pdf` for an id
    router.add_api_route(f"/p/{{partnership}}/{path}.md", md, include_in_schema=False)
    router.add_api_route(f"/p/{{partnership}}/{path}.pdf", pdf, include_in_schema=False)
    router.add_api_route(f"/p/{{partnership}}/{path}", html, response_class=HTMLResponse, include_in_schema=False)
    router.add_api_route(f"/p/{{partnership}}/{api_path}", json, tags=[page], summary=summary,
                         responses={**NOT_HOSTED, 200: {"model": model, "description": f"the {document.name}"}})


documents(digest.DIGEST, digest.gather, "digest", "api/digest", answers.DigestAnswer,
          "The LQI group's learning digest for a period: learning, recommendations and their lineage, the training "
          "that carried them, audit findings, what has no evidence of impact yet", "digest")
documents(yearly_report.REPORT, yearly_report.gather, "report", "api/report", answers.YearlyReportAnswer,
          "The partnership's yearly report for a period, in the structure partnerships publish, with its checklist "
          "against Working Together's four contents", "report")
documents(briefing.BRIEFING, briefing.gather, "briefings/{learning_id}", "api/briefings/{learning_id}",
          answers.BriefingAnswer, "A learning item's 7-minute briefing: background, what was found, why it matters, "
          "what to do, questions for reflection", "digest", key="learning_id")


@router.get("/p/{partnership}/events", response_class=HTMLResponse, include_in_schema=False)
async def events_page(request: Request, partnership: str = PartnershipCode,
                      ids: str = Query("", max_length=20000, description="Event ids, separated by commas.")):
    found = await viewed(request, partnership)
    events = await events_named(request.app.state.runtime.db, found.code, ids.split(","))
    return await _render(request, "events.html", found, {}, "events", None, events=events,
                         asked=[i for i in ids.split(",") if i])


@router.get("/p/{partnership}/api/events", tags=["dashboard"],
            summary="The events behind a figure: each event id's type, source, agency, time, subject, correlation id",
            responses={**NOT_HOSTED, 200: {"model": answers.EventsAnswer, "description": "the events of the ids asked for"}})
async def events_json(request: Request, partnership: str = PartnershipCode,
                      ids: str = Query("", max_length=20000, description="Event ids, separated by commas.")) -> dict:
    found = await viewed(request, partnership)
    events = await events_named(request.app.state.runtime.db, found.code, ids.split(","))
    return {"partnership": found.code, "events": [{**e, "time": e["time"].isoformat()} for e in events]}


@router.get("/p/{partnership}/api/version", tags=["dashboard"],
            summary="The latest event projected for the partnership: an open page reloads when it changes",
            responses={**NOT_HOSTED, 200: {"model": answers.VersionAnswer, "description": "the latest event projected"}})
async def version(request: Request, partnership: str = PartnershipCode) -> dict:
    found = await viewed(request, partnership, record=False)
    stamp = await request.app.state.runtime.db[VERSIONS].find_one({"_id": found.code}) or {}
    return {"partnership": found.code, "event_identity": stamp.get("event_identity"),
            "event_time": stamp["event_time"].isoformat() if stamp.get("event_time") else None}
