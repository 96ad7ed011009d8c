"""Writing the site: staged beside the output folder, then swapped in whole."""

from __future__ import annotations

import os
import posixpath
import shutil
from collections.abc import Sequence
from pathlib import Path

from newsroom.content import Asset
from newsroom.problems import BuildError, Problem, site_path
from newsroom.render import Output

MARKER = ".newsroom-output"


def check_output_dir(out_dir: Path, root: Path, templates_dir: Path,
                     source: str = "site_config.yaml") -> list[Problem]:
    """Problems with writing to out_dir: it may not hold, be or sit in the site's own folders.

    `source` is where the folder was named: the config file, or --output.
    """
    out_dir = out_dir.resolve()
    root = root.resolve()
    what = "output_dir: " if source.endswith(".yaml") else ""
    protected = [root, root / "content", root / "templates", templates_dir.resolve(),
                 Path.home().resolve(), Path(out_dir.anchor)]
    for folder in protected:
        if out_dir == folder or out_dir in folder.parents:
            return [Problem(source, None, f"{what}{out_dir} would overwrite {folder}; choose "
                                          "a folder of its own such as public/")]
    # Inside content/ or the theme, the site would read its own output on the next build.
    for folder in (root / "content", templates_dir.resolve()):
        if out_dir.is_relative_to(folder):
            return [Problem(source, None, f"{what}{out_dir} is inside {folder}; choose a "
                                          "folder outside it such as public/")]
    if out_dir.exists() and not out_dir.is_dir():
        return [Problem(source, None, f"{what}{out_dir} is a file; choose a folder such as "
                                      "public/")]
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / MARKER).exists():
        return [Problem(source, None, f"{what}{out_dir} has files newsroom did not make; "
                                      "empty it or choose another folder such as public/")]
    return []


def publish(outputs: Sequence[Output], assets: Sequence[Asset], out_dir: Path, root: Path,
            templates_dir: Path | None = None, source: str = "site_config.yaml") -> int:
    """Write every output and asset into out_dir as one swap; return the files written."""
    problems = check_output_dir(out_dir, root, templates_dir or root / "templates", source)
    if problems:
        raise BuildError(problems)
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = out_dir.parent / f".newsroom-staging-{out_dir.name}-{os.getpid()}"
    old = out_dir.parent / f".newsroom-old-{out_dir.name}-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        return _write(outputs, assets, out_dir, staging, old)
    except OSError as error:
        where = error.filename or out_dir
        raise BuildError([Problem(str(where), None, f"cannot write: {error.strerror}")]
                         ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)


def _write(outputs: Sequence[Output], assets: Sequence[Asset], out_dir: Path, staging: Path,
           old: Path) -> int:
    staging.mkdir()
    (staging / MARKER).write_text("This folder is made by newsroom; it is replaced on "
                                  "every build.\n", encoding="utf-8")
    written = {MARKER}
    for asset in assets:
        target = _inside(staging, asset.url_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(asset.source, target)
        written.add(posixpath.normpath(asset.url_path))
    for output in outputs:
        if posixpath.normpath(output.path) in written:
            raise BuildError([Problem(output.path, None, "two things want this address; "
                                      "rename one of them")])
        target = _inside(staging, output.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(output.data)
        written.add(posixpath.normpath(output.path))
    # The old site stays whole until the new one is complete; then one rename each.
    if out_dir.exists():
        out_dir.rename(old)
    try:
        staging.rename(out_dir)
    except OSError:
        if old.exists() and not out_dir.exists():
            old.rename(out_dir)  # put the previous site back before reporting
        raise
    return len(written) - 1


def _inside(folder: Path, relative: str) -> Path:
    target = (folder / relative).resolve()
    if not target.is_relative_to(folder.resolve()):
        raise BuildError([Problem(relative, None, "would be written outside the output folder")])
    return target


def create_file(path: Path, text: str, root: Path) -> None:
    """Create a new file inside the site; never overwrite one (raises BuildError)."""
    shown = site_path(path, root)
    if path.exists():
        raise BuildError([Problem(shown, None, "already exists; choose another title, or "
                                               "edit the file that is there")])
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except OSError as error:
        raise BuildError([Problem(shown, None, f"cannot write: {error.strerror}")]) from None
