"""Edit-to-browser time of `serve`: from saving an article to the browser being told to reload.

    python bench/preview_latency.py [--site PATH] [--runs 10] [--pause 1] [--no-search]

Copies the site (default: the sample site) to a temporary folder, starts `build.py serve`,
listens to the reload stream as the browser does, edits an article, and measures until the
reload event arrives and the edited page is served. Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import http.client
import json
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=REPO)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--pause", type=float, default=1.0,
                        help="seconds between a page served and the next save (default 1; "
                             "over 2 the preview saves its caches in between)")
    parser.add_argument("--no-search", action="store_true",
                        help="preview without the search index (as `serve --no-search`)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        shutil.copytree(args.site, site, ignore=shutil.ignore_patterns(
            "public", ".git", ".venv", "tests", "bench", "*.egg-info", ".newsroom-cache"))
        config = site / "site_config.yaml"
        text = config.read_text(encoding="utf-8")
        if "templates_dir" not in text:
            config.write_text(text + f"\ntemplates_dir: {REPO / 'templates'}\n")
        article = sorted((site / "content" / "news").glob("*.md"))[0]
        port = free_port()
        server = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--port",
                                   str(port), "-q", *(["--no-search"] if args.no_search
                                                      else [])], cwd=site)
        try:
            for _ in range(200):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/__newsroom/state")
                    break
                except OSError:
                    time.sleep(0.05)
            stream = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            stream.request("GET", "/__newsroom/events")
            response = stream.getresponse()

            def next_state() -> dict:
                while True:
                    line = response.fp.readline().decode()
                    if line.startswith("data: "):
                        return json.loads(line[6:])

            next_state()
            # An editor opens the page before editing; meanwhile the preview tidies up after
            # its first build (collects garbage, checks the watcher missed nothing).
            time.sleep(3)
            to_reload, to_page = [], []
            original = article.read_text(encoding="utf-8")
            for run in range(args.runs):
                marker = f"Edited {run}"
                started = time.perf_counter()
                article.write_text(original.replace("\n---\n", f"\n---\n\n{marker}\n", 1),
                                   encoding="utf-8")
                next_state()
                to_reload.append(time.perf_counter() - started)
                page_url = f"http://127.0.0.1:{port}/news/{article.stem[11:]}/"
                body = urllib.request.urlopen(page_url).read().decode()
                to_page.append(time.perf_counter() - started)
                assert marker in body, "the edited page was not served"
                time.sleep(args.pause)  # an editor looks before saving again
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=20)
    print(f"edit-to-reload-event over {args.runs} edits: median "
          f"{statistics.median(to_reload) * 1000:.0f} ms, max {max(to_reload) * 1000:.0f} ms")
    print(f"edit-to-new-page-served:           median "
          f"{statistics.median(to_page) * 1000:.0f} ms, max {max(to_page) * 1000:.0f} ms")
    print("each edit, to the page served (ms):", " ".join(f"{t * 1000:.0f}" for t in to_page))


if __name__ == "__main__":
    main()
