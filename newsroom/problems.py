"""Errors as values: every problem knows the file and line it is about."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the site, with its place: `path:line: message`."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"


class BuildError(Exception):
    """Raised by the pipeline with every problem it found; nothing has been written."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def site_path(path: Path, root: Path) -> str:
    """A path as problems show it: relative to the site root when it is inside it."""
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
