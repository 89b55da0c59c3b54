"""The LQI group's learning digest of the sample's six months (October 2021 to March 2022), as JSON, Markdown,
HTML and PDF, behind sign-in, each download on record; and the command that writes the same document."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import unicodedata

import pytest
from pypdf import PdfReader

from tests.harness import eventually

pytestmark = pytest.mark.integration
SIX_MONTHS = {"from": "2021-10-01", "to": "2022-03-31"}


async def _loaded(stack):
    await stack.load_sample()
    await stack.start_projector()

    await eventually(stack.caught_up, timeout_s=180)  # every domain's events: the digest reads all three


async def test_the_digest_of_six_months_says_what_was_learnt_and_what_became_of_it(stack):
    await _loaded(stack)
    shown = await stack.figures("digest", **SIX_MONTHS)
    assert shown["period"]["from"] == "2021-10-01" and shown["as_of_day"] == "2022-03-31"
    assert shown["learning"]["items"] == 4
    assert {row["source"] for row in shown["learning"]["by_source"]} == {"audit", "lado_review", "practice_review"}
    r = shown["recommendations"]
    assert (r["made"], r["completed"], r["with_impact_evidence"], r["open"]) == (6, 5, 1, 1)
    gcp = next(x for x in r["lineage"] if x["recommendation_id"] == "maca-2021-22-q3-r1")
    assert [a["action_id"] for a in gcp["actions"]] == ["priority-3-a"]  # the audit's recommendation, carried
    assert len(shown["no_evidence_of_impact_yet"]["completed_without_impact"]) == 4
    assert shown["training"]["attendances"] == 1368

    markdown = (await stack.reporting.get("/p/doncaster/digest.md", params=SIX_MONTHS)).text
    assert markdown.startswith("# Learning digest: Doncaster Safeguarding Children Partnership\n")
    assert "6 made, 5 completed, 1 with evidence of impact, 1 open, 0 overdue." in markdown
    assert "Impact: **no evidence of impact yet.**" in markdown
    assert "1,368 attendances in the period" in markdown
    assert "## What has no evidence of impact yet" in markdown

    pdf = await stack.reporting.get("/p/doncaster/digest.pdf", params=SIX_MONTHS)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert 'filename="learning-digest-doncaster-2021-10-01-to-2022-03-31.pdf"' in pdf.headers["content-disposition"]
    text = unicodedata.normalize("NFKC", " ".join(" ".join(page.extract_text().split())
                                                  for page in PdfReader(io.BytesIO(pdf.content)).pages))
    for said in ("Learning digest: Doncaster Safeguarding Children Partnership", "6 made, 5 completed",
                 "no evidence of impact yet", "1,368 attendances in the period", "Audit findings"):
        assert said in text, said

    page = await stack.reporting.get("/p/doncaster/digest", params=SIX_MONTHS)
    assert page.status_code == 200 and "<table>" in page.text and 'href="/p/doncaster/digest.pdf?' in page.text


async def test_each_download_is_on_record_and_needs_sign_in(stack):
    anonymous = await stack.browser()
    for path in ("/p/doncaster/digest.pdf", "/p/doncaster/digest.md", "/p/doncaster/api/digest"):
        assert (await anonymous.get(path)).status_code in (303, 401), path
    await stack.reader("lqi", "lqi", ("doncaster",))
    browser = await stack.browser()
    await stack.sign_in(browser, "lqi", "correct horse battery staple")
    assert (await browser.get("/p/doncaster/digest.md", params={"period": "2022-Q1"})).status_code == 200
    entry = await stack.mongo[f"{stack.prefix}auth"]["audit_log"].find_one({"who": "reader:lqi"})
    assert entry["what"] == "GET /p/doncaster/digest.md?period=2022-Q1" and entry["outcome"] == "shown"


async def test_the_command_writes_the_document_the_service_serves(stack, tmp_path):
    await _loaded(stack)
    served = (await stack.reporting.get("/p/doncaster/digest.md", params=SIX_MONTHS)).content
    env = {**os.environ, "MONGODB_URL": stack.mongo_url, "AUTH_DATABASE": f"{stack.prefix}auth",
           "MONGODB_DATABASE": stack.reporting_settings.mongodb_database}
    written = subprocess.run([sys.executable, "-m", "services.reporting.digest", "--partnership", "doncaster",
                              "--from", "2021-10-01", "--to", "2022-03-31", "--format", "md",
                              "-o", str(tmp_path / "digest.md")], env=env, capture_output=True, text=True, timeout=120)
    assert written.returncode == 0, written.stderr
    assert (tmp_path / "digest.md").read_bytes() == served
    wrong = subprocess.run([sys.executable, "-m", "services.reporting.digest", "--partnership", "doncaster",
                            "--period", "2022-13"], env=env, capture_output=True, text=True, timeout=120)
    assert wrong.returncode == 2 and "period" in wrong.stderr
