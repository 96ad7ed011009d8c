"""output.py and build: the output folder is replaced whole, or not touched at all."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from conftest import NOW, TEMPLATES, article, write_site

from newsroom.build import build_site
from newsroom.content import Asset
from newsroom.output import MARKER, Output, publish, read_manifest, write_manifest
from newsroom.problems import BuildError

# Bytes that a text round trip would change: NUL, CR LF, invalid UTF-8, a lone CR.
BINARY = b"\x89PNG\r\n\x1a\n\x00\xff\xfe binary \r\n\r lone CR\x00" * 50


def fingerprint(folder: Path) -> dict[str, str]:
    """A hash of every file under folder (hidden ones too), by relative path."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(folder: Path) -> list[str]:
    """Staging or old folders that a build left in folder."""
    return sorted(p.name for p in folder.iterdir()
                  if p.name.startswith((".newsroom-staging", ".newsroom-old")))


def small_site(root: Path, config: dict | None = None) -> Path:
    """A site with two articles, a page and a media file; return its config path."""
    config_path = write_site(root, {
        "content/news/2024-05-01-first.md": article("First", "2024-05-01"),
        "content/news/2024-05-02-second.md": article("Second", "2024-05-02"),
        "content/pages/about.md": "---\ntitle: About\n---\n\nAbout us.\n",
    }, config)
    media = root / "content" / "media"
    media.mkdir(parents=True)
    (media / "brochure.pdf").write_bytes(BINARY)
    return config_path


def problems_of(config: Path, **options: object) -> list[str]:
    """The problems a build reports, as the editor reads them."""
    with pytest.raises(BuildError) as caught:
        build_site(config, now=NOW, **options)
    return [str(p) for p in caught.value.problems]


# publish ----------------------------------------------------------------------------------


def test_publish_writes_outputs_assets_and_the_marker(tmp_path: Path) -> None:
    source = tmp_path / "brochure.pdf"
    source.write_bytes(BINARY)
    out = tmp_path / "out" / "public"
    written = publish([Output("index.html", b"<p>home</p>"),
                       Output("news/x/index.html", "<p>é</p>".encode())],
                      [Asset(source, "media/brochure.pdf")], out, tmp_path / "site")
    assert written == 3
    assert (out / "index.html").read_bytes() == b"<p>home</p>"
    assert (out / "news" / "x" / "index.html").read_bytes() == "<p>é</p>".encode()
    assert (out / "media" / "brochure.pdf").read_bytes() == BINARY
    assert (out / MARKER).is_file()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["public"]


def test_publish_replaces_the_previous_output_whole(tmp_path: Path) -> None:
    out = tmp_path / "public"
    publish([Output("old.html", b"old"), Output("keep.html", b"v1")], [], out, tmp_path / "s")
    publish([Output("keep.html", b"v2")], [], out, tmp_path / "s")
    assert sorted(fingerprint(out)) == [MARKER, "keep.html"]
    assert (out / "keep.html").read_bytes() == b"v2"
    assert leftovers(tmp_path) == []


def test_publish_refuses_a_path_outside_the_output_folder(tmp_path: Path) -> None:
    out = tmp_path / "box" / "public"
    with pytest.raises(BuildError) as caught:
        publish([Output("index.html", b"x"), Output("../escaped.html", b"x")], [], out,
                tmp_path / "site")
    assert [str(p) for p in caught.value.problems] == [
        "../escaped.html: would be written outside the output folder"]
    assert not (tmp_path / "box" / "escaped.html").exists()
    assert not out.exists()
    assert not (tmp_path / "box").exists()  # nothing at all was written


def test_publish_refuses_two_files_at_one_address(tmp_path: Path) -> None:
    source = tmp_path / "page.html"
    source.write_text("<p>media</p>", encoding="utf-8")
    out = tmp_path / "public"
    with pytest.raises(BuildError) as caught:
        publish([Output("media/index.html", b"page")], [Asset(source, "media/index.html")],
                out, tmp_path / "site")
    assert [str(p) for p in caught.value.problems] == [
        "media/index.html: two things want this address; rename one of them"]
    assert not out.exists()
    assert leftovers(tmp_path) == []


# build: what is written -------------------------------------------------------------------


def test_a_build_marks_its_output_folder(tmp_path: Path) -> None:
    build_site(small_site(tmp_path / "site"), now=NOW)
    public = tmp_path / "site" / "public"
    assert (public / MARKER).is_file()
    assert (public / "index.html").is_file()
    assert leftovers(tmp_path / "site") == []


def test_media_and_static_files_are_copied_byte_for_byte(tmp_path: Path) -> None:
    config = small_site(tmp_path / "site")
    nested = tmp_path / "site" / "content" / "media" / "reports" / "2024"
    nested.mkdir(parents=True)
    (nested / "annual report.pdf").write_bytes(BINARY[::-1])
    build_site(config, now=NOW)
    public = tmp_path / "site" / "public"
    assert (public / "media" / "brochure.pdf").read_bytes() == BINARY
    assert (public / "media" / "reports" / "2024" / "annual report.pdf").read_bytes() == (
        BINARY[::-1])
    assert (public / "static" / "style.css").read_bytes() == (
        TEMPLATES / "static" / "style.css").read_bytes()


def test_files_removed_from_content_disappear_from_the_output(tmp_path: Path) -> None:
    root = tmp_path / "site"
    config = small_site(root)
    build_site(config, now=NOW)
    public = root / "public"
    assert (public / "news" / "first" / "index.html").is_file()
    assert (public / "about" / "index.html").is_file()
    assert (public / "media" / "brochure.pdf").is_file()
    (root / "content" / "news" / "2024-05-01-first.md").unlink()
    (root / "content" / "pages" / "about.md").unlink()
    (root / "content" / "media" / "brochure.pdf").unlink()
    build_site(config, now=NOW)
    assert not (public / "news" / "first").exists()
    assert not (public / "about").exists()
    assert not (public / "media" / "brochure.pdf").exists()
    assert (public / "news" / "second" / "index.html").is_file()
    assert leftovers(root) == []


def test_a_rebuild_over_its_own_output_succeeds(tmp_path: Path) -> None:
    config = small_site(tmp_path / "site")
    build_site(config, now=NOW)
    before = fingerprint(tmp_path / "site" / "public")
    build_site(config, now=NOW)
    assert fingerprint(tmp_path / "site" / "public") == before


def test_an_empty_existing_folder_is_used(tmp_path: Path) -> None:
    out = tmp_path / "www"
    out.mkdir()
    build_site(small_site(tmp_path / "site"), now=NOW, output_dir=out)
    assert (out / MARKER).is_file()
    assert (out / "index.html").is_file()


# build: a failed build changes nothing ----------------------------------------------------


def test_a_failed_build_leaves_the_previous_output_exactly_as_it_was(tmp_path: Path) -> None:
    root = tmp_path / "site"
    config = small_site(root)
    build_site(config, now=NOW)
    before = fingerprint(root / "public")
    (root / "content" / "news" / "2024-05-03-broken.md").write_text(
        "---\ntitle: Broken\ndate: July 6th\n---\n\nText.\n", encoding="utf-8")
    problems = problems_of(config)
    assert problems == ["content/news/2024-05-03-broken.md:3: date: 'July 6th' is not a date "
                        "(write 2020-07-06 or 2020-07-06 09:30)"]
    assert fingerprint(root / "public") == before
    assert leftovers(root) == []


def test_a_build_failing_while_writing_leaves_the_previous_output(tmp_path: Path) -> None:
    out_parent = tmp_path / "out"
    out = out_parent / "public"
    root = tmp_path / "site"
    config = small_site(root)
    build_site(config, now=NOW, output_dir=out)
    before = fingerprint(out)
    # A page at /media/ and a media file media/index.html want the same file.
    (root / "content" / "pages" / "media.md").write_text(
        "---\ntitle: Media\n---\n\nPress kit.\n", encoding="utf-8")
    (root / "content" / "media" / "index.html").write_text("<p>x</p>", encoding="utf-8")
    assert problems_of(config, output_dir=out) == [
        "media/index.html: two things want this address; rename one of them"]
    assert fingerprint(out) == before
    assert sorted(p.name for p in out_parent.iterdir()) == ["public"]


def test_a_failed_first_build_creates_no_output_folder(tmp_path: Path) -> None:
    root = tmp_path / "site"
    config = write_site(root, {"content/news/x.md": "---\ntitle: X\n---\n\nNo date.\n"})
    assert problems_of(config) == ["content/news/x.md:2: date: missing "
                                   "(add date: 2020-07-06 or 2020-07-06 09:30)"]
    assert not (root / "public").exists()
    assert leftovers(root) == []


# build: folders that may not be the output ------------------------------------------------


def test_the_site_root_cannot_be_the_output(tmp_path: Path) -> None:
    root = (tmp_path / "site").resolve()
    config = small_site(root, {"output_dir": "."})
    before = fingerprint(root)
    assert problems_of(config) == [
        f"site_config.yaml: output_dir: {root} would overwrite {root}; choose a folder of its "
        "own such as public/"]
    assert fingerprint(root) == before


@pytest.mark.parametrize("folder", ["content", "templates"])
def test_content_and_templates_cannot_be_the_output(tmp_path: Path, folder: str) -> None:
    root = (tmp_path / "site").resolve()
    config = small_site(root, {"templates_dir": "templates"})
    shutil.copytree(TEMPLATES, root / "templates")
    before = fingerprint(root)
    assert problems_of(config, output_dir=root / folder) == [
        f"--output: {root / folder} would overwrite {root / folder}; "
        "choose a folder of its own such as public/"]
    assert fingerprint(root) == before


def test_a_parent_of_the_site_cannot_be_the_output(tmp_path: Path) -> None:
    root = (tmp_path / "work" / "site").resolve()
    config = small_site(root)
    parent = root.parent
    assert problems_of(config, output_dir=parent) == [
        f"--output: {parent} would overwrite {root}; choose a folder of its "
        "own such as public/"]
    assert sorted(p.name for p in parent.iterdir()) == ["site"]


def test_a_symlink_to_the_site_cannot_be_the_output(tmp_path: Path) -> None:
    root = (tmp_path / "site").resolve()
    config = small_site(root)
    link = tmp_path / "public-link"
    link.symlink_to(root, target_is_directory=True)
    before = fingerprint(root)
    assert problems_of(config, output_dir=link) == [
        f"--output: {root} would overwrite {root}; choose a folder of its "
        "own such as public/"]
    assert fingerprint(root) == before


def test_a_templates_folder_configured_elsewhere_cannot_be_the_output(tmp_path: Path) -> None:
    root = (tmp_path / "site").resolve()
    config = small_site(root, {"templates_dir": "theme"})
    shutil.copytree(TEMPLATES, root / "theme")
    before = fingerprint(root / "theme")
    assert problems_of(config, output_dir=root / "theme") == [
        f"--output: {root / 'theme'} would overwrite {root / 'theme'}; "
        "choose a folder of its own such as public/"]
    assert fingerprint(root / "theme") == before


def test_a_folder_newsroom_did_not_make_is_refused(tmp_path: Path) -> None:
    out = (tmp_path / "documents").resolve()
    out.mkdir()
    (out / "thesis.txt").write_text("Years of work.", encoding="utf-8")
    config = small_site(tmp_path / "site")
    assert problems_of(config, output_dir=out) == [
        f"--output: {out} has files newsroom did not make; empty it or "
        "choose another folder such as public/"]
    assert fingerprint(out) == {"thesis.txt": hashlib.sha256(b"Years of work.").hexdigest()}


def test_a_file_cannot_be_the_output(tmp_path: Path) -> None:
    out = (tmp_path / "public").resolve()
    out.write_text("not a folder", encoding="utf-8")
    config = small_site(tmp_path / "site")
    assert problems_of(config, output_dir=out) == [
        f"--output: {out} is a file; choose a folder such as public/"]
    assert out.read_text(encoding="utf-8") == "not a folder"


def test_output_problems_are_reported_with_content_problems(tmp_path: Path) -> None:
    root = (tmp_path / "site").resolve()
    config = small_site(root, {"output_dir": "content"})
    (root / "content" / "news" / "2024-05-03-broken.md").write_text(
        "---\ntitle: Broken\ndate: July 6th\n---\n\nText.\n", encoding="utf-8")
    problems = problems_of(config)
    assert len(problems) == 2
    assert problems[0].startswith("content/news/2024-05-03-broken.md:3: date: ")
    assert problems[1].startswith(f"site_config.yaml: output_dir: {root / 'content'} would ")


def test_a_manifest_is_read_back_as_written_and_again_once_changed(tmp_path):
    entries = {"index.html": ("index.html", "key-1", 10, 111),
               "news/a/index.html": ("news/a/index.html", "key-2", 20, 222)}
    built = tmp_path / "built"
    built.mkdir()
    known: dict = {}  # what this process wrote (a preview keeps it between builds)
    write_manifest(built, entries, known)
    expected = {path: entry[1:] for path, entry in entries.items()}
    assert read_manifest(built) == read_manifest(built, known) == expected
    moved = tmp_path / "moved"
    built.rename(moved)  # as the swap moves the folder, marker and all
    assert read_manifest(moved, known) is next(iter(known.values()))  # not read back
    # Rewritten by anyone else, it is read again, whatever this process wrote before.
    text = (moved / MARKER).read_text(encoding="utf-8").replace("key-2", "key-3")
    (moved / MARKER).write_text(text, encoding="utf-8")
    assert read_manifest(moved, known)["news/a/index.html"] == ("key-3", 20, 222)
