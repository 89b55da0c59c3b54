"""The strategy sample loaded through the public API with the owning agencies' keys, as `make run` loads it:
the read model's JSON shows the report's figures (sample.strategy.EXPECTED)."""

from sample import strategy
from sample.load import by_sender, key_for
from tests.harness import eventually


async def test_the_sample_loads_through_the_api_and_the_figures_match_the_report(stack):
    keys = [{**spec, "key": await stack.key(spec["agency"], tuple(spec["event_types"]), tuple(spec["partnerships"]))}
            for spec in strategy.KEYS]
    for (domain, code, agency), group in by_sender(strategy.events()).items():
        key = key_for(keys, domain, code, agency, {e.type for e in group})
        response = await stack.post(group, key, service="strategy")
        assert response.status_code == 202 and response.json()["accepted"] == len(group), response.text
    await stack.start_projector()

    async def figures(path: str) -> dict:
        page, _, query = path.partition("?")
        return await stack.figures(page, **dict(p.split("=") for p in query.split("&") if p))

    async def shown():
        observed = strategy.observed(_Sync(await _fetch_all(figures)))
        return observed if observed == strategy.EXPECTED else None

    try:
        await eventually(shown, timeout_s=60)
    except AssertionError:
        pass  # the comparison below says what differs
    last = strategy.observed(_Sync(await _fetch_all(figures)))
    assert last == strategy.EXPECTED
    assert last["family_hubs"] == {"family-hub-members-0-5": 82.0, "two-year-old-funded-take-up": 84.0,
                                   "parent-engagement-families": 111, "young-carers-supported": 225}
    assert strategy.summary(_Sync(await _fetch_all(figures)))[0].startswith("Strategy: 8 strategies and plans")

    after_the_plan = await stack.figures("strategy/scorecard", as_of="2022-04-01", period="2021-22")
    plan = next(s for s in after_the_plan["strategies"] if s["strategy_id"] == "delivery-plan-2021-22")
    assert plan["counts"]["overdue"] == 15  # the plan ended on 31 March: every action neither complete nor deferred
    attention = (await stack.figures("strategy/actions/attention", as_of="2022-04-01"))["owners"]
    assert sum(len(owner["overdue"]) for owner in attention) == 15  # and all of them need attention in 2022-23


PATHS = ("strategy/scorecard?as_of=2022-03-31", "strategy/kpis?as_of=2022-03-31", "strategy/ofsted?as_of=2022-03-31")


async def _fetch_all(figures) -> dict:
    return {path: await figures(path) for path in PATHS}


class _Sync:
    """sample.strategy.observed reads figures synchronously (as `python -m sample` does over HTTP)."""

    def __init__(self, answers: dict):
        self.answers = answers

    def __call__(self, path: str) -> dict:
        return self.answers[path]


def _readme_events() -> list[tuple[str, bytes]]:
    """The strategy section's curl examples in README.md: (agency, body) of each POST."""
    import json
    import re
    from pathlib import Path

    text = Path(__file__).resolve().parents[2].joinpath("README.md").read_text()
    section = text.split("## Reporting the delivery plan, actions and KPIs", 1)[1].split("\n## ", 1)[0]
    bodies = re.findall(r"-d '(\{.*?\})'\n", section, re.S)
    return [(json.loads(b)["agency"], b.encode()) for b in bodies]


async def test_the_readmes_curl_examples_work_against_the_sample(stack):
    keys = {}
    for spec in strategy.KEYS:
        keys.setdefault(spec["agency"], await stack.key(spec["agency"], tuple(spec["event_types"]),
                                                        tuple(spec["partnerships"])))
    for (_, _, agency), group in by_sender(strategy.events()).items():
        assert (await stack.post(group, keys[agency], service="strategy")).status_code == 202
    examples = _readme_events()
    assert [agency for agency, _ in examples] == ["south-yorkshire-police", "doncaster-council"]
    for agency, body in examples:
        response = await stack.post([], keys[agency], body=body, content_type="application/cloudevents+json",
                                    service="strategy")
        assert response.status_code == 202 and response.json()["accepted"] == 1, response.text
    await stack.start_projector()

    async def value_shown():
        response = await stack.reporting.get("/p/doncaster/api/strategy/kpis/family-hub-members-0-2",
                                             params={"as_of": "2022-08-31"})
        rows = response.json()["kpi"]["series"][0]["rows"] if response.status_code == 200 else []
        return rows and rows[0]["value"] is not None and rows[0]
    row = await eventually(value_shown)
    assert (row["period"], row["value"], row["expected"], row["status"]) == ("2022-Q2", 69.17, 69.75, "at_risk")
