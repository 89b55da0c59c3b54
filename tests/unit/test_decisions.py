"""A service publishes what it decided from a fact beside the fact, in the same write (shared.events.base.Decision).

The decision travels after the fact on the fact's aggregate key, carries the fact's moment, agency, partnership and
correlation id, names the service as its source, and has an id derived from the fact's: the same fact always gives
the same decisions. Partners never send a decision: ingest refuses its type.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from shared.write.aggregates import KeyedLocks, MemoryAggregateStore, UnitOfWork
from shared.events.base import Day, Decision, Identifier
from shared.events.catalogue import CATALOGUE
from shared.events.envelope import new_event
from shared.http.ingest import validate


class DueDateSet(Decision):
    type_name = "reviews.example_due.set.v1"
    aggregate = "case_id"

    case_id: Identifier
    due_on: Day


def _fact():
    return new_event("reviews.serious_incident.recorded.v1",
                     {"incident_id": "si-1", "case_ref": "case-0001", "aware_on": "2026-11-30"},
                     partnership="doncaster", agency="doncaster-council", source="/partners/dc/reviews",
                     time=datetime(2026, 11, 30, 9, tzinfo=timezone.utc), correlationid="req-1")


async def _outbox_after(fact, *decisions):
    store = MemoryAggregateStore()
    uow = UnitOfWork(store, KeyedLocks())

    def work(u: UnitOfWork):
        scoped = u.scoped("doncaster")
        scoped.record("incidents", "si-1", {"incident_id": "si-1"}, fact)
        scoped.decide("incidents", "si-1", fact, *decisions)

    await uow.run([("incidents", "doncaster/si-1")], work)
    return store.docs[("incidents", "doncaster/si-1")].outbox


async def test_a_decision_travels_after_its_fact_in_the_same_write_on_the_same_key():
    fact = _fact()
    outbox = await _outbox_after(fact, DueDateSet(case_id="si-1", due_on="2026-12-07"))
    assert [e["type"] for e in outbox] == [fact.type, DueDateSet.type_name]
    assert {e["key"] for e in outbox} == {"doncaster/si-1"}
    decided = json.loads(outbox[1]["value"])
    assert decided["source"] == "/scp/reviews"
    assert (decided["time"], decided["agency"], decided["partnership"], decided["correlationid"]) == (
        "2026-11-30T09:00:00Z", "doncaster-council", "doncaster", "req-1")
    assert decided["data"] == {"case_id": "si-1", "due_on": "2026-12-07"}


async def test_the_same_fact_always_gives_the_same_decision_ids_and_two_decisions_two_ids():
    fact = _fact()
    first = await _outbox_after(fact, DueDateSet(case_id="si-1", due_on="2026-12-07"),
                                DueDateSet(case_id="si-1", due_on="2026-12-21"))
    again = await _outbox_after(fact, DueDateSet(case_id="si-1", due_on="2026-12-07"),
                                DueDateSet(case_id="si-1", due_on="2026-12-21"))
    ids = [e["event_id"] for e in first[1:]]
    assert ids == [e["event_id"] for e in again[1:]]
    assert len(set(ids)) == 2 and all(i.startswith("decided-") for i in ids)


async def test_a_decision_without_its_fact_recorded_is_a_programming_error():
    uow = UnitOfWork(MemoryAggregateStore(), KeyedLocks())

    def work(u: UnitOfWork):
        u.scoped("doncaster").decide("incidents", "si-1", _fact(), DueDateSet(case_id="si-1", due_on="2026-12-07"))

    with pytest.raises(RuntimeError, match="record the fact"):
        await uow.run([("incidents", "doncaster/si-1")], work)


DECISIONS = sorted(t for t, model in CATALOGUE.items() if model.decided_by_service)


@pytest.mark.parametrize("type_name", DECISIONS)
def test_a_partner_cannot_send_a_decision(type_name):
    from tests.generated_events import an_accepted
    item = json.loads(an_accepted(type_name).envelope.to_json())
    incoming, errors = validate([item], type_name.split(".", 1)[0])
    assert not incoming
    assert [(e["loc"], e["type"]) for e in errors] == [(["body", 0, "type"], "decided_by_service")]
