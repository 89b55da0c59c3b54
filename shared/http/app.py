"""The FastAPI app every service is built from: health, readiness, metrics, logs, traces."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from contextlib import asynccontextmanager

import structlog
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from shared import metrics
from shared.http.runtime import Runtime
from shared.logging import configure_logging
from shared.settings import Settings
from shared.tracing import configure_tracing

log = structlog.get_logger("http")
Start = Callable[[FastAPI, Runtime], Awaitable[Sequence[Awaitable]]]


def create_app(settings: Settings, *, title: str, description: str, routers: Sequence[APIRouter] = (),
               start: Start | None = None, producer: bool = True) -> FastAPI:
    """Build a service's app. `start` may return coroutines to run in the background (e.g. the outbox relay)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        configure_logging(settings.service_name, settings.log_level, settings.log_format)
        configure_tracing(settings.service_name, settings.otel_traces_exporter)
        runtime = await Runtime.open(settings, producer=producer)
        app.state.runtime = runtime
        tasks = [asyncio.create_task(job) for job in (await start(app, runtime) if start else [])]
        log.info("service started", port=settings.port)
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await runtime.close()
            log.info("service stopped")

    app = FastAPI(title=title, description=description, version="1.0.0", lifespan=lifespan)
    app.state.settings = settings

    @app.middleware("http")
    async def observe(request: Request, call_next):
        correlation_id = request.headers.get("x-correlation-id") or str(uuid.uuid4())
        request.state.correlation_id = correlation_id
        started = time.perf_counter()
        with structlog.contextvars.bound_contextvars(correlation_id=correlation_id):
            response = await call_next(request)
        route = request.scope.get("route")
        metrics.HTTP_LATENCY.labels(request.method, getattr(route, "path", "unmatched"),
                                    str(response.status_code)).observe(time.perf_counter() - started)
        response.headers["X-Correlation-ID"] = correlation_id
        return response

    @app.get("/healthz", tags=["operations"], summary="Alive")
    async def healthz() -> dict:
        return {"status": "ok", "service": settings.service_name}

    @app.get("/readyz", tags=["operations"], summary="Kafka and MongoDB reachable")
    async def readyz(request: Request):
        checks = await request.app.state.runtime.readiness()
        ready = all(v == "ok" for v in checks.values())
        return JSONResponse({"status": "ready" if ready else "not ready", "checks": checks},
                            status_code=200 if ready else 503)

    @app.get("/metrics", tags=["operations"], summary="Prometheus metrics", include_in_schema=False)
    async def prometheus() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    for router in routers:
        app.include_router(router)

    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    FastAPIInstrumentor.instrument_app(app, excluded_urls="healthz,readyz,metrics")
    return app
