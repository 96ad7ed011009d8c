"""The code follows the house style: ruff's B, E, F, I, UP and W rules pass."""

from __future__ import annotations

import shutil
import subprocess
import sys

from conftest import REPO, require_tool


def test_ruff_finds_nothing():
    found = shutil.which("ruff") is not None
    require_tool("ruff", found, "pip install -e '.[test]' installs it")
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "newsroom", "tests",
                             "build.py"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
