"""Authors: profiles in content/authors/, bylines that link to them, author pages with their
articles and feeds, and what check says of a byline that is nearly a profile's name."""

from __future__ import annotations

import json

import feedparser
import pytest
from conftest import NOW, article, soup, write_site

from newsroom.build import build_site
from newsroom.cli import main
from newsroom.problems import BuildError

ADA = """\
name: Ada Lovelace
role: Science editor
photo: /media/ada.png
bio: |
  Ada writes about **engines**.

  She joined in 2024.
email: ada@example.org
links:
  - title: Mastodon
    url: https://example.social/@ada
"""


def jsonld(page) -> dict:
    return json.loads(page.find("script", type="application/ld+json").string)


@pytest.fixture
def desk(tmp_path):
    """A site with two profiles and articles bylined by slug, by name and by a plain name."""
    from PIL import Image

    files = {
        "content/authors/ada.yaml": ADA,
        "content/authors/grace-hopper.yml": "name: Grace Hopper\n",
        "content/news/2024-05-01-one.md": article("One", "2024-05-01", author="ada"),
        "content/news/2024-05-02-two.md": article("Two", "2024-05-02",
                                                  authors=["Ada Lovelace", "Bob Plain"]),
        "content/news/2024-05-03-three.md": article("Three", "2024-05-03",
                                                    authors=["grace-hopper", "ADA LOVELACE",
                                                             "Bob Plain"]),
        "content/news/2024-05-04-four.md": article("Four", "2024-05-04"),
    }
    config = write_site(tmp_path, files, {"per_page": 2, "author": "The Desk"})
    (tmp_path / "content/media").mkdir(parents=True)
    Image.new("RGB", (400, 400), "teal").save(tmp_path / "content/media/ada.png")
    build_site(config, now=NOW)
    return tmp_path / "public"


def byline(public, slug: str) -> list[tuple[str, str | None]]:
    """An article's byline: each name, and where it links (None: no link)."""
    span = soup(public / f"news/{slug}/index.html").select_one(".byline")
    names = [(a.get_text(), a["href"]) for a in span.find_all("a")]
    text = span.get_text()
    return names + [(name, None) for name in ("Bob Plain", "The Desk") if name in text]


def test_bylines_link_to_the_profiles_by_slug_or_by_name_and_plain_names_stay_text(desk):
    assert byline(desk, "one") == [("Ada Lovelace", "/authors/ada/")]
    assert byline(desk, "two") == [("Ada Lovelace", "/authors/ada/"), ("Bob Plain", None)]
    assert soup(desk / "news/three/index.html").select_one(".byline").get_text() == \
        "By Grace Hopper, Ada Lovelace and Bob Plain"
    assert byline(desk, "four") == [("The Desk", None)]  # the site's author:


def test_news_article_json_ld_gives_each_author_as_a_person_with_their_page(desk):
    data = jsonld(soup(desk / "news/two/index.html"))
    assert data["author"] == [
        {"@type": "Person", "name": "Ada Lovelace",
         "url": "https://news.example.org/authors/ada/"},
        {"@type": "Person", "name": "Bob Plain"}]


def test_an_author_page_shows_the_profile_and_their_articles_paginated(desk):
    page = soup(desk / "authors/ada/index.html")
    assert page.find("h1").get_text() == "Ada Lovelace"
    assert page.select_one(".profile-role").get_text() == "Science editor"
    assert page.select_one(".profile-photo img")["alt"] == "Ada Lovelace"
    assert "Ada writes about engines." in page.select_one(".profile-bio").get_text()
    links = {a.get_text(): a["href"] for a in page.select(".profile-links a")}
    assert links == {"ada@example.org": "mailto:ada@example.org",
                     "Mastodon": "https://example.social/@ada"}
    assert [a.get_text() for a in page.select(".card-title a")] == ["Three", "Two"]
    second = soup(desk / "authors/ada/page/2/index.html")
    assert [a.get_text() for a in second.select(".card-title a")] == ["One"]
    assert second.select_one(".profile-bio") is None  # the bio is on the first page only
    person = jsonld(page)["mainEntity"]
    assert jsonld(page)["@type"] == "ProfilePage"
    assert person == {"@type": "Person", "name": "Ada Lovelace",
                      "url": "https://news.example.org/authors/ada/",
                      "jobTitle": "Science editor", "description": "Ada writes about engines.",
                      "image": "https://news.example.org/media/ada.png",
                      "sameAs": ["https://example.social/@ada"]}


def test_each_author_has_rss_and_atom_feeds_of_their_articles_linked_from_their_page(desk):
    page = soup(desk / "authors/ada/index.html")
    alternates = {link["type"]: link["href"] for link in page.find_all("link", rel="alternate")
                  if "Ada" in link["title"]}
    assert alternates == {"application/rss+xml": "/authors/ada/feed.xml",
                          "application/atom+xml": "/authors/ada/atom.xml"}
    for name, version in (("feed.xml", "rss20"), ("atom.xml", "atom10")):
        feed = feedparser.parse((desk / "authors/ada" / name).read_bytes())
        assert not feed.bozo and feed.version == version
        assert [e.title for e in feed.entries] == ["Three", "Two", "One"]
    atom = feedparser.parse((desk / "authors/ada/atom.xml").read_bytes())
    assert [a.get("href") for a in atom.entries[1].authors] == [
        "https://news.example.org/authors/ada/", None]


def test_the_authors_index_lists_every_profile(desk):
    page = soup(desk / "authors/index.html")
    assert [(a.get_text(), a["href"]) for a in page.select(".card-title a")] == [
        ("Ada Lovelace", "/authors/ada/"), ("Grace Hopper", "/authors/grace-hopper/")]


def test_a_profile_with_mistakes_says_which_line_and_what_to_write(tmp_path):
    config = write_site(tmp_path, {"content/authors/ada.yaml": (
        "role: Editor\nemail: ada at example\nlinks:\n  - title: Site\n    url: example.org\n"
        "bioo: Hello\n")})
    with pytest.raises(BuildError) as caught:
        build_site(config, now=NOW)
    assert sorted(str(p) for p in caught.value.problems) == [
        "content/authors/ada.yaml:1: name: missing (add name: \"Ada Lovelace\")",
        "content/authors/ada.yaml:2: email: 'ada at example' is not an e-mail address "
        "(write name@example.org)",
        "content/authors/ada.yaml:5: links: item 1: url: 'example.org' is not a full web "
        "address (write https://example.org/page)",
        "content/authors/ada.yaml:6: unknown key 'bioo' (did you mean 'bio'?)"]


def test_two_profiles_of_one_name_are_a_problem(tmp_path):
    config = write_site(tmp_path, {"content/authors/ada.yaml": "name: Ada Lovelace\n",
                                   "content/authors/ada-l.yaml": "name: ada lovelace\n"})
    with pytest.raises(BuildError) as caught:
        build_site(config, now=NOW)
    assert [str(p) for p in caught.value.problems] == [
        "content/authors/ada.yaml:1: author name 'ada lovelace' is also used by "
        "content/authors/ada-l.yaml:1; give each profile its own name: (a byline finds a "
        "profile by it)"]


def test_a_profile_s_old_address_leads_to_its_page_and_check_names_a_lost_one(
        tmp_path, capsys, monkeypatch):
    write_site(tmp_path, {"content/authors/ada.yaml": "name: Ada Lovelace\n",
                          "content/news/2024-05-01-x.md": article("X", author="ada")})
    monkeypatch.chdir(tmp_path)
    assert main(["build", "-q"]) == 0
    assert "/authors/ada/\tcontent/authors/ada.yaml" in (
        tmp_path / "published-urls.txt").read_text()
    (tmp_path / "content/authors/ada.yaml").rename(tmp_path / "content/authors/ada-l.yaml")
    (tmp_path / "content/news/2024-05-01-x.md").write_text(article("X", author="ada-l"))
    capsys.readouterr()
    assert main(["check"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "content/authors/ada-l.yaml:1: its address was /authors/ada/ (published before); add "
        "aliases: [/authors/ada/] to keep that address working (newsroom check --fix adds it)")
    assert main(["check", "--fix"]) == 0
    assert "aliases:" in (tmp_path / "content/authors/ada-l.yaml").read_text()
    assert main(["build", "-q"]) == 0
    page = soup(tmp_path / "public/authors/ada/index.html")
    assert page.find("link", rel="canonical")["href"] == \
        "https://news.example.org/authors/ada-l/"


def test_author_and_authors_together_is_a_problem(tmp_path):
    config = write_site(tmp_path, {"content/news/2024-05-01-x.md": article(
        "X", author="Ada", authors=["Bob"])})
    with pytest.raises(BuildError) as caught:
        build_site(config, now=NOW)
    assert [str(p) for p in caught.value.problems] == [
        "content/news/2024-05-01-x.md:5: give author: (one) or authors: (a list), not both"]


def test_check_warns_of_a_byline_close_to_a_profile_with_did_you_mean(tmp_path, capsys,
                                                                       monkeypatch):
    write_site(tmp_path, {
        "content/authors/ada.yaml": "name: Ada Lovelace\n",
        "content/news/2024-05-01-x.md": article("X", author="Ada Lovelase"),
        "content/news/2024-05-02-y.md": article("Y", author="Someone Else")})
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 0
    warnings = capsys.readouterr().err.strip().splitlines()
    assert warnings == [
        "content/news/2024-05-01-x.md:4: warning: author 'Ada Lovelase' has no profile (did "
        "you mean 'Ada Lovelace', content/authors/ada.yaml? write 'ada')"]
