"""The bulletin: each week's articles and the coming events, published on the site and in a
feed for RSS-to-e-mail services, and written by `newsroom bulletin` as an e-mail that mail
clients show as meant."""

from __future__ import annotations

import email
import email.policy
import re

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import NOW, article, soup, write_site
from PIL import Image

from newsroom.build import build_site
from newsroom.cli import main

# NOW is Saturday 28 November 2026: the latest bulletin was issued on Monday the 23rd, with
# the articles from the 16th to the 22nd.
FILES = {
    "content/news/2026-11-17-in-the-week.md": article(
        "In the week", "2026-11-17 09:00", image="/media/lab.png", image_alt="A lab bench"),
    "content/news/2026-11-22-sunday.md": article("Sunday & late", "2026-11-22 23:00"),
    "content/news/2026-11-24-this-week.md": article("This week", "2026-11-24"),
    "content/news/2026-11-03-earlier.md": article("Earlier", "2026-11-03"),
    "content/events/fair.yaml": "title: Fair\nstart: 2027-03-01 10:00\nlocation: The Hall\n",
    "content/events/past.yaml": "title: Past talk\nstart: 2026-10-01 10:00\n",
}


@pytest.fixture
def site(tmp_path, monkeypatch):
    config = write_site(tmp_path, FILES)
    (tmp_path / "content/media").mkdir(parents=True)
    Image.new("RGB", (800, 600), "teal").save(tmp_path / "content/media/lab.png")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("newsroom.cli._now", lambda: NOW)
    build_site(config, now=NOW)
    return tmp_path


def test_the_latest_bulletin_is_published_with_the_weeks_articles_and_coming_events(site):
    page = soup(site / "public/bulletin/latest/index.html")
    assert page.find("h1").get_text() == "Bulletin of 23 November 2026"
    assert [a.get_text() for a in page.select(".card-title a")] == [
        "Sunday & late", "In the week", "Fair"]
    assert page.find("link", rel="canonical")["href"] == \
        "https://news.example.org/bulletin/2026-11-23/"
    assert (site / "public/bulletin/2026-11-23/index.html").is_file()


def test_the_bulletin_feed_has_a_whole_bulletin_per_item_for_rss_to_email(site):
    feed = feedparser.parse((site / "public/bulletin/feed.xml").read_bytes())
    assert not feed.bozo and feed.version == "rss20"
    # Weeks without an article have no bulletin.
    assert [e.title for e in feed.entries] == ["Bulletin of 23 November 2026",
                                               "Bulletin of 9 November 2026"]
    latest = BeautifulSoup(feed.entries[0].description, "html.parser")
    assert [a["href"] for a in latest.find_all("a")] == [
        "https://news.example.org/news/sunday/", "https://news.example.org/news/in-the-week/",
        "https://news.example.org/events/fair/"]
    assert feed.entries[0].link == "https://news.example.org/bulletin/2026-11-23/"


def written_email(site) -> email.message.EmailMessage:
    return email.message_from_bytes((site / "bulletin.eml").read_bytes(),
                                    policy=email.policy.default)


def test_the_bulletin_command_writes_an_email_with_html_and_plain_text(site, capsys):
    assert main(["bulletin"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Test News: Bulletin of 23 November 2026: 2 articles, 1 coming event.")
    message = written_email(site)
    assert message["Subject"] == "Test News: Bulletin of 23 November 2026"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Sunday & late\n" in text and "https://news.example.org/news/sunday/" in text
    assert "Fair" in text and "This week" not in text
    assert html == (site / "bulletin.html").read_text()


def test_the_email_is_what_mail_clients_need(site):
    main(["bulletin"])
    page = BeautifulSoup((site / "bulletin.html").read_text(), "html.parser")
    assert page.find("script") is None
    assert page.find("style") is None and page.find("link") is None  # styles inline only
    assert page.find("table") is not None
    widths = [int(t["width"]) for t in page.find_all("table") if t.get("width", "").isdigit()]
    assert widths and max(widths) <= 600
    assert all(int(re.search(r"max-width:(\d+)px", t["style"]).group(1)) <= 600
               for t in page.find_all("table") if "max-width" in t.get("style", ""))
    images = page.find_all("img")
    assert [i["alt"] for i in images] == ["A lab bench"]
    assert all(i["src"].startswith("https://news.example.org/media/") for i in images)
    links = [a["href"] for a in page.find_all("a")]
    assert all(href.startswith("https://") for href in links)
    assert "https://news.example.org/bulletin/2026-11-23/" in links  # the web version
    styled = [tag for tag in page.find_all(["td", "a", "p", "h1", "h2"])]
    assert all(tag.get("style") for tag in styled)


def test_since_makes_a_bulletin_of_the_articles_since_then(site):
    assert main(["bulletin", "--since", "2026-11-22"]) == 0
    text = written_email(site).get_body(("plain",)).get_content()
    assert "This week" in text and "Sunday & late" in text and "In the week" not in text
    assert "https://news.example.org/bulletin/latest/" in text


def test_without_articles_there_is_no_bulletin_and_the_command_says_so(tmp_path, capsys,
                                                                       monkeypatch):
    write_site(tmp_path, {})
    monkeypatch.chdir(tmp_path)
    assert main(["bulletin"]) == 1
    assert capsys.readouterr().err.startswith(
        "content/news: has no article to make a bulletin of; write one, or give --since DATE")


def test_a_year_of_bulletins_keeps_pages_and_older_ones_lead_to_the_latest(tmp_path):
    from datetime import date, timedelta

    weekly = {f"content/news/w{week}.md": article(
        f"Week {week}", (date(2025, 1, 7) + timedelta(weeks=week)).isoformat())
        for week in range(60)}
    build_site(write_site(tmp_path, weekly), now=NOW)
    pages = sorted(p.name for p in (tmp_path / "public/bulletin").iterdir() if p.is_dir())
    assert pages[-1] == "latest" and len(pages) == 1 + 52  # a year's, of 60
    assert pages[0] == "2025-03-10"  # the oldest eight have none
    assert (tmp_path / "public/_redirects").read_text().splitlines() == [
        "/bulletin/* /bulletin/latest/ 302"]
