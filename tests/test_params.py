"""Site settings for templates: `params:` in site_config.yaml reaches every template as
`params`; the built-in theme shows a logo, social links and a line of footer text from it."""

from __future__ import annotations

from pathlib import Path

from conftest import NOW, article, config_problems, soup, write_site

from newsroom.build import build_site
from newsroom.config import load_config

MINIMAL = "title: Parish News\nbase_url: https://news.example.org/\nlanguage: en-GB\n"
ONE_ARTICLE = {"content/news/2024-05-01-a.md": article("A")}


def built(root: Path, params: dict | None, config: dict | None = None) -> Path:
    settings = {**({"params": params} if params is not None else {}), **(config or {})}
    build_site(write_site(root, ONE_ARTICLE, settings), now=NOW)
    return root / "public"


# Reading them ------------------------------------------------------------------------------


def test_params_are_kept_as_the_yaml_has_them(tmp_path):
    params = {"greeting": "Hello", "numbers": [1, 2], "nested": {"on": True}, "when": "2024"}
    assert load_config(write_site(tmp_path, {}, {"params": params})).params == params


def test_a_site_without_params_has_an_empty_mapping(tmp_path):
    assert load_config(write_site(tmp_path, {})).params == {}
    assert load_config(write_site(tmp_path, {}, {"params": None})).params == {}


def test_params_that_are_not_a_mapping_are_an_error_at_their_line(tmp_path):
    assert config_problems(tmp_path, MINIMAL + "params:\n  - logo\n") == [
        "site_config.yaml:4: params: ['logo'] is not a set of key: value lines (indent them "
        "under the key, one per line)"]


def test_unknown_keys_are_fine_inside_params_but_not_beside_it(tmp_path):
    text = MINIMAL + "params:\n  anything_at_all: 1\nparms:\n  logo: /x.svg\n"
    assert config_problems(tmp_path, text) == [
        "site_config.yaml:6: unknown key 'parms' (did you mean 'params'?)"]


def test_the_keys_the_theme_uses_are_checked_at_their_lines(tmp_path):
    assert config_problems(tmp_path, MINIMAL + (
        "params:\n"                        # line 4
        "  logo: media/logo.svg\n"
        "  footer_text: [a, b]\n"
        "  social:\n"
        "    - name: Mastodon\n"           # line 8
        "      url: https://mastodon.social/@parish\n"
        "    - nmae: Bluesky\n"            # line 10
        "      url: bsky.app/profile/parish\n"
        "    - Instagram\n")) == [           # line 12
        "site_config.yaml:5: params: logo: 'media/logo.svg' is not a link (write "
        "/media/photo.jpg for a file on this site or https://example.org/page)",
        "site_config.yaml:6: params: footer_text: ['a', 'b'] is not text (write plain text, "
        "in quotes if it contains ': ')",
        "site_config.yaml:10: params: social link 2: unknown key 'nmae' (did you mean "
        "'name'?)",
        "site_config.yaml:11: params: social link 2: url: 'bsky.app/profile/parish' is not a "
        "link (write /media/photo.jpg for a file on this site or https://example.org/page)",
        "site_config.yaml:10: params: social link 2: name: missing (add name: Mastodon)",
        "site_config.yaml:12: params: social link 3: expected key: value lines (a mapping), "
        "found str",
    ]


def test_social_links_that_are_not_a_list_are_an_error_at_their_line(tmp_path):
    text = MINIMAL + "params:\n  social: https://mastodon.social/@p\n"
    assert config_problems(tmp_path, text) == [
        "site_config.yaml:5: params: social: 'https://mastodon.social/@p' is not a list "
        "(write one '- ' line per item)"]


# What readers see --------------------------------------------------------------------------


def test_params_reach_the_sites_own_templates(tmp_path):
    root = tmp_path / "site"
    (root / "templates").mkdir(parents=True)
    (root / "templates" / "page.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>{{ page.title }}</h1>'
        '<p id="said">{{ params.greeting }} {{ params.numbers | join("+") }}</p>'
        '{% endblock %}\n', encoding="utf-8")
    files = {"content/pages/about.md": "---\ntitle: About\n---\n\nUs.\n"}
    build_site(write_site(root, files, {"templates_dir": "templates",
                                        "params": {"greeting": "Hi", "numbers": [1, 2]}}),
               now=NOW)
    assert soup(root / "public" / "about" / "index.html").find(id="said").get_text() == "Hi 1+2"


def test_the_logo_stands_for_the_sites_name_in_the_masthead(tmp_path):
    public = built(tmp_path, {"logo": "/media/logo.svg"}, {"base_url": "https://e.org/site/"})
    for page in ("index.html", "news/a/index.html"):
        name = soup(public / page).select_one(".masthead .site-name")
        assert name["href"] == "/site/"
        assert name.img["src"] == "/site/media/logo.svg"
        assert name.img["alt"] == "Test News"
        assert name.get_text(strip=True) == ""


def test_a_logo_elsewhere_is_linked_as_it_is(tmp_path):
    public = built(tmp_path, {"logo": "https://cdn.example.net/logo.png"})
    assert soup(public / "index.html").select_one(".site-name img")["src"] \
        == "https://cdn.example.net/logo.png"


def test_social_links_and_the_footer_text_are_in_every_footer(tmp_path):
    public = built(tmp_path, {
        "footer_text": "Made by volunteers in the parish.",
        "social": [{"name": "Mastodon", "url": "https://mastodon.social/@parish"},
                   {"name": "Newsletter", "url": "/newsletter/"}],
    }, {"base_url": "https://e.org/site/"})
    for page in ("index.html", "news/a/index.html", "404.html"):
        footer = soup(public / page).find("footer", class_="site-footer")
        links = [(a.get_text(), a["href"]) for a in footer.select(".social-links a")]
        assert links == [("Mastodon", "https://mastodon.social/@parish"),
                         ("Newsletter", "/site/newsletter/")]
        assert footer.select_one(".footer-text").get_text() == "Made by volunteers in the parish."


def test_without_params_the_masthead_shows_the_name_and_the_footer_only_the_feeds(tmp_path):
    page = soup(built(tmp_path, None) / "index.html")
    assert page.select_one(".site-name").get_text() == "Test News"
    assert page.select(".masthead img") == []
    assert page.select(".social-links, .footer-text") == []


def test_changing_params_renders_every_page_again(tmp_path):
    root = tmp_path / "site"
    first = built(root, {"footer_text": "Before."})
    again = build_site(root / "site_config.yaml", now=NOW)
    assert again.rendered == 0
    write_site(root, {}, {"params": {"footer_text": "After."}})
    changed = build_site(root / "site_config.yaml", now=NOW)
    assert changed.rendered == changed.pages
    assert soup(first / "news" / "a" / "index.html").select_one(".footer-text").get_text() \
        == "After."
