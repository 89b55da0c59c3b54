"""Services that share a database start at once, each making the collections it needs (as `make run` and the
sample-stack test do): the one that loses the race to create a collection goes on, whichever side sees it."""

import asyncio

from shared.adapters.mongo.client import connect, prepare_collections


async def test_services_starting_together_on_one_database_all_start(servers, prefix):
    _, mongo_url = servers
    client = connect(mongo_url)
    try:
        for attempt in range(5):
            db = client[f"{prefix}race{attempt}"]
            await asyncio.gather(*(prepare_collections(db, {"outbox_parked": [], "aggregates": []})
                                   for _ in range(4)))
            assert {"outbox_parked", "aggregates"} <= set(await db.list_collection_names())
            await client.drop_database(db.name)
    finally:
        await client.close()
