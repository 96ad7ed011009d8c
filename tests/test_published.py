"""Published addresses never break unnoticed (issue 23): every build records the addresses it
published in published-urls.txt, `check` names each one a change would take off the site, at
the file that should keep it as an alias, and `check --fix` writes those aliases."""

from __future__ import annotations

import os

import pytest
from conftest import NOW, article, write_site

from newsroom.build import build_site
from newsroom.cli import main
from newsroom.problems import Problem
from newsroom.published import (
    FILE_NAME,
    HEADER,
    Break,
    add_aliases,
    broken_addresses,
    find_breaks,
    record_published,
)

SITE = {
    "content/news/2024-05-01-budget-approved.md": article("Budget approved", "2024-05-01"),
    "content/news/2024-05-02-x.md": article("Roads", "2024-05-02", slug="roads-reopen"),
    "content/news/2024-05-03-harbour.md": article("Harbour", "2024-05-03",
                                                  aliases=["/2019/harbour.html"]),
    "content/events/open-day.yaml": "title: Open day\nstart: 2027-01-01 10:00\n",
    "content/events/talks.yaml": ("- title: First talk\n  start: 2027-02-01 10:00\n"
                                  "- title: Second talk\n  start: 2027-03-01 10:00\n"),
    "content/pages/about.md": "---\ntitle: About us\n---\nWho we are.\n",
}
# Published under a path: the file keeps addresses as editors write them, without it.
CONFIG = {"base_url": "https://example.org/site/"}

RECORDED = [
    "/2019/harbour.html\tcontent/news/2024-05-03-harbour.md",
    "/about/\tcontent/pages/about.md",
    "/events/2027-02-01-first-talk/\tcontent/events/talks.yaml",
    "/events/2027-03-01-second-talk/\tcontent/events/talks.yaml",
    "/events/open-day/\tcontent/events/open-day.yaml",
    "/news/budget-approved/\tcontent/news/2024-05-01-budget-approved.md",
    "/news/harbour/\tcontent/news/2024-05-03-harbour.md",
    "/news/roads-reopen/\tcontent/news/2024-05-02-x.md",
]


@pytest.fixture
def site(tmp_path, monkeypatch):
    """The site above, built once (so its addresses are published), as the working folder."""
    write_site(tmp_path, SITE, CONFIG)
    monkeypatch.chdir(tmp_path)
    assert main(["build", "-q"]) == 0
    return tmp_path


def recorded(root) -> list[str]:
    """The address lines of published-urls.txt (its comments left out)."""
    text = (root / FILE_NAME).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if not line.startswith("#")]


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def check(capsys, *options: str) -> tuple[int, list[str]]:
    """Run `newsroom check` with the options: its exit code and the lines of its stderr."""
    capsys.readouterr()
    code = main(["check", *options])
    return code, capsys.readouterr().err.splitlines()


# What a build records ------------------------------------------------------------------------

def test_a_first_build_records_every_article_event_and_page_address_with_its_file(site):
    text = (site / FILE_NAME).read_text(encoding="utf-8")
    assert text.startswith(HEADER)
    header = text.splitlines()[:3]
    assert all(line.startswith("# ") for line in header)
    assert "Commit it" in HEADER
    assert recorded(site) == RECORDED  # sorted; lists, feeds and indexes are not recorded


def test_a_rebuild_with_nothing_new_leaves_the_file_untouched(site):
    path = site / FILE_NAME
    before = path.read_bytes()
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    assert main(["build", "-q"]) == 0
    assert path.read_bytes() == before
    assert path.stat().st_mtime_ns == 1_000_000_000  # not even written again


def test_recording_says_whether_it_wrote(site):
    report = build_site(site / "site_config.yaml", now=NOW)
    assert record_published(report) is False
    (site / FILE_NAME).unlink()
    assert record_published(report) is True
    assert recorded(site) == RECORDED


def test_a_build_adds_new_addresses_and_never_takes_a_line_out(site):
    (site / "content/news/2024-05-06-ferry.md").write_text(article("Ferry", "2024-05-06"))
    (site / "content/pages/about.md").unlink()
    assert main(["build", "-q"]) == 0
    assert recorded(site) == sorted([*RECORDED,
                                     "/news/ferry/\tcontent/news/2024-05-06-ferry.md"])


def test_a_known_address_is_recorded_with_the_file_that_serves_it_now(site):
    (site / "content/pages/about.md").unlink()
    (site / "content/pages/who-we-are.md").write_text(
        "---\ntitle: Who we are\naliases: [/about/]\n---\nUs.\n")
    assert main(["build", "-q"]) == 0
    lines = recorded(site)
    assert "/about/\tcontent/pages/who-we-are.md" in lines
    assert "/about/\tcontent/pages/about.md" not in lines


def test_an_expired_article_keeps_its_address_recorded(site):
    edit(site / "content/news/2024-05-03-harbour.md", "title: Harbour",
         "title: Harbour\nexpires: 2025-01-01")
    assert main(["build", "-q"]) == 0
    assert recorded(site) == RECORDED
    assert main(["check", "-q"]) == 0  # its address leads to the news: nothing broke


def test_build_with_drafts_or_future_articles_records_nothing(tmp_path, monkeypatch):
    write_site(tmp_path, {
        "content/news/2024-05-01-plans.md": article("Plans", "2024-05-01", draft=True),
        "content/news/2999-01-01-later.md": article("Later", "2999-01-01"),
    })
    monkeypatch.chdir(tmp_path)
    assert main(["build", "-q", "--drafts"]) == 0
    assert main(["build", "-q", "--future"]) == 0
    assert not (tmp_path / FILE_NAME).exists()
    assert main(["build", "-q"]) == 0
    assert recorded(tmp_path) == []  # neither is out yet


def test_check_never_writes_the_file(site, capsys):
    (site / FILE_NAME).unlink()
    assert check(capsys) == (0, [])
    assert not (site / FILE_NAME).exists()


# What check says when an address would break ------------------------------------------------

ALIAS = "(newsroom check --fix adds it)"


def break_slug(root) -> str:
    edit(root / "content/news/2024-05-02-x.md", "slug: roads-reopen", "slug: roads-open-again")
    return (f"content/news/2024-05-02-x.md:2: its address was /news/roads-reopen/ (published "
            f"before); add aliases: [/news/roads-reopen/] to keep that address working {ALIAS}")


def break_title(root) -> str:
    # The slug comes from the file's name: a new title, and the file renamed after it.
    old = root / "content/news/2024-05-01-budget-approved.md"
    old.unlink()
    (root / "content/news/2024-05-01-budget-approved-by-council.md").write_text(
        article("Budget approved by council", "2024-05-01"))
    return ("content/news/2024-05-01-budget-approved-by-council.md:2: its address was "
            "/news/budget-approved/ (published before); add aliases: [/news/budget-approved/] "
            f"to keep that address working {ALIAS}")


def break_renamed_file(root) -> str:
    (root / "content/events/open-day.yaml").rename(root / "content/events/open-day-2027.yaml")
    return ("content/events/open-day-2027.yaml:1: its address was /events/open-day/ "
            "(published before); add aliases: [/events/open-day/] to keep that address "
            f"working {ALIAS}")


def break_renamed_file_with_aliases(root) -> str:
    # The alias goes beside the ones the file has: the problem is at its aliases: line.
    (root / "content/news/2024-05-03-harbour.md").rename(
        root / "content/news/2024-05-03-harbour-works.md")
    return ("content/news/2024-05-03-harbour-works.md:4: its address was /news/harbour/ "
            "(published before); add aliases: [/news/harbour/] to keep that address working "
            f"{ALIAS}")


def break_deleted_file(root) -> str:
    (root / "content/pages/about.md").unlink()
    return ("published-urls.txt:5: /about/ was published from content/pages/about.md, which "
            "is gone; restore it with expires: (then its address leads to its section), or "
            "add aliases: [/about/] to the page that replaces it")


BREAKS = [break_slug, break_title, break_renamed_file, break_renamed_file_with_aliases,
          break_deleted_file]


@pytest.mark.parametrize("change", BREAKS, ids=lambda change: change.__name__)
def test_check_names_the_published_address_a_change_breaks(site, capsys, change):
    expected = change(site)
    assert check(capsys) == (1, [expected, "Check failed: 1 problem."])


@pytest.mark.parametrize("change", BREAKS, ids=lambda change: change.__name__)
def test_check_names_it_as_a_github_annotation_too(site, capsys, change):
    place, message = change(site).split(": ", 1)
    path, line = place.split(":")
    assert check(capsys, "--format", "github") == (
        1, [f"::error file={path},line={line}::{message}"])


def test_a_new_slug_a_build_has_recorded_already_is_still_named_at_its_file(site, capsys):
    expected = break_slug(site)
    assert main(["build", "-q"]) == 0
    assert check(capsys) == (1, [expected, "Check failed: 1 problem."])


def test_a_changed_event_in_a_list_is_named_at_its_own_line(site, capsys):
    edit(site / "content/events/talks.yaml", "title: Second talk", "title: Second lecture")
    assert check(capsys)[1][0] == (
        "content/events/talks.yaml:3: its address was /events/2027-03-01-second-talk/ "
        "(published before); add aliases: [/events/2027-03-01-second-talk/] to keep that "
        f"address working {ALIAS}")


def test_an_event_taken_out_of_its_list_is_named_in_the_published_file(site, capsys):
    (site / "content/events/talks.yaml").write_text(
        "- title: First talk\n  start: 2027-02-01 10:00\n")
    assert check(capsys)[1][0] == (
        "published-urls.txt:7: /events/2027-03-01-second-talk/ was published from "
        "content/events/talks.yaml, which no longer puts it on the site; restore it with "
        "expires: (then its address leads to its section), or add "
        "aliases: [/events/2027-03-01-second-talk/] to the page that replaces it")


def test_an_alias_for_the_old_address_makes_check_pass_again(site, capsys):
    break_slug(site)
    edit(site / "content/news/2024-05-02-x.md", "slug: roads-open-again",
         "slug: roads-open-again\naliases: [/news/roads-reopen/]")
    assert check(capsys) == (0, [])


def test_a_deleted_file_whose_address_another_page_takes_passes(site, capsys):
    break_deleted_file(site)
    (site / "content/pages/who-we-are.md").write_text(
        "---\ntitle: Who we are\naliases:\n  - /about/\n---\nUs.\n")
    assert check(capsys) == (0, [])


def test_a_file_renamed_to_something_else_entirely_is_taken_for_gone(site):
    (site / "content/pages/about.md").rename(site / "content/pages/contact.md")
    report = build_site(site / "site_config.yaml", now=NOW)
    assert [(b.address, b.record) for b in find_breaks(report)] == [("/about/", None)]


def test_lines_check_cannot_read_are_problems_and_conflict_markers_are_read_past(site):
    path = site / FILE_NAME
    lines = path.read_text().splitlines()
    path.write_text("\n".join([*lines[:4], "<<<<<<< HEAD", lines[4], "=======",
                               "/news/gone/ content/news/gone.md", ">>>>>>> branch",
                               *lines[5:]]) + "\n")
    report = build_site(site / "site_config.yaml", now=NOW)
    assert broken_addresses(report) == [Problem(FILE_NAME, 8, (
        "'/news/gone/ content/news/gone.md' is not an address and the file it comes from; "
        "write the address (/news/its-slug/), a tab, then the file "
        "(content/news/its-file.md)"))]
    with pytest.raises(Exception, match="is not an address"):
        record_published(report)  # (the build warns, and writes nothing)


# check --fix ---------------------------------------------------------------------------------

def test_fix_adds_the_aliases_and_the_site_then_checks_clean_with_working_redirects(
        site, capsys):
    break_slug(site)  # a Markdown article without aliases:
    break_renamed_file_with_aliases(site)  # one with an aliases: list
    edit(site / "content/events/talks.yaml", "title: Second talk", "title: Second lecture")
    capsys.readouterr()
    assert main(["check", "--fix"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[:3] == [
        "content/events/talks.yaml: added aliases: /events/2027-03-01-second-talk/",
        "content/news/2024-05-02-x.md: added aliases: /news/roads-reopen/",
        "content/news/2024-05-03-harbour-works.md: added aliases: /news/harbour/",
    ]
    assert out.splitlines()[3].startswith("No problems: ")
    assert err == ""
    assert (site / "content/news/2024-05-02-x.md").read_text() == article(
        "Roads", "2024-05-02", slug="roads-open-again").replace(
        "---\n\n", "aliases:\n  - /news/roads-reopen/\n---\n\n")
    assert (site / "content/news/2024-05-03-harbour-works.md").read_text() == article(
        "Harbour", "2024-05-03", aliases=["/2019/harbour.html", "/news/harbour/"])
    assert (site / "content/events/talks.yaml").read_text() == (
        "- title: First talk\n  start: 2027-02-01 10:00\n"
        "- title: Second lecture\n  start: 2027-03-01 10:00\n"
        "  aliases:\n    - /events/2027-03-01-second-talk/\n")
    assert check(capsys) == (0, [])
    assert main(["build", "-q"]) == 0
    for old, new in [("news/roads-reopen", "news/roads-open-again"),
                     ("news/harbour", "news/harbour-works"),
                     ("events/2027-03-01-second-talk", "events/2027-03-01-second-lecture")]:
        page = (site / "public" / old / "index.html").read_text()
        assert f'content="0; url=https://example.org/site/{new}/"' in page


def test_fix_leaves_what_it_cannot_fix_to_the_editor(site, capsys):
    break_deleted_file(site)
    capsys.readouterr()
    assert main(["check", "--fix"]) == 1
    out, err = capsys.readouterr()
    assert "added aliases" not in out
    assert err.splitlines()[-1] == "Check failed: 1 problem."


def test_fixing_keeps_comments_order_line_endings_and_flow_lists(tmp_path):
    markdown = ("---\r\ntitle: A  # the headline\r\naliases: [/x/]\r\ndate: 2024-01-01\r\n"
                "---\r\nA\r\n")
    events = "# Our talks\n- {title: Talk, start: 2027-01-01 10:00}  # the first\n"
    write_site(tmp_path, {"content/events/talks.yaml": events})
    (tmp_path / "content/news").mkdir()
    (tmp_path / "content/news/2024-01-01-a.md").write_bytes(markdown.encode())
    site = build_site(tmp_path / "site_config.yaml", now=NOW).site
    breaks = [Break("/news/old/", "content/news/old.md", 4, site.articles[0], False),
              Break("/events/old/", "content/events/old.yaml", 5, site.events[0], False)]
    assert add_aliases(tmp_path, breaks) == {"content/events/talks.yaml": ("/events/old/",),
                                             "content/news/2024-01-01-a.md": ("/news/old/",)}
    assert (tmp_path / "content/news/2024-01-01-a.md").read_bytes() == markdown.replace(
        "[/x/]", "[/x/, /news/old/]").encode()
    assert (tmp_path / "content/events/talks.yaml").read_text() == events.replace(
        "10:00}", "10:00, aliases: [/events/old/]}")
