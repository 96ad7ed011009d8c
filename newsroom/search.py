"""Search: the built site indexed by Pagefind into static indexes that any host can serve.

On a site of more than search_partition_pages pages the index comes in partitions, each a
sample of the pages taken by a hash of their paths and made by a Pagefind of its own from
the staged pages, so that no Pagefind holds more than a partition. The search page loads
the first and merges the others in (Pagefind's mergeIndex), as pagefind/partitions.json
lists them. A partition is made again only when one of its pages changed. docs/search.md
has the design and its figures.

Only the elements the templates mark `data-pagefind-body` (an article, an event, a page)
are indexed, with `data-pagefind-filter` and `data-pagefind-meta` giving filters (kind,
category, year) and result metadata; menus, footers and lists are not.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from newsroom.cache import digest
from newsroom.config import SiteConfig
from newsroom.pages import Page
from newsroom.problems import BuildError, Problem

INDEX_DIR = "pagefind"
# Pagefind's own ready-made interfaces; the site has its own (templates/static/search.js).
_UNUSED = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.",
           "pagefind-highlight.js")
INSTALL_HINT = ("install it with pip install 'pagefind[bin]', or turn search off with "
                "search: false in site_config.yaml or build --no-search")


class IndexCancelled(Exception):
    """The index was given up before Pagefind finished (the preview: a newer change came)."""


LISTING = f"{INDEX_DIR}/partitions.json"  # the partitions, for the search page to load


@dataclass(frozen=True)
class SearchIndex:
    """The index files this build made, by their path in the output, where they were made
    (the scratch folder make_index was given: there until it is removed), and what went
    in."""

    files: dict[str, Path]
    size: int  # bytes, all files together
    pages: int  # indexed by this build
    seconds: float
    partitions: int = 1  # made by this build


@dataclass(frozen=True)
class IndexPlan:
    """What a build does about the search index: which partitions it makes again, and
    which it carries over."""

    binary: Path | None  # the Pagefind to run
    partitions: dict[str, tuple[int, ...]]  # each partition's pages, by their place in the job
    keys: dict[str, str]  # what each partition is made from
    kept: dict[str, str]  # the current index's files and keys, to carry over as they are
    make: tuple[str, ...]  # the partitions this build makes again
    pending: bool  # out of date, and left so (search_index off: the preview indexes later)
    # LISTING's content ("" when the index is left as it was): written with the partitions
    # made, so that it never names one that is not there.
    listing: bytes = b""


def plan_index(config: SiteConfig, kept: dict[str, str], pages: Sequence[Page],
               paths: Sequence[str], settings: str, wanted: bool) -> IndexPlan | None:
    """The partitions of the index, and which are made again: those whose pages' content
    changed since it was made (or whose files were touched: their key is ""), when the
    index is `wanted`. `settings` is what every page's content is also made from (code,
    templates, config). None: search is off."""
    if not config.search:
        return None
    binary = pagefind_binary()
    parts = partitions(pages, paths, config.search_partition_pages)
    keys = {name: partition_key(binary, settings, (pages[m] for m in members))
            for name, members in parts.items()}
    fresh = _fresh(keys, kept)
    stale = tuple(name for name in parts if name not in fresh)
    if not wanted:  # the index as it was, while the preview waits for a pause
        return IndexPlan(binary, parts, keys, {p: k for p, k in kept.items() if k}, (),
                         bool(stale))
    carried = {path: key for path, key in kept.items() if path.split("/")[1] in fresh}
    listing = json.dumps(list(parts), separators=(",", ":")).encode()
    return IndexPlan(binary, parts, keys, carried, stale, False, listing)


def _fresh(keys: dict[str, str], kept: dict[str, str]) -> set[str]:
    """The partitions the current output holds as they would be made now: their entry
    file's key says they were made from the same pages, and none of their files was
    touched since (a touched file's key is "")."""
    touched = {path.split("/")[1] for path, key in kept.items() if not key}
    return {name for name, key in keys.items() if name not in touched
            and kept.get(entry_path(name), "").startswith(f"{key}:")}


def partitions(pages: Sequence[Page], paths: Sequence[str], limit: int
               ) -> dict[str, tuple[int, ...]]:
    """The pages Pagefind indexes (articles, events, pages: those made from a file) by
    partition: all in one on a site of up to `limit` pages; else shared out by a hash of
    each page's path into a power of two of partitions, "1-of-4" and so on, of at most
    `limit` pages on average. (Pagefind's memory grows with the pages it holds, and a
    partition is made again whole when one of its pages changes.)

    A partition is then a sample of the whole site, with its words in the same proportions,
    so that the scores its index gives (which count a word's pages within the partition)
    are those one index would give, within a few per cent; partitions by year found extra
    pages and ranked the words of one year's news above the rest. A page stays in its
    partition as others come and go, until the count of partitions doubles."""
    indexed = [place for place, page in enumerate(pages) if page.source is not None]
    if len(indexed) <= limit:  # a site one Pagefind holds: one index, as ever
        return {"all": tuple(indexed)} if indexed else {}
    count = 1 << math.ceil(math.log2(len(indexed) / limit))
    shares: list[list[int]] = [[] for _ in range(count)]
    for place in indexed:
        shares[int(digest(paths[place])[:8], 16) % count].append(place)
    return {f"{share + 1}-of-{count}": tuple(members)
            for share, members in enumerate(shares) if members}


def partition_key(binary: Path | None, settings: str, pages: Iterable[Page]) -> str:
    """What a partition is made from: the content of its pages (each record, by its
    fingerprint, and what its page shows of others: category, tags, the date shown), the
    settings, and the Pagefind that reads them. Not what lies outside the indexed part of a
    page (the previous and next links, the archive's years): a new article makes its own
    partition again, not its neighbours'."""
    return index_key(binary, [settings, *(repr(_content_of(page)) for page in pages)])


def _content_of(page: Page) -> tuple[object, ...]:
    context = page.context
    record = context.get("article") or context.get("event") or context.get("page")
    return (page.url, getattr(record, "fingerprint", ""), getattr(record, "start", None),
            context.get("category"), context.get("tags"))


def entry_path(partition: str) -> str:
    return f"{INDEX_DIR}/{partition}/pagefind-entry.json"


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


@contextlib.contextmanager
def scratch_beside(folder: Path) -> Iterator[Path]:
    """A folder for Pagefind to work in, beside `folder` (the staged pages, so that they
    can be linked rather than copied), removed with all in it when done."""
    with tempfile.TemporaryDirectory(prefix=".newsroom-search-", dir=folder.parent) as made:
        yield Path(made)


def make_index(site_folder: Path, scratch: Path, config: SiteConfig, plan: IndexPlan,
               paths: Sequence[str], jobs: int = 1, cancel: threading.Event | None = None
               ) -> SearchIndex:
    """Index the partitions `plan` makes, up to `jobs` at a time, from the pages in
    site_folder, into `scratch` (see scratch_beside); raise BuildError when Pagefind is
    missing or fails, and IndexCancelled (every Pagefind stopped) if `cancel` is set before
    it is done."""
    binary = _installed(plan.binary, config)
    started = time.perf_counter()
    todo = {name: [paths[m] for m in plan.partitions[name]] for name in plan.make}
    _run_pagefinds(site_folder, todo, scratch, binary, config, max(1, jobs), cancel)
    files = {f"{INDEX_DIR}/{name}/{relative}": made for name in todo
             for relative, made in _index_files(scratch / name / "index").items()}
    return SearchIndex(files, sum(made.stat().st_size for made in files.values()),
                       sum(map(len, todo.values())), time.perf_counter() - started, len(todo))


def _run_pagefinds(folder: Path, todo: dict[str, list[str]], scratch: Path, binary: Path,
                   config: SiteConfig, jobs: int, cancel: threading.Event | None) -> None:
    """Each partition indexed by a Pagefind of its own, `jobs` at a time; all of them
    stopped if one fails, the index is given up, or Ctrl-C."""
    waiting, running = list(todo.items()), {}
    try:
        while waiting or running:
            if cancel is not None and cancel.is_set():
                raise IndexCancelled
            while waiting and len(running) < jobs:
                name, pages = waiting.pop(0)
                running[name] = _start_pagefind(folder, pages, scratch / name, binary, config)
            for name, process in list(running.items()):
                if process.poll() is not None:
                    del running[name]
                    _check_pagefind(process, scratch / name, config)
            time.sleep(0.01)
    except BaseException:
        for process in running.values():
            _stop(process)
        raise


def _start_pagefind(folder: Path, pages: list[str], out: Path, binary: Path,
                    config: SiteConfig) -> subprocess.Popen[bytes]:
    """Pagefind indexing one partition: its staged pages, linked into out/pages, indexed
    into out/index. In a session of its own, so that it can be stopped with whatever it
    started. BuildError when it cannot be started."""
    for path in pages:
        target = out / "pages" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(folder / path, target)
        except OSError:  # (a file system without hard links)
            shutil.copyfile(folder / path, target)
    try:
        with open(out / "pagefind.log", "wb") as said:
            return subprocess.Popen(
                [str(binary), "--site", str(out / "pages"), "--output-path",
                 str(out / "index"), "--quiet"], stdout=said, stderr=subprocess.STDOUT,
                start_new_session=True)
    except OSError as error:
        raise BuildError([Problem(config.source, None,
                                  f"cannot run Pagefind ({binary}): {error.strerror}; "
                                  f"{INSTALL_HINT}")]) from None


def _check_pagefind(process: subprocess.Popen[bytes], out: Path, config: SiteConfig) -> None:
    """BuildError with what Pagefind said, when it failed."""
    if process.returncode == 0 and (out / "index/pagefind-entry.json").is_file():
        return
    said = (out / "pagefind.log").read_text(encoding="utf-8", errors="replace")
    said = " ".join(said.split())[-600:] or f"exit code {process.returncode}"
    raise BuildError([Problem(config.source, None,
                              f"Pagefind could not index the site: {said}")])


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a Pagefind and what it started (its whole session, where there are sessions)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    process.wait()


def _installed(binary: Path | None, config: SiteConfig) -> Path:
    """The Pagefind program; BuildError when there is none."""
    if binary is None or not binary.is_file():
        where = f" (PAGEFIND_BINARY_PATH names {binary}, which is not there)" if (
            binary and os.environ.get("PAGEFIND_BINARY_PATH")) else ""
        raise BuildError([Problem(config.source, None,
                                  f"search is on but Pagefind is not installed{where}; "
                                  f"{INSTALL_HINT}")])
    return binary


def _index_files(out: Path) -> dict[str, Path]:
    """The index Pagefind made in `out`, by path in its folder, but its ready-made
    interfaces."""
    return {path.relative_to(out).as_posix(): path
            for path in sorted(out.rglob("*"))
            if path.is_file() and not path.relative_to(out).as_posix().startswith(_UNUSED)}
