"""What a domain says when an event is not allowed: pure, no I/O, shared by every service's domain."""

from __future__ import annotations

from dataclasses import dataclass

INVALID, FORBIDDEN, CONFLICT = 422, 403, 409


class RuleBroken(Exception):
    """An event the current state does not allow. `field` names the offending field of the event
    (`data.session_id`, `agency`, `id`); `status` is 422 (invalid here), 403 (not this agency's to
    record or change) or 409 (conflicts with what is recorded)."""

    def __init__(self, field: str, message: str, *, status: int = INVALID):
        super().__init__(message)
        self.field, self.message, self.status = field, message, status


@dataclass(frozen=True)
class Actor:
    """Who is emitting: the key's agency, and whether the key may correct facts other agencies recorded."""

    agency: str
    may_correct: bool = False

    def owns(self, recorded_by: str | None) -> bool:
        """May this actor change a fact first recorded by `recorded_by`?"""
        return self.may_correct or recorded_by == self.agency


def only_owner(actor: Actor, recorded_by: str | None, what: str) -> None:
    """The ownership rule: a fact is changed only by the agency that recorded it, or by a key with the
    explicit right to correct (`--may-correct`)."""
    if not actor.owns(recorded_by):
        raise RuleBroken("agency", f"{what} was recorded by {recorded_by}: only that agency, or a key with the "
                                   "right to correct, may change it", status=FORBIDDEN)
