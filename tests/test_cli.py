"""The command line as an editor uses it: exit codes, the summary, errors on stderr."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import article, run, write_site


def test_build_in_the_site_folder_writes_public_and_prints_one_summary_line(tmp_path):
    write_site(tmp_path, {"content/news/2024-05-01-hello.md": article()})
    result = run(cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("Built ")
    assert " pages, 3 feeds, 1 calendars in " in lines[0] or " feeds, " in lines[0]
    assert lines[0].endswith(" s into public/")
    assert lines[1] == ("See it with `newsroom serve`, or "
                        "`python -m http.server -d public -b 127.0.0.1`.")
    assert (tmp_path / "public" / "news" / "hello" / "index.html").is_file()


def test_the_build_command_is_the_default(tmp_path):
    write_site(tmp_path, {"content/news/2024-05-01-hello.md": article()})
    assert run("build", cwd=tmp_path).returncode == 0
    assert run("--drafts", cwd=tmp_path).returncode == 0


def test_config_option_builds_a_site_from_any_working_directory(tmp_path):
    site = tmp_path / "site"
    config = write_site(site, {"content/news/2024-05-01-hello.md": article()})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run("build", "--config", str(config), cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert (site / "public" / "index.html").is_file()
    assert not (elsewhere / "public").exists()


def test_output_option_writes_elsewhere(tmp_path):
    write_site(tmp_path / "site", {"content/news/2024-05-01-hello.md": article()})
    result = run("--output", str(tmp_path / "out"), cwd=tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "index.html").is_file()
    assert not (tmp_path / "site" / "public").exists()


def test_base_url_option_changes_links_and_feeds(tmp_path):
    write_site(tmp_path, {"content/news/2024-05-01-hello.md": article()})
    result = run("--base-url", "https://preview.example.net/staging/", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    home = (tmp_path / "public" / "index.html").read_text(encoding="utf-8")
    assert 'href="/staging/news/hello/"' in home
    feed = (tmp_path / "public" / "feed.xml").read_text(encoding="utf-8")
    assert "<link>https://preview.example.net/staging/</link>" in feed


def test_drafts_and_future_options_publish_them(tmp_path):
    write_site(tmp_path, {
        "content/news/2024-05-01-draft.md": article("Draft", draft=True),
        "content/news/2999-01-01-future.md": article("Future", date="2999-01-01"),
    })
    assert run(cwd=tmp_path).returncode == 0
    assert not (tmp_path / "public" / "news" / "draft").exists()
    assert not (tmp_path / "public" / "news" / "future").exists()
    assert run("--drafts", "--future", cwd=tmp_path).returncode == 0
    assert (tmp_path / "public" / "news" / "draft" / "index.html").is_file()
    assert (tmp_path / "public" / "news" / "future" / "index.html").is_file()


def test_problems_go_to_stderr_as_path_line_message_with_exit_1_and_no_traceback(tmp_path):
    write_site(tmp_path, {
        "content/news/2024-05-01-bad-date.md": "---\ntitle: Bad\ndate: July 6th\n---\nText\n",
        "content/news/2024-05-02-typo.md": "---\ntitel: Typo\ndate: 2024-05-02\n---\nText\n",
        "content/events/bad.yaml": "title: Talk\nstart: 2027-01-01 10:00\nlcoation: Hall\n",
    })
    result = run(cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[:-1] == [
        "content/news/2024-05-01-bad-date.md:3: date: 'July 6th' is not a date "
        "(write 2020-07-06 or 2020-07-06 09:30)",
        "content/news/2024-05-02-typo.md:2: unknown key 'titel' (did you mean 'title'?)",
        "content/news/2024-05-02-typo.md:2: title: missing (add title: \"Your headline\")",
        "content/events/bad.yaml:3: unknown key 'lcoation' (did you mean 'location'?)",
    ]
    assert lines[-1] == "Build failed: 4 problems; nothing was written."


def test_paths_in_problems_are_relative_to_the_site_root_from_any_folder(tmp_path):
    config = write_site(tmp_path / "site", {"content/news/2024-05-01-x.md": "no front matter"})
    result = run("--config", str(config), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("content/news/2024-05-01-x.md:1: has no front matter")


def test_a_failed_build_leaves_the_previous_output_as_it_was(tmp_path):
    write_site(tmp_path, {"content/news/2024-05-01-hello.md": article()})
    assert run(cwd=tmp_path).returncode == 0
    before = {p: p.read_bytes() for p in (tmp_path / "public").rglob("*") if p.is_file()}
    (tmp_path / "content/news/2024-05-02-bad.md").write_text("---\ntitle: [\n---\n")
    assert run(cwd=tmp_path).returncode == 1
    after = {p: p.read_bytes() for p in (tmp_path / "public").rglob("*") if p.is_file()}
    assert after == before


def test_missing_config_is_a_problem_not_a_traceback(tmp_path):
    result = run(cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "site_config.yaml: no site_config.yaml here (run newsroom in the site's folder or "
        "pass --config path/to/site_config.yaml)")


def test_usage_errors_exit_2(tmp_path):
    assert run("--no-such-option", cwd=tmp_path).returncode == 2
    assert run("publish-everything", cwd=tmp_path).returncode == 2


def test_the_console_script_runs_the_same_cli(tmp_path):
    write_site(tmp_path, {"content/news/2024-05-01-hello.md": article()})
    result = subprocess.run([sys.executable, "-m", "newsroom", "build"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Built ")


def test_the_newsroom_console_script_is_declared():
    from importlib.metadata import entry_points

    scripts = {e.name: e.value for e in entry_points(group="console_scripts")}
    assert scripts.get("newsroom") == "newsroom.cli:main"


@pytest.mark.slow
def test_ctrl_c_during_a_build_stops_cleanly_and_leaves_no_half_site(tmp_path):
    import signal
    import time

    files = {f"content/news/2024-01-{1 + n % 28:02d}-story-{n}.md": article(
        f"Story {n}", f"2024-01-{1 + n % 28:02d}", slug=f"story-{n}",
        body="Words. " * 300) for n in range(900)}
    write_site(tmp_path, files)
    # Interrupt once newsroom is running (a slow start-up would otherwise be what we test).
    code = ("import sys; from newsroom.cli import main; print('ready', flush=True); "
            "sys.exit(main(['build']))")
    process = subprocess.Popen([sys.executable, "-c", code], cwd=tmp_path, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout.readline().strip() == "ready"
    time.sleep(0.4)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert process.returncode in (0, 130)  # 0 only if it finished first
    assert "Traceback" not in err
    if process.returncode == 130:
        assert err.strip() == ("Interrupted: the output folder holds the previous site or the "
                               "new one, whole.")
    public = tmp_path / "public"
    if public.exists():  # interrupted after the swap: then the new site is all there
        assert len(list(public.glob("news/story-*/index.html"))) == 900
    assert not (tmp_path / ".newsroom-trash").exists()  # (a build that returns has finished)
