"""The reviews figures as JSON, for any as-of date: /p/{partnership}/api/reviews/..."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["reviews"])
