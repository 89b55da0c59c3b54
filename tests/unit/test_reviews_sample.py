"""The reviews sample: deterministic, accepted by the service's rules with each owner's key, and projected into
the figures it promises (the report's one rapid review, one published practice review, the LADO review)."""

from datetime import datetime
from fnmatch import fnmatchcase

from shared.write.aggregates import KeyedLocks, MemoryAggregateStore, UnitOfWork
from shared.events.catalogue import decode, parse_data
from shared.write.handling import ingest
from shared.write.identities import MemoryIdentities
from shared.read import entities
from shared.read.projection import MemorySink
from shared.write.rules import Actor
from sample import reviews as sample
from sample.load import by_sender
from services.reporting.figures import reviews as figures
from services.reporting.projections import reviews as projections
from services.reviews import handlers


def test_the_sample_is_deterministic_and_each_sender_has_a_key_covering_its_events():
    assert [e.id for e in sample.events()] == [e.id for e in sample.events()]
    for (_, partnership, agency), group in by_sender(sample.events()).items():
        (key,) = [k for k in sample.KEYS if k["agency"] == agency]
        assert partnership in key["partnerships"]
        assert all(any(fnmatchcase(e.type, p) for p in key["event_types"]) for e in group), agency


async def test_the_service_accepts_the_sample_and_the_figures_are_the_expected_ones():
    store, sink = MemoryAggregateStore(), MemorySink()
    for (_, _, agency), group in by_sender(sample.events()).items():
        statuses = await ingest(UnitOfWork(store, KeyedLocks()), handlers.ROUTES, MemoryIdentities(),
                                [(e, parse_data(e)) for e in group], Actor(agency))
        assert statuses == ["accepted"] * len(group)
    for stored in await store.pending(10_000):  # what the service publishes: the facts, and its clock decisions
        for entry in stored.outbox:
            envelope, data = decode(entry["value"])
            await sink.apply(projections.HANDLERS[envelope.type](envelope, data))
    moment = datetime.fromisoformat("2022-03-31T23:59:59+01:00")
    facts = figures.Facts.of(lambda c: [d for d in entities.records_of(sink.collections.get(c, {}).values())
                                        if d["event_time"] <= moment])
    day = figures.as_of_day(moment)
    answers = {"cases": {"counts": figures.cases(facts, day)["counts"]},
               "timeliness": {"timeliness": figures.timeliness(figures.clocks(facts, day))},
               "clocks": figures.running(figures.clocks(facts, day)),
               "recommendations": figures.recommendations(facts, day), "audits": figures.audits(facts, day),
               "lado": figures.lado(facts, day, figures.clocks(facts, day)), "learning": figures.learning(facts, day),
               "voice": figures.voice(facts, day), "briefings": figures.briefings_used(facts, day)}
    shown = sample.figures_of(lambda path: answers[path.split("/")[1].split("?")[0]])
    assert shown == sample.EXPECTED
    assert sample.summary(lambda path: answers[path.split("/")[1].split("?")[0]])
