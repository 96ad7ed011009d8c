"""What each Python-Markdown extension costs per article, to choose them by value per cost.

    python bench/markdown_extensions.py [--articles 400]

Renders the same synthetic articles (bench/corpus.py) with no extension, each extension
alone, and newsroom's chosen set; prints milliseconds per article. Asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

import markdown

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from newsroom import prose  # noqa: E402
from newsroom.markup import (  # noqa: E402
    EXTENSION_CONFIGS,
    EXTENSIONS,
    render_markdown,
    sanitize,
)

CANDIDATES = ("tables", "footnotes", "attr_list", "fenced_code", "toc", "sane_lists", "abbr",
              "def_list", "md_in_html", "smarty", "extra")


def per_article(bodies: list[str], extensions: list[str], configs: dict | None = None,
                sanitised: bool = False) -> float:
    """Milliseconds per article for a set of extensions, the HTML sanitised by nh3 if asked
    (best of five)."""
    converter = markdown.Markdown(extensions=extensions, extension_configs=configs or {})
    for body in bodies[:50]:  # warm up: compiled patterns, caches
        converter.reset()
        converter.convert(body)
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        for body in bodies:
            converter.reset()
            html = converter.convert(body)
            if sanitised:
                sanitize(html)
        best = min(best, (time.perf_counter() - started) / len(bodies) * 1000)
    return best


def per_render(bodies: list[str], prose_writer: bool = True) -> float:
    """Milliseconds per article of render_markdown, with or without the prose writer (best
    of five)."""
    with mock.patch.object(prose, "prose_html", lambda text: None) if not prose_writer \
            else contextlib.nullcontext():
        best = float("inf")
        for _ in range(5):
            started = time.perf_counter()
            for body in bodies:
                render_markdown(body)
            best = min(best, (time.perf_counter() - started) / len(bodies) * 1000)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=400)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([sys.executable, str(Path(__file__).parent / "corpus.py"), folder,
                        "--articles", str(args.articles), "--events", "0"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        bodies = [p.read_text(encoding="utf-8").split("---\n", 2)[2]
                  for p in sorted(Path(folder, "content", "news").glob("*.md"))]
    base = per_article(bodies, [])
    print("| extensions | ms per article | extra cost |")
    print("|---|---:|---:|")
    print(f"| none | {base:.2f} | |")
    for name in CANDIDATES:
        cost = per_article(bodies, [name])
        print(f"| {name} | {cost:.2f} | {cost - base:+.2f} |")
    chosen = per_article(bodies, list(EXTENSIONS), EXTENSION_CONFIGS)
    print(f"| newsroom's set ({', '.join(EXTENSIONS)}) | {chosen:.2f} | {chosen - base:+.2f} |")
    stock = per_article(bodies, list(EXTENSIONS), EXTENSION_CONFIGS, sanitised=True)
    print(f"| newsroom's set, sanitised by nh3 (stock Python-Markdown) | {stock:.2f} "
          f"| {stock - base:+.2f} |")
    markdown_only = per_render(bodies, prose_writer=False)
    print(f"| render_markdown with every text left to Python-Markdown | {markdown_only:.2f} "
          f"| {markdown_only - base:+.2f} |")
    whole = per_render(bodies)
    print(f"| the same, plain prose written directly (render_markdown) | {whole:.2f} "
          f"| {whole - base:+.2f} |")


if __name__ == "__main__":
    main()
