"""The strategy service's HTTP entrypoint: owners' systems emit strategy events here."""

from __future__ import annotations

from fastapi import FastAPI

from shared.http.event_service import build_event_service
from services.strategy import handlers
from services.strategy.settings import StrategySettings


def build(settings: StrategySettings | None = None) -> FastAPI:
    return build_event_service(
        settings or StrategySettings(), domain="strategy", routes=handlers.ROUTES, kinds=handlers.KINDS,
        title="Strategy service",
        description="Strategies, the delivery plan, actions, KPIs and the Ofsted improvement plan, emitted by their "
                    "owners' systems as CloudEvents.")
