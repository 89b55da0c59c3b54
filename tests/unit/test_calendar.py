"""The kit's one calendar: London days, reporting years from the partnership's own start, periods."""

from datetime import date, datetime, timezone

from shared.calendar import (end_of_day, london_day, period_bounds, period_containing, quarter_of, reporting_year,
                             start_of_day)
from shared.partnerships import Partnership


def test_a_moment_falls_on_its_london_day_and_a_day_runs_from_london_midnight_to_london_midnight():
    assert london_day(datetime(2022, 6, 30, 23, 30, tzinfo=timezone.utc)) == date(2022, 7, 1)  # BST
    assert london_day(datetime(2022, 12, 31, 23, 30, tzinfo=timezone.utc)) == date(2022, 12, 31)  # GMT
    assert start_of_day(date(2022, 7, 1)) == datetime(2022, 6, 30, 23, 0, tzinfo=timezone.utc)
    assert end_of_day(date(2022, 12, 31)).isoformat() == "2022-12-31T23:59:59.999999+00:00"


def test_the_reporting_year_is_april_to_march_unless_the_partnership_says_otherwise():
    assert reporting_year(date(2022, 3, 31)) == (date(2021, 4, 1), date(2022, 3, 31))
    assert reporting_year(date(2022, 4, 1)) == (date(2022, 4, 1), date(2023, 3, 31))
    september = Partnership(code="example", name="Example SCP", area="Example", year_starts="09-01")
    assert september.reporting_year(date(2022, 8, 31)) == (date(2021, 9, 1), date(2022, 8, 31))
    assert period_bounds("year", "2021-22", "09-01") == (date(2021, 9, 1), date(2022, 8, 31))
    assert period_containing("year", date(2022, 8, 31), "09-01") == "2021-22"


def test_quarters_are_counted_from_the_reporting_years_start():
    assert [quarter_of(date(2021, 10, 5)), quarter_of(date(2022, 3, 31)), quarter_of(date(2022, 4, 1))] == \
        ["2021-22 Q3", "2021-22 Q4", "2022-23 Q1"]
    assert [quarter_of(date(2022, 1, 1), "01-01"), quarter_of(date(2022, 12, 31), "01-01")] == \
        ["2022 Q1", "2022 Q4"]  # a calendar year is named by its year
    assert quarter_of(date(2021, 11, 30), "09-01") == "2021-22 Q1"
