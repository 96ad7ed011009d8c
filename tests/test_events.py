"""Events: status, attendance, repeating dates, times, subscribing, the events feed.

The fixture is tests/sites/events, built at the tests' clock (28 November 2026). How the pages
behave in a browser (the upcoming list after the build, readers' local times) is at the end.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import feedparser
import pytest
from conftest import NOW, REPO, copy_fixture, soup, static_host, write_site
from icalendar import Calendar

from newsroom.build import build_site
from newsroom.problems import BuildError


@pytest.fixture(scope="module")
def events_site(tmp_path_factory) -> Path:
    config = copy_fixture("events", tmp_path_factory.mktemp("events") / "site")
    build_site(config, now=NOW)
    return config.parent / "public"


def page(out: Path, slug: str):
    return soup(out / "events" / slug / "index.html")


def jsonld(html) -> dict:
    return json.loads(html.find("script", type="application/ld+json").string)


def event_facts(html) -> dict[str, str]:
    """An event page's facts box: {"When": "...", "Repeats": "...", ...}."""
    return {dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
            for dt in html.select(".event-facts dt")}


def calendar(out: Path, path: str) -> Calendar:
    return Calendar.from_ical((out / path).read_bytes())


def vevents(out: Path, path: str) -> list:
    return calendar(out, path).walk("VEVENT")


def listed(out: Path, section: str = "nr-upcoming") -> list[tuple[str, str]]:
    """(title, datetime) of each item of an events-page section."""
    part = soup(out / "events/index.html").find(id=section).find_parent("section")
    return [(item.select_one(".card-title").get_text(strip=True),
             item.select_one(".card-meta > time")["datetime"])
            for item in part.select("article.event-item")]


def coming_dates(out: Path, slug: str) -> list[str]:
    """The start of each coming date the event's page lists."""
    return [time["datetime"] for time in soup(out / f"events/{slug}/index.html").select(
        ".coming-dates li > time")]


# Status


def test_a_rescheduled_event_shows_its_old_time_struck_through(events_site):
    html = page(events_site, "rescheduled-summit")
    assert html.select_one("p.status").get_text(strip=True) == (
        "This event has a new date. It was to be on Monday, 1 February 2027, 09:00–17:00 GMT.")
    old = html.select_one(".event-facts del time")
    assert old["datetime"].startswith("2027-02-01T09:00")
    item = next(i for i in soup(events_site / "events/index.html").select("article.event-item")
                if "Rescheduled summit" in i.get_text())
    assert item.select_one(".status").get_text(strip=True) == "Rescheduled"
    assert item.select_one("del time").get_text() == "Monday, 1 February 2027, 09:00–17:00 GMT"
    data = jsonld(html)
    assert data["eventStatus"] == "https://schema.org/EventRescheduled"
    assert data["previousStartDate"] == "2027-02-01T09:00:00+00:00"
    [event] = vevents(events_site, "events/rescheduled-summit/rescheduled-summit.ics")
    assert str(event["STATUS"]) == "CONFIRMED" and event["SEQUENCE"] == 1


def test_a_cancelled_event_says_so_everywhere_and_offers_no_booking(events_site):
    html = page(events_site, "cancelled-dinner")
    assert html.select_one("p.status").get_text(strip=True) == "This event is cancelled."
    assert html.find("a", string="Book a place") is None
    assert html.find("a", string="Google Calendar") is None
    assert jsonld(html)["eventStatus"] == "https://schema.org/EventCancelled"
    [event] = vevents(events_site, "events/cancelled-dinner/cancelled-dinner.ics")
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 1  # above the 0 that calendar apps already have
    whole = {str(e["UID"]): e for e in vevents(events_site, "events/calendar.ics")}
    assert str(whole["cancelled-dinner@example.org"]["STATUS"]) == "CANCELLED"


def test_an_event_that_goes_ahead_has_sequence_0_unless_the_editor_raises_it(tmp_path):
    config = write_site(tmp_path, {
        "content/events/a.yaml": "title: A\nstart: 2027-01-01 10:00\n",
        "content/events/b.yaml": "title: B\nstart: 2027-01-02 10:00\nsequence: 3\n"})
    build_site(config, now=NOW)
    out = tmp_path / "public"
    assert vevents(out, "events/a/a.ics")[0]["SEQUENCE"] == 0
    assert vevents(out, "events/b/b.ics")[0]["SEQUENCE"] == 3


def test_previous_start_needs_a_rescheduled_status(tmp_path):
    config = write_site(tmp_path, {"content/events/a.yaml":
                                   "title: A\nstart: 2027-01-08 10:00\n"
                                   "previous_start: 2027-01-01 10:00\n"})
    with pytest.raises(BuildError) as error:
        build_site(config, now=NOW)
    assert [str(p) for p in error.value.problems] == [
        "content/events/a.yaml:3: previous_start: is the time a rescheduled event had; add "
        "status: rescheduled, or delete it"]


# In person, online, hybrid


def test_attendance_mode_and_location_follow_location_and_online_url(events_site):
    hybrid = jsonld(page(events_site, "rescheduled-summit"))
    assert hybrid["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert [place["@type"] for place in hybrid["location"]] == ["Place", "VirtualLocation"]
    online = jsonld(page(events_site, "soon-webinar"))
    assert online["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert online["location"] == {"@type": "VirtualLocation",
                                  "url": "https://live.example.net/soon"}
    offline = jsonld(page(events_site, "trade-fair"))
    assert offline["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert offline["location"]["@type"] == "Place"


def test_every_event_page_has_the_json_ld_search_engines_need(events_site):
    for folder in (events_site / "events").iterdir():
        if not (folder / "index.html").is_file() or folder.name == "page":
            continue
        data = jsonld(soup(folder / "index.html"))
        for key in ("name", "startDate", "endDate", "location", "eventStatus",
                    "eventAttendanceMode", "organizer"):
            assert data.get(key), (folder.name, key)
        assert data["organizer"]["name"]


# Repeating events


def test_a_repeating_event_is_listed_once_at_its_next_date_saying_how_it_repeats(events_site):
    # Listed once per date, a weekly event took most of a page of ten (issue 21).
    clinic = [when for title, when in listed(events_site) if title == "Weekly clinic"]
    assert clinic == ["2027-01-06T10:00:00+00:00"]
    [item] = [item for item in soup(events_site / "events/index.html").select(
        "article.event-item") if item.select_one(".card-title").get_text() == "Weekly clinic"]
    assert item.select_one(".card-title a")["href"] == "/events/weekly-clinic/"
    assert item.select_one(".repeats").get_text() == "Every week, 5 times"


def test_each_date_of_a_repeating_event_is_on_its_page_and_skipped_dates_are_not(events_site):
    assert coming_dates(events_site, "weekly-clinic") == [
        "2027-01-06T10:00:00+00:00", "2027-01-13T10:00:00+00:00",
        "2027-01-27T10:00:00+00:00", "2027-02-03T10:00:00+00:00"]


def test_a_repeating_event_is_one_vevent_with_its_rule_and_skipped_dates(events_site):
    [event] = vevents(events_site, "events/weekly-clinic/weekly-clinic.ics")
    assert event["RRULE"].to_ical() == b"FREQ=WEEKLY;COUNT=5"
    [skipped] = event["EXDATE"].dts
    assert skipped.dt == datetime(2027, 1, 20, 10, 0, tzinfo=ZoneInfo("Europe/London"))
    assert event["EXDATE"].params["TZID"] == "Europe/London"
    whole = [e for e in vevents(events_site, "events/calendar.ics")
             if str(e["UID"]) == "weekly-clinic@example.org"]
    assert len(whole) == 1


def test_the_event_page_says_how_it_repeats_and_lists_the_coming_dates(events_site):
    html = page(events_site, "weekly-clinic")
    facts = event_facts(html)
    assert facts["Repeats"] == "Every week, 5 times"
    assert facts["Next date"].startswith("Wednesday, 6 January 2027, 10:00–11:00 GMT")
    dates = [t.get_text() for t in html.select(".coming-dates li > time")]
    assert dates == ["Wednesday, 6 January 2027, 10:00–11:00 GMT",
                     "Wednesday, 13 January 2027, 10:00–11:00 GMT",
                     "Wednesday, 27 January 2027, 10:00–11:00 GMT",
                     "Wednesday, 3 February 2027, 10:00–11:00 GMT"]


def test_a_raw_rrule_is_accepted_and_expanded_in_the_events_own_zone(events_site):
    meetups = coming_dates(events_site, "first-thursday-meetup")
    assert meetups == ["2027-01-07T18:00:00-05:00", "2027-02-04T18:00:00-05:00",
                       "2027-03-04T18:00:00-05:00"]
    [event] = vevents(events_site, "events/first-thursday-meetup/first-thursday-meetup.ics")
    assert dict(event["RRULE"]) == {"FREQ": ["MONTHLY"], "BYDAY": ["1TH"], "COUNT": [3]}
    assert event["DTSTART"].params["TZID"] == "America/New_York"


def test_a_weekly_time_stays_on_the_local_clock_across_summer_time(events_site):
    series = coming_dates(events_site, "spring-series")
    assert series == ["2027-03-17T10:00:00+00:00", "2027-03-24T10:00:00+00:00",
                      "2027-03-31T10:00:00+01:00", "2027-04-07T10:00:00+01:00"]
    [event] = vevents(events_site, "events/spring-series/spring-series.ics")
    # RFC 5545: with a zoned DTSTART, UNTIL is in UTC: the end of the last day, London time.
    assert event["RRULE"].to_ical() == b"FREQ=WEEKLY;UNTIL=20270407T225959Z"


def test_a_rule_with_no_end_begun_long_ago_still_lists_its_coming_dates(tmp_path):
    config = write_site(tmp_path, {"content/events/a.yaml":
                                   "title: Daily stand-up\nstart: 2020-01-01 09:00\n"
                                   "end: 2020-01-01 09:15\nrrule: FREQ=DAILY\n"})
    build_site(config, now=NOW)
    out = tmp_path / "public"
    html = page(out, "a")
    assert html.select_one(".event-facts dd").get_text(" ", strip=True).startswith(
        "Sunday, 29 November 2026, 09:00–09:15 GMT")
    assert len(html.select(".coming-dates li")) == 366  # a year ahead
    assert html.select_one("[data-show-after]") is None  # it never ends
    lists = [out / "events/index.html", *sorted(out.glob("events/page/*/index.html"))]
    items = [item for path in lists for item in soup(path).select("article.event-item")]
    # Once, at its next date: not a year of dates to come, nor years of dates past.
    assert [item.select_one(".card-meta > time")["datetime"] for item in items] == [
        "2026-11-29T09:00:00+00:00"]


def test_an_until_is_described_on_the_events_own_calendar(tmp_path):
    config = write_site(tmp_path, {"content/events/a.yaml":
                                   "title: A\nstart: 2027-06-02 21:00\ntimezone: "
                                   "America/New_York\nrepeat: {frequency: weekly, until: "
                                   "2027-06-30}\n"})
    build_site(config, now=NOW)
    html = page(tmp_path / "public", "a")
    facts = event_facts(html)
    assert facts["Repeats"] == "Every week until 30 June 2027"
    [event] = vevents(tmp_path / "public", "events/a/a.ics")
    assert event["RRULE"].to_ical() == b"FREQ=WEEKLY;UNTIL=20270701T035959Z"


def test_a_series_is_bookable_until_its_last_date_and_added_whole_to_google(tmp_path):
    config = write_site(tmp_path, {"content/events/a.yaml":
                                   "title: A\nstart: 2026-11-18 10:00\nend: 2026-11-18 11:00\n"
                                   "booking_url: https://tickets.example.net/a\n"
                                   "repeat: {frequency: weekly, count: 4}\n"})
    build_site(config, now=NOW)
    html = page(tmp_path / "public", "a")
    assert html.find("a", string="Book a place")["data-hide-after"] == "2026-12-09T11:00:00+00:00"
    google = parse_qs(urlsplit(html.find("a", string="Google Calendar")["href"]).query)
    # From the first date, with the whole rule: Google then has exactly the series' dates.
    assert google["dates"] == ["20261118T100000/20261118T110000"]
    assert google["recur"] == ["RRULE:FREQ=WEEKLY;COUNT=4"]
    outlook = html.find("a", string="Outlook (next date)")
    assert parse_qs(urlsplit(outlook["href"]).query)["startdt"] == ["2026-12-02T10:00:00+00:00"]


def test_an_article_shows_a_repeating_related_event_at_its_next_date(tmp_path):
    config = write_site(tmp_path, {
        "content/events/a.yaml": "title: A\nstart: 2026-11-18 10:00\n"
                                 "repeat: {frequency: weekly, count: 4}\n",
        "content/news/2026-11-01-n.md": "---\ntitle: N\ndate: 2026-11-01\n"
                                        "related_events: [a]\n---\nSee you there.\n"})
    build_site(config, now=NOW)
    article = soup(tmp_path / "public/news/n/index.html")
    assert article.select_one(".related time")["datetime"] == "2026-12-02T10:00:00+00:00"


def test_the_build_is_due_again_when_a_date_of_a_series_ends(tmp_path):
    config = write_site(tmp_path, {"content/events/a.yaml":
                                   "title: A\nstart: 2026-11-25 10:00\nend: 2026-11-25 11:00\n"
                                   "repeat: {frequency: weekly, count: 3}\n"})
    report = build_site(config, now=NOW)
    assert report.next_change.moment == datetime(2026, 12, 2, 11, 0, tzinfo=UTC)


@pytest.mark.parametrize(("event", "message"), [
    ("repeat: {frequency: fortnightly, count: 3}",
     "repeat: frequency: 'fortnightly' is not allowed (write one of: daily, weekly, monthly, "
     "yearly)"),
    ("repeat: {frequency: weekly}",
     "repeat: give count: (how many dates) or until: (the last date), one of them"),
    ("repeat: {frequency: weekly, count: 2, until: 2027-02-01}",
     "repeat: give count: (how many dates) or until: (the last date), one of them"),
    ("repeat: {frequency: daily, until: 2099-01-01}",
     "the series has more than 500 dates; give a smaller count: or an earlier until:"),
    ("rrule: FREQ=HOURLY", "rrule: 'FREQ=HOURLY' needs FREQ=DAILY, WEEKLY, MONTHLY or YEARLY"),
    ("rrule: weekly please", "rrule: 'weekly please' is not a recurrence rule (write "
                             "FREQ=WEEKLY;COUNT=6, or use repeat:)"),
    ("except: [2027-01-08]", "except: is for repeating events; add repeat: or delete it"),
    ("repeat: {frequency: weekly, count: 3, except: [2027-01-09]}",
     "except: 2027-01-09 is not among the series' dates (2027-01-01, 2027-01-08, 2027-01-15, "
     "...); write dates the series falls on"),
    ("repeat: {frequency: weekly, count: 3}\nrrule: FREQ=WEEKLY",
     "give repeat: or rrule:, not both"),
    ("rrule: FREQ=MONTHLY;INTERVAL=0", "rrule: INTERVAL=0 must be a whole number from 1 to 1000"),
    ("rrule: FREQ=DAILY;BYHOUR=9,17", "rrule: BYHOUR is not used here (the times come from "
     "start: and end:); write only FREQ, INTERVAL, COUNT, UNTIL, BYDAY, BYMONTHDAY, BYYEARDAY, "
     "BYWEEKNO, BYMONTH, BYSETPOS, WKST"),
    ("rrule: FREQ=WEEKLY;UNTIL=20200101",
     "the rule gives no dates from the start 2027-01-01 on; check its UNTIL or BY parts"),
    ("repeat: {frequency: weekly, count: 3}\nstatus: rescheduled\n"
     "previous_start: 2026-12-25 10:00",
     "previous_start: is for an event with one date; for a repeating one, add the moved date "
     "to except: and give the new one its own listing"),
    ("status: rescheduled\nprevious_start: 2026-12-25",
     "previous_start: give the time as well, like the start (write 2026-12-25 10:00)"),
])
def test_a_wrong_repeat_says_what_to_write(tmp_path, event, message):
    config = write_site(tmp_path, {"content/events/a.yaml":
                                   f"title: A\nstart: 2027-01-01 10:00\n{event}\n"})
    with pytest.raises(BuildError) as error:
        build_site(config, now=NOW)
    [problem] = error.value.problems
    assert problem.path == "content/events/a.yaml" and problem.line is not None
    assert problem.message == message


# Times


def test_times_are_shown_in_each_events_zone_with_the_zone(events_site):
    shown: dict[str, str] = {}
    for item in soup(events_site / "events/index.html").select("article.event-item"):
        shown.setdefault(item.select_one(".card-title").get_text(strip=True),
                         item.select_one(".card-meta > time").get_text())
    assert shown["First Thursday meetup"] == "Thursday, 7 January 2027, 18:00–20:00 EST"
    assert shown["Trade fair"] == "Tue, 2\u2009Mar –\u2009Thu, 4 Mar 2027"
    assert shown["Soon webinar"] == "Tuesday, 1 December 2026, 12:00–13:00 GMT"


def test_timed_events_carry_what_the_local_time_script_needs(events_site):
    times = soup(events_site / "events/index.html").select("article.event-item .card-meta > time")
    meetup = next(t for t in times if t.get_text().startswith("Thursday, 7 January"))
    assert meetup["data-start"] == "2027-01-07T18:00:00-05:00"
    assert meetup["data-end"] == "2027-01-07T20:00:00-05:00"
    assert meetup["data-zone"] == "America/New_York"
    fair = next(t for t in times if t.get_text() == "Tue, 2\u2009Mar –\u2009Thu, 4 Mar 2027")
    assert not fair.has_attr("data-start")  # an all-day event has no clock time to convert


# Subscribe and add


def test_the_events_page_offers_webcal_per_category_calendars_and_the_feed(events_site):
    box = soup(events_site / "events/index.html").select_one(".subscribe-box")
    links = {a.get_text(strip=True): a["href"] for a in box.select("a")}
    assert links["Subscribe in your calendar app"] == "webcal://example.org/events/calendar.ics"
    assert links["Upcoming events feed (RSS)"] == "/events/feed.xml"
    assert links["Training"] == "webcal://example.org/events/category/training/calendar.ics"
    training = {str(e["SUMMARY"]) for e in vevents(events_site,
                                                   "events/category/training/calendar.ics")}
    assert training == {"Weekly clinic", "Spring series", "Soon webinar"}
    assert str(calendar(events_site, "events/category/training/calendar.ics")[
        "X-WR-CALNAME"]) == "Events Fixture Weekly: Training"


def test_each_event_can_be_added_to_google_outlook_or_any_calendar(events_site):
    html = page(events_site, "rescheduled-summit")
    google = urlsplit(html.find("a", string="Google Calendar")["href"])
    query = {k: v[0] for k, v in parse_qs(google.query).items()}
    assert google.netloc == "calendar.google.com"
    assert query["text"] == "Rescheduled summit"
    assert query["dates"] == "20270208T090000/20270208T170000"
    assert query["ctz"] == "Europe/London"
    assert query["location"] == "Example Centre, Nottingham"
    assert "https://example.org/events/rescheduled-summit/" in query["details"]
    outlook = urlsplit(html.find("a", string="Outlook")["href"])
    query = {k: v[0] for k, v in parse_qs(outlook.query).items()}
    assert outlook.netloc == "outlook.live.com"
    assert (query["subject"], query["startdt"], query["enddt"], query["allday"]) == (
        "Rescheduled summit", "2027-02-08T09:00:00+00:00", "2027-02-08T17:00:00+00:00",
        "false")
    ics = html.find("a", string="Calendar file (.ics)")
    assert ics["href"] == "/events/rescheduled-summit/rescheduled-summit.ics"
    fair = urlsplit(page(events_site, "trade-fair").find("a", string="Google Calendar")["href"])
    assert parse_qs(fair.query)["dates"] == ["20270302/20270305"]  # the end day is exclusive
    clinic = urlsplit(page(events_site, "weekly-clinic").find("a", string="Google Calendar")[
        "href"])
    assert parse_qs(clinic.query)["recur"] == ["RRULE:FREQ=WEEKLY;COUNT=5"]


def test_every_calendar_has_the_required_properties_and_its_time_zones(events_site):
    for path in events_site.rglob("*.ics"):
        parsed = Calendar.from_ical(path.read_bytes())
        assert str(parsed["VERSION"]) == "2.0" and str(parsed["PRODID"])
        zones = {str(z["TZID"]) for z in parsed.walk("VTIMEZONE")}
        for event in parsed.walk("VEVENT"):
            for key in ("UID", "DTSTAMP", "DTSTART"):
                assert key in event, (path, key)
            for key in ("DTSTART", "DTEND", "EXDATE"):
                if key in event and "TZID" in event[key].params:
                    assert event[key].params["TZID"] in zones, (path, key)


# News and events both ways, and the weekday check


def test_related_news_and_events_link_both_ways(events_site):
    article = soup(events_site / "news/summit-announced/index.html")
    assert [a["href"] for a in article.select(".related .card-title a")] == [
        "/events/soon-webinar/", "/events/rescheduled-summit/"]
    event = page(events_site, "rescheduled-summit")
    assert event.select_one(".related a")["href"] == "/news/summit-announced/"
    webinar = page(events_site, "soon-webinar")  # linked from the event's side
    assert webinar.select_one(".related a")["href"] == "/news/summit-announced/"


def test_check_warns_when_an_article_names_the_wrong_weekday_for_its_event(tmp_path):
    config = copy_fixture("events", tmp_path / "site")
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "check"], cwd=config.parent,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines() == [
        "content/news/2026-11-20-summit-announced.md:7: warning: 'Friday 8th February' names "
        "the wrong weekday: 8 February 2027 is a Monday (the date of its related event); "
        "write Monday 8 February, or correct the date"]
    assert "1 warning" in done.stdout


def test_the_seed_article_names_its_events_day_rightly():
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "check"], cwd=REPO,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr and "warning" not in done.stdout


# The events feed


def test_the_events_feed_lists_upcoming_dates_soonest_first(events_site):
    feed = feedparser.parse(io.BytesIO((events_site / "events/feed.xml").read_bytes()))
    assert not feed.bozo
    titles = [e.title for e in feed.entries]
    assert titles[0] == "Soon webinar: Tuesday, 1 December 2026, 12:00–13:00 GMT"
    assert not any(t.startswith("Past talk") for t in titles)
    assert sum(t.startswith("Weekly clinic") for t in titles) == 4
    assert len({e.id for e in feed.entries}) == len(feed.entries)
    assert feed.entries[0].link == "https://example.org/events/soon-webinar/"
    assert {link.rel: link.href for link in feed.feed.links}["self"] == \
        "https://example.org/events/feed.xml"
    # A cancelled event stays until it would have ended, marked in its title and text.
    cancelled = next(e for e in feed.entries if "Cancelled dinner" in e.title)
    assert cancelled.title.startswith("Cancelled: Cancelled dinner: ")
    assert cancelled.summary.startswith("Cancelled. ")
    # Each item says when its listing last changed; the feed, when it was built.
    assert all(e.published_parsed for e in feed.entries)
    assert feed.feed.updated == "Sat, 28 Nov 2026 12:00:00 +0000"


# In the browser: the upcoming list after the build, and readers' local times


@pytest.fixture(scope="module")
def served(events_site):
    with static_host(events_site) as address:
        yield address


def at(browser, moment: datetime | None, zone: str = "Europe/London", script: bool = True,
       locale: str = "en-GB"):
    """A browser tab in a reader's time zone and language, its clock at `moment`."""
    context = browser.new_context(timezone_id=zone, java_script_enabled=script, locale=locale)
    tab = context.new_page()
    if moment is not None:
        tab.clock.set_fixed_time(moment)
    return context, tab


def section_titles(tab, section_id: str) -> list[str]:
    return tab.locator(f"#{section_id} ~ article:visible .card-title").all_inner_texts()


def test_a_week_later_the_ended_webinar_has_moved_to_past_events(browser, served):
    context, tab = at(browser, datetime(2026, 12, 2, 9, 0, tzinfo=UTC))
    tab.goto(served + "events/")
    assert "Soon webinar" not in section_titles(tab, "nr-upcoming")
    assert section_titles(tab, "nr-past")[0] == "Soon webinar"
    tab.goto(served + "events/soon-webinar/")
    assert not tab.get_by_role("link", name="Book a place").is_visible()
    assert tab.get_by_text("(this event has ended)").is_visible()
    tab.goto(served)
    assert "Soon webinar" not in section_titles(tab, "nr-upcoming-events")
    context.close()


def test_before_it_ends_the_webinar_stays_upcoming_and_bookable(browser, served):
    context, tab = at(browser, datetime(2026, 12, 1, 12, 30, tzinfo=UTC))
    tab.goto(served + "events/")
    assert section_titles(tab, "nr-upcoming")[0] == "Soon webinar"
    tab.goto(served + "events/soon-webinar/")
    assert tab.get_by_role("link", name="Book a place").is_visible()
    assert not tab.get_by_text("(this event has ended)").is_visible()
    context.close()


def test_without_javascript_the_page_reads_as_it_was_built(browser, served):
    context, tab = at(browser, None, script=False)
    tab.goto(served + "events/")
    assert section_titles(tab, "nr-upcoming")[0] == "Soon webinar"
    context.close()


def test_when_every_event_has_ended_the_list_says_so(browser, served):
    context, tab = at(browser, datetime(2028, 1, 1, tzinfo=UTC))
    tab.goto(served)
    assert section_titles(tab, "nr-upcoming-events") == []
    assert tab.get_by_text("No upcoming events at the moment.").is_visible()
    context.close()


def test_readers_elsewhere_also_see_their_own_time(browser, served):
    context, tab = at(browser, datetime(2026, 11, 28, 12, 0, tzinfo=UTC), "America/New_York",
                      locale="en-US")
    tab.goto(served + "events/soon-webinar/")
    local = tab.locator(".event-facts .local-time")
    # (In the page's language, British English, whatever the browser's.)
    assert local.inner_text() == " (Tue 1 Dec, 07:00–08:00 GMT-5, your time)"
    context.close()
    context, tab = at(browser, datetime(2026, 11, 28, 12, 0, tzinfo=UTC))
    tab.goto(served + "events/soon-webinar/")
    assert tab.locator(".local-time").count() == 0  # the same clock: nothing to add
    tab.goto(served + "events/first-thursday-meetup/")
    assert "23:00–01:00" not in tab.locator(".event-facts").inner_text()
    assert tab.locator(".event-facts .local-time").inner_text() == (
        " (Thu 7 Jan, 23:00 – Fri 8 Jan, 01:00 GMT, your time)")
    context.close()


def test_a_repeating_event_without_a_summary_is_summed_up_by_how_it_repeats(tmp_path):
    config = write_site(tmp_path, {"content/events/a.yaml":
                                   "title: A\nstart: 2027-01-06 10:00\nend: 2027-01-06 11:00\n"
                                   "repeat: {frequency: weekly, count: 3}\n"})
    build_site(config, now=NOW)
    description = page(tmp_path / "public", "a").find("meta", attrs={"name": "description"})
    assert description["content"] == (
        "Every week, 3 times, from Wednesday, 6 January 2027, 10:00–11:00 GMT")
