"""The reviews' use cases: one handler per event type, applied to aggregates in a unit of work.

A step of something not yet recorded (a rapid review of an unknown serious incident, the completion of
an unknown recommendation) is refused with 422 naming the field that points to it. A recommendation or
learning item that names its source (a rapid review, practice review, audit, dip sample, LADO review
recorded here) must name one that exists; national reviews and Ofsted are outside the service, and
`action_ids` name the strategy service's actions without a cross-service check.
"""

from __future__ import annotations

from typing import Any

from shared.write.aggregates import Scoped
from shared.events import reviews as ev
from shared.events.envelope import Envelope
from shared.write.handling import Route
from shared.write.rules import Actor, RuleBroken
from services.reviews.domain.model import (Aggregate, Allegation, Engagement, Fact, Incident, PracticeReview,
                                           RapidReview, Recommendation)

INCIDENTS, RAPID_REVIEWS, PRACTICE_REVIEWS = "incidents", "rapid_reviews", "practice_reviews"
ALLEGATIONS, DIP_SAMPLES, LADO_REVIEWS = "allegations", "lado_dip_samples", "lado_reviews"
AUDITS, RECOMMENDATIONS, LEARNING = "audits", "recommendations", "learning"
BRIEFING_USES, ENGAGEMENTS = "briefing_uses", "engagements"
KINDS = (INCIDENTS, RAPID_REVIEWS, PRACTICE_REVIEWS, ALLEGATIONS, DIP_SAMPLES, LADO_REVIEWS, AUDITS,
         RECOMMENDATIONS, LEARNING, BRIEFING_USES, ENGAGEMENTS)
# a recommendation's or learning item's source -> the aggregate kind it must exist as (others are external)
SOURCE_KINDS = {"rapid_review": RAPID_REVIEWS, "practice_review": PRACTICE_REVIEWS, "audit": AUDITS,
                "deep_dive": AUDITS, "lado_review": LADO_REVIEWS, "lado_dip_sample": DIP_SAMPLES}


def _data(data: ev.EventData, *exclude: str) -> dict[str, Any]:
    return {name: getattr(data, name) for name in type(data).model_fields if name not in exclude}


def _save(uow: Scoped, kind: str, id: str, aggregate: Aggregate, event: Envelope) -> None:
    """Store the aggregate's new state with its fact, and publish beside it what changed in its clocks."""
    before = uow.get(kind, id)
    said = set(type(aggregate).from_state(before).clocks()) if before is not None else set()
    uow.record(kind, id, aggregate.to_state(), event)
    uow.decide(kind, id, event, *(d for d in aggregate.clocks() if d not in said))


def _existing(uow: Scoped, kind: str, id: str, field: str, what: str, first: str) -> dict[str, Any]:
    state = uow.get(kind, id)
    if state is None:
        raise RuleBroken(field, f"unknown {what} {id!r}: {first} first")
    return state


# --- serious incidents ------------------------------------------------------------------------------------

def record_incident(uow: Scoped, event: Envelope, data: ev.SeriousIncidentRecorded, actor: Actor) -> None:
    state = uow.get(INCIDENTS, data.incident_id)
    if state is None:
        incident = Incident.record(data.incident_id, data.case_ref, data.aware_on, actor)
    else:
        incident = Incident.from_state(state)
        incident.revise(data.case_ref, data.aware_on, actor)
    _save(uow, INCIDENTS, data.incident_id, incident, event)


def _incident(uow: Scoped, incident_id: str, field: str = "data.incident_id") -> Incident:
    return Incident.from_state(_existing(uow, INCIDENTS, incident_id, field, "serious incident", "record the incident"))


def notify_incident(uow: Scoped, event: Envelope, data: ev.SeriousIncidentNotified, actor: Actor) -> None:
    incident = _incident(uow, data.incident_id)
    incident.notify(data.notified_on, actor)
    _save(uow, INCIDENTS, data.incident_id, incident, event)


def decide_incident(uow: Scoped, event: Envelope, data: ev.SeriousIncidentDecided, actor: Actor) -> None:
    incident = _incident(uow, data.incident_id)
    incident.decide(data.decision, data.decided_on, actor)
    _save(uow, INCIDENTS, data.incident_id, incident, event)


# --- rapid reviews ----------------------------------------------------------------------------------------

def start_rapid_review(uow: Scoped, event: Envelope, data: ev.RapidReviewStarted, actor: Actor) -> None:
    _incident(uow, data.incident_id)
    state = uow.get(RAPID_REVIEWS, data.review_id)
    if state is None:
        review = RapidReview(data.review_id, data.incident_id, data.started_on.isoformat(), actor.agency)
    else:
        review = RapidReview.from_state(state)
        review.restart(data.incident_id, data.started_on, actor)
    _save(uow, RAPID_REVIEWS, data.review_id, review, event)


def _rapid_review(uow: Scoped, review_id: str) -> RapidReview:
    return RapidReview.from_state(_existing(uow, RAPID_REVIEWS, review_id, "data.review_id", "rapid review",
                                            "start the rapid review"))


def complete_rapid_review(uow: Scoped, event: Envelope, data: ev.RapidReviewCompleted, actor: Actor) -> None:
    review = _rapid_review(uow, data.review_id)
    review.complete(data.completed_on, data.practice_review_recommended,
                    [point.model_dump(mode="json") for point in data.learning], data.outcome, list(data.themes), actor)
    _save(uow, RAPID_REVIEWS, data.review_id, review, event)


def send_rapid_review(uow: Scoped, event: Envelope, data: ev.RapidReviewSent, actor: Actor) -> None:
    review = _rapid_review(uow, data.review_id)
    review.send(data.sent_on, actor)
    _save(uow, RAPID_REVIEWS, data.review_id, review, event)


# --- practice reviews -------------------------------------------------------------------------------------

def decide_practice_review(uow: Scoped, event: Envelope, data: ev.PracticeReviewDecided, actor: Actor) -> None:
    if data.incident_id is not None:
        _incident(uow, data.incident_id)
    state = uow.get(PRACTICE_REVIEWS, data.review_id)
    if state is None:
        review = PracticeReview(data.review_id, data.title, data.decided_on.isoformat(), actor.agency)
    else:
        review = PracticeReview.from_state(state)
    review.decide(data.title, data.decided_on, data.incident_id, actor)
    _save(uow, PRACTICE_REVIEWS, data.review_id, review, event)


def _practice_review(uow: Scoped, review_id: str) -> PracticeReview:
    return PracticeReview.from_state(_existing(uow, PRACTICE_REVIEWS, review_id, "data.review_id", "practice review",
                                               "record the decision to hold it"))


def progress_practice_review(uow: Scoped, event: Envelope, data: ev.PracticeReviewProgressed, actor: Actor) -> None:
    review = _practice_review(uow, data.review_id)
    review.progress(data.stage, data.reached_on, actor)
    _save(uow, PRACTICE_REVIEWS, data.review_id, review, event)


def publish_practice_review(uow: Scoped, event: Envelope, data: ev.PracticeReviewPublished, actor: Actor) -> None:
    review = _practice_review(uow, data.review_id)
    review.publish(data.published_on, data.link, list(data.themes), actor)
    _save(uow, PRACTICE_REVIEWS, data.review_id, review, event)


# --- LADO -------------------------------------------------------------------------------------------------

def refer_allegation(uow: Scoped, event: Envelope, data: ev.AllegationReferred, actor: Actor) -> None:
    state = uow.get(ALLEGATIONS, data.allegation_id)
    if state is None:
        allegation = Allegation.refer(_data(data), actor)
    else:
        allegation = Allegation.from_state(state)
        allegation.revise(_data(data, "allegation_id"), actor)
    _save(uow, ALLEGATIONS, data.allegation_id, allegation, event)


def _allegation(uow: Scoped, allegation_id: str) -> Allegation:
    return Allegation.from_state(_existing(uow, ALLEGATIONS, allegation_id, "data.allegation_id", "allegation",
                                           "record its referral to the LADO"))


def hold_strategy_meeting(uow: Scoped, event: Envelope, data: ev.AllegationStrategyMeetingHeld, actor: Actor) -> None:
    allegation = _allegation(uow, data.allegation_id)
    allegation.hold_strategy_meeting(data.held_on, actor)
    _save(uow, ALLEGATIONS, data.allegation_id, allegation, event)


def resolve_allegation(uow: Scoped, event: Envelope, data: ev.AllegationResolved, actor: Actor) -> None:
    allegation = _allegation(uow, data.allegation_id)
    allegation.resolve(data.outcome, data.resolved_on, actor)
    _save(uow, ALLEGATIONS, data.allegation_id, allegation, event)


def _fact(kind: str, id_field: str, what: str, check=None):
    """A handler for a fact recorded in one event: stored whole, changed only by the agency that recorded it."""

    def record(uow: Scoped, event: Envelope, data: ev.EventData, actor: Actor) -> None:
        if check:
            check(uow, data)
        id = getattr(data, id_field)
        fact = Fact.record(id, data.model_dump(mode="json", exclude={id_field}), actor, uow.get(kind, id), what)
        uow.record(kind, id, fact.to_state(), event)

    record.__name__ = f"record_{kind}"
    return record


def _dip_sample_dates(uow: Scoped, data: ev.LadoDipSampleCompleted) -> None:
    if data.completed_on < data.quarter_start:
        raise RuleBroken("data.completed_on",
                         f"{data.completed_on} is before the quarter sampled ({data.quarter_start})")


def _known_source(uow: Scoped, data: ev.RecommendationMade | ev.LearningDisseminated) -> None:
    kind = SOURCE_KINDS.get(data.source)
    if kind and data.source_id is not None and uow.get(kind, data.source_id) is None:
        raise RuleBroken("data.source_id", f"unknown {data.source.replace('_', ' ')} {data.source_id!r}: "
                                           "record it before what came from it")


def _source_key(data: ev.RecommendationMade | ev.LearningDisseminated) -> list:
    kind = SOURCE_KINDS.get(data.source)
    return [(kind, data.source_id)] if kind and data.source_id is not None else []


# --- recommendations --------------------------------------------------------------------------------------

def make_recommendation(uow: Scoped, event: Envelope, data: ev.RecommendationMade, actor: Actor) -> None:
    _known_source(uow, data)
    state = uow.get(RECOMMENDATIONS, data.recommendation_id)
    if state is None:
        recommendation = Recommendation.make(_data(data), actor)
    else:
        recommendation = Recommendation.from_state(state)
        recommendation.revise(_data(data, "recommendation_id"), actor)
    uow.record(RECOMMENDATIONS, data.recommendation_id, recommendation.to_state(), event)


def _recommendation(uow: Scoped, recommendation_id: str) -> Recommendation:
    return Recommendation.from_state(_existing(uow, RECOMMENDATIONS, recommendation_id, "data.recommendation_id",
                                               "recommendation", "record the recommendation"))


def complete_recommendation(uow: Scoped, event: Envelope, data: ev.RecommendationCompleted, actor: Actor) -> None:
    recommendation = _recommendation(uow, data.recommendation_id)
    recommendation.complete(data.completed_on, data.evidence, actor)
    uow.record(RECOMMENDATIONS, data.recommendation_id, recommendation.to_state(), event)


def evidence_impact(uow: Scoped, event: Envelope, data: ev.RecommendationImpactEvidenced, actor: Actor) -> None:
    recommendation = _recommendation(uow, data.recommendation_id)
    recommendation.evidence_impact(data.evidence_id, data.kind, data.reference, data.evidenced_on, data.summary_text,
                                   actor)
    uow.record(RECOMMENDATIONS, data.recommendation_id, recommendation.to_state(), event)


def _known_learning(uow: Scoped, data: ev.BriefingUsed) -> None:
    _existing(uow, LEARNING, data.learning_id, "data.learning_id", "learning item", "disseminate the learning")


# --- the voice of children and families ----------------------------------------------------------------------

def hold_engagement(uow: Scoped, event: Envelope, data: ev.EngagementHeld, actor: Actor) -> None:
    engagement = Engagement.hold(data.engagement_id, data.model_dump(mode="json", exclude={"engagement_id"}), actor,
                                 uow.get(ENGAGEMENTS, data.engagement_id))
    uow.record(ENGAGEMENTS, data.engagement_id, engagement.to_state(), event)


def report_change(uow: Scoped, event: Envelope, data: ev.EngagementChangeReported, actor: Actor) -> None:
    engagement = Engagement.from_state(_existing(uow, ENGAGEMENTS, data.engagement_id, "data.engagement_id",
                                                 "engagement", "record the engagement"))
    engagement.change(data.change_id, data.reported_on,
                      data.model_dump(mode="json", exclude={"engagement_id", "change_id"}), actor)
    uow.record(ENGAGEMENTS, data.engagement_id, engagement.to_state(), event)


def _on(kind: str, field: str):
    return lambda d: (kind, getattr(d, field))


# event type -> its handler, the aggregate it changes, and the aggregates it reads
ROUTES = {
    ev.SeriousIncidentRecorded: Route(record_incident, _on(INCIDENTS, "incident_id")),
    ev.SeriousIncidentNotified: Route(notify_incident, _on(INCIDENTS, "incident_id")),
    ev.SeriousIncidentDecided: Route(decide_incident, _on(INCIDENTS, "incident_id")),
    ev.RapidReviewStarted: Route(start_rapid_review, _on(RAPID_REVIEWS, "review_id"),
                                 lambda d: [(INCIDENTS, d.incident_id)]),
    ev.RapidReviewCompleted: Route(complete_rapid_review, _on(RAPID_REVIEWS, "review_id")),
    ev.RapidReviewSent: Route(send_rapid_review, _on(RAPID_REVIEWS, "review_id")),
    ev.PracticeReviewDecided: Route(decide_practice_review, _on(PRACTICE_REVIEWS, "review_id"),
                                    lambda d: [(INCIDENTS, d.incident_id)] if d.incident_id else []),
    ev.PracticeReviewProgressed: Route(progress_practice_review, _on(PRACTICE_REVIEWS, "review_id")),
    ev.PracticeReviewPublished: Route(publish_practice_review, _on(PRACTICE_REVIEWS, "review_id")),
    ev.AllegationReferred: Route(refer_allegation, _on(ALLEGATIONS, "allegation_id")),
    ev.AllegationStrategyMeetingHeld: Route(hold_strategy_meeting, _on(ALLEGATIONS, "allegation_id")),
    ev.AllegationResolved: Route(resolve_allegation, _on(ALLEGATIONS, "allegation_id")),
    ev.LadoDipSampleCompleted: Route(_fact(DIP_SAMPLES, "sample_id", "LADO dip sample", _dip_sample_dates),
                                     _on(DIP_SAMPLES, "sample_id")),
    ev.LadoReviewReported: Route(_fact(LADO_REVIEWS, "review_id", "LADO service review"),
                                 _on(LADO_REVIEWS, "review_id")),
    ev.AuditCompleted: Route(_fact(AUDITS, "audit_id", "audit"), _on(AUDITS, "audit_id")),
    ev.RecommendationMade: Route(make_recommendation, _on(RECOMMENDATIONS, "recommendation_id"), _source_key),
    ev.RecommendationCompleted: Route(complete_recommendation, _on(RECOMMENDATIONS, "recommendation_id")),
    ev.RecommendationImpactEvidenced: Route(evidence_impact, _on(RECOMMENDATIONS, "recommendation_id")),
    ev.LearningDisseminated: Route(_fact(LEARNING, "learning_id", "learning item", _known_source),
                                   _on(LEARNING, "learning_id"), _source_key),
    ev.BriefingUsed: Route(_fact(BRIEFING_USES, "use_id", "use of a briefing", _known_learning),
                           _on(BRIEFING_USES, "use_id"), lambda d: [(LEARNING, d.learning_id)]),
    ev.EngagementHeld: Route(hold_engagement, _on(ENGAGEMENTS, "engagement_id")),
    ev.EngagementChangeReported: Route(report_change, _on(ENGAGEMENTS, "engagement_id")),
}
