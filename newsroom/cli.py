"""The command line: the only place that prints or exits."""

from __future__ import annotations

import argparse
import gc
import os
import shlex
import signal
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from newsroom import __version__
from newsroom.build import BuildReport, build_site, read_site
from newsroom.config import CONFIG_NAME, load_config
from newsroom.fields import FieldError, when
from newsroom.mentions import sanitiser_warnings
from newsroom.problems import BuildError, Problem
from newsroom.site import Change, coming_changes, next_change

COMMANDS = ("build", "serve", "new", "check", "schedule", "init", "websub", "bulletin")
# `schedule --due-since`'s exit code when nothing has changed state: not 1, which means
# problems, so that a workflow can tell "no build needed" from "broken".
NOTHING_DUE = 3


class Terminal:
    """How to talk to this terminal: colours only on a TTY and never with NO_COLOR."""

    def __init__(self, quiet: bool = False, verbose: bool = False) -> None:
        self.quiet = quiet
        self.verbose = verbose
        self.colour_out = _wants_colour(sys.stdout)
        self.colour_err = _wants_colour(sys.stderr)
        # A progress bar only where someone watches: a terminal, not a pipe, a log or CI.
        self.progress_bar = (sys.stderr.isatty() and not quiet and not os.environ.get("CI"))
        self._bar_started: float | None = None
        self._bar_drawn = False

    def paint(self, text: str, code: str, err: bool = False) -> str:
        """Text in an ANSI colour when the stream is a colour terminal."""
        enabled = self.colour_err if err else self.colour_out
        return f"\033[{code}m{text}\033[0m" if enabled else text

    def say(self, text: str) -> None:
        """A normal message (not with -q)."""
        if not self.quiet:
            print(text, flush=True)

    def detail(self, text: str) -> None:
        """A message only with -v."""
        if self.verbose and not self.quiet:
            print(self.paint(text, "2"), flush=True)

    def problems(self, problems: Sequence[Problem], how: str = "text",
                 level: str = "error") -> None:
        """Every problem (or warning) on stderr, as path:line: message or as GitHub
        annotations."""
        self.clear_progress()
        for problem in problems:
            if how == "github":
                print(github_annotation(problem, level), file=sys.stderr)
                continue
            place, _, message = str(problem).partition(": ")
            colour, said = ("1;33", "warning: ") if level == "warning" else ("1;31", "")
            print(f"{self.paint(place + ':', colour, err=True)} {said}{message}",
                  file=sys.stderr)

    def progress(self, stage: str, done: int, total: int) -> None:
        """Draw a progress bar on stderr, once a stage has run for half a second."""
        if not self.progress_bar:
            return
        now = time.monotonic()
        if self._bar_started is None or done <= 1:
            self._bar_started = now
        if now - self._bar_started < 0.5 and done < total:
            return
        width = 30
        filled = width * done // max(total, 1)
        sys.stderr.write(f"\r{stage:<8} [{'#' * filled}{'.' * (width - filled)}] "
                         f"{done}/{total}")
        sys.stderr.flush()
        self._bar_drawn = True
        if done >= total:
            self.clear_progress()

    def clear_progress(self) -> None:
        """Remove a drawn progress bar from the line."""
        if self._bar_drawn:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
            self._bar_drawn = False


def _wants_colour(stream) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def github_annotation(problem: Problem, level: str = "error") -> str:
    """A problem as a GitHub Actions annotation, shown on the pull request's files."""

    def escape_data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def escape_property(text: str) -> str:
        return escape_data(text).replace(":", "%3A").replace(",", "%2C")

    place = f"file={escape_property(problem.path)}"
    if problem.line is not None:
        place += f",line={problem.line}"
    return f"::{level} {place}::{escape_data(problem.message)}"


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path, default=Path(CONFIG_NAME), metavar="PATH",
                        help=f"the site's {CONFIG_NAME} (default: ./{CONFIG_NAME}); the site "
                             "is the folder it is in")
    loudness = common.add_mutually_exclusive_group()
    loudness.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    loudness.add_argument("-v", "--verbose", action="store_true", help="say more")
    selection = argparse.ArgumentParser(add_help=False)
    selection.add_argument("--drafts", action="store_true",
                           help="include articles with draft: true")
    selection.add_argument("--future", action="store_true",
                           help="include articles dated in the future")
    selection.add_argument("-j", "--jobs", type=int, metavar="N",
                           help="worker processes (default: one per core)")

    parser = argparse.ArgumentParser(
        prog="newsroom", description="Build a news-and-events website from Markdown and YAML.")
    parser.add_argument("--version", action="version", version=f"newsroom {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = commands.add_parser("build", parents=[common, selection],
                                help="build the site (the default command)",
                                description="Build the site into its output folder.")
    build.add_argument("--output", type=Path, metavar="DIR",
                       help="write the site here instead of output_dir from the config")
    build.add_argument("--base-url", metavar="URL",
                       help="publish under this address instead of base_url from the config")
    build.add_argument("--no-search", dest="search", action="store_false", default=None,
                       help="leave out the search box, page and index (search: false)")

    serve = commands.add_parser("serve", parents=[common, selection],
                                help="preview the site, rebuilding as you edit",
                                description="Build, serve and rebuild on every change; the "
                                            "browser reloads by itself.")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default: 127.0.0.1, this computer only; "
                            "0.0.0.0 for every network interface)")
    serve.add_argument("--no-search", dest="search", action="store_false", default=None,
                       help="leave out the search box, page and index (search: false)")

    new = commands.add_parser("new", parents=[common], help="start a new article, event or page",
                              description="Write a new content file, ready to fill in.")
    new.add_argument("kind", choices=("article", "event", "page"))
    new.add_argument("title")
    new.add_argument("--date", help="article date: 2027-03-01 or '2027-03-01 09:30' "
                                    "(default: now)")
    new.add_argument("--category", help="article category")
    new.add_argument("--tags", help="article tags, separated by commas")
    new.add_argument("--start", help="event start: '2027-03-01 10:00' or 2027-03-01 (all day)")

    check = commands.add_parser("check", parents=[common, selection],
                                help="check config, content, templates and every link",
                                description="Build into a temporary folder and check every "
                                            "internal link, anchor, image and asset. The "
                                            "output folder is not touched.")
    check.add_argument("--format", choices=("text", "github"), default="text",
                       help="github: print GitHub Actions annotations")
    check.add_argument("--fix", action="store_true",
                       help="add the aliases: that keep published addresses working to the "
                            "files that lost them, then check")

    schedule = commands.add_parser(
        "schedule", parents=[common, selection],
        help="what goes live when, and when the built site goes out of date",
        description="List future articles and the next events to start and end, and the "
                    "next moment the site needs rebuilding.")
    schedule.add_argument("--due-since", metavar="TIME",
                          help="only say what has changed state since TIME (the last "
                               "deploy: 2027-03-01T05:17:00Z): exit 0 if anything has, "
                               f"{NOTHING_DUE} if nothing has")

    websub = commands.add_parser(
        "websub", parents=[common], help="tell the WebSub hub which feeds a deploy changed",
        description="With websub_hub: in the config: list the feeds a build changed "
                    "(against the published site, before deploying it), then tell the hub "
                    "of them (after).")
    what = websub.add_mutually_exclusive_group(required=True)
    what.add_argument("--changed", action="store_true",
                      help="print the address of each built feed that differs from the "
                           "published one")
    what.add_argument("--ping", metavar="FILE", type=Path,
                      help="tell the hub of each feed address in FILE, one per line")
    websub.add_argument("--output", type=Path, metavar="DIR",
                        help="the built site (default: output_dir from the config)")

    bulletin = commands.add_parser(
        "bulletin", parents=[common], help="write the bulletin as an e-mail ready to send",
        description="Write the latest bulletin the site publishes (or one of the articles "
                    "since --since) with the coming events, as bulletin.eml (HTML with a "
                    "plain-text part), bulletin.html and bulletin.txt.")
    bulletin.add_argument("--since", metavar="DATE",
                          help="the articles since DATE, until now: 2027-03-01 or "
                               "'2027-03-01 09:00' (default: the latest bulletin's)")
    bulletin.add_argument("--output", type=Path, default=Path("."), metavar="DIR",
                          help="where to write the files (default: here)")

    init = commands.add_parser("init", help="make a new site in a new folder",
                               description="Make a new site: settings, an example article, "
                                           "event and page, a .gitignore, and a GitHub "
                                           "workflow that publishes it on GitHub Pages.")
    init.add_argument("path", type=Path, metavar="PATH",
                      help="the new site's folder (made if missing; it must be empty)")
    init.add_argument("--empty", action="store_true",
                      help="make the content folders empty, without the examples")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 1 problems, 2 usage)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0].startswith("-") and args_list[0] not in
                         ("-h", "--help", "--version")):
        args_list.insert(0, "build")
    args = _parser().parse_args(args_list)
    terminal = Terminal(quiet=getattr(args, "quiet", False),
                        verbose=getattr(args, "verbose", False))
    command = {"build": _build, "serve": _serve, "new": _new, "check": _check,
               "schedule": _schedule, "init": _init, "websub": _websub,
               "bulletin": _bulletin}[args.command]
    try:
        return command(args, terminal)
    except KeyboardInterrupt:
        terminal.clear_progress()
        print("Interrupted: the output folder holds the previous site or the new one, whole.",
              file=sys.stderr)
        return 130
    except BuildError as error:
        terminal.problems(error.problems, getattr(args, "format", "text"))
        if getattr(args, "format", "text") == "text":
            print(_failure_line(args.command, len(error.problems)), file=sys.stderr)
        return 1


def _failure_line(command: str, count: int) -> str:
    """The last line of a failed command: how many problems, and what that left undone."""
    problems = f"{count} problem{'s' if count != 1 else ''}"
    if command == "check":
        return f"Check failed: {problems}."
    if command == "build":
        return f"Build failed: {problems}; nothing was written."
    if command == "serve":
        return f"Build failed: {problems}."
    if command in ("new", "init"):
        return f"Nothing done: {problems}; nothing was written."
    return f"Nothing done: {problems}."


def _now() -> datetime:
    return datetime.now().astimezone()


def _shown(path: Path) -> str:
    shown = os.path.relpath(path)
    return str(path) if shown.startswith("..") else shown


def _moment(moment: datetime, zone) -> str:
    local = moment.astimezone(zone)
    return f"{local:%Y-%m-%d %H:%M %Z}"


def _utc(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def _change_line(change: Change, zone) -> str:
    return (f"{_moment(change.moment, zone)} ({_utc(change.moment)}): {change.what}: "
            f"“{change.title}”")


def _summary(report: BuildReport, zone, where: bool = True) -> str:
    line = (f"Built {report.pages} pages, {report.feeds} feeds, {report.calendars} calendars "
            f"in {report.seconds:.2f} s")
    if where:
        line += f" into {_shown(report.output_dir)}/"
    if report.search:
        line += (f"; search index of {report.search.pages} pages, "
                 f"{report.search.size / 1e6:.1f} MB, in {report.search.seconds:.2f} s")
    if report.next_change:
        line += f"; rebuild by {_moment(report.next_change.moment, zone)}"
    return line


def _build(args: argparse.Namespace, terminal: Terminal) -> int:
    # A one-shot build holds the whole site in memory until it ends, and makes next to no
    # cyclic garbage: the collector would only walk the site's objects over and over. One
    # article edited at 5,000 articles, five alternating runs: 1.32-1.70 s with it off,
    # 1.42-1.98 s with it on. It is back on once the site is freed, not before, when its
    # first pass would walk every object of the site (0.07 s at 5,000 articles).
    gc.disable()
    try:
        return _build_and_report(args, terminal)
    finally:
        gc.enable()


def _build_and_report(args: argparse.Namespace, terminal: Terminal) -> int:
    report = build_site(args.config, now=_now(), drafts=args.drafts, future=args.future,
                        output_dir=args.output, base_url=args.base_url,
                        progress=terminal.progress, jobs=args.jobs, search_on=args.search)
    terminal.clear_progress()
    assert report.site is not None
    # Nothing an editor wrote vanishes in silence.
    terminal.problems(sanitiser_warnings(report.site), level="warning")
    # Only what readers can see is recorded: drafts and future articles may never go out.
    if not (args.drafts or args.future):
        _record_published(report, terminal)
    config = report.site.config
    zone = config.timezone
    terminal.say(terminal.paint(_summary(report, zone), "32"))
    for stage, seconds in report.timings:
        terminal.detail(f"  {stage:<10} {seconds * 1000:8.1f} ms")
    terminal.detail(f"  {report.rendered} of {report.pages} pages rendered afresh; "
                    f"{report.files} files in all")
    if report.next_change:
        terminal.detail(f"  next change: {_change_line(report.next_change, zone)}")
    terminal.say(_how_to_look(report.output_dir, config.base_path))
    return 0


def _record_published(report: BuildReport, terminal: Terminal) -> None:
    """Warn of the published addresses the build no longer serves, then add its addresses
    to published-urls.txt; a file it cannot read or write is a warning (the site is built
    all the same)."""
    from newsroom.published import FILE_NAME, broken_addresses, record_published

    # Said before the new addresses are recorded: after, a renamed file is no longer new.
    terminal.problems(broken_addresses(report), level="warning")
    try:
        if record_published(report):
            terminal.detail(f"  new addresses recorded in {FILE_NAME}")
    except BuildError as error:
        terminal.problems(error.problems, level="warning")
        terminal.say(f"The addresses of this build are not recorded in {FILE_NAME}.")


def _how_to_look(output_dir: Path, base_path: str) -> str:
    """How to see the built site in a browser: the preview, or a file server on the output
    folder (not the files opened from disk, where the site's /links/ lead nowhere)."""
    # A site published under a path (/news/) links to /news/...: a file server started in
    # the output folder serves it at /, so only the preview shows it whole.
    if base_path != "/":
        return "See it with `newsroom serve`."
    folder = shlex.quote(_shown(output_dir))
    return f"See it with `newsroom serve`, or `python -m http.server -d {folder} -b 127.0.0.1`."


def _serve(args: argparse.Namespace, terminal: Terminal) -> int:
    from newsroom.preview import PreviewEvent
    from newsroom.server import serve

    zone = load_config(args.config).timezone

    def on_event(event: PreviewEvent) -> None:
        if event.paths:
            terminal.detail("Changed: " + ", ".join(_shown(Path(p)) for p in event.paths))
        if event.kind == "built" and event.report:
            terminal.say(terminal.paint(_summary(event.report, zone, where=False), "32"))
        elif event.kind == "indexed" and event.report and event.report.search:
            index = event.report.search
            terminal.say(f"Search index updated: {index.pages} pages in {index.seconds:.2f} s")
        elif event.kind == "failed":
            terminal.problems(event.problems)
            print(f"Build failed: {len(event.problems)} problem"
                  f"{'s' if len(event.problems) != 1 else ''}; still serving the last good "
                  "site.", file=sys.stderr, flush=True)
        elif event.kind == "serving":
            terminal.say(f"Serving {event.url} (Ctrl-C to stop); watching for changes.")
        elif event.kind == "idle":
            terminal.detail("Up to date: waiting for changes.")

    # Ctrl-C (and a polite kill) stop the preview cleanly, even when started from a script
    # that ignores SIGINT for its background jobs.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        serve(args.config, host=args.host, port=args.port, drafts=args.drafts,
              future=args.future, search=args.search, on_event=on_event)
    except OSError as error:
        print(f"Cannot listen on {args.host}:{args.port}: {error.strerror} (try --port "
              f"{args.port + 1})", file=sys.stderr)
        return 1
    terminal.say("Stopped.")
    return 0


def _option(name: str, value: str | None, parse=when) -> object:
    if value is None:
        return None
    try:
        return parse(value)
    except FieldError as error:
        raise BuildError([Problem(name, None, str(error))]) from None


def _moment_option(name: str, value: str, zone) -> datetime:
    """A date or a date and time given on the command line, as a moment (midnight of a date
    alone; the site's time zone unless it says its offset)."""
    moment = _option(name, value)
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, datetime.min.time())
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _new(args: argparse.Namespace, terminal: Terminal) -> int:
    from newsroom.fields import string_list, text
    from newsroom.output import create_file
    from newsroom.scaffold import new_article, new_event, new_page

    config = load_config(args.config)
    title = _option("title", args.title, text)
    if args.kind != "article" and (args.date or args.category or args.tags):
        raise BuildError([Problem("new", None, "--date, --category and --tags are for "
                                               "articles; events take --start")])
    if args.kind != "event" and args.start:
        raise BuildError([Problem("new", None, "--start is for events; articles take --date")])
    if args.kind == "article":
        moment = _option("--date", args.date) or _now().astimezone(config.timezone)
        tags = _option("--tags", args.tags, string_list) or ()
        category = _option("--category", args.category, text)
        new_file = new_article(config, title, when=moment, category=category, tags=tags)
    elif args.kind == "event":
        if not args.start:
            raise BuildError([Problem("--start", None, "an event needs a start (write "
                                                       "--start \"2027-03-01 10:00\")")])
        start = _option("--start", args.start)
        all_day = not isinstance(start, datetime)
        if all_day:
            start = datetime.combine(start, datetime.min.time())
        new_file = new_event(config, title, start=start, all_day=all_day)
    else:
        new_file = new_page(config, title)
    create_file(new_file.path, new_file.text, config.root)
    print(_shown(new_file.path))
    return 0


def _check(args: argparse.Namespace, terminal: Terminal) -> int:
    from newsroom.links import check_links, lead_image_problems
    from newsroom.mentions import author_warnings, category_warnings, weekday_problems
    from newsroom.published import broken_addresses

    if args.fix:
        _fix_addresses(args, terminal)
    with tempfile.TemporaryDirectory(prefix="newsroom-check-") as folder:
        report = _build_to_check(args, terminal, Path(folder))
        problems, checked = check_links(report)
    assert report.site is not None
    problems = sorted(problems + lead_image_problems(report.site) + broken_addresses(report))
    warnings = (weekday_problems(report.site) + category_warnings(report.site)
                + author_warnings(report.site)
                + sanitiser_warnings(report.site))
    terminal.problems(warnings, args.format, level="warning")
    if problems:
        raise BuildError(problems)
    found = f"; {len(warnings)} warning{'s' if len(warnings) != 1 else ''}" if warnings else ""
    terminal.say(terminal.paint(f"No problems: {report.pages} pages, {checked} links "
                                f"checked{found}.", "32"))
    return 0


def _build_to_check(args: argparse.Namespace, terminal: Terminal, folder: Path) -> BuildReport:
    """Build into a temporary folder, leaving the output folder alone."""
    report = build_site(args.config, now=_now(), drafts=args.drafts, future=args.future,
                        output_dir=folder / "site", progress=terminal.progress,
                        jobs=args.jobs, search_index=False)  # links only: no index
    terminal.clear_progress()
    return report


def _fix_addresses(args: argparse.Namespace, terminal: Terminal) -> None:
    """`check --fix`: add the aliases that keep every published address working, a line
    for each file changed."""
    from newsroom.published import add_aliases, find_breaks

    with tempfile.TemporaryDirectory(prefix="newsroom-check-") as folder:
        report = _build_to_check(args, terminal, Path(folder))
    assert report.site is not None
    for source, aliases in add_aliases(report.site.config.root, find_breaks(report)).items():
        terminal.say(f"{source}: added aliases: {', '.join(aliases)}")


# What to do after `init`, once in the new site's folder.
NEXT_STEPS = (
    ("newsroom serve", "preview it at http://127.0.0.1:8000/"),
    ("newsroom build", "build it into public/"),
    ('newsroom new article "A title"', "start an article (or an event, or a page)"),
)


def _init(args: argparse.Namespace, terminal: Terminal) -> int:
    from newsroom.scaffold import KEEP, create_site, new_site

    root = args.path
    files = new_site(root, now=_now(), version=__version__, empty=args.empty)
    create_site(root, files)
    print(f"Made a new site in {_shown(root)}/:")
    for new_file in files:
        made = new_file.path.relative_to(root)
        # An empty folder is shown as the folder, not as the file that keeps it in git.
        print(f"  {made.parent.as_posix()}/" if made.name == KEEP else f"  {made.as_posix()}")
    print("\nNext:")
    if root.resolve() != Path.cwd().resolve():
        print(f"  cd {shlex.quote(_shown(root))}")
    for command, what in NEXT_STEPS:
        print(f"  {command:<32}{what}")
    print("\nSet title, base_url, language and timezone in site_config.yaml. To publish on GitHub\n"
          "Pages, see the comment at the top of .github/workflows/publish.yml. More in\n"
          "docs/your-own-site.md in newsroom's repository.")
    return 0


def _due_since(args: argparse.Namespace, terminal: Terminal) -> int:
    """Whether anything has changed state since the given time (a build is due): each change
    on a line, and the exit code."""
    from newsroom.site import due_changes

    config = load_config(args.config)
    since = _moment_option("--due-since", args.due_since, config.timezone)
    site = read_site(config, now=since, drafts=args.drafts, future=args.future,
                     render_markdown=False, media=False)
    due = due_changes(site, _now())
    for change in due:
        terminal.say(f"{_change_line(change, config.timezone)}  [{change.source}]")
    if not due:
        terminal.say(f"Nothing has changed state since {_moment(since, config.timezone)}.")
    return 0 if due else NOTHING_DUE


def _bulletin(args: argparse.Namespace, terminal: Terminal) -> int:
    from newsroom.bulletin import bulletin, dates_soonest_first
    from newsroom.output import replace_file
    from newsroom.pages import site_urls
    from newsroom.render import bulletin_email

    config = load_config(args.config)
    now = _now()
    site = read_site(config, now=now)
    urls = site_urls(site)
    if args.since:
        chosen = bulletin(site.articles, dates_soonest_first(site.dates_of_event),
                          _moment_option("--since", args.since, config.timezone), now)
        web = urls.absolute(urls.bulletin_latest())
    else:
        issued = site.bulletins
        if not issued:
            raise BuildError([Problem("content/news", None, "has no article to make a "
                                      "bulletin of; write one, or give --since DATE")])
        chosen, web = issued[0], urls.absolute(urls.bulletin(issued[0]))
    email = bulletin_email(site, chosen, web)
    args.output.mkdir(parents=True, exist_ok=True)
    for name, data in (("bulletin.eml", email.message(now)),
                       ("bulletin.html", email.html.encode("utf-8")),
                       ("bulletin.txt", email.text.encode("utf-8"))):
        replace_file(args.output / name, data, _shown(args.output / name))
        print(_shown(args.output / name))
    articles, events = len(chosen.articles), len(chosen.events)
    terminal.say(f"{email.subject}: {articles} article{'s' if articles != 1 else ''}, "
                 f"{events} coming event{'s' if events != 1 else ''}.")
    return 0


def _websub(args: argparse.Namespace, terminal: Terminal) -> int:
    from newsroom.websub import changed_feeds, ping

    config = load_config(args.config, output_dir=args.output)
    if not config.websub_hub:
        # (On stderr: --changed's output is a list of addresses for --ping.)
        print("No websub_hub: in site_config.yaml: no hub to tell.", file=sys.stderr)
        return 0
    if args.changed:
        site = read_site(config, now=_now(), render_markdown=False, media=False)
        for address in changed_feeds(site, config.output_dir):
            print(address)
        return 0
    try:
        addresses = [line.strip() for line in args.ping.read_text(encoding="utf-8")
                     .splitlines() if line.strip()]
    except OSError as error:
        raise BuildError([Problem(str(args.ping), None, f"cannot be read: {error.strerror}")]) \
            from None
    problems = ping(config.websub_hub, addresses)
    if problems:
        raise BuildError(problems)
    terminal.say(f"Told {config.websub_hub} of {len(addresses)} changed feed"
                 f"{'s' if len(addresses) != 1 else ''}.")
    return 0


def _schedule(args: argparse.Namespace, terminal: Terminal) -> int:
    if args.due_since:
        return _due_since(args, terminal)
    config = load_config(args.config)
    now = _now()
    site = read_site(config, now=now, drafts=args.drafts, future=args.future,
                     render_markdown=False, media=False)
    zone = config.timezone
    changes = coming_changes(site)
    print(f"Now: {_moment(now, zone)} ({_utc(now)})")
    sections = (("Articles going live", ("article goes live",)),
                ("Next events to start", ("event starts",)),
                ("Next events to end", ("event ends",)),
                ("Coming off the site (expires:)", ("article expires", "event expires")),
                ("Bulletin and news sitemap", ("bulletin issued",
                                               "article leaves the news sitemap")))
    for heading, what in sections:
        found = [c for c in changes if c.what in what][:10]
        print(f"\n{heading}:")
        for change in found:
            print(f"  {_moment(change.moment, zone)}  ({_utc(change.moment)})  "
                  f"{change.title}  [{change.source}]")
        if not found:
            print("  none")
    upcoming = next_change(site)
    print()
    if upcoming:
        print(f"The built site goes out of date at {_change_line(upcoming, zone)}.")
    else:
        print("Nothing is scheduled: the built site stays up to date until content changes.")
    return 0

