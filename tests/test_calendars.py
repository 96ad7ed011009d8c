"""Calendars: events/calendar.ics and one .ics per event, as a calendar app imports them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from conftest import NOW, examples, write_site
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from newsroom.build import build_site

SITE = "https://news.example.org/"
SEED = "2020-07-07-city-of-mentor-online-event"
TRANSATLANTIC = "2024-03-12-transatlantic-webinar-sharing-news-across-time-zones"
LONG_TEXT = ("A long description, with commas; semicolons; and accents – café, naïve, Zürich – "
             "that is much longer than one line of a calendar file may be, so it must be "
             "folded. ") * 3

DIARY_EVENTS = [
    {"title": "Summer festival; music, food", "start": "2027-06-15", "end": "2027-06-17",
     "location": "Example Park; Gate 2, Leicester", "summary": LONG_TEXT},
    {"title": "Transatlantic call", "start": "2027-03-04 11:00", "end": "2027-03-04 12:30",
     "timezone": "America/New_York", "online_url": "https://example.org/live/call"},
    {"title": "Hybrid conference", "start": "2027-05-11 09:30", "end": "2027-05-11 17:00",
     "location": "Example Hall, 1 Test Road, Leicester",
     "online_url": "https://example.org/live/conference"},
    {"title": "Called-off fair", "start": "2027-02-01 10:00", "end": "2027-02-01 16:00",
     "status": "cancelled", "location": "Example Hall"},
    {"title": "Spring talk", "start": "2027-04-01 18:30", "uid": "spring-talk-2027@example.org",
     "location": "Example Library"},
    {"title": "One day", "start": "2027-07-01"},
]


def diary(root: Path, now: datetime = NOW) -> Path:
    """A site with one event of every kind, built; return its output folder."""
    config = write_site(root, {
        "content/events/diary.yaml": yaml.safe_dump(DIARY_EVENTS, allow_unicode=True,
                                                    sort_keys=False)})
    build_site(config, now=now)
    return root / "public"


@pytest.fixture(scope="module")
def diary_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The diary site built once."""
    return diary(tmp_path_factory.mktemp("diary") / "site")


def calendar_of(path: Path) -> Calendar:
    """The calendar as an app reads it."""
    return Calendar.from_ical(path.read_bytes())


def all_calendars(public: Path) -> list[Path]:
    """events/calendar.ics and every event's own .ics."""
    return [public / "events" / "calendar.ics",
            *sorted((public / "events").glob("*/*.ics"))]


def events_by_summary(calendar: Calendar) -> dict[str, object]:
    """The VEVENTs of a calendar by their SUMMARY."""
    found = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert len(found) == len(calendar.walk("VEVENT"))
    return found


def unfolded(path: Path) -> str:
    """The calendar's text with folded lines joined again (RFC 5545 3.1)."""
    return path.read_bytes().decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "")


# Calendar files ---------------------------------------------------------------------------


@pytest.mark.parametrize("public_of", ["sample_site", "diary_site"])
def test_every_calendar_has_version_and_prodid(public_of: str,
                                               request: pytest.FixtureRequest) -> None:
    public = request.getfixturevalue(public_of)
    paths = all_calendars(public)
    assert len(paths) > 2
    for path in paths:
        calendar = calendar_of(path)
        assert calendar.name == "VCALENDAR"
        assert str(calendar["VERSION"]) == "2.0", path
        assert str(calendar["PRODID"]).strip(), path


def test_each_event_has_its_own_calendar_with_only_that_event(sample_site: Path) -> None:
    event_pages = sorted((sample_site / "events").glob("*/index.html"))
    assert len(event_pages) > 5
    for page in event_pages:
        slug = page.parent.name
        own = calendar_of(page.parent / f"{slug}.ics")
        [event] = own.walk("VEVENT")
        assert str(event["URL"]) == f"{SITE}events/{slug}/"


def test_the_calendar_lists_every_event_once(sample_site: Path) -> None:
    calendar = calendar_of(sample_site / "events" / "calendar.ics")
    urls = sorted(str(e["URL"]) for e in calendar.walk("VEVENT"))
    assert urls == sorted(f"{SITE}events/{p.parent.name}/"
                          for p in (sample_site / "events").glob("*/index.html"))


@pytest.mark.parametrize("public_of", ["sample_site", "diary_site"])
def test_every_event_has_the_properties_calendar_apps_need(
        public_of: str, request: pytest.FixtureRequest) -> None:
    public = request.getfixturevalue(public_of)
    for path in all_calendars(public):
        for event in calendar_of(path).walk("VEVENT"):
            for name in ("UID", "DTSTAMP", "DTSTART", "SUMMARY", "URL", "DESCRIPTION",
                         "STATUS"):
                assert str(event.get(name, "")).strip(), (path, name)
            assert str(event["URL"]).startswith(SITE), path
            assert str(event["STATUS"]) in ("TENTATIVE", "CONFIRMED", "CANCELLED")
            stamp = event["DTSTAMP"].dt
            assert stamp.utcoffset() == timedelta(0)


def test_event_urls_lead_to_the_event_pages(diary_site: Path) -> None:
    for event in calendar_of(diary_site / "events" / "calendar.ics").walk("VEVENT"):
        url = str(event["URL"])
        assert url.startswith(f"{SITE}events/") and url.endswith("/")
        assert (diary_site / url.removeprefix(SITE) / "index.html").is_file(), url


# UIDs -------------------------------------------------------------------------------------


def test_uids_are_unique_and_stable_across_builds(tmp_path: Path) -> None:
    first = diary(tmp_path / "one", now=NOW)
    second = diary(tmp_path / "two", now=NOW + timedelta(days=40))

    def uids(public: Path) -> dict[str, str]:
        events = calendar_of(public / "events" / "calendar.ics").walk("VEVENT")
        return {str(e["URL"]): str(e["UID"]) for e in events}

    assert uids(first) == uids(second)
    assert len(set(uids(first).values())) == len(DIARY_EVENTS)


def test_a_uid_in_the_listing_is_used(diary_site: Path) -> None:
    events = events_by_summary(calendar_of(diary_site / "events" / "calendar.ics"))
    assert str(events["Spring talk"]["UID"]) == "spring-talk-2027@example.org"


def test_the_uid_is_the_same_in_both_calendar_files(diary_site: Path) -> None:
    overall = events_by_summary(calendar_of(diary_site / "events" / "calendar.ics"))
    for path in sorted((diary_site / "events").glob("*/*.ics")):
        [own] = calendar_of(path).walk("VEVENT")
        assert str(own["UID"]) == str(overall[str(own["SUMMARY"])]["UID"])


# Dates and time zones ---------------------------------------------------------------------


def test_the_seed_event_is_all_day_on_7_july_2020(sample_site: Path) -> None:
    path = sample_site / "events" / SEED / f"{SEED}.ics"
    [event] = calendar_of(path).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Medilink Midlands online event with the City of Mentor, Ohio"
    assert event["DTSTART"].dt == date(2020, 7, 7)
    assert not isinstance(event["DTSTART"].dt, datetime)
    assert event["DTSTART"].params["VALUE"] == "DATE"
    assert event["DTEND"].dt == date(2020, 7, 8)
    assert event["DTEND"].params["VALUE"] == "DATE"
    assert str(event["LOCATION"]) == "https://www.medilinkmidlands.com/"
    assert str(event["URL"]) == f"{SITE}events/{SEED}/"
    assert str(event["STATUS"]) == "CONFIRMED"
    text = unfolded(path)
    assert "DTSTART;VALUE=DATE:20200707\r\n" in text
    assert "DTEND;VALUE=DATE:20200708\r\n" in text


def test_a_multi_day_event_ends_the_day_after_its_last_day(diary_site: Path) -> None:
    events = events_by_summary(calendar_of(diary_site / "events" / "calendar.ics"))
    festival = events["Summer festival; music, food"]
    assert festival["DTSTART"].dt == date(2027, 6, 15)
    assert festival["DTEND"].dt == date(2027, 6, 18)
    assert festival["DTEND"].params["VALUE"] == "DATE"
    one_day = events["One day"]
    assert (one_day["DTSTART"].dt, one_day["DTEND"].dt) == (date(2027, 7, 1), date(2027, 7, 2))


def test_timed_events_carry_their_time_zone(diary_site: Path) -> None:
    events = events_by_summary(calendar_of(diary_site / "events" / "calendar.ics"))
    call = events["Transatlantic call"]
    assert call["DTSTART"].params["TZID"] == "America/New_York"
    assert call["DTSTART"].dt == datetime(2027, 3, 4, 11, 0, tzinfo=ZoneInfo("America/New_York"))
    assert call["DTEND"].dt == datetime(2027, 3, 4, 12, 30, tzinfo=ZoneInfo("America/New_York"))
    conference = events["Hybrid conference"]
    assert conference["DTSTART"].params["TZID"] == "Europe/London"
    assert conference["DTSTART"].dt.astimezone(UTC) == datetime(2027, 5, 11, 8, 30, tzinfo=UTC)


def test_the_new_york_event_of_the_sample_site(sample_site: Path) -> None:
    path = sample_site / "events" / TRANSATLANTIC / f"{TRANSATLANTIC}.ics"
    calendar = calendar_of(path)
    [event] = calendar.walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    # 11:00 in New York is 15:00 in London that day, as the listing says.
    assert event["DTSTART"].dt.astimezone(ZoneInfo("Europe/London")).hour == 15
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]


@pytest.mark.parametrize("public_of", ["sample_site", "diary_site"])
def test_every_tzid_used_has_a_vtimezone(public_of: str, request: pytest.FixtureRequest) -> None:
    public = request.getfixturevalue(public_of)
    seen: set[str] = set()
    for path in all_calendars(public):
        calendar = calendar_of(path)
        defined = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
        for event in calendar.walk("VEVENT"):
            for name in ("DTSTART", "DTEND"):
                if name in event and isinstance(event[name].dt, datetime):
                    tzid = event[name].params.get("TZID")
                    assert tzid, (path, name)
                    assert tzid in defined, (path, tzid)
                    seen.add(tzid)
    assert {"Europe/London", "America/New_York"} <= seen


def test_time_zones_come_first_in_one_order(diary_site: Path) -> None:
    # Each event is written out once and shared by the calendars it is in; the zones they
    # name are gathered per calendar, sorted (a set's order would change from run to run).
    calendar = calendar_of(diary_site / "events" / "calendar.ics")
    kinds = [component.name for component in calendar.subcomponents]
    assert kinds == ["VTIMEZONE"] * 2 + ["VEVENT"] * len(DIARY_EVENTS)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == [
        "America/New_York", "Europe/London"]
    own = calendar_of(diary_site / "events" / "2027-03-04-transatlantic-call" /
                      "2027-03-04-transatlantic-call.ics")
    [shared] = [e for e in calendar.walk("VEVENT") if e["SUMMARY"] == "Transatlantic call"]
    assert own.walk("VEVENT")[0].to_ical() == shared.to_ical()


def test_all_day_events_have_no_time_zone(diary_site: Path) -> None:
    path = diary_site / "events" / "2027-07-01-one-day" / "2027-07-01-one-day.ics"
    calendar = calendar_of(path)
    [event] = calendar.walk("VEVENT")
    assert "TZID" not in event["DTSTART"].params
    assert calendar.walk("VTIMEZONE") == []


# Status, location, text -------------------------------------------------------------------


def test_a_cancelled_event_is_cancelled_in_calendars(sample_site: Path,
                                                     diary_site: Path) -> None:
    sample = events_by_summary(calendar_of(sample_site / "events" / "calendar.ics"))
    assert str(sample["Winter showcase"]["STATUS"]) == "CANCELLED"
    diary_events = events_by_summary(calendar_of(diary_site / "events" / "calendar.ics"))
    assert str(diary_events["Called-off fair"]["STATUS"]) == "CANCELLED"
    assert str(diary_events["Spring talk"]["STATUS"]) != "CANCELLED"


def test_location_is_the_venue_else_the_online_address(sample_site: Path,
                                                       diary_site: Path) -> None:
    sample = events_by_summary(calendar_of(sample_site / "events" / "calendar.ics"))
    assert str(sample["Winter showcase"]["LOCATION"]) == (
        "Example Exhibition Hall, 5 Demo Lane, Leicester LE1 0XX (fictional venue)")
    events = events_by_summary(calendar_of(diary_site / "events" / "calendar.ics"))
    assert str(events["Transatlantic call"]["LOCATION"]) == "https://example.org/live/call"
    assert str(events["Hybrid conference"]["LOCATION"]) == (
        "Example Hall, 1 Test Road, Leicester")
    assert str(events["Summer festival; music, food"]["LOCATION"]) == (
        "Example Park; Gate 2, Leicester")


def test_commas_and_semicolons_are_escaped(diary_site: Path) -> None:
    path = diary_site / "events" / "calendar.ics"
    text = unfolded(path)
    assert "\r\nSUMMARY:Summer festival\\; music\\, food\r\n" in text
    assert "\r\nLOCATION:Example Park\\; Gate 2\\, Leicester\r\n" in text
    events = events_by_summary(calendar_of(path))
    assert str(events["Summer festival; music, food"]["DESCRIPTION"]).startswith(LONG_TEXT.strip())


@pytest.mark.parametrize("public_of", ["sample_site", "diary_site"])
def test_no_line_is_longer_than_75_octets(public_of: str, request: pytest.FixtureRequest) -> None:
    public = request.getfixturevalue(public_of)
    for path in all_calendars(public):
        data = path.read_bytes()
        assert data.endswith(b"\r\n"), path
        lines = data[:-2].split(b"\r\n")
        assert all(b"\n" not in line and b"\r" not in line for line in lines), path
        too_long = [line for line in lines if len(line) > 75]
        assert too_long == [], path


def test_long_text_is_folded_and_reads_back_whole(diary_site: Path) -> None:
    path = diary_site / "events" / "calendar.ics"
    assert b"\r\n " in path.read_bytes()
    events = events_by_summary(calendar_of(path))
    assert LONG_TEXT.strip() in str(events["Summer festival; music, food"]["DESCRIPTION"])


def test_the_description_links_back_to_the_event(diary_site: Path) -> None:
    events = events_by_summary(calendar_of(diary_site / "events" / "calendar.ics"))
    description = str(events["Transatlantic call"]["DESCRIPTION"])
    assert f"{SITE}events/2027-03-04-transatlantic-call/" in description
    assert "https://example.org/live/call" in description


# Events of every kind, as calendar apps read them back.

@pytest.fixture(scope="module")
def plain_event(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, object]:
    """An event of a small site, to be varied, and the site's addresses."""
    from newsroom.pages import site_urls

    root = tmp_path_factory.mktemp("plain") / "site"
    config = write_site(root, {"content/events/2027-03-01-fair.yaml": yaml.safe_dump({
        "title": "Fair", "start": "2027-03-01 10:00"})})
    report = build_site(config, now=NOW)
    return report.site.events[0], site_urls(report.site)


# (No carriage return: files are read with their line endings made "\n".)
TEXT = st.text(alphabet="ab ,;:\\N\n^é€𝄞\"", min_size=1, max_size=120)


@settings(max_examples=examples(300))
@given(title=TEXT, location=st.none() | TEXT, organiser=TEXT, online=st.booleans(),
       booking=st.booleans(), all_day=st.booleans(), hours=st.none() | st.integers(1, 50),
       zone=st.sampled_from(["Europe/London", "America/New_York", "UTC", "Asia/Kolkata"]),
       start=st.datetimes(datetime(1990, 1, 1), datetime(2090, 1, 1)),
       rule=st.sampled_from(["", "FREQ=WEEKLY;COUNT=4", "BYDAY=TU;FREQ=MONTHLY;INTERVAL=2"]),
       skipped=st.lists(st.dates(date(2000, 1, 1), date(2040, 1, 1)), max_size=3),
       category=st.none() | TEXT, tags=st.lists(TEXT, max_size=3),
       status=st.sampled_from(["scheduled", "cancelled", "postponed", "moved-online"]),
       sequence=st.integers(0, 20))
def test_events_of_every_kind_read_back_whole(plain_event, title, location, organiser, online,
                                              booking, all_day, hours, zone, start, rule,
                                              skipped, category, tags, status, sequence):
    import dataclasses

    from icalendar import Event as CalendarEvent

    from newsroom.feeds import ICS_STATUS, _vevent
    from newsroom.i18n import language

    base, urls = plain_event
    timezone = ZoneInfo(zone)
    begins = (start.replace(hour=0, minute=0, second=0, microsecond=0) if all_day
              else start.replace(microsecond=0)).replace(tzinfo=timezone)
    event = dataclasses.replace(
        base, title=title, location=location, organiser=organiser, all_day=all_day,
        online_url="https://example.org/live" if online else None,
        booking_url="https://example.org/book" if booking else None,
        start=begins, end=begins + timedelta(hours=hours) if hours else None,
        timezone=timezone, rrule=rule, skipped=tuple(d.isoformat() for d in skipped),
        category=category, tags=tuple(tags), status=status, sequence=sequence)
    text = _vevent(event, urls, NOW.astimezone(UTC).replace(microsecond=0),
                   language("en-GB", Path("/nowhere"))).to_ical()
    assert all(len(line) <= 75 for line in text.split(b"\r\n"))
    item = CalendarEvent.from_ical(text)

    def read(value: str) -> str:
        # icalendar writes a backslash before an N as a line break (RFC 5545's \N).
        return value.replace("\\N", "\n")

    assert str(item["SUMMARY"]) == read(title)
    assert item.decoded("DTSTART") == (begins.date() if all_day else begins)
    if all_day:
        assert item.decoded("DTEND") == event.ends.date()
    elif hours:
        assert item.decoded("DTEND") == event.end
    else:
        assert "DTEND" not in item
    assert str(item.get("LOCATION", "")) == read(location or ("https://example.org/live"
                                                              if online else ""))
    assert f"Organiser: {read(organiser)}" in str(item["DESCRIPTION"])
    assert str(item["STATUS"]) == ICS_STATUS[status]
    assert item.decoded("SEQUENCE") == sequence
    names = [str(name) for name in item["CATEGORIES"].cats] if "CATEGORIES" in item else []
    assert names == [read(name) for name in [*([category] if category else []), *tags]]
    assert ("RRULE" in item) == bool(rule)


def test_a_calendar_is_icalendars_own_bytes(diary_site: Path) -> None:
    """The calendar itself, its time zones and events read back and written again."""
    for path in all_calendars(diary_site):
        assert calendar_of(path).to_ical() == path.read_bytes()


def test_a_title_on_two_lines_names_its_calendar_on_one(tmp_path: Path) -> None:
    # It ended the build with a traceback: icalendar refuses a line break in a name.
    config = write_site(tmp_path, {"content/events/2027-03-01-fair.yaml": yaml.safe_dump({
        "title": "Spring fair\nand market", "start": "2027-03-01 10:00"})})
    build_site(config, now=NOW)
    [own] = (tmp_path / "public" / "events").glob("*/*.ics")
    calendar = calendar_of(own)
    assert str(calendar["X-WR-CALNAME"]) == "Spring fair and market"
    assert str(calendar.walk("VEVENT")[0]["SUMMARY"]) == "Spring fair\nand market"
