"""The reviews service's HTTP entrypoint: partners' systems emit review, LADO, audit and learning events here."""

from __future__ import annotations

from fastapi import FastAPI

from shared.http.event_service import build_event_service
from services.reviews import handlers
from services.reviews.settings import ReviewsSettings


def build(settings: ReviewsSettings | None = None) -> FastAPI:
    return build_event_service(
        settings or ReviewsSettings(), domain="reviews", routes=handlers.ROUTES, kinds=handlers.KINDS,
        title="Reviews service",
        description="Serious incidents, rapid and practice reviews, LADO, audits, recommendations and learning, "
                    "emitted by partners' systems as CloudEvents.")
