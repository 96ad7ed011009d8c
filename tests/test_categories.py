"""Categories you can trust: declared in site_config.yaml, held to in every article and event,
described on their pages; the indexes of every category and every tag; and `check`'s warning
about a category that is probably a slip."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import NOW, article, build, config_problems, soup, write_site

from newsroom.build import build_site, read_site
from newsroom.config import Category, load_config
from newsroom.mentions import category_warnings
from newsroom.problems import BuildError

MINIMAL = "title: Parish News\nbase_url: https://news.example.org/\n"
DECLARED = {"categories": ["Guides", {"name": "Research", "description": "What the lab found."}]}


def build_problems(root: Path, files: dict[str, str], config: dict | None = None) -> list[str]:
    with pytest.raises(BuildError) as raised:
        build_site(write_site(root, files, config), now=NOW)
    assert not (root / "public").exists()
    return sorted(str(p) for p in raised.value.problems)


def warnings_of(root: Path, files: dict[str, str], config: dict | None = None) -> list[str]:
    site = read_site(load_config(write_site(root, files, config)), now=NOW,
                     render_markdown=False)
    return [str(p) for p in category_warnings(site)]


# Declaring them ----------------------------------------------------------------------------


def test_declared_categories_are_names_or_a_name_with_a_description(tmp_path):
    config = load_config(write_site(tmp_path, {}, DECLARED))
    assert config.categories == (Category("Guides"),
                                 Category("Research", "What the lab found."))


def test_a_site_that_declares_none_has_none(tmp_path):
    assert load_config(write_site(tmp_path, {})).categories == ()


def test_each_declared_category_is_checked_at_its_line(tmp_path):
    assert config_problems(tmp_path, MINIMAL + (
        "categories:\n"             # line 3
        "  - Guides\n"
        "  - [Guides, Research]\n"  # line 5
        "  - name: Research\n"
        "    descripton: What the lab found.\n"
        "  - description: No name\n"  # line 8
        "  - guides!\n"             # line 9
        "  -\n")) == [
        "site_config.yaml:5: category 2: ['Guides', 'Research'] is not a name (write a name "
        "such as - Guides, or name: and description: lines)",
        "site_config.yaml:7: category 3: unknown key 'descripton' (did you mean "
        "'description'?)",
        "site_config.yaml:8: category 4: name: missing (add name: Guides)",
        "site_config.yaml:9: category 5: 'guides!' is declared twice (first on line 4); "
        "keep one",
        "site_config.yaml:10: category 6: is empty (write a name such as - Guides, or name: "
        "and description: lines)",
    ]


def test_categories_that_are_not_a_list_are_an_error_at_their_line(tmp_path):
    assert config_problems(tmp_path, MINIMAL + "categories: Guides\n") == [
        "site_config.yaml:3: categories: 'Guides' is not a list (write one '- ' line per "
        "item)"]


# Holding to them ---------------------------------------------------------------------------


@pytest.mark.parametrize("category, what_to_write", [
    # Close to a declared one: that one is suggested.
    ("Guidse", "did you mean 'Guides'?"),
    # Far from every declared one: they are all named.
    ("Sport", "write one of: Guides, Research; or add it to categories: in site_config.yaml"),
])
def test_an_article_in_a_category_not_declared_is_an_error_at_its_category_line(
        tmp_path, category, what_to_write):
    assert build_problems(tmp_path, {
        "content/news/2024-05-01-a.md": article("A", category=category),
    }, DECLARED) == [
        f"content/news/2024-05-01-a.md:4: category: '{category}' is not one of the site's "
        f"categories ({what_to_write})"]


def test_drafts_and_articles_to_come_are_held_to_the_declared_categories_too(tmp_path):
    assert build_problems(tmp_path, {
        "content/news/2024-05-01-a.md": article("A", category="Reserch", draft=True),
        "content/news/2099-05-01-b.md": article("B", "2099-05-01", category="Guidse"),
    }, DECLARED) == [
        "content/news/2024-05-01-a.md:4: category: 'Reserch' is not one of the site's "
        "categories (did you mean 'Research'?)",
        "content/news/2099-05-01-b.md:4: category: 'Guidse' is not one of the site's "
        "categories (did you mean 'Guides'?)"]


def test_an_events_category_is_held_to_the_declared_ones_at_its_line(tmp_path):
    assert build_problems(tmp_path, {
        "content/events/talks.yaml": ("- title: First talk\n"
                                      "  start: 2027-04-01 18:30\n"
                                      "  category: Research\n"
                                      "- title: Second talk\n"
                                      "  start: 2027-05-01 18:30\n"
                                      "  category: Guidse\n"),
    }, DECLARED) == [
        "content/events/talks.yaml:6: event 2: category: 'Guidse' is not one of the site's "
        "categories (did you mean 'Guides'?)"]


def test_case_and_punctuation_do_not_matter_and_the_declared_spelling_is_shown(tmp_path):
    public = build(tmp_path, {
        "content/news/2024-05-01-a.md": article("A", category="guides!"),
        "content/news/2024-05-02-b.md": article("B", "2024-05-02", category="GUIDES"),
    }, DECLARED)
    page = soup(public / "category" / "guides" / "index.html")
    assert page.h1.get_text() == "Guides"
    assert {span.get_text() for span in page.select(".card .category")} == {"Guides"}
    assert soup(public / "news" / "a" / "index.html").select_one(".kicker").get_text() \
        == "Guides"


def test_a_declared_description_is_shown_under_the_heading_and_describes_the_page(tmp_path):
    public = build(tmp_path, {
        "content/news/2024-05-01-a.md": article("A", category="Research"),
        "content/news/2024-05-02-b.md": article("B", "2024-05-02", category="Guides"),
    }, DECLARED)
    research = soup(public / "category" / "research" / "index.html")
    assert research.h1.find_next_sibling("p").get_text() == "What the lab found."
    assert research.find("meta", attrs={"name": "description"})["content"] \
        == "What the lab found."
    guides = soup(public / "category" / "guides" / "index.html")
    assert guides.find("meta", attrs={"name": "description"})["content"] == "A site for tests."
    assert guides.select(".lede") == []


def test_a_declared_category_with_no_articles_has_no_page(tmp_path):
    public = build(tmp_path, {
        "content/news/2024-05-01-a.md": article("A", category="Guides"),
    }, DECLARED)
    assert (public / "category" / "guides" / "index.html").exists()
    assert not (public / "category" / "research").exists()
    index = soup(public / "category" / "index.html")
    assert [a.get_text() for a in index.select("main h2 a")] == ["Guides"]


def test_without_declared_categories_any_category_is_taken(tmp_path):
    public = build(tmp_path, {"content/news/2024-05-01-a.md": article("A", category="Sport")})
    assert soup(public / "category" / "sport" / "index.html").h1.get_text() == "Sport"


# The indexes -------------------------------------------------------------------------------


def test_the_index_of_categories_lists_each_with_its_articles_and_description(tmp_path):
    public = build(tmp_path, {
        "content/news/2024-05-01-a.md": article("A", category="Research"),
        "content/news/2024-05-02-b.md": article("B", "2024-05-02", category="Guides"),
        "content/news/2024-05-03-c.md": article("C", "2024-05-03", category="Guides"),
    }, {**DECLARED, "base_url": "https://example.org/site/"})
    index = soup(public / "category" / "index.html")
    assert index.h1.get_text() == "Categories"
    assert index.title.get_text() == "Categories · Test News"
    entries = [(item.h2.a["href"], item.h2.get_text(), item.select_one(".card-meta").get_text(),
                [p.get_text() for p in item.select(".card-summary")])
               for item in index.select("main li.card")]
    assert entries == [
        ("/site/category/guides/", "Guides", "2 articles", []),
        ("/site/category/research/", "Research", "1 article", ["What the lab found."]),
    ]


def test_the_index_of_tags_lists_each_with_its_number_of_articles(tmp_path):
    public = build(tmp_path, {
        "content/news/2024-05-01-a.md": article("A", tags=["beta", "Alpha"]),
        "content/news/2024-05-02-b.md": article("B", "2024-05-02", tags=["alpha"]),
    })
    index = soup(public / "tag" / "index.html")
    assert index.h1.get_text() == "Tags"
    assert [(li.a["href"], li.get_text(" ", strip=True)) for li in index.select("main .tags li")
            ] == [("/tag/alpha/", "alpha (2 articles )"), ("/tag/beta/", "beta (1 article )")]


def test_the_indexes_are_in_the_sitemap(tmp_path):
    public = build(tmp_path, {"content/news/2024-05-01-a.md": article("A", category="Guides",
                                                                      tags=["alpha"])})
    sitemap = (public / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://news.example.org/category/</loc>" in sitemap
    assert "<loc>https://news.example.org/tag/</loc>" in sitemap


def test_a_site_with_no_categories_or_tags_has_no_index_of_them(tmp_path):
    public = build(tmp_path, {"content/news/2024-05-01-a.md": article("A")}, DECLARED)
    assert not (public / "category").exists()
    assert not (public / "tag").exists()


# check's warnings --------------------------------------------------------------------------


@pytest.mark.parametrize("used, slip", [
    ("Guides", "Guidse"),
    # Close once case and punctuation are set aside.
    ("Life sciences", "Life... Science"),
])
def test_a_category_used_once_and_close_to_another_is_a_warning_at_its_line(tmp_path, used,
                                                                            slip):
    assert warnings_of(tmp_path, {
        "content/news/2024-05-01-a.md": article("A", category=used),
        "content/news/2024-05-02-b.md": article("B", "2024-05-02", category=used),
        "content/news/2024-05-03-c.md": article("C", "2024-05-03", category=slip),
    }) == [
        f"content/news/2024-05-03-c.md:4: category: '{slip}' is used only here and is close "
        f"to '{used}'; write '{used}', or declare the site's categories in site_config.yaml"]


def test_two_categories_used_once_and_close_to_each_other_are_both_warned_about(tmp_path):
    # Which is the slip is for the editor to say.
    assert warnings_of(tmp_path, {
        "content/news/2024-05-01-a.md": article("A", category="Guides"),
        "content/news/2024-05-02-b.md": article("B", "2024-05-02", category="Guidse"),
    }) == [
        "content/news/2024-05-01-a.md:4: category: 'Guides' is used only here and is close "
        "to 'Guidse'; write 'Guidse', or declare the site's categories in site_config.yaml",
        "content/news/2024-05-02-b.md:4: category: 'Guidse' is used only here and is close "
        "to 'Guides'; write 'Guides', or declare the site's categories in site_config.yaml"]


def test_an_events_category_counts_and_is_warned_about_at_its_line(tmp_path):
    assert warnings_of(tmp_path, {
        "content/news/2024-05-01-a.md": article("A", category="Research"),
        "content/events/talks.yaml": ("- title: First talk\n"
                                      "  start: 2027-04-01 18:30\n"
                                      "  category: Research\n"
                                      "- title: Second talk\n"
                                      "  start: 2027-05-01 18:30\n"
                                      "  category: Reserch\n"),
    }) == [
        "content/events/talks.yaml:6: category: 'Reserch' is used only here and is close "
        "to 'Research'; write 'Research', or declare the site's categories in "
        "site_config.yaml"]


def test_categories_used_more_than_once_or_not_close_to_another_are_not_warned_about(
        tmp_path):
    assert warnings_of(tmp_path, {
        "content/news/2024-05-01-a.md": article("A", category="Guides"),
        "content/news/2024-05-02-b.md": article("B", "2024-05-02", category="Guidse"),
        "content/news/2024-05-03-c.md": article("C", "2024-05-03", category="Guidse"),
        "content/news/2024-05-04-d.md": article("D", "2024-05-04", category="Sport"),
        "content/news/2024-05-05-e.md": article("E", "2024-05-05", category="guides"),
    }) == []


def test_a_site_that_declares_its_categories_gets_no_such_warning(tmp_path):
    assert warnings_of(tmp_path, {
        "content/news/2024-05-01-a.md": article("A", category="Guides"),
        "content/news/2024-05-02-b.md": article("B", "2024-05-02", category="Research"),
    }, {"categories": ["Guides", "Research", "Researchers"]}) == []
