"""The built-in theme, and a site that changes one file of it without owning the rest."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import NOW, TEMPLATES, article, soup, write_site

from newsroom.build import build_site
from newsroom.problems import BuildError
from newsroom.theme import builtin_theme

FILES = {"content/news/2024-05-01-hello.md": article("Hello", "2024-05-01", body="Words."),
         "content/pages/about.md": "---\ntitle: About\n---\n\nUs.\n"}


def own_site(root: Path, files: dict[str, str]) -> Path:
    """A site whose config names no theme: the built-in one, with `files` in front of it."""
    return write_site(root, {**FILES, **files})


def test_the_built_in_theme_is_the_top_level_templates_folder():
    assert builtin_theme() == TEMPLATES.resolve()
    assert (builtin_theme() / "base.html").is_file()


def test_a_site_without_templates_builds_with_the_built_in_theme(tmp_path):
    config = own_site(tmp_path, {})
    build_site(config, now=NOW)
    out = tmp_path / "public"
    assert (out / "static/style.css").read_bytes() == (TEMPLATES / "static/style.css").read_bytes()
    assert soup(out / "news/hello/index.html").h1.get_text() == "Hello"


def test_one_template_of_its_own_and_the_rest_from_the_theme(tmp_path):
    config = own_site(tmp_path, {"templates/article.html": (
        '{% extends "base.html" %}{% block main %}<h1>Ours: {{ article.title }}</h1>'
        "{% endblock %}")})
    build_site(config, now=NOW)
    out = tmp_path / "public"
    assert soup(out / "news/hello/index.html").h1.get_text() == "Ours: Hello"
    assert soup(out / "about/index.html").h1.get_text() == "About"  # (the theme's page.html)
    assert (out / "static/style.css").is_file()


def test_an_override_extends_the_themes_own_version_and_changes_one_block(tmp_path):
    config = own_site(tmp_path, {"templates/article.html": (
        '{% extends "theme/article.html" %}{% block main %}'
        '<p class="banner">Members only</p>{{ super() }}{% endblock %}')})
    build_site(config, now=NOW)
    page = soup(tmp_path / "public/news/hello/index.html")
    assert page.select_one("main p.banner").get_text() == "Members only"
    assert page.h1.get_text() == "Hello"  # (the theme's block, kept by super())
    assert page.select_one("main .article-meta") is not None


def test_a_base_template_of_its_own_frames_the_themes_pages(tmp_path):
    base = (TEMPLATES / "base.html").read_text(encoding="utf-8")
    config = own_site(tmp_path, {"templates/base.html": base.replace(
        "<body ", '<body class="ours" ')})
    build_site(config, now=NOW)
    assert soup(tmp_path / "public/about/index.html").body["class"] == ["ours"]


def test_static_files_of_its_own_replace_the_themes_and_add_to_them(tmp_path):
    config = own_site(tmp_path, {"templates/static/style.css": "body { color: teal; }\n",
                                 "templates/static/brand/logo.svg": "<svg/>\n"})
    build_site(config, now=NOW)
    out = tmp_path / "public/static"
    assert (out / "style.css").read_text() == "body { color: teal; }\n"
    assert (out / "brand/logo.svg").is_file()
    assert (out / "events.js").read_bytes() == (TEMPLATES / "static/events.js").read_bytes()


def test_an_edited_override_renders_the_pages_again(tmp_path):
    config = own_site(tmp_path, {"templates/page.html": (
        '{% extends "theme/page.html" %}{% block main %}v1{% endblock %}')})
    build_site(config, now=NOW)
    (tmp_path / "templates/page.html").write_text(
        '{% extends "theme/page.html" %}{% block main %}v2{% endblock %}', encoding="utf-8")
    build_site(config, now=NOW)
    assert "v2" in (tmp_path / "public/about/index.html").read_text(encoding="utf-8")


def test_a_templates_dir_that_is_not_there_is_a_problem_at_its_line(tmp_path):
    config = write_site(tmp_path, FILES, {"templates_dir": "theme"})
    with pytest.raises(BuildError) as caught:
        build_site(config, now=NOW)
    [problem] = caught.value.problems
    lines = (tmp_path / "site_config.yaml").read_text(encoding="utf-8").splitlines()
    assert (problem.path, lines[problem.line - 1]) == ("site_config.yaml", "templates_dir: theme")
    assert problem.message.startswith("templates_dir: theme is not a folder;")


def test_the_sample_site_has_no_copy_of_the_theme():
    config = (TEMPLATES.parent / "site_config.yaml").read_text(encoding="utf-8")
    assert "templates_dir" not in config
