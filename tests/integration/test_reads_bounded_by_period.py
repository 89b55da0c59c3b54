"""A figure read for a period asks only for the entity documents filed under its years and after, and the open
ones (shared.read.entities, issue 14 part 3), so its cost follows the period, not the partnership's history. What
it finds must be everything the period's figures use: on three years of the sample's facts (sample.history), every
figure endpoint answers, at every date asked, exactly what it answers when every document is read."""

import json

from bench.figures import bench_read_model, project, reporting_app
from sample import partnership as training_sample, reviews as reviews_sample, strategy as strategy_sample
from sample.history import year_of
from sample.published import published
from shared.partnerships import Partnership
from shared.read import entities

PATHS = ["strategy/scorecard", "strategy/kpis", "strategy/actions/attention", "strategy/ofsted",
         "strategy/kpis/family-hub-members-0-2-y1", "reviews/clocks", "reviews/timeliness", "reviews/cases",
         "reviews/recommendations", "reviews/learning", "reviews/audits", "reviews/lado", "training",
         "training/attendance", "training/bookings", "training/evaluations", "training/needs-analysis",
         "training/programmes", "training/competencies", "training/priorities", "dashboard"]
ASKED = [{"as_of": "2023-03-31"}, {"as_of": "2022-11-30"}, {"as_of": "2024-01-15"}, {"as_of": "2025-06-30"},
         {"period": "2022-23"}, {"period": "2021-22", "as_of": "2024-03-31"}, {"from": "2022-10-01", "to": "2023-06-30"}]


async def answers(kafka, mongo_url, prefix) -> dict:
    found = {}
    async with reporting_app(kafka, mongo_url, prefix) as http:
        for path in PATHS:
            for query in ([{}] if path == "dashboard" else ASKED):
                response = await http.get(f"/p/p01/api/{path}", params=query)
                body = response.json()
                body.pop("generated_at", None)
                found[(path, json.dumps(query))] = (response.status_code, body)
    return found


async def test_a_read_bounded_by_the_period_answers_what_a_read_of_everything_answers(servers, monkeypatch):
    kafka, mongo_url = servers
    events = [e for e in strategy_sample.events() + reviews_sample.events() + training_sample.training_events()
              if e.partnership == "doncaster"]
    async with bench_read_model(kafka, mongo_url) as (db, registry, _):
        await registry.add(Partnership(code="p01", name="Three years", area="p01"))
        for k in range(3):
            await project(db, await published(year_of(events, k)), "p01")
        prefix = db.name.removesuffix("reporting")
        read, counted = entities.read, {"bounded": 0, "whole": 0}

        def counting(what: str, every: bool):
            async def reading(db, collection, partnership, years, **kw):
                found = await read(db, collection, partnership, None if every else years, **kw)
                counted[what] += len(found)
                return found
            return reading

        monkeypatch.setattr(entities, "read", counting("bounded", False))
        bounded = await answers(kafka, mongo_url, prefix)
        monkeypatch.setattr(entities, "read", counting("whole", True))
        whole = await answers(kafka, mongo_url, prefix)
    assert counted["bounded"] < counted["whole"], counted  # from the period's first year on, not all three years
    assert bounded.keys() == whole.keys()
    for asked, answer in bounded.items():
        assert answer == whole[asked], asked
    shown = [a for (path, _), (status, a) in bounded.items() if status == 200 and path == "training/attendance"]
    assert any(a["attendances"] for a in shown) and any(not a["attendances"] for a in shown)

