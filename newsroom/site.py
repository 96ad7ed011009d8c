"""Assembling the records into a Site: what is published, in what order, and its indexes."""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from newsroom import i18n, recurrence
from newsroom.bulletin import (
    WEEK,
    Bulletin,
    dates_soonest_first,
    issued_bulletins,
    week_start,
)
from newsroom.cache import digest
from newsroom.config import SiteConfig
from newsroom.content import Article, Asset, Author, Content, Correction, Event, StaticPage
from newsroom.i18n import Language
from newsroom.images import Pictures, ShareCards
from newsroom.problems import BuildError, Problem
from newsroom.slugs import term_slug


@dataclass(frozen=True)
class TermRef:
    """A category or tag as a page links to it: its name and the slug of its address."""

    name: str
    slug: str


@dataclass(frozen=True)
class Term:
    """A category or tag with the published articles filed under it, newest first."""

    name: str
    slug: str
    articles: tuple[Article, ...]
    description: str = ""  # a declared category's, from site_config.yaml

    @property
    def ref(self) -> TermRef:
        """The term without its articles: what a page that links to it needs."""
        return TermRef(self.name, self.slug)


@dataclass(frozen=True)
class Byline:
    """An author as a byline names them: their name, and their profile's slug when they
    have one (then the byline links to their page)."""

    name: str
    slug: str | None = None


@dataclass(frozen=True)
class Profile:
    """An author's profile with their published articles, newest first."""

    author: Author
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class Site:
    """The published site: records sorted and cross-referenced, ready for planning pages."""

    config: SiteConfig
    now: datetime
    articles: tuple[Article, ...]
    events: tuple[Event, ...]
    upcoming_events: tuple[Event, ...]
    past_events: tuple[Event, ...]
    pages: tuple[StaticPage, ...]
    assets: tuple[Asset, ...]
    categories: tuple[Term, ...]
    tags: tuple[Term, ...]
    years: tuple[tuple[int, tuple[Article, ...]], ...]
    events_of_article: dict[str, tuple[Event, ...]]
    articles_of_event: dict[str, tuple[Article, ...]]
    scheduled: tuple[Article, ...]
    # Every date of each event, by slug: one for most, each date of a repeating one (as a
    # copy of the event with that date's start and end).
    dates_of_event: dict[str, tuple[Event, ...]]
    event_categories: tuple[EventTerm, ...] = ()
    pictures: Pictures = Pictures()  # content/media's images, resized (images.py)
    cards: ShareCards = ShareCards()  # share cards of the pages with no picture of their own
    profiles: tuple[Profile, ...] = ()  # by slug
    bylines: dict[str, tuple[Byline, ...]] = field(default_factory=dict)  # by article slug
    # Every correction of a published article, newest first.
    corrections: tuple[tuple[Article, Correction], ...] = ()
    expired: tuple[Article | Event, ...] = ()  # taken off the site by their expires:
    # Up to RELATED_COUNT related articles of each published article, by its slug.
    related: dict[str, tuple[Article, ...]] = field(default_factory=dict)
    bulletins: tuple[Bulletin, ...] = ()  # every one issued by `now`, newest first

    @property
    def language(self) -> Language:
        """The site's strings, dates and times (i18n.language: its catalogues are read once
        per process, and again only when one changes)."""
        return i18n.language(self.config.language, self.config.root)


@dataclass(frozen=True)
class EventTerm:
    """An events category, with its events (each once, repeating ones too)."""

    name: str
    slug: str
    events: tuple[Event, ...]


@dataclass(frozen=True, order=True)
class Change:
    """A moment at which the built site changes: an article goes live, an event starts or ends."""

    moment: datetime
    what: str
    title: str
    source: str


def is_upcoming(event: Event, now: datetime) -> bool:
    """Whether the event has not yet ended at `now`."""
    return event.ends > now


# A rule with no end is listed this far ahead, and its past dates this far back.
ENDLESS_AHEAD = timedelta(days=366)
PAST_DATES_KEPT = 10


def event_dates(event: Event, now: datetime) -> tuple[Event, ...]:
    """The event's dates, soonest first: the event itself, or one copy per date of a series."""
    if not event.rrule:
        return (event,)
    endless = recurrence.is_endless(event.rrule)
    length = event.end - event.start if event.end is not None else None
    dates = tuple(
        # Each date is a record of its own in listings, so it has a fingerprint of its own.
        replace(event, start=start, end=start + length if length is not None else None,
                fingerprint=digest(event.fingerprint, start.isoformat()))
        # A rule with no end is read up to a year ahead, however long ago it began.
        for start in recurrence.starts(event.rrule, event.start, event.all_day, event.skipped,
                                       until=now + ENDLESS_AHEAD if endless else None,
                                       limit=None if endless else recurrence.MAX_DATES))
    if endless:
        past = [d for d in dates if not is_upcoming(d, now)]
        dates = tuple(past[-PAST_DATES_KEPT:]) + dates[len(past):]
    return dates or (event,)


def dates_of(site: Site, event: Event) -> tuple[Event, ...]:
    """Every date of an event as the site lists it (see event_dates)."""
    return site.dates_of_event.get(event.slug, (event,))


def newest_first(article: Article) -> tuple:
    """Sort key: date descending, then slug, so equal dates keep a stable order."""
    return (-article.date.timestamp(), article.slug)


def assemble_site(config: SiteConfig, content: Content, *, now: datetime, drafts: bool = False,
                  future: bool = False, pictures: Pictures | None = None) -> Site:
    """Choose what is published and index it; raise BuildError on cross-record problems."""
    live, expired = _live_and_expired(content.articles, now)
    articles = _published(live, now, drafts, future)
    all_events = tuple(sorted(content.events, key=_by_start))
    events = tuple(e for e in all_events if not _is_expired(e, now))
    problems = _duplicates(content, all_events) + _unknown_related(content.articles)
    article_problems, article_links = _events_named_by_articles(content.articles, articles,
                                                                all_events, events)
    event_problems, event_links = _articles_named_by_events(content.articles, articles, events)
    problems += article_problems + event_problems
    if problems:
        raise BuildError(sorted(problems))
    events_of_article, articles_of_event = _cross_references(article_links + event_links)
    dates_of_event = {e.slug: event_dates(e, now) for e in events}
    upcoming_events, past_events = _upcoming_and_past(dates_of_event, now)
    return Site(
        config=config,
        now=now,
        articles=articles,
        events=events,
        upcoming_events=upcoming_events,
        past_events=past_events,
        pages=tuple(sorted(content.pages, key=lambda p: p.slug)),
        assets=content.assets,
        categories=_category_terms(config, articles),
        tags=group_terms([a.tags for a in articles], articles),
        years=_years(articles),
        events_of_article=events_of_article,
        articles_of_event=articles_of_event,
        scheduled=_scheduled(live, now),
        dates_of_event=dates_of_event,
        event_categories=group_terms([category_of(e) for e in events], events, EventTerm),
        pictures=pictures or Pictures(),
        profiles=_profiles(content.authors, articles, config),
        bylines={a.slug: _bylines(a, content.authors) for a in articles},
        corrections=tuple(sorted(((a, c) for a in articles for c in a.corrections),
                                 key=lambda pair: (-pair[1].date.timestamp(), pair[0].slug))),
        expired=expired + tuple(e for e in all_events if _is_expired(e, now)),
        related=related_articles(articles),
        bulletins=issued_bulletins(articles, dates_soonest_first(dates_of_event), now,
                                   config.timezone),
    )


def _is_expired(record: Article | Event, now: datetime) -> bool:
    return record.expires is not None and record.expires <= now


def _live_and_expired(articles: tuple[Article, ...], now: datetime
                      ) -> tuple[tuple[Article, ...], tuple[Article, ...]]:
    """The articles not yet expired, and those expired (drafts are never on the site)."""
    return (tuple(a for a in articles if not _is_expired(a, now)),
            tuple(a for a in articles if _is_expired(a, now) and not a.draft))


def _author_finder(authors: tuple[Author, ...]) -> Callable[[str], Author | None]:
    """Finds an author's profile by its slug or by their name, in any case."""
    by_key = {a.name.casefold(): a for a in authors}
    by_key.update({a.slug: a for a in authors})
    return lambda written: by_key.get(written) or by_key.get(written.casefold())


def _bylines(article: Article, authors: tuple[Author, ...]) -> tuple[Byline, ...]:
    find = _author_finder(authors)
    return tuple(Byline(found.name, found.slug) if (found := find(name)) else Byline(name)
                 for name in article.authors)


def _profiles(authors: tuple[Author, ...], articles: tuple[Article, ...],
              config: SiteConfig) -> tuple[Profile, ...]:
    """Every author's profile with their articles (newest first), by slug."""
    find = _author_finder(authors)
    written: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        for slug in dict.fromkeys(a.slug for name in article.authors if (a := find(name))):
            written[slug].append(article)
    return tuple(Profile(a, tuple(written[a.slug])) for a in sorted(authors,
                                                                  key=lambda a: a.slug))


# How many related articles an article's page shows.
RELATED_COUNT = 4


def related_articles(articles: tuple[Article, ...]) -> dict[str, tuple[Article, ...]]:
    """Each article's related articles: those its related: names first, then those sharing
    the most of its tags and category, newest first, then the nearest in time; at most
    RELATED_COUNT."""
    place = {a.slug: i for i, a in enumerate(articles)}  # (newest first)
    # Each term's articles as the bits of one integer (bit i: articles[i]): the articles
    # sharing at least s terms of an article are then a few bitwise operations away.
    members: dict[str, int] = defaultdict(int)
    for index, article in enumerate(articles):
        for term in _terms(article):
            members[term] |= 1 << index
    related = {}
    for index, article in enumerate(articles):
        named = [place[s] for s in article.related if s in place and s != article.slug]
        chosen = list(dict.fromkeys(named))[:RELATED_COUNT]
        chosen += _sharing_most([members[t] for t in _terms(article)],
                                sum(1 << i for i in chosen) | 1 << index,
                                RELATED_COUNT - len(chosen))
        chosen += _nearest(index, len(articles), {index, *chosen},
                           RELATED_COUNT - len(chosen))
        related[article.slug] = tuple(articles[i] for i in chosen)
    return related


def _nearest(index: int, total: int, taken: set[int], count: int) -> list[int]:
    """Up to `count` places nearest `index` not in `taken`, the older (higher) first. (The
    nearest in time, not the newest: a new article then changes the pages of its neighbours
    only.)"""
    chosen: list[int] = []
    for distance in range(1, total):
        if len(chosen) >= count:
            break
        chosen += [place for place in (index + distance, index - distance)
                   if 0 <= place < total and place not in taken][:count - len(chosen)]
    return chosen


def _terms(article: Article) -> list[str]:
    return [*(f"category:{term_slug(n)}" for n in category_of(article)),
            *(f"tag:{term_slug(n)}" for n in article.tags)]


def _sharing_most(masks: list[int], taken: int, count: int) -> list[int]:
    """Up to `count` places of articles not in `taken`, sharing the most of `masks`, lowest
    place (newest) first among equals."""
    # at_least[s]: the articles in at least s of the masks.
    at_least = [-1] + [0] * len(masks)
    for mask in masks:
        for shared in range(len(masks), 0, -1):
            at_least[shared] |= at_least[shared - 1] & mask
    chosen: list[int] = []
    for shared in range(len(masks), 0, -1):
        pool = at_least[shared] & ~taken
        while pool and len(chosen) < count:
            lowest = pool & -pool
            chosen.append(lowest.bit_length() - 1)
            taken |= lowest
            pool ^= lowest
    return chosen


def _by_start(event: Event) -> tuple:
    """Sort key: start ascending, then slug."""
    return (event.start, event.slug)


def _published(articles: tuple[Article, ...], now: datetime, drafts: bool,
               future: bool) -> tuple[Article, ...]:
    """The articles to publish, newest first: drafts and future ones only when asked for."""
    return tuple(sorted((a for a in articles
                         if (drafts or not a.draft) and (future or a.date <= now)),
                        key=newest_first))


def _scheduled(articles: tuple[Article, ...], now: datetime) -> tuple[Article, ...]:
    """The articles (not drafts) that go live after `now`, soonest first."""
    return tuple(sorted((a for a in articles if a.date > now and not a.draft),
                        key=lambda a: (a.date, a.slug)))


def _duplicates(content: Content, events: tuple[Event, ...]) -> list[Problem]:
    """A problem for each slug or uid that a record shares with one before it."""
    problems: list[Problem] = []
    _check_unique(problems, "article", [(a.slug, a.source, 1) for a in content.articles])
    _check_unique(problems, "event", [(e.slug, e.source, e.line) for e in events])
    _check_unique(problems, "event uid", [(e.uid, e.source, e.line) for e in events])
    _check_unique(problems, "page", [(p.slug, p.source, 1) for p in content.pages])
    _check_unique(problems, "author", [(a.slug, a.source, 1) for a in content.authors])
    # A byline finds its profile by name as well: two profiles of one name would be a guess.
    _check_unique(problems, "author name", [(a.name.casefold(), a.source, a.lines.get("name"))
                                            for a in content.authors],
                  "give each profile its own name: (a byline finds a profile by it)")
    return problems


# A published article and an event, linked by a related_events: or related: field.
RelatedPair = tuple[Article, Event]


def _events_named_by_articles(all_articles: tuple[Article, ...],
                              articles: tuple[Article, ...], all_events: tuple[Event, ...],
                              events: tuple[Event, ...]
                              ) -> tuple[list[Problem], list[RelatedPair]]:
    """Every article's related_events: a problem for each slug of no event, and a link from
    each published article to each event on the site it names."""
    published = {a.slug for a in articles}
    known = {e.slug for e in all_events}
    event_by_slug = {e.slug: e for e in events}
    problems: list[Problem] = []
    links: list[RelatedPair] = []
    for article in all_articles:
        for slug in article.related_events:
            if slug not in known:
                problems.append(Problem(article.source, article.lines.get("related_events"),
                                        f"related_events: no event "
                                        f"'{slug}'{_suggest(slug, known)}"))
            elif article.slug in published and slug in event_by_slug:
                links.append((article, event_by_slug[slug]))
    return problems, links


def _unknown_related(articles: tuple[Article, ...]) -> list[Problem]:
    """A problem for each slug an article's related: names that is no article's."""
    known = {a.slug for a in articles}
    return [Problem(a.source, a.lines.get("related"), f"related: no article "
                    f"'{slug}'{_suggest(slug, known)}")
            for a in articles for slug in a.related if slug not in known]


def _articles_named_by_events(all_articles: tuple[Article, ...],
                              articles: tuple[Article, ...], events: tuple[Event, ...]
                              ) -> tuple[list[Problem], list[RelatedPair]]:
    """Every event's related: a problem for each slug of no article (published or not), and a
    link from each event to each published article it names."""
    all_article_slugs = {a.slug for a in all_articles}
    article_by_slug = {a.slug: a for a in articles}
    problems: list[Problem] = []
    links: list[RelatedPair] = []
    for event in events:
        for slug in event.related:
            if slug not in all_article_slugs:
                problems.append(Problem(event.source, event.lines.get("related", event.line),
                                        f"related: no article "
                                        f"'{slug}'{_suggest(slug, all_article_slugs)}"))
            elif slug in article_by_slug:
                links.append((article_by_slug[slug], event))
    return problems, links


def _cross_references(links: list[RelatedPair]) -> tuple[dict[str, tuple[Event, ...]],
                                                   dict[str, tuple[Article, ...]]]:
    """The events of each article, soonest first, and the articles of each event, newest
    first: each once, however many times it is linked."""
    events_of_article: dict[str, list[Event]] = defaultdict(list)
    articles_of_event: dict[str, list[Article]] = defaultdict(list)
    for article, event in links:
        _link(events_of_article, articles_of_event, article, event)
    return ({k: tuple(sorted(v, key=_by_start)) for k, v in events_of_article.items()},
            {k: tuple(sorted(v, key=newest_first)) for k, v in articles_of_event.items()})


def _upcoming_and_past(dates_of_event: dict[str, tuple[Event, ...]], now: datetime
                       ) -> tuple[tuple[Event, ...], tuple[Event, ...]]:
    """Every date of every event: those not yet ended, soonest first, and the rest, latest
    first."""
    listed = sorted((d for dates in dates_of_event.values() for d in dates), key=_by_start)
    upcoming = tuple(e for e in listed if is_upcoming(e, now))
    past = tuple(sorted((e for e in listed if not is_upcoming(e, now)),
                        key=lambda e: (-e.start.timestamp(), e.slug)))
    return upcoming, past


def _category_terms(config: SiteConfig, articles: tuple[Article, ...]) -> tuple[Term, ...]:
    """The categories in use, with their descriptions where the site declares them. (Their
    names are the declared ones: content.py spells each record's category so.)"""
    about = {term_slug(category.name): category.description
             for category in config.categories}
    terms = group_terms([category_of(a) for a in articles], articles)
    return tuple(replace(term, description=about[term.slug]) if about.get(term.slug) else term
                 for term in terms)


def category_of(record: Article | Event) -> tuple[str, ...]:
    """The record's category as a list of names for group_terms: none or one."""
    return (record.category,) if record.category else ()


def _years(articles: tuple[Article, ...]) -> tuple[tuple[int, tuple[Article, ...]], ...]:
    """The articles by year, the latest year first, each year's in the articles' order."""
    by_year: dict[int, list[Article]] = defaultdict(list)
    for article in articles:
        by_year[article.date.year].append(article)
    return tuple(sorted(((y, tuple(a)) for y, a in by_year.items()), reverse=True))


def _link(events_of_article: dict, articles_of_event: dict, article: Article,
          event: Event) -> None:
    if event not in events_of_article[article.slug]:
        events_of_article[article.slug].append(event)
    if article not in articles_of_event[event.slug]:
        articles_of_event[event.slug].append(article)


def _check_unique(problems: list[Problem], kind: str,
                  entries: list[tuple[str, str, int | None]],
                  fix: str = "give one of them another slug: (or uid:)") -> None:
    first: dict[str, tuple[str, int | None]] = {}
    for key, source, line in entries:
        if key in first:
            other, other_line = first[key]
            where = f"{other}:{other_line}" if other_line else other
            problems.append(Problem(source, line, f"{kind} '{key}' is also used by {where}; "
                                    f"{fix}"))
        else:
            first[key] = (source, line)


def _suggest(slug: str, known) -> str:
    near = difflib.get_close_matches(slug, sorted(known), n=1, cutoff=0.6)
    if near:
        return f" (did you mean '{near[0]}'?)"
    return " (write the slug of one, as in its address)"


def group_terms(names_per_record: list[tuple[str, ...]], records: tuple[Any, ...],
           make: Callable[[str, str, tuple[Any, ...]], Any] = Term) -> tuple[Any, ...]:
    """The records grouped by the names each is filed under (categories or tags), each group
    made with `make(name, slug, records)`, in the names' alphabetical order."""
    grouped: dict[str, list[Any]] = defaultdict(list)
    display: dict[str, str] = {}
    for names, record in zip(names_per_record, records, strict=True):
        for name in names:
            # 'Life sciences' and 'life sciences' are one term; the first spelling seen wins.
            key = term_slug(name)
            display.setdefault(key, name)
            grouped[key].append(record)
    return tuple(make(display[key], key, tuple(items))
                 for key, items in sorted(grouped.items(), key=lambda kv: display[kv[0]].lower()))


# Google News reads the articles of the last two days (feeds.news_sitemap).
NEWS_WINDOW = timedelta(days=2)


def coming_changes(site: Site) -> tuple[Change, ...]:
    """Future moments that matter, soonest first: articles going live, events starting and
    ending, expiries, the next bulletin, articles leaving the news sitemap."""
    changes = [Change(a.date, "article goes live", a.title, a.source) for a in site.scheduled]
    for event in site.upcoming_events:
        if event.start > site.now:
            changes.append(Change(event.start, "event starts", event.title, event.source))
        changes.append(Change(event.ends, "event ends", event.title, event.source))
    changes += [Change(r.expires, f"{'article' if isinstance(r, Article) else 'event'} "
                       "expires", r.title, r.source)
                for r in (*site.articles, *site.scheduled, *site.events)
                if r.expires is not None and r.expires > site.now]
    changes += [Change(a.date + NEWS_WINDOW, "article leaves the news sitemap", a.title,
                       a.source) for a in site.articles if a.date + NEWS_WINDOW > site.now]
    return tuple(sorted(changes + _next_bulletin(site)))


def _next_bulletin(site: Site) -> list[Change]:
    """The next bulletin's issue, when this week has an article to put in it."""
    zone = site.config.timezone
    this_week = week_start(site.now, zone)
    issue = this_week + WEEK
    week = [a for a in (*site.articles, *site.scheduled) if this_week <= a.date < issue]
    return [Change(issue, "bulletin issued", week[0].title, week[0].source)] if week else []


def due_changes(site: Site, until: datetime) -> tuple[Change, ...]:
    """The changes to the built site from `site.now` (read then) up to `until`: what a
    build at `until` would show differently from one at `site.now`."""
    return tuple(c for c in _site_changes(site) if c.moment <= until)


def _site_changes(site: Site) -> tuple[Change, ...]:
    # An event starting changes nothing that is shown (its booking link hides itself).
    return tuple(c for c in coming_changes(site) if c.what != "event starts")


def next_change(site: Site) -> Change | None:
    """The first moment the built site goes out of date, or None if nothing is coming.

    An article going live adds pages; an event ending moves it from "upcoming" to "past";
    an expiry takes a record off. An event starting changes nothing that is shown.
    """
    return next(iter(_site_changes(site)), None)
