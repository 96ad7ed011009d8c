"""Seen by real clients: the sample site in headless Chromium, with axe-core."""

from __future__ import annotations

import functools
import io
import json
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import pytest
from conftest import static_host
from icalendar import Calendar

SEED = "news/bright-future-for-life-sciences-in-the-midlands/"
PAGE_KINDS = {
    "home": "", "news": "news/", "news page 2": "news/page/2/", "article": SEED,
    "article with a table": "news/adding-an-event-to-the-calendar/",
    "category": "category/people-places/", "tag": "tag/events/", "archive": "archive/2020/",
    "events": "events/", "event": "events/2027-03-04-editors-workshop/", "page": "about/",
    "repeating event": "events/2027-01-13-editors-drop-in/",
    "rescheduled event": "events/2027-06-15-example-summer-science-festival/",
    "search": "search/", "not found": "no/such/page/",
    "author": "authors/alex-example/", "authors": "authors/", "corrections": "corrections/",
    "article with corrections": "news/example-a-tour-of-a-fictional-science-park/",
    "bulletin": "bulletin/latest/",
}
SEED_EVENT = "Medilink Midlands online event with the City of Mentor, Ohio"
SEED_TITLE = "Bright future for life sciences in the Midlands"

# Each test drives a real browser: slow.
pytestmark = pytest.mark.slow

# axe-core as pinned here (tests/vendor, MPL-2.0), not the older one axe-playwright-python
# bundles: the suite sees what current axe sees.
AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1.min.js"


@functools.cache
def axe():
    """axe-core, pinned, ready to run on a page."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe(axe_script=AXE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def site_url(sample_site):
    with static_host(sample_site) as address:
        yield address


class Visit:
    """A browser page that remembers console errors and failed requests."""

    def __init__(self, browser, width: int = 1280) -> None:
        self.page = browser.new_page(viewport={"width": width, "height": 900},
                                     accept_downloads=True)
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        # A request cut short because the test moved on to the next page is not a failure.
        self.page.on("requestfailed", lambda r: "ERR_ABORTED" not in (r.failure or "")
                     and self.errors.append(f"failed: {r.url} ({r.failure})"))
        self.page.on("response", lambda r: r.status >= 400 and not r.url.endswith(
            "/no/such/page/") and self.errors.append(f"{r.status}: {r.url}"))

    def close(self) -> None:
        self.page.close()


@pytest.fixture
def visit(browser):
    opened: list[Visit] = []

    def open_page(width: int = 1280) -> Visit:
        opened.append(Visit(browser, width))
        return opened[-1]

    yield open_page
    for item in opened:
        item.close()


def test_a_reader_gets_from_home_to_every_kind_of_page(visit, site_url):
    reader = visit()
    page = reader.page
    page.goto(site_url)
    page.locator("#nr-latest-news ~ article .card-title a").first.click()
    assert page.locator("h1").inner_text()
    page.goto(site_url + SEED)
    assert page.locator("h1").inner_text() == "Bright future for life sciences in the Midlands"
    page.locator(".kicker a").click()
    assert page.locator("h1").inner_text() == "People & places"
    page.goto(site_url + SEED)
    page.locator("ul.tags a").first.click()
    assert page.locator("h1").inner_text().startswith("Tagged")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Events").click()
    assert page.locator("h1").inner_text() == "Events"
    page.locator("#nr-upcoming ~ article .card-title a").first.click()
    assert page.locator("h1").inner_text() == "Editors' drop-in"
    page.goto(site_url + "news/")
    page.get_by_role("link", name="Older →").click()
    assert page.url.endswith("/news/page/2/")
    assert reader.errors == []
    response = page.goto(site_url + "no/such/page/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    # The browser notes the 404 itself; the page it shows loads everything it needs.
    assert [e for e in reader.errors if "status of 404" not in e] == []


def test_add_to_calendar_downloads_a_calendar(visit, site_url):
    page = visit().page
    page.goto(site_url + "events/2027-03-04-editors-workshop/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Calendar file (.ics)").click()
    path = download.value.path()
    assert download.value.suggested_filename == "2027-03-04-editors-workshop.ics"
    [event] = Calendar.from_ical(Path(path).read_bytes()).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Editors' workshop"


def test_the_feed_links_answer_with_feeds(visit, site_url):
    page = visit().page
    page.goto(site_url)
    for link in page.locator("link[rel=alternate]").all():
        response = page.request.get(urljoin(site_url, link.get_attribute("href")))
        assert response.status == 200
        if link.get_attribute("type") == "text/calendar":
            assert Calendar.from_ical(response.body())["VERSION"] == "2.0"
        elif link.get_attribute("type") == "application/feed+json":
            assert json.loads(response.body())["items"]
        else:
            feed = feedparser.parse(io.BytesIO(response.body()))
            assert not feed.bozo and feed.entries


@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_no_accessibility_violations(visit, site_url, kind):
    page = visit().page
    page.goto(site_url + PAGE_KINDS[kind])
    results = axe().run(page, options={"runOnly": {"type": "tag", "values": [
        "wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
    assert results.response["testEngine"]["version"] == "4.14.1"
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("kind", ["home", "article", "events", "event", "rescheduled event",
                                  "search"])
def test_the_dark_scheme_has_no_accessibility_violations(visit, site_url, kind):
    page = visit().page
    page.emulate_media(color_scheme="dark")
    page.goto(site_url + PAGE_KINDS[kind])
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != \
        "rgb(255, 255, 255)"
    results = axe().run(page, options={"runOnly": {"type": "tag", "values": [
        "wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("width", [320, 375, 768])
def test_no_sideways_scrolling_on_small_screens(visit, site_url, width):
    page = visit(width).page
    for path in ("", SEED, "news/adding-an-event-to-the-calendar/", "events/",
                 "events/2027-05-11-example-life-sciences-conference-2027/", "about/"):
        page.goto(site_url + path)
        scroll, view = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        assert scroll <= view, f"{path} scrolls sideways at {width}px"
    page.goto(site_url + "news/adding-images/")
    image = page.locator(".prose img").first
    assert image.bounding_box()["width"] <= width


def test_on_a_phone_the_masthead_is_short_and_the_first_event_in_view(visit, site_url):
    # At 375 px the masthead took 218 of 740 px, and /events/ showed no event unscrolled.
    reader = visit(375)
    page = reader.page
    page.set_viewport_size({"width": 375, "height": 740})
    for kind in ("home", "article", "events", "event", "search"):
        page.goto(site_url + PAGE_KINDS[kind])
        assert page.locator(".masthead").bounding_box()["height"] <= 120, kind
    page.goto(site_url + "events/")
    title = page.locator(".event-item .card-title").first.bounding_box()
    assert title["y"] + title["height"] <= 740
    page.get_by_role("link", name="Search", exact=True).click()
    assert page.url.endswith("/search/")
    assert page.get_by_label("Search news, events and pages").is_visible()


def test_keyboard_users_see_a_skip_link_and_their_focus(visit, site_url):
    page = visit().page
    page.goto(site_url)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to content"
    box = page.locator(".skip-link").bounding_box()
    assert box["y"] >= 0
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")


def test_articles_print_without_the_site_furniture(visit, site_url):
    page = visit().page
    page.goto(site_url + SEED)
    page.emulate_media(media="print")
    hidden = page.evaluate("['.masthead', '.site-footer', '.prev-next'].map(s => "
                           "getComputedStyle(document.querySelector(s)).display)")
    assert hidden == ["none", "none", "none"]
    assert page.locator("h1").is_visible()


def test_a_cancelled_events_title_is_struck_through_and_nothing_else(visit, site_url):
    # Its related article's title was struck through too: the rule reached every card title
    # inside the cancelled event.
    page = visit().page

    def line(selector: str) -> str:
        return page.locator(selector).first.evaluate(
            "e => getComputedStyle(e).textDecorationLine")

    page.goto(site_url + "events/2025-11-20-winter-showcase/")
    assert line("h1") == "line-through"
    assert page.locator(".related .card-title a").count() >= 1
    assert line(".related .card-title a") == "none"
    page.goto(site_url + "news/example-why-the-fictional-winter-showcase-was-cancelled/")
    assert line(".event-item.is-cancelled .card-title a") == "line-through"
    page.goto(site_url + "events/")
    assert line(".event-item:not(.is-cancelled) .card-title a") == "none"


def test_pages_read_without_javascript(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "events/")
    assert page.locator("#nr-upcoming ~ article").count() >= 3
    context.close()


# Search


def search_results(page) -> list[str]:
    """The result headlines once the status line has answered."""
    page.wait_for_function("document.getElementById('nr-search-status').textContent"
                           ".match(/results? for|No results/)")
    return page.locator(".search-result-title").all_inner_texts()


def test_typing_mentor_finds_the_seed_event_and_the_seed_article(visit, site_url):
    reader = visit()
    page = reader.page
    # The reader starts typing before the index has loaded (held back here): nothing typed
    # may be lost.
    held = []
    page.route("**/pagefind/*/pagefind.js", lambda route: held.append(route))
    page.goto(site_url + "search/")
    page.get_by_label("Search news, events and pages").press_sequentially("Mentor", delay=40)
    assert held
    held[0].continue_()
    page.unroute("**/pagefind/*/pagefind.js")
    assert set(search_results(page)) == {SEED_EVENT, SEED_TITLE}
    assert page.locator(".search-result mark").first.inner_text().startswith("Mentor")
    assert "q=Mentor" in page.url  # the address can be shared and bookmarked
    page.get_by_role("link", name=SEED_TITLE).click()
    assert page.locator("h1").inner_text() == SEED_TITLE
    assert reader.errors == []
    page.go_back()
    assert set(search_results(page)) == {SEED_EVENT, SEED_TITLE}
    results = axe().run(page, options={"runOnly": {"type": "tag", "values": [
        "wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
    assert results.violations_count == 0, results.generate_report()


def test_a_nonsense_word_finds_nothing(visit, site_url):
    page = visit().page
    page.goto(site_url + "search/?q=qwzxvbnmplk")
    assert search_results(page) == []
    assert page.locator("#nr-search-status").inner_text() == "No results for “qwzxvbnmplk”."


def test_the_category_filter_narrows_the_results(visit, site_url):
    page = visit().page
    page.goto(site_url + "search/?q=Midlands")
    everything = search_results(page)
    assert SEED_TITLE in everything and SEED_EVENT in everything
    page.get_by_label("Category").select_option("People & places")
    page.wait_for_function("!location.search.includes('q=Midlands&') || "
                           "location.search.includes('category=')")
    page.wait_for_function("document.querySelectorAll('.search-result').length < "
                           f"{len(everything)}")
    narrowed = search_results(page)
    assert SEED_TITLE in narrowed and SEED_EVENT not in narrowed
    kinds = page.locator(".search-result .kicker").all_inner_texts()
    assert kinds and all("People & places".upper() in k.upper() for k in kinds)


def test_the_masthead_box_takes_the_reader_to_the_results(visit, site_url):
    page = visit().page
    page.goto(site_url + SEED)
    page.get_by_label("Search the site").fill("Mentor")
    page.get_by_label("Search the site").press("Enter")
    page.wait_for_url("**/search/?q=Mentor")
    assert SEED_EVENT in search_results(page)


def test_without_javascript_the_search_page_says_where_to_look_instead(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "search/?q=Mentor")
    status = page.locator("#nr-search-status")
    assert "Search needs JavaScript" in status.inner_text()
    status.get_by_role("link", name="Events").click()
    assert page.locator("h1").inner_text() == "Events"
    context.close()
