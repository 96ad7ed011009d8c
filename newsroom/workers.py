"""Spreading work over processes: forked workers, chunks in order, the same result as serial."""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import traceback
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many items a pool costs more than it saves.
MIN_PARALLEL = 64

# The extra arguments of the running parallel_map: forked workers inherit them, so a whole
# site is handed over without being pickled once per chunk.
_shared: tuple[Any, ...] = ()


def default_jobs() -> int:
    """Worker processes to use: one per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def parallel_map(work: Callable[..., list[Result]], items: Sequence[Item], jobs: int,
                 *args: Any, progress: Callable[[int, int], None] | None = None,
                 chunk: int = 0, lead: int = 0) -> list[Result]:
    """`work(chunk_of_items, *args)` over the items in order, in up to `jobs` processes.

    Workers are forked, so they share what the parent has already built (templates, the
    site, `args`) without copying it. Results come back in the items' order whatever the number of
    workers, so output is identical with one worker or many. The first `lead` items go to
    one worker together, first: what they have in common is then worked out once.
    """
    chunk = chunk or max(8, min(256, len(items) // (jobs * 8) or 1))
    chunks = [items[:lead]] if lead else []
    chunks += [items[i:i + chunk] for i in range(lead, len(items), chunk)]
    results: list[Result] = []
    if jobs <= 1 or len(items) < MIN_PARALLEL or "fork" not in \
            multiprocessing.get_all_start_methods():
        for part in chunks:
            results.extend(work(part, *args))
            if progress:
                progress(len(results), len(items))
        return results
    global _shared
    context = multiprocessing.get_context("fork")
    _shared = args
    # Out of the collector's sight, the parent's objects stay shared with the workers: a
    # collection in a worker would otherwise write to (and so copy) every page they sit on.
    gc.freeze()
    try:
        # SIGTERM stays blocked from the fork until a worker has set it to end quietly: the
        # pool may terminate a worker that has not started yet.
        before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
        try:
            pool = context.Pool(processes=min(jobs, len(chunks)), initializer=_worker_signals)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, before)
        with pool:
            pending = [pool.apply_async(_with_shared, (work, part)) for part in chunks]
            for job in pending:
                results.extend(job.get())
                if progress:
                    progress(len(results), len(items))
    finally:
        _shared = ()
        gc.unfreeze()
    return results


@contextlib.contextmanager
def in_background(work: Callable[..., Result], *args: Any, forked: bool = True
                  ) -> Iterator[Callable[[], Result]]:
    """`work(*args)` in a forked process, beside what the parent does meanwhile.

    Yields a function that waits for the result and returns it (or raises what `work`
    raised), as often as it is called. Without `forked` (or without fork on this system)
    that function does the work itself, when first called. A process whose result was not
    asked for is stopped on leaving, but when the parent leaves with an error: then it
    finishes its work (saving the caches, say), its result dropped.
    """
    outcome: list[tuple[bool, Any]] = []

    def result() -> Result:
        if not outcome:
            outcome.append(receive() if process else _outcome(work, args))
        done, value = outcome[0]
        if not done:
            raise value
        return value

    process = None
    if not forked or "fork" not in multiprocessing.get_all_start_methods():
        yield result
        return
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(target=_send_outcome, args=(receiving, sending, work, args),
                              daemon=True)

    def receive() -> tuple[bool, Any]:
        try:
            received = receiving.recv()
        except EOFError:
            received = (False, RuntimeError(f"{work.__name__} ended without a result"))
        except Exception as error:  # (an outcome that cannot be unpickled)
            received = (False, RuntimeError(f"{work.__name__} failed: {error!r}"))
        process.join()
        return received

    stop = True
    try:
        # As for pool workers: the child's collector leaves the parent's objects unwritten.
        gc.freeze()
        # Ctrl-C and SIGTERM wait until the child has set them to what a worker does with
        # them (they would otherwise end it in the middle of starting, with a traceback).
        before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        try:
            process.start()
        finally:
            gc.unfreeze()
            sending.close()
            signal.pthread_sigmask(signal.SIG_SETMASK, before)  # (a Ctrl-C raises here)
        try:
            yield result
        except Exception:
            stop = False
            raise
    finally:
        # Without a reader its result cannot be sent: it ends once its work is done.
        receiving.close()
        if stop and process.is_alive():
            process.terminate()
        if process.pid is not None:
            process.join()


def _send_outcome(receiving: Any, sending: Any, work: Callable[..., Any],
                  args: tuple[Any, ...]) -> None:
    # Only the parent reads: if it is gone (killed, or no longer listening), sending fails
    # and this process ends, rather than wait for ever on a full pipe it could itself read.
    receiving.close()
    _worker_signals()
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    outcome = _outcome(work, args)
    if not outcome[0]:  # (the traceback would stay in this process: it goes as a note)
        outcome[1].add_note("".join(traceback.format_exception(outcome[1])).rstrip())
    try:
        sending.send(outcome)
    except OSError:
        pass  # the parent is no longer listening
    except Exception as error:  # an outcome that cannot be pickled
        with contextlib.suppress(OSError):
            sending.send((False, RuntimeError(f"{work.__name__} failed: {error!r}")))


def _outcome(work: Callable[..., Any], args: tuple[Any, ...]) -> tuple[bool, Any]:
    try:
        return True, work(*args)
    except Exception as error:  # handed to whoever asks for the result, who raises it
        return False, error


def _worker_signals() -> None:
    # Workers leave Ctrl-C to the parent, which stops them and cleans up; and they end
    # quietly when the pool terminates them, whatever the parent does with SIGTERM (the
    # preview turns it into KeyboardInterrupt).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})


def _with_shared(work: Callable[..., list[Result]], part: Sequence[Item]) -> list[Result]:
    return work(part, *_shared)
