"""How dates, times and event ranges read on the page: '7 July 2020', 'Tue 7 – Thu 9 July'."""

from __future__ import annotations

from datetime import date, datetime


def long_date(moment: date | datetime) -> str:
    """'6 July 2020'."""
    return f"{moment.day} {moment:%B %Y}"


def weekday(moment: date | datetime, short: bool = False) -> str:
    """"Tuesday", or "Tue" when short."""
    return f"{moment:%a}" if short else f"{moment:%A}"


def clock(moment: datetime) -> str:
    """'14:00'."""
    return f"{moment:%H:%M}"


def full_day(moment: date | datetime, short: bool = False) -> str:
    """'Tuesday 7 July 2020' (or 'Tue 7 July 2020')."""
    return f"{weekday(moment, short)} {long_date(moment)}"


def event_range(start: datetime, end: datetime | None, all_day: bool) -> str:
    """A range that reads naturally, in the event's own time zone with the zone shown.

    'Tuesday 7 July 2020' · 'Tue 7 – Thu 9 July 2020' · 'Tuesday 7 July 2020, 14:00–15:30 BST'
    · 'Tue 7 July 2020, 09:00 – Thu 9 July 2020, 17:00 BST'.
    """
    if all_day:
        last = (end or start).date()
        first = start.date()
        if last == first:
            return full_day(first)
        if (first.year, first.month) == (last.year, last.month):
            return f"{first:%a} {first.day} – {full_day(last, short=True)}"
        if first.year == last.year:
            return f"{first:%a} {first.day} {first:%B} – {full_day(last, short=True)}"
        return f"{full_day(first, short=True)} – {full_day(last, short=True)}"
    if end is None or end == start:
        return f"{full_day(start)}, {clock(start)} {start:%Z}"
    if end.date() == start.date():
        zone = f"{start:%Z}" if f"{start:%Z}" == f"{end:%Z}" else f"{start:%Z}–{end:%Z}"
        return f"{full_day(start)}, {clock(start)}–{clock(end)} {zone}"
    if f"{start:%Z}" == f"{end:%Z}":
        return (f"{full_day(start, short=True)}, {clock(start)} – "
                f"{full_day(end, short=True)}, {clock(end)} {end:%Z}")
    return (f"{full_day(start, short=True)}, {clock(start)} {start:%Z} – "
            f"{full_day(end, short=True)}, {clock(end)} {end:%Z}")


def iso(moment: date | datetime) -> str:
    """A machine-readable date or date-time for <time datetime> and JSON-LD."""
    if isinstance(moment, datetime):
        return moment.isoformat(timespec="seconds")
    return moment.isoformat()

