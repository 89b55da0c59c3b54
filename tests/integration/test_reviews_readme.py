"""The README's reviews examples work: its curl bodies, posted with a council and a DSCP key, give the clocks
the README says (notification met, rapid review a near breach on 30 April 2022, since 28 April, due 4 May)."""

import re
from pathlib import Path

from tests.harness import BATCH, STRUCTURED, eventually

README = Path(__file__).resolve().parents[2] / "README.md"


def curl_bodies() -> list[tuple[str, str]]:
    """(content type, body) of each POST in the README's section on serious incidents and reviews."""
    section = README.read_text().split("## Reporting serious incidents and reviews", 1)[1].split("\n## ", 1)[0]
    found = re.findall(r"Content-Type: ([a-z/+-]+)\" \\\n  -d '(.*?)'\n", section, re.S)
    assert len(found) == 2, found
    return found


async def test_the_readme_serious_incident_and_rapid_review_examples_are_accepted_and_clocked(stack):
    keys = [await stack.key("doncaster-council", ("reviews.serious_incident.*",)),
            await stack.key("dscp", ("reviews.rapid_review.*",))]
    for (content_type, body), key in zip(curl_bodies(), keys):
        assert content_type in (BATCH, STRUCTURED)
        response = await stack.post([], key, content_type=content_type, body=body.encode(), service="reviews")
        assert response.status_code == 202, response.text
    await stack.start_projector()

    async def two_clocks():
        answer = await stack.figures("reviews/clocks", as_of="2022-04-30")
        return answer if len(answer["clocks"]) == 2 else None

    clocks = {c["rule"]: c for c in (await eventually(two_clocks))["clocks"]}
    assert (clocks["serious_incident_notification"]["due"], clocks["serious_incident_notification"]["state"]) == \
        ("2022-04-11", "met")
    rapid = clocks["rapid_review"]
    assert (rapid["due"], rapid["state"], rapid["near_breach_from"]) == ("2022-05-04", "near_breach", "2022-04-28")
