"""Search: the built site indexed by Pagefind into a static index that any host can serve.

Pagefind reads the staged HTML. Only the elements the templates mark `data-pagefind-body`
(an article, an event, a page) are indexed, with `data-pagefind-filter` and
`data-pagefind-meta` giving filters (kind, category, year) and result metadata; menus,
footers and lists are not. The index is made again only when a page changed.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from newsroom.cache import digest
from newsroom.config import SiteConfig
from newsroom.problems import BuildError, Problem

INDEX_DIR = "pagefind"
ENTRY = f"{INDEX_DIR}/pagefind-entry.json"
# Pagefind's own ready-made interfaces; the site has its own (templates/static/search.js).
_UNUSED = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.",
           "pagefind-highlight.js")
INSTALL_HINT = ("install it with pip install 'pagefind[bin]', or turn search off with "
                "search: false in site_config.yaml or build --no-search")


class IndexCancelled(Exception):
    """The index was given up before Pagefind finished (the preview: a newer change came)."""


@dataclass(frozen=True)
class SearchIndex:
    """The index files by their path in the output, and what went into them."""

    files: dict[str, bytes]
    pages: int
    seconds: float

    @property
    def size(self) -> int:
        return sum(len(data) for data in self.files.values())


@dataclass(frozen=True)
class IndexPlan:
    """What a build does about the search index: make it again, or carry it over."""

    binary: Path | None  # the Pagefind to run
    kept: dict[str, str]  # the current index's files and keys, to carry over as they are
    make: bool  # made again by this build
    pending: bool  # out of date, and left so (search_index off: the preview indexes later)


def plan_index(config: SiteConfig, kept: dict[str, str] | None, page_keys: Sequence[str],
               wanted: bool) -> IndexPlan | None:
    """Whether the index is made again: only when a page changed since it was made (or the
    index itself was touched: `kept` is None), and `wanted`. None: search is off.

    Without page keys (a first build, which works them out as it renders), it is made."""
    if not config.search:
        return None
    binary = pagefind_binary()
    kept = kept or {}
    fresh = bool(page_keys) and kept.get(ENTRY, "").startswith(
        f"{index_key(binary, page_keys)}:")
    return IndexPlan(binary, {} if (wanted and not fresh) else kept, wanted and not fresh,
                     not fresh and not wanted)


def pagefind_binary() -> Path | None:
    """The Pagefind program: $PAGEFIND_BINARY_PATH, the pagefind_bin package, or on PATH."""
    named = os.environ.get("PAGEFIND_BINARY_PATH")
    if named:
        return Path(named)
    try:
        import pagefind_bin  # the binary pip install 'pagefind[bin]' brings

        return Path(pagefind_bin.get_executable())
    except (ImportError, AttributeError, OSError):
        pass
    found = shutil.which("pagefind")
    return Path(found) if found else None


def _output_of(process: subprocess.Popen[str], cancel: threading.Event | None
               ) -> tuple[str, str]:
    """What Pagefind printed, once it is done; IndexCancelled as soon as `cancel` is set."""
    while True:
        try:
            return process.communicate(timeout=None if cancel is None else 0.05)
        except subprocess.TimeoutExpired:
            if cancel is not None and cancel.is_set():
                raise IndexCancelled from None


def index_key(binary: Path | None, page_keys: Iterable[str]) -> str:
    """What the index is made from: every page, and the Pagefind that reads them."""
    try:
        stat = binary.stat() if binary else None
        program = f"{binary}:{stat.st_size}:{stat.st_mtime_ns}" if stat else ""
    except OSError:
        program = ""
    return digest(program, *page_keys)


def entry_key(key: str, data: bytes) -> str:
    """The manifest key of the index's entry file: the index key goes with it, so the next
    build can tell whether the index it finds was made from the same pages."""
    return f"{key}:{digest(data)}"


def is_index_file(path: str) -> bool:
    return path.startswith(f"{INDEX_DIR}/")


def make_index(site_folder: Path, config: SiteConfig, binary: Path | None,
               cancel: threading.Event | None = None) -> SearchIndex:
    """Index the HTML in site_folder; raise BuildError when Pagefind is missing or fails, and
    IndexCancelled (Pagefind stopped) if `cancel` is set before it is done."""
    program = _installed(binary, config)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="newsroom-search-") as scratch:
        out = Path(scratch) / "index"
        _run_pagefind(program, site_folder, out, config, cancel)
        files = _index_files(out)
    return SearchIndex(files, _page_count(files), time.perf_counter() - started)


def _installed(binary: Path | None, config: SiteConfig) -> Path:
    """The Pagefind program; BuildError when there is none."""
    if binary is None or not binary.is_file():
        where = f" (PAGEFIND_BINARY_PATH names {binary}, which is not there)" if (
            binary and os.environ.get("PAGEFIND_BINARY_PATH")) else ""
        raise BuildError([Problem(config.source, None,
                                  f"search is on but Pagefind is not installed{where}; "
                                  f"{INSTALL_HINT}")])
    return binary


def _run_pagefind(binary: Path, site_folder: Path, out: Path, config: SiteConfig,
                  cancel: threading.Event | None) -> None:
    """Have Pagefind index site_folder into `out`; BuildError when it fails."""
    command = [str(binary), "--site", str(site_folder), "--output-path", str(out), "--quiet"]
    if cancel is not None and cancel.is_set():
        raise IndexCancelled
    process = _start(command, binary, config, cancel)
    said_out, said_err = _wait_for(process, cancel)
    if process.returncode != 0 or not (out / "pagefind-entry.json").is_file():
        said = " ".join((said_err or said_out).split())[-600:] or "no message"
        raise BuildError([Problem(config.source, None,
                                  f"Pagefind could not index the site: {said}")])


def _start(command: list[str], binary: Path, config: SiteConfig,
           cancel: threading.Event | None) -> subprocess.Popen[str]:
    """Pagefind, started; BuildError when it cannot be run."""
    try:
        # One that may be given up runs in a session of its own, so that all of it can be
        # stopped at once; else it stays in the build's, which a terminal's Ctrl-C or a
        # CI job's end stops whole.
        return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, errors="replace",
                                start_new_session=cancel is not None)
    except OSError as error:
        raise BuildError([Problem(config.source, None,
                                  f"cannot run Pagefind ({binary}): {error.strerror}; "
                                  f"{INSTALL_HINT}")]) from None


def _wait_for(process: subprocess.Popen[str], cancel: threading.Event | None
              ) -> tuple[str, str]:
    """What Pagefind printed, once it is done; stopped if it is given up (or Ctrl-C)."""
    try:
        return _output_of(process, cancel)
    except BaseException:  # given up, or Ctrl-C: Pagefind goes too
        with contextlib.suppress(ProcessLookupError):
            if cancel is not None:
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()
        process.communicate()
        raise


def _index_files(out: Path) -> dict[str, bytes]:
    """The index Pagefind made in `out`, by path in the site, but its ready-made interfaces."""
    files: dict[str, bytes] = {}
    for path in sorted(out.rglob("*")):
        relative = path.relative_to(out).as_posix()
        if path.is_file() and not relative.startswith(_UNUSED):
            files[f"{INDEX_DIR}/{relative}"] = path.read_bytes()
    return files


def _page_count(files: dict[str, bytes]) -> int:
    """How many pages went into the index, by its entry file."""
    languages = json.loads(files[ENTRY]).get("languages", {})
    return sum(language.get("page_count", 0) for language in languages.values())
