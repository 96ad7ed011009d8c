"""The sample site as a reader meets it: the seed article, its event, and every page kind."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from conftest import NOW, REPO, soup

from newsroom.build import build_site

SEED = "news/bright-future-for-life-sciences-in-the-midlands/index.html"
SEED_EVENT = "events/2020-07-07-city-of-mentor-online-event/"
SITE = "https://news.example.org"


def html_pages(out: Path) -> list[Path]:
    """Every HTML page of a built site."""
    return sorted(out.rglob("*.html"))


def jsonld(page) -> dict:
    """The page's JSON-LD, parsed."""
    return json.loads(page.find("script", type="application/ld+json").string)


def test_the_seed_article_reads_as_published(sample_site):
    page = soup(sample_site / SEED)
    main = page.find("main")
    assert main.find("h1").get_text(strip=True) == "Bright future for life sciences in the Midlands"
    time = main.find("time")
    assert time["datetime"].startswith("2020-07-06")
    assert time.get_text(strip=True) == "6 July 2020"
    assert "By Editor" in main.get_text()
    assert main.find(class_="kicker").get_text(strip=True) == "People & places"
    assert "min read" in main.get_text()
    text = main.get_text(" ", strip=True)
    assert "unanimously endorsed, in principle, by the Boards of both organisations" in text
    assert "8,000 contacts" in text


def test_the_seed_quotations_are_blockquotes_after_their_attribution(sample_site):
    main = soup(sample_site / SEED).find("main")
    quotes = main.find_all("blockquote")
    assert len(quotes) == 2
    first, second = quotes
    assert first.get_text(strip=True).startswith("“This move to bring the two organisations")
    assert second.get_text(strip=True).startswith("“This is an opportune time")
    assert first.find_previous("p").get_text(strip=True) == (
        "Keith Widdowson, Chair of Medilink East Midlands, said:")
    assert second.find_previous("p").get_text(strip=True) == (
        "Prof Martin Levermore DL, Chair of Medilink West Midlands, added:")


def test_the_seed_article_is_in_the_news_section_titled_news_and_analysis(sample_site):
    news = soup(sample_site / "news/index.html")
    assert news.find("h1").get_text(strip=True) == "News & Analysis"
    menu = [a.get_text(strip=True) for a in news.find("nav", attrs={"aria-label": "Main"})("a")]
    assert menu[0] == "News & Analysis"
    category = soup(sample_site / "category/people-places/index.html")
    titles = [a.get_text(strip=True) for a in category.select("main .card-title a")]
    assert "Bright future for life sciences in the Midlands" in titles


def test_the_seed_article_and_its_event_link_to_each_other(sample_site):
    article = soup(sample_site / SEED)
    related = article.find(id="nr-related-events").find_parent("section")
    assert [a["href"] for a in related.select(".card-title a")] == ["/" + SEED_EVENT]
    event = soup(sample_site / SEED_EVENT / "index.html")
    news = event.find(id="nr-related-news").find_parent("section")
    assert [a["href"] for a in news.select(".card-title a")] == [
        "/news/bright-future-for-life-sciences-in-the-midlands/"]


def test_the_seed_event_page_says_when_where_and_how_to_add_it(sample_site):
    page = soup(sample_site / SEED_EVENT / "index.html")
    main = page.find("main")
    assert main.find("h1").get_text(strip=True) == (
        "Medilink Midlands online event with the City of Mentor, Ohio")
    assert main.find("time").get_text(strip=True) == "Tuesday, 7 July 2020"
    assert main.find("time")["datetime"].startswith("2020-07-07")
    assert "City of Mentor" in main.get_text() and "Coronavirus" in main.get_text()
    assert main.find("a", string="Join online")["href"] == "https://www.medilinkmidlands.com/"
    ics = main.find("a", string="Calendar file (.ics)")
    assert (sample_site / unquote(ics["href"]).lstrip("/")).is_file()
    assert "has ended" in main.get_text()
    assert main.find("a", string="Book a place") is None  # booking closes when it is over
    data = jsonld(page)
    assert data["@type"] == "Event"
    assert data["startDate"] == "2020-07-07"
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"] == {"@type": "VirtualLocation",
                                "url": "https://www.medilinkmidlands.com/"}
    assert data["organizer"]["name"] == "Medilink Midlands"
    assert data["offers"]["url"] == "https://www.medilinkmidlands.com/"


def test_home_shows_latest_news_and_next_upcoming_events(sample_site):
    main = soup(sample_site / "index.html").find("main")
    news = main.find(id="nr-latest-news").find_parent("section")
    assert len(news.select("article.card")) == 6
    events = main.find(id="nr-upcoming-events").find_parent("section")
    dates = [t["datetime"] for t in events.select("article .card-meta > time")]
    assert len(dates) == 3
    assert dates == sorted(dates)
    assert all(d >= "2027" for d in dates)
    # A repeating event is one item here, at its next date (the events page lists them all).
    titles = [a.get_text() for a in events.select(".card-title a")]
    assert titles == ["Editors' drop-in", "Editors' workshop",
                      "Example Life Sciences Conference 2027"]


def test_the_events_index_lists_upcoming_first_then_past(sample_site):
    lists = [sample_site / "events/index.html",
             *sorted((sample_site / "events/page").glob("*/index.html"))]
    up: list[str] = []
    gone: list[str] = []
    titles: list[str] = []
    for path in lists:
        main = soup(path).find("main")
        for heading, found in (("nr-upcoming", up), ("nr-past", gone)):
            if main.find(id=heading) is None:
                continue
            section = main.find(id=heading).find_parent("section")
            if heading == "nr-upcoming" and gone:
                assert not section.select("article"), "an upcoming event after past ones"
            found += [t["datetime"] for t in section.select("article .card-meta > time")]
            titles += [t.get_text() for t in section.select("article .card-title")]
    assert up == sorted(up) and all(d >= "2027" for d in up)
    assert gone == sorted(gone, reverse=True) and all(d < "2026-11" for d in gone)
    assert len(up) >= 4 and len(gone) >= 5
    assert len(titles) == len(set(titles))  # each event once, a repeating one too


def test_the_news_index_is_paginated_with_links_both_ways(sample_site):
    first = soup(sample_site / "news/index.html")
    second = soup(sample_site / "news/page/2/index.html")
    assert len(first.select("main article.card")) == 10
    assert first.find("a", rel="next")["href"] == "/news/page/2/"
    assert second.find("a", rel="prev")["href"] == "/news/"
    assert second.find("title").get_text().startswith("News & Analysis (page 2)")


def test_drafts_and_future_articles_are_not_published(sample_site):
    assert not (sample_site / "news/checking-an-article-before-you-publish").exists()
    assert not (sample_site / "news/example-booking-opens-for-the-fictional-spring-conference"
                ).exists()


def test_every_page_kind_exists(sample_site):
    for path in ("index.html", "news/index.html", SEED, "category/guides/index.html",
                 "tag/editing/index.html", "archive/2020/index.html", "events/index.html",
                 SEED_EVENT + "index.html", "about/index.html", "404.html", "sitemap.xml",
                 "robots.txt", "feed.xml", "atom.xml", "category/guides/feed.xml",
                 "events/calendar.ics", "static/style.css", "media/newsroom-workflow.svg"):
        assert (sample_site / path).is_file(), path


def test_only_the_404_search_and_redirect_pages_ask_search_engines_not_to_index_them(sample_site):
    noindex = [p.relative_to(sample_site).as_posix() for p in html_pages(sample_site)
               if soup(p).find("meta", attrs={"name": "robots", "content": "noindex"})]
    assert sorted(noindex) == ["404.html", "news/example-a-call-for-volunteers/index.html",
                               "news/how-to-publish-an-article-on-the-site/index.html",
                               "search/index.html"]  # (the middle two: redirect pages)


def test_articles_have_previous_and_next_links(sample_site):
    nav = soup(sample_site / SEED).find("nav", attrs={"aria-label": "More articles"})
    assert nav.find("a", rel="next")["href"] == "/news/how-to-publish-an-article/"
    assert nav.find("a", rel="prev") is None  # the oldest article


@pytest.mark.parametrize("site", ["sample_site", "basepath_site"])
def test_every_html_page_has_canonical_social_feed_and_structured_metadata(site, request):
    out = request.getfixturevalue(site)
    for path in html_pages(out):
        page = soup(path)
        head = page.find("head")
        canonical = head.find("link", rel="canonical")["href"]
        assert canonical.startswith("https://"), path
        if head.find("meta", attrs={"http-equiv": "refresh"}):
            continue  # a redirect page: it only sends the reader on (tests/test_redirects.py)
        for prop in ("og:title", "og:description", "og:url", "og:type", "og:site_name"):
            assert head.find("meta", property=prop)["content"], (path, prop)
        assert head.find("meta", property="og:url")["content"] == canonical
        # (X reads the Open Graph title and description where it finds no twitter: ones.)
        assert head.find("meta", attrs={"name": "twitter:card"})["content"], path
        for prop in ("og:locale",):
            assert head.find("meta", property=prop)["content"] == "en_GB", (path, prop)
        assert head.find("link", rel="stylesheet")["href"].endswith("static/style.css")
        assert head.find("script", src=True)["src"].endswith("static/events.js")
        types = {link["type"] for link in head.find_all("link", rel="alternate")}
        assert {"application/rss+xml", "application/atom+xml"} <= types, path
        assert jsonld(page)["@context"] == "https://schema.org", path
        assert page.find("html")["lang"] == "en-GB"


def test_articles_carry_news_article_json_ld(sample_site):
    data = jsonld(soup(sample_site / SEED))
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Bright future for life sciences in the Midlands"
    assert data["datePublished"].startswith("2020-07-06")
    assert data["author"] == [{"@type": "Person", "name": "Editor"}]
    assert data["articleSection"] == "People & places"
    assert data["mainEntityOfPage"] == (
        f"{SITE}/news/bright-future-for-life-sciences-in-the-midlands/")


def test_venue_and_hybrid_events_describe_their_place(sample_site):
    hybrid = jsonld(soup(sample_site / "events/2027-03-04-editors-workshop/index.html"))
    assert hybrid["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert [place["@type"] for place in hybrid["location"]] == ["Place", "VirtualLocation"]
    venue = soup(sample_site / "events/2027-05-11-example-life-sciences-conference-2027/"
                               "index.html")
    data = jsonld(venue)
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"]["@type"] == "Place"
    assert data["startDate"] == "2027-05-11T09:00:00+01:00"
    assert data["endDate"] == "2027-05-13T17:00:00+01:00"
    when = venue.find("main").find("time").get_text(strip=True)
    assert when == "Tue, 11 May 2027, 09:00 – Thu, 13 May 2027, 17:00 BST"
    assert venue.find("a", string="Book a place")["href"].startswith("https://example.org/")


def test_events_in_another_time_zone_show_that_zone(sample_site):
    page = soup(sample_site / "events/2024-03-12-transatlantic-webinar-sharing-news-across-"
                              "time-zones/index.html")
    when = page.find("main").find("time").get_text(strip=True)
    assert when.endswith(" EDT") or when.endswith(" EST")


def site_links(out: Path, base_path: str = "/") -> list[tuple[Path, str]]:
    """Every (page, link) in the HTML pages that points inside the site."""
    found = []
    for path in html_pages(out):
        page = soup(path)
        for tag in page.find_all(["a", "link", "img", "script", "source"]):
            for attribute in ("href", "src"):
                value = tag.get(attribute)
                if value and not urlsplit(value).scheme and not value.startswith("//"):
                    found.append((path, value))
            for candidate in (tag.get("srcset") or "").split(","):
                if candidate.strip():
                    found.append((path, candidate.split()[0]))
    return found


def resolve(out: Path, page: Path, link: str, base_path: str) -> Path | None:
    """The file a link leads to, or None when it leads nowhere in the site."""
    parts = urlsplit(link)
    if not parts.path:
        return page
    page_url = base_path + page.relative_to(out).as_posix()
    path = unquote(urlsplit(urljoin(page_url, parts.path)).path)
    if not path.startswith(base_path):
        return None
    target = out / path[len(base_path):]
    if path.endswith("/"):
        target = target / "index.html"
    return target if target.is_file() else None


@pytest.fixture(scope="module")
def sample_under_news(tmp_path_factory) -> Path:
    """The sample site published under /news/: a base path named like one of its sections."""
    out = tmp_path_factory.mktemp("under-news") / "public"
    build_site(REPO / "site_config.yaml", now=NOW, output_dir=out,
               base_url="https://example.org/news/")
    return out


@pytest.mark.parametrize(("site", "base_path"), [("sample_site", "/"),
                                                 ("basepath_site", "/site/"),
                                                 ("sample_under_news", "/news/")])
def test_every_internal_link_and_anchor_resolves(site, base_path, request):
    out = request.getfixturevalue(site)
    broken = []
    for page, link in site_links(out, base_path):
        target = resolve(out, page, link, base_path)
        if target is None:
            broken.append(f"{page.relative_to(out)}: {link}")
            continue
        fragment = urlsplit(link).fragment
        if fragment and target.suffix == ".html" and soup(target).find(id=fragment) is None:
            broken.append(f"{page.relative_to(out)}: {link} (no #{fragment})")
    assert broken == []


def test_every_labelled_link_says_what_it_shows(sample_site):
    # WCAG 2.5.3 (label in name): a voice user says what they see. The category calendars'
    # ".ics" links were named "Conferences calendar file (.ics)", which axe 4.14 reports.
    for path in sample_site.rglob("*.html"):
        for link in soup(path).select("a[aria-label]"):
            shown = " ".join(link.get_text().split()).lower()
            assert link["aria-label"].lower().startswith(shown), (path, str(link))
