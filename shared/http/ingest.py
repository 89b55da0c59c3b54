"""The CloudEvents ingest endpoint every domain service exposes to partner systems.

POST /events with `application/cloudevents+json` (one event) or `application/cloudevents-batch+json`
(a JSON array). The key (`Authorization: Bearer <key>` or `X-API-Key`) is checked first (401), then
every event against the catalogue (422 naming the field, nothing stored), then that the key's
agency and event types cover each event (403), then the service's own rules (422/409). A batch is
all or nothing.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import structlog
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from shared import metrics
from shared.auth.keys import ApiKey
from shared.events.base import EventData
from shared.events.catalogue import UnknownEventType, parse_data
from shared.events.envelope import Envelope
from shared.http.runtime import Runtime

log = structlog.get_logger("ingest")
STRUCTURED = "application/cloudevents+json"
BATCH = "application/cloudevents-batch+json"
MAX_BATCH = 1000


@dataclass(frozen=True)
class Incoming:
    envelope: Envelope
    data: EventData


class Rejected(Exception):
    """A service rule refused an event: `loc` names the field, as in a 422 from validation."""

    def __init__(self, status: int, loc: Sequence[str | int], msg: str, type: str = "rule"):
        super().__init__(msg)
        self.status, self.loc, self.msg, self.type = status, list(loc), msg, type


Accept = Callable[[Request, list[Incoming]], Awaitable[list[str]]]  # a status per event: accepted | duplicate


def _problem(status: int, detail: Any) -> JSONResponse:
    metrics.EVENTS_REJECTED.labels(str(status)).inc()
    log.info("events refused", status=status, first_error=detail[0] if isinstance(detail, list) else detail)
    return JSONResponse({"detail": detail}, status_code=status)


def _api_key(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.headers.get("x-api-key")


def validate(items: list[Any], domain: str) -> tuple[list[Incoming], list[dict]]:
    """Validate each item as an envelope and its data against the catalogue; errors name the field."""
    incoming, errors = [], []
    for i, item in enumerate(items):
        try:
            envelope = Envelope.model_validate(item)
        except ValidationError as exc:
            errors += [{"loc": ["body", i, *e["loc"]], "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
            continue
        if envelope.domain != domain:
            errors.append({"loc": ["body", i, "type"], "msg": f"this service accepts {domain}.* events only",
                           "type": "wrong_service"})
            continue
        try:
            incoming.append(Incoming(envelope, parse_data(envelope)))
        except UnknownEventType as exc:
            errors.append({"loc": ["body", i, "type"], "msg": str(exc), "type": "unknown_event_type"})
        except ValidationError as exc:
            errors += [{"loc": ["body", i, "data", *e["loc"]], "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
    return incoming, errors


def authorise(key: ApiKey, incoming: list[Incoming]) -> list[dict]:
    errors = []
    for i, item in enumerate(incoming):
        if item.envelope.agency != key.agency:
            errors.append({"loc": ["body", i, "agency"], "msg": f"this key emits for {key.agency} only", "type": "forbidden"})
        elif not key.may_emit(item.envelope.type):
            errors.append({"loc": ["body", i, "type"], "msg": f"this key may not emit {item.envelope.type}", "type": "forbidden"})
    return errors


_REQUEST_BODY = {
    "required": True,
    "content": {
        STRUCTURED: {"schema": {"$ref": "https://schemas.scp.example/envelope.json"}},
        BATCH: {"schema": {"type": "array", "maxItems": MAX_BATCH,
                           "items": {"$ref": "https://schemas.scp.example/envelope.json"}}},
    },
}


def ingest_router(domain: str, accept: Accept) -> APIRouter:
    router = APIRouter(tags=["ingest"])

    @router.post("/events", status_code=202, summary=f"Emit {domain} events (CloudEvents, structured or batch)",
                 openapi_extra={"requestBody": _REQUEST_BODY},
                 responses={401: {"description": "no valid API key"}, 403: {"description": "agency or event type not covered by the key"},
                            415: {"description": "not a CloudEvents JSON content type"},
                            422: {"description": "invalid event: `detail[].loc` names the field"},
                            409: {"description": "the event conflicts with the current state"}})
    async def emit(request: Request):
        runtime: Runtime = request.app.state.runtime
        key = await runtime.keys.authenticate(_api_key(request))
        if key is None:
            return _problem(401, "a valid API key is required: Authorization: Bearer <key>")
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type not in (STRUCTURED, BATCH):
            return _problem(415, f"send {STRUCTURED} or {BATCH}")
        try:
            body = json.loads(await request.body())
        except ValueError as exc:
            return _problem(422, [{"loc": ["body"], "msg": f"invalid JSON: {exc}", "type": "json_invalid"}])
        if content_type == BATCH and not isinstance(body, list):
            return _problem(422, [{"loc": ["body"], "msg": "a batch is a JSON array of events", "type": "list_type"}])
        items = body if content_type == BATCH else [body]
        if not items or len(items) > MAX_BATCH:
            return _problem(422, [{"loc": ["body"], "msg": f"send 1 to {MAX_BATCH} events", "type": "batch_size"}])
        incoming, errors = validate(items, domain)
        if errors:
            return _problem(422, errors)
        if errors := authorise(key, incoming):
            return _problem(403, errors)
        try:
            statuses = await accept(request, incoming)
        except Rejected as exc:
            return _problem(exc.status, [{"loc": ["body", *exc.loc], "msg": exc.msg, "type": exc.type}])
        for item in incoming:
            metrics.EVENTS_ACCEPTED.labels(item.envelope.type).inc()
        log.info("events accepted", agency=key.agency, key_id=key.key_id,
                 accepted=statuses.count("accepted"), duplicates=statuses.count("duplicate"))
        return JSONResponse({"accepted": statuses.count("accepted"), "duplicates": statuses.count("duplicate"),
                             "events": [{"id": i.envelope.id, "status": s} for i, s in zip(incoming, statuses)]},
                            status_code=202)

    return router
