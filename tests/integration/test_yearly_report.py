"""The partnership's yearly report of the sample's six months (October 2021 to March 2022) reproduces the seed
report's figures, in its Markdown and in its PDF's text, with its checklist against Working Together's four contents;
a learning item's 7-minute briefing; both behind sign-in, each download on record, and written the same by their
commands."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import unicodedata

import pytest
from pypdf import PdfReader

from tests.harness import eventually

pytestmark = pytest.mark.integration
SIX_MONTHS = {"from": "2021-10-01", "to": "2022-03-31"}
APPENDIX_1 = (  # the delivery plan 2021-22's priorities, and where their actions stood on 31 March 2022
    ("1. To work with the Partnership Improvement Board", "1 complete, 2 on track"),
    ("2. To support and challenge work to deliver a more effective multi-agency response to child exploitation",
     "1 complete, 2 on track"),
    ("3. To support and challenge work to deliver a more effective multi-agency response to child neglect",
     "2 on track, 1 at risk, 1 deferred"),
    ("4. To support and challenge the multi-agency response to mental ill health", "1 complete"),
    ("5. To ensure that schools and other education providers are at the centre", "2 on track, 1 not started"),
    ("6. To ensure the embedding, dissemination, and evaluation of learning", "1 complete, 3 on track, 1 not started"),
    ("7. To ensure effective multi-agency safeguarding response in the recovery phase", "1 complete"),
    ("8. To ensure that multi-agency policies and procedures are kept under review", "1 complete, 1 on track"),
)
OFSTED = ("The scrutiny arrangements between senior leaders of the council and the Children's Services Trust.",
          "The impact of leaders and managers in driving progress for all children.",
          "A shared understanding and application of child-in-need and child-protection thresholds across agencies.",
          "The quality and accuracy of children's records and performance information.",
          "The quality and impact of supervision and management oversight.",
          "The quality and analysis of assessments.",
          "The timeliness and oversight of placement with parent and connected persons arrangements.",
          "The quality of placement matching.", "The quality and timeliness of achieving permanence.")
NEXT_YEAR = ("1. To support and challenge work to deliver a more effective multi-agency response to child exploitation",
             "2. To support and challenge work to deliver a more effective multi-agency response to child neglect",
             "3. To ensure that schools and other education providers are at the centre",
             "4. To ensure the embedding, dissemination, and evaluation of learning",
             "5. To ensure that multi-agency policies and procedures are kept under review",
             "6. To align DSCP governance, process and practice to capture impact for children, young people and "
             "families")
SAID = (  # the seed's figures, as the report says them
    "1,368 people attended 100 sessions",
    "44 responses from 1,368 attendances", "41 of 44 (93%) agreed",
    "counted 51 of 55 responses agreeing", "These figures disagree: the survey counts 55 responses, but 44 "
                                           "evaluations were recorded in the period",
    "1 rapid review (1 completed, 0 finding further learning); 1 practice review (1 published)",
    "9 areas for improvement were identified",
    "Child Matters**, 81 sessions and 4,600 attendees", "not added into the figures above",
    "| Children aged 0-5 who are members of a Family Hub | 82% | 2021-22 |",
    "| Children eligible for 2 year old funding who took up their places | 84% | 2021-22 |",
    "| Families in direct work with the parent engagement workers | 111 | 2021-22 |",
    "| Young carers supported by the young carers team | 225 | 2021-22 |",
    "| Children aged 0-2 who are members of a Family Hub | – | – | 75% by 2023-03-31 |",
    "| Families accessing Family Hub services | – | – | 70% by 2023-03-31 |",
    "Red Flags: a short film on domestic abuse and coercive control", "Hear Me: Voice Group",
    "DSCP priorities for 2022-2023",
)


def _plain(text: str) -> str:
    """Markdown as a reader sees its words: no emphasis, no link targets, no table rules, spaces collapsed."""
    text = re.sub(r"\]\([^)]*\)", "]", text)
    return " ".join(re.sub(r"[*`\[\]]", "", text).replace("|", " ").split())


def _pdf_text(content: bytes) -> str:
    """The PDF's words, page after page, without each page's footer (its number) between them, and with the words
    a narrow table cell wrapped at a hyphen (2021-⏎22) joined again."""
    pages = (re.sub(r"\s*\d+ / \d+$", "", " ".join(page.extract_text().split()))
             for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"(\w)- (\w)", r"\1-\2", unicodedata.normalize("NFKC", " ".join(pages)))


def _read_in(said: str, text: str) -> bool:
    """Whether the PDF's text reads `said` (Markdown): its words in order, close together. A table's cells wrap
    over lines, and a PDF's text gives a row's lines cell after cell, so a cell's words may have another cell's
    between them, never far."""
    def bare(words: str) -> list[str]:
        return [w.strip(".,;:()") for w in words.split() if w.strip(".,;:()")]

    wanted, words = bare(_plain(said)), bare(text)
    reach = 3 * len(wanted) + 12
    for start in (i for i, w in enumerate(words) if w == wanted[0]):
        at = start
        for word in wanted[1:]:
            at = next((j for j in range(at + 1, min(len(words), start + reach)) if words[j] == word), None)
            if at is None:
                break
        else:
            return True
    return False


async def _loaded(stack):
    await stack.load_sample()
    await stack.start_projector()
    await eventually(stack.caught_up, timeout_s=180)


async def test_the_yearly_report_of_six_months_reproduces_the_seed_reports_figures(stack):
    await _loaded(stack)
    markdown = (await stack.reporting.get("/p/doncaster/report.md", params=SIX_MONTHS)).text
    assert markdown.startswith("# Yearly report: Doncaster Safeguarding Children Partnership\n")
    assert markdown == (await stack.reporting.get("/p/doncaster/report.md", params=SIX_MONTHS)).text  # every time
    pdf = await stack.reporting.get("/p/doncaster/report.pdf", params=SIX_MONTHS)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert 'filename="yearly-report-doncaster-2021-10-01-to-2022-03-31.pdf"' in pdf.headers["content-disposition"]
    text = _pdf_text(pdf.content)
    for said in (*SAID, *(p for p, _ in APPENDIX_1), *OFSTED, *NEXT_YEAR):
        assert said in markdown, said
        assert _read_in(said, text), said
    for priority, stand in APPENDIX_1:  # each priority's row says where its actions stood
        row = next(line for line in markdown.splitlines() if line.startswith(f"| {priority}"))
        assert f"| {stand} |" in row, (priority, row)
    for section in ("Foreword", "The arrangements and partners", "Local context", "Priorities and delivery",
                    "Inspection and the improvement plan", "Reviews and learning", "Training",
                    "The voice of children and families", "Next year's priorities"):
        assert f"\n## {section}\n" in markdown, section
        assert section in text, section
    assert "[1 event](/p/doncaster/events?ids=" in markdown  # each figure links to its events on the dashboard
    assert "/p/doncaster/events?ids=" in " ".join(a.get("/URI", "") for page in PdfReader(io.BytesIO(pdf.content)).pages
                                                   for a in (o.get_object().get("/A", {}) for o in page.get("/Annots", [])))

    shown = await stack.figures("report", **SIX_MONTHS)
    assert {c["content"]: c["state"] for c in shown["checklist"]} == {
        "impact": "partly_met", "little_progress": "partly_met", "reviews": "partly_met", "voice": "met"}
    impact = shown["checklist"][0]
    assert impact["gaps"] == ["no evidence of the impact of training: no follow-up says practice changed"]
    training = shown["training"]
    assert (training["attendances"], training["evaluations"]["responses"]) == (1368, 44)
    (survey,) = training["evaluations"]["reported_summaries"]
    assert (survey["responses"], survey["agreed"], survey["more_responses_than_recorded"]) == (55, 51, True)
    (child_matters,) = training["partner_programmes"]
    assert (child_matters["sessions"], child_matters["attendees"]) == (81, 4600)
    cases = shown["reviews_and_learning"]["cases"]
    assert (cases["rapid_reviews_started"], cases["practice_reviews"]) == (1, 1)
    assert len(shown["inspection"]["areas"]) == 9
    assert [len(p["priorities"]) for p in shown["priorities"]["next_year"]] == [6]
    assert shown["voice"]["engagements"] == 3 and shown["voice"]["changes_linked_to_actions"] == 2

    page = await stack.reporting.get("/p/doncaster/report", params=SIX_MONTHS)
    assert page.status_code == 200 and 'href="/p/doncaster/report.pdf?' in page.text and "<table>" in page.text


async def test_a_partnership_that_heard_no_children_sees_the_fourth_content_missing(stack):
    await _loaded(stack)
    shown = await stack.figures("report", partnership="rotherham", period="2021-22")
    voice = next(c for c in shown["checklist"] if c["content"] == "voice")
    assert voice["state"] == "missing" and voice["gaps"] == ["no engagement with children and families is recorded"]
    markdown = (await stack.reporting.get("/p/rotherham/report.md", params={"period": "2021-22"})).text
    assert "| How feedback from children and families was sought and used | **missing** |" in markdown
    assert "**No engagement with children and families is recorded for the period.**" in markdown


async def test_a_learning_items_seven_minute_briefing_and_who_used_it(stack):
    await _loaded(stack)
    shown = await stack.figures("briefings/learning-cspr-2021-01", as_of="2022-03-31")
    assert shown["written_by_lqi"] and shown["questions"][0].startswith("When did you last ask")
    assert (shown["used"]["uses"], shown["used"]["staff"]) == (2, 138)
    composed = await stack.figures("briefings/learning-maca-q3", as_of="2022-03-31")
    assert not composed["written_by_lqi"]
    assert composed["background"].startswith('A multi-agency audit of "Neglect: use of the Graded Care Profile"')
    assert composed["what_to_do"] == ["Use the Graded Care Profile in every case where neglect is identified"]

    pdf = await stack.reporting.get("/p/doncaster/briefings/learning-maca-q3.pdf", params={"as_of": "2022-03-31"})
    assert pdf.status_code == 200 and len(PdfReader(io.BytesIO(pdf.content)).pages) == 1  # one page
    text = _pdf_text(pdf.content)
    for part in ("1. Background", "2. What was found", "3. Why it matters", "4. What to do",
                 "5. Questions for reflection", "reaching 42 staff"):
        assert part in text, part
    missing = await stack.reporting.get("/p/doncaster/api/briefings/no-such-item")
    assert missing.status_code == 404
    early = await stack.reporting.get("/p/doncaster/api/briefings/learning-maca-q3", params={"as_of": "2021-12-31"})
    assert early.status_code == 404  # not disseminated yet on that day

    digest = (await stack.reporting.get("/p/doncaster/digest.md", params=SIX_MONTHS)).text
    assert "[7-minute briefing](/p/doncaster/briefings/learning-maca-q3)" in digest
    assert "| South Yorkshire Police | 1 | 120 | learning-cspr-2021-01 |" in digest


async def test_each_download_is_on_record_and_the_commands_write_what_is_served(stack, tmp_path):
    await _loaded(stack)
    anonymous = await stack.browser()
    for path in ("/p/doncaster/report.pdf", "/p/doncaster/report.md", "/p/doncaster/api/report",
                 "/p/doncaster/briefings/learning-maca-q3.pdf"):
        assert (await anonymous.get(path)).status_code in (303, 401), path
    await stack.reader("scrutineer", "scrutineer", ("doncaster",))
    browser = await stack.browser()
    await stack.sign_in(browser, "scrutineer", "correct horse battery staple")
    assert (await browser.get("/p/doncaster/report.md", params={"period": "2021-22"})).status_code == 200
    entry = await stack.mongo[f"{stack.prefix}auth"]["audit_log"].find_one({"who": "reader:scrutineer"})
    assert entry["what"] == "GET /p/doncaster/report.md?period=2021-22" and entry["outcome"] == "shown"

    env = {**os.environ, "MONGODB_URL": stack.mongo_url, "AUTH_DATABASE": f"{stack.prefix}auth",
           "MONGODB_DATABASE": stack.reporting_settings.mongodb_database}
    for module, args, served_path, params in (
            ("services.reporting.yearly_report", ["--from", "2021-10-01", "--to", "2022-03-31"],
             "/p/doncaster/report.md", SIX_MONTHS),
            ("services.reporting.briefing", ["--learning-id", "learning-maca-q3", "--as-of", "2022-03-31"],
             "/p/doncaster/briefings/learning-maca-q3.md", {"as_of": "2022-03-31"})):
        served = (await stack.reporting.get(served_path, params=params)).content
        out = tmp_path / f"{module}.md"
        written = subprocess.run([sys.executable, "-m", module, "--partnership", "doncaster", *args, "--format", "md",
                                  "-o", str(out)], env=env, capture_output=True, text=True, timeout=120)
        assert written.returncode == 0, written.stderr
        assert out.read_bytes() == served, module
    unknown = subprocess.run([sys.executable, "-m", "services.reporting.briefing", "--partnership", "doncaster",
                              "--learning-id", "no-such-item"], env=env, capture_output=True, text=True, timeout=120)
    assert unknown.returncode == 1 and "no 7-minute briefing" in unknown.stderr
