"""The reviews' rules: serious incidents, rapid and practice reviews, allegations, recommendations. No I/O here.

Who may record what (the ownership rule, as for training): a fact is changed only by the agency that
first recorded it, or by a key with the right to correct (`--may-correct`). A recommendation is also
closed, and its impact evidenced, by the agency that owns it.

Each aggregate keeps the due dates of its statutory clocks (services.reviews.domain.clocks), and says what it
decided about them (`clocks()`: the `reviews.clock.set.v1` and `reviews.clock.stopped.v1` decisions its state
gives), which the service publishes whenever they change; readers compare those dates with a day and count
nothing again. Dates arrive as `datetime.date` and are kept as ISO strings (the state is JSON).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from services.reviews.domain.clocks import due, near_breach_from, rapid_review_start
from shared.calendar import working_days_after
from shared.events.base import Decision
from shared.events.reviews import ClockSet, ClockStopped
from shared.write.rules import CONFLICT, FORBIDDEN, Actor, RuleBroken, only_owner

MAX_IMPACTS = 50  # evidence of impact kept on one recommendation (a bounded aggregate)
RESOLUTION_CLOCKS = ("allegation_resolution_1_month", "allegation_resolution_3_months",
                     "allegation_resolution_12_months")


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _due(rule: str, start: date | str | None) -> str | None:
    if start is None:
        return None
    return due(rule, date.fromisoformat(start) if isinstance(start, str) else start).isoformat()


def clock_set(rule: str, case_kind: str, case_id: str, start: str, withdrawn_on: str | None = None) -> ClockSet:
    """The clock `rule` started on `start` for a case: due when this service counts it to be."""
    day0 = date.fromisoformat(start)
    due_on = due(rule, day0)
    return ClockSet(clock=rule, case_kind=case_kind, case_id=case_id, started_on=start, due_on=due_on,
                    near_breach_from=near_breach_from(rule, due_on), withdrawn_on=withdrawn_on,
                    working_days=working_days_after(day0, due_on))


def clock_stopped(rule: str, case_kind: str, case_id: str, stopped_on: str, by: str) -> ClockStopped:
    return ClockStopped(clock=rule, case_kind=case_kind, case_id=case_id, stopped_on=stopped_on, stopped_by=by)


def not_before(field_name: str, day: date, earliest: str | None, what: str) -> None:
    """A step cannot be dated before the step it follows (422 naming the field)."""
    if earliest is not None and day < date.fromisoformat(earliest):
        raise RuleBroken(field_name, f"{day.isoformat()} is before {what} ({earliest})")


class Aggregate:
    """State as a JSON-able dict, and back."""

    @classmethod
    def from_state(cls, state: dict[str, Any]):
        return cls(**state)

    def to_state(self) -> dict[str, Any]:
        return asdict(self)

    def clocks(self) -> list[Decision]:
        """What this aggregate's state says of the statutory clocks it starts or stops (none, unless it does)."""
        return []


@dataclass
class Incident(Aggregate):
    incident_id: str
    case_ref: str
    aware_on: str
    recorded_by: str
    notified_on: str | None = None
    decision: str | None = None
    decided_on: str | None = None
    notification_due: str | None = None
    rapid_review_due: str | None = None

    @classmethod
    def record(cls, incident_id: str, case_ref: str, aware_on: date, actor: Actor) -> "Incident":
        return cls(incident_id, case_ref, aware_on.isoformat(), actor.agency)._dues()

    def revise(self, case_ref: str, aware_on: date, actor: Actor) -> None:
        only_owner(actor, self.recorded_by, f"serious incident {self.incident_id!r}")
        if self.notified_on and aware_on > date.fromisoformat(self.notified_on):
            raise RuleBroken("data.aware_on", f"the incident was notified on {self.notified_on}, before {aware_on}")
        self.case_ref, self.aware_on = case_ref, aware_on.isoformat()
        self._dues()

    def notify(self, notified_on: date, actor: Actor) -> None:
        only_owner(actor, self.recorded_by, f"serious incident {self.incident_id!r}")
        not_before("data.notified_on", notified_on, self.aware_on, "the day the local authority became aware")
        self.notified_on = notified_on.isoformat()
        self._dues()

    def decide(self, decision: str, decided_on: date, actor: Actor) -> None:
        only_owner(actor, self.recorded_by, f"serious incident {self.incident_id!r}")
        not_before("data.decided_on", decided_on, self.aware_on, "the day the local authority became aware")
        self.decision, self.decided_on = decision, decided_on.isoformat()

    def clocks(self) -> list[Decision]:
        said: list[Decision] = [clock_set("serious_incident_notification", "serious_incident", self.incident_id,
                                          self.aware_on)]
        if self.notified_on:
            said.append(clock_stopped("serious_incident_notification", "serious_incident", self.incident_id,
                                      self.notified_on, self.incident_id))
        start = rapid_review_start(date.fromisoformat(self.aware_on),
                                   date.fromisoformat(self.notified_on) if self.notified_on else None)
        if start is not None:
            withdrawn = self.decided_on if self.decision == "no_further_action" else None
            said.append(clock_set("rapid_review", "serious_incident", self.incident_id, start.isoformat(), withdrawn))
        return said

    def _dues(self) -> "Incident":
        self.notification_due = _due("serious_incident_notification", self.aware_on)
        start = rapid_review_start(date.fromisoformat(self.aware_on),
                                   date.fromisoformat(self.notified_on) if self.notified_on else None)
        self.rapid_review_due = _due("rapid_review", start)
        return self


@dataclass
class RapidReview(Aggregate):
    review_id: str
    incident_id: str
    started_on: str
    recorded_by: str
    completed_on: str | None = None
    practice_review_recommended: bool | None = None
    learning_found: bool | None = None
    learning: list[dict] = field(default_factory=list)  # each point's theme, summary and agencies
    outcome: str | None = None
    themes: list[str] = field(default_factory=list)
    sent_on: str | None = None

    def restart(self, incident_id: str, started_on: date, actor: Actor) -> None:
        only_owner(actor, self.recorded_by, f"rapid review {self.review_id!r}")
        if self.completed_on and incident_id != self.incident_id:
            raise RuleBroken("data.incident_id", "the rapid review is completed: it cannot move to another incident",
                             status=CONFLICT)
        self.incident_id, self.started_on = incident_id, started_on.isoformat()

    def complete(self, completed_on: date, recommended: bool, learning: list[dict], outcome: str, themes: list[str],
                 actor: Actor) -> None:
        only_owner(actor, self.recorded_by, f"rapid review {self.review_id!r}")
        not_before("data.completed_on", completed_on, self.started_on, "the day it started")
        self.completed_on, self.practice_review_recommended = completed_on.isoformat(), recommended
        self.learning, self.learning_found = learning, bool(learning)
        self.outcome, self.themes = outcome, themes

    def send(self, sent_on: date, actor: Actor) -> None:
        only_owner(actor, self.recorded_by, f"rapid review {self.review_id!r}")
        if self.completed_on is None:
            raise RuleBroken("data.review_id", f"rapid review {self.review_id!r} is not completed: complete it before "
                                               "sending it to the Panel", status=CONFLICT)
        not_before("data.sent_on", sent_on, self.completed_on, "the day it was completed")
        self.sent_on = sent_on.isoformat()

    def clocks(self) -> list[Decision]:
        """Sent to the Panel, it stops its incident's rapid review clock."""
        if self.sent_on is None:
            return []
        return [clock_stopped("rapid_review", "serious_incident", self.incident_id, self.sent_on, self.review_id)]


@dataclass
class PracticeReview(Aggregate):
    review_id: str
    title: str
    decided_on: str
    recorded_by: str
    incident_id: str | None = None
    stages: dict[str, str] = field(default_factory=dict)  # stage -> the day it was reached
    published_on: str | None = None
    link: str | None = None
    themes: list[str] = field(default_factory=list)
    publication_due: str | None = None

    def decide(self, title: str, decided_on: date, incident_id: str | None, actor: Actor) -> None:
        only_owner(actor, self.recorded_by, f"practice review {self.review_id!r}")
        for step, day in (*self.stages.items(), ("published", self.published_on)):
            if day and decided_on > date.fromisoformat(day):
                raise RuleBroken("data.decided_on", f"the review was {step.replace('_', ' ')} on {day}, before that")
        self.title, self.decided_on, self.incident_id = title, decided_on.isoformat(), incident_id
        self.publication_due = _due("practice_review_publication", self.decided_on)

    def progress(self, stage: str, reached_on: date, actor: Actor) -> None:
        only_owner(actor, self.recorded_by, f"practice review {self.review_id!r}")
        not_before("data.reached_on", reached_on, self.decided_on, "the decision to hold the review")
        self.stages[stage] = reached_on.isoformat()

    def publish(self, published_on: date, link: str, themes: list[str], actor: Actor) -> None:
        only_owner(actor, self.recorded_by, f"practice review {self.review_id!r}")
        not_before("data.published_on", published_on, self.decided_on, "the decision to hold the review")
        self.published_on, self.link, self.themes = published_on.isoformat(), link, themes

    def clocks(self) -> list[Decision]:
        said: list[Decision] = [clock_set("practice_review_publication", "practice_review", self.review_id,
                                          self.decided_on)]
        if self.published_on:
            said.append(clock_stopped("practice_review_publication", "practice_review", self.review_id,
                                      self.published_on, self.review_id))
        return said


@dataclass
class Allegation(Aggregate):
    allegation_id: str
    person_ref: str
    person_agency: str
    employment_sector: str
    category: str
    alleged_on: str
    referred_on: str
    recorded_by: str
    strategy_meetings: list[str] = field(default_factory=list)
    outcome: str | None = None
    resolved_on: str | None = None
    referral_due: str | None = None
    resolution_due: dict[str, str] = field(default_factory=dict)

    MAX_MEETINGS = 20

    @classmethod
    def refer(cls, data: dict[str, Any], actor: Actor) -> "Allegation":
        allegation = cls(**{**data, "alleged_on": data["alleged_on"].isoformat(),
                            "referred_on": data["referred_on"].isoformat()}, recorded_by=actor.agency)
        allegation._check_and_set_dues()
        return allegation

    def revise(self, data: dict[str, Any], actor: Actor) -> None:
        only_owner(actor, self.recorded_by, f"allegation {self.allegation_id!r}")
        for name, value in data.items():
            setattr(self, name, value.isoformat() if isinstance(value, date) else value)
        self._check_and_set_dues()
        for held in self.strategy_meetings:
            if date.fromisoformat(held) < date.fromisoformat(self.alleged_on):
                raise RuleBroken("data.alleged_on", f"a strategy meeting was held on {held}, before {self.alleged_on}")

    def hold_strategy_meeting(self, held_on: date, actor: Actor) -> None:
        only_owner(actor, self.recorded_by, f"allegation {self.allegation_id!r}")
        not_before("data.held_on", held_on, self.alleged_on, "the allegation")
        if held_on.isoformat() not in self.strategy_meetings:
            if len(self.strategy_meetings) >= self.MAX_MEETINGS:
                raise RuleBroken("data.held_on", f"at most {self.MAX_MEETINGS} meetings are kept", status=CONFLICT)
            self.strategy_meetings = sorted([*self.strategy_meetings, held_on.isoformat()])

    def resolve(self, outcome: str, resolved_on: date, actor: Actor) -> None:
        only_owner(actor, self.recorded_by, f"allegation {self.allegation_id!r}")
        not_before("data.resolved_on", resolved_on, self.alleged_on, "the allegation")
        self.outcome, self.resolved_on = outcome, resolved_on.isoformat()

    def clocks(self) -> list[Decision]:
        said: list[Decision] = [
            clock_set("lado_referral", "allegation", self.allegation_id, self.alleged_on),
            clock_stopped("lado_referral", "allegation", self.allegation_id, self.referred_on, self.allegation_id)]
        for rule in RESOLUTION_CLOCKS:
            said.append(clock_set(rule, "allegation", self.allegation_id, self.alleged_on))
            if self.resolved_on:
                said.append(clock_stopped(rule, "allegation", self.allegation_id, self.resolved_on,
                                          self.allegation_id))
        return said

    def _check_and_set_dues(self) -> None:
        not_before("data.referred_on", date.fromisoformat(self.referred_on), self.alleged_on, "the allegation")
        if self.resolved_on and date.fromisoformat(self.resolved_on) < date.fromisoformat(self.alleged_on):
            raise RuleBroken("data.alleged_on", f"the allegation was resolved on {self.resolved_on}, before that")
        self.referral_due = _due("lado_referral", self.alleged_on)
        self.resolution_due = {rule: _due(rule, self.alleged_on) for rule in RESOLUTION_CLOCKS}


@dataclass
class Recommendation(Aggregate):
    recommendation_id: str
    source: str
    source_id: str
    text: str
    owner: str
    made_on: str
    due_on: str
    recorded_by: str
    action_ids: list[str] = field(default_factory=list)
    completed_on: str | None = None
    evidence: str | None = None
    completed_by: str | None = None
    # [{evidence_id, kind, reference, on, summary}]: a list, not a map by id (FerretDB refuses keys with a '.')
    impacts: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def make(cls, data: dict[str, Any], actor: Actor) -> "Recommendation":
        recommendation = cls(**cls._fields(data), recorded_by=actor.agency)
        recommendation._check()
        return recommendation

    def revise(self, data: dict[str, Any], actor: Actor) -> None:
        only_owner(actor, self.recorded_by, f"recommendation {self.recommendation_id!r}")
        for name, value in self._fields(data).items():
            setattr(self, name, value)
        self._check()

    def complete(self, completed_on: date, evidence: str | None, actor: Actor) -> None:
        """Close it: only with evidence of completion (409 naming `data.evidence` without)."""
        self._owner_or_recorder(actor)
        if evidence is None or not evidence.strip():
            raise RuleBroken("data.evidence", f"recommendation {self.recommendation_id!r} cannot be closed without "
                                              "evidence of completion: say what shows it was done", status=CONFLICT)
        not_before("data.completed_on", completed_on, self.made_on, "the day it was made")
        self.completed_on, self.evidence, self.completed_by = completed_on.isoformat(), evidence, actor.agency

    def evidence_impact(self, evidence_id: str, kind: str, reference: str | None, on: date, summary: str,
                        actor: Actor) -> None:
        self._owner_or_recorder(actor)
        if self.completed_on is None:
            raise RuleBroken("data.recommendation_id", f"recommendation {self.recommendation_id!r} is not completed: "
                                                       "record its completion, with evidence, first", status=CONFLICT)
        others = [i for i in self.impacts if i["evidence_id"] != evidence_id]
        if len(others) >= MAX_IMPACTS:
            raise RuleBroken("data.evidence_id", f"at most {MAX_IMPACTS} pieces of evidence are kept per "
                                                 "recommendation", status=CONFLICT)
        self.impacts = [*others, {"evidence_id": evidence_id, "kind": kind, "reference": reference,
                                  "on": on.isoformat(), "summary": summary}]

    def _owner_or_recorder(self, actor: Actor) -> None:
        if not (actor.may_correct or actor.agency in (self.recorded_by, self.owner)):
            raise RuleBroken("agency", f"recommendation {self.recommendation_id!r} is closed by its owner "
                                       f"({self.owner}) or by {self.recorded_by}, who recorded it", status=FORBIDDEN)

    def _check(self) -> None:
        not_before("data.due_on", date.fromisoformat(self.due_on), self.made_on, "the day it was made")

    @staticmethod
    def _fields(data: dict[str, Any]) -> dict[str, Any]:
        return {name: (value.isoformat() if isinstance(value, date) else list(value) if isinstance(value, tuple)
                       else value) for name, value in data.items()}


@dataclass
class Fact(Aggregate):
    """A fact recorded in one event (an audit, a dip sample, a LADO service review, a learning item): changed
    only by the agency that recorded it, by sending it again with the same id."""

    id: str
    fields: dict[str, Any]
    recorded_by: str

    @classmethod
    def record(cls, id: str, data: dict[str, Any], actor: Actor, earlier: dict[str, Any] | None, what: str) -> "Fact":
        if earlier is not None:
            only_owner(actor, earlier["recorded_by"], f"{what} {id!r}")
        fields = {k: v.isoformat() if isinstance(v, date) else list(v) if isinstance(v, tuple) else v
                  for k, v in data.items()}
        return cls(id, fields, actor.agency if earlier is None else earlier["recorded_by"])


MAX_CHANGES = 50  # changes reported of one engagement (a bounded aggregate)


@dataclass
class Engagement(Aggregate):
    """Children, young people or families heard (shared.events.reviews.EngagementHeld), and what changed as a result.
    The engagement is revised only by the agency that recorded it; a change is reported by any agency with the key
    for it, dated on or after the engagement began, and revised only by the agency that reported it."""

    id: str
    fields: dict[str, Any]
    recorded_by: str
    changes: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def hold(cls, id: str, data: dict[str, Any], actor: Actor, earlier: dict[str, Any] | None) -> "Engagement":
        if earlier is None:
            return cls(id, data, actor.agency)
        engagement = cls.from_state(earlier)
        only_owner(actor, engagement.recorded_by, f"engagement {id!r}")
        engagement.fields = data
        return engagement

    def change(self, change_id: str, reported_on: date, data: dict[str, Any], actor: Actor) -> None:
        not_before("data.reported_on", reported_on, self.fields["held_on"], "the day the engagement began")
        earlier = self.changes.get(change_id)
        if earlier is not None:
            only_owner(actor, earlier["reported_by"], f"change {change_id!r} of engagement {self.id!r}")
        elif len(self.changes) >= MAX_CHANGES:
            raise RuleBroken("data.change_id", f"engagement {self.id!r} already has {MAX_CHANGES} changes reported",
                             status=CONFLICT)
        self.changes[change_id] = {**data, "reported_by": earlier["reported_by"] if earlier else actor.agency}
