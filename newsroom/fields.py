"""One schema table per record kind and one `check_fields` that checks them all."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import unquote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from newsroom.problems import Problem
from newsroom.slugs import slugify
from newsroom.yamlsource import Key, YamlDoc


class FieldError(ValueError):
    """A value that cannot be used, with a message that says what to write instead."""


@dataclass(frozen=True)
class Field:
    """How to read one key: a parser that returns the value or raises FieldError."""

    parse: Callable[[Any], Any]
    required: bool = False
    example: str = ""
    # "" written as such is a value said on purpose (image_alt: "" for a decorative
    # picture), not a field left empty.
    keeps_empty: bool = False


Schema = Mapping[str, Field]


@dataclass(frozen=True)
class Checked:
    """The parsed known fields, the unknown keys kept as they are, and the problems."""

    values: dict[str, Any]
    extra: dict[str, Any]
    problems: list[Problem]


def check_fields(mapping: Any, schema: Schema, doc: YamlDoc, key: Key, path: str, *,
                 label: str = "", keep_unknown: bool = False) -> Checked:
    """Check a mapping against a schema; collect every problem with the line of its key."""
    prefix = f"{label}: " if label else ""
    if not isinstance(mapping, dict):
        found = type(mapping).__name__ if mapping is not None else "nothing"
        return Checked({}, {}, [Problem(path, doc.line(key), f"{prefix}expected key: value "
                                        f"lines (a mapping), found {found}")])
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, raw in mapping.items():
        line = doc.line(key + (name,))
        field = schema.get(name) if isinstance(name, str) else None
        if field is None:
            message = _unknown_key_problem(name, schema, keep_unknown)
            if message is None:
                extra[name] = raw
        else:
            message = _parse_into(values, name, raw, field)
        if message is not None:
            problems.append(Problem(path, line, prefix + message))
    problems += [Problem(path, doc.line(key), f"{prefix}{message}")
                 for message in _missing_field_problems(mapping, schema)]
    return Checked(values, extra, problems)


def check_items(items: list[Any], schema: Schema, doc: YamlDoc, key: Key, path: str,
                label: str) -> tuple[list[tuple[int, dict[str, Any]]], list[Problem]]:
    """Each mapping of a list (menu:, links:, corrections:) checked against the schema: the
    values of those with no problem, with their place in the list, and every problem, its
    message starting '<label> <number>: '."""
    values: list[tuple[int, dict[str, Any]]] = []
    problems: list[Problem] = []
    for index, item in enumerate(items):
        checked = check_fields(item, schema, doc, key + (index,), path,
                               label=f"{label} {index + 1}")
        problems += checked.problems
        if not checked.problems:
            values.append((index, checked.values))
    return values, problems


def _unknown_key_problem(name: Any, schema: Schema, keep_unknown: bool) -> str | None:
    """What is wrong with a key the schema does not have; None: keep it as it is."""
    if not isinstance(name, str):
        return f"key {name!r} is not a name; write a word such as title:"
    near = near_miss(name, schema)
    if near:
        return f"unknown key '{name}' (did you mean '{near}'?)"
    if keep_unknown:
        return None
    known = ", ".join(sorted(schema))
    return f"unknown key '{name}' (known keys: {known})"


def _parse_into(values: dict[str, Any], name: str, raw: Any, field: Field) -> str | None:
    """Put the parsed value in `values`, or say what is wrong with it. An empty value is
    left out: a problem only when the field is required."""
    if isinstance(raw, str) and not raw.strip() and field.keeps_empty:
        values[name] = ""
        return None
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return f"{name}: is empty (write {name}: {field.example})" if field.required else None
    try:
        values[name] = field.parse(raw)
    except FieldError as error:
        return f"{name}: {error}"
    return None


def _missing_field_problems(mapping: dict[Any, Any], schema: Schema) -> list[str]:
    """What to add for each required field the mapping lacks."""
    return [f"{name}: missing (add {name}: {field.example})"
            for name, field in schema.items() if field.required and name not in mapping]


def _typos(a: str, b: str) -> int:
    """Edits between two words, a swap of neighbours counting as one (optimal alignment)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1,
                             previous[j - 1] + (char_a != char_b))
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def near_miss(name: str, known: Iterable[str]) -> str | None:
    """The known word `name` is probably a typo of (one or two slips), if any.

    Closer than difflib's ratio: 'subtitle' is a custom key, not a misspelt 'title'.
    """
    allowed = 1 if len(name) <= 6 else 2
    scored = sorted((_typos(name.lower(), word.lower()), word) for word in known)
    return scored[0][1] if scored and scored[0][0] <= allowed else None


# Characters that XML 1.0 (feeds) and HTML forbid: C0 controls but tab, newline and
# carriage return; lone surrogates; and the non-characters U+FFFE and U+FFFF.
FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff"
                                  "\ufffe\uffff]")


def forbidden_character(text: str) -> str | None:
    """A message naming the first character feeds and pages cannot carry, if any."""
    found = FORBIDDEN_CHARACTERS.search(text)
    if not found:
        return None
    return (f"contains the invisible control character U+{ord(found.group()):04X}, which "
            "feeds and web pages cannot carry (it often comes with pasted text); delete it")


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "...'"


def text(value: Any) -> str:
    """A single line or paragraph of text; numbers are taken as their text."""
    if isinstance(value, bool) or not isinstance(value, str | int | float | date):
        raise FieldError(f"{_show(value)} is not text (write plain text, in quotes if it "
                         "contains ': ')")
    result = str(value).strip()
    if not result:
        raise FieldError("is empty")
    problem = forbidden_character(result)
    if problem:
        raise FieldError(problem)
    return result


def colour(value: Any) -> str:
    """A colour as CSS writes it in hex: '#0b5d7a'."""
    if not isinstance(value, str) or not re.fullmatch(r"#[0-9a-fA-F]{6}", value.strip()):
        raise FieldError(f"{_show(value)} is not a colour (write it as CSS does, in quotes: "
                         "\"#0b5d7a\")")
    return value.strip().lower()


def boolean(value: Any) -> bool:
    """true or false."""
    if not isinstance(value, bool):
        raise FieldError(f"{_show(value)} is not true or false (write true or false)")
    return value


def string_list(value: Any) -> tuple[str, ...]:
    """A YAML list of text, or one comma-separated line."""
    items = [i for i in value.split(",") if i.strip()] if isinstance(value, str) else value
    if not isinstance(items, list):
        raise FieldError(f"{_show(value)} is not a list (write [first, second])")
    result = []
    for item in items:
        try:
            result.append(text(item))
        except FieldError:
            raise FieldError(f"{_show(item)} is not text (write [first, second])") from None
    return tuple(dict.fromkeys(result))


FIRST_YEAR, LAST_YEAR = 1900, 9998


def when(value: Any) -> date | datetime:
    """A date (2020-07-06) or a date and time (2020-07-06 09:30, with optional offset)."""
    moment = _moment(value)
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise FieldError(f"{_show(value)} is outside the years {FIRST_YEAR} to {LAST_YEAR} "
                         "(write a date such as 2020-07-06)")
    return moment


def _moment(value: Any) -> date | datetime:
    if isinstance(value, datetime | date):
        return value
    if isinstance(value, str):
        candidate = value.strip()
        try:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", candidate):
                return date.fromisoformat(candidate)
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?"
                            r"(Z|[+-]\d{2}:?\d{2})?", candidate):
                if re.search(r"[T ]\d:", candidate):
                    candidate = re.sub(r"([T ])(\d):", r"\g<1>0\2:", candidate)
                return datetime.fromisoformat(candidate)
        except ValueError:
            raise FieldError(f"{_show(value)} is not a real date or time (write "
                             "2020-07-06 or 2020-07-06 09:30)") from None
    raise FieldError(f"{_show(value)} is not a date (write 2020-07-06 or 2020-07-06 09:30)")


def date_list(value: Any) -> tuple[str, ...]:
    """One date or a list of them, as ISO dates ('2027-03-10')."""
    items = value if isinstance(value, list) else [value]
    days = []
    for item in items:
        moment = when(item) if not isinstance(item, list | dict) else None
        if moment is None or isinstance(moment, datetime):
            raise FieldError(f"{_show(item)} is not a date (write [2027-03-10, 2027-03-24])")
        days.append(moment.isoformat())
    return tuple(dict.fromkeys(days))


def mapping(value: Any) -> dict[str, Any]:
    """Key: value lines indented under the key; checked by the caller with their schema."""
    if not isinstance(value, dict):
        raise FieldError(f"{_show(value)} is not a set of key: value lines (indent them "
                         "under the key, one per line)")
    return value


def timezone(value: Any) -> ZoneInfo:
    """An IANA time zone name such as Europe/London."""
    hint = "(write an IANA name such as Europe/London or America/New_York)"
    if not isinstance(value, str) or value.strip() not in _zone_names():
        near = near_miss(value, _zone_names()) if isinstance(value, str) else None
        hint = f"(did you mean {near}?)" if near else hint
        raise FieldError(f"{_show(value)} is not a known time zone {hint}")
    try:
        return ZoneInfo(value.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise FieldError(f"{_show(value)} is not a known time zone {hint}") from None


@lru_cache(maxsize=1)
def _zone_names() -> frozenset[str]:
    # Only real zones: not 'localtime', 'posixrules' or the 'right/' leap-second copies.
    return frozenset(name for name in available_timezones()
                     if not name.startswith(("right/", "posix/")) and name not in (
                         "localtime", "posixrules", "Factory"))


def web_url(value: Any) -> str:
    """A full web address (https://...)."""
    result = text(value)
    if not re.fullmatch(r"https?://[^\s/?#]+\.[^\s/?#]+[^\s]*|https?://localhost(:\d+)?[^\s]*",
                        result):
        raise FieldError(f"{_show(value)} is not a full web address (write "
                         "https://example.org/page)")
    return result


def link(value: Any) -> str:
    """A full web address, or a path on this site starting with / (e.g. /media/photo.jpg)."""
    result = text(value)
    if result.startswith("/") and not result.startswith("//") and not re.search(r"\s", result):
        if ".." in result.split("/"):
            raise FieldError(f"{_show(value)} may not contain '..' (write /media/photo.jpg)")
        return result
    try:
        return web_url(result)
    except FieldError:
        raise FieldError(f"{_show(value)} is not a link (write /media/photo.jpg for a file on "
                         "this site or https://example.org/page)") from None


def uri(value: Any) -> str:
    """A permanent id that is a full URI: https://..., tag:..., or urn:..."""
    result = text(value)
    if not re.fullmatch(r"(https?://[^\s/?#]+[^\s]*|tag:[^\s]+|urn:[a-zA-Z0-9][^\s]*)",
                        result):
        raise FieldError(f"{_show(value)} is not a full URI (write the article's first "
                         "address, https://..., or a tag: such as "
                         "tag:example.org,2020:bright-future)")
    return result


def language(value: Any) -> str:
    """A BCP 47 language tag such as en-GB."""
    result = text(value)
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", result):
        raise FieldError(f"{_show(value)} is not a language tag (write en-GB, en, cy or fr)")
    return result


def slug(value: Any) -> str:
    """Lowercase letters, digits and hyphens: the last part of a page's address."""
    result = text(value)
    if slugify(result) != result:
        suggestion = slugify(result) or "my-page"
        raise FieldError(f"{_show(value)} may only contain lowercase letters, digits and "
                         f"hyphens (write {suggestion})")
    return result


def choice(*options: str) -> Callable[[Any], str]:
    """One of a fixed set of words."""

    def parse(value: Any) -> str:
        result = text(value).lower()
        if result not in options:
            near = near_miss(result, options)
            hint = f"did you mean '{near}'? " if near else ""
            raise FieldError(f"{_show(value)} is not allowed ({hint}write one of: "
                             f"{', '.join(options)})")
        return result

    return parse


def integer(low: int, high: int) -> Callable[[Any], int]:
    """A whole number between low and high."""

    def parse(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise FieldError(f"{_show(value)} is not a whole number from {low} to {high}")
        return value

    return parse


def mapping_list(value: Any) -> list[Any]:
    """A YAML list; its items are checked by the caller with their own schema."""
    if not isinstance(value, list):
        raise FieldError(f"{_show(value)} is not a list (write one '- ' line per item)")
    return value


def site_path(value: Any) -> str:
    """An address on this site, from its root: /news/an-old-headline/. A path whose last part
    has no file extension is a folder, so it ends with /."""
    result = text(value)
    if not result.startswith("/") or re.search(r"[\s?#\\]", result):
        raise FieldError(f"{_show(value)} is not an address on this site (write it from the "
                         "site's root, like /news/an-old-headline/)")
    # As a host reads it: %2E%2E is '..', and %2F a '/' that a folder name cannot hold.
    parts = unquote(result).split("/")
    if any(part in ("", ".", "..") for part in parts[1:-1]) or "/" in "".join(
            unquote(part) for part in result.split("/")):
        raise FieldError(f"{_show(value)} may not contain '.', '..' or empty parts (write "
                         "/news/an-old-headline/)")
    last = parts[-1]
    if "." in last and not last.lower().endswith((".html", ".htm")):
        raise FieldError(f"{_show(value)} is a file that a redirect page cannot stand in for "
                         "(write an address such as /news/an-old-headline/ or /old-page.html)")
    return result if not last or "." in last else result + "/"


def site_path_list(value: Any) -> tuple[str, ...]:
    """One address on this site or a list of them (see site_path)."""
    items = value if isinstance(value, list) else [value]
    return tuple(dict.fromkeys(site_path(item) for item in items))


def email(value: Any) -> str:
    """An e-mail address: name@example.org."""
    result = text(value)
    if not re.fullmatch(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\".]+", result):
        raise FieldError(f"{_show(value)} is not an e-mail address (write "
                         "name@example.org)")
    return result
