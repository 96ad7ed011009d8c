"""Feeds, calendars, sitemap and robots.txt: the files machines read."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from functools import cache, lru_cache
from importlib import metadata
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from newsroom import __version__, timefmt
from newsroom.cache import Memo, code_fingerprint, digest
from newsroom.content import Article, Event
from newsroom.markup import renderer_settings, rewrite_urls
from newsroom.output import Output
from newsroom.pages import (
    Page,
    Urls,
    article_summary,
    event_summary,
    feed_id,
    status_label,
)
from newsroom.site import Site, dates_of

if TYPE_CHECKING:
    from feedgen.feed import FeedGenerator

ICS_STATUS = {"scheduled": "CONFIRMED", "cancelled": "CANCELLED", "postponed": "TENTATIVE",
              "rescheduled": "CONFIRMED", "moved-online": "CONFIRMED"}
PRODID = f"-//newsroom//newsroom {__version__}//EN"


def absolute_html(fragment: str, page_url: str) -> str:
    """The HTML with every link and image made absolute against the page's own URL."""
    return rewrite_urls(fragment, lambda url: urljoin(page_url, url))


def feed_keys(site: Site, urls: Urls) -> dict[str, str]:
    """The path of every feed and a key of what it is made from: a feed is made only when
    its key changed (an edit to an old article leaves the feeds as they are)."""
    common = _common_key(site)
    return {path: digest(common, *parts) for path, (parts, _) in _feeds(site, urls).items()}


def _common_key(site: Site) -> str:
    # What every feed and calendar is also made from: the config, the HTML of the records
    # (the Markdown renderer's settings and versions) and the libraries that write them.
    return digest(code_fingerprint(), site.config.fingerprint, renderer_settings(site.config),
                  _library_versions())


@lru_cache(maxsize=1)
def _library_versions() -> str:
    return repr([metadata.version(name) for name in ("feedgen", "icalendar", "lxml")])


def feeds(site: Site, urls: Urls, only: set[str] | None = None) -> dict[str, bytes]:
    """RSS 2.0 and Atom of the latest articles, an RSS feed per category and the events
    feed (or those in `only`)."""
    return {path: make() for path, (_, make) in _feeds(site, urls).items()
            if only is None or path in only}


def _feeds(site: Site, urls: Urls) -> dict[str, tuple[tuple[str, ...],
                                                     Callable[[], bytes]]]:
    """Every feed by its path: what it is made from, and how to make it."""
    config = site.config
    latest = site.articles[:config.feed_limit]
    news = tuple(a.fingerprint for a in latest)
    made = {
        urls.output_path(urls.feed()): (news, lambda: _feed(
            site, urls, latest, config.title, urls.feed(), urls.home()).rss_str(pretty=True)),
        urls.output_path(urls.atom()): (news, lambda: _feed(
            site, urls, latest, config.title, urls.atom(), urls.home()).atom_str(pretty=True)),
    }
    for term in site.categories:
        articles = term.articles[:config.feed_limit]
        made[urls.output_path(urls.category_feed(term))] = (
            tuple(a.fingerprint for a in articles),
            lambda t=term, a=articles: _feed(site, urls, a, f"{config.title}: {t.name}",
                                             urls.category_feed(t), urls.category(t)
                                             ).rss_str(pretty=True))
    coming = site.upcoming_events[:config.feed_limit]
    made[urls.output_path(urls.events_feed())] = (
        (*(e.fingerprint for e in coming), timefmt.iso(_last_ended(site))),
        lambda: _events_feed(site, urls, coming))
    return made


def _channel(site: Site, urls: Urls, title: str, self_url: str, page_url: str,
             updated: datetime) -> FeedGenerator:
    # feedgen and icalendar (with lxml) are imported when a feed or calendar is made: most
    # rebuilds make none.
    from feedgen.feed import FeedGenerator

    config = site.config
    generator = FeedGenerator()
    # dc:creator names authors in RSS, whose <author> must be an e-mail address; Atom has
    # <author><name> of its own.
    generator.load_extension("dc", atom=False, rss=True)
    generator.id(urls.absolute(page_url))
    generator.title(title)
    generator.subtitle(config.description or title)
    generator.language(config.language)
    generator.generator("newsroom", __version__)
    generator.author({"name": config.publisher})
    # feedgen takes RSS <link> from the last link given: the self link must come first.
    generator.link(href=urls.absolute(self_url), rel="self")
    generator.link(href=urls.absolute(page_url), rel="alternate")
    if config.copyright:
        generator.rights(config.copyright)
    # The newest change, not the clock, dates the feed: an unchanged site gives the same bytes.
    generator.updated(updated)
    generator.lastBuildDate(updated)
    return generator


def _feed(site: Site, urls: Urls, articles: Sequence[Article], title: str, self_url: str,
          page_url: str) -> FeedGenerator:
    config = site.config
    newest = max((a.updated or a.date for a in articles), default=_epoch(site))
    generator = _channel(site, urls, title, self_url, page_url, newest)
    for article in reversed(articles):  # feedgen prepends; this keeps newest first
        entry = generator.add_entry()
        link = urls.absolute(urls.article(article))
        entry.id(feed_id(article, urls))
        entry.guid(feed_id(article, urls), permalink=article.guid is None)
        entry.title(article.title)
        entry.link(href=link, rel="alternate")
        entry.author({"name": article.author})
        entry.dc.dc_creator(article.author)
        entry.published(article.date)
        entry.updated(article.updated or article.date)
        entry.description(article_summary(article), isSummary=True)
        if article.category:
            entry.category({"term": article.category})
        for tag in article.tags:
            entry.category({"term": tag})
        if config.feed_full_content:
            entry.content(absolute_html(article.html, link), type="html")
    return generator


def _last_ended(site: Site) -> datetime:
    # The upcoming list changes when an event ends: that moment dates the events feed.
    return max((e.ends for e in site.past_events), default=_epoch(site))


def _events_feed(site: Site, urls: Urls, coming: Sequence[Event]) -> bytes:
    """RSS of the upcoming events (each date of a repeating one), soonest first."""
    config = site.config
    generator = _channel(site, urls, f"{config.title}: {config.events_title}",
                         urls.events_feed(), urls.events(), _last_ended(site))
    for event in reversed(coming):  # feedgen prepends; this keeps the soonest first
        entry = generator.add_entry()
        when = timefmt.event_range(event.start, event.end, event.all_day)
        # One item per date: a repeating event's dates are told apart by their start.
        guid = f"{event.uid}/{timefmt.iso(event.start)}" if event.rrule else event.uid
        entry.guid(guid, permalink=False)
        entry.title(f"{event.title}: {when}")
        entry.link(href=urls.absolute(urls.event(event)), rel="alternate")
        where = event.location or ("Online" if event.online_url else "")
        status = f"{status_label(event)}. " if status_label(event) else ""
        entry.description(f"{status}{when}{'. ' + where if where else ''}. "
                          f"{event_summary(event)}")
        if event.category:
            entry.category({"term": event.category})
        for tag in event.tags:
            entry.category({"term": tag})
    return generator.rss_str(pretty=True)


def _epoch(site: Site) -> datetime:
    return datetime(2000, 1, 1, tzinfo=site.config.timezone)


def calendar_keys(site: Site, urls: Urls) -> dict[str, str]:
    """The path of every calendar and a key of what it is made from (not its bytes: the
    DTSTAMP says when it was made, so an unchanged calendar keeps its file and its stamp)."""
    common = _common_key(site)
    return {path: digest(common, *(e.fingerprint for e in events))
            for path, (events, _) in _calendar_contents(site, urls).items()}


def calendars(site: Site, urls: Urls, only: set[str] | None = None) -> dict[str, bytes]:
    """events/calendar.ics with every event, one per category, and one .ics per event (or
    those in `only`).

    An event sits in up to three calendars (its own, its categories', all events): each is
    written out once, and calendars are put together from those pieces. (A build makes
    them while its workers render pages, so this stays in one process.)
    """
    contents = _calendar_contents(site, urls)
    wanted = [path for path in contents if only is None or path in only]
    if not wanted:
        return {}
    needed = list({id(event): event for path in wanted
                   for event in contents[path][0]}.values())
    stamp = site.now.astimezone(UTC).replace(microsecond=0)
    pieces = {id(event): _vevent_piece(event, urls, stamp) for event in needed}
    zones: dict[tuple[str, date, date], bytes] = {}
    return {path: _calendar(site, *contents[path], pieces, zones) for path in wanted}


def _calendar_contents(site: Site, urls: Urls) -> dict[str, tuple[tuple[Event, ...], str]]:
    """Every calendar by its path: its events and its name."""
    title = site.config.title
    contents = {urls.output_path(urls.calendar()): (site.events,
                                                    f"{title}: {site.config.events_title}")}
    for term in site.event_categories:
        contents[urls.output_path(urls.category_calendar(term))] = (
            term.events, f"{title}: {term.name}")
    for event in site.events:
        contents[urls.output_path(urls.event_ics(event))] = ((event,), event.title)
    return contents


def _vevent_piece(event: Event, urls: Urls, stamp: datetime) -> tuple[bytes, frozenset[str]]:
    """The event as a VEVENT in iCalendar text, and the time zones it names.

    Written here, as icalendar writes it (tests/test_calendars.py checks the bytes are the
    same): icalendar takes 0.7 ms to put an event together, most of a cold build's calendar
    time, for some fifteen lines of text.
    """
    zones: set[str] = set()
    # Properties in icalendar's order: its canonical ones first, then the rest by name.
    lines = ["BEGIN:VEVENT", "SUMMARY:" + _text(event.title)]
    if event.all_day:
        lines += [f"DTSTART;VALUE=DATE:{_day(event.start)}",
                  f"DTEND;VALUE=DATE:{_day(event.ends)}"]
    else:
        lines.append("DTSTART" + _moment(event.start, zones))
        if event.end is not None:  # without one, RFC 5545 reads the event as a moment
            lines.append("DTEND" + _moment(event.end, zones))
    lines += ["DTSTAMP" + _moment(stamp, zones), "UID:" + _text(event.uid),
              # Calendar apps update an event they hold only when this is higher than theirs.
              f"SEQUENCE:{event.sequence}"]
    if event.rrule:
        from icalendar import vRecur  # (its own order of the rule's parts)

        lines.append("RRULE:" + vRecur.from_ical(event.rrule).to_ical().decode("utf-8"))
        if event.skipped:
            days = [date.fromisoformat(day) for day in event.skipped]
            if event.all_day:
                lines.append("EXDATE;VALUE=DATE:" + ",".join(_day(day) for day in days))
            else:
                moments = [_moment(datetime.combine(day, event.start.timetz()), zones)
                           for day in days]
                lines.append("EXDATE" + moments[0] + "".join(
                    "," + moment.rpartition(":")[2] for moment in moments[1:]))
    names = ((event.category,) if event.category else ()) + event.tags
    if names:
        lines.append("CATEGORIES:" + ",".join(_text(name) for name in names))
    page = urls.absolute(urls.event(event))
    lines.append("DESCRIPTION:" + _text(event_details(event, page)))
    if event.location or event.online_url:
        lines.append("LOCATION:" + _text(event.location or event.online_url or ""))
    lines += ["STATUS:" + ICS_STATUS[event.status], "URL:" + page, "END:VEVENT"]
    return _lines(lines), frozenset(zones)


def event_details(event: Event, page: str) -> str:
    """An event's DESCRIPTION in calendars: its summary, organiser, addresses and page."""
    details = [event_summary(event), f"Organiser: {event.organiser}"]
    if event.online_url:
        details.append(f"Join online: {event.online_url}")
    if event.booking_url:
        details.append(f"Book: {event.booking_url}")
    details.append(f"Details: {page}")
    return "\n\n".join(details)


def _text(value: str) -> str:
    """A TEXT value escaped as RFC 5545 (and icalendar) escapes it."""
    return (value.replace("\\N", "\n").replace("\\", "\\\\").replace(";", "\\;")
            .replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
            .replace("\r", "\\n"))


def _moment(moment: datetime, zones: set[str]) -> str:
    """A date-time property's parameters and value (";TZID=Europe/London:20270301T100000",
    ":20270301T090000Z"), its zone added to `zones`."""
    parameters, suffix, zone = _zone_form(moment.tzinfo)
    if zone:
        zones.add(zone)
    return (f"{parameters}:{_day(moment)}T{moment.hour:02}{moment.minute:02}"
            f"{moment.second:02}{suffix}")


def _day(day: date) -> str:
    return f"{day.year:04}{day.month:02}{day.day:02}"


@cache
def _zone_form(zone: Any) -> tuple[str, str, str | None]:
    """How icalendar writes a time in `zone`: the parameters, the suffix ("Z" for UTC)
    and the zone's TZID (None for UTC). Asked of icalendar once a zone: which zones it
    takes for UTC, and how it names the others, is its own."""
    from icalendar import vDDDTypes

    value = vDDDTypes(datetime(2000, 1, 1, tzinfo=zone))
    parameters = value.params.to_ical().decode("utf-8")
    return (f";{parameters}" if parameters else "", "Z" if value.to_ical().endswith(b"Z")
            else "", value.params.get("TZID"))


def _lines(lines: list[str]) -> bytes:
    """Content lines as iCalendar text: folded, each ended by CRLF."""
    return "".join(fold_line(line) + "\r\n" for line in lines).encode("utf-8")


def _ical(component: Any) -> bytes:
    """component.to_ical(), its long lines folded here: icalendar folds each line one
    character at a time in Python (tests/test_calendars.py checks the bytes are the same)."""
    return _lines([line for line in component.content_lines() if line])


def fold_line(line: str, limit: int = 75) -> str:
    """RFC 5545 folding: lines of fewer than `limit` octets, a UTF-8 character never split,
    and a backslash or caret (which may start an escape) carried to the next line."""
    pieces, start = [], 0
    if line.isascii():  # (one octet a character: the cuts are every limit - 1 characters)
        end = limit - 1
        while end < len(line):
            cut = end - 1 if end - start > 1 and line[end - 1] in "\\^" else end
            pieces.append(line[start:cut])
            start, end = cut, cut + limit - 1
    else:
        sizes, count = [len(char.encode("utf-8")) for char in line], 0
        for index, size in enumerate(sizes):
            if index > start and count + size >= limit:
                cut = index - 1 if index - start > 1 and line[index - 1] in "\\^" else index
                pieces.append(line[start:cut])
                start, count = cut, sum(sizes[cut:index])
            count += size
    pieces.append(line[start:])
    return "\r\n ".join(pieces)


_END = b"END:VCALENDAR\r\n"


def _calendar(site: Site, events: Sequence[Event], name: str,
              pieces: dict[int, tuple[bytes, frozenset[str]]],
              zones: dict[tuple[str, date, date], bytes]) -> bytes:
    # The name as calendar apps show it: a line of its own, as it is (read as written by
    # icalendar and the apps, which take no escapes in it); a title's line breaks are spaces.
    head = _lines(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:" + PRODID, "CALSCALE:GREGORIAN",
                   "METHOD:PUBLISH", "X-WR-CALNAME:" + " ".join(name.splitlines()),
                   "X-WR-TIMEZONE:" + site.config.timezone.key])
    # RFC 5545: a VTIMEZONE for every zone the events name (UTC needs none), before them,
    # in one order whatever the process (not a set's, which changes from run to run).
    timezones = []
    if events:
        # Bounded to the years the events span: a small, stable file.
        first = date(min(e.start.year for e in events) - 1, 1, 1)
        last = date(max(d.ends.year for e in events for d in dates_of(site, e)) + 2, 1, 1)
        for tzid in sorted(set().union(*(pieces[id(e)][1] for e in events)) - {"UTC"}):
            if (tzid, first, last) not in zones:
                from icalendar import Timezone

                try:
                    zone = Timezone.from_tzid(tzid, first_date=first, last_date=last)
                    zones[tzid, first, last] = _ical(zone)
                except ValueError:  # a zone icalendar cannot describe is left out
                    zones[tzid, first, last] = b""
            timezones.append(zones[tzid, first, last])
    return b"".join([head, *timezones, *(pieces[id(e)][0] for e in events), _END])


def sitemap(pages: list[Page], site: Site, urls: Urls, memo: Memo | None = None) -> Output:
    """sitemap.xml listing every page search engines may index, with last-modified dates
    where known. With a memo (the one pages were planned with), a page planned last time
    keeps its entry."""
    entries = [memo.get(("sitemap", id(page)), (page,), lambda p=page: _sitemap_entry(p, urls))
               if memo else _sitemap_entry(page, urls) for page in pages]
    return Output(urls.output_path(urls.sitemap()), "".join([
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n', *entries,
        "</urlset>\n"]).encode("utf-8"))


def _sitemap_entry(page: Page, urls: Urls) -> str:
    if page.context["meta"].noindex:  # the 404 and search pages
        return ""
    article = page.context.get("article")
    lastmod = f"    <lastmod>{timefmt.iso(article.updated or article.date)}</lastmod>\n" \
        if isinstance(article, Article) else ""
    location = html.escape(urls.absolute(page.url), quote=False)
    return f"  <url><loc>{location}</loc>\n{lastmod}  </url>\n"


def robots(urls: Urls) -> Output:
    """robots.txt that allows everything and names the sitemap."""
    text = f"User-agent: *\nAllow: /\n\nSitemap: {urls.absolute(urls.sitemap())}\n"
    return Output(urls.output_path(urls.robots()), text.encode("utf-8"))
