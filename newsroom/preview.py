"""The live preview's builds: one at once for every change the watcher reports, and the
chores that wait for a quiet moment (server.py serves what they make)."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from newsroom.build import BuildReport, content_unchanged
from newsroom.cache import Caches, save_caches
from newsroom.config import SiteConfig
from newsroom.output import prepare_spare
from newsroom.problems import BuildError, Problem
from newsroom.search import IndexCancelled

SAVE_AFTER = 2.0  # seconds without a rebuild before the preview saves its caches
# Seconds without a rebuild before the preview makes its search index again: Pagefind takes
# both cores for seconds on a large site, and an editor saving again and again would have it
# start (and be stopped) after every save.
INDEX_AFTER = 1.0
COLLECT_AFTER = 30.0  # seconds of rebuilds at most before garbage is collected anyway


class Chore(Enum):
    """What waits for a quiet moment after a build, in the order it is done."""

    SAVE = "save the caches for the next `build`"
    COLLECT = "collect garbage"
    SPARE = "keep a linked copy of the output for the next build to bring up to date"
    CHECK = "look for changes the watcher missed"
    INDEX = "make the search index again"


@dataclass
class LiveState:
    """What the preview serves now: the folder of the last good build and current problems."""

    root: Path | None = None
    generation: int = 0
    problems: tuple[str, ...] = ()
    stopping: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)

    def snapshot(self) -> dict:
        """The state as the browser script reads it."""
        return {"generation": self.generation, "problems": list(self.problems)}


@dataclass(frozen=True)
class PreviewEvent:
    """Something the CLI may tell the editor about: a build, a failure, the address."""

    # "serving", "built", "indexed" (the search index caught up), "failed", "idle" (every
    # chore done until the next change)
    kind: str
    report: BuildReport | None = None
    problems: tuple[Problem, ...] = ()
    paths: tuple[str, ...] = ()
    url: str = ""


# build(jobs=..., search_index=..., changed=..., caches=..., cancel_index=...): the preview's
# own build_site, into its folder, with its address.
Build = Callable[..., BuildReport]


class Preview:
    """Builds the site again for every change, and keeps what the next build needs.

    A rebuild keeps every file a change does not touch and swaps the folder in whole, so it
    costs what the change costs. The chores wait for `tidy`, which the watcher calls when
    nothing has changed for a moment.
    """

    def __init__(self, build: Build, target: Path, state: LiveState,
                 on_event: Callable[[PreviewEvent], None]) -> None:
        self.build = build
        self.target = target
        self.state = state
        self.on_event = on_event
        self.caches: Caches | None = None  # of the last good build
        self.config: SiteConfig | None = None  # the config it was built with
        self.chores: set[Chore] = set()
        self.built = time.monotonic()  # when the last rebuild ended
        self.collected = time.monotonic()
        # The search index being made beside the watcher, and what gives it up; the changes
        # it is for, while it waits for a pause.
        self.indexing: tuple[threading.Thread, threading.Event] | None = None
        self.index_for: tuple[str, ...] = ()
        self.idle = False  # told the CLI so since the last rebuild
        self.doers = {Chore.SAVE: self._save, Chore.COLLECT: self._collect,
                      Chore.SPARE: self._spare, Chore.CHECK: self._check,
                      Chore.INDEX: self._index}

    def rebuild(self, paths: tuple[str, ...] = (), jobs: int = 1, walk: bool = False) -> None:
        """Build for the paths the watcher saw change (all of content/ looked at, if `walk`).

        After the first build the preview's threads are running, and forking workers beside
        threads is unsafe: the caller asks for one process then.
        """
        self._stop_indexing()
        self.idle = False
        gc.disable()  # (collected when the watcher is idle: COLLECT)
        self.chores.add(Chore.COLLECT)
        try:
            report = self.build(jobs=jobs, search_index=False, caches=self.caches,
                                changed=None if walk or not self.caches
                                else {Path(p) for p in paths})
        except BuildError as error:
            self._fail(error, paths)
            return
        finally:
            self.built = time.monotonic()
            if self.built - self.collected > COLLECT_AFTER:
                self._collect()
        self._publish(report)
        self.on_event(PreviewEvent("built", report=report, paths=paths))
        if report.search_pending:
            self.chores.add(Chore.INDEX)
            self.index_for = paths

    def tidy(self, stopping: bool = False) -> None:
        """Do the chores that are due; those that wait for a longer pause stay."""
        if stopping:
            self._stop_indexing()
        elif self._indexing():
            return  # the chores wait: the index's build uses the caches
        due, self.chores = self.chores, set()
        for chore in Chore:
            if chore in due and not self.doers[chore](stopping):
                self.chores.add(chore)
        if not self.chores and not self._indexing() and not self.idle and not stopping:
            self.idle = True
            self.on_event(PreviewEvent("idle"))

    def _save(self, stopping: bool) -> bool:
        # Saving costs a large site a third of a second: it waits for a pause in the editing,
        # not just for the gap between two saves.
        if not stopping and time.monotonic() - self.built <= SAVE_AFTER:
            return False
        assert self.caches is not None
        save_caches(self.caches)
        return True

    def _collect(self, stopping: bool = False) -> bool:
        gc.collect()
        gc.enable()
        self.collected = time.monotonic()
        return True

    def _spare(self, stopping: bool) -> bool:
        # After the first build there is no folder swapped out to bring up to date: without
        # one, the first edit of a 5,000-article site took 1.4 s, where the others take 0.2.
        if not stopping:
            prepare_spare(self.target)
        return True

    def _check(self, stopping: bool) -> bool:
        # A change the watcher did not report (made before it started, lost in an overflow,
        # or to a file a link points at) is found by a walk, and the site built again.
        if not stopping and self.config and self.caches and \
                not content_unchanged(self.config, self.caches):
            self.rebuild(walk=True)
        return True

    def _index(self, stopping: bool) -> bool:
        if stopping:
            return True
        if time.monotonic() - self.built <= INDEX_AFTER:
            return False
        self._start_indexing(self.index_for)
        return True

    def _start_indexing(self, paths: tuple[str, ...]) -> None:
        """Make the search index beside the watcher: a change saved meanwhile gives it up and
        is built at once."""
        cancel = threading.Event()

        def index() -> None:
            try:
                report = self.build(jobs=1, search_index=True, changed=(), caches=self.caches,
                                    cancel_index=cancel)
            except IndexCancelled:
                return  # for pages a newer build replaced
            except BuildError as error:
                self._fail(error, paths, shown=False)
            else:
                self._remember(report)  # only the index changed: no page to reload
                self.on_event(PreviewEvent("indexed", report=report, paths=paths))

        thread = threading.Thread(target=index, daemon=True)
        self.indexing = (thread, cancel)
        thread.start()

    def _indexing(self) -> bool:
        # (An index made to the end leaves its thread here, finished, until the next build.)
        return self.indexing is not None and self.indexing[0].is_alive()

    def _stop_indexing(self) -> None:
        if self.indexing is not None:
            thread, cancel = self.indexing
            cancel.set()
            thread.join()
            self.indexing = None

    def _fail(self, error: BuildError, paths: tuple[str, ...], shown: bool = True) -> None:
        # A failed build leaves the caches half used: saved now, they would lose what the
        # next good build needs. The next good build saves them (and has the index made).
        self.chores -= {Chore.SAVE, Chore.INDEX}
        if shown:
            with self.state.changed:
                self.state.problems = tuple(str(p) for p in error.problems)
                self.state.changed.notify_all()
        self.on_event(PreviewEvent("failed", problems=error.problems, paths=paths))

    def _remember(self, report: BuildReport) -> None:
        if report.caches is not None and report.site is not None:
            self.caches, self.config = report.caches, report.site.config
            self.chores |= {Chore.SAVE, Chore.SPARE, Chore.CHECK}

    def _publish(self, report: BuildReport) -> None:
        self._remember(report)
        with self.state.changed:
            # A save that changes nothing in the site (or undoes a broken edit) clears the
            # problems shown but does not reload the page.
            if report.wrote or self.state.root is None:
                self.state.root, self.state.generation = self.target, self.state.generation + 1
            self.state.problems = ()
            self.state.changed.notify_all()
