"""The training service as it runs in production (shared/http/serve.py's uvicorn) on a real socket, in a thread, for
the tests that speak raw HTTP to it (slow clients, the outside tester's requests)."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from services.training.entrypoints.api import build
from services.training.settings import TrainingSettings
from shared.adapters.mongo.keys import KeyStore
from shared.adapters.mongo.client import connect
from shared.partnerships import Partnership
from shared.adapters.mongo.partnerships import PartnershipRegistry
from shared.http.serve import uvicorn_config
from tests.harness import settings_for


@contextmanager
def training_served(servers: tuple[str, str], **settings: Any) -> Iterator[tuple[str, int, str, str]]:
    """(host, port, a key of dscp-training's for doncaster, the prefix), with `settings` overriding the defaults
    (the port is any free one unless `port` is given)."""
    kafka, mongo_url = servers
    prefix = f"t{uuid.uuid4().hex[:8]}-"
    config = TrainingSettings(**{**settings_for(prefix, kafka, mongo_url), "mongodb_database": f"{prefix}training",
                                 "port": 0, **settings})
    key = asyncio.run(_prepare(mongo_url, config.auth_database))
    server = uvicorn.Server(uvicorn_config(build(config), config))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the service did not start"
        time.sleep(0.05)
    host, port = server.servers[0].sockets[0].getsockname()[:2]
    try:
        yield host, port, key, prefix
    finally:
        server.should_exit = True
        thread.join(30)
        asyncio.run(_drop(mongo_url, prefix))


async def _prepare(mongo_url: str, auth: str) -> str:
    mongo = connect(mongo_url)
    try:
        await PartnershipRegistry(mongo[auth]).add(Partnership(code="doncaster", name="Doncaster SCP", area="Doncaster"))
        return (await KeyStore(mongo[auth]).create("dscp-training", ["training.*"], partnerships=["doncaster"]))[0]
    finally:
        await mongo.close()


async def _drop(mongo_url: str, prefix: str) -> None:
    mongo = connect(mongo_url)
    for db in ("training", "auth"):
        await mongo.drop_database(f"{prefix}{db}")
    await mongo.close()
