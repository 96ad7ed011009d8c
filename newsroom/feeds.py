"""Feeds, calendars, sitemap and robots.txt: the files machines read."""

from __future__ import annotations

import html
import json
import mimetypes
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from functools import lru_cache, partial
from importlib import metadata
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from newsroom import __version__, history, timefmt
from newsroom.bulletin import IN_FEED, WITH_PAGES, Bulletin
from newsroom.cache import Memo, code_fingerprint, digest
from newsroom.content import Article, Asset, Correction, Event
from newsroom.i18n import Language
from newsroom.markup import renderer_settings, rewrite_urls
from newsroom.output import Output, asset_key
from newsroom.pages import (
    Page,
    Urls,
    article_summary,
    bulletin_heading,
    event_summary,
    feed_id,
    plan_redirects,
    share_image,
    status_label,
)
from newsroom.redirects import redirects_file
from newsroom.site import NEWS_WINDOW, Site, category_of, dates_of

if TYPE_CHECKING:
    from feedgen.feed import FeedGenerator

ICS_STATUS = {"scheduled": "CONFIRMED", "cancelled": "CANCELLED", "postponed": "TENTATIVE",
              "rescheduled": "CONFIRMED", "moved-online": "CONFIRMED"}
PRODID = f"-//newsroom//newsroom {__version__}//EN"


def absolute_html(fragment: str, page_url: str) -> str:
    """The HTML with every link and image made absolute against the page's own URL."""
    return rewrite_urls(fragment, lambda url: urljoin(page_url, url))


def plan_feeds(site: Site, urls: Urls) -> dict[str, tuple[str, Callable[[], bytes]]]:
    """The path of every feed, with a key of what it is made from and how to make it: a feed
    is made only when its key changed (an edit to an old article leaves the feeds as they
    are). Planned once a build: planning reads the events' files' dates from git."""
    common = _common_key(site)
    return {path: (digest(common, *parts), make)
            for path, (parts, make) in all_feeds(site, urls).items()}


def _common_key(site: Site) -> str:
    # What every feed and calendar is also made from: the config, the HTML of the records
    # (the Markdown renderer's settings and versions) and the libraries that write them.
    return digest(code_fingerprint(), site.config.fingerprint, renderer_settings(site.config),
                  _library_versions())


@lru_cache(maxsize=1)
def _library_versions() -> str:
    return repr([metadata.version(name) for name in ("feedgen", "icalendar", "lxml")])


# Feeds by path: what each is made from (its key's parts), and how to make it.
Made = dict[str, tuple[tuple[str, ...], Callable[[], bytes]]]


def all_feeds(site: Site, urls: Urls) -> Made:
    """Every feed by its path: what it is made from, and how to make it."""
    config = site.config
    images = _local_images(site)
    latest = site.articles[:config.feed_limit]
    news = _made_of(latest, images, site)
    made = _rss_and_atom(site, urls, images, latest, config.title, (),
                         (urls.feed(), urls.atom(), urls.home()))
    # (Its items name their share cards too, whose files carry a hash of what they show.)
    pictured = tuple(shown.url if (shown := share_image(a, site, urls)) else ""
                     for a in latest)
    made[urls.output_path(urls.json_feed())] = ((*news, *pictured), lambda: _json_feed(
        site, urls, latest, config.title, urls.json_feed(), urls.home()))
    for term in site.categories:
        articles = term.articles[:config.feed_limit]
        made[urls.output_path(urls.category_feed(term))] = (
            _made_of(articles, images, site),
            partial(_feed_bytes, site, urls, images, articles, f"{config.title}: {term.name}",
                    urls.category_feed(term), urls.category(term), False))
    for term in site.tags:
        made.update(_rss_and_atom(site, urls, images, term.articles[:config.feed_limit],
                                  f"{config.title}: {term.name}", (),
                                  (urls.tag_feed(term), urls.tag_atom(term), urls.tag(term))))
    made.update(_author_feeds(site, urls, images))
    if site.corrections:
        corrections = site.corrections[:config.feed_limit]
        made[urls.output_path(urls.corrections_feed())] = (
            tuple(digest(a.fingerprint, timefmt.iso(c.date), c.text) for a, c in corrections),
            lambda: _corrections_feed(site, urls, corrections))
    bulletins = site.bulletins[:IN_FEED]
    if bulletins:
        made[urls.output_path(urls.bulletin_feed())] = (
            tuple(digest(b.slug, *_made_of(b.articles, images), *_made_of(b.events, images))
                  for b in bulletins), lambda: _bulletin_feed(site, urls, bulletins))
    coming = site.upcoming_events[:config.feed_limit]
    # When each listing last changed dates its items: in the key, found once for both.
    changed = history.last_changed(config.root, {e.source for e in coming}, config.timezone)
    parts = (*_made_of(coming, images), *(timefmt.iso(m) for _, m in sorted(changed.items())))
    made[urls.output_path(urls.events_feed())] = (
        parts, lambda: _events_feed(site, urls, images, coming, changed))
    made[urls.output_path(urls.events_json_feed())] = (
        parts, lambda: _json_events_feed(site, urls, coming, changed))
    return made


def _rss_and_atom(site: Site, urls: Urls, images: dict[str, Asset],
                  articles: Sequence[Article], title: str, parts: tuple[str, ...],
                  addresses: tuple[str, str, str]) -> Made:
    """An RSS and an Atom feed of the articles: `addresses` are the RSS feed's, the Atom
    feed's and the page's they stand for; `parts`, what they are made from besides the
    articles."""
    rss, atom, page = addresses
    parts = (*parts, *_made_of(articles, images, site))
    return {urls.output_path(rss): (parts, partial(_feed_bytes, site, urls, images, articles,
                                                   title, rss, page, False)),
            urls.output_path(atom): (parts, partial(_feed_bytes, site, urls, images, articles,
                                                    title, atom, page, True))}


def _feed_bytes(site: Site, urls: Urls, images: dict[str, Asset], articles: Sequence[Article],
                title: str, self_url: str, page_url: str, atom: bool) -> bytes:
    generator = _feed(site, urls, images, articles, title, self_url, page_url, atom=atom)
    return generator.atom_str(pretty=True) if atom else generator.rss_str(pretty=True)


def _author_feeds(site: Site, urls: Urls, images: dict[str, Asset]) -> Made:
    """Each author's RSS and Atom feeds."""
    made: Made = {}
    for profile in site.profiles:
        author = profile.author
        made.update(_rss_and_atom(site, urls, images,
                                  profile.articles[:site.config.feed_limit],
                                  f"{site.config.title}: {author.name}", (author.fingerprint,),
                                  (urls.author_feed(author), urls.author_atom(author),
                                   urls.author(author))))
    return made


def _bulletin_feed(site: Site, urls: Urls, bulletins: Sequence[Bulletin]) -> bytes:
    """RSS of the bulletins, newest first, each item the bulletin whole (as RSS-to-e-mail
    services send it): its articles and the events coming when it was issued."""
    language = site.language
    generator = _channel(site, urls, f"{site.config.title}: "
                         f"{language.gettext('Bulletin')}", urls.bulletin_feed(),
                         urls.bulletin_latest(), bulletins[0].issued)
    for bulletin in reversed(bulletins):  # feedgen prepends
        entry = generator.add_entry()
        link = urls.absolute(urls.bulletin(bulletin))
        entry.guid(link, permalink=True)
        entry.title(bulletin_heading(bulletin, language))
        entry.link(href=link, rel="alternate")
        entry.published(bulletin.issued)
        entry.description(_bulletin_html(bulletin, site, urls), isSummary=False)
    return generator.rss_str(pretty=True)


def _bulletin_html(bulletin: Bulletin, site: Site, urls: Urls) -> str:
    """A bulletin as plain HTML, every address absolute: its articles with their summaries,
    then the coming events."""
    language = site.language
    parts = [f"<h2>{html.escape(site.config.news_title)}</h2>"] if bulletin.articles else []
    parts += [f'<h3><a href="{html.escape(urls.absolute(urls.article(a)))}">'
              f"{html.escape(a.title)}</a></h3><p>{html.escape(article_summary(a))}</p>"
              for a in bulletin.articles]
    if bulletin.events:
        parts.append(f"<h2>{html.escape(language.gettext('Coming events'))}</h2><ul>")
        parts += [f'<li><a href="{html.escape(urls.absolute(urls.event(e)))}">'
                  f"{html.escape(_event_title(e, _when(e, language), language))}</a></li>"
                  for e in bulletin.events]
        parts.append("</ul>")
    return "\n".join(parts)


def _corrections_feed(site: Site, urls: Urls,
                      corrections: Sequence[tuple[Article, Correction]]) -> bytes:
    """RSS of the corrections, newest first: each links to its article's notice."""
    language = site.language
    title = language.gettext("Corrections")
    newest = corrections[0][1].date if corrections else _epoch(site)
    generator = _channel(site, urls, f"{site.config.title}: {title}", urls.corrections_feed(),
                         urls.corrections(), newest)
    for article, correction in reversed(corrections):  # feedgen prepends
        entry = generator.add_entry()
        link = urls.absolute(urls.article(article)) + "#nr-corrections"
        # (Two corrections of one day are told apart by their order.)
        same_day = [c for c in article.corrections if c.date == correction.date]
        order = f"-{same_day.index(correction) + 1}" if len(same_day) > 1 else ""
        entry.guid(f"{feed_id(article, urls)}#correction-{timefmt.iso(correction.date)}{order}",
                   permalink=False)
        entry.title(language.gettext("Correction: %(title)s") % {"title": article.title})
        entry.link(href=link, rel="alternate")
        entry.published(correction.date)
        entry.description(correction.text)
    return generator.rss_str(pretty=True)


def _local_images(site: Site) -> dict[str, Asset]:
    """The site's media files by the address an editor writes for them (/media/a.jpg): a
    picture's 1,200-wide size where newsroom made one (not an original of megabytes)."""
    made = {asset.url_path: asset for asset in site.pictures.files}
    images = {}
    for asset in site.assets:
        if asset.url_path.startswith("media/"):
            picture = site.pictures.by_path.get(asset.url_path)
            shown = picture.share if picture else None
            images["/" + asset.url_path] = made[shown.url_path] if shown else asset
    return images


def _made_of(records: Sequence[Article | Event], images: dict[str, Asset],
             site: Site | None = None) -> tuple[str, ...]:
    """What feed items are made from: each record, and the file of its lead image (whose
    size the enclosure gives); with the site, the profiles of the articles' authors (whose
    names the bylines show)."""
    parts = tuple(digest(r.fingerprint, asset_key(images[r.image]))
                  if r.image in images else r.fingerprint for r in records)
    if site is None:
        return parts
    named = {b.slug for r in records for b in site.bylines.get(r.slug, ()) if b.slug}
    return parts + tuple(p.author.fingerprint for p in site.profiles if p.author.slug in named)


def _enclose(entry: Any, record: Article | Event, images: dict[str, Asset], urls: Urls,
             atom: bool = False) -> None:
    """Attach the record's lead image to the feed item: an RSS enclosure, an Atom link
    rel="enclosure". Only a file of the site's own: RSS requires its size in bytes, which
    newsroom cannot know of a picture elsewhere."""
    asset = images.get(record.image or "")
    kind = mimetypes.guess_type(asset.url_path)[0] if asset else None
    if asset is None or kind is None or not kind.startswith("image/"):
        return
    try:
        size = asset.source.stat().st_size
    except OSError:  # (gone since it was listed: the next build will not list it)
        return
    image = (urls.absolute(urls.asset(asset.url_path)), str(size), kind)
    if atom:
        entry.image_enclosure.image = image
    else:
        entry.enclosure(*image)


class _AtomEnclosure:
    """A feedgen entry extension (its published extension API; registered for Atom only, so
    feedgen calls only extend_atom) that writes an Atom entry's lead image as
    <link rel="enclosure" href type length>. feedgen 1.0 writes the link
    FeedEntry.enclosure makes without its rel, type and length: a second alternate link,
    which makes the entry invalid Atom."""

    def __init__(self) -> None:
        self.image: tuple[str, str, str] | None = None

    def extend_atom(self, entry: Any) -> Any:
        if self.image:
            from lxml import etree

            url, length, kind = self.image
            etree.SubElement(entry, "link", rel="enclosure", href=url, type=kind,
                             length=length)
        return entry


class _Hub:
    """A feedgen feed extension (its published extension API; registered for RSS only, as
    Atom has links of its own) that names the feed's WebSub hub, <atom:link rel="hub">,
    before the items: feedgen writes only the self link so in RSS."""

    def __init__(self) -> None:
        self.url = ""

    def extend_ns(self) -> dict[str, str]:
        return {}

    def extend_rss(self, feed: Any) -> Any:
        from lxml import etree

        channel = feed.find("channel")
        first_item = channel.find("item")
        link = etree.Element("{http://www.w3.org/2005/Atom}link", rel="hub", href=self.url)
        if first_item is None:
            channel.append(link)
        else:
            first_item.addprevious(link)
        return feed


def _channel(site: Site, urls: Urls, title: str, self_url: str, page_url: str,
             updated: datetime) -> FeedGenerator:
    # feedgen and icalendar (with lxml) are imported when a feed or calendar is made: most
    # rebuilds make none.
    from feedgen.ext.base import BaseExtension
    from feedgen.feed import FeedGenerator

    config = site.config
    generator = FeedGenerator()
    # dc:creator names authors in RSS, whose <author> must be an e-mail address; Atom has
    # <author><name> of its own.
    generator.load_extension("dc", atom=False, rss=True)
    # (Its feed-level half adds nothing: feedgen's own base extension.)
    generator.register_extension("image_enclosure", BaseExtension, _AtomEnclosure,
                                 atom=True, rss=False)
    generator.id(urls.absolute(page_url))
    generator.title(title)
    generator.subtitle(config.description or title)
    generator.language(config.language)
    generator.generator("newsroom", __version__)
    generator.author({"name": config.publisher})
    # feedgen takes RSS <link> from the last link given: the self link must come first.
    generator.link(href=urls.absolute(self_url), rel="self")
    if config.websub_hub:
        from feedgen.ext.base import BaseEntryExtension

        generator.link(href=config.websub_hub, rel="hub")  # (written in Atom only)
        generator.register_extension("websub", _Hub, BaseEntryExtension, atom=False, rss=True)
        generator.websub.url = config.websub_hub
    generator.link(href=urls.absolute(page_url), rel="alternate")
    if config.copyright:
        generator.rights(config.copyright)
    # The newest change, not the clock, dates the feed: an unchanged site gives the same bytes.
    generator.updated(updated)
    generator.lastBuildDate(updated)
    return generator


def _feed(site: Site, urls: Urls, images: dict[str, Asset], articles: Sequence[Article],
          title: str, self_url: str, page_url: str, atom: bool = False) -> FeedGenerator:
    config = site.config
    newest = max((a.modified or a.date for a in articles), default=_epoch(site))
    generator = _channel(site, urls, title, self_url, page_url, newest)
    for article in reversed(articles):  # feedgen prepends; this keeps newest first
        entry = generator.add_entry()
        link = urls.absolute(urls.article(article))
        entry.id(feed_id(article, urls))
        entry.guid(feed_id(article, urls), permalink=article.guid is None)
        entry.title(article.title)
        entry.link(href=link, rel="alternate")
        for byline in site.bylines.get(article.slug, ()):
            entry.author({"name": byline.name, **(
                {"uri": urls.absolute(urls.author(byline))} if byline.slug else {})})
            entry.dc.dc_creator(byline.name)
        entry.published(article.date)
        # A correction moves the entry's date, so that feed readers show the article again.
        entry.updated(article.modified or article.date)
        entry.description(article_summary(article), isSummary=True)
        if article.category:
            entry.category({"term": article.category})
        for tag in article.tags:
            entry.category({"term": tag})
        if config.feed_full_content:
            entry.content(absolute_html(article.html, link), type="html")
        _enclose(entry, article, images, urls, atom)
    return generator


def _events_feed(site: Site, urls: Urls, images: dict[str, Asset], coming: Sequence[Event],
                 changed: dict[str, datetime]) -> bytes:
    """RSS of the upcoming events (each date of a repeating one), soonest first: a cancelled
    one stays, marked, until it would have ended."""
    config, language = site.config, site.language
    # The feed says when it was made; each item, when its listing last changed.
    generator = _channel(site, urls, f"{config.title}: {config.events_title}",
                         urls.events_feed(), urls.events(), _built(site))
    for event in reversed(coming):  # feedgen prepends; this keeps the soonest first
        entry = generator.add_entry()
        when = _when(event, language)
        entry.guid(event_id(event), permalink=False)
        entry.title(_event_title(event, when, language))
        entry.link(href=urls.absolute(urls.event(event)), rel="alternate")
        entry.published(changed[event.source])
        where = event.location or (language.gettext("Online") if event.online_url else "")
        status = status_label(event, language)
        entry.description(". ".join(part for part in (
            status, when, where, event_summary(event, language)) if part))
        if event.category:
            entry.category({"term": event.category})
        for tag in event.tags:
            entry.category({"term": tag})
        _enclose(entry, event, images, urls)
    return generator.rss_str(pretty=True)


JSON_FEED = "https://jsonfeed.org/version/1.1"


def _json_document(site: Site, urls: Urls, title: str, self_url: str, page_url: str,
                   items: list[dict[str, Any]]) -> bytes:
    """A JSON Feed 1.1 of the items."""
    config = site.config
    feed: dict[str, Any] = {
        "version": JSON_FEED, "title": title, "home_page_url": urls.absolute(page_url),
        "feed_url": urls.absolute(self_url), "description": config.description or title,
        "language": config.language, "authors": [{"name": config.publisher}]}
    if config.websub_hub:
        feed["hubs"] = [{"type": "WebSub", "url": config.websub_hub}]
    feed["items"] = items
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _json_feed(site: Site, urls: Urls, articles: Sequence[Article], title: str,
               self_url: str, page_url: str) -> bytes:
    """JSON Feed of the articles, newest first: each item as the RSS and Atom ones."""
    return _json_document(site, urls, title, self_url, page_url,
                          [_json_article(site, urls, article) for article in articles])


def _json_article(site: Site, urls: Urls, article: Article) -> dict[str, Any]:
    link = urls.absolute(urls.article(article))
    summary = article_summary(article)
    item: dict[str, Any] = {"id": feed_id(article, urls), "url": link, "title": article.title}
    if site.config.feed_full_content:
        item["content_html"] = absolute_html(article.html, link)
    else:
        item["content_text"] = summary
    item.update({
        "summary": summary, "date_published": timefmt.iso(article.date),
        "date_modified": timefmt.iso(article.modified or article.date),
        "tags": [*category_of(article), *article.tags], "language": site.config.language})
    authors = [{"name": b.name, **({"url": urls.absolute(urls.author(b))} if b.slug else {})}
               for b in site.bylines.get(article.slug, ())]
    if authors:  # (one or more, or none at all)
        item["authors"] = authors
    return _with_image(item, article, site, urls)


def _with_image(item: dict[str, Any], record: Article | Event, site: Site,
                urls: Urls) -> dict[str, Any]:
    """The item with its record's picture (or share card), when it has one."""
    image = share_image(record, site, urls)
    if image is not None:
        item["image"] = image.url
    return item


def _json_events_feed(site: Site, urls: Urls, coming: Sequence[Event],
                      changed: dict[str, datetime]) -> bytes:
    """JSON Feed of the upcoming events, soonest first, as the RSS one; each item's
    `_event` says when and where, for software that reads it."""
    config, language = site.config, site.language
    items = []
    for event in coming:
        link = urls.absolute(urls.event(event))
        when = _when(event, language)
        summary = event_summary(event, language)
        item: dict[str, Any] = {"id": event_id(event), "url": link,
                                "title": _event_title(event, when, language)}
        if event.html:
            item["content_html"] = absolute_html(event.html, link)
        else:
            item["content_text"] = summary
        item.update({
            "summary": summary, "date_published": timefmt.iso(changed[event.source]),
            "date_modified": timefmt.iso(changed[event.source]),
            "tags": [*category_of(event), *event.tags], "language": config.language,
            "_event": {"start": timefmt.iso(event.start), "end": timefmt.iso(event.ends),
                       "all_day": event.all_day, "status": event.status,
                       "location": event.location or event.online_url or ""}})
        items.append(_with_image(item, event, site, urls))
    return _json_document(site, urls, f"{config.title}: {config.events_title}",
                          urls.events_json_feed(), urls.events(), items)


def event_id(event: Event) -> str:
    """An event's id in feeds: its UID; a repeating event's dates are told apart by their
    start."""
    return f"{event.uid}/{timefmt.iso(event.start)}" if event.rrule else event.uid


def _when(event: Event, language: Language) -> str:
    return timefmt.event_range(event.start, event.end, event.all_day, language)


def _event_title(event: Event, when: str, language: Language) -> str:
    """'Members' evening: 3 March 2027', or 'Cancelled: Members' evening: ...'."""
    status = status_label(event, language)
    return f"{status}: {event.title}: {when}" if status else f"{event.title}: {when}"


def _built(site: Site) -> datetime:
    """The build's time, to the second, as feeds give it."""
    return site.now.astimezone(site.config.timezone).replace(microsecond=0)


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
    those in `only`), written by icalendar.

    An event sits in up to three calendars (its own, its categories', all events), and a
    time zone in many: icalendar writes each VEVENT and VTIMEZONE once, and each calendar
    is its own header with those written parts put in (see _calendar).
    """
    contents = _calendar_contents(site, urls)
    wanted = [path for path in contents if only is None or path in only]
    stamp = site.now.astimezone(UTC).replace(microsecond=0)
    language = site.language
    vevents: dict[int, tuple[bytes, frozenset[str]]] = {}
    zones: dict[tuple[str, date, date], bytes] = {}
    made = {}
    for path in wanted:
        events, name = contents[path]
        for event in events:
            if id(event) not in vevents:
                vevents[id(event)] = _written_vevent(_vevent(event, urls, stamp, language))
        made[path] = _calendar(site, events, name, [vevents[id(e)] for e in events], zones)
    return made


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


def _vevent(event: Event, urls: Urls, stamp: datetime, language: Language) -> Any:
    """The event as an icalendar VEVENT."""
    from icalendar import Event as CalendarEvent
    from icalendar import vRecur

    item = CalendarEvent()
    item.add("summary", event.title)
    if event.all_day:
        item.add("dtstart", event.start.date())
        item.add("dtend", event.ends.date())
    else:
        item.add("dtstart", event.start)
        if event.end is not None:  # without one, RFC 5545 reads the event as a moment
            item.add("dtend", event.end)
    item.add("dtstamp", stamp)
    item.add("uid", event.uid)
    # Calendar apps update an event they hold only when this is higher than theirs.
    item.add("sequence", event.sequence)
    if event.rrule:
        item.add("rrule", vRecur.from_ical(event.rrule))
        if event.skipped:
            days = [date.fromisoformat(day) for day in event.skipped]
            item.add("exdate", days if event.all_day else [
                datetime.combine(day, event.start.timetz()) for day in days])
    names = ((event.category,) if event.category else ()) + event.tags
    if names:
        item.add("categories", list(names))
    page = urls.absolute(urls.event(event))
    item.add("description", event_details(event, page, language))
    if event.location or event.online_url:
        item.add("location", event.location or event.online_url)
    item.add("status", ICS_STATUS[event.status])
    item.add("url", page)
    return item


def event_details(event: Event, page: str, language: Language) -> str:
    """An event's DESCRIPTION in calendars: its summary, organiser, addresses and page."""
    details = [event_summary(event, language),
               language.gettext("Organiser: %(name)s") % {"name": event.organiser}]
    if event.online_url:
        details.append(language.gettext("Join online: %(url)s") % {"url": event.online_url})
    if event.booking_url:
        details.append(language.gettext("Book: %(url)s") % {"url": event.booking_url})
    details.append(language.gettext("Details: %(url)s") % {"url": page})
    return "\n\n".join(details)


def _written_vevent(vevent: Any) -> tuple[bytes, frozenset[str]]:
    """The VEVENT as icalendar writes it, and the time zones (TZIDs) it names."""
    from icalendar import Calendar

    alone = Calendar()
    alone.add_component(vevent)
    return vevent.to_ical(), frozenset(alone.get_missing_tzids())


_END = b"END:VCALENDAR\r\n"


def _calendar(site: Site, events: Sequence[Event], name: str,
              vevents: list[tuple[bytes, frozenset[str]]],
              zones: dict[tuple[str, date, date], bytes]) -> bytes:
    """The calendar as icalendar writes it: its header and properties, its VTIMEZONEs, its
    VEVENTs, then END. Component.to_ical writes a component's subcomponents one after
    another, each as its own to_ical() would, so the parts written once are put in whole
    (tests/test_calendars.py reads each calendar back and has icalendar write it whole: the
    same bytes).
    The parts written once save two thirds of a cold build's calendar time, 0.3 s at 5,000
    articles (docs/performance.md)."""
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # The name as calendar apps show it, on one line: a title's line breaks are spaces.
    calendar.add("x-wr-calname", " ".join(name.splitlines()))
    calendar.add("x-wr-timezone", site.config.timezone.key)
    header = calendar.to_ical()
    parts = []
    if events:
        # RFC 5545: a VTIMEZONE for every zone the events name (UTC needs none), before them,
        # in one order whatever the process; bounded to the years the events span.
        first = date(min(e.start.year for e in events) - 1, 1, 1)
        last = date(max(d.ends.year for e in events for d in dates_of(site, e)) + 2, 1, 1)
        tzids = sorted(frozenset().union(*(tzids for _, tzids in vevents)))
        parts = [zone for tzid in tzids if (zone := _timezone(tzid, first, last, zones))]
    return b"".join([header[:-len(_END)], *parts, *(data for data, _ in vevents), _END])


def _timezone(tzid: str, first: date, last: date,
              made: dict[tuple[str, date, date], bytes]) -> bytes:
    """The VTIMEZONE of `tzid` over those years, as icalendar writes it (empty for a zone
    icalendar cannot describe), made once a build."""
    from icalendar import Timezone

    if (tzid, first, last) not in made:
        try:
            made[tzid, first, last] = Timezone.from_tzid(tzid, first_date=first,
                                                         last_date=last).to_ical()
        except ValueError:
            made[tzid, first, last] = b""
    return made[tzid, first, last]


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
    meta = page.context["meta"]
    # Not the 404, search and redirect pages, nor a page whose address is another's copy.
    if meta.noindex or meta.canonical != urls.absolute(page.url):
        return ""
    changed = _last_modified(page)
    lastmod = f"    <lastmod>{timefmt.iso(changed)}</lastmod>\n" if changed else ""
    location = html.escape(urls.absolute(page.url), quote=False)
    return f"  <url><loc>{location}</loc>\n{lastmod}  </url>\n"


def _last_modified(page: Page) -> datetime | None:
    """When what a page shows last changed, as far as its articles tell: an article's page,
    its last change; a list's, its newest article's. None for a page no article dates."""
    context = page.context
    pagination = context.get("pagination")
    shown = [context.get("article"), context.get("lead"), *context.get("articles", ()),
             *(pagination.items if pagination else ())]
    moments = [a.modified or a.date for a in shown if isinstance(a, Article)]
    return max(moments, default=None)


# Google News reads at most 1,000 articles (those of the last two days: site.NEWS_WINDOW).
NEWS_LIMIT = 1000


def news_sitemap(site: Site, urls: Urls) -> tuple[Output, ...]:
    """news-sitemap.xml, as Google News reads it: the articles of the last two days, each
    with the publication's name and language, its date and title; none when there are no
    such articles (a sitemap lists at least one address)."""
    recent = [a for a in site.articles if a.date > site.now - NEWS_WINDOW][:NEWS_LIMIT]
    if not recent:
        return ()
    name = html.escape(site.config.title, quote=False)
    language = _news_language(site.config.language)
    entries = [
        f"  <url>\n    <loc>{html.escape(urls.absolute(urls.article(a)), quote=False)}</loc>\n"
        f"    <news:news>\n      <news:publication>\n        <news:name>{name}</news:name>\n"
        f"        <news:language>{language}</news:language>\n      </news:publication>\n"
        f"      <news:publication_date>{timefmt.iso(a.date)}</news:publication_date>\n"
        f"      <news:title>{html.escape(a.title, quote=False)}</news:title>\n"
        "    </news:news>\n  </url>\n" for a in recent]
    return (Output(urls.output_path(urls.news_sitemap()), "".join([
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"\n'
        '        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n', *entries,
        "</urlset>\n"]).encode("utf-8")),)


def _news_language(tag: str) -> str:
    """The language as Google News names it: ISO 639 ('en', 'fr'), but zh-cn and zh-tw."""
    lower = tag.lower()
    if lower.startswith("zh"):
        return "zh-tw" if any(part in lower for part in ("-tw", "-hk", "-hant")) else "zh-cn"
    return lower.split("-")[0]


def redirects(site: Site, urls: Urls) -> tuple[Output, ...]:
    """_redirects, for hosts that redirect by it (Netlify, Cloudflare Pages): the redirect
    pages' addresses and where they lead, and a bulletin older than those with pages to the
    latest; none when the site has no redirects."""
    found = plan_redirects(site, urls)
    rest = (urls.bulletin_latest().replace("latest/", "*"), urls.bulletin_latest()) \
        if len(site.bulletins) > WITH_PAGES else None
    if not found and rest is None:
        return ()
    return (redirects_file(found, urls.output_path(urls.redirects()), rest),)


def robots(urls: Urls, news: bool = False) -> Output:
    """robots.txt that allows everything and names the sitemap (and the news sitemap, when
    there is one)."""
    text = f"User-agent: *\nAllow: /\n\nSitemap: {urls.absolute(urls.sitemap())}\n"
    if news:
        text += f"Sitemap: {urls.absolute(urls.news_sitemap())}\n"
    return Output(urls.output_path(urls.robots()), text.encode("utf-8"))
