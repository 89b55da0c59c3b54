"""The figures bench runs end to end at a tiny size, measures every endpoint beside its bare read, and
deletes what it made. No timing is asserted: `make bench-figures` is where performance is read."""

from bench.figures import ENDPOINTS, run, run_history, table
from shared.adapters.mongo.client import connect


async def test_the_figures_bench_measures_every_endpoint_at_each_size_and_cleans_up(servers):
    kafka, mongo_url = servers
    report = await run(kafka, mongo_url, [1, 2], requests=1, log=lambda line: None)
    assert report.sizes == [1, 2] and report.events[2] == 2 * report.events[1] > 1600
    assert set(report.ms) == {(path, size) for path in ENDPOINTS for size in (1, 2)}
    assert all(it > 0 and bare > 0 for it, bare in report.ms.values())
    assert "strategy/scorecard" in table(report) and "| reviews/clocks" in table(report, markdown=True)
    mongo = connect(mongo_url)
    try:
        assert not [d for d in await mongo.list_database_names() if d.startswith("bench") and "reporting" in d]
    finally:
        await mongo.close()


async def test_the_figures_bench_measures_one_partnerships_growing_history(servers):
    kafka, mongo_url = servers
    report = await run_history(kafka, mongo_url, [1, 2], requests=1, log=lambda line: None)
    assert report.sizes == [1, 2] and report.unit == "y"
    assert report.events[2] > 2 * 1682  # two years of facts, and the decisions beside them
    assert set(report.p99) == {(path, years) for path in ENDPOINTS for years in (1, 2)}
    assert "2y / 1y" in table(report)
