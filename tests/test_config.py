"""config.load_config: site_config.yaml read, checked and completed with defaults."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from conftest import TEMPLATES, config_file, load_problems, write_site

from newsroom.config import CONFIG_SCHEMA, MenuItem, load_config

MINIMAL = "title: Parish News\nbase_url: https://news.example.org/\n"


def test_a_minimal_config_gets_the_documented_defaults(tmp_path):
    config = load_config(config_file(tmp_path, MINIMAL))
    assert config.root == tmp_path.resolve()
    assert config.title == "Parish News"
    assert config.description == ""
    assert config.base_url == "https://news.example.org/"
    assert config.base_path == "/"
    assert config.language == "en-GB"
    assert config.timezone == ZoneInfo("UTC")
    assert config.author == "Parish News"
    assert config.publisher == "Parish News"
    assert config.news_title == "News"
    assert config.events_title == "Events"
    assert config.menu == ()
    assert config.per_page == 10
    assert config.home_news == 5
    assert config.home_events == 3
    assert config.feed_limit == 20
    assert config.feed_full_content is True
    assert config.output_dir == tmp_path.resolve() / "public"
    assert config.templates_dir == tmp_path.resolve() / "templates"
    assert config.sanitize_html is True
    assert config.copyright == ""


def test_every_setting_is_read(tmp_path):
    path = write_site(tmp_path, {}, {
        "author": "Editor", "publisher": "Parish Council", "news_title": "Latest",
        "events_title": "What's on", "per_page": 4, "home_news": 2, "home_events": 0,
        "feed_limit": 7, "feed_full_content": False, "sanitize_html": False,
        "copyright": "© Parish", "output_dir": "build", "templates_dir": str(TEMPLATES)})
    config = load_config(path)
    assert config.title == "Test News"
    assert config.description == "A site for tests."
    assert config.timezone == ZoneInfo("Europe/London")
    assert (config.author, config.publisher) == ("Editor", "Parish Council")
    assert (config.news_title, config.events_title) == ("Latest", "What's on")
    assert (config.per_page, config.home_news, config.home_events) == (4, 2, 0)
    assert (config.feed_limit, config.feed_full_content) == (7, False)
    assert config.sanitize_html is False
    assert config.copyright == "© Parish"
    assert config.output_dir == tmp_path.resolve() / "build"
    assert config.templates_dir == TEMPLATES.resolve()


def test_base_url_with_a_path_gets_a_trailing_slash_and_gives_the_base_path(tmp_path):
    path = config_file(tmp_path, "title: T\nbase_url: https://example.org/site\n")
    config = load_config(path)
    assert config.base_url == "https://example.org/site/"
    assert config.base_path == "/site/"


def test_base_url_without_a_path_gets_a_slash(tmp_path):
    config = load_config(config_file(tmp_path, "title: T\nbase_url: https://example.org\n"))
    assert config.base_url == "https://example.org/"
    assert config.base_path == "/"


def test_base_url_argument_overrides_the_file(tmp_path):
    config = load_config(config_file(tmp_path, MINIMAL), base_url="https://preview.example.org/pr/7")
    assert config.base_url == "https://preview.example.org/pr/7/"
    assert config.base_path == "/pr/7/"


def test_a_bad_base_url_argument_is_reported_as_the_option(tmp_path):
    assert load_problems(config_file(tmp_path, MINIMAL), base_url="preview.example.org") == [
        "--base-url: 'preview.example.org' is not a full web address (write "
        "https://example.org/page)"]


def test_base_url_with_a_query_is_an_error_at_its_line(tmp_path):
    path = config_file(tmp_path, "title: T\nbase_url: https://example.org/?x=1\n")
    assert load_problems(path) == [
        "site_config.yaml:2: base_url: may not have ? or # parts (write "
        "https://news.example.org/ or .../site/)"]


def test_unknown_key_near_a_known_one_is_an_error_with_a_suggestion(tmp_path):
    path = config_file(tmp_path, "titel: Parish News\nbase_url: https://news.example.org/\n")
    assert load_problems(path) == [
        "site_config.yaml:1: unknown key 'titel' (did you mean 'title'?)",
        "site_config.yaml:1: title: missing (add title: Our news)",
    ]


def test_unknown_key_far_from_any_setting_lists_the_settings(tmp_path):
    path = config_file(tmp_path, MINIMAL + "theme: dark\n")
    known = ", ".join(sorted(CONFIG_SCHEMA))
    assert load_problems(path) == [f"site_config.yaml:3: unknown key 'theme' (known keys: {known})"]


def test_every_problem_in_the_config_is_reported_at_once(tmp_path):
    path = config_file(tmp_path, "title: T\nbase_url: example.org\ntimezone: Mars/Olympus\n"
                                 "per_page: 0\nfeed_full_content: yes please\n")
    assert load_problems(path) == [
        "site_config.yaml:2: base_url: 'example.org' is not a full web address (write "
        "https://example.org/page)",
        "site_config.yaml:3: timezone: 'Mars/Olympus' is not a known time zone (write an "
        "IANA name such as Europe/London or America/New_York)",
        "site_config.yaml:4: per_page: 0 is not a whole number from 1 to 1000",
        "site_config.yaml:5: feed_full_content: 'yes please' is not true or false (write "
        "true or false)",
    ]


def test_missing_file_says_where_to_run_newsroom(tmp_path):
    assert load_problems(tmp_path / "site_config.yaml") == [
        "site_config.yaml: no site_config.yaml here (run newsroom in the site's folder or "
        "pass --config path/to/site_config.yaml)"]


def test_a_file_that_is_not_utf8_is_reported(tmp_path):
    path = tmp_path / "site_config.yaml"
    path.write_bytes(b"title: Caf\xe9 News\nbase_url: https://news.example.org/\n")
    assert load_problems(path) == [
        "site_config.yaml: is not UTF-8 text (byte 10); save it as UTF-8"]


def test_a_utf8_file_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "site_config.yaml"
    path.write_bytes("\ufefftitle: Café News\nbase_url: https://news.example.org/\n"
                     .encode("utf-8"))
    assert load_config(path).title == "Café News"


def test_an_empty_file_says_what_to_write(tmp_path):
    assert load_problems(config_file(tmp_path, "")) == [
        "site_config.yaml:1: is empty (write title:, base_url: and the other settings from "
        "the README)"]


def test_a_config_that_is_not_a_mapping_is_an_error(tmp_path):
    assert load_problems(config_file(tmp_path, "- title: T\n")) == [
        "site_config.yaml:1: expected key: value lines (a mapping), found list"]


def test_a_yaml_syntax_error_is_reported_with_its_line(tmp_path):
    problems = load_problems(config_file(tmp_path, MINIMAL + "description: Ohio: news\n"))
    assert problems == [
        "site_config.yaml:3: YAML syntax error: mapping values are not allowed here (a value "
        "containing ': ' must be quoted, e.g. title: \"Ohio: lessons\")"]


def test_menu_items_are_read_in_order(tmp_path):
    path = config_file(tmp_path, MINIMAL + "menu:\n  - title: News\n    url: /news/\n"
                                           "  - title: Council\n    url: https://example.gov/\n")
    assert load_config(path).menu == (MenuItem("News", "/news/"),
                                       MenuItem("Council", "https://example.gov/"))


def test_menu_items_are_checked_with_their_number_and_line(tmp_path):
    path = config_file(tmp_path, MINIMAL + "menu:\n"
                                           "  - title: News\n"
                                           "    url: /news/\n"
                                           "  - titel: Events\n"
                                           "    url: events\n")
    assert load_problems(path) == [
        "site_config.yaml:6: menu item 2: unknown key 'titel' (did you mean 'title'?)",
        "site_config.yaml:7: menu item 2: url: 'events' is not a link (write /media/photo.jpg "
        "for a file on this site or https://example.org/page)",
        "site_config.yaml:6: menu item 2: title: missing (add title: News)",
    ]


def test_a_menu_that_is_not_a_list_is_an_error(tmp_path):
    path = config_file(tmp_path, MINIMAL + "menu: /news/\n")
    assert load_problems(path) == [
        "site_config.yaml:3: menu: '/news/' is not a list (write one '- ' line per item)"]


def test_output_dir_in_the_file_is_relative_to_the_file_not_the_working_folder(
        tmp_path, monkeypatch):
    path = config_file(tmp_path / "site", MINIMAL + "output_dir: ../build\n")
    monkeypatch.chdir(tmp_path)
    assert load_config(path).output_dir == (tmp_path / "build").resolve()


def test_output_dir_argument_overrides_the_file_and_is_resolved(tmp_path, monkeypatch):
    path = config_file(tmp_path / "site", MINIMAL + "output_dir: public\n")
    monkeypatch.chdir(tmp_path)
    assert load_config(path, output_dir=Path("preview")).output_dir == tmp_path.resolve() / \
        "preview"
    assert load_config(path, output_dir=tmp_path / "a" / ".." / "b").output_dir == \
        tmp_path.resolve() / "b"


def test_a_relative_config_path_gives_an_absolute_root(tmp_path, monkeypatch):
    config_file(tmp_path / "site", MINIMAL)
    monkeypatch.chdir(tmp_path)
    config = load_config(Path("site/site_config.yaml"))
    assert config.root == (tmp_path / "site").resolve()
    assert config.root.is_absolute()
