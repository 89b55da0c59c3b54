"""What tests read back from an in-memory read model (shared.read.projection.MemorySink): the records of its entity
documents (shared.read.entities), and the training facts and states the figures are computed from."""

from __future__ import annotations

from datetime import datetime, timezone

from services.reporting.figures import training
from shared.read import entities

EVER = datetime(2099, 12, 31, tzinfo=timezone.utc)  # an as-of moment after everything


def records(sink) -> list[dict]:
    """Every record of every entity document in the sink."""
    return [r for docs in sink.collections.values() for r in entities.records_of(docs.values())]


def kept(sink, kind: str) -> dict[str, dict]:
    """The records of one kind (`kept_as`), by their `_id`."""
    return {r["_id"]: r for r in records(sink) if r.get("kept_as") == kind}


def training_facts(sink, partnership: str = "doncaster", as_of: datetime = EVER) -> training.Facts:
    """The training facts of a partnership, as `load` builds them."""
    return training.facts_of(records(sink), partnership, as_of)


def attendance(sink, *partnerships: str) -> dict[str, dict]:
    """Each person's attendance at each session (its state), by `<partnership>/<session>/<person>`."""
    return {d["_id"]: d for p in (partnerships or ("doncaster",)) for d in training_facts(sink, p).attendance}


async def stored_records(db, *collections: str) -> list[dict]:
    """Every record of the entity documents of these collections of a real read model, all partnerships."""
    return entities.records_of([d for c in collections async for d in db[c].find({})])


async def stored_attendance(db, partnership: str = "doncaster") -> dict[str, dict]:
    """Each person's attendance at each session (its state) in a real read model, by its id."""
    facts = training.facts_of(await stored_records(db, "training_sessions"), partnership, EVER)
    return {d["_id"]: d for d in facts.attendance}
