"""Repeating events: the editor's `repeat:` (or a raw `rrule:`) as an RFC 5545 rule, its dates.

The rule is kept as the RRULE value a calendar file carries, with UNTIL in UTC for timed
events (RFC 5545 requires it when DTSTART has a time zone) and as a date for all-day ones.
Dates are made in the event's own zone by wall-clock time, so a weekly 10:00 meeting stays
at 10:00 across a change to or from summer time.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from newsroom.i18n import Language

FREQUENCIES = {"daily": "DAILY", "weekly": "WEEKLY", "monthly": "MONTHLY", "yearly": "YEARLY"}
# A series may not list more dates than this: a page of 500 dates helps nobody, and it keeps
# a typo such as `until: 9999-01-01` on a daily event from making millions.
MAX_DATES = 500
# The parts of an RFC 5545 rule that pick dates; times come from the event's start.
_PARTS = ("FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYYEARDAY",
          "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST")


class RuleError(ValueError):
    """A rule that cannot be used, with what to write instead."""


def friendly_rule(frequency: str, interval: int, count: int | None, until: date | None,
                  all_day: bool, zone: ZoneInfo) -> str:
    """The RRULE value for `repeat: {frequency, interval, count or until}`."""
    parts = [f"FREQ={FREQUENCIES[frequency]}"]
    if interval > 1:
        parts.append(f"INTERVAL={interval}")
    if count is not None:
        parts.append(f"COUNT={count}")
    if until is not None:
        parts.append(f"UNTIL={_until(until, all_day, zone)}")
    return ";".join(parts)


def raw_rule(text: str, all_day: bool, zone: ZoneInfo) -> str:
    """A written RRULE value, checked and with UNTIL put the way RFC 5545 wants it."""
    parts = _written_parts(text)
    _check_numbers(parts)
    if parts.get("FREQ") not in FREQUENCIES.values():
        raise RuleError(f"'{text}' needs FREQ=DAILY, WEEKLY, MONTHLY or YEARLY")
    if "UNTIL" in parts:
        if "COUNT" in parts:
            raise RuleError("give COUNT or UNTIL, not both")
        parts["UNTIL"] = _written_until(parts["UNTIL"], all_day, zone)
    rule = ";".join(f"{name}={setting}" for name, setting in parts.items())
    _check_makes_dates(rule, text, all_day, zone)
    return rule


def _written_parts(text: str) -> dict[str, str]:
    """The NAME=VALUE parts of a written rule, names and values in capitals; RuleError for
    one that is not such a part, or not one that picks dates."""
    value = text.strip().removeprefix("RRULE:").strip()
    parts: dict[str, str] = {}
    for part in value.split(";"):
        name, equals, setting = part.partition("=")
        name = name.strip().upper()
        if not equals or not name or not setting.strip():
            raise RuleError(f"'{text}' is not a recurrence rule (write FREQ=WEEKLY;COUNT=6, "
                            "or use repeat:)")
        if name == "DTSTART":
            raise RuleError("the rule may not hold DTSTART; the event's start: is the first date")
        if name not in _PARTS:
            raise RuleError(f"{name} is not used here (the times come from start: and end:); "
                            f"write only {', '.join(_PARTS)}")
        parts[name] = setting.strip().upper()
    return parts


def _check_numbers(parts: dict[str, str]) -> None:
    """RuleError for an INTERVAL or COUNT that is not a whole number from 1 to 1000."""
    for name in ("INTERVAL", "COUNT"):
        if name in parts and not (parts[name].isdigit() and 1 <= int(parts[name]) <= 1000):
            raise RuleError(f"{name}={parts[name]} must be a whole number from 1 to 1000")


def _written_until(until: str, all_day: bool, zone: ZoneInfo) -> str:
    """A written UNTIL as RFC 5545 wants it: a bare date, or a time not in UTC, becomes the
    end of that day; a time in UTC stays as it is."""
    try:
        written = datetime.strptime(until[:8], "%Y%m%d").date()
    except ValueError:
        raise RuleError(f"UNTIL={until} is not a date (write UNTIL=20270630)") from None
    if len(until) == 8 or not until.endswith("Z"):
        return _until(written, all_day, zone)
    return until


def _check_makes_dates(rule: str, text: str, all_day: bool, zone: ZoneInfo) -> None:
    """RuleError if dateutil cannot make dates from the rule."""
    try:
        rrulestr(rule, dtstart=_first(datetime(2000, 1, 1, tzinfo=zone), all_day))
    except (ValueError, TypeError) as error:
        raise RuleError(f"'{text}' is not a recurrence rule ({error}); write FREQ=WEEKLY;"
                        "COUNT=6, or use repeat:") from None


def _until(day: date, all_day: bool, zone: ZoneInfo) -> str:
    if all_day:
        return f"{day:%Y%m%d}"
    last = datetime.combine(day, time(23, 59, 59), zone).astimezone(UTC)
    return f"{last:%Y%m%dT%H%M%SZ}"


def _first(start: datetime, all_day: bool) -> datetime:
    # All-day series run on dates, which carry no zone; timed ones on the zone's clock.
    return start.replace(tzinfo=None) if all_day else start


def starts(rule: str, start: datetime, all_day: bool, skipped: tuple[str, ...],
           until: datetime | None = None, limit: int | None = MAX_DATES
           ) -> Iterator[datetime]:
    """The start of every date of the series, in the event's zone, without skipped dates
    (ISO dates); at most `limit` (None: no limit), and none after `until`."""
    zone = start.tzinfo
    made = 0
    for moment in rrulestr(rule, dtstart=_first(start, all_day)):
        if all_day:
            moment = datetime.combine(moment.date(), time(), zone)
        if until is not None and moment > until:
            return
        if moment.date().isoformat() in skipped:
            continue
        yield moment
        made += 1
        if limit is not None and made >= limit:
            return


def is_endless(rule: str) -> bool:
    parts = _parts(rule)
    return "COUNT" not in parts and "UNTIL" not in parts


def describe(rule: str, zone: ZoneInfo, language: Language) -> str:
    """'Every week', 'Every 2 weeks, 6 times', 'Every month until 30 June 2027'."""
    parts = _parts(rule)
    text = _every(parts["FREQ"], int(parts.get("INTERVAL", "1")), language)
    if "BYDAY" in parts or "BYMONTHDAY" in parts or "BYMONTH" in parts or "BYSETPOS" in parts:
        text = language.gettext("Repeats %(rule)s") % {"rule": text[:1].lower() + text[1:]}
    if "COUNT" in parts:
        count = int(parts["COUNT"])
        return language.ngettext("%(rule)s, %(num)d time", "%(rule)s, %(num)d times",
                                 count) % {"rule": text, "num": count}
    if "UNTIL" in parts:
        last = language.long_date(_last_day(parts["UNTIL"], zone))
        return language.gettext("%(rule)s until %(date)s") % {"rule": text, "date": last}
    return text


def _every(frequency: str, interval: int, language: Language) -> str:
    """'Every week', 'Every 2 weeks'."""
    every = {
        "DAILY": language.ngettext("Every day", "Every %(num)d days", interval),
        "WEEKLY": language.ngettext("Every week", "Every %(num)d weeks", interval),
        "MONTHLY": language.ngettext("Every month", "Every %(num)d months", interval),
        "YEARLY": language.ngettext("Every year", "Every %(num)d years", interval)}
    return every[frequency] % {"num": interval}


def _parts(rule: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in rule.split(";"))


def _last_day(until: str, zone: ZoneInfo) -> date:
    # Kept in UTC for timed events: the last day is the one it falls on in the event's zone.
    moment = datetime.strptime(until[:15], "%Y%m%dT%H%M%S") if "T" in until else None
    if moment is None:
        return datetime.strptime(until[:8], "%Y%m%d").date()
    return moment.replace(tzinfo=UTC).astimezone(zone).date()
