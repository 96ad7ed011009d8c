"""Publishing on time and telling readers at once: `schedule --due-since` says whether a
build is due, and `websub` lists the feeds a build changed and tells the hub of them."""

from __future__ import annotations

import functools
import http.server
import threading
import urllib.parse
from datetime import timedelta

import pytest
from conftest import NOW, article, static_host, write_site

from newsroom.build import build_site
from newsroom.cli import NOTHING_DUE, main


def moment(delta: timedelta) -> str:
    return (NOW + delta).strftime("%Y-%m-%d %H:%M")


@pytest.fixture
def timed_site(tmp_path, monkeypatch):
    """A site whose clock is NOW: an article that went live an hour ago, one going live
    tomorrow, an event that ended two hours ago, and a notice expiring in three days."""
    write_site(tmp_path, {
        "content/news/2024-01-01-old.md": article("Old", "2024-01-01"),
        "content/news/live.md": article("Just live", moment(-timedelta(hours=1))),
        "content/news/soon.md": article("Tomorrow", moment(timedelta(days=1))),
        "content/news/notice.md": article("Notice", "2024-02-01",
                                          expires=moment(timedelta(days=3))),
        "content/events/talk.yaml": f"title: Talk\nstart: {moment(-timedelta(hours=3))}\n"
                                    f"end: {moment(-timedelta(hours=2))}\n",
    })
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("newsroom.cli._now", lambda: NOW)
    return tmp_path


def test_due_since_names_what_changed_state_and_exits_0(timed_site, capsys):
    assert main(["schedule", "--due-since", moment(-timedelta(hours=4))]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(": ", 1)[1].split("  [")[0] for line in lines] == [
        "event ends: “Talk”", "article goes live: “Just live”"]


def test_due_since_a_moment_after_the_last_change_exits_3_saying_so(timed_site, capsys):
    assert main(["schedule", "--due-since", moment(-timedelta(minutes=30))]) == NOTHING_DUE
    assert capsys.readouterr().out.startswith("Nothing has changed state since ")


def test_an_expiry_makes_a_build_due(timed_site, capsys):
    with pytest.MonkeyPatch.context() as later:
        later.setattr("newsroom.cli._now", lambda: NOW + timedelta(days=4))
        assert main(["schedule", "--due-since", moment(timedelta(days=2))]) == 0
    assert "article expires: “Notice”" in capsys.readouterr().out


def test_due_since_takes_the_time_github_gives(timed_site, capsys):
    utc = (NOW - timedelta(hours=4)).astimezone(tz=None).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert main(["schedule", "--due-since", utc]) in (0, NOTHING_DUE)
    assert main(["schedule", "--due-since", "last tuesday"]) == 1
    assert "--due-since: 'last tuesday' is not a date" in capsys.readouterr().err


class Hub(http.server.BaseHTTPRequestHandler):
    """A WebSub hub that keeps what it is told."""

    told: list[dict[str, list[str]]] = []

    def do_POST(self):  # noqa: N802
        length = int(self.headers["Content-Length"])
        Hub.told.append(urllib.parse.parse_qs(self.rfile.read(length).decode()))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format, *args):  # noqa: A002
        pass


@pytest.fixture
def hub():
    Hub.told = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Hub))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_websub_lists_the_feeds_a_build_changed_and_tells_the_hub(tmp_path, hub, capsys,
                                                                  monkeypatch):
    live = tmp_path / "live"
    live.mkdir()
    with static_host(live) as address:
        files = {"content/news/2024-05-01-a.md": article("A", tags=["one"]),
                 "content/news/2024-05-02-b.md": article("B", tags=["two"])}
        config = write_site(tmp_path / "site", files, {"base_url": address,
                                                       "websub_hub": address})
        build_site(config, now=NOW, output_dir=live)  # what is published
        (tmp_path / "site/content/news/2024-05-02-b.md").write_text(
            article("B retitled", "2024-05-02", tags=["two"]))
        build_site(config, now=NOW, output_dir=tmp_path / "_site")  # the new build
        monkeypatch.chdir(tmp_path / "site")
        assert main(["websub", "--changed", "--output", str(tmp_path / "_site")]) == 0
    changed = capsys.readouterr().out.splitlines()
    assert changed == [address + path for path in (
        "atom.xml", "bulletin/feed.xml", "feed.json", "feed.xml", "tag/two/atom.xml",
        "tag/two/feed.xml")]
    (tmp_path / "changed.txt").write_text("\n".join(changed) + "\n")
    config.write_text(config.read_text().replace(f"websub_hub: {address}",
                                                 f"websub_hub: {hub}"))
    assert main(["websub", "--ping", str(tmp_path / "changed.txt")]) == 0
    assert Hub.told == [{"hub.mode": ["publish"], "hub.url": [url]} for url in changed]
    assert capsys.readouterr().out == f"Told {hub} of 6 changed feeds.\n"


def test_a_hub_out_of_reach_is_a_problem_and_exit_1(tmp_path, capsys, monkeypatch):
    write_site(tmp_path, {}, {"websub_hub": "http://127.0.0.1:9/"})
    (tmp_path / "changed.txt").write_text("https://news.example.org/feed.xml\n")
    monkeypatch.chdir(tmp_path)
    assert main(["websub", "--ping", "changed.txt"]) == 1
    assert capsys.readouterr().err.startswith(
        "websub_hub: http://127.0.0.1:9/ did not take https://news.example.org/feed.xml: ")


def test_a_feed_that_changed_only_in_its_build_time_is_not_changed(tmp_path, capsys,
                                                                    monkeypatch):
    live = tmp_path / "live"
    live.mkdir()
    with static_host(live) as address:
        config = write_site(tmp_path / "site", {
            "content/events/fair.yaml": "title: Fair\nstart: 2027-03-01 10:00\n"},
            {"base_url": address, "websub_hub": address})
        build_site(config, now=NOW, output_dir=live)
        build_site(config, now=NOW + timedelta(hours=1), output_dir=tmp_path / "_site")
        assert (live / "events/feed.xml").read_bytes() != \
            (tmp_path / "_site/events/feed.xml").read_bytes()  # (its lastBuildDate)
        monkeypatch.chdir(tmp_path / "site")
        assert main(["websub", "--changed", "--output", str(tmp_path / "_site")]) == 0
    assert capsys.readouterr().out == ""


def test_the_next_bulletin_and_the_news_sitemap_make_builds_due(tmp_path, monkeypatch,
                                                               capsys):
    # NOW is Saturday 28 November 2026, noon: the next bulletin is on Monday the 30th.
    write_site(tmp_path, {"content/news/fresh.md": article("Fresh", "2026-11-27 09:00")})
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("newsroom.cli._now", lambda: NOW + timedelta(days=3))
    assert main(["schedule", "--due-since", NOW.isoformat()]) == 0
    said = capsys.readouterr().out
    assert "2026-11-29 09:00 GMT (2026-11-29 09:00 UTC): article leaves the news sitemap: " \
        "“Fresh”" in said
    assert "2026-11-30 00:00 GMT (2026-11-30 00:00 UTC): bulletin issued: “Fresh”" in said
