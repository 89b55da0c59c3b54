"""The training service's HTTP entrypoint: partner systems emit training events here."""

from __future__ import annotations

import structlog
from fastapi import FastAPI, Request

from shared.aggregates import KeyedLocks, UnitOfWork
from shared.auth.keys import ApiKey
from shared.handling import EventRefused, ingest
from shared.identities import COLLECTION, MongoIdentities
from shared.http.app import create_app
from shared.http.ingest import Incoming, Rejected, ingest_router
from shared.http.runtime import Runtime
from shared.mongo import is_ferretdb, prepare_collections
from shared.mongo_aggregates import PARKED, MongoAggregateStore
from shared.outbox import OutboxRelay
from shared.rules import Actor
from services.training import handlers
from services.training.settings import TrainingSettings

log = structlog.get_logger("training")


async def accept(request: Request, incoming: list[Incoming], key: ApiKey) -> list[str]:
    """Apply the events to their aggregates, store them with their outbox, and wake the relay."""
    state = request.app.state
    uow = UnitOfWork(state.store, state.locks, state.runtime.settings.topic_prefix)
    actor = Actor(key.agency, may_correct=key.may_correct)
    try:
        statuses = await ingest(uow, handlers.ROUTES, state.identities, [(i.envelope, i.data) for i in incoming], actor)
    except EventRefused as refused:
        rule = refused.rule
        raise Rejected(rule.status, [refused.index, *rule.field.split(".")], rule.message) from refused
    state.relay.wake(uow.changed)
    return statuses


async def start(app: FastAPI, runtime: Runtime):
    app.state.locks = KeyedLocks()
    ferretdb = await is_ferretdb(runtime.mongo)
    app.state.store = MongoAggregateStore(runtime.db, handlers.KINDS, app.state.locks, compare_and_set=not ferretdb)
    await app.state.store.create_indexes()
    await prepare_collections(runtime.db, {COLLECTION: [], PARKED: []},
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


def build(settings: TrainingSettings | None = None) -> FastAPI:
    settings = settings or TrainingSettings()
    return create_app(
        settings, title="Training service",
        description="Courses, sessions and attendance, emitted by partner systems as CloudEvents.",
        routers=[ingest_router("training", accept)], start=start)
