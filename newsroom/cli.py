"""The command line: the only place that prints or exits."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from pathlib import Path

from newsroom import __version__
from newsroom.build import build_site
from newsroom.config import CONFIG_NAME
from newsroom.problems import BuildError

COMMANDS = ("build",)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsroom", description="Build a news-and-events website from Markdown and YAML.")
    parser.add_argument("--version", action="version", version=f"newsroom {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    build = commands.add_parser("build", help="build the site (the default command)",
                                description="Build the site into its output folder.")
    build.add_argument("--config", type=Path, default=Path(CONFIG_NAME), metavar="PATH",
                       help=f"the site's {CONFIG_NAME} (default: ./{CONFIG_NAME}); the site "
                            "is the folder it is in")
    build.add_argument("--output", type=Path, metavar="DIR",
                       help="write the site here instead of output_dir from the config")
    build.add_argument("--drafts", action="store_true", help="include articles with draft: true")
    build.add_argument("--future", action="store_true",
                       help="include articles dated in the future")
    build.add_argument("--base-url", metavar="URL",
                       help="publish under this address instead of base_url from the config")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 1 problems, 2 usage)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0].startswith("-") and args_list[0] not in
                         ("-h", "--help", "--version")):
        args_list.insert(0, "build")
    args = _parser().parse_args(args_list)
    return {"build": _build}[args.command](args)


def _build(args: argparse.Namespace) -> int:
    now = datetime.now().astimezone()
    try:
        report = build_site(args.config, now=now, drafts=args.drafts, future=args.future,
                            output_dir=args.output, base_url=args.base_url)
    except BuildError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        count = len(error.problems)
        print(f"Build failed: {count} problem{'s' if count != 1 else ''}; nothing was written.",
              file=sys.stderr)
        return 1
    shown = os.path.relpath(report.output_dir)
    if shown.startswith(".."):
        shown = str(report.output_dir)
    print(f"Built {report.pages} pages, {report.feeds} feeds, {report.calendars} calendars "
          f"in {report.seconds:.2f} s into {shown}/")
    return 0
