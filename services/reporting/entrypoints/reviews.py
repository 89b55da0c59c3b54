"""The reviews figures as JSON, for any as-of date: /p/{partnership}/api/reviews/...

Every answer states its partnership, its reporting year's start and `as_of` (the moment, and the London day the
clocks are read on), lists the facts and event ids behind each figure, and the event types it is computed from
(`sources`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request

from services.reporting.entrypoints.common import NOT_HOSTED, PartnershipCode, answer, as_of, partnership_or_404
from services.reporting.figures import reviews as figures

router = APIRouter(tags=["reviews"], responses=NOT_HOSTED)
PREFIX = "/p/{partnership}/api/reviews"


async def _facts(request: Request, partnership: str, moment: datetime) -> tuple[dict, Any, Any]:
    found = await partnership_or_404(request, partnership)
    facts = await figures.load(request.app.state.runtime.db, found.code, moment)
    day = figures.as_of_day(moment)
    return answer(found, moment, figures.SOURCES), facts, day


@router.get(f"{PREFIX}/clocks", summary="Every statutory clock on the as-of day: due dates, open, overdue, breaches")
async def clocks(request: Request, partnership: str = PartnershipCode, moment: datetime = Depends(as_of)) -> dict:
    head, facts, day = await _facts(request, partnership, moment)
    every = figures.clocks(facts, day)
    return {**head, "rules": figures.clock_rules(), **figures.running(every), "clocks": every}


@router.get(f"{PREFIX}/timeliness", summary="Per statutory clock: the share of cases on time, and the cases")
async def timeliness(request: Request, partnership: str = PartnershipCode, moment: datetime = Depends(as_of)) -> dict:
    head, facts, day = await _facts(request, partnership, moment)
    return {**head, "timeliness": figures.timeliness(figures.clocks(facts, day))}


@router.get(f"{PREFIX}/cases", summary="Serious incidents, rapid reviews and practice reviews, with their steps")
async def cases(request: Request, partnership: str = PartnershipCode, moment: datetime = Depends(as_of)) -> dict:
    head, facts, day = await _facts(request, partnership, moment)
    return {**head, **figures.cases(facts, day)}


@router.get(f"{PREFIX}/recommendations", summary="Recommendations open, overdue and completed, by owner, with lineage")
async def recommendations(request: Request, partnership: str = PartnershipCode,
                          moment: datetime = Depends(as_of)) -> dict:
    head, facts, day = await _facts(request, partnership, moment)
    return {**head, **figures.recommendations(facts, day)}


@router.get(f"{PREFIX}/learning", summary="Learning disseminated, by the Panel's themes and by source")
async def learning(request: Request, partnership: str = PartnershipCode, moment: datetime = Depends(as_of)) -> dict:
    head, facts, day = await _facts(request, partnership, moment)
    return {**head, **figures.learning(facts, day)}


@router.get(f"{PREFIX}/audits", summary="Multi-agency audits and deep dives, with their gradings")
async def audits(request: Request, partnership: str = PartnershipCode, moment: datetime = Depends(as_of)) -> dict:
    head, facts, day = await _facts(request, partnership, moment)
    return {**head, **figures.audits(facts, day)}


@router.get(f"{PREFIX}/lado", summary="LADO figures by quarter: referrals, outcomes, timeliness, dip samples")
async def lado(request: Request, partnership: str = PartnershipCode, moment: datetime = Depends(as_of)) -> dict:
    head, facts, day = await _facts(request, partnership, moment)
    return {**head, **figures.lado(facts, day, figures.clocks(facts, day), head["year_starts"])}
