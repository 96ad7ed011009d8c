"""`new`, `check` and `schedule`, end to end, as an editor runs them."""

from __future__ import annotations

import contextlib
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO, TEMPLATES, article, run, soup, write_site

from newsroom import workers
from newsroom.cli import github_annotation, main
from newsroom.problems import Problem

# new ---------------------------------------------------------------------------------------


def test_new_article_writes_a_draft_named_by_date_and_title_and_prints_its_path(tmp_path):
    write_site(tmp_path, {})
    result = run("new", "article", "Ohio: lessons learnt", "--date", "2027-01-05",
                 "--category", "People & places", "--tags", "ohio, events", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "content/news/2027-01-05-ohio-lessons-learnt.md"
    text = (tmp_path / result.stdout.strip()).read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---\n")[1])
    assert meta["title"] == "Ohio: lessons learnt"
    assert str(meta["date"]) == "2027-01-05"
    assert meta["category"] == "People & places"
    assert meta["tags"] == ["ohio", "events"]
    assert meta["draft"] is True


def test_a_new_article_builds_as_a_draft_only(tmp_path):
    write_site(tmp_path, {})
    run("new", "article", "Fresh news", "--date", "2024-01-05 10:30", cwd=tmp_path)
    assert run(cwd=tmp_path).returncode == 0
    assert not (tmp_path / "public/news/fresh-news").exists()
    result = run("--drafts", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "public/news/fresh-news/index.html").is_file()


def test_new_article_without_a_date_is_dated_now(tmp_path):
    write_site(tmp_path, {})
    result = run("new", "article", "Today", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    name = Path(result.stdout.strip()).name
    assert name.endswith("-today.md") and name[:4].isdigit()


def test_new_event_and_page_are_ready_to_build(tmp_path):
    write_site(tmp_path, {})
    event = run("new", "event", "Members' meeting", "--start", "2027-03-01 10:00",
                cwd=tmp_path)
    assert event.stdout.strip() == "content/events/2027-03-01-members-meeting.yaml"
    all_day = run("new", "event", "Open day", "--start", "2027-04-01", cwd=tmp_path)
    assert all_day.stdout.strip() == "content/events/2027-04-01-open-day.yaml"
    page = run("new", "page", "Contact us", cwd=tmp_path)
    assert page.stdout.strip() == "content/pages/contact-us.md"
    result = run(cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "public/events/2027-03-01-members-meeting/index.html").is_file()
    assert (tmp_path / "public/events/2027-04-01-open-day/index.html").is_file()
    assert (tmp_path / "public/contact-us/index.html").is_file()


def test_a_new_event_turns_into_a_series_by_taking_the_hashes_off_its_repeat_lines(tmp_path):
    write_site(tmp_path, {})
    run("new", "event", "Clinic", "--start", "2027-03-01 10:00", cwd=tmp_path)
    path = tmp_path / "content/events/2027-03-01-clinic.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text("\n".join(line[2:] if line.startswith(("# repeat", "#   ")) else line
                              for line in text.splitlines()), encoding="utf-8")
    result = run(cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    page = soup(tmp_path / "public/events/2027-03-01-clinic/index.html")
    assert "Every week, 6 times" in page.get_text()


def test_new_refuses_to_overwrite_a_file(tmp_path):
    write_site(tmp_path, {})
    assert run("new", "page", "About", cwd=tmp_path).returncode == 0
    path = tmp_path / "content/pages/about.md"
    path.write_text("---\ntitle: About\n---\nMine.\n", encoding="utf-8")
    result = run("new", "page", "About", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "content/pages/about.md: already exists; choose another title, or edit the file that "
        "is there")
    assert path.read_text(encoding="utf-8") == "---\ntitle: About\n---\nMine.\n"


def test_new_says_what_to_write_when_an_option_is_wrong(tmp_path):
    write_site(tmp_path, {})
    bad_date = run("new", "article", "X", "--date", "next Tuesday", cwd=tmp_path)
    assert bad_date.returncode == 1
    assert bad_date.stderr.splitlines()[0] == (
        "--date: 'next Tuesday' is not a date (write 2020-07-06 or 2020-07-06 09:30)")
    no_start = run("new", "event", "X", cwd=tmp_path)
    assert no_start.returncode == 1
    assert no_start.stderr.splitlines()[0] == (
        '--start: an event needs a start (write --start "2027-03-01 10:00")')
    assert run("new", "poem", "X", cwd=tmp_path).returncode == 2
    assert not (tmp_path / "content").exists()


# check -------------------------------------------------------------------------------------

BROKEN_LINKS = {
    "content/news/2024-01-01-a.md": article(
        "A", "2024-01-01", image="/media/missing.png", image_alt="Nothing",
        body="Intro.\n\nSee [nothing](/no/such/page/) and [here](/news/a/#nope).\n\n"
             "![A picture](/media/gone.png)\n"),
    "content/events/talk.yaml": "title: Talk\nstart: 2027-01-01 10:00\ndescription: |\n"
                                "  Read [the notes](/notes/).\n",
}


def test_check_passes_on_the_sample_site_and_leaves_the_output_alone(tmp_path):
    result = run("check", "--config", str(REPO / "site_config.yaml"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("No problems: ")
    assert " links checked." in result.stdout


def test_check_reports_broken_links_at_their_line_in_the_markdown(tmp_path):
    write_site(tmp_path, BROKEN_LINKS, {"base_url": "https://example.org/site/",
                                        "menu": [{"title": "Nowhere", "url": "/nowhere/"}]})
    result = run("check", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "content/events/talk.yaml:4: broken link /notes/",
        "content/news/2024-01-01-a.md:4: image: broken link /media/missing.png (put the file "
        "in content/media/ and write /media/its-name)",
        "content/news/2024-01-01-a.md:10: broken anchor /news/a/#nope (no id 'nope' on that "
        "page)",
        "content/news/2024-01-01-a.md:10: broken link /no/such/page/",
        "content/news/2024-01-01-a.md:12: broken link /media/gone.png",
        "site_config.yaml: menu item 'Nowhere': broken link /nowhere/",
        "Check failed: 6 problems.",
    ]
    assert not (tmp_path / "public").exists()


def test_check_asks_for_the_alternative_text_of_every_lead_image(tmp_path):
    write_site(tmp_path, {
        "content/media/hall.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>',
        "content/news/2024-01-01-a.md": article("A", "2024-01-01", image="/media/hall.svg"),
        "content/news/2024-01-02-b.md": article("B", "2024-01-02", image="/media/hall.svg",
                                                image_alt=""),
        "content/events/talk.yaml": "title: Talk\nstart: 2027-01-01 10:00\n"
                                    "image: /media/hall.svg\n",
    })
    result = run("check", cwd=tmp_path)
    assert result.returncode == 1
    why = ("image: has no image_alt; say what the picture shows, for readers who cannot see "
           "it (image_alt: \"Delegates at the opening session\"), or write image_alt: \"\" "
           "if it is only decoration")
    assert result.stderr.splitlines() == [f"content/events/talk.yaml:3: {why}",
                                          f"content/news/2024-01-01-a.md:4: {why}",
                                          "Check failed: 2 problems."]


def test_check_and_build_say_at_its_line_what_the_sanitiser_took_out(tmp_path):
    # A frame or a script vanished from the page without a word to the editor (issue 21).
    write_site(tmp_path, {
        "content/news/2024-01-01-a.md": article("A", "2024-01-01", body=(
            "Intro.\n\n<script>alert(1)</script>\n\nA [link](javascript:alert(1)) and "
            '<span onclick="x()">text</span>.\n\n<iframe src="https://evil.example/"></iframe>\n'
            "\n![Launch](https://www.youtube.com/watch?v=dQw4w9WgXcQ)\n")),
        "content/events/talk.yaml": "title: Talk\nstart: 2027-01-01 10:00\ndescription: |\n"
                                    "  Book below.\n\n  <form><input name=q></form>\n",
    })
    taken = "is taken out of the page (articles carry no scripts, styles, forms or frames); "
    video = ", or show a video with ![Its title](its YouTube or Vimeo address) on a line of its own"
    expected = [
        f"content/events/talk.yaml:6: warning: <form> {taken}delete it",
        f"content/events/talk.yaml:6: warning: <input> {taken}delete it",
        f"content/news/2024-01-01-a.md:8: warning: <script> {taken}delete it",
        f"content/news/2024-01-01-a.md:10: warning: href= on <a> {taken}delete it",
        f"content/news/2024-01-01-a.md:10: warning: onclick= on <span> {taken}delete it",
        f"content/news/2024-01-01-a.md:12: warning: <iframe> {taken}delete it{video}",
    ]
    checked = run("check", cwd=tmp_path)
    assert checked.returncode == 0
    assert checked.stderr.splitlines() == expected
    built = run("-q", cwd=tmp_path)
    assert built.returncode == 0
    assert built.stderr.splitlines() == expected


def test_check_reports_content_problems_too_without_touching_the_output(tmp_path):
    write_site(tmp_path, {"content/news/2024-01-01-a.md": article("A", "2024-01-01")})
    assert run(cwd=tmp_path).returncode == 0
    before = {p: p.read_bytes() for p in (tmp_path / "public").rglob("*") if p.is_file()}
    (tmp_path / "content/news/2024-01-02-b.md").write_text("---\ntitle: B\n---\n")
    result = run("check", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == "content/news/2024-01-02-b.md:2: date: missing " \
                                            "(add date: 2020-07-06 or 2020-07-06 09:30)"
    after = {p: p.read_bytes() for p in (tmp_path / "public").rglob("*") if p.is_file()}
    assert after == before


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="looks for processes in /proc")
@pytest.mark.parametrize("template_breaks", [False, True])
def test_a_build_or_check_that_returns_has_finished(tmp_path, monkeypatch, template_breaks):
    # Builds once left a detached process deleting the folder they swapped out, or copying
    # the new one for the next build: a site folder copied at once met files vanishing, and
    # check's temporary folder could not be deleted under the copy.
    monkeypatch.setattr(workers, "MIN_PARALLEL", 1)  # (the workers too)
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    if template_breaks:
        (templates / "article.html").write_text("{{ article.no_such_field }}")
    site = tmp_path / "site"
    write_site(site, {f"content/news/2024-01-{day:02d}-a{day}.md": article(
        f"A{day}", f"2024-01-{day:02d}") for day in range(1, 5)},
        {"templates_dir": str(templates)})
    monkeypatch.chdir(site)
    running = processes_started_by(os.getpid())  # (a browser other tests keep, say)
    for command in (["check", "-j", "2"], ["build", "-j", "2"], ["build", "-j", "2"]):
        assert main(command) == (1 if template_breaks else 0)
        # (Under spawn, multiprocessing keeps a resource tracker until this process ends.)
        assert [found for found in processes_started_by(os.getpid()) if found not in running
                and "multiprocessing.resource_tracker" not in found] == []
        assert not (site / ".newsroom-trash").exists()
        shutil.copytree(site, tmp_path / "copy")  # (nothing vanishes meanwhile)
        shutil.rmtree(tmp_path / "copy")
        (site / "content/news/2024-01-01-a1.md").write_text(article("A1 again", "2024-01-01"))
    assert (site / "public").is_dir() != template_breaks


def processes_started_by(parent: int) -> list[str]:
    """The processes whose parent is `parent` (from /proc), each its id and command line."""
    found = []
    for stat in sorted(Path("/proc").glob("[0-9]*/stat")):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rpartition(")")[2].split()
            if int(fields[1]) == parent:
                command = (stat.parent / "cmdline").read_bytes().decode(errors="replace")
                found.append(f"{stat.parent.name} {command}")
    return found


def test_check_can_speak_github_annotations(tmp_path):
    write_site(tmp_path, BROKEN_LINKS)
    result = run("check", "--format", "github", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert "::error file=content/news/2024-01-01-a.md,line=10::broken link /no/such/page/" in lines
    assert all(line.startswith("::error file=") for line in lines)


def test_github_annotations_escape_what_would_break_them():
    problem = Problem("content/a,b:c.md", 3, "50% done\nnext line")
    assert github_annotation(problem) == (
        "::error file=content/a%2Cb%3Ac.md,line=3::50%25 done%0Anext line")
    assert github_annotation(Problem("site_config.yaml", None, "x")) == (
        "::error file=site_config.yaml::x")


# schedule and the build summary -----------------------------------------------------------

SCHEDULED = {
    "content/news/2024-01-01-old.md": article("Old news", "2024-01-01"),
    "content/news/2998-05-01-later.md": article("Later news", "2998-05-01 09:30"),
    "content/events/far.yaml": "- title: Far talk\n  start: 2999-01-01 10:00\n"
                               "  end: 2999-01-01 11:00\n"
                               "- title: Far fair\n  start: 2999-06-01\n  end: 2999-06-02\n",
}


def test_schedule_lists_what_goes_live_and_when_the_site_goes_stale(tmp_path):
    write_site(tmp_path, SCHEDULED)
    result = run("schedule", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Articles going live:\n  2998-05-01 09:30 BST  (2998-05-01 08:30 UTC)  Later news" \
        in out
    assert "Next events to start:\n  2999-01-01 10:00 GMT  (2999-01-01 10:00 UTC)  Far talk" \
        in out
    assert "Next events to end:\n  2999-01-01 11:00 GMT  (2999-01-01 11:00 UTC)  Far talk" in out
    assert "  2999-06-03 00:00 BST  (2999-06-02 23:00 UTC)  Far fair" in out
    assert out.strip().endswith("The built site goes out of date at 2998-05-01 09:30 BST "
                                "(2998-05-01 08:30 UTC): article goes live: “Later news”.")


def test_the_build_summary_names_the_next_rebuild(tmp_path):
    write_site(tmp_path, SCHEDULED)
    result = run(cwd=tmp_path)
    assert result.stdout.splitlines()[0].endswith("; rebuild by 2998-05-01 09:30 BST")


def test_schedule_with_nothing_coming(tmp_path):
    write_site(tmp_path, {"content/news/2024-01-01-old.md": article("Old", "2024-01-01")})
    result = run("schedule", cwd=tmp_path)
    assert "Articles going live:\n  none" in result.stdout
    assert result.stdout.strip().endswith("Nothing is scheduled: the built site stays up to "
                                          "date until content changes.")


# terminal manners --------------------------------------------------------------------------


def test_quiet_prints_nothing_on_success_and_verbose_prints_stage_times(tmp_path):
    write_site(tmp_path, {"content/news/2024-01-01-a.md": article("A", "2024-01-01")})
    quiet = run("-q", cwd=tmp_path)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
    verbose = run("build", "-v", cwd=tmp_path)
    stages = [line.split()[0] for line in verbose.stdout.splitlines()[1:5]]
    assert stages == ["read", "plan", "render", "write"]


def test_piped_output_has_no_colours_and_no_progress_bar(tmp_path):
    write_site(tmp_path, {"content/news/2024-01-01-a.md": "---\ntitle: A\n---\n"})
    result = run(cwd=tmp_path)
    assert result.returncode == 1
    assert "\033[" not in result.stdout + result.stderr
    assert "\r" not in result.stderr


def run_on_a_terminal(args: list[str], cwd: Path, env: dict) -> str:
    """Run the CLI with a pseudo-terminal as stdout and stderr; return what it showed."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), *args], cwd=cwd,
                               stdout=follower, stderr=follower, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode()


def test_colours_on_a_terminal_but_never_with_no_color(tmp_path):
    write_site(tmp_path, {"content/news/2024-01-01-a.md": "---\ntitle: A\n---\n"})
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env["TERM"] = "xterm"
    coloured = run_on_a_terminal([], tmp_path, env)
    assert "\033[1;31mcontent/news/2024-01-01-a.md:2:\033[0m date: missing" in coloured
    plain = run_on_a_terminal([], tmp_path, {**env, "NO_COLOR": "1"})
    assert "\033[" not in plain
    assert "content/news/2024-01-01-a.md:2: date: missing" in plain


def test_the_progress_bar_waits_half_a_second_then_draws_and_clears(monkeypatch, capsys):
    from newsroom import cli

    clock = iter([0.0, 0.1, 0.7, 0.8])
    monkeypatch.setattr(cli.time, "monotonic", lambda: next(clock))
    terminal = cli.Terminal()
    terminal.progress_bar = True
    terminal.progress("render", 1, 4)  # starts the clock
    terminal.progress("render", 2, 4)  # too soon to bother anyone
    assert capsys.readouterr().err == ""
    terminal.progress("render", 3, 4)
    assert capsys.readouterr().err == "\rrender   [######################........] 3/4"
    terminal.progress("render", 4, 4)
    assert capsys.readouterr().err.endswith("4/4\r\033[K")
