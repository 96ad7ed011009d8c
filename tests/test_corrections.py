"""Corrections: each shown on its article in a marked box, in its JSON-LD and feeds, and on
a page and feed of every correction."""

from __future__ import annotations

import json

import feedparser
import pytest
from conftest import NOW, article, soup, write_site
from lxml import etree

from newsroom.build import build_site
from newsroom.problems import BuildError

FIRST = {"date": "2024-05-03 10:00", "text": "We misspelt the mayor's name."}
SECOND = {"date": "2024-05-06", "text": "The event is on 7 July, not 8 July."}


@pytest.fixture
def corrected(tmp_path):
    files = {
        "content/news/2024-05-01-fixed.md": article("Fixed", "2024-05-01 09:00",
                                                    corrections=[SECOND, FIRST]),
        "content/news/2024-05-02-other.md": article(
            "Other", "2024-05-02", corrections=[{"date": "2024-05-04", "text": "A typo."}]),
        "content/news/2024-05-05-clean.md": article("Clean", "2024-05-05"),
    }
    build_site(write_site(tmp_path, files), now=NOW)
    return tmp_path / "public"


def test_an_article_shows_each_correction_dated_in_a_marked_box(corrected):
    page = soup(corrected / "news/fixed/index.html")
    box = page.select_one("section.corrections")
    assert box.find("h2").get_text() == "Corrections"
    assert [li.get_text() for li in box.find_all("li")] == [
        "6 May 2024: The event is on 7 July, not 8 July.",
        "3 May 2024: We misspelt the mayor's name."]
    assert page.select_one(".article-meta").get_text(" ", strip=True).endswith(
        "Updated 6 May 2024 1 min read")
    assert soup(corrected / "news/clean/index.html").select_one("section.corrections") is None


def test_json_ld_carries_the_corrections_and_the_date_of_the_last(corrected):
    data = json.loads(soup(corrected / "news/fixed/index.html").find(
        "script", type="application/ld+json").string)
    assert data["dateModified"] == "2024-05-06T00:00:00+01:00"
    assert data["correction"] == [
        {"@type": "CorrectionComment", "text": "We misspelt the mayor's name.",
         "datePublished": "2024-05-03T10:00:00+01:00"},
        {"@type": "CorrectionComment", "text": "The event is on 7 July, not 8 July.",
         "datePublished": "2024-05-06T00:00:00+01:00"}]


def test_the_atom_entry_moves_to_the_correction_so_feed_readers_show_it_again(corrected):
    feed = feedparser.parse((corrected / "atom.xml").read_bytes())
    fixed = next(e for e in feed.entries if e.title == "Fixed")
    assert fixed.updated == "2024-05-06T00:00:00+01:00"
    assert fixed.published == "2024-05-01T09:00:00+01:00"
    assert feed.feed.updated == "2024-05-06T00:00:00+01:00"  # the newest change of all


def test_the_corrections_page_lists_every_correction_newest_first(corrected):
    page = soup(corrected / "corrections/index.html")
    assert [(li.find("a").get_text(), li.find("time")["datetime"], li.find_all("p")[-1]
             .get_text()) for li in page.select(".corrections-list li")] == [
        ("Fixed", "2024-05-06T00:00:00+01:00", "The event is on 7 July, not 8 July."),
        ("Other", "2024-05-04T00:00:00+01:00", "A typo."),
        ("Fixed", "2024-05-03T10:00:00+01:00", "We misspelt the mayor's name.")]
    assert page.select_one(".corrections-list a")["href"] == "/news/fixed/#nr-corrections"


def test_the_corrections_feed_has_an_item_per_correction(corrected):
    data = (corrected / "corrections/feed.xml").read_bytes()
    feed = feedparser.parse(data)
    assert not feed.bozo and feed.version == "rss20"
    assert [(e.title, e.summary) for e in feed.entries] == [
        ("Correction: Fixed", "The event is on 7 July, not 8 July."),
        ("Correction: Other", "A typo."),
        ("Correction: Fixed", "We misspelt the mayor's name.")]
    assert len({e.id for e in feed.entries}) == 3
    assert feed.entries[0].link == "https://news.example.org/news/fixed/#nr-corrections"
    guids = etree.fromstring(data).findall(".//item/guid")
    assert {g.get("isPermaLink") for g in guids} == {"false"}
    link = soup(corrected / "corrections/index.html").find(
        "link", rel="alternate", title="Corrections (RSS)")
    assert link["href"] == "/corrections/feed.xml"


def test_two_corrections_of_one_day_are_two_items(tmp_path):
    build_site(write_site(tmp_path, {"content/news/2024-05-01-a.md": article(
        "A", corrections=[{"date": "2024-05-02", "text": "One."},
                          {"date": "2024-05-02", "text": "Two."}])}), now=NOW)
    feed = feedparser.parse((tmp_path / "public/corrections/feed.xml").read_bytes())
    assert len({e.id for e in feed.entries}) == 2


def test_a_site_with_no_corrections_has_no_corrections_page(tmp_path):
    build_site(write_site(tmp_path, {"content/news/2024-05-01-a.md": article("A")}), now=NOW)
    assert not (tmp_path / "public/corrections").exists()


def test_a_correction_with_mistakes_says_which_line_and_what_to_write(tmp_path):
    config = write_site(tmp_path, {"content/news/2024-05-01-a.md": article(
        "A", "2024-05-01", corrections=[{"date": "2024-04-01", "text": "Early."},
                                        {"text": "No date."}, "just words"])})
    with pytest.raises(BuildError) as caught:
        build_site(config, now=NOW)
    assert [str(p) for p in caught.value.problems] == [
        "content/news/2024-05-01-a.md:5: corrections: item 1: date: 2024-04-01 is before the "
        "article's date; write when the correction was made",
        "content/news/2024-05-01-a.md:7: corrections: item 2: date: missing (add date: "
        "2020-07-08 or 2020-07-08 14:00)",
        "content/news/2024-05-01-a.md:8: corrections: item 3: expected key: value lines (a "
        "mapping), found str"]
