"""The reviews read model: one document per event, in one collection per aggregate kind. Pure.

Reviews are few (dozens a year per partnership), and their figures must be right for any as-of date:
an incident's state on 31 March is what its events emitted by then said. So each event is kept as
its own document, `<partnership>/<aggregate id>/<event identity>` (the digest of its source and id: two
systems may use the same event id), holding the event's data (dates as
YYYY-MM-DD) and its source (`event_id`, `event_time`, `emitted_by`); the figures
(services.reporting.figures.reviews) fold the events recorded by the as-of moment into each
aggregate's state. The service's decisions on each case's statutory clocks (`reviews.clock.*`) are kept
the same way, with the id of the fact each was decided from (`fact_id`). A redelivered event rewrites its own document: nothing is counted twice, and a
later correction is a later document, which leaves the figures of an earlier as-of unchanged.
"""

from __future__ import annotations

from shared.events import reviews as ev
from shared.events.envelope import Envelope
from shared.read.projection import Upsert
from services.reporting.projections.source import source

INCIDENTS, RAPID_REVIEWS, PRACTICE_REVIEWS = "reviews_incidents", "reviews_rapid_reviews", "reviews_practice_reviews"
ALLEGATIONS, DIP_SAMPLES, LADO_REVIEWS = "reviews_allegations", "reviews_lado_dip_samples", "reviews_lado_reviews"
AUDITS, RECOMMENDATIONS, LEARNING = "reviews_audits", "reviews_recommendations", "reviews_learning"
CLOCKS = "reviews_clocks"  # the reviews service's decisions on each case's statutory clocks

# event type -> the collection its events are kept in
COLLECTION_OF: dict[type[ev.EventData], str] = {
    ev.SeriousIncidentRecorded: INCIDENTS, ev.SeriousIncidentNotified: INCIDENTS, ev.SeriousIncidentDecided: INCIDENTS,
    ev.RapidReviewStarted: RAPID_REVIEWS, ev.RapidReviewCompleted: RAPID_REVIEWS, ev.RapidReviewSent: RAPID_REVIEWS,
    ev.PracticeReviewDecided: PRACTICE_REVIEWS, ev.PracticeReviewProgressed: PRACTICE_REVIEWS,
    ev.PracticeReviewPublished: PRACTICE_REVIEWS,
    ev.AllegationReferred: ALLEGATIONS, ev.AllegationStrategyMeetingHeld: ALLEGATIONS,
    ev.AllegationResolved: ALLEGATIONS,
    ev.LadoDipSampleCompleted: DIP_SAMPLES, ev.LadoReviewReported: LADO_REVIEWS, ev.AuditCompleted: AUDITS,
    ev.RecommendationMade: RECOMMENDATIONS, ev.RecommendationCompleted: RECOMMENDATIONS,
    ev.RecommendationImpactEvidenced: RECOMMENDATIONS,
    ev.LearningDisseminated: LEARNING,
    ev.ClockSet: CLOCKS, ev.ClockStopped: CLOCKS,
}


def project(event: Envelope, data: ev.EventData) -> list[Upsert]:
    """Keep the event: its aggregate, its type, and its data as JSON (dates as YYYY-MM-DD)."""
    aggregate = data.aggregate_id()
    return [Upsert(COLLECTION_OF[type(data)], f"{event.partnership}/{aggregate}/{event.identity}",
                   {"aggregate_id": aggregate, "type": event.type, "data": data.model_dump(mode="json"),
                    **source(event), **({"fact_id": event.causationid} if event.causationid else {})})]


HANDLERS = {model.type_name: project for model in COLLECTION_OF}
# read-model collection -> the fields its queries filter on
INDEXES: dict[str, list[str]] = {collection: ["partnership", "event_time"]
                                 for collection in sorted(set(COLLECTION_OF.values()))}
