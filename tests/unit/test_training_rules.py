"""Worked examples of training's status rules: the cancellation cut-off, agreement, follow-ups and refreshers."""

from datetime import date, datetime, timezone

from shared import training_rules as rules


def at(text):
    return datetime.fromisoformat(text)


def test_a_thursday_sessions_cut_off_is_tuesday_midnight_in_london():
    starts = at("2021-11-04T09:30:00+00:00")  # Thursday
    assert rules.cancellation_cutoff(starts) == at("2021-11-02T00:00:00+00:00")
    assert not rules.is_late(at("2021-11-01T23:59:00+00:00"), starts)  # Monday night: in time
    assert rules.is_late(at("2021-11-02T08:00:00+00:00"), starts)  # Tuesday: late


def test_the_cut_off_skips_weekends_and_bank_holidays_and_follows_summer_time():
    # Tuesday 4 January 2022: back over the bank holiday of Monday 3 January and the weekend
    assert rules.cancellation_cutoff(at("2022-01-04T09:30:00+00:00")) == at("2021-12-30T00:00:00+00:00")
    # Monday 4 April 2022 (summer time): Thursday 31 March, 00:00 London is 23:00 UTC on the 30th
    assert rules.cancellation_cutoff(at("2022-04-04T08:30:00+00:00")) == at("2022-03-30T23:00:00+00:00")


def test_agreement_counts_agree_and_strongly_agree_only():
    assert [rules.agrees(a) for a in ("strongly_disagree", "disagree", "neither", "agree", "strongly_agree")] == \
        [False, False, False, True, True]


def test_a_follow_up_is_on_time_six_to_eight_weeks_on():
    starts = at("2021-11-04T09:30:00+00:00")
    assert rules.follow_up_on_time(starts, at("2021-12-16T10:00:00+00:00"))  # day 42
    assert rules.follow_up_on_time(starts, at("2021-12-30T16:00:00+00:00"))  # day 56
    assert not rules.follow_up_on_time(starts, at("2021-12-15T10:00:00+00:00"))
    assert not rules.follow_up_on_time(starts, at("2021-12-31T10:00:00+00:00"))


def test_a_three_year_refresher_is_current_then_due_soon_then_overdue():
    due = rules.refresher_due(date(2021, 11, 4), 36)
    assert due == date(2024, 11, 4)
    assert rules.refresher_status(due, date(2024, 3, 31)) == "current"
    assert rules.refresher_status(due, date(2024, 9, 1)) == "due_soon"
    assert rules.refresher_status(due, date(2024, 11, 4)) == "due_soon"
    assert rules.refresher_status(due, date(2024, 11, 5)) == "overdue"


def test_london_day_of_a_late_evening_utc_moment_in_summer():
    assert rules.london_day(datetime(2021, 10, 1, 23, 30, tzinfo=timezone.utc)) == date(2021, 10, 2)
