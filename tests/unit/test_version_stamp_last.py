"""The read-model version stamp is written after everything else of its batch (issue 14, part 4).

The dashboard caches an answer under the stamp it read; if the stamp landed before the rest of its batch, a read
in between would cache old figures under the new stamp until the next event.
"""

from shared.events.catalogue import parse_data
from shared.events.envelope import new_event
from shared.adapters.mongo.sink import MongoSink
from services.reporting.projections import EVENTS, HANDLERS, VERSIONS


class RecordingCollection:
    def __init__(self, name, journal):
        self.name, self.journal = name, journal

    async def bulk_write(self, ops, ordered=True):
        self.journal.append(self.name)


class RecordingDatabase:
    """Just enough of an AsyncDatabase to see the order collections are written in."""

    def __init__(self):
        self.journal: list[str] = []

    def __getitem__(self, name):
        return RecordingCollection(name, self.journal)


def _event(type_name, **data):
    return new_event(f"training.{type_name}.v1", data, partnership="doncaster", agency="dscp-training",
                     source="/tests")


async def test_a_batch_touching_three_collections_writes_the_stamp_last():
    batch = [_event("course.published", course_id="c1", title="Neglect"),
             _event("session.scheduled", session_id="s1", course_id="c1", delivery_mode="virtual",
                    starts_at="2021-11-02T09:30:00Z", capacity=20),
             _event("needs_analysis.recorded", survey_id="tna-1", title="Training needs 2022", closed_on="2022-03-01",
                    respondents=10, prefer_virtual=5, prefer_face_to_face=3, prefer_e_learning=2)]
    writes = [w for e in batch for w in HANDLERS[e.type](e, parse_data(e))]
    assert [w.collection for w in writes].index(VERSIONS) == 2  # the stamp is among the first writes projected
    db = RecordingDatabase()
    await MongoSink(db, last=[VERSIONS]).apply(writes)
    assert db.journal == ["training_courses", EVENTS, "training_sessions", "training_surveys", VERSIONS]
