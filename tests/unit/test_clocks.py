"""The statutory clocks on worked dates: weekends, Christmas, New Year and Easter, triggers on holidays.

The reviews service counts the days (services.reviews.domain.clocks, on the kit's calendar); reporting compares
the dates it is told with an as-of day (services.reporting.figures.reviews.clock_state)."""

from datetime import date

import holidays
import pytest

from services.reporting.figures.reviews import clock_state
from services.reviews.domain.clocks import due, near_breach_from, rapid_review_start
from shared.calendar import (add_months, add_working_days, bank_holidays, is_working_day, working_days_after,
                             working_days_between)
from shared.events.reviews import CLOCKS as RULES

NOTIFY, RAPID, CSPR, LADO = ("serious_incident_notification", "rapid_review", "practice_review_publication",
                             "lado_referral")


def status(rule: str, start: date, done: date | None, as_of: date) -> str:
    """A clock's state on `as_of`, as reporting reads it from the dates the reviews service publishes."""
    due_on = due(rule, start)
    known = done if done is not None and done <= as_of else None
    return clock_state(due_on.isoformat(), near_breach_from(rule, due_on).isoformat(),
                       known and known.isoformat(), as_of.isoformat())


def test_england_and_wales_share_their_bank_holidays_and_christmas_2021_is_observed_on_27_and_28():
    years = list(range(2018, 2031))
    assert bank_holidays(years) == frozenset(holidays.UK(subdiv="WLS", years=years))
    assert {date(2021, 12, 27), date(2021, 12, 28), date(2022, 1, 3), date(2022, 4, 15), date(2022, 4, 18)} \
        <= bank_holidays(2021) | bank_holidays(2022)
    assert not is_working_day(date(2021, 12, 28)) and not is_working_day(date(2021, 11, 6))  # a holiday, a Saturday
    assert is_working_day(date(2021, 12, 24))


@pytest.mark.parametrize("aware, expected", [
    (date(2021, 11, 1), date(2021, 11, 8)),    # Monday: the next Monday
    (date(2021, 11, 5), date(2021, 11, 12)),   # Friday: the weekend is not counted
    (date(2021, 11, 6), date(2021, 11, 12)),   # a Saturday trigger: day 1 is Monday
    (date(2021, 12, 23), date(2022, 1, 4)),    # over Christmas (27, 28 Dec) and New Year (3 Jan)
    (date(2022, 4, 13), date(2022, 4, 22)),    # over Easter: Good Friday 15 and Easter Monday 18 April
    (date(2022, 4, 15), date(2022, 4, 25)),    # aware on Good Friday itself: day 1 is the Tuesday
])
def test_a_serious_incident_is_notified_within_5_working_days_of_awareness(aware, expected):
    assert due(NOTIFY, aware) == expected
    assert working_days_between(aware, expected) == 5


def test_a_rapid_review_is_due_15_working_days_after_the_notification_by_default():
    notified = date(2022, 1, 4)
    assert rapid_review_start(date(2021, 12, 23), notified) == notified
    assert rapid_review_start(date(2021, 12, 23), notified, starts="awareness") == date(2021, 12, 23)
    assert due(RAPID, notified) == date(2022, 1, 25)


def test_an_allegation_made_on_a_bank_holiday_is_referred_by_the_next_working_day_after_it():
    assert due(LADO, date(2021, 12, 27)) == date(2021, 12, 29)  # Monday 27 and Tuesday 28 are holidays
    assert due(LADO, date(2021, 12, 31)) == date(2022, 1, 4)  # Friday: Monday 3 January is New Year's observed


def test_a_month_deadline_is_the_same_day_n_months_on_clamped_to_the_month_and_moved_to_a_working_day():
    assert add_months(date(2021, 8, 31), 6) == date(2022, 2, 28)
    assert add_months(date(2021, 11, 15), 3) == date(2022, 2, 15)
    assert due(CSPR, date(2021, 8, 31)) == date(2022, 2, 28)
    assert due(CSPR, date(2021, 10, 15)) == date(2022, 4, 19)  # 15 April 2022 is Good Friday, 18 Easter Monday
    assert due("allegation_resolution_1_month", date(2021, 11, 27)) == date(2021, 12, 29)  # 27, 28 Dec off
    assert due("allegation_resolution_12_months", date(2021, 10, 4)) == date(2022, 10, 4)


def test_working_days_run_backwards_and_forwards_consistently():
    assert add_working_days(date(2022, 1, 4), -5) == date(2021, 12, 23)
    assert working_days_between(date(2022, 1, 4), date(2021, 12, 23)) == -5
    assert working_days_between(date(2021, 11, 5), date(2021, 11, 5)) == 0


def test_a_clock_is_met_on_its_due_date_and_missed_the_day_after():
    aware = date(2021, 11, 1)  # due 8 November
    assert status(NOTIFY, aware, date(2021, 11, 8), as_of=date(2022, 3, 31)) == "met"
    assert status(NOTIFY, aware, date(2021, 11, 10), as_of=date(2022, 3, 31)) == "missed"


def test_an_open_clock_is_open_then_near_breach_then_overdue():
    aware = date(2021, 12, 23)  # due 4 January 2022: a near breach from the working day before
    assert near_breach_from(NOTIFY, date(2022, 1, 4)) == date(2021, 12, 31)
    assert status(NOTIFY, aware, None, as_of=date(2021, 12, 24)) == "open"
    assert status(NOTIFY, aware, None, as_of=date(2021, 12, 31)) == "near_breach"
    assert status(NOTIFY, aware, None, as_of=date(2022, 1, 2)) == "near_breach"  # a Sunday, still one day left
    assert status(NOTIFY, aware, None, as_of=date(2022, 1, 6)) == "overdue"


def test_a_near_breach_starts_the_given_working_days_before_the_due_date_over_a_bank_holiday():
    # a rapid review due Wednesday 4 May 2022 (Monday 2 May a bank holiday): 3 working days left from Thursday 28 April
    assert near_breach_from(RAPID, date(2022, 5, 4)) == date(2022, 4, 28)
    assert working_days_between(date(2022, 4, 28), date(2022, 5, 4)) == 3
    assert working_days_between(date(2022, 4, 27), date(2022, 5, 4)) == 4


def test_a_completion_dated_after_the_as_of_date_is_not_yet_known():
    aware = date(2021, 11, 1)
    assert status(NOTIFY, aware, date(2021, 11, 5), as_of=date(2021, 11, 3)) == "open"
    assert status(NOTIFY, aware, date(2021, 11, 5), as_of=date(2021, 11, 5)) == "met"


def test_the_lado_referral_is_a_near_breach_on_its_due_day():
    assert status(LADO, date(2021, 11, 1), None, as_of=date(2021, 11, 1)) == "open"
    assert status(LADO, date(2021, 11, 1), None, as_of=date(2021, 11, 2)) == "near_breach"
    assert status(LADO, date(2021, 11, 1), None, as_of=date(2021, 11, 3)) == "overdue"


def test_every_rule_is_configuration_with_its_basis():
    assert {r.name: (r.amount, r.unit) for r in RULES.values()} == {
        "serious_incident_notification": (5, "working_days"), "rapid_review": (15, "working_days"),
        "practice_review_publication": (6, "months"), "lado_referral": (1, "working_days"),
        "allegation_resolution_1_month": (1, "months"), "allegation_resolution_3_months": (3, "months"),
        "allegation_resolution_12_months": (12, "months")}
    assert [RULES[f"allegation_resolution_{n}"].target for n in ("1_month", "3_months")] == [0.8, 0.9]
    assert all(r.basis for r in RULES.values())


@pytest.mark.parametrize("rule", list(RULES))
def test_each_clock_lists_its_working_days_up_to_its_due_day_over_christmas(rule):
    start = date(2021, 12, 23)
    due_on = due(rule, start)
    listed = working_days_after(start, due_on)
    assert listed[-1] == due_on and all(is_working_day(d) for d in listed) and list(listed) == sorted(listed)
    assert len(listed) == working_days_between(start, due_on)
    if RULES[rule].unit == "working_days":
        assert len(listed) == RULES[rule].amount
    assert date(2021, 12, 27) not in listed and date(2021, 12, 28) not in listed  # Christmas and Boxing Day observed
