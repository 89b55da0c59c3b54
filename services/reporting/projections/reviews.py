"""The reviews read model: one entity document per aggregate (shared.read.entities), in one collection per
aggregate kind, holding a record per event. Pure.

Reviews are few (dozens a year per partnership), and their figures must be right for any as-of date:
an incident's state on 31 March is what its events emitted by then said. So each event is kept as
its own record, `<partnership>/<aggregate id>/<event identity>` (the digest of its source and id: two
systems may use the same event id), holding the event's data (dates as
YYYY-MM-DD) and its source (`event_id`, `event_time`, `emitted_by`); the figures
(services.reporting.figures.reviews) fold the events recorded by the as-of moment into each
aggregate's state. The service's decisions on each case's statutory clocks (`reviews.clock.*`) are kept
the same way, one entity per case and clock, with the id of the fact each was decided from (`fact_id`). A
redelivered event adds nothing, and a later correction is a later record, which leaves the figures of an
earlier as-of unchanged.

Each entity is filed under the years from its event's moment to the days its data states (a recommendation's
due date, a clock's), and is open while its case runs: an incident until decided, a rapid review until sent, a
practice review until published, an allegation until resolved, a recommendation until completed, a clock until
stopped or withdrawn.
"""

from __future__ import annotations

import re

from shared.events import reviews as ev
from shared.events.envelope import Envelope
from shared.read import entities
from shared.read.projection import Upsert
from services.reporting.projections.source import source

INCIDENTS, RAPID_REVIEWS, PRACTICE_REVIEWS = "reviews_incidents", "reviews_rapid_reviews", "reviews_practice_reviews"
ALLEGATIONS, DIP_SAMPLES, LADO_REVIEWS = "reviews_allegations", "reviews_lado_dip_samples", "reviews_lado_reviews"
AUDITS, RECOMMENDATIONS, LEARNING = "reviews_audits", "reviews_recommendations", "reviews_learning"
BRIEFING_USES, ENGAGEMENTS = "reviews_briefing_uses", "reviews_engagements"
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
    ev.LearningDisseminated: LEARNING, ev.BriefingUsed: BRIEFING_USES,
    ev.EngagementHeld: ENGAGEMENTS, ev.EngagementChangeReported: ENGAGEMENTS,
    ev.ClockSet: CLOCKS, ev.ClockStopped: CLOCKS,
}


# whether an event leaves its case running (True), ends it (False), or says nothing of it (absent)
OPENS = {ev.SeriousIncidentRecorded: True, ev.SeriousIncidentNotified: True, ev.SeriousIncidentDecided: False,
         ev.RapidReviewStarted: True, ev.RapidReviewCompleted: True, ev.RapidReviewSent: False,
         ev.PracticeReviewDecided: True, ev.PracticeReviewProgressed: True, ev.PracticeReviewPublished: False,
         ev.AllegationReferred: True, ev.AllegationStrategyMeetingHeld: True, ev.AllegationResolved: False,
         ev.RecommendationMade: True, ev.RecommendationCompleted: False, ev.ClockStopped: False}
OPENING = {COLLECTION_OF[model] for model in OPENS} | {CLOCKS}  # the collections with cases that run
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def project(event: Envelope, data: ev.EventData) -> list[Upsert]:
    """Keep the event as a record of its aggregate: its type, and its data as JSON (dates as YYYY-MM-DD), both in
    the type's current version (an event sent in an older one is upcast, and says which it was sent as)."""
    aggregate = data.aggregate_id()
    fields = data.model_dump(mode="json")
    record = {"_id": f"{event.partnership}/{aggregate}/{event.identity}", "aggregate_id": aggregate,
              "type": data.type_name, "data": fields, **source(event),
              **({"sent_as": event.type} if event.type != data.type_name else {}),
              **({"fact_id": event.causationid} if event.causationid else {})}
    entity = f"{aggregate}/{data.clock}" if isinstance(data, (ev.ClockSet, ev.ClockStopped)) else aggregate
    days = [v for v in fields.values() if isinstance(v, str) and _DAY.match(v)]
    # a clock's setting and its stops come from different cases' facts, on different keys, in any order: a setting
    # opens the clock only if nothing has been said of it yet, and a stop (or a withdrawal) closes it
    setting = isinstance(data, ev.ClockSet) and data.withdrawn_on is None
    opens = False if isinstance(data, ev.ClockSet) and not setting else OPENS.get(type(data))
    return [entities.filed(COLLECTION_OF[type(data)], event.partnership, entity, record,
                           entities.span(event.time, *days), opens, opens_if_new=setting)]


HANDLERS = {model.type_name: project for model in COLLECTION_OF}
# read-model collection -> the fields its queries filter on
INDEXES: dict[str, list[list[str]]] = {collection: entities.INDEXES
                                       for collection in sorted(set(COLLECTION_OF.values()))}
