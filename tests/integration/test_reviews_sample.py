"""The reviews sample loaded through the API with each owning agency's own key: the read model's JSON figures are
the report's (one rapid review with no further learning, one practice review published, the LADO review's
recommendations implemented, quarterly dip samples and audits, their learning)."""

from sample import reviews as sample
from sample.load import by_sender
from tests.harness import eventually


async def test_the_sample_loads_through_the_api_and_the_read_model_shows_the_expected_figures(stack):
    keys = {spec["agency"]: await stack.key(spec["agency"], tuple(spec["event_types"]), tuple(spec["partnerships"]))
            for spec in sample.KEYS}
    for (_, _, agency), group in by_sender(sample.events()).items():
        response = await stack.post(group, keys[agency], service="reviews")
        assert response.status_code == 202 and response.json()["accepted"] == len(group), response.text
    await stack.start_projector()

    async def fetch_all() -> dict:
        answers = {}
        for path in ("cases", "timeliness", "clocks", "recommendations", "audits", "lado", "learning", "voice",
                     "briefings"):
            response = await stack.reporting.get(f"/p/doncaster/api/reviews/{path}", params={"as_of": sample.AS_OF})
            response.raise_for_status()
            answers[path] = response.json()
        return answers

    await eventually(stack.caught_up)  # each case's events travel on its own key: wait for all
    answers = await fetch_all()
    figures = sample.figures_of(lambda path: answers[path.split("/")[1].split("?")[0]])
    assert figures == sample.EXPECTED
    (rapid,) = answers["cases"]["rapid_reviews"]
    assert (rapid["learning_found"], rapid["practice_review_recommended"]) == (False, False)
    (published,) = answers["cases"]["practice_reviews"]
    assert published["link"] == "https://dscp.org.uk/professionals/child-safeguarding-practice-reviews"
    lado_review = answers["lado"]["service_reviews"][0]
    assert lado_review["reported_on"].startswith("2021-10")  # "final report produced in October 2021"
    lado_recs = [r for r in answers["recommendations"]["recommendations"] if r["source"] == "lado_review"]
    assert len(lado_recs) == 3 and all(r["status"] == "completed" and r["evidence"] for r in lado_recs)
    assert any("priority-6-b" in r["action_ids"] for r in answers["recommendations"]["recommendations"])
    # before the period, none of it had happened yet
    before = (await stack.reporting.get("/p/doncaster/api/reviews/cases", params={"as_of": "2021-09-30"})).json()
    assert before["counts"]["rapid_reviews_completed"] == 0 and before["counts"]["practice_reviews_published"] == 0
