"""The FastAPI app every service is built from: health, readiness, metrics, logs, traces."""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from contextlib import asynccontextmanager

import structlog
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from shared.observability import metrics
from shared.http.limits import BodyLimits
from shared.http.problems import INVALID_PARAMETER, PROBLEM_JSON, error, problem, problem_responses
from shared.http.runtime import Runtime
from shared.http.security import SecurityHeaders, add_docs
from shared.observability.logging import configure_logging
from shared.settings import Settings
from shared.observability.tracing import configure_tracing

log = structlog.get_logger("http")
_CORRELATION_ID = re.compile(r"^[\x21-\x7e]{1,128}$")


def _correlation_id(header: str | None) -> str:
    """The caller's X-Correlation-ID if it is a sane one (printable, bounded), else a new one."""
    return header if header and _CORRELATION_ID.match(header) else str(uuid.uuid4())


PARAMETERS = ("path", "query", "header", "cookie")


def _served_with_other_slash(request: Request) -> bool:
    """True if no route matched the path, but one serves it with (or without) a trailing slash."""
    path = request.scope["path"]
    if request.scope.get("route") is not None or path == "/":
        return False
    other = {**request.scope, "path": path.rstrip("/") if path.endswith("/") else path + "/"}
    return any(route.matches(other)[0] is not Match.NONE for route in request.app.router.routes)


def install_problem_handlers(app: FastAPI) -> None:
    """Every refusal FastAPI or Starlette makes (404, 405, a bad query parameter) in the problem shape.

    A path that differs from a route's only by its trailing slash is a 404 like any other (the app is
    built with `redirect_slashes=False`: Starlette's redirect would be absolute, to whatever `Host` the
    client sent); its message says that the other form exists."""

    @app.exception_handler(StarletteHTTPException)
    async def http_problem(request: Request, exc: StarletteHTTPException):
        loc = ["path"] if exc.status_code in (404, 405) else []
        msg = str(exc.detail)
        if exc.status_code == 404 and _served_with_other_slash(request):
            msg = ("no route serves this path; it is served without its trailing slash" if
                   request.scope["path"].endswith("/") else "no route serves this path; it is served with a trailing slash")
        return problem(exc.status_code, [error(loc, msg, "http_error")], headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_problem(request: Request, exc: RequestValidationError):
        errors = [error(list(e["loc"]), e["msg"], e["type"]) for e in exc.errors()]
        if errors and all(e["loc"] and e["loc"][0] in PARAMETERS for e in errors):
            return problem(422, errors, title="Invalid parameter", slug=INVALID_PARAMETER)
        return problem(422, errors, title="Invalid request")


def _true_refusals(schema: dict) -> None:
    """FastAPI declares each route's 422 as its own `HTTPValidationError` JSON; the service answers a
    problem document (install_problem_handlers): declare that, and drop the shapes no answer has."""
    parameter_problem = problem_responses({422: "invalid parameter: `errors[].loc` names it "
                                                "(type .../invalid-parameter)"})[422]
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            declared = operation.get("responses", {}).get("422")
            if declared is not None and PROBLEM_JSON not in declared.get("content", {}):
                operation["responses"]["422"] = parameter_problem
    if "/HTTPValidationError'" not in str(schema.get("paths", {})):
        for name in ("HTTPValidationError", "ValidationError"):
            schema.get("components", {}).get("schemas", {}).pop(name, None)


READINESS_SCHEMA = {
    "type": "object", "required": ["status", "checks", "notices"],
    "properties": {"status": {"type": "string", "enum": ["ready", "not ready"]},
                   "checks": {"type": "object", "additionalProperties": {"type": "string"},
                              "description": "Each dependency: `ok`, or what is wrong."},
                   "notices": {"type": "object", "description": "Shown, never failing readiness."}},
}


def _publish_components(app: FastAPI, components: Sequence[dict]) -> None:
    """Put the routers' schemas and the key schemes into the OpenAPI document, so it is usable as published."""
    from shared.http.ingest import SECURITY_SCHEMES
    from shared.http.problems import PROBLEM_SCHEMA

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            parts = schema.setdefault("components", {})
            schemas = parts.setdefault("schemas", {})
            schemas["Problem"] = PROBLEM_SCHEMA
            schemas["Readiness"] = READINESS_SCHEMA
            for extra in components:
                schemas.update(extra)
            if any(components):
                parts["securitySchemes"] = SECURITY_SCHEMES
            _true_refusals(schema)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi
Start = Callable[[FastAPI, Runtime], Awaitable[Sequence[Awaitable]]]


async def cancel_and_wait(tasks: Sequence[asyncio.Task], every_s: float = 1.0) -> None:
    """Cancel the background tasks and wait until they have all ended, cancelling again every `every_s` while one
    runs on. Once is not enough on Python 3.11: a library's `asyncio.wait_for` (pymongo's socket writes, aiokafka's)
    returns its result and drops a cancellation that arrives as its wait ends, and the task (an outbox relay) then
    ran on, and the app's shutdown waited for it for ever (issue 14, part 7)."""
    pending = {task for task in tasks if not task.done()}
    while pending:
        for task in pending:
            task.cancel()
        _, pending = await asyncio.wait(pending, timeout=every_s)
    for task in tasks:
        if not task.cancelled() and task.exception() is not None:
            log.warning("background task ended with an error", task=task.get_name(), error=repr(task.exception()))


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
            await cancel_and_wait(tasks)
            await runtime.close()
            log.info("service stopped")

    app = FastAPI(title=title, description=description, version="1.0.0", lifespan=lifespan,
                  docs_url=None, redoc_url=None,  # /docs is served locally by add_docs
                  redirect_slashes=False)  # a 404 problem instead (install_problem_handlers)
    app.state.settings = settings
    # inside `observe` (added before it), so a 408 or 413 is logged and measured as one
    app.add_middleware(BodyLimits, max_bytes=settings.http_max_body_bytes, timeout_s=settings.http_body_timeout_s)

    @app.middleware("http")
    async def observe(request: Request, call_next):
        correlation_id = _correlation_id(request.headers.get("x-correlation-id"))
        request.state.correlation_id = correlation_id
        started = time.perf_counter()
        with structlog.contextvars.bound_contextvars(correlation_id=correlation_id):
            try:
                response = await call_next(request)
            except Exception:  # a defect: logged with its trace, answered 500 in the one shape, and counted
                log.exception("request failed", method=request.method, path=request.url.path)
                response = problem(500, [error([], "the service failed to handle this request; it is logged "
                                                    "with the correlation id", "internal_error")])
        # set by the router to the route it matched: its path is a template, never the path requested
        template = getattr(request.scope.get("route"), "path", None) or "unmatched"
        metrics.ROUTES.add(template)
        metrics.HTTP_LATENCY.labels(request.method, template, str(response.status_code)).observe(
            time.perf_counter() - started)
        response.headers["X-Correlation-ID"] = correlation_id
        return response

    @app.get("/healthz", tags=["operations"], summary="Alive")
    async def healthz() -> dict:
        return {"status": "ok", "service": settings.service_name}

    @app.get("/readyz", tags=["operations"], summary="Kafka and MongoDB reachable, the outbox relay not stuck",
             responses={200: {"description": "ready: every check is `ok`", "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/Readiness"}}}},
                        503: {"description": "not ready: the checks say which dependency is not `ok`",
                              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Readiness"}}}}})
    async def readyz(request: Request):
        runtime = request.app.state.runtime
        checks = await runtime.readiness()
        ready = all(v == "ok" for v in checks.values())
        return JSONResponse({"status": "ready" if ready else "not ready", "checks": checks,
                             "notices": await runtime.notes()}, status_code=200 if ready else 503)

    install_problem_handlers(app)

    @app.get("/metrics", tags=["operations"], summary="Prometheus metrics", include_in_schema=False)
    async def prometheus() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    for router in routers:
        app.include_router(router)
    _publish_components(app, [getattr(r, "openapi_components", {}) for r in routers])
    add_docs(app)
    app.add_middleware(SecurityHeaders)  # added last: outermost, so its headers are on every answer

    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    FastAPIInstrumentor.instrument_app(app, excluded_urls="healthz,readyz,metrics")
    return app
