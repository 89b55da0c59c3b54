"""Every figure covers a period: the partnership's own reporting year holding the as-of day unless the reader asks
for another (issue 14, part 2). Stories of what a period is, how a reader asks for one, and what each domain's
figures show for it."""

from datetime import date, datetime, timezone

import pytest
from fastapi.exceptions import RequestValidationError

from services.reporting.entrypoints.common import Window, answer
from services.reporting.figures import reviews, strategy, training
from shared.calendar import days, named_period, reporting_period
from shared.partnerships import Partnership
from tests.unit.test_reviews_figures import event, facts, read_model
from tests.unit.test_strategy_figures import PLAN, doc, state
from tests.unit.test_training_figures import World, attendance, course, session

DONCASTER = Partnership(code="doncaster", name="Doncaster", area="Doncaster")
CALENDAR_YEAR = Partnership(code="somewhere", name="Somewhere", area="Somewhere", year_starts="01-01")
NOW = datetime(2026, 12, 1, 12, tzinfo=timezone.utc)


def test_a_period_is_named_as_a_reporting_year_a_quarter_or_a_month_and_bounded_by_london_moments():
    year = named_period("2021-22")
    assert (year.label, year.first, year.last) == ("2021-22", date(2021, 4, 1), date(2022, 3, 31))
    assert year.starts_at == datetime(2021, 3, 31, 23, tzinfo=timezone.utc)  # midnight in London, BST
    assert year.holds(datetime(2022, 3, 31, 22, 59, tzinfo=timezone.utc))
    assert not year.holds(datetime(2022, 3, 31, 23, 0, tzinfo=timezone.utc))  # 1 April in London
    assert (named_period("2022-Q1").first, named_period("2022-Q1").last) == (date(2022, 1, 1), date(2022, 3, 31))
    assert (named_period("2022-02").first, named_period("2022-02").last) == (date(2022, 2, 1), date(2022, 2, 28))
    assert named_period("2022", "01-01").last == date(2022, 12, 31)
    assert reporting_period(date(2022, 1, 5), "09-01").label == "2021-22"
    with pytest.raises(ValueError, match="not a period"):
        named_period("2021-23")
    with pytest.raises(ValueError, match="before it starts"):
        days(date(2022, 2, 1), date(2022, 1, 1))


def test_by_default_the_period_is_the_partnerships_reporting_year_holding_the_as_of_day():
    moment = datetime(2022, 3, 31, 12, tzinfo=timezone.utc)
    as_of, period = Window(as_of=moment).of(DONCASTER, now=NOW)
    assert as_of == moment and period.label == "2021-22"
    assert Window(as_of=moment).of(CALENDAR_YEAR, now=NOW)[1].label == "2022"
    assert Window().of(DONCASTER, now=NOW) == (NOW, reporting_period(date(2026, 12, 1)))


def test_a_period_asked_for_without_an_as_of_is_as_it_stood_at_its_end_or_now_while_it_runs():
    as_of, period = Window(period="2021-22").of(DONCASTER, now=NOW)
    assert as_of == period.ends_at == datetime(2022, 3, 31, 22, 59, 59, 999999, tzinfo=timezone.utc)
    assert Window(period="2026-27").of(DONCASTER, now=NOW)[0] == NOW
    as_of, period = Window(first="2021-10-01", last="2021-12-31").of(DONCASTER, now=NOW)
    assert (period.label, period.first, period.last) == (None, date(2021, 10, 1), date(2021, 12, 31))
    assert as_of == period.ends_at
    _, open_ended = Window(as_of=datetime(2022, 1, 15, tzinfo=timezone.utc), first="2021-10-01").of(DONCASTER)
    assert open_ended.last == date(2022, 1, 15)  # `to` defaults to the as-of day


def test_a_period_that_starts_after_the_as_of_moment_is_refused_naming_it():
    with pytest.raises(RequestValidationError) as refused:
        Window(as_of=datetime(2021, 3, 1, tzinfo=timezone.utc), period="2021-22").of(DONCASTER, now=NOW)
    assert refused.value.errors()[0]["loc"] == ("query", "period")
    with pytest.raises(RequestValidationError) as refused:
        Window(first="2022-02-01", last="2022-01-01").of(DONCASTER, now=NOW)
    assert refused.value.errors()[0]["loc"] == ("query", "to")


def test_every_answer_says_which_period_it_covers():
    moment = datetime(2022, 3, 31, 12, tzinfo=timezone.utc)
    head = answer(DONCASTER, moment, ["x.y.v1"])
    assert head["period"] == {"label": "2021-22", "from": "2021-04-01", "to": "2022-03-31",
                              "starts_at": "2021-03-31T23:00:00+00:00", "ends_at": "2022-03-31T22:59:59.999999+00:00"}
    assert list(head)[:6] == ["partnership", "as_of", "as_of_day", "year_starts", "period", "sources"]


async def test_training_shows_the_sessions_held_in_the_period():
    world = World()
    await world.send(course(), session("s1", starts="2022-03-30T09:30:00+01:00", capacity=5),
                     session("s2", starts="2022-04-04T09:30:00+01:00", capacity=5),
                     attendance("ref-0001", session_id="s1", when="2022-03-30T13:00:00+01:00"),
                     attendance("ref-0002", session_id="s2", when="2022-04-04T13:00:00+01:00"))
    moment = datetime(2022, 4, 30, tzinfo=timezone.utc)
    assert training.attendance(world.facts(), moment)["attendances"] == 2  # no period: everything by then
    this_year = training.attendance(world.facts(), moment, reporting_period(date(2022, 4, 30)))
    last_year = training.attendance(world.facts(), moment, named_period("2021-22"))
    assert (this_year["attendances"], this_year["sessions_held"]) == (1, 1)
    assert (last_year["attendances"], last_year["by_month"]) == (1, [{"month": "2022-03", "attended": 1}])
    # competencies are a state on the as-of day: both attendances count, whatever the period
    assert training.competencies(world.facts(), moment)["people_trained"] == 2


async def test_reviews_show_the_clocks_that_ran_in_the_period_and_the_cases_open_in_it():
    sink = await read_model(
        event("serious_incident.recorded", "2022-03-01T10:00:00", incident_id="si-1", case_ref="case-000001",
              aware_on="2022-03-01"),
        event("serious_incident.notified", "2022-03-03T10:00:00", incident_id="si-1", notified_on="2022-03-03"),
        event("serious_incident.recorded", "2022-03-28T10:00:00", incident_id="si-2", case_ref="case-000002",
              aware_on="2022-03-28"))
    day = date(2022, 4, 30)
    found = facts(sink, "2022-04-30")
    year = reporting_period(day)
    every = {(c["case"], c["rule"]): c["state"] for c in reviews.clocks(found, day)}
    shown = {(c["case"], c["rule"]): c["state"] for c in reviews.clocks(found, day, year)}
    assert every[("si-1", "serious_incident_notification")] == "met"  # stopped on 3 March, before the year
    assert ("si-1", "serious_incident_notification") not in shown
    assert shown[("si-2", "serious_incident_notification")] == "overdue"  # still running into April: carried
    cases = reviews.cases(found, day, year)
    assert [i["incident_id"] for i in cases["serious_incidents"]] == ["si-1", "si-2"]  # neither decided yet
    assert reviews.cases(found, day, named_period("2021-Q4"))["serious_incidents"] == []  # not known of yet


def _strategy(strategy_id: str, starts_on: str, ends_on: str) -> dict:
    return {**doc("2021-04-01", f"{strategy_id}-published", strategy_id=strategy_id, kind="delivery_plan",
                  title=strategy_id, starts_on=starts_on, ends_on=ends_on, owner_agency="dscp"),
            "first_event_time": datetime(2021, 4, 1, tzinfo=timezone.utc)}


def test_strategy_shows_the_plans_not_ended_before_the_period_and_the_work_an_ended_plan_left_unfinished():
    def snap(status: str, as_of: str):
        moment = datetime.fromisoformat(f"{as_of}T12:00:00+00:00")
        facts = strategy.Facts(
            strategies={"plan-2021-22": _strategy("plan-2021-22", "2021-04-01", "2022-03-31"),
                        "plan-2022-23": _strategy("plan-2022-23", "2022-04-01", "2023-03-31")},
            priorities={"priority-3": doc("2021-04-01", "p3", priority_id="priority-3", strategy_id="plan-2021-22",
                                          number=3, title="Neglect")},
            plans={"priority-3-c": PLAN},
            states={"priority-3-c": [state("2021-09-01", 1, None, status, **(
                {"overdue_after": None} if status.startswith("complete") else {}))]})
        return strategy.snapshot("doncaster", moment, facts, reporting_period(moment.date()))

    finished = snap("complete_on_time", "2022-04-30")
    assert [s["strategy_id"] for s in strategy.scorecard(finished)] == ["plan-2022-23"]
    assert strategy.attention(finished) == []
    unfinished = snap("on_track", "2022-04-30")  # overdue after 31 March: needs attention on 30 April
    assert [s["strategy_id"] for s in strategy.scorecard(unfinished)] == ["plan-2022-23"]
    assert [a["action_id"] for o in strategy.attention(unfinished) for a in o["overdue"]] == ["priority-3-c"]
    assert [s["strategy_id"] for s in strategy.scorecard(snap("complete_on_time", "2022-03-31"))] == [
        "plan-2021-22", "plan-2022-23"]  # the next year's plan, published, is shown before it starts
