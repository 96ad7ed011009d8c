"""What pictures cost a build: a site of articles, each with a lead photograph.

    python bench/images.py [--images 100] [--width 3000] [--height 2000] [-j N]

Makes a site in a temporary folder whose every article has its own photograph (noise over
gradients, so that encoders work as hard as on a real one), then times with `build.py -v`:

- a cold build (no cache): every picture made in every width and format, and its crops;
- the same site with no picture: the rest of the build, to take away;
- a build with nothing changed, and one with an article's text edited: no image work.

Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageFilter

REPO = Path(__file__).resolve().parent.parent
CONFIG = ("title: Pictures Bench\nbase_url: https://example.org/\ntimezone: Europe/London\n"
          "language: en-GB\nsearch: false\nshare_cards: false\n")


def photograph(path: Path, width: int, height: int, seed: int) -> None:
    """A JPEG with the detail of a photograph: noise, blurred a little, over colour."""
    noise = Image.effect_noise((width // 4, height // 4), 64 + seed % 32).resize((width, height))
    red = Image.linear_gradient("L").resize((width, height))
    green = noise.filter(ImageFilter.GaussianBlur(2))
    blue = Image.radial_gradient("L").resize((width, height))
    Image.merge("RGB", (red, green, blue)).save(path, quality=90)


def make_site(root: Path, count: int, width: int, height: int, pictures: bool) -> Path:
    (root / "content/news").mkdir(parents=True)
    (root / "content/media").mkdir(parents=True)
    (root / "site_config.yaml").write_text(CONFIG, encoding="utf-8")
    for n in range(count):
        lead = ""
        if pictures:
            photograph(root / f"content/media/photo-{n}.jpg", width, height, n)
            lead = f"image: /media/photo-{n}.jpg\nimage_alt: Photograph {n}\n"
        (root / f"content/news/2024-01-{n % 28 + 1:02d}-story-{n}.md").write_text(
            f"---\ntitle: Story {n}\ndate: 2024-01-{n % 28 + 1:02d}\n{lead}---\n\n"
            f"Words of story {n}.\n", encoding="utf-8")
    return root


def build(site: Path, jobs: int | None) -> tuple[float, dict[str, float]]:
    """A build's wall time, and its stages' times from `build -v`."""
    command = [sys.executable, str(REPO / "build.py"), "-v"] + (["-j", str(jobs)] if jobs else [])
    started = time.perf_counter()
    done = subprocess.run(command, cwd=site, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    stages = {name: float(ms) / 1000 for name, ms in
              re.findall(r"^\s+(\w+)\s+([\d.]+) ms$", done.stdout, re.MULTILINE)}
    return wall, stages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=100)
    parser.add_argument("--width", type=int, default=3000)
    parser.add_argument("--height", type=int, default=2000)
    parser.add_argument("-j", "--jobs", type=int, default=None)
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="newsroom-images-bench-"))
    try:
        print(f"Making {options.images} photographs of {options.width}x{options.height}...")
        site = make_site(work / "pictures", options.images, options.width, options.height, True)
        plain = make_site(work / "plain", options.images, 0, 0, False)
        cold, stages = build(site, options.jobs)
        bare, bare_stages = build(plain, options.jobs)
        again, again_stages = build(site, options.jobs)
        edited = sorted((site / "content/news").glob("*.md"))[0]
        edited.write_text(edited.read_text(encoding="utf-8") + "\nMore words.\n",
                          encoding="utf-8")
        edit, edit_stages = build(site, options.jobs)
        made = sum(1 for _ in (site / "public/media").iterdir())
        print(f"{'build':<44}{'wall':>9}{'read':>9}")
        for name, wall, times in (
                (f"cold, {options.images} pictures (no cache)", cold, stages),
                ("cold, the same articles with no picture", bare, bare_stages),
                ("nothing changed", again, again_stages),
                ("one article's text edited", edit, edit_stages)):
            print(f"{name:<44}{wall:>8.2f}s{times.get('read', 0):>8.2f}s")
        per = (cold - bare) / options.images
        print(f"\nPicture work in the cold build: {cold - bare:.2f} s "
              f"({per * 1000:.0f} ms a picture, wall); {made} files in public/media/.")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
