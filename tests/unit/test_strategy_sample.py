"""The strategy sample: the report's facts, every event valid, each accepted by the service's rules in the order
the loader sends them, with the sending agency's own key."""

from collections import Counter

from sample import strategy
from sample.load import by_sender, key_for
from shared.aggregates import KeyedLocks, MemoryAggregateStore, UnitOfWork
from shared.events.catalogue import parse_data
from shared.handling import ingest
from shared.identities import MemoryIdentities
from shared.rules import Actor
from services.strategy import handlers


def test_the_sample_holds_appendix_1_the_ofsted_areas_and_next_years_priorities():
    types = Counter((e.type, e.data.get("strategy_id")) for e in strategy.events()
                    if e.type == "strategy.priority.published.v1")
    assert types[("strategy.priority.published.v1", "delivery-plan-2021-22")] == 8
    assert types[("strategy.priority.published.v1", "delivery-plan-2022-23")] == 6
    planned = [e.data["action_id"] for e in strategy.events() if e.type == "strategy.action.planned.v1"]
    assert len([a for a in planned if a.startswith("priority-")]) == 22
    assert "priority-3-a" in planned and "priority-4-a" in planned and "priority-7-a" in planned
    areas = [e.data["area_id"] for e in strategy.events() if e.type == "strategy.ofsted_area.identified.v1"]
    assert areas == [f"ofsted-2022-{n}" for n in range(1, 10)]


def test_ids_are_the_same_on_every_run():
    assert [e.id for e in strategy.events()] == [e.id for e in strategy.events()]


async def test_every_event_is_accepted_in_the_loaders_order_with_its_agencys_key():
    store, keys = MemoryAggregateStore(), [{**k, "key": k["agency"]} for k in strategy.KEYS]
    for (domain, code, agency), group in by_sender(strategy.events()).items():
        assert key_for(keys, domain, code, agency, {e.type for e in group}) == agency, agency
        statuses = await ingest(UnitOfWork(store, KeyedLocks()), handlers.ROUTES, MemoryIdentities(),
                                [(e, parse_data(e)) for e in group], Actor(agency))
        assert set(statuses) == {"accepted"}
    assert store.docs[("actions", "doncaster/priority-3-d")].state["state"] == "deferred"
    assert store.docs[("kpi_values", "doncaster/family-hub-members-0-5:2021-22:-")].state["value"] == 82.0
