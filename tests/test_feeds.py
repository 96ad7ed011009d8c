"""feeds.py: RSS, Atom, category feeds, sitemap.xml and robots.txt as machines read them."""

from __future__ import annotations

import re
from calendar import timegm
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import NOW, REPO, article, soup, write_site
from lxml import etree

from newsroom.build import build_site

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
}
RFC_822 = re.compile(r"^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$")
RFC_3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
URL_ATTRIBUTES = ("href", "src", "srcset", "poster", "cite")

SEED_TITLE = "Bright future for life sciences in the Midlands"
SEED_LINK = "https://news.example.org/news/bright-future-for-life-sciences-in-the-midlands/"

DESK = "https://example.org/site/"
FOURTH_BODY = """Read [the second](../second/) or [about us](/about/), see
![a square](/media/square.svg) and [a note](#note).

<img src="square.svg" srcset="/media/square.svg 1x, ../second/big.svg 2x" alt="again">

Mail <mailto:desk@example.org> or visit <https://example.com/x>.[^1]

[^1]: A footnote."""
SECOND_BODY = "The opening paragraph of the second.\n\nThe closing paragraph of the second."


def desk_files() -> dict[str, str]:
    """Six articles in two categories; with feed_limit 3 the feeds must leave some out."""
    return {
        "content/news/2024-12-01-fourth.md": article(
            "Fourth & <last>", "2024-12-01 10:00", FOURTH_BODY, author="Ada Example",
            category="Reports", tags=["beta"], summary="The fourth, in short.",
            guid="tag:example.org,2024:fourth"),
        "content/news/2024-09-15-third.md": article(
            "Third", "2024-09-15 14:30+02:00", "Third words.", category="Reports",
            updated="2024-09-20 08:00"),
        "content/news/2024-06-02-second.md": article(
            "Second", "2024-06-02", SECOND_BODY, category="Notices", tags=["shared"]),
        "content/news/2024-01-10-first.md": article(
            "First", "2024-01-10 09:00", "First words.", category="Notices",
            tags=["alpha", "shared"]),
        "content/news/2023-03-01-older.md": article("Older", "2023-03-01", category="Notices"),
        "content/news/2022-02-01-oldest.md": article("Oldest", "2022-02-01", category="Notices"),
        "content/media/square.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>',
    }


DESK_CONFIG = {"title": "Desk", "base_url": DESK, "author": "Desk Editor", "feed_limit": 3}


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The six-article site published under https://example.org/site/, built."""
    root = tmp_path_factory.mktemp("desk") / "site"
    build_site(write_site(root, desk_files(), DESK_CONFIG), now=NOW)
    return root / "public"


def read_feed(path: Path) -> tuple[feedparser.FeedParserDict, etree._Element]:
    """The feed as a feed reader sees it (feedparser) and as XML (lxml)."""
    data = path.read_bytes()
    parsed = feedparser.parse(data)
    assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
    return parsed, etree.fromstring(data)


def rss_feeds(public: Path) -> list[Path]:
    """feed.xml and every category feed."""
    return [public / "feed.xml", *sorted((public / "category").glob("*/feed.xml"))]


def items(root: etree._Element) -> list[etree._Element]:
    """The items of an RSS feed or the entries of an Atom feed, in document order."""
    return root.findall("channel/item") or root.findall("atom:entry", NS)


def item_html(item: etree._Element) -> str:
    """The full HTML an RSS item or Atom entry carries."""
    encoded = item.find("content:encoded", NS)
    if encoded is not None:
        return encoded.text or ""
    content = item.find("atom:content", NS)
    assert content is not None and content.get("type") == "html"
    return content.text or ""


def urls_in(html: str) -> list[str]:
    """Every URL in an href, src, srcset, poster or cite attribute of the HTML."""
    found = []
    for tag in BeautifulSoup(html, "html.parser").find_all(True):
        for name in URL_ATTRIBUTES:
            value = tag.get(name)
            if value is None:
                continue
            if name == "srcset":
                found += [c.split()[0] for c in value.split(",") if c.strip()]
            else:
                found.append(value)
    return found


def is_absolute(url: str) -> bool:
    """A URL a feed reader can follow from anywhere: http(s), mailto, or a fragment."""
    parts = urlsplit(url)
    return (parts.scheme in ("http", "https") and bool(parts.netloc)) \
        or parts.scheme == "mailto" or url.startswith("#")


def entry_by_title(parsed: feedparser.FeedParserDict, title: str) -> feedparser.FeedParserDict:
    """The one entry with this title."""
    [entry] = [e for e in parsed.entries if e.title == title]
    return entry


def rss_item(root: etree._Element, title: str) -> etree._Element:
    """The one RSS item with this title."""
    [item] = [i for i in root.findall("channel/item") if i.findtext("title") == title]
    return item


def atom_entry(root: etree._Element, title: str) -> etree._Element:
    """The one Atom entry with this title."""
    [entry] = [e for e in root.findall("atom:entry", NS)
               if e.findtext("atom:title", namespaces=NS) == title]
    return entry


# Well-formed feeds ------------------------------------------------------------------------


def test_sample_feeds_are_valid_rss_and_atom(sample_site: Path) -> None:
    for path in rss_feeds(sample_site):
        parsed, _ = read_feed(path)
        assert parsed.version == "rss20", path
        assert parsed.entries, path
    parsed, _ = read_feed(sample_site / "atom.xml")
    assert parsed.version == "atom10"
    assert parsed.entries


def test_sample_site_has_a_feed_per_category(sample_site: Path) -> None:
    categories = sorted(p.parent.name for p in (sample_site / "category").glob("*/index.html"))
    assert categories == sorted(p.parent.name for p in
                                (sample_site / "category").glob("*/feed.xml"))
    assert "people-places" in categories


def test_category_pages_advertise_their_feed(desk: Path) -> None:
    page = soup(desk / "category" / "notices" / "index.html")
    hrefs = [link["href"] for link in page.find_all("link", rel="alternate",
                                                    type="application/rss+xml")]
    assert "/site/category/notices/feed.xml" in hrefs
    assert "/site/feed.xml" in hrefs


# The seed article -------------------------------------------------------------------------


def test_seed_article_in_the_rss_feed(sample_site: Path) -> None:
    parsed, root = read_feed(sample_site / "feed.xml")
    entry = entry_by_title(parsed, SEED_TITLE)
    assert entry.link == SEED_LINK
    assert entry.id == SEED_LINK
    assert entry.author == "Editor"
    assert "People & places" in [t.term for t in entry.tags]
    assert entry.published_parsed[:3] == (2020, 7, 5)  # midnight BST is 23:00 UTC
    item = rss_item(root, SEED_TITLE)
    assert item.findtext("pubDate") == "Mon, 06 Jul 2020 00:00:00 +0100"
    assert item.findtext("dc:creator", namespaces=NS) == "Editor"
    assert item.findtext("description").startswith("The amalgamation of Medilink East")


def test_seed_article_in_the_atom_feed(sample_site: Path) -> None:
    parsed, root = read_feed(sample_site / "atom.xml")
    entry = entry_by_title(parsed, SEED_TITLE)
    assert entry.link == SEED_LINK
    assert entry.id == SEED_LINK
    assert "People & places" in [t.term for t in entry.tags]
    element = atom_entry(root, SEED_TITLE)
    assert element.findtext("atom:author/atom:name", namespaces=NS) == "Editor"
    assert element.findtext("atom:published", namespaces=NS) == "2020-07-06T00:00:00+01:00"


def test_seed_article_in_its_category_feed(sample_site: Path) -> None:
    parsed, _ = read_feed(sample_site / "category" / "people-places" / "feed.xml")
    assert entry_by_title(parsed, SEED_TITLE).link == SEED_LINK
    assert all("People & places" in [t.term for t in e.tags] for e in parsed.entries)


# Order and limits -------------------------------------------------------------------------


def test_sample_entries_are_newest_first(sample_site: Path) -> None:
    for path in [*rss_feeds(sample_site), sample_site / "atom.xml"]:
        parsed, _ = read_feed(path)
        dates = [timegm(e.published_parsed) for e in parsed.entries]
        assert dates == sorted(dates, reverse=True), path


def test_feeds_carry_the_newest_articles_up_to_feed_limit(desk: Path) -> None:
    for name in ("feed.xml", "atom.xml"):
        parsed, _ = read_feed(desk / name)
        assert [e.title for e in parsed.entries] == ["Fourth & <last>", "Third", "Second"]


def test_category_feeds_carry_only_their_category_up_to_feed_limit(desk: Path) -> None:
    notices, root = read_feed(desk / "category" / "notices" / "feed.xml")
    assert [e.title for e in notices.entries] == ["Second", "First", "Older"]
    assert all("Notices" in [c.text for c in i.findall("category")] for i in items(root))
    assert notices.feed.title == "Desk: Notices"
    reports, root = read_feed(desk / "category" / "reports" / "feed.xml")
    assert [e.title for e in reports.entries] == ["Fourth & <last>", "Third"]
    assert all("Reports" in [c.text for c in i.findall("category")] for i in items(root))


# Titles, links, ids, authors, categories ----------------------------------------------------


def test_titles_are_the_text_the_editor_wrote(desk: Path) -> None:
    _, rss = read_feed(desk / "feed.xml")
    _, atom = read_feed(desk / "atom.xml")
    assert [i.findtext("title") for i in items(rss)] == ["Fourth & <last>", "Third", "Second"]
    assert [e.findtext("atom:title", namespaces=NS) for e in items(atom)] == [
        "Fourth & <last>", "Third", "Second"]


def test_entry_links_are_absolute_permalinks(desk: Path) -> None:
    for name in ("feed.xml", "atom.xml", "category/notices/feed.xml"):
        parsed, _ = read_feed(desk / name)
        for entry in parsed.entries:
            slug = entry.title.split()[0].lower()
            assert entry.link == f"{DESK}news/{slug}/", name


def test_a_guid_from_front_matter_is_the_id_and_not_a_permalink(desk: Path) -> None:
    _, rss = read_feed(desk / "feed.xml")
    guid = rss_item(rss, "Fourth & <last>").find("guid")
    assert guid.text == "tag:example.org,2024:fourth"
    assert guid.get("isPermaLink") == "false"
    _, atom = read_feed(desk / "atom.xml")
    entry = atom_entry(atom, "Fourth & <last>")
    assert entry.findtext("atom:id", namespaces=NS) == "tag:example.org,2024:fourth"
    [link] = entry.findall("atom:link", NS)
    assert link.get("href") == f"{DESK}news/fourth/"


def test_without_a_guid_the_permalink_is_the_id(desk: Path) -> None:
    _, rss = read_feed(desk / "feed.xml")
    guid = rss_item(rss, "Second").find("guid")
    assert guid.text == f"{DESK}news/second/"
    assert guid.get("isPermaLink") == "true"
    _, atom = read_feed(desk / "atom.xml")
    assert atom_entry(atom, "Second").findtext("atom:id", namespaces=NS) == (
        f"{DESK}news/second/")


def test_rss_names_authors_with_dc_creator_and_no_author_element(desk: Path) -> None:
    for path in rss_feeds(desk):
        _, root = read_feed(path)
        for item in items(root):
            assert item.find("author") is None, path
            assert item.findtext("dc:creator", namespaces=NS) in ("Ada Example", "Desk Editor")
    _, root = read_feed(desk / "feed.xml")
    assert rss_item(root, "Fourth & <last>").findtext("dc:creator", namespaces=NS) == (
        "Ada Example")
    assert rss_item(root, "Second").findtext("dc:creator", namespaces=NS) == "Desk Editor"
    parsed, _ = read_feed(desk / "feed.xml")
    assert entry_by_title(parsed, "Fourth & <last>").author == "Ada Example"


def test_atom_names_authors(desk: Path) -> None:
    _, root = read_feed(desk / "atom.xml")
    names = {e.findtext("atom:title", namespaces=NS):
             e.findtext("atom:author/atom:name", namespaces=NS) for e in items(root)}
    assert names == {"Fourth & <last>": "Ada Example", "Third": "Desk Editor",
                     "Second": "Desk Editor"}


def test_entries_carry_their_category_and_tags(desk: Path) -> None:
    _, rss = read_feed(desk / "feed.xml")
    assert [c.text for c in rss_item(rss, "Fourth & <last>").findall("category")] == [
        "Reports", "beta"]
    assert [c.text for c in rss_item(rss, "Second").findall("category")] == [
        "Notices", "shared"]
    _, atom = read_feed(desk / "atom.xml")
    assert [c.get("term") for c in atom_entry(atom, "Fourth & <last>").findall(
        "atom:category", NS)] == ["Reports", "beta"]
    parsed, _ = read_feed(desk / "category" / "notices" / "feed.xml")
    assert [t.term for t in entry_by_title(parsed, "First").tags] == [
        "Notices", "alpha", "shared"]


# Dates ------------------------------------------------------------------------------------


def test_rss_dates_are_rfc_822_with_offsets(desk: Path, sample_site: Path) -> None:
    for path in [*rss_feeds(desk), *rss_feeds(sample_site)]:
        _, root = read_feed(path)
        assert RFC_822.match(root.findtext("channel/lastBuildDate")), path
        for item in items(root):
            assert RFC_822.match(item.findtext("pubDate")), (path, item.findtext("pubDate"))


def test_rss_dates_are_in_the_site_time_zone_unless_written_with_an_offset(desk: Path) -> None:
    parsed, root = read_feed(desk / "feed.xml")
    assert rss_item(root, "Fourth & <last>").findtext("pubDate") == (
        "Sun, 01 Dec 2024 10:00:00 +0000")
    assert rss_item(root, "Second").findtext("pubDate") == "Sun, 02 Jun 2024 00:00:00 +0100"
    # Written as 14:30+02:00: whatever offset is shown, it is the same moment.
    third = entry_by_title(parsed, "Third")
    assert tuple(third.published_parsed)[:6] == (2024, 9, 15, 12, 30, 0)


def test_atom_dates_are_rfc_3339_with_offsets(desk: Path, sample_site: Path) -> None:
    for public in (desk, sample_site):
        _, root = read_feed(public / "atom.xml")
        assert RFC_3339.match(root.findtext("atom:updated", namespaces=NS))
        for entry in items(root):
            for name in ("atom:published", "atom:updated"):
                value = entry.findtext(name, namespaces=NS)
                assert value is not None and RFC_3339.match(value), (name, value)


def test_atom_updated_is_the_updated_front_matter(desk: Path) -> None:
    _, root = read_feed(desk / "atom.xml")
    second = atom_entry(root, "Second")
    assert second.findtext("atom:published", namespaces=NS) == "2024-06-02T00:00:00+01:00"
    assert second.findtext("atom:updated", namespaces=NS) == "2024-06-02T00:00:00+01:00"
    parsed, _ = read_feed(desk / "atom.xml")
    third = entry_by_title(parsed, "Third")
    assert tuple(third.updated_parsed)[:6] == (2024, 9, 20, 7, 0, 0)
    assert tuple(third.published_parsed)[:6] == (2024, 9, 15, 12, 30, 0)


def test_feeds_are_dated_by_their_newest_change(desk: Path) -> None:
    _, rss = read_feed(desk / "feed.xml")
    assert rss.findtext("channel/lastBuildDate") == "Sun, 01 Dec 2024 10:00:00 +0000"
    _, atom = read_feed(desk / "atom.xml")
    assert atom.findtext("atom:updated", namespaces=NS) == "2024-12-01T10:00:00+00:00"


# Summary and full content -----------------------------------------------------------------


def test_the_summary_is_the_rss_description(desk: Path) -> None:
    _, root = read_feed(desk / "feed.xml")
    assert rss_item(root, "Fourth & <last>").findtext("description") == "The fourth, in short."
    # Without summary: the first paragraph of the article.
    assert rss_item(root, "Second").findtext("description") == (
        "The opening paragraph of the second.")


def test_the_full_article_is_the_feed_content(desk: Path) -> None:
    _, rss = read_feed(desk / "feed.xml")
    html = item_html(rss_item(rss, "Second"))
    paragraphs = [p.get_text() for p in BeautifulSoup(html, "html.parser").find_all("p")]
    assert paragraphs == ["The opening paragraph of the second.",
                          "The closing paragraph of the second."]
    _, atom = read_feed(desk / "atom.xml")
    assert item_html(atom_entry(atom, "Second")) == html
    fourth = BeautifulSoup(item_html(rss_item(rss, "Fourth & <last>")), "html.parser")
    assert "A footnote." in fourth.get_text()


def test_links_inside_the_content_resolve_as_on_the_article_page(desk: Path) -> None:
    _, root = read_feed(desk / "feed.xml")
    html = item_html(rss_item(root, "Fourth & <last>"))
    parsed = BeautifulSoup(html, "html.parser")
    hrefs = [a["href"] for a in parsed.find_all("a")]
    assert f"{DESK}news/second/" in hrefs
    assert f"{DESK}about/" in hrefs
    assert "mailto:desk@example.org" in hrefs
    assert "https://example.com/x" in hrefs
    sources = [img["src"] for img in parsed.find_all("img")]
    assert sources == [f"{DESK}media/square.svg", f"{DESK}news/fourth/square.svg"]
    assert parsed.find_all("img")[1]["srcset"] == (
        f"{DESK}media/square.svg 1x, {DESK}news/second/big.svg 2x")


@pytest.mark.parametrize("public_of", ["desk", "sample_site"])
def test_no_relative_url_inside_any_feed_item(public_of: str,
                                              request: pytest.FixtureRequest) -> None:
    public = request.getfixturevalue(public_of)
    checked = 0
    for path in [*rss_feeds(public), public / "atom.xml"]:
        _, root = read_feed(path)
        for item in items(root):
            for url in urls_in(item_html(item)):
                assert is_absolute(url), f"{path}: {url}"
                checked += 1
    assert checked > 0


def test_raw_html_links_are_absolute_in_feeds_when_html_is_not_sanitised(
        tmp_path: Path) -> None:
    # Trusted editors may write any valid HTML: unquoted values, upper-case names, '>' in
    # another attribute's value.
    body = ('Raw: <a href=../second/>unquoted</a>, <img src=photo.png alt=photo>, '
            '<a HREF="caps/">caps</a> and <a title="a > b" href="arrow/">arrow</a>.')
    root = tmp_path / "site"
    build_site(write_site(root, {"content/news/2024-05-01-raw.md": article("Raw", body=body)},
                          {"sanitize_html": False}), now=NOW)
    for path in rss_feeds(root / "public") + [root / "public" / "atom.xml"]:
        _, feed = read_feed(path)
        [item] = items(feed)
        found = urls_in(item_html(item))
        assert len(found) == 4, path
        assert sorted(found) == sorted([
            "https://news.example.org/news/second/",
            "https://news.example.org/news/raw/photo.png",
            "https://news.example.org/news/raw/caps/",
            "https://news.example.org/news/raw/arrow/"]), path


def test_drafts_and_future_articles_stay_out_of_feeds_and_sitemap(tmp_path: Path) -> None:
    root = tmp_path / "site"
    build_site(write_site(root, {
        "content/news/2024-05-01-shown.md": article("Shown", category="Notices"),
        "content/news/2024-06-01-drafted.md": article("Drafted", "2024-06-01", draft=True,
                                                      category="Notices"),
        "content/news/2027-01-01-planned.md": article("Planned", "2027-01-01",
                                                      category="Notices"),
    }), now=NOW)
    public = root / "public"
    for path in [*rss_feeds(public), public / "atom.xml"]:
        parsed, _ = read_feed(path)
        assert [e.title for e in parsed.entries] == ["Shown"], path
    assert set(sitemap_entries(public)) == html_page_urls(public, "https://news.example.org/")
    assert not any("drafted" in loc or "planned" in loc for loc in sitemap_entries(public))


def test_articles_of_the_same_moment_are_ordered_by_slug(tmp_path: Path) -> None:
    root = tmp_path / "site"
    build_site(write_site(root, {
        f"content/news/2024-05-01-{slug}.md": article(slug.title(), "2024-05-01 09:00")
        for slug in ("charlie", "alpha", "bravo")}), now=NOW)
    for name in ("feed.xml", "atom.xml"):
        parsed, _ = read_feed(root / "public" / name)
        assert [e.title for e in parsed.entries] == ["Alpha", "Bravo", "Charlie"]


def test_feed_full_content_false_leaves_the_body_out(tmp_path: Path) -> None:
    root = tmp_path / "site"
    build_site(write_site(root, desk_files(), {**DESK_CONFIG, "feed_full_content": False}),
               now=NOW)
    public = root / "public"
    for path in [*rss_feeds(public), public / "atom.xml"]:
        _, feed = read_feed(path)
        assert feed.findall("channel/item/content:encoded", NS) == [], path
        assert b"The closing paragraph of the second." not in path.read_bytes(), path
    _, rss = read_feed(public / "feed.xml")
    assert rss_item(rss, "Second").findtext("description") == (
        "The opening paragraph of the second.")


# Self and site links ----------------------------------------------------------------------


@pytest.mark.parametrize(("name", "site_link"), [
    ("feed.xml", DESK),
    ("category/notices/feed.xml", f"{DESK}category/notices/"),
    ("category/reports/feed.xml", f"{DESK}category/reports/"),
])
def test_rss_channel_links_to_the_site_and_to_itself(desk: Path, name: str,
                                                    site_link: str) -> None:
    _, root = read_feed(desk / name)
    assert root.findtext("channel/link") == site_link
    [self_link] = root.findall("channel/atom:link[@rel='self']", NS)
    assert self_link.get("href") == f"{DESK}{name}"


def test_atom_feed_links_to_itself_and_to_the_site(desk: Path) -> None:
    parsed, root = read_feed(desk / "atom.xml")
    links = {link.get("rel", "alternate"): link.get("href")
             for link in root.findall("atom:link", NS)}
    assert links == {"self": f"{DESK}atom.xml", "alternate": DESK}
    assert parsed.feed.link == DESK


def test_sample_feeds_link_to_the_site_root(sample_site: Path) -> None:
    _, rss = read_feed(sample_site / "feed.xml")
    assert rss.findtext("channel/link") == "https://news.example.org/"
    assert rss.find("channel/atom:link[@rel='self']", NS).get("href") == (
        "https://news.example.org/feed.xml")
    _, atom = read_feed(sample_site / "atom.xml")
    assert atom.find("atom:link[@rel='self']", NS).get("href") == (
        "https://news.example.org/atom.xml")


# Deterministic output ---------------------------------------------------------------------


def feed_bytes(public: Path) -> dict[str, bytes]:
    """Every feed of a built site by its path."""
    return {p.relative_to(public).as_posix(): p.read_bytes()
            for p in [*rss_feeds(public), public / "atom.xml"]}


def test_building_twice_gives_identical_feeds(tmp_path: Path) -> None:
    build_site(REPO / "site_config.yaml", now=NOW, output_dir=tmp_path / "one")
    build_site(REPO / "site_config.yaml", now=NOW, output_dir=tmp_path / "two")
    one, two = feed_bytes(tmp_path / "one"), feed_bytes(tmp_path / "two")
    assert len(one) > 2
    assert one == two


def test_feeds_do_not_change_when_only_the_clock_moves(tmp_path: Path) -> None:
    config = write_site(tmp_path / "site", desk_files(), DESK_CONFIG)
    build_site(config, now=NOW, output_dir=tmp_path / "now")
    build_site(config, now=NOW + timedelta(days=30), output_dir=tmp_path / "later")
    assert feed_bytes(tmp_path / "now") == feed_bytes(tmp_path / "later")


# sitemap.xml and robots.txt ---------------------------------------------------------------


def html_page_urls(public: Path, base_url: str) -> set[str]:
    """The address of every HTML page written that search engines may index: not the 404,
    search and redirect pages, nor a copy of another (/bulletin/latest/, whose canonical
    link names the dated bulletin)."""
    found = set()
    for path in public.rglob("*.html"):
        page = soup(path)
        address = base_url + path.relative_to(public).as_posix().removesuffix("index.html")
        if page.find("meta", attrs={"name": "robots", "content": "noindex"}) or \
                page.find("link", rel="canonical")["href"] != address:
            continue
        found.add(address)
    return found


def sitemap_entries(public: Path) -> dict[str, str | None]:
    """{loc: lastmod or None} from sitemap.xml."""
    root = etree.fromstring((public / "sitemap.xml").read_bytes())
    assert root.tag == f"{{{NS['sm']}}}urlset"
    entries = {}
    for url in root.findall("sm:url", NS):
        loc = url.findtext("sm:loc", namespaces=NS)
        assert loc not in entries
        entries[loc] = url.findtext("sm:lastmod", namespaces=NS)
    return entries


@pytest.mark.parametrize(("public_of", "base_url"), [("sample_site", "https://news.example.org/"),
                                                     ("desk", DESK)])
def test_sitemap_lists_every_page_search_engines_may_index(public_of: str, base_url: str,
                                                   request: pytest.FixtureRequest) -> None:
    public = request.getfixturevalue(public_of)
    entries = sitemap_entries(public)
    assert all(loc.startswith(base_url) for loc in entries)
    assert not any(loc.endswith("404.html") for loc in entries)
    assert set(entries) == html_page_urls(public, base_url)


def test_sitemap_dates_articles(sample_site: Path, desk: Path) -> None:
    entries = sitemap_entries(sample_site)
    assert entries[SEED_LINK] == "2020-07-06T00:00:00+01:00"
    articles = [loc for loc in entries if re.fullmatch(
        r"https://news\.example\.org/news/(?!page/)[^/]+/", loc)]
    assert len(articles) > 5
    assert all(entries[loc] and RFC_3339.match(entries[loc]) for loc in articles)
    # An updated article is dated by its update.
    assert sitemap_entries(desk)[f"{DESK}news/third/"] == "2024-09-20T08:00:00+01:00"


@pytest.mark.parametrize(("public_of", "sitemap"), [
    ("sample_site", "https://news.example.org/sitemap.xml"),
    ("desk", f"{DESK}sitemap.xml"),
])
def test_robots_txt_names_the_absolute_sitemap(public_of: str, sitemap: str,
                                               request: pytest.FixtureRequest) -> None:
    lines = (request.getfixturevalue(public_of) / "robots.txt").read_text(
        encoding="utf-8").splitlines()
    assert f"Sitemap: {sitemap}" in lines
    assert "User-agent: *" in lines


# The basepath fixture ---------------------------------------------------------------------


def test_basepath_feeds_keep_the_base_path(basepath_site: Path) -> None:
    parsed, rss = read_feed(basepath_site / "feed.xml")
    assert len(parsed.entries) == 3  # feed_limit: 3
    assert rss.findtext("channel/link") == "https://example.org/site/"
    for path in [*rss_feeds(basepath_site), basepath_site / "atom.xml"]:
        _, root = read_feed(path)
        for item in items(root):
            for url in urls_in(item_html(item)):
                assert is_absolute(url), f"{path}: {url}"
    second = BeautifulSoup(item_html(rss_item(rss, "Second bulletin")), "html.parser")
    assert [a["href"] for a in second.find_all("a")] == [
        "https://example.org/site/news/first-bulletin/", "https://example.com/x"]


def test_basepath_sitemap_and_robots(basepath_site: Path) -> None:
    entries = sitemap_entries(basepath_site)
    assert set(entries) == html_page_urls(basepath_site, "https://example.org/site/")
    robots = (basepath_site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "Sitemap: https://example.org/site/sitemap.xml" in robots


# Lead images -------------------------------------------------------------------------------

PICTURE = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"/>'


def pictured_site(root: Path) -> Path:
    """Articles and an event with lead images of the site's own and from elsewhere, built."""
    files = {
        "content/news/2024-05-01-hall.md": article("Hall", "2024-05-01", image="/media/hall.svg",
                                                   image_alt="The hall"),
        "content/news/2024-05-02-far.md": article("Far", "2024-05-02",
                                                  image="https://images.example.com/far.jpg",
                                                  image_alt="Far away"),
        "content/events/2027-01-01-talk.yaml": "title: Talk\nstart: 2027-01-01 10:00\n"
                                               "image: /media/hall.svg\nimage_alt: The hall\n",
    }
    config = write_site(root, files)
    (root / "content/media").mkdir(parents=True, exist_ok=True)
    (root / "content/media/hall.svg").write_bytes(PICTURE)
    build_site(config, now=NOW)
    return root / "public"


def test_feeds_carry_the_lead_image_with_its_size_and_type(tmp_path: Path) -> None:
    public = pictured_site(tmp_path)
    picture = "https://news.example.org/media/hall.svg"
    _, rss = read_feed(public / "feed.xml")
    assert dict(rss_item(rss, "Hall").find("enclosure").attrib) == {
        "url": picture, "length": str(len(PICTURE)), "type": "image/svg+xml"}
    _, atom = read_feed(public / "atom.xml")
    entry = atom_entry(atom, "Hall")
    [link] = entry.findall("atom:link[@rel='enclosure']", NS)
    # Exactly one alternate link: feedgen's own enclosure link lost its rel and made two.
    assert len(entry.findall("atom:link", NS)) == 2
    assert (link.get("href"), link.get("length"), link.get("type")) == (
        picture, str(len(PICTURE)), "image/svg+xml")
    _, events = read_feed(public / "events/feed.xml")
    [item] = events.findall("channel/item")
    assert item.find("enclosure").get("url") == picture


def test_a_picture_from_elsewhere_has_no_enclosure_it_could_not_size(tmp_path: Path) -> None:
    _, rss = read_feed(pictured_site(tmp_path) / "feed.xml")
    assert rss_item(rss, "Far").find("enclosure") is None


def test_a_lead_image_replaced_by_a_larger_file_remakes_the_feeds(tmp_path: Path) -> None:
    public = pictured_site(tmp_path)
    larger = PICTURE.replace(b"/>", b"><title>The hall</title></svg>")
    (tmp_path / "content/media/hall.svg").write_bytes(larger)
    build_site(tmp_path / "site_config.yaml", now=NOW)
    _, rss = read_feed(public / "feed.xml")
    assert rss_item(rss, "Hall").find("enclosure").get("length") == str(len(larger))
