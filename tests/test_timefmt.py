"""timefmt and i18n: how dates, times and event ranges read on the page, in the site's
language (Babel's CLDR formats: in British English unless a test says otherwise)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from newsroom.i18n import language
from newsroom.timefmt import event_range, iso

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
BRITISH = language("en-GB", Path("/nowhere"))


def at(*parts: int, zone: ZoneInfo = LONDON) -> datetime:
    return datetime(*parts, tzinfo=zone)


def british(start: datetime, end: datetime | None, all_day: bool) -> str:
    return event_range(start, end, all_day, BRITISH)


# event_range: all day


def test_all_day_event_on_one_day():
    assert british(at(2020, 7, 7), None, True) == "Tuesday, 7 July 2020"


def test_all_day_event_that_ends_on_its_start_day_reads_as_one_day():
    assert british(at(2020, 7, 7), at(2020, 7, 7), True) == "Tuesday, 7 July 2020"


def test_all_day_event_over_several_days_of_one_month():
    assert british(at(2020, 7, 7), at(2020, 7, 9), True) == "Tue, 7\u2009Jul –\u2009Thu, 9 Jul 2020"


def test_all_day_event_across_two_months():
    assert british(at(2020, 7, 30), at(2020, 8, 2), True) == (
        "Thu, 30 Jul\u2009–\u2009Sun, 2 Aug 2020")


def test_all_day_event_across_two_years():
    assert british(at(2020, 12, 30), at(2021, 1, 2), True) == (
        "Wed, 30 Dec 2020\u2009–\u2009Sat, 2 Jan 2021")


def test_all_day_event_shows_no_time_or_zone():
    text = british(at(2020, 7, 7), at(2020, 7, 9), True)
    assert "BST" not in text and ":" not in text


# event_range: timed


def test_timed_event_on_one_day_shows_both_times_and_the_zone():
    assert british(at(2020, 7, 7, 14), at(2020, 7, 7, 15, 30), False) == (
        "Tuesday, 7 July 2020, 14:00–15:30 BST")


def test_timed_event_in_winter_shows_gmt():
    assert british(at(2020, 1, 7, 9), at(2020, 1, 7, 10), False) == (
        "Tuesday, 7 January 2020, 09:00–10:00 GMT")


def test_timed_event_over_several_days():
    assert british(at(2020, 7, 7, 9), at(2020, 7, 9, 17), False) == (
        "Tue, 7 Jul 2020, 09:00 – Thu, 9 Jul 2020, 17:00 BST")


def test_timed_event_past_midnight_shows_both_days():
    assert british(at(2020, 7, 7, 22), at(2020, 7, 8, 1), False) == (
        "Tue, 7 Jul 2020, 22:00 – Wed, 8 Jul 2020, 01:00 BST")


def test_timed_event_without_an_end_shows_its_start():
    assert british(at(2020, 7, 7, 14), None, False) == "Tuesday, 7 July 2020, 14:00 BST"


def test_timed_event_that_ends_when_it_starts_shows_its_start():
    assert british(at(2020, 7, 7, 14), at(2020, 7, 7, 14), False) == (
        "Tuesday, 7 July 2020, 14:00 BST")


def test_new_york_events_show_est_in_winter_and_edt_in_summer():
    assert british(at(2020, 1, 7, 14, zone=NEW_YORK), at(2020, 1, 7, 15, zone=NEW_YORK),
                   False) == "Tuesday, 7 January 2020, 14:00–15:00 EST"
    assert british(at(2020, 7, 7, 14, zone=NEW_YORK), None, False) == (
        "Tuesday, 7 July 2020, 14:00 EDT")


def test_timed_event_across_a_clock_change_shows_both_zones():
    assert british(at(2020, 3, 28, 9), at(2020, 3, 29, 17), False) == (
        "Sat, 28 Mar 2020, 09:00 GMT – Sun, 29 Mar 2020, 17:00 BST")
    assert british(at(2020, 3, 29, 0, 30), at(2020, 3, 29, 3), False) == (
        "Sunday, 29 March 2020, 00:30–03:00 GMT–BST")


# Other languages: their own words, order and clock


def test_a_french_site_writes_french_dates():
    french = language("fr", Path("/nowhere"))
    assert french.long_date(date(2020, 7, 6)) == "6 juillet 2020"
    assert event_range(at(2020, 7, 7, 14), at(2020, 7, 7, 15, 30), False, french) == (
        "mardi 7 juillet 2020, 14:00\u2009–\u200915:30 BST")


def test_german_and_spanish_sites_write_their_own_dates():
    assert language("de", Path("/nowhere")).long_date(date(2020, 7, 6)) == "6. Juli 2020"
    assert language("es", Path("/nowhere")).long_date(date(2020, 7, 6)) == "6 de julio de 2020"


def test_an_american_site_writes_the_month_first_and_a_12_hour_clock():
    american = language("en-US", Path("/nowhere"))
    assert american.long_date(date(2020, 7, 6)) == "July 6, 2020"
    assert american.clock(at(2020, 7, 6, 14, 5)) == "2:05\u202fPM"


# The pieces


def test_long_date_has_no_leading_zero():
    assert BRITISH.long_date(date(2020, 7, 6)) == "6 July 2020"
    assert BRITISH.long_date(at(2020, 12, 25, 23, 59)) == "25 December 2020"


def test_days_are_read_in_the_events_own_zone():
    # (Babel would otherwise move a late-evening time to the next day, in UTC.)
    assert BRITISH.long_date(at(2020, 12, 31, 23, 30, zone=NEW_YORK)) == "31 December 2020"


def test_full_and_short_days_and_the_month():
    assert BRITISH.full_day(date(2020, 7, 6)) == "Monday, 6 July 2020"
    assert BRITISH.short_day(date(2020, 7, 6)) == "Mon, 6 Jul 2020"
    assert BRITISH.month(date(2020, 7, 6)) == "Jul"


def test_the_british_clock_is_24_hour_with_leading_zeros():
    assert BRITISH.clock(at(2020, 7, 6, 9, 5)) == "09:05"
    assert BRITISH.clock(at(2020, 7, 6, 21, 30)) == "21:30"


def test_iso_gives_offsets_for_times_and_plain_dates_for_days():
    assert iso(at(2020, 7, 6, 9, 5, 30)) == "2020-07-06T09:05:30+01:00"
    assert iso(date(2020, 7, 6)) == "2020-07-06"
