"""Stories of the reviews' rules, against the in-memory aggregate store."""

import json

import pytest
from pydantic import ValidationError

from shared.write.aggregates import KeyedLocks, MemoryAggregateStore, UnitOfWork
from shared.events.catalogue import parse_data
from shared.events.envelope import new_event
from shared.write.handling import EventRefused, ingest as ingest_events
from shared.write.identities import MemoryIdentities
from shared.write.rules import Actor
from services.reviews import handlers

COUNCIL, DSCP, TRUST = Actor("doncaster-council"), Actor("dscp"), Actor("doncaster-childrens-services-trust")


def event(what, agency="doncaster-council", **data):
    env = new_event(f"reviews.{what}.v1", data, partnership="doncaster", agency=agency, source="/tests")
    return env, parse_data(env)


def incident(incident_id="si-1", aware_on="2021-12-23"):
    return event("serious_incident.recorded", incident_id=incident_id, case_ref="case-2021-0042", aware_on=aware_on)


def recommendation(rid="rec-1", source="audit", source_id="maca-1", owner="doncaster-childrens-services-trust"):
    return event("recommendation.made", agency="dscp", recommendation_id=rid, source=source, source_id=source_id,
                 text="Use the Graded Care Profile", owner=owner, made_on="2021-11-01", due_on="2022-02-28",
                 action_ids=["priority-3-a"])


def audit(audit_id="maca-1"):
    return event("audit.completed", agency="dscp", audit_id=audit_id, kind="multi_agency_audit", theme="Neglect",
                 themes=["neglect"], completed_on="2021-10-29", cases_sampled=6,
                 agencies=["dscp", "south-yorkshire-police"],
                 findings=["Good information sharing"], grading="good")


@pytest.fixture
def store():
    return MemoryAggregateStore()


async def ingest(store, *events, actor=COUNCIL):
    return await ingest_events(UnitOfWork(store, KeyedLocks()), handlers.ROUTES, MemoryIdentities(), list(events),
                               actor)


async def refused(store, *events, actor=COUNCIL):
    with pytest.raises(EventRefused) as caught:
        await ingest(store, *events, actor=actor)
    return caught.value.rule


async def test_a_serious_incident_keeps_its_notification_and_rapid_review_due_dates(store):
    await ingest(store, incident(), event("serious_incident.notified", incident_id="si-1", notified_on="2022-01-04"))
    state = store.docs[("incidents", "doncaster/si-1")].state
    assert (state["notification_due"], state["rapid_review_due"]) == ("2022-01-04", "2022-01-25")


def said(store, kind, id):
    """The clock decisions on an aggregate's outbox, as (type, data), in the order published."""
    entries = [json.loads(e["value"]) for e in store.docs[(kind, f"doncaster/{id}")].outbox]
    return [(e["type"].split(".")[2], e["data"]) for e in entries if e["type"].startswith("reviews.clock.")]


async def test_the_service_publishes_each_clock_it_starts_and_stops_beside_the_fact(store):
    await ingest(store, incident())
    assert said(store, "incidents", "si-1") == [("set", {
        "clock": "serious_incident_notification", "case_kind": "serious_incident", "case_id": "si-1",
        "started_on": "2021-12-23", "due_on": "2022-01-04", "near_breach_from": "2021-12-31", "withdrawn_on": None,
        # Christmas Day and Boxing Day observed on the 27th and 28th
        "working_days": ["2021-12-24", "2021-12-29", "2021-12-30", "2021-12-31", "2022-01-04"]})]
    await ingest(store, event("serious_incident.notified", incident_id="si-1", notified_on="2022-01-04"))
    assert said(store, "incidents", "si-1")[1:] == [
        ("stopped", {"clock": "serious_incident_notification", "case_kind": "serious_incident", "case_id": "si-1",
                     "stopped_on": "2022-01-04", "stopped_by": "si-1"}),
        ("set", {"clock": "rapid_review", "case_kind": "serious_incident", "case_id": "si-1",
                 "started_on": "2022-01-04", "due_on": "2022-01-25", "near_breach_from": "2022-01-20",
                 "withdrawn_on": None, "working_days": [f"2022-01-{d:02}" for d in (5, 6, 7, 10, 11, 12, 13, 14, 17,
                                                                                    18, 19, 20, 21, 24, 25)]})]


async def test_a_fact_that_changes_no_clock_publishes_no_clock_decision(store):
    await ingest(store, incident())
    await ingest(store, incident())  # sent again with a new id and the same content: a revision changing nothing
    await ingest(store, event("serious_incident.decided", incident_id="si-1", decision="rapid_review",
                              decided_on="2022-01-05"))
    assert len(said(store, "incidents", "si-1")) == 1


async def test_a_rapid_review_sent_stops_its_incidents_clock_and_an_allegation_sets_four_clocks(store):
    await ingest(store, incident(), event("rapid_review.started", agency="dscp", review_id="rr-1", incident_id="si-1",
                                          started_on="2022-01-05"), actor=Actor("dscp", may_correct=True))
    await ingest(store, event("rapid_review.completed", agency="dscp", review_id="rr-1", completed_on="2022-01-20",
                              practice_review_recommended=False, learning_found=True, outcome="Learning on neglect"),
                 event("rapid_review.sent", agency="dscp", review_id="rr-1", sent_on="2022-01-21"), actor=DSCP)
    assert said(store, "rapid_reviews", "rr-1") == [("stopped", {
        "clock": "rapid_review", "case_kind": "serious_incident", "case_id": "si-1", "stopped_on": "2022-01-21",
        "stopped_by": "rr-1"})]
    await ingest(store, event("allegation.referred", allegation_id="a-1", person_ref="person-000001",
                              person_agency="doncaster-council", employment_sector="education", category="physical",
                              alleged_on="2021-10-04", referred_on="2021-10-05"))
    decided = said(store, "allegations", "a-1")
    assert [(kind, d["clock"]) for kind, d in decided] == [
        ("set", "lado_referral"), ("stopped", "lado_referral"), ("set", "allegation_resolution_1_month"),
        ("set", "allegation_resolution_3_months"), ("set", "allegation_resolution_12_months")]
    assert [d["due_on"] for kind, d in decided if kind == "set"] == ["2021-10-05", "2021-11-04", "2022-01-04",
                                                                     "2022-10-04"]


async def test_a_notification_dated_before_awareness_is_refused_naming_the_field(store):
    await ingest(store, incident())
    rule = await refused(store, event("serious_incident.notified", incident_id="si-1", notified_on="2021-12-22"))
    assert (rule.field, rule.status) == ("data.notified_on", 422)


async def test_a_rapid_review_of_an_unknown_serious_incident_is_refused(store):
    rule = await refused(store, event("rapid_review.started", review_id="rr-1", incident_id="si-404",
                                      started_on="2022-01-05"))
    assert (rule.field, rule.status) == ("data.incident_id", 422)
    assert "unknown serious incident" in rule.message


async def test_a_rapid_review_is_completed_before_it_is_sent_to_the_panel(store):
    await ingest(store, incident(), event("rapid_review.started", review_id="rr-1", incident_id="si-1",
                                          started_on="2022-01-05"))
    rule = await refused(store, event("rapid_review.sent", review_id="rr-1", sent_on="2022-01-20"))
    assert (rule.field, rule.status) == ("data.review_id", 409)
    await ingest(store, event("rapid_review.completed", review_id="rr-1", completed_on="2022-01-19",
                              practice_review_recommended=False, learning_found=False,
                              outcome="Support was consistent with good practice."),
                 event("rapid_review.sent", review_id="rr-1", sent_on="2022-01-20"))
    assert store.docs[("rapid_reviews", "doncaster/rr-1")].state["sent_on"] == "2022-01-20"


async def test_only_the_agency_that_recorded_an_incident_may_change_it(store):
    await ingest(store, incident())
    rule = await refused(store, event("serious_incident.notified", agency="dscp", incident_id="si-1",
                                      notified_on="2021-12-24"), actor=DSCP)
    assert (rule.field, rule.status) == ("agency", 403)


async def test_a_recommendation_cannot_be_closed_without_evidence(store):
    await ingest(store, audit(), recommendation(), actor=DSCP)
    data = {"recommendation_id": "rec-1", "completed_on": "2022-02-01"}
    rule = await refused(store, event("recommendation.completed", agency=TRUST.agency, **data), actor=TRUST)
    assert (rule.field, rule.status) == ("data.evidence", 409)
    with pytest.raises(ValidationError, match="evidence"):  # blank evidence is not text: the contract refuses it
        event("recommendation.completed", agency=TRUST.agency, evidence="   ", **data)
    await ingest(store, event("recommendation.completed", agency=TRUST.agency, recommendation_id="rec-1",
                              completed_on="2022-02-01", evidence="GCP used in 100% of neglect cases audited"),
                 actor=TRUST)
    state = store.docs[("recommendations", "doncaster/rec-1")].state
    assert (state["completed_on"], state["completed_by"], state["action_ids"]) == \
        ("2022-02-01", TRUST.agency, ["priority-3-a"])


async def test_impact_is_evidenced_only_after_completion_and_only_by_the_owner_or_the_recorder(store):
    await ingest(store, audit(), recommendation(), actor=DSCP)
    impact = event("recommendation.impact_evidenced", agency="dscp", recommendation_id="rec-1", evidence_id="kpi-1",
                   kind="kpi_value", reference="gcp-compliance", evidenced_on="2022-03-31",
                   summary_text="Graded Care Profile used in 96% of neglect cases")
    rule = await refused(store, impact, actor=DSCP)
    assert (rule.field, rule.status) == ("data.recommendation_id", 409)
    police = Actor("south-yorkshire-police")
    rule = await refused(store, event("recommendation.completed", agency=police.agency, recommendation_id="rec-1",
                                      completed_on="2022-02-01", evidence="done"), actor=police)
    assert (rule.field, rule.status) == ("agency", 403)


async def test_a_recommendation_from_an_unknown_audit_is_refused_but_ofsted_is_outside_the_service(store):
    rule = await refused(store, recommendation(source_id="maca-404"), actor=DSCP)
    assert (rule.field, rule.status) == ("data.source_id", 422)
    assert await ingest(store, recommendation(rid="rec-2", source="ofsted", source_id="ofsted-2022-1"),
                        actor=DSCP) == ["accepted"]


async def test_an_allegation_keeps_its_referral_and_resolution_due_dates_and_no_name(store):
    allegation = event("allegation.referred", allegation_id="lado-1", person_ref="person-7f3a2b",
                       person_agency="doncaster-council", employment_sector="education", category="physical",
                       alleged_on="2021-12-24", referred_on="2021-12-29")
    await ingest(store, allegation, event("allegation.resolved", allegation_id="lado-1", outcome="unfounded",
                                          resolved_on="2022-01-20"))
    state = store.docs[("allegations", "doncaster/lado-1")].state
    assert state["referral_due"] == "2021-12-29"
    assert state["resolution_due"]["allegation_resolution_1_month"] == "2022-01-24"  # 24 Jan 2022 is a Monday
    assert "name" not in str(sorted(state))


async def test_a_resolution_before_the_allegation_is_refused(store):
    await ingest(store, event("allegation.referred", allegation_id="lado-1", person_ref="person-7f3a2b",
                              person_agency="doncaster-council", employment_sector="education", category="physical",
                              alleged_on="2021-12-24", referred_on="2021-12-29"))
    rule = await refused(store, event("allegation.resolved", allegation_id="lado-1", outcome="false",
                                      resolved_on="2021-12-01"))
    assert rule.field == "data.resolved_on"


async def test_a_practice_review_is_published_after_its_decision_with_a_due_date_six_months_on(store):
    await ingest(store, event("practice_review.decided", agency="dscp", review_id="cspr-1", title="Child D",
                              decided_on="2021-08-31"),
                 event("practice_review.progressed", agency="dscp", review_id="cspr-1",
                       stage="reviewer_commissioned", reached_on="2021-09-20"), actor=DSCP)
    rule = await refused(store, event("practice_review.published", agency="dscp", review_id="cspr-1",
                                      published_on="2021-08-01", link="https://dscp.org.uk/cspr"), actor=DSCP)
    assert rule.field == "data.published_on"
    state = store.docs[("practice_reviews", "doncaster/cspr-1")].state
    assert (state["publication_due"], state["stages"]) == ("2022-02-28", {"reviewer_commissioned": "2021-09-20"})


async def test_an_audit_is_changed_only_by_the_agency_that_recorded_it(store):
    await ingest(store, audit(), actor=DSCP)
    rule = await refused(store, audit(), actor=COUNCIL)
    assert (rule.field, rule.status) == ("agency", 403)


# --- the voice of children and families, and briefings used -------------------------------------------------

def engagement(engagement_id="youth-council-1", **extra):
    return event("engagement.held", agency="dscp", engagement_id=engagement_id, kind="youth_council",
                 title="Red Flags film", group="Doncaster Youth Council", held_on="2021-10-01",
                 heard=[{"group": "children_and_young_people", "age_band": "11-18", "count": 24}],
                 said=["Coercive control is hard to recognise"], themes=["domestic_abuse"], **extra)


def change(change_id="c1", reported_on="2022-03-31", engagement_id="youth-council-1"):
    return event("engagement.change_reported", agency="dscp", engagement_id=engagement_id, change_id=change_id,
                 reported_on=reported_on, change="Screened in local cinemas", action_ids=["priority-6-d"])


async def test_what_children_said_and_what_changed_are_kept_on_their_engagement(store):
    await ingest(store, engagement(), change(), change("c2", "2022-04-02"), actor=DSCP)
    state = store.docs[("engagements", "doncaster/youth-council-1")].state
    assert state["fields"]["heard"] == [{"group": "children_and_young_people", "count": 24, "age_band": "11-18"}]
    assert sorted(state["changes"]) == ["c1", "c2"] and state["changes"]["c1"]["reported_by"] == "dscp"


async def test_a_change_needs_its_engagement_and_cannot_come_before_it(store):
    assert (await refused(store, change(), actor=DSCP)).field == "data.engagement_id"
    await ingest(store, engagement(), actor=DSCP)
    rule = await refused(store, change(reported_on="2021-09-30"), actor=DSCP)
    assert rule.field == "data.reported_on" and "before the day the engagement began" in rule.message


async def test_an_engagement_is_revised_only_by_its_recorder_and_a_change_only_by_its_reporter(store):
    await ingest(store, engagement(), actor=DSCP)
    assert (await refused(store, engagement(), actor=COUNCIL)).status == 403
    await ingest(store, change(), actor=COUNCIL)  # another agency may say what it changed
    assert (await refused(store, change(), actor=DSCP)).status == 403  # but only it revises that


def test_who_was_heard_is_aggregate_never_a_person():
    for heard, field in (({"group": "children_and_young_people", "age_band": "7"}, "age_band"),
                         ({"group": "children_and_young_people", "count": 0}, "count"),
                         ({"group": "a child", "count": 3}, "group")):
        with pytest.raises(ValidationError, match=field):
            parse_data(new_event(
                "reviews.engagement.held.v1", {**engagement()[0].data, "heard": [heard]}, partnership="doncaster",
                agency="dscp", source="/tests"))
    with pytest.raises(ValidationError, match="name with their age"):
        parse_data(new_event("reviews.engagement.held.v1",
                             {**engagement()[0].data, "said": ["Jane Smith (aged 7) said she was scared"]},
                             partnership="doncaster", agency="dscp", source="/tests"))


async def test_a_briefing_is_used_only_of_a_learning_item_that_exists_and_by_the_agency_of_the_key(store):
    def used(agency="south-yorkshire-police"):
        return event("briefing.used", agency=agency, use_id="syp-1", learning_id="l1", used_on="2022-01-20",
                     staff=120, setting="briefings")

    use = used()
    assert (await refused(store, use, actor=Actor("south-yorkshire-police"))).field == "data.learning_id"
    await ingest(store, audit(), event("learning.disseminated", agency="dscp", learning_id="l1", source="audit",
                                       source_id="maca-1", themes=["neglect"], summary_text="Use the profile",
                                       audience=["all"], disseminated_on="2021-11-01"), actor=DSCP)
    await ingest(store, use, actor=Actor("south-yorkshire-police"))
    state = store.docs[("briefing_uses", "doncaster/syp-1")].state
    assert (state["recorded_by"], state["fields"]["staff"]) == ("south-yorkshire-police", 120)
    assert (await refused(store, used("dscp"), actor=DSCP)).status == 403  # another agency cannot rewrite it
