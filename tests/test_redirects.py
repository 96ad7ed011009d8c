"""Expiry and addresses that never break: an expired article or event leaves every page,
feed, sitemap and calendar and its address leads to its section; an alias leads to its
record; a redirect that would hide a page, loop or lead to itself is a problem."""

from __future__ import annotations

from datetime import timedelta

import feedparser
import pytest
from conftest import NOW, article, soup, write_site

from newsroom.build import build_site
from newsroom.problems import BuildError
from newsroom.site import coming_changes, next_change

LAPSED = (NOW - timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
SOON = (NOW + timedelta(days=2)).strftime("%Y-%m-%d %H:%M")


def refresh_target(page) -> str:
    """Where a redirect page sends the reader, checked to say it the three ways it must."""
    content = page.find("meta", attrs={"http-equiv": "refresh"})["content"]
    target = content.split("url=", 1)[1]
    assert page.find("link", rel="canonical")["href"] == target
    assert page.find("main").find("a")["href"] == target
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    return target


def leads(public, paths: list[str]) -> list[str]:
    """Where the redirect page at each path (a folder's index.html, or a file) leads."""
    return [refresh_target(soup(public / (path + "index.html" if path.endswith("/") else path)))
            for path in paths]


@pytest.fixture
def notices(tmp_path):
    files = {
        "content/news/2024-05-01-lapsed.md": article("Lapsed notice", "2024-05-01",
                                                     expires=LAPSED, tags=["notices"],
                                                     aliases=["/old-lapsed/"]),
        "content/news/2024-05-02-kept.md": article("Kept", "2024-05-02", expires=SOON),
        "content/events/gone.yaml": f"title: Gone fair\nstart: 2027-03-01 10:00\n"
                                    f"expires: {LAPSED}\n",
        "content/events/coming.yaml": "title: Coming fair\nstart: 2027-04-01 10:00\n",
    }
    config = write_site(tmp_path, files)
    report = build_site(config, now=NOW)
    return tmp_path / "public", report


def everything_but_redirects(public) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in public.rglob("*")
                   if p.is_file() and p.suffix in (".html", ".xml", ".ics", ".txt")
                   and "refresh" not in p.read_text(encoding="utf-8"))


def test_an_expired_article_or_event_is_off_every_page_feed_sitemap_and_calendar(notices):
    public, _ = notices
    shown = everything_but_redirects(public)
    assert "Kept" in shown and "Coming fair" in shown
    assert "Lapsed notice" not in shown and "/news/lapsed/" not in shown
    assert "Gone fair" not in shown and "/events/gone/" not in shown
    assert not (public / "tag/notices").exists()


def test_an_expired_records_address_and_aliases_lead_to_its_section(notices):
    public, _ = notices
    assert leads(public, ["news/lapsed/", "old-lapsed/", "events/gone/"]) == [
        "https://news.example.org/news/", "https://news.example.org/news/",
        "https://news.example.org/events/"]
    assert (public / "_redirects").read_text().splitlines() == [
        "/news/lapsed/ /news/ 302", "/old-lapsed/ /news/ 302", "/events/gone/ /events/ 302"]


def test_an_expired_article_leads_to_its_categorys_page_while_it_has_one(tmp_path):
    files = {"content/news/2024-05-01-gone.md": article("Gone", category="Notices",
                                                        expires=LAPSED),
             "content/news/2024-05-02-kept.md": article("Kept", category="Notices"),
             "content/news/2024-05-03-alone.md": article("Alone", category="Lonely",
                                                         expires=LAPSED)}
    build_site(write_site(tmp_path, files), now=NOW)
    public = tmp_path / "public"
    assert refresh_target(soup(public / "news/gone/index.html")) == \
        "https://news.example.org/category/notices/"
    assert refresh_target(soup(public / "news/alone/index.html")) == \
        "https://news.example.org/news/"


def test_a_coming_expiry_is_on_the_schedule_and_dates_the_next_rebuild(notices):
    _, report = notices
    expiries = [(c.what, c.title) for c in coming_changes(report.site) if "expires" in c.what]
    assert expiries == [("article expires", "Kept")]
    assert next_change(report.site).what == "article expires"


def test_an_expiry_not_after_the_articles_date_is_a_problem(tmp_path):
    assert problems_of(tmp_path, {"content/news/2024-05-01-a.md": article(
        "A", "2024-05-01 10:00", expires="2024-05-01")}) == [
        "content/news/2024-05-01-a.md:4: expires: 2024-05-01 is not after the article's "
        "date; write a later moment, or delete it"]


def test_an_article_named_by_an_expired_event_or_naming_one_still_builds(tmp_path):
    files = {"content/news/2024-05-01-a.md": article("A", related_events=["gone"]),
             "content/events/gone.yaml": f"title: Gone\nstart: 2027-03-01 10:00\n"
                                         f"expires: {LAPSED}\nrelated: [a]\n"}
    build_site(write_site(tmp_path, files), now=NOW)
    assert "Gone" not in (tmp_path / "public/news/a/index.html").read_text()


def test_each_alias_is_a_redirect_page_and_a_line_of_redirects(tmp_path):
    files = {
        "content/news/2024-05-01-moved.md": article(
            "Moved", aliases=["/news/old-headline/", "/2019/05/moved.html", "/old-folder"]),
        "content/pages/about.md": "---\ntitle: About\naliases: /about-us/\n---\n\nUs.\n",
        "content/events/fair.yaml": "title: Fair\nstart: 2027-03-01 10:00\n"
                                    "aliases: [/events/old-fair/]\n",
    }
    build_site(write_site(tmp_path, files, {"base_url": "https://example.org/site/"}), now=NOW)
    public = tmp_path / "public"
    assert leads(public, ["news/old-headline/", "2019/05/moved.html", "old-folder/",
                          "about-us/", "events/old-fair/"]) == [
        *["https://example.org/site/news/moved/"] * 3, "https://example.org/site/about/",
        "https://example.org/site/events/fair/"]
    assert (public / "_redirects").read_text().splitlines() == [
        "/site/news/old-headline/ /site/news/moved/ 301",
        "/site/2019/05/moved.html /site/news/moved/ 301",
        "/site/old-folder/ /site/news/moved/ 301",
        "/site/events/old-fair/ /site/events/fair/ 301",
        "/site/about-us/ /site/about/ 301"]
    # Redirect pages are not pages to index or to list.
    assert "old-headline" not in (public / "sitemap.xml").read_text()
    feed = feedparser.parse((public / "feed.xml").read_bytes())
    assert [e.title for e in feed.entries] == ["Moved"]


def test_a_site_without_redirects_has_no_redirects_file(tmp_path):
    build_site(write_site(tmp_path, {"content/news/2024-05-01-a.md": article("A")}), now=NOW)
    assert not (tmp_path / "public/_redirects").exists()


def problems_of(tmp_path, files) -> list[str]:
    with pytest.raises(BuildError) as caught:
        build_site(write_site(tmp_path, files), now=NOW)
    return sorted(str(p) for p in caught.value.problems)


def test_a_redirect_to_itself_to_a_page_or_twice_claimed_is_a_problem(tmp_path):
    assert problems_of(tmp_path, {
        "content/news/2024-05-01-a.md": article("A", aliases=["/news/a/", "/shared/"]),
        "content/news/2024-05-02-b.md": article("B", aliases=["/about/", "/shared/"]),
        "content/pages/about.md": "---\ntitle: About\n---\n\nUs.\n",
    }) == [
        "content/news/2024-05-01-a.md:4: aliases: /news/a/ is this article's own address; "
        "delete it",
        "content/news/2024-05-02-b.md:4: aliases: /about/ is the address of "
        "content/pages/about.md, which a redirect would hide; delete it, or give that page "
        "another slug:",
        "content/news/2024-05-02-b.md:4: aliases: /shared/ is also an old address of "
        "content/news/2024-05-01-a.md; keep it in one of them"]


def test_two_aliases_that_lead_to_each_other_are_a_loop(tmp_path):
    assert problems_of(tmp_path, {
        "content/news/2024-05-01-a.md": article("A", aliases=["/news/b/"]),
        "content/news/2024-05-02-b.md": article("B", aliases=["/news/a/"]),
    }) == [
        "content/news/2024-05-01-a.md:4: aliases: /news/b/ leads to /news/a/, which leads back "
        "to /news/b/: a loop; delete one of the two",
        "content/news/2024-05-02-b.md:4: aliases: /news/a/ leads to /news/b/, which leads back "
        "to /news/a/: a loop; delete one of the two"]


def test_an_alias_that_is_not_a_path_on_the_site_says_what_to_write(tmp_path):
    def mistake(alias: str) -> list[str]:
        return problems_of(tmp_path, {"content/news/2024-05-01-a.md": article(
            "A", aliases=[alias])})

    assert mistake("https://old.example.org/a") == [
        "content/news/2024-05-01-a.md:4: aliases: 'https://old.example.org/a' is not an "
        "address on this site (write it from the site's root, like /news/an-old-headline/)"]
    for sneaky in ("/news/../a/", "/%2E%2E/%2e%2E/a/", "/news//a/", "/a%2Fb/"):
        assert mistake(sneaky) == [
            f"content/news/2024-05-01-a.md:4: aliases: '{sneaky}' may not contain '.', '..' "
            "or empty parts (write /news/an-old-headline/)"], sneaky
    assert mistake("/feed.xml") == [
        "content/news/2024-05-01-a.md:4: aliases: '/feed.xml' is a file that a redirect page "
        "cannot stand in for (write an address such as /news/an-old-headline/ or "
        "/old-page.html)"]


def test_an_alias_in_another_script_is_the_same_address_as_the_page(tmp_path):
    assert problems_of(tmp_path, {"content/news/2024-05-01-новости.md": article(
        "A", aliases=["/news/новости/"])}) == [
        "content/news/2024-05-01-новости.md:4: aliases: "
        "/news/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/ is this article's own address; "
        "delete it"]
