"""The strategy read model: pure functions from event to writes (see projections/training.py for the pattern).

Every write is an upsert keyed by the fact's natural identity within its partnership, each
document carries `partnership` and its `_id` starts with it.
"""

from __future__ import annotations

from shared.projection import Upsert  # noqa: F401  (the write every projection returns)

# event type name -> projection
HANDLERS: dict = {}
# read-model collection -> the fields its queries filter on
INDEXES: dict[str, list[str]] = {}
