"""The strategy figures from the read model's documents, without a database: reporting compares what the strategy
service decided (an action's state, a KPI's schedule, a value's figure) with the as-of moment and day, and works
no rule out itself."""

from datetime import datetime

from services.reporting.figures import strategy as figures
from services.reporting.projections.strategy import (ACTION_STATES, ACTIONS, AREAS, KPI_FIGURES, KPI_SCHEDULES, KPIS,
                                                     PLANS, pack)


def at(day: str, time: str = "12:00:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{time}+00:00")


class Found:
    def __init__(self, docs):
        self.docs = docs

    def __aiter__(self):
        return self._each()

    async def _each(self):
        for doc in self.docs:
            yield dict(doc)


class Collection:
    def __init__(self, db, name):
        self.db, self.name = db, name

    def find(self, query, projection=None):
        self.db.reads.append(self.name)
        return Found(d for d in self.db.docs.get(self.name, []) if d["partnership"] == query["partnership"])


class Database:
    """What the figures read of the read model: one partnership's entity documents by collection (every one: no
    period asked for), and which collections were read."""

    def __init__(self, docs):
        self.docs, self.reads = docs, []

    def __getitem__(self, name):
        return Collection(self, name)


def of(records: dict[str, list[dict]], as_of: datetime) -> figures.Facts:
    """The facts from records by the kind they are kept as (pure: what `load` builds from what it reads)."""
    return figures.facts_of(figures.kept([{**r, "kept_as": kind, "_id": f"{kind}/{i}"}
                                          for kind, rs in records.items() for i, r in enumerate(rs)],
                                         "doncaster", as_of))


def doc(recorded: str, event_id: str, **fields) -> dict:
    return {"partnership": "doncaster", "event_time": at(recorded), "event_id": event_id,
            "event_source": "/partners/dscp", **fields}


def state(recorded: str, revision: int, in_force_on: str | None, status: str, **fields) -> dict:
    """An action's state as the strategy service published it (strategy.action_state.decided.v1), as kept."""
    decided = {"action_id": "priority-3-c", "revision": revision, "after": "started", "in_force_on": in_force_on,
               "status": status, "overdue_after": "2022-03-31", "due_on": "2022-03-31", "started_on": None,
               "completed_on": None, "assessment": None, "evidence": [], "evidenced": False, "reopened": 0,
               "last_note": None}
    return doc(recorded, f"decided-{revision}", fact_id=f"fact-{revision}", **{**decided, **fields})


PLAN = doc("2021-09-01", "plan-1", step="planned", action_id="priority-3-c", priority_id="priority-3", letter="c",
           title="Full multi-agency participation", owner_agency="south-yorkshire-police", owner_group=None,
           due_on="2022-03-31", kpi_ids=[])


def rows_at(docs: dict, as_of: datetime) -> dict:
    facts = figures.Facts(plans={"priority-3-c": PLAN}, steps={}, states={"priority-3-c": [
        d for d in docs[ACTION_STATES] if d["event_time"] <= as_of]})
    return figures.actions(facts, as_of)["priority-3-c"]


def test_an_open_action_is_overdue_on_the_days_after_its_decided_due_date_and_a_closed_one_never():
    docs = {ACTION_STATES: [state("2021-09-01", 1, None, "not_started")]}
    assert rows_at(docs, at("2022-03-31", "22:00:00"))["status"] == "not_started"  # 31 March in London, still
    assert rows_at(docs, at("2022-04-01"))["status"] == "overdue"
    docs[ACTION_STATES].append(state("2022-02-20", 2, "2022-02-20", "complete_on_time", overdue_after=None,
                                     evidence=[{"kind": "audit", "ref": "a-1", "title": None}], evidenced=True))
    done = rows_at(docs, at("2023-01-01"))
    assert (done["status"], done["display"], done["evidence"][0]["ref"]) == ("complete_on_time", "green", "a-1")


def test_the_state_in_force_is_the_latest_revision_recorded_whose_day_has_come():
    docs = {ACTION_STATES: [state("2021-09-01", 1, None, "not_started"),
                            state("2021-10-01", 2, "2021-10-01", "on_track"),
                            state("2021-10-05", 3, "2021-11-15", "at_risk")]}  # reported ahead of its date
    assert rows_at(docs, at("2021-09-30"))["status"] == "not_started"
    assert (rows_at(docs, at("2021-10-10"))["status"], rows_at(docs, at("2021-10-10"))["display"]) == (
        "on_track", "green_without_evidence")
    assert rows_at(docs, at("2021-11-15"))["status"] == "at_risk"


SCHEDULE = doc("2021-09-01", "decided-s1", fact_id="kpi-1", kpi_id="young-carers", revision=1, period_type="quarter",
               unit="count", compare="at_least", before=None, after=None, periods_packed=pack([
                   {"period": "2022-Q1", "starts_on": "2022-01-01", "ends_on": "2022-03-31", "due_on": None,
                    "expectation": {"expected": 225.0, "at_risk_from": 213.75}},
                   {"period": "2022-Q2", "starts_on": "2022-04-01", "ends_on": "2022-06-30", "due_on": "2022-07-30",
                    "expectation": {"expected": 235.125, "at_risk_from": 223.36875}},
                   {"period": "2022-Q3", "starts_on": "2022-07-01", "ends_on": "2022-09-30", "due_on": "2022-10-30",
                    "expectation": {"expected": 245.705625, "at_risk_from": 233.42034375}}]))
KPI = doc("2021-09-01", "kpi-1", kpi_id="young-carers", title="Young carers", strategy_id=None, priority_id=None,
          numerator="Young carers", denominator=None, unit="count", direction="higher_is_better",
          period_type="quarter", baseline={"value": 225, "on": "2022-03-31"}, target=None,
          trajectory="rate_per_period", rate_per_period=4.5, tolerance=None)


def figure(recorded: str, fact_id: str, period: str, value: float, version: int = 1, **fields) -> dict:
    starts = {"2022-Q1": ("2022-01-01", "2022-03-31"), "2022-Q2": ("2022-04-01", "2022-06-30"),
              "2021-Q4": ("2021-10-01", "2021-12-31"), "2022-Q3": ("2022-07-01", "2022-09-30")}[period]
    return doc(recorded, f"decided-{fact_id}", fact_id=fact_id, kpi_id="young-carers", period=period, agency=None,
               **{"period_type": "quarter", "unit": "count", **fields}, starts_on=starts[0], ends_on=starts[1],
               value=value, version=version, source="Young carers team records")


async def snapshot(values: list[dict], as_of: datetime) -> figures.Snapshot:
    return figures.snapshot("doncaster", as_of, of({KPIS: [KPI], KPI_SCHEDULES: [SCHEDULE], KPI_FIGURES: values},
                                                   as_of))


async def test_a_value_is_judged_against_its_periods_thresholds_and_a_due_period_without_one_is_missing():
    values = [figure("2022-07-10", "v-1", "2022-Q2", 230), figure("2022-08-05", "v-2", "2022-Q2", 240, version=2)]
    july = (await snapshot(values, at("2022-07-31"))).kpis["young-carers"]
    [row] = july["series"][0]["rows"]
    assert (row["value"], row["expected"], row["status"], row["event_id"]) == (230, 235.12, "at_risk", "v-1")
    november = (await snapshot(values, at("2022-11-15"))).kpis["young-carers"]
    q2, q3 = november["series"][0]["rows"]
    assert (q2["value"], q2["status"], [s["value"] for s in q2["superseded"]]) == (240, "on_track", [230])
    assert (q3["period"], q3["status"], q3["value"]) == ("2022-Q3", "missing", None)
    assert november["status"] == "missing" and november["event_ids"] == ["kpi-1", "v-1", "v-2"]


async def test_a_value_outside_the_listed_periods_has_no_expectation_and_one_of_another_unit_is_not_shown():
    values = [figure("2022-01-10", "v-1", "2021-Q4", 200), figure("2022-04-10", "v-2", "2022-Q1", 230,
                                                                   unit="percent")]
    kpi = (await snapshot(values, at("2022-05-01"))).kpis["young-carers"]
    [row] = kpi["series"][0]["rows"]  # the 2022-Q1 value was recorded when the KPI was a percentage
    assert (row["period"], row["expected"], row["status"]) == ("2021-Q4", None, "no_target")


async def test_every_entity_collection_is_read_once_per_answer():
    db = Database({})
    snap = await figures.load(db, "doncaster", at("2022-03-31"))
    figures.scorecard(snap), figures.ofsted(snap), figures.attention(snap)
    assert sorted(db.reads) == sorted([PLANS, ACTIONS, KPIS, AREAS])  # an action's states are kept with it, a
    # KPI's schedules and figures with it
