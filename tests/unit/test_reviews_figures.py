"""Stories of the reviews read model and its figures: given these events, on this as-of date, the figures say this.

Each story's events go through the reviews service's own rules first (in memory), and the read model is built from
what the service publishes: the partners' facts and the service's decisions on the statutory clocks."""

from datetime import date, datetime, timezone

from shared.calendar import named_period
from shared.events.envelope import new_event
from shared.read import entities
from shared.read.projection import MemorySink
from services.reporting.figures import reviews as figures
from services.reporting import projections as all_projections
from services.reporting.projections import reviews as projections
from sample.published import published


def event(what, at, agency="doncaster-council", **data):
    return new_event(f"reviews.{what}.v1", data, partnership="doncaster", agency=agency, source="/tests",
                     time=datetime.fromisoformat(at).replace(tzinfo=timezone.utc))


async def read_model(*events):
    sink = MemorySink()
    for env, data in await published(events):
        await sink.apply(all_projections.HANDLERS[env.type](env, data))
    return sink


def facts(sink, as_of):
    moment = datetime.fromisoformat(as_of).replace(hour=23, tzinfo=timezone.utc)
    return figures.Facts.of(lambda c: [d for d in entities.records_of(sink.collections.get(c, {}).values())
                                       if d["event_time"] <= moment])


INCIDENT = [event("serious_incident.recorded", "2021-12-23T10:00:00", incident_id="si-1", case_ref="case-000042",
                  aware_on="2021-12-23"),
            event("serious_incident.notified", "2022-01-05T10:00:00", incident_id="si-1", notified_on="2022-01-05")]


async def test_a_redelivered_event_adds_nothing_to_its_cases_document():
    sink = MemorySink()
    said = await published(INCIDENT)
    for env, data in [*said, said[0]]:
        await sink.apply(all_projections.HANDLERS[env.type](env, data))
    [incident] = sink.collections[projections.INCIDENTS].values()
    assert (incident["_id"], incident["partnership"], incident["years"]) == ("doncaster/si-1", "doncaster", ["2021", "2022"])
    records = entities.records_of([incident])
    assert len(records) == 2 and all(r["_id"].startswith("doncaster/si-1/") for r in records)
    assert incident["open"] is True  # notified, not yet decided


async def test_a_late_notification_is_a_missed_clock_and_the_rapid_review_clock_runs_from_it():
    sink = await read_model(*INCIDENT)
    clocks = {c["rule"]: c for c in figures.clocks(facts(sink, "2022-01-24"), date(2022, 1, 24))}
    notify, rapid = clocks["serious_incident_notification"], clocks["rapid_review"]
    assert (notify["due"], notify["done"], notify["state"], notify["near_breach_from"]) == \
        ("2022-01-04", "2022-01-05", "missed", "2021-12-31")
    assert (rapid["start"], rapid["due"], rapid["state"], rapid["near_breach_from"]) == \
        ("2022-01-05", "2022-01-26", "near_breach", "2022-01-21")
    assert notify["event_ids"] == [e.id for e in INCIDENT]  # set by the recording, stopped by the notification
    assert rapid["event_ids"] == [INCIDENT[1].id]  # set running by the notification
    assert len(rapid["decision_ids"]) == 1 and rapid["decision_ids"][0].startswith("decided-")


async def test_a_running_clock_says_the_working_days_the_reviews_service_left_it():
    sink = await read_model(*INCIDENT)

    def rapid_on(day):
        return {c["rule"]: c for c in figures.clocks(facts(sink, day.isoformat()), day)}

    # due Wednesday 26 January 2022: from Friday 21st, Monday and Tuesday and the Wednesday itself are left
    assert rapid_on(date(2022, 1, 21))["rapid_review"]["working_days_left"] == 3
    assert rapid_on(date(2022, 1, 23))["rapid_review"]["working_days_left"] == 3  # a Sunday counts nothing
    assert rapid_on(date(2022, 1, 26))["rapid_review"]["working_days_left"] == 0  # the due day
    overdue = rapid_on(date(2022, 1, 31))["rapid_review"]
    assert (overdue["state"], overdue["working_days_left"]) == ("overdue", None)  # past due: nothing is left
    assert rapid_on(date(2022, 1, 21))["serious_incident_notification"]["working_days_left"] is None  # stopped


async def test_a_serious_incident_decided_no_further_action_has_no_rapid_review_clock_from_that_day():
    sink = await read_model(*INCIDENT, event("serious_incident.decided", "2022-01-10T10:00:00", incident_id="si-1",
                                             decision="no_further_action", decided_on="2022-01-10"))
    assert [c["rule"] for c in figures.clocks(facts(sink, "2022-01-09"), date(2022, 1, 9))] == \
        ["serious_incident_notification", "rapid_review"]
    assert [c["rule"] for c in figures.clocks(facts(sink, "2022-01-10"), date(2022, 1, 10))] == \
        ["serious_incident_notification"]


async def test_a_revised_day_of_awareness_moves_the_notification_clock_from_when_it_was_recorded():
    sink = await read_model(INCIDENT[0], event("serious_incident.recorded", "2021-12-29T10:00:00", incident_id="si-1",
                                               case_ref="case-000042", aware_on="2021-12-20"))
    (before,) = figures.clocks(facts(sink, "2021-12-28"), date(2021, 12, 28))
    (after,) = figures.clocks(facts(sink, "2021-12-29"), date(2021, 12, 29))
    assert (before["start"], before["due"], before["state"]) == ("2021-12-23", "2022-01-04", "open")
    assert (after["start"], after["due"], after["state"]) == ("2021-12-20", "2021-12-29", "near_breach")


async def test_on_an_earlier_as_of_date_the_notification_was_not_yet_recorded_and_the_clock_is_overdue():
    sink = await read_model(*INCIDENT)
    (notify,) = figures.clocks(facts(sink, "2022-01-04"), date(2022, 1, 4))
    assert notify["state"] == "near_breach"
    (notify,) = [c for c in figures.clocks(facts(sink, "2022-01-05"), date(2022, 1, 5))
                 if c["rule"] == "serious_incident_notification"]
    assert notify["state"] == "missed"
    rows = {r["clock"]: r for r in figures.timeliness(figures.clocks(facts(sink, "2022-02-28"), date(2022, 2, 28)))}
    assert (rows["serious_incident_notification"]["share_on_time"], rows["rapid_review"]["late"]) == (0.0, 1)
    assert rows["rapid_review"]["cases"][0]["state"] == "overdue"


async def test_a_rapid_review_sent_in_time_meets_its_clock():
    sink = await read_model(*INCIDENT,
                            event("rapid_review.started", "2022-01-06T09:00:00", review_id="rr-1", incident_id="si-1",
                                  started_on="2022-01-06"),
                            event("rapid_review.completed", "2022-01-20T09:00:00", review_id="rr-1",
                                  completed_on="2022-01-20", practice_review_recommended=False, learning_found=False,
                                  outcome="Support was consistent with good practice."),
                            event("rapid_review.sent", "2022-01-21T09:00:00", review_id="rr-1", sent_on="2022-01-21"))
    day = date(2022, 3, 31)
    rows = {r["clock"]: r for r in figures.timeliness(figures.clocks(facts(sink, "2022-03-31"), day))}
    assert (rows["rapid_review"]["on_time"], rows["rapid_review"]["share_on_time"]) == (1, 1.0)
    cases = figures.cases(facts(sink, "2022-03-31"), day)
    assert cases["counts"]["rapid_reviews_completed"] == 1 and cases["rapid_reviews"][0]["learning_found"] is False


def _recommendation(rid, due_on, owner="doncaster-childrens-services-trust"):
    return event("recommendation.made", "2021-11-01T09:00:00", agency="dscp", recommendation_id=rid,
                 source="ofsted", source_id="ofsted-2022-1", text="Do this", owner=owner, made_on="2021-11-01",
                 due_on=due_on, action_ids=["priority-6-b"])


async def test_recommendations_by_owner_are_open_overdue_or_completed_and_keep_their_lineage():
    sink = await read_model(
        _recommendation("r1", "2022-01-31"), _recommendation("r2", "2022-06-30"), _recommendation("r3", "2021-12-31"),
        event("recommendation.completed", "2022-01-10T09:00:00", agency="doncaster-childrens-services-trust",
              recommendation_id="r3", completed_on="2022-01-10", evidence="Audit in January"),
        event("recommendation.impact_evidenced", "2022-03-30T09:00:00", agency="dscp", recommendation_id="r3",
              evidence_id="e1", kind="audit_finding", reference="maca-2022-q4", evidenced_on="2022-03-30",
              summary_text="Practice improved"))
    got = figures.recommendations(facts(sink, "2022-03-31"), date(2022, 3, 31))
    assert (got["made"], got["open"], got["overdue"], got["completed"], got["with_impact_evidence"]) == (3, 2, 1, 1, 1)
    assert {r["recommendation_id"]: r["status"] for r in got["recommendations"]} == \
        {"r1": "overdue", "r2": "open", "r3": "completed_late"}
    (owner,) = got["by_owner"]
    assert (owner["open"], owner["overdue"], owner["completed"]) == (2, 1, 1)
    r3 = next(r for r in got["recommendations"] if r["recommendation_id"] == "r3")
    assert (r3["action_ids"], r3["impacts"][0]["reference"]) == (["priority-6-b"], "maca-2022-q4")
    earlier = figures.recommendations(facts(sink, "2021-12-31"), date(2021, 12, 31))
    assert (earlier["open"], earlier["overdue"], earlier["completed"]) == (3, 0, 0)


async def test_learning_by_theme_and_source_and_lado_by_quarter():
    sink = await read_model(
        event("learning.disseminated", "2021-11-15T09:00:00", agency="dscp", learning_id="l1", source="audit",
              themes=["neglect", "voice_of_the_child"], summary_text="Hear the child", audience=["multi-agency"],
              disseminated_on="2021-11-15"),
        event("allegation.referred", "2021-10-06T09:00:00", allegation_id="a1", person_ref="person-000001",
              person_agency="doncaster-council", employment_sector="education", category="physical",
              alleged_on="2021-10-04", referred_on="2021-10-05"),
        event("allegation.resolved", "2021-10-20T09:00:00", allegation_id="a1", outcome="unsubstantiated",
              resolved_on="2021-10-20"),
        event("allegation.referred", "2022-01-12T09:00:00", allegation_id="a2", person_ref="person-000002",
              person_agency="south-yorkshire-police", employment_sector="police", category="conduct_suitability",
              alleged_on="2022-01-10", referred_on="2022-01-12"))
    day = date(2022, 3, 31)
    f = facts(sink, "2022-03-31")
    got = figures.learning(f, day)
    assert [(t["theme"], t["items"]) for t in got["by_theme"]] == [("neglect", 1), ("voice_of_the_child", 1)]
    assert got["by_source"] == [{"source": "audit", "items": 1, "learning_ids": ["l1"]}]
    quarters = figures.lado(f, day, figures.clocks(f, day))["by_quarter"]
    assert [(q["quarter"], q["referred"], q["referred_within_1_working_day"], q["resolved"],
             q["resolved_within_1_month"]) for q in quarters] == \
        [("2021-22 Q3", 1, 1, 1, 1), ("2021-22 Q4", 1, 0, 0, 0)]
    assert quarters[0]["outcomes"] == {"unsubstantiated": 1}
    assert (figures.quarter_of(date(2022, 3, 31)), figures.quarter_of(date(2022, 4, 1))) == ("2021-22 Q4", "2022-23 Q1")
    by_calendar_year = figures.lado(f, day, figures.clocks(f, day), year_starts="01-01")["by_quarter"]
    assert [q["quarter"] for q in by_calendar_year] == ["2021 Q4", "2022 Q1"]  # a year from 1 January


async def test_the_voice_of_children_shows_who_was_heard_what_they_said_and_what_changed_by_the_day():
    sink = await read_model(
        event("engagement.held", "2021-10-01T09:00:00", agency="dscp", engagement_id="e1", kind="youth_council",
              title="Red Flags film", group="Youth Council", held_on="2021-10-01", ended_on="2022-03-31",
              heard=[{"group": "children_and_young_people", "count": 20, "age_band": "11-18"}],
              said=["Coercive control is hard to recognise"]),
        event("engagement.held", "2021-11-15T09:00:00", agency="dscp", engagement_id="e2", kind="survey",
              title="Parents' survey", group="Family Hubs", held_on="2021-11-15",
              heard=[{"group": "parents_and_carers"}], said=["Opening hours"]),
        event("engagement.change_reported", "2022-03-31T09:00:00", agency="dscp", engagement_id="e1",
              change_id="c1", reported_on="2022-03-31", change="Screened in cinemas", action_ids=["priority-6-d"]))
    early = figures.voice(facts(sink, "2022-01-31"), date(2022, 1, 31))
    assert (early["engagements"], early["changes"]) == (2, 0)  # the change was not made yet
    shown = figures.voice(facts(sink, "2022-03-31"), date(2022, 3, 31))
    assert (shown["engagements"], shown["changes"], shown["with_changes"], shown["changes_linked_to_actions"],
            shown["people_heard_counted"]) == (2, 1, 1, 1, 20)
    assert shown["by_group"] == [
        {"group": "children_and_young_people", "engagements": 1, "counted": 20, "engagements_not_counted": 0},
        {"group": "parents_and_carers", "engagements": 1, "counted": 0, "engagements_not_counted": 1}]
    (e1,) = [e for e in shown["engagement_list"] if e["engagement_id"] == "e1"]
    assert e1["changes"][0]["action_ids"] == ["priority-6-d"] and len(e1["event_ids"]) == 2
    # work running across a period counts in it; a survey before it does not
    q4 = figures.voice(facts(sink, "2022-03-31"), date(2022, 3, 31), named_period("2022-Q1"))
    assert [e["engagement_id"] for e in q4["engagement_list"]] == ["e1"]


async def test_briefings_used_are_counted_by_the_agency_whose_key_sent_them():
    sink = await read_model(
        event("learning.disseminated", "2021-11-15T09:00:00", agency="dscp", learning_id="l1", source="audit",
              themes=["neglect"], summary_text="Use the profile", audience=["all"], disseminated_on="2021-11-15"),
        event("briefing.used", "2021-12-01T09:00:00", agency="south-yorkshire-police", use_id="u1", learning_id="l1",
              used_on="2021-12-01", staff=120),
        event("briefing.used", "2021-12-02T09:00:00", agency="doncaster-council", use_id="u2", learning_id="l1",
              used_on="2021-12-02", staff=30),
        event("briefing.used", "2022-01-05T09:00:00", agency="doncaster-council", use_id="u3", learning_id="l1",
              used_on="2022-01-05", staff=12))
    shown = figures.briefings_used(facts(sink, "2022-03-31"), date(2022, 3, 31))
    assert (shown["uses"], shown["staff"]) == (3, 162)
    assert [(r["agency"], r["uses"], r["staff"]) for r in shown["by_agency"]] == [
        ("south-yorkshire-police", 1, 120), ("doncaster-council", 2, 42)]
    assert shown["by_learning_item"][0]["agencies"] == ["south-yorkshire-police", "doncaster-council"]
