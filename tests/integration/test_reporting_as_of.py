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
