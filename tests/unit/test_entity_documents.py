"""Entity documents (shared.read.entities): one document per thing, its records added once, filed under the years
it bears on; and the MongoDB sink's one update per document for a batch that adds to it twice."""

from datetime import date, datetime, timezone

from shared.adapters.mongo.sink import update_ops
from shared.read import entities
from shared.read.projection import MemorySink

MOMENT = datetime(2021, 12, 31, 23, 30, tzinfo=timezone.utc)  # still 2021 in London (GMT)


def test_a_thing_is_filed_under_every_year_from_its_earliest_to_its_latest_day():
    assert entities.span(MOMENT, "2024-03-31", None, date(2022, 6, 1)) == [2021, 2022, 2023, 2024]
    assert entities.span(datetime(2022, 6, 30, 23, 30, tzinfo=timezone.utc)) == [2022]
    assert entities.span("2023-12-31T23:30:00-01:00") == [2024]  # 00:30 on 1 January in London
    assert entities.span() == []


async def test_a_record_is_added_once_and_a_later_projection_of_it_stands_instead():
    sink = MemorySink()
    first = entities.filed("c", "doncaster", "case/1", {"_id": "doncaster/1/e1", "n": 1}, [2021], open=True)
    second = entities.filed("c", "doncaster", "case/1", {"_id": "doncaster/1/e2", "n": 2}, [2022, 2023], open=False)
    await sink.apply([first, second])
    await sink.apply([first, second])  # Kafka redelivers from the last commit, in order: nothing changes
    [doc] = sink.collections["c"].values()
    assert (doc["_id"], doc["years"], doc["open"]) == ("doncaster/case/1", ["2021", "2022", "2023"], False)
    assert [r["n"] for r in entities.records_of([doc])] == [1, 2]
    again = entities.filed("c", "doncaster", "case/1", {"_id": "doncaster/1/e1", "n": 10}, [2021])
    await sink.apply([again])  # the same event, projected again by a later projector
    assert [r["n"] for r in entities.records_of(sink.collections["c"].values())] == [10, 2]


async def test_a_thing_read_as_it_stands_keeps_its_latest_record_only():
    sink = MemorySink()
    for n in (1, 2):
        await sink.apply([entities.filed("c", "p", "course/1", {"_id": f"p/1/e{n}", "n": n}, [2020 + n],
                                         latest_only=True)])
    [doc] = sink.collections["c"].values()
    assert [r["n"] for r in entities.records_of([doc])] == [2] and doc["years"] == ["2021", "2022"]


def test_two_additions_to_one_document_in_a_batch_are_one_update_adding_both():
    writes = [entities.filed("c", "p", "case/1", {"_id": f"p/1/e{n}", "n": n}, [2021 + n]) for n in (0, 1)]
    [op] = update_ops(writes)["c"]
    added = op._doc["$addToSet"]
    assert [len(added["records"]["$each"]), added["years"]["$each"]] == [2, ["2021", "2022"]]


def test_a_period_reads_the_years_held_from_its_first_on():
    assert entities.years_to_read(2021, ["2020", "2021", "2023", "2034"]) == ["2021", "2023", "2034"]
    assert entities.years_to_read(2021, []) == []
