"""The as-of moment every reporting endpoint takes: a date is the end of that day in London."""

from datetime import datetime, timezone

import pytest

from services.reporting.entrypoints.common import parse_as_of


def test_a_date_is_the_end_of_that_day_in_london_in_winter_and_in_summer():
    assert parse_as_of("2022-01-31") == datetime(2022, 1, 31, 23, 59, 59, 999999, tzinfo=timezone.utc)
    assert parse_as_of("2022-03-31") == datetime(2022, 3, 31, 22, 59, 59, 999999, tzinfo=timezone.utc)  # BST


def test_a_time_keeps_its_offset_and_none_is_now():
    assert parse_as_of("2022-03-31T12:00:00+01:00") == datetime(2022, 3, 31, 11, tzinfo=timezone.utc)
    now = datetime(2026, 11, 26, 15, tzinfo=timezone.utc)
    assert parse_as_of(None, now=now) == now


@pytest.mark.parametrize("value", ["2022-03-31T12:00:00", "1969-12-31", "2100-01-01", "31/03/2022", "yesterday",
                                   "12", "1609459200", "1.5e9", "2022-03-31T12", "20220331T120000Z",
                                   "1970-01-01T00:00:00+23:59", "2022-03-31 12:00:00Z"])
def test_a_moment_without_offset_out_of_range_or_not_a_date_is_refused(value):
    with pytest.raises(ValueError):
        parse_as_of(value)
