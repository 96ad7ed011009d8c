"""`newsroom init`: a new site that builds, checks and publishes as it is; and how the build
says to look at what it made."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from conftest import REPO, article, require_tool, run, soup, write_site

from newsroom import __version__
from newsroom.config import load_config
from newsroom.scaffold import EXAMPLE_FILES, SITE_FILES, STARTER

MADE_ALWAYS = {"site_config.yaml", ".gitignore", ".gitattributes", "requirements.txt",
               ".github/workflows/publish.yml", "content/media/.gitkeep"}


def files_in(root: Path) -> set[str]:
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}


def utc_today() -> date:
    return datetime.now(UTC).date()


def init(tmp_path: Path, *options: str) -> Path:
    """Make a new site in tmp_path/site; return its folder."""
    result = run("init", "site", *options, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return tmp_path / "site"


# what init makes ---------------------------------------------------------------------------


def test_init_makes_settings_examples_gitignore_requirements_and_a_workflow(tmp_path):
    before = utc_today()
    site = init(tmp_path)
    today = {before, utc_today()}  # the run may cross midnight
    made = files_in(site)
    news = [name for name in made if name.startswith("content/news/")]
    events = [name for name in made if name.startswith("content/events/")]
    assert made == MADE_ALWAYS | {*news, *events, "content/pages/about.md"}
    assert len(news) == 1 and news[0].endswith("-welcome.md")
    assert date.fromisoformat(news[0].removeprefix("content/news/")[:10]) in today
    assert len(events) == 1 and events[0].endswith("-first-meetup.yaml")


def test_init_says_what_it_made_and_what_to_do_next(tmp_path):
    result = run("init", "site", cwd=tmp_path)
    out = result.stdout
    assert out.startswith("Made a new site in site/:\n  site_config.yaml\n  .gitignore\n")
    assert "  content/media/\n" in out
    assert ".gitkeep" not in out
    assert "\n  cd site\n" in out
    assert "\n  newsroom serve " in out
    assert "\n  newsroom build " in out
    assert "docs/your-own-site.md" in out
    assert result.stderr == ""


def test_init_into_the_current_empty_folder_needs_no_cd(tmp_path):
    result = run("init", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site_config.yaml").is_file()
    assert "cd " not in result.stdout


def test_init_empty_makes_the_content_folders_without_examples(tmp_path):
    site = init(tmp_path, "--empty")
    assert files_in(site) == MADE_ALWAYS | {"content/news/.gitkeep", "content/events/.gitkeep",
                                            "content/pages/.gitkeep"}
    assert all((site / ".gitkeep").stat().st_size == 0 for site in
               (site / "content" / folder for folder in ("news", "events", "pages", "media")))


def test_the_example_article_is_published_and_the_event_is_weeks_ahead(tmp_path):
    site = init(tmp_path)
    article_file = next((site / "content" / "news").glob("*.md"))
    meta = yaml.safe_load(article_file.read_text(encoding="utf-8").split("---\n")[1])
    assert meta["date"] == date.fromisoformat(article_file.name[:10])
    assert "draft" not in meta
    event_file = next((site / "content" / "events").glob("*.yaml"))
    event = yaml.safe_load(event_file.read_text(encoding="utf-8"))
    start = datetime.fromisoformat(event["start"])
    assert start.date() - meta["date"] == timedelta(weeks=4)
    assert event_file.name.startswith(f"{start:%Y-%m-%d}-")


def test_the_settings_say_what_to_change_and_build_as_written(tmp_path):
    site = init(tmp_path)
    text = (site / "site_config.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    for key in ("title", "base_url", "language", "timezone"):
        line = next(n for n, line in enumerate(lines) if line.startswith(f"{key}: "))
        assert lines[line - 1].startswith("# "), f"{key} has no comment to say what it is"
    assert "base_url: https://example.org/\n" in text
    assert "placeholder" in text and "change it" in text
    config = load_config(site / "site_config.yaml")
    assert (config.base_url, config.language, config.timezone.key) == (
        "https://example.org/", "en", "UTC")


def test_the_commented_out_settings_are_valid_once_the_hash_is_taken_off(tmp_path):
    site = init(tmp_path)
    path = site / "site_config.yaml"
    settings = ("# description:", "# menu:", "#   - title:", "#     url:", "# output_dir:",
                "# search:")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert sum(line.startswith(settings) for line in lines) == 10
    path.write_text("\n".join(line[2:] if line.startswith(settings) else line
                              for line in lines), encoding="utf-8")
    config = load_config(path)
    assert [item.url for item in config.menu] == ["/news/", "/events/", "/about/"]
    assert config.description and config.search is False
    assert config.output_dir == (site / "public").resolve()


def test_requirements_pin_this_version_of_newsroom(tmp_path):
    site = init(tmp_path)
    requirements = (site / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert [line for line in requirements if line and not line.startswith("#")] == [
        f"newsroom=={__version__}"]


def test_every_starter_file_is_used_and_none_is_in_a_subfolder():
    # pyproject.toml's package-data ("starter/*") carries exactly the folder's files.
    assert {path.name for path in STARTER.iterdir()} == {
        name for name, _ in SITE_FILES + EXAMPLE_FILES}


# refusing ----------------------------------------------------------------------------------


def test_init_refuses_a_folder_that_is_not_empty_and_touches_nothing(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "notes.txt").write_text("mine", encoding="utf-8")
    result = run("init", "site", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "site: is not empty; choose a new folder, or an empty one (init never writes over "
        "files)", "Nothing done: 1 problem; nothing was written."]
    assert files_in(tmp_path / "site") == {"notes.txt"}
    assert (tmp_path / "site" / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_init_refuses_a_file(tmp_path):
    (tmp_path / "site").write_text("mine", encoding="utf-8")
    result = run("init", "site", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("site: is a file, not a folder; choose a new folder")
    assert (tmp_path / "site").read_text(encoding="utf-8") == "mine"


def test_init_twice_in_the_same_folder_refuses_the_second_time(tmp_path):
    site = init(tmp_path)
    before = {name: (site / name).read_bytes() for name in files_in(site)}
    assert run("init", "site", "--empty", cwd=tmp_path).returncode == 1
    assert {name: (site / name).read_bytes() for name in files_in(site)} == before


# the new site works ------------------------------------------------------------------------


def test_a_new_site_builds_and_its_home_page_shows_the_example_article_and_event(tmp_path):
    site = init(tmp_path)
    result = run("build", cwd=site)
    assert result.returncode == 0, result.stderr
    home = soup(site / "public" / "index.html")
    links = {a.get_text(" ", strip=True): a["href"] for a in home.select("main a[href]")}
    assert links["Welcome to the new site"] == "/news/welcome/"
    assert links["Our first meetup"].startswith("/events/")
    assert (site / "public" / "about" / "index.html").is_file()


@pytest.mark.parametrize("options", [(), ("--empty",)], ids=["examples", "empty"])
def test_a_new_site_builds_and_checks_without_a_problem(tmp_path, options):
    site = init(tmp_path, *options)
    build = run("build", cwd=site)
    assert build.returncode == 0, build.stderr
    assert build.stderr == ""
    check = run("check", cwd=site)
    assert check.returncode == 0, check.stderr
    assert check.stdout.startswith("No problems: ")
    assert check.stderr == ""


def test_git_keeps_the_sources_and_ignores_what_the_build_makes(tmp_path):
    require_tool("git", shutil.which("git") is not None, "apt-get install -y git")
    site = init(tmp_path)
    made = files_in(site)
    assert run("build", cwd=site).returncode == 0
    subprocess.run(["git", "init", "-q", "."], cwd=site, check=True)
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"],
                            cwd=site, capture_output=True, text=True, check=True).stdout
    # Beside the sources, the build's record of the addresses it published, to commit.
    assert {line.removeprefix("?? ") for line in status.splitlines()} == \
        made | {"published-urls.txt"}


# the new site's workflow -------------------------------------------------------------------


def workflow(site: Path) -> dict:
    """The workflow as GitHub reads it (YAML's `on:` key is read as True by PyYAML)."""
    data = yaml.safe_load((site / ".github" / "workflows" / "publish.yml").read_text(
        encoding="utf-8"))
    data["on"] = data.pop(True)
    return data


def runs(job: dict) -> list[str]:
    return [step["run"] for step in job["steps"] if "run" in step]


def uses(job: dict) -> list[str]:
    return [step["uses"] for step in job["steps"] if "uses" in step]


def test_the_workflow_checks_pull_requests_from_requirements_txt(tmp_path):
    flow = workflow(init(tmp_path))
    assert "pull_request" in flow["on"]
    check = flow["jobs"]["check"]
    assert check["if"] == "github.event_name == 'pull_request'"
    assert runs(check) == ["pip install -r requirements.txt", "newsroom check --format github"]


def test_the_workflow_builds_and_deploys_pushes_to_main_hourly_when_due_and_on_demand(
        tmp_path):
    flow = workflow(init(tmp_path))
    assert flow["on"]["push"]["branches"] == ["main"]
    assert flow["on"]["schedule"][0]["cron"].split()[1:] == ["*", "*", "*", "*"]
    assert "workflow_dispatch" in flow["on"]
    assert flow["permissions"] == {"contents": "read"}
    build, deploy = flow["jobs"]["build"], flow["jobs"]["deploy"]
    assert build["needs"] == "due" and "needs.due.outputs.build == 'true'" in build["if"]
    assert 'newsroom schedule --due-since "$since"' in flow["jobs"]["due"]["steps"][-1]["run"]
    assert runs(build) == ["pip install -r requirements.txt", "newsroom check --format github",
                           "newsroom build --output _site",
                           "newsroom websub --changed --output _site > changed-feeds.txt"]
    assert uses(build) == ["actions/checkout@v6", "actions/setup-python@v6",
                           "actions/upload-artifact@v6", "actions/upload-pages-artifact@v5"]
    assert build["steps"][-1]["with"] == {"path": "_site"}
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"] == {"name": "github-pages",
                                     "url": "${{ steps.deployment.outputs.page_url }}"}
    assert deploy["steps"] == [{"id": "deployment", "uses": "actions/deploy-pages@v5"}]


def test_the_workflow_says_how_to_turn_pages_on(tmp_path):
    text = (init(tmp_path) / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8")
    head = text.split("\nname:")[0]
    assert "Settings → Pages" in head and '"GitHub Actions"' in head and "base_url" in head


def actionlint(workflow_file: Path) -> subprocess.CompletedProcess[str]:
    found = shutil.which("actionlint") is not None
    require_tool("actionlint", found, "pip install -e '.[test]' installs it")
    return subprocess.run(["actionlint", "-no-color", str(workflow_file)], capture_output=True,
                          text=True, timeout=60)


def test_actionlint_finds_nothing_in_newsroom_s_own_workflow():
    result = actionlint(REPO / ".github" / "workflows" / "publish.yml")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_actionlint_finds_nothing_in_a_new_site_s_workflow(tmp_path):
    result = actionlint(init(tmp_path) / ".github" / "workflows" / "publish.yml")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


# how the build says to look at the site ----------------------------------------------------


def test_the_build_says_how_to_see_the_site_it_built(tmp_path):
    write_site(tmp_path, {"content/news/2024-05-01-hello.md": article()})
    result = run("build", "--output", "out folder", cwd=tmp_path)
    assert result.stdout.splitlines()[-1] == (
        "See it with `newsroom serve`, or `python -m http.server -d 'out folder' -b 127.0.0.1`.")
    assert "index.html" not in result.stdout


def test_a_site_under_a_path_is_seen_with_the_preview_only(tmp_path):
    # A file server would serve it at /, where its /news/... links lead nowhere.
    write_site(tmp_path, {"content/news/2024-05-01-hello.md": article()},
               {"base_url": "https://example.org/news/"})
    result = run("build", cwd=tmp_path)
    assert result.stdout.splitlines()[-1] == "See it with `newsroom serve`."


def test_quiet_leaves_the_hint_out(tmp_path):
    write_site(tmp_path, {"content/news/2024-05-01-hello.md": article()})
    assert run("build", "-q", cwd=tmp_path).stdout == ""
