"""The training service's HTTP entrypoint: partner systems emit training events here."""

from __future__ import annotations

from fastapi import FastAPI

from shared.http.event_service import build_event_service
from services.training import handlers
from services.training.settings import TrainingSettings


def build(settings: TrainingSettings | None = None) -> FastAPI:
    return build_event_service(
        settings or TrainingSettings(), domain="training", routes=handlers.ROUTES, kinds=handlers.KINDS,
        title="Training service",
        description="Courses, sessions and attendance, emitted by partner systems as CloudEvents.")
