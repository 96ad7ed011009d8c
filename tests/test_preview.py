"""The preview's builds and chores, in this process: what an editor's next save costs."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from conftest import NOW, article, write_site

from newsroom import output
from newsroom.build import build_site
from newsroom.preview import Chore, LiveState, Preview

ARTICLES = {f"content/news/2024-01-{day:02d}-story-{day}.md": article(f"Story {day}",
                                                                      f"2024-01-{day:02d}")
            for day in range(1, 11)}


def preview_of(root: Path, events: list, settings: dict | None = None) -> Preview:
    config = write_site(root, ARTICLES, settings)
    target = root.parent / "preview" / "site"
    build = functools.partial(build_site, config, now=NOW, output_dir=target,
                              base_url="http://127.0.0.1:8000/", save_cache=False,
                              private_output=True)
    return Preview(build, target, LiveState(), events.append)


def test_the_first_edit_after_the_first_build_links_no_file(tmp_path, monkeypatch):
    # A first build leaves no folder swapped out for the next build to bring up to date;
    # the preview makes one while it is idle, so the first edit costs what it changes
    # (without it, 1.4 s of linking files at 5,000 articles).
    events: list = []
    preview = preview_of(tmp_path / "site", events)
    preview.rebuild()
    assert Chore.SPARE in preview.chores
    preview.tidy()
    assert (tmp_path / "preview" / ".newsroom-prev-site" / output.MARKER).is_file()
    links = []
    real_link = os.link
    monkeypatch.setattr(output.os, "link", lambda *a: links.append(a) or real_link(*a))
    edited = tmp_path / "site/content/news/2024-01-05-story-5.md"
    edited.write_text(article("Story five, edited", "2024-01-05"), encoding="utf-8")
    preview.rebuild((str(edited),))
    assert [event.kind for event in events] == ["built", "built"]
    assert links == []
    page = tmp_path / "preview/site/news/story-5/index.html"
    assert "Story five, edited" in page.read_text(encoding="utf-8")


def test_the_preview_says_when_every_chore_is_done(tmp_path, monkeypatch):
    events: list = []
    preview = preview_of(tmp_path / "site", events)
    preview.rebuild()
    preview.tidy()  # (saving waits for a pause in the editing)
    assert preview.chores == {Chore.SAVE} and events[-1].kind == "built"
    monkeypatch.setattr("newsroom.preview.SAVE_AFTER", -1.0)
    preview.tidy()
    assert preview.chores == set() and events[-1].kind == "idle"
    assert any((tmp_path / "site/.newsroom-cache").glob("*.bin"))
    preview.tidy()
    assert [event.kind for event in events].count("idle") == 1  # (said once)


def test_the_preview_says_when_every_chore_is_done_once_it_has_made_the_search_index(
        tmp_path, monkeypatch):
    events: list = []
    preview = preview_of(tmp_path / "site", events, {"search": True})
    monkeypatch.setattr("newsroom.preview.SAVE_AFTER", -1.0)
    monkeypatch.setattr("newsroom.preview.INDEX_AFTER", -1.0)
    preview.rebuild()
    preview.tidy()  # the index is started, beside the watcher
    assert preview.indexing is not None
    preview.indexing[0].join()
    assert [event.kind for event in events] == ["built", "indexed"]
    preview.tidy()  # what the index's build left to do (saving the caches, say)
    assert preview.chores == set() and events[-1].kind == "idle"
