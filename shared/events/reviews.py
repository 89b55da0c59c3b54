"""Reviews: event contracts (issue 8)."""

from __future__ import annotations

from shared.events.base import EventData

EVENTS: tuple[type[EventData], ...] = ()
