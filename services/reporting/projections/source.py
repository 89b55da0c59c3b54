"""Where a read-model document's figures come from: every document names its partnership and the event it
was written from (traceability), whichever domain's projection wrote it."""

from __future__ import annotations

from shared.events.envelope import Envelope


def source(event: Envelope) -> dict:
    return {"partnership": event.partnership, "event_id": event.id, "event_time": event.time,
            "emitted_by": event.agency}
