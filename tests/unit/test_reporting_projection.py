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
                     partnership="doncaster", agency="dscp-training", source="/tests")


async def test_a_redelivered_event_rewrites_the_same_document():
    sink = MemorySink()
    e = attendance("ref-0001")
    await project(sink, e, e, e)
    assert list(sink.collections["training_attendance"]) == ["doncaster/s1/ref-0001"]


async def test_a_correction_replaces_the_outcome_and_names_its_event():
    sink = MemorySink()
    first, correction = attendance("ref-0001", "no_show"), attendance("ref-0001", "attended")
    await project(sink, first, correction)
    doc = sink.collections["training_attendance"]["doncaster/s1/ref-0001"]
    assert doc["outcome"] == "attended" and doc["event_id"] == correction.id


async def test_two_partnerships_with_the_same_ids_keep_two_documents_each_naming_its_partnership():
    sink = MemorySink()
    doncaster = attendance("ref-0001")
    rotherham = new_event("training.attendance.recorded.v1",
                          {"session_id": "s1", "attendee_ref": "ref-0001", "attendee_agency": "schools"},
                          partnership="rotherham", agency="rscp-training", source="/tests")
    await project(sink, doncaster, rotherham)
    docs = sink.collections["training_attendance"]
    assert sorted(docs) == ["doncaster/s1/ref-0001", "rotherham/s1/ref-0001"]
    assert {d["partnership"] for d in docs.values()} == {"doncaster", "rotherham"}
