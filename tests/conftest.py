"""Shared helpers: tiny sites written from dicts, the sample site built once, parsers."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import settings

from newsroom.build import build_site
from newsroom.config import load_config
from newsroom.problems import BuildError

# Property tests: a quick look while developing, the full search in CI (CI=true) or when
# HYPOTHESIS_PROFILE=full asks for it.
settings.register_profile("full", deadline=None)
settings.register_profile("dev", deadline=None)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("full" if os.environ.get("CI") else "dev")
settings.load_profile(PROFILE)


def examples(full: int) -> int:
    """How many examples a property test tries: `full` in the full profile, a tenth of it
    (at least 25) in the dev profile."""
    return full if PROFILE == "full" else max(25, full // 10)


REPO = Path(__file__).resolve().parent.parent
TEMPLATES = REPO / "templates"
SITES = Path(__file__).resolve().parent / "sites"
# The sample site's clock in the tests: after the seed event, before the 2027 events.
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=ZoneInfo("Europe/London"))

BASE_CONFIG = {
    "title": "Test News",
    "description": "A site for tests.",
    "base_url": "https://news.example.org/",
    "language": "en-GB",
    "timezone": "Europe/London",
    # Small test sites leave the search index and share cards out unless they are what
    # they test (tests/test_search.py, tests/test_images.py); the sample site and the
    # fixtures under tests/sites/ keep them.
    "search": False,
    "share_cards": False,
}


def write_site(root: Path, files: dict[str, str], config: dict | None = None) -> Path:
    """Write a small site into root from {relative path: text}; return its config path."""
    settings = {**BASE_CONFIG, **(config or {})}
    root.mkdir(parents=True, exist_ok=True)
    (root / "site_config.yaml").write_text(yaml.safe_dump(settings, sort_keys=False),
                                           encoding="utf-8")
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "site_config.yaml"


def config_file(root: Path, text: str) -> Path:
    """A site_config.yaml of `text` in root (made if missing)."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / "site_config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def load_problems(path: Path, **options) -> list[str]:
    """The problems loading the config at `path` reports."""
    with pytest.raises(BuildError) as raised:
        load_config(path, **options)
    return [str(p) for p in raised.value.problems]


def config_problems(root: Path, text: str) -> list[str]:
    """The problems loading a site_config.yaml of `text`, in root, reports."""
    return load_problems(config_file(root, text))


def build(root: Path, files: dict[str, str], config: dict | None = None) -> Path:
    """Build a small site; return its output folder."""
    build_site(write_site(root, files, config), now=NOW)
    return root / "public"


def run(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python build.py ARGS` in cwd, as an editor would (`env` added to the
    environment)."""
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def article(title: str = "Hello", date: str = "2024-05-01", body: str = "Some words.",
            **fields: object) -> str:
    """The text of an article file with the given front matter."""
    meta = {"title": title, "date": date, **fields}
    return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n\n" + body


def copy_fixture(name: str, destination: Path) -> Path:
    """Copy tests/sites/<name> to destination (so builds never write into the repo)."""
    shutil.copytree(SITES / name, destination)
    return destination / "site_config.yaml"


def soup(path: Path) -> BeautifulSoup:
    """Parse an HTML file as a browser would read it."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def require_tool(name: str, available: bool, why: str) -> None:
    """Skip when a tool is missing on a laptop; fail in CI (NEWSROOM_REQUIRE_TOOLS=1)."""
    if available:
        return
    message = f"{name} is not installed: {why}"
    if os.environ.get("NEWSROOM_REQUIRE_TOOLS") == "1":
        pytest.fail(message + " (NEWSROOM_REQUIRE_TOOLS=1 makes this a failure)")
    pytest.skip(message)


CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium (Debian's), driven by Playwright."""
    require_tool("Chromium", Path(CHROMIUM).exists() or bool(shutil.which("chromium")),
                 "apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require_tool("Playwright", False, "pip install playwright")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's sample site, built once into a temporary folder."""
    out = tmp_path_factory.mktemp("sample") / "public"
    build_site(REPO / "site_config.yaml", now=NOW, output_dir=out)
    return out


@pytest.fixture(scope="session")
def basepath_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/sites/basepath, a site published under https://example.org/site/."""
    root = tmp_path_factory.mktemp("basepath") / "site"
    config = copy_fixture("basepath", root)
    build_site(config, now=NOW)
    return root / "public"


class StaticHost(http.server.SimpleHTTPRequestHandler):
    """A static host: files as they are, the site's 404 page for anything missing."""

    def log_message(self, format, *args):  # noqa: A002
        pass

    def send_error(self, code, message=None, explain=None):
        not_found = Path(self.directory) / "404.html"
        if code == 404 and not_found.is_file():
            body = not_found.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)


@contextlib.contextmanager
def static_host(folder: Path) -> Iterator[str]:
    """A built site served as a static host serves it, at the address this yields."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(StaticHost, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
