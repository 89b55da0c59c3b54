"""The strategy read model keeps history: one record per event in its entity's document, so a correction or a
revision never overwrites what an earlier as-of date shows, and a redelivered event adds nothing."""

from shared.events.catalogue import parse_data
from shared.events.envelope import new_event
from shared.read import entities
from shared.read.projection import MemorySink
from services.reporting.projections import HANDLERS
from services.reporting.projections.strategy import ACTION_STATES, ACTIONS, KPI_SCHEDULES, KPI_VALUES, KPIS, unpack


def kept(sink, collection, kind):
    """The records of one kind, from the entity documents of `collection`."""
    return {r["_id"]: r for r in entities.records_of(sink.collections[collection].values()) if r["kept_as"] == kind}


def event(type_name, **data):
    return new_event(f"strategy.{type_name}.v1", data, partnership="doncaster", agency="doncaster-council",
                     source="/partners/doncaster-council/performance")


async def project(sink, *events):
    for e in events:
        await sink.apply(HANDLERS[e.type](e, parse_data(e)))


async def test_a_correction_is_a_second_record_and_a_redelivery_adds_nothing():
    sink = MemorySink()
    first = event("kpi_value.recorded", kpi_id="young-carers", period="2022-Q2", value=230, source="records")
    correction = event("kpi_value.recorded", kpi_id="young-carers", period="2022-Q2", value=240, source="records")
    await project(sink, first, correction, first)
    assert list(sink.collections[KPIS]) == ["doncaster/kpi/young-carers"]  # the KPI's entity, open: it stands
    assert sink.collections[KPIS]["doncaster/kpi/young-carers"]["open"] is True
    docs = kept(sink, KPIS, KPI_VALUES)
    assert sorted(docs) == sorted([f"doncaster/young-carers/{first.identity}", f"doncaster/young-carers/{correction.identity}"])
    assert {d["value"] for d in docs.values()} == {230, 240}
    assert all(d["partnership"] == "doncaster" and d["event_time"] for d in docs.values())


async def test_each_action_step_is_its_own_record_naming_the_step_filed_under_the_years_of_its_days():
    sink = MemorySink()
    started = event("action.started", action_id="priority-5-b", started_on="2022-01-10")
    progress = event("action.progress_reported", action_id="priority-5-b", reported_on="2022-03-30",
                     assessment="on_track", note="Spring term report",
                     evidence=[{"kind": "report", "ref": "education-termly-2022-spring"}])
    await project(sink, started, progress)
    [action] = sink.collections[ACTIONS].values()
    assert action["_id"] == "doncaster/action/priority-5-b"  # from the days it states to its events' moments
    assert action["years"] == [str(y) for y in range(2022, started.time.year + 1)]
    steps = {d["step"]: d for d in kept(sink, ACTIONS, ACTIONS).values()}
    assert set(steps) == {"started", "progress_reported"}
    assert steps["progress_reported"]["evidence"] == [{"kind": "report", "ref": "education-termly-2022-spring",
                                                       "title": None}]


async def test_what_the_service_decided_is_kept_per_decision_with_the_id_of_its_fact():
    from shared.events.envelope import decision_of
    sink = MemorySink()
    started = event("action.started", action_id="priority-5-b", started_on="2022-01-10")
    state = {"action_id": "priority-5-b", "revision": 2, "after": "started", "in_force_on": "2022-01-10",
             "status": "on_track", "overdue_after": "2022-03-31", "due_on": "2022-03-31", "started_on": "2022-01-10",
             "completed_on": None, "assessment": None, "evidence": [], "evidenced": False, "reopened": 0,
             "last_note": None}
    decided = decision_of(started, "strategy.action_state.decided.v1", state)
    await project(sink, started, decided, decided)
    [doc] = kept(sink, ACTIONS, ACTION_STATES).values()
    assert doc["_id"] == f"doncaster/priority-5-b/{decided.identity}"
    assert sink.collections[ACTIONS]["doncaster/action/priority-5-b"]["open"] is True  # on track: not finished
    kept_to_the_millisecond = started.time.replace(microsecond=started.time.microsecond // 1000 * 1000)
    assert (doc["fact_id"], doc["status"], doc["event_time"]) == (started.id, "on_track", kept_to_the_millisecond)


async def test_a_schedules_periods_are_kept_packed_and_read_whole():
    from shared.events.envelope import decision_of
    from services.strategy.domain.rules import schedule
    sink = MemorySink()
    kpi = {"kpi_id": "young-carers", "unit": "count", "period_type": "quarter", "trajectory": "rate_per_period",
           "rate_per_period": 4.5, "baseline": {"value": 225, "on": "2022-03-31"}}
    defined = event("kpi.defined", title="Young carers", numerator="Young carers", **kpi)
    decided = decision_of(defined, "strategy.kpi_schedule.set.v1", {"kpi_id": "young-carers", "revision": 1,
                                                                     **schedule(kpi)})
    await project(sink, decided)
    [doc] = kept(sink, KPIS, KPI_SCHEDULES).values()
    assert "periods" not in doc and unpack(doc["periods_packed"]) == schedule(kpi)["periods"]
