"""The strategy service's HTTP entrypoint. Its event types and ingest endpoint come with its own issue;
for now it runs, reports its health and readiness, and exposes its metrics like every service."""

from __future__ import annotations

from fastapi import FastAPI

from shared.http.app import create_app
from services.strategy.settings import StrategySettings


def build(settings: StrategySettings | None = None) -> FastAPI:
    settings = settings or StrategySettings()
    return create_app(settings, title="Strategy service", description="Strategies, the delivery plan, actions, KPIs and the Ofsted improvement plan.")
