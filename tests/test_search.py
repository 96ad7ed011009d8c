"""search: the Pagefind index of articles, events and pages, the search page and box.

What the index finds in a browser is in tests/test_browser.py; here, what goes into it.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys

import pytest
import yaml
from conftest import NOW, REPO, copy_fixture, soup

from newsroom.build import build_site
from newsroom.problems import BuildError

ARTICLE = "news/new-zebrafish-laboratory-opens/index.html"
CONTENT_PAGES = {ARTICLE, "news/grant-for-zebrafish-start-up/index.html",
                 "events/2025-09-10-zebrafish-seminar/index.html", "about/index.html"}


@pytest.fixture
def site(tmp_path):
    # Partitions as a large site has them (a site of up to search_partition_pages pages is
    # one index: see test_a_small_site_is_one_index).
    return partitioned(copy_fixture("search", tmp_path / "site"), 3)


def partitioned(config, pages: int):
    settings = yaml.safe_load(config.read_text())
    config.write_text(yaml.safe_dump({**settings, "search_partition_pages": pages}))
    return config


def test_a_small_site_is_one_index(tmp_path):
    config = copy_fixture("search", tmp_path / "site")
    report, out = built(config)
    assert partitions(out) == ["all"] and index_pages(out) == 4


def built(config, **options):
    return build_site(config, now=NOW, **options), config.parent / "public"


def partitions(out) -> list[str]:
    return json.loads((out / "pagefind" / "partitions.json").read_text())


def addresses(out, partition: str) -> set[str]:
    """The addresses of the pages a partition of the index holds, as its results give them."""
    return {json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))["url"]
            for path in (out / "pagefind" / partition / "fragment").iterdir()}


def partition_of(out, address: str) -> str:
    return next(name for name in partitions(out) if address in addresses(out, name))


def index_pages(out, partition: str | None = None) -> int:
    """Pages in the index (or one partition of it), by the entry files."""
    return sum(language["page_count"]
               for name in ([partition] if partition else partitions(out))
               for language in json.loads((out / "pagefind" / name / "pagefind-entry.json")
                                          .read_text())["languages"].values())


def index_files(out) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(out).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in (out / "pagefind").rglob("*") if p.is_file()}


def test_the_index_holds_every_article_event_and_page_and_nothing_else(site):
    report, out = built(site)
    assert report.search.pages == index_pages(out) == 4
    # In partitions, a power of two of them, that share the pages out between them.
    assert partitions(out) == ["1-of-2", "2-of-2"] and report.search.partitions == 2
    assert set.union(*(addresses(out, name) for name in partitions(out))) == {
        f"/{page.removesuffix('index.html')}" for page in CONTENT_PAGES}
    for page in out.rglob("*.html"):
        bodies = soup(page).select("[data-pagefind-body]")
        relative = page.relative_to(out).as_posix()
        assert len(bodies) == (1 if relative in CONTENT_PAGES else 0), relative


def test_pages_give_their_kind_category_year_date_and_summary(site):
    _, out = built(site)
    page = soup(out / ARTICLE)
    body = page.select_one("[data-pagefind-body]")
    assert body["data-pagefind-filter"] == "kind:News"
    assert body.select_one("[data-pagefind-filter=category]").get_text() == "Research"
    date = body.select_one("time[data-pagefind-meta=date]")
    assert date.get_text() == "1 February 2024"
    assert date["data-pagefind-filter"] == "year:2024"
    summary = page.select_one("meta[data-pagefind-meta='summary[content]']")
    assert summary["content"] == "A laboratory for zebrafish studies opens on the science park."
    event = soup(out / "events/2025-09-10-zebrafish-seminar/index.html")
    assert event.select_one("[data-pagefind-body]")["data-pagefind-filter"] == "kind:Event"
    assert event.select_one("[data-pagefind-meta=date]")["data-pagefind-filter"] == "year:2025"
    about = soup(out / "about/index.html")
    assert about.select_one("[data-pagefind-body]")["data-pagefind-filter"] == "kind:Page"


def test_menus_footers_tags_and_actions_stay_out_of_the_index(site):
    _, out = built(site)
    for path in (ARTICLE, "events/2025-09-10-zebrafish-seminar/index.html"):
        page = soup(out / path)
        body = page.select_one("[data-pagefind-body]")
        for furniture in page.select("header.masthead, nav, footer.site-footer"):
            assert body not in furniture.parents and furniture not in body.descendants
        for ignored in body.select("[data-pagefind-ignore]"):
            assert ignored["data-pagefind-ignore"] == "all"
    tagged = soup(out / "news/grant-for-zebrafish-start-up/index.html")
    assert tagged.select_one("[data-pagefind-body] footer.article-footer")[
        "data-pagefind-ignore"] == "all"
    # What to read next, beside the article or event, is not part of it.
    for path in (ARTICLE, "events/2025-09-10-zebrafish-seminar/index.html"):
        page = soup(out / path)
        for aside in page.select("aside"):
            assert page.select_one("[data-pagefind-body]") not in aside.parents
            assert aside["data-pagefind-ignore"] == "all"
    event = soup(out / "events/2025-09-10-zebrafish-seminar/index.html")
    assert event.select_one(".actions")["data-pagefind-ignore"] == "all"


def test_every_page_has_a_search_box_that_goes_to_the_search_page(site):
    _, out = built(site)
    for path in ("index.html", ARTICLE, "events/index.html"):
        form = soup(out / path).select_one("header.masthead form[role=search]")
        assert form["action"] == "/search/"
        field = form.select_one("input[type=search]")
        assert field["name"] == "q"
        assert soup(out / path).select_one(f"label[for={field['id']}]").get_text()


def test_the_search_page_loads_the_index_from_the_site_and_says_what_to_do_without_js(site):
    _, out = built(site)
    page = soup(out / "search/index.html")
    form = page.select_one("form[data-search]")
    assert form["data-bundle"] == "/pagefind/" and form["data-base"] == "/"
    assert all((out / "pagefind" / name / "pagefind.js").is_file() for name in partitions(out))
    assert page.select_one("script[type=module]")["src"] == "/static/search.js"
    assert (out / "static" / "search.js").is_file()
    status = page.select_one("#nr-search-status")
    assert "needs JavaScript" in status.get_text()
    assert {a["href"] for a in status.select("a")} >= {"/news/", "/events/", "/archive/2025/"}
    assert page.select_one("meta[name=robots]")["content"] == "noindex"
    assert "/search/" not in (out / "sitemap.xml").read_text()


def test_the_index_is_put_under_the_base_path(basepath_site):
    form = soup(basepath_site / "search/index.html").select_one("form[data-search]")
    assert form["data-bundle"] == "/site/pagefind/" and form["data-base"] == "/site/"
    assert (basepath_site / "pagefind" / "partitions.json").is_file()
    box = soup(basepath_site / "index.html").select_one("header form[role=search]")
    assert box["action"] == "/site/search/"


def test_pagefinds_own_ready_made_interfaces_are_not_published(site):
    _, out = built(site)
    names = {p.name for p in (out / "pagefind" / "1-of-2").iterdir()}
    assert "pagefind.js" in names
    assert not {n for n in names if n.startswith(("pagefind-ui", "pagefind-modular-ui",
                                                  "pagefind-component-ui"))}


@pytest.mark.parametrize("how", ["config", "flag"])
def test_search_can_be_turned_off(site, how):
    if how == "config":
        settings = yaml.safe_load(site.read_text())
        site.write_text(yaml.safe_dump({**settings, "search": False}))
        report, out = built(site)
    else:
        report, out = built(site, search_on=False)
    assert report.search is None
    assert not (out / "pagefind").exists() and not (out / "search").exists()
    assert soup(out / "index.html").select_one("form[role=search]") is None
    assert soup(out / ARTICLE).select_one("meta[data-pagefind-meta]") is None


def test_no_search_on_the_command_line(site):
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--no-search"],
                          cwd=site.parent, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "search index" not in done.stdout
    assert not (site.parent / "public" / "pagefind").exists()


def test_the_build_summary_gives_the_index_size_and_time(site):
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "build"], cwd=site.parent,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "search index of 4 pages, " in done.stdout and " MB, in " in done.stdout


def test_without_pagefind_the_build_says_how_to_install_it_and_keeps_the_site(site, tmp_path,
                                                                               monkeypatch):
    _, out = built(site)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    monkeypatch.setitem(sys.modules, "pagefind_bin", None)  # the package is not installed
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    (site.parent / "content/news/2024-02-01-new-zebrafish-laboratory-opens.md").write_text(
        "---\ntitle: Changed\ndate: 2024-02-01\n---\nChanged.\n")
    with pytest.raises(BuildError) as error:
        built(site)
    [problem] = error.value.problems
    assert problem.path == "site_config.yaml"
    assert "Pagefind is not installed" in problem.message
    assert "pip install 'pagefind[bin]'" in problem.message and "search: false" in problem.message
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_a_missing_binary_named_by_the_environment_fails_with_exit_code_1(site, tmp_path):
    missing = tmp_path / "no-pagefind"
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "build"], cwd=site.parent,
                          capture_output=True, text=True,
                          env={**os.environ, "PAGEFIND_BINARY_PATH": str(missing)})
    assert done.returncode == 1
    assert f"site_config.yaml: search is on but Pagefind is not installed (PAGEFIND_BINARY_PATH " \
           f"names {missing}" in done.stderr
    assert not (site.parent / "public").exists()


def test_an_unchanged_site_keeps_its_index_and_an_edit_makes_it_again(site):
    _, out = built(site)
    first = index_files(out)
    report, _ = built(site)
    assert report.search is None and index_files(out) == first
    path = site.parent / "content/news/2025-05-05-grant-for-zebrafish-start-up.md"
    path.write_text(path.read_text().replace("two more technicians", "three axolotl tanks"))
    report, _ = built(site)
    # Only the edited article's partition is made again.
    own = partition_of(out, "/news/grant-for-zebrafish-start-up/")
    assert report.search is not None and report.search.partitions == 1
    assert report.search.pages == index_pages(out, own) < index_pages(out) == 4
    again = index_files(out)
    assert again != first
    assert {p for p in again if again[p] != first.get(p)} <= {
        p for p in again if p.startswith(f"pagefind/{own}/")}
    # Files whose bytes did not change keep their mtimes, so deploys copy only what changed.
    kept = {path for path in set(first) & set(again) if first[path][0] == again[path][0]}
    assert kept and all(first[path][1] == again[path][1] for path in kept)


def test_an_index_changed_by_hand_is_made_again(site):
    _, out = built(site)
    (out / "pagefind" / "1-of-2" / "pagefind-entry.json").unlink()
    report, _ = built(site)
    assert report.search is not None and report.search.partitions == 1
    assert (out / "pagefind" / "1-of-2" / "pagefind-entry.json").is_file()


def test_a_page_that_would_take_the_search_address_is_a_problem(site):
    (site.parent / "content/pages/search.md").write_text("---\ntitle: Search us\n---\nHi.\n")
    with pytest.raises(BuildError) as error:
        built(site)
    assert any("already taken by the search page" in p.message for p in error.value.problems)


def test_a_change_that_leaves_every_page_alone_keeps_the_index_in_the_output(site):
    _, out = built(site)
    first = index_files(out)
    (site.parent / "content/media").mkdir(parents=True)
    (site.parent / "content/media/note.txt").write_text("a new file, no page changes")
    report, _ = built(site)
    assert report.search is None and (out / "media/note.txt").is_file()
    assert index_files(out) == first
    manifest = (out / ".newsroom-output").read_text()
    assert all(f'"{path}"' in manifest for path in first)
    (site.parent / "content/media/note.txt").write_text("changed again")
    built(site)  # a third build finds nothing in the output that it did not make
    assert index_files(out) == first


def test_a_growing_site_is_shared_out_and_a_new_article_makes_one_partition_again(
        site):
    partitioned(site, 2)
    news = site.parent / "content/news"
    for day in range(1, 6):
        (news / f"2025-03-0{day}-note-{day}.md").write_text(
            f"---\ntitle: Note {day}\ndate: 2025-03-0{day}\n---\n\nZebrafish note {day}.\n")
    _, out = built(site)
    # 9 pages, at most 2 to a partition on average: 8 partitions (those that hold a page).
    assert all(name.endswith("-of-8") for name in partitions(out))
    assert sum(index_pages(out, name) for name in partitions(out)) == 9
    before = index_files(out)
    (news / "2025-03-06-note-6.md").write_text(
        "---\ntitle: Note 6\ndate: 2025-03-06\n---\n\nAxolotl note.\n")
    report, _ = built(site)
    own = partition_of(out, "/news/note-6/")
    assert report.search.partitions == 1 and report.search.pages == index_pages(out, own)
    after = index_files(out)
    assert {path.split("/")[1] for path in after if after[path] != before.get(path)} == {own}
