"""pages.py: every address on the site comes from Urls, and plan_pages decides what exists."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import NOW, article, soup, write_site

from newsroom.build import build_site
from newsroom.config import load_config
from newsroom.content import read_content
from newsroom.pages import Page, Urls, plan_pages, site_urls
from newsroom.problems import BuildError
from newsroom.site import Site, assemble_site

BASES = [("https://news.example.org/", "/"), ("https://example.org/site/", "/site/")]

# 'новини-дня' as it appears in an address.
NEWS_OF_THE_DAY = "%D0%BD%D0%BE%D0%B2%D0%B8%D0%BD%D0%B8-%D0%B4%D0%BD%D1%8F"


def assembled(root: Path, files: dict[str, str], config: dict | None = None) -> Site:
    """The Site of a tiny site written from dicts (addresses need no rendered Markdown)."""
    settings = load_config(write_site(root, files, config))
    content, problems = read_content(settings)
    assert problems == []
    return assemble_site(settings, content, now=NOW)


def numbered_articles(count: int) -> dict[str, str]:
    """`count` articles, one a day from 2024-05-01, with slugs a1, a2, ..."""
    return {f"content/news/2024-05-{n:02d}-a{n}.md": article(f"Article {n}", f"2024-05-{n:02d}")
            for n in range(1, count + 1)}


def pages_at(pages: list[Page], prefix: str) -> list[Page]:
    """The planned pages whose URL starts with prefix, in plan order."""
    return [p for p in pages if p.url.startswith(prefix)]


# Urls -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("base_url", "base"), BASES)
def test_urls_of_every_kind_start_with_the_base_path(tmp_path: Path, base_url: str,
                                                     base: str) -> None:
    site = assembled(tmp_path, {
        "content/news/2024-05-01-hello.md": article("Hello", category="People & places",
                                                    tags=["Life sciences"]),
        "content/events/2027-04-01-talk.yaml": "title: Talk\nstart: 2027-04-01 18:30\n",
        "content/pages/about.md": "---\ntitle: About us\n---\n\nWho we are.\n",
    }, {"base_url": base_url})
    urls = site_urls(site)
    [hello], [talk], [about] = site.articles, site.events, site.pages
    [category], [tag] = site.categories, site.tags

    assert urls == Urls(base_url, base)
    assert urls.home() == base
    assert urls.news() == f"{base}news/"
    assert urls.news(1) == f"{base}news/"
    assert urls.news(2) == f"{base}news/page/2/"
    assert urls.article(hello) == f"{base}news/hello/"
    assert urls.category(category) == f"{base}category/people-places/"
    assert urls.category(category, 3) == f"{base}category/people-places/page/3/"
    assert urls.category_feed(category) == f"{base}category/people-places/feed.xml"
    assert urls.tag(tag) == f"{base}tag/life-sciences/"
    assert urls.tag(tag, 2) == f"{base}tag/life-sciences/page/2/"
    assert urls.year(2024) == f"{base}archive/2024/"
    assert urls.events() == f"{base}events/"
    assert urls.events(2) == f"{base}events/page/2/"
    assert urls.event(talk) == f"{base}events/2027-04-01-talk/"
    assert urls.event_ics(talk) == f"{base}events/2027-04-01-talk/2027-04-01-talk.ics"
    assert urls.calendar() == f"{base}events/calendar.ics"
    assert urls.page(about) == f"{base}about/"
    assert urls.feed() == f"{base}feed.xml"
    assert urls.atom() == f"{base}atom.xml"
    assert urls.asset("static/style.css") == f"{base}static/style.css"
    assert urls.asset("media/photo.jpg") == f"{base}media/photo.jpg"
    assert urls.not_found() == f"{base}404.html"
    assert urls.sitemap() == f"{base}sitemap.xml"
    assert urls.robots() == f"{base}robots.txt"


@pytest.mark.parametrize(("base_url", "base"), BASES)
def test_absolute_urls_join_the_site_address(base_url: str, base: str) -> None:
    urls = Urls(base_url, base)
    assert urls.absolute(urls.home()) == base_url
    assert urls.absolute(urls.news(2)) == f"{base_url}news/page/2/"
    assert urls.absolute(urls.feed()) == f"{base_url}feed.xml"


def test_editor_links_get_the_base_path_and_full_addresses_are_kept() -> None:
    at_root = Urls("https://news.example.org/", "/")
    under_site = Urls("https://example.org/site/", "/site/")
    assert at_root.site_link("/about/") == "/about/"
    assert under_site.site_link("/about/") == "/site/about/"
    assert under_site.site_link("/media/photo.jpg") == "/site/media/photo.jpg"
    assert under_site.site_link("https://example.com/x") == "https://example.com/x"


def test_asset_paths_with_spaces_are_percent_encoded_but_not_their_files() -> None:
    urls = Urls("https://example.org/site/", "/site/")
    assert urls.asset("media/team photo.jpg") == "/site/media/team%20photo.jpg"
    assert urls.output_path(urls.asset("media/team photo.jpg")) == "media/team photo.jpg"


@pytest.mark.parametrize(("url", "path"), [
    ("/site/", "index.html"),
    ("/site/news/", "news/index.html"),
    ("/site/news/page/2/", "news/page/2/index.html"),
    ("/site/news/hello/", "news/hello/index.html"),
    ("/site/feed.xml", "feed.xml"),
    ("/site/category/notices/feed.xml", "category/notices/feed.xml"),
    ("/site/events/calendar.ics", "events/calendar.ics"),
    ("/site/events/x/x.ics", "events/x/x.ics"),
    ("/site/404.html", "404.html"),
    (f"/site/news/{NEWS_OF_THE_DAY}/", "news/новини-дня/index.html"),
])
def test_output_path_maps_a_url_under_the_base_path_to_its_file(url: str, path: str) -> None:
    assert Urls("https://example.org/site/", "/site/").output_path(url) == path


def test_output_path_at_the_root_of_the_host() -> None:
    urls = Urls("https://news.example.org/", "/")
    assert urls.output_path("/") == "index.html"
    assert urls.output_path("/news/") == "news/index.html"
    assert urls.output_path("/atom.xml") == "atom.xml"


def test_unicode_slugs_are_percent_encoded_in_urls_but_not_in_file_names(tmp_path: Path) -> None:
    site = assembled(tmp_path, {
        "content/news/2024-05-01-новини-дня.md": article("Новини дня", tags=["日本"]),
        "content/events/2027-01-01-зустріч.yaml": "title: Зустріч\nstart: 2027-01-01 10:00\n",
    }, {"base_url": "https://example.org/site/"})
    urls = site_urls(site)
    [news], [meeting], [tag] = site.articles, site.events, site.tags

    assert news.slug == "новини-дня"
    assert urls.article(news) == f"/site/news/{NEWS_OF_THE_DAY}/"
    assert urls.output_path(urls.article(news)) == "news/новини-дня/index.html"
    assert urls.absolute(urls.article(news)) == (
        f"https://example.org/site/news/{NEWS_OF_THE_DAY}/")
    assert urls.tag(tag) == "/site/tag/%E6%97%A5%E6%9C%AC/"
    assert urls.output_path(urls.tag(tag)) == "tag/日本/index.html"
    encoded = "2027-01-01-%D0%B7%D1%83%D1%81%D1%82%D1%80%D1%96%D1%87"
    assert urls.event(meeting) == f"/site/events/{encoded}/"
    assert urls.event_ics(meeting) == f"/site/events/{encoded}/{encoded}.ics"
    assert urls.output_path(urls.event_ics(meeting)) == (
        "events/2027-01-01-зустріч/2027-01-01-зустріч.ics")


def test_a_unicode_article_link_leads_to_the_written_file(tmp_path: Path) -> None:
    config = write_site(tmp_path / "site", {
        "content/news/2024-05-01-новини-дня.md": article("Новини дня"),
    })
    build_site(config, now=NOW)
    public = tmp_path / "site" / "public"
    links = [a["href"] for a in soup(public / "news" / "index.html").select(".card-title a")]
    assert links == [f"/news/{NEWS_OF_THE_DAY}/"]
    page = soup(public / "news" / "новини-дня" / "index.html")
    assert page.h1.get_text() == "Новини дня"


# plan_pages -------------------------------------------------------------------------------


def test_a_small_site_plans_exactly_its_pages(tmp_path: Path) -> None:
    site = assembled(tmp_path, {
        **numbered_articles(3),
        "content/pages/about.md": "---\ntitle: About\n---\n\nAbout us.\n",
    }, {"per_page": 2})
    pages = plan_pages(site)
    bulletins = sorted({p.url for p in pages if p.url.startswith("/bulletin/")})
    assert bulletins[-1] == "/bulletin/latest/" and len(bulletins) > 1
    assert sorted(p.url for p in pages) == sorted([
        "/", "/news/", "/news/page/2/", "/news/a1/", "/news/a2/", "/news/a3/",
        "/archive/2024/", "/events/", "/about/", "/404.html", *bulletins,
    ])
    assert len(pages) == 10 + len(bulletins)
    templates = {p.url: p.template for p in pages}
    assert templates["/"] == "home.html"
    assert templates["/news/page/2/"] == "list.html"
    assert templates["/news/a1/"] == "article.html"
    assert templates["/events/"] == "events.html"
    assert templates["/about/"] == "page.html"
    assert templates["/404.html"] == "404.html"
    assert templates["/bulletin/latest/"] == "bulletin.html"


def test_pages_made_from_content_name_their_source_file(tmp_path: Path) -> None:
    site = assembled(tmp_path, {
        **numbered_articles(1),
        "content/events/2027-04-01-talk.yaml": "title: Talk\nstart: 2027-04-01 18:30\n",
        "content/pages/about.md": "---\ntitle: About\n---\n\nAbout us.\n",
    })
    sources = {p.url: p.source for p in plan_pages(site)}
    assert sources["/news/a1/"] == "content/news/2024-05-01-a1.md"
    assert sources["/events/2027-04-01-talk/"] == "content/events/2027-04-01-talk.yaml"
    assert sources["/about/"] == "content/pages/about.md"


@pytest.mark.parametrize(("base_url", "base"), BASES)
def test_news_pagination_splits_items_and_links_neighbours(tmp_path: Path, base_url: str,
                                                          base: str) -> None:
    site = assembled(tmp_path, numbered_articles(5), {"per_page": 2, "base_url": base_url})
    news = [p for p in plan_pages(site) if p.template == "list.html"
            and p.url.startswith(f"{base}news/")]
    assert [p.url for p in news] == [f"{base}news/", f"{base}news/page/2/",
                                     f"{base}news/page/3/"]
    first, second, third = (p.context["pagination"] for p in news)
    assert [a.slug for a in first.items] == ["a5", "a4"]
    assert [a.slug for a in second.items] == ["a3", "a2"]
    assert [a.slug for a in third.items] == ["a1"]
    assert (first.number, second.number, third.number) == (1, 2, 3)
    assert {first.total, second.total, third.total} == {3}
    assert (first.prev_url, first.next_url) == (None, f"{base}news/page/2/")
    assert (second.prev_url, second.next_url) == (f"{base}news/", f"{base}news/page/3/")
    assert (third.prev_url, third.next_url) == (f"{base}news/page/2/", None)
    assert first.numbers == ((1, f"{base}news/"), (2, f"{base}news/page/2/"),
                             (3, f"{base}news/page/3/"))
    assert second.numbers == first.numbers


def test_long_lists_link_the_first_last_and_nearby_pages_with_gaps_between() -> None:
    from newsroom.pages import _page_numbers

    def url_of(n: int) -> str:
        return f"/news/page/{n}/"

    assert [n for n, _ in _page_numbers(1, 500, url_of)] == [1, 2, 3, 0, 500]
    assert [n for n, _ in _page_numbers(250, 500, url_of)] == [1, 0, 248, 249, 250, 251, 252,
                                                              0, 500]
    assert [n for n, _ in _page_numbers(4, 5, url_of)] == [1, 2, 3, 4, 5]
    assert _page_numbers(1, 1, url_of) == ((1, "/news/page/1/"),)


def test_category_and_tag_lists_are_paginated_under_their_own_address(tmp_path: Path) -> None:
    files = {f"content/news/2024-05-0{n}-a{n}.md": article(f"A{n}", f"2024-05-0{n}",
                                                          category="Notices", tags=["alpha"])
             for n in range(1, 4)}
    site = assembled(tmp_path, files, {"per_page": 2})
    pages = plan_pages(site)
    category = pages_at(pages, "/category/")
    assert [p.url for p in category] == ["/category/notices/", "/category/notices/page/2/",
                                         "/category/"]
    assert category[0].context["pagination"].next_url == "/category/notices/page/2/"
    assert category[1].context["pagination"].prev_url == "/category/notices/"
    assert [a.slug for a in category[1].context["pagination"].items] == ["a1"]
    assert [p.url for p in pages_at(pages, "/tag/")] == ["/tag/alpha/", "/tag/alpha/page/2/",
                                                          "/tag/"]


def test_a_site_without_articles_still_has_one_news_page(tmp_path: Path) -> None:
    site = assembled(tmp_path, {"content/pages/about.md": "---\ntitle: About\n---\n\nHi.\n"})
    [news] = pages_at(plan_pages(site), "/news/")
    pagination = news.context["pagination"]
    assert (pagination.number, pagination.total, pagination.items) == (1, 1, ())
    assert (pagination.prev_url, pagination.next_url) == (None, None)


def test_the_built_news_list_links_to_the_next_page_under_the_base_path(tmp_path: Path) -> None:
    config = write_site(tmp_path / "site", numbered_articles(3),
                        {"per_page": 2, "base_url": "https://example.org/site/"})
    build_site(config, now=NOW)
    public = tmp_path / "site" / "public"
    first = soup(public / "news" / "index.html")
    second = soup(public / "news" / "page" / "2" / "index.html")
    assert first.find("a", rel="next")["href"] == "/site/news/page/2/"
    assert first.find("a", rel="prev") is None
    assert second.find("a", rel="prev")["href"] == "/site/news/"
    assert second.find("a", rel="next") is None


@pytest.mark.parametrize(("slug", "taken_by"), [("news", "list"), ("events", "events")])
def test_a_static_page_on_a_section_address_is_an_error_naming_its_file(
        tmp_path: Path, slug: str, taken_by: str) -> None:
    site = assembled(tmp_path, {
        **numbered_articles(1),
        "content/pages/section.md": f"---\ntitle: Our section\nslug: {slug}\n---\n\nHi.\n",
    })
    with pytest.raises(BuildError) as caught:
        plan_pages(site)
    assert [str(p) for p in caught.value.problems] == [
        f"content/pages/section.md: its address /{slug}/ is already taken by the {taken_by} "
        "page; give it another slug:"]


def test_a_page_named_like_a_section_stops_the_build_before_anything_is_written(
        tmp_path: Path) -> None:
    config = write_site(tmp_path / "site", {
        **numbered_articles(1),
        "content/pages/news.md": "---\ntitle: News about us\n---\n\nHi.\n",
    })
    with pytest.raises(BuildError) as caught:
        build_site(config, now=NOW)
    assert [str(p) for p in caught.value.problems] == [
        "content/pages/news.md: its address /news/ is already taken by the list page; "
        "give it another slug:"]
    assert not (tmp_path / "site" / "public").exists()


def test_terms_share_one_address_whatever_their_spelling(tmp_path: Path) -> None:
    site = assembled(tmp_path, {
        "content/news/2024-05-01-a.md": article("A", "2024-05-01", category="Life sciences"),
        "content/news/2024-05-02-b.md": article("B", "2024-05-02", category="life Sciences"),
    })
    assert [(t.slug, len(t.articles)) for t in site.categories] == [("life-sciences", 2)]
    assert [p.url for p in pages_at(plan_pages(site), "/category/")] == [
        "/category/life-sciences/", "/category/"]


def test_every_list_shows_the_archive_years_and_marks_the_year_whose_page_it_is(
        tmp_path: Path) -> None:
    files = {f"content/news/{year}-05-01-a{year}.md": article(f"Of {year}", f"{year}-05-01")
             for year in (2022, 2023, 2024)}
    files["content/news/2024-06-01-b.md"] = article("Also 2024", "2024-06-01")
    config = write_site(tmp_path / "site", files,
                        {"per_page": 1, "base_url": "https://example.org/site/"})
    build_site(config, now=NOW)
    public = tmp_path / "site" / "public"

    def archive(page: str) -> list[tuple[str, str, str | None]]:
        nav = soup(public / page / "index.html").find("nav", class_="archive-years")
        return [(a["href"], a.parent.get_text(" ", strip=True), a.get("aria-current"))
                for a in nav.find_all("a")]

    years = [("/site/archive/2024/", "2024 (2)"), ("/site/archive/2023/", "2023 (1)"),
             ("/site/archive/2022/", "2022 (1)")]
    assert archive("news") == [(href, text, None) for href, text in years]
    assert archive("archive/2023") == [
        (href, text, "page" if "2023" in href else None) for href, text in years]
    assert archive("archive/2024") == [
        (href, text, "page" if "2024" in href else None) for href, text in years]
    assert archive("news/page/2") == [(href, text, None) for href, text in years]


def test_the_menu_marks_the_item_whose_page_it_is_on_and_no_other(
        basepath_site: Path) -> None:
    # The masthead is rendered once per menu item (and once for other pages): each page
    # must still get its own.
    public = basepath_site

    def menu(page: str) -> list[tuple[str, str | None]]:
        nav = soup(public / page / "index.html").find("nav", attrs={"aria-label": "Main"})
        return [(a["href"], a.get("aria-current")) for a in nav.find_all("a")]

    items = ["/site/news/", "/site/events/", "/site/about/"]
    for page, current in (("news", "/site/news/"), ("events", "/site/events/"),
                          ("about", "/site/about/"), ("news/page/2", None), ("", None)):
        assert menu(page) == [(href, "page" if href == current else None) for href in items]
    footer = soup(public / "about" / "index.html").find("footer", class_="site-footer")
    assert [a["href"] for a in footer.find_all("a")] == [
        "/site/feed.xml", "/site/atom.xml", "/site/events/calendar.ics"]


LEAD = {"image": "/media/hall.svg", "image_alt": "The main hall, full",
        "image_caption": "The opening session.", "image_credit": "Ada Lens"}


@pytest.mark.parametrize("kind", ["article", "event"])
def test_a_lead_image_is_shown_with_its_caption_and_credit_and_shared(tmp_path, kind):
    files = {"content/media/hall.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>',
             "content/news/2024-05-01-a.md": article("A", **LEAD),
             "content/events/2027-01-01-talk.yaml": yaml.safe_dump(
                 {"title": "Talk", "start": "2027-01-01 10:00", **LEAD})}
    build_site(write_site(tmp_path, files), now=NOW)
    page = soup(tmp_path / "public" / ("news/a" if kind == "article" else
                                       "events/2027-01-01-talk") / "index.html")
    figure = page.select_one("main figure.lead-image")
    assert figure.img["src"] == "/media/hall.svg"
    assert figure.img["alt"] == "The main hall, full"
    assert " ".join(figure.figcaption.get_text().split()) == \
        "The opening session. Picture: Ada Lens"
    assert figure.figcaption.select_one(".credit").get_text() == "Picture: Ada Lens"
    image = "https://news.example.org/media/hall.svg"
    assert page.find("meta", property="og:image")["content"] == image
    assert page.find("meta", property="og:image:alt")["content"] == "The main hall, full"
    [data] = [json.loads(s.string) for s in page.find_all("script", type="application/ld+json")]
    assert data["image"] == [image]


def test_a_decorative_lead_image_has_an_empty_alternative_and_no_caption(tmp_path):
    files = {"content/media/line.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>',
             "content/news/2024-05-01-a.md": article("A", image="/media/line.svg",
                                                     image_alt="")}
    build_site(write_site(tmp_path, files), now=NOW)
    figure = soup(tmp_path / "public/news/a/index.html").select_one("figure.lead-image")
    assert figure.img["alt"] == ""
    assert figure.figcaption is None


def test_the_home_page_leads_with_the_newest_featured_story(tmp_path):
    files = {"content/media/hall.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>',
             "content/news/2024-05-03-newest.md": article("Newest", "2024-05-03"),
             "content/news/2024-05-02-featured.md": article(
                 "Featured", "2024-05-02", featured=True, category="Reports", **LEAD),
             "content/news/2024-05-01-older.md": article("Older featured", "2024-05-01",
                                                         featured=True)}
    build_site(write_site(tmp_path, files), now=NOW)
    home = soup(tmp_path / "public/index.html")
    lead = home.select_one(".lead-story")
    assert lead.select_one(".lead-story-title").get_text() == "Featured"
    assert lead.img["alt"] == "The main hall, full"
    assert lead.select_one(".kicker a")["href"] == "/category/reports/"
    assert [t.get_text() for t in home.select(".home-news .card .card-title")] == [
        "Newest", "Older featured"]


def test_without_a_featured_story_the_newest_leads(tmp_path):
    files = {"content/news/2024-05-03-newest.md": article("Newest", "2024-05-03"),
             "content/news/2024-05-01-older.md": article("Older", "2024-05-01")}
    build_site(write_site(tmp_path, files), now=NOW)
    home = soup(tmp_path / "public/index.html")
    assert home.select_one(".lead-story-title").get_text() == "Newest"
    assert home.select_one(".lead-story img") is None
    assert [t.get_text() for t in home.select(".card-title")] == ["Older"]


def test_cards_show_the_lead_image_as_a_thumbnail(tmp_path):
    files = {"content/media/hall.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>',
             "content/news/2024-05-02-a.md": article("Pictured", "2024-05-02", **LEAD),
             "content/news/2024-05-01-b.md": article("Plain", "2024-05-01")}
    build_site(write_site(tmp_path, files), now=NOW)
    cards = {c.select_one(".card-title").get_text(): c
             for c in soup(tmp_path / "public/news/index.html").select("article.card")}
    # (Beside the headline that names it, the thumbnail says nothing more: alt="". It is
    # the page's first picture: not loaded lazily.)
    assert cards["Pictured"].picture["class"] == ["card-image"]
    assert cards["Pictured"].img.attrs == {"src": "/media/hall.svg", "alt": "",
                                           "decoding": "async"}
    assert cards["Plain"].img is None


def related_titles(public, slug: str) -> list[str]:
    """The titles an article's page lists under "Related stories", in order."""
    aside = soup(public / f"news/{slug}/index.html").select_one("aside")
    if aside is None:
        return []
    assert aside.select_one("#nr-related-stories").get_text() == "Related stories"
    return [a.get_text() for a in aside.select(".more-list a")]


def test_related_stories_share_the_most_tags_and_category_newest_first_then_the_nearest(
        tmp_path):
    files = {
        "content/news/2024-05-01-base.md": article("Base", "2024-05-01", category="Reports",
                                                   tags=["alpha", "beta"]),
        # Shares the category and both tags: the most related, though the oldest.
        "content/news/2024-04-01-twin.md": article("Twin", "2024-04-01", category="Reports",
                                                   tags=["alpha", "beta"]),
        # Two shared terms each: the newer first.
        "content/news/2024-04-10-pair-old.md": article("Pair old", "2024-04-10",
                                                       category="Reports", tags=["alpha"]),
        "content/news/2024-04-20-pair-new.md": article("Pair new", "2024-04-20",
                                                       tags=["alpha", "beta"]),
        # One shared term each: only the newest fits in the four.
        "content/news/2024-03-01-one-a.md": article("One a", "2024-03-01", tags=["beta"]),
        "content/news/2024-03-02-one-b.md": article("One b", "2024-03-02", category="Reports"),
        "content/news/2024-06-01-unrelated.md": article("Unrelated", "2024-06-01",
                                                        category="Notices", tags=["gamma"]),
    }
    build_site(write_site(tmp_path, files), now=NOW)
    public = tmp_path / "public"
    assert related_titles(public, "base") == ["Twin", "Pair new", "Pair old", "One b"]
    # Nothing shared: the nearest in time, older first (not the newest: then each new article
    # would change every such page).
    assert related_titles(public, "unrelated") == ["Base", "Pair new", "Pair old", "Twin"]


def test_related_names_articles_to_show_first(tmp_path):
    files = {
        "content/news/2024-05-01-base.md": article("Base", "2024-05-01", tags=["alpha"],
                                                   related=["chosen", "also-chosen"]),
        "content/news/2024-01-01-chosen.md": article("Chosen", "2024-01-01"),
        "content/news/2024-01-02-also-chosen.md": article("Also chosen", "2024-01-02"),
        **{f"content/news/2024-04-0{n}-t{n}.md": article(f"Tagged {n}", f"2024-04-0{n}",
                                                        tags=["alpha"]) for n in range(1, 5)},
    }
    build_site(write_site(tmp_path, files), now=NOW)
    assert related_titles(tmp_path / "public", "base") == [
        "Chosen", "Also chosen", "Tagged 4", "Tagged 3"]


def test_related_naming_no_article_is_a_problem_with_a_suggestion(tmp_path):
    files = {"content/news/2024-05-01-base.md": article("Base", "2024-05-01",
                                                        related=["chosenn"]),
             "content/news/2024-01-01-chosen.md": article("Chosen", "2024-01-01")}
    with pytest.raises(BuildError) as caught:
        build_site(write_site(tmp_path, files), now=NOW)
    assert [str(p) for p in caught.value.problems] == [
        "content/news/2024-05-01-base.md:4: related: no article 'chosenn' (did you mean "
        "'chosen'?)"]
