"""The strategy sample: the report's facts, every event valid, each accepted by the service's rules in the order
the loader sends them, with the sending agency's own key; and the report's figures from what the service
publishes (its facts and its decisions), projected and read as reporting reads them."""

from collections import Counter
from datetime import datetime

from sample import strategy
from sample.load import by_sender, key_for
from sample.published import published
from shared.write.aggregates import KeyedLocks, MemoryAggregateStore, UnitOfWork
from shared.events.catalogue import parse_data
from shared.write.handling import ingest
from shared.write.identities import MemoryIdentities
from shared.calendar import london_day, reporting_period
from shared.read import entities
from shared.read.projection import MemorySink
from shared.write.rules import Actor
from services.reporting.entrypoints.common import parse_as_of
from services.reporting.figures import strategy as figures
from services.reporting.projections import HANDLERS
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


async def published_sample() -> list:
    """Every record the strategy service publishes for the sample, in the loader's order: each fact, then its
    decisions."""
    return await published([event for group in by_sender(strategy.events()).values() for event in group])


async def test_the_reports_figures_come_from_what_the_service_publishes():
    records, sink = await published_sample(), MemorySink()
    decided = Counter(e.type for e, _ in records if e.source == "/scp/strategy")
    assert decided == {"strategy.action_state.decided.v1": 22 + 9 + sum(len(s) for s in strategy.LIFECYCLE.values()),
                       "strategy.kpi_schedule.set.v1": 8, "strategy.kpi_value.computed.v1": 4}
    for envelope, data in records:
        await sink.apply(HANDLERS[envelope.type](envelope, data))
    records = [r for docs in sink.collections.values() for r in entities.records_of(docs.values())]

    async def answer(path: str) -> dict:
        page, _, query = path.partition("?as_of=")
        moment = parse_as_of(query or None, datetime.now().astimezone())
        snap = figures.snapshot("doncaster", moment, figures.facts_of(figures.kept(records, "doncaster", moment)),
                                reporting_period(london_day(moment)))
        return {"strategy/scorecard": lambda: {"strategies": figures.scorecard(snap)},
                "strategy/kpis": lambda: {"kpis": list(snap.kpis.values())},
                "strategy/ofsted": lambda: {"areas": figures.ofsted(snap)},
                "strategy/actions/attention": lambda: {"owners": figures.attention(snap)}}[page]()

    answers = {path: await answer(path) for path in (f"strategy/{p}?as_of={strategy.AS_OF}"
                                                     for p in ("scorecard", "kpis", "ofsted"))}
    assert strategy.observed(answers.__getitem__) == strategy.EXPECTED
    after = await answer("strategy/actions/attention?as_of=2022-04-01")
    overdue = [a for owner in after["owners"] for a in owner["overdue"]]
    assert len(overdue) == 15  # the plan ended on 31 March: every action neither complete nor deferred
    assert strategy.PLAN not in {s["strategy_id"] for s in (await answer("strategy/scorecard?as_of=2022-04-01"))[
        "strategies"]}  # and its scorecard is its own year's
