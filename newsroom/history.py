"""When content files last changed, for what the feeds say of records that carry no date of
their own (an event's listing): the time of the last git commit that changed the file, or,
outside git or for a file changed since its last commit, its modification time."""

from __future__ import annotations

import subprocess
from collections.abc import Collection
from datetime import datetime, tzinfo
from pathlib import Path


def last_changed(root: Path, sources: Collection[str], zone: tzinfo) -> dict[str, datetime]:
    """Each source (a path from the site's root) with the moment it last changed."""
    committed = _committed(root, sources)
    moments = {}
    for source in sources:
        stamp = committed.get(source)
        if stamp is None:
            try:
                stamp = (root / source).stat().st_mtime
            except OSError:
                stamp = 0.0
        moments[source] = datetime.fromtimestamp(int(stamp), zone)
    return moments


def _committed(root: Path, sources: Collection[str]) -> dict[str, float]:
    """The time of the last commit of each source that git holds as committed (unchanged
    since); none outside a git work tree."""
    if not sources:
        return {}
    # Paths relative to the site's folder, which may lie inside a larger repository.
    log = _git(root, "--literal-pathspecs", "log", "--format=%x00%ct", "--name-only",
               "--relative", "--", *sorted(sources))
    edited = _git(root, "--literal-pathspecs", "diff", "--name-only", "--relative", "HEAD",
                  "--", *sorted(sources))
    if log is None or edited is None:
        return {}
    changed = set(edited.splitlines())
    found: dict[str, float] = {}
    stamp = 0.0
    for line in log.splitlines():
        if line.startswith("\0"):
            stamp = float(line[1:])
        elif line and line not in found:
            found[line] = stamp  # (newest commit first)
    return {source: when for source, when in found.items()
            if source in sources and source not in changed}


def _git(root: Path, *args: str) -> str | None:
    """What a git command prints in the site's folder; None where git cannot answer."""
    try:
        done = subprocess.run(["git", "-C", str(root), "-c", "core.quotepath=false", *args],
                              capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None
