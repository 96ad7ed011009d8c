"""site.assemble_site: what is published, in what order, and the indexes between records."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from conftest import NOW, article, write_site

from newsroom.config import load_config
from newsroom.content import read_content
from newsroom.problems import BuildError
from newsroom.site import Site, assemble_site


def assemble(root: Path, files: dict[str, str], config: dict | None = None, *,
             now: datetime = NOW, drafts: bool = False, future: bool = False) -> Site:
    """Write a site, read it, and assemble it as the build does."""
    site_config = load_config(write_site(root, files, config))
    content, problems = read_content(site_config)
    assert [str(p) for p in problems] == []
    return assemble_site(site_config, content, now=now, drafts=drafts, future=future)


def assembly_problems(root: Path, files: dict[str, str], **options) -> list[str]:
    with pytest.raises(BuildError) as raised:
        assemble(root, files, **options)
    return [str(p) for p in raised.value.problems]


def event(title: str, start: str, end: str | None = None, **fields: str) -> str:
    lines = [f"title: {title}", f"start: {start}"]
    if end:
        lines.append(f"end: {end}")
    lines += [f"{key}: {value}" for key, value in fields.items()]
    return "\n".join(lines) + "\n"


def slugs(records) -> list[str]:
    return [record.slug for record in records]


# What is published


def test_drafts_are_left_out(tmp_path):
    site = assemble(tmp_path, {"content/news/a.md": article("A", draft=True),
                               "content/news/b.md": article("B")})
    assert slugs(site.articles) == ["b"]


def test_drafts_are_published_when_asked_for(tmp_path):
    site = assemble(tmp_path, {"content/news/a.md": article("A", draft=True),
                               "content/news/b.md": article("B")}, drafts=True)
    assert slugs(site.articles) == ["a", "b"]


def test_future_articles_are_left_out_but_listed_as_scheduled(tmp_path):
    site = assemble(tmp_path, {"content/news/later.md": article("Later", "2026-11-28 12:01"),
                               "content/news/now.md": article("Now", "2026-11-28 12:00"),
                               "content/news/next.md": article("Next", "2027-01-01"),
                               "content/news/hidden.md": article("H", "2027-01-01",
                                                                 draft=True)})
    assert slugs(site.articles) == ["now"]
    assert slugs(site.scheduled) == ["later", "next"]


def test_future_articles_are_published_when_asked_for(tmp_path):
    site = assemble(tmp_path, {"content/news/later.md": article("Later", "2027-01-01"),
                               "content/news/now.md": article("Now", "2026-01-01")},
                    future=True)
    assert slugs(site.articles) == ["later", "now"]


def test_a_future_draft_needs_both_options(tmp_path):
    files = {"content/news/x.md": article("X", "2027-01-01", draft=True)}
    assert slugs(assemble(tmp_path / "a", files, future=True).articles) == []
    assert slugs(assemble(tmp_path / "b", files, drafts=True).articles) == []
    assert slugs(assemble(tmp_path / "c", files, drafts=True, future=True).articles) == ["x"]


# Order


def test_articles_are_sorted_newest_first_with_ties_broken_by_slug(tmp_path):
    site = assemble(tmp_path, {
        "content/news/2024-01-01-old.md": article("Old", "2024-01-01"),
        "content/news/2024-06-01-zebra.md": article("Zebra", "2024-06-01 09:00"),
        "content/news/2024-06-01-apple.md": article("Apple", "2024-06-01 09:00"),
        "content/news/2024-06-01-late.md": article("Late", "2024-06-01 17:00"),
        "content/news/2025-02-02-new.md": article("New", "2025-02-02"),
    })
    assert slugs(site.articles) == ["new", "late", "apple", "zebra", "old"]


def test_articles_at_the_same_moment_in_different_zones_tie(tmp_path):
    site = assemble(tmp_path, {
        "content/news/b.md": article("B", "2024-06-01 10:00+01:00"),
        "content/news/a.md": article("A", "2024-06-01 09:00+00:00"),
    })
    assert slugs(site.articles) == ["a", "b"]


def test_events_are_sorted_by_start(tmp_path):
    site = assemble(tmp_path, {
        "content/events/b.yaml": event("Second", "2027-03-01 10:00"),
        "content/events/a.yaml": event("Third", "2027-04-01"),
        "content/events/c.yaml": event("First", "2027-02-01"),
    })
    assert [e.title for e in site.events] == ["First", "Second", "Third"]


def test_upcoming_and_past_events_are_split_at_now(tmp_path):
    # NOW is 2026-11-28 12:00 in London.
    site = assemble(tmp_path, {"content/events/list.yaml": "".join("- " + event(*e).replace(
        "\n", "\n  ").rstrip() + "\n" for e in [
            ("Long ago", "2025-01-01"),
            ("This morning", "2026-11-28 09:00", "2026-11-28 11:59"),
            ("Today all day", "2026-11-28"),
            ("Running now", "2026-11-28 11:00", "2026-11-28 13:00"),
            ("Started without an end", "2026-11-28 11:00"),
            ("Festival", "2026-11-20", "2026-11-29"),
            ("Next year", "2027-01-01"),
            ("Yesterday", "2026-11-27"),
        ])})
    assert [e.title for e in site.upcoming_events] == [
        "Festival", "Today all day", "Running now", "Next year"]
    assert [e.title for e in site.past_events] == [
        "Started without an end", "This morning", "Yesterday", "Long ago"]


def test_an_all_day_event_today_is_still_upcoming_late_in_the_evening(tmp_path):
    late = datetime(2026, 11, 28, 23, 59, tzinfo=NOW.tzinfo)
    site = assemble(tmp_path, {"content/events/e.yaml": event("Fair", "2026-11-28")}, now=late)
    assert [e.title for e in site.upcoming_events] == ["Fair"]
    assert site.past_events == ()


def test_past_events_are_newest_first(tmp_path):
    site = assemble(tmp_path, {
        "content/events/a.yaml": event("Oldest", "2020-01-01"),
        "content/events/b.yaml": event("Newest", "2026-10-01 10:00", "2026-10-01 11:00"),
        "content/events/c.yaml": event("Middle", "2023-05-05"),
    })
    assert site.upcoming_events == ()
    assert [e.title for e in site.past_events] == ["Newest", "Middle", "Oldest"]


def test_pages_are_sorted_by_slug(tmp_path):
    page = "---\ntitle: {}\n---\nText\n"
    site = assemble(tmp_path, {"content/pages/contact.md": page.format("Contact"),
                               "content/pages/about.md": page.format("About")})
    assert slugs(site.pages) == ["about", "contact"]


# Unique slugs


def test_duplicate_article_slugs_name_both_files(tmp_path):
    problems = assembly_problems(tmp_path, {
        "content/news/2024-01-01-meeting.md": article("One", "2024-01-01"),
        "content/news/2024-02-01-meeting.md": article("Two", "2024-02-01"),
    })
    assert problems == [
        "content/news/2024-02-01-meeting.md:1: article 'meeting' is also used by "
        "content/news/2024-01-01-meeting.md:1; give one of them another slug: (or uid:)"]


def test_a_draft_still_claims_its_slug(tmp_path):
    problems = assembly_problems(tmp_path, {
        "content/news/a.md": article("One", slug="same"),
        "content/news/b.md": article("Two", slug="same", draft=True),
    })
    assert problems == [
        "content/news/b.md:1: article 'same' is also used by content/news/a.md:1; give one "
        "of them another slug: (or uid:)"]


def test_duplicate_event_slugs_name_both_places(tmp_path):
    problems = assembly_problems(tmp_path, {
        "content/events/a.yaml": event("Fair", "2027-07-06", slug="fair", uid="a@x"),
        "content/events/b.yaml": "- title: Talk\n  start: 2027-01-01\n"
                                 "- title: Fair again\n  start: 2027-08-01\n  slug: fair\n"
                                 "  uid: b@x\n",
    })
    assert problems == [
        "content/events/b.yaml:3: event 'fair' is also used by content/events/a.yaml:1; give "
        "one of them another slug: (or uid:)"]


def test_two_listed_events_with_the_same_date_and_title_clash_on_slug_and_uid(tmp_path):
    problems = assembly_problems(tmp_path, {
        "content/events/list.yaml": "- title: Fair\n  start: 2027-07-06\n"
                                    "- title: Fair\n  start: 2027-07-06 10:00\n",
    })
    assert problems == [
        "content/events/list.yaml:3: event '2027-07-06-fair' is also used by "
        "content/events/list.yaml:1; give one of them another slug: (or uid:)",
        "content/events/list.yaml:3: event uid '2027-07-06-fair@news.example.org' is also "
        "used by content/events/list.yaml:1; give one of them another slug: (or uid:)",
    ]


def test_a_file_with_one_event_names_it_so_moving_the_date_keeps_its_address(tmp_path):
    before = assemble(tmp_path / "a", {
        "content/events/2027-07-06-fair.yaml": event("Fair", "2027-07-06")})
    after = assemble(tmp_path / "b", {
        "content/events/2027-07-06-fair.yaml": event("Fair", "2027-08-01")})
    assert slugs(before.events) == slugs(after.events) == ["2027-07-06-fair"]
    assert before.events[0].uid == after.events[0].uid


def test_duplicate_page_slugs_name_both_files(tmp_path):
    page = "---\ntitle: About\n---\nText\n"
    problems = assembly_problems(tmp_path, {"content/pages/about.md": page,
                                            "content/pages/old/about.md": page})
    assert problems == [
        "content/pages/old/about.md:1: page 'about' is also used by content/pages/about.md:1; "
        "give one of them another slug: (or uid:)"]


# Related records


def test_an_article_naming_an_unknown_event_is_an_error_with_a_suggestion(tmp_path):
    text = ("---\ntitle: Report\ndate: 2024-05-01\nrelated_events: [2027-07-06-summer-fiar]\n"
            "---\nText\n")
    problems = assembly_problems(tmp_path, {
        "content/news/report.md": text,
        "content/events/2027-07-06-summer-fair.yaml": event("Summer fair", "2027-07-06"),
    })
    assert problems == [
        "content/news/report.md:4: related_events: no event '2027-07-06-summer-fiar' "
        "(did you mean '2027-07-06-summer-fair'?)"]


def test_an_event_naming_an_unknown_article_is_an_error_with_a_suggestion(tmp_path):
    problems = assembly_problems(tmp_path, {
        "content/news/2024-05-01-fair-report.md": article("Report"),
        "content/events/fair.yaml": "- title: Talk\n  start: 2027-01-01\n"
                                    "- title: Summer fair\n  start: 2027-07-06\n"
                                    "  related: [fair-reprot]\n",
    })
    assert problems == [
        "content/events/fair.yaml:5: related: no article 'fair-reprot' "
        "(did you mean 'fair-report'?)"]


def test_a_related_slug_like_nothing_known_says_what_to_write(tmp_path):
    problems = assembly_problems(tmp_path, {
        "content/news/a.md": article("A", related_events=["zzz"]),
        "content/events/2027-07-06-summer-fair.yaml": event("Summer fair", "2027-07-06"),
    })
    assert problems == ["content/news/a.md:4: related_events: no event 'zzz' (write the slug "
                        "of one, as in its address)"]


def test_every_cross_record_problem_is_reported_at_once(tmp_path):
    problems = assembly_problems(tmp_path, {
        "content/news/a.md": article("A", related_events=["nope"]),
        "content/news/b.md": article("B", slug="a"),
        "content/events/e.yaml": event("Fair", "2027-07-06", related="[nothing]"),
    })
    assert len(problems) == 3
    assert [p.split(":")[0] for p in problems] == [
        "content/events/e.yaml", "content/news/a.md", "content/news/b.md"]


def test_an_article_naming_an_event_links_both_ways(tmp_path):
    site = assemble(tmp_path, {
        "content/news/report.md": article("Report", related_events=["2027-07-06-fair"]),
        "content/news/other.md": article("Other"),
        "content/events/2027-07-06-fair.yaml": event("Fair", "2027-07-06"),
    })
    assert slugs(site.events_of_article["report"]) == ["2027-07-06-fair"]
    assert slugs(site.articles_of_event["2027-07-06-fair"]) == ["report"]
    assert "other" not in site.events_of_article


def test_an_event_naming_an_article_links_both_ways(tmp_path):
    site = assemble(tmp_path, {
        "content/news/report.md": article("Report"),
        "content/events/2027-07-06-fair.yaml": event("Fair", "2027-07-06", related="[report]"),
    })
    assert slugs(site.events_of_article["report"]) == ["2027-07-06-fair"]
    assert slugs(site.articles_of_event["2027-07-06-fair"]) == ["report"]


def test_a_link_named_from_both_sides_is_listed_once(tmp_path):
    site = assemble(tmp_path, {
        "content/news/report.md": article("Report", related_events=["2027-07-06-fair"]),
        "content/events/2027-07-06-fair.yaml": event("Fair", "2027-07-06", related="[report]"),
    })
    assert slugs(site.events_of_article["report"]) == ["2027-07-06-fair"]
    assert slugs(site.articles_of_event["2027-07-06-fair"]) == ["report"]


def test_linked_lists_are_sorted(tmp_path):
    site = assemble(tmp_path, {
        "content/news/old.md": article("Old", "2024-01-01", related_events=["b", "a"]),
        "content/news/new.md": article("New", "2025-01-01"),
        "content/events/list.yaml": "- title: B\n  start: 2027-02-01\n  slug: b\n"
                                    "  related: [old, new]\n"
                                    "- title: A\n  start: 2027-01-01\n  slug: a\n",
    })
    assert slugs(site.events_of_article["old"]) == ["a", "b"]
    assert slugs(site.articles_of_event["b"]) == ["new", "old"]


def test_a_link_to_an_unpublished_article_is_valid_but_not_shown(tmp_path):
    site = assemble(tmp_path, {
        "content/news/draft.md": article("Draft", draft=True,
                                         related_events=["2027-07-06-fair"]),
        "content/news/soon.md": article("Soon", "2027-01-01"),
        "content/events/2027-07-06-fair.yaml": event("Fair", "2027-07-06", related="[soon]"),
    })
    assert site.events_of_article == {}
    assert site.articles_of_event == {}


# Categories, tags and years


def test_categories_group_spellings_by_slug_under_the_first_spelling(tmp_path):
    site = assemble(tmp_path, {
        "content/news/a.md": article("A", "2024-03-01", category="Life sciences"),
        "content/news/b.md": article("B", "2024-02-01", category="life Sciences"),
        "content/news/c.md": article("C", "2024-01-01", category="Arts"),
        "content/news/d.md": article("D", "2023-01-01"),
    })
    assert [(t.name, t.slug, slugs(t.articles)) for t in site.categories] == [
        ("Arts", "arts", ["c"]),
        ("Life sciences", "life-sciences", ["a", "b"]),
    ]


def test_tags_group_case_insensitively_and_list_articles_newest_first(tmp_path):
    site = assemble(tmp_path, {
        "content/news/old.md": article("Old", "2024-01-01", tags=["nhs", "Research"]),
        "content/news/new.md": article("New", "2024-06-01", tags=["NHS", "funding"]),
        "content/news/draft.md": article("Draft", "2024-07-01", tags=["secret"], draft=True),
    })
    assert [(t.name, t.slug, slugs(t.articles)) for t in site.tags] == [
        ("funding", "funding", ["new"]),
        ("NHS", "nhs", ["new", "old"]),
        ("Research", "research", ["old"]),
    ]


def test_years_are_listed_newest_first_with_their_articles(tmp_path):
    site = assemble(tmp_path, {
        "content/news/a.md": article("A", "2023-05-01"),
        "content/news/b.md": article("B", "2025-01-01"),
        "content/news/c.md": article("C", "2023-12-31 23:00"),
        "content/news/d.md": article("D", "2024-02-02"),
    })
    assert [(year, slugs(items)) for year, items in site.years] == [
        (2025, ["b"]), (2024, ["d"]), (2023, ["c", "a"])]


def test_the_site_carries_its_config_clock_and_assets(tmp_path):
    site = assemble(tmp_path, {"content/media/logo.svg": "<svg/>"})
    assert site.now == NOW
    assert site.config.title == "Test News"
    assert "media/logo.svg" in [a.url_path for a in site.assets]
