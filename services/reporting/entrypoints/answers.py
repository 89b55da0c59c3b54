"""What each of the reporting service's JSON endpoints answers, field by field (issue 15): the models the
OpenAPI describes each figure with.

The models document the answers; they do not make them. Each route declares its model for its 200 answer
(`responses={200: {"model": ...}}`) and its handler still returns the figure functions' dicts, serialized as
before: a `response_model` would filter, reorder or coerce them, and an answer's bytes must not change.
tests/integration/test_typed_answers.py proves the models true: every answer of the sample, for several windows,
validates against its model, and no model allows a field it does not name (`extra="forbid"`). (FastAPI still
writes the handler's own `dict` beside the `$ref` in each 200 schema, `"type": "object"`; the `$ref` is the answer.)

Days are ISO dates (YYYY-MM-DD) and moments RFC 3339 times with their offset. Every figure answer begins with
the same head (`Head`): the partnership, the as-of moment and day, the reporting year's start, the period, and
the event types the figures are computed from.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel

from shared.events.reviews import (AuditKind, CaseKind, ClockName, Grading, ImpactKind, IncidentDecision,
                                   LearningSource, RecommendationSource)
from shared.events.strategy import (Assessment, Direction, EvidenceKind, PeriodType, StrategyKind, ThemeKind,
                                    Trajectory, Unit)

# the states the figures work out (services.reporting.figures); the test checks those the figures list
ActionStatus = Literal["overdue", "at_risk", "not_started", "on_track", "complete_late", "complete_on_time",
                       "deferred"]
Display = Literal["green", "green_without_evidence", "grey", "amber", "red"]
KpiStatus = Literal["off_track", "missing", "at_risk", "on_track", "no_target", "no_values"]
AreaProgress = Literal["no_links", "off_track", "at_risk", "complete", "not_started", "on_track"]
ClockState = Literal["met", "missed", "overdue", "near_breach", "open"]
RecommendationStatus = Literal["completed", "completed_late", "overdue", "open"]
RefresherState = Literal["due_soon", "overdue"]

EVENT_IDS = "the ids of the events behind it"


class Shape(BaseModel):
    """Every answer's model: a field it does not name is an error (so the test catches one a model forgets)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


# --- the head every figure answer shares (services.reporting.entrypoints.common.answer) ----------------------

class Period(Shape):
    """The days the figures cover, both included, and the moments that bound them."""

    label: str | None = Field(description="its name: a reporting year (2021-22), a quarter (2022-Q1) or a month "
                                          "(2022-01); none for days asked by `from` and `to`, or a start at `since`")
    first: date = Field(alias="from", description="its first day")
    last: date = Field(alias="to", description="its last day")
    starts_at: datetime = Field(description="the moment it starts: its first day's start in London, or `since`")
    ends_at: datetime = Field(description="the moment it ends: its last day's end in London")


class Head(Shape):
    """What every figure answer begins with."""

    partnership: str = Field(description="the partnership's code")
    as_of: datetime = Field(description="the moment the figures stood at")
    as_of_day: date = Field(description="the as-of moment's day in London: the day dates are compared with")
    year_starts: str = Field(description="MM-DD: the first day of the partnership's reporting year")
    period: Period = Field(description="the period the figures cover")
    sources: list[str] = Field(description="the event types the figures are computed from")


# --- strategy: /p/{partnership}/api/strategy/... ---------------------------------------------------------------

class Theme(Shape):
    code: str = Field(description="the theme's code")
    title: str = Field(description="its title")
    kind: ThemeKind = Field(description="theme, ambition, enabler, priority or standard")
    description: str | None = Field(description="what it means, as the strategy words it")


class Evidence(Shape):
    kind: EvidenceKind = Field(description="audit, kpi_value, document, minutes, report or other")
    ref: str = Field(description="the evidence's reference in its owner's system (or a KPI id:period)")
    title: str | None = Field(description="its title")


class ActionCounts(Shape):
    """How many of the actions shown have each status, decided on the as-of day."""

    overdue: int = Field(description="open after their due date")
    at_risk: int = Field(description="at risk")
    not_started: int = Field(description="not started")
    on_track: int = Field(description="in progress, on track")
    complete_late: int = Field(description="completed after their due date")
    complete_on_time: int = Field(description="completed by their due date")
    deferred: int = Field(description="deferred")
    total: int = Field(description="every action shown")
    green_without_evidence: int = Field(description="shown green without an evidence reference")


class Action(Shape):
    """An action as it stood on the as-of day: its plan and the state the strategy service decided."""

    action_id: str = Field(description="the action's id")
    priority_id: str = Field(description="the priority it serves")
    letter: str = Field(description="its letter within the priority (a, b, ...)")
    title: str = Field(description="what is to be done")
    owner_agency: str = Field(description="the agency that reports its progress")
    owner_group: str | None = Field(description="the governance group that owns it")
    kpi_ids: list[str] = Field(description="the KPIs that measure it")
    status: ActionStatus = Field(description="the decided status, or overdue when still open after its due date")
    due_on: date = Field(description="the due date in force (the plan's, or a reopen's new one)")
    started_on: date | None = Field(description="its first start or progress report")
    completed_on: date | None = Field(description="its completion's date, once completed")
    assessment: Assessment | None = Field(description="the latest progress report's assessment")
    evidence: list[Evidence] = Field(description="the evidence behind its claim")
    evidenced: bool = Field(description="whether its claim carries at least one evidence reference")
    reopened: int = Field(description="how many times it was reopened")
    last_note: str | None = Field(description="the latest progress report's note")
    display: Display = Field(description="how it is shown: green (with evidence), green_without_evidence, grey, "
                                         "amber or red")
    event_ids: list[str] = Field(description="the ids of its plan's and steps' events")


class KpiBrief(Shape):
    """A KPI in brief: its status and its latest value."""

    kpi_id: str = Field(description="the KPI's id")
    title: str = Field(description="its title")
    unit: Unit = Field(description="percent, count or rate_per_10000")
    status: KpiStatus = Field(description="its status: its latest period's (the worst of its agencies')")
    value: float | None = Field(description="its latest value (of the period ending last); none without one")
    period: str | None = Field(description="the period of that value")
    expected: float | None = Field(description="what the trajectory expected for that period")


class Priority(Shape):
    priority_id: str = Field(description="the priority's id")
    number: int = Field(description="its number in its strategy")
    title: str = Field(description="its title")
    success: str | None = Field(description="what success will look like, as the plan words it")
    success_measures: list[str] = Field(description="how success is measured, as the plan words it")
    counts: ActionCounts = Field(description="its actions by status")
    actions: list[Action] = Field(description="its actions shown, by letter")
    kpis: list[KpiBrief] = Field(description="the KPIs of this priority")
    event_ids: list[str] = Field(description=EVENT_IDS)


class Strategy(Shape):
    """A strategy or plan the period shows, with its priorities."""

    strategy_id: str = Field(description="the strategy's id")
    kind: StrategyKind = Field(description="strategy, delivery_plan or improvement_plan")
    title: str = Field(description="its title")
    starts_on: date = Field(description="the first day it runs")
    ends_on: date = Field(description="the last day it runs")
    owner_agency: str = Field(description="the agency accountable for it")
    owner_group: str | None = Field(description="the governance group that owns it")
    themes: list[Theme] = Field(description="its themes")
    counts: ActionCounts = Field(description="its priorities' actions by status")
    priorities: list[Priority] = Field(description="its priorities, by number")
    kpis: list[KpiBrief] = Field(description="the KPIs of the strategy itself (of none of its priorities)")
    event_ids: list[str] = Field(description=EVENT_IDS)


class ScorecardAnswer(Head):
    strategies: list[Strategy] = Field(description="each strategy or plan the period shows, first published first")


class Dated(Shape):
    value: float = Field(description="the figure, in the KPI's unit")
    on: date = Field(description="the day it is for")


class Superseded(Shape):
    value: float = Field(description="the earlier value")
    event_id: str = Field(description="the id of the value's event")
    recorded_at: datetime = Field(description="when it was recorded")


class KpiPeriod(Shape):
    """One period of a KPI's series: the value that stood on the as-of day against what was expected."""

    period: str = Field(description="the period's label (2022-01, 2022-Q1, 2021-22)")
    start: date = Field(description="its first day")
    end: date = Field(description="its last day")
    expected: float | None = Field(description="where the trajectory says the KPI should be at its end")
    target: float | None = Field(description="the KPI's target value")
    value: float | None = Field(description="the value standing (the latest correction); none: missing")
    status: KpiStatus = Field(description="on_track, at_risk or off_track against its thresholds, no_target, or "
                                          "missing: due (from its due day) without a value")
    event_id: str | None = Field(description="the id of the value's event")
    source: str | None = Field(description="where the value comes from, as recorded")
    superseded: list[Superseded] = Field(description="the earlier values it corrected")


class KpiSeries(Shape):
    agency: str | None = Field(description="the agency the values are for; none: the partnership's own figure")
    rows: list[KpiPeriod] = Field(description="one row per period, in order")
    status: KpiStatus = Field(description="its latest period's status")


class KpiListed(Shape):
    """A KPI as defined by the as-of moment, with its status and latest value."""

    kpi_id: str = Field(description="the KPI's id")
    owner_agency: str = Field(description="the agency that defined it (its owner): who is told of it")
    title: str = Field(description="its title")
    strategy_id: str | None = Field(description="the strategy or plan it measures")
    priority_id: str | None = Field(description="the priority it measures")
    numerator: str = Field(description="what is counted")
    denominator: str | None = Field(description="what it is counted out of, for a percentage or rate")
    unit: Unit = Field(description="percent, count or rate_per_10000 (per 10,000 children)")
    direction: Direction = Field(description="higher_is_better or lower_is_better")
    period_type: PeriodType = Field(description="month, quarter or year")
    baseline: Dated | None = Field(description="where it started")
    target: Dated | None = Field(description="where it should get to, by when")
    trajectory: Trajectory = Field(description="how the expected value moves: linear, rate_per_period or "
                                               "target_only")
    rate_per_period: float | None = Field(description="the percent change expected each period (rate_per_period)")
    tolerance: float | None = Field(description="how far from the trajectory, in its unit, is still at risk rather "
                                                "than off track; none: 5% of the expected value")
    status: KpiStatus = Field(description="its latest period's status (the worst of its agencies'); no_values "
                                          "without any")
    latest: KpiPeriod | None = Field(description="the row with a value whose period ends last")
    event_ids: list[str] = Field(description="the ids of its definition's event and of its values' events")


class Kpi(KpiListed):
    series: list[KpiSeries] = Field(description="its whole history to the as-of day, per agency")


class KpisAnswer(Head):
    kpis: list[KpiListed] = Field(description="every KPI the period shows (without their series)")


class KpiAnswer(Head):
    kpi: Kpi = Field(description="the KPI, with its series")


class AttentionAction(Shape):
    action_id: str = Field(description="the action's id")
    title: str = Field(description="what is to be done")
    due_on: date = Field(description="the due date in force")
    status: ActionStatus = Field(description="its status on the as-of day")
    display: Display = Field(description="how it is shown")
    event_ids: list[str] = Field(description=EVENT_IDS)


class Owner(Shape):
    """One owner's actions that need attention."""

    owner_agency: str = Field(description="the agency that reports their progress")
    owner_group: str | None = Field(description="the governance group that owns them")
    overdue: list[AttentionAction] = Field(description="still open after their due date")
    at_risk: list[AttentionAction] = Field(description="at risk")
    green_without_evidence: list[AttentionAction] = Field(description="shown green without evidence")


class AttentionAnswer(Head):
    owners: list[Owner] = Field(description="by owner (agency, then group): only owners with such actions")


class AreaAction(Shape):
    action_id: str = Field(description="the action's id")
    title: str = Field(description="what is to be done")
    owner_agency: str = Field(description="the agency that reports its progress")
    due_on: date = Field(description="the due date in force")
    status: ActionStatus = Field(description="its status on the as-of day")
    display: Display = Field(description="how it is shown")


class OfstedArea(Shape):
    """An Ofsted area for improvement, rolled up from what it is linked to."""

    area_id: str = Field(description="the area's id")
    inspection: str = Field(description="the inspection, e.g. ofsted-ilacs-2022-02")
    inspected_on: date = Field(description="the day of the inspection")
    number: int = Field(description="its number in the inspection's report")
    title: str = Field(description="the area for improvement, as the report words it")
    progress: AreaProgress = Field(description="the roll-up of its actions' and KPIs' statuses (no_links: nothing "
                                               "linked)")
    actions: list[AreaAction] = Field(description="its linked actions shown")
    kpis: list[KpiBrief] = Field(description="its linked KPIs")
    event_ids: list[str] = Field(description="the ids of its event and of its actions' events")


class OfstedAnswer(Head):
    areas: list[OfstedArea] = Field(description="every area identified by the as-of moment, by inspection and number")


# --- reviews: /p/{partnership}/api/reviews/... -----------------------------------------------------------------

class ClockRule(Shape):
    """A statutory clock, as published by the reviews service."""

    clock: ClockName = Field(description="the clock's name")
    label: str = Field(description="what it measures, in words")
    amount: int = Field(description="how long it runs, in `unit`")
    unit: Literal["working_days", "months"] = Field(description="working_days or months")
    starts: str = Field(description="the fact that starts it")
    stops: str = Field(description="the fact that stops it")
    near_breach_within_working_days: int = Field(description="working days left at which an open clock is a near "
                                                             "breach")
    target: float = Field(description="the share of cases expected on time (1.0: all)")
    basis: str = Field(description="where the rule comes from")


class Clock(Shape):
    """One case's statutory clock, as it stood on the as-of day."""

    case_kind: CaseKind = Field(description="serious_incident, practice_review or allegation")
    owner: str = Field(description="the agency whose fact started the clock (the case's owner): who is told of it")
    case: str = Field(description="the incident, practice review or allegation it runs for")
    rule: ClockName = Field(description="which statutory clock (`rules[].clock`)")
    start: date = Field(description="day 0 of the clock, decided by the reviews service")
    due: date = Field(description="the day the clock is due, decided by the reviews service")
    near_breach_from: date = Field(description="from this day a clock still running is a near breach")
    done: date | None = Field(description="the day it stopped, if by the as-of day: the earliest its stoppers give")
    state: ClockState = Field(description="met or missed once stopped (by its due day, or after); else overdue "
                                          "after its due day, near_breach from its near-breach day, or open")
    working_days_left: int | None = Field(
        description="while it runs and is not yet overdue: the working days after the as-of day up to its due day, "
                    "as the reviews service listed them (0 on the due day); null once stopped or overdue, or for a "
                    "clock set before the list was published")
    breached: bool = Field(description="whether it is missed or overdue")
    event_ids: list[str] = Field(description="the ids of the facts that set and stopped it")
    decision_ids: list[str] = Field(description="the ids of the reviews service's decisions on it")


class ClocksAnswer(Head):
    rules: list[ClockRule] = Field(description="every statutory clock's rule")
    open: list[Clock] = Field(description="the clocks still running (open, near breach or overdue), by due day")
    overdue: list[Clock] = Field(description="the clocks running past their due day")
    near_breach: list[Clock] = Field(description="the clocks running from their near-breach day, not yet due")
    breaches: list[Clock] = Field(description="the clocks overdue or missed")
    clocks: list[Clock] = Field(description="every clock that ran in the period, by start")


class ClockCase(Shape):
    case: str = Field(description="the case the clock runs for")
    start: date = Field(description="day 0 of the clock")
    due: date = Field(description="the day the clock is due")
    done: date | None = Field(description="the day it stopped, if by the as-of day")
    state: ClockState = Field(description="met, missed, overdue, near_breach or open")
    event_ids: list[str] = Field(description="the ids of the facts that set and stopped it")


class Timeliness(Shape):
    """One statutory clock: of its cases decided by the as-of day (stopped, or overdue), the share on time."""

    clock: ClockName = Field(description="the clock's name")
    label: str = Field(description="what it measures, in words")
    target: float = Field(description="the share of cases expected on time")
    decided: int = Field(description="cases on time or late")
    on_time: int = Field(description="cases met")
    late: int = Field(description="cases missed or overdue")
    share_on_time: float | None = Field(description="on_time / decided, to 3 places; none without a decided case")
    meets_target: bool | None = Field(description="whether the share meets the target; none without a share")
    still_running: int = Field(description="cases open or near breach")
    cases: list[ClockCase] = Field(description="every case of this clock shown")


class TimelinessAnswer(Head):
    timeliness: list[Timeliness] = Field(description="one row per statutory clock")


class SeriousIncident(Shape):
    incident_id: str = Field(description="the incident's id")
    case_ref: str = Field(description="the partnership's case reference (never a child's name)")
    aware_on: date = Field(description="the day the local authority became aware")
    notified_on: date | None = Field(description="the day the national Panel was notified, if by the as-of day")
    decision: IncidentDecision | None = Field(description="what review it needs, if decided by the as-of day")
    event_ids: list[str] = Field(description=EVENT_IDS)


class LearningPoint(Shape):
    theme: str | None = Field(description="the Panel's theme it falls under; none if not one of them or not said")
    summary: str | None = Field(description="the learning in a sentence or two, if said")
    agencies: list[str] = Field(description="the agencies whose practice it concerns; empty if not said")


class RapidReview(Shape):
    review_id: str = Field(description="the rapid review's id")
    incident_id: str = Field(description="the serious incident reviewed")
    started_on: date = Field(description="the day it started")
    completed_on: date | None = Field(description="the day it was completed, if by the as-of day")
    sent_on: date | None = Field(description="the day it was sent to the Panel, if by the as-of day")
    practice_review_recommended: bool | None = Field(description="whether it recommends a local practice review; "
                                                                 "none until completed")
    learning_found: bool | None = Field(description="whether it found learning; none until completed")
    learning: list[LearningPoint] | None = Field(description="what it found, point by point (an event of v1 says "
                                                             "only that it found some: one point, nothing said); none "
                                                             "until completed")
    outcome: str | None = Field(description="its outcome in a few sentences; none until completed")
    event_ids: list[str] = Field(description=EVENT_IDS)


class PracticeReview(Shape):
    review_id: str = Field(description="the practice review's id")
    title: str = Field(description="its published or working title")
    decided_on: date = Field(description="the day it was decided (day 0 of the publication clock)")
    stages: dict[str, date] = Field(description="the day each stage was reached by the as-of day "
                                                "(reviewer_commissioned, terms_of_reference_agreed, report_received)")
    published_on: date | None = Field(description="the day it was published, if by the as-of day")
    link: str | None = Field(description="where the report is published, once published")
    event_ids: list[str] = Field(description=EVENT_IDS)


class CaseCounts(Shape):
    serious_incidents: int = Field(description="serious incidents shown")
    rapid_reviews_started: int = Field(description="rapid reviews shown")
    rapid_reviews_completed: int = Field(description="of them, completed by the as-of day")
    rapid_reviews_with_learning: int = Field(description="of them, that found learning")
    practice_reviews: int = Field(description="practice reviews shown")
    practice_reviews_published: int = Field(description="of them, published by the as-of day")


class CasesAnswer(Head):
    serious_incidents: list[SeriousIncident] = Field(description="the serious incidents open in the period")
    rapid_reviews: list[RapidReview] = Field(description="the rapid reviews open in the period")
    practice_reviews: list[PracticeReview] = Field(description="the practice reviews open in the period")
    counts: CaseCounts = Field(description="how many of each")


class Impact(Shape):
    evidence_id: str = Field(description="this piece of evidence's id")
    kind: ImpactKind = Field(description="kpi_value, audit_finding, inspection_finding or other")
    reference: str | None = Field(description="the KPI, audit or inspection it comes from")
    evidenced_on: date = Field(description="the day it was recorded")
    summary_text: str = Field(description="what it shows")


class Recommendation(Shape):
    recommendation_id: str = Field(description="the recommendation's id")
    source: RecommendationSource = Field(description="what made it: a rapid review, practice review, audit, ...")
    source_id: str = Field(description="the id of the review, audit or inspection that made it")
    text: str = Field(description="the recommendation")
    owner: str = Field(description="the agency (or governance group) that owns it")
    made_on: date = Field(description="the day it was made")
    due_on: date = Field(description="the day it is due to be completed")
    action_ids: list[str] = Field(description="the strategy actions that carry it out")
    status: RecommendationStatus = Field(description="completed (by its due day), completed_late, overdue (not "
                                                     "completed, due day passed) or open")
    completed_on: date | None = Field(description="the day it was completed, once completed")
    evidence: str | None = Field(description="what shows it was done, once completed")
    impacts: list[Impact] = Field(description="the evidence of its impact recorded by the as-of day")
    event_ids: list[str] = Field(description=EVENT_IDS)


class RecommendationOwner(Shape):
    owner: str = Field(description="the owning agency or group")
    open: int = Field(description="its recommendations open (overdue ones included)")
    overdue: int = Field(description="its recommendations overdue")
    completed: int = Field(description="its recommendations completed, on time or late")
    recommendations: list[str] = Field(description="their ids")


class RecommendationsAnswer(Head):
    made: int = Field(description="recommendations shown: made by the period's end, not completed before it began")
    open: int = Field(description="of them, open or overdue")
    overdue: int = Field(description="of them, overdue")
    completed: int = Field(description="of them, completed (on time or late)")
    with_impact_evidence: int = Field(description="of them, with evidence of impact")
    by_owner: list[RecommendationOwner] = Field(description="by owner")
    recommendations: list[Recommendation] = Field(description="each one, by due day")


class LearningGroup(Shape):
    items: int = Field(description="how many learning items")
    learning_ids: list[str] = Field(description="their ids")


class LearningByTheme(LearningGroup):
    theme: str = Field(description="one of the national Panel's themes")


class LearningBySource(LearningGroup):
    source: LearningSource = Field(description="where the learning came from")


class LearningItem(Shape):
    learning_id: str = Field(description="the learning item's id")
    source: LearningSource = Field(description="where it came from")
    source_id: str | None = Field(description="the review, audit or inspection it came from")
    themes: list[str] = Field(description="the Panel's themes it is about")
    summary_text: str = Field(description="what was learned")
    audience: list[str] = Field(description="who it was for")
    disseminated_on: date = Field(description="the day it was disseminated")
    format: str = Field(description="how: seven_minute_briefing, briefing, newsletter, practitioner_event, training "
                                    "or other")
    event_ids: list[str] = Field(description=EVENT_IDS)


class Learning(Shape):
    items: int = Field(description="learning items disseminated in the period, by the as-of day")
    by_theme: list[LearningByTheme] = Field(description="by Panel theme, most items first")
    by_source: list[LearningBySource] = Field(description="by source")
    learning: list[LearningItem] = Field(description="each item, by the day it was disseminated")


class LearningAnswer(Learning, Head):
    pass


class BriefingUseByAgency(Shape):
    agency: str = Field(description="the agency that used briefings (its key's)")
    uses: int = Field(description="times it used a briefing with staff")
    staff: int = Field(description="staff reached, summed over its uses")
    learning_ids: list[str] = Field(description="the learning items whose briefings it used")
    event_ids: list[str] = Field(description=EVENT_IDS)


class BriefingUseByItem(Shape):
    learning_id: str = Field(description="the learning item")
    uses: int = Field(description="times its briefing was used")
    staff: int = Field(description="staff reached")
    agencies: list[str] = Field(description="the agencies that used it")
    event_ids: list[str] = Field(description=EVENT_IDS)


class BriefingsUsed(Shape):
    uses: int = Field(description="uses of briefings with staff in the period, by the as-of day")
    staff: int = Field(description="staff reached, summed over the uses")
    by_agency: list[BriefingUseByAgency] = Field(description="by agency, most staff first")
    by_learning_item: list[BriefingUseByItem] = Field(description="by learning item")


class BriefingsUsedAnswer(BriefingsUsed, Head):
    pass


class HeardGroup(Shape):
    group: str = Field(description="children_and_young_people, care_experienced_young_people, young_carers, "
                                   "parents_and_carers or families")
    count: int | None = Field(None, description="how many took part, where counted")
    age_band: str | None = Field(None, description="their ages, as a band")


class EngagementChange(Shape):
    change_id: str = Field(description="the change's id")
    reported_on: date = Field(description="the day it was made, or reported")
    change: str = Field(description="what changed")
    action_ids: list[str] = Field(description="the strategy actions that carry it")
    reported_by: str = Field(description="the agency that reported it")
    event_ids: list[str] = Field(description=EVENT_IDS)


class Engagement(Shape):
    engagement_id: str = Field(description="the engagement's id")
    kind: str = Field(description="youth_council, voice_group, survey, consultation, participation_event or other")
    title: str = Field(description="what it was")
    group: str = Field(description="the forum or group heard through")
    held_on: date = Field(description="the day it took place, or began")
    ended_on: date | None = Field(description="the day it ended, for work over a period")
    heard: list[HeardGroup] = Field(description="who was heard, in aggregate")
    said: list[str] = Field(description="what they said, in themes")
    themes: list[str] = Field(description="the Panel's themes it touches")
    summary_text: str | None = Field(description="what it was, briefly")
    recorded_by: str = Field(description="the agency that recorded it")
    changes: list[EngagementChange] = Field(description="what changed as a result, by the as-of day")
    event_ids: list[str] = Field(description=EVENT_IDS)


class HeardByGroup(Shape):
    group: str = Field(description="the group heard")
    engagements: int = Field(description="engagements that heard it")
    counted: int = Field(description="people of it counted, over those engagements")
    engagements_not_counted: int = Field(description="engagements that heard it without a count")


class Voice(Shape):
    engagements: int = Field(description="engagements held in the period, by the as-of day")
    changes: int = Field(description="changes reported as a result, by the as-of day")
    with_changes: int = Field(description="engagements with at least one change")
    changes_linked_to_actions: int = Field(description="changes carried by a strategy action")
    people_heard_counted: int = Field(description="people heard, where counted")
    by_kind: dict[str, int] = Field(description="engagements by kind")
    by_group: list[HeardByGroup] = Field(description="who was heard, by group")
    engagement_list: list[Engagement] = Field(description="each engagement, by the day it was held")


class VoiceAnswer(Voice, Head):
    pass


class Audit(Shape):
    audit_id: str = Field(description="the audit's id")
    kind: AuditKind = Field(description="multi_agency_audit or deep_dive")
    theme: str = Field(description="what it looked at")
    themes: list[str] = Field(description="the Panel's themes it touches")
    completed_on: date = Field(description="the day it was completed")
    cases_sampled: int = Field(description="how many cases were sampled")
    agencies: list[str] = Field(description="the agencies taking part")
    findings: list[str] = Field(description="what it found")
    grading: Grading | None = Field(description="the overall grading of practice, if one was given")
    event_ids: list[str] = Field(description=EVENT_IDS)


class Audits(Shape):
    audits: int = Field(description="multi-agency audits completed in the period, by the as-of day")
    deep_dives: int = Field(description="deep dives completed in the period, by the as-of day")
    cases_sampled: int = Field(description="cases sampled by them all")
    by_grading: dict[str, int] = Field(description="how many had each grading (not_graded: none given)")
    by_kind: dict[str, int] = Field(description="how many of each kind")
    completed: list[Audit] = Field(description="each one, by the day it was completed")


class AuditsAnswer(Audits, Head):
    pass


class DipSample(Shape):
    sample_id: str = Field(description="the dip sample's id")
    completed_on: date = Field(description="the day it was completed")
    cases_sampled: int = Field(description="how many cases were sampled")
    findings: list[str] = Field(description="what it found")
    grading: Grading | None = Field(description="the overall grading, if one was given")
    event_ids: list[str] = Field(description=EVENT_IDS)


class LadoQuarter(Shape):
    """One quarter of the partnership's reporting year."""

    quarter: str = Field(description="the quarter, e.g. 2021-22 Q3")
    referred: int = Field(description="allegations referred to the LADO in it")
    referred_within_1_working_day: int = Field(description="of them, referred within 1 working day (clock met)")
    resolved: int = Field(description="allegations resolved in it")
    resolved_within_1_month: int = Field(description="of them, resolved within 1 month (clock met)")
    resolved_within_3_months: int = Field(description="of them, resolved within 3 months (clock met)")
    resolved_within_12_months: int = Field(description="of them, resolved within 12 months (clock met)")
    outcomes: dict[str, int] = Field(description="the resolved allegations by outcome")
    by_sector: dict[str, int] = Field(description="the referred allegations by the person's employment sector")
    by_category: dict[str, int] = Field(description="the referred allegations by category")
    allegation_ids: list[str] = Field(description="the referred allegations' ids")
    dip_samples: list[DipSample] = Field(description="the dip samples of the quarter")
    cases_sampled: int = Field(description="cases sampled by them")


class LadoReview(Shape):
    review_id: str = Field(description="the LADO service review's id")
    title: str = Field(description="its title")
    reported_on: date = Field(description="the day its final report was produced")
    summary: str = Field(description="what it concluded")
    event_ids: list[str] = Field(description=EVENT_IDS)


class LadoAnswer(Head):
    by_quarter: list[LadoQuarter] = Field(description="by quarter of the reporting year, in order")
    dip_samples: int = Field(description="dip samples completed in the period")
    allegations_referred: int = Field(description="allegations referred in the period")
    service_reviews: list[LadoReview] = Field(description="the LADO service reviews reported in the period")


# --- training: /p/{partnership}/api/training/... ---------------------------------------------------------------
# Each training figure is answered on its own (the head's `sources` its own) and in the summary (`/api/training`,
# each figure keeping its `sources`): `Attendance` is the figure, `AttendanceAnswer` and `AttendanceFigure` the two.

class Sourced(Shape):
    sources: list[str] = Field(description="the event types the figure is computed from")


class AgencyAttended(Shape):
    agency: str = Field(description="the attendee's agency")
    attended: int = Field(description="its attendances")


class CourseAttended(Shape):
    course_id: str = Field(description="the course's id")
    title: str = Field(description="its title")
    sessions: int = Field(description="its sessions held in the period")
    attended: int = Field(description="attendances at them")


class ModeAttended(Shape):
    mode: str = Field(description="face_to_face, virtual or e_learning")
    sessions: int = Field(description="sessions held so")
    attended: int = Field(description="attendances at them")
    share: float = Field(description="the share of all attendances, to 3 places")
    fill_rate: float | None = Field(description="attended / places offered at those with a capacity; none without")


class MonthAttended(Shape):
    month: str = Field(description="the month (YYYY-MM) of the sessions, in London")
    attended: int = Field(description="attendances")


class Attendance(Shape):
    """Attendance at the sessions held in the period, by the as-of moment."""

    attendances: int = Field(description="people attending, once per session")
    people: int = Field(description="different people attending")
    no_shows: int = Field(description="people recorded as not attending (no_show), once per session")
    late_cancellations: int = Field(description="people who cancelled late (after the cut-off), once per session")
    sessions_held: int = Field(description="sessions held")
    places_offered: int = Field(description="the capacities of the sessions held that have one")
    fill_rate: float | None = Field(description="attendances at those sessions / places offered; none without places")
    no_show_rate: float | None = Field(description="no-shows / (attendances + no-shows)")
    late_cancellation_rate: float | None = Field(description="late cancellations / people recorded at, or holding a "
                                                             "place at, the sessions")
    by_agency: list[AgencyAttended] = Field(description="by the attendee's agency, most first")
    by_course: list[CourseAttended] = Field(description="by course, most attended first")
    by_delivery_mode: list[ModeAttended] = Field(description="by delivery mode")
    by_month: list[MonthAttended] = Field(description="by month, in order")


class UpcomingSession(Shape):
    session_id: str = Field(description="the session's id")
    capacity: int | None = Field(description="its places; none: not limited")
    booked: int = Field(description="people booked")
    waiting: int = Field(description="people on its waiting list")
    fill_rate: float | None = Field(description="booked / capacity; none without a capacity")


class Bookings(Shape):
    """Bookings for the sessions in the period, replayed as recorded by the as-of moment."""

    bookings: int = Field(description="bookings made (booked, waiting or cancelled since), once per person and "
                                       "session")
    booked: int = Field(description="of them, holding a place")
    waiting: int = Field(description="of them, on a waiting list")
    promoted_from_waiting_list: int = Field(description="of them, promoted from a waiting list")
    left_waiting_list: int = Field(description="of them, who cancelled while waiting")
    cancelled_in_time: int = Field(description="places cancelled before the cut-off")
    cancelled_late: int = Field(description="places cancelled after the cut-off, as the training service judged")
    late_cancellation_rate: float | None = Field(description="late cancellations / bookings that held a place")
    no_shows_among_booked: int = Field(description="people holding a place at a session held, recorded not attending")
    no_show_rate_among_booked: float | None = Field(description="no-shows / people holding a place at sessions held")
    upcoming_sessions: list[UpcomingSession] = Field(description="the sessions after the as-of moment with bookings")
    cut_off: str = Field(description="the training service's cancellation cut-off, in words")


class FollowUps(Shape):
    responses: int = Field(description="6-8-week follow-ups from attendees")
    on_time: int = Field(description="of them, on time (42 to 56 days after the session), as judged")
    practice_changed: int = Field(description="of them, saying practice changed")
    practice_partly_changed: int = Field(description="saying it partly changed")
    practice_not_changed: int = Field(description="saying it did not change")
    changed_rate: float | None = Field(description="(changed + partly changed) / responses")
    share_of_attendees: float | None = Field(description="responses / attendances")


class FeedbackSummary(Shape):
    """A feedback survey's own count for a period, beside the evaluations recorded one by one (never added in)."""

    summary_id: str = Field(description="the summary's id")
    title: str = Field(description="the survey")
    period_start: date = Field(description="the first day it covers")
    period_end: date = Field(description="the last day it covers")
    statement: str = Field(description="what respondents agreed with")
    responses: int = Field(description="responses, as the survey tool counted them")
    agreed: int = Field(description="of them, agreeing, as the survey tool counted them")
    reported_by: str = Field(description="the agency that reported it")
    evaluations_recorded: int = Field(description="the evaluations on the day recorded one by one in the period")
    more_responses_than_recorded: bool = Field(description="whether the survey tool counts more responses than the "
                                                           "evaluations recorded: the two cannot both be right")
    event_ids: list[str] = Field(description=EVENT_IDS)


class Evaluations(Shape):
    """Evaluations of the sessions held in the period, by the as-of moment."""

    attended: int = Field(description="attendances (people, once per session)")
    responses: int = Field(description="evaluations on the day from them")
    people_responding: int = Field(description="different people responding")
    response_rate: float | None = Field(description="responses / attendances")
    agreed_good_use_of_time: int = Field(description="responses agreeing it was a good use of time, as judged")
    agreed_positive_impact: int = Field(description="responses agreeing it will have a positive impact, as judged")
    agreed_both: int = Field(description="responses agreeing on both")
    agreement_rate: float | None = Field(description="agreed_both / responses")
    with_comments: int = Field(description="responses with comments")
    follow_ups: FollowUps = Field(description="the follow-ups 6 to 8 weeks on")
    reported_summaries: list[FeedbackSummary] = Field(description="feedback surveys' own counts for periods that "
                                                                  "ended in the period, shown beside")
    rules: str = Field(description="the training service's rules of agreement and follow-ups, in words")


class Preferences(Shape):
    virtual: int = Field(description="respondents preferring virtual training")
    face_to_face: int = Field(description="preferring face to face")
    e_learning: int = Field(description="preferring e-learning")


class Shares(Shape):
    virtual: float | None = Field(description="the share preferring virtual training")
    face_to_face: float | None = Field(description="the share preferring face to face")
    e_learning: float | None = Field(description="the share preferring e-learning")


class Survey(Shape):
    survey_id: str = Field(description="the needs analysis's id")
    title: str = Field(description="its title")
    closed_on: date = Field(description="the day it closed")
    respondents: int = Field(description="how many responded")
    preferences: Preferences = Field(description="respondents by preferred delivery mode")
    shares: Shares = Field(description="the same as shares of the respondents, to 3 places")
    event_id: str = Field(description="the id of its event")


class NeedsAnalysis(Shape):
    surveys: list[Survey] = Field(description="each needs analysis closed in the period, by the as-of day")


class ProgrammePeriod(Shape):
    period_start: date = Field(description="the reported period's first day")
    period_end: date = Field(description="its last day")
    sessions: int = Field(description="sessions run in it")
    attendees: int = Field(description="attendees in it")
    event_id: str = Field(description="the id of its report's event")


class Programme(Shape):
    programme_id: str = Field(description="the programme's id")
    title: str = Field(description="its title")
    reported_by: str = Field(description="the agency that runs and reports it")
    serves: list[str] = Field(description="the priorities and strategies it serves")
    sessions: int = Field(description="sessions over its periods ended in the period")
    attendees: int = Field(description="attendees over those periods")
    periods: list[ProgrammePeriod] = Field(description="its reported periods")


class Programmes(Shape):
    programmes: list[Programme] = Field(description="partner programmes reported in aggregate")
    note: str = Field(description="how they are counted: never added into individual attendance")


class Coverage(Shape):
    people: int = Field(description="people holding it")
    by_agency: dict[str, int] = Field(description="by agency")
    by_role: dict[str, int] = Field(description="by role (unstated: none given)")


class PrincipleCoverage(Coverage):
    items: dict[str, int] = Field(description="people holding each of its items (be_aware.a, ...)")


class CoreCoverage(Shape):
    be_aware: PrincipleCoverage = Field(description="the Core Principle be_aware")
    recognise: PrincipleCoverage = Field(description="the Core Principle recognise")
    respond: PrincipleCoverage = Field(description="the Core Principle respond")
    communicate: PrincipleCoverage = Field(description="the Core Principle communicate")


class RefresherDue(Shape):
    attendee_ref: str = Field(description="the person's pseudonymous reference")
    agency: str = Field(description="their agency")
    course_id: str = Field(description="the course to refresh")
    attended_on: date = Field(description="the day they last attended it")
    due: date = Field(description="the day the refresher is due, set by the training service")
    due_soon_from: date = Field(description="from this day it is due soon, set by the training service")
    state: RefresherState = Field(description="due_soon, or overdue after its due day")


class Refreshers(Shape):
    due_soon: int = Field(description="refreshers due soon")
    overdue: int = Field(description="refreshers overdue")
    people: list[RefresherDue] = Field(description="each of them, by due day (at most 500)")
    listed: int = Field(description="how many are listed (at most 500)")


class Competencies(Shape):
    """Competencies held on the as-of day: from attending a course that builds one, while its refresher is not
    overdue."""

    people_trained: int = Field(description="people who attended any course")
    coverage: CoreCoverage = Field(description="people holding each Core Principle and its items")
    refreshers: Refreshers = Field(description="refreshers due soon or overdue")


class PartnerReach(Shape):
    programme_id: str = Field(description="the partner programme's id")
    sessions: int = Field(description="its sessions")
    attendees: int = Field(description="its attendees")


class Served(Shape):
    id: str = Field(description="the priority or strategy served")
    courses: list[str] = Field(description="the courses serving it with sessions in the period")
    sessions: int = Field(description="their sessions in the period")
    people_reached: int = Field(description="people attending them")
    partner_programmes: list[PartnerReach] = Field(description="partner programmes serving it, shown beside")


class Priorities(Shape):
    served: list[Served] = Field(description="each priority or strategy the period's training served")


class AttendanceAnswer(Attendance, Head):
    pass


class BookingsAnswer(Bookings, Head):
    pass


class EvaluationsAnswer(Evaluations, Head):
    pass


class NeedsAnalysisAnswer(NeedsAnalysis, Head):
    pass


class ProgrammesAnswer(Programmes, Head):
    pass


class CompetenciesAnswer(Competencies, Head):
    pass


class PrioritiesAnswer(Priorities, Head):
    pass


class AttendanceFigure(Sourced, Attendance):
    pass


class BookingsFigure(Sourced, Bookings):
    pass


class EvaluationsFigure(Sourced, Evaluations):
    pass


class NeedsAnalysisFigure(Sourced, NeedsAnalysis):
    pass


class ProgrammesFigure(Sourced, Programmes):
    pass


class CompetenciesFigure(Sourced, Competencies):
    pass


class PrioritiesFigure(Sourced, Priorities):
    pass


class TrainingAnswer(Head):
    """Every training figure at once; the head's `sources` are all of theirs."""

    attendance: AttendanceFigure = Field(description="as /api/training/attendance")
    bookings: BookingsFigure = Field(description="as /api/training/bookings")
    evaluations: EvaluationsFigure = Field(description="as /api/training/evaluations")
    needs_analysis: NeedsAnalysisFigure = Field(description="as /api/training/needs-analysis")
    programmes: ProgrammesFigure = Field(description="as /api/training/programmes")
    competencies: CompetenciesFigure = Field(description="as /api/training/competencies")
    priorities: PrioritiesFigure = Field(description="as /api/training/priorities")


# --- the dashboard, the partnerships, the audit log, events and versions ---------------------------------------

class DashboardEvaluations(Shape):
    responses: int = Field(description="evaluations on the day")
    agreed_both: int = Field(description="of them, agreeing on both scales")
    response_rate: float | None = Field(description="responses / attendances")
    sources: list[str] = Field(description="the event types they are computed from")


class DashboardMode(Shape):
    mode: str = Field(description="face_to_face, virtual or e_learning")
    sessions: int = Field(description="sessions held so")
    attended: int = Field(description="attendances at them")
    share: float = Field(description="the share of all attendances")


class DashboardProgramme(Shape):
    programme_id: str = Field(description="the partner programme's id")
    title: str = Field(description="its title")
    reported_by: str = Field(description="the agency that runs and reports it")
    sessions: int = Field(description="its sessions")
    attendees: int = Field(description="its attendees")


class DashboardTraining(Shape):
    """The training tiles: the training figures as of now, for the reporting year of the latest session held."""

    period: Period = Field(description="the reporting year the tiles cover")
    attendances: int = Field(description="people attending, once per session")
    no_shows: int = Field(description="people recorded as not attending (no_show), once per session")
    late_cancellations: int = Field(description="people who cancelled late")
    courses: int = Field(description="courses published")
    sessions: int = Field(description="sessions scheduled in the period, held or to come")
    by_agency: list[AgencyAttended] = Field(description="attendances by agency, most first")
    by_course: list[CourseAttended] = Field(description="by course, most attended first")
    by_delivery_mode: list[DashboardMode] = Field(description="by delivery mode")
    last_event_at: datetime | None = Field(description="when the latest attendance was recorded")
    sources: list[str] = Field(description="the event types the attendance tiles are computed from")
    evaluations: DashboardEvaluations = Field(description="evaluations on the day")
    needs_analysis: Survey | None = Field(description="the latest needs analysis closed in the period")
    partner_programmes: list[DashboardProgramme] = Field(description="partner programmes, kept apart")


class DashboardAnswer(Shape):
    name: str = Field(description="the partnership's name")
    partnership: str = Field(description="the partnership's code")
    generated_at: datetime = Field(description="when these figures were computed (they are kept until an event is "
                                               "projected for the partnership)")
    training: DashboardTraining = Field(description="the training tiles")
    as_of_event: str | None = Field(description="the id of the latest event projected when they were computed")


class PartnershipListed(Shape):
    code: str = Field(description="the partnership's code")
    name: str = Field(description="its name")
    area: str = Field(description="the local authority area it covers")
    year_starts: str = Field(description="MM-DD: the first day of its reporting year")
    dashboard: str = Field(description="its dashboard page's path")
    figures: str = Field(description="its dashboard figures' path")


class Partnerships(RootModel[list[PartnershipListed]]):
    """The partnerships the reader may read."""


class AuditEntry(Shape):
    at: datetime = Field(description="when")
    partnership: str = Field(description="the partnership read")
    who: str = Field(description="who: reader:<username>, key:<key id> or anonymous")
    name: str | None = Field(description="the reader's or key's name")
    role: str | None = Field(description="the reader's role; none for a key")
    what: str = Field(description="what was asked: the method and path")
    outcome: Literal["shown", "refused"] = Field(description="shown, or refused: the reader may not read the "
                                                                "partnership")
    address: str | None = Field(description="the client's address")


class AuditAnswer(Shape):
    partnership: str = Field(description="the partnership's code")
    entries: list[AuditEntry] = Field(description="its audit log, newest first")


class WrittenEvent(Shape):
    source: str = Field(description="the event's source")
    id: str = Field(description="the event's id")
    type: str = Field(description="its type")
    status: Literal["accepted", "duplicate"] = Field(description="accepted, or duplicate: already there")


class WriteEntry(Shape):
    """One batch a domain service accepted, in the partnership's hash chain."""

    partnership: str = Field(description="the partnership written to")
    seq: int = Field(description="its number in the partnership's chain, from 1")
    at: datetime = Field(description="when it was accepted")
    service: str = Field(description="the domain service that accepted it")
    key_id: str = Field(description="the key that sent it")
    agency: str = Field(description="the key's agency")
    request_id: str = Field(description="the request's id (the client's X-Request-ID, or one made)")
    events: list[WrittenEvent] = Field(description="its events")
    prev: str = Field(description="the hash of the entry before it (64 zeros for the first)")
    hash: str = Field(description="the SHA-256 of this entry's canonical JSON")


class WritesAnswer(Shape):
    partnership: str = Field(description="the partnership's code")
    intact: bool = Field(description="whether the entries shown check, each linked to the one before: none changed, "
                                     "removed or inserted (the whole chain: python -m shared.auth verify-writes)")
    problems: list[str] = Field(description="what is wrong with it, if anything")
    entries: list[WriteEntry] = Field(description="its latest entries, newest first")


class EventShown(Shape):
    """What a reader is shown of an event a figure counts: never its data."""

    partnership: str = Field(description="the partnership it belongs to")
    event_id: str = Field(description="its id")
    type: str = Field(description="its type")
    source: str = Field(description="the system that sent it")
    agency: str = Field(description="the emitting agency")
    time: datetime = Field(description="its time (the envelope's `time`: when its sender emitted it)")
    subject: str | None = Field(description="the aggregate it is about")
    correlation_id: str | None = Field(description="the conversation it is part of")
    causation_id: str | None = Field(description="on a service's decision: the id of the fact it was decided from")


class EventsAnswer(Shape):
    partnership: str = Field(description="the partnership's code")
    events: list[EventShown] = Field(description="the events of the ids asked for, in recorded order (an id two "
                                                 "sources used gives both; an unknown id, none)")


class VersionAnswer(Shape):
    partnership: str = Field(description="the partnership's code")
    event_identity: str | None = Field(description="the identity of the latest event projected; none before any")
    event_time: datetime | None = Field(description="that event's time")


# --- the learning digest: /p/{partnership}/api/digest (services.reporting.figures.digest) ---------------------

class DigestLearning(Learning):
    briefings_used: BriefingsUsed = Field(description="the briefings agencies used with their staff, by agency")


class CarryingAction(Shape):
    action_id: str = Field(description="the strategy action's id")
    title: str = Field(description="the action")
    strategy: str = Field(description="the strategy or plan it belongs to")
    priority: str = Field(description="its priority")
    status: str = Field(description="its status on the as-of day, as the strategy service decided it")
    display: str = Field(description="how it is shown: green, green_without_evidence, amber, red, grey")
    evidenced: bool = Field(description="whether evidence of its progress was recorded")
    event_ids: list[str] = Field(description=EVENT_IDS)


class Lineage(Shape):
    recommendation_id: str = Field(description="the recommendation's id")
    text: str = Field(description="the recommendation")
    source: RecommendationSource = Field(description="what made it")
    source_id: str = Field(description="the review, audit or inspection that made it")
    owner: str = Field(description="the agency or group that owns it")
    made_on: date = Field(description="the day it was made")
    due_on: date = Field(description="the day it is due")
    status: RecommendationStatus = Field(description="completed, completed_late, overdue or open")
    completed_on: date | None = Field(description="the day it was completed, once completed")
    evidence: str | None = Field(description="what shows it was done")
    impacts: list[Impact] = Field(description="the evidence of its impact; empty: none yet")
    actions: list[CarryingAction] = Field(description="the strategy actions that carry it out")
    courses: list[str] = Field(description="the courses with sessions in the period serving those actions or "
                                           "their priorities")
    event_ids: list[str] = Field(description=EVENT_IDS)


class DigestRecommendations(Shape):
    made: int = Field(description="recommendations shown: made by the period's end, not completed before it began")
    open: int = Field(description="of them, open or overdue")
    overdue: int = Field(description="of them, overdue")
    completed: int = Field(description="of them, completed")
    with_impact_evidence: int = Field(description="of them, with evidence of impact")
    lineage: list[Lineage] = Field(description="each, from its source to its actions, their evidence and its impact")


class DigestEvaluations(Shape):
    responses: int = Field(description="evaluations on the day")
    response_rate: float | None = Field(description="responses / attendances")
    agreed_both: int = Field(description="responses agreeing on both scales")
    agreement_rate: float | None = Field(description="agreed_both / responses")


class DigestTraining(Shape):
    served: list[Served] = Field(description="the priorities and actions carrying recommendations, with the "
                                             "courses serving them in the period")
    attendances: int = Field(description="attendances in the period")
    by_agency: list[AgencyAttended] = Field(description="attendances by agency")
    evaluations: DigestEvaluations = Field(description="evaluations on the day")
    follow_ups: FollowUps = Field(description="follow-ups 6 to 8 weeks on")


class DigestAudits(Shape):
    completed: list[Audit] = Field(description="audits and deep dives completed in the period, with their findings")
    cases_sampled: int = Field(description="cases they sampled")


class NoImpactYet(Shape):
    completed_without_impact: list[Lineage] = Field(description="recommendations completed with no evidence of "
                                                                "impact recorded")
    open_without_an_action: list[Lineage] = Field(description="open recommendations no strategy action carries")
    actions_green_without_evidence: list[CarryingAction] = Field(description="actions carrying recommendations, "
                                                                             "reported green without evidence")


class DigestAnswer(Head):
    name: str = Field(description="the partnership's name")
    learning: DigestLearning = Field(description="new learning in the period")
    recommendations: DigestRecommendations = Field(description="recommendations and what became of them")
    training: DigestTraining = Field(description="the training that carried the learning")
    audits: DigestAudits = Field(description="audit findings")
    no_evidence_of_impact_yet: NoImpactYet = Field(description="said plainly: what has no evidence of impact yet")


# --- the yearly report: /p/{partnership}/api/report -------------------------------------------------------------

class MemberAgency(Shape):
    code: str = Field(description="the agency's code")
    name: str = Field(description="its name, as registered")
    kind: str = Field(description="council, police, icb, health, education, voluntary, partnership or other")


class Arrangements(Shape):
    safeguarding_partners: list[MemberAgency] = Field(description="the statutory partners: councils, police, ICB")
    relevant_agencies: list[MemberAgency] = Field(description="the relevant agencies taking part")
    business_unit: list[MemberAgency] = Field(description="the partnership's own business unit and teams")


class ReportKpi(Shape):
    kpi_id: str = Field(description="the KPI's id")
    title: str = Field(description="its title")
    unit: Unit = Field(description="percent, count or rate_per_10000")
    status: KpiStatus = Field(description="its status on the as-of day")
    value: float | None = Field(description="its latest value")
    period: str | None = Field(description="the period of that value")
    target: float | None = Field(description="its target value")
    target_on: date | None = Field(description="the day its target is for")
    event_ids: list[str] = Field(description=EVENT_IDS)


class ReportStrategy(Shape):
    strategy_id: str = Field(description="the strategy's id")
    title: str = Field(description="its title")
    starts_on: date = Field(description="the first day it runs")
    ends_on: date = Field(description="the last day it runs")
    owner_agency: str = Field(description="the agency accountable for it")
    owner_group: str | None = Field(description="the governance group that owns it")
    themes: list[Theme] = Field(description="its themes, ambitions, enablers or standards")
    counts: ActionCounts = Field(description="its priorities' actions by status")
    kpis: list[ReportKpi] = Field(description="its KPIs, with their latest values")
    event_ids: list[str] = Field(description=EVENT_IDS)


class NextPriority(Shape):
    priority_id: str = Field(description="the priority's id")
    number: int = Field(description="its number")
    title: str = Field(description="its title")
    event_ids: list[str] = Field(description=EVENT_IDS)


class NextPlan(Shape):
    strategy_id: str = Field(description="the plan's id")
    title: str = Field(description="its title")
    starts_on: date = Field(description="the first day it runs")
    ends_on: date = Field(description="the last day it runs")
    priorities: list[NextPriority] = Field(description="its priorities")
    event_ids: list[str] = Field(description=EVENT_IDS)


class StrategyToCome(Shape):
    strategy_id: str = Field(description="the strategy's id")
    title: str = Field(description="its title")
    starts_on: date = Field(description="the first day it runs")
    ends_on: date = Field(description="the last day it runs")
    owner_agency: str = Field(description="the agency accountable for it")
    themes: list[Theme] = Field(description="its themes")
    event_ids: list[str] = Field(description=EVENT_IDS)


class ReportPriorities(Shape):
    delivery_plans: list[Strategy] = Field(description="the delivery plans running in the period, with every "
                                                       "priority and action")
    strategies: list[ReportStrategy] = Field(description="the strategies running in the period")
    next_year: list[NextPlan] = Field(description="the delivery plans starting after the period: next year's "
                                                  "priorities")
    strategies_to_come: list[StrategyToCome] = Field(description="the strategies starting after the period")


class ImprovementPlan(Shape):
    strategy_id: str = Field(description="the plan's id")
    title: str = Field(description="its title")
    starts_on: date = Field(description="the first day it runs")
    ends_on: date = Field(description="the last day it runs")
    owner_agency: str = Field(description="the agency accountable for it")
    counts: ActionCounts = Field(description="its actions by status")
    event_ids: list[str] = Field(description=EVENT_IDS)


class Inspection(Shape):
    areas: list[OfstedArea] = Field(description="every area for improvement, with what addresses it")
    inspections: list[str] = Field(description="the inspections they come from")
    improvement_plans: list[ImprovementPlan] = Field(description="the improvement plans")


class OwnedAttentionAction(AttentionAction):
    owner_agency: str = Field(description="the agency that reports its progress")


class AreaWithoutProgress(Shape):
    area_id: str = Field(description="the area's id")
    number: int = Field(description="its number in the inspection's report")
    title: str = Field(description="the area for improvement")
    progress: AreaProgress = Field(description="the roll-up of what it is linked to")
    event_ids: list[str] = Field(description=EVENT_IDS)


class LittleProgress(Shape):
    actions_overdue: list[OwnedAttentionAction] = Field(description="actions still open after their due date")
    actions_at_risk: list[OwnedAttentionAction] = Field(description="actions at risk")
    actions_green_without_evidence: list[OwnedAttentionAction] = Field(description="actions shown green without "
                                                                                   "evidence")
    kpis_off_track_or_missing: list[ReportKpi] = Field(description="KPIs off track, at risk or missing a value")
    ofsted_areas_without_progress: list[AreaWithoutProgress] = Field(description="Ofsted areas whose work is off "
                                                                                 "track, at risk, not started or "
                                                                                 "missing")


class ClockTimeliness(Shape):
    clock: ClockName = Field(description="the statutory clock")
    label: str = Field(description="what it measures")
    decided: int = Field(description="cases decided (done, or overdue)")
    on_time: int = Field(description="of them, on time")
    late: int = Field(description="of them, late")
    share_on_time: float | None = Field(description="on_time / decided")


class ReportRecommendations(Shape):
    made: int = Field(description="recommendations shown")
    open: int = Field(description="of them, open or overdue")
    overdue: int = Field(description="of them, overdue")
    completed: int = Field(description="of them, completed")
    with_impact_evidence: int = Field(description="of them, with evidence of impact")
    recommendations: list[Recommendation] = Field(description="each one, with its lineage")


class ReportLado(Shape):
    dip_samples: int = Field(description="LADO dip samples completed in the period")
    allegations_referred: int = Field(description="allegations referred in the period")
    service_reviews: list[LadoReview] = Field(description="LADO service reviews reported in the period")


class ReviewsAndLearning(Shape):
    cases: CaseCounts = Field(description="serious incidents, rapid and practice reviews")
    rapid_reviews: list[RapidReview] = Field(description="the rapid reviews")
    practice_reviews: list[PracticeReview] = Field(description="the practice reviews")
    timeliness: list[ClockTimeliness] = Field(description="the statutory clocks with cases")
    recommendations: ReportRecommendations = Field(description="every recommendation shown")
    from_reviews: list[Recommendation] = Field(description="those made by rapid, practice or national reviews")
    national_reviews: list[LearningItem] = Field(description="learning from national reviews")
    learning: Learning = Field(description="learning disseminated")
    audits: Audits = Field(description="audits and deep dives")
    lado: ReportLado = Field(description="LADO assurance")
    briefings_used: BriefingsUsed = Field(description="briefings used with staff")


class ReportEvaluations(Shape):
    attended: int = Field(description="attendances")
    responses: int = Field(description="evaluations on the day, recorded one by one")
    response_rate: float | None = Field(description="responses / attendances")
    agreed_both: int = Field(description="responses agreeing on both scales, as judged")
    agreement_rate: float | None = Field(description="agreed_both / responses")
    follow_ups: FollowUps = Field(description="the follow-ups 6 to 8 weeks on")
    reported_summaries: list[FeedbackSummary] = Field(description="feedback surveys' own counts, shown beside")


class ReportTraining(Shape):
    attendances: int = Field(description="attendances at sessions held in the period")
    people: int = Field(description="different people attending")
    sessions: int = Field(description="sessions held")
    by_agency: list[AgencyAttended] = Field(description="attendances by agency")
    evaluations: ReportEvaluations = Field(description="evaluations and follow-ups")
    partner_programmes: list[Programme] = Field(description="partners' own programmes, reported apart")


class ChecklistItem(Shape):
    content: Literal["impact", "little_progress", "reviews", "voice"] = Field(description="which of the four")
    requirement: str = Field(description="what Working Together asks for, in words")
    state: Literal["met", "partly_met", "missing"] = Field(description="met, partly_met or missing")
    evidence: list[str] = Field(description="the evidence the events give")
    gaps: list[str] = Field(description="what is missing")


class YearlyReportAnswer(Head):
    name: str = Field(description="the partnership's name")
    area: str = Field(description="the area it serves")
    arrangements: Arrangements = Field(description="the arrangements and partners")
    priorities: ReportPriorities = Field(description="priorities and delivery, and next year's priorities")
    inspection: Inspection = Field(description="inspection and the improvement plan")
    little_progress: LittleProgress = Field(description="where the events show little or no progress")
    reviews_and_learning: ReviewsAndLearning = Field(description="reviews and learning")
    training: ReportTraining = Field(description="training")
    voice: Voice = Field(description="the voice of children and families")
    checklist: list[ChecklistItem] = Field(description="Working Together's four contents, each marked")


# --- a learning item's 7-minute briefing: /p/{partnership}/api/briefings/{learning_id} --------------------------

class BriefingRecommendation(Shape):
    recommendation_id: str = Field(description="the recommendation's id")
    text: str = Field(description="the recommendation")
    owner: str = Field(description="its owner")
    status: RecommendationStatus = Field(description="where it stands")
    action_ids: list[str] = Field(description="the strategy actions that carry it")
    event_ids: list[str] = Field(description=EVENT_IDS)


class BriefingAnswer(Head):
    name: str = Field(description="the partnership's name")
    learning_id: str = Field(description="the learning item")
    source: LearningSource = Field(description="where it came from")
    source_id: str | None = Field(description="the review, audit or inspection it came from")
    themes: list[str] = Field(description="the Panel's themes")
    audience: list[str] = Field(description="who it was for")
    disseminated_on: date = Field(description="the day it was disseminated")
    format: str | None = Field(description="how it was disseminated")
    summary_text: str = Field(description="what was learned")
    written_by_lqi: bool = Field(description="whether the LQI group wrote the briefing's parts; else each is "
                                             "composed from the item and its source")
    background: str = Field(description="1. background")
    found: str = Field(description="2. what was found")
    findings: list[str] = Field(description="the source's findings")
    why_it_matters: str = Field(description="3. why it matters")
    what_to_do: list[str] = Field(description="4. what to do")
    questions: list[str] = Field(description="5. questions for reflection")
    recommendations: list[BriefingRecommendation] = Field(description="the recommendations of the same source")
    used: BriefingUseByItem = Field(description="its use with staff, by agencies")
    event_ids: list[str] = Field(description=EVENT_IDS)
