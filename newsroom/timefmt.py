"""How dates, times and event ranges read on the page, in the site's language."""

from __future__ import annotations

from datetime import date, datetime

from newsroom.i18n import Language


def event_range(start: datetime, end: datetime | None, all_day: bool,
                language: Language) -> str:
    """A range that reads naturally, in the event's own time zone with the zone shown
    (in English: 'Tuesday, 7 July 2020', 'Tue, 7 – Thu, 9 Jul 2020',
    'Tuesday, 7 July 2020, 14:00–15:30 BST', 'Tue, 7 Jul 2020, 09:00 – Thu, 9 Jul 2020,
    17:00 BST')."""
    if all_day:
        first, last = start.date(), (end or start).date()
        return language.full_day(first) if first == last else language.days(first, last)
    if end is None or end == start:
        return f"{language.at(language.full_day(start), language.clock(start))} {start:%Z}"
    if end.date() == start.date():
        zone = f"{start:%Z}" if f"{start:%Z}" == f"{end:%Z}" else f"{start:%Z}–{end:%Z}"
        return f"{language.at(language.full_day(start), language.hours(start, end))} {zone}"
    first = language.at(language.short_day(start), language.clock(start))
    last = language.at(language.short_day(end), language.clock(end))
    if f"{start:%Z}" == f"{end:%Z}":
        return f"{first} – {last} {end:%Z}"
    return f"{first} {start:%Z} – {last} {end:%Z}"


def iso(moment: date | datetime) -> str:
    """A machine-readable date or date-time for <time datetime> and JSON-LD."""
    if isinstance(moment, datetime):
        return moment.isoformat(timespec="seconds")
    return moment.isoformat()
