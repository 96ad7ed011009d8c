"""Reading articles, events, pages and media from content/ into records with their places."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import frontmatter

from newsroom import fields as f
from newsroom import recurrence
from newsroom.cache import Store, digest
from newsroom.config import SiteConfig, site_category
from newsroom.problems import Problem, site_path
from newsroom.slugs import slugify
from newsroom.workers import parallel_map
from newsroom.yamlsource import YamlDoc, parse_yaml

EVENT_STATUSES = ("scheduled", "cancelled", "postponed", "rescheduled", "moved-online")


@dataclass(frozen=True)
class Correction:
    """A correction to an article: when it was made, and what it says."""

    date: datetime
    text: str


@dataclass(frozen=True)
class Article:
    """A news article: front matter fields plus its Markdown body (html once rendered)."""

    source: str
    slug: str
    title: str
    date: datetime
    # Its authors as written: each a profile's slug or name, or a name with no profile.
    authors: tuple[str, ...]
    category: str | None
    tags: tuple[str, ...]
    summary: str | None
    image: str | None
    draft: bool
    updated: datetime | None
    guid: str | None
    related_events: tuple[str, ...]
    markdown: str
    body_line: int
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    lines: dict[str, int] = field(default_factory=dict, compare=False)
    fingerprint: str = ""
    html: str = ""
    # The lead image's text alternative (None: not written; "": decoration, on purpose),
    # caption and credit.
    image_alt: str | None = None
    image_caption: str | None = None
    image_credit: str | None = None
    featured: bool = False  # the home page's lead story while it is the newest so marked
    corrections: tuple[Correction, ...] = ()  # oldest first
    expires: datetime | None = None  # taken off the site at this moment
    aliases: tuple[str, ...] = ()  # old addresses that lead here (site paths)
    related: tuple[str, ...] = ()  # slugs of articles to show first among related stories

    @property
    def author(self) -> str:
        """The authors as written, in one line (templates name them with site.bylines)."""
        return ", ".join(self.authors)

    @property
    def modified(self) -> datetime | None:
        """When the article last changed, for readers and feeds: its updated: date or its
        latest correction, whichever is later (None: never since it was published)."""
        moments = [c.date for c in self.corrections]
        if self.updated is not None:
            moments.append(self.updated)
        return max(moments, default=None)


@dataclass(frozen=True)
class Event:
    """An event listing; start/end are aware datetimes (midnight of the day when all-day)."""

    source: str
    line: int
    slug: str
    title: str
    start: datetime
    end: datetime | None
    timezone: ZoneInfo
    all_day: bool
    location: str | None
    online_url: str | None
    status: str
    booking_url: str | None
    organiser: str
    summary: str | None
    description: str
    tags: tuple[str, ...]
    related: tuple[str, ...]
    uid: str
    category: str | None = None
    previous_start: datetime | None = None  # the time it had before it was rescheduled
    sequence: int = 0  # the iCalendar SEQUENCE: raised when the time or status changed
    rrule: str = ""  # the RFC 5545 rule of a repeating event ("" for a single date)
    skipped: tuple[str, ...] = ()  # ISO dates the rule gives but the event skips
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    lines: dict[str, int] = field(default_factory=dict, compare=False)
    fingerprint: str = ""
    html: str = ""
    image: str | None = None  # the lead image, as an article's
    image_alt: str | None = None
    image_caption: str | None = None
    image_credit: str | None = None
    expires: datetime | None = None  # taken off the site at this moment
    aliases: tuple[str, ...] = ()  # old addresses that lead here (site paths)

    @property
    def ends(self) -> datetime:
        """The moment the event is over: its end, the day after an all-day end, or its start."""
        if self.all_day:
            last_day = (self.end or self.start).date()
            return datetime.combine(last_day + timedelta(days=1), time(), self.timezone)
        return self.end or self.start


@dataclass(frozen=True)
class StaticPage:
    """A static page such as About, from content/pages/."""

    source: str
    slug: str
    title: str
    summary: str | None
    markdown: str
    body_line: int
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    lines: dict[str, int] = field(default_factory=dict, compare=False)
    fingerprint: str = ""
    html: str = ""
    aliases: tuple[str, ...] = ()  # old addresses that lead here (site paths)


@dataclass(frozen=True)
class Author:
    """An author's profile, from content/authors/<slug>.yaml; `markdown` is the bio."""

    source: str
    slug: str
    name: str
    role: str | None
    markdown: str
    body_line: int
    photo: str | None
    photo_alt: str | None
    email: str | None
    links: tuple[tuple[str, str], ...]  # (title, address)
    lines: dict[str, int] = field(default_factory=dict, compare=False)
    fingerprint: str = ""
    html: str = ""
    aliases: tuple[str, ...] = ()  # old addresses of the author's page (site paths)


def markdown_of(record: Article | Event | StaticPage | Author) -> tuple[str, int]:
    """The Markdown of a record (an event's description), and the file line it starts on."""
    if isinstance(record, Event):
        return record.description, record.lines.get("description", record.line) + 1
    return record.markdown, record.body_line


@dataclass(frozen=True)
class Asset:
    """A file copied into the site as it is: media from content/, CSS and JS from templates/."""

    source: Path
    url_path: str


@dataclass(frozen=True)
class Content:
    """Everything read from the site folder."""

    articles: tuple[Article, ...]
    events: tuple[Event, ...]
    pages: tuple[StaticPage, ...]
    assets: tuple[Asset, ...]
    authors: tuple[Author, ...] = ()


# The lead image: the picture that stands for an article or an event, on its page, in
# lists, feeds and share previews.
IMAGE_SCHEMA: f.Schema = {
    "image": f.Field(f.link),
    "image_alt": f.Field(f.text, keeps_empty=True),  # "": only decoration, on purpose
    "image_caption": f.Field(f.text),
    "image_credit": f.Field(f.text),
}

ARTICLE_SCHEMA: f.Schema = {
    "title": f.Field(f.text, required=True, example='"Your headline"'),
    "date": f.Field(f.when, required=True, example="2020-07-06 or 2020-07-06 09:30"),
    "author": f.Field(f.text),
    "authors": f.Field(f.string_list),
    "category": f.Field(f.text),
    "tags": f.Field(f.string_list),
    "summary": f.Field(f.text),
    **IMAGE_SCHEMA,
    "slug": f.Field(f.slug),
    "draft": f.Field(f.boolean),
    "featured": f.Field(f.boolean),
    "updated": f.Field(f.when),
    "guid": f.Field(f.uri),
    "related_events": f.Field(f.string_list),
    "related": f.Field(f.string_list),
    "corrections": f.Field(f.mapping_list),
    "expires": f.Field(f.when),
    "aliases": f.Field(f.site_path_list),
}

CORRECTION_SCHEMA: f.Schema = {
    "date": f.Field(f.when, required=True, example="2020-07-08 or 2020-07-08 14:00"),
    "text": f.Field(f.text, required=True, example='"An earlier version gave the wrong '
                                                   'date."'),
}

EVENT_SCHEMA: f.Schema = {
    "title": f.Field(f.text, required=True, example='"Members\' meeting"'),
    "start": f.Field(f.when, required=True, example="2027-03-01 10:00 (or 2027-03-01 for all day)"),
    "end": f.Field(f.when),
    "timezone": f.Field(f.timezone),
    "all_day": f.Field(f.boolean),
    "location": f.Field(f.text),
    "online_url": f.Field(f.web_url),
    "status": f.Field(f.choice(*EVENT_STATUSES)),
    "booking_url": f.Field(f.web_url),
    "organiser": f.Field(f.text),
    "summary": f.Field(f.text),
    "description": f.Field(f.text),
    "tags": f.Field(f.string_list),
    "related": f.Field(f.string_list),
    **IMAGE_SCHEMA,
    "uid": f.Field(f.text),
    "slug": f.Field(f.slug),
    "category": f.Field(f.text),
    "previous_start": f.Field(f.when),
    "sequence": f.Field(f.integer(0, 1000)),
    "repeat": f.Field(f.mapping),
    "rrule": f.Field(f.text),
    "except": f.Field(f.date_list),
    "expires": f.Field(f.when),
    "aliases": f.Field(f.site_path_list),
}

REPEAT_SCHEMA: f.Schema = {
    "frequency": f.Field(f.choice(*recurrence.FREQUENCIES), required=True, example="weekly"),
    "interval": f.Field(f.integer(1, 1000)),
    "count": f.Field(f.integer(1, recurrence.MAX_DATES)),
    "until": f.Field(f.when),
    "except": f.Field(f.date_list),
}

PAGE_SCHEMA: f.Schema = {
    "title": f.Field(f.text, required=True, example="About us"),
    "summary": f.Field(f.text),
    "slug": f.Field(f.slug),
    "aliases": f.Field(f.site_path_list),
}

AUTHOR_SCHEMA: f.Schema = {
    "name": f.Field(f.text, required=True, example='"Ada Lovelace"'),
    "role": f.Field(f.text),
    "bio": f.Field(f.text),
    "photo": f.Field(f.link),
    "photo_alt": f.Field(f.text, keeps_empty=True),
    "email": f.Field(f.email),
    "links": f.Field(f.mapping_list),
    "slug": f.Field(f.slug),
    "aliases": f.Field(f.site_path_list),
}

AUTHOR_LINK_SCHEMA: f.Schema = {
    "title": f.Field(f.text, required=True, example="Mastodon"),
    "url": f.Field(f.web_url, required=True, example="https://example.org/@ada"),
}


KINDS = {"news": "article", "events": "event", "pages": "page", "authors": "author"}
DATETIME_FIELDS = ("date", "updated", "start", "end", "previous_start", "expires")
TUPLE_FIELDS = ("tags", "related_events", "related", "skipped", "authors", "aliases")


SUFFIXES = {"news": (".md", ".markdown"), "events": (".yaml", ".yml"),
            "pages": (".md", ".markdown"), "authors": (".yaml", ".yml")}


@dataclass(frozen=True)
class _Listing:
    """What a walk of content/ found, for a build that is told what changed since: each
    file with its cache key, and the assets."""

    keys: dict[str, dict[Path, str | None]]  # kind -> path -> cache key, in walk order
    assets: tuple[Asset, ...]


def read_content(config: SiteConfig, jobs: int = 1, cache: Store | None = None,
                 changed: Collection[Path] | None = None,
                 finish: Callable[[Any], Any] | None = None,
                 meanwhile: Callable[[], Any] | None = None) -> tuple[Content, list[Problem]]:
    """Read every article, event, page and asset; collect the problems of all of them.

    A file unchanged since the last build (same size and modification time, same config)
    comes from the cache; the rest are parsed, over `jobs` processes. A long-lived cache
    (the preview's) that is told which paths `changed` since the last read looks at only
    those, not at every file. `finish(record)` is applied to each record parsed, in the
    process that parsed it (the build renders its Markdown there: one round of workers, not
    two); records from the cache are given back as they were stored. `meanwhile()` runs in
    this process while the workers parse.
    """
    problems: list[Problem] = []
    listing = _current_listing(config, cache, changed, problems)
    files = [(kind, path) for kind in SUFFIXES for path in listing.keys[kind]]
    found, to_parse = _records_in_cache(listing, files, cache)
    parsed = parallel_map(_parse_files, to_parse, jobs, (config, finish), meanwhile=meanwhile)[0]
    for (_kind, path, key), (records, file_problems) in zip(to_parse, parsed, strict=True):
        problems.extend(file_problems)
        found[path] = records
        if cache and key and not file_problems:
            cache.put(key, [_encode(r) for r in records])
            cache.objects[key] = records
    return _grouped(files, found, listing.assets), problems


def _current_listing(config: SiteConfig, cache: Store | None,
                     changed: Collection[Path] | None, problems: list[Problem]) -> _Listing:
    """The files of content/ and the assets: the last listing with the `changed` paths looked
    at again where that can tell, else a walk; kept in the cache for the next read."""
    name = _listing_name(config)
    listing = _relisted(cache.objects.get(name), changed, config, cache) \
        if cache is not None and changed is not None else None
    if listing is None:
        listing = _walked(config, cache, problems)
    if cache is not None:
        cache.objects.pop(name, None)
        if not problems:  # a walk's problems come back only with the next walk
            cache.objects[name] = listing
            cache.used.add(name)
    return listing


def _records_in_cache(listing: _Listing, files: list[tuple[str, Path]], cache: Store | None
                      ) -> tuple[dict[Path, list[Any]], list[tuple[str, Path, str | None]]]:
    """The records of the files the cache has, by path, and the files left to parse (with
    their cache keys)."""
    found: dict[Path, list[Any]] = {}
    to_parse = []
    for kind, path in files:
        key = listing.keys[kind][path]
        records = _cached_records(cache, key) if cache and key else None
        if records is None:
            to_parse.append((kind, path, key))
        else:
            found[path] = records
    return found, to_parse


def _cached_records(cache: Store, key: str) -> list[Any] | None:
    """A file's records as the cache stored them, or None when it has none (or none it can
    read back)."""
    stored = cache.get(key)
    if stored is None:
        return None
    # A long-lived cache (the preview's) keeps the records themselves, too, so
    # that later stages can tell unchanged records by identity.
    records = cache.objects.get(key)
    if records is None:
        records = _decode(stored)
        if records is not None:
            cache.objects[key] = records
    return records


def _grouped(files: list[tuple[str, Path]], found: dict[Path, list[Any]],
             assets: tuple[Asset, ...]) -> Content:
    """The records by kind, each kind's in the files' order."""
    grouped: dict[str, list[Any]] = {kind: [] for kind in SUFFIXES}
    for kind, path in files:
        grouped[kind].extend(found[path])
    return Content(tuple(grouped["news"]), tuple(grouped["events"]), tuple(grouped["pages"]),
                   assets, tuple(grouped["authors"]))


def listing_current(config: SiteConfig, cache: Store) -> bool:
    """Whether the files the last read listed (and their sizes and times) are still what a
    walk of content/ finds: the preview checks, when idle, that its watcher missed nothing."""
    listing = cache.objects.get(_listing_name(config))
    problems: list[Problem] = []
    return listing is not None and _walked(config, cache, problems) == listing and not problems


def _listing_name(config: SiteConfig) -> str:
    return f"listing:{config.fingerprint}"


def _walked(config: SiteConfig, cache: Store | None, problems: list[Problem]) -> _Listing:
    return _Listing({kind: {path: _cache_key(cache, config, path) if cache else None
                            for path in _files(config, f"content/{kind}", problems, suffixes)}
                     for kind, suffixes in SUFFIXES.items()},
                    _assets(config, problems))


def _assets(config: SiteConfig, problems: list[Problem]) -> tuple[Asset, ...]:
    """Media, and the static files of the theme with the site's own in front of them."""
    assets = [Asset(path, "media/" + path.relative_to(config.root / "content/media").as_posix())
              for path in _files(config, "content/media", problems, None)]
    static: dict[str, Path] = {}
    # The theme's first, then the site's own over them; each walked as the site's files are
    # (no link may lead outside its folder).
    for folder in reversed(config.template_folders):
        if (folder / "static").is_dir():
            static.update((path.relative_to(folder / "static").as_posix(), path)
                          for path in _walk(folder / "static", problems, config.root, folder))
    return tuple(assets + [Asset(path, f"static/{name}") for name, path in sorted(static.items())])


def _relisted(listing: _Listing | None, changed: Collection[Path], config: SiteConfig,
              cache: Store) -> _Listing | None:
    """The last listing with the changed paths looked at again, or None when only a walk
    can tell (a folder, a link, media or templates changed, or a file a walk would refuse)."""
    if listing is None:
        return None
    try:
        return _relisted_paths(listing, changed, config, cache)
    except OSError:
        return None  # a folder that cannot be read: the walk reports it


def _relisted_paths(listing: _Listing, changed: Collection[Path], config: SiteConfig,
                    cache: Store) -> _Listing | None:
    keys = {kind: dict(paths) for kind, paths in listing.keys.items()}
    content = config.root / "content"
    added = False
    for path in changed:
        parts = _kind_folder_parts(path, content)
        if parts is None:
            return None
        if any(_unread(part) for part in parts[1:]):
            continue  # hidden and backup files are never read
        listed = keys[parts[0]]
        was_listed = path in listed
        if not _relisted_path(path, listed, SUFFIXES[parts[0]], config, cache):
            return None
        added = added or (not was_listed and path in listed)
    if added:  # in the walk's order: names sorted, a folder's files where its name falls
        keys = {kind: {path: paths[path] for path in sorted(paths)}
                for kind, paths in keys.items()}
    return _Listing(keys, listing.assets)


def _kind_folder_parts(path: Path, content: Path) -> tuple[str, ...] | None:
    """The parts of a path under content/news, events or pages, from the kind's folder on;
    None for any other path."""
    if not path.is_relative_to(content):
        return None
    parts = path.relative_to(content).parts
    if len(parts) < 2 or parts[0] not in SUFFIXES:
        return None
    return parts


def _relisted_path(path: Path, paths: dict[Path, str | None], suffixes: tuple[str, ...],
                   config: SiteConfig, cache: Store) -> bool:
    """Bring a changed path's entry in `paths` (its kind's files) up to date; False when only
    a walk can tell (a folder or a link, a file a walk would refuse, a folder that went)."""
    if path.is_symlink() or path.is_dir():
        return False
    if path.is_file():
        # On a disk that ignores case, News.md renamed news.md is both names.
        if not _readable_as(path, suffixes) or path.name not in os.listdir(path.parent):
            return False
        paths[path] = _cache_key(cache, config, path)
    elif path in paths:
        del paths[path]
    elif any(known.is_relative_to(path) for known in paths):
        return False  # a folder went
    return True


def _parse_files(items: Sequence[tuple[str, Path, str | None]],
                 shared: tuple[SiteConfig, Callable[[Any], Any] | None]
                 ) -> list[tuple[list[Any], list[Problem]]]:
    config, finish = shared
    results = []
    for kind, path, _ in items:
        found: list[Problem] = []
        if kind == "events":
            records: list[Any] = _read_events(config, path, found)
        else:
            reader = {"news": _read_article, "pages": _read_page, "authors": _read_author}[kind]
            record = reader(config, path, found)
            records = [record] if record is not None else []
        if finish is not None and not found:
            records = [finish(record) for record in records]
        results.append((records, found))
    return results


def _cache_key(cache: Store, config: SiteConfig, path: Path) -> str | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return cache.key(config.fingerprint, str(path), str(stat.st_size), str(stat.st_mtime_ns),
                     str(stat.st_ino))


def _encode(record: Any) -> dict[str, Any]:
    """A record as plain data for the cache: datetimes with their zone, zones by name."""
    data: dict[str, Any] = {"kind": type(record).__name__, **vars(record)}
    del data["html"]
    for name in DATETIME_FIELDS:
        value = data.get(name)
        if value is not None:
            data[name] = [value.isoformat(), getattr(value.tzinfo, "key", None)]
    if "timezone" in data:
        data["timezone"] = data["timezone"].key
    if "corrections" in data:
        data["corrections"] = [[c.date.isoformat(), getattr(c.date.tzinfo, "key", None),
                                c.text] for c in data["corrections"]]
    return data


def _decode(stored: Any) -> list[Any] | None:
    """Records from their stored data, or None if anything about it is off (then parse
    again)."""
    classes = {"Article": Article, "Event": Event, "StaticPage": StaticPage,
               "Author": Author}
    try:
        records = []
        for data in stored:
            values = dict(data)
            cls = classes[values.pop("kind")]
            for name in DATETIME_FIELDS:
                if isinstance(values.get(name), list):
                    values[name] = _decoded_moment(*values[name])
            if "corrections" in values:
                values["corrections"] = tuple(Correction(_decoded_moment(text, zone), said)
                                              for text, zone, said in values["corrections"])
            if "timezone" in values:
                values["timezone"] = ZoneInfo(values["timezone"])
            for name in TUPLE_FIELDS:
                if name in values:
                    values[name] = tuple(values[name])
            records.append(cls(**values))
        return records
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _decoded_moment(text: str, zone: str | None) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment.astimezone(ZoneInfo(zone)) if zone else moment


def _rel(config: SiteConfig, path: Path) -> str:
    return site_path(path, config.root)


def _files(config: SiteConfig, folder: str, problems: list[Problem],
           suffixes: tuple[str, ...] | None) -> list[Path]:
    base = config.root / folder
    if not base.is_dir():
        return []
    found = []
    for path in _walk(base, problems, config.root):
        if suffixes is None or _readable_as(path, suffixes):
            found.append(path)
        else:
            wanted = " or ".join(suffixes)
            problems.append(Problem(_rel(config, path), None, f"not a {wanted} file; rename it "
                                    "or move it to content/media/"))
    return found


def _unread(name: str) -> bool:
    """Hidden files and folders and editors' backups (name~) are never read."""
    return name.startswith(".") or name.endswith("~")


def _readable_as(path: Path, suffixes: tuple[str, ...]) -> bool:
    return path.suffix.lower() in suffixes


def _walk(base: Path, problems: list[Problem], site_root: Path,
          allowed: Path | None = None) -> list[Path]:
    """Files under base in sorted order, skipping hidden ones and refusing escaping symlinks.

    A symlink may point anywhere inside `allowed` (the site root, unless the templates
    live elsewhere), never outside it.
    """
    inside = (allowed or site_root).resolve()
    found: list[Path] = []
    seen: set[Path] = set()

    def visit(folder: Path) -> None:
        # scandir tells files, folders and links apart without a system call each.
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as error:
            problems.append(Problem(site_path(folder, site_root), None,
                                    f"cannot read this folder: {error.strerror}"))
            return
        for entry in entries:
            if _unread(entry.name):
                continue
            path = Path(entry.path)
            if entry.is_symlink():
                try:
                    resolved = path.resolve(strict=True)
                except (OSError, RuntimeError):
                    problems.append(Problem(site_path(path, site_root), None,
                                            "is a broken symlink or a symlink loop; remove it"))
                    continue
                if not resolved.is_relative_to(inside):
                    problems.append(Problem(site_path(path, site_root), None,
                                            "is a symlink to a file outside the site; copy "
                                            "the file into the site instead"))
                elif resolved.is_dir() and resolved not in seen:
                    seen.add(resolved)
                    visit(path)
                elif resolved.is_file():
                    found.append(path)
            elif entry.is_dir(follow_symlinks=False):
                visit(path)
            elif entry.is_file(follow_symlinks=False):
                found.append(path)

    visit(base)
    return sorted(found)


# Far beyond any article or listing; a larger file is a mistake (a video saved as .md, say).
MAX_TEXT_BYTES = 5 * 1024 * 1024


def _read_text(path: Path, rel: str, problems: list[Problem]) -> str | None:
    try:
        with open(path, "rb") as handle:
            # Sized first: read(MAX_TEXT_BYTES + 1) would allocate 5 MB for every file.
            size = os.fstat(handle.fileno()).st_size
            raw = handle.read(MAX_TEXT_BYTES + 1) if size > MAX_TEXT_BYTES else handle.read()
            if len(raw) > MAX_TEXT_BYTES:
                size = max(size, len(raw))
                problems.append(Problem(rel, None, f"is {size / 1048576:.1f} MB, too large "
                                                   "for an article, event or page (at most 5 "
                                                   "MB); put large files in content/media/"))
                return None
    except OSError as error:
        problems.append(Problem(rel, None, f"cannot read: {error.strerror}"))
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.append(Problem(rel, line, "is not UTF-8 text; save the file as UTF-8"))
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    found = f.FORBIDDEN_CHARACTERS.search(text)
    if found:
        line = text[: found.start()].count("\n") + 1
        problems.append(Problem(rel, line, f.forbidden_character(found.group()) or ""))
        return None
    return text


def _split_front_matter(config: SiteConfig, path: Path, problems: list[Problem], kind: str
                        ) -> tuple[str, YamlDoc, dict[str, Any], str, int, str] | None:
    """Return (relative path, doc, front matter mapping, body, body's first line, the
    record's fingerprint)."""
    rel = _rel(config, path)
    source = _read_text(path, rel, problems)
    if source is None:
        return None
    handler = frontmatter.YAMLHandler()
    if not source.strip():
        problems.append(Problem(rel, 1, f"is empty; start the {kind} with front matter: a line "
                                        "---, then title: and the other fields, then ---"))
        return None
    if not handler.detect(source):
        problems.append(Problem(rel, 1, f"has no front matter; start the {kind} with a line ---, "
                                        "then title: and the other fields, then a line ---"))
        return None
    try:
        head, body = handler.split(source)
    except ValueError:
        problems.append(Problem(rel, 1, "front matter is not closed; add a line --- after it"))
        return None
    # `head` starts with the rest of the opening --- line, so its line numbers are the file's.
    doc, yaml_problems = parse_yaml(head, rel)
    problems.extend(yaml_problems)
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        problems.append(Problem(rel, 2, "front matter must be key: value lines such as "
                                        "title: Your headline"))
        return None
    # The line on which `body` starts (the tail of the closing --- line).
    body_line = source[: len(source) - len(body)].count("\n") + 1
    # The whole text (front matter and body) and where it is say all the record is made of.
    return rel, doc, doc.data, body, body_line, digest(config.fingerprint, rel, source)


def _lead_image(values: dict[str, Any]) -> dict[str, str | None]:
    """An article's or event's lead image fields, as checked."""
    return {name: values.get(name) for name in IMAGE_SCHEMA}


def _aware(value: date | datetime, zone: ZoneInfo) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    return datetime.combine(value, time(), zone)


def _slug_from_file(path: Path) -> str:
    return slugify(re.sub(r"^\d{4}-\d{2}-\d{2}-", "", path.stem)) or slugify(path.stem)



def _read_article(config: SiteConfig, path: Path, problems: list[Problem]) -> Article | None:
    split = _split_front_matter(config, path, problems, "article")
    if split is None:
        return None
    rel, doc, meta, body, body_line, fingerprint = split
    checked = f.check_fields(meta, ARTICLE_SCHEMA, doc, (), rel, keep_unknown=True)
    problems.extend(checked.problems)
    if checked.problems:
        return None
    v = checked.values
    slug = v.get("slug") or _slug_from_file(path)
    if not slug:
        problems.append(Problem(rel, 1, "file name gives no address; rename it "
                                        "YYYY-MM-DD-some-words.md or add slug: some-words"))
        return None
    category, mistake = site_category(config, v.get("category"))
    if mistake:
        problems.append(Problem(rel, doc.line(("category",)), mistake))
        return None
    date = _aware(v["date"], config.timezone)
    more = _article_extras(config, rel, doc, v, date, problems)
    if more is None:
        return None
    return Article(
        source=rel,
        slug=slug,
        title=v["title"],
        date=date,
        category=category,
        tags=v.get("tags", ()),
        summary=v.get("summary"),
        draft=v.get("draft", False),
        featured=v.get("featured", False),
        updated=_aware(v["updated"], config.timezone) if "updated" in v else None,
        guid=v.get("guid"),
        related_events=v.get("related_events", ()),
        markdown=body,
        body_line=body_line,
        extra=checked.extra,
        **_lead_image(v),
        **more,
        lines=_key_lines(doc, (), meta),
        fingerprint=fingerprint,
    )


def _article_extras(config: SiteConfig, rel: str, doc: YamlDoc, v: dict[str, Any],
                    date: datetime, problems: list[Problem]) -> dict[str, Any] | None:
    """An article's authors, corrections, expiry, aliases and related articles, checked;
    None when something is wrong (the problems say what)."""
    found: list[Problem] = []
    if "author" in v and "authors" in v:
        found.append(Problem(rel, doc.line(("authors",)), "give author: (one) or authors: "
                                                          "(a list), not both"))
    expires = _aware(v["expires"], config.timezone) if "expires" in v else None
    if expires is not None and expires <= date:
        found.append(Problem(rel, doc.line(("expires",)), f"expires: {_iso(v['expires'])} is "
                             "not after the article's date; write a later moment, or delete "
                             "it"))
    corrections = _corrections(config, rel, doc, v.get("corrections", []), date, found)
    problems.extend(found)
    if found:
        return None
    authors = v.get("authors") or ((v["author"],) if "author" in v else (config.author,))
    return {"authors": authors, "corrections": corrections, "expires": expires,
            "aliases": v.get("aliases", ()), "related": v.get("related", ())}


def _corrections(config: SiteConfig, rel: str, doc: YamlDoc, items: list[Any],
                 date: datetime, problems: list[Problem]) -> tuple[Correction, ...]:
    """The article's corrections, oldest first, each checked."""
    checked, found = f.check_items(items, CORRECTION_SCHEMA, doc, ("corrections",), rel,
                                   "corrections: item")
    corrections = []
    for index, values in checked:
        moment = _aware(values["date"], config.timezone)
        if moment < date:
            found.append(Problem(rel, doc.line(("corrections", index, "date")),
                                 f"corrections: item {index + 1}: date: "
                                 f"{_iso(values['date'])} is before the article's date; "
                                 "write when the correction was made"))
        else:
            corrections.append(Correction(moment, values["text"]))
    problems.extend(sorted(found))  # (in the items' order)
    return tuple(sorted(corrections, key=lambda c: c.date))


def _read_page(config: SiteConfig, path: Path, problems: list[Problem]) -> StaticPage | None:
    split = _split_front_matter(config, path, problems, "page")
    if split is None:
        return None
    rel, doc, meta, body, body_line, fingerprint = split
    checked = f.check_fields(meta, PAGE_SCHEMA, doc, (), rel, keep_unknown=True)
    problems.extend(checked.problems)
    if checked.problems:
        return None
    v = checked.values
    slug = v.get("slug") or slugify(path.stem)
    if not slug:
        problems.append(Problem(rel, 1, "file name gives no address; rename it "
                                        "some-words.md or add slug: some-words"))
        return None
    return StaticPage(source=rel, slug=slug, title=v["title"],
                      summary=v.get("summary"), markdown=body, body_line=body_line,
                      extra=checked.extra, lines=_key_lines(doc, (), meta),
                      fingerprint=fingerprint, aliases=v.get("aliases", ()))


def _read_author(config: SiteConfig, path: Path, problems: list[Problem]) -> Author | None:
    read = _yaml_file(config, path, problems)
    if read is None:
        return None
    rel, source, doc = read
    checked = f.check_fields(doc.data, AUTHOR_SCHEMA, doc, (), rel)
    links, found = f.check_items(checked.values.get("links", []), AUTHOR_LINK_SCHEMA, doc,
                                 ("links",), rel, "links: item")
    problems.extend(checked.problems + found)
    if checked.problems or found:
        return None
    v = checked.values
    slug = v.get("slug") or slugify(path.stem)
    if not slug:
        problems.append(Problem(rel, 1, "file name gives no address; rename it "
                                        "their-name.yaml or add slug: their-name"))
        return None
    return Author(source=rel, slug=slug, name=v["name"], role=v.get("role"),
                  markdown=v.get("bio", ""), body_line=doc.line(("bio",)),
                  photo=v.get("photo"), photo_alt=v.get("photo_alt"), email=v.get("email"),
                  links=tuple((link["title"], link["url"]) for _, link in links),
                  aliases=v.get("aliases", ()),
                  lines=_key_lines(doc, (), doc.data),
                  fingerprint=digest(config.fingerprint, rel, source))


def _yaml_file(config: SiteConfig, path: Path, problems: list[Problem]
               ) -> tuple[str, str, YamlDoc] | None:
    """A YAML file's site path, text and YAML; None when it cannot be read or parsed (the
    problems say why)."""
    rel = _rel(config, path)
    source = _read_text(path, rel, problems)
    if source is None:
        return None
    doc, yaml_problems = parse_yaml(source, rel)
    problems.extend(yaml_problems)
    return None if doc is None else (rel, source, doc)


def _read_events(config: SiteConfig, path: Path, problems: list[Problem]) -> list[Event]:
    read = _yaml_file(config, path, problems)
    if read is None:
        return []
    rel, _, doc = read
    if doc.data is None:
        problems.append(Problem(rel, 1, "is empty; write an event (title:, start:) or a list "
                                        "of them"))
        return []
    if doc.data == []:
        problems.append(Problem(rel, 1, "is an empty list; write an event (title:, start:) "
                                        "or delete the file"))
        return []
    if isinstance(doc.data, list):
        items = [((i,), f"event {i + 1}", item) for i, item in enumerate(doc.data)]
    else:
        items = [((), "", doc.data)]
    events = []
    for key, label, item in items:
        event = _read_event(config, rel, doc, key, label, item, problems, path.stem)
        if event is not None:
            events.append(event)
    return events


@dataclass(frozen=True)
class _ItemPlace:
    """Where an event is: its file, the file's YAML, the event's key in it, and the label
    ("event 2: ") that starts its problems' messages."""

    rel: str
    doc: YamlDoc
    key: tuple
    prefix: str

    def problem(self, names: tuple[str, ...], message: str) -> Problem:
        """A problem at the line of the event's field `names` (a path of keys)."""
        return Problem(self.rel, self.doc.line(self.key + names), f"{self.prefix}{message}")


@dataclass(frozen=True)
class _EventTimes:
    """What an event's start:, end: and all_day: work out to."""

    start: datetime
    end: datetime | None
    all_day: bool


def _read_event(config: SiteConfig, rel: str, doc: YamlDoc, key: tuple, label: str,
                item: Any, problems: list[Problem], file_stem: str) -> Event | None:
    checked = f.check_fields(item, EVENT_SCHEMA, doc, key, rel, label=label, keep_unknown=True)
    problems.extend(checked.problems)
    if checked.problems:
        return None
    v = checked.values
    place = _ItemPlace(rel, doc, key, f"{label}: " if label else "")
    zone = v.get("timezone", config.timezone)
    times = _event_times(v, place, zone, problems)
    if times is None:
        return None
    rule, skipped = _repeat(v, place, times.start, times.all_day, zone, problems)
    if rule is None:
        return None
    status = v.get("status", "scheduled")
    previous_start = None
    if "previous_start" in v:
        mistake = _previous_start_mistake(v["previous_start"], status, rule, times)
        if mistake:
            problems.append(place.problem(("previous_start",), f"previous_start: {mistake}"))
            return None
        previous_start = _localise(v["previous_start"], zone)
    category, mistake = site_category(config, v.get("category"))
    if mistake:
        problems.append(place.problem(("category",), mistake))
        return None
    slug = _event_slug(v, label, file_stem, times.start)
    host = re.sub(r"^https?://([^/:]+).*$", r"\1", config.base_url)
    return Event(
        source=rel,
        line=doc.line(key),
        slug=slug,
        title=v["title"],
        start=times.start,
        end=times.end,
        timezone=zone,
        all_day=times.all_day,
        location=v.get("location"),
        online_url=v.get("online_url"),
        status=status,
        booking_url=v.get("booking_url"),
        organiser=v.get("organiser", config.publisher),
        summary=v.get("summary"),
        description=v.get("description", ""),
        tags=v.get("tags", ()),
        related=v.get("related", ()),
        uid=v.get("uid") or f"{slug}@{host}",
        category=category,
        previous_start=previous_start,
        sequence=_sequence(v, status, previous_start),
        rrule=rule,
        skipped=skipped,
        extra=checked.extra,
        **_lead_image(v),
        expires=_localise(v["expires"], zone) if "expires" in v else None,
        aliases=v.get("aliases", ()),
        lines=_key_lines(doc, key, item),
        fingerprint=digest(config.fingerprint, rel, repr(key), repr(sorted(item.items(),
                                                                           key=str))),
    )


def _event_times(v: dict[str, Any], place: _ItemPlace, zone: ZoneInfo,
                 problems: list[Problem]) -> _EventTimes | None:
    """The event's start and end in its zone, and whether it is all day; None when they do
    not fit together (the problems say why)."""
    start_value, end_value = v["start"], v.get("end")
    all_day = v.get("all_day", not isinstance(start_value, datetime))
    if not all_day and not isinstance(start_value, datetime):
        problems.append(place.problem(("start",), "start: give a time "
                                      f"(write {start_value.isoformat()} 10:00) or leave out "
                                      "all_day: false"))
        return None
    if all_day:
        start_value = _as_date(start_value)
        end_value = _as_date(end_value) if end_value is not None else None
    elif end_value is not None and not isinstance(end_value, datetime):
        problems.append(place.problem(("end",), "end: give a time as well, like the start "
                                      f"(write {end_value.isoformat()} 17:00), or set "
                                      "all_day: true"))
        return None
    start = _localise(start_value, zone)
    end = _localise(end_value, zone) if end_value is not None else None
    if end is not None and (end < start or (end == start and not all_day)):
        problems.append(place.problem(("end",), f"end: {_iso(end_value)} is not after the "
                                      f"start {_iso(start_value)}; write a later end, or "
                                      "leave it out"))
        return None
    return _EventTimes(start, end, all_day)


def _previous_start_mistake(value: date | datetime, status: str, rule: str,
                            times: _EventTimes) -> str | None:
    """What is wrong with an event's previous_start:, or None when nothing is."""
    if status != "rescheduled":
        return "is the time a rescheduled event had; add status: rescheduled, or delete it"
    if rule:
        return ("is for an event with one date; for a repeating one, add the moved date to "
                "except: and give the new one its own listing")
    if not times.all_day and not isinstance(value, datetime):
        return (f"give the time as well, like the start (write {value.isoformat()} "
                f"{times.start:%H:%M})")
    return None


def _sequence(v: dict[str, Any], status: str, previous_start: datetime | None) -> int:
    # Calendar apps replace an event they have only when its SEQUENCE is higher: one step
    # for a new time, one for a change of status; an editor who moves it again says so.
    return v.get("sequence", (previous_start is not None) + (
        status in ("cancelled", "postponed", "moved-online")))


def _event_slug(v: dict[str, Any], label: str, file_stem: str, start: datetime) -> str:
    # A file with one event is named for it, and the name stays when the event is moved to
    # another day: so do its address and calendar UID. Events in a list are told apart by
    # their start date and title.
    return v.get("slug") or (slugify(file_stem) if not label else "") or slugify(
        f"{start.date().isoformat()} {v['title']}")


def _repeat(v: dict[str, Any], place: _ItemPlace, start: datetime, all_day: bool,
            zone: ZoneInfo, problems: list[Problem]) -> tuple[str | None, tuple[str, ...]]:
    """The event's recurrence rule ("" when it has one date) and skipped dates; None for the
    rule when something is wrong (the problems say what)."""
    skipped: tuple[str, ...] = v.get("except", ())
    rule_key = ("repeat",) if "repeat" in v else ("rrule",)
    if "repeat" in v and "rrule" in v:
        problems.append(place.problem(rule_key, "give repeat: or rrule:, not both"))
        return None, ()
    rule: str | None = ""
    if "repeat" in v:
        repeat = _repeat_rule(v["repeat"], place, start, all_day, zone, problems)
        if repeat is None:
            return None, ()
        rule, repeat_skipped = repeat
        skipped = tuple(dict.fromkeys(skipped + repeat_skipped))
    elif "rrule" in v:
        rule = _raw_rule(v["rrule"], place, all_day, zone, problems)
        if rule is None:
            return None, ()
    if skipped and not rule:
        problems.append(place.problem(("except",), "except: is for repeating events; add "
                                      "repeat: or delete it"))
        return None, ()
    mistake = _series_mistake(rule, skipped, start, all_day) if rule else None
    if mistake:
        problems.append(place.problem(rule_key, mistake))
        return None, ()
    return rule, skipped


def _repeat_rule(repeat: Any, place: _ItemPlace, start: datetime, all_day: bool,
                 zone: ZoneInfo, problems: list[Problem]) -> tuple[str, tuple[str, ...]] | None:
    """The rule a repeat: mapping gives and the dates its except: skips; None when something
    is wrong (the problems say what)."""
    checked = f.check_fields(repeat, REPEAT_SCHEMA, place.doc, place.key + ("repeat",),
                             place.rel, label=f"{place.prefix}repeat")
    problems.extend(checked.problems)
    if checked.problems:
        return None
    r = checked.values
    count, until = r.get("count"), r.get("until")
    if (count is None) == (until is None):
        problems.append(place.problem(("repeat",), "repeat: give count: (how many dates) or "
                                      "until: (the last date), one of them"))
        return None
    if until is not None and _as_date(until) < start.date():
        problems.append(place.problem(("repeat", "until"), f"repeat: until: {_as_date(until)} "
                                      f"is before the start {start.date()}; write a later "
                                      "date"))
        return None
    rule = recurrence.friendly_rule(r["frequency"], r.get("interval", 1), count,
                                    _as_date(until) if until else None, all_day, zone)
    return rule, r.get("except", ())


def _raw_rule(text: str, place: _ItemPlace, all_day: bool, zone: ZoneInfo,
              problems: list[Problem]) -> str | None:
    """The rule an rrule: gives; None when it is not one (the problems say why)."""
    try:
        return recurrence.raw_rule(text, all_day, zone)
    except recurrence.RuleError as error:
        problems.append(place.problem(("rrule",), f"rrule: {error}"))
        return None


def _series_mistake(rule: str, skipped: tuple[str, ...], start: datetime,
                    all_day: bool) -> str | None:
    """What is wrong with the dates a rule gives from the start on, or None when nothing is."""
    dates = [d.date().isoformat() for d in recurrence.starts(rule, start, all_day, (),
                                                           limit=recurrence.MAX_DATES + 1)]
    if not dates:
        return (f"the rule gives no dates from the start {start.date()} on; check its UNTIL "
                "or BY parts")
    if len(dates) > recurrence.MAX_DATES and not recurrence.is_endless(rule):
        return (f"the series has more than {recurrence.MAX_DATES} dates; give a smaller "
                "count: or an earlier until:")
    strays = [day for day in skipped if day not in dates and day <= dates[-1]]
    if strays:
        return (f"except: {', '.join(strays)} {'is' if len(strays) == 1 else 'are'} not among "
                f"the series' dates ({', '.join(dates[:4])}, ...); write dates the series "
                "falls on")
    return None


def _key_lines(doc: YamlDoc, key: tuple, mapping: dict[str, Any]) -> dict[str, int]:
    return {name: doc.line(key + (name,)) for name in mapping if isinstance(name, str)}


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _localise(value: date | datetime, zone: ZoneInfo) -> datetime:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(zone)
    return _aware(value, zone)


def _iso(value: date | datetime) -> str:
    return value.isoformat(sep=" ", timespec="minutes") if isinstance(value, datetime) \
        else value.isoformat()
