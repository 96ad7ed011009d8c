"""Hostile and mistaken input found in review: each gets a problem with its place, or a
correct build; never a traceback, never a file outside the output folder."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from conftest import NOW, article, build, soup, write_site
from icalendar import Calendar

from newsroom import output
from newsroom.build import build_site
from newsroom.problems import BuildError


def problems_of(config: Path, **options) -> list[str]:
    """The problems a build reports, as the editor reads them."""
    with pytest.raises(BuildError) as caught:
        build_site(config, now=NOW, **options)
    return [str(p) for p in caught.value.problems]


def test_tags_and_categories_without_letters_get_safe_addresses(tmp_path):
    out = build(tmp_path, {"content/news/2024-01-01-a.md": article(
        "A", "2024-01-01", category="..", tags=["..", "/", "../.."])})
    home = soup(out / "index.html")
    assert home.find("h2", id="nr-latest-news")  # the home page was not overwritten
    terms = sorted(p.name for p in (out / "tag").iterdir() if p.is_dir())
    assert len(terms) == 3 and all(name.startswith("term-") for name in terms)
    page = soup(out / "news/a/index.html")
    for link in page.select("ul.tags a"):
        assert (out / link["href"].strip("/") / "index.html").is_file()
    assert not (tmp_path / "index.html").exists()


def test_a_line_separator_in_the_text_does_not_stop_feed_links_being_absolute(tmp_path):
    out = build(tmp_path, {"content/news/2024-01-01-a.md": article(
        "A", "2024-01-01", body="a\u2028b\u0085c\n\n[about](/about/)\n")})
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    assert 'href="https://news.example.org/about/"' in feed
    assert 'href="/about/"' not in feed


def test_a_guid_must_be_a_full_uri_and_feed_ids_must_be_unique(tmp_path):
    config = write_site(tmp_path, {
        "content/news/2024-01-01-a.md": article("A", "2024-01-01", guid="not a uri"),
    })
    assert problems_of(config) == [
        "content/news/2024-01-01-a.md:4: guid: 'not a uri' is not a full URI (write the "
        "article's first address, https://..., or a tag: such as "
        "tag:example.org,2020:bright-future)"]
    config = write_site(tmp_path / "two", {
        "content/news/2024-01-01-a.md": article("A", "2024-01-01"),
        "content/news/2024-01-02-b.md": article(
            "B", "2024-01-02", guid="https://news.example.org/news/a/"),
    })
    assert problems_of(config) == [
        "content/news/2024-01-02-b.md:4: guid: https://news.example.org/news/a/ is also the "
        "feed id of content/news/2024-01-01-a.md; give each article its own guid"]


def test_a_timed_event_must_end_after_it_starts(tmp_path):
    config = write_site(tmp_path, {"content/events/e.yaml":
                                   "title: T\nstart: 2027-01-01 10:00\nend: 2027-01-01 10:00\n"})
    assert problems_of(config) == [
        "content/events/e.yaml:3: end: 2027-01-01 10:00 is not after the start "
        "2027-01-01 10:00; write a later end, or leave it out"]


def test_an_event_without_an_end_is_a_moment_in_calendars(tmp_path):
    out = build(tmp_path, {"content/events/e.yaml": "title: T\nstart: 2027-01-01 10:00\n"})
    [event] = Calendar.from_ical((out / "events/e/e.ics").read_bytes()).walk("VEVENT")
    assert "DTEND" not in event and "DURATION" not in event


@pytest.mark.parametrize(("text", "line"), [
    ("---\ntitle: A\ndate: 2024-01-01\n---\n\nPasted \x0b text\n", 6),
    ('---\ntitle: "A \\x1b title"\ndate: 2024-01-01\n---\n\nText\n', 2),
    ("---\ntitle: A\ndate: 2024-01-01\n---\n\nA lone \ud800 surrogate\n", None),
])
def test_control_characters_are_reported_at_their_line(tmp_path, text, line):
    path = tmp_path / "content/news/2024-01-01-a.md"
    write_site(tmp_path, {})
    path.parent.mkdir(parents=True)
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    problems = problems_of(tmp_path / "site_config.yaml")
    assert len(problems) == 1
    if line is None:  # not UTF-8 at all
        assert problems[0] == "content/news/2024-01-01-a.md:6: is not UTF-8 text; save the " \
                              "file as UTF-8"
    else:
        assert problems[0].startswith(f"content/news/2024-01-01-a.md:{line}: ")
        assert "invisible control character" in problems[0]


def test_years_outside_a_sane_range_are_problems(tmp_path):
    config = write_site(tmp_path, {
        "content/events/old.yaml": "title: Old\nstart: 0001-01-01\n",
        "content/events/late.yaml": "title: Late\nstart: 9999-12-31 23:30\n",
    })
    assert problems_of(config) == [
        "content/events/late.yaml:2: start: '9999-12-31 23:30' is outside the years 1900 to "
        "9998 (write a date such as 2020-07-06)",
        "content/events/old.yaml:2: start: '0001-01-01' is outside the years 1900 to 9998 "
        "(write a date such as 2020-07-06)"]


def test_yaml_nested_very_deeply_is_a_problem(tmp_path):
    config = write_site(tmp_path, {"content/events/deep.yaml": "a: " + "[" * 2000 + "]" * 2000})
    assert problems_of(config) == [
        "content/events/deep.yaml: YAML is nested too deeply; write it out plainly"]


def test_a_control_byte_in_yaml_is_reported_at_its_line(tmp_path):
    config = write_site(tmp_path, {"content/events/e.yaml": "title: T\nstart: 2027-01-01\n"
                                                            "summary: a\x00b\n"})
    assert problems_of(config) == [
        "content/events/e.yaml:3: contains the invisible control character U+0000, which feeds "
        "and web pages cannot carry (it often comes with pasted text); delete it"]
    line = len(config.read_text(encoding="utf-8").splitlines()) + 1
    with config.open("a", encoding="utf-8") as handle:
        handle.write("description: a\x07b\n")
    assert problems_of(config) == [
        f"site_config.yaml:{line}: contains the character U+0007, which YAML does not allow; "
        "delete it"]


def test_a_symlink_loop_is_a_problem(tmp_path):
    config = write_site(tmp_path, {"content/news/2024-01-01-a.md": article()})
    (tmp_path / "content/news/loop.md").symlink_to("loop.md")
    assert problems_of(config) == [
        "content/news/loop.md: is a broken symlink or a symlink loop; remove it"]


def test_a_page_whose_name_gives_no_address_is_a_problem(tmp_path):
    config = write_site(tmp_path, {"content/pages/!!!.md": "---\ntitle: Bangs\n---\nText\n"})
    assert problems_of(config) == [
        "content/pages/!!!.md:1: file name gives no address; rename it some-words.md or add "
        "slug: some-words"]


def test_command_line_values_are_blamed_on_the_command_line(tmp_path):
    config = write_site(tmp_path, {})
    assert problems_of(config, base_url="https://example.org/a?b") == [
        "--base-url: base_url: may not have ? or # parts (write https://news.example.org/ or "
        ".../site/)"]
    assert problems_of(config, output_dir=tmp_path / "content" / "out")[0].startswith(
        f"--output: {tmp_path / 'content' / 'out'} is inside {tmp_path / 'content'}")


def test_the_output_folder_may_not_be_inside_content(tmp_path):
    config = write_site(tmp_path, {}, {"output_dir": "content/media/out"})
    assert problems_of(config) == [
        f"site_config.yaml: output_dir: {tmp_path / 'content/media/out'} is inside "
        f"{tmp_path / 'content'}; choose a folder outside it such as public/"]


def test_a_failed_swap_puts_the_previous_site_back(tmp_path, monkeypatch):
    # Where the system cannot swap two folders in one step, two renames do it; if the
    # second fails, the first is undone.
    config = write_site(tmp_path, {"content/news/2024-01-01-a.md": article()})
    build_site(config, now=NOW)
    before = {p: p.read_bytes() for p in (tmp_path / "public").rglob("*") if p.is_file()}
    (tmp_path / "content/news/2024-01-02-b.md").write_text(article("B", "2024-01-02"))
    monkeypatch.setattr(output, "exchange_folders", lambda a, b: False)
    real_rename = Path.rename

    def failing_rename(self, target):
        if self.name.startswith(".newsroom-prev-"):
            raise OSError(28, "No space left on device", str(self))
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", failing_rename)
    with pytest.raises(BuildError) as caught:
        build_site(config, now=NOW)
    assert "cannot write: No space left on device" in str(caught.value)
    after = {p: p.read_bytes() for p in (tmp_path / "public").rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in tmp_path.iterdir()
            if p.name.startswith((".newsroom-trash", ".newsroom-old"))] == []
    assert output.MARKER in {p.name for p in (tmp_path / "public").iterdir()}


def test_without_an_atomic_exchange_two_renames_swap_the_site_in(tmp_path, monkeypatch):
    # Where renameat2 is missing (macOS, Windows, older kernels), the new output goes in by
    # two renames, and the folder swapped out is still kept for the next build.
    monkeypatch.setattr(output, "exchange_folders", lambda a, b: False)
    config = write_site(tmp_path, {"content/news/2024-01-01-a.md": article()})
    for day in (2, 3):
        build_site(config, now=NOW)
        (tmp_path / f"content/news/2024-01-0{day}-b{day}.md").write_text(
            article(f"B{day}", f"2024-01-0{day}"))
    build_site(config, now=NOW)
    fresh = build_site(config, now=NOW, output_dir=tmp_path / "fresh", use_cache=False)
    assert fresh.pages > 5
    assert {p.relative_to(tmp_path / "public"): p.read_bytes()
            for p in (tmp_path / "public").rglob("*") if p.is_file() and p.name != output.MARKER} \
        == {p.relative_to(tmp_path / "fresh"): p.read_bytes()
            for p in (tmp_path / "fresh").rglob("*") if p.is_file() and p.name != output.MARKER}
    assert (tmp_path / ".newsroom-prev-public" / output.MARKER).is_file()  # (kept, trusted)
    assert not list(tmp_path.glob(".newsroom-old-*"))


def test_headings_an_editor_writes_never_clash_with_the_theme_ids(tmp_path):
    body = "# Headline\n\n## Main\n\n## Related events\n\n## Upcoming\n\nText.\n"
    out = build(tmp_path, {
        "content/news/2024-01-01-a.md": article("A", "2024-01-01", body=body,
                                                related_events=["talk"]),
        "content/events/talk.yaml": "title: Talk\nstart: 2027-01-01 10:00\n",
    })
    page = soup(out / "news/a/index.html")
    ids = Counter(tag["id"] for tag in page.find_all(id=True))
    assert [i for i, n in ids.items() if n > 1] == []
    assert page.find("a", class_="skip-link")["href"] == "#nr-main"


def test_the_language_must_be_a_language_tag(tmp_path):
    config = write_site(tmp_path, {}, {"language": '"><script>'})
    assert problems_of(config) == [
        "site_config.yaml:4: language: '\"><script>' is not a language tag (write en-GB, en, "
        "cy or fr)"]


def test_an_event_with_no_place_has_no_empty_location_in_json_ld(tmp_path):
    out = build(tmp_path, {"content/events/e.yaml": "title: T\nstart: 2027-01-01 10:00\n"})
    data = json.loads(soup(out / "events/e/index.html").find(
        "script", type="application/ld+json").string)
    assert "location" not in data


def test_a_custom_key_is_kept_but_a_typo_of_a_field_is_an_error(tmp_path):
    config = write_site(tmp_path, {
        "content/news/2024-01-01-a.md": article("A", "2024-01-01", subtitle="Kept"),
        "content/news/2024-01-02-b.md": article("B", "2024-01-02", catgory="News"),
    })
    assert problems_of(config) == [
        "content/news/2024-01-02-b.md:4: unknown key 'catgory' (did you mean 'category'?)"]


def test_only_real_time_zones_are_accepted(tmp_path):
    config = write_site(tmp_path, {}, {"timezone": "localtime"})
    assert problems_of(config) == [
        "site_config.yaml:5: timezone: 'localtime' is not a known time zone (write an IANA "
        "name such as Europe/London or America/New_York)"]
