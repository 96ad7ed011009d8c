"""The live preview: build, serve on loopback, watch the site, rebuild and reload the browser."""

from __future__ import annotations

import gc
import json
import mimetypes
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import watchfiles

from newsroom.build import BuildReport, build_site, content_unchanged
from newsroom.cache import Caches, save_caches
from newsroom.config import SiteConfig, load_config
from newsroom.problems import BuildError, Problem
from newsroom.search import IndexCancelled
from newsroom.workers import default_jobs

LIVE_PREFIX = "/__newsroom/"
SAVE_AFTER = 2.0  # seconds without a rebuild before the preview saves its caches
# Seconds without a rebuild before the preview makes its search index again: Pagefind takes
# both cores for seconds on a large site, and an editor saving again and again would have it
# start (and be stopped) after every save.
INDEX_AFTER = 1.0
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
}

# Injected into served HTML only (never into the built files): reloads the page after a
# rebuild and shows build problems over the page until they are fixed.
LIVE_SCRIPT = """<script>
(() => {
  const loaded = %(generation)d;
  const source = new EventSource("%(prefix)sevents");
  const overlay = (problems) => {
    let box = document.getElementById("newsroom-problems");
    if (!problems.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "newsroom-problems";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;" +
        "background:#3b0a0a;color:#fff;font:14px/1.5 ui-monospace,monospace;padding:1rem;" +
        "z-index:2147483647;border-top:4px solid #ff6b6b";
      document.body.append(box);
    }
    box.innerHTML = "<strong>The site did not rebuild:</strong>";
    const list = document.createElement("ul");
    for (const problem of problems) {
      const item = document.createElement("li");
      item.textContent = problem;
      list.append(item);
    }
    box.append(list);
  };
  source.addEventListener("state", (event) => {
    const state = JSON.parse(event.data);
    if (state.generation !== loaded) { location.reload(); return; }
    overlay(state.problems);
  });
})();
</script>
"""


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


@dataclass
class _Memory:
    """What the preview keeps between rebuilds, and the chores left for a quiet moment."""

    caches: Caches | None = None  # of the last good build
    config: SiteConfig | None = None  # the config it was built with
    # "save" the caches, "collect" garbage, "check" that the watcher missed no change.
    chores: set[str] = field(default_factory=set)
    built: float = field(default_factory=time.monotonic)  # when the last rebuild ended
    collected: float = field(default_factory=time.monotonic)
    # The search index being made in the background, and what gives it up; the changes it
    # is for, while it waits for a pause ("index" chore).
    indexing: tuple[threading.Thread, threading.Event] | None = None
    index_for: tuple[str, ...] = ()


@dataclass(frozen=True)
class PreviewEvent:
    """Something the CLI may tell the editor about: a build, a failure, the address."""

    kind: str  # "serving", "built", "indexed" (the search index caught up), "failed"
    report: BuildReport | None = None
    problems: tuple[Problem, ...] = ()
    paths: tuple[str, ...] = ()
    url: str = ""


def local_url(host: str, port: int) -> str:
    """The address the preview is reached at, used for the site's own absolute links."""
    shown = "127.0.0.1" if host in ("", "0.0.0.0") else ("[::1]" if host == "::" else host)
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def serve(config_path: Path, *, host: str = "127.0.0.1", port: int = 8000,
          drafts: bool = False, future: bool = False, search: bool | None = None,
          on_event: Callable[[PreviewEvent], None] = lambda event: None,
          now: Callable[[], datetime] = lambda: datetime.now().astimezone(),
          stop: threading.Event | None = None) -> None:
    """Serve a live preview until Ctrl-C (or `stop` is set); rebuild whenever the site changes."""
    stop = stop or threading.Event()
    config = load_config(config_path)  # a broken config stops here, with its problems
    watched = [p for p in (config_path.resolve(), config.root / "content",
                           config.templates_dir) if p.exists()]
    state = LiveState()
    workspace = Path(tempfile.mkdtemp(prefix="newsroom-preview-"))
    url = local_url(host, port)

    target = workspace / "site"
    memory = _Memory()

    def rebuild(paths: tuple[str, ...] = (), jobs: int = 1, walk: bool = False) -> None:
        # The build keeps every file a change does not touch and swaps the folder in whole,
        # so a rebuild costs what the change costs. After the first build the preview's
        # threads are running, and forking worker processes beside threads is unsafe: one
        # process then. The search index, slow on a large site, is made again when the
        # editing pauses, beside the watcher: a change saved meanwhile gives it up and is
        # built at once. Collecting garbage waits until the watcher is idle (or half a
        # minute at most), saving caches until the editing pauses (see tidy).
        stop_indexing()
        gc.disable()
        memory.chores.add("collect")
        try:
            # The watcher says what changed since the last build read content/.
            report = build(jobs, search_index=False, changed=None if walk or not memory.caches
                           else {Path(p) for p in paths})
        except BuildError as error:
            fail(error, paths)
            return
        finally:
            memory.built = time.monotonic()
            if memory.built - memory.collected > 30:
                collect()
        publish(report)
        on_event(PreviewEvent("built", report=report, paths=paths))
        if report.search_pending:
            memory.chores.add("index")
            memory.index_for = paths

    def start_indexing(paths: tuple[str, ...]) -> None:
        cancel = threading.Event()

        def index() -> None:
            try:
                report = build(1, search_index=True, changed=(), cancel_index=cancel)
            except IndexCancelled:
                return  # for pages a newer build replaced
            except BuildError as error:
                fail(error, paths, shown=False)
            else:
                remember(report)  # only the index changed: no page to reload
                on_event(PreviewEvent("indexed", report=report, paths=paths))

        thread = threading.Thread(target=index, daemon=True)
        memory.indexing = (thread, cancel)
        thread.start()

    def stop_indexing() -> None:
        if memory.indexing is not None:
            thread, cancel = memory.indexing
            cancel.set()
            thread.join()
            memory.indexing = None

    def fail(error: BuildError, paths: tuple[str, ...], shown: bool = True) -> None:
        # A failed build leaves the caches half used: saved now, they would lose what the
        # next good build needs. The next good build saves them (and has the index made).
        memory.chores -= {"save", "index"}
        if shown:
            with state.changed:
                state.problems = tuple(str(p) for p in error.problems)
                state.changed.notify_all()
        on_event(PreviewEvent("failed", problems=error.problems, paths=paths))

    def collect() -> None:
        gc.collect()
        memory.collected = time.monotonic()

    def tidy(stopping: bool = False) -> None:
        if stopping:
            stop_indexing()
        elif memory.indexing is not None and memory.indexing[0].is_alive():
            return  # the chores wait: the index's build uses the caches
        due = memory.chores - ({"check"} if stopping else set())
        memory.chores = set()
        if "save" in due:
            # For the next `build`. Saving costs a large site a third of a second: it waits
            # for a pause in the editing, not just for the gap between two saves.
            if stopping or time.monotonic() - memory.built > SAVE_AFTER:
                save_caches(memory.caches)
            else:
                memory.chores.add("save")
        if "collect" in due:
            collect()
            gc.enable()
        # A change the watcher did not report (made before it started, lost in an overflow,
        # or to a file a link points at) is found by a walk, and the site is built again.
        if "check" in due and not content_unchanged(memory.config, memory.caches):
            rebuild(walk=True)
        if "index" in due and not stopping:
            if time.monotonic() - memory.built > INDEX_AFTER:
                start_indexing(memory.index_for)
            else:
                memory.chores.add("index")

    def build(jobs: int, search_index: bool, changed: set[Path] | tuple[()] | None,
              cancel_index: threading.Event | None = None) -> BuildReport:
        return build_site(config_path, now=now(), drafts=drafts, future=future,
                          output_dir=target, base_url=url, jobs=jobs, search_on=search,
                          caches=memory.caches, save_cache=False,
                          search_index=search_index, private_output=True, changed=changed,
                          cancel_index=cancel_index)

    def remember(report: BuildReport) -> None:
        if report.caches is not None and report.site is not None:
            memory.caches, memory.config = report.caches, report.site.config
            memory.chores |= {"save", "check"}

    def publish(report: BuildReport) -> None:
        remember(report)
        with state.changed:
            # A save that changes nothing in the site (or undoes a broken edit) clears the
            # problems shown but does not reload the page.
            if report.wrote or state.root is None:
                state.root, state.generation = target, state.generation + 1
            state.problems = ()
            state.changed.notify_all()

    server = ThreadingHTTPServer((host, port), _handler_for(state))
    server.daemon_threads = True
    watching = threading.Event()
    watcher = threading.Thread(target=_watch, daemon=True,
                               args=(watched, stop, watching, rebuild, tidy))
    try:
        rebuild(jobs=default_jobs())
        watcher.start()
        watching.wait(timeout=10)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        on_event(PreviewEvent("serving", url=url))
        while not stop.wait(0.2):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        with state.changed:
            state.stopping = True
            state.changed.notify_all()
        server.shutdown()
        server.server_close()
        if watcher.is_alive():
            watcher.join(timeout=5)
        if not watcher.is_alive():
            tidy(stopping=True)
        shutil.rmtree(workspace, ignore_errors=True)


def _watch(paths: list[Path], stop: threading.Event, ready: threading.Event,
           rebuild: Callable[[tuple[str, ...]], None], idle: Callable[[], None]) -> None:
    # A short debounce: an editor's save is one event, and the preview should feel instant.
    # The first (empty) yield after rust_timeout tells us the watch is in place.
    for changes in watchfiles.watch(*paths, stop_event=stop, debounce=50, step=10,
                                    rust_timeout=250, yield_on_timeout=True,
                                    raise_interrupt=False):
        ready.set()
        if changes:
            rebuild(tuple(sorted({path for _, path in changes})))
        else:
            idle()  # nothing changed for a quarter of a second


def _handler_for(state: LiveState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "newsroom-preview"

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the CLI reports builds, not every request."""

        def do_HEAD(self) -> None:
            self._respond(head=True)

        def do_GET(self) -> None:
            self._respond(head=False)

        def _respond(self, head: bool) -> None:
            path = urlsplit(self.path).path
            if path == LIVE_PREFIX + "events":
                self._events()
                return
            if path == LIVE_PREFIX + "state":
                with state.changed:
                    body = json.dumps(state.snapshot()).encode()
                self._send(HTTPStatus.OK, "application/json", body, head)
                return
            with state.changed:
                root, generation = state.root, state.generation
            if root is None:
                body = _problems_page(state, generation)
                self._send(HTTPStatus.SERVICE_UNAVAILABLE, CONTENT_TYPES[".html"], body, head)
                return
            found = resolve_request(root, path)
            if found is None:
                self._send(HTTPStatus.FORBIDDEN, "text/plain; charset=utf-8",
                           b"Forbidden: outside the site\n", head)
                return
            if found.is_dir():
                if (found / "index.html").is_file() and not path.endswith("/"):
                    self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                    self.send_header("Location", path + "/")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                found = found / "index.html"
            status = HTTPStatus.OK
            if not found.is_file():
                status, found = HTTPStatus.NOT_FOUND, root / "404.html"
                if not found.is_file():
                    self._send(status, "text/plain; charset=utf-8", b"Not found\n", head)
                    return
            body = found.read_bytes()
            content_type = content_type_of(found)
            if content_type.startswith("text/html"):
                body = inject_live_script(body, generation)
            self._send(status, content_type, body, head)

        def _send(self, status: HTTPStatus, content_type: str, body: bytes, head: bool) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if not head:
                self.wfile.write(body)

        def _events(self) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            seen: dict | None = None
            try:
                while True:
                    with state.changed:
                        if state.stopping:
                            return
                        if seen == state.snapshot():
                            state.changed.wait(timeout=15)
                        snapshot = state.snapshot()
                        if state.stopping:
                            return
                    if snapshot != seen:
                        message = f"retry: 500\nevent: state\ndata: {json.dumps(snapshot)}\n\n"
                        seen = snapshot
                    else:
                        message = ": still here\n\n"  # keeps proxies from closing the stream
                    self.wfile.write(message.encode())
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler


def resolve_request(root: Path, url_path: str) -> Path | None:
    """The file or folder a request path names inside root, or None if it points outside."""
    decoded = unquote(url_path)
    if "\x00" in decoded or "\\" in decoded:
        return None
    parts = [part for part in decoded.split("/") if part not in ("", ".")]
    if ".." in parts:
        return None
    candidate = root.joinpath(*parts)
    resolved = candidate.resolve()
    if not resolved.is_relative_to(root.resolve()):
        return None
    return resolved


def content_type_of(path: Path) -> str:
    """The Content-Type for a built file."""
    suffix = path.suffix.lower()
    if suffix in CONTENT_TYPES:
        return CONTENT_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def inject_live_script(body: bytes, generation: int) -> bytes:
    """The page with the live-reload script just before </body>."""
    script = (LIVE_SCRIPT % {"generation": generation, "prefix": LIVE_PREFIX}).encode()
    index = body.rfind(b"</body>")
    return body[:index] + script + body[index:] if index >= 0 else body + script


def _problems_page(state: LiveState, generation: int) -> bytes:
    with state.changed:
        problems = state.problems
    items = "".join(f"<li>{escape(p)}</li>" for p in problems) or "<li>Building…</li>"
    page = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Build problems'
            f"</title></head><body><h1>The site did not build</h1><ul>{items}</ul>"
            "<p>Fix the files above; this page reloads by itself.</p></body></html>")
    return inject_live_script(page.encode(), generation)
