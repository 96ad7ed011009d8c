"""`new`: the text of a new article, event or page, ready for an editor to fill in; and
`init`: a whole new site, from the starter files in newsroom/starter."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from newsroom.config import SiteConfig
from newsroom.output import create_file
from newsroom.problems import BuildError, Problem
from newsroom.slugs import slugify


@dataclass(frozen=True)
class NewFile:
    """A file to create: where, and what it says."""

    path: Path
    text: str


def _quoted(value: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar: safe for any title.
    return json.dumps(value, ensure_ascii=False)


def _stamp(moment: date | datetime) -> str:
    if isinstance(moment, datetime):
        return moment.strftime("%Y-%m-%d %H:%M")
    return moment.isoformat()


def _slug_or_default(title: str, fallback: str) -> str:
    return slugify(title) or fallback


def new_article(config: SiteConfig, title: str, *, when: date | datetime,
                category: str | None = None,
                tags: tuple[str, ...] = ()) -> NewFile:
    """A draft article dated `when`, at content/news/YYYY-MM-DD-slug.md."""
    slug = _slug_or_default(title, "article")
    path = config.root / "content" / "news" / f"{when:%Y-%m-%d}-{slug}.md"
    tag_list = ", ".join(_quoted(t) for t in tags)
    text = (
        "---\n"
        f"title: {_quoted(title)}\n"
        f"date: {_stamp(when)}\n"
        f"author: {_quoted(config.author)}\n"
        f"category: {_quoted(category) if category else ''}\n"
        f"tags: [{tag_list}]\n"
        "# One or two plain sentences for lists and feeds; leave empty to use the first\n"
        "# paragraph.\n"
        "summary:\n"
        "# Delete this line (or write false) when the article is ready to publish.\n"
        "draft: true\n"
        "---\n\n"
        "Write the first paragraph here: it says what happened, to whom, and why it matters.\n\n"
        "## A subheading\n\n"
        "More detail. Link to other pages of the site with addresses that start with /, "
        "such as [our events](/events/).\n"
    )
    return NewFile(path, text)


def new_event(config: SiteConfig, title: str, *, start: datetime, all_day: bool) -> NewFile:
    """An event listing starting at `start`, at content/events/YYYY-MM-DD-slug.yaml."""
    slug = _slug_or_default(title, "event")
    path = config.root / "content" / "events" / f"{start:%Y-%m-%d}-{slug}.yaml"
    when = (f"start: {start:%Y-%m-%d}\n# end: {start:%Y-%m-%d}  (the last day, for events "
            "over several days)\n") if all_day else (
        f"start: {_stamp(start)}\nend: {_stamp(start + timedelta(hours=1))}\n")
    text = (
        f"title: {_quoted(title)}\n"
        f"{when}"
        f"# timezone: {config.timezone.key}\n"
        "# The venue and its address, and/or the address to join online.\n"
        "location:\n"
        "online_url:\n"
        "booking_url:\n"
        f"organiser: {_quoted(config.publisher)}\n"
        "# One plain sentence for lists and calendars.\n"
        "summary:\n"
        "description: |\n"
        "  What the event is about, who it is for and how to take part (Markdown).\n"
        "category:\n"
        "tags: []\n"
        "# Slugs of articles about this event.\n"
        "related: []\n"
        "# A repeating event: take the # off these lines and adjust them.\n"
        "# repeat:\n"
        "#   frequency: weekly     # daily, weekly, monthly or yearly\n"
        "#   interval: 1           # 2 for every other week\n"
        "#   count: 6              # how many dates; or until: with the last date\n"
        "#   except: []            # dates to skip\n"
    )
    return NewFile(path, text)


def new_page(config: SiteConfig, title: str) -> NewFile:
    """A static page at content/pages/slug.md."""
    slug = _slug_or_default(title, "page")
    path = config.root / "content" / "pages" / f"{slug}.md"
    text = (
        "---\n"
        f"title: {_quoted(title)}\n"
        "summary:\n"
        "---\n\n"
        "Write the page here, in Markdown.\n"
    )
    return NewFile(path, text)


STARTER = Path(__file__).resolve().parent / "starter"

# Each starter file and where it goes in a new site. The package keeps them without leading
# dots, which packaging tools are apt to leave out.
SITE_FILES = (
    ("site_config.yaml", "site_config.yaml"),
    ("gitignore", ".gitignore"),
    ("gitattributes", ".gitattributes"),
    ("requirements.txt", "requirements.txt"),
    ("publish.yml", ".github/workflows/publish.yml"),
)
EXAMPLE_FILES = (
    ("article.md", "content/news/{today}-welcome.md"),
    ("event.yaml", "content/events/{event_date}-first-meetup.yaml"),
    ("about.md", "content/pages/about.md"),
)
# Git keeps no empty folder: a hidden file (which the build ignores) keeps each one.
KEEP = ".gitkeep"
STARTER_TIMEZONE = "UTC"
EVENT_AHEAD = timedelta(weeks=4)


def new_site(root: Path, *, now: datetime, version: str, empty: bool = False) -> list[NewFile]:
    """Every file of a new site in `root`: its settings, .gitignore, requirements.txt pinning
    newsroom `version` and a GitHub workflow; then an example article dated `now`, an event
    four weeks later and an About page, or (`empty`) empty content folders."""
    # The article is dated in the site's own time zone, so it is never in the site's future.
    today = now.astimezone(ZoneInfo(STARTER_TIMEZONE)).date()
    values = {"today": today.isoformat(), "event_date": (today + EVENT_AHEAD).isoformat(),
              "version": version, "timezone": STARTER_TIMEZONE}
    files = [_starter_file(root, name, target, values) for name, target in SITE_FILES]
    if empty:
        files += [NewFile(root / "content" / folder / KEEP, "")
                  for folder in ("news", "events", "pages")]
    else:
        files += [_starter_file(root, name, target, values) for name, target in EXAMPLE_FILES]
    files.append(NewFile(root / "content" / "media" / KEEP, ""))
    return files


def _filled(text: str, values: dict[str, str]) -> str:
    # Only the names given are filled: the workflow's own ${{ ... }} stays as it is.
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


def _starter_file(root: Path, name: str, target: str, values: dict[str, str]) -> NewFile:
    text = (STARTER / name).read_text(encoding="utf-8")
    return NewFile(root / _filled(target, values), _filled(text, values))


def create_site(root: Path, files: list[NewFile]) -> None:
    """Write a new site's files into `root`, which must be missing or empty; BuildError
    otherwise. Nothing is ever overwritten."""
    shown = root.as_posix()
    if root.exists() and not root.is_dir():
        raise BuildError([Problem(shown, None, "is a file, not a folder; choose a new "
                                               "folder for the site")])
    try:
        occupied = root.is_dir() and any(root.iterdir())
    except OSError as error:
        raise BuildError([Problem(shown, None, f"cannot read: {error.strerror}")]) from None
    if occupied:
        raise BuildError([Problem(shown, None, "is not empty; choose a new folder, or an "
                                               "empty one (init never writes over files)")])
    for new_file in files:
        create_file(new_file.path, new_file.text, root)
