"""The reviews service's HTTP entrypoint. Its event types and ingest endpoint come with its own issue;
for now it runs, reports its health and readiness, and exposes its metrics like every service."""

from __future__ import annotations

from fastapi import FastAPI

from shared.http.app import create_app
from services.reviews.settings import ReviewsSettings


def build(settings: ReviewsSettings | None = None) -> FastAPI:
    settings = settings or ReviewsSettings()
    return create_app(settings, title="Reviews service", description="Rapid reviews, practice reviews, LADO, audits, recommendations and learning.")
