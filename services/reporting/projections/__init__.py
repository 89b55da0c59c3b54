"""Every projection of the reporting read model, by event type.

Each projection also stamps its partnership's read-model version (`read_model_versions`, one
document per partnership, `_id` the partnership): the id, identity and time of the latest event projected
for it. The dashboards cache their answers until that version changes (services.reporting.dashboard).
"""

from collections.abc import Callable, Iterable

from shared.events.base import EventData
from shared.events.envelope import Envelope
from shared.read.projection import Upsert
from services.reporting.projections import reviews, strategy, training

VERSIONS = "read_model_versions"
Handler = Callable[[Envelope, EventData], Iterable[Upsert]]


def versioned(handler: Handler) -> Handler:
    def project(event: Envelope, data: EventData) -> list[Upsert]:
        return [*handler(event, data),
                Upsert(VERSIONS, event.partnership,
                       {"event_id": event.id, "event_identity": event.identity, "event_time": event.time})]

    project.__name__ = handler.__name__
    return project


DOMAINS = (strategy, reviews, training)
HANDLERS = {type_name: versioned(handler) for domain in DOMAINS for type_name, handler in domain.HANDLERS.items()}
# every read-model collection, with the fields its queries filter on (each partnership's figures)
READ_MODEL_INDEXES = {**{c: f for domain in DOMAINS for c, f in domain.INDEXES.items()}, VERSIONS: []}
