"""The bulletin: the week's articles and the coming events, for readers who read e-mail
rather than feeds. A bulletin is issued each Monday at midnight (site time) with the articles
of the week before; the site publishes a year's (/bulletin/<date>/, the latest at
/bulletin/latest/ and in an RSS feed that RSS-to-e-mail services send), and `newsroom
bulletin` writes one as an e-mail ready to send (HTML with a plain-text part)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from zoneinfo import ZoneInfo

from newsroom.content import Article, Event

WEEK = timedelta(days=7)
EVENTS_SHOWN = 10  # the coming events a bulletin lists, soonest first
# The bulletins in the feed, newest first, and those that keep a page: a year's. (A page
# for every week of a site's life cost a sixth of a cold build at 5,000 articles; an older
# bulletin's address leads to the latest, see feeds.redirects.)
IN_FEED = 10
WITH_PAGES = 52


@dataclass(frozen=True)
class Bulletin:
    """The articles published from `since` until `issued`, newest first, and the events to
    come at `issued`, soonest first."""

    issued: datetime
    since: datetime
    articles: tuple[Article, ...]
    events: tuple[Event, ...]

    @property
    def slug(self) -> str:
        """Its address's last part: the day it is issued, 2027-03-01."""
        return self.issued.date().isoformat()


def week_start(moment: datetime, zone: ZoneInfo) -> datetime:
    """Midnight on the Monday of the moment's week, in the site's time: when a bulletin
    is issued."""
    day = moment.astimezone(zone).date()
    return datetime.combine(day - timedelta(days=day.weekday()), time(), zone)


def bulletin(articles: Sequence[Article], dates: Sequence[Event], since: datetime,
             issued: datetime) -> Bulletin:
    """The bulletin of the articles (newest first) from `since` until `issued`, with the
    events to come: `dates` are every event's dates, soonest first (event_dates)."""
    return Bulletin(issued, since, tuple(a for a in articles if since <= a.date < issued),
                    _coming(dates, issued))


def issued_bulletins(articles: Sequence[Article], dates: Sequence[Event], now: datetime,
                     zone: ZoneInfo) -> tuple[Bulletin, ...]:
    """Every bulletin issued by `now` that has an article, newest first (the site keeps them:
    Site.bulletins)."""
    this_week = week_start(now, zone)
    weeks: dict[datetime, list[Article]] = defaultdict(list)
    for article in articles:  # (newest first)
        start = week_start(article.date, zone)
        if start < this_week:
            weeks[start].append(article)
    return tuple(Bulletin(start + WEEK, start, tuple(weeks[start]), _coming(dates, start + WEEK))
                 for start in sorted(weeks, reverse=True))


def dates_soonest_first(dates_of_event: dict[str, tuple[Event, ...]]) -> list[Event]:
    """Every date of every event, soonest first, as bulletins list them."""
    return sorted((d for dates in dates_of_event.values() for d in dates),
                  key=lambda d: (d.start, d.slug))


def _coming(dates: list[Event], moment: datetime) -> tuple[Event, ...]:
    """The first EVENTS_SHOWN events not ended at `moment`, each once (a repeating one at
    its next date), as the events page lists them."""
    seen: dict[str, Event] = {}
    for event in dates:
        if len(seen) == EVENTS_SHOWN:
            break
        if event.ends > moment:
            seen.setdefault(event.slug, event)
    return tuple(seen.values())


@dataclass(frozen=True)
class Email:
    """A bulletin as e-mail: its subject, HTML and plain text."""

    subject: str
    html: str
    text: str

    def message(self, moment: datetime) -> bytes:
        """The e-mail, ready to send: multipart/alternative, plain text first. The service
        that sends it adds From and To."""
        message = EmailMessage()
        message["Subject"] = self.subject
        message["Date"] = format_datetime(moment)
        message.set_content(self.text)
        message.add_alternative(self.html, subtype="html")
        return bytes(message)
