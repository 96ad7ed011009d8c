"""Planning pages: the one place that decides every URL and what each page shows."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property, lru_cache
from typing import Any
from urllib.parse import quote, unquote, urlencode, urljoin, urlsplit

from newsroom import recurrence, timefmt
from newsroom.bulletin import WITH_PAGES, Bulletin
from newsroom.cache import Memo
from newsroom.config import SiteConfig
from newsroom.content import Article, Author, Event, StaticPage
from newsroom.i18n import Language
from newsroom.images import CardText
from newsroom.markup import first_paragraph_text, under_base
from newsroom.problems import BuildError, Problem
from newsroom.redirects import Redirect, check_redirects, site_redirects
from newsroom.site import (
    Byline,
    EventTerm,
    Profile,
    Site,
    Term,
    TermRef,
    dates_of,
    is_upcoming,
)
from newsroom.slugs import term_slug

EVENT_STATUS_SCHEMA = {
    "scheduled": "EventScheduled",
    "cancelled": "EventCancelled",
    "postponed": "EventPostponed",
    "rescheduled": "EventRescheduled",
    "moved-online": "EventMovedOnline",
}


# Addresses are made tens of thousands of times a build (every link to an article, every
# canonical and feed address): each slug is quoted once, and a root-relative address made
# absolute by joining strings. Measured: a cold build at 5,000 articles with two workers,
# median of five, 4.25 s without these two, 3.96 s with them.
@lru_cache(maxsize=65536)
def _segment(part: str) -> str:
    return quote(part, safe="") + "/"


@dataclass(frozen=True)
class Urls:
    """Every address on the site. Paths are root-relative and include the base path."""

    base_url: str
    base_path: str

    def _path(self, *parts: str) -> str:
        return self.base_path + "".join(map(_segment, parts))

    @cached_property
    def origin(self) -> str:
        """'https://news.example.org': the base URL without its path."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    def absolute(self, url: str) -> str:
        """An absolute URL for feeds, sitemaps, canonical and OpenGraph links."""
        if url.startswith("/") and not url.startswith("//"):
            return self.origin + url
        return urljoin(self.base_url, url)

    def site_link(self, url: str) -> str:
        """A link written by an editor (menu, image): root-relative ones get the base path."""
        return under_base(url, self.base_path)

    def home(self) -> str:
        """The home page."""
        return self.base_path

    def _paged(self, parts: tuple[str, ...], number: int) -> str:
        return self._path(*parts) if number <= 1 else self._path(*parts, "page", str(number))

    def news(self, number: int = 1) -> str:
        """The news index, page `number`."""
        return self._paged(("news",), number)

    def article(self, article: Article) -> str:
        """An article's page."""
        return self._path("news", article.slug)

    def categories(self) -> str:
        """The index of every category."""
        return self._path("category")

    def tags(self) -> str:
        """The index of every tag."""
        return self._path("tag")

    def category(self, term: Term | TermRef, number: int = 1) -> str:
        """A category's page of articles."""
        return self._paged(("category", term.slug), number)

    def category_feed(self, term: Term | TermRef) -> str:
        """A category's RSS feed."""
        return self._path("category", term.slug) + "feed.xml"

    def tag(self, term: Term | TermRef, number: int = 1) -> str:
        """A tag's page of articles."""
        return self._paged(("tag", term.slug), number)

    def tag_feed(self, term: Term | TermRef) -> str:
        """A tag's RSS feed."""
        return self._path("tag", term.slug) + "feed.xml"

    def tag_atom(self, term: Term | TermRef) -> str:
        """A tag's Atom feed."""
        return self._path("tag", term.slug) + "atom.xml"

    def year(self, year: int) -> str:
        """A yearly archive."""
        return self._path("archive", str(year))

    def events(self, number: int = 1) -> str:
        """The events index, page `number`."""
        return self._paged(("events",), number)

    def event(self, event: Event) -> str:
        """An event's page."""
        return self._path("events", event.slug)

    def event_ics(self, event: Event) -> str:
        """An event's own calendar file, for 'add to calendar'."""
        return self._path("events", event.slug) + quote(event.slug, safe="") + ".ics"

    def calendar(self) -> str:
        """The calendar of every event."""
        return self.base_path + "events/calendar.ics"

    def category_calendar(self, term: EventTerm) -> str:
        """The calendar of the events in one category."""
        return self._path("events", "category", term.slug) + "calendar.ics"

    def events_feed(self) -> str:
        """The RSS feed of upcoming events, soonest first."""
        return self.base_path + "events/feed.xml"

    def webcal(self, url: str) -> str:
        """A calendar's address for subscribing: calendar apps open webcal:// links."""
        return "webcal://" + self.absolute(url).split("://", 1)[1]

    def page(self, page: StaticPage) -> str:
        """A static page."""
        return self._path(page.slug)

    def search(self) -> str:
        """The search page."""
        return self._path("search")

    def authors(self) -> str:
        """The index of every author with a profile."""
        return self._path("authors")

    def author(self, author: Author | Byline, number: int = 1) -> str:
        """An author's page of articles."""
        assert author.slug is not None
        return self._paged(("authors", author.slug), number)

    def author_feed(self, author: Author) -> str:
        """An author's RSS feed."""
        return self._path("authors", author.slug) + "feed.xml"

    def author_atom(self, author: Author) -> str:
        """An author's Atom feed."""
        return self._path("authors", author.slug) + "atom.xml"

    def corrections(self, number: int = 1) -> str:
        """The list of every correction, newest first."""
        return self._paged(("corrections",), number)

    def corrections_feed(self) -> str:
        """The RSS feed of corrections."""
        return self._path("corrections") + "feed.xml"

    def bulletin(self, bulletin: Bulletin) -> str:
        """A bulletin's web version."""
        return self._path("bulletin", bulletin.slug)

    def bulletin_latest(self) -> str:
        """The latest bulletin's web version, at an address that stays."""
        return self._path("bulletin", "latest")

    def bulletin_feed(self) -> str:
        """The RSS feed of bulletins, for RSS-to-e-mail services."""
        return self._path("bulletin") + "feed.xml"

    def redirects(self) -> str:
        """The redirects file of Netlify and Cloudflare Pages (meaningful at the root)."""
        return self.base_path + "_redirects"

    def feed(self) -> str:
        """The RSS feed of the latest articles."""
        return self.base_path + "feed.xml"

    def atom(self) -> str:
        """The Atom feed of the latest articles."""
        return self.base_path + "atom.xml"

    def json_feed(self) -> str:
        """The JSON Feed of the latest articles."""
        return self.base_path + "feed.json"

    def events_json_feed(self) -> str:
        """The JSON Feed of upcoming events, soonest first."""
        return self.base_path + "events/feed.json"

    def news_sitemap(self) -> str:
        """The Google News sitemap: the articles of the last two days."""
        return self.base_path + "news-sitemap.xml"

    def asset(self, url_path: str) -> str:
        """A copied file: 'static/style.css' or 'media/photo.jpg'."""
        return self.base_path + quote(url_path)

    def not_found(self) -> str:
        """The 404 page."""
        return self.base_path + "404.html"

    def sitemap(self) -> str:
        """The sitemap."""
        return self.base_path + "sitemap.xml"

    def robots(self) -> str:
        """robots.txt (meaningful only at the host's root)."""
        return self.base_path + "robots.txt"

    def output_path(self, url: str) -> str:
        """The file, relative to the output folder, that serves `url`."""
        relative = unquote(url[len(self.base_path):])
        return relative + "index.html" if relative == "" or relative.endswith("/") else relative


@dataclass(frozen=True)
class Meta:
    """What the <head> says about a page: title, description, canonical, social and JSON-LD."""

    title: str
    description: str
    canonical: str
    og_type: str = "website"
    image: str | None = None
    image_alt: str = ""
    image_size: tuple[int, int] | None = None  # the image's width and height, when known
    published: str | None = None
    modified: str | None = None
    jsonld: dict[str, Any] = field(default_factory=dict)
    alternates: tuple[tuple[str, str, str], ...] = ()
    noindex: bool = False


@dataclass(frozen=True)
class Link:
    """A link to another page: its title and address."""

    title: str
    url: str


@dataclass(frozen=True)
class TermEntry:
    """A category or tag as an index of them shows it: its name, address, number of
    articles and (a declared category's) description."""

    name: str
    url: str
    count: int
    description: str = ""


@dataclass(frozen=True)
class Pagination:
    """One page of a paginated list, with the addresses of its neighbours."""

    number: int
    total: int
    items: tuple[Any, ...]
    prev_url: str | None
    next_url: str | None
    # Page numbers to link to: the first, the last and two either side of this one, with
    # (0, "") where numbers are left out (shown as an ellipsis).
    numbers: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class Page:
    """A page to render: its URL, its template, what it shows, and the file it comes from."""

    url: str
    template: str
    context: dict[str, Any]
    source: str | None = None


def site_urls(site: Site) -> Urls:
    """The Urls for a site's configuration."""
    return Urls(site.config.base_url, site.config.base_path)


@dataclass(frozen=True)
class MetaMaker:
    """Makes a page's Meta: a CollectionPage, described as the site is, unless the page
    says otherwise; every page also links the site's feeds and calendar."""

    urls: Urls
    config: SiteConfig
    alternates: tuple[tuple[str, str, str], ...]
    language: Language  # for the titles pages are given

    def numbered(self, title: str, number: int) -> str:
        """A list's title, with the page's number after the first page."""
        if number <= 1:
            return title
        return self.language.gettext("%(title)s (page %(number)s)") % {
            "title": title, "number": number}

    def __call__(self, title: str, url: str, description: str = "", **extra: Any) -> Meta:
        urls, config = self.urls, self.config
        jsonld = extra.pop("jsonld", None) or {
            "@context": "https://schema.org", "@type": "CollectionPage", "name": title,
            "url": urls.absolute(url), "isPartOf": {"@type": "WebSite", "name": config.title,
                                                    "url": config.base_url}}
        return Meta(title=title, description=description or config.description,
                    canonical=urls.absolute(url), jsonld=jsonld,
                    alternates=extra.pop("alternates", ()) + self.alternates, **extra)


def meta_maker(config: SiteConfig, urls: Urls, language: Language) -> MetaMaker:
    """The MetaMaker of a site: its feeds and calendar are every page's alternates."""
    return MetaMaker(urls, config, (
        ("application/rss+xml", f"{config.title} (RSS)", urls.feed()),
        ("application/atom+xml", f"{config.title} (Atom)", urls.atom()),
        ("application/feed+json", f"{config.title} (JSON Feed)", urls.json_feed()),
        ("application/rss+xml", f"{config.title}: {config.events_title} (RSS)",
         urls.events_feed()),
        ("application/feed+json", f"{config.title}: {config.events_title} (JSON Feed)",
         urls.events_json_feed()),
        ("text/calendar", f"{config.title}: {config.events_title}", urls.calendar()),
    ), language)


def plan_pages(site: Site, memo: Memo | None = None) -> list[Page]:
    """Every HTML page of the site, in a stable order.

    With a memo (the preview's), an article, event or list page whose inputs are the very
    objects it was planned from last time is that same page: only what a change touched is
    planned again.
    """
    urls = site_urls(site)
    config = site.config
    memo = memo or Memo()
    memo.begin((config.fingerprint, urls, site.pictures.fingerprint))
    meta = meta_maker(config, urls, site.language)
    pages = [_home_page(site, urls, meta)]
    pages += _news_pages(site, urls, meta, memo)
    pages += _article_pages(site, urls, meta, memo)
    pages += _category_pages(site, urls, meta, memo)
    pages += _tag_pages(site, urls, meta, memo)
    pages += _term_index_pages(site, urls, meta)
    pages += _year_pages(site, urls, meta)
    pages += _events_list_pages(site, urls, meta)
    pages += _event_pages(site, urls, meta, memo)
    pages += _author_pages(site, urls, meta, memo)
    pages += _corrections_pages(site, urls, meta)
    pages += _bulletin_pages(site, urls, meta)
    # Before the pages, so that a page at /search/ is the one told to move.
    pages += _search_pages(config, urls, meta)
    pages += _static_pages(site, urls, meta)
    pages.append(_not_found_page(urls, meta))
    _check_unique_urls(pages, site, urls)
    return pages + redirect_pages(site, urls, meta, pages)


def _home_page(site: Site, urls: Urls, meta: MetaMaker) -> Page:
    config = site.config
    jsonld = {"@context": "https://schema.org", "@type": "WebSite", "name": config.title,
              "url": config.base_url, "description": config.description,
              "publisher": {"@type": "Organization", "name": config.publisher}}
    lead = lead_story(site.articles)
    section = lead and lead.category and term_slug(lead.category)
    return Page(urls.home(), "home.html", {
        "meta": meta(config.title, urls.home(), jsonld=jsonld),
        "lead": lead,
        "lead_category": next((t.ref for t in site.categories if t.slug == section), None),
        "articles": tuple(a for a in site.articles if a is not lead)[:config.home_news],
        "events": _once(site.upcoming_events, config.home_events),
    })


def lead_story(articles: Sequence[Article]) -> Article | None:
    """The home page's lead story: the newest article marked featured, else the newest."""
    return next((a for a in articles if a.featured), articles[0] if articles else None)


def _news_pages(site: Site, urls: Urls, meta: MetaMaker, memo: Memo) -> list[Page]:
    config = site.config
    return _paginated(site.articles, config.per_page, urls.news, "list.html",
                      lambda n: meta(meta.numbered(config.news_title, n), urls.news(n)),
                      {"heading": config.news_title}, memo, ("news",))


def _article_pages(site: Site, urls: Urls, meta: MetaMaker, memo: Memo) -> list[Page]:
    terms = {("category", t.slug): t.ref for t in site.categories}
    terms.update({("tag", t.slug): t.ref for t in site.tags})
    articles = site.articles
    return [_planned_article(site, urls, meta, memo, terms, article,
                             newer=articles[index - 1] if index > 0 else None,
                             older=articles[index + 1] if index + 1 < len(articles) else None)
            for index, article in enumerate(articles)]


def _planned_article(site: Site, urls: Urls, meta: MetaMaker, memo: Memo,
                     terms: dict[tuple[str, str], TermRef], article: Article,
                     newer: Article | None, older: Article | None) -> Page:
    """An article's page, the one planned last time if it is made from the same things."""
    linked = site.events_of_article.get(article.slug, ())
    events = tuple(shown_date(site, e) for e in linked)
    category = terms.get(("category", term_slug(article.category))) \
        if article.category else None
    tags = tuple(terms[("tag", term_slug(name))] for name in article.tags)
    related = site.related.get(article.slug, ())
    bylines = site.bylines.get(article.slug, ())
    # Keyed by everything the page is made from: records by identity, the rest by value.
    # (A date of a repeating event is a copy of the event, told apart by its start.)
    # Terms are named by how they are spelt (their slugs come from the article itself).
    return memo.get(
        ("article", id(article), id(newer), id(older), category and category.name,
         tuple(t.name for t in tags),
         tuple((id(e), shown.start) for e, shown in zip(linked, events, strict=True)),
         tuple(map(id, related)), bylines),
        (article, newer, older, linked, related),
        lambda: _article_page(urls, meta, site.config, article, (newer, older, related),
                              ArticleLinks(category, tags, events, bylines),
                              share_image(article, site, urls)))


@dataclass(frozen=True)
class ArticleLinks:
    """What an article's page links to besides other articles: its category, tags, events
    and authors."""

    category: TermRef | None
    tags: tuple[TermRef, ...]
    events: tuple[Event, ...]
    bylines: tuple[Byline, ...]


def _category_pages(site: Site, urls: Urls, meta: MetaMaker, memo: Memo) -> list[Page]:
    return [page for term in site.categories
            for page in _category_list(term, site.config.per_page, urls, meta, memo)]


def _category_list(term: Term, per_page: int, urls: Urls, meta: MetaMaker,
                   memo: Memo) -> list[Page]:
    feed = (("application/rss+xml", f"{term.name} (RSS)", urls.category_feed(term)),)
    return _paginated(term.articles, per_page, lambda n: urls.category(term, n), "list.html",
                      lambda n: meta(meta.numbered(term.name, n), urls.category(term, n),
                                     term.description, alternates=feed),
                      {"heading": term.name, "kind": "category", "term": term.ref,
                       "description": term.description, "feed": feed[0][2]}, memo,
                      ("category", term.name, term.slug, term.description))


def _tag_pages(site: Site, urls: Urls, meta: MetaMaker, memo: Memo) -> list[Page]:
    return [page for term in site.tags
            for page in _tag_list(term, site.config.per_page, urls, meta, memo)]


def _tag_list(term: Term, per_page: int, urls: Urls, meta: MetaMaker,
              memo: Memo) -> list[Page]:
    heading = meta.language.gettext("Tagged “%(tag)s”") % {"tag": term.name}
    feeds = (("application/rss+xml", f"{term.name} (RSS)", urls.tag_feed(term)),
             ("application/atom+xml", f"{term.name} (Atom)", urls.tag_atom(term)))
    return _paginated(term.articles, per_page, lambda n: urls.tag(term, n), "list.html",
                      lambda n: meta(meta.numbered(heading, n), urls.tag(term, n),
                                     alternates=feeds),
                      {"heading": heading, "kind": "tag", "term": term.ref,
                       "feed": feeds[0][2], "atom": feeds[1][2]}, memo,
                      ("tag", term.name, term.slug))


def _term_index_pages(site: Site, urls: Urls, meta: MetaMaker) -> list[Page]:
    """The index of every category and the index of every tag, each term with its number of
    articles; a site with no categories (or no tags) has no index of them."""
    title, language = site.config.title, meta.language
    pages = []
    if site.categories:
        pages.append(_term_index(
            language.gettext("Categories"), urls.categories(),
            language.gettext("Every category of %(site)s, with its articles.") % {"site": title},
            tuple(TermEntry(t.name, urls.category(t), len(t.articles), t.description)
                  for t in site.categories), "category", meta))
    if site.tags:
        pages.append(_term_index(
            language.gettext("Tags"), urls.tags(),
            language.gettext("Every tag of %(site)s, with its articles.") % {"site": title},
            tuple(TermEntry(t.name, urls.tag(t), len(t.articles)) for t in site.tags),
            "tag", meta))
    return pages


def _term_index(heading: str, url: str, description: str, terms: tuple[TermEntry, ...],
                kind: str, meta: MetaMaker) -> Page:
    return Page(url, "terms.html", {
        "meta": meta(heading, url, description), "heading": heading, "kind": kind,
        "terms": terms,
    })


def _year_pages(site: Site, urls: Urls, meta: MetaMaker) -> list[Page]:
    news_title = site.config.news_title
    return [Page(urls.year(year), "list.html", {
        "meta": meta(f"{news_title}: {year}", urls.year(year)),
        "heading": f"{news_title}: {year}", "kind": "year", "year": year,
        "pagination": Pagination(1, 1, articles, None, None, ()),
    }) for year, articles in site.years]


def _events_list_pages(site: Site, urls: Urls, meta: MetaMaker) -> list[Page]:
    """The events index: each event once (a repeating one at its next date, or its last),
    each page's split into those to come and those past."""
    config = site.config
    upcoming = _once(site.upcoming_events)
    coming = {event.slug for event in upcoming}
    events = upcoming + tuple(e for e in _once(site.past_events) if e.slug not in coming)
    pages = _paginated(events, config.per_page, urls.events, "events.html",
                       lambda n: meta(meta.numbered(config.events_title, n), urls.events(n)),
                       {"heading": config.events_title, "categories": site.event_categories})
    for page in pages:
        items = page.context["pagination"].items
        page.context["upcoming"] = tuple(e for e in items if is_upcoming(e, site.now))
        page.context["past"] = tuple(e for e in items if not is_upcoming(e, site.now))
    return pages


def _event_pages(site: Site, urls: Urls, meta: MetaMaker, memo: Memo) -> list[Page]:
    return [_planned_event(site, urls, meta, memo, event) for event in site.events]


def _planned_event(site: Site, urls: Urls, meta: MetaMaker, memo: Memo, event: Event) -> Page:
    """An event's page, the one planned last time if it is made from the same things."""
    dates = dates_of(site, event)
    shown = shown_date(site, event)
    coming = tuple(d for d in dates if is_upcoming(d, site.now))
    articles = site.articles_of_event.get(event.slug, ())
    return memo.get(
        ("event", id(event), shown.start, tuple(d.start for d in dates), len(coming),
         tuple(map(id, articles))),
        (event, articles),
        lambda: _event_page(urls, meta, event, (dates, shown, coming), articles,
                            share_image(event, site, urls)))


def _author_pages(site: Site, urls: Urls, meta: MetaMaker, memo: Memo) -> list[Page]:
    """Each author's page of articles (paginated), and the index of every author."""
    if not site.profiles:
        return []
    pages = [page for profile in site.profiles
             for page in _author_list(profile, site.config.per_page, urls, meta, memo)]
    heading = meta.language.gettext("Authors")
    description = meta.language.gettext("Everyone who writes for %(site)s.") % {
        "site": site.config.title}
    pages.append(_term_index(heading, urls.authors(), description, tuple(
        TermEntry(p.author.name, urls.author(p.author), len(p.articles), p.author.role or "")
        for p in site.profiles), "author", meta))
    return pages


def author_feeds(author: Author, urls: Urls) -> tuple[tuple[str, str, str], ...]:
    """An author's feeds as <link rel="alternate">s: (type, title, address)."""
    return (("application/rss+xml", f"{author.name} (RSS)", urls.author_feed(author)),
            ("application/atom+xml", f"{author.name} (Atom)", urls.author_atom(author)))


def _author_list(profile: Profile, per_page: int, urls: Urls, meta: MetaMaker,
                 memo: Memo) -> list[Page]:
    author = profile.author
    feeds = author_feeds(author, urls)
    description = author.role or first_paragraph_text(author.html) or author.name
    return _paginated(profile.articles, per_page, lambda n: urls.author(author, n),
                      "author.html",
                      lambda n: meta(meta.numbered(author.name, n), urls.author(author, n),
                                     description, alternates=feeds,
                                     jsonld=_profile_jsonld(author, urls, n)),
                      {"author": author, "feeds": feeds}, memo,
                      ("author", author.fingerprint))


def _profile_jsonld(author: Author, urls: Urls, number: int) -> dict[str, Any]:
    """schema.org ProfilePage of an author, a Person."""
    person: dict[str, Any] = {"@type": "Person", "name": author.name,
                              "url": urls.absolute(urls.author(author))}
    if author.role:
        person["jobTitle"] = author.role
    if author.html:
        person["description"] = first_paragraph_text(author.html)
    if author.photo:
        person["image"] = urls.absolute(urls.site_link(author.photo))
    if author.links:
        person["sameAs"] = [url for _, url in author.links]
    return {"@context": "https://schema.org", "@type": "ProfilePage",
            "url": urls.absolute(urls.author(author, number)), "mainEntity": person}


def bulletin_heading(bulletin: Bulletin, language: Language) -> str:
    """'Bulletin of 7 December 2026': a bulletin's title and its e-mail's subject."""
    return language.gettext("Bulletin of %(date)s") % {
        "date": language.long_date(bulletin.issued)}


def _bulletin_pages(site: Site, urls: Urls, meta: MetaMaker) -> list[Page]:
    """The web version of each published bulletin, and of the latest at /bulletin/latest/
    (its canonical address the dated one)."""
    bulletins = site.bulletins[:WITH_PAGES]
    feed = (("application/rss+xml", meta.language.gettext("Bulletin (RSS)"),
             urls.bulletin_feed()),)
    pages = []
    for index, bulletin in enumerate(bulletins):
        heading = bulletin_heading(bulletin, meta.language)
        context = {"bulletin": bulletin, "heading": heading,
                   "meta": meta(heading, urls.bulletin(bulletin), alternates=feed)}
        pages.append(Page(urls.bulletin(bulletin), "bulletin.html", context))
        if index == 0:
            pages.append(Page(urls.bulletin_latest(), "bulletin.html", context))
    return pages


def _corrections_pages(site: Site, urls: Urls, meta: MetaMaker) -> list[Page]:
    """The list of every correction, newest first (none while there are none)."""
    if not site.corrections:
        return []
    language = meta.language
    heading = language.gettext("Corrections")
    description = language.gettext("Every correction %(site)s has made to its articles, "
                                   "newest first.") % {"site": site.config.title}
    feed = (("application/rss+xml", f"{heading} (RSS)", urls.corrections_feed()),)
    return _paginated(site.corrections, site.config.per_page, urls.corrections,
                      "corrections.html",
                      lambda n: meta(meta.numbered(heading, n), urls.corrections(n),
                                     description, alternates=feed),
                      {"heading": heading, "feed": feed[0][2]})


def plan_redirects(site: Site, urls: Urls) -> list[Redirect]:
    """Every old address of the site and where it leads (see redirects.py)."""
    categories = {term.slug: term for term in site.categories}

    def section(record: Article | Event) -> str:
        if isinstance(record, Event):
            return urls.events()
        term = categories.get(term_slug(record.category)) if record.category else None
        return urls.category(term) if term else urls.news()

    return site_redirects((*site.articles, *site.events, *site.pages,
                           *(profile.author for profile in site.profiles)), site.expired,
                          lambda record: record_url(record, urls), section, urls.site_link)


def redirect_pages(site: Site, urls: Urls, meta: MetaMaker, pages: list[Page]) -> list[Page]:
    """A page at each old address that sends readers (and search engines) on; raise
    BuildError for a redirect that would hide a page, loop, or that two records ask for."""
    redirects = plan_redirects(site, urls)
    check_redirects(redirects, {page.url: page.source for page in pages})
    title = meta.language.gettext("This page has moved")
    return [Page(r.url, "redirect.html", {"meta": meta(title, r.target, noindex=True),
                                          "target": urls.absolute(r.target)})
            for r in redirects]


def _search_pages(config: SiteConfig, urls: Urls, meta: MetaMaker) -> list[Page]:
    """The search page, if the site has search."""
    if not config.search:
        return []
    title = meta.language.gettext("Search")
    description = meta.language.gettext("Search %(site)s") % {"site": config.title}
    return [Page(urls.search(), "search.html", {
        "meta": meta(title, urls.search(), description, noindex=True,
                     jsonld={"@context": "https://schema.org", "@type": "SearchResultsPage",
                             "name": title, "url": urls.absolute(urls.search())}),
    })]


def _static_pages(site: Site, urls: Urls, meta: MetaMaker) -> list[Page]:
    return [_static_page(static, urls, meta) for static in site.pages]


def _static_page(static: StaticPage, urls: Urls, meta: MetaMaker) -> Page:
    description = static.summary or first_paragraph_text(static.html)
    return Page(urls.page(static), "page.html", {
        "meta": meta(static.title, urls.page(static), description, jsonld={
            "@context": "https://schema.org", "@type": "WebPage", "name": static.title,
            "url": urls.absolute(urls.page(static)), "description": description}),
        "page": static,
    }, static.source)


def _not_found_page(urls: Urls, meta: MetaMaker) -> Page:
    title = meta.language.gettext("Page not found")
    return Page(urls.not_found(), "404.html", {
        "meta": meta(title, urls.not_found(), noindex=True, jsonld={
            "@context": "https://schema.org", "@type": "WebPage", "name": title}),
    })


def _check_unique_urls(pages: list[Page], site: Site, urls: Urls) -> None:
    first: dict[str, Page] = {}
    problems = []
    # Feed readers tell entries apart by id alone: two articles with one id lose one.
    # Addresses are unique (slugs are), so only a guid: can clash. Addresses claim their
    # ids first, so a clash is blamed on the article with a guid.
    with_guid = [a for a in site.articles if a.guid is not None]
    ids: dict[str, Article] = {feed_id(a, urls): a for a in site.articles
                               if a.guid is None} if with_guid else {}
    for article in with_guid:
        other = ids.setdefault(feed_id(article, urls), article)
        if other is not article:
            problems.append(Problem(article.source, article.lines.get("guid"),
                                    f"guid: {feed_id(article, urls)} is also the feed id of "
                                    f"{other.source}; give each article its own guid"))
    for page in pages:
        other = first.setdefault(page.url, page)
        if other is not page:
            what = other.source or f"the {other.template.removesuffix('.html')} page"
            problems.append(Problem(page.source or page.url, None, f"its address {page.url} is "
                                    f"already taken by {what}; give it another slug:"))
    if problems:
        raise BuildError(problems)


def _once(dates: Sequence[Event], count: int | None = None) -> tuple[Event, ...]:
    """The first date in `dates` of each event (of the first `count` events): in lists a
    repeating event is one item, not one per date."""
    seen: dict[str, Event] = {}
    for event in dates:
        if len(seen) == count:
            break
        seen.setdefault(event.slug, event)
    return tuple(seen.values())


def _paginated(items: Sequence[Any], per_page: int, url_of: Callable[[int], str],
               template: str, meta_of: Callable[[int], Meta], context: dict[str, Any],
               memo: Memo | None = None, name: tuple[str, ...] = ()) -> list[Page]:
    """The pages of a list. With a memo, `name` must say all that `url_of`, `meta_of` and
    `context` make of it (the list's kind, a term's name and slug)."""
    total = max(1, math.ceil(len(items) / per_page))
    pages = []
    for number in range(1, total + 1):
        chunk = tuple(items[(number - 1) * per_page: number * per_page])

        def page(number: int = number, chunk: tuple[Any, ...] = chunk) -> Page:
            pagination = Pagination(number, total, chunk,
                                    url_of(number - 1) if number > 1 else None,
                                    url_of(number + 1) if number < total else None,
                                    _page_numbers(number, total, url_of))
            return Page(url_of(number), template,
                        {**context, "meta": meta_of(number), "pagination": pagination})

        pages.append(memo.get(("list", template, name, number, total, tuple(map(id, chunk))),
                              chunk, page) if memo else page())
    return pages


def feed_id(article: Article, urls: Urls) -> str:
    """The article's permanent id in feeds: its guid, else its absolute address."""
    return article.guid or urls.absolute(urls.article(article))


def _page_numbers(number: int, total: int, url_of: Callable[[int], str]
                  ) -> tuple[tuple[int, str], ...]:
    shown = sorted({1, total, *range(max(1, number - 2), min(total, number + 2) + 1)})
    numbers: list[tuple[int, str]] = []
    for index, n in enumerate(shown):
        if index and n != shown[index - 1] + 1:
            numbers.append((0, ""))
        numbers.append((n, url_of(n)))
    return tuple(numbers)


def article_summary(article: Article) -> str:
    """The article's summary, else the first paragraph of its body."""
    return article.summary or first_paragraph_text(article.html)


def _article_page(urls: Urls, meta: Callable[..., Meta], config: SiteConfig,
                  article: Article,
                  others: tuple[Article | None, Article | None, tuple[Article, ...]],
                  links: ArticleLinks, image: ShareImage | None) -> Page:
    """An article's page; `others` are the newer and older articles and its related ones."""
    newer, older, related = others
    url = urls.article(article)
    summary = article_summary(article)
    return Page(url, "article.html", {
        "meta": meta(article.title, url, summary, og_type="article", **_image_meta(image),
                     published=timefmt.iso(article.date),
                     modified=timefmt.iso(article.modified) if article.modified else None,
                     jsonld=_article_jsonld(article, summary, links.bylines, urls, config,
                                            image)),
        "article": article,
        "summary": summary,
        "category": links.category,
        "tags": links.tags,
        "events": links.events,
        "bylines": links.bylines,
        "newer": Link(newer.title, urls.article(newer)) if newer else None,
        "older": Link(older.title, urls.article(older)) if older else None,
        "related": related,
    }, article.source)


def _article_jsonld(article: Article, summary: str, bylines: tuple[Byline, ...], urls: Urls,
                    config: SiteConfig, image: ShareImage | None) -> dict[str, Any]:
    """schema.org NewsArticle: its authors as people (with their pages), its corrections."""
    url = urls.absolute(urls.article(article))
    jsonld: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "NewsArticle",
        "headline": article.title, "description": summary,
        "datePublished": timefmt.iso(article.date),
        "dateModified": timefmt.iso(article.modified or article.date),
        "author": [{"@type": "Person", "name": byline.name,
                    **({"url": urls.absolute(urls.author(byline))} if byline.slug else {})}
                   for byline in bylines],
        "publisher": {"@type": "Organization", "name": config.publisher,
                      "url": config.base_url},
        "mainEntityOfPage": url, "url": url, "inLanguage": config.language,
    }
    if article.category:
        jsonld["articleSection"] = article.category
    if article.tags:
        jsonld["keywords"] = list(article.tags)
    if image:
        jsonld["image"] = list(image.crops)
    if article.corrections:
        jsonld["correction"] = [{"@type": "CorrectionComment", "text": c.text,
                                 "datePublished": timefmt.iso(c.date)}
                                for c in article.corrections]
    return jsonld


# The share cards' background, unless params.share_card_colour says otherwise: the theme's
# --brand.
BRAND = "#0b5d7a"


@dataclass(frozen=True)
class ShareImage:
    """The picture that stands for a page where it is shared and in search results: its
    address for OpenGraph and Twitter, its size, and its crops for JSON-LD."""

    url: str  # absolute
    size: tuple[int, int] | None
    alt: str
    crops: tuple[str, ...]  # absolute; 16:9, 4:3 and 1:1 (just `url` when there are none)


def share_image(record: Article | Event, site: Site, urls: Urls) -> ShareImage | None:
    """An article's or event's lead image (1,200 wide, when newsroom resized it), else its
    share card, else None."""
    if record.image:
        link = urls.site_link(record.image)
        picture = site.pictures.of(link, urls.base_path)
        shown = picture.share if picture else None
        if picture is None or shown is None:
            size = (picture.width, picture.height) if picture and picture.width \
                and picture.height else None
            return ShareImage(urls.absolute(link), size, record.image_alt or "",
                              (urls.absolute(link),))
        return ShareImage(_absolute_file(urls, shown.url_path), (shown.width, shown.height),
                          record.image_alt or "",
                          tuple(_absolute_file(urls, c.url_path) for c in picture.crops))
    card = site.cards.by_folder.get(_folder(urls, record_url(record, urls)))
    if card is None:
        return None
    url = _absolute_file(urls, card.url_path)
    return ShareImage(url, (card.width, card.height), record.title, (url,))


def _image_meta(image: ShareImage | None) -> dict[str, Any]:
    """What a page's Meta says of its share image."""
    if image is None:
        return {}
    return {"image": image.url, "image_alt": image.alt, "image_size": image.size}


def _absolute_file(urls: Urls, url_path: str) -> str:
    return urls.absolute(urls.asset(url_path))


def record_url(record: Article | Event | StaticPage | Author, urls: Urls) -> str:
    """The address of an article's, event's, page's or author's own page."""
    if isinstance(record, Author):
        return urls.author(record)
    if isinstance(record, Article):
        return urls.article(record)
    return urls.event(record) if isinstance(record, Event) else urls.page(record)


def _folder(urls: Urls, url: str) -> str:
    """A page's folder in the output: 'news/2020/a-headline/'."""
    return urls.output_path(url).removesuffix("index.html")


def share_card_texts(site: Site) -> list[CardText]:
    """What the share card of each article and event without a picture says."""
    urls = site_urls(site)
    gettext = site.language.gettext
    return [CardText(_folder(urls, record_url(record, urls)), record.title,
                     _card_label(record, gettext))
            for record in (*site.articles, *site.events) if not record.image]


def _card_label(record: Article | Event, gettext: Callable[[str], str]) -> str:
    if isinstance(record, Article):
        return record.category or gettext("News")
    return record.category or gettext("Event")


def attendance_mode(event: Event) -> str:
    """'offline', 'online' or 'mixed', from the event's location and online_url."""
    if event.location and event.online_url:
        return "mixed"
    return "online" if event.online_url else "offline"


def event_jsonld(event: Event, urls: Urls, description: str,
                 image: ShareImage | None = None) -> dict[str, Any]:
    """schema.org Event for search engines: dates, status, attendance, place, offer.

    For a repeating event, `event` is the date to show (the next one).
    """
    mode = attendance_mode(event)
    locations: list[dict[str, Any]] = []
    if event.location:
        locations.append({"@type": "Place", "name": event.location.split(",")[0].strip(),
                          "address": event.location})
    if event.online_url:
        locations.append({"@type": "VirtualLocation", "url": event.online_url})
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "Event", "name": event.title,
        "description": description, "startDate": _schema_date(event, event.start),
        "endDate": _schema_date(event, event.end or event.start),
        "eventStatus": "https://schema.org/" + EVENT_STATUS_SCHEMA[event.status],
        "eventAttendanceMode": "https://schema.org/" + {
            "offline": "OfflineEventAttendanceMode", "online": "OnlineEventAttendanceMode",
            "mixed": "MixedEventAttendanceMode"}[mode],
        "organizer": {"@type": "Organization", "name": event.organiser},
        "url": urls.absolute(urls.event(event)),
    }
    if image:
        data["image"] = list(image.crops)
    if event.previous_start is not None:
        data["previousStartDate"] = _schema_date(event, event.previous_start)
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
    if event.booking_url:
        data["offers"] = {"@type": "Offer", "url": event.booking_url}
    return data


def _schema_date(event: Event, moment: datetime) -> str:
    return moment.date().isoformat() if event.all_day else timefmt.iso(moment)


def add_to_calendar(event: Event, shown: Event, urls: Urls, description: str
                    ) -> dict[str, str]:
    """Links that open the event in Google Calendar (a repeating one whole, from its first
    date and rule) and in Outlook (the date shown: its links carry no rule)."""
    page = urls.absolute(urls.event(event))
    details = f"{description}\n\n{page}"
    where = event.location or event.online_url or ""
    google = {"action": "TEMPLATE", "text": event.title, "dates": _google_dates(event),
              "details": details, "location": where, "ctz": event.timezone.key}
    if event.rrule:
        google["recur"] = "RRULE:" + event.rrule
    if shown.all_day:
        outlook = {"startdt": shown.start.date().isoformat(),
                   "enddt": shown.ends.date().isoformat(), "allday": "true"}
    else:
        outlook = {"startdt": shown.start.isoformat(),
                   "enddt": (shown.end or shown.start).isoformat(), "allday": "false"}
    return {
        "google": "https://calendar.google.com/calendar/render?" + urlencode(google),
        "outlook": "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode({
            "path": "/calendar/action/compose", "rru": "addevent", "subject": event.title,
            **outlook, "body": details, "location": where}),
    }


def _google_dates(event: Event) -> str:
    if event.all_day:
        return f"{event.start:%Y%m%d}/{event.ends:%Y%m%d}"
    return f"{event.start:%Y%m%dT%H%M%S}/{event.end or event.start:%Y%m%dT%H%M%S}"


def status_label(event: Event, language: Language) -> str:
    """The badge for an event's status: 'Cancelled', 'Moved online' ("" when scheduled)."""
    labels = {"cancelled": language.gettext("Cancelled"),
              "postponed": language.gettext("Postponed"),
              "rescheduled": language.gettext("Rescheduled"),
              "moved-online": language.gettext("Moved online")}
    return labels.get(event.status, "")


def previous_range(event: Event, language: Language) -> str:
    """When a rescheduled event was to be: its previous start, as long as it is now."""
    if event.previous_start is None:
        return ""
    end = event.previous_start + (event.end - event.start) if event.end else None
    return timefmt.event_range(event.previous_start, end, event.all_day, language)


def status_text(event: Event, language: Language) -> str:
    """What an event's status means to a reader, or "" when it goes ahead as planned."""
    texts = {"cancelled": language.gettext("This event is cancelled."),
             "postponed": language.gettext("This event is postponed; a new date will be "
                                           "announced."),
             "rescheduled": language.gettext("This event has a new date."),
             "moved-online": language.gettext("This event has moved online.")}
    text = texts.get(event.status, "")
    if event.previous_start is not None:
        text += " " + language.gettext("It was to be on %(when)s.") % {
            "when": previous_range(event, language)}
    return text


def event_summary(event: Event, language: Language) -> str:
    """The event's summary, else the first paragraph of its description, else its time
    (and for a repeating event, how it repeats)."""
    return event.summary or first_paragraph_text(event.html) or _when(event, language)


def _when(event: Event, language: Language) -> str:
    when = timefmt.event_range(event.start, event.end, event.all_day, language)
    if not event.rrule:
        return when
    return language.gettext("%(rule)s, from %(when)s") % {
        "rule": recurrence.describe(event.rrule, event.timezone, language), "when": when}


def shown_date(site: Site, event: Event) -> Event:
    """The date an event is shown by: its next one, or its last when all are past."""
    dates = dates_of(site, event)
    return next((d for d in dates if is_upcoming(d, site.now)), dates[-1])


def _event_page(urls: Urls, meta: MetaMaker, event: Event,
                when: tuple[tuple[Event, ...], Event, tuple[Event, ...]],
                articles: tuple[Article, ...], image: ShareImage | None) -> Page:
    """An event's page. `when` is its dates, the one shown and those to come: a repeating
    event is shown and described by its next date, and is over (for the script that hides
    booking links) when its last date is."""
    dates, shown, coming = when
    url = urls.event(event)
    summary = event_summary(event, meta.language)
    endless = bool(event.rrule) and recurrence.is_endless(event.rrule)
    return Page(url, "event.html", {
        "meta": meta(event.title, url, summary,
                     jsonld=event_jsonld(shown, urls, summary, image),
                     alternates=(("text/calendar", event.title, urls.event_ics(event)),),
                     **_image_meta(image)),
        "event": shown,
        "summary": summary,
        "attendance": attendance_mode(event),
        "articles": articles,
        "upcoming": bool(coming),
        "over_at": None if endless else dates[-1].ends,
        "repeats": recurrence.describe(event.rrule, event.timezone, meta.language)
        if event.rrule else "",
        "coming": coming if event.rrule else (),
        # A calendar app gets the whole series from its first date and rule (Google); a
        # link that cannot carry a rule adds the next date (Outlook).
        "calendar_links": add_to_calendar(event, shown, urls, summary),
    }, event.source)
