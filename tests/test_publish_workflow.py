"""The example GitHub workflow does what the README says it does."""

from __future__ import annotations

import yaml
from conftest import REPO

WORKFLOW = REPO / ".github" / "workflows" / "publish.yml"


def load() -> dict:
    """The workflow as GitHub reads it (YAML's `on:` key is read as True by PyYAML)."""
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True)
    return data


def test_it_runs_on_pull_requests_pushes_to_main_and_every_hour():
    triggers = load()["on"]
    assert "pull_request" in triggers
    assert triggers["push"]["branches"] == ["main"]
    assert len(triggers["schedule"]) == 1
    minute, hour, day, month, weekday = triggers["schedule"][0]["cron"].split()
    assert minute.isdigit() and (hour, day, month, weekday) == ("*", "*", "*", "*")


def test_the_hourly_run_builds_only_when_something_is_due():
    jobs = load()["jobs"]
    due = jobs["due"]
    assert due["if"] == "github.event_name == 'schedule'"
    script = due["steps"][-1]["run"]
    # Since the last deploy to GitHub Pages; exit 3 means nothing is due, anything else
    # but 0 fails the run.
    assert "deployments?environment=github-pages" in script
    assert 'python build.py schedule --due-since "$since"' in script
    assert '[ "$status" -eq 3 ] || exit "$status"' in script
    build = jobs["build"]
    assert build["needs"] == "due"
    assert "needs.due.outputs.build == 'true'" in build["if"]
    assert "github.event_name != 'schedule'" in build["if"]  # a push always builds
    assert "!cancelled()" in build["if"]  # (the due job is skipped on a push)
    assert build["steps"][0]["with"]["fetch-depth"] == 0


def test_after_a_deploy_the_hub_hears_which_feeds_changed():
    jobs = load()["jobs"]
    runs = [step.get("run", "") for step in jobs["build"]["steps"]]
    assert "python build.py websub --changed --output _site > changed-feeds.txt" in runs
    assert jobs["websub"]["needs"] == "deploy"
    assert jobs["websub"]["steps"][-1]["run"] == \
        "python build.py websub --ping changed-feeds.txt"


def test_pull_requests_get_check_with_github_annotations():
    job = load()["jobs"]["check"]
    assert job["if"] == "github.event_name == 'pull_request'"
    commands = [step.get("run", "") for step in job["steps"]]
    assert "python build.py check --format github" in commands


def test_main_builds_and_deploys_to_github_pages():
    jobs = load()["jobs"]
    build_steps = jobs["build"]["steps"]
    runs = [step.get("run", "") for step in build_steps]
    assert "python build.py --output _site" in runs
    upload = next(s for s in build_steps if s.get("uses", "").startswith(
        "actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "_site"
    deploy = jobs["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages")
