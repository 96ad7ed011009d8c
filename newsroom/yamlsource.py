"""Safe YAML loading that keeps the line of every key, for messages that point at it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from newsroom.problems import Problem

Key = tuple[Any, ...]

# Aliases may be expanded many times over (a "billion laughs" document); past this many
# nodes we stop walking and report the file instead of hanging.
MAX_NODES = 200_000


@dataclass(frozen=True)
class YamlDoc:
    """A loaded YAML document and the 1-based line of every mapping key and list item."""

    data: Any
    lines: dict[Key, int]

    def line(self, key: Key, default: int = 1) -> int:
        """The line of `key` (a path of keys and list indexes), else of its nearest parent."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.lines.get((), default)


class _TooBig(Exception):
    pass


class _TooDeep(Exception):
    pass


class _PyLoader(yaml.SafeLoader):
    """A safe loader that leaves timestamps as text, so fields.when checks them with a line."""


# libyaml's parser when PyYAML has it: about ten times faster, with the same constructor.
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The fast loader, also leaving timestamps as text."""


for _loader in (_PyLoader, _Loader):
    _loader.add_constructor("tag:yaml.org,2002:timestamp",
                            lambda loader, node: loader.construct_scalar(node))


def _compose(text: str, loader_class: type) -> yaml.Node | None:
    loader = loader_class(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _key_value(node: yaml.Node) -> Any:
    """The key as the loaded data holds it: 2020 and true are not '2020' and 'true'."""
    if not isinstance(node, yaml.ScalarNode):
        return repr(node)
    if node.tag == "tag:yaml.org,2002:str":
        return node.value
    try:
        return _Loader("").construct_object(node)
    except (yaml.YAMLError, ValueError, OverflowError):
        return node.value


def parse_yaml(text: str, path: str, line_offset: int = 0) -> tuple[YamlDoc | None, list[Problem]]:
    """Parse YAML text safely; on failure return no document and the problems with lines."""
    plain = plain_mapping(text, line_offset)
    if plain is not None:
        return plain, []
    return parse_with_yaml(text, path, line_offset)


def parse_with_yaml(text: str, path: str, line_offset: int = 0
                    ) -> tuple[YamlDoc | None, list[Problem]]:
    """parse_yaml, with YAML's parser whatever the text."""
    try:
        try:
            node = _compose(text, _Loader)
        except yaml.YAMLError:
            # Read it again with the pure-Python parser: its messages are the clearer ones,
            # and the same whether or not this PyYAML has libyaml.
            node = _compose(text, _PyLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 + line_offset if mark else None
        what = error.problem or error.context or "invalid YAML"
        hint = _syntax_hint(text, mark)
        return None, [Problem(path, line, f"YAML syntax error: {what}{hint}")]
    except yaml.reader.ReaderError as error:
        line = text[: error.position].count("\n") + 1 + line_offset
        return None, [Problem(path, line, f"contains the character U+{error.character:04X}, "
                                          "which YAML does not allow; delete it")]
    except yaml.YAMLError as error:
        return None, [Problem(path, None, f"YAML error: {error}")]
    except RecursionError:
        return None, [Problem(path, None, "YAML is nested too deeply; write it out plainly")]
    if node is None:
        return YamlDoc(None, {}), []
    problems: list[Problem] = []
    lines: dict[Key, int] = {(): node.start_mark.line + 1 + line_offset}
    try:
        _record_lines(node, (), lines, problems, path, line_offset, set())
        if _expanded_size(node, {}) > MAX_NODES:
            raise _TooBig
    except _TooDeep:
        return None, [Problem(path, None, "YAML is nested too deeply; write it out plainly")]
    except _TooBig:
        return None, [Problem(path, None, "YAML document is too large or too deeply aliased; "
                                         "write the values out plainly")]
    if problems:
        return None, problems
    try:
        data = _Loader(text).construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = mark.line + 1 + line_offset if mark else None
        return None, [Problem(path, line, f"YAML error: {error.problem}")]
    except (yaml.YAMLError, ValueError, OverflowError) as error:
        return None, [Problem(path, None, f"YAML error: {error}")]
    except RecursionError:
        return None, [Problem(path, None, "YAML document is nested too deeply")]
    return YamlDoc(data, lines), []


# Front matter is mostly "key: value" lines, which this reads at once (YAML's parser and
# constructor took a third of the time of reading an article). A value is a quoted string,
# a plain one that YAML reads as a string (or as a timestamp, which is kept as text), a
# boolean, or a list of strings in brackets. Anything else (nesting, comments after values,
# anchors, block strings, numbers, nulls, repeated keys, odd characters) gives None, and the text
# goes to YAML (tests/test_yamlsource.py compares the two on generated front matter).
_PLAIN_CHARACTERS = re.compile(
    r"[\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*")
_KEY_LINE = re.compile(r"([A-Za-z][A-Za-z0-9_-]*): +(.*[^ ])\Z")
# A double-quoted string without escapes, or a single-quoted one ('' is a quote).
_QUOTED_TEXT = r"\"([^\"\\]*)\"|'((?:[^']|'')*)'"
_QUOTED = re.compile(_QUOTED_TEXT)
# A plain value YAML reads as a string starts with none of YAML's indicators and none of the
# characters its numbers, nulls and merge keys start with (a word that YAML reads as a
# boolean or null is told apart below); or with a date (a timestamp, kept as text, or else a
# string: no number holds a "-" after its first digit). It holds no ": " or " #" and does
# not end with ":".
_PLAIN_START = re.compile(r"[^-?:,\[\]{}#&*!|>'\"%@`\s0-9+.~<=]|[0-9]{4}-[0-9]")
_BOOLEANS = {word: value for words, value in (("yes true on", True), ("no false off", False))
             for lower in words.split() for word in (lower, lower.title(), lower.upper())}
_FLOW_ITEM = re.compile(rf" *(?:{_QUOTED_TEXT}|"
                        r"((?:[A-Za-z]|[0-9]{4}-[0-9])[^,\[\]{}#:]*?)) *(,|\]\Z)")
# Plain words YAML reads as booleans or nulls (as keys too).
_NOT_STRINGS = frozenset({"yes", "no", "true", "false", "on", "off", "null", "y", "n"})


def plain_mapping(text: str, line_offset: int = 0) -> YamlDoc | None:
    """The document of front matter made of plain "key: value" lines, else None."""
    if _PLAIN_CHARACTERS.fullmatch(text) is None:
        return None
    data: dict[str, Any] = {}
    lines: dict[Key, int] = {}
    for number, line in enumerate(text.split("\n"), start=1 + line_offset):
        if not line or line.startswith("#"):  # (a comment)
            continue
        found = _KEY_LINE.match(line)
        if found is None:
            return None
        key, value = found.groups()
        if key in data or key.lower() in _NOT_STRINGS:
            return None
        lines.setdefault((), number)
        lines[(key,)] = number
        if value.startswith("["):
            items = _flow_items(value)
            if items is None:
                return None
            data[key] = items
            for index in range(len(items)):
                lines[(key, index)] = number
        else:
            scalar = _scalar(value)
            if scalar is None:
                return None
            data[key] = scalar
    if not data:
        return None
    return YamlDoc(data, lines)


def _scalar(value: str) -> str | bool | None:
    quoted = _QUOTED.fullmatch(value)
    if quoted is not None:
        return _unquoted(*quoted.groups())
    if _PLAIN_START.match(value) is None or ": " in value or " #" in value or \
            value.endswith(":"):
        return None
    if value.lower() in _NOT_STRINGS:
        return _BOOLEANS.get(value)
    return value


def _unquoted(double: str | None, single: str | None) -> str:
    """The text of a quoted string, from _QUOTED_TEXT's groups."""
    return double if double is not None else (single or "").replace("''", "'")


def _flow_items(value: str) -> list[str] | None:
    """The items of "[a, "b", 'c']", or None if it is more than a list of strings."""
    if value == "[]":
        return []
    items, at = [], 1
    while at < len(value):
        found = _FLOW_ITEM.match(value, at)
        if found is None:
            return None
        double, single, plain, _ = found.groups()
        if plain is None:
            items.append(_unquoted(double, single))
        elif plain.lower() in _NOT_STRINGS:
            return None
        else:
            items.append(plain)
        at = found.end()
    return items if value.endswith("]") and at == len(value) else None


def _syntax_hint(text: str, mark: yaml.Mark | None) -> str:
    if mark is None:
        return ""
    lines = text.splitlines()
    if 0 <= mark.line < len(lines) and "\t" in lines[mark.line]:
        return " (YAML does not allow tabs for indentation: use spaces)"
    if 0 <= mark.line < len(lines) and ": " in lines[mark.line].split(":", 1)[-1]:
        return " (a value containing ': ' must be quoted, e.g. title: \"Ohio: lessons\")"
    return (" (check the indentation, and quote values that contain ':' or start with "
            "'@', '*' or '&')")


def _expanded_size(node: yaml.Node, sizes: dict[int, int]) -> int:
    """How many values the document holds once every alias is written out (memoised, so a
    'billion laughs' document is measured without being expanded)."""
    known = sizes.get(id(node))
    if known is not None:
        return known
    total = 1
    if isinstance(node, yaml.MappingNode):
        total += sum(_expanded_size(k, sizes) + _expanded_size(v, sizes) for k, v in node.value)
    elif isinstance(node, yaml.SequenceNode):
        total += sum(_expanded_size(item, sizes) for item in node.value)
    sizes[id(node)] = total
    return total


def _record_lines(node: yaml.Node, key: Key, lines: dict[Key, int], problems: list[Problem],
                  path: str, offset: int, seen: set[int]) -> None:
    # Walk each node once: aliases point at a shared node, and revisiting them would turn
    # an alias bomb into an exponential walk.
    if id(node) in seen:
        return
    seen.add(id(node))
    if len(key) > 100:
        raise _TooDeep
    if len(seen) > MAX_NODES:
        raise _TooBig
    if isinstance(node, yaml.MappingNode):
        first_line: dict[Any, int] = {}
        for key_node, value_node in node.value:
            name = _key_value(key_node)
            line = key_node.start_mark.line + 1 + offset
            if name in first_line and key_node.tag != "tag:yaml.org,2002:merge":
                problems.append(Problem(path, line, f"duplicate key '{name}' (first given on "
                                        f"line {first_line[name]}); keep one of them"))
            first_line.setdefault(name, line)
            lines[key + (name,)] = line
            _record_lines(value_node, key + (name,), lines, problems, path, offset, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[key + (index,)] = item.start_mark.line + 1 + offset
            _record_lines(item, key + (index,), lines, problems, path, offset, seen)
