"""The training read model's projections, applied to an in-memory sink."""

from shared.events.catalogue import parse_data
from shared.events.envelope import new_event
from shared.read.projection import MemorySink
from services.reporting.projections import HANDLERS
from tests.read_model import attendance as attended, kept


async def project(sink, *events):
    for env in events:
        await sink.apply(HANDLERS[env.type](env, parse_data(env)))


def attendance(ref, outcome="attended"):
    return new_event("training.attendance.recorded.v1",
                     {"session_id": "s1", "attendee_ref": ref, "attendee_agency": "schools", "outcome": outcome},
                     partnership="doncaster", agency="dscp-training", source="/tests")


async def test_a_redelivered_event_adds_nothing():
    sink = MemorySink()
    e = attendance("ref-0001")
    await project(sink, e, e, e)
    assert list(sink.collections["training_sessions"]) == ["doncaster/session/s1"]  # the session's entity
    assert list(attended(sink)) == ["doncaster/s1/ref-0001"]
    assert len(kept(sink, "training_attendance")) == 1


async def test_a_correction_replaces_the_outcome_and_names_its_event():
    sink = MemorySink()
    first, correction = attendance("ref-0001", "no_show"), attendance("ref-0001", "attended")
    await project(sink, first, correction)
    doc = attended(sink)["doncaster/s1/ref-0001"]
    assert doc["outcome"] == "attended" and doc["event_id"] == correction.id


async def test_two_partnerships_with_the_same_ids_keep_two_documents_each_naming_its_partnership():
    sink = MemorySink()
    doncaster = attendance("ref-0001")
    rotherham = new_event("training.attendance.recorded.v1",
                          {"session_id": "s1", "attendee_ref": "ref-0001", "attendee_agency": "schools"},
                          partnership="rotherham", agency="rscp-training", source="/tests")
    await project(sink, doncaster, rotherham)
    docs = attended(sink, "doncaster", "rotherham")
    assert sorted(docs) == ["doncaster/s1/ref-0001", "rotherham/s1/ref-0001"]
    assert sorted(sink.collections["training_sessions"]) == ["doncaster/session/s1", "rotherham/session/s1"]
    assert {d["partnership"] for d in docs.values()} == {"doncaster", "rotherham"}


async def test_an_attendance_keeps_the_outcome_first_recorded_beside_the_latest():
    sink = MemorySink()
    first, correction = attendance("ref-0001", "no_show"), attendance("ref-0001", "attended")
    await project(sink, first, correction)
    await project(sink, first, correction)  # Kafka redelivers from the last commit, in order: nothing changes
    doc = attended(sink)["doncaster/s1/ref-0001"]
    assert (doc["first_outcome"], doc["first_event_id"]) == ("no_show", first.id)
    assert doc["outcome"] == "attended" and doc["event_id"] == correction.id


async def test_every_booking_event_is_its_own_record_so_past_as_of_dates_see_them():
    sink = MemorySink()
    booking = new_event("training.booking.made.v1",
                        {"session_id": "s1", "attendee_ref": "ref-0001", "attendee_agency": "schools",
                         "booked_at": "2021-10-20T10:00:00Z"}, partnership="doncaster", agency="dscp-training",
                        source="/tests")
    cancel = new_event("training.booking.cancelled.v1",
                       {"session_id": "s1", "attendee_ref": "ref-0001", "cancelled_at": "2021-10-25T10:00:00Z"},
                       partnership="doncaster", agency="dscp-training", source="/tests")
    await project(sink, booking, cancel, cancel)
    docs = kept(sink, "training_bookings")
    assert sorted(docs) == sorted([f"doncaster/s1/ref-0001/{booking.identity}", f"doncaster/s1/ref-0001/{cancel.identity}"])
    assert {d["kind"] for d in docs.values()} == {"made", "cancelled"}


async def test_a_partner_programme_report_is_kept_per_period_and_event():
    sink = MemorySink()
    report = new_event("training.programme.reported.v1",
                       {"programme_id": "child-matters", "title": "Child Matters", "period_start": "2021-09-01",
                        "period_end": "2022-03-31", "sessions": 81, "attendees": 4600},
                       partnership="doncaster", agency="south-yorkshire-police", source="/tests")
    await project(sink, report)
    [doc] = kept(sink, "training_programmes").values()
    assert (doc["sessions"], doc["attendees"], doc["period_end"]) == (81, 4600, "2022-03-31")
    assert list(sink.collections["training_programmes"]) == ["doncaster/programme/child-matters"]
    assert sink.collections["training_programmes"]["doncaster/programme/child-matters"]["years"][:2] == ["2021", "2022"]
    assert "training_sessions" not in sink.collections
