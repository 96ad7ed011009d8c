"""The example GitHub workflow does what the README says it does."""

from __future__ import annotations

import shutil
import subprocess

import pytest
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


def test_deploy_and_the_hub_follow_a_build_the_due_job_skipped_for():
    jobs = load()["jobs"]
    # On a push the due job is skipped, and a job after a skipped one is skipped too
    # unless its condition says otherwise.
    assert "needs.build.result == 'success'" in jobs["deploy"]["if"]
    assert "needs.deploy.result == 'success'" in jobs["websub"]["if"]


@pytest.mark.parametrize(("deployed", "due_exit", "build"), [
    ("", 3, "true"),  # never deployed
    ("0ld5ha 2027-03-01T05:17:03Z", 3, "true"),  # commits since the deploy
    ("c0ffee 2027-03-01T05:17:03Z", 0, "true"),  # something due
    ("c0ffee 2027-03-01T05:17:03Z", 3, "false"),  # nothing due
    ("c0ffee 2027-03-01T05:17:03Z", 1, None),  # broken content: the run fails
])
def test_the_due_script_decides_as_it_should(tmp_path, deployed, due_exit, build):
    if shutil.which("bash") is None or shutil.which("date") is None:
        pytest.skip("bash and date are needed")
    script = load()["jobs"]["due"]["steps"][-1]["run"]
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    # Stand-ins for gh (the latest deployment) and python (schedule --due-since), which
    # also keeps the time it was asked about.
    (bin_dir / "gh").write_text(f"#!/bin/sh\necho '{deployed}'\n")
    (bin_dir / "python").write_text(f'#!/bin/sh\necho "$4" > "{tmp_path}/since"\n'
                                    f"exit {due_exit}\n")
    for tool in bin_dir.iterdir():
        tool.chmod(0o755)
    output = tmp_path / "output"
    done = subprocess.run(["bash", "-e", "-c", script], capture_output=True, text=True,
                          env={"PATH": f"{bin_dir}:/usr/bin:/bin", "GITHUB_SHA": "c0ffee",
                               "GITHUB_OUTPUT": str(output), "GH_TOKEN": "t",
                               "REPOSITORY": "o/r"})
    if build is None:
        assert done.returncode == 1
        return
    assert done.returncode == 0, done.stderr
    assert output.read_text() == f"build={build}\n"
    if deployed.startswith("c0ffee"):
        assert (tmp_path / "since").read_text() == "2027-03-01T05:02:03Z\n"
