"""What `check` warns about in what articles say: weekdays and dates, categories, and what
the sanitiser takes out.

An article that announces an event usually says when it is in words. If the weekday and the
date disagree (a Wednesday that is really a Tuesday), readers turn up on the wrong day: the
`check` command warns about it, at the line.

A site that does not declare its categories takes any: a slip ('Guidse') makes a category of
its own, with one article. `check` warns about a category used once whose name is close to
another's, and about a byline close to an author's profile that is not quite it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, timedelta

from newsroom.config import close_category
from newsroom.content import Article, Event, markdown_of
from newsroom.markup import removed_by_sanitiser
from newsroom.problems import Problem
from newsroom.site import Site, category_of, dates_of, group_terms

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
_DAY = r"(?P<weekday>(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?)\.?,?"
_MONTH = (r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
          r"|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?")
_NUMBER = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>\d{4}))?"


def _pattern() -> re.Pattern[str]:
    # "Tuesday 7th July [2020]", "Tue, 7 July", and "Tuesday, July 7[th][, 2020]": the two
    # word orders need their own group names.
    first = rf"\b{_DAY}\s+(?:the\s+)?{_NUMBER}(?:\s+of)?\s+{_MONTH}{_YEAR}\b"
    second = rf"\b{_DAY}\s+{_MONTH}\s+{_NUMBER}{_YEAR}\b".replace("(?P<", "(?P<us_")
    return re.compile(f"{first}|{second}", re.IGNORECASE)


MENTION = _pattern()


def author_warnings(site: Site) -> list[Problem]:
    """A warning for each byline with no profile whose name is close to a profile's."""
    authors = [profile.author for profile in site.profiles]
    names = {a.name: a for a in authors} | {a.slug: a for a in authors}
    warnings = []
    for article in site.articles:
        for byline in site.bylines.get(article.slug, ()):
            near = None if byline.slug else difflib.get_close_matches(byline.name, names,
                                                                      n=1, cutoff=0.8)
            if near:
                found = names[near[0]]
                line = article.lines.get("authors", article.lines.get("author"))
                warnings.append(Problem(article.source, line, f"author '{byline.name}' has "
                                        f"no profile (did you mean '{found.name}', "
                                        f"{found.source}? write '{found.slug}')"))
    return warnings


def weekday_problems(site: Site) -> list[Problem]:
    """Every weekday-and-date in an article that disagrees with the article's events."""
    problems = []
    for article in site.articles:
        events = site.events_of_article.get(article.slug, ())
        if events:
            problems += _check_article(article, events, site)
    return problems


def _event_days(event: Event, site: Site) -> set[date]:
    days = set()
    for each in dates_of(site, event):
        day, last = each.start.date(), (each.ends - timedelta(microseconds=1)).date()
        while day <= last:
            days.add(day)
            day += timedelta(days=1)
    return days


@dataclass(frozen=True)
class _Mention:
    """A weekday and date as an article writes them: month 1 to 12, weekday 0 (Monday) to 6,
    and the year if it is written."""

    weekday: int
    day: int
    month: int
    year: int | None


def _check_article(article: Article, events: tuple[Event, ...], site: Site) -> list[Problem]:
    days = set().union(*(_event_days(e, site) for e in events))
    years = sorted({d.year for d in days})
    problems = []
    for match in MENTION.finditer(article.markdown):
        mention = _mention(match)
        named = _wrong_weekday_date(mention, years)
        if named is None:
            continue
        line = article.body_line + article.markdown.count("\n", 0, match.start())
        problems.append(Problem(article.source, line, _advice(
            match.group(0), named if mention.year is not None else None, days, mention.month,
            mention.day, years)))
    return problems


def _mention(match: re.Match[str]) -> _Mention:
    """The weekday and date a match of MENTION names, in either word order."""
    parts = {name.removeprefix("us_"): value for name, value in match.groupdict().items()
             if value}
    weekday = next(i for i, name in enumerate(WEEKDAYS)
                   if name.startswith(parts["weekday"].lower()[:3]))
    month = next(i for i, name in enumerate(MONTHS, 1)
                 if name.startswith(parts["month"].lower()[:3]))
    return _Mention(weekday, int(parts["day"]), month,
                   int(parts["year"]) if "year" in parts else None)


def _wrong_weekday_date(mention: _Mention, years: list[int]) -> date | None:
    """The date a mention names when its weekday is wrong in its year, or in every year of
    the events if it gives none (then the last of them that has the date); else None. None
    too when no such date exists (30 February): that is not a weekday question."""
    named = None
    for year in [mention.year] if mention.year is not None else years:
        try:
            named = date(year, mention.month, mention.day)
        except ValueError:
            continue
        if named.weekday() == mention.weekday:
            return None
    return named


def _advice(said: str, named: date | None, days: set[date], month: int, day: int,
            years: list[int]) -> str:
    matching = sorted(d for d in days if (d.month, d.day) == (month, day)
                      and (named is None or d == named))
    when = matching[0] if matching else (named or date(years[0], month, day))
    return (f"'{said}' names the wrong weekday: {when.day} {when:%B %Y} is a {when:%A}"
            f"{' (the date of its related event)' if matching else ''}; write "
            f"{when:%A} {when.day} {when:%B}, or correct the date")


def category_warnings(site: Site) -> list[Problem]:
    """Where the site declares no categories: a warning at each category used by one article
    or event only whose name is close to another category's (probably a slip)."""
    if site.config.categories:
        return []  # (the build already holds every category to the declared ones)
    records = (*site.articles, *site.events)
    used = group_terms([category_of(r) for r in records], records,
                       lambda name, slug, filed: (name, slug, filed))
    names = {slug: name for name, slug, _ in used}
    problems = []
    for name, slug, (record, *others) in used:
        near = None if others else close_category(
            name, {s: n for s, n in names.items() if s != slug})
        if near:
            problems.append(Problem(record.source, record.lines.get("category"),
                                    f"category: '{name}' is used only here and is "
                                    f"close to '{near}'; write '{near}', or declare the site's "
                                    f"categories in {site.config.source}"))
    return sorted(problems)


def sanitiser_warnings(site: Site) -> list[Problem]:
    """Everything the sanitiser takes out of an article, event or page, at its line: it would
    vanish from the page without a word (a <script>, a frame, an onclick=)."""
    problems = []
    for record in (*site.articles, *site.events, *site.pages):
        text, first = markdown_of(record)
        for line, what in removed_by_sanitiser(text):
            hint = (", or show a video with ![Its title](its YouTube or Vimeo address) on a "
                    "line of its own" if what == "<iframe>" else "")
            problems.append(Problem(record.source, first + line,
                                    f"{what} is taken out of the page (articles carry no "
                                    f"scripts, styles, forms or frames); delete it{hint}"))
    return sorted(problems)
