"""A real install: newsroom's wheel in a fresh virtual environment starts a site of its own,
and builds, checks and serves it (the theme and the starter files come with the wheel)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO, free_port, require_tool

pytestmark = pytest.mark.slow


def run(*command: str | Path, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout)


def served(url: str, seconds: float = 60) -> dict:
    """The preview's state once it answers."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "__newsroom/state", timeout=5) as response:
                return json.loads(response.read())
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    pytest.fail(f"the preview did not answer at {url} within {seconds} s")


def test_the_wheel_starts_builds_checks_and_serves_a_site_of_its_own(tmp_path):
    wheel = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp_path / "dist",
                REPO, cwd=tmp_path)
    assert wheel.returncode == 0, wheel.stderr
    [built] = (tmp_path / "dist").glob("newsroom-*.whl")
    run(sys.executable, "-m", "venv", tmp_path / "venv", cwd=tmp_path).check_returncode()
    bin_dir = tmp_path / "venv" / ("Scripts" if os.name == "nt" else "bin")
    install = run(bin_dir / "python", "-m", "pip", "install", "-q", built, cwd=tmp_path)
    require_tool("the package index", install.returncode == 0,
                 "installing the wheel's dependencies needs PyPI: " + install.stderr[-300:])
    newsroom = bin_dir / "newsroom"
    made = run(newsroom, "init", "my-news", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    site = tmp_path / "my-news"
    for command in (["build"], ["check"]):
        result = run(newsroom, *command, cwd=site)
        assert result.returncode == 0, result.stdout + result.stderr
    assert (site / "public/static/style.css").is_file()  # (the theme came with the wheel)
    port = free_port()
    preview = subprocess.Popen([newsroom, "serve", "--port", str(port)], cwd=site,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}/"
        assert served(url)["problems"] == []
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200
            assert b"<html" in response.read()
    finally:
        preview.send_signal(signal.SIGINT)
        out, err = preview.communicate(timeout=30)
    assert preview.returncode == 0, err
    assert "Traceback" not in err
