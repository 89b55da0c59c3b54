"""Strategy: event contracts (issue 7)."""

from __future__ import annotations

from shared.events.base import EventData

EVENTS: tuple[type[EventData], ...] = ()
