"""Reviews and learning: serious incidents, rapid and practice reviews, LADO, audits, recommendations, learning.

Dates that start or stop a statutory clock are calendar dates (`Day`, YYYY-MM-DD), distinct
from the envelope's `time` (when the event was emitted). Nothing here identifies a child or the person an
allegation is about: a case is a reference the partnership makes, a person a pseudonymous reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.events.base import (AgencyCode, Count, Day, Decision, EventData, FreeText, Identifier,
                                PseudonymousRef, Title)


Link = Annotated[str, Field(max_length=512, pattern=r"^https://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+$",
                            description="An https URL.")]

# The national Child Safeguarding Practice Review Panel's learning themes (the domain notes), as tags.
PanelTheme = Literal[
    "leadership_and_culture", "racial_ethnic_and_cultural_identity", "whole_family_approach_to_risk",
    "vulnerable_babies", "domestic_abuse", "risks_outside_the_family", "disabilities_and_health_needs",
    "mental_health", "children_not_in_school", "young_carers", "neglect", "voice_of_the_child",
    "information_sharing", "risk_assessment", "professional_curiosity"]
Themes = tuple[PanelTheme, ...]
IncidentDecision = Literal["rapid_review", "local_practice_review", "no_further_action"]
PracticeReviewStage = Literal["reviewer_commissioned", "terms_of_reference_agreed", "report_received"]
AllegationCategory = Literal["physical", "sexual", "emotional", "neglect", "conduct_suitability"]
EmploymentSector = Literal["education", "early_years", "health", "social_care", "police", "foster_care",
                           "residential_care", "faith", "sport_and_leisure", "voluntary", "transport", "other"]
AllegationOutcome = Literal["substantiated", "unsubstantiated", "false", "malicious", "unfounded"]
AuditKind = Literal["multi_agency_audit", "deep_dive"]
Grading = Literal["outstanding", "good", "requires_improvement", "inadequate"]
RecommendationSource = Literal["rapid_review", "practice_review", "national_review", "audit", "deep_dive",
                               "lado_review", "lado_dip_sample", "ofsted"]
LearningSource = Literal["rapid_review", "practice_review", "national_review", "audit", "deep_dive", "lado_review",
                         "lado_dip_sample", "ofsted", "performance_data", "practitioner_feedback", "family_feedback"]
ImpactKind = Literal["kpi_value", "audit_finding", "inspection_finding", "other"]
EngagementKind = Literal["youth_council", "voice_group", "survey", "consultation", "participation_event", "other"]
HeardGroup = Literal["children_and_young_people", "care_experienced_young_people", "young_carers",
                     "parents_and_carers", "families"]
AgeBand = Annotated[str, Field(pattern=r"^(0|[1-9][0-9]?)(-(0|[1-9][0-9]?)|\+)$", max_length=5,
                               description="An age band, e.g. 11-18 or 16+: never one person's age.")]
Findings = tuple[FreeText(1000), ...]


# --- serious incidents ------------------------------------------------------------------------------------


class SeriousIncidentRecorded(EventData):
    """The local authority became aware of a serious incident: the notification clock starts (5 working days)."""

    type_name = "reviews.serious_incident.recorded.v1"
    aggregate = "incident_id"
    summary = "A serious incident became known to the local authority."

    incident_id: Identifier = Field(description="The incident's identifier.")
    case_ref: PseudonymousRef = Field(
        description="The partnership's case reference: never a child's name or NHS number.")
    aware_on: Day = Field(description="The day the local authority became aware (day 0 of the notification clock).")


class SeriousIncidentNotified(EventData):
    """The local authority notified the national Panel (and the safeguarding partners)."""

    type_name = "reviews.serious_incident.notified.v1"
    aggregate = "incident_id"
    summary = "A serious incident was notified to the national Panel."

    incident_id: Identifier = Field(description="The incident; it must have been recorded.")
    notified_on: Day = Field(description="The day the notification was sent (day 0 of the rapid review clock).")


class SeriousIncidentDecided(EventData):
    """The safeguarding partners decided what review the incident needs."""

    type_name = "reviews.serious_incident.decided.v1"
    aggregate = "incident_id"
    summary = "The partners decided on a serious incident: rapid review, local practice review or no further action."

    incident_id: Identifier = Field(description="The incident; it must have been recorded.")
    decision: IncidentDecision = Field(description="rapid_review, local_practice_review or no_further_action.")
    decided_on: Day = Field(description="The day of the decision.")


# --- rapid reviews ----------------------------------------------------------------------------------------


class RapidReviewStarted(EventData):
    """A rapid review of a recorded serious incident started."""

    type_name = "reviews.rapid_review.started.v1"
    aggregate = "review_id"
    summary = "A rapid review of a serious incident started."

    review_id: Identifier = Field(description="The rapid review's identifier.")
    incident_id: Identifier = Field(description="The serious incident reviewed; it must have been recorded.")
    started_on: Day = Field(description="The day it started.")


class LearningPoint(BaseModel):
    """One thing a rapid review found the partnership should learn: its Panel theme, what it is, and the agencies
    whose practice it concerns (so that each agency's follow-up can be asked for)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    theme: PanelTheme | None = Field(None, description="The Panel's theme it falls under; none when it is not one of "
                                                       "them, or (read from v1) when the review did not say.")
    summary: FreeText(500) | None = Field(None, description="The learning in a sentence or two, without identifying "
                                                            "anyone.")
    agencies: tuple[AgencyCode, ...] = Field((), max_length=20, description="The agencies whose practice it concerns; "
                                                                           "empty when not said.")


class RapidReviewCompleted(EventData):
    """The rapid review's outcome: whether a local practice review is recommended, and the learning it found, each
    point with its Panel theme and the agencies it concerns. It found learning when it lists any.

    Version 2 of the type. Version 1 said only whether learning was found (`learning_found`); the LQI group could
    not tell what was learnt, under which theme, or which agencies should act on it, without reading each review."""

    type_name = "reviews.rapid_review.completed.v2"
    aggregate = "review_id"
    summary = "A rapid review was completed, with its outcome and the learning it found."

    review_id: Identifier = Field(description="The rapid review; it must have started.")
    completed_on: Day = Field(description="The day it was completed.")
    practice_review_recommended: bool = Field(description="Whether it recommends a local practice review.")
    learning: tuple[LearningPoint, ...] = Field(max_length=15, description="The learning it found, one point each; "
                                                                           "empty when it found none.")
    outcome: FreeText(2000) = Field(description="The outcome in a few sentences, without identifying anyone.")
    themes: Themes = Field((), max_length=15, description="The Panel's themes it touches.")

    @property
    def learning_found(self) -> bool:
        """Whether it found learning: whether it lists any (not a field: said by `learning`)."""
        return bool(self.learning)


class RapidReviewCompletedV1(EventData):
    """The rapid review's outcome: whether a local practice review is recommended, and whether learning was found.

    Superseded by `reviews.rapid_review.completed.v2`, which lists the learning. Still accepted and read: every
    reader sees it as v2, with one learning point of no theme when it found learning (v1 did not say what)."""

    type_name = "reviews.rapid_review.completed.v1"
    superseded_by = RapidReviewCompleted.type_name
    aggregate = "review_id"
    summary = "A rapid review was completed, with its outcome (superseded by v2)."

    review_id: Identifier = Field(description="The rapid review; it must have started.")
    completed_on: Day = Field(description="The day it was completed.")
    practice_review_recommended: bool = Field(description="Whether it recommends a local practice review.")
    learning_found: bool = Field(description="Whether it found learning for the partnership.")
    outcome: FreeText(2000) = Field(description="The outcome in a few sentences, without identifying anyone.")
    themes: Themes = Field((), max_length=15, description="The Panel's themes it touches.")

    def upcast(self) -> RapidReviewCompleted:
        return RapidReviewCompleted(
            review_id=self.review_id, completed_on=self.completed_on,
            practice_review_recommended=self.practice_review_recommended,
            learning=(LearningPoint(),) if self.learning_found else (), outcome=self.outcome, themes=self.themes)


class RapidReviewSent(EventData):
    """The completed rapid review was sent to the national Panel: this stops the 15-working-day clock."""

    type_name = "reviews.rapid_review.sent.v1"
    aggregate = "review_id"
    summary = "A rapid review was sent to the national Panel."

    review_id: Identifier = Field(description="The rapid review; it must have been completed.")
    sent_on: Day = Field(description="The day it was sent to the Panel.")


# --- local child safeguarding practice reviews ----------------------------------------------------------


class PracticeReviewDecided(EventData):
    """The partners decided to hold a local child safeguarding practice review: the publication clock starts."""

    type_name = "reviews.practice_review.decided.v1"
    aggregate = "review_id"
    summary = "A local child safeguarding practice review was decided."

    review_id: Identifier = Field(description="The practice review's identifier.")
    title: Title(200) = Field(description="Its published or working title (no child's name).")
    decided_on: Day = Field(description="The day of the decision (day 0 of the publication clock).")
    incident_id: Identifier | None = Field(None, description="The serious incident it reviews, if recorded here.")


class PracticeReviewProgressed(EventData):
    """A practice review reached a stage: reviewer commissioned, terms of reference agreed, report received."""

    type_name = "reviews.practice_review.progressed.v1"
    aggregate = "review_id"
    summary = "A practice review reached a stage."

    review_id: Identifier = Field(description="The practice review; it must have been decided.")
    stage: PracticeReviewStage = Field(
        description="reviewer_commissioned, terms_of_reference_agreed or report_received.")
    reached_on: Day = Field(description="The day the stage was reached.")


class PracticeReviewPublished(EventData):
    """The practice review was published: this stops the publication clock."""

    type_name = "reviews.practice_review.published.v1"
    aggregate = "review_id"
    summary = "A practice review was published."

    review_id: Identifier = Field(description="The practice review; it must have been decided.")
    published_on: Day = Field(description="The day it was published.")
    link: Link = Field(description="Where the report is published.")
    themes: Themes = Field((), max_length=15, description="The Panel's themes it touches.")


# --- LADO -------------------------------------------------------------------------------------------------


class AllegationReferred(EventData):
    """An allegation against someone working with children was referred to the LADO. Never the person's name."""

    type_name = "reviews.allegation.referred.v1"
    aggregate = "allegation_id"
    summary = "An allegation against a person working with children was referred to the LADO."

    allegation_id: Identifier = Field(description="The LADO's identifier for the allegation.")
    person_ref: PseudonymousRef = Field(description="A pseudonymous reference to the person: never their name.")
    person_agency: AgencyCode = Field(description="The agency (employer or organisation) the person works for.")
    employment_sector: EmploymentSector = Field(description="The sector the person works in.")
    category: AllegationCategory = Field(description="physical, sexual, emotional, neglect or conduct_suitability.")
    alleged_on: Day = Field(
        description="The day the allegation was made (day 0 of the referral and resolution clocks).")
    referred_on: Day = Field(description="The day it was referred to the LADO (stops the 1-working-day clock).")


class AllegationStrategyMeetingHeld(EventData):
    """A strategy meeting (or evaluation meeting) was held about the allegation."""

    type_name = "reviews.allegation.strategy_meeting_held.v1"
    aggregate = "allegation_id"
    summary = "A strategy meeting was held about an allegation."

    allegation_id: Identifier = Field(description="The allegation; it must have been referred.")
    held_on: Day = Field(description="The day of the meeting.")


class AllegationResolved(EventData):
    """The allegation was resolved with its outcome: this stops the 1, 3 and 12 month clocks."""

    type_name = "reviews.allegation.resolved.v1"
    aggregate = "allegation_id"
    summary = "An allegation was resolved, with its outcome."

    allegation_id: Identifier = Field(description="The allegation; it must have been referred.")
    outcome: AllegationOutcome = Field(description="substantiated, unsubstantiated, false, malicious or unfounded.")
    resolved_on: Day = Field(description="The day it was resolved.")


class LadoDipSampleCompleted(EventData):
    """A quarterly dip sample of the LADO's cases was completed, with its findings."""

    type_name = "reviews.lado_dip_sample.completed.v1"
    aggregate = "sample_id"
    summary = "A quarterly LADO dip sample was completed."

    sample_id: Identifier = Field(description="The dip sample's identifier.")
    quarter_start: Day = Field(description="The first day of the quarter sampled.")
    completed_on: Day = Field(description="The day it was completed.")
    cases_sampled: Count = Field(ge=1, le=10_000, description="How many cases were sampled.")
    findings: Findings = Field((), max_length=20, description="What it found.")
    grading: Grading | None = Field(None, description="The overall grading, if one was given.")


class LadoReviewReported(EventData):
    """A review of the LADO service reported (its recommendations follow as recommendations with its id)."""

    type_name = "reviews.lado_review.reported.v1"
    aggregate = "review_id"
    summary = "A review of the LADO service reported."

    review_id: Identifier = Field(description="The review's identifier.")
    title: Title(200) = Field(description="The review's title.")
    commissioned_on: Day | None = Field(None, description="When it was commissioned, if known.")
    reported_on: Day = Field(description="The day its final report was produced.")
    summary_text: FreeText(2000) = Field(description="What it concluded, in a few sentences.")


# --- audits -----------------------------------------------------------------------------------------------


class AuditCompleted(EventData):
    """A multi-agency case file audit, or a "fast response" deep dive, was completed."""

    type_name = "reviews.audit.completed.v1"
    aggregate = "audit_id"
    summary = "A multi-agency audit or deep dive was completed, with its findings and grading."

    audit_id: Identifier = Field(description="The audit's identifier.")
    kind: AuditKind = Field(description="multi_agency_audit or deep_dive.")
    theme: Title(200) = Field(description="What it looked at.")
    themes: Themes = Field((), max_length=15, description="The Panel's themes it touches.")
    completed_on: Day = Field(description="The day it was completed.")
    cases_sampled: Count = Field(ge=1, le=10_000, description="How many cases were sampled.")
    agencies: tuple[AgencyCode, ...] = Field(min_length=1, max_length=30, description="The agencies taking part.")
    findings: Findings = Field((), max_length=20, description="What it found.")
    grading: Grading | None = Field(None, description="The overall grading of practice, if one was given.")


# --- recommendations --------------------------------------------------------------------------------------


class RecommendationMade(EventData):
    """A recommendation from a review, audit or inspection: its owner, due date and the actions that carry it out."""

    type_name = "reviews.recommendation.made.v1"
    aggregate = "recommendation_id"
    summary = "A recommendation was made, owned by an agency, due by a date."

    recommendation_id: Identifier = Field(description="The recommendation's identifier.")
    source: RecommendationSource = Field(description="What made it: a rapid review, practice review, audit, Ofsted...")
    source_id: Identifier = Field(description="The id of the review, audit or inspection that made it.")
    text: FreeText(1000) = Field(description="The recommendation.")
    owner: AgencyCode = Field(description="The agency (or governance group, as dscp) that owns it.")
    made_on: Day = Field(description="The day it was made.")
    due_on: Day = Field(description="The day it is due to be completed.")
    action_ids: tuple[Identifier, ...] = Field(
        (), max_length=20, description="The strategy service's actions that carry it out, e.g. priority-6-b.")


class RecommendationCompleted(EventData):
    """The recommendation was carried out. Evidence of completion is required (refused with 409 otherwise)."""

    type_name = "reviews.recommendation.completed.v1"
    aggregate = "recommendation_id"
    summary = "A recommendation was completed, with evidence."

    recommendation_id: Identifier = Field(description="The recommendation; it must have been made.")
    completed_on: Day = Field(description="The day it was completed.")
    evidence: FreeText(2000) | None = Field(None, description="What shows it was done; required to close it.")


class RecommendationImpactEvidenced(EventData):
    """Later evidence that a completed recommendation changed practice: a KPI value, an audit finding."""

    type_name = "reviews.recommendation.impact_evidenced.v1"
    aggregate = "recommendation_id"
    summary = "Evidence of a completed recommendation's impact was recorded."

    recommendation_id: Identifier = Field(description="The recommendation; it must have been completed.")
    evidence_id: Identifier = Field(description="This piece of evidence's identifier.")
    kind: ImpactKind = Field(description="kpi_value, audit_finding, inspection_finding or other.")
    reference: Identifier | None = Field(None, description="The KPI, audit or inspection it comes from.")
    evidenced_on: Day = Field(description="The day the evidence was recorded.")
    summary_text: FreeText(2000) = Field(description="What the evidence shows.")


# --- learning ---------------------------------------------------------------------------------------------


class Briefing(BaseModel):
    """A 7-minute briefing's parts, as partnerships write them (each optional: what is missing is composed from the
    learning item, its source and its recommendations)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    background: FreeText(2000) | None = Field(None, description="Why there was a review or audit, in aggregate.")
    found: FreeText(2000) | None = Field(None, description="What was found.")
    why_it_matters: FreeText(2000) | None = Field(None, description="Why it matters for practice.")
    what_to_do: tuple[FreeText(500), ...] = Field((), max_length=10, description="What practitioners should do.")
    questions: tuple[FreeText(500), ...] = Field((), max_length=10, description="Questions for reflection.")


class LearningDisseminated(EventData):
    """A learning item was disseminated (a 7-minute briefing, a newsletter, a practitioner event)."""

    type_name = "reviews.learning.disseminated.v1"
    aggregate = "learning_id"
    summary = "A learning item was disseminated to an audience."

    learning_id: Identifier = Field(description="The learning item's identifier.")
    source: LearningSource = Field(description="Where the learning came from.")
    source_id: Identifier | None = Field(None, description="The review, audit or inspection it came from, if any.")
    themes: Themes = Field(min_length=1, max_length=15, description="The Panel's themes it is about.")
    summary_text: FreeText(2000) = Field(description="What was learned.")
    audience: tuple[Title(100), ...] = Field(min_length=1, max_length=20,
                                             description="Who it was for, e.g. multi-agency workforce.")
    disseminated_on: Day = Field(description="The day it was disseminated.")
    format: Literal["seven_minute_briefing", "briefing", "newsletter", "practitioner_event", "training", "other"] = \
        Field("briefing", description="How it was disseminated.")
    briefing: Briefing | None = Field(None, description="The 7-minute briefing's own words, where the LQI group "
                                        "wrote them; without them a briefing is composed from the item and its "
                                        "source.")


class BriefingUsed(EventData):
    """An agency used a learning item's briefing with its staff (a team meeting, supervision, a training session):
    how many staff, never who. The agency is the key's."""

    type_name = "reviews.briefing.used.v1"
    aggregate = "use_id"
    summary = "An agency used a learning item's briefing with its staff."

    use_id: Identifier = Field(description="This use's identifier in the agency's system.")
    learning_id: Identifier = Field(description="The learning item whose briefing was used; it must exist.")
    used_on: Day = Field(description="The day it was used.")
    staff: Count = Field(ge=1, le=100_000, description="How many staff it was used with.")
    setting: Title(200) | None = Field(None, description="Where, e.g. team meeting, supervision, induction.")


# --- the voice of children and families ----------------------------------------------------------------------


class Heard(BaseModel):
    """Who was heard, in aggregate: a group, how many, their ages as a band."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    group: HeardGroup = Field(description="Children and young people, care-experienced young people, young carers, "
                              "parents and carers, or families.")
    count: Count | None = Field(None, ge=1, le=10_000_000, description="How many took part, where counted.")
    age_band: AgeBand | None = None


class EngagementHeld(EventData):
    """Children, young people or families were heard: a youth council session, a survey, a voice group's work. Who
    was heard is in aggregate; what they said is in themes; never a name or a story that identifies anyone."""

    type_name = "reviews.engagement.held.v1"
    aggregate = "engagement_id"
    summary = "Children, young people or families were heard (a youth council, a voice group, a survey)."

    engagement_id: Identifier = Field(description="The engagement's identifier.")
    kind: EngagementKind = Field(description="youth_council, voice_group, survey, consultation, participation_event "
                                 "or other.")
    title: Title(200) = Field(description="What it was, e.g. the Red Flags film on coercive control.")
    group: Title(200) = Field(description="The forum or group heard through, e.g. Doncaster Youth Council.")
    held_on: Day = Field(description="The day it took place, or began.")
    ended_on: Day | None = Field(None, description="The day it ended, for work over a period.")
    heard: tuple[Heard, ...] = Field(min_length=1, max_length=10, description="Who was heard, in aggregate.")
    said: tuple[Title(300), ...] = Field(min_length=1, max_length=20, description="What they said, in themes.")
    themes: Themes = Field((), max_length=15, description="The Panel's themes it touches.")
    summary_text: FreeText(2000) | None = Field(None, description="What it was and what came of it, briefly.")

    @model_validator(mode="after")
    def _ends_after_it_began(self):
        if self.ended_on is not None and self.ended_on < self.held_on:
            raise ValueError("ended_on is before held_on")
        return self


class EngagementChangeReported(EventData):
    """What changed as a result of what children or families said: a change in a service, a product, a plan,
    linked to the strategy actions that carry it."""

    type_name = "reviews.engagement.change_reported.v1"
    aggregate = "engagement_id"
    summary = "A change made as a result of what children or families said was reported."

    engagement_id: Identifier = Field(description="The engagement; it must have been recorded.")
    change_id: Identifier = Field(description="This change's identifier.")
    reported_on: Day = Field(description="The day the change was made, or reported.")
    change: FreeText(1000) = Field(description="What changed.")
    action_ids: tuple[Identifier, ...] = Field((), max_length=20, description="The strategy service's actions that "
                                               "carry it, e.g. priority-6-d.")


# --- the statutory clocks, as the reviews service runs them -------------------------------------------------

ClockName = Literal["serious_incident_notification", "rapid_review", "practice_review_publication", "lado_referral",
                    "allegation_resolution_1_month", "allegation_resolution_3_months",
                    "allegation_resolution_12_months"]
CaseKind = Literal["serious_incident", "practice_review", "allegation"]


@dataclass(frozen=True)
class Clock:
    """One statutory clock, as published: what starts it, what stops it, how long it runs, the share of cases
    expected on time. The reviews service counts its days (services/reviews/domain/clocks.py) and publishes each
    case's clock (`ClockSet`, `ClockStopped`); readers compare those dates with a day."""

    name: str
    label: str
    amount: int
    unit: Literal["working_days", "months"]
    starts: str  # the fact that starts it
    stops: str  # the fact that stops it
    warn_within: int  # working days left at which an open clock is a near breach
    target: float = 1.0  # share of cases expected on time (the allegation clocks: 80%, 90%, nearly all)
    basis: str = ""  # where the rule comes from


CLOCKS: dict[str, Clock] = {clock.name: clock for clock in (
    Clock("serious_incident_notification", "Serious incident notified to the national Panel", 5, "working_days",
          "the date the local authority became aware", "the notification to the Panel", warn_within=1,
          basis="Children Act 2004 s16C(1); Working Together"),
    Clock("rapid_review", "Rapid review completed and sent to the Panel", 15, "working_days",
          "the notification to the Panel", "the rapid review sent to the Panel", warn_within=3,
          basis="Working Together; Child Safeguarding Practice Review Panel guidance"),
    Clock("practice_review_publication", "Local practice review published", 6, "months",
          "the decision to hold a local child safeguarding practice review", "publication", warn_within=20,
          basis="SI 2018/789 reg. 14; Working Together (about 6 months)"),
    Clock("lado_referral", "Allegation referred to the LADO", 1, "working_days",
          "the allegation", "the referral to the LADO", warn_within=0,
          basis="Working Together 2023 ch. 4; local procedures"),
    Clock("allegation_resolution_1_month", "Allegation resolved within 1 month", 1, "months",
          "the allegation", "the allegation's resolution", warn_within=5, target=0.8,
          basis="statutory guidance on managing allegations: 80% within 1 month"),
    Clock("allegation_resolution_3_months", "Allegation resolved within 3 months", 3, "months",
          "the allegation", "the allegation's resolution", warn_within=10, target=0.9,
          basis="statutory guidance on managing allegations: 90% within 3 months"),
    Clock("allegation_resolution_12_months", "Allegation resolved within 12 months", 12, "months",
          "the allegation", "the allegation's resolution", warn_within=20, target=0.99,
          basis="statutory guidance on managing allegations: all but the most exceptional within 12 months"),
)}


class ClockSet(Decision):
    """The reviews service started a statutory clock for a case, or set it again after a correction (a revised day
    of awareness, a decision of no further action): when it started, when it is due, and from which day an open
    clock is a near breach. Published beside the fact that set it; the latest recorded stands."""

    type_name = "reviews.clock.set.v1"
    aggregate = "case_id"
    summary = "The reviews service set a case's statutory clock: its start, due date and near-breach day."

    clock: ClockName = Field(description="Which statutory clock (docs/reviews.md lists them).")
    case_kind: CaseKind = Field(description="serious_incident, practice_review or allegation.")
    case_id: Identifier = Field(description="The incident, practice review or allegation the clock runs for.")
    started_on: Day = Field(description="Day 0 of the clock.")
    due_on: Day = Field(description="The day it is due: met when stopped on or before it, overdue after it.")
    near_breach_from: Day = Field(description="From this day, a clock still running is a near breach.")
    withdrawn_on: Day | None = Field(None, description="From this day the clock does not run at all (a serious "
                                                       "incident decided `no_further_action` needs no rapid review).")
    working_days: tuple[Day, ...] = Field(
        (), max_length=400,  # the 12-month clock lists about 253
        description="The working days (England and Wales) after day 0 up to and including the due day, in order: on "
                    "any day before its due day, the clock's working days left are the listed days after it. Empty "
                    "in clocks set before the list was published.")


class ClockStopped(Decision):
    """A fact stopped a case's statutory clock (a notification, a rapid review sent, a publication, a referral, a
    resolution). The clock stops on the earliest day any of its stoppers gives; a correction of a stopper's day is
    a later decision from the same stopper."""

    type_name = "reviews.clock.stopped.v1"
    aggregate = "case_id"
    summary = "A fact stopped a case's statutory clock, on a day."

    clock: ClockName = Field(description="Which statutory clock.")
    case_kind: CaseKind = Field(description="serious_incident, practice_review or allegation.")
    case_id: Identifier = Field(description="The case the clock runs for.")
    stopped_on: Day = Field(description="The day the clock stopped.")
    stopped_by: Identifier = Field(description="What stopped it: the case itself, or the rapid review sent.")


EVENTS: tuple[type[EventData], ...] = (
    SeriousIncidentRecorded, SeriousIncidentNotified, SeriousIncidentDecided,
    RapidReviewStarted, RapidReviewCompletedV1, RapidReviewCompleted, RapidReviewSent,
    PracticeReviewDecided, PracticeReviewProgressed, PracticeReviewPublished,
    AllegationReferred, AllegationStrategyMeetingHeld, AllegationResolved, LadoDipSampleCompleted, LadoReviewReported,
    AuditCompleted,
    RecommendationMade, RecommendationCompleted, RecommendationImpactEvidenced,
    LearningDisseminated, BriefingUsed, EngagementHeld, EngagementChangeReported,
    ClockSet, ClockStopped,
)
