"""The reporting projector: consumes every domain topic into the read model.

`python -m services.reporting.projector`. Run one per consumer group: each read-model document then
has one writer at a time (FerretDB does not lock documents during updates).
"""

from __future__ import annotations

import asyncio

import structlog
from prometheus_client import start_http_server

from shared.events.catalogue import DOMAINS, topic_for
from shared.kafka.consumer import ConsumerRunner
from shared.adapters.mongo.sink import MongoSink
from shared.kafka.producer import EventProducer
from shared.observability.logging import configure_logging
from shared.adapters.mongo.client import connect, prepare_collections
from shared.observability.tracing import configure_tracing
from services.reporting.projections import HANDLERS, READ_MODEL_INDEXES, VERSIONS
from services.reporting.settings import ReportingSettings

log = structlog.get_logger("projector")


async def run(settings: ReportingSettings) -> None:
    mongo = connect(settings.mongodb_url)
    await prepare_collections(mongo[settings.mongodb_database], READ_MODEL_INDEXES,
                              ferretdb_postgresql_url=settings.ferretdb_postgresql_url)
    producer = EventProducer(settings.kafka_bootstrap_servers, client_id=f"{settings.service_name}-dlq")
    await producer.start()
    runner = ConsumerRunner(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        group_id=f"{settings.topic_prefix}{settings.consumer_group}",
        topics=[topic_for(d, settings.topic_prefix) for d in DOMAINS],
        handlers=HANDLERS, sink=MongoSink(mongo[settings.mongodb_database], last=[VERSIONS]), producer=producer,
        max_batch=settings.max_batch, pause_before_commit_s=settings.pause_before_commit_s)
    runner.install_signal_handlers()
    try:
        await runner.run()
    finally:
        await producer.stop()
        await mongo.close()


def main() -> None:
    settings = ReportingSettings(service_name="reporting-projector")
    configure_logging(settings.service_name, settings.log_level, settings.log_format)
    configure_tracing(settings.service_name, settings.otel_traces_exporter)
    if settings.metrics_port:
        start_http_server(settings.metrics_port, addr=settings.host)
    asyncio.run(run(settings))


if __name__ == "__main__":
    main()
