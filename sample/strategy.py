"""Doncaster's strategy facts for the report's period, as strategy events (issue 7).

Pure data and deterministic ids (uuid5), no I/O, like sample.partnership.
"""

from __future__ import annotations

from shared.events.envelope import Envelope

# the keys the owning agencies' systems use: {agency, partnerships, event_types, label}
KEYS: list[dict] = []
# what the read model must show once the sample is loaded (checked by tests and by `python -m sample`)
EXPECTED: dict = {}


def events() -> list[Envelope]:
    """Every sample strategy event, in the order the owners' systems would send them."""
    return []


def summary(figures) -> list[str] | None:
    """Lines for `python -m sample` to print once the read model shows the sample, or None while it does not yet.
    `figures(path)` answers a reporting JSON endpoint under /p/doncaster/api/, e.g. figures("strategy/...")."""
    return []
