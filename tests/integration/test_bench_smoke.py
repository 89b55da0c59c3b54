"""The bench runs end to end at a tiny size and prints both ratios. No timing is asserted: rates on a
shared machine say nothing about correctness; `python -m bench` is where performance is read."""

from aiokafka.admin import AIOKafkaAdminClient

from bench.run import Params, run, table
from shared.adapters.mongo.client import connect
from tests.harness import eventually


async def test_the_bench_measures_both_ratios_and_cleans_up(servers):
    kafka, mongo_url = servers
    report = await run(kafka, mongo_url, Params(events=40, rounds=1, batch=10, clients=2, max_batch=16, warmup=5),
                       log=lambda line: None)

    ingest, published, projector = report.rows
    assert ingest.name.startswith("ingest") and published.name.startswith("ingest")
    assert projector.name.startswith("projector")
    for row in report.rows:
        assert len(row.platform_rates) == len(row.baseline_rates) == 1
        assert row.platform_median > 0 and row.baseline_median > 0 and row.ratio > 0

    printed = table(report)
    assert "ingest: accepted" in printed and "projector:" in printed and "machine" in printed
    assert "| projector:" in table(report, markdown=True)

    mongo, admin = connect(mongo_url), AIOKafkaAdminClient(bootstrap_servers=kafka)
    await admin.start()
    try:
        assert not [d for d in await mongo.list_database_names() if d.startswith(report.prefix)]

        async def topics_gone():  # a deletion reaches the broker's metadata shortly after it is acknowledged
            return not [t for t in await admin.list_topics() if t.startswith(report.prefix)]

        await eventually(topics_gone, timeout_s=15)
    finally:
        await admin.close()
        await mongo.close()
