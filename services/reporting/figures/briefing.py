"""A learning item's 7-minute briefing, in the form partnerships use: background, what was found, why it matters,
what to do, questions for reflection; with where it came from and who has used it.

Pure: the LQI group's own words where the learning item carries them (`reviews.learning.disseminated.v1`'s
`briefing`), and otherwise each part composed from what the reviews figures already hold: the item, its source (the
review, audit or LADO review it came from) and that source's recommendations. Nothing here decides a domain rule.
"""

from __future__ import annotations

from typing import Any

# prompts that fit any learning, and one more for each theme that has a question practitioners are asked about it
QUESTIONS = ("What does this learning mean for your own practice?",
             "What will you do differently, and how will you know it made a difference for children?",
             "Who in your team or agency needs to hear this, and how will you tell them?")
THEME_QUESTIONS = {
    "voice_of_the_child": "How do you record what the child says and feels, in their own words?",
    "professional_curiosity": "When did you last ask the next question, rather than accept the first answer?",
    "information_sharing": "Who else might know something about this child, and have you asked them?",
    "neglect": "Which tool do you use to assess neglect, and do you use it every time?",
    "domestic_abuse": "How do you make sure safety plans reflect what the children in the household say?",
    "leadership_and_culture": "What makes it easy, or hard, to raise a concern in your organisation?",
}


AUDIT_KINDS = {"multi_agency_audit": "multi-agency audit", "deep_dive": "\"fast response\" deep dive"}


def _words(code: str | None) -> str:
    return (code or "").replace("_", " ")


def background(item: dict, source: dict | None) -> str:
    """Where the learning came from, in a sentence, from its source's own record."""
    kind = item["source"]
    if source is None:
        return f"This learning comes from {_words(kind)}" + (f" ({item['source_id']})." if item.get("source_id")
                                                             else ".")
    if kind in ("audit", "deep_dive"):
        agencies = len(source.get("agencies") or [])
        return (f"A {AUDIT_KINDS.get(source.get('kind'), _words(source.get('kind')))} of \"{source.get('theme')}\", completed on {source.get('completed_on')}"
                f", looked at {source.get('cases_sampled')} cases across {agencies} agencies.")
    if kind == "practice_review":
        return f"{source.get('title')} was published on {source.get('published_on') or 'a date not yet recorded'}."
    if kind == "lado_review":
        return f"{source.get('title')} reported on {source.get('reported_on')}: {source.get('summary_text')}"
    if kind == "rapid_review":
        return f"A rapid review completed on {source.get('completed_on')}: {source.get('outcome')}"
    return f"This learning comes from {_words(kind)} {item.get('source_id') or ''}".rstrip() + "."


def briefing(item: dict, source: dict | None, recommendations: list[dict], uses: dict | None) -> dict[str, Any]:
    """The briefing of learning `item` (a reviews learning state), from its `source`'s state (or None), the
    `recommendations` made by the same source (reviews.recommendations rows) and its `uses` (a
    reviews.briefings_used `by_learning_item` row, or None)."""
    given = item.get("briefing") or {}
    findings = list(source.get("findings") or []) if source else []
    from_source = [r for r in recommendations if item.get("source_id") and r["source_id"] == item["source_id"]]
    themes = [_words(t) for t in item["themes"]]
    questions = list(given.get("questions") or ()) or [*QUESTIONS[:2], *(THEME_QUESTIONS[t] for t in item["themes"]
                                                                        if t in THEME_QUESTIONS), QUESTIONS[2]]
    return {
        "learning_id": item["id"], "source": item["source"], "source_id": item.get("source_id"),
        "themes": item["themes"], "audience": item.get("audience") or [], "disseminated_on": item["disseminated_on"],
        "format": item.get("format"), "summary_text": item["summary_text"],
        "written_by_lqi": bool(given),
        "background": given.get("background") or background(item, source),
        "found": given.get("found") or item["summary_text"],
        "findings": findings,
        "why_it_matters": given.get("why_it_matters") or (
            f"It bears on the national Panel's themes of {', '.join(themes)}: learning the Panel finds again and "
            "again in reviews across England."),
        "what_to_do": list(given.get("what_to_do") or ()) or [r["text"] for r in from_source] or [item["summary_text"]],
        "questions": questions[:6],
        "recommendations": [{k: r[k] for k in ("recommendation_id", "text", "owner", "status", "action_ids",
                                               "event_ids")} for r in from_source],
        "used": uses or {"learning_id": item["id"], "uses": 0, "staff": 0, "agencies": [], "event_ids": []},
        "event_ids": item["event_ids"],
    }
