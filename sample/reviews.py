"""Doncaster's reviews and learning, October 2021 to March 2022, as reviews events (issue 8).

Pure data and deterministic ids (uuid5), no I/O, like sample.partnership. Where each fact comes from, in
/work/shared/domain/dscp-annual-report-2021-22.md:

- "Child Safeguarding Practice Reviews": "one Rapid Review was conducted where it was found that support
  was consistent and in keeping with good practice throughout the pandemic and no further learning could
  be achieved" -> one serious incident, notified, decided for a rapid review; the rapid review completed
  with `learning_found` false and no practice review recommended, and sent to the Panel. No learning item
  comes from it.
- Same section: "one Child Safeguarding Practice Review (CSPR) was concluded and published", with the link
  https://dscp.org.uk/professionals/child-safeguarding-practice-reviews -> one practice review decided,
  commissioned, terms of reference agreed, report received and published with that link. Its "Impact"
  paragraph ("get learning out of the Partnership more quickly"; the "Rapid Review and Child Safeguarding
  Practice Review Protocol" updated, "Multi-agency Safeguarding Procedures") gives its two recommendations:
  update the protocol, and disseminate the learning quickly; and its learning item (a 7-minute briefing).
- "Local Authority Designated Officer (LADO) Review": an independent review "with the final report produced in
  October 2021"; "Recommendations from the review have been implemented"; Ofsted, February 2022: "The service is
  now well led and managed by an experienced new service manager"; the Children's Trust's "quality assurance
  process and performance framework"; "LADO activity dip sampling is now completed on a quarterly basis"
  -> the LADO review, three recommendations all completed with evidence (the Ofsted finding recorded as
  evidence of impact), and a dip sample in each quarter of the period (Q3 and Q4 2021-22).
- "Learning, Quality and Improvement" and Appendix 1 priority 6 b ("Establish programme of quarterly multi-agency
  audits") and "Built in the voice of the child all multi-agency case file audits" -> one multi-agency audit in
  each quarter of the period, each tagged voice_of_the_child; the CSPR's recommendation to establish the
  programme names the strategy action `priority-6-b` (an id in the strategy service, not checked across
  services). No "fast response" deep dive is in the report's period, so none is invented.

Invented (plausible, the report gives none): every day of the month (awareness, notification, decisions,
stages, audits, dip samples, recommendations and their completion, dissemination), the case reference, the
CSPR's decision in June 2021 (before the period, so that it is published about six months later, in it), the
audits' themes (neglect and domestic abuse, the report's strategies), cases sampled, agencies, findings and
gradings, the dip samples' sizes and findings, the recommendations' wording and owners, the learning items'
themes and audiences, and a neglect recommendation from the first audit still open on 31 March 2022. The
report gives no count of LADO allegations, so the sample has none: the LADO figures show the dip samples and the
service review only.

Who sends what: Doncaster Council's children's social care system records the serious incident and its
notification (the local authority notifies the Panel); the DSCP business unit records the reviews, audits,
recommendations and learning; the Children's Services Trust's quality assurance team records the LADO dip
samples and closes the recommendations it owns. (The council's events come first: a rapid review needs its
incident.)
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from shared.events import reviews as ev
from shared.events.base import EventData
from shared.events.envelope import Envelope, new_event

PARTNERSHIP = "doncaster"
COUNCIL, DSCP, TRUST = "doncaster-council", "dscp", "doncaster-childrens-services-trust"
POLICE = "south-yorkshire-police"
SOURCES = {COUNCIL: "/partners/doncaster-council/childrens-social-care", DSCP: "/partners/dscp/reviews-log",
           TRUST: "/partners/doncaster-childrens-services-trust/quality-assurance",
           POLICE: "/partners/south-yorkshire-police/learning"}
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://scp.example/sample/dscp/2021-22/reviews")
LONDON = ZoneInfo("Europe/London")
AS_OF = "2022-03-31"
CSPR_LINK = "https://dscp.org.uk/professionals/child-safeguarding-practice-reviews"
MULTI_AGENCY = [COUNCIL, TRUST, "south-yorkshire-police", "nhs-doncaster-ccg"]

KEYS: list[dict] = [
    {"agency": COUNCIL, "partnerships": [PARTNERSHIP], "event_types": ["reviews.serious_incident.*"],
     "label": "Doncaster Council children's social care: serious incidents"},
    {"agency": DSCP, "partnerships": [PARTNERSHIP],
     "event_types": ["reviews.rapid_review.*", "reviews.practice_review.*", "reviews.lado_review.*", "reviews.audit.*",
                     "reviews.recommendation.*", "reviews.learning.*", "reviews.engagement.*"],
     "label": "DSCP business unit: reviews, audits, recommendations, learning, the voice of children"},
    {"agency": TRUST, "partnerships": [PARTNERSHIP],
     "event_types": ["reviews.lado_dip_sample.*", "reviews.recommendation.completed.v1",
                     "reviews.recommendation.impact_evidenced.v1", "reviews.briefing.used.v1"],
     "label": "Children's Services Trust quality assurance: LADO dip samples, its recommendations, briefings used"},
    {"agency": POLICE, "partnerships": [PARTNERSHIP], "event_types": ["reviews.briefing.used.v1"],
     "label": "South Yorkshire Police learning: briefings used with officers and staff"},
]

# what the read model must show on 31 March 2022 (checked by tests and by `python -m sample`)
EXPECTED: dict = {
    "cases": {"serious_incidents": 1, "rapid_reviews_started": 1, "rapid_reviews_completed": 1,
              "rapid_reviews_with_learning": 0, "practice_reviews": 1, "practice_reviews_published": 1},
    "timeliness": {"serious_incident_notification": (1, 1), "rapid_review": (1, 1),
                   "practice_review_publication": (1, 1)},  # clock: (on time, decided)
    "breaches": 0,
    "recommendations": {"made": 6, "completed": 5, "open": 1, "overdue": 0, "with_impact_evidence": 1},
    "audits": {"audits": 2, "deep_dives": 0, "cases_sampled": 12,
               "by_grading": {"good": 1, "requires_improvement": 1}},
    "lado": {"service_reviews": 1, "dip_samples": 2, "allegations_referred": 0,
             "dip_samples_by_quarter": {"2021-22 Q3": 1, "2021-22 Q4": 1}},
    "learning": {"items": 4, "by_source": {"audit": 2, "lado_review": 1, "practice_review": 1}},
    "voice": {"engagements": 3, "changes": 3, "changes_linked_to_actions": 2},
    "briefings": {"uses": 3, "staff": 180},
}


def _at(day: str, hour: int = 12) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(hour), LONDON)


# optional fields added to the v1 contracts since the sample was first sent: sent only when given, so that an event
# sent before they existed says exactly what it said then (a reload stays a duplicate)
ADDED_SINCE_V1 = {"briefing"}


def _event(agency: str, data: EventData, name: str, day: str) -> Envelope:
    """An envelope from the agency's system, emitted at noon on the fact's day, with an id the same on every run."""
    sent = data.model_dump(mode="json", exclude=ADDED_SINCE_V1 - data.model_fields_set)
    event = new_event(data.type_name, sent, partnership=PARTNERSHIP, agency=agency,
                      source=SOURCES[agency], subject=data.aggregate_id(), time=_at(day))
    return event.model_copy(update={"id": str(uuid.uuid5(NAMESPACE, f"{data.type_name}/{name}"))})


def _council() -> list[Envelope]:
    si = "si-2021-22-01"
    return [
        _event(COUNCIL, ev.SeriousIncidentRecorded(incident_id=si, case_ref="dscp-case-2021-0117",
                                                   aware_on="2021-11-08"), si, "2021-11-08"),
        _event(COUNCIL, ev.SeriousIncidentNotified(incident_id=si, notified_on="2021-11-12"), si, "2021-11-12"),
        _event(COUNCIL, ev.SeriousIncidentDecided(incident_id=si, decision="rapid_review", decided_on="2021-11-12"),
               si, "2021-11-12"),
    ]


def _reviews() -> list[Envelope]:
    rr, cspr = "rr-2021-22-01", "cspr-2021-01"
    return [
        _event(DSCP, ev.RapidReviewStarted(review_id=rr, incident_id="si-2021-22-01", started_on="2021-11-15"),
               rr, "2021-11-15"),
        _event(DSCP, ev.RapidReviewCompleted(
            review_id=rr, completed_on="2021-12-01", practice_review_recommended=False, learning=(),
            outcome="Support was consistent and in keeping with good practice throughout the pandemic; no further "
                    "learning could be achieved."), rr, "2021-12-01"),
        _event(DSCP, ev.RapidReviewSent(review_id=rr, sent_on="2021-12-02"), rr, "2021-12-02"),
        _event(DSCP, ev.PracticeReviewDecided(review_id=cspr, title="Child Safeguarding Practice Review 2021 (1)",
                                              decided_on="2021-06-14"), cspr, "2021-06-14"),
        *[_event(DSCP, ev.PracticeReviewProgressed(review_id=cspr, stage=stage, reached_on=day), f"{cspr}/{stage}", day)
          for stage, day in (("reviewer_commissioned", "2021-07-05"), ("terms_of_reference_agreed", "2021-07-26"),
                             ("report_received", "2021-11-19"))],
        _event(DSCP, ev.PracticeReviewPublished(review_id=cspr, published_on="2021-12-10", link=CSPR_LINK,
                                                themes=("professional_curiosity", "information_sharing")),
               cspr, "2021-12-10"),
    ]


def _lado_review() -> list[Envelope]:
    return [_event(DSCP, ev.LadoReviewReported(
        review_id="lado-review-2021", title="Independent review of the LADO service", commissioned_on="2021-06-01",
        reported_on="2021-10-29",
        summary_text="Commissioned after issues raised in a complex abuse enquiry in 2020/21. Recommended stronger "
                     "management oversight of the service, a quality assurance and performance framework, and "
                     "awareness of the LADO's role across the workforce."), "lado-review-2021", "2021-10-29")]


AUDITS = (  # id, theme, themes, completed, grading, findings
    ("maca-2021-22-q3", "Neglect: use of the Graded Care Profile", ("neglect", "voice_of_the_child"), "2021-12-15",
     "requires_improvement", ("The Graded Care Profile was not used in every case where neglect was identified",
                              "The child's voice was recorded in most cases")),
    ("maca-2021-22-q4", "Children living with domestic abuse", ("domestic_abuse", "voice_of_the_child"), "2022-03-16",
     "good", ("Timely information sharing between police and children's social care",
              "Safety planning reflected what children said")),
)


def _audits() -> list[Envelope]:
    return [_event(DSCP, ev.AuditCompleted(audit_id=id, kind="multi_agency_audit", theme=theme, themes=themes,
                                           completed_on=day, cases_sampled=6, agencies=MULTI_AGENCY,
                                           findings=findings, grading=grading), id, day)
            for id, theme, themes, day, grading, findings in AUDITS]


def _dip_samples() -> list[Envelope]:
    return [_event(TRUST, ev.LadoDipSampleCompleted(
        sample_id=id, quarter_start=start, completed_on=day, cases_sampled=10, grading="good",
        findings=("Referrals were acknowledged and recorded within one working day",
                  "Outcomes were recorded for every concluded allegation")), id, day)
        for id, start, day in (("lado-dip-2021-22-q3", "2021-10-01", "2022-01-14"),
                               ("lado-dip-2021-22-q4", "2022-01-01", "2022-03-25"))]


RECOMMENDATIONS = (  # id, source, source id, text, owner, made, due, actions, completed, evidence
    ("cspr-2021-01-r1", "practice_review", "cspr-2021-01",
     "Revise the Rapid Review and Child Safeguarding Practice Review Protocol so reviews are coordinated and timely",
     DSCP, "2021-12-10", "2022-02-28", ("priority-6-e",), "2022-02-14",
     "The revised protocol is published in the Tri.x multi-agency procedures"),
    ("cspr-2021-01-r2", "practice_review", "cspr-2021-01",
     "Establish a programme of quarterly multi-agency audits of frontline practice", DSCP, "2021-12-10",
     "2022-03-31", ("priority-6-b",), "2021-12-15",
     "The first quarterly multi-agency audit reported (maca-2021-22-q3)"),
    ("lado-review-2021-r1", "lado_review", "lado-review-2021",
     "Develop a quality assurance process and performance framework for regular oversight of the LADO function",
     TRUST, "2021-10-29", "2022-01-31", ("priority-6-a",), "2022-01-14",
     "Quarterly LADO dip sampling in place; the first dip sample reported (lado-dip-2021-22-q3)"),
    ("lado-review-2021-r2", "lado_review", "lado-review-2021",
     "Strengthen the management of the LADO service with an experienced service manager", TRUST, "2021-10-29",
     "2022-01-31", (), "2021-12-06", "An experienced service manager leads the LADO service"),
    ("lado-review-2021-r3", "lado_review", "lado-review-2021",
     "Raise awareness of the LADO's role and the referral route across the multi-agency workforce", DSCP,
     "2021-10-29", "2022-03-31", ("priority-6-e",), "2021-11-26", "LADO training delivered and a briefing issued"),
    ("maca-2021-22-q3-r1", "audit", "maca-2021-22-q3",
     "Use the Graded Care Profile in every case where neglect is identified", TRUST, "2021-12-15", "2022-06-30",
     ("priority-3-a",), None, None),
)


def _recommendations() -> tuple[list[Envelope], list[Envelope]]:
    """The recommendations (the DSCP records them) and their completion by each owner: (DSCP's, the Trust's)."""
    dscp, trust = [], []
    for id, source, source_id, text, owner, made, due, actions, completed, evidence in RECOMMENDATIONS:
        dscp.append(_event(DSCP, ev.RecommendationMade(
            recommendation_id=id, source=source, source_id=source_id, text=text, owner=owner, made_on=made,
            due_on=due, action_ids=actions), id, made))
        if completed:
            (dscp if owner == DSCP else trust).append(_event(owner, ev.RecommendationCompleted(
                recommendation_id=id, completed_on=completed, evidence=evidence), id, completed))
    trust.append(_event(TRUST, ev.RecommendationImpactEvidenced(
        recommendation_id="lado-review-2021-r2", evidence_id="ofsted-2022-lado", kind="inspection_finding",
        reference="ofsted-2022", evidenced_on="2022-02-28",
        summary_text="Ofsted, February 2022: \"The service is now well led and managed by an experienced new service "
                     "manager who has a close operational eye and grip on the service\""), "ofsted-2022-lado",
        "2022-02-28"))
    return dscp, trust


LEARNING = (  # id, source, source id, themes, summary, audience, day, format
    ("learning-lado-role", "lado_review", "lado-review-2021", ("leadership_and_culture", "information_sharing"),
     "When and how to refer an allegation against someone who works with children to the LADO, within one "
     "working day.", ("multi-agency workforce", "schools and early years"), "2021-11-26", "briefing"),
    ("learning-cspr-2021-01", "practice_review", "cspr-2021-01", ("professional_curiosity", "information_sharing"),
     "Seven-minute briefing on the practice review's learning: be curious, and share what you know early.",
     ("multi-agency workforce",), "2021-12-17", "seven_minute_briefing"),
    ("learning-maca-q3", "audit", "maca-2021-22-q3", ("neglect", "voice_of_the_child"),
     "Use the Graded Care Profile whenever neglect is identified, and record what the child says.",
     ("children's social care", "health visitors", "schools"), "2022-01-21", "seven_minute_briefing"),
    ("learning-maca-q4", "audit", "maca-2021-22-q4", ("domestic_abuse", "voice_of_the_child"),
     "What worked in the domestic abuse audit: timely information sharing and safety plans built on the child's "
     "words.", ("multi-agency workforce",), "2022-03-25", "briefing"),
)


def _learning() -> list[Envelope]:
    return [_event(DSCP, ev.LearningDisseminated(
        learning_id=id, source=source, source_id=source_id, themes=themes, summary_text=summary, audience=audience,
        disseminated_on=day, format=fmt, **({"briefing": BRIEFINGS[id]} if id in BRIEFINGS else {})),
        # named anew once it carries its briefing, so that a deployment loaded before takes it as a revision
        f"{id}/with-briefing" if id in BRIEFINGS else id, day)
        for id, source, source_id, themes, summary, audience, day, fmt in LEARNING]


# the learning items' 7-minute briefings, in the LQI group's words where the report gives them (the CSPR's);
# the others are composed from the item and its source
BRIEFINGS = {
    "learning-cspr-2021-01": ev.Briefing(
        background="A Child Safeguarding Practice Review was concluded and published in December 2021.",
        found="Information that agencies held was not always shared early, and professionals did not always ask "
              "the next question.",
        why_it_matters="Learning must get out of the partnership more quickly, so that practice changes while the "
                       "review is fresh.",
        what_to_do=("Be professionally curious: ask, check and challenge.",
                    "Share what you know early, using the multi-agency safeguarding procedures."),
        questions=("When did you last ask the next question about a child's circumstances?",
                   "Who else might hold information about this family, and have you asked them?")),
}

BRIEFING_USES = (  # id, agency, learning item, day, staff, setting (invented: the report counts no use)
    ("dcst-use-2022-01", TRUST, "learning-maca-q3", "2022-02-03", 42, "team meetings"),
    ("dcst-use-2022-02", TRUST, "learning-cspr-2021-01", "2022-01-12", 18, "supervision groups"),
    ("syp-use-2022-01", POLICE, "learning-cspr-2021-01", "2022-01-20", 120, "public protection unit briefings"),
)


def _briefing_uses() -> list[Envelope]:
    return [_event(agency, ev.BriefingUsed(use_id=id, learning_id=learning_id, used_on=day, staff=staff,
                                           setting=setting), id, day)
            for id, agency, learning_id, day, staff, setting in BRIEFING_USES]


# "Listening to Children and Young People": the Youth Council's Red Flags film and the Hear Me voice group's
# animated Threshold Guidance, and the Keeping Safe leaflet designed by young people (Safeguarding Awareness Week,
# November 2021). The report gives no counts of young people or dates of the work: those are left out, or invented
# (the days), and what they said is our reading of each product's aim.
ENGAGEMENTS = (
    ev.EngagementHeld(
        engagement_id="youth-council-red-flags", kind="youth_council",
        title="Red Flags: a short film on domestic abuse and coercive control", group="Doncaster Youth Council",
        held_on="2021-10-01", ended_on="2022-03-31",
        heard=(ev.Heard(group="children_and_young_people", age_band="11-18"),),
        said=("Young people do not always recognise coercive and controlling behaviour in relationships",
              "Awareness should come from young people themselves, where young people are"),
        themes=("domestic_abuse", "voice_of_the_child"),
        summary_text="The Youth Council, an elected forum of young people aged 11-18, produced a short film as part "
                     "of its campaign to reduce domestic abuse."),
    ev.EngagementHeld(
        engagement_id="hear-me-threshold-guide", kind="voice_group",
        title="A young people's guide to the Threshold Guidance and Levels of Need", group="Hear Me: Voice Group",
        held_on="2021-10-01",
        heard=(ev.Heard(group="children_and_young_people"),),
        said=("The Threshold Guidance is hard for children and families to understand",
              "Children want to know what happens when someone is worried about them"),
        themes=("voice_of_the_child",),
        summary_text="Children and young people co-produced an animated video of the multi-agency Threshold "
                     "Guidance, for the public and for professionals."),
    ev.EngagementHeld(
        engagement_id="keeping-safe-leaflet", kind="participation_event",
        title="The Keeping Safe leaflet, designed by young people", group="Young people of Doncaster",
        held_on="2021-11-15",
        heard=(ev.Heard(group="children_and_young_people"),),
        said=("Information on where to get help should be in one place, for children and adults alike",),
        themes=("voice_of_the_child",),
        summary_text="Launched at Safeguarding Awareness Week: the first joint leaflet across children's and "
                     "adults' safeguarding."),
)
CHANGES = (  # engagement, change id, day, what changed, actions
    ("youth-council-red-flags", "red-flags-in-cinemas", "2022-03-31",
     "The film is screened in local cinemas from April 2022 and used in the partnership's domestic abuse awareness "
     "work.", ("priority-6-d",)),
    ("hear-me-threshold-guide", "threshold-guide-for-training", "2022-03-31",
     "The revised Threshold Guidance is explained in the young people's own video, which will be used in training "
     "and launched in 2022-23.", ("priority-8-a", "priority-6-d")),
    ("keeping-safe-leaflet", "keeping-safe-launched", "2021-11-15",
     "The Keeping Safe leaflet, in young people's words, replaced the separate children's and adults' leaflets.",
     ()),
)


def _voice() -> list[Envelope]:
    held = [_event(DSCP, e, e.engagement_id, e.held_on.isoformat()) for e in ENGAGEMENTS]
    changed = [_event(DSCP, ev.EngagementChangeReported(engagement_id=e, change_id=c, reported_on=day, change=text,
                                                        action_ids=actions), c, day)
               for e, c, day, text, actions in CHANGES]
    return held + changed


def events() -> list[Envelope]:
    """Every sample reviews event, in the order the owners' systems would send them: the council's incident first,
    then the DSCP business unit's log (each agency's events in date order), then the Trust's."""
    dscp_recommendations, trust_recommendations = _recommendations()
    dscp = _reviews() + _lado_review() + _audits() + dscp_recommendations + _learning() + _voice()
    trust = _dip_samples() + trust_recommendations
    by_day = lambda e: e.time  # noqa: E731
    # a recommendation follows what made it, a change its engagement: sort by time, keeping the given order on a tie;
    # the agencies' uses of briefings come after the learning items they use
    return _council() + sorted(dscp, key=by_day) + sorted(trust, key=by_day) + sorted(
        [e for e in _briefing_uses() if e.agency == TRUST], key=by_day) + sorted(
        [e for e in _briefing_uses() if e.agency == POLICE], key=by_day)


def figures_of(figures) -> dict:
    """The figures EXPECTED describes, from the read model's JSON (`figures(path)` answers /p/doncaster/api/<path>)."""
    q = f"?as_of={AS_OF}"
    cases = figures(f"reviews/cases{q}")["counts"]
    timeliness = {r["clock"]: (r["on_time"], r["decided"]) for r in figures(f"reviews/timeliness{q}")["timeliness"]
                  if r["clock"] in EXPECTED["timeliness"]}
    recs = figures(f"reviews/recommendations{q}")
    audits = figures(f"reviews/audits{q}")
    lado = figures(f"reviews/lado{q}")
    learning = figures(f"reviews/learning{q}")
    voice = figures(f"reviews/voice{q}")
    briefings = figures(f"reviews/briefings{q}")
    return {
        "cases": cases, "timeliness": timeliness, "breaches": len(figures(f"reviews/clocks{q}")["breaches"]),
        "recommendations": {k: recs[k] for k in EXPECTED["recommendations"]},
        "audits": {k: audits[k] for k in EXPECTED["audits"]},
        "lado": {"service_reviews": len(lado["service_reviews"]), "dip_samples": lado["dip_samples"],
                 "allegations_referred": lado["allegations_referred"],
                 "dip_samples_by_quarter": {r["quarter"]: len(r["dip_samples"]) for r in lado["by_quarter"]}},
        "learning": {"items": learning["items"], "by_source": {r["source"]: r["items"] for r in learning["by_source"]}},
        "voice": {k: voice[k] for k in EXPECTED["voice"]},
        "briefings": {k: briefings[k] for k in EXPECTED["briefings"]},
    }


def summary(figures) -> list[str] | None:
    """Lines for `python -m sample` to print once the read model shows the sample, or None while it does not yet.
    `figures(path)` answers a reporting JSON endpoint under /p/doncaster/api/, e.g. figures("reviews/...")."""
    shown = figures_of(figures)
    if shown != EXPECTED:
        return None
    cases, recs = shown["cases"], shown["recommendations"]
    return [f"Doncaster's reviews on {AS_OF}: {cases['rapid_reviews_completed']} rapid review (no further learning), "
            f"{cases['practice_reviews_published']} practice review published, every statutory clock met; "
            f"{recs['completed']} of {recs['made']} recommendations completed with evidence; "
            f"{shown['audits']['audits']} multi-agency audits, {shown['lado']['dip_samples']} LADO dip samples, "
            f"{shown['learning']['items']} learning items, their briefings used with {shown['briefings']['staff']} "
            f"staff; {shown['voice']['engagements']} engagements with children and young people (the Youth Council's "
            f"Red Flags film, Hear Me), {shown['voice']['changes']} changes made as a result."]
