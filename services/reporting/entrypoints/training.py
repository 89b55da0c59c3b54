"""The training figures as JSON, for any as-of date: /p/{partnership}/api/training/..."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["training"])
