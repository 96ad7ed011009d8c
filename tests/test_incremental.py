"""Fast at any size: the same bytes from one worker or many, a cache that is never trusted
blindly, and rebuilds that rewrite only what changed."""

from __future__ import annotations

import marshal
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import jinja2
import pytest
from conftest import NOW, REPO, TEMPLATES, article, copy_fixture, soup, write_site

from newsroom import cache, content, feeds, markup, output, render, search, workers
from newsroom.build import build_site
from newsroom.problems import BuildError

ARTICLES = {f"content/news/2024-01-{day:02d}-story-{day}.md": article(
    f"Story {day}", f"2024-01-{day:02d}", category="Reports" if day % 2 else "Notices",
    tags=["alpha"] + (["beta"] if day % 3 == 0 else []),
    body=f"Paragraph for story {day} with a [link](/news/) and *emphasis*.\n\n## Part\n\nMore.")
    for day in range(1, 29)}


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file of a built site by path (newsroom's marker aside)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".newsroom-output"}


def stats_of(folder: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime) of every file: unchanged files keep both."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file() and p.name != ".newsroom-output"}


@pytest.fixture
def markdown_calls(monkeypatch):
    """Count the Markdown documents actually rendered."""
    calls = []
    real = markup.render_markdown

    def counting(text, **options):
        calls.append(text)
        return real(text, **options)

    monkeypatch.setattr(markup, "render_markdown", counting)
    return calls


def test_output_is_byte_identical_whatever_the_worker_count(tmp_path, monkeypatch):
    monkeypatch.setattr(workers, "MIN_PARALLEL", 1)  # use the pool even for a small site
    config = write_site(tmp_path, ARTICLES)
    build_site(config, now=NOW, jobs=1, output_dir=tmp_path / "one", use_cache=False)
    build_site(config, now=NOW, jobs=2, output_dir=tmp_path / "two", use_cache=False)
    build_site(REPO / "site_config.yaml", now=NOW, jobs=3, output_dir=tmp_path / "three",
               use_cache=False)
    build_site(REPO / "site_config.yaml", now=NOW, jobs=1, output_dir=tmp_path / "single",
               use_cache=False)
    assert files_of(tmp_path / "one") == files_of(tmp_path / "two")
    # Pagefind (1.5) writes its filter chunks in hash-map order, so two runs over the same
    # pages give equal indexes in different bytes: everything else must match exactly.
    three, single = files_of(tmp_path / "three"), files_of(tmp_path / "single")
    assert any(path.startswith("pagefind/") for path in three)
    assert {path: data for path, data in three.items() if not path.startswith("pagefind/")} \
        == {path: data for path, data in single.items() if not path.startswith("pagefind/")}


# What these tests patch in this process, only workers started by fork inherit.
only_under_fork = pytest.mark.skipif(workers.start_context().get_start_method() != "fork",
                                     reason="patches what only workers started by fork "
                                            "inherit")


@only_under_fork
def test_with_two_workers_each_articles_card_is_rendered_once(tmp_path, monkeypatch):
    # Cards are rendered once per worker: the lists that show them go to one worker.
    monkeypatch.setattr(workers, "MIN_PARALLEL", 1)
    made = tmp_path / "cards.txt"
    real = render._rendered_once

    def noting_cards(env, template):
        rendered = real(env, template)
        if template != "partials/article_card.html":
            return rendered
        seen = set()

        def card(**names):
            if (id(names["item"]), names["level"]) not in seen:
                seen.add((id(names["item"]), names["level"]))
                with made.open("a", encoding="utf-8") as notes:  # (from either worker)
                    notes.write(f"{names['item'].slug} {names['level']}\n")
            return rendered(**names)

        return card

    monkeypatch.setattr(render, "_rendered_once", noting_cards)
    config = write_site(tmp_path / "site", ARTICLES)
    build_site(config, now=NOW, jobs=2, use_cache=False)
    cards = made.read_text(encoding="utf-8").splitlines()
    assert len(cards) == len(set(cards)) >= len(ARTICLES)


@only_under_fork
def test_with_two_workers_the_templates_are_compiled_once(tmp_path, monkeypatch):
    # They are compiled while the workers read, in the process that then starts the workers
    # that render; each of those compiled them again before.
    monkeypatch.setattr(workers, "MIN_PARALLEL", 1)
    made = tmp_path / "compiled.txt"
    real = jinja2.Environment.compile

    def noting_compiles(env, source, name=None, *args, **kwargs):
        with made.open("a", encoding="utf-8") as notes:  # (from any process)
            notes.write(f"{os.getpid()} {name}\n")
        return real(env, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", noting_compiles)
    # A template of the site's own: a fingerprint no earlier build in this process has seen.
    config = write_site(tmp_path / "site", {
        **ARTICLES, "templates/page.html": "{% extends 'theme/page.html' %}{# own #}\n"})
    build_site(config, now=NOW, jobs=2, use_cache=False)
    compiled = made.read_text(encoding="utf-8").splitlines()
    assert {line.split()[0] for line in compiled} == {str(os.getpid())}
    assert len(compiled) == len(set(compiled))
    assert {"article.html", "list.html"} <= {line.split()[1] for line in compiled}


def test_an_unchanged_rebuild_does_no_markdown_work_and_writes_nothing(tmp_path,
                                                                       markdown_calls):
    config = write_site(tmp_path, ARTICLES)
    first = build_site(config, now=NOW, jobs=1)
    assert len(markdown_calls) == len(ARTICLES)
    before = stats_of(tmp_path / "public")
    second = build_site(config, now=NOW, jobs=1)
    assert len(markdown_calls) == len(ARTICLES)  # not one more
    assert second.rendered == 0 and first.rendered == first.pages
    assert stats_of(tmp_path / "public") == before


def test_one_edit_rewrites_exactly_the_pages_that_show_it(tmp_path):
    config = write_site(tmp_path, ARTICLES)
    build_site(config, now=NOW, jobs=1)
    public = tmp_path / "public"
    before = stats_of(public)
    path = tmp_path / "content/news/2024-01-27-story-27.md"
    path.write_text(path.read_text().replace("title: Story 27", "title: Story 27 revised"))
    build_site(config, now=NOW, jobs=1)
    after = stats_of(public)
    changed = {p for p in after if after[p] != before.get(p)}
    showing = {p for p in after if p.endswith((".html", ".xml"))
               and "Story 27 revised" in (public / p).read_text(encoding="utf-8")}
    # Every page that shows the article was rewritten, and shows the new title only.
    assert showing <= changed
    assert {"news/story-27/index.html", "index.html", "news/index.html", "feed.xml",
            "atom.xml", "category/reports/index.html", "category/reports/feed.xml",
            "tag/alpha/index.html", "tag/beta/index.html", "archive/2024/index.html",
            "news/story-26/index.html", "news/story-28/index.html"} <= showing
    assert not any("Story 27</" in (public / p).read_text(encoding="utf-8") for p in showing)
    # Pages that do not show it kept their file (inode and mtime).
    assert {p for p in changed if p.endswith(".html")} <= showing
    assert "category/notices/index.html" not in changed


def test_files_no_longer_produced_are_removed(tmp_path):
    config = write_site(tmp_path, ARTICLES)
    build_site(config, now=NOW, jobs=1)
    (tmp_path / "content/news/2024-01-27-story-27.md").unlink()
    build_site(config, now=NOW, jobs=1)
    assert not (tmp_path / "public/news/story-27").exists()
    assert "Story 27<" not in (tmp_path / "public/news/index.html").read_text()


def test_a_file_changed_by_hand_in_the_output_is_made_again(tmp_path):
    config = write_site(tmp_path, ARTICLES)
    build_site(config, now=NOW, jobs=1)
    page = tmp_path / "public/news/story-5/index.html"
    original = page.read_bytes()
    page.write_bytes(b"vandalised")
    (tmp_path / "content/news/2024-01-06-story-6.md").touch()  # something else changes too
    build_site(config, now=NOW, jobs=1)
    assert page.read_bytes() == original


def test_a_change_rewrites_only_part_of_the_cache(tmp_path):
    config = write_site(tmp_path, ARTICLES)
    build_site(config, now=NOW, jobs=1)
    shards = {p: p.stat().st_mtime_ns for p in (tmp_path / ".newsroom-cache").glob("*.bin")}
    path = tmp_path / "content/news/2024-01-05-story-5.md"
    path.write_text(path.read_text().replace("Paragraph", "Edited paragraph"))
    build_site(config, now=NOW, jobs=1)
    rewritten = [p for p, mtime in shards.items() if p.stat().st_mtime_ns != mtime]
    assert 0 < len(rewritten) <= 4  # its record and its HTML, old and new: not all 32 files


def test_a_corrupt_cache_is_ignored_and_rebuilt(tmp_path, markdown_calls):
    config = write_site(tmp_path, ARTICLES)
    build_site(config, now=NOW, jobs=1)
    expected = files_of(tmp_path / "public")
    for store in (tmp_path / ".newsroom-cache").glob("*.bin"):
        data = store.read_bytes()
        store.write_bytes(data[: len(data) // 2] + b"<script>alert(1)</script>")
    calls = len(markdown_calls)
    build_site(config, now=NOW, jobs=1, output_dir=tmp_path / "again")
    assert len(markdown_calls) == calls + len(ARTICLES)  # everything rendered again
    assert files_of(tmp_path / "again") == expected


def test_a_cache_from_another_version_or_another_machine_is_not_trusted(tmp_path, monkeypatch,
                                                                        markdown_calls):
    config = write_site(tmp_path, ARTICLES)
    build_site(config, now=NOW, jobs=1)
    calls = len(markdown_calls)
    monkeypatch.setattr(cache, "__version__", "999.0")
    build_site(config, now=NOW, jobs=1)
    assert len(markdown_calls) == calls + len(ARTICLES)
    # Signed with another key (a cache committed to the repository, say): not believed.
    monkeypatch.setattr(cache, "_secret", lambda: b"someone else's key" * 2)
    build_site(config, now=NOW, jobs=1)
    assert len(markdown_calls) == calls + 2 * len(ARTICLES)


def test_a_forged_cache_entry_cannot_put_html_into_the_site(tmp_path):
    config = write_site(tmp_path, ARTICLES)
    build_site(config, now=NOW, jobs=1)
    # Every entry replaced by a script, in the store's own format, under the old signature.
    for store in (tmp_path / ".newsroom-cache").glob("markdown-*.bin"):
        body, _, signature = store.read_bytes().rpartition(b"\nsignature ")
        header, _, payload = body.partition(b"\n")
        forged = {key: "<script>alert(1)</script>" for key in marshal.loads(payload)}
        store.write_bytes(header + b"\n" + marshal.dumps(forged) + b"\nsignature " + signature)
    (tmp_path / "public").rename(tmp_path / "old")
    build_site(config, now=NOW, jobs=1)
    page = soup(tmp_path / "public/news/story-1/index.html")
    assert page.find("script", string="alert(1)") is None
    assert page.find("em").get_text() == "emphasis"


def test_a_cache_in_the_format_before_is_removed_when_its_shard_is_written(tmp_path):
    (tmp_path / ".newsroom-cache").mkdir()
    old = [tmp_path / f".newsroom-cache/{name}-{shard}.json"
           for name in ("markdown", "records") for shard in cache.SHARDS]
    for path in old:
        path.write_text('newsroom-cache 1 0.1.0 settings\n{}\nsignature 00')
    config = write_site(tmp_path, ARTICLES)
    build_site(config, now=NOW, jobs=1)
    assert not any(path.exists() for path in old)
    assert (tmp_path / "public/news/story-1/index.html").is_file()


def test_the_cache_is_git_ignored(tmp_path):
    config = write_site(tmp_path, ARTICLES)
    build_site(config, now=NOW, jobs=1)
    assert (tmp_path / ".newsroom-cache/.gitignore").read_text().splitlines()[-1] == "*"
    assert ".newsroom-cache" in (REPO / ".gitignore").read_text()


def test_builds_without_a_writable_cache_still_work(tmp_path):
    config = write_site(tmp_path, ARTICLES)
    (tmp_path / ".newsroom-cache").write_text("a file where the folder would go")
    build_site(config, now=NOW, jobs=1)
    assert (tmp_path / "public/index.html").is_file()
    assert os.path.isfile(tmp_path / ".newsroom-cache")


def cold_build(config: Path, folder: Path) -> dict[str, bytes]:
    """What a build from nothing makes, for comparing with an incremental one."""
    build_site(config, now=NOW, jobs=1, output_dir=folder, use_cache=False)
    return files_of(folder)


def test_every_incremental_build_equals_a_build_from_nothing(tmp_path):
    site = tmp_path / "site"
    config = write_site(site, ARTICLES)
    news = site / "content/news"
    edits = [
        lambda: (news / "2024-01-05-story-5.md").write_text(
            article("Story 5 retitled", "2024-01-05", category="Notices", tags=["gamma"])),
        lambda: (news / "2024-02-01-new.md").write_text(article("Brand new", "2024-02-01")),
        lambda: (news / "2024-01-09-story-9.md").unlink(),
        lambda: (news.parent / "events").mkdir(),
        lambda: (site / "content/events/talk.yaml").write_text(
            "title: Talk\nstart: 2027-01-01 10:00\nrelated: [story-1]\n"),
        lambda: (site / "site_config.yaml").write_text(
            (site / "site_config.yaml").read_text().replace("Test News", "Renamed News")),
        # Authors, corrections, expiry and aliases (issue 23).
        lambda: (site / "content/authors").mkdir() or (site / "content/authors/ada.yaml")
        .write_text("name: Ada Lovelace\n"),
        lambda: (news / "2024-01-06-story-6.md").write_text(article(
            "Story 6", "2024-01-06", authors=["ada", "Bob"], tags=["alpha"],
            corrections=[{"date": "2024-02-01", "text": "Fixed."}], aliases=["/old-6/"])),
        lambda: (site / "content/authors/ada.yaml").write_text("name: Ada King\n"),
        lambda: (news / "2024-01-07-story-7.md").write_text(article(
            "Story 7", "2024-01-07", expires="2024-03-01", related=["story-6"])),
        lambda: (site / "content/events/talk.yaml").write_text(
            "title: Talk\nstart: 2027-01-01 10:00\nexpires: 2025-01-01\n"),
        lambda: (site / "content/authors/ada.yaml").unlink(),
        lambda: None,  # nothing at all
    ]
    for step, edit in enumerate(edits):
        edit()
        build_site(config, now=NOW, jobs=1)
        expected = cold_build(config, tmp_path / f"cold-{step}")
        assert files_of(site / "public") == expected, f"after edit {step}"


def test_a_build_killed_while_updating_the_spare_folder_leaves_the_site_and_recovers(
        tmp_path, monkeypatch):
    config = write_site(tmp_path, ARTICLES)
    build_site(config, now=NOW, jobs=1)
    build_site(config, now=NOW, jobs=1)  # nothing changed
    (tmp_path / "content/news/2024-01-05-story-5.md").write_text(article("Five", "2024-01-05"))
    build_site(config, now=NOW, jobs=1)  # now there is a spare folder: the previous site
    spare = tmp_path / ".newsroom-prev-public"
    assert (spare / ".newsroom-output").is_file()
    live = files_of(tmp_path / "public")

    def killed(*args):
        raise KeyboardInterrupt  # as good as kill -9 for what is on disk at that moment

    (tmp_path / "content/news/2024-01-06-story-6.md").write_text(article("Six", "2024-01-06"))
    monkeypatch.setattr("newsroom.output._swap", killed)
    with pytest.raises(KeyboardInterrupt):
        build_site(config, now=NOW, jobs=1)
    assert files_of(tmp_path / "public") == live  # the live site never saw the new files
    monkeypatch.undo()
    build_site(config, now=NOW, jobs=1)
    assert files_of(tmp_path / "public") == cold_build(config, tmp_path / "cold")


def test_a_spare_folder_without_its_marker_is_not_trusted(tmp_path):
    config = write_site(tmp_path, ARTICLES)
    build_site(config, now=NOW, jobs=1)
    (tmp_path / "content/news/2024-01-05-story-5.md").write_text(article("Five", "2024-01-05"))
    build_site(config, now=NOW, jobs=1)
    spare = tmp_path / ".newsroom-prev-public"
    (spare / ".newsroom-output").unlink()
    (spare / "news/story-3/index.html").write_bytes(b"left half-written by a killed build")
    (tmp_path / "content/news/2024-01-06-story-6.md").write_text(article("Six", "2024-01-06"))
    build_site(config, now=NOW, jobs=1)
    assert files_of(tmp_path / "public") == cold_build(config, tmp_path / "cold")


@pytest.mark.parametrize("jobs", [1, 2])  # (with two, feeds are made in a process of their own)
def test_feeds_are_made_again_only_when_an_article_in_them_changed(tmp_path, jobs):
    config = write_site(tmp_path, ARTICLES, {"feed_limit": 5})
    build_site(config, now=NOW, jobs=jobs)
    out = tmp_path / "public"
    feeds = ["feed.xml", "atom.xml", "category/notices/feed.xml", "events/feed.xml"]
    before = {f: (out / f).stat().st_mtime_ns for f in feeds}
    oldest = tmp_path / "content/news/2024-01-01-story-1.md"
    oldest.write_text(oldest.read_text().replace("More.", "More, edited."))
    build_site(config, now=NOW, jobs=jobs)
    assert {f: (out / f).stat().st_mtime_ns for f in feeds} == before
    newest = tmp_path / "content/news/2024-01-28-story-28.md"
    newest.write_text(newest.read_text().replace("More.", "Something new."))
    build_site(config, now=NOW, jobs=jobs)
    assert b"Something new." in (out / "feed.xml").read_bytes()
    assert b"Something new." in (out / "category/notices/feed.xml").read_bytes()
    assert (out / "events/feed.xml").stat().st_mtime_ns == before["events/feed.xml"]


def test_a_new_markdown_renderer_makes_pages_feeds_and_calendars_again(tmp_path, monkeypatch):
    config = write_site(tmp_path, {
        "content/news/2024-05-01-a.md": article("A", "2024-05-01", body="First words."),
        "content/events/e.yaml": "title: E\nstart: 2027-01-01 10:00\ndescription: Hello.\n"})
    build_site(config, now=NOW, jobs=1)
    stock = markup.render_markdown
    monkeypatch.setattr(markup, "render_markdown",
                        lambda text, **kw: "<p>Renderer two.</p>\n" + stock(text, **kw))
    for module in (markup, feeds, render):
        monkeypatch.setattr(module, "renderer_settings", lambda config: "renderer two")
    build_site(config, now=NOW, jobs=1)
    out = tmp_path / "public"
    for path in ("news/a/index.html", "feed.xml", "atom.xml", "events/e/e.ics",
                 "events/calendar.ics"):
        assert b"Renderer two." in (out / path).read_bytes(), path


def test_other_code_takes_over_nothing_older_code_made(tmp_path, monkeypatch):
    # A page's bytes can change with newsroom's code alone (its JSON-LD, its reading time):
    # a new release, or an edited checkout, renders every page and reads every file again.
    config = write_site(tmp_path, {
        **ARTICLES, "content/events/e.yaml": "title: E\nstart: 2027-01-01 10:00\n"})
    first = build_site(config, now=NOW, jobs=1)
    assert build_site(config, now=NOW, jobs=1).rendered == 0
    parsed = []
    real_parse = content._parse_files
    monkeypatch.setattr(content, "_parse_files",
                        lambda items, *args: parsed.extend(items) or real_parse(items, *args))
    monkeypatch.setattr(cache, "__version__", "0.0.0-other")
    cache.code_fingerprint.cache_clear()
    try:
        other = build_site(config, now=NOW, jobs=1)
    finally:
        monkeypatch.undo()
        cache.code_fingerprint.cache_clear()
    assert other.rendered == other.pages == first.pages
    assert len(parsed) == len(ARTICLES) + 1


def test_a_preview_reports_the_lines_of_a_file_read_again(tmp_path):
    config = write_site(tmp_path, {"content/events/a.yaml": "title: A\nstart: 2027-01-01\n"
                                                            "uid: shared\n"})
    report = build_site(config, now=NOW, jobs=1)
    # A comment on top moves every line down without changing the event itself.
    (tmp_path / "content/events/a.yaml").write_text("# moved\ntitle: A\nstart: 2027-01-01\n"
                                                    "uid: shared\n")
    (tmp_path / "content/events/b.yaml").write_text("title: B\nstart: 2027-01-02\n"
                                                    "uid: shared\n")
    with pytest.raises(BuildError) as error:
        build_site(config, now=NOW, jobs=1, caches=report.caches)
    assert [str(p) for p in error.value.problems] == [
        "content/events/b.yaml:1: event uid 'shared' is also used by content/events/a.yaml:2; "
        "give one of them another slug: (or uid:)"]


def test_a_preview_told_what_changed_builds_what_a_build_from_nothing_does(tmp_path):
    """The preview keeps its caches and plans, and reads only the files the watcher names;
    after every kind of edit its site is byte for byte what a build from nothing makes."""
    config = copy_fixture("events", tmp_path / "site")
    site = config.parent
    write_site(site, ARTICLES)  # (leaves the events fixture's config as it is)
    config.write_text(config.read_text().replace("per_page: 20", "per_page: 5"))
    news, events = site / "content/news", site / "content/events"
    summit = news / "2026-11-20-summit-announced.md"
    edits = [  # (what the editor does, what the watcher reports)
        (lambda: summit.write_text(summit.read_text().replace("now on", "now definitely on")),
         [summit]),
        # The newest article now: its spellings of a category, then a tag, are the ones
        # every page shows.
        (lambda: (news / "2024-01-05-story-5.md").write_text(article(
            "Story 5 retitled", "2026-11-27", category="notices", tags=["Gamma"])),
         [news / "2024-01-05-story-5.md"]),
        (lambda: (news / "2024-01-05-story-5.md").write_text(article(
            "Story 5 retitled", "2026-11-27", category="notices", tags=["Gamma", "ALPHA"])),
         [news / "2024-01-05-story-5.md"]),
        (lambda: (news / "2024-02-01-new.md").write_text(article(
            "Brand new", "2024-02-01", related_events=["weekly-clinic"])),
         [news / "2024-02-01-new.md"]),
        (lambda: (news / "2024-01-09-story-9.md").unlink(), [news / "2024-01-09-story-9.md"]),
        (lambda: (events / "weekly-clinic.yaml").write_text(
            (events / "weekly-clinic.yaml").read_text().replace("count: 5", "count: 7")),
         [events / "weekly-clinic.yaml"]),
        (lambda: (news / ".story-3.md.swp").write_text("an editor's swap file"),
         [news / ".story-3.md.swp"]),
        (lambda: (news / "2025").mkdir() or (news / "2025/2025-03-01-in-a-folder.md")
         .write_text(article("In a folder", "2025-03-01", tags=["alpha"])),
         [news / "2025", news / "2025/2025-03-01-in-a-folder.md"]),
        (lambda: (news / "2025/2025-03-01-in-a-folder.md").unlink() or (news / "2025").rmdir(),
         [news / "2025/2025-03-01-in-a-folder.md", news / "2025"]),
        (lambda: config.write_text(config.read_text().replace("Events Fixture Weekly",
                                                              "Renamed Weekly")), [config]),
        # Authors, corrections, expiry and aliases (issue 23).
        (lambda: (site / "content/authors").mkdir() or (site / "content/authors/ada.yaml")
         .write_text("name: Ada Lovelace\n"),
         [site / "content/authors", site / "content/authors/ada.yaml"]),
        (lambda: (news / "2024-01-06-story-6.md").write_text(article(
            "Story 6", "2024-01-06", authors=["ada", "Bob"], tags=["alpha"],
            corrections=[{"date": "2024-02-01", "text": "Fixed."}], aliases=["/old-6/"])),
         [news / "2024-01-06-story-6.md"]),
        (lambda: (site / "content/authors/ada.yaml").write_text("name: Ada King\n"),
         [site / "content/authors/ada.yaml"]),
        (lambda: (news / "2024-01-07-story-7.md").write_text(article(
            "Story 7", "2024-01-07", expires="2024-03-01", related=["story-6"])),
         [news / "2024-01-07-story-7.md"]),
        (lambda: (events / "weekly-clinic.yaml").write_text(
            (events / "weekly-clinic.yaml").read_text() + "expires: 2026-01-01\n"),
         [events / "weekly-clinic.yaml"]),
        (lambda: (site / "content/authors/ada.yaml").unlink(),
         [site / "content/authors/ada.yaml"]),
        (lambda: None, []),
    ]
    caches = None
    preview = tmp_path / "preview"
    for step, (edit, changed) in enumerate(edits + [(lambda: None, [])]):
        edit()
        # The last step comes a week on: a date of the weekly clinic has gone by.
        now = NOW if step < len(edits) else datetime(2027, 1, 14, 12, tzinfo=NOW.tzinfo)
        report = build_site(config, now=now, jobs=1, output_dir=preview, caches=caches,
                            private_output=True, save_cache=False,
                            changed=None if caches is None else {p.resolve() for p in changed})
        caches = report.caches
        build_site(config, now=now, jobs=1, output_dir=tmp_path / f"cold-{step}",
                   use_cache=False)
        assert stamps_aside(preview) == stamps_aside(tmp_path / f"cold-{step}"), \
            f"after edit {step}"


def stamps_aside(folder: Path) -> dict[str, bytes]:
    """The files of a site, with calendars' DTSTAMPs left out: an unchanged calendar keeps
    the stamp of when it was made."""
    return {path: re.sub(rb"DTSTAMP:\w+", b"DTSTAMP", data)
            for path, data in files_of(folder).items()}


def test_a_preview_told_of_a_file_it_cannot_read_reports_it_as_a_build_would(tmp_path):
    config = write_site(tmp_path, ARTICLES)
    report = build_site(config, now=NOW, jobs=1, private_output=True, save_cache=False)
    stray = tmp_path / "content/news/notes.txt"
    stray.write_text("not an article")
    with pytest.raises(BuildError) as error:
        build_site(config, now=NOW, jobs=1, caches=report.caches, private_output=True,
                   changed={stray.resolve()})
    assert [str(p) for p in error.value.problems] == [
        "content/news/notes.txt: not a .md or .markdown file; rename it or move it to "
        "content/media/"]


def test_a_file_renamed_in_case_only_is_one_file_on_a_disk_that_ignores_case(tmp_path,
                                                                              monkeypatch):
    config = write_site(tmp_path, ARTICLES)
    report = build_site(config, now=NOW, jobs=1, private_output=True, save_cache=False)
    news = tmp_path / "content/news"
    (news / "2024-01-05-story-5.md").rename(news / "2024-01-05-Story-5.md")
    old_name = (news / "2024-01-05-story-5.md").resolve()
    real_is_file = Path.is_file
    # On macOS or Windows the old spelling still names the file.
    monkeypatch.setattr(Path, "is_file", lambda self: self == old_name or real_is_file(self))
    build_site(config, now=NOW, jobs=1, caches=report.caches, private_output=True,
               changed={old_name, (news / "2024-01-05-Story-5.md").resolve()})
    assert (tmp_path / "public/news/story-5/index.html").is_file()


def test_a_preview_that_cannot_list_a_folder_it_was_told_of_walks_content_instead(
        tmp_path, monkeypatch):
    config = write_site(tmp_path, ARTICLES)
    report = build_site(config, now=NOW, jobs=1, private_output=True, save_cache=False)
    news = tmp_path / "content/news"
    walks = []
    real_walk, real_listdir = content._walked, os.listdir
    monkeypatch.setattr(content, "_walked", lambda *args: walks.append(1) or real_walk(*args))

    def edit(text: str) -> None:
        edited = news / "2024-01-05-story-5.md"
        edited.write_text(article(text, "2024-01-05"))
        build_site(config, now=NOW, jobs=1, caches=report.caches, private_output=True,
                   save_cache=False, changed={edited.resolve()})
        page = soup(tmp_path / "public/news/story-5/index.html")
        assert page.h1.get_text(strip=True) == text

    edit("Told and looked at")
    assert walks == []  # only the path the watcher named was looked at

    def listdir(path: os.PathLike | str = ".") -> list[str]:
        if Path(path) == news.resolve():
            raise PermissionError(13, "Permission denied", str(path))
        return real_listdir(path)

    monkeypatch.setattr(content.os, "listdir", listdir)
    edit("Told, and the folder walked")
    assert walks == [1]


def test_a_preview_started_on_a_saved_cache_keeps_unchanged_records_as_they_are(tmp_path):
    config = write_site(tmp_path, ARTICLES)
    build_site(config, now=NOW, jobs=1)  # saves the cache
    first = build_site(config, now=NOW, jobs=1, private_output=True, save_cache=False)
    edited = tmp_path / "content/news/2024-01-05-story-5.md"
    edited.write_text(edited.read_text().replace("More.", "More, edited."))
    again = build_site(config, now=NOW, jobs=1, caches=first.caches, private_output=True,
                       save_cache=False, changed={edited.resolve()})
    unchanged = [(a, b) for a, b in zip(first.site.articles, again.site.articles, strict=True)
                 if a.slug != "story-5"]
    # The very same objects: pages planned from them last time are used again as they are.
    assert all(a is b for a, b in unchanged)
    assert {id(p) for p in first.planned} & {id(p) for p in again.planned}


@pytest.mark.parametrize("jobs", [1, 2])  # (with two, the caches are saved by another process)
def test_a_build_that_fails_in_a_template_keeps_the_markdown_it_rendered(tmp_path, jobs,
                                                                          markdown_calls):
    # The caches are written while the pages render: a template error after that loses
    # nothing, and the build after the fix renders no Markdown again.
    config = write_site(tmp_path, ARTICLES, {"templates_dir": "templates"})
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    template = tmp_path / "templates/article.html"
    good = template.read_text(encoding="utf-8")
    template.write_text(good.replace("{% block main %}", "{% block main %}{{ no_such_name }}"),
                        encoding="utf-8")
    with pytest.raises(BuildError):
        build_site(config, now=NOW, jobs=jobs)
    rendered = len(markdown_calls)
    assert rendered == len(ARTICLES)
    template.write_text(good, encoding="utf-8")
    build_site(config, now=NOW, jobs=jobs)
    assert len(markdown_calls) == rendered
    assert soup(tmp_path / "public/news/story-1/index.html").find("em").get_text() == "emphasis"


def test_a_preview_rebuild_has_only_the_edited_texts_markdown_to_save(tmp_path):
    # Records the preview kept carry their HTML: taking it into the cache again would mark
    # every shard changed, and the cache would be written whole after every edit.
    config = write_site(tmp_path, ARTICLES)
    report = build_site(config, now=NOW, jobs=1, private_output=True, save_cache=False)
    cache.save_caches(report.caches)
    assert report.caches.markdown.dirty == set()
    edited = tmp_path / "content/news/2024-01-05-story-5.md"
    edited.write_text(article("Edited", "2024-01-05", body="A new body."))
    build_site(config, now=NOW, jobs=1, caches=report.caches, private_output=True,
               save_cache=False, changed={edited.resolve()})
    assert len(report.caches.markdown.dirty) == 1


def _squares_noting_each(chunk: list[int], notes: Path) -> list[int]:
    for item in chunk:
        (notes / str(item)).open("x").write(str(os.getpid()))  # (twice: FileExistsError)
    time.sleep(0.005)
    return [item * item for item in chunk]


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_work_over_processes_comes_back_in_order_each_chunk_done_once(tmp_path, monkeypatch,
                                                                      jobs):
    monkeypatch.setattr(workers, "MIN_PARALLEL", 1)
    items = list(range(300))
    results, meanwhile = workers.parallel_map(_squares_noting_each, items, jobs, tmp_path,
                                              chunk=7, meanwhile=os.getpid)
    assert results == [item * item for item in items]
    assert meanwhile == os.getpid()  # (done here, while the workers worked)
    done_by = {int(note.name): int(note.read_text()) for note in tmp_path.iterdir()}
    assert sorted(done_by) == items
    if jobs == 1:
        assert set(done_by.values()) == {os.getpid()}
    else:
        assert os.getpid() not in done_by.values() and len(set(done_by.values())) > 1
    assert not multiprocessing.active_children()


def _failing_in_a_worker(chunk: list[int], parent: int) -> list[int]:
    time.sleep(0.005)
    if 150 <= chunk[0]:
        raise ValueError(f"chunk from {chunk[0]}")
    return chunk


def _unpicklable(chunk: list[int], parent: int) -> list[object]:
    return [threading.Lock()]  # (no pickle takes a lock)


def _failing_meanwhile() -> None:
    raise KeyError("meanwhile")


def test_an_error_in_a_worker_is_raised_here_with_its_traceback(monkeypatch):
    with pytest.raises(ValueError, match="chunk from") as raised:
        workers.parallel_map(_failing_in_a_worker, list(range(300)), 2, os.getpid(), chunk=5)
    assert "_failing_in_a_worker" in str(raised.value.__cause__)
    assert not multiprocessing.active_children()
    with pytest.raises(TypeError, match="pickle"):
        workers.parallel_map(_unpicklable, list(range(300)), 2, os.getpid(), chunk=5)
    assert not multiprocessing.active_children()
    with pytest.raises(KeyError, match="meanwhile"):
        workers.parallel_map(_squares_noting_each, list(range(300)), 2, Path("/nowhere"),
                             meanwhile=_failing_meanwhile)
    assert not multiprocessing.active_children()


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="looks for processes in /proc")
def test_workers_end_when_their_parent_is_killed(tmp_path):
    # A minute of chunks is there for the taking: with the parent gone, a worker must stop
    # soon after, not work through them all (or wait for ever for the next chunk).
    code = (
        "import os, signal, sys, time\n"
        "from pathlib import Path\n"
        "from newsroom import workers\n"
        "def slow(chunk, notes):\n"
        "    (notes / str(os.getpid())).touch()\n"
        "    if len(list(notes.iterdir())) == 2:\n"
        "        os.kill(os.getppid(), signal.SIGKILL)  # (once both workers work)\n"
        "    time.sleep(0.05)\n"
        "    return chunk\n"
        "if __name__ == '__main__':\n"
        "    workers.parallel_map(slow, list(range(2400)), 2, Path(sys.argv[1]), chunk=1)\n")
    script = tmp_path / "script.py"
    script.write_text(code, encoding="utf-8")
    notes = tmp_path / "notes"
    notes.mkdir()
    parent = subprocess.run([sys.executable, str(script), str(notes)], timeout=60)
    assert parent.returncode == -9
    stats = [Path(f"/proc/{note.name}/stat") for note in notes.iterdir()]
    assert len(stats) == 2
    for _ in range(200):
        if all(not stat.exists() or stat.read_text().split(") ")[1].startswith("Z")
               for stat in stats):
            break
        time.sleep(0.05)
    else:
        pytest.fail("a worker outlived its parent")


def test_an_index_given_up_leaves_its_folder_for_the_next_build_to_bring_up_to_date(
        tmp_path, monkeypatch):
    # The preview gives the search index up when a newer change comes: every other file of
    # the new output is in place by then, and the next build starts from that folder rather
    # than link every file into an empty one.
    started = tmp_path / "pagefind-started"
    slow = tmp_path / "slow-pagefind"
    slow.write_text(f"#!/bin/sh\ntouch {started}\nsleep 60\n", encoding="utf-8")
    slow.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(slow))
    config = write_site(tmp_path / "site", ARTICLES, {"search": True})
    out = tmp_path / "site/public"
    report = build_site(config, now=NOW, jobs=1, search_index=False)
    assert report.search_pending
    given_up = threading.Event()

    def give_up_once_pagefind_runs() -> None:
        while not started.exists():
            time.sleep(0.01)
        given_up.set()

    threading.Thread(target=give_up_once_pagefind_runs, daemon=True).start()
    with pytest.raises(search.IndexCancelled):
        build_site(config, now=NOW, jobs=1, caches=report.caches, cancel_index=given_up)
    spare = tmp_path / "site/.newsroom-prev-public"
    assert set(output.read_manifest(spare)) == set(files_of(out)) == set(files_of(spare))
    edited = tmp_path / "site/content/news/2024-01-05-story-5.md"
    edited.write_text(article("Edited", "2024-01-05", body="A new body."))
    links = []
    real_link = os.link
    monkeypatch.setattr(output.os, "link", lambda *a: links.append(a) or real_link(*a))
    build_site(config, now=NOW, jobs=1, search_index=False)
    assert links == []  # (the files the edit changed are written; the rest are there)
    fresh = tmp_path / "fresh"
    build_site(config, now=NOW, jobs=1, search_index=False, output_dir=fresh,
               use_cache=False)
    assert files_of(out) == files_of(fresh)
