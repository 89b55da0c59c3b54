"""The strategy read model keeps history: one document per event, so a correction or a revision never
overwrites what an earlier as-of date shows, and a redelivered event rewrites its own document."""

from shared.events.catalogue import parse_data
from shared.events.envelope import new_event
from shared.projection import MemorySink
from services.reporting.projections import HANDLERS
from services.reporting.projections.strategy import ACTIONS, KPI_VALUES


def event(type_name, **data):
    return new_event(f"strategy.{type_name}.v1", data, partnership="doncaster", agency="doncaster-council",
                     source="/partners/doncaster-council/performance")


async def project(sink, *events):
    for e in events:
        await sink.apply(HANDLERS[e.type](e, parse_data(e)))


async def test_a_correction_is_a_second_document_and_a_redelivery_rewrites_the_first():
    sink = MemorySink()
    first = event("kpi_value.recorded", kpi_id="young-carers", period="2022-Q2", value=230, source="records")
    correction = event("kpi_value.recorded", kpi_id="young-carers", period="2022-Q2", value=240, source="records")
    await project(sink, first, correction, first)
    docs = sink.collections[KPI_VALUES]
    assert sorted(docs) == sorted([f"doncaster/young-carers/{first.identity}", f"doncaster/young-carers/{correction.identity}"])
    assert {d["value"] for d in docs.values()} == {230, 240}
    assert all(d["partnership"] == "doncaster" and d["event_time"] for d in docs.values())


async def test_each_action_step_is_its_own_document_naming_the_step():
    sink = MemorySink()
    started = event("action.started", action_id="priority-5-b", started_on="2022-01-10")
    progress = event("action.progress_reported", action_id="priority-5-b", reported_on="2022-03-30",
                     assessment="on_track", note="Spring term report",
                     evidence=[{"kind": "report", "ref": "education-termly-2022-spring"}])
    await project(sink, started, progress)
    steps = {d["step"]: d for d in sink.collections[ACTIONS].values()}
    assert set(steps) == {"started", "progress_reported"}
    assert steps["progress_reported"]["evidence"] == [{"kind": "report", "ref": "education-termly-2022-spring",
                                                       "title": None}]
