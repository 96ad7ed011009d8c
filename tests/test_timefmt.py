"""timefmt: how dates, times and event ranges read on the page."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from newsroom.timefmt import clock, event_range, full_day, iso, long_date, weekday

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


def at(*parts: int, zone: ZoneInfo = LONDON) -> datetime:
    return datetime(*parts, tzinfo=zone)


# event_range: all day


def test_all_day_event_on_one_day():
    assert event_range(at(2020, 7, 7), None, True) == "Tuesday 7 July 2020"


def test_all_day_event_that_ends_on_its_start_day_reads_as_one_day():
    assert event_range(at(2020, 7, 7), at(2020, 7, 7), True) == "Tuesday 7 July 2020"


def test_all_day_event_over_several_days_of_one_month():
    assert event_range(at(2020, 7, 7), at(2020, 7, 9), True) == "Tue 7 – Thu 9 July 2020"


def test_all_day_event_across_two_months():
    assert event_range(at(2020, 7, 30), at(2020, 8, 2), True) == (
        "Thu 30 July – Sun 2 August 2020")


def test_all_day_event_across_two_years():
    assert event_range(at(2020, 12, 30), at(2021, 1, 2), True) == (
        "Wed 30 December 2020 – Sat 2 January 2021")


def test_all_day_event_shows_no_time_or_zone():
    text = event_range(at(2020, 7, 7), at(2020, 7, 9), True)
    assert "BST" not in text and ":" not in text


# event_range: timed


def test_timed_event_on_one_day_shows_both_times_and_the_zone():
    assert event_range(at(2020, 7, 7, 14), at(2020, 7, 7, 15, 30), False) == (
        "Tuesday 7 July 2020, 14:00–15:30 BST")


def test_timed_event_in_winter_shows_gmt():
    assert event_range(at(2020, 1, 7, 9), at(2020, 1, 7, 10), False) == (
        "Tuesday 7 January 2020, 09:00–10:00 GMT")


def test_timed_event_over_several_days():
    assert event_range(at(2020, 7, 7, 9), at(2020, 7, 9, 17), False) == (
        "Tue 7 July 2020, 09:00 – Thu 9 July 2020, 17:00 BST")


def test_timed_event_past_midnight_shows_both_days():
    assert event_range(at(2020, 7, 7, 22), at(2020, 7, 8, 1), False) == (
        "Tue 7 July 2020, 22:00 – Wed 8 July 2020, 01:00 BST")


def test_timed_event_without_an_end_shows_its_start():
    assert event_range(at(2020, 7, 7, 14), None, False) == "Tuesday 7 July 2020, 14:00 BST"


def test_timed_event_that_ends_when_it_starts_shows_its_start():
    assert event_range(at(2020, 7, 7, 14), at(2020, 7, 7, 14), False) == (
        "Tuesday 7 July 2020, 14:00 BST")


def test_new_york_events_show_est_in_winter_and_edt_in_summer():
    assert event_range(at(2020, 1, 7, 14, zone=NEW_YORK), at(2020, 1, 7, 15, zone=NEW_YORK),
                       False) == "Tuesday 7 January 2020, 14:00–15:00 EST"
    assert event_range(at(2020, 7, 7, 14, zone=NEW_YORK), None, False) == (
        "Tuesday 7 July 2020, 14:00 EDT")


def test_timed_event_across_a_clock_change_shows_both_zones():
    assert event_range(at(2020, 3, 28, 9), at(2020, 3, 29, 17), False) == (
        "Sat 28 March 2020, 09:00 GMT – Sun 29 March 2020, 17:00 BST")
    assert event_range(at(2020, 3, 29, 0, 30), at(2020, 3, 29, 3), False) == (
        "Sunday 29 March 2020, 00:30–03:00 GMT–BST")


# The pieces


def test_long_date_has_no_leading_zero():
    assert long_date(date(2020, 7, 6)) == "6 July 2020"
    assert long_date(at(2020, 12, 25, 23, 59)) == "25 December 2020"


def test_weekday_long_and_short():
    assert weekday(date(2020, 7, 6)) == "Monday"
    assert weekday(date(2020, 7, 6), short=True) == "Mon"


def test_full_day_long_and_short():
    assert full_day(date(2020, 7, 6)) == "Monday 6 July 2020"
    assert full_day(date(2020, 7, 6), short=True) == "Mon 6 July 2020"


def test_clock_is_24_hour_with_leading_zeros():
    assert clock(at(2020, 7, 6, 9, 5)) == "09:05"
    assert clock(at(2020, 7, 6, 21, 30)) == "21:30"


def test_iso_gives_offsets_for_times_and_plain_dates_for_days():
    assert iso(at(2020, 7, 6, 9, 5, 30)) == "2020-07-06T09:05:30+01:00"
    assert iso(date(2020, 7, 6)) == "2020-07-06"


