"""The event catalogue: every event type, its contract, and the topic it travels on.

The JSON Schemas and the AsyncAPI document under docs/catalogue/ are generated from here
(`python -m shared.events.catalogue`); a test fails when they drift from the code. The committed schemas carry
the canonical `$id`s (`SCHEMA_BASE`, the same in every deployment); each domain service serves the same documents
with the `$id` of the URL it serves them at (`json_schema(type, base)`, shared.http.schemas).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from shared.events import reviews, strategy, training
from shared.events.base import EventData
from shared.events.envelope import SCHEMA_BASE, Envelope, schema_url

CATALOGUE: dict[str, type[EventData]] = {
    model.type_name: model for model in (*strategy.EVENTS, *reviews.EVENTS, *training.EVENTS)}
DOMAINS = ("strategy", "reviews", "training")


# each type's name without its version, to its newest version here: `reviews.rapid_review.completed` -> 2
NEWEST: dict[str, int] = {}
for _name in CATALOGUE:
    _base, _version = _name.rsplit(".v", 1)
    NEWEST[_base] = max(NEWEST.get(_base, 0), int(_version))


class UnknownEventType(ValueError):
    pass


class NewerVersion(UnknownEventType):
    """A version of a known type newer than this code knows: sent by a newer writer to an older reader."""


def is_current(type_name: str) -> bool:
    """Whether a type is its newest version (partners should send it); a superseded one is still accepted and read."""
    return CATALOGUE[type_name].superseded_by is None


def _unknown(type_name: str) -> UnknownEventType:
    base, _, version = type_name.rpartition(".v")
    if base in NEWEST and version.isdigit() and int(version) > NEWEST[base]:
        return NewerVersion(f"{type_name} is a newer version than this code knows: its newest version of {base} is "
                            f"v{NEWEST[base]}")
    return UnknownEventType(f"unknown event type {type_name!r}")


def topic_for(domain: str, prefix: str = "") -> str:
    """The topic a domain's events travel on, e.g. `training.events`."""
    return f"{prefix}{domain}.events"


def dlq_for(topic: str) -> str:
    return f"{topic}.dlq"


def parse_data(envelope: Envelope) -> EventData:
    """Validate an envelope's data against its contract, then upcast it to its type's current version: every reader
    (the domain services' handlers, the projector) sees only current versions, and the event itself stays as sent.
    Raises UnknownEventType (NewerVersion for a version newer than this code knows) or ValidationError."""
    model = CATALOGUE.get(envelope.type)
    if model is None:
        raise _unknown(envelope.type)
    data = model.model_validate(envelope.data)
    while data.superseded_by is not None:
        data = data.upcast()
    return data


def decode(raw: bytes | str) -> tuple[Envelope, EventData]:
    """Read one event as published (its JSON on Kafka), as every consumer reads it and as ingest checks it before
    accepting: the envelope, then its data against its contract. Raises UnknownEventType or ValidationError."""
    envelope = Envelope.from_json(raw)
    return envelope, parse_data(envelope)


def json_schema(type_name: str, base: str = SCHEMA_BASE) -> dict[str, Any]:
    """The JSON Schema of a type's `data`, its `$id` under `base` (the canonical one, or where a service serves it)."""
    model = CATALOGUE[type_name]
    schema = model.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": schema_url(type_name, base),
            "description": (model.__doc__ or "").strip(), **{k: v for k, v in schema.items() if k != "description"},
            **({"deprecated": True} if model.superseded_by else {})}


def envelope_schema(base: str = SCHEMA_BASE) -> dict[str, Any]:
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": schema_url("envelope", base),
            **Envelope.model_json_schema()}


def text(document: dict[str, Any]) -> str:
    """A catalogue document as committed and as served."""
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def asyncapi() -> dict[str, Any]:
    """An AsyncAPI 3.0 document: one channel per domain topic, one message per event type."""
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for type_name, model in sorted(CATALOGUE.items()):
        key = type_name.replace(".", "_")
        messages[key] = {
            "name": type_name, "title": model.__name__, "summary": model.summary,
            "contentType": "application/cloudevents+json",
            "payload": {"$ref": f"./schemas/{type_name}.json"},
            "headers": {"type": "object", "required": ["content-type"], "properties": {
                "content-type": {"const": "application/cloudevents+json; charset=UTF-8",
                                 "description": "Structured mode of the CloudEvents Kafka protocol binding: the "
                                                "record's value is the whole event."},
                "ce_type": {"const": type_name}, "ce_id": {"type": "string"}, "correlation_id": {"type": "string"},
                "traceparent": {"type": "string"}}},
            "bindings": {"kafka": {"key": {"type": "string", "description": f"the event's {model.aggregate}"}}},
            "tags": [{"name": "current" if model.superseded_by is None else "superseded"}],
            **({"description": f"Superseded by {model.superseded_by}: still accepted, and read as it (upcast). "
                               "Send the current version."} if model.superseded_by else {}),
        }
    for domain in DOMAINS:
        domain_messages = {k: {"$ref": f"#/components/messages/{k}"} for k in messages if k.startswith(domain + "_")}
        channels[domain] = {"address": topic_for(domain), "messages": domain_messages,
                            "description": f"Every {domain} event, keyed by aggregate, as a CloudEvent."}
        operations[f"publish_{domain}"] = {"action": "send", "channel": {"$ref": f"#/channels/{domain}"},
                                           "messages": [{"$ref": f"#/channels/{domain}/messages/{k}"} for k in domain_messages]}
        operations[f"project_{domain}"] = {"action": "receive", "channel": {"$ref": f"#/channels/{domain}"},
                                           "summary": "The reporting projector consumes it."}
    return {"asyncapi": "3.0.0",
            "info": {"title": "Safeguarding Children Partnership events", "version": "1.0.0",
                     "description": "Domain events published by the strategy, reviews and training services. "
                                    "Each message's `dataschema` is the URL at which the service that published it "
                                    "serves the JSON Schema of its `data` (`GET /schemas/{type}.json`, under the "
                                    "service's SCHEMA_BASE_URL); the schemas here are the same documents, with the "
                                    f"catalogue's canonical `$id`s ({SCHEMA_BASE}<type>.json)."},
            "defaultContentType": "application/cloudevents+json",
            "channels": channels, "operations": operations, "components": {"messages": messages}}


def rendered(root: Path) -> dict[Path, str]:
    """Every catalogue file, path to text, as it should be committed."""
    out = {root / "asyncapi.json": asyncapi(), root / "schemas" / "envelope.json": envelope_schema()}
    for type_name in CATALOGUE:
        out[root / "schemas" / f"{type_name}.json"] = json_schema(type_name)
    return {path: text(doc) for path, doc in out.items()}


def main() -> None:
    root = Path(__file__).resolve().parents[2] / "docs" / "catalogue"
    for path, text in rendered(root).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        print(f"wrote {path.relative_to(root.parents[1])}")


if __name__ == "__main__":
    main()

__all__ = ["CATALOGUE", "NEWEST", "SCHEMA_BASE", "NewerVersion", "UnknownEventType", "ValidationError", "dlq_for",
           "is_current", "parse_data", "topic_for"]
