"""Where the tests find Kafka and a MongoDB-compatible server.

1. KAFKA_BOOTSTRAP_SERVERS and MONGODB_URL set (as `make test` does, after starting the local Kafka
   and FerretDB processes): use them.
2. Otherwise, a Docker engine: testcontainers' Kafka and MongoDB modules.
3. Otherwise: the integration and end-to-end tests are skipped, saying so.
"""

from __future__ import annotations

import os
import uuid

import pytest

from shared.observability.tracing import configure_tracing


def pytest_configure(config):
    configure_tracing("tests", "memory")  # once per process, before any MongoDB client exists


@pytest.fixture(scope="session")
def servers():
    """(kafka bootstrap servers, MongoDB URL) of real servers."""
    kafka, mongo = os.environ.get("KAFKA_BOOTSTRAP_SERVERS"), os.environ.get("MONGODB_URL")
    if kafka and mongo:
        yield kafka, mongo
        return
    try:
        import docker

        docker.from_env().ping()
    except Exception as exc:  # no engine on this machine
        pytest.skip("no KAFKA_BOOTSTRAP_SERVERS/MONGODB_URL and no Docker engine "
                    f"({type(exc).__name__}): run `make test`, which starts local Kafka and FerretDB")
    from testcontainers.kafka import KafkaContainer
    from testcontainers.mongodb import MongoDbContainer

    with KafkaContainer().with_kraft() as kafka_c, MongoDbContainer("mongo:7") as mongo_c:
        yield kafka_c.get_bootstrap_server(), mongo_c.get_connection_url() + "/?directConnection=true"


@pytest.fixture
def prefix() -> str:
    """A prefix for this test's topics, databases and consumer group, so tests never see each other's data."""
    return f"t{uuid.uuid4().hex[:8]}-"


@pytest.fixture
async def stack(servers, prefix):
    """The training and reporting apps in-process, isolated by `prefix`, on the real servers."""
    from tests.harness import Stack

    kafka, mongo_url = servers
    async with Stack(prefix, kafka, mongo_url) as s:
        yield s
