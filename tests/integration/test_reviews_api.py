"""Reviews through the real servers: partners' systems post events, the read model shows each statutory clock's
due date and breach for a past as-of date, and the service refuses what its rules do not allow."""

from datetime import datetime, timezone

from shared.events.envelope import new_event
from tests.harness import eventually

COUNCIL, DSCP, TRUST = "doncaster-council", "dscp", "doncaster-childrens-services-trust"


def event(what, at, agency=COUNCIL, **data):
    return new_event(f"reviews.{what}.v1", data, partnership="doncaster", agency=agency,
                     source=f"/partners/{agency}/reviews", time=datetime.fromisoformat(at).replace(tzinfo=timezone.utc))


async def keys(stack):
    return {agency: await stack.key(agency, ("reviews.*",)) for agency in (COUNCIL, DSCP, TRUST)}


def late_cases():
    """A notification one day late, a rapid review never sent, a practice review not published in six months,
    an allegation referred late and not resolved."""
    council = [
        event("serious_incident.recorded", "2021-12-23T12:00:00Z", incident_id="si-1", case_ref="case-000042",
              aware_on="2021-12-23"),
        event("serious_incident.notified", "2022-01-05T12:00:00Z", incident_id="si-1", notified_on="2022-01-05"),
        event("rapid_review.started", "2022-01-06T12:00:00Z", review_id="rr-1", incident_id="si-1",
              started_on="2022-01-06"),
        event("allegation.referred", "2021-12-30T12:00:00Z", allegation_id="lado-1", person_ref="person-7f3a2b",
              person_agency="doncaster-council", employment_sector="education", category="physical",
              alleged_on="2021-12-24", referred_on="2021-12-30"),
    ]
    dscp = [event("practice_review.decided", "2021-08-31T12:00:00Z", agency=DSCP, review_id="cspr-1",
                  title="Practice review A", decided_on="2021-08-31")]
    return council, dscp


def by_rule(answer):
    return {(c["rule"], c["case"]): c for c in answer["clocks"]}


async def test_each_clocks_due_date_and_breach_appear_in_the_read_model_for_a_past_as_of_date(stack):
    k = await keys(stack)
    council, dscp = late_cases()
    for events, key in ((council, k[COUNCIL]), (dscp, k[DSCP])):
        response = await stack.post(events, key, service="reviews")
        assert response.status_code == 202 and response.json()["accepted"] == len(events), response.text
    await stack.start_projector()

    async def seven_clocks():
        answer = await stack.figures("reviews/clocks", as_of="2022-03-31")
        return answer if len(answer["clocks"]) == 7 else None

    answer = await eventually(seven_clocks)
    assert answer["as_of_day"] == "2022-03-31"
    clocks = by_rule(answer)
    expected = {  # (rule, case): (due, state)
        ("serious_incident_notification", "si-1"): ("2022-01-04", "missed"),
        ("rapid_review", "si-1"): ("2022-01-26", "overdue"),
        ("practice_review_publication", "cspr-1"): ("2022-02-28", "overdue"),
        ("lado_referral", "lado-1"): ("2021-12-29", "missed"),
        ("allegation_resolution_1_month", "lado-1"): ("2022-01-24", "overdue"),
        ("allegation_resolution_3_months", "lado-1"): ("2022-03-24", "overdue"),
        ("allegation_resolution_12_months", "lado-1"): ("2022-12-28", "open"),  # 24 Dec 2022 is a Saturday; 26, 27 off
    }
    assert {key: (c["due"], c["state"]) for key, c in clocks.items()} == expected
    assert all(c["breached"] == (c["state"] in ("missed", "overdue")) for c in clocks.values())
    assert {(c["rule"], c["case"]) for c in answer["breaches"]} == {k for k, v in expected.items() if v[1] != "open"}
    assert clocks[("rapid_review", "si-1")]["event_ids"]  # traceable to the events behind it

    # earlier, the same facts told a different story: on 4 January the notification was due that day
    earlier = by_rule(await stack.figures("reviews/clocks", as_of="2022-01-04"))
    assert earlier[("serious_incident_notification", "si-1")]["state"] == "near_breach"
    assert ("rapid_review", "si-1") not in earlier

    # the reviews service counted them: reporting shows the dates it published beside the facts
    rapid = clocks[("rapid_review", "si-1")]
    assert (rapid["start"], rapid["near_breach_from"]) == ("2022-01-05", "2022-01-21")
    assert all(d.startswith("decided-") for d in rapid["decision_ids"])

    timeliness = {r["clock"]: r for r in (await stack.figures("reviews/timeliness", as_of="2022-03-31"))["timeliness"]}
    assert timeliness["serious_incident_notification"]["share_on_time"] == 0.0
    assert timeliness["lado_referral"]["late"] == 1
    assert timeliness["allegation_resolution_12_months"]["still_running"] == 1


async def test_a_recommendation_cannot_be_closed_without_evidence(stack):
    k = await keys(stack)
    made = [event("audit.completed", "2021-12-10T12:00:00Z", agency=DSCP, audit_id="maca-2021-q3",
                  kind="multi_agency_audit", theme="Neglect", completed_on="2021-12-10", cases_sampled=6,
                  agencies=[DSCP, TRUST], grading="requires_improvement"),
            event("recommendation.made", "2021-12-15T12:00:00Z", agency=DSCP, recommendation_id="rec-1",
                  source="audit", source_id="maca-2021-q3", text="Use the Graded Care Profile when neglect is found",
                  owner=TRUST, made_on="2021-12-15", due_on="2022-03-31", action_ids=["priority-3-a"])]
    assert (await stack.post(made, k[DSCP], service="reviews")).status_code == 202
    close = event("recommendation.completed", "2022-02-01T12:00:00Z", agency=TRUST, recommendation_id="rec-1",
                  completed_on="2022-02-01")
    refused = await stack.post(close, k[TRUST], service="reviews")
    assert refused.status_code == 409, refused.text
    assert refused.json()["errors"][0]["loc"] == ["body", 0, "data", "evidence"]

    closed = event("recommendation.completed", "2022-02-01T12:00:00Z", agency=TRUST, recommendation_id="rec-1",
                   completed_on="2022-02-01", evidence="GCP used in every neglect case in the February audit")
    assert (await stack.post(closed, k[TRUST], service="reviews")).status_code == 202
    impact = event("recommendation.impact_evidenced", "2022-03-30T12:00:00Z", agency=TRUST, recommendation_id="rec-1",
                   evidence_id="kpi.gcp.2022-03", kind="kpi_value", reference="gcp-compliance",
                   evidenced_on="2022-03-30", summary_text="Graded Care Profile used in 96% of neglect cases")
    response = await stack.post(impact, k[TRUST], service="reviews")
    assert response.status_code == 202, response.text  # an id with dots is stored (not as a document key)
    await stack.start_projector()

    async def completed():
        answer = await stack.figures("reviews/recommendations", as_of="2022-03-31")
        return answer if answer["completed"] == 1 and answer["with_impact_evidence"] == 1 else None

    answer = await eventually(completed)
    (row,) = answer["recommendations"]
    assert (row["source_id"], row["action_ids"], row["evidence"]) == \
        ("maca-2021-q3", ["priority-3-a"], "GCP used in every neglect case in the February audit")
    assert [(i["evidence_id"], i["reference"]) for i in row["impacts"]] == [("kpi.gcp.2022-03", "gcp-compliance")]
    before = await stack.figures("reviews/recommendations", as_of="2022-01-31")
    assert (before["open"], before["completed"]) == (1, 0)


async def test_a_rapid_review_for_an_unknown_serious_incident_is_refused(stack):
    k = await keys(stack)
    response = await stack.post([event("rapid_review.started", "2022-01-06T12:00:00Z", review_id="rr-1",
                                       incident_id="si-404", started_on="2022-01-06")], k[COUNCIL], service="reviews")
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"] == ["body", 0, "data", "incident_id"]
