"""The scale bench runs end to end at a tiny size, reports every measure at every size, and leaves nothing
behind, also when it fails half-way. No timing is asserted: `python -m bench.scale` is where scale is read."""

import dataclasses
import uuid

import pytest
from aiokafka.admin import AIOKafkaAdminClient

from bench import scale
from bench.scale import MEASURES, QUICK, run, table
from shared.adapters.mongo.client import connect
from tests.harness import eventually


async def _nothing_left(kafka: str, mongo_url: str, prefix: str) -> None:
    mongo, admin = connect(mongo_url), AIOKafkaAdminClient(bootstrap_servers=kafka)
    await admin.start()
    try:
        assert not [d for d in await mongo.list_database_names() if d.startswith(prefix)]
        assert not [g for g, *_ in await admin.list_consumer_groups() if g.startswith(prefix)]

        async def topics_gone():  # a deletion reaches the broker's metadata shortly after it is acknowledged
            return not [t for t in await admin.list_topics() if t.startswith(prefix)]

        await eventually(topics_gone, timeout_s=15)
    finally:
        await admin.close()
        await mongo.close()


async def test_the_scale_bench_reports_every_measure_at_every_size_and_cleans_up(servers):
    kafka, mongo_url = servers
    params = dataclasses.replace(QUICK, sizes=(1, 2), requests=5, computed=2)
    report = await run(kafka, mongo_url, params, log=lambda line: None)

    for measure in MEASURES:
        for size in params.sizes:
            figure = report.figures[(measure.key, size)]
            assert figure.platform > 0
            assert (figure.baseline is None) == (not measure.baseline)
            assert figure.baseline is None or figure.baseline > 0
    assert report.stored == {1: params.per_year, 2: 2 * params.per_year}

    printed = table(report)
    for measure in MEASURES:
        assert measure.name in printed
    assert "2x / 1x" in printed and "done when" in printed and "machine" in printed
    assert "| dashboard: p99 | 2x |" in table(report, markdown=True)

    await _nothing_left(kafka, mongo_url, report.prefix)


async def test_a_failed_scale_run_still_deletes_what_it_made(servers, monkeypatch):
    kafka, mongo_url = servers
    prefix = f"bench{uuid.uuid4().hex[:6]}-"

    async def broken(self, size):  # after the ingest, the projector and the rebuild have made their topics,
        raise RuntimeError("the dashboard broke")  # databases and consumer groups

    monkeypatch.setattr(scale._Stage, "dashboards", broken)
    with pytest.raises(RuntimeError, match="the dashboard broke"):
        await run(kafka, mongo_url, dataclasses.replace(QUICK, sizes=(1,)), log=lambda line: None, prefix=prefix)

    await _nothing_left(kafka, mongo_url, prefix)
