"""render.py: templates escape what editors write and point at their own line when they fail."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jinja2
import jinja2.compiler
import pytest
from conftest import NOW, TEMPLATES, article, soup, write_site

from newsroom.build import build_site
from newsroom.problems import BuildError
from newsroom.render import make_environment

# Markup that tries to run a script and to close the JSON-LD <script> it is quoted in.
HOSTILE = '</script><script>alert("owned")</script> & <b>bold</b> "quoted"'


def site_with_own_templates(root: Path, files: dict[str, str]) -> Path:
    """A tiny site with a copy of the templates in root/templates; return its config path."""
    config = write_site(root, files, {"templates_dir": "templates"})
    shutil.copytree(TEMPLATES, root / "templates")
    return config


def edit_template(root: Path, name: str, old: str, new: str) -> int:
    """Replace old (found once) by new in root/templates/name; return the edited line."""
    path = root / "templates" / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def problems_of(config: Path) -> list[str]:
    """The problems a build of config reports, as the editor reads them."""
    with pytest.raises(BuildError) as caught:
        build_site(config, now=NOW)
    return [str(p) for p in caught.value.problems]


def test_a_misspelt_attribute_names_the_template_line_and_the_article(tmp_path: Path) -> None:
    root = tmp_path / "site"
    config = site_with_own_templates(root, {"content/news/x.md": article("X")})
    line = edit_template(root, "article.html", ">{{ article.title }}</h1>",
                         ">{{ article.titel }}</h1>")
    assert problems_of(config) == [
        f"templates/article.html:{line}: 'Article' has no attribute 'titel' "
        "(while rendering content/news/x.md)"]
    assert not (root / "public").exists()


def test_every_article_that_hits_a_template_error_is_named(tmp_path: Path) -> None:
    root = tmp_path / "site"
    config = site_with_own_templates(root, {
        "content/news/2024-05-01-a.md": article("A", "2024-05-01"),
        "content/news/2024-05-02-b.md": article("B", "2024-05-02"),
    })
    line = edit_template(root, "article.html", ">{{ article.title }}</h1>",
                         ">{{ article.titel }}</h1>")
    assert sorted(problems_of(config)) == [
        f"templates/article.html:{line}: 'Article' has no attribute 'titel' "
        f"(while rendering content/news/2024-05-0{n}-{slug}.md)"
        for n, slug in ((1, "a"), (2, "b"))]


def test_an_undefined_name_names_the_template_line(tmp_path: Path) -> None:
    root = tmp_path / "site"
    config = site_with_own_templates(root, {
        "content/pages/about.md": "---\ntitle: About\n---\n\nHi.\n"})
    line = edit_template(root, "page.html", "{{ page.title }}", "{{ pgae.title }}")
    assert problems_of(config) == [
        f"templates/page.html:{line}: 'pgae' is undefined "
        "(while rendering content/pages/about.md)"]


def test_an_error_in_a_partial_names_the_partial_and_its_line(tmp_path: Path) -> None:
    root = tmp_path / "site"
    config = site_with_own_templates(root, {"content/news/x.md": article("X")})
    line = edit_template(root, "partials/article_card.html", "{{ item.title }}",
                         "{{ item.titel }}")
    problems = problems_of(config)
    assert problems
    assert all(p.startswith(f"templates/partials/article_card.html:{line}: 'Article' has no "
                            "attribute 'titel' (while rendering /") for p in problems)
    assert f"templates/partials/article_card.html:{line}: 'Article' has no attribute 'titel' " \
           "(while rendering /news/)" in problems


def test_a_template_syntax_error_names_the_file_and_line_once(tmp_path: Path) -> None:
    root = tmp_path / "site"
    config = site_with_own_templates(root, {
        "content/news/2024-05-01-a.md": article("A", "2024-05-01"),
        "content/news/2024-05-02-b.md": article("B", "2024-05-02"),
    })
    line = edit_template(root, "article.html", '<h1 id="nr-headline">',
                         '{% if %}<h1 id="nr-headline">')
    assert problems_of(config) == [
        f"templates/article.html:{line}: template syntax error: Expected an expression, "
        "got 'end of statement block'"]


def test_a_syntax_error_in_the_base_template_is_reported_once(tmp_path: Path) -> None:
    root = tmp_path / "site"
    config = site_with_own_templates(root, {"content/news/x.md": article("X")})
    line = edit_template(root, "base.html", "{% block main %}{% endblock %}",
                         "{% block main %}{% endblok %}")
    [problem] = problems_of(config)
    assert problem.startswith(f"templates/base.html:{line}: template syntax error: ")
    assert "endblok" in problem


def test_a_missing_template_is_named(tmp_path: Path) -> None:
    root = tmp_path / "site"
    config = write_site(root, {"content/pages/about.md": "---\ntitle: About\n---\n\nHi.\n",
                               "templates/page.html": '{% include "partials/nope.html" %}'},
                        {"templates_dir": "templates"})
    assert problems_of(config) == ["templates: template 'partials/nope.html' is missing; add it"]


def test_templates_refuse_undefined_names(tmp_path: Path) -> None:
    env = make_environment((tmp_path,))
    with pytest.raises(jinja2.UndefinedError) as caught:
        env.from_string("Hello {{ nobody }}").render()
    assert str(caught.value) == "'nobody' is undefined"
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ thing.missing }}").render(thing={})
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{% for x in nothing %}{% endfor %}").render()


@pytest.mark.parametrize("name", ["page.html", "feed.xml"])
def test_html_and_xml_templates_escape_values(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text("<p>{{ value }}</p>", encoding="utf-8")
    rendered = make_environment((tmp_path,)).get_template(name).render(value='<b a="1">&</b>')
    assert rendered == "<p>&lt;b a=&#34;1&#34;&gt;&amp;&lt;/b&gt;</p>"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site whose article, category, tag, event, page and menu carry markup in their text."""
    root = tmp_path_factory.mktemp("hostile") / "site"
    config = write_site(root, {
        "content/news/2024-05-01-hostile.md": article(HOSTILE, category=HOSTILE, tags=[HOSTILE],
                                                      summary=HOSTILE, author=HOSTILE),
        "content/events/hostile.yaml": json.dumps({
            "title": HOSTILE, "start": "2027-01-01 10:00", "location": HOSTILE,
            "summary": HOSTILE, "slug": "hostile"}),
        "content/pages/about.md": "---\n" + json.dumps({"title": HOSTILE, "summary": HOSTILE})
                                  + "\n---\n\nAbout.\n",
    }, {"menu": [{"title": HOSTILE, "url": "/news/"}], "description": HOSTILE})
    build_site(config, now=NOW)
    return root / "public"


def test_markup_in_titles_never_appears_raw_in_any_page(hostile_site: Path) -> None:
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text, page
        assert "<b>bold</b>" not in text, page
        scripts = soup(page).find_all("script")
        # Only the page's JSON-LD and the theme's own scripts, by address.
        assert [s.get("type") for s in scripts if not s.get("src")] == ["application/ld+json"]
        assert all(s["src"].startswith("/static/") for s in scripts if s.get("src")), page


def test_titles_with_markup_read_as_written(hostile_site: Path) -> None:
    page = soup(hostile_site / "news" / "hostile" / "index.html")
    assert page.h1.get_text() == HOSTILE
    assert page.title.get_text() == f"{HOSTILE} · Test News"
    assert page.find("meta", property="og:title")["content"] == HOSTILE
    assert page.find("meta", attrs={"name": "description"})["content"] == HOSTILE
    event = soup(hostile_site / "events" / "hostile" / "index.html")
    assert event.h1.get_text() == HOSTILE


@pytest.mark.parametrize(("page", "key"), [
    ("news/hostile/index.html", "headline"),
    ("events/hostile/index.html", "name"),
    ("about/index.html", "name"),
])
def test_json_ld_cannot_be_broken_out_of(hostile_site: Path, page: str, key: str) -> None:
    parsed = soup(hostile_site / page)
    [script] = parsed.find_all("script", type="application/ld+json")
    data = json.loads(script.string)
    assert data[key] == HOSTILE
    assert "</script" not in script.string


def test_json_ld_of_the_seed_article(sample_site: Path) -> None:
    page = soup(sample_site / "news" / "bright-future-for-life-sciences-in-the-midlands"
                / "index.html")
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Bright future for life sciences in the Midlands"
    assert data["url"] == ("https://news.example.org/news/"
                           "bright-future-for-life-sciences-in-the-midlands/")
    assert data["datePublished"] == "2020-07-06T00:00:00+01:00"
    assert data["articleSection"] == "People & places"
