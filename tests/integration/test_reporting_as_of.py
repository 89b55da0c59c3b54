"""Every reporting JSON endpoint takes `as_of`; a bad one is a 422 problem naming it, an unknown partnership a 404."""

import pytest

PATHS = ["strategy/scorecard", "strategy/ofsted", "reviews/clocks", "reviews/timeliness", "training/attendance"]


@pytest.mark.parametrize("path", PATHS)
async def test_a_bad_as_of_is_refused_naming_it_and_an_unknown_partnership_is_404(stack, path):
    refused = await stack.reporting.get(f"/p/doncaster/api/{path}", params={"as_of": "2022-03-31T12:00:00"})
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["errors"][0]["loc"] == ["query", "as_of"]
    assert (await stack.reporting.get(f"/p/nowhere/api/{path}")).status_code == 404
    empty = await stack.reporting.get(f"/p/rotherham/api/{path}", params={"as_of": "2022-03-31"})
    assert empty.status_code == 200, empty.text


REFUSED_PERIODS = [({"period": "2021-23"}, "period"), ({"period": "last year"}, "period"),
                   ({"period": "2021-22", "from": "2021-04-01"}, "period"), ({"from": "2021-13-01"}, "from"),
                   ({"from": "2022-02-01", "to": "2022-01-01"}, "to"), ({"to": "2022-01-01"}, "from"),
                   ({"period": "2022-23", "as_of": "2022-03-31"}, "period")]


@pytest.mark.parametrize("path", PATHS)
async def test_every_endpoint_covers_the_reporting_year_unless_asked_and_a_bad_period_is_refused_naming_it(stack, path):
    year = (await stack.figures(path, as_of="2022-03-31"))["period"]
    assert (year["label"], year["from"], year["to"]) == ("2021-22", "2021-04-01", "2022-03-31")
    quarter = await stack.figures(path, period="2022-Q1")
    assert quarter["as_of"] == quarter["period"]["ends_at"] == "2022-03-31T22:59:59.999999+00:00"  # BST
    days = (await stack.figures(path, **{"from": "2021-10-01", "to": "2021-12-31"}))["period"]
    assert (days["label"], days["from"], days["to"]) == (None, "2021-10-01", "2021-12-31")
    for query, name in REFUSED_PERIODS:
        refused = await stack.reporting.get(f"/p/doncaster/api/{path}", params=query)
        assert refused.status_code == 422, (query, refused.text)
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["errors"][0]["loc"] == ["query", name], query
