"""The reader's side of search: from the last keystroke to results shown, and the bytes one
query fetches, with the index in partitions and as one index.

    python bench/search_latency.py [--articles 5000] [--site FOLDER]

Generates the corpus (bench/corpus.py), builds it twice with search on (the default
partitions, and one index: search_partition_pages above the page count), serves each
locally, and in headless Chromium types each query into the search page as a reader would
(a key every 80 ms). Prints, for each build, the time from the last keystroke's input
event to the results shown (the status line naming the query), and the bytes of the
index a fresh visit fetches for one query (the search page loaded, the query typed, its
results shown). The search page waits 100 ms after a keystroke before it searches, and
that wait is in the figures. Asserts nothing.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
QUERIES = ["Helix", "gene therapy", "Nottingham", "radiopharmaceutical", "clinical trials",
           "Quantis Vaccines", "Peel Hunt", "ophthalmology", "Basel", "webinar"]

# Resolves with the milliseconds from the last input event to the status line naming the
# query (search.js fills it in after the results).
WATCH = """([query]) => { window.nrShown = new Promise((resolve) => {
  setTimeout(() => resolve(-1), 20000);  // (never shown: -1)
  const input = document.getElementById("nr-search-query");
  const status = document.getElementById("nr-search-status");
  let typed = 0;
  input.addEventListener("input", () => { typed = performance.now(); });
  new MutationObserver(() => {
    if (input.value === query && status.textContent.includes(query)) {
      resolve(performance.now() - typed);
    }
  }).observe(status, { childList: true, characterData: true, subtree: true });
}); }"""


def build(corpus: Path, out: Path, partition_pages: int | None) -> None:
    config = corpus / "site_config.yaml"
    text = config.read_text(encoding="utf-8")
    if partition_pages:
        text += f"search_partition_pages: {partition_pages}\n"
    (corpus / "bench.yaml").write_text(text, encoding="utf-8")
    subprocess.run([sys.executable, str(REPO / "build.py"), "-q", "--config", "bench.yaml",
                    "--output", str(out)], cwd=corpus, check=True)


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(folder: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


def one_query(browser, site: str, query: str) -> tuple[float, int, list[str]]:
    """A fresh visit to the search page (no cache), one query typed: the milliseconds from
    the last keystroke to results, the index bytes fetched, and console errors."""
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    requests = []
    page.on("requestfinished", lambda request: requests.append(request))
    try:
        page.goto(site + "search/")
        page.wait_for_function("document.querySelector('.search-filters') && "
                               "!document.querySelector('.search-filters').hidden")
        page.evaluate(WATCH, [query])
        page.type("#nr-search-query", query, delay=80)
        took = page.evaluate("window.nrShown")
        fetched = sum(request.sizes()["responseBodySize"] for request in requests
                      if "/pagefind/" in request.url)
    finally:
        context.close()
    return took, fetched, errors


def measure(browser, folder: Path) -> tuple[list[float], list[int], list[str]]:
    site, server = serve(folder)
    times, sizes, errors = [], [], []
    try:
        for query in QUERIES:
            took, fetched, said = one_query(browser, site, query)
            times.append(took)
            sizes.append(fetched)
            errors += said
    finally:
        server.shutdown()
    return times, sizes, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--work", type=Path,
                        help="build here, and keep the builds (default: a temporary folder)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="newsroom-search-bench-") as folder:
        work = args.work or Path(folder)
        corpus = work / "corpus"
        builds = {"partitions": None, "one index": 10 * args.articles + 1000}
        if not corpus.exists():
            subprocess.run([sys.executable, str(REPO / "bench/corpus.py"), str(corpus),
                            "--articles", str(args.articles), "--events",
                            str(args.articles // 10)], check=True, stdout=subprocess.DEVNULL)
            (corpus / "site_config.yaml").write_text(
                "title: Bench News\nbase_url: https://example.org/\ntimezone: Europe/London\n"
                "language: en-GB\nshare_cards: false\n", encoding="utf-8")
            for name, pages in builds.items():
                build(corpus, work / name, pages)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            results = {name: measure(browser, work / name) for name in builds}
            browser.close()
        for name in builds:
            count = len((work / name / "pagefind/partitions.json").read_text().split(","))
            times, sizes, errors = results[name]
            print(f"{name} ({count} partitions), {len(QUERIES)} queries, each on a fresh visit:")
            print(f"  last keystroke to results: median {statistics.median(times):.0f} ms, "
                  f"slowest {max(times):.0f} ms ({', '.join(f'{t:.0f}' for t in times)})")
            print(f"  index bytes fetched: median {statistics.median(sizes) / 1024:.0f} KB, "
                  f"most {max(sizes) / 1024:.0f} KB")
            print(f"  console errors: {len(errors)}{': ' + errors[0] if errors else ''}")
        ratio = (statistics.median(results["partitions"][1])
                 / statistics.median(results["one index"][1]))
        print(f"bytes per query, partitions / one index: {ratio:.2f}x (target <= 1.5x)")


if __name__ == "__main__":
    main()
