"""Stories of the yearly report's checklist against Working Together's four contents: each marked met, partly met
or missing from what the period's figures hold, with the evidence found and what is missing."""

from datetime import date, datetime, timezone

from services.reporting.figures import reviews, training, yearly

DAY = date(2022, 3, 31)
AS_OF = datetime(2022, 3, 31, 22, tzinfo=timezone.utc)
COUNTS = {"overdue": 0, "at_risk": 0, "not_started": 0, "on_track": 1, "complete_late": 0, "complete_on_time": 1,
          "deferred": 0, "total": 2, "green_without_evidence": 0}
PLAN = {"strategy_id": "plan", "kind": "delivery_plan", "title": "Delivery plan", "starts_on": "2021-04-01",
        "ends_on": "2022-03-31", "owner_agency": "dscp", "owner_group": None, "themes": [], "counts": COUNTS,
        "priorities": [], "kpis": [], "event_ids": ["e-plan"]}


def _report(voice=None, recommendations=(), follow_ups=0, changed=0, scorecard=(PLAN,), cases=None):
    empty = reviews.Facts()
    attended = training.attendance(training.Facts(), AS_OF)
    evaluations = training.evaluations(training.Facts(), AS_OF)
    evaluations["follow_ups"] = {**evaluations["follow_ups"], "responses": follow_ups, "practice_changed": changed}
    recs = reviews.recommendations(empty, DAY)
    recs = {**recs, "recommendations": list(recommendations), "made": len(recommendations)}
    found_cases = reviews.cases(empty, DAY)
    if cases:
        found_cases = {**found_cases, "counts": {**found_cases["counts"], **cases}}
    return yearly.report(
        agencies=[], scorecard=list(scorecard), kpis=[], attention=[], ofsted=[], cases=found_cases,
        timeliness=[], recommendations=recs, learning=reviews.learning(empty, DAY), audits=reviews.audits(empty, DAY),
        lado=reviews.lado(empty, DAY, []), briefings=reviews.briefings_used(empty, DAY), attendance=attended,
        evaluations=evaluations, programmes=training.programmes(training.Facts(), AS_OF),
        voice=voice or reviews.voice(empty, DAY), last_day="2022-03-31")


def _state(report, content):
    return next(c for c in report["checklist"] if c["content"] == content)


def _voice(changes: int, linked: int):
    return {"engagements": 2, "changes": changes, "with_changes": min(changes, 2), "changes_linked_to_actions": linked,
            "people_heard_counted": 0, "by_kind": {}, "by_group": [], "engagement_list": []}


def _rec(source="practice_review", status="completed", actions=("a1",), impacts=()):
    return {"recommendation_id": "r1", "source": source, "source_id": "cspr-1", "text": "Do it", "owner": "dscp",
            "made_on": "2021-10-01", "due_on": "2022-03-31", "action_ids": list(actions), "status": status,
            "completed_on": None, "evidence": None, "impacts": list(impacts), "event_ids": ["e1"]}


def test_a_partnership_with_no_engagement_events_is_missing_the_fourth_content():
    voice = _state(_report(), "voice")
    assert voice["state"] == "missing" and voice["gaps"] == ["no engagement with children and families is recorded"]


def test_engagement_without_a_change_made_is_partly_met_and_with_one_met():
    assert _state(_report(_voice(0, 0)), "voice")["state"] == "partly_met"
    met = _state(_report(_voice(2, 1)), "voice")
    assert met["state"] == "met" and met["evidence"] == [
        "2 engagement(s) with children and families, 2 change(s) made as a result, 1 carried by strategy actions"]


def test_impact_needs_evidence_of_the_partnerships_work_and_of_training():
    assert _state(_report(), "impact")["state"] == "missing"
    with_impact = [_rec(impacts=[{"evidence_id": "x"}])]
    partly = _state(_report(recommendations=with_impact), "impact")
    assert partly["state"] == "partly_met" and "impact of training" in partly["gaps"][0]
    assert _state(_report(recommendations=with_impact, follow_ups=10, changed=6), "impact")["state"] == "met"


def test_reviews_without_learning_from_national_reviews_are_partly_met_and_none_at_all_missing():
    assert _state(_report(), "reviews")["state"] == "missing"
    partly = _state(_report(recommendations=[_rec()], cases={"practice_reviews": 1}), "reviews")
    assert partly["state"] == "partly_met" and partly["gaps"] == ["no learning from national reviews is recorded"]
    unactioned = _state(_report(recommendations=[_rec(status="open", actions=())], cases={"rapid_reviews_started": 1}),
                        "reviews")
    assert "1 review recommendation(s) open with no action carrying them" in unactioned["gaps"]


def test_little_progress_cannot_be_judged_without_a_plan():
    assert _state(_report(scorecard=()), "little_progress")["state"] == "missing"
    shown = _state(_report(), "little_progress")
    assert shown["state"] == "met" and "the events show no area of little progress" in shown["evidence"]
