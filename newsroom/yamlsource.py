"""Safe YAML loading that keeps the line of every key, for messages that point at it."""

from __future__ import annotations

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
    """Parse YAML text safely; on failure return no document and the problems with lines.

    `line_offset` is added to every line (front matter starts a line into its file).
    """
    node, problems = _composed(text, path, line_offset)
    if problems:
        return None, problems
    if node is None:
        return YamlDoc(None, {}), []
    lines, problems = _key_lines(node, path, line_offset)
    if problems:
        return None, problems
    data, problems = _constructed(text, node, path, line_offset)
    if problems:
        return None, problems
    return YamlDoc(data, lines), []


def _composed(text: str, path: str, line_offset: int) -> tuple[yaml.Node | None, list[Problem]]:
    """The document's node tree, or the problem that stops YAML reading it."""
    try:
        try:
            return _compose(text, _Loader), []
        except yaml.YAMLError:
            # Read it again with the pure-Python parser: its messages are the clearer ones,
            # and the same whether or not this PyYAML has libyaml.
            return _compose(text, _PyLoader), []
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 + line_offset if mark else None
        what = error.problem or error.context or "invalid YAML"
        return None, [Problem(path, line, f"YAML syntax error: {what}"
                                          f"{_syntax_hint(text, mark)}")]
    except yaml.reader.ReaderError as error:
        line = text[: error.position].count("\n") + 1 + line_offset
        return None, [Problem(path, line, f"contains the character U+{error.character:04X}, "
                                          "which YAML does not allow; delete it")]
    except yaml.YAMLError as error:
        return None, [Problem(path, None, f"YAML error: {error}")]
    except RecursionError:
        return None, [Problem(path, None, "YAML is nested too deeply; write it out plainly")]


def _key_lines(node: yaml.Node, path: str, line_offset: int
               ) -> tuple[dict[Key, int], list[Problem]]:
    """The line of every key and list item; problems for repeated keys and for documents
    too deep or too large once their aliases are expanded."""
    problems: list[Problem] = []
    lines: dict[Key, int] = {(): node.start_mark.line + 1 + line_offset}
    try:
        _record_lines(node, (), lines, problems, path, line_offset, set())
        if _expanded_size(node, {}) > MAX_NODES:
            raise _TooBig
    except _TooDeep:
        return {}, [Problem(path, None, "YAML is nested too deeply; write it out plainly")]
    except _TooBig:
        return {}, [Problem(path, None, "YAML document is too large or too deeply aliased; "
                                        "write the values out plainly")]
    return lines, problems


def _constructed(text: str, node: yaml.Node, path: str, line_offset: int
                 ) -> tuple[Any, list[Problem]]:
    """The document's values (timestamps kept as text), or the problem with one."""
    try:
        return _Loader(text).construct_document(node), []
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = mark.line + 1 + line_offset if mark else None
        return None, [Problem(path, line, f"YAML error: {error.problem}")]
    except (yaml.YAMLError, ValueError, OverflowError) as error:
        return None, [Problem(path, None, f"YAML error: {error}")]
    except RecursionError:
        return None, [Problem(path, None, "YAML document is nested too deeply")]


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
