"""Languages: newsroom's catalogues cover every string it shows, a site in French reads French
throughout, a site can change any string, and a right-to-left language is marked."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import feedparser
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from conftest import NOW, REPO, article, soup, write_site
from icalendar import Calendar

from newsroom.build import build_site
from newsroom.i18n import CATALOGUES
from newsroom.problems import BuildError

SHIPPED = ("en", "fr", "de", "es")


def used_messages() -> set[str | tuple[str, str]]:
    """Every message the theme's templates and newsroom's code ask to be translated."""
    found: set[str | tuple[str, str]] = set()
    for folder, method, pattern in ((REPO / "templates", "jinja2", "**.html"),
                                    (REPO / "newsroom", "python", "**.py")):
        options = {pattern: {"extensions": "jinja2.ext.i18n"}} if method == "jinja2" else {}
        found.update(message for _, _, message, _, _ in extract_from_dir(
            str(folder), [(pattern, method)], options))
    return found


def catalogue(language: str):
    with (CATALOGUES / f"{language}.po").open("rb") as handle:
        return read_po(handle, abort_invalid=True)


@pytest.mark.parametrize("language", SHIPPED)
def test_each_shipped_catalogue_has_every_message_and_no_other(language):
    messages = catalogue(language)
    ids = {message.id for message in messages if message.id}
    assert ids == used_messages()
    if language != "en":  # (English is the message ids themselves)
        untranslated = [message.id for message in messages if message.id and (
            not message.string or not all(message.string) or message.fuzzy)]
        assert untranslated == []


def french_sample(tmp_path: Path) -> tuple[Path, set[str]]:
    """The sample site built in French, and the names its content gives (categories, tags,
    titles: the editors' words, not newsroom's)."""
    site = tmp_path / "site"
    shutil.copytree(REPO / "content", site / "content")
    config = (REPO / "site_config.yaml").read_text(encoding="utf-8")
    (site / "site_config.yaml").write_text(config.replace("language: en-GB", "language: fr"),
                                           encoding="utf-8")
    report = build_site(site / "site_config.yaml", now=NOW, search_on=False)
    built = report.site
    names = {term.name for term in (*built.categories, *built.tags, *built.event_categories)}
    names |= {record.title for record in (*built.articles, *built.events, *built.pages)}
    names |= {built.config.news_title, built.config.events_title,
              *(item.title for item in built.config.menu)}
    return site / "public", names


def english_only_patterns() -> list[re.Pattern[str]]:
    """Each interface string whose French differs, as a pattern its text would match (a
    placeholder stands for any text; one whose own words are too few to tell it from prose,
    like ", from ", is left out)."""
    french = {message.id: message.string for message in catalogue("fr") if message.id}
    patterns = []
    for message_id, translated in french.items():
        english = message_id if isinstance(message_id, tuple) else (message_id,)
        said = translated if isinstance(translated, tuple) else (translated,)
        for text in english:
            parts = re.split(r"%\(\w+\)[sd]|\{\w+\}", text)
            if text not in said and (len(parts) == 1 or
                                     sum(c.isalpha() for c in "".join(parts)) >= 6):
                patterns.append(re.compile(".+".join(map(re.escape, parts))))
    return patterns


def interface_texts(page: Path) -> list[str]:
    """The text nodes and the attributes people and assistive technology read, of a page."""
    html = soup(page)
    for element in [*html(["script", "style"]), *html.select(".prose")]:  # (the editors' text)
        element.decompose()
    texts = [text.strip() for text in html.find_all(string=True) if text.strip()]
    for element in html.find_all(True):
        texts += [value for name, value in element.attrs.items() if isinstance(value, str)
                  and (name in ("aria-label", "placeholder", "title", "alt")
                       or name.startswith("data-") and " " in value)]
    return texts


def test_a_french_site_shows_no_english_interface_string(tmp_path):
    out, content = french_sample(tmp_path)
    patterns = english_only_patterns()
    english = {f"{page.relative_to(out)}: {text}" for page in out.rglob("*.html")
               for text in interface_texts(page) if text not in content
               and any(pattern.fullmatch(text) for pattern in patterns)}
    assert english == set()
    seed = soup(out / "news/bright-future-for-life-sciences-in-the-midlands/index.html")
    assert seed.select_one(".article-meta time").get_text() == "6 juillet 2020"
    assert "min de lecture" in seed.select_one(".article-meta").get_text()


def test_a_french_sites_feeds_and_calendars_are_valid_and_french(tmp_path):
    out, _ = french_sample(tmp_path)
    calendar = Calendar.from_ical((out / "events/calendar.ics").read_bytes())
    descriptions = [str(event["DESCRIPTION"]) for event in calendar.walk("VEVENT")]
    assert all("Organisateur : " in text and "Détails : " in text for text in descriptions)
    assert not any("Organiser:" in text for text in descriptions)


@pytest.mark.parametrize("language", ["fr", "de", "es", "ar", "ja"])
def test_feeds_and_calendars_stay_valid_in_every_language(tmp_path, language):
    config = write_site(tmp_path, {
        "content/news/2024-05-01-a.md": article("A", "2024-05-01", category="Reports"),
        "content/events/2027-01-01-talk.yaml": ("title: Talk\nstart: 2027-01-01 10:00\n"
                                                "end: 2027-01-01 11:00\nstatus: postponed\n"
                                                "online_url: https://example.org/live\n"),
    }, {"language": language})
    build_site(config, now=NOW)
    out = tmp_path / "public"
    for name in ("feed.xml", "atom.xml", "events/feed.xml", "category/reports/feed.xml"):
        feed = feedparser.parse((out / name).read_bytes())
        assert not feed.bozo, (name, feed.get("bozo_exception"))
        assert feed.feed.language == language
        assert feed.entries
    for path in out.rglob("*.ics"):
        [event] = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
        assert str(event["SUMMARY"]) == "Talk"


def test_a_site_changes_any_string_in_a_catalogue_of_its_own(tmp_path):
    config = write_site(tmp_path, {
        "content/news/2024-05-01-a.md": article("A", "2024-05-01"),
        "content/events/2027-01-01-talk.yaml": "title: Talk\nstart: 2027-01-01 10:00\n",
        "locales/fr.po": 'msgid "Upcoming"\nmsgstr "Prochainement"\n',
        "locales/en.po": 'msgid "Upcoming events"\nmsgstr "Coming up"\n',
    }, {"language": "fr"})
    build_site(config, now=NOW)
    events = soup(tmp_path / "public/events/index.html")
    assert events.select_one("#nr-upcoming").get_text() == "Prochainement"
    assert "Événements passés" in events.get_text()  # (the rest from newsroom's catalogue)
    text = config.read_text(encoding="utf-8").replace("language: fr", "language: en-GB")
    config.write_text(text, encoding="utf-8")
    build_site(config, now=NOW)
    home = soup(tmp_path / "public/index.html")
    assert home.select_one("#nr-upcoming-events").get_text() == "Coming up"


def test_a_catalogue_edited_between_builds_reaches_every_page_feed_and_calendar(tmp_path):
    # The language is part of the config's fingerprint: an edit to a catalogue changes the
    # key of everything it is said in, so nothing is kept from the build before.
    catalogue = tmp_path / "locales/en.po"
    config = write_site(tmp_path, {
        "content/news/2024-05-01-a.md": article("A", "2024-05-01"),
        "content/events/2027-01-01-talk.yaml": ("title: Talk\nstart: 2027-01-01 10:00\n"
                                                "online_url: https://example.org/live\n"),
        "locales/en.po": 'msgid "Upcoming events"\nmsgstr "Coming up"\n',
    })
    build_site(config, now=NOW)
    catalogue.write_text('msgid "Upcoming events"\nmsgstr "Next up"\n'
                         'msgid "Join online: %(url)s"\nmsgstr "Watch at %(url)s"\n',
                         encoding="utf-8")
    build_site(config, now=NOW)
    home = soup(tmp_path / "public/index.html")
    assert home.select_one("#nr-upcoming-events").get_text() == "Next up"
    calendar = (tmp_path / "public/events/calendar.ics").read_text(encoding="utf-8")
    assert "Watch at https://example.org/live" in calendar.replace("\r\n ", "")


def test_a_broken_catalogue_of_the_sites_own_is_a_problem_with_its_place(tmp_path):
    config = write_site(tmp_path, {"content/news/2024-05-01-a.md": article("A", "2024-05-01"),
                                   "locales/fr.po": 'msgid "Upcoming"\nmsgstr "Prochainement"\n'
                                                    "\nUpcoming = Prochainement\n"},
                        {"language": "fr"})
    with pytest.raises(BuildError) as caught:
        build_site(config, now=NOW)
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == ("locales/fr.po", 4)
    assert problem.message.startswith("'Upcoming = Prochainement' is not a line of a catalogue")


def test_a_right_to_left_language_is_marked_so(tmp_path):
    config = write_site(tmp_path, {"content/news/2024-05-01-a.md": article("A", "2024-05-01")},
                        {"language": "ar"})
    build_site(config, now=NOW)
    html = soup(tmp_path / "public/index.html").html
    assert (html["lang"], html["dir"]) == ("ar", "rtl")
    config = write_site(tmp_path / "left", {"content/news/2024-05-01-a.md": article("A")})
    build_site(config, now=NOW)
    assert soup(tmp_path / "left/public/index.html").html.get("dir") is None


def test_an_unknown_language_is_a_problem_at_its_line(tmp_path):
    config = write_site(tmp_path, {}, {"language": "xx"})
    with pytest.raises(BuildError) as caught:
        build_site(config, now=NOW)
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == ("site_config.yaml", 4)
    assert problem.message.startswith("language: xx is not a language newsroom knows")
