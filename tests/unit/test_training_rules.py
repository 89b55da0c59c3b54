"""Worked examples of training's status rules, which the training service applies when it records a fact
(services.training.domain.rules): the cancellation cut-off, agreement, follow-ups and refreshers."""

from datetime import date, datetime, timezone

from shared.calendar import london_day
from services.training.domain import rules


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


def test_only_a_booked_place_given_up_after_the_cut_off_is_a_late_cancellation():
    starts = at("2021-11-04T09:30:00+00:00")
    late = rules.judge_cancellation(at("2021-11-03T08:00:00+00:00"), starts, gave_up_place=True)
    assert (late.cut_off, late.late) == (at("2021-11-02T00:00:00+00:00"), True)
    assert not rules.judge_cancellation(at("2021-11-01T08:00:00+00:00"), starts, gave_up_place=True).late
    # leaving the waiting list the day before is never late
    assert not rules.judge_cancellation(at("2021-11-03T08:00:00+00:00"), starts, gave_up_place=False).late


def test_a_cut_off_before_1970_is_not_stated_but_still_judged():
    judged = rules.judge_cancellation(at("1970-01-01T08:00:00+00:00"), at("1970-01-01T09:00:00+00:00"), True)
    assert judged.cut_off is None and judged.late


def test_agreement_counts_agree_and_strongly_agree_only():
    assert [rules.agrees(a) for a in ("strongly_disagree", "disagree", "neither", "agree", "strongly_agree")] == \
        [False, False, False, True, True]
    assert rules.judge_evaluation("agree", "strongly_agree").both
    assert not rules.judge_evaluation("agree", "neither").both


def test_a_follow_up_is_on_time_six_to_eight_weeks_on():
    starts = at("2021-11-04T09:30:00+00:00")
    assert rules.follow_up_window(starts) == (date(2021, 12, 16), date(2021, 12, 30))
    assert rules.follow_up_on_time(starts, at("2021-12-16T10:00:00+00:00"))  # day 42
    assert rules.follow_up_on_time(starts, at("2021-12-30T16:00:00+00:00"))  # day 56
    assert not rules.follow_up_on_time(starts, at("2021-12-15T10:00:00+00:00"))
    assert not rules.follow_up_on_time(starts, at("2021-12-31T10:00:00+00:00"))
    judged = rules.judge_follow_up(starts, at("2021-12-20T10:00:00+00:00"))
    assert (judged.window_opens, judged.window_closes, judged.on_time) == (date(2021, 12, 16), date(2021, 12, 30), True)


def test_a_three_year_refresher_is_due_three_years_on_and_due_soon_ninety_days_before():
    refresher = rules.refresher_of(at("2021-11-04T09:30:00+00:00"), 36)
    assert (refresher.attended_on, refresher.due_on) == (date(2021, 11, 4), date(2024, 11, 4))
    assert refresher.due_soon_from == date(2024, 8, 6)  # 90 days before: from then on, due soon
    assert rules.refresher_due(date(2021, 8, 31), 6) == date(2022, 2, 28)  # the month's last day


def test_a_course_without_a_refresher_interval_never_falls_due():
    refresher = rules.refresher_of(at("2021-11-04T09:30:00+00:00"), None)
    assert (refresher.attended_on, refresher.due_on, refresher.due_soon_from) == (date(2021, 11, 4), None, None)


def test_a_refresher_due_after_2099_is_past_any_as_of_date():
    assert rules.refresher_of(at("2095-06-01T09:00:00+00:00"), 120).due_on is None
    early = rules.refresher_of(at("1970-01-10T09:00:00+00:00"), 1)
    assert early.due_on == date(1970, 2, 10) and early.due_soon_from == date(1970, 1, 1)


def test_the_day_attended_is_the_sessions_day_in_london():
    assert london_day(datetime(2021, 10, 1, 23, 30, tzinfo=timezone.utc)) == date(2021, 10, 2)
    assert rules.refresher_of(datetime(2021, 10, 1, 23, 30, tzinfo=timezone.utc), 12).attended_on == date(2021, 10, 2)
