"""Spreading work over processes: forked workers, chunks in order, the same result as serial."""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.reduction import ForkingPickler
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many items, helpers cost more than they save.
MIN_PARALLEL = 64

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

    This process works through the chunks beside `jobs - 1` forked helpers, each taking the
    next chunk not yet taken. Forked, the helpers share what this process has already built
    (templates, the site, `args`) without copying it; and what this process works out itself
    is never pickled (a third of the cost of handing over what a chunk of files parses to).
    Results come back in the items' order whatever the number of processes, so output is
    identical with one or many. The first `lead` items are one chunk, the first taken: what
    they have in common is then worked out once, in one process.
    """
    # Small chunks: whoever takes the last one is the last to finish, the others wait.
    chunk = chunk or max(8, min(64, len(items) // (jobs * 16) or 1))
    chunks = [items[:lead]] if lead else []
    chunks += [items[i:i + chunk] for i in range(lead, len(items), chunk)]
    if jobs <= 1 or len(items) < MIN_PARALLEL or "fork" not in \
            multiprocessing.get_all_start_methods():
        results: list[Result] = []
        for part in chunks:
            results.extend(work(part, *args))
            if progress:
                progress(len(results), len(items))
        return results
    context = multiprocessing.get_context("fork")
    taken = context.RawValue("i", 0)  # chunks taken so far, by any process
    lock = context.Lock()

    def take() -> int:
        with lock:
            index = taken.value
            taken.value = index + 1
        return index

    parts: list[list[Result] | None] = [None] * len(chunks)
    helpers: list[_Helper] = []
    done = 0
    # Out of the collector's sight, the parent's objects stay shared with the helpers: a
    # collection in one would otherwise write to (and so copy) every page they sit on.
    gc.freeze()
    try:
        # Ctrl-C and SIGTERM wait until the helper has set them to what a helper does with
        # them (they would otherwise end it in the middle of starting, with a traceback).
        before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        try:
            for _ in range(min(jobs, len(chunks)) - 1):
                receiving, sending = context.Pipe(duplex=False)
                process = context.Process(target=_help, daemon=True, args=(
                    work, chunks, args, take, sending,
                    [receiving, *(helper.receiving for helper in helpers)]))
                process.start()
                sending.close()
                helpers.append(_Helper(process, receiving))
        finally:
            gc.unfreeze()
            signal.pthread_sigmask(signal.SIG_SETMASK, before)
        for helper in helpers:
            helper.listen()
        while (index := take()) < len(chunks):
            parts[index] = work(chunks[index], *args)
            done += len(chunks[index])
            for helper in helpers:  # (what they sent meanwhile, unpickled between chunks)
                done += helper.take_in(parts)
            if progress:
                progress(done, len(items))
        for helper in helpers:
            done += helper.finish(parts)
            if progress:
                progress(done, len(items))
    finally:
        for helper in helpers:
            helper.stop()
    return [result for part in parts if part is not None for result in part]


class _Helper:
    """A forked helper of parallel_map, and a thread here that reads what it sends (so that
    it never waits for this process to finish a chunk of its own to be read)."""

    def __init__(self, process: Any, receiving: Any) -> None:
        self.process = process
        self.receiving = receiving
        self.received: list[bytes] = []
        self.thread = threading.Thread(target=self._read, daemon=True)

    def listen(self) -> None:
        self.thread.start()

    def _read(self) -> None:
        try:
            while True:
                self.received.append(self.receiving.recv_bytes())
        except (EOFError, OSError):
            pass  # its end of the pipe closed: it is done, or it died

    def take_in(self, parts: list[Any]) -> int:
        """Put the chunks received so far in their places; return how many items they hold
        (raise what the helper raised)."""
        count = 0
        while self.received:
            outcome = ForkingPickler.loads(self.received.pop(0))
            if isinstance(outcome, BaseException):
                raise outcome
            index, part = outcome
            parts[index] = part
            count += len(part)
        return count

    def finish(self, parts: list[Any]) -> int:
        """Wait for the helper's last chunk; as take_in."""
        self.thread.join()
        count = self.take_in(parts)
        self.process.join()
        if self.process.exitcode != 0:
            raise RuntimeError(f"a worker process ended with exit code {self.process.exitcode}")
        return count

    def stop(self) -> None:
        """End the helper (if it is still working: this process is leaving with an error)."""
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self.receiving.close()
        self.thread.join()


def _help(work: Callable[..., list[Any]], chunks: list[Sequence[Any]], args: tuple[Any, ...],
          take: Callable[[], int], sending: Any, inherited: list[Any]) -> None:
    # Only the parent reads: without the read ends it inherited (its own and the helpers'
    # forked before it), sending fails once the parent is gone, and this process ends.
    for connection in inherited:
        connection.close()
    _worker_signals()
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    try:
        while (index := take()) < len(chunks):
            try:
                outcome: Any = (index, work(chunks[index], *args))
            except Exception as error:  # raised in the parent, with this traceback as a note
                error.add_note("".join(traceback.format_exception(error)).rstrip())
                outcome = error
            try:
                sending.send(outcome)
            except OSError:
                raise
            except Exception as error:  # a result that cannot be pickled
                outcome = RuntimeError(f"{work.__name__} failed: {error!r}")
                sending.send(outcome)
            if isinstance(outcome, BaseException):
                break
    except OSError:
        pass  # the parent is no longer listening
    finally:
        sending.close()


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
