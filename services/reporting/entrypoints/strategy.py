"""The strategy figures as JSON, for any as-of date: /p/{partnership}/api/strategy/..."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["strategy"])
