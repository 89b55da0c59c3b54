"""The LQI group's learning digest for a period: what was learnt, what was recommended and what became of it, the
training that carried it, the audits' findings, and, said plainly, what has no evidence of impact yet.

Pure: it composes the figures the reviews, strategy and training functions already give for the period (their
answers, not their facts), so the digest can never disagree with the pages. Nothing here decides a domain rule.
"""

from __future__ import annotations

from typing import Any


def digest(*, learning: dict, recommendations: dict, audits: dict, scorecard: list[dict], served: list[dict],
           attendance: dict, evaluations: dict, briefings: dict) -> dict[str, Any]:
    """The digest's sections, from the period's figures: `learning` (reviews.learning), `recommendations`
    (reviews.recommendations), `audits` (reviews.audits), `scorecard` (strategy.scorecard), `served`
    (training.priorities' `served`), `attendance` and `evaluations` (training's), `briefings`
    (reviews.briefings_used: the briefings agencies used with their staff)."""
    actions = {a["action_id"]: {**a, "priority_id": p["priority_id"], "priority": p["title"], "strategy": s["title"]}
               for s in scorecard for p in s["priorities"] for a in p["actions"]}
    serving = {row["id"]: row for row in served}

    def courses_for(action_ids: list[str]) -> list[str]:
        keys = {k for a in action_ids for k in (a, actions.get(a, {}).get("priority_id")) if k}
        return sorted({c for k in keys for c in serving.get(k, {}).get("courses", [])})

    lineage = []
    for r in recommendations["recommendations"]:
        carried = [actions[a] for a in r["action_ids"] if a in actions]
        lineage.append({
            "recommendation_id": r["recommendation_id"], "text": r["text"], "source": r["source"],
            "source_id": r["source_id"], "owner": r["owner"], "made_on": r["made_on"], "due_on": r["due_on"],
            "status": r["status"], "completed_on": r.get("completed_on"), "evidence": r.get("evidence"),
            "impacts": r["impacts"],
            "actions": [{k: a[k] for k in ("action_id", "title", "strategy", "priority", "status", "display",
                                           "evidenced", "event_ids")} for a in carried],
            "courses": courses_for(r["action_ids"]), "event_ids": r["event_ids"]})
    carrying = sorted({a for r in recommendations["recommendations"] for a in r["action_ids"]})
    training_rows = [row for row in served if row["id"] in carrying or row["id"] in
                     {actions[a]["priority_id"] for a in carrying if a in actions}]
    no_impact = {
        "completed_without_impact": [x for x in lineage if x["status"] == "completed" and not x["impacts"]],
        "open_without_an_action": [x for x in lineage if x["status"] != "completed" and not x["actions"]],
        "actions_green_without_evidence": [a for x in lineage for a in x["actions"]
                                           if a["display"] == "green_without_evidence"],
    }
    return {
        "learning": {"items": learning["items"], "by_theme": learning["by_theme"], "by_source": learning["by_source"],
                     "learning": learning["learning"], "briefings_used": briefings},
        "recommendations": {k: recommendations[k] for k in ("made", "open", "overdue", "completed",
                                                            "with_impact_evidence")} | {"lineage": lineage},
        "training": {"served": training_rows, "attendances": attendance["attendances"],
                     "by_agency": attendance["by_agency"], "evaluations": {
                         k: evaluations[k] for k in ("responses", "response_rate", "agreed_both", "agreement_rate")},
                     "follow_ups": evaluations["follow_ups"]},
        "audits": {"completed": audits["completed"], "cases_sampled": audits["cases_sampled"]},
        "no_evidence_of_impact_yet": no_impact,
    }
