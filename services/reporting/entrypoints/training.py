"""The training figures as JSON, for any as-of date: /p/{partnership}/api/training/...

Each answer states its partnership, `as_of` and the period (the reporting year unless asked otherwise; `since`
starts it at a moment instead), and lists the event types behind it (`sources`); per-period facts name their
event ids.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.exceptions import RequestValidationError

from dataclasses import replace

from services.reporting.entrypoints import answers
from services.reporting.entrypoints.access import viewed
from services.reporting.entrypoints.common import (NOT_HOSTED, PartnershipCode, Window, answer, parse_as_of,
                                                  window)
from services.reporting.figures import training as figures
from shared.calendar import start_of_day
from shared.events.base import read_day

router = APIRouter(tags=["training"], responses=NOT_HOSTED)
PREFIX = "/p/{partnership}/api/training"


def since(value: str | None = Query(
        None, alias="since", max_length=40,
        description="Only sessions from this moment on: a date (YYYY-MM-DD, the start of that day in London) or an "
                    "RFC 3339 time: the period then runs from it. Default: the period's first day.")) -> datetime | None:
    """FastAPI dependency: the start of the period, or 422 naming `since`."""
    if value is None:
        return None
    try:
        if len(value) == 10:  # a date: its first moment in London, not its last
            return start_of_day(read_day(value))
        return parse_as_of(value)
    except ValueError as exc:
        raise RequestValidationError([{"loc": ("query", "since"), "msg": str(exc), "type": "value_error"}]) from exc


def no_reader_window(value: str | None = Query(None, alias="due_within_days", include_in_schema=False)) -> None:
    """FastAPI dependency: `due_within_days` chose the due-soon window once; the window is now the training
    service's rule, published with each refresher, so asking for another is a 422 naming it, not ignored."""
    if value is not None:
        raise RequestValidationError([{"loc": ("query", "due_within_days"), "type": "value_error",
                                       "msg": "a refresher is due soon from the day the training service set for it "
                                              "(90 days before its due day, `due_soon_from`); the window is not "
                                              "chosen per request"}])


def asked_with_since(asked: Window = Depends(window), start: datetime | None = Depends(since)) -> Window:
    """FastAPI dependency: the as-of moment and period asked for, started at `since` when given."""
    return replace(asked, since=start) if start is not None else asked


async def answered(request: Request, partnership: str, asked: Window,
                  compute: Callable[[figures.Facts, datetime, Any], dict[str, Any]],
                  lifetime: bool = False) -> dict[str, Any]:
    """The answer of `compute` over the facts of the period asked for (of every year, for `lifetime`: competencies
    are held from any attendance whose refresher is not overdue)."""
    found = await viewed(request, partnership)
    moment, period = asked.of(found)
    facts = await figures.load(request.app.state.runtime.db, found.code, moment, None if lifetime else period)
    shown = compute(facts, moment, period)
    sources = shown.pop("sources", None) or sorted({t for types in figures.SOURCES.values() for t in types})
    return answer(found, moment, sources, period, **shown)


@router.get(PREFIX + "/attendance", summary="Attendance by agency, course, mode and month; fill, no-show and "
                                            "late-cancellation rates",
            responses={200: {"model": answers.AttendanceAnswer, "description": "attendance at the period's sessions"}})
async def attendance(request: Request, partnership: str = PartnershipCode,
                     asked: Window = Depends(asked_with_since)) -> dict:
    return await answered(request, partnership, asked, figures.attendance)


@router.get(PREFIX + "/bookings", summary="Bookings, waiting lists, promotions, cancellations in time and late",
            responses={200: {"model": answers.BookingsAnswer, "description": "bookings for the period's sessions"}})
async def bookings(request: Request, partnership: str = PartnershipCode,
                   asked: Window = Depends(asked_with_since)) -> dict:
    return await answered(request, partnership, asked, figures.bookings)


@router.get(PREFIX + "/evaluations", summary="Evaluations on the day (response rate, agreement) and follow-ups",
            responses={200: {"model": answers.EvaluationsAnswer, "description": "the period's evaluations"}})
async def evaluations(request: Request, partnership: str = PartnershipCode,
                      asked: Window = Depends(asked_with_since)) -> dict:
    return await answered(request, partnership, asked, figures.evaluations)


@router.get(PREFIX + "/needs-analysis", summary="Training needs analyses: preferences by delivery mode",
            responses={200: {"model": answers.NeedsAnalysisAnswer, "description": "the needs analyses of the period"}})
async def needs_analysis(request: Request, partnership: str = PartnershipCode,
                         asked: Window = Depends(window)) -> dict:
    return await answered(request, partnership, asked, figures.needs_analysis)


@router.get(PREFIX + "/programmes", summary="Partner programmes reported in aggregate (kept apart from attendance)",
            responses={200: {"model": answers.ProgrammesAnswer, "description": "the partner programmes of the period"}})
async def programmes(request: Request, partnership: str = PartnershipCode,
                     asked: Window = Depends(asked_with_since)) -> dict:
    return await answered(request, partnership, asked, figures.programmes)


@router.get(PREFIX + "/competencies", summary="People holding each Core Principle competency; refreshers due",
            description="A refresher is due soon, or overdue, on the days the training service set for it "
                        "(`training.refresher.set.v1`: 90 days before its due day, and after it): the window is "
                        "the service's rule, not a reader's choice. Competencies are a state on the as-of day: "
                        "the period is stated, not applied.",
            responses={200: {"model": answers.CompetenciesAnswer, "description": "competencies held on the as-of day"}})
async def competencies(request: Request, partnership: str = PartnershipCode,
                       asked: Window = Depends(window), _: None = Depends(no_reader_window)) -> dict:
    return await answered(request, partnership, asked, lambda f, moment, _period: figures.competencies(f, moment),
                         lifetime=True)


@router.get(PREFIX + "/priorities", summary="The priorities and strategies the period's training served, and reach",
            responses={200: {"model": answers.PrioritiesAnswer, "description": "each priority or strategy served"}})
async def priorities(request: Request, partnership: str = PartnershipCode,
                     asked: Window = Depends(asked_with_since)) -> dict:
    return await answered(request, partnership, asked, figures.priorities)


@router.get(PREFIX, summary="Every training figure at once",
            responses={200: {"model": answers.TrainingAnswer, "description": "every training figure of the period"}})
async def summary(request: Request, partnership: str = PartnershipCode,
                  asked: Window = Depends(asked_with_since)) -> dict:
    return await answered(request, partnership, asked, figures.summary, lifetime=True)
