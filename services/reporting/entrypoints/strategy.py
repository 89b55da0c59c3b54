"""The strategy figures as JSON, for any as-of date: /p/{partnership}/api/strategy/..."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Path, Request

from services.reporting.entrypoints import answers
from services.reporting.entrypoints.access import viewed
from services.reporting.entrypoints.common import (NOT_HOSTED, PartnershipCode, Window, answer,
                                                   window)
from services.reporting.figures import strategy as figures
from shared.http.problems import problem_responses
from shared.partnerships import Partnership

router = APIRouter(tags=["strategy"], responses=NOT_HOSTED)
KpiId = Path(pattern=r"^[A-Za-z0-9_.:-]{1,64}$", max_length=64, description="The KPI's id, e.g. young-carers.")


async def snapshot(request: Request, partnership: str, asked: Window) -> tuple[Partnership, figures.Snapshot]:
    """The partnership (if this reader may read it) and its strategy snapshot for the window: what every strategy
    figure, JSON or page, is computed from."""
    found = await viewed(request, partnership)
    moment, period = asked.of(found)
    return found, await figures.load(request.app.state.runtime.db, found.code, moment, period)


def _answer(found: Partnership, snap: figures.Snapshot, **shown) -> dict:
    return answer(found, snap.as_of, figures.SOURCES, snap.period, **shown)


@router.get("/p/{partnership}/api/strategy/scorecard",
            summary="Each strategy and plan: its priorities, their actions' statuses and KPIs, as of a date",
            responses={200: {"model": answers.ScorecardAnswer,
                             "description": "each strategy or plan the period shows, with its priorities"}})
async def scorecard(request: Request, partnership: str = PartnershipCode, asked: Window = Depends(window)) -> dict:
    found, snap = await snapshot(request, partnership, asked)
    return _answer(found, snap, strategies=figures.scorecard(snap))


@router.get("/p/{partnership}/api/strategy/kpis", summary="Every KPI's status and latest value, as of a date",
            responses={200: {"model": answers.KpisAnswer, "description": "every KPI the period shows"}})
async def kpis(request: Request, partnership: str = PartnershipCode, asked: Window = Depends(window)) -> dict:
    found, snap = await snapshot(request, partnership, asked)
    return _answer(found, snap, kpis=[{k: v for k, v in row.items() if k != "series"} for row in figures.kpis_shown(snap)])


@router.get("/p/{partnership}/api/strategy/kpis/{kpi_id}",
            summary="One KPI's series against its target and trajectory, with corrections, as of a date",
            responses={**problem_responses({404: "no such partnership is hosted here, or no such KPI was defined by "
                                                 "the as-of moment"}),
                       200: {"model": answers.KpiAnswer, "description": "the KPI, with its series"}})
async def kpi(request: Request, partnership: str = PartnershipCode, kpi_id: str = KpiId,
              asked: Window = Depends(window)) -> dict:
    found, snap = await snapshot(request, partnership, asked)
    row = figures.kpi(snap, kpi_id)
    if row is None:
        raise HTTPException(404, f"no KPI {kpi_id!r} was defined by {snap.as_of.isoformat()}")
    return _answer(found, snap, kpi=row)


@router.get("/p/{partnership}/api/strategy/actions/attention",
            summary="Overdue, at-risk and green-without-evidence actions by owner, as of a date",
            responses={200: {"model": answers.AttentionAnswer, "description": "actions needing attention"}})
async def attention(request: Request, partnership: str = PartnershipCode, asked: Window = Depends(window)) -> dict:
    found, snap = await snapshot(request, partnership, asked)
    return _answer(found, snap, owners=figures.attention(snap))


@router.get("/p/{partnership}/api/strategy/ofsted",
            summary="Each Ofsted area for improvement and its progress (roll-up of its actions and KPIs), as of a date",
            responses={200: {"model": answers.OfstedAnswer, "description": "each Ofsted area for improvement"}})
async def ofsted(request: Request, partnership: str = PartnershipCode, asked: Window = Depends(window)) -> dict:
    found, snap = await snapshot(request, partnership, asked)
    return _answer(found, snap, areas=figures.ofsted(snap))
