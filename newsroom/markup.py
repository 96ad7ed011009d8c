"""Markdown to safe HTML, and the one place that rewrites URLs inside HTML."""

from __future__ import annotations

import html
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from html.parser import HTMLParser
from typing import Any

import markdown
import nh3

from newsroom import prose
from newsroom.cache import Store, code_fingerprint, digest
from newsroom.config import SiteConfig
from newsroom.content import Content, Event
from newsroom.workers import parallel_map

# Chosen by value per cost (bench/markdown_extensions.py): what editors need, no typography
# pass (smarty doubles the cost; the sample's quotes are typed as they should read).
EXTENSIONS = ("tables", "footnotes", "attr_list", "fenced_code", "toc", "sane_lists")
EXTENSION_CONFIGS = {
    # Inline styles instead of the align attribute, which HTML5 no longer has.
    "tables": {"use_align_attribute": False},
    "toc": {"permalink": False},
}

# One allow-list for raw HTML in Markdown: the tags and attributes editors need for text,
# tables, figures and footnotes; no scripts, styles, forms, frames or event handlers.
ALLOWED_TAGS = (nh3.ALLOWED_TAGS - {"acronym", "center", "strike", "tt"}) | {
    "figure", "figcaption", "picture", "source", "section", "iframe"}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "hreflang", "rel"},
    "img": {"src", "srcset", "sizes", "alt", "width", "height", "loading"},
    "source": {"srcset", "sizes", "media", "type"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "time": {"datetime"},
    "data": {"value"},
    "ol": {"start", "reversed", "type"},
    "td": {"colspan", "rowspan", "headers", "style"},
    "th": {"colspan", "rowspan", "headers", "scope", "style"},
    "col": {"span"},
    "colgroup": {"span"},
    "abbr": {"title"},
    # Only video players at the addresses EMBEDS names (see _embed_only): any other
    # frame loses its address, and then itself.
    "iframe": {"src", "title", "allowfullscreen"},
}
# A player loads only as the reader nears it: a page of videos costs nothing until then.
EMBED_ATTRIBUTES = {"iframe": {
    "loading": "lazy",
    "referrerpolicy": "strict-origin-when-cross-origin",
    "allow": "accelerometer; encrypted-media; gyroscope; picture-in-picture; fullscreen"}}

# Videos an editor embeds by writing an image of the video's page on a line of its own:
# ![The launch, in two minutes](https://www.youtube.com/watch?v=...). Each page address
# (its video id in the group) and the player it is shown in: YouTube's that sets no cookie
# until played, Vimeo's told not to track.
EMBEDS = (
    (re.compile(r"https://(?:www\.|m\.)?youtube\.com/(?:watch\?(?:[^\s\"]*&)?v=|embed/|shorts/)"
                r"([\w-]{11})(?:[&?#][^\s\"]*)?"), "https://www.youtube-nocookie.com/embed/{}"),
    (re.compile(r"https://youtu\.be/([\w-]{11})(?:[?#][^\s\"]*)?"),
     "https://www.youtube-nocookie.com/embed/{}"),
    (re.compile(r"https://(?:www\.)?vimeo\.com/(\d{1,12})(?:[/?#][^\s\"]*)?"),
     "https://player.vimeo.com/video/{}?dnt=1"),
)
PLAYERS = re.compile(r"https://(?:www\.youtube-nocookie\.com/embed/[\w-]{11}"
                     r"|player\.vimeo\.com/video/\d{1,12}\?dnt=1)")
_VIDEO_PARAGRAPH = re.compile(r"<p>\s*(<img\b[^>]*>)\s*</p>")
_ATTRIBUTE = re.compile(r'\s([a-zA-Z-]+)(?:="([^"]*)")?')
URL_ATTRIBUTES = ("href", "src", "srcset", "poster", "cite")

WORDS_PER_MINUTE = 200


@lru_cache(maxsize=1)
def _converter() -> markdown.Markdown:
    return markdown.Markdown(extensions=list(EXTENSIONS), extension_configs=EXTENSION_CONFIGS,
                             output_format="html")


def markdown_html(text: str) -> str:
    """Python-Markdown's HTML of `text`, as it comes (not sanitised)."""
    converter = _converter()
    converter.reset()
    return converter.convert(text)


def sanitize(fragment: str) -> str:
    """Remove everything from HTML that is not on the allow-list (scripts, handlers, js: URLs,
    frames but the video players')."""
    return _EMPTY_FRAME.sub("", _cleaner().clean(fragment))


# A frame whose address the sanitiser took away (not a video player's): nothing to show.
_EMPTY_FRAME = re.compile(r"<iframe(?![^>]*\ssrc=)[^>]*>.*?</iframe>", re.DOTALL)


def _embed_only(tag: str, attribute: str, value: str) -> str | None:
    """nh3's attribute filter: a frame's address must be a video player's."""
    if tag == "iframe" and attribute == "src":
        return value if PLAYERS.fullmatch(value) else None
    return value


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    # (Made once: nh3.clean builds a cleaner from the allow-list on every call.)
    return nh3.Cleaner(tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                       clean_content_tags={"script", "style"}, link_rel=None,
                       filter_style_properties={"text-align"},
                       attribute_filter=_embed_only, set_tag_attribute_values=EMBED_ATTRIBUTES)


def removed_by_sanitiser(text: str) -> list[tuple[int, str]]:
    """What the sanitiser takes out of the HTML of Markdown `text`, each with the line of
    `text` (from 0) that writes it: ('<script>', 'onclick= on <a>', ...). Empty when the
    text holds no raw HTML and no link to a scheme that is not the web's."""
    if not _may_hold_unsafe(text):
        return []
    fragment = _unsanitised_html(text)
    before, after = _tags_and_attributes(fragment), _tags_and_attributes(sanitize(fragment))
    gone = before.tags - after.tags
    removed = [(f"<{tag}>", rf"<{tag}\b") for tag in gone]
    # (An attribute of an element taken out whole goes with it, unmentioned.)
    removed += [(f"{name}= on <{tag}>",
                 rf"\b{name}\s*=" + (f"|{_UNSAFE_LINK}" if name in URL_ATTRIBUTES else ""))
                for tag, name in before.attributes - after.attributes if tag not in gone]
    lines = text.split("\n")
    return sorted({(_line_matching(lines, pattern), what) for what, pattern in removed})


def _may_hold_unsafe(text: str) -> bool:
    """Whether the text has raw HTML (a tag), or a link to an address whose scheme may run
    code: only then can the sanitiser have anything to take out. (Each test starts with a
    character searched for fast: over 5,000 articles, 0.6 s became 0.02 s.)"""
    return bool("<" in text and _TAG.search(text) or "]" in text and _CODE_LINK.search(text))


# A Markdown link or reference to an address whose scheme may run code.
_UNSAFE_LINK = r"\](?:\(|:)\s*<?\s*(?:javascript|vbscript|data):"
_CODE_LINK = re.compile(_UNSAFE_LINK, re.IGNORECASE)
_TAG = re.compile(r"<[a-zA-Z!/]")


@dataclass(frozen=True)
class _Elements:
    tags: Counter[str]
    attributes: Counter[tuple[str, str]]


def _tags_and_attributes(fragment: str) -> _Elements:
    """How many of each tag a fragment has, and of each attribute given to a tag (counted:
    a frame taken out is missed beside a video's frame kept)."""
    collector = _Collector()
    collector.feed(fragment)
    collector.close()
    return collector.found


class _Collector(HTMLParser):
    """Counts the tags and attributes of the HTML it is fed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found = _Elements(Counter(), Counter())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.tags[tag] += 1
        self.found.attributes.update((tag, name) for name, _ in attrs)


def _line_matching(lines: list[str], pattern: str) -> int:
    """The first line that matches `pattern`, ignoring case (the first line if none does)."""
    found = re.compile(pattern, re.IGNORECASE)
    return next((number for number, line in enumerate(lines) if found.search(line)), 0)


def embed_videos(fragment: str) -> str:
    """Each paragraph that is only an image of a YouTube or Vimeo video's page, as that
    video's player: a titled 16:9 frame (the image's text is its title). The
    sanitiser then checks the frame's address like any other."""
    if "<img" not in fragment:
        return fragment
    return _VIDEO_PARAGRAPH.sub(_player, fragment)


def _player(paragraph: re.Match[str]) -> str:
    attributes = tag_attributes(paragraph.group(1))
    page = html.unescape(attributes.get("src", ""))
    for address, player in EMBEDS:
        found = address.fullmatch(page)
        if found:
            title = attributes.get("alt") or "Video"
            return (f'<div class="video"><iframe src="{player.format(found.group(1))}" '
                    f'title="{title}" allowfullscreen></iframe></div>')
    return paragraph.group(0)


def tag_attributes(tag: str) -> dict[str, str]:
    """The attributes of a start tag as Python-Markdown and nh3 write one (each value in
    double quotes, still escaped; one with no value as "")."""
    return dict(_ATTRIBUTE.findall(tag))


def _unsanitised_html(text: str) -> str:
    """The HTML of Markdown `text` as the sanitiser gets it: prose.py's, else
    Python-Markdown's, with its videos' players."""
    fragment = prose.prose_html(text)
    return embed_videos(markdown_html(text) if fragment is None else fragment)


def render_markdown(text: str, *, base_path: str = "/", safe: bool = True) -> str:
    """Markdown to HTML: sanitised unless `safe` is off, site links put under the base path.

    Plain prose is written by prose.py (the same HTML, sooner), the rest by Python-Markdown;
    either way the sanitiser sees all of it.
    """
    fragment = _unsanitised_html(text)
    if safe:
        fragment = sanitize(fragment)
    if base_path != "/":
        fragment = rewrite_urls(fragment, lambda url: under_base(url, base_path))
    return fragment


def under_base(url: str, base_path: str) -> str:
    """Put a root-relative URL ('/about/') under the site's base path ('/site/about/')."""
    if url.startswith("/") and not url.startswith("//"):
        return base_path + url[1:]
    return url


class _UrlTags(HTMLParser):
    """Finds the start tags that carry URL attributes, with their place in the text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[tuple[int, int], str, str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if any(name in URL_ATTRIBUTES for name, _ in attrs):
            self.found.append((self.getpos(), self.get_starttag_text() or "", tag, attrs))

    handle_startendtag = handle_starttag


def rewrite_urls(fragment: str, change: Callable[[str], str]) -> str:
    """Apply `change` to every URL in the href, src, srcset, poster and cite attributes."""
    finder = _UrlTags()
    finder.feed(fragment)
    finder.close()
    if not finder.found:
        return fragment
    # HTMLParser counts lines by "\n" alone (not U+2028 and friends): so must we.
    line_starts = [0]
    for line in fragment.split("\n"):
        line_starts.append(line_starts[-1] + len(line) + 1)
    pieces, done = [], 0
    for (line, column), text, tag, attrs in finder.found:
        start = line_starts[line - 1] + column
        if fragment[start:start + len(text)] != text:
            raise ValueError(f"cannot find the tag {text!r} to rewrite its links")
        pieces += [fragment[done:start], _tag_with_urls(tag, attrs, text, change)]
        done = start + len(text)
    pieces.append(fragment[done:])
    return "".join(pieces)


def srcset(value: str) -> list[list[str]]:
    """The candidates of a srcset: each its URL, then its width or density if given."""
    return [bits for candidate in value.split(",") if (bits := candidate.strip().split(None, 1))]


def _tag_with_urls(tag: str, attrs: list[tuple[str, str | None]], text: str,
                   change: Callable[[str], str]) -> str:
    parts = [f"<{tag}"]
    for name, value in attrs:
        if value is None:
            parts.append(f" {name}")
            continue
        if name == "srcset":
            value = ", ".join(" ".join([change(url), *rest]) for url, *rest in srcset(value))
        elif name in URL_ATTRIBUTES:
            value = change(value.strip())
        parts.append(f' {name}="{html.escape(value, quote=True)}"')
    parts.append(" />" if text.endswith("/>") else ">")
    return "".join(parts)


def first_paragraph_text(fragment: str, limit: int = 300) -> str:
    """The plain text of the first paragraph, cut at a word boundary: a default summary."""
    match = re.search(r"<p>(.*?)</p>", fragment, re.S)
    if not match:
        return ""
    plain = " ".join(html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).split())
    if len(plain) <= limit:
        return plain
    return plain[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def reading_minutes(text: str) -> int:
    """Minutes to read a Markdown text at 200 words a minute, at least 1."""
    return max(1, math.ceil(len(text.split()) / WORDS_PER_MINUTE))


def renderer_settings(config: SiteConfig) -> str:
    """Everything besides the text that decides the HTML: part of every cache key."""
    return digest(code_fingerprint(), markdown.__version__, nh3.__version__ if hasattr(
        nh3, "__version__") else "", repr(EXTENSIONS), repr(EXTENSION_CONFIGS),
        repr(sorted(ALLOWED_TAGS)), repr(sorted((k, sorted(v)) for k, v in
                                                ALLOWED_ATTRIBUTES.items())),
        config.base_path, str(config.sanitize_html))


@dataclass(frozen=True, slots=True)
class _Slot:
    """A record on its way through render_content, with what the cache knows of it."""

    kind: str  # "articles", "events" or "pages"
    record: Any
    name: str  # its name among the cache's objects; "" when it has no fingerprint
    kept: tuple[Any, Any, str] | None  # this very record, rendered, and its key: from last time
    key: str  # the cache key of its HTML


def render_content(content: Content, config: SiteConfig, cache: Store,
                   jobs: int = 1) -> Content:
    """The content with every Markdown body and description rendered into `html`.

    Cached HTML is reused; the rest is rendered, over `jobs` processes when there is enough.
    """
    slots = [_slot(kind, record, cache) for kind, record in _records(content)]
    _keep_html_read(slots, cache)
    _render_missing(slots, config, cache, jobs)
    grouped: dict[str, list[Any]] = {"articles": [], "events": [], "pages": [], "authors": []}
    for slot in slots:
        grouped[slot.kind].append(_rendered(slot, cache))
    return replace(content, **{kind: tuple(records) for kind, records in grouped.items()})


def _records(content: Content) -> list[tuple[str, Any]]:
    """Every record with Markdown, with the kind it is kept under in the content."""
    return [
        *(("articles", r) for r in content.articles),
        *(("events", r) for r in content.events),
        *(("pages", r) for r in content.pages),
        *(("authors", r) for r in content.authors),
    ]


def _slot(kind: str, record: Any, cache: Store) -> _Slot:
    # A long-lived cache (the preview's) knows the very records it rendered last time
    # (only the very same record: one parsed again may carry other line numbers): their
    # text need not even be hashed again.
    name = f"rendered:{record.fingerprint}" if record.fingerprint else ""
    entry = cache.objects.get(name) if name else None
    kept = entry if entry is not None and entry[0] is record else None
    key = kept[2] if kept is not None else cache.key(_source(record))
    return _Slot(kind, record, name, kept, key)


def _keep_html_read(slots: list[_Slot], cache: Store) -> None:
    """Put in the cache the HTML of records rendered as they were read (see with_html)."""
    for slot in slots:
        # Only what is not yet in the cache. (Records the preview kept carry HTML the cache
        # holds: putting it again would mark the store changed, and it would be written
        # whole after every edit.)
        if slot.record.html and cache.get(slot.key) is None:
            cache.put(slot.key, slot.record.html)


def _render_missing(slots: list[_Slot], config: SiteConfig, cache: Store, jobs: int) -> None:
    """Render the texts whose HTML the cache lacks, over `jobs` processes, into the cache."""
    missing = sorted({slot.key: _source(slot.record)
                      for slot in slots if cache.get(slot.key) is None}.items())
    if not missing:
        return
    texts = [text for _, text in missing]
    # Workers are handed places in the list, not the texts: the list goes to each once.
    rendered = parallel_map(_render_for_worker, range(len(texts)), jobs,
                            (texts, config.base_path, config.sanitize_html))[0]
    for (key, _), html_text in zip(missing, rendered, strict=True):
        cache.put(key, html_text)


def _rendered(slot: _Slot, cache: Store) -> Any:
    """The record with its HTML from the cache, kept there for next time."""
    # The rendered record made last time comes back as it was, so later stages can tell
    # unchanged records at a glance.
    html = cache.get(slot.key)  # (also marks the HTML used, to be kept)
    if slot.kept is not None:
        rendered = slot.kept[1]
    else:
        rendered = slot.record if slot.record.html == html else replace(slot.record, html=html)
        if slot.name:
            cache.objects[slot.name] = (slot.record, rendered, slot.key)
    if slot.name:
        cache.used.add(slot.name)
    return rendered


def with_html(config: SiteConfig) -> Callable[[Any], Any]:
    """What read_content may apply to each record as it is read, in the same worker: the
    record with its Markdown rendered, as render_content would render it."""
    return partial(_with_html, base_path=config.base_path, safe=config.sanitize_html)


def _with_html(record: Any, base_path: str, safe: bool) -> Any:
    return replace(record, html=render_markdown(_source(record), base_path=base_path,
                                                safe=safe))


def _source(record: Any) -> str:
    """The Markdown a record's HTML comes from: an event's description, else its body."""
    return record.description if isinstance(record, Event) else record.markdown


def _render_for_worker(indexes: Sequence[int], shared: tuple[list[str], str, bool]
                       ) -> list[str]:
    texts, base_path, safe = shared
    return [render_markdown(texts[i], base_path=base_path, safe=safe) for i in indexes]
