"""The reviews figures as JSON, for any as-of date: /p/{partnership}/api/reviews/...

Every answer states its partnership, its reporting year's start and `as_of` (the moment, and the London day the
clocks are read on), lists the facts and event ids behind each figure, and the event types it is computed from
(`sources`).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from services.reporting.entrypoints import answers
from services.reporting.entrypoints.access import viewed
from services.reporting.entrypoints.common import (NOT_HOSTED, PartnershipCode, Window, answer,
                                                   window)
from services.reporting.figures import reviews as figures

router = APIRouter(tags=["reviews"], responses=NOT_HOSTED)
PREFIX = "/p/{partnership}/api/reviews"


async def gathered(request: Request, partnership: str, asked: Window) -> tuple[dict, Any, Any, Any]:
    """The answer's head, the reviews facts for the window, the as-of day and the period: what every reviews figure,
    JSON or page, is computed from."""
    found = await viewed(request, partnership)
    moment, period = asked.of(found)
    facts = await figures.load(request.app.state.runtime.db, found.code, moment, period)
    return answer(found, moment, figures.SOURCES, period), facts, figures.as_of_day(moment), period


@router.get(f"{PREFIX}/clocks", summary="Every statutory clock on the as-of day: due dates, open, overdue, breaches",
            responses={200: {"model": answers.ClocksAnswer, "description": "the clocks' rules, and every clock"}})
async def clocks(request: Request, partnership: str = PartnershipCode, asked: Window = Depends(window)) -> dict:
    head, facts, day, period = await gathered(request, partnership, asked)
    every = figures.clocks(facts, day, period)
    return {**head, "rules": figures.clock_rules(), **figures.running(every), "clocks": every}


@router.get(f"{PREFIX}/timeliness", summary="Per statutory clock: the share of cases on time, and the cases",
            responses={200: {"model": answers.TimelinessAnswer, "description": "one row per statutory clock"}})
async def timeliness(request: Request, partnership: str = PartnershipCode, asked: Window = Depends(window)) -> dict:
    head, facts, day, period = await gathered(request, partnership, asked)
    return {**head, "timeliness": figures.timeliness(figures.clocks(facts, day, period))}


@router.get(f"{PREFIX}/cases", summary="Serious incidents, rapid reviews and practice reviews, with their steps",
            responses={200: {"model": answers.CasesAnswer, "description": "the cases open in the period"}})
async def cases(request: Request, partnership: str = PartnershipCode, asked: Window = Depends(window)) -> dict:
    head, facts, day, period = await gathered(request, partnership, asked)
    return {**head, **figures.cases(facts, day, period)}


@router.get(f"{PREFIX}/recommendations", summary="Recommendations open, overdue and completed, by owner, with lineage",
            responses={200: {"model": answers.RecommendationsAnswer, "description": "the recommendations shown"}})
async def recommendations(request: Request, partnership: str = PartnershipCode,
                          asked: Window = Depends(window)) -> dict:
    head, facts, day, period = await gathered(request, partnership, asked)
    return {**head, **figures.recommendations(facts, day, period)}


@router.get(f"{PREFIX}/learning", summary="Learning disseminated, by the Panel's themes and by source",
            responses={200: {"model": answers.LearningAnswer, "description": "learning disseminated in the period"}})
async def learning(request: Request, partnership: str = PartnershipCode, asked: Window = Depends(window)) -> dict:
    head, facts, day, period = await gathered(request, partnership, asked)
    return {**head, **figures.learning(facts, day, period)}


@router.get(f"{PREFIX}/audits", summary="Multi-agency audits and deep dives, with their gradings",
            responses={200: {"model": answers.AuditsAnswer, "description": "the audits completed in the period"}})
async def audits(request: Request, partnership: str = PartnershipCode, asked: Window = Depends(window)) -> dict:
    head, facts, day, period = await gathered(request, partnership, asked)
    return {**head, **figures.audits(facts, day, period)}


@router.get(f"{PREFIX}/lado", summary="LADO figures by quarter: referrals, outcomes, timeliness, dip samples",
            responses={200: {"model": answers.LadoAnswer, "description": "the LADO figures of the period, by quarter"}})
async def lado(request: Request, partnership: str = PartnershipCode, asked: Window = Depends(window)) -> dict:
    head, facts, day, period = await gathered(request, partnership, asked)
    return {**head, **figures.lado(facts, day, figures.clocks(facts, day, period), head["year_starts"], period)}


@router.get(f"{PREFIX}/briefings", summary="Briefings of learning items used with staff, by agency and by item",
            responses={200: {"model": answers.BriefingsUsedAnswer, "description": "the uses in the period"}})
async def briefings(request: Request, partnership: str = PartnershipCode, asked: Window = Depends(window)) -> dict:
    head, facts, day, period = await gathered(request, partnership, asked)
    return {**head, **figures.briefings_used(facts, day, period)}


@router.get(f"{PREFIX}/voice", summary="The voice of children and families: who was heard, what they said, what "
                                       "changed", responses={200: {"model": answers.VoiceAnswer,
                                                                   "description": "the engagements in the period"}})
async def voice(request: Request, partnership: str = PartnershipCode, asked: Window = Depends(window)) -> dict:
    head, facts, day, period = await gathered(request, partnership, asked)
    return {**head, **figures.voice(facts, day, period)}
