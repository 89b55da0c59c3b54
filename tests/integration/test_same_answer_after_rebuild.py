"""The JSON of a given as-of date is the same, byte for byte, every time it is asked, and after the read model is
rebuilt from the topics (the runbook's rebuild: an empty read model, a new consumer group from the start)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.harness import eventually

pytestmark = pytest.mark.integration

PATHS = ["strategy/scorecard", "strategy/kpis", "strategy/actions/attention", "strategy/ofsted",
         "strategy/kpis/family-hub-members-0-2", "reviews/clocks", "reviews/timeliness", "reviews/cases",
         "reviews/recommendations", "reviews/learning", "reviews/audits", "reviews/lado", "training",
         "training/attendance", "training/bookings", "training/competencies", "digest", "reviews/voice",
         "reviews/briefings", "report", "briefings/learning-cspr-2021-01"]
ASKED = [{"as_of": "2022-03-31"}, {"as_of": "2021-12-31"}, {"period": "2022-Q1", "as_of": "2022-08-31"}]


async def _answers(stack) -> dict[tuple[str, str], bytes]:
    found = {}
    for path in PATHS:
        for query in ASKED:
            response = await stack.reporting.get(f"/p/doncaster/api/{path}", params=query)
            assert response.status_code == 200, (path, response.text)
            found[(path, str(query))] = response.content
    for query in ASKED:  # the documents' Markdown too
        for document in ("digest.md", "report.md", "briefings/learning-cspr-2021-01.md"):
            response = await stack.reporting.get(f"/p/doncaster/{document}", params=query)
            assert response.status_code == 200, (document, response.text)
            found[(document, str(query))] = response.content
    pdf = await stack.reporting.get("/p/doncaster/report.pdf", params=ASKED[0])  # its bytes carry a creation date
    found[("report.pdf text", str(ASKED[0]))] = "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages).encode()
    return found


async def _projected(stack) -> bool:
    """The sample is on the topics (every outbox relayed) and every record is projected."""
    return await stack.caught_up() and (await stack.dashboard("rotherham"))["attendances"] == 160


async def test_the_same_answer_every_time_and_after_a_rebuild(stack):
    await stack.load_sample()
    await stack.start_projector()
    await eventually(lambda: _projected(stack), timeout_s=120)
    first = await _answers(stack)
    assert await _answers(stack) == first  # asked again

    await stack.stop_projector()
    await stack.mongo.drop_database(stack.reporting_settings.mongodb_database)
    stack.reporting_settings = stack.reporting_settings.model_copy(
        update={"consumer_group": f"{stack.reporting_settings.consumer_group}-rebuilt"})
    await stack.start_projector()
    await eventually(lambda: _projected(stack), timeout_s=120)
    rebuilt = await _answers(stack)
    changed = sorted(k for k in first if rebuilt[k] != first[k])
    assert not changed, changed
