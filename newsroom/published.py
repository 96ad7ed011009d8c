"""The addresses a site has published, kept in published-urls.txt beside site_config.yaml and
committed with the site: each build adds its addresses to the list, `check` names every one
a change would break and the record that should keep it as an alias, and `check --fix`
writes those aliases into the content files."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import yaml

from newsroom.content import Article, Author, Event, StaticPage
from newsroom.output import replace_file
from newsroom.pages import plan_redirects, record_url, site_urls
from newsroom.problems import BuildError, Problem

if TYPE_CHECKING:
    from newsroom.build import BuildReport
    from newsroom.site import Site

Record = Article | Event | StaticPage | Author

FILE_NAME = "published-urls.txt"
HEADER = (
    "# Every address this site has published, and the file it comes from. newsroom build\n"
    "# adds to it and never takes a line out; newsroom check names any address a change\n"
    "# would break. Commit it with the site.\n"
)
# The pages an editor's file makes (and each author's page, from their profile); lists and
# indexes come and go with what they list.
PAGE_TEMPLATES = ("article.html", "event.html", "page.html")
# Git's conflict markers: two branches that each published addresses conflict on
# neighbouring lines, and the right merge keeps the lines of both, which reading past the
# markers does.
CONFLICT_MARKER = re.compile(r"(<{7}|={7}|>{7}|\|{7})( |$)")
# How alike a renamed file's slug must be to the old address to be taken for it (difflib).
SIMILAR = 0.6
# The front matter's fences, as python-frontmatter finds them.
FENCE = re.compile(r"^-{3,}\s*$", re.MULTILINE)
PLAIN_PATH = re.compile(r"/[A-Za-z0-9._~%/-]*")


@dataclass(frozen=True)
class Listed:
    """A line of published-urls.txt: an address (a site path, without the base path), the
    file it comes from, and the line it is on."""

    address: str
    source: str
    line: int


@dataclass(frozen=True)
class Published:
    """What published-urls.txt holds: its addresses (each once, the last line for it
    winning) and the lines it cannot read, as problems."""

    listed: dict[str, Listed]
    unreadable: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class Break:
    """A published address the site no longer serves, and the record that should take it
    as an alias (None when no record does)."""

    address: str
    source: str  # the file it was published from
    line: int  # its line in published-urls.txt
    record: Record | None
    source_exists: bool  # its file is still there (a draft now, say, or an event taken out)

    def problem(self) -> Problem:
        """What `check` says about it, and where."""
        alias = f"aliases: [{yaml_path(self.address)}]"
        if self.record is not None:
            return Problem(self.record.source, alias_line(self.record),
                           f"its address was {self.address} (published before); add {alias} "
                           "to keep that address working (newsroom check --fix adds it)")
        what = ("which no longer puts it on the site" if self.source_exists
                else "which is gone")
        return Problem(FILE_NAME, self.line,
                       f"{self.address} was published from {self.source}, {what}; restore it "
                       "with expires: (then its address leads to its section), or add "
                       f"{alias} to the page that replaces it")


# Reading and recording ---------------------------------------------------------------------

def read_published(root: Path) -> Published:
    """The addresses in the site's published-urls.txt (none when there is no such file)."""
    try:
        text = (root / FILE_NAME).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return Published({})
    except (OSError, UnicodeDecodeError) as error:
        why = getattr(error, "strerror", None) or "it is not UTF-8 text"
        return Published({}, (Problem(FILE_NAME, None, f"cannot be read: {why}"),))
    listed: dict[str, Listed] = {}
    unreadable = []
    for number, line in enumerate(text.splitlines(), 1):
        found = _listed(line, number)
        if isinstance(found, Listed):
            listed[found.address] = found
        elif found is not None:
            unreadable.append(found)
    return Published(listed, tuple(unreadable))


def _listed(line: str, number: int) -> Listed | Problem | None:
    """A line of published-urls.txt read: an address, a problem, or None for a comment."""
    if not line.strip() or line.startswith("#") or CONFLICT_MARKER.match(line):
        return None
    address, tab, source = line.strip().partition("\t")
    if address.startswith("/") and tab and source.strip():
        return Listed(address, source.strip(), number)
    return Problem(FILE_NAME, number, (
        f"{line.strip()!r} is not an address and the file it comes from; write the address "
        "(/news/its-slug/), a tab, then the file (content/news/its-file.md)"))


def published_text(addresses: dict[str, str]) -> str:
    """The text of published-urls.txt for these addresses (each with its file)."""
    return HEADER + "".join(f"{address}\t{addresses[address]}\n"
                            for address in sorted(addresses))


def site_addresses(report: BuildReport) -> dict[str, str]:
    """Every address this build gives an article, event or page, and each old address it
    redirects (aliases, and the expired records' addresses, which lead to their sections):
    each with the file it comes from."""
    site = _site(report)
    base = site.config.base_path
    addresses = {without_base(page.url, base): page.source for page in report.planned
                 if page.source is not None and page.template in PAGE_TEMPLATES}
    urls = site_urls(site)
    addresses.update((without_base(urls.author(p.author), base), p.author.source)
                     for p in site.profiles)
    for redirect in plan_redirects(site, site_urls(site)):
        addresses.setdefault(without_base(redirect.url, base), redirect.record.source)
    return addresses


def record_published(report: BuildReport) -> bool:
    """Add this build's addresses to published-urls.txt (a known address gets its current
    file; no line is taken out). Write only when the text changes, and say whether it did.
    Raise BuildError, writing nothing, when the file has lines it cannot read."""
    root = _site(report).config.root
    published = read_published(root)
    if published.unreadable:
        raise BuildError(published.unreadable)
    addresses = {listed.address: listed.source for listed in published.listed.values()}
    text = published_text(addresses | site_addresses(report))
    return _write_if_changed(root / FILE_NAME, text, FILE_NAME)


def without_base(url: str, base_path: str) -> str:
    """A root-relative address without the site's base path, as an editor writes an alias:
    /site/news/x/ -> /news/x/."""
    if url.startswith(base_path):
        url = "/" + url[len(base_path):]
    return unquote(url)


# Finding the breaks -------------------------------------------------------------------------

def broken_addresses(report: BuildReport) -> list[Problem]:
    """A problem for each published address this build neither serves nor redirects, at the
    file that should keep it as an alias (or at its line of published-urls.txt), and for
    each line of that file it cannot read."""
    published = read_published(_site(report).config.root)
    return [*published.unreadable, *(b.problem() for b in _breaks(report, published))]


def find_breaks(report: BuildReport) -> list[Break]:
    """Each published address this build neither serves nor redirects, with the record that
    should take it as an alias."""
    return _breaks(report, read_published(_site(report).config.root))


def _breaks(report: BuildReport, published: Published) -> list[Break]:
    site = _site(report)
    served = _served(report)
    missing = sorted((listed for listed in published.listed.values()
                      if listed.address not in served), key=lambda listed: listed.line)
    if not missing:
        return []
    candidates = _candidates(site, published)
    root = site.config.root
    return [Break(listed.address, listed.source, listed.line,
                  _heir(listed, candidates, published, root), (root / listed.source).is_file())
            for listed in missing]


def _served(report: BuildReport) -> set[str]:
    """Every address the build makes a page at, or redirects."""
    site = _site(report)
    base = site.config.base_path
    served = {without_base(page.url, base) for page in report.planned}
    served.update(without_base(r.url, base) for r in plan_redirects(site, site_urls(site)))
    return served


@dataclass(frozen=True)
class _Candidates:
    """The records that may take an old address: by their file, each with its address, and
    those of files published-urls.txt does not name yet, by content folder."""

    by_source: dict[str, list[tuple[Record, str]]]
    new_by_folder: dict[str, list[Record]]


def _candidates(site: Site, published: Published) -> _Candidates:
    urls, base = site_urls(site), site.config.base_path
    listed_sources = {listed.source for listed in published.listed.values()}
    by_source: dict[str, list[tuple[Record, str]]] = {}
    new_by_folder: dict[str, list[Record]] = {}
    for record in (*site.articles, *site.events, *site.pages, *site.expired,
                   *(profile.author for profile in site.profiles)):
        by_source.setdefault(record.source, []).append(
            (record, without_base(record_url(record, urls), base)))
        if record.source not in listed_sources:
            new_by_folder.setdefault(_folder(record.source), []).append(record)
    return _Candidates(by_source, new_by_folder)


def _heir(listed: Listed, candidates: _Candidates, published: Published,
          root: Path) -> Record | None:
    """The record that should take a published address the site no longer serves: one from
    the file it was published from, else one from a new file beside it (a renamed file), the
    most like it by slug; None when there is none."""
    name = listed.address.rstrip("/").rsplit("/", 1)[-1]
    same_file = candidates.by_source.get(listed.source, [])
    moved = [record for record, address in same_file if address not in published.listed]
    if moved:  # (a new slug, not yet recorded)
        return _most_similar(name, moved, 0.0)
    # A new slug a build has recorded already: the file's one record, unless the file is a
    # list of events, whose other events keep their own addresses.
    if len(same_file) == 1 and not _holds_a_list(root / listed.source):
        return same_file[0][0]
    return _most_similar(name, candidates.new_by_folder.get(_folder(listed.source), []),
                         SIMILAR)



def _most_similar(name: str, records: Sequence[Record], cutoff: float) -> Record | None:
    slugs = [record.slug for record in records]
    found = difflib.get_close_matches(name, slugs, n=1, cutoff=cutoff)
    return records[slugs.index(found[0])] if found else None


def _holds_a_list(path: Path) -> bool:
    """Whether a YAML file holds a list (of events)."""
    if path.suffix not in (".yaml", ".yml"):
        return False
    try:
        node = yaml.compose(path.read_text(encoding="utf-8-sig"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return True  # (no telling which event it was)
    return isinstance(node, yaml.SequenceNode)


def _folder(source: str) -> str:
    """The content folder a file is in: news, events or pages."""
    parts = source.split("/")
    return parts[1] if len(parts) > 2 and parts[0] == "content" else ""


def alias_line(record: Record) -> int:
    """Where an alias goes in a record's file: its aliases: line, else the event's first
    line, else its title: (or an author's name:) line."""
    if "aliases" in record.lines:
        return record.lines["aliases"]
    if isinstance(record, Event):
        return record.line
    return record.lines.get("title", record.lines.get("name", 1))


def yaml_path(address: str) -> str:
    """An address as YAML reads it back unchanged, in a list or on its own line."""
    if PLAIN_PATH.fullmatch(address):
        return address
    return json.dumps(address, ensure_ascii=False)


def _site(report: BuildReport) -> Site:
    assert report.site is not None
    return report.site


# Adding aliases -----------------------------------------------------------------------------

def add_aliases(root: Path, breaks: Iterable[Break]) -> dict[str, tuple[str, ...]]:
    """Add to each record's file the aliases its breaks ask for, keeping the rest of the
    text as it is; return the files changed (site paths) with the aliases each was given. A
    file that cannot be edited safely is left alone (check still names its breaks)."""
    wanted: dict[str, dict[int, list[str]]] = {}
    for found in breaks:
        if found.record is None:
            continue
        # A Markdown file has one mapping (0); an events file's record is at its line.
        place = found.record.line if isinstance(found.record, Event) else 0
        aliases = wanted.setdefault(found.record.source, {}).setdefault(place, [])
        if found.address not in aliases:
            aliases.append(found.address)
    changed = {}
    for source, places in sorted(wanted.items()):
        if _add_to_file(root / source, places, source):
            changed[source] = tuple(a for aliases in places.values() for a in aliases)
    return changed


def _add_to_file(path: Path, places: dict[int, list[str]], shown: str) -> bool:
    """Add the aliases to the file's mappings (by line, 0 for front matter); whether it
    changed."""
    try:
        raw = _read_exactly(path)
    except (OSError, UnicodeDecodeError):
        return False
    bom = "\ufeff" if raw.startswith("\ufeff") else ""
    newline = "\r\n" if "\r\n" in raw else "\n"
    text = raw.removeprefix(bom).replace("\r\n", "\n")
    if path.suffix in (".yaml", ".yml"):
        edited = _with_aliases(text, 0, len(text), places)
    else:
        edited = _front_matter_with_aliases(text, places)
    if edited is None:
        return False
    _write(path, bom + edited.replace("\n", newline), shown)
    return True


def _front_matter_with_aliases(text: str, places: dict[int, list[str]]) -> str | None:
    opening = FENCE.match(text)
    closing = FENCE.search(text, opening.end()) if opening else None
    if opening is None or closing is None:
        return None
    return _with_aliases(text, opening.end(), closing.start(), places)


def _with_aliases(text: str, start: int, end: int, places: dict[int, list[str]]) -> str | None:
    """The text with the aliases added to the YAML between `start` and `end`: to its mapping,
    or to the items of its list at the lines of `places`; None when that cannot be done
    safely."""
    part = text[start:end]
    try:
        node = yaml.compose(part, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    targets = _targets(node, places)
    if targets is None:
        return None
    edits = []
    for mapping, _, aliases in targets:
        edit = _mapping_edit(part, mapping, [yaml_path(a) for a in aliases])
        if edit is None:
            return None
        edits.append(edit)
    for at, until, insert in sorted(edits, reverse=True):
        part = part[:at] + insert + part[until:]
    if not _has_aliases(part, targets):
        return None
    return text[:start] + part + text[end:]


Target = tuple[yaml.MappingNode, int | None, list[str]]


def _targets(node: Any, places: dict[int, list[str]]) -> list[Target] | None:
    """Each mapping to add aliases to, with its index in the file's list (None: the file's
    own mapping) and the aliases."""
    if isinstance(node, yaml.MappingNode):
        return [(node, None, [a for aliases in places.values() for a in aliases])]
    if not isinstance(node, yaml.SequenceNode):
        return None
    # Lines in `places` count from the file's first line; the marks, from 0.
    items = {item.start_mark.line + 1: (index, item) for index, item in enumerate(node.value)}
    targets = []
    for line, aliases in places.items():
        index, item = items.get(line, (None, None))
        if not isinstance(item, yaml.MappingNode):
            return None
        targets.append((item, index, aliases))
    return targets


Edit = tuple[int, int, str]  # replace text[start:end] with this


def _mapping_edit(text: str, mapping: yaml.MappingNode, items: list[str]) -> Edit | None:
    """How to add the items to a mapping's aliases: (a new key, or more of a list)."""
    value = next((v for k, v in mapping.value
                  if isinstance(k, yaml.ScalarNode) and k.value == "aliases"), None)
    if value is None:
        return _new_key(text, mapping, items)
    if isinstance(value, yaml.SequenceNode):
        if value.flow_style:
            return _before_closing(text, value, "]", ", ".join(items), bool(value.value))
        return _more_items(text, value, items)
    if isinstance(value, yaml.ScalarNode) and value.value:  # aliases: /one/
        start, end = value.start_mark.index, value.end_mark.index
        return start, end, "[" + ", ".join([text[start:end], *items]) + "]"
    return None


def _new_key(text: str, mapping: yaml.MappingNode, items: list[str]) -> Edit | None:
    """aliases: as a new key at the end of the mapping, indented as its first key."""
    if mapping.flow_style:  # {title: Talk, start: ...}
        return _before_closing(text, mapping, "}", f"aliases: [{', '.join(items)}]", True)
    if not mapping.value:
        return None
    indent = " " * mapping.value[0][0].start_mark.column
    at, newline = _after(text, mapping)
    lines = "".join(f"{indent}  - {item}\n" for item in items)
    return at, at, f"{newline}{indent}aliases:\n{lines}"


def _more_items(text: str, sequence: yaml.SequenceNode, items: list[str]) -> Edit | None:
    """More items after the last of a block list, at its dash's indentation."""
    if not sequence.value:
        return None
    last = sequence.value[-1]
    line_start = text.rfind("\n", 0, last.start_mark.index) + 1
    before = text[line_start:last.start_mark.index].rstrip()
    column = len(before) - 1 if before.endswith("-") else sequence.start_mark.column
    at, newline = _after(text, sequence)
    return at, at, newline + "".join(f"{' ' * column}- {item}\n" for item in items)


def _before_closing(text: str, node: yaml.Node, closing: str, insert: str,
                    comma: bool) -> Edit | None:
    """`insert` just before the closing bracket of a flow list or mapping."""
    at = node.end_mark.index - 1
    if text[at:at + 1] != closing:
        return None
    insert = (", " if comma else "") + insert
    return at, at, insert


def _after(text: str, node: yaml.Node) -> tuple[int, str]:
    """Where the line after a block node's last value starts, and the line break to write
    first when the text ends without one."""
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style \
            and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    end = node.end_mark.index
    if node.end_mark.column == 0:  # (a block scalar ends at the start of the next line)
        return end, ""
    line_end = text.find("\n", end)
    return (line_end + 1, "") if line_end >= 0 else (len(text), "\n")


def _has_aliases(text: str, targets: list[Target]) -> bool:
    """Whether the edited YAML reads back with every alias in its mapping's aliases:."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return False
    for _, index, aliases in targets:
        mapping = data if index is None else data[index]
        found = mapping.get("aliases") if isinstance(mapping, dict) else None
        found = found if isinstance(found, list) else [found]
        if any(alias not in found for alias in aliases):
            return False
    return True


# Writing --------------------------------------------------------------------------------------

def _write_if_changed(path: Path, text: str, shown: str) -> bool:
    """Write `text` unless the file says it already (in its own line endings, which it
    keeps); whether it wrote."""
    try:
        old = _read_exactly(path)
    except FileNotFoundError:
        old = None
    except (OSError, UnicodeDecodeError):
        old = ""
    if old is not None and old.replace("\r\n", "\n") == text:
        return False
    _write(path, text.replace("\n", "\r\n") if old and "\r\n" in old else text, shown)
    return True


def _read_exactly(path: Path) -> str:
    """A file's text with its line endings as they are."""
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def _write(path: Path, text: str, shown: str) -> None:
    replace_file(path, text.encode("utf-8"), shown)
