"""The learning digest joins what the figures already say: a recommendation to the actions that carry it and the
courses serving them, and says plainly what has no evidence of impact yet."""

from services.reporting.figures.digest import digest


def _recommendation(rid, status, action_ids, impacts=()):
    return {"recommendation_id": rid, "text": f"Do {rid}", "source": "practice_review", "source_id": "cspr-1",
            "owner": "dscp", "made_on": "2021-12-10", "due_on": "2022-03-31", "status": status,
            "completed_on": "2022-02-01" if status == "completed" else None, "evidence": None,
            "impacts": list(impacts), "action_ids": list(action_ids), "event_ids": [f"e-{rid}"]}


def _action(aid, display="green"):
    return {"action_id": aid, "title": f"Action {aid}", "status": "on_track", "display": display,
            "evidenced": display == "green", "event_ids": [f"e-{aid}"]}


SCORECARD = [{"title": "Delivery plan", "priorities": [
    {"priority_id": "priority-6", "title": "Learning", "actions": [_action("priority-6-a", "green_without_evidence"),
                                                                  _action("priority-6-e")]}]}]
SERVED = [{"id": "priority-6-e", "courses": ["signs-of-safety"], "sessions": 5, "people_reached": 89,
           "partner_programmes": []},
          {"id": "priority-6", "courses": ["learning-from-reviews"], "sessions": 2, "people_reached": 30,
           "partner_programmes": []},
          {"id": "family-hubs", "courses": ["early-help"], "sessions": 9, "people_reached": 120,
           "partner_programmes": []}]
IMPACT = {"evidence_id": "ofsted", "kind": "inspection_finding", "reference": "ofsted-2022",
          "evidenced_on": "2022-02-28", "summary_text": "Well led"}


def _digest(recommendations):
    return digest(
        learning={"items": 0, "by_theme": [], "by_source": [], "learning": []},
        recommendations={"made": len(recommendations), "open": 0, "overdue": 0, "completed": 0,
                         "with_impact_evidence": 0, "recommendations": recommendations},
        audits={"completed": [], "cases_sampled": 0}, scorecard=SCORECARD, served=SERVED,
        attendance={"attendances": 10, "by_agency": []},
        evaluations={"responses": 1, "response_rate": 0.1, "agreed_both": 1, "agreement_rate": 1.0,
                     "follow_ups": {"responses": 0}},
        briefings={"uses": 0, "staff": 0, "by_agency": [], "by_learning_item": []})


def test_a_recommendation_is_traced_to_its_actions_and_the_courses_serving_them():
    shown = _digest([_recommendation("r1", "completed", ["priority-6-e"], [IMPACT])])
    [r1] = shown["recommendations"]["lineage"]
    assert [a["action_id"] for a in r1["actions"]] == ["priority-6-e"]
    assert r1["actions"][0]["strategy"] == "Delivery plan" and r1["actions"][0]["priority"] == "Learning"
    assert r1["courses"] == ["learning-from-reviews", "signs-of-safety"]  # serving the action, or its priority
    assert [row["id"] for row in shown["training"]["served"]] == ["priority-6-e", "priority-6"]  # not family hubs


def test_what_has_no_evidence_of_impact_is_said_plainly():
    shown = _digest([_recommendation("done", "completed", ["priority-6-a"]),
                     _recommendation("waiting", "open", []),
                     _recommendation("proved", "completed", ["priority-6-e"], [IMPACT])])
    gaps = shown["no_evidence_of_impact_yet"]
    assert [x["recommendation_id"] for x in gaps["completed_without_impact"]] == ["done"]
    assert [x["recommendation_id"] for x in gaps["open_without_an_action"]] == ["waiting"]
    assert [a["action_id"] for a in gaps["actions_green_without_evidence"]] == ["priority-6-a"]


def test_an_action_the_period_does_not_show_is_left_out_not_invented():
    [r] = _digest([_recommendation("r", "open", ["an-action-of-an-ended-plan"])])["recommendations"]["lineage"]
    assert r["actions"] == [] and r["courses"] == []
