"""Every read-model document kept per event is keyed by the event's full identity (issue 13, class 3).

An event is its partnership, `source` and `id` together. Two systems may use the same `id`: for every event
type, two events that differ only in their source become two records of an entity document
(shared.read.entities). A course, read only as it stands now, keeps its latest record; the state of a session or
of one person at one session is merged from its records, the later event's last.
"""

import pytest

from shared.events.catalogue import CATALOGUE
from shared.events.envelope import Envelope
from shared.read import entities
from shared.read.projection import MemorySink
from services.reporting.projections import EVENTS, HANDLERS, VERSIONS
from services.reporting.projections.training import COURSES
from tests.generated_events import an_accepted

LATEST_ONLY = {COURSES}  # read only as it stands now: one record, the latest


def _from(source: str, incoming) -> Envelope:
    return incoming.envelope.model_copy(update={"source": source})


@pytest.mark.parametrize("type_name", sorted(CATALOGUE))
async def test_two_sources_sharing_an_event_id_keep_two_documents(type_name):
    incoming = an_accepted(type_name)
    sink = MemorySink()
    for source in ("/probe/sys-a", "/probe/sys-b", "/probe/sys-a"):  # the last is a redelivery: harmless
        event = _from(source, incoming)
        await sink.apply(HANDLERS[type_name](event, incoming.data))
    for collection, docs in sink.collections.items():
        if collection == VERSIONS:
            continue
        if collection == EVENTS:  # the ledger: one entry per event, by its identity
            assert sorted(d["source"] for d in docs.values()) == ["/probe/sys-a", "/probe/sys-b"]
            continue
        expected = 1 if collection in LATEST_ONLY else 2
        kept = entities.records_of(docs.values())
        assert len(kept) == expected, (collection, sorted(d["_id"] for d in kept))
        assert {d["event_source"] for d in kept} <= {"/probe/sys-a", "/probe/sys-b"}


async def test_the_read_model_version_changes_when_another_source_reuses_the_latest_id():
    incoming = an_accepted("training.course.published.v1")
    sink = MemorySink()
    stamps = []
    for source in ("/probe/sys-a", "/probe/sys-b"):
        await sink.apply(HANDLERS[incoming.envelope.type](_from(source, incoming), incoming.data))
        stamps.append(dict(sink.collections[VERSIONS][incoming.envelope.partnership]))
    assert stamps[0]["event_id"] == stamps[1]["event_id"]
    assert stamps[0]["event_identity"] != stamps[1]["event_identity"]  # the dashboard's cache sees a new version
