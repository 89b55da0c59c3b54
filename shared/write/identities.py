"""Which events a service has already accepted, by identity (CloudEvents: `source` and `id`).

Each accepted event leaves its identity and its content's fingerprint here, so that the same event
sent again is recognised as a duplicate, and a different event reusing the identity, whatever
aggregate it targets, as a conflict (409 naming `id`). Aggregates also keep the marks of the events
applied to them, written in the same write as their state: that is the exact check, and this
registry, written just after, is what catches a reused identity aimed at another aggregate.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol




class Identities(Protocol):
    async def known(self, identities: Sequence[str]) -> dict[str, str]: ...
    async def remember(self, marks: Iterable[tuple[str, str]]) -> None: ...


class MemoryIdentities:
    def __init__(self) -> None:
        self.marks: dict[str, str] = {}

    async def known(self, identities: Sequence[str]) -> dict[str, str]:
        return {i: self.marks[i] for i in identities if i in self.marks}

    async def remember(self, marks: Iterable[tuple[str, str]]) -> None:
        for identity, fingerprint in marks:
            self.marks.setdefault(identity, fingerprint)
