"""The site's language: its interface strings, from gettext catalogues (Babel), and its dates,
times and script direction.

newsroom's catalogues are `newsroom/locales/<language>.po` (the English strings are the
message ids). A site may change any string, in any language, in a catalogue of its own:
`locales/<language>.po` in the site's folder, read after newsroom's.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import (
    format_date,
    format_interval,
    format_skeleton,
    format_time,
    get_datetime_format,
)
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import Translations

from newsroom.cache import digest
from newsroom.problems import BuildError, Problem

CATALOGUES = Path(__file__).resolve().parent / "locales"
SITE_CATALOGUES = "locales"  # the site's own, beside site_config.yaml


@dataclass(frozen=True, eq=False)
class Language:
    """How the site speaks: its strings, its locale's dates and times, its direction."""

    tag: str  # as site_config.yaml gives it: 'en-GB', 'fr'
    locale: Locale
    translations: Translations
    fingerprint: str  # a hash of the catalogues the strings come from

    def gettext(self, message: str) -> str:
        """The message in the site's language."""
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """The singular or plural message, as the language counts."""
        return self.translations.ngettext(singular, plural, count)

    def names(self, items: list[str]) -> str:
        """'Ada, Grace and Bob', 'Ada, Grace et Bob': a list as the language writes it."""
        return format_list(items, locale=self.locale) if items else ""

    @property
    def direction(self) -> str:
        """'ltr', or 'rtl' for a language written right to left."""
        return "rtl" if self.locale.text_direction == "rtl" else "ltr"

    def long_date(self, moment: date | datetime) -> str:
        """'6 July 2020', '6 juillet 2020'."""
        return format_date(_day(moment), "long", locale=self.locale)

    def full_day(self, moment: date | datetime) -> str:
        """'Monday, 6 July 2020', 'lundi 6 juillet 2020'."""
        return format_date(_day(moment), "full", locale=self.locale)

    def short_day(self, moment: date | datetime) -> str:
        """'Mon, 6 Jul 2020', 'lun. 6 juil. 2020'."""
        return format_skeleton("yMMMEd", _day(moment), locale=self.locale)

    def month(self, moment: date | datetime) -> str:
        """The month, short: 'Jul', 'juil.'."""
        return format_date(_day(moment), "MMM", locale=self.locale)

    def clock(self, moment: datetime) -> str:
        """'14:00', '2:00 PM': as the locale writes a time."""
        return format_time(moment, "short", locale=self.locale)

    def days(self, first: date, last: date) -> str:
        """A range of whole days: 'Tue, 7 – Thu, 9 Jul 2020'."""
        return format_interval(first, last, "yMMMEd", locale=self.locale)

    def hours(self, start: datetime, end: datetime) -> str:
        """A range of times within a day: '14:00–15:30', '2:00 – 3:30 PM'."""
        skeleton = "Hm" if "H" in self.locale.time_formats["short"].pattern else "hm"
        return format_interval(start, end, skeleton, locale=self.locale)

    def at(self, day: str, time: str) -> str:
        """A date and a time together, as the locale joins them: 'Tue, 7 Jul 2020, 14:00'."""
        return get_datetime_format("medium", locale=self.locale).replace(
            "{1}", day).replace("{0}", time)


def _day(moment: date | datetime) -> date:
    # (A datetime's date in its own zone: Babel would otherwise convert it to UTC.)
    return moment.date() if isinstance(moment, datetime) else moment


def language(tag: str, site_root: Path) -> Language:
    """The language `tag` (BCP 47, as site_config.yaml gives it) with newsroom's catalogue for
    it and the site's own, if any; BuildError when it is unknown or a catalogue cannot be
    read. (Made again when a catalogue changes: the preview edits them too.)"""
    try:
        locale = Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        raise BuildError([Problem("site_config.yaml", None, f"language: {tag} is not a "
                                  "language newsroom knows (write a BCP 47 tag such as en-GB, "
                                  "en, fr, de or es)")]) from None
    paths = _catalogue_paths(locale, site_root)
    return _language(tag, locale, site_root, tuple((path, *_stamp(path)) for path in paths))


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


@lru_cache(maxsize=8)
def _language(tag: str, locale: Locale, site_root: Path,
              catalogues: tuple[tuple[Path, int, int], ...]) -> Language:
    translations = Translations()
    for path, _, _ in catalogues:
        translations.merge(_compiled(path, site_root))
    return Language(tag, locale, translations,
                    digest(tag, *(f"{path}:{digest(path.read_bytes())}"
                                  for path, _, _ in catalogues)))


def _catalogue_paths(locale: Locale, site_root: Path) -> list[Path]:
    """The catalogues for a locale, least particular first: newsroom's language and region
    ('fr', 'fr_CA'), then the site's own; the later ones win."""
    names = [locale.language, str(locale)] if str(locale) != locale.language else [
        locale.language]
    folders = [CATALOGUES, site_root / SITE_CATALOGUES]
    return [folder / f"{name}.po" for folder in folders for name in names
            if (folder / f"{name}.po").is_file()]


def _compiled(path: Path, site_root: Path) -> Translations:
    """A .po catalogue read and compiled in memory; BuildError when it cannot be read."""
    where = path.relative_to(site_root).as_posix() if path.is_relative_to(site_root) \
        else str(path)
    try:
        with path.open("rb") as handle:
            catalogue = read_po(handle, abort_invalid=True)
    except PoFileError as error:
        raise BuildError([Problem(where, error.lineno + 1, f"'{error.line.strip()}' is not a "
                                  'line of a catalogue; write msgid "the English text" and '
                                  'msgstr "yours", each in double quotes')]) from None
    except OSError as error:
        raise BuildError([Problem(where, None, f"cannot read: {error.strerror}")]) from None
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return Translations(compiled)
