"""content.read_content: articles, events, pages and media read from content/ with places."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from conftest import article, write_site

from newsroom.config import load_config
from newsroom.content import Asset, read_content

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


def read(root: Path, files: dict[str, str], config: dict | None = None):
    """Write a site and read its content: (Content, [problem strings])."""
    content, problems = read_content(load_config(write_site(root, files, config)))
    return content, [str(p) for p in problems]


def read_events(root: Path, text: str, config: dict | None = None):
    content, problems = read(root, {"content/events/listing.yaml": text}, config)
    return content.events, problems


# Articles


def test_article_fields_are_read_from_front_matter_and_file_name(tmp_path):
    content, problems = read(tmp_path, {"content/news/2020-07-06-bright-future.md": article(
        "Bright future", "2020-07-06 09:30", body="First words.", author="Ada",
        category="People & places", tags=["science", "health"], summary="In short.",
        image="/media/photo.jpg", updated="2020-07-07", guid="urn:x:1",
        related_events=["2020-08-01-fair"])})
    assert problems == []
    [item] = content.articles
    assert item.source == "content/news/2020-07-06-bright-future.md"
    assert item.slug == "bright-future"
    assert item.title == "Bright future"
    assert item.date == datetime(2020, 7, 6, 9, 30, tzinfo=LONDON)
    assert item.author == "Ada"
    assert item.category == "People & places"
    assert item.tags == ("science", "health")
    assert item.summary == "In short."
    assert item.image == "/media/photo.jpg"
    assert item.draft is False
    assert item.updated == datetime(2020, 7, 7, tzinfo=LONDON)
    assert item.guid == "urn:x:1"
    assert item.related_events == ("2020-08-01-fair",)
    assert item.markdown.strip() == "First words."


def test_article_slug_comes_from_the_file_name_without_the_date(tmp_path):
    content, problems = read(tmp_path, {
        "content/news/2020-07-06-Bright Future.md": article("One"),
        "content/news/no-date-here.md": article("Two"),
    })
    assert problems == []
    assert sorted(a.slug for a in content.articles) == ["bright-future", "no-date-here"]


def test_article_slug_in_front_matter_wins_over_the_file_name(tmp_path):
    content, problems = read(tmp_path, {
        "content/news/2020-07-06-x.md": article("One", slug="chosen-words")})
    assert problems == []
    assert content.articles[0].slug == "chosen-words"


def test_article_date_without_time_is_midnight_in_the_site_time_zone(tmp_path):
    content, problems = read(tmp_path, {"content/news/a.md": article(date="2020-07-06")},
                             {"timezone": "America/New_York"})
    assert problems == []
    moment = content.articles[0].date
    assert moment == datetime(2020, 7, 6, 0, 0, tzinfo=NEW_YORK)
    assert moment.tzinfo is not None
    assert moment.utcoffset() is not None


def test_article_date_with_an_offset_keeps_the_offset(tmp_path):
    content, problems = read(tmp_path, {"content/news/a.md": article(
        date="2020-07-06 09:30+02:00")})
    assert problems == []
    assert content.articles[0].date == datetime(2020, 7, 6, 7, 30, tzinfo=ZoneInfo("UTC"))


def test_article_author_defaults_to_the_site_author(tmp_path):
    content, _ = read(tmp_path, {"content/news/a.md": article()}, {"author": "The Editor"})
    assert content.articles[0].author == "The Editor"


def test_article_tags_are_a_tuple_from_a_list_or_a_line(tmp_path):
    content, problems = read(tmp_path, {
        "content/news/a.md": article("A", tags=["x", "y"]),
        "content/news/b.md": article("B", tags="x, y, x"),
    })
    assert problems == []
    assert [a.tags for a in content.articles] == [("x", "y"), ("x", "y")]


def test_unknown_front_matter_keys_are_kept_in_extra_for_templates(tmp_path):
    content, problems = read(tmp_path, {"content/news/a.md": article(
        hero_colour="teal", image_alt="A hall")})
    assert problems == []
    assert content.articles[0].extra == {"hero_colour": "teal"}


@pytest.mark.parametrize("kind", ["article", "event"])
def test_a_lead_image_comes_with_its_alternative_text_caption_and_credit(tmp_path, kind):
    fields = {"image": "/media/hall.jpg", "image_alt": "The main hall, full",
              "image_caption": "The opening session.", "image_credit": "Ada Lens"}
    files = {"content/news/a.md": article(**fields)} if kind == "article" else {
        "content/events/a.yaml": yaml.safe_dump({"title": "Talk", "start": "2027-01-01 10:00",
                                                 **fields})}
    content, problems = read(tmp_path, files)
    assert problems == []
    [record] = content.articles if kind == "article" else content.events
    assert (record.image, record.image_alt, record.image_caption, record.image_credit) == (
        "/media/hall.jpg", "The main hall, full", "The opening session.", "Ada Lens")


def test_an_empty_image_alt_says_the_picture_is_decoration(tmp_path):
    content, problems = read(tmp_path, {
        "content/news/a.md": article(image="/media/line.svg", image_alt=""),
        "content/news/b.md": article(image="/media/line.svg")})
    assert problems == []
    assert [a.image_alt for a in content.articles] == ["", None]


def test_article_remembers_the_line_of_every_front_matter_key(tmp_path):
    text = "---\ntitle: Hi\ndate: 2020-07-06\ntags:\n  - a\n  - b\nhero_colour: teal\n---\nBody\n"
    content, problems = read(tmp_path, {"content/news/a.md": text})
    assert problems == []
    assert content.articles[0].lines == {"title": 2, "date": 3, "tags": 4, "hero_colour": 7}


def test_body_line_is_the_file_line_of_the_bodys_first_character(tmp_path):
    text = "---\ntitle: Hi\ndate: 2020-07-06\n---\n\nFirst line.\nSecond line.\n"
    content, problems = read(tmp_path, {"content/news/a.md": text})
    assert problems == []
    item = content.articles[0]
    body_lines = item.markdown.split("\n")
    assert item.body_line + body_lines.index("Second line.") == 7


def test_a_bad_date_points_at_its_line_in_the_file(tmp_path):
    text = "---\ntitle: Bright future\ndate: July 6th\n---\nBody\n"
    _, problems = read(tmp_path, {"content/news/2020-07-06-bright-future.md": text})
    assert problems == [
        "content/news/2020-07-06-bright-future.md:3: date: 'July 6th' is not a date "
        "(write 2020-07-06 or 2020-07-06 09:30)"]


def test_an_impossible_unquoted_date_points_at_its_line_and_names_the_value(tmp_path):
    text = "---\ntitle: Leap day\ndate: 2020-02-30\n---\nBody\n"
    content, problems = read(tmp_path, {"content/news/a.md": text})
    assert content.articles == ()
    assert len(problems) == 1
    assert problems[0].startswith("content/news/a.md:3: ")
    assert "2020-02-30" in problems[0]


def test_a_yaml_syntax_error_in_front_matter_points_at_its_line_in_the_file(tmp_path):
    text = "---\ndate: 2020-07-06\ntitle: Ohio: lessons\n---\nBody\n"
    _, problems = read(tmp_path, {"content/news/a.md": text})
    assert problems == [
        "content/news/a.md:3: YAML syntax error: mapping values are not allowed here (a value "
        "containing ': ' must be quoted, e.g. title: \"Ohio: lessons\")"]


def test_a_near_miss_of_a_known_front_matter_key_is_an_error(tmp_path):
    text = "---\ntitel: Bright future\ndate: 2020-07-06\n---\nBody\n"
    content, problems = read(tmp_path, {"content/news/a.md": text})
    assert content.articles == ()
    assert problems == [
        "content/news/a.md:2: unknown key 'titel' (did you mean 'title'?)",
        "content/news/a.md:2: title: missing (add title: \"Your headline\")",
    ]


def test_missing_date_is_an_error(tmp_path):
    _, problems = read(tmp_path, {"content/news/a.md": "---\ntitle: Hi\n---\nBody\n"})
    assert problems == [
        "content/news/a.md:2: date: missing (add date: 2020-07-06 or 2020-07-06 09:30)"]


def test_a_file_with_a_byte_order_mark_and_crlf_line_ends_reads_fine(tmp_path):
    write_site(tmp_path, {})
    path = tmp_path / "content/news/a.md"
    path.parent.mkdir(parents=True)
    path.write_bytes("\ufeff---\r\ntitle: Café\r\ndate: 2020-07-06\r\n---\r\nBody\r\n"
                     .encode("utf-8"))
    content, problems = read_content(load_config(tmp_path / "site_config.yaml"))
    assert problems == []
    [item] = content.articles
    assert item.title == "Café"
    assert item.lines == {"title": 2, "date": 3}
    assert "\r" not in item.markdown
    assert item.markdown.strip() == "Body"


def test_a_file_that_is_not_utf8_is_a_problem_at_the_line_of_the_bad_byte(tmp_path):
    write_site(tmp_path, {})
    path = tmp_path / "content/news/a.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"---\ntitle: Hi\ndate: 2020-07-06\n---\n\nCaf\xe9 society\n")
    content, problems = read_content(load_config(tmp_path / "site_config.yaml"))
    assert content.articles == ()
    assert [str(p) for p in problems] == [
        "content/news/a.md:6: is not UTF-8 text; save the file as UTF-8"]


def test_an_empty_article_is_a_problem(tmp_path):
    _, problems = read(tmp_path, {"content/news/a.md": "\n  \n"})
    assert problems == [
        "content/news/a.md:1: is empty; start the article with front matter: a line ---, then "
        "title: and the other fields, then ---"]


def test_an_article_without_front_matter_is_a_problem(tmp_path):
    _, problems = read(tmp_path, {"content/news/a.md": "# Hello\n\nWords.\n"})
    assert problems == [
        "content/news/a.md:1: has no front matter; start the article with a line ---, then "
        "title: and the other fields, then a line ---"]


def test_unclosed_front_matter_is_a_problem(tmp_path):
    _, problems = read(tmp_path, {"content/news/a.md": "---\ntitle: Hi\ndate: 2020-07-06\n"})
    assert problems == ["content/news/a.md:1: front matter is not closed; add a line --- after it"]


def test_front_matter_that_is_not_a_mapping_is_a_problem(tmp_path):
    _, problems = read(tmp_path, {"content/news/a.md": "---\n- title\n- date\n---\nBody\n"})
    assert problems == ["content/news/a.md:2: front matter must be key: value lines such as "
                        "title: Your headline"]


def test_a_file_in_content_news_that_is_not_markdown_is_a_problem(tmp_path):
    content, problems = read(tmp_path, {"content/news/photo.jpg": "x",
                                        "content/news/a.md": article()})
    assert len(content.articles) == 1
    assert problems == ["content/news/photo.jpg: not a .md or .markdown file; rename it or move "
                        "it to content/media/"]


def test_hidden_files_and_editor_backups_are_skipped(tmp_path):
    content, problems = read(tmp_path, {
        "content/news/.draft.md": "not even front matter",
        "content/news/.git/config": "x",
        "content/news/a.md~": "x",
        "content/media/.DS_Store": "x",
        "content/news/a.md": article(),
    })
    assert problems == []
    assert [a.source for a in content.articles] == ["content/news/a.md"]
    assert [a.url_path for a in content.assets if a.url_path.startswith("media/")] == []


def test_articles_in_subfolders_are_read(tmp_path):
    content, problems = read(tmp_path, {"content/news/2020/2020-07-06-one.md": article()})
    assert problems == []
    assert [(a.source, a.slug) for a in content.articles] == [
        ("content/news/2020/2020-07-06-one.md", "one")]


def test_problems_of_several_bad_files_are_all_reported_at_once(tmp_path):
    content, problems = read(tmp_path, {
        "content/news/a.md": "---\ntitle: A\ndate: July 6th\n---\n",
        "content/news/b.md": "no front matter",
        "content/news/c.md": article("Fine"),
        "content/events/e.yaml": "title: Fair\nstart: soon\n",
        "content/pages/about.md": "---\ntitel: About\n---\n",
    })
    assert [a.title for a in content.articles] == ["Fine"]
    assert problems == [
        "content/news/a.md:3: date: 'July 6th' is not a date (write 2020-07-06 or "
        "2020-07-06 09:30)",
        "content/news/b.md:1: has no front matter; start the article with a line ---, then "
        "title: and the other fields, then a line ---",
        "content/events/e.yaml:2: start: 'soon' is not a date (write 2020-07-06 or "
        "2020-07-06 09:30)",
        "content/pages/about.md:2: unknown key 'titel' (did you mean 'title'?)",
        "content/pages/about.md:2: title: missing (add title: About us)",
    ]


# Symlinks and media


def test_a_symlink_to_a_file_outside_the_site_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("password", encoding="utf-8")
    root = tmp_path / "site"
    write_site(root, {"content/media/ok.txt": "fine"})
    os.symlink(secret, root / "content/media/leak.txt")
    content, problems = read_content(load_config(root / "site_config.yaml"))
    assert [str(p) for p in problems] == [
        "content/media/leak.txt: is a symlink to a file outside the site; copy the file into "
        "the site instead"]
    assert [a.url_path for a in content.assets if a.url_path.startswith("media/")] == [
        "media/ok.txt"]


def test_a_symlinked_folder_outside_the_site_is_refused(tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "2020-07-06-x.md").write_text(article(), encoding="utf-8")
    root = tmp_path / "site"
    write_site(root, {"content/news/a.md": article()})
    os.symlink(outside, root / "content/news/more", target_is_directory=True)
    content, problems = read_content(load_config(root / "site_config.yaml"))
    assert [a.source for a in content.articles] == ["content/news/a.md"]
    assert len(problems) == 1
    assert str(problems[0]).startswith("content/news/more")
    assert "outside the site" in problems[0].message


def test_a_symlink_to_a_file_inside_the_site_is_allowed(tmp_path):
    write_site(tmp_path, {"shared/logo.svg": "<svg/>"})
    (tmp_path / "content/media").mkdir(parents=True)
    os.symlink(tmp_path / "shared/logo.svg", tmp_path / "content/media/logo.svg")
    content, problems = read_content(load_config(tmp_path / "site_config.yaml"))
    assert problems == []
    assert "media/logo.svg" in [a.url_path for a in content.assets]


def test_media_files_are_assets_under_media(tmp_path):
    content, problems = read(tmp_path, {"content/media/photos/hall.jpg": "x",
                                        "content/media/agenda.pdf": "y"})
    assert problems == []
    media = [a for a in content.assets if a.url_path.startswith("media/")]
    assert media == [
        Asset((tmp_path / "content/media/agenda.pdf").resolve(), "media/agenda.pdf"),
        Asset((tmp_path / "content/media/photos/hall.jpg").resolve(), "media/photos/hall.jpg"),
    ]


def test_static_files_of_the_templates_are_assets_under_static(tmp_path):
    content, _ = read(tmp_path, {})
    assert "static/style.css" in [a.url_path for a in content.assets]


def test_a_site_without_content_folders_reads_as_empty(tmp_path):
    content, problems = read(tmp_path, {})
    assert problems == []
    assert (content.articles, content.events, content.pages) == ((), (), ())


# Pages


def test_pages_are_read_with_a_slug_from_the_file_name(tmp_path):
    content, problems = read(tmp_path, {
        "content/pages/About Us.md": "---\ntitle: About us\nsummary: Who we are.\n---\nText\n"})
    assert problems == []
    [page] = content.pages
    assert (page.source, page.slug, page.title, page.summary) == (
        "content/pages/About Us.md", "about-us", "About us", "Who we are.")


# Events


def test_a_file_with_one_event_as_a_mapping(tmp_path):
    events, problems = read_events(tmp_path, "title: Summer fair\nstart: 2027-07-06 10:00\n"
                                             "end: 2027-07-06 16:00\nlocation: Town hall\n")
    assert problems == []
    [event] = events
    assert event.source == "content/events/listing.yaml"
    assert event.line == 1
    assert event.title == "Summer fair"
    assert event.start == datetime(2027, 7, 6, 10, 0, tzinfo=LONDON)
    assert event.end == datetime(2027, 7, 6, 16, 0, tzinfo=LONDON)
    assert event.all_day is False
    assert event.timezone == LONDON
    assert event.location == "Town hall"
    assert event.status == "scheduled"
    assert event.organiser == "Test News"
    assert event.lines == {"title": 1, "start": 2, "end": 3, "location": 4}


def test_a_file_with_a_list_of_events(tmp_path):
    events, problems = read_events(tmp_path, "- title: One\n  start: 2027-01-01\n"
                                             "- title: Two\n  start: 2027-02-01\n")
    assert problems == []
    assert [(e.title, e.line) for e in events] == [("One", 1), ("Two", 3)]


def test_a_problem_in_a_list_of_events_names_the_event_and_its_line(tmp_path):
    events, problems = read_events(tmp_path, "- title: One\n  start: 2027-01-01\n"
                                             "- title: Two\n  start: 2027-02-01\n"
                                             "  lcoation: Hall\n")
    assert [e.title for e in events] == ["One"]
    assert problems == ["content/events/listing.yaml:5: event 2: unknown key 'lcoation' "
                        "(did you mean 'location'?)"]


def test_a_missing_title_in_a_list_points_at_the_event(tmp_path):
    _, problems = read_events(tmp_path, "- title: One\n  start: 2027-01-01\n"
                                        "- start: 2027-02-01\n  location: Hall\n")
    assert problems == ["content/events/listing.yaml:3: event 2: title: missing "
                        "(add title: \"Members' meeting\")"]


def test_a_problem_in_a_single_event_has_no_label(tmp_path):
    _, problems = read_events(tmp_path, "title: Fair\nstart: 2027-01-01\nstatus: maybe\n")
    assert problems == ["content/events/listing.yaml:3: status: 'maybe' is not allowed (write "
                        "one of: scheduled, cancelled, postponed, rescheduled, moved-online)"]


def test_a_date_only_start_implies_all_day(tmp_path):
    events, problems = read_events(tmp_path, "title: Fair\nstart: 2027-07-06\n"
                                             "end: 2027-07-08\n")
    assert problems == []
    [event] = events
    assert event.all_day is True
    assert event.start == datetime(2027, 7, 6, tzinfo=LONDON)
    assert event.end == datetime(2027, 7, 8, tzinfo=LONDON)
    assert event.ends == datetime(2027, 7, 9, tzinfo=LONDON)


def test_all_day_true_with_a_timed_start_keeps_only_the_day(tmp_path):
    events, problems = read_events(tmp_path, "title: Fair\nstart: 2027-07-06 10:00\n"
                                             "all_day: true\n")
    assert problems == []
    assert events[0].all_day is True
    assert events[0].start == datetime(2027, 7, 6, tzinfo=LONDON)
    assert events[0].ends == datetime(2027, 7, 7, tzinfo=LONDON)


def test_a_timed_event_without_an_end_ends_at_its_start(tmp_path):
    events, _ = read_events(tmp_path, "title: Talk\nstart: 2027-07-06 10:00\n")
    assert events[0].end is None
    assert events[0].ends == datetime(2027, 7, 6, 10, 0, tzinfo=LONDON)


def test_an_end_before_the_start_is_an_error_naming_both(tmp_path):
    events, problems = read_events(tmp_path, "title: Talk\nstart: 2027-07-06 10:00\n"
                                             "end: 2027-07-06 09:00\n")
    assert events == ()
    assert problems == ["content/events/listing.yaml:3: end: 2027-07-06 09:00 is not after "
                        "the start 2027-07-06 10:00; write a later end, or leave it out"]


def test_an_all_day_end_before_the_start_is_an_error_naming_both(tmp_path):
    _, problems = read_events(tmp_path, "- title: Fair\n  start: 2027-07-06\n"
                                        "  end: 2027-07-05\n")
    assert problems == ["content/events/listing.yaml:3: event 1: end: 2027-07-05 is not after "
                        "the start 2027-07-06; write a later end, or leave it out"]


def test_a_timed_event_with_a_date_only_end_is_an_error(tmp_path):
    _, problems = read_events(tmp_path, "title: Talk\nstart: 2027-07-06 10:00\n"
                                        "end: 2027-07-07\n")
    assert problems == ["content/events/listing.yaml:3: end: give a time as well, like the "
                        "start (write 2027-07-07 17:00), or set all_day: true"]


def test_an_event_in_its_own_time_zone(tmp_path):
    events, problems = read_events(tmp_path, "title: Webinar\nstart: 2027-01-15 12:00\n"
                                             "end: 2027-01-15 13:00\n"
                                             "timezone: America/New_York\n")
    assert problems == []
    [event] = events
    assert event.timezone == NEW_YORK
    assert event.start == datetime(2027, 1, 15, 12, 0, tzinfo=NEW_YORK)
    assert event.start.utcoffset().total_seconds() == -5 * 3600
    assert event.end == datetime(2027, 1, 15, 13, 0, tzinfo=NEW_YORK)


def test_a_start_with_an_offset_is_shown_in_the_event_time_zone(tmp_path):
    events, problems = read_events(tmp_path, "title: Call\nstart: 2027-07-06 09:00+00:00\n")
    assert problems == []
    assert events[0].start == datetime(2027, 7, 6, 10, 0, tzinfo=LONDON)
    assert events[0].start.tzinfo == LONDON


def test_an_unknown_event_time_zone_is_an_error(tmp_path):
    _, problems = read_events(tmp_path, "title: Call\nstart: 2027-07-06\n"
                                        "timezone: Mars/Olympus\n")
    assert problems == ["content/events/listing.yaml:3: timezone: 'Mars/Olympus' is not a known "
                        "time zone (write an IANA name such as Europe/London or "
                        "America/New_York)"]


def test_a_listed_event_slug_defaults_to_its_start_date_and_title_and_uid_to_slug_at_host(
        tmp_path):
    events, problems = read_events(tmp_path, "- title: Summer Fair!\n  start: 2027-07-06 10:00\n",
                                   {"base_url": "https://news.example.org:8443/site/"})
    assert problems == []
    assert events[0].slug == "2027-07-06-summer-fair"
    assert events[0].uid == "2027-07-06-summer-fair@news.example.org"


def test_an_event_alone_in_its_file_takes_its_slug_from_the_file_name(tmp_path):
    events, problems = read_events(tmp_path, "title: Summer Fair!\nstart: 2027-07-06 10:00\n")
    assert problems == []
    assert events[0].slug == "listing"
    assert events[0].uid == "listing@news.example.org"


def test_event_slug_and_uid_can_be_given(tmp_path):
    events, problems = read_events(tmp_path, "title: Fair\nstart: 2027-07-06\nslug: fair\n"
                                             "uid: fair-2027@example.org\n")
    assert problems == []
    assert (events[0].slug, events[0].uid) == ("fair", "fair-2027@example.org")


def test_event_status_is_one_of_the_known_words(tmp_path):
    events, problems = read_events(tmp_path, "- title: A\n  start: 2027-07-06\n"
                                             "  status: Cancelled\n"
                                             "- title: B\n  start: 2027-07-07\n"
                                             "  status: canceled\n")
    assert [e.status for e in events] == ["cancelled"]
    assert problems == ["content/events/listing.yaml:6: event 2: status: 'canceled' is not "
                        "allowed (did you mean 'cancelled'? write one of: scheduled, cancelled, "
                        "postponed, rescheduled, moved-online)"]


def test_event_fields_are_read(tmp_path):
    events, problems = read_events(tmp_path, "\n".join([
        "title: Open day",
        "start: 2027-07-06 10:00",
        "online_url: https://meet.example.org/open",
        "booking_url: https://tickets.example.org/open",
        "organiser: Friends of the Park",
        "summary: Come and see.",
        "description: '**Bring** a picnic.'",
        "tags: [park, family]",
        "related: [park-reopens]",
        "dress_code: casual",
    ]) + "\n")
    assert problems == []
    [event] = events
    assert event.online_url == "https://meet.example.org/open"
    assert event.booking_url == "https://tickets.example.org/open"
    assert event.organiser == "Friends of the Park"
    assert event.summary == "Come and see."
    assert event.description == "**Bring** a picnic."
    assert event.tags == ("park", "family")
    assert event.related == ("park-reopens",)
    assert event.extra == {"dress_code": "casual"}


def test_an_empty_events_file_is_a_problem(tmp_path):
    _, problems = read_events(tmp_path, "# nothing yet\n")
    assert problems == ["content/events/listing.yaml:1: is empty; write an event (title:, "
                        "start:) or a list of them"]


def test_an_events_file_that_is_not_yaml_is_a_problem(tmp_path):
    _, problems = read(tmp_path, {"content/events/notes.md": "x"})
    assert problems == ["content/events/notes.md: not a .yaml or .yml file; rename it or move "
                        "it to content/media/"]


@pytest.mark.parametrize(("title", "slug"), [
    ("People & places", "people-places"), ("Café society", "cafe-society"),
    ("Ünïcode ﬁnance", "unicode-finance"), ("snake_case  words", "snake-case-words"),
    ("Москва news", "москва-news"), ("!!!", ""), ("2020: a year", "2020-a-year")])
def test_slugs_are_lowercase_words_joined_by_hyphens(title, slug):
    from newsroom.slugs import slugify

    assert slugify(title) == slug


@pytest.mark.parametrize(("path", "root", "shown"), [
    ("/a/b/c.md", "/a/b", "c.md"), ("/a/bc/d.md", "/a/b", "/a/bc/d.md"), ("/a/b", "/a/b", "."),
    ("/x/y.md", "/a", "/x/y.md"), ("/a/b/c.md", "/", "a/b/c.md"), ("rel/x.md", "rel", "x.md")])
def test_problems_show_paths_from_the_site_root_when_inside_it(path, root, shown):
    from newsroom.problems import site_path

    assert site_path(Path(path), Path(root)) == shown


def test_a_records_fingerprint_changes_with_its_text_and_its_place_only(tmp_path):
    # Pages name the records they show by fingerprint: any change must give another.
    def fingerprint(text: str, name: str = "2024-05-01-a.md",
                    config: dict | None = None) -> str:
        for old in (tmp_path / "content/news").glob("*.md"):
            old.unlink()
        content, problems = read(tmp_path, {f"content/news/{name}": text}, config)
        assert not problems
        return content.articles[0].fingerprint

    text = article("A", "2024-05-01", body="Body.", tags=["x"])
    first = fingerprint(text)
    assert fingerprint(text) == first
    assert len({first, fingerprint(text.replace("Body.", "Body!")),
                fingerprint(text.replace("x", "y")),
                fingerprint(text, name="2024-05-01-b.md"),
                fingerprint(text, config={"timezone": "Europe/Paris"})}) == 5
