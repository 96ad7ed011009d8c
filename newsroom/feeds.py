"""Feeds, calendars, sitemap and robots.txt: the files machines read."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from urllib.parse import urljoin
from xml.sax.saxutils import escape

from feedgen.feed import FeedGenerator
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from newsroom import __version__, timefmt
from newsroom.cache import digest
from newsroom.content import Article, Event
from newsroom.markup import rewrite_urls
from newsroom.output import Output
from newsroom.pages import Page, Urls, article_summary, event_summary, feed_id
from newsroom.site import Site
from newsroom.workers import parallel_map

ICS_STATUS = {"scheduled": "CONFIRMED", "cancelled": "CANCELLED", "postponed": "TENTATIVE",
              "rescheduled": "CONFIRMED", "moved-online": "CONFIRMED"}
PRODID = f"-//newsroom//newsroom {__version__}//EN"


def absolute_html(fragment: str, page_url: str) -> str:
    """The HTML with every link and image made absolute against the page's own URL."""
    return rewrite_urls(fragment, lambda url: urljoin(page_url, url))


def news_feeds(site: Site, urls: Urls) -> list[Output]:
    """RSS 2.0 and Atom of the latest articles, and an RSS feed per category."""
    config = site.config
    latest = site.articles[:config.feed_limit]
    outputs = [
        Output(urls.output_path(urls.feed()),
               _feed(site, urls, latest, config.title, urls.feed(), urls.home()).rss_str(
                   pretty=True)),
        Output(urls.output_path(urls.atom()),
               _feed(site, urls, latest, config.title, urls.atom(), urls.home()).atom_str(
                   pretty=True)),
    ]
    for term in site.categories:
        generator = _feed(site, urls, term.articles[:config.feed_limit],
                          f"{config.title}: {term.name}", urls.category_feed(term),
                          urls.category(term))
        outputs.append(Output(urls.output_path(urls.category_feed(term)),
                              generator.rss_str(pretty=True)))
    return outputs


def _feed(site: Site, urls: Urls, articles: Sequence[Article], title: str, self_url: str,
          page_url: str) -> FeedGenerator:
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
    newest = max((a.updated or a.date for a in articles), default=_epoch(site))
    generator.updated(newest)
    generator.lastBuildDate(newest)
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


def _epoch(site: Site) -> datetime:
    return datetime(2000, 1, 1, tzinfo=site.config.timezone)


def calendar_keys(site: Site, urls: Urls) -> dict[str, str]:
    """The path of every calendar and a key of what it is made from (not its bytes: the
    DTSTAMP says when it was made, so an unchanged calendar keeps its file and its stamp)."""
    common = digest(__version__, site.config.fingerprint)
    keys = {urls.output_path(urls.calendar()): digest(common, *(e.fingerprint
                                                                for e in site.events))}
    for event in site.events:
        keys[urls.output_path(urls.event_ics(event))] = digest(common, event.fingerprint)
    return keys


def calendars(site: Site, urls: Urls, only: set[str] | None = None,
              jobs: int = 1) -> dict[str, bytes]:
    """events/calendar.ics with every event, and one .ics per event (or those in `only`),
    made over `jobs` processes when there are many."""
    everything = urls.output_path(urls.calendar())
    wanted: list[tuple[str, int | None]] = [(everything, None)]
    wanted += [(urls.output_path(urls.event_ics(event)), index)
               for index, event in enumerate(site.events)]
    wanted = [(path, index) for path, index in wanted if only is None or path in only]
    made = parallel_map(_calendars_chunk, wanted, jobs, site, urls)
    return {path: data for (path, _), data in zip(wanted, made, strict=True)}


def _calendars_chunk(wanted: Sequence[tuple[str, int | None]], site: Site, urls: Urls
                     ) -> list[bytes]:
    return [_calendar(site, urls, site.events, f"{site.config.title}: "
                      f"{site.config.events_title}") if index is None else
            _calendar(site, urls, (site.events[index],), site.events[index].title)
            for _, index in wanted]


def _calendar(site: Site, urls: Urls, events: Sequence[Event], name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", site.config.timezone.key)
    stamp = site.now.astimezone(UTC).replace(microsecond=0)
    for event in events:
        calendar.add_component(_vevent(event, urls, stamp))
    if events:
        # Bound the generated VTIMEZONE to the years the events span: a small, stable file.
        calendar.add_missing_timezones(
            first_date=date(min(e.start.year for e in events) - 1, 1, 1),
            last_date=date(max(e.ends.year for e in events) + 2, 1, 1))
    return calendar.to_ical()


def _vevent(event: Event, urls: Urls, stamp: datetime) -> CalendarEvent:
    item = CalendarEvent()
    item.add("uid", event.uid)
    item.add("dtstamp", stamp)
    if event.all_day:
        item.add("dtstart", event.start.date())
        item.add("dtend", event.ends.date())
    else:
        item.add("dtstart", event.start)
        if event.end is not None:  # without one, RFC 5545 reads the event as a moment
            item.add("dtend", event.end)
    item.add("summary", event.title)
    page = urls.absolute(urls.event(event))
    item.add("url", page)
    text = event_summary(event)
    details = [text, f"Organiser: {event.organiser}"]
    if event.online_url:
        details.append(f"Join online: {event.online_url}")
    if event.booking_url:
        details.append(f"Book: {event.booking_url}")
    details.append(f"Details: {page}")
    item.add("description", "\n\n".join(details))
    if event.location or event.online_url:
        item.add("location", event.location or event.online_url)
    item.add("status", ICS_STATUS[event.status])
    for tag in event.tags:
        item.add("categories", tag)
    return item


def sitemap(pages: list[Page], site: Site, urls: Urls) -> Output:
    """sitemap.xml listing every page search engines may index, with last-modified dates
    where known."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for page in pages:
        if page.context["meta"].noindex:  # the 404 and search pages
            continue
        lines.append(f"  <url><loc>{escape(urls.absolute(page.url))}</loc>")
        article = page.context.get("article")
        if isinstance(article, Article):
            lines.append(f"    <lastmod>{timefmt.iso(article.updated or article.date)}"
                         "</lastmod>")
        lines.append("  </url>")
    lines.append("</urlset>\n")
    return Output(urls.output_path(urls.sitemap()), "\n".join(lines).encode("utf-8"))


def robots(urls: Urls) -> Output:
    """robots.txt that allows everything and names the sitemap."""
    text = f"User-agent: *\nAllow: /\n\nSitemap: {urls.absolute(urls.sitemap())}\n"
    return Output(urls.output_path(urls.robots()), text.encode("utf-8"))
