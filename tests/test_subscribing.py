"""Reaching readers where they are: JSON Feed, feeds per tag and per author, the Google News
sitemap, WebSub hubs, and the events feed as a feed reader reads it."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import feedparser
import pytest
from conftest import NOW, article, soup, write_site
from jsonschema import Draft202012Validator
from lxml import etree

from newsroom.build import build_site

SCHEMAS = Path(__file__).parent / "schemas"
HUB = "https://hub.example.net/"


def json_feed_problems(data: dict) -> list[str]:
    """What JSON Feed 1.1 (as tests/schemas writes it) finds wrong with a feed."""
    schema = json.loads((SCHEMAS / "jsonfeed-1.1.schema.json").read_text())
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    problems = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(data)]
    for item in data["items"]:  # RFC 3339, whatever the format checker knows
        for key in ("date_published", "date_modified"):
            if key in item and datetime.fromisoformat(item[key]).tzinfo is None:
                problems.append(f"{item['id']}: {key} has no offset")
    return problems


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    root = tmp_path_factory.mktemp("desk")
    recent = (NOW - timedelta(hours=30)).strftime("%Y-%m-%d %H:%M")
    files = {
        "content/authors/ada.yaml": "name: Ada Lovelace\n",
        "content/news/2024-05-01-old.md": article(
            "Old & <news>", "2024-05-01", tags=["Labs"], category="Reports",
            body="See [the fair](/events/fair/).\n"),
        "content/news/2026-11-27-fresh.md": article(
            "Fresh", recent, author="ada", tags=["Labs", "Grants"],
            corrections=[{"date": (NOW - timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"),
                          "text": "A fix."}]),
        "content/events/fair.yaml": "title: Fair\nstart: 2027-03-01 10:00\n"
                                    "description: Stalls and *talks*.\n",
        "content/events/dinner.yaml": "title: Dinner\nstart: 2027-02-01 19:00\n"
                                      "status: cancelled\n",
    }
    config = write_site(root, files, {"websub_hub": HUB})
    build_site(config, now=NOW)
    return root / "public"


def test_the_news_json_feed_is_valid_json_feed_1_1_and_matches_the_rss(desk):
    data = json.loads((desk / "feed.json").read_text())
    assert json_feed_problems(data) == []
    rss = feedparser.parse((desk / "feed.xml").read_bytes())
    assert [i["id"] for i in data["items"]] == [e.id for e in rss.entries]
    fresh, old = data["items"]
    assert fresh["authors"] == [{"name": "Ada Lovelace",
                                 "url": "https://news.example.org/authors/ada/"}]
    assert fresh["tags"] == ["Labs", "Grants"] and old["tags"] == ["Reports", "Labs"]
    assert fresh["date_modified"] != fresh["date_published"]  # the correction
    assert old["title"] == "Old & <news>" and old["language"] == "en-GB"
    assert 'href="https://news.example.org/events/fair/"' in old["content_html"]
    assert data["hubs"] == [{"type": "WebSub", "url": HUB}]
    assert data["feed_url"] == "https://news.example.org/feed.json"


def test_the_events_json_feed_lists_coming_events_with_their_times(desk):
    data = json.loads((desk / "events/feed.json").read_text())
    assert json_feed_problems(data) == []
    assert [i["title"].split(":")[0] for i in data["items"]] == ["Cancelled", "Fair"]
    fair = data["items"][1]
    assert fair["_event"]["start"] == "2027-03-01T10:00:00+00:00"
    assert "<em>talks</em>" in fair["content_html"]
    assert data["items"][0]["content_text"]  # (no description: its summary as text)


def test_every_page_advertises_the_json_feeds(desk):
    links = {link["href"]: link["type"] for link in soup(desk / "index.html").find_all(
        "link", rel="alternate")}
    assert links["/feed.json"] == links["/events/feed.json"] == "application/feed+json"


def test_each_tag_has_rss_and_atom_feeds_linked_from_its_page(desk):
    page = soup(desk / "tag/labs/index.html")
    alternates = {link["type"]: link["href"] for link in page.find_all("link", rel="alternate")
                  if link["title"].startswith("Labs")}
    assert alternates == {"application/rss+xml": "/tag/labs/feed.xml",
                          "application/atom+xml": "/tag/labs/atom.xml"}
    assert [a["href"] for a in page.select(".list-feed a")] == ["/tag/labs/feed.xml",
                                                                "/tag/labs/atom.xml"]
    for name, version in (("feed.xml", "rss20"), ("atom.xml", "atom10")):
        feed = feedparser.parse((desk / "tag/labs" / name).read_bytes())
        assert not feed.bozo and feed.version == version
        assert [e.title for e in feed.entries] == ["Fresh", "Old & <news>"]
    assert [e.title for e in feedparser.parse(
        (desk / "tag/grants/feed.xml").read_bytes()).entries] == ["Fresh"]


def test_every_feed_names_the_websub_hub(desk):
    for path in ("feed.xml", "atom.xml", "events/feed.xml", "tag/labs/feed.xml",
                 "tag/labs/atom.xml", "authors/ada/feed.xml", "corrections/feed.xml"):
        root = etree.parse(str(desk / path)).getroot()
        hubs = root.findall(".//{http://www.w3.org/2005/Atom}link[@rel='hub']")
        assert [h.get("href") for h in hubs] == [HUB], path
        feed = feedparser.parse((desk / path).read_bytes())
        assert not feed.bozo, path
        # The page's own link stays the feed's link.
        assert feed.feed.link.startswith("https://news.example.org/"), path


def test_the_news_sitemap_lists_the_last_two_days_and_is_valid(desk):
    document = etree.parse(str(desk / "news-sitemap.xml"))
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "sitemap-news.xsd")))
    assert schema.validate(document), schema.error_log
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9",
          "n": "http://www.google.com/schemas/sitemap-news/0.9"}
    assert document.xpath("//s:loc/text()", namespaces=ns) == [
        "https://news.example.org/news/fresh/"]
    assert document.xpath("//n:name/text()", namespaces=ns) == ["Test News"]
    assert document.xpath("//n:language/text()", namespaces=ns) == ["en"]
    assert document.xpath("//n:title/text()", namespaces=ns) == ["Fresh"]
    assert (desk / "robots.txt").read_text().splitlines()[-1] == \
        "Sitemap: https://news.example.org/news-sitemap.xml"


def test_the_plain_sitemap_dates_every_page_an_article_dates(desk):
    document = etree.parse(str(desk / "sitemap.xml"))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    dated = {u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns)
             for u in document.getroot()}
    fresh = dated["https://news.example.org/news/fresh/"]
    assert dated["https://news.example.org/"] == fresh  # the home page shows it
    assert dated["https://news.example.org/tag/grants/"] == fresh
    assert dated["https://news.example.org/news/old/"].startswith("2024-05-01")


def test_without_recent_articles_there_is_no_news_sitemap(tmp_path):
    build_site(write_site(tmp_path, {"content/news/2024-05-01-a.md": article("A")}), now=NOW)
    assert not (tmp_path / "public/news-sitemap.xml").exists()
    assert "news-sitemap" not in (tmp_path / "public/robots.txt").read_text()


def test_without_a_hub_no_feed_names_one(tmp_path):
    build_site(write_site(tmp_path, {"content/news/2024-05-01-a.md": article("A")}), now=NOW)
    assert b'rel="hub"' not in (tmp_path / "public/feed.xml").read_bytes()
    assert "hubs" not in json.loads((tmp_path / "public/feed.json").read_text())


def commit_all(folder: Path, when: str) -> None:
    """Everything in `folder` committed at `when`, in a new repository at the site's root
    (its parent for content/)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = folder if (folder / "site_config.yaml").exists() else folder.parent
    env = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_NAME": "Ed",
           "GIT_AUTHOR_EMAIL": "ed@example.org", "GIT_COMMITTER_NAME": "Ed",
           "GIT_COMMITTER_EMAIL": "ed@example.org", "PATH": "/usr/bin:/bin"}
    for command in (["init", "-q"], ["add", str(folder)], ["commit", "-q", "-m", "Edit"]):
        subprocess.run(["git", *command], cwd=root, env=env, check=True)


def test_an_events_feed_item_is_dated_by_its_files_last_commit(tmp_path):
    config = write_site(tmp_path, {"content/events/fair.yaml": "title: Fair\n"
                                                               "start: 2027-03-01 10:00\n"})
    commit_all(tmp_path, "2026-10-05T09:00:00+00:00")
    build_site(config, now=NOW)
    feed = feedparser.parse((tmp_path / "public/events/feed.xml").read_bytes())
    assert feed.entries[0].published == "Mon, 05 Oct 2026 10:00:00 +0100"


def test_an_events_feed_is_made_again_when_only_its_files_date_changed(tmp_path):
    import os

    config = write_site(tmp_path, {"content/events/fair.yaml": "title: Fair\n"
                                                               "start: 2027-03-01 10:00\n"})
    fair = tmp_path / "content/events/fair.yaml"
    os.utime(fair, (1764000000, 1764000000))  # 24 November 2025, 16:00 UTC
    build_site(config, now=NOW)

    def published() -> str:
        return feedparser.parse((tmp_path / "public/events/feed.xml").read_bytes()
                                ).entries[0].published

    assert published() == "Mon, 24 Nov 2025 16:00:00 +0000"
    commit_all(tmp_path / "content", "2026-10-05T09:00:00+00:00")
    build_site(config, now=NOW)  # the same content, committed since
    assert published() == "Mon, 05 Oct 2026 10:00:00 +0100"
