"""`serve` for real: a preview server on a free port, edited, broken, fixed and stopped."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO, article, copy_fixture, free_port, write_site

from newsroom.cli import _parser
from newsroom.server import inject_live_script, local_url, resolve_request

FIRST = "content/news/2024-01-10-first-bulletin.md"


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    """GET a URL: status, headers and body, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_for(condition, seconds: float = 15.0):
    """Poll until condition() is truthy; return its value (or fail after `seconds`)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"gave up waiting after {seconds} s")


class Preview:
    """A running `python build.py serve -v` on a copy of tests/sites/basepath."""

    def __init__(self, root: Path, port: int, env: dict[str, str] | None = None) -> None:
        self.root = root
        self.url = f"http://127.0.0.1:{port}/"
        self.stdout = root.parent / "serve.out"
        self.stderr = root.parent / "serve.err"
        self.process = subprocess.Popen(
            [sys.executable, str(REPO / "build.py"), "serve", "-v", "--port", str(port)],
            cwd=root, stdout=self.stdout.open("w"), stderr=self.stderr.open("w"),
            env={**os.environ, **(env or {})})

    def state(self) -> dict | None:
        """The preview's build state, or None while it is not answering."""
        try:
            status, _, body = fetch(self.url + "__newsroom/state")
        except (urllib.error.URLError, ConnectionError):
            return None
        return json.loads(body) if status == 200 else None

    def page(self, path: str) -> str:
        """A page as the browser gets it."""
        return fetch(self.url + path)[2].decode("utf-8")

    def edit(self, relative: str, old: str, new: str) -> None:
        """Change text in a site file, as an editor saving it would."""
        path = self.root / relative
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")

    def idle_times(self) -> int:
        """How often the preview has said it is idle: every chore done, until a change."""
        return self.stdout.read_text().count("Up to date: waiting for changes.")

    def stop(self) -> int:
        """Ctrl-C, then the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=20)


@pytest.fixture
def preview(tmp_path):
    root = tmp_path / "site"
    copy_fixture("basepath", root)
    running = Preview(root, free_port())
    wait_for(running.state)
    yield running
    running.stop()


@pytest.mark.slow
def test_serve_builds_and_serves_the_site_with_local_links(preview):
    page = preview.page("news/first-bulletin/")
    assert "<h1 id=\"nr-headline\">First bulletin</h1>" in page
    assert 'href="/about/"' in page  # the base path /site/ is dropped: the preview is at /
    feed = preview.page("feed.xml")
    assert f"<link>{preview.url}</link>" in feed
    assert "EventSource" not in feed


@pytest.mark.slow
def test_the_reload_script_is_only_in_served_pages_never_in_built_files(preview):
    assert "EventSource" in preview.page("news/first-bulletin/")
    assert not (preview.root / "public").exists()  # the preview never writes the output


@pytest.mark.slow
def test_an_edit_shows_in_the_served_page(preview):
    before = preview.state()["generation"]
    preview.edit(FIRST, "title: First bulletin", "title: First bulletin, revised")
    wait_for(lambda: preview.state()["generation"] > before)
    assert "First bulletin, revised" in preview.page("news/first-bulletin/")


@pytest.mark.slow
def test_the_preview_saves_its_caches_so_the_next_build_starts_warm(preview):
    cache = preview.root / ".newsroom-cache"
    wait_for(lambda: cache.is_dir() and any(cache.rglob("*.bin")))
    before = preview.state()["generation"]
    preview.edit(FIRST, "title: First bulletin", "title: First bulletin, saved")
    wait_for(lambda: preview.state()["generation"] > before)
    wait_for(lambda: any(b"First bulletin, saved" in p.read_bytes()
                         for p in cache.rglob("*.bin")))


@pytest.mark.slow
def test_a_failed_rebuild_leaves_the_saved_caches_as_they_were(preview):
    cache = preview.root / ".newsroom-cache"

    def saved() -> bytes:
        return b"".join(p.read_bytes() for p in sorted(cache.rglob("*.bin")))

    wait_for(lambda: b"First bulletin" in saved())
    idle = preview.idle_times()
    preview.edit(FIRST, "date: 2024-01-10 09:00", "date: July 6th")
    wait_for(lambda: preview.state()["problems"])
    wait_for(lambda: preview.idle_times() > idle)  # the caches are saved by now, if at all
    assert b"<p>Second, with a" in saved() and b"Second bulletin" in saved()


@pytest.mark.slow
def test_a_broken_save_right_after_a_good_one_leaves_the_saved_caches_whole(preview):
    cache = preview.root / ".newsroom-cache"

    def saved() -> bytes:
        return b"".join(p.read_bytes() for p in sorted(cache.rglob("*.bin")))

    wait_for(lambda: b"First bulletin" in saved())
    generation, idle = preview.state()["generation"], preview.idle_times()
    preview.edit(FIRST, "title: First bulletin", "title: First bulletin, good")
    wait_for(lambda: preview.state()["generation"] > generation)
    # Broken before the good build's caches were saved (they wait for a pause).
    preview.edit(FIRST, "date: 2024-01-10 09:00", "date: July 6th")
    wait_for(lambda: preview.state()["problems"])
    wait_for(lambda: preview.idle_times() > idle)  # the caches are saved by now, if at all
    assert b"<p>Second, with a" in saved() and b"Second bulletin" in saved()


@pytest.mark.slow
def test_the_preview_keeps_its_search_index_current(preview):
    def indexed() -> int:
        """Pages in the served index: in every partition it lists."""
        status, _, body = fetch(preview.url + "pagefind/partitions.json")
        if status != 200:
            return 0
        count = 0
        for name in json.loads(body):
            status, _, body = fetch(preview.url + f"pagefind/{name}/pagefind-entry.json")
            if status != 200:
                return 0
            count += sum(language["page_count"]
                         for language in json.loads(body)["languages"].values())
        return count

    wait_for(lambda: indexed() > 0)
    before = indexed()
    (preview.root / "content/news/2025-04-04-fourth-bulletin.md").write_text(
        "---\ntitle: Fourth bulletin\ndate: 2025-04-04\n---\nNews of the fourth kind.\n",
        encoding="utf-8")
    wait_for(lambda: indexed() == before + 1)


@pytest.mark.slow
def test_the_preview_makes_again_only_the_partition_of_the_edited_page(tmp_path):
    root = tmp_path / "site"
    config = copy_fixture("basepath", root)
    with config.open("a", encoding="utf-8") as settings:
        settings.write("search_partition_pages: 2\n")  # its pages in several partitions
    running = Preview(root, free_port())
    try:
        wait_for(running.state)

        def entries() -> dict[str, bytes]:
            """Each partition's entry file as served (none while the index is not there)."""
            status, _, body = fetch(running.url + "pagefind/partitions.json")
            listed = json.loads(body) if status == 200 else []
            return {name: fetch(running.url + f"pagefind/{name}/pagefind-entry.json")[2]
                    for name in listed}

        wait_for(lambda: len(entries()) > 1)
        before = entries()
        running.edit("content/news/2024-06-02-second-bulletin.md", "title: ",
                     "title: Edited ")
        wait_for(lambda: entries() != before)
        after = entries()
        assert after.keys() == before.keys()
        assert sum(after[name] != before[name] for name in after) == 1
    finally:
        running.stop()


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="looks for processes in /proc")
def test_an_edit_saved_while_the_search_index_is_made_is_served_at_once(tmp_path):
    # This Pagefind takes a minute: the edit must not wait for it, and the index it was
    # making, for pages the edit replaced, is given up (its Pagefind stopped).
    slow = tmp_path / "slow-pagefind"
    slow.write_text("#!/bin/sh\nsleep 60.25\nexit 1\n", encoding="utf-8")
    slow.chmod(0o755)
    root = tmp_path / "site"
    copy_fixture("basepath", root)
    running = Preview(root, free_port(), env={"PAGEFIND_BINARY_PATH": str(slow)})

    def slow_ones_running() -> int:
        """The fake Pagefinds running, if each is one script and one `sleep` (else -1)."""
        lines = [_reads(cmdline) for cmdline in Path("/proc").glob("[0-9]*/cmdline")]
        scripts = sum(line.startswith(b"/bin/sh\x00" + str(slow).encode()) for line in lines)
        sleeps = sum(line == b"sleep\x0060.25\x00" for line in lines)
        return scripts if scripts == sleeps else -1

    try:
        wait_for(running.state)
        wait_for(lambda: slow_ones_running() == 1)  # indexing the first build
        before = running.state()["generation"]
        running.edit(FIRST, "title: First bulletin", "title: First bulletin, at once")
        wait_for(lambda: running.state()["generation"] > before, seconds=20)
        assert "First bulletin, at once" in running.page("news/first-bulletin/")
        wait_for(lambda: slow_ones_running() == 1)  # the first one stopped, the next started
    finally:
        running.stop()
    wait_for(lambda: slow_ones_running() == 0)


def _reads(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:  # (the process ended)
        return b""


@pytest.mark.slow
def test_a_broken_file_keeps_the_last_good_site_and_shows_the_problem_until_fixed(preview):
    good = preview.page("news/first-bulletin/")
    generation = preview.state()["generation"]
    preview.edit(FIRST, "date: 2024-01-10 09:00", "date: July 6th")
    problems = wait_for(lambda: preview.state()["problems"])
    assert problems == ["content/news/2024-01-10-first-bulletin.md:3: date: 'July 6th' is not "
                        "a date (write 2020-07-06 or 2020-07-06 09:30)"]
    assert preview.page("news/first-bulletin/") == good
    wait_for(lambda: "is not a date" in preview.stderr.read_text())
    preview.edit(FIRST, "date: July 6th", "date: 2024-01-10 09:00")
    state = wait_for(lambda: (s := preview.state()) and not s["problems"] and s)
    # Put back as it was, the site is the last good one: the box goes, the page stays.
    assert state["generation"] == generation
    preview.edit(FIRST, "date: 2024-01-10 09:00", "date: 2024-01-11 09:00")
    wait_for(lambda: preview.state()["generation"] == generation + 1)


@pytest.mark.slow
def test_a_save_that_changes_nothing_does_not_reload_the_page(preview):
    generation = preview.state()["generation"]
    built = preview.stdout.read_text().count("Built ")
    preview.edit(FIRST, "", "")  # saved again as it was
    wait_for(lambda: preview.stdout.read_text().count("Built ") > built)
    assert preview.state()["generation"] == generation


@pytest.mark.slow
def test_the_event_stream_sends_the_state_and_every_change(preview):
    host, port = preview.url.split("//")[1].rstrip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=15)
    connection.request("GET", "/__newsroom/events")
    response = connection.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"

    def next_state() -> dict:
        while True:
            line = response.fp.readline().decode()
            if line.startswith("data: "):
                return json.loads(line[6:])

    first = next_state()
    assert first["problems"] == []
    preview.edit(FIRST, "title: First bulletin", "title: Streamed")
    assert next_state()["generation"] == first["generation"] + 1
    connection.close()


@pytest.mark.parametrize("path", ["/../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                                  "/news/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
                                  "/..%2f..%2f..%2fetc%2fpasswd", "/%2e%2e%5c%2e%2e%5cetc"])
@pytest.mark.slow
def test_requests_outside_the_output_folder_are_refused(preview, path):
    host, port = preview.url.split("//")[1].rstrip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    assert response.status == 403
    assert b"root:" not in body


@pytest.mark.slow
def test_folders_are_never_listed_and_missing_pages_get_the_404_page(preview):
    status, _, body = fetch(preview.url + "media/")
    assert status == 404
    assert b"square.svg" not in body
    assert b"Page not found" in body


@pytest.mark.slow
def test_content_types_are_right(preview):
    expected = {"": "text/html; charset=utf-8", "static/style.css": "text/css; charset=utf-8",
                "feed.xml": "application/xml; charset=utf-8",
                "events/calendar.ics": "text/calendar; charset=utf-8",
                "media/square.svg": "image/svg+xml", "robots.txt": "text/plain; charset=utf-8"}
    for path, content_type in expected.items():
        assert fetch(preview.url + path)[1]["Content-Type"] == content_type, path


@pytest.mark.slow
def test_a_preview_of_a_site_big_enough_for_worker_processes_stops_without_tracebacks(
        tmp_path):
    root = tmp_path / "big"
    write_site(root, {f"content/news/2024-01-{1 + i % 28:02d}-story-{i}.md":
                      article(f"Story {i}", f"2024-01-{1 + i % 28:02d}") for i in range(80)})
    running = Preview(root, free_port())
    wait_for(running.state, seconds=60)
    assert running.stop() == 0
    assert "Traceback" not in running.stderr.read_text(encoding="utf-8")


@pytest.mark.slow
def test_ctrl_c_stops_the_server_cleanly(preview):
    assert preview.stop() == 0
    assert preview.stdout.read_text().strip().endswith("Stopped.")
    assert "Traceback" not in preview.stderr.read_text()


def test_serve_listens_on_loopback_unless_told_otherwise():
    args = _parser().parse_args(["serve"])
    assert (args.host, args.port) == ("127.0.0.1", 8000)
    assert local_url("0.0.0.0", 8000) == "http://127.0.0.1:8000/"
    assert local_url("::1", 9000) == "http://[::1]:9000/"


def test_resolve_request_keeps_every_request_inside_the_root(tmp_path):
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "index.html").write_text("x")
    (tmp_path.parent / "secret.txt").write_text("secret")
    assert resolve_request(tmp_path, "/news/") == tmp_path / "news"
    assert resolve_request(tmp_path, "/news/index.html") == tmp_path / "news" / "index.html"
    for hostile in ("/../secret.txt", "/%2e%2e/secret.txt", "/news/%00", "/..%5csecret.txt"):
        assert resolve_request(tmp_path, hostile) is None, hostile
    (tmp_path / "escape").symlink_to(tmp_path.parent)
    assert resolve_request(tmp_path, "/escape/secret.txt") is None


def test_the_live_script_goes_just_before_the_end_of_the_body():
    page = inject_live_script(b"<html><body><p>x</p></body></html>", 7)
    assert page.index(b"<script>") > page.index(b"<p>x</p>")
    assert page.endswith(b"</script>\n</body></html>")
    assert b"const loaded = 7;" in page


@pytest.mark.slow
def test_a_change_the_watcher_cannot_see_is_found_once_it_is_idle(tmp_path):
    # A page that is a link to a file outside content/: the watcher sees no event when
    # that file changes. The preview trusts the watcher for speed, then checks with a walk
    # once it is idle, so the next save anywhere brings the page up to date.
    root = tmp_path / "site"
    copy_fixture("basepath", root)
    shared = root / "shared/team.md"
    shared.parent.mkdir()
    shared.write_text("---\ntitle: Our team\n---\nTen people.\n", encoding="utf-8")
    (root / "content/pages/team.md").symlink_to(shared)
    running = Preview(root, free_port())
    try:
        wait_for(running.state)
        assert "Ten people." in running.page("team/")
        shared.write_text("---\ntitle: Our team\n---\nTwelve people.\n", encoding="utf-8")
        running.edit(FIRST, "title: First bulletin", "title: First bulletin, revised")
        wait_for(lambda: "Twelve people." in running.page("team/"))
        assert "First bulletin, revised" in running.page("news/first-bulletin/")
    finally:
        running.stop()
