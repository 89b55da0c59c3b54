"""The partnership's yearly report for a period (any 12 months, or the seed's six), in the structure partnerships
publish, and its checklist against Working Together's four required contents.

Pure: it composes the answers the strategy, reviews and training figures already give for the period, so the report
can never disagree with the pages, and decides no domain rule. The checklist only looks at what those answers
hold: whether the events say anything of each content, and how much.

Working Together to Safeguard Children (2023, chapter 2) asks the yearly report to cover:
1. evidence of the impact of the partnership's work, including training, on outcomes for children and families;
2. an analysis of areas where there has been little or no evidence of progress;
3. a record of decisions and actions taken in the period to implement the recommendations of local and national
   child safeguarding practice reviews, including their impact;
4. ways in which the partners have sought and used feedback from children and families to inform their work.
"""

from __future__ import annotations

from typing import Any

MET, PARTLY, MISSING = "met", "partly_met", "missing"
REVIEW_SOURCES = ("rapid_review", "practice_review", "national_review")
SAFEGUARDING_PARTNERS = ("council", "police", "icb")  # the statutory partners; the others are relevant agencies
CONTENTS = (
    ("impact", "Evidence of the impact of the partnership's work, including training"),
    ("little_progress", "An analysis of areas where there has been little or no evidence of progress"),
    ("reviews", "Decisions and actions taken on the recommendations of local and national reviews"),
    ("voice", "How feedback from children and families was sought and used"),
)


def arrangements(agencies: list[dict]) -> dict[str, Any]:
    """The safeguarding partners and the relevant agencies taking part: the registered agencies of the partnership,
    by kind (`agencies`: code, name, kind)."""
    partners = [a for a in agencies if a["kind"] in SAFEGUARDING_PARTNERS]
    relevant = [a for a in agencies if a["kind"] not in SAFEGUARDING_PARTNERS and a["kind"] != "partnership"]
    return {"safeguarding_partners": partners, "relevant_agencies": relevant,
            "business_unit": [a for a in agencies if a["kind"] == "partnership"]}


def priorities(scorecard: list[dict], kpis: list[dict], last_day: str) -> dict[str, Any]:
    """The strategies and the delivery plan(s) running in the period, each priority with its actions' statuses; the
    KPIs of each strategy with their latest values; and the plans that start after the period (next year's
    priorities)."""
    running = [s for s in scorecard if s["starts_on"] <= last_day and s["kind"] != "improvement_plan"]
    next_year = [s for s in scorecard if s["starts_on"] > last_day and s["kind"] == "delivery_plan"]
    to_come = [s for s in scorecard if s["starts_on"] > last_day and s["kind"] == "strategy"]
    by_strategy: dict[str | None, list[dict]] = {}
    for k in kpis:
        by_strategy.setdefault(k.get("strategy_id"), []).append(k)
    return {
        "delivery_plans": [s for s in running if s["kind"] == "delivery_plan"],
        "strategies": [{**{k: s[k] for k in ("strategy_id", "title", "starts_on", "ends_on", "owner_agency",
                                            "owner_group", "themes", "counts", "event_ids")},
                        "kpis": [_kpi(k) for k in by_strategy.get(s["strategy_id"], [])]}
                       for s in running if s["kind"] == "strategy"],
        "next_year": [{**{k: s[k] for k in ("strategy_id", "title", "starts_on", "ends_on", "event_ids")},
                       "priorities": [{k: p[k] for k in ("priority_id", "number", "title", "event_ids")}
                                      for p in s["priorities"]]} for s in next_year],
        "strategies_to_come": [{k: s[k] for k in ("strategy_id", "title", "starts_on", "ends_on", "owner_agency",
                                                  "themes", "event_ids")} for s in to_come],
    }


def _kpi(row: dict) -> dict[str, Any]:
    latest = row.get("latest") or {}
    return {"kpi_id": row["kpi_id"], "title": row["title"], "unit": row["unit"], "status": row["status"],
            "value": latest.get("value"), "period": latest.get("period"),
            "target": row["target"]["value"] if row.get("target") else None,
            "target_on": row["target"]["on"] if row.get("target") else None, "event_ids": row["event_ids"]}


def inspection(ofsted: list[dict], scorecard: list[dict]) -> dict[str, Any]:
    """The inspections' areas for improvement, with what addresses them, and the improvement plans."""
    return {"areas": ofsted, "inspections": sorted({a["inspection"] for a in ofsted}),
            "improvement_plans": [{k: s[k] for k in ("strategy_id", "title", "starts_on", "ends_on", "owner_agency",
                                                     "counts", "event_ids")}
                                  for s in scorecard if s["kind"] == "improvement_plan"]}


def little_progress(attention: list[dict], kpis: list[dict], ofsted: list[dict]) -> dict[str, Any]:
    """Where the events show little or no progress: actions overdue or at risk, KPIs off track or missing, Ofsted
    areas whose linked work is off track or not started."""
    overdue = [{**a, "owner_agency": o["owner_agency"]} for o in attention for a in o["overdue"]]
    at_risk = [{**a, "owner_agency": o["owner_agency"]} for o in attention for a in o["at_risk"]]
    unevidenced = [{**a, "owner_agency": o["owner_agency"]} for o in attention for a in o["green_without_evidence"]]
    off = [_kpi(k) for k in kpis if k["status"] in ("off_track", "missing", "at_risk")]
    areas = [{k: a[k] for k in ("area_id", "number", "title", "progress", "event_ids")}
             for a in ofsted if a["progress"] in ("off_track", "at_risk", "not_started", "no_links")]
    return {"actions_overdue": overdue, "actions_at_risk": at_risk, "actions_green_without_evidence": unevidenced,
            "kpis_off_track_or_missing": off, "ofsted_areas_without_progress": areas}


def reviews_and_learning(cases: dict, timeliness: list[dict], recommendations: dict, learning: dict, audits: dict,
                         lado: dict, briefings: dict) -> dict[str, Any]:
    from_reviews = [r for r in recommendations["recommendations"] if r["source"] in REVIEW_SOURCES]
    return {"cases": cases["counts"], "rapid_reviews": cases["rapid_reviews"],
            "practice_reviews": cases["practice_reviews"],
            "timeliness": [{k: t[k] for k in ("clock", "label", "decided", "on_time", "late", "share_on_time")}
                           for t in timeliness if t["decided"] or t["still_running"]],
            "recommendations": {k: recommendations[k] for k in ("made", "open", "overdue", "completed",
                                                                "with_impact_evidence", "recommendations")},
            "from_reviews": from_reviews,
            "national_reviews": [i for i in learning["learning"] if i["source"] == "national_review"],
            "learning": learning, "audits": audits,
            "lado": {"dip_samples": lado["dip_samples"], "allegations_referred": lado["allegations_referred"],
                     "service_reviews": lado["service_reviews"]},
            "briefings_used": briefings}


def training(attendance: dict, evaluations: dict, programmes: dict) -> dict[str, Any]:
    return {"attendances": attendance["attendances"], "people": attendance["people"],
            "sessions": attendance["sessions_held"], "by_agency": attendance["by_agency"],
            "evaluations": {k: evaluations[k] for k in ("attended", "responses", "response_rate", "agreed_both",
                                                        "agreement_rate", "follow_ups", "reported_summaries")},
            "partner_programmes": programmes["programmes"]}


def _check(key: str, state: str, evidence: list[str], gaps: list[str]) -> dict[str, Any]:
    return {"content": key, "requirement": dict(CONTENTS)[key], "state": state, "evidence": evidence, "gaps": gaps}


def checklist(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Each of Working Together's four contents marked met, partly_met or missing, with the evidence the events gave
    and what is missing: so that the partnership sees its gaps before it publishes."""
    rv, tr, lp, voice = report["reviews_and_learning"], report["training"], report["little_progress"], report["voice"]
    recs = rv["recommendations"]["recommendations"]

    # 1. impact, including of training
    impacts = [r for r in recs if r["impacts"]]
    follow = tr["evaluations"]["follow_ups"]
    changed = follow["practice_changed"] + follow["practice_partly_changed"]
    on_track = [k for s in report["priorities"]["strategies"] for k in s["kpis"] if k["status"] == "on_track"]
    evidence = []
    if impacts:
        evidence.append(f"{len(impacts)} recommendation(s) with evidence of impact")
    if on_track:
        evidence.append(f"{len(on_track)} KPI(s) of the strategies on track")
    if follow["responses"]:
        evidence.append(f"{changed} of {follow['responses']} training follow-ups say practice changed")
    gaps = []
    if not impacts and not on_track:
        gaps.append("no evidence of the impact of the partnership's work (no impact recorded, no KPI on track)")
    if not changed:
        gaps.append("no evidence of the impact of training: no follow-up says practice changed")
    impact = MET if not gaps else PARTLY if evidence else MISSING

    # 2. little progress
    shown = sum(len(v) for v in lp.values())
    actions = sum(s["counts"]["total"] for p in (report["priorities"]["delivery_plans"],
                                                 report["priorities"]["strategies"]) for s in p)
    tracked = bool(actions or any(s["kpis"] for s in report["priorities"]["strategies"]))
    evidence2 = [f"{len(lp['actions_overdue'])} action(s) overdue, {len(lp['actions_at_risk'])} at risk, "
                 f"{len(lp['kpis_off_track_or_missing'])} KPI(s) off track, at risk or missing, "
                 f"{len(lp['ofsted_areas_without_progress'])} Ofsted area(s) without progress"] if tracked else []
    gaps2 = [] if tracked else ["no plan's actions or KPIs are recorded: progress cannot be judged"]
    if lp["actions_green_without_evidence"]:
        gaps2.append(f"{len(lp['actions_green_without_evidence'])} action(s) reported on track or complete without "
                     "evidence: their progress is claimed, not shown")
    progress = MISSING if not tracked else PARTLY if gaps2 else MET
    if tracked and not shown:
        evidence2.append("the events show no area of little progress")

    # 3. local and national reviews
    counts = rv["cases"]
    held = counts["rapid_reviews_started"] + counts["practice_reviews"] + len(rv["national_reviews"])
    review_recs = rv["from_reviews"]
    unactioned = [r for r in review_recs if not r["action_ids"] and not r["status"].startswith("completed")]
    evidence3 = []
    if held:
        evidence3.append(f"{counts['rapid_reviews_started']} rapid review(s), {counts['practice_reviews']} practice "
                         f"review(s), {len(rv['national_reviews'])} national review(s) learnt from")
    if review_recs:
        done = sum(1 for r in review_recs if r["status"].startswith("completed"))
        evidence3.append(f"{len(review_recs)} recommendation(s) from reviews, {done} completed, "
                         f"{sum(1 for r in review_recs if r['action_ids'])} carried by strategy actions")
    gaps3 = [f"{len(unactioned)} review recommendation(s) open with no action carrying them"] if unactioned else []
    if held and not rv["national_reviews"]:
        gaps3.append("no learning from national reviews is recorded")
    reviews = MISSING if not held else PARTLY if gaps3 else MET

    # 4. the voice of children and families
    evidence4, gaps4 = [], []
    if voice["engagements"]:
        evidence4.append(f"{voice['engagements']} engagement(s) with children and families, "
                         f"{voice['changes']} change(s) made as a result, {voice['changes_linked_to_actions']} "
                         "carried by strategy actions")
        if not voice["changes"]:
            gaps4.append("no change is recorded as a result of what children and families said")
    else:
        gaps4.append("no engagement with children and families is recorded")
    heard = MISSING if not voice["engagements"] else PARTLY if gaps4 else MET
    return [_check("impact", impact, evidence, gaps), _check("little_progress", progress, evidence2, gaps2),
            _check("reviews", reviews, evidence3, gaps3), _check("voice", heard, evidence4, gaps4)]


def report(*, agencies: list[dict], scorecard: list[dict], kpis: list[dict], attention: list[dict],
           ofsted: list[dict], cases: dict, timeliness: list[dict], recommendations: dict, learning: dict,
           audits: dict, lado: dict, briefings: dict, attendance: dict, evaluations: dict, programmes: dict,
           voice: dict, last_day: str) -> dict[str, Any]:
    """The report's sections, from the period's figures, and its checklist."""
    sections = {
        "arrangements": arrangements(agencies),
        "priorities": priorities(scorecard, kpis, last_day),
        "inspection": inspection(ofsted, scorecard),
        "little_progress": little_progress(attention, kpis, ofsted),
        "reviews_and_learning": reviews_and_learning(cases, timeliness, recommendations, learning, audits, lado,
                                                     briefings),
        "training": training(attendance, evaluations, programmes),
        "voice": voice,
    }
    return {**sections, "checklist": checklist(sections)}
