"""The house style: ruff passes, functions stay small, and the code uses only published APIs
of its libraries."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys

from conftest import REPO, require_tool


def test_ruff_finds_nothing():
    found = shutil.which("ruff") is not None
    require_tool("ruff", found, "pip install -e '.[test]' installs it")
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "newsroom", "tests",
                             "build.py"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


MOST_COMPLEX = 15  # radon's cyclomatic complexity, for any function or method


def _functions(blocks: list) -> list:
    """radon's blocks, with the functions nested in functions (closures) too, but classes."""
    found = []
    for block in blocks:
        if hasattr(block, "closures"):
            found += [block, *_functions(block.closures)]
    return found


def test_every_function_is_small_enough_to_read():
    try:
        from radon.complexity import cc_visit
    except ImportError:
        require_tool("radon", False, "pip install -e '.[test]' installs it")
    found = {f"{path.name}: {block.fullname}": block.complexity
             for path in sorted((REPO / "newsroom").glob("*.py"))
             for block in _functions(cc_visit(path.read_text(encoding="utf-8")))
             if block.complexity > MOST_COMPLEX}
    assert found == {}


def test_the_complexity_check_looks_inside_methods_and_closures():
    from radon.complexity import cc_visit

    branches = "".join(f"        if x == {n}:\n            x += 1\n" for n in range(20))
    source = (f"class A:\n    def method(self, x):\n{branches}        return x\n"
              f"def outer():\n    def inner(x):\n{branches}        return x\n    return inner\n")
    assert {block.fullname: block.complexity for block in _functions(cc_visit(source))
            if block.complexity > MOST_COMPLEX} == {"A.method": 21, "inner": 21}


DEPENDENCIES = ("markdown", "jinja2", "markupsafe", "nh3", "icalendar", "feedgen", "yaml",
                "frontmatter", "watchfiles", "dateutil")


def _private_uses(source: str) -> list[str]:
    """Each use of an underscore-named attribute of anything but `self` and `cls`, import of
    an underscore-named name from a dependency, and assignment to `__class__`."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute):
            dunder = node.attr.startswith("__") and node.attr.endswith("__")
            if node.attr == "__class__" and isinstance(node.ctx, ast.Store):
                found.append((node.lineno, "assigns __class__"))
            elif node.attr.startswith("_") and not dunder and not (
                    isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
                found.append((node.lineno, f".{node.attr}"))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in \
                DEPENDENCIES and any(alias.name.startswith("_") for alias in node.names):
            found.append((node.lineno, f"imports a private name from {node.module}"))
    return [f"{line}: {what}" for line, what in sorted(found)]


def test_the_code_uses_only_the_published_apis_of_what_it_depends_on():
    uses = {path.name: found for path in sorted((REPO / "newsroom").glob("*.py"))
            if (found := _private_uses(path.read_text(encoding="utf-8")))}
    assert uses == {}


def test_the_private_api_check_finds_what_it_looks_for():
    source = ("from markupsafe import _escape_inner\nx._InlineProcessor__handleInline()\n"
              "registry.__class__ = Other\nself._mine = 1\nprint(x.__doc__)\n")
    assert _private_uses(source) == ["1: imports a private name from markupsafe",
                                     "2: ._InlineProcessor__handleInline",
                                     "3: assigns __class__"]
