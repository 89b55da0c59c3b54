"""The training read model's projections, applied to an in-memory sink."""

from shared.events.catalogue import parse_data
from shared.events.envelope import new_event
from shared.projection import MemorySink
from services.reporting.projections import HANDLERS


async def project(sink, *events):
    for env in events:
        await sink.apply(HANDLERS[env.type](env, parse_data(env)))


def attendance(ref, outcome="attended"):
    return new_event("training.attendance.recorded.v1",
                     {"session_id": "s1", "attendee_ref": ref, "attendee_agency": "schools", "outcome": outcome},
                     agency="dscp-training", source="/tests")


async def test_a_redelivered_event_rewrites_the_same_document():
    sink = MemorySink()
    e = attendance("ref-0001")
    await project(sink, e, e, e)
    assert list(sink.collections["training_attendance"]) == ["s1/ref-0001"]


async def test_a_correction_replaces_the_outcome_and_names_its_event():
    sink = MemorySink()
    first, correction = attendance("ref-0001", "no_show"), attendance("ref-0001", "attended")
    await project(sink, first, correction)
    doc = sink.collections["training_attendance"]["s1/ref-0001"]
    assert doc["outcome"] == "attended" and doc["event_id"] == correction.id
