"""Nothing lost, nobody in: a matrix of bad input, property tests, builds killed at random
moments, and builds that would collide."""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml
from conftest import NOW, REPO, article, examples, write_site
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsroom.build import build_site
from newsroom.config import CONFIG_SCHEMA, load_config
from newsroom.content import ARTICLE_SCHEMA, EVENT_SCHEMA, read_content
from newsroom.problems import BuildError

BAD_VALUES = [[], {}, "", "   ", 10**30, -1, True, 3.5, "../../etc/passwd",
              "<script>alert(1)</script>", "2020-13-45", "9999-99-99 99:99", "\u202e\u0000",
              [[["deep"]]], {"a": {"b": {"c": 1}}}]


def outcome(config: Path, root: Path, output: str = "public") -> str:
    """'built' or 'problems'; fails the test on anything else (a crash, a stray file)."""
    before = {p for p in root.parent.rglob("*")}
    try:
        build_site(config, now=NOW, jobs=1, use_cache=False)
        result = "built"
    except BuildError as error:
        for problem in error.problems:
            assert problem.path and isinstance(problem.path, str), problem
            assert problem.line is None or problem.line >= 1, problem
            assert str(problem).startswith(problem.path), problem
        result = "problems"
    # Nothing may be written outside the output folder and newsroom's own places.
    made = {p for p in root.parent.rglob("*")} - before
    out = (root / output).resolve()
    stray = [p for p in made if p.is_file() and not p.resolve().is_relative_to(out) and not any(
        part.startswith((".newsroom", "public")) for part in p.relative_to(root.parent).parts)]
    assert stray == []
    return result


def matrix_cases() -> list[tuple[str, str, object]]:
    """(kind, field, bad value) for every field of every record kind and the config."""
    cases = []
    for kind, schema in (("article", ARTICLE_SCHEMA), ("event", EVENT_SCHEMA),
                         ("config", CONFIG_SCHEMA)):
        for field in schema:
            cases += [(kind, field, value) for value in BAD_VALUES]
            cases.append((kind, field, "<missing>"))
    return cases


@pytest.mark.slow
def test_every_field_with_every_kind_of_bad_value_is_a_problem_or_a_build(tmp_path):
    tried = Counter()
    for index, (kind, field, value) in enumerate(matrix_cases()):
        root = tmp_path / f"case-{index}" / "site"
        fields = {"title": "Bad input", "date": "2024-01-01"}
        event = {"title": "Talk", "start": "2027-01-01 10:00"}
        config = {}
        target = {"article": fields, "event": event, "config": config}[kind]
        if value == "<missing>":
            target.pop(field, None)
            if kind == "config":
                config[field] = None
        else:
            target[field] = value
        files = {"content/news/2024-01-01-bad.md":
                 "---\n" + yaml.safe_dump(fields, allow_unicode=True) + "---\nBody.\n",
                 "content/events/talk.yaml": yaml.safe_dump(event, allow_unicode=True)}
        path = write_site(root, files)
        if config:
            settings_now = yaml.safe_load(path.read_text())
            settings_now.update(config)
            settings_now = {k: v for k, v in settings_now.items() if v is not None}
            path.write_text(yaml.safe_dump(settings_now, allow_unicode=True))
        output = (str(value).strip().replace("\x00", "") or "public") if (kind, field) == (
            "config", "output_dir") else "public"
        tried[outcome(path, root, output)] += 1
    assert sum(tried.values()) == len(matrix_cases()) > 700
    assert tried["problems"] > tried["built"] > 0
    print(f"bad-input matrix: {dict(tried)}")


NAMED = {
    "tab indentation": {"content/events/e.yaml": "title: T\nstart: 2027-01-01\n\tend: x\n"},
    "duplicate keys": {"content/events/e.yaml": "title: T\ntitle: U\nstart: 2027-01-01\n"},
    "alias bomb": {"content/events/e.yaml": "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)) + "title: T\nstart: 2027-01-01\n"},
    "deep nesting": {"content/events/e.yaml": "title: " + "[" * 5000 + "]" * 5000},
    "non-UTF-8": {"content/news/2024-01-01-a.md": "---\ntitle: caf\udce9\ndate: 2024-01-01\n"
                                                   "---\n"},
    "BOM and CRLF": {"content/news/2024-01-01-a.md": "\ufeff---\r\ntitle: A\r\n"
                                                     "date: 2024-01-01\r\n---\r\nBody\r\n"},
    "empty article": {"content/news/2024-01-01-a.md": ""},
    "empty event file": {"content/events/e.yaml": ""},
    "no front matter": {"content/news/2024-01-01-a.md": "Just text.\n"},
    "front matter is a list": {"content/news/2024-01-01-a.md": "---\n- a\n- b\n---\nText\n"},
    "duplicate slugs": {"content/news/2024-01-01-a.md": article("A", slug="same"),
                        "content/news/2024-01-02-b.md": article("B", slug="same")},
    "slug with slashes": {"content/news/2024-01-01-a.md": article("A", slug="../../x")},
    "slug with dots": {"content/news/2024-01-01-a.md": article("A", slug="..")},
    "unicode slug": {"content/news/2024-01-01-a.md": article("A", slug="зустріч")},
    "category with slashes": {"content/news/2024-01-01-a.md": article("A", category="../x/y")},
    "category of dots": {"content/news/2024-01-01-a.md": article("A", category="..")},
    "title with markup": {"content/news/2024-01-01-a.md": article("<b>Bold</b> & <i>it</i>")},
    "file name without letters": {"content/pages/___.md": "---\ntitle: Dots\n---\nText\n"},
    "event in the year 10000": {"content/events/e.yaml": "title: T\nstart: 10000-01-01\n"},
    "timezone that is a path": {"content/events/e.yaml": "title: T\nstart: 2027-01-01 10:00\n"
                                                         "timezone: ../../../etc/localtime\n"},
    "event ending before it starts": {"content/events/e.yaml": "title: T\nstart: 2027-01-02\n"
                                                               "end: 2027-01-01\n"},
}


@pytest.mark.parametrize("name", list(NAMED))
def test_named_hostile_inputs(tmp_path, name):
    root = tmp_path / "site"
    files = dict(NAMED[name])
    write_site(root, {})
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8", "surrogateescape"))
    result = outcome(root / "site_config.yaml", root)
    expected_builds = {"BOM and CRLF", "unicode slug", "category with slashes",
                       "category of dots", "title with markup"}
    assert result == ("built" if name in expected_builds else "problems")


def test_a_twenty_megabyte_file_is_refused_quickly(tmp_path):
    root = tmp_path / "site"
    write_site(root, {})
    big = root / "content/news/2024-01-01-huge.md"
    big.parent.mkdir(parents=True)
    big.write_text("---\ntitle: Huge\ndate: 2024-01-01\n---\n" + "word " * 4_200_000)
    with pytest.raises(BuildError) as caught:
        build_site(root / "site_config.yaml", now=NOW, jobs=1)
    assert [str(p) for p in caught.value.problems] == [
        "content/news/2024-01-01-huge.md: is 20.0 MB, too large for an article, event or page "
        "(at most 5 MB); put large files in content/media/"]


# Property tests ----------------------------------------------------------------------------

scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
           | st.text(max_size=40) | st.dates(date(1, 1, 1), date(9999, 12, 31))
           | st.datetimes(datetime(1, 1, 2), datetime(9999, 12, 30)))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=12)


def mapping_of(schema) -> st.SearchStrategy:
    """Mappings whose keys are mostly the schema's, with arbitrary values."""
    keys = st.sampled_from(sorted(schema)) | st.text(min_size=1, max_size=12)
    return st.dictionaries(keys, values, max_size=8)


@pytest.fixture(scope="module")
def property_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("property") / "site"
    write_site(root, {})
    return root


def check_property(root: Path, relative: str, data: bytes) -> None:
    """Reading the file never raises; every problem names the file (with a sane line)."""
    path = root / relative
    for folder in ("content/news", "content/events"):
        (root / folder).mkdir(parents=True, exist_ok=True)
        for other in (root / folder).iterdir():
            other.unlink()
    path.write_bytes(data)
    config = load_config(root / "site_config.yaml")
    content, problems = read_content(config)
    for problem in problems:
        assert problem.path == relative, problem
        assert problem.line is None or problem.line >= 1, problem
    if not problems:
        assert content.articles or content.events


@settings(max_examples=examples(300),
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(front=mapping_of(ARTICLE_SCHEMA), body=st.text(max_size=200))
@pytest.mark.slow
def test_any_front_matter_gives_an_article_or_problems_with_a_path(property_site, front, body):
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + body
    check_property(property_site, "content/news/2024-01-01-x.md",
                   text.encode("utf-8", "surrogatepass"))


@settings(max_examples=examples(300),
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(events=mapping_of(EVENT_SCHEMA) | st.lists(mapping_of(EVENT_SCHEMA), max_size=3))
@pytest.mark.slow
def test_any_event_mapping_gives_events_or_problems_with_a_path(property_site, events):
    text = yaml.safe_dump(events, allow_unicode=True)
    check_property(property_site, "content/events/x.yaml", text.encode("utf-8", "surrogatepass"))


@settings(max_examples=examples(200),
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(raw=st.binary(max_size=300))
@pytest.mark.slow
def test_any_bytes_at_all_give_problems_not_a_crash(property_site, raw):
    check_property(property_site, "content/events/x.yaml", raw)


# Killed builds -----------------------------------------------------------------------------

def files_of(folder: Path) -> dict[str, bytes]:
    """A built site's files (the marker aside)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".newsroom-output"}


def version(root: Path, which: int) -> None:
    """Put the site's content in version 1 or 2 (a title, one more, one fewer)."""
    news = root / "content/news"
    for n in range(60):
        title = f"Story {n}" + (" (revised)" if which == 2 and n % 7 == 0 else "")
        if which == 2 and n == 5:
            (news / f"2024-01-01-story-{n}.md").unlink(missing_ok=True)
            continue
        (news / f"2024-01-01-story-{n}.md").write_text(article(
            title, f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}", slug=f"story-{n}",
            category=f"Cat {n % 4}", tags=[f"t{n % 5}"], body="Words and more words. " * 80))
    extra = news / "2024-06-06-extra.md"
    if which == 2:
        extra.write_text(article("Extra", "2024-06-06"))
    else:
        extra.unlink(missing_ok=True)


def built_whenever(files: dict[str, bytes]) -> dict[str, bytes]:
    """The files with the events feed's lastBuildDate (the clock's time when it was made)
    left out: the reference builds run at NOW, the command at the real time."""
    return {path: re.sub(rb"<lastBuildDate>[^<]*</lastBuildDate>", b"", data)
            if path == "events/feed.xml" else data for path, data in files.items()}


@pytest.mark.slow
def test_a_build_killed_at_any_moment_leaves_the_old_site_or_the_new_one_whole(tmp_path):
    root = tmp_path / "site"
    write_site(root, {})
    (root / "content/news").mkdir(parents=True)
    references = {}
    for which in (1, 2):
        version(root, which)
        build_site(root / "site_config.yaml", now=NOW, jobs=1, use_cache=False,
                   output_dir=tmp_path / f"ref-{which}")
        references[which] = built_whenever(files_of(tmp_path / f"ref-{which}"))
    command = [sys.executable, str(REPO / "build.py"), "-q"]
    version(root, 1)
    subprocess.run(command, cwd=root, check=True)
    started = time.perf_counter()
    version(root, 2)
    subprocess.run(command, cwd=root, check=True)
    duration = time.perf_counter() - started
    chance = random.Random(20201107)
    seen = Counter()
    for _ in range(24):
        version(root, 1)
        subprocess.run(command, cwd=root, check=True)  # recovers any stale lock as well
        assert built_whenever(files_of(root / "public")) == references[1]
        version(root, 2)
        process = subprocess.Popen(command, cwd=root)
        time.sleep(chance.uniform(0, duration * 1.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        now_served = built_whenever(files_of(root / "public"))
        match = [which for which, files in references.items() if files == now_served]
        assert match, "the output is neither the old site nor the new one"
        seen[match[0]] += 1
    # Killed before the swap, the old site; after, the new one: both must have been seen
    # (a third of the kills fall after the build would have ended).
    assert seen[1] > 0 and seen[2] > 0, dict(seen)


# Two builds at once ------------------------------------------------------------------------

def test_a_second_build_waits_its_turn_and_a_stale_lock_is_recovered(tmp_path):
    config = write_site(tmp_path, {"content/news/2024-01-01-a.md": article()})
    lock = tmp_path / ".newsroom-lock-public"
    sleeper = subprocess.Popen(["sleep", "30"])
    try:
        lock.write_text(f"{sleeper.pid}\n")
        with pytest.raises(BuildError) as caught:
            build_site(config, now=NOW, jobs=1)
        assert str(caught.value.problems[0]).startswith(
            f"site_config.yaml: another build (process {sleeper.pid}) is writing ")
        assert not (tmp_path / "public").exists()
    finally:
        sleeper.kill()
        sleeper.wait()
    build_site(config, now=NOW, jobs=1)  # the holder is gone: its lock is taken over
    assert (tmp_path / "public/index.html").is_file()
    assert not lock.exists()


def test_files_put_into_the_output_by_hand_are_never_deleted(tmp_path):
    config = write_site(tmp_path, {"content/news/2024-01-01-a.md": article()})
    build_site(config, now=NOW, jobs=1)
    mine = tmp_path / "public/notes.txt"
    mine.write_text("my notes")
    (tmp_path / "content/news/2024-01-02-b.md").write_text(article("B", "2024-01-02"))
    with pytest.raises(BuildError) as caught:
        build_site(config, now=NOW, jobs=1)
    assert [str(p) for p in caught.value.problems] == [
        "public/notes.txt: was not made by newsroom and would be lost; move it to "
        "content/media/ or delete it"]
    assert mine.read_text() == "my notes"
    assert os.path.isfile(tmp_path / "public/news/a/index.html")


def test_a_link_to_a_folder_put_into_the_output_by_hand_is_never_lost(tmp_path):
    config = write_site(tmp_path, {"content/news/2024-01-01-a.md": article()})
    build_site(config, now=NOW, jobs=1)
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive/old.html").write_text("old")
    (tmp_path / "public/news/old").symlink_to(tmp_path / "archive")
    (tmp_path / "content/news/2024-01-02-b.md").write_text(article("B", "2024-01-02"))
    with pytest.raises(BuildError) as caught:
        build_site(config, now=NOW, jobs=1)
    assert [str(p).split(":")[0] for p in caught.value.problems] == ["public/news/old"]
    assert (tmp_path / "public/news/old/old.html").read_text() == "old"
