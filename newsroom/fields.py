"""One schema table per record kind and one `check_fields` that checks them all."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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
        if not isinstance(name, str):
            problems.append(Problem(path, line, f"{prefix}key {name!r} is not a name; "
                                                "write a word such as title:"))
            continue
        field = schema.get(name)
        if field is None:
            near = difflib.get_close_matches(name, list(schema), n=1, cutoff=0.75)
            if near:
                problems.append(Problem(path, line, f"{prefix}unknown key '{name}' "
                                                    f"(did you mean '{near[0]}'?)"))
            elif keep_unknown:
                extra[name] = raw
            else:
                known = ", ".join(sorted(schema))
                problems.append(Problem(path, line, f"{prefix}unknown key '{name}' "
                                                    f"(known keys: {known})"))
            continue
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if field.required:
                problems.append(Problem(path, line, f"{prefix}{name}: is empty "
                                                    f"(write {name}: {field.example})"))
            continue
        try:
            values[name] = field.parse(raw)
        except FieldError as error:
            problems.append(Problem(path, line, f"{prefix}{name}: {error}"))
    for name, field in schema.items():
        if field.required and name not in mapping:
            problems.append(Problem(path, doc.line(key), f"{prefix}{name}: missing "
                                                        f"(add {name}: {field.example})"))
    return Checked(values, extra, problems)


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
    return result


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


def when(value: Any) -> date | datetime:
    """A date (2020-07-06) or a date and time (2020-07-06 09:30, with optional offset)."""
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


def timezone(value: Any) -> ZoneInfo:
    """An IANA time zone name such as Europe/London."""
    hint = "(write an IANA name such as Europe/London or America/New_York)"
    name_pattern = r"[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+)*"
    if not isinstance(value, str) or not re.fullmatch(name_pattern, value.strip()):
        raise FieldError(f"{_show(value)} is not a time zone {hint}")
    try:
        return ZoneInfo(value.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise FieldError(f"{_show(value)} is not a known time zone {hint}") from None


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
            near = difflib.get_close_matches(result, options, n=1)
            hint = f"did you mean '{near[0]}'? " if near else ""
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
