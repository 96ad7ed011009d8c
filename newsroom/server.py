"""The live preview: build, serve on loopback, watch the site, rebuild and reload the browser."""

from __future__ import annotations

import json
import mimetypes
import shutil
import tempfile
import threading
from collections.abc import Callable
from datetime import datetime
from html import escape
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import watchfiles

from newsroom.build import BuildReport, build_site
from newsroom.config import load_config
from newsroom.preview import LiveState, Preview, PreviewEvent
from newsroom.workers import default_jobs

LIVE_PREFIX = "/__newsroom/"
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

    def build(**options: Any) -> BuildReport:
        return build_site(config_path, now=now(), drafts=drafts, future=future,
                          output_dir=target, base_url=url, search_on=search,
                          save_cache=False, private_output=True, **options)

    preview = Preview(build, target, state, on_event)
    server = ThreadingHTTPServer((host, port), _handler_for(state))
    server.daemon_threads = True
    watching = threading.Event()
    watcher = threading.Thread(target=_watch, daemon=True,
                               args=(watched, stop, watching, preview.rebuild, preview.tidy))
    try:
        preview.rebuild(jobs=default_jobs())
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
            preview.tidy(stopping=True)
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
