"""Screenshots of the sample site for the README: desktop and phone, home, article, events,
a repeating event and a search.

    python docs/screenshots.py

Builds the sample site into a temporary folder, serves it on 127.0.0.1 and photographs it in
headless Chromium (Debian's /usr/bin/chromium, driven by Playwright) into docs/.
"""

from __future__ import annotations

import functools
import http.server
import sys
import tempfile
import threading
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from newsroom.build import build_site  # noqa: E402

PAGES = {"home": "", "article": "news/bright-future-for-life-sciences-in-the-midlands/",
         "events": "events/", "event": "events/2027-01-13-editors-drop-in/",
         "search": "search/?q=Mentor"}
SIZES = {"desktop": (1280, 900), "phone": (375, 740)}
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Say nothing per request."""


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "public"
        build_site(REPO / "site_config.yaml", now=datetime.now().astimezone(), output_dir=out)
        handler = functools.partial(_Quiet, directory=str(out))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=FLAGS)
            for size, (width, height) in SIZES.items():
                page = browser.new_page(viewport={"width": width, "height": height},
                                        locale="en-GB", timezone_id="Europe/London")
                for name, path in PAGES.items():
                    page.goto(base + path)
                    if name == "search":
                        page.wait_for_selector(".search-result")
                    target = REPO / "docs" / f"{name}-{size}.png"
                    page.screenshot(path=str(target))
                    print(target.relative_to(REPO))
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main()
