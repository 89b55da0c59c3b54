"""Where a read-model document's figures come from: every document names its partnership and the event it
was written from (traceability), whichever domain's projection wrote it.

An event is identified by its `source` and `id` together (two systems may use the same id), so a document kept
per event is keyed by the event's `identity` (shared.events.envelope), never by its `id` alone, and documents
are put in recorded order by time, then source, then id: the same order every time from the same events.
"""

from __future__ import annotations

from shared.events.envelope import Envelope


def source(event: Envelope) -> dict:
    return {"partnership": event.partnership, "event_id": event.id, "event_source": event.source,
            "event_time": event.time, "emitted_by": event.agency}


def recorded_order(doc: dict) -> tuple:
    """The order events were recorded in: by time, then by source and id (documents written before the source was
    kept sort first among those of their time)."""
    return doc["event_time"], doc.get("event_source", ""), doc["event_id"]
