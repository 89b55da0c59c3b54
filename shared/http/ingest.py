"""The CloudEvents ingest endpoint every domain service exposes to partner systems.

POST /events with `application/cloudevents+json` (one event) or `application/cloudevents-batch+json`
(a JSON array). In order, each refusal an RFC 9457 problem naming the field (shared.http.problems):
1. the key (`Authorization: Bearer <key>` or `X-API-Key`): 401;
2. the content type: 415;
3. the body: JSON, at most `MAX_DEPTH` levels deep, no key twice in an object, 1 to `MAX_BATCH` events: 422;
4. every event against the catalogue: 422 naming the field (a type the service decides itself, a `Decision`,
   is never sent to it: 422 naming `type`; a `dataschema` that is not the schema of the event's own type: 422
   naming `dataschema`); nothing is stored. Each event is published with the URL at which its service serves its
   type's schema as `dataschema` (shared.http.schemas), whatever was sent;
5. every event's size against what Kafka accepts (`shared.kafka.limits`): 413;
6. that each event's partnership is one this deployment hosts: 422 naming `partnership`;
7. that the key's agency, partnerships and event types cover each event: 403 naming the attribute;
8. the service's own rules, applied by `accept`: 422, 403 (ownership) or 409 (state, identity).
A batch is all or nothing.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import structlog
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from shared.observability import metrics
from shared.auth.keys import ApiKey
from shared.events.base import EventData
from shared.events.catalogue import CATALOGUE, NewerVersion, UnknownEventType, decode, topic_for
from shared.events.envelope import SCHEMA_BASE, Envelope, names_schema_of, schema_url
from shared.http.json_body import duplicate_keys, loads
from shared.http.problems import PROBLEM_SCHEMA, error, problem, problem_responses
from shared.http.security import CHALLENGE
from shared.http.rate_limits import Limited
from shared.http.runtime import Runtime
from shared.adapters.mongo.partnerships import PartnershipRegistry

log = structlog.get_logger("ingest")
STRUCTURED = "application/cloudevents+json"
BATCH = "application/cloudevents-batch+json"
MAX_BATCH = 1000
MAX_DEPTH = 32


@dataclass(frozen=True)
class Incoming:
    envelope: Envelope
    data: EventData


class Rejected(Exception):
    """A service rule refused an event: `loc` names the field, as in a 422 from validation."""

    def __init__(self, status: int, loc: Sequence[str | int], msg: str, type: str = "rule"):
        super().__init__(msg)
        self.status, self.loc, self.msg, self.type = status, list(loc), msg, type


Accept = Callable[[Request, list[Incoming], ApiKey], Awaitable[list[str]]]  # a status per event: accepted | duplicate


def _refuse(status: int, errors: list[dict], headers: dict[str, str] | None = None) -> JSONResponse:
    metrics.EVENTS_REJECTED.labels(str(status)).inc()
    log.info("events refused", status=status, first_error=errors[0] if errors else None, errors=len(errors))
    return problem(status, errors, headers=headers)


def _api_key(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip()
    return request.headers.get("x-api-key")


def _too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """True if `value` nests arrays or objects more than `limit` levels (checked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > limit:
                return True
            stack += [(v, depth + 1) for v in (item.values() if isinstance(item, dict) else item)]
    return False


def _lone_surrogate(value: Any, path: tuple = ()) -> tuple | None:
    """The path of the first string holding a lone surrogate (`"\\ud800"` in JSON), which no UTF-8 form can carry."""
    stack = [(value, path)]
    while stack:
        item, at = stack.pop()
        if isinstance(item, str):
            try:
                item.encode()
            except UnicodeEncodeError:
                return at
        elif isinstance(item, dict):
            stack += [(k, at) for k in item] + [(v, (*at, k)) for k, v in item.items()]
        elif isinstance(item, list):
            stack += [(v, (*at, j)) for j, v in enumerate(item)]
    return None


def validate(items: list[Any], domain: str, schema_base: str = SCHEMA_BASE) -> tuple[list[Incoming], list[dict]]:
    """Validate each item as an envelope and its data against the catalogue; errors name the field.

    A `dataschema` may be left out; if sent, it must name the schema of the event's own type under any base (its
    path ends in `/<type>.json`: the catalogue's, the service's, or a copy of either). Either way the event is
    published with the URL of its type's schema under `schema_base`, the service's own.

    An event is then read back from the form it will be published in (UTC times, JSON as the service writes it)
    through the decoder every consumer uses (shared.events.catalogue.decode), and the event read back is the one
    accepted: what ingest accepts, the projector reads alike.
    """
    incoming, errors = [], []
    for i, item in enumerate(items):
        if (at := _lone_surrogate(item)) is not None:
            errors.append(error(["body", i, *at], "text must be valid Unicode: a lone surrogate (\\ud800-\\udfff) "
                                "is not a character", "string_unicode"))
            continue
        try:
            envelope = Envelope.model_validate(item)
        except ValidationError as exc:
            errors += [error(["body", i, *e["loc"]], e["msg"], e["type"]) for e in exc.errors()]
            continue
        if envelope.domain != domain:
            errors.append(error(["body", i, "type"], f"this service accepts {domain}.* events only", "wrong_service"))
            continue
        if (model := CATALOGUE.get(envelope.type)) is not None and model.decided_by_service:
            errors.append(error(["body", i, "type"], f"{envelope.type} is decided by the {domain} service from the "
                                "facts partners send: it is published by the service, never sent to it",
                                "decided_by_service"))
            continue
        if envelope.dataschema and envelope.type in CATALOGUE and not names_schema_of(envelope.dataschema,
                                                                                      envelope.type):
            errors.append(error(["body", i, "dataschema"], f"not the schema of {envelope.type}: leave dataschema out, "
                                f"or send a URL ending in /{envelope.type}.json, such as "
                                f"{schema_url(envelope.type, schema_base)}", "dataschema_mismatch"))
            continue
        envelope = envelope.model_copy(update={"dataschema": schema_url(envelope.type, schema_base)})
        try:  # `data` is published as sent, so its errors are the same read back: validated once, there
            incoming.append(Incoming(*decode(envelope.to_json())))
        except NewerVersion as exc:
            errors.append(error(["body", i, "type"], str(exc), "newer_version"))
        except UnknownEventType as exc:
            errors.append(error(["body", i, "type"], str(exc), "unknown_event_type"))
        except ValidationError as exc:
            where = ["body", i] if exc.title == Envelope.__name__ else ["body", i, "data"]
            errors += [error([*where, *e["loc"]], e["msg"], e["type"]) for e in exc.errors()]
    return incoming, errors


def oversized(incoming: list[Incoming], limit: int) -> list[dict]:
    """Events larger, as they will be published, than Kafka accepts."""
    return [error(["body", i], f"the event is {size} bytes as published; at most {limit} are accepted", "too_large")
            for i, item in enumerate(incoming) if (size := len(item.envelope.to_json())) > limit]


async def unknown_partnerships(registry: PartnershipRegistry, incoming: list[Incoming]) -> list[dict]:
    errors = []
    for i, item in enumerate(incoming):
        if await registry.get(item.envelope.partnership) is None:
            errors.append(error(["body", i, "partnership"], f"no partnership {item.envelope.partnership!r} is hosted here",
                                "unknown_partnership"))
    return errors


def authorise(key: ApiKey, incoming: list[Incoming]) -> list[dict]:
    errors = []
    for i, item in enumerate(incoming):
        if item.envelope.agency != key.agency:
            errors.append(error(["body", i, "agency"], f"this key emits for {key.agency} only", "forbidden"))
        elif not key.may_emit_to(item.envelope.partnership):
            errors.append(error(["body", i, "partnership"],
                                f"this key emits to {', '.join(key.partnerships) or 'no partnership'} only", "forbidden"))
        elif not key.may_emit(item.envelope.type):
            errors.append(error(["body", i, "type"], f"this key may not emit {item.envelope.type}", "forbidden"))
    return errors


def _schema_name(type_name: str) -> str:
    return "".join(part.capitalize() for part in type_name.replace(".", "_").split("_"))


def _dataschema_of(type_name: str, declared: dict[str, Any]) -> dict[str, Any]:
    """The envelope's `dataschema` as one type takes it: absent, or an absolute URI whose path ends in `/<type>.json`."""
    of_type = r"^[A-Za-z][A-Za-z0-9+.\-]*:[A-Za-z0-9\-._~:/@!$&'()*+,;=%]*/" + re.escape(type_name) + r"\.json$"
    return {**declared, "anyOf": [{"type": "string", "maxLength": 512, "pattern": of_type}, {"type": "null"}]}


def openapi_components(domain: str) -> dict[str, Any]:
    """The request body's schemas, inline in the service's OpenAPI: one envelope per event type the
    service accepts (its `type` a constant, its `data` that type's contract), and the problem shape."""
    schemas: dict[str, Any] = {"Problem": PROBLEM_SCHEMA}
    ref = "#/components/schemas/{model}"
    envelope = Envelope.model_json_schema(ref_template=ref)
    variants = []
    for type_name, model in sorted(CATALOGUE.items()):
        if not type_name.startswith(domain + ".") or model.decided_by_service:
            continue
        name = _schema_name(type_name)
        data = model.model_json_schema(ref_template=ref)
        schemas.update(data.pop("$defs", {}))
        schemas[f"{name}Data"] = data
        version = int(type_name.rsplit(".v", 1)[1])
        properties = {**envelope["properties"], "type": {"const": type_name, "type": "string"},
                      "dataschema": _dataschema_of(type_name, envelope["properties"]["dataschema"]),
                      "schemaversion": {"const": version, "type": "integer", "description": "The type's .vN."},
                      "data": {"$ref": f"#/components/schemas/{name}Data"}}
        schemas[name] = {**{k: v for k, v in envelope.items() if k != "$defs"}, "title": name,
                         "properties": properties,
                         **({"deprecated": True, "description": f"Superseded by {model.superseded_by}: still "
                             "accepted, and read as it. Send the current version."} if model.superseded_by else {})}
        variants.append({"$ref": f"#/components/schemas/{name}"})
    schemas[f"{domain.capitalize()}Event"] = {"oneOf": variants, "description": f"A {domain} event (CloudEvents 1.0)."}
    schemas[f"{domain.capitalize()}EventBatch"] = {"type": "array", "minItems": 1, "maxItems": MAX_BATCH,
                                                   "items": {"$ref": f"#/components/schemas/{domain.capitalize()}Event"}}
    return schemas


SECURITY_SCHEMES = {
    "bearer": {"type": "http", "scheme": "bearer", "description": "A partner key: Authorization: Bearer scp_..."},
    "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key", "description": "The same key, in X-API-Key."},
}


def _responses() -> dict:
    responses = problem_responses({
        401: "no valid API key",
        403: "agency, partnership or event type not covered by the key, or not this agency's fact to change",
        409: "the event conflicts with the current state, or reuses an identity with other content",
        413: "the body or an event is larger than accepted", 415: "not a CloudEvents JSON content type",
        422: "invalid event: `errors[].loc` names the field",
        429: "the key sent more requests or events a second than its limit: wait Retry-After seconds"})
    responses[429]["headers"] = {"Retry-After": {"description": "whole seconds to wait before sending again",
                                                 "schema": {"type": "integer"}}}
    responses[401]["headers"] = {"WWW-Authenticate": {
        "description": f'the challenge (RFC 6750): `{CHALLENGE}`, with `error="invalid_token"` if a key was sent',
        "schema": {"type": "string"}}}
    return responses


def _limited(exc: Limited) -> JSONResponse:
    return _refuse(429, [error(["header", "authorization"], str(exc), "rate_limited")],
                   headers={"Retry-After": str(exc.retry_after)})


_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def _request_id(request: Request) -> str:
    """The client's `X-Request-ID` when it is a plain token, else one made here; returned in the answer."""
    sent = request.headers.get("x-request-id", "")
    return sent if _REQUEST_ID.match(sent) else uuid.uuid4().hex


async def record_writes(runtime: Runtime, domain: str, key: ApiKey, request_id: str, incoming: Sequence[Incoming],
                        statuses: Sequence[str]) -> None:
    """Append the accepted batch to each of its partnerships' write log (shared.adapters.mongo.write_log). If this
    fails the answer is a 5xx: the client sends the batch again with the same ids, and that batch (its events now
    duplicates) is recorded."""
    if runtime.writes is None:
        return
    by_partnership: dict[str, list[dict[str, str]]] = {}
    for item, status in zip(incoming, statuses):
        by_partnership.setdefault(item.envelope.partnership, []).append(
            {"source": item.envelope.source, "id": item.envelope.id, "type": item.envelope.type, "status": status})
    for partnership, events in sorted(by_partnership.items()):
        await runtime.writes.append(partnership, service=domain, key_id=key.key_id, agency=key.agency,
                                    request_id=request_id, events=events)


def ingest_router(domain: str, accept: Accept, schema_base: str = SCHEMA_BASE) -> APIRouter:
    router = APIRouter(tags=["ingest"])
    event, batch = f"#/components/schemas/{domain.capitalize()}Event", f"#/components/schemas/{domain.capitalize()}EventBatch"
    request_body = {"required": True, "content": {STRUCTURED: {"schema": {"$ref": event}},
                                                  BATCH: {"schema": {"$ref": batch}}}}

    @router.post("/events", status_code=202, summary=f"Emit {domain} events (CloudEvents, structured or batch)",
                 openapi_extra={"requestBody": request_body, "security": [{"bearer": []}, {"apiKey": []}]},
                 responses=_responses())
    async def emit(request: Request):
        runtime: Runtime = request.app.state.runtime
        presented = _api_key(request)
        key = await runtime.keys.authenticate(presented)
        if key is None:  # RFC 6750: the challenge, and `invalid_token` if a key was sent
            challenge = CHALLENGE + (', error="invalid_token"' if presented else "")
            return _refuse(401, [error(["header", "authorization"], "a valid API key is required: Authorization: Bearer <key>",
                                       "unauthorized")], headers={"WWW-Authenticate": challenge})
        if key.scope != "emit":
            return _refuse(403, [error(["header", "authorization"], "this is a read key: it reads figures from the "
                                       "reporting service and emits nothing", "forbidden")])
        try:
            if runtime.rates is not None:
                await runtime.rates.request(key)
        except Limited as exc:
            return _limited(exc)
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type not in (STRUCTURED, BATCH):
            return _refuse(415, [error(["header", "content-type"], f"send {STRUCTURED} or {BATCH}", "unsupported_media_type")])
        try:
            body = loads(await request.body())
        except (ValueError, RecursionError) as exc:
            message = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
            return _refuse(422, [error(["body"], f"invalid JSON: {message}", "json_invalid")])
        if _too_deep(body):
            return _refuse(422, [error(["body"], f"JSON nested more than {MAX_DEPTH} levels", "json_too_deep")])
        if content_type == BATCH and not isinstance(body, list):
            return _refuse(422, [error(["body"], "a batch is a JSON array of events", "list_type")])
        items = body if content_type == BATCH else [body]
        if not items or len(items) > MAX_BATCH:
            return _refuse(422, [error(["body"], f"send 1 to {MAX_BATCH} events", "batch_size")])
        if errors := duplicate_keys(items):
            return _refuse(422, errors)
        incoming, errors = validate(items, domain, schema_base)
        if errors:
            return _refuse(422, errors)
        try:
            if runtime.rates is not None:
                await runtime.rates.events(key, len(incoming))
        except Limited as exc:
            return _limited(exc)
        limit = await runtime.event_size_limit(topic_for(domain, runtime.settings.topic_prefix))
        if errors := oversized(incoming, limit):
            return _refuse(413, errors)
        if errors := await unknown_partnerships(runtime.partnerships, incoming):
            return _refuse(422, errors)
        if errors := authorise(key, incoming):
            return _refuse(403, errors)
        try:
            statuses = await accept(request, incoming, key)
        except Rejected as exc:
            return _refuse(exc.status, [error(["body", *exc.loc], exc.msg, exc.type)])
        request_id = _request_id(request)
        await record_writes(runtime, domain, key, request_id, incoming, statuses)
        for item in incoming:
            metrics.EVENTS_ACCEPTED.labels(item.envelope.type).inc()
        log.info("events accepted", agency=key.agency, key_id=key.key_id, request_id=request_id,
                 accepted=statuses.count("accepted"), duplicates=statuses.count("duplicate"))
        return JSONResponse({"accepted": statuses.count("accepted"), "duplicates": statuses.count("duplicate"),
                             "events": [{"id": i.envelope.id, "status": s} for i, s in zip(incoming, statuses)]},
                            status_code=202, headers={"X-Request-ID": request_id})

    router.openapi_components = openapi_components(domain)  # merged into the app's OpenAPI by create_app
    return router
