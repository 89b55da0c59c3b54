"""The MongoDB aggregate store on the real server: versions compared on update (MongoDB's mode) or not
(FerretDB's), and the outbox kept with the state."""

import pytest

from shared.write.aggregates import ConcurrencyError, KeyedLocks, Stored
from shared.adapters.mongo.aggregates import MongoAggregateStore

ENTRY = {"id": "e1", "topic": "training.events", "key": "s1", "value": "{}", "headers": {"ce_id": "e1"}}


@pytest.fixture
async def db(stack):
    return stack.mongo[f"{stack.prefix}training"]


async def test_a_stale_version_is_refused_when_versions_are_compared(db):
    store = MongoAggregateStore(db, ("sessions",), KeyedLocks(), compare_and_set=True)
    await store.save(Stored("sessions", "s1"), {"n": 1}, [ENTRY], ["e1"])
    first = await store.load("sessions", "s1")
    await store.save(first, {"n": 2}, [], ["e2"])
    with pytest.raises(ConcurrencyError):
        await store.save(first, {"n": 3}, [], ["e3"])  # written from the version before the last save
    again = await store.load("sessions", "s1")
    assert again.state == {"n": 2} and again.version == 2 and again.applied == ["e1", "e2"]


async def test_state_and_outbox_are_one_document_and_the_outbox_empties_after_publishing(db):
    store = MongoAggregateStore(db, ("sessions",), KeyedLocks(), compare_and_set=False)
    await store.save(Stored("sessions", "s1"), {"n": 1}, [ENTRY], ["e1"])
    assert [d.id for d in await store.pending(10)] == ["s1"]
    assert (await store.outbox_of("sessions", "s1")).outbox == [ENTRY]
    await store.remove_from_outbox("sessions", "s1", {"e1"})
    assert await store.pending(10) == [] and (await store.load("sessions", "s1")).state == {"n": 1}
