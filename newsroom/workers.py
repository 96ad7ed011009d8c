"""Spreading work over processes with the standard library's pool: results in order, the same
as serial, on every platform."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")
Shared = TypeVar("Shared")

# Below this many items, starting workers costs more than they save.
MIN_PARALLEL = 64
# Names the start method for worker processes ("spawn", "forkserver", "fork"); unset, the
# platform's default (fork on Linux before Python 3.14, spawn on macOS and Windows). The
# tests run with it set to spawn too, so that nothing relies on what fork shares.
START_METHOD = "NEWSROOM_START_METHOD"


def default_jobs() -> int:
    """Worker processes to use: one per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def parallel_map(work: Callable[[Sequence[Item], Shared], list[Result]],
                 items: Sequence[Item], jobs: int, shared: Shared, *,
                 progress: Callable[[int, int], None] | None = None, chunk: int = 0,
                 lead: int = 0, meanwhile: Callable[[], Any] | None = None,
                 min_items: int = 0) -> tuple[list[Result], Any]:
    """`work(chunk_of_items, shared)` over the items, in up to `jobs` worker processes, and
    `meanwhile()` in this one while they work; return every result in the items' order (the
    same with one process or many) and what `meanwhile` gave.

    `work` is a module-level function. `shared` goes to each worker once, as it starts (under
    fork, it is inherited without being copied). The first `lead` items are one chunk, taken
    first: what they have in common is then worked out once, in one process. Fewer items
    than `min_items` (MIN_PARALLEL unless given: more for light work, fewer for heavy) are
    worked in this process.
    """
    # Small chunks: whoever takes the last one is the last to finish, the others wait.
    chunk = chunk or max(8, min(64, len(items) // (jobs * 16) or 1))
    chunks = [items[:lead]] if lead else []
    chunks += [items[i:i + chunk] for i in range(lead, len(items), chunk)]
    if jobs <= 1 or len(items) < (min_items or MIN_PARALLEL):
        aside = meanwhile() if meanwhile else None
        return _in_order((work(part, shared) for part in chunks), len(items), progress), aside
    with _pool(min(jobs, len(chunks)), shared) as pool:
        # (Workers start with the first task, signals held until they can take them.)
        with _signals_held():
            parts = pool.map(_Task(work), chunks)
        aside = meanwhile() if meanwhile else None
        return _in_order(parts, len(items), progress), aside


def _in_order(parts: Iterator[list[Result]], total: int,
              progress: Callable[[int, int], None] | None) -> list[Result]:
    results: list[Result] = []
    for part in parts:
        results.extend(part)
        if progress:
            progress(len(results), total)
    return results


def start_context() -> Any:
    """The multiprocessing context workers start in (see START_METHOD)."""
    return multiprocessing.get_context(os.environ.get(START_METHOD) or None)


@contextlib.contextmanager
def _pool(processes: int, shared: Any) -> Iterator[ProcessPoolExecutor]:
    """A pool of worker processes that hold `shared`. On leaving with an error (or Ctrl-C),
    the chunks not yet begun are dropped and those begun finished, so nothing is still
    writing once the caller cleans up."""
    pool = ProcessPoolExecutor(processes, mp_context=start_context(),
                               initializer=_start_worker, initargs=(shared, os.getpid()))
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait meanwhile: a worker started meanwhile takes them only once it
    has set what a worker does with them (else they end it as it starts, with a traceback)."""
    if not hasattr(signal, "pthread_sigmask"):  # (Windows: no signals to hold)
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


class _Task:
    """`work(chunk, shared)` with the shared value the worker holds (an object, not a
    closure, so that it can be sent to a worker started by spawn)."""

    def __init__(self, work: Callable[[Sequence[Any], Any], list[Any]]) -> None:
        self.work = work

    def __call__(self, chunk: Sequence[Any]) -> list[Any]:
        return self.work(chunk, _held)


_held: Any = None  # what the pool gave this worker to share among its tasks


def _start_worker(shared: Any, parent: int) -> None:
    global _held
    _held = shared
    # Workers leave Ctrl-C to the parent, which stops them; and they end quietly when the
    # pool stops them, whatever the parent does with SIGTERM (the preview turns it into
    # KeyboardInterrupt).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    threading.Thread(target=_end_with, args=(parent,), daemon=True).start()


def _end_with(parent: int) -> None:
    """End this worker once its parent is gone (killed, say): nobody would stop it."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os.kill(os.getpid(), signal.SIGTERM)
