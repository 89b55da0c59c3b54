"""One domain service's write side, as every domain service runs it: its ingest endpoint applies
partners' events to its aggregates (`routes`, as in `services.training.handlers`), stores each
aggregate with its outbox in one write, and its relay publishes the outbox to Kafka. It serves the
JSON Schemas of its domain's events (shared.http.schemas) under its SCHEMA_BASE_URL, which every event
it publishes names as its `dataschema`.

A service module then only names its routes and aggregate kinds:

    build_event_service(settings, domain="training", routes=handlers.ROUTES, kinds=handlers.KINDS,
                        title="Training service", description="...")
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import structlog
from fastapi import APIRouter, FastAPI, Request

from shared.write.aggregates import KeyedLocks, UnitOfWork
from shared.auth.keys import ApiKey
from shared.write.handling import EventRefused, Route, ingest
from shared.http.app import create_app
from shared.http.ingest import Incoming, Rejected, ingest_router
from shared.http.schemas import schema_router
from shared.http.runtime import Runtime
from shared.adapters.mongo.identities import COLLECTION, MongoIdentities
from shared.adapters.mongo.client import is_ferretdb, prepare_collections
from shared.adapters.mongo.write_log import WRITE_LOG_INDEXES
from shared.adapters.mongo.aggregates import PARKED, MongoAggregateStore
from shared.write.outbox import OutboxRelay
from shared.write.rules import Actor
from shared.settings import DomainServiceSettings


def accepting(routes: Mapping[type, Route]):
    """The ingest endpoint's `accept`: apply the events to their aggregates, store them with their
    outbox, and wake the relay. A rule the domain enforces becomes a 4xx naming its field."""

    async def accept(request: Request, incoming: list[Incoming], key: ApiKey) -> list[str]:
        state = request.app.state
        settings = state.runtime.settings
        uow = UnitOfWork(state.store, state.locks, settings.topic_prefix, settings.schema_base)
        actor = Actor(key.agency, may_correct=key.may_correct)
        try:
            statuses = await ingest(uow, routes, state.identities, [(i.envelope, i.data) for i in incoming], actor)
        except EventRefused as refused:
            rule = refused.rule
            raise Rejected(rule.status, [refused.index, *rule.field.split(".")], rule.message) from refused
        state.relay.wake(uow.changed)
        return statuses

    return accept


def starting(kinds: Sequence[str], log: structlog.typing.FilteringBoundLogger):
    """The service's start-up: its aggregate store, identities and outbox relay (run as a background task)."""

    async def start(app: FastAPI, runtime: Runtime):
        app.state.locks = KeyedLocks()
        ferretdb = await is_ferretdb(runtime.mongo)
        app.state.store = MongoAggregateStore(runtime.db, tuple(kinds), app.state.locks, compare_and_set=not ferretdb)
        await app.state.store.create_indexes()
        await prepare_collections(runtime.db, {COLLECTION: [], PARKED: []},
                                  ferretdb_postgresql_url=runtime.settings.ferretdb_postgresql_url)
        await prepare_collections(runtime.mongo[runtime.settings.auth_database], WRITE_LOG_INDEXES,
                                  ferretdb_postgresql_url=runtime.settings.ferretdb_postgresql_url)
        if ferretdb:
            log.warning("FerretDB: versions are not compared on update; run one replica of this service")
        settings = runtime.settings
        app.state.identities = MongoIdentities(runtime.db, by_id=ferretdb)
        app.state.relay = OutboxRelay(app.state.store, runtime.producer, poll_s=settings.outbox_poll_s,
                                      sweep_s=settings.outbox_sweep_s, stuck_after_s=settings.outbox_stuck_after_s)
        runtime.health_checks["outbox_relay"] = app.state.relay.health
        runtime.notices["outbox_parked"] = app.state.store.count_parked
        return [app.state.relay.run()]

    return start


def build_event_service(settings: DomainServiceSettings, *, domain: str, routes: Mapping[type, Route],
                        kinds: Sequence[str], title: str, description: str, routers: Sequence[APIRouter] = ()) -> FastAPI:
    """A domain service: POST /events for its event types, GET /schemas/{type}.json for their schemas, plus any
    read `routers` of its own."""
    log = structlog.get_logger(domain)
    own = [ingest_router(domain, accepting(routes), settings.schema_base), schema_router(domain, settings.schema_base)]
    return create_app(settings, title=title, description=description, routers=[*own, *routers],
                      start=starting(kinds, log))
