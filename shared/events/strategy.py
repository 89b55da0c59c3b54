"""Strategy: strategies and plans, their priorities and actions, KPIs and their values, and the Ofsted areas
for improvement, each emitted once by the agency or group that owns it (issue 7); and what the strategy service
decides from them (issue 14): each action's state after every plan and step, each KPI's schedule of periods with
their due days and status thresholds, and each KPI value's figure.

Dates that are facts (an action's due date, the day it was completed, a KPI's baseline date) are data
fields (`Day`, YYYY-MM-DD), distinct from the envelope's `time` (when the fact was recorded). A KPI value
belongs to a period (shared.calendar): `2022-01` (a month), `2022-Q1` (a calendar quarter, January to
March), `2021-22` (a financial year, April to March).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from shared.events.base import AgencyCode, Count, Day, Decision, EventData, FreeText, Identifier, Title, _a_number


Figure = Annotated[float, BeforeValidator(_a_number), Field(ge=-1e9, le=1e9, allow_inf_nan=False)]
_FIGURE = {"type": "number", "minimum": -1e9, "maximum": 1e9}
Group = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$", max_length=63,
                             description="A governance group: board, cosog, lqi-group, or a sub group "
                                         "(e.g. neglect-sub-group).")]
Period = Annotated[str, Field(pattern=r"^(19[7-9][0-9]|20[0-9][0-9])(-(0[1-9]|1[0-2])|-Q[1-4]|-[0-9]{2})$",
                              max_length=7,
                              description="A month (2022-01), a calendar quarter (2022-Q1) or a financial year "
                                          "April to March (2021-22).")]
StrategyKind = Literal["strategy", "delivery_plan", "improvement_plan"]
ThemeKind = Literal["theme", "ambition", "enabler", "priority", "standard"]
EvidenceKind = Literal["audit", "kpi_value", "document", "minutes", "report", "other"]
Unit = Literal["percent", "count", "rate_per_10000"]
Direction = Literal["higher_is_better", "lower_is_better"]
PeriodType = Literal["month", "quarter", "year"]
Trajectory = Literal["linear", "rate_per_period", "target_only"]
Assessment = Literal["on_track", "at_risk", "off_track"]


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Theme(_Part):
    """One theme, ambition, enabler or standard of a strategy."""

    code: Identifier
    title: Title(200)
    kind: ThemeKind = "theme"
    description: FreeText(1000) | None = None


class Evidence(_Part):
    """What shows the progress: an audit, a KPI value, a document, minutes. A reference, never the content."""

    kind: EvidenceKind
    ref: Identifier = Field(description="The evidence's reference in its owner's system (or a KPI id:period).")
    title: Title(200) | None = None


class Dated(_Part):
    """A figure at a date: a KPI's baseline or target."""

    value: Figure
    on: Day


class StrategyPublished(EventData):
    """A strategy or plan was published (or revised by its owner): its name, period, owner and themes."""

    type_name = "strategy.strategy.published.v1"
    aggregate = "strategy_id"
    summary = "A strategy, delivery plan or improvement plan was published or revised."

    strategy_id: Identifier
    kind: StrategyKind = Field("strategy", description="strategy, delivery_plan or improvement_plan.")
    title: Title(200)
    starts_on: Day
    ends_on: Day
    owner_agency: AgencyCode = Field(description="The agency accountable for it (dscp for the partnership's groups).")
    owner_group: Group | None = None
    themes: tuple[Theme, ...] = Field((), max_length=30)

    @model_validator(mode="after")
    def _ends_after_start(self):
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on is before starts_on")
        return self


class PriorityPublished(EventData):
    """A strategic priority of a strategy or plan, with what success will look like."""

    type_name = "strategy.priority.published.v1"
    aggregate = "priority_id"
    summary = "A priority of a strategy or plan was published or revised."

    priority_id: Identifier
    strategy_id: Identifier = Field(description="The strategy or plan; it must have been published.")
    number: Count = Field(ge=1, le=99)
    title: Title(500)
    success: FreeText(4000) | None = Field(None, description="What success will look like, as the plan words it.")
    success_measures: tuple[Title(500), ...] = Field((), max_length=20)


class ActionPlanned(EventData):
    """An action of a priority, its owner (an agency or a governance group) and its due date."""

    type_name = "strategy.action.planned.v1"
    aggregate = "action_id"
    summary = "An action was planned under a priority (or its plan revised)."

    action_id: Identifier
    priority_id: Identifier = Field(description="The priority; it must have been published.")
    letter: Annotated[str, Field(pattern=r"^[a-z]{1,2}$", max_length=2)] = "a"
    title: Title(500)
    owner_agency: AgencyCode = Field(description="The agency that reports its progress.")
    owner_group: Group | None = None
    due_on: Day
    kpi_ids: tuple[Identifier, ...] = Field((), max_length=20, description="KPIs that measure it.")


class ActionStarted(EventData):
    type_name = "strategy.action.started.v1"
    aggregate = "action_id"
    summary = "Work on an action started."

    action_id: Identifier
    started_on: Day
    note: FreeText(2000) | None = None


class ActionProgressReported(EventData):
    """The owner's view of an action's progress, with the evidence behind it."""

    type_name = "strategy.action.progress_reported.v1"
    aggregate = "action_id"
    summary = "An action's owner reported its progress, with a note and evidence references."

    action_id: Identifier
    reported_on: Day
    assessment: Assessment = Field(description="on_track, at_risk or off_track, as the owner judges it.")
    note: FreeText(2000)
    evidence: tuple[Evidence, ...] = Field((), max_length=20)


class ActionCompleted(EventData):
    type_name = "strategy.action.completed.v1"
    aggregate = "action_id"
    summary = "An action was completed, with the evidence that it was."

    action_id: Identifier
    completed_on: Day
    note: FreeText(2000) | None = None
    evidence: tuple[Evidence, ...] = Field((), max_length=20)


class ActionDeferred(EventData):
    type_name = "strategy.action.deferred.v1"
    aggregate = "action_id"
    summary = "An action was deferred, with the reason."

    action_id: Identifier
    deferred_on: Day
    reason: FreeText(2000)


class ActionReopened(EventData):
    type_name = "strategy.action.reopened.v1"
    aggregate = "action_id"
    summary = "A completed or deferred action was reopened, optionally with a new due date."

    action_id: Identifier
    reopened_on: Day
    reason: FreeText(2000)
    due_on: Day | None = Field(None, description="The new due date, if it changes.")


class KpiDefined(EventData):
    """A KPI as an indicator (as DHIS2 models them): what is counted, its unit, direction, baseline, target and
    trajectory, and how often it is measured."""

    type_name = "strategy.kpi.defined.v1"
    aggregate = "kpi_id"
    summary = "A KPI was defined (or its definition revised by its owner)."

    kpi_id: Identifier
    title: Title(300)
    strategy_id: Identifier | None = Field(None, description="The strategy or plan it measures, if any.")
    priority_id: Identifier | None = Field(None, description="The priority it measures, if any.")
    numerator: Title(300) = Field(description="What is counted.")
    denominator: Title(300) | None = Field(None, description="What it is counted out of, for a percentage or rate.")
    unit: Unit = Field(description="percent, count or rate_per_10000 (per 10,000 children).")
    direction: Direction = "higher_is_better"
    period_type: PeriodType
    baseline: Dated | None = None
    target: Dated | None = None
    trajectory: Trajectory = Field("linear", description="linear from baseline to target; rate_per_period "
                                   "(rate_per_period percent more, or less, each period, compounding); target_only.")
    rate_per_period: Figure | None = Field(None, ge=-100, le=1000, description="Percent change each period.")
    tolerance: Figure | None = Field(None, ge=0, description="How far from the trajectory, in the KPI's unit, is still "
                                     "at risk rather than off track. Default: 5% of the expected value.")
    reporting_from: Period | None = Field(None, description="The first period a value is expected for.")

    @model_validator(mode="after")
    def _trajectory_is_complete(self):
        if self.trajectory == "rate_per_period" and (self.rate_per_period is None or self.baseline is None):
            raise ValueError("a rate_per_period trajectory needs rate_per_period and a baseline")
        if self.trajectory == "linear" and self.target is not None and self.baseline is None:
            raise ValueError("a linear trajectory to a target needs a baseline")
        return self


class KpiValueRecorded(EventData):
    """A KPI's value for one period (and one agency, where it applies), with its source. Sent again for the same
    KPI, period and agency, it is a correction: it replaces the earlier value, which is kept."""

    type_name = "strategy.kpi_value.recorded.v1"
    aggregate = "kpi_id"
    # the rule of `_value_or_fraction`, published in the JSON Schema: a value, or a numerator and a denominator
    model_config = ConfigDict(frozen=True, extra="forbid", json_schema_extra={"oneOf": [
        {"required": ["value"], "properties": {"value": _FIGURE, "numerator": {"type": "null"},
                                               "denominator": {"type": "null"}}},
        {"required": ["numerator", "denominator"],
         "properties": {"value": {"type": "null"}, "numerator": {**_FIGURE, "minimum": 0},
                        "denominator": {**_FIGURE, "exclusiveMinimum": 0}}},
    ]})
    summary = "A KPI's value for a period was recorded, or corrected."

    kpi_id: Identifier
    period: Period
    agency: AgencyCode | None = Field(None, description="The agency the value is for, where values are per agency.")
    value: Figure | None = Field(None, description="The figure, in the KPI's unit; or give numerator and denominator.")
    numerator: Figure | None = Field(None, ge=0)
    denominator: Figure | None = Field(None, gt=0)
    source: Title(300) = Field(description="Where the figure comes from (system, report, dataset).")
    note: FreeText(1000) | None = None

    @model_validator(mode="after")
    def _value_or_fraction(self):
        if (self.value is None) == (self.numerator is None and self.denominator is None):
            raise ValueError("give either value, or numerator and denominator")
        if self.value is None and (self.numerator is None or self.denominator is None):
            raise ValueError("give both numerator and denominator")
        return self


class OfstedAreaIdentified(EventData):
    """An area for improvement found by an inspection, linked to the actions and KPIs that address it."""

    type_name = "strategy.ofsted_area.identified.v1"
    aggregate = "area_id"
    summary = "An inspection's area for improvement was recorded, with the actions and KPIs that address it."

    area_id: Identifier
    inspection: Identifier = Field(description="The inspection, e.g. ofsted-ilacs-2022-02.")
    inspected_on: Day
    number: Count = Field(ge=1, le=99)
    title: Title(500)
    action_ids: tuple[Identifier, ...] = Field((), max_length=30, description="Actions that address it.")
    kpi_ids: tuple[Identifier, ...] = Field((), max_length=20, description="KPIs that measure it.")


# --- what the strategy service decides (services/strategy/domain), published beside the fact it decided from ----

# a figure the service computed (a value from its fraction, an expectation, a threshold): wider than a partner's
Computed = Annotated[float, BeforeValidator(_a_number), Field(ge=-1e16, le=1e16, allow_inf_nan=False)]
ActionStep = Literal["planned", "started", "progress_reported", "completed", "deferred", "reopened"]
StandingStatus = Literal["not_started", "on_track", "at_risk", "complete_on_time", "complete_late", "deferred"]


class ActionStateDecided(Decision):
    """The state of an action in force after the strategy service applied one of its facts (its plan, a revision of
    the plan, or a lifecycle step): its status, the due date in force, its dates, the owner's latest assessment and
    the evidence behind its claim. Published after every plan and step; `revision` orders them.

    At an as-of moment the state in force is the decision with the highest `revision` among those recorded by then
    whose `in_force_on` is on or before the as-of day. Its `status` stands, except that an action still open on a
    day after `overdue_after` is overdue."""

    type_name = "strategy.action_state.decided.v1"
    aggregate = "action_id"
    summary = "The strategy service decided an action's state after a plan or step: status, due date, evidence."

    action_id: Identifier
    revision: Count = Field(ge=1, le=100_000, description="The action's history as the service applied it: 1 for "
                            "its first plan, one more for each revision of the plan and each step.")
    after: ActionStep = Field(description="What was applied: planned (or revised), started, progress_reported, "
                              "completed, deferred or reopened.")
    in_force_on: Day | None = Field(description="The day this state holds from: the step's date (steps move "
                                    "forward), or for a plan the date of the action's latest step; none for a plan "
                                    "before any step (it holds once recorded).")
    status: StandingStatus = Field(description="not_started, on_track (in progress; the latest report does not say "
                                   "at risk or off track), at_risk, complete_on_time / complete_late (completed on "
                                   "or before / after the due date in force), deferred.")
    overdue_after: Day | None = Field(description="While the action is open (not completed or deferred): its due "
                                      "date in force; on any later day it is overdue. None once completed or "
                                      "deferred.")
    due_on: Day = Field(description="The due date in force: the plan's, or a reopen's new one, whichever came last.")
    started_on: Day | None = Field(None, description="The first start or progress report; kept after a reopen.")
    completed_on: Day | None = Field(None, description="The completion's date; none unless completed.")
    assessment: Assessment | None = Field(None, description="The latest progress report's (none after a reopen).")
    evidence: tuple[Evidence, ...] = Field((), max_length=20, description="The evidence behind the claim: the "
                                           "completion's own, or the latest progress report's (none after a reopen).")
    evidenced: bool = Field(description="Whether the claim carries at least one evidence reference: a green status "
                            "(on track, complete) without it is green without evidence.")
    reopened: Count = Field(0, ge=0, le=100_000, description="How many times it was reopened.")
    last_note: FreeText(2000) | None = Field(None, description="The latest progress report's note.")


class Expectation(_Part):
    """What a value of a period is compared with: on track when at least `expected` (at most, for a KPI where lower
    is better: the schedule's `compare`), at risk when at least (at most) `at_risk_from`, off track otherwise;
    compared to 9 decimal places."""

    expected: Computed = Field(description="Where the trajectory says the KPI should be at the period's end; the "
                               "on-track threshold.")
    at_risk_from: Computed = Field(description="The at-risk threshold: the expected value less (more, where lower "
                                   "is better) the tolerance: the KPI's own, or 5% of the expected value.")


class ScheduledPeriod(_Part):
    """One period of a KPI's schedule."""

    period: Period
    starts_on: Day
    ends_on: Day
    due_on: Day | None = Field(description="The day the period's value falls due (30 days after the period ends): "
                               "from this day a period without a value is missing. None: listed for its expectation "
                               "only, before the first period a value is expected for.")
    expectation: Expectation | None = Field(description="What its value is compared with; none: no expectation "
                                            "(no_target).")


class KpiScheduleSet(Decision):
    """A KPI's schedule, decided by the strategy service from its definition and set again at each revision: the
    periods a value is expected for (from `reporting_from`, or the period after the baseline's; at most 240), each
    with the day its value falls due and what it is compared with, and what holds for any other period.

    The latest schedule recorded by an as-of moment stands. A value counts against it when its `period_type` and
    `unit` are the schedule's: a value recorded before the KPI was redefined with another period type or unit no
    longer measures it."""

    type_name = "strategy.kpi_schedule.set.v1"
    aggregate = "kpi_id"
    summary = "The strategy service set a KPI's schedule: each period's due day and status thresholds."

    kpi_id: Identifier
    revision: Count = Field(ge=1, le=100_000, description="1 for the KPI's first definition, one more for each "
                            "revision.")
    period_type: PeriodType
    unit: Unit
    compare: Literal["at_least", "at_most"] = Field(description="at_least where higher is better, at_most where "
                                                    "lower is better: how a value is compared with the thresholds.")
    periods: tuple[ScheduledPeriod, ...] = Field((), max_length=360, description="Consecutive periods, in order: "
                                                 "up to 120 before the first expected one (from the baseline's), "
                                                 "then the expected ones (at most 240).")
    before: Expectation | None = Field(description="What holds for a period before the first listed one (for every "
                                       "period, when none is listed); none: no expectation.")
    after: Expectation | None = Field(description="What holds for a period after the last listed one; none: no "
                                      "expectation.")


class KpiValueComputed(Decision):
    """A KPI value's figure, as the strategy service decided it when the value was recorded (or corrected): the
    value as given, or the numerator over the denominator in the KPI's unit (x100 for a percentage, x10,000 for a
    rate per 10,000). The envelope's `causationid` is the recorded value's event id."""

    type_name = "strategy.kpi_value.computed.v1"
    aggregate = "kpi_id"
    summary = "The strategy service computed a KPI value's figure for its period (and agency)."

    kpi_id: Identifier
    period: Period
    agency: AgencyCode | None = Field(None, description="The agency the value is for, where values are per agency.")
    period_type: PeriodType = Field(description="The KPI's period type when the value was recorded.")
    unit: Unit = Field(description="The KPI's unit when the value was recorded: the figure is in it.")
    starts_on: Day = Field(description="The period's first day.")
    ends_on: Day = Field(description="The period's last day.")
    value: Computed = Field(description="The figure, in the KPI's unit.")
    version: Count = Field(ge=1, le=100_000, description="1 for the period's (and agency's) first value, one more "
                           "for each correction: the highest recorded by an as-of moment stands.")
    source: Title(300) = Field(description="Where the figure comes from, as the recorded value says.")


EVENTS: tuple[type[EventData], ...] = (
    StrategyPublished, PriorityPublished, ActionPlanned, ActionStarted, ActionProgressReported, ActionCompleted,
    ActionDeferred, ActionReopened, KpiDefined, KpiValueRecorded, OfstedAreaIdentified,
    ActionStateDecided, KpiScheduleSet, KpiValueComputed)
