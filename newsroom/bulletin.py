"""The bulletin: the week's articles and the coming events, for readers who read e-mail
rather than feeds. A bulletin is issued each Monday at midnight (site time) with the articles
of the week before; the site publishes the latest ones (/bulletin/<date>/, /bulletin/latest/
and an RSS feed that RSS-to-e-mail services send), and `newsroom bulletin` writes one as an
e-mail ready to send (HTML with a plain-text part)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

from newsroom.content import Article, Event
from newsroom.site import Site

WEEK = timedelta(days=7)
EVENTS_SHOWN = 10  # the coming events a bulletin lists, soonest first
# Issued bulletins the site publishes (pages and feed), newest first.
PUBLISHED = 10


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


def bulletin(site: Site, since: datetime, issued: datetime) -> Bulletin:
    """The bulletin of the articles from `since` until `issued`, with the events to come."""
    articles = tuple(a for a in site.articles if since <= a.date < issued)
    seen: set[str] = set()
    events = []
    # Each event once (a repeating one at its next date), as the events page lists them.
    for event in sorted((d for dates in site.dates_of_event.values() for d in dates
                         if d.ends > issued), key=lambda d: (d.start, d.slug)):
        if event.slug not in seen and len(events) < EVENTS_SHOWN:
            seen.add(event.slug)
            events.append(event)
    return Bulletin(issued, since, articles, tuple(events))


def issued_bulletins(site: Site) -> tuple[Bulletin, ...]:
    """The latest bulletins issued by `site.now` that have an article, newest first (at most
    PUBLISHED)."""
    if not site.articles:
        return ()
    zone = site.config.timezone
    today = site.now.astimezone(zone).date()
    issued = datetime.combine(today - timedelta(days=today.weekday()), time(), zone)
    oldest = site.articles[-1].date
    found: list[Bulletin] = []
    while len(found) < PUBLISHED and issued > oldest:
        since = datetime.combine((issued - WEEK).date(), time(), zone)
        week = bulletin(site, since, issued)
        if week.articles:
            found.append(week)
        issued = since
    return tuple(found)


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
