"""Every event's `dataschema` is a URL its service serves (issue 14, part 5).

Each domain service serves the JSON Schemas of its own event types at `/schemas/<type>.json` (and the envelope's),
the catalogue's documents with the `$id` of the URL they are served at, under its SCHEMA_BASE_URL. Ingest takes a
partner's `dataschema` only if it names the schema of the event's own type, and publishes every event with the
service's URL; a retry with or without `dataschema`, or after the URL moved, is the same event.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path

import httpx
import pytest

from services.reviews.entrypoints.api import build as build_reviews
from services.reviews.settings import ReviewsSettings
from services.strategy.entrypoints.api import build as build_strategy
from services.strategy.settings import StrategySettings
from services.training import handlers
from services.training.entrypoints.api import build as build_training
from services.training.settings import TrainingSettings
from shared.write.aggregates import KeyedLocks, MemoryAggregateStore, UnitOfWork
from shared.events.catalogue import CATALOGUE, SCHEMA_BASE, envelope_schema, json_schema
from shared.events.envelope import Envelope, new_event
from shared.write.handling import EventRefused, ingest
from shared.http.ingest import validate
from shared.write.identities import MemoryIdentities
from shared.write.rules import Actor

ROOT = Path(__file__).resolve().parents[2]
SERVICES = {"strategy": (build_strategy, StrategySettings), "reviews": (build_reviews, ReviewsSettings),
            "training": (build_training, TrainingSettings)}
TRAINING_BASE = "https://training.scp.example.org/schemas/"
COURSE = "training.course.published.v1"


async def client(domain: str, **settings) -> httpx.AsyncClient:
    build, settings_of = SERVICES[domain]
    app = build(settings_of(**settings))  # no lifespan: the schemas need neither Kafka nor MongoDB
    return httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url=f"http://{domain}")


def types_of(domain: str) -> list[str]:
    return sorted(t for t in CATALOGUE if t.startswith(domain + "."))


@pytest.mark.parametrize("domain", sorted(SERVICES))
async def test_each_service_serves_its_types_schemas_as_the_catalogue_has_them_with_the_served_id(domain):
    base = f"https://{domain}.scp.example.org/schemas/"
    async with await client(domain, schema_base_url=base) as service:
        for name, expected in [("envelope", envelope_schema(base)), *((t, json_schema(t, base)) for t in types_of(domain))]:
            response = await service.get(f"/schemas/{name}.json")  # no key: public, as the catalogue is
            assert response.status_code == 200, (name, response.text)
            assert response.headers["content-type"] == "application/schema+json"
            served = response.json()
            assert served == expected and served["$id"] == f"{base}{name}.json"
            committed = json.loads((ROOT / "docs" / "catalogue" / "schemas" / f"{name}.json").read_text())
            assert {**served, "$id": None} == {**committed, "$id": None}, f"{name}: only the $id differs"
            assert committed["$id"] == f"{SCHEMA_BASE}{name}.json"


async def test_another_domains_type_or_an_unknown_name_is_a_404_problem():
    async with await client("training") as training:
        for name in ("strategy.kpi.defined.v1", "reviews.rapid_review.started.v1", "training.course.gone.v1",
                     "asyncapi", "Training.course.published.v1"):
            response = await training.get(f"/schemas/{name}.json")
            assert response.status_code == 404, name
            assert response.headers["content-type"] == "application/problem+json"
            problem = response.json()
            assert problem["status"] == 404 and problem["errors"][0]["loc"] == ["path", "name"], problem
        assert "the strategy service serves its schema" in (await training.get(
            "/schemas/strategy.kpi.defined.v1.json")).json()["detail"]


async def test_a_schema_may_be_kept_and_is_revalidated_by_its_etag():
    async with await client("training") as training:
        first = await training.get(f"/schemas/{COURSE}.json")
        etag = first.headers["etag"]
        assert etag == f'"{hashlib.sha256(first.content).hexdigest()[:32]}"'
        assert first.headers["cache-control"] == "no-cache"
        for sent in (etag, f"W/{etag}", f'"other", {etag}', "*"):
            again = await training.get(f"/schemas/{COURSE}.json", headers={"If-None-Match": sent})
            assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag, sent
        changed = await training.get(f"/schemas/{COURSE}.json", headers={"If-None-Match": '"other"'})
        assert changed.status_code == 200 and changed.content == first.content
        other = await training.get("/schemas/training.session.scheduled.v1.json")
        assert other.headers["etag"] != etag


async def test_the_openapi_document_lists_the_schemas_it_serves():
    async with await client("reviews") as reviews:
        operation = (await reviews.get("/openapi.json")).json()["paths"]["/schemas/{name}.json"]["get"]
    (name,) = [p for p in operation["parameters"] if p["in"] == "path"]
    assert name["schema"]["enum"] == ["envelope", *types_of("reviews")]
    assert "application/schema+json" in operation["responses"]["200"]["content"]
    assert "application/problem+json" in operation["responses"]["404"]["content"]
    assert "security" not in operation


def test_the_schema_base_defaults_to_the_services_own_address(monkeypatch):
    monkeypatch.delenv("SCHEMA_BASE_URL", raising=False)
    assert StrategySettings().schema_base == "http://127.0.0.1:8001/schemas/"
    assert ReviewsSettings().schema_base == "http://127.0.0.1:8002/schemas/"
    assert TrainingSettings().schema_base == "http://127.0.0.1:8003/schemas/"
    assert TrainingSettings(host="0.0.0.0", port=9003).schema_base == "http://127.0.0.1:9003/schemas/"
    assert TrainingSettings(host="::1").schema_base == "http://[::1]:8003/schemas/"
    monkeypatch.setenv("SCHEMA_BASE_URL", "https://scp.example.org/api/training/schemas")
    assert TrainingSettings().schema_base == "https://scp.example.org/api/training/schemas/"


@pytest.mark.parametrize("url", ["ftp://training.example/schemas/", "training/schemas/",
                                 "https://training.example/schemas/?v=1", "https://training.example/" + "s" * 300])
def test_a_schema_base_that_cannot_be_one_is_refused(url):
    with pytest.raises(ValueError, match="schema_base_url"):
        TrainingSettings(schema_base_url=url)


# --- ingest: what a partner may send as `dataschema`, and what is published


def a_course(**envelope) -> dict:
    event = new_event(COURSE, {"course_id": "c-1", "title": "Neglect", "competencies": ["recognise"]},
                      partnership="doncaster", agency="dscp-training", source="/tests/lms",
                      time=datetime(2021, 11, 2, 9, 30, tzinfo=timezone.utc))
    return {**event.model_dump(mode="json", exclude_none=True), **envelope}


@pytest.mark.parametrize("sent", [None, f"{SCHEMA_BASE}{COURSE}.json", f"{TRAINING_BASE}{COURSE}.json",
                                  f"http://127.0.0.1:8003/schemas/{COURSE}.json", f"https://lms.example/copies/{COURSE}.json"])
def test_a_dataschema_left_out_or_naming_the_types_schema_is_accepted_and_published_as_the_services(sent):
    item = a_course(**({"dataschema": sent} if sent else {}))
    incoming, errors = validate([item], "training", TRAINING_BASE)
    assert not errors, errors
    published = Envelope.from_json(incoming[0].envelope.to_json())
    assert published.dataschema == f"{TRAINING_BASE}{COURSE}.json"


@pytest.mark.parametrize("sent", [f"{SCHEMA_BASE}training.session.scheduled.v1.json",
                                  f"{SCHEMA_BASE}training.course.published.v2.json", f"{SCHEMA_BASE}envelope.json",
                                  f"{TRAINING_BASE}x{COURSE}.json", f"{TRAINING_BASE}{COURSE}",
                                  f"{TRAINING_BASE}{COURSE}.json?v=2", f"{TRAINING_BASE}{COURSE}.json#/properties",
                                  "https://schemas.example/course.json", f"urn:{COURSE}.json"])
def test_a_dataschema_naming_another_schema_is_refused_naming_it(sent):
    incoming, errors = validate([a_course(dataschema=sent)], "training", TRAINING_BASE)
    assert not incoming
    assert [(e["loc"], e["type"]) for e in errors] == [(["body", 0, "dataschema"], "dataschema_mismatch")], errors
    assert f"{TRAINING_BASE}{COURSE}.json" in errors[0]["msg"]


async def test_a_retry_with_or_without_dataschema_or_after_the_url_moved_is_a_duplicate():
    store, identities = MemoryAggregateStore(), MemoryIdentities()

    async def send(item, base=TRAINING_BASE):
        incoming, errors = validate([item], "training", base)
        assert not errors, errors
        return await ingest(UnitOfWork(store, KeyedLocks(), schema_base=base), handlers.ROUTES, identities,
                            [(i.envelope, i.data) for i in incoming], Actor("dscp-training"))

    item = a_course()
    assert await send(item) == ["accepted"]
    assert await send({**item, "dataschema": f"{SCHEMA_BASE}{COURSE}.json"}) == ["duplicate"]
    assert await send({**item, "dataschema": f"{TRAINING_BASE}{COURSE}.json", "correlationid": "retry-2"}) == ["duplicate"]
    assert await send(item, base="https://moved.scp.example.org/schemas/") == ["duplicate"]
    with pytest.raises(EventRefused) as conflict:
        await send({**item, "dataschema": f"{SCHEMA_BASE}{COURSE}.json", "data": {**item["data"], "title": "Other"}})
    assert conflict.value.rule.status == 409 and conflict.value.rule.field == "id"


def legacy_fingerprint(envelope: Envelope) -> str:
    """The digest an event got before `dataschema` was left out of it: every attribute but `correlationid`."""
    content = envelope.model_dump(mode="json", exclude={"correlationid"}, exclude_none=True)
    return hashlib.sha256(json.dumps(content, sort_keys=True, separators=(",", ":")).encode()).hexdigest()[:32]


async def test_an_event_accepted_before_with_the_catalogues_dataschema_is_still_a_duplicate():
    """Events sent as `new_event` made them (and the sample loaded them) carried the catalogue's URL, and their
    marks are that digest: sent again, with or without it, they are duplicates, not conflicts."""
    old = Envelope.model_validate(a_course(dataschema=f"{SCHEMA_BASE}{COURSE}.json"))
    identities = MemoryIdentities()
    await identities.remember([(old.identity, legacy_fingerprint(old))])
    for item in (a_course(dataschema=f"{SCHEMA_BASE}{COURSE}.json"), a_course()):
        item = {**item, "id": old.id}
        (incoming,), _ = validate([item], "training", TRAINING_BASE)
        assert legacy_fingerprint(old) in incoming.envelope.fingerprints
        statuses = await ingest(UnitOfWork(MemoryAggregateStore(), KeyedLocks(), schema_base=TRAINING_BASE),
                                handlers.ROUTES, identities, [(incoming.envelope, incoming.data)], Actor("dscp-training"))
        assert statuses == ["duplicate"]


async def test_every_event_a_service_publishes_names_its_own_url_of_the_types_schema():
    """The partner's facts and the service's own events (a place on the waiting list) alike."""
    store = MemoryAggregateStore()
    sent = [new_event(t, data, partnership="doncaster", agency="dscp-training", source="/tests/lms") for t, data in (
        (COURSE, {"course_id": "c1", "title": "Neglect", "competencies": ["recognise"]}),
        ("training.session.scheduled.v1", {"session_id": "s1", "course_id": "c1", "delivery_mode": "virtual",
                                           "starts_at": "2021-11-04T09:30:00Z", "capacity": 1}),
        *(("training.booking.made.v1", {"session_id": "s1", "attendee_ref": ref, "attendee_agency": "schools",
                                        "booked_at": "2021-10-20T10:00:00Z", "waiting_list": True})
          for ref in ("att-000001", "att-000002")))]
    incoming, errors = validate([e.model_dump(mode="json", exclude_none=True) for e in sent], "training", TRAINING_BASE)
    assert not errors, errors
    await ingest(UnitOfWork(store, KeyedLocks(), schema_base=TRAINING_BASE), handlers.ROUTES, MemoryIdentities(),
                 [(i.envelope, i.data) for i in incoming], Actor("dscp-training"))
    published = [Envelope.from_json(e["value"]) for doc in store.docs.values() for e in doc.outbox]
    assert "training.booking.waitlisted.v1" in {e.type for e in published}
    assert {e.dataschema for e in published} == {f"{TRAINING_BASE}{e.type}.json" for e in published}
