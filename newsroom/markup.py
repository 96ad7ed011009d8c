"""Markdown to safe HTML, and the one place that rewrites URLs inside HTML."""

from __future__ import annotations

import bisect
import html
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any

import markdown
import nh3
from markdown import util
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import toc
from markdown.extensions.attr_list import AttrListTreeprocessor
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.extensions.tables import TableProcessor
from markdown.extensions.toc import TocTreeprocessor
from markdown.inlinepatterns import LinkInlineProcessor
from markdown.preprocessors import HtmlBlockPreprocessor, NormalizeWhitespace, Preprocessor
from markdown.treeprocessors import InlineProcessor, Treeprocessor, UnescapeTreeprocessor

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
    "figure", "figcaption", "picture", "source", "section"}
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
}
URL_ATTRIBUTES = ("href", "src", "srcset", "poster", "cite")

WORDS_PER_MINUTE = 200


# What each stock inline pattern cannot match without: backticks, escapes, brackets for links,
# images and footnotes, "<" for autolinks and raw HTML, entities, hard line breaks. A pattern
# is tried on a piece of text only when the text holds one of these; news prose holds few,
# and trying every pattern on every piece was a third of Python-Markdown's time. Patterns not
# named here (an extension's) are always tried; emphasis is told by its own delimiters.
PATTERN_TRIGGERS: dict[str, tuple[str, ...]] = {
    "backtick": ("`",), "escape": ("\\",),
    "reference": ("[",), "link": ("[",), "short_reference": ("[",), "footnote": ("[^",),
    "image_link": ("![",), "image_reference": ("![",), "short_image_ref": ("![",),
    "autolink": ("<",), "automail": ("<",), "html": ("<",), "entity": ("&",),
    "linebreak": ("  \n",),
    # Before Python-Markdown 3.11 emphasis was three patterns, one per delimiter.
    "em_strong": ("*",), "em_strong2": ("_",), "not_strong": ("*", "_"),
}


def _triggers(name: str, pattern: Any) -> tuple[str, ...] | None:
    # Emphasis (3.11 on) is one pattern for all the delimiters it knows.
    if isinstance(pattern, getattr(markdown.inlinepatterns, "DelimiterProcessor", ())):
        return tuple(pattern.tokens)
    return PATTERN_TRIGGERS.get(name)


class _TriggeredInline(InlineProcessor):
    """The stock inline pass, except that a pattern is not tried on text without its trigger.

    Such a try finds no match, so the HTML is exactly the stock HTML, only sooner
    (tests/test_markup.py compares the two on generated Markdown).
    """

    def run(self, tree: Any, ancestors: list[str] | None = None) -> Any:
        registry = self.inlinePatterns
        names = {id(registry[item.name]): item.name for item in registry._priority}
        # In the order the stock pass tries them (by priority).
        self._patterns = [(pattern, _triggers(names[id(pattern)], pattern))
                          for pattern in registry]
        self._needles = sorted({t for _, triggers in self._patterns for t in triggers or ()})
        self._always = any(triggers is None for _, triggers in self._patterns)
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if isinstance(data, markdown.util.AtomicString):
            return data
        # A match replaces text with a placeholder, which holds no trigger: a trigger
        # missing now stays missing.
        found = {needle for needle in self._needles if needle in data}
        if not found and not self._always:
            return data
        patterns, start = self._patterns, 0
        while patternIndex < len(patterns):
            pattern, triggers = patterns[patternIndex]
            if triggers is not None and found.isdisjoint(triggers):
                # Moving on to the next pattern starts its search at 0, as the stock pass does.
                patternIndex, start = patternIndex + 1, 0
                continue
            data, matched, start = self._InlineProcessor__applyPattern(  # type: ignore[attr-defined]
                pattern, data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


# A block every line of which starts with a letter can only be a paragraph: each other stock
# block processor wants a line that starts with a space, "#", "=", "-", "*", "+", "_", ">",
# "[", "|", ":" or a digit. Most blocks of an article are such prose.
BLOCK_PROCESSORS = frozenset({"empty", "indent", "code", "table", "hashheader", "setextheader",
                              "hr", "olist", "ulist", "quote", "footnote", "reference",
                              "paragraph"})
_LETTER = re.compile(r"[^\W\d_]")
# (Looked for from each newline: a pattern that could start anywhere is tried everywhere.)
_LINE_NOT_FROM_LETTER = re.compile(r"\n(?![^\W\d_])")


class _PlainParagraph(BlockProcessor):
    """Prose blocks go straight to the paragraph processor, which every other processor's
    test would have left them to, only sooner (tests/test_markup.py compares the two)."""

    def __init__(self, parser: Any, paragraph: BlockProcessor) -> None:
        super().__init__(parser)
        self.paragraph = paragraph

    def test(self, parent: Any, block: str) -> bool:
        return _LETTER.match(block) is not None and _LINE_NOT_FROM_LETTER.search(block) is None

    def run(self, parent: Any, blocks: list[str]) -> bool | None:
        return self.paragraph.run(parent, blocks)


def _ask_the_stock_pass(self: Any, name: str) -> Any:
    # Others use what the stock pass holds (inline HTML uses unescape's pattern).
    if name == "stock":
        raise AttributeError(name)
    return getattr(self.stock, name)


class _TableIfPipe(BlockProcessor):
    """The table processor, asked about a block only when the block holds a "|": the first
    line of a table holds one, and the stock test splits that line character by character
    (on every list, heading and quote of every article) to find out."""

    def __init__(self, parser: Any, stock: TableProcessor) -> None:
        super().__init__(parser)
        self.stock = stock

    def test(self, parent: Any, block: str) -> bool:
        return "|" in block and self.stock.test(parent, block)

    def run(self, parent: Any, blocks: list[str]) -> bool | None:
        return self.stock.run(parent, blocks)

    __getattr__ = _ask_the_stock_pass


# What each stock pass below cannot act on without: raw HTML and entities, code fences,
# attribute lists, backslash escapes (the only source of the placeholders "unescape" turns
# back). Most articles hold none of them, and each pass walks the whole text or tree.
PASS_TRIGGERS: dict[str, tuple[str, ...]] = {
    "html_block": ("<", "&"), "fenced_code_block": ("```", "~~~"),
    "attr_list": ("{",), "unescape": ("\\",),
}


class _Normalized(Preprocessor):
    """The stock whitespace normalisation, or at once its result on text with nothing it
    changes (most text: its search for lines of spaces alone cost as much as all the block
    parsing); it keeps the normalised text for the passes that look at it."""

    # What the stock pass removes, replaces or expands: placeholder marks, carriage returns,
    # tabs, lines of spaces alone.
    CHANGES = (util.STX, util.ETX, "\r", "\t", " \n")

    def __init__(self, md: markdown.Markdown, stock: Preprocessor) -> None:
        super().__init__(md)
        self.stock, self.text = stock, ""

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines) + "\n\n"  # (the two newlines the stock pass adds)
        if any(change in text for change in self.CHANGES):
            lines = self.stock.run(lines)
            self.text = "\n".join(lines)
            return lines
        self.text = text
        return text.split("\n")


class _PassIfAny(util.Processor):
    """A stock text or tree pass, run only when the document's normalised text holds one of
    its triggers: on any other document it gives back what it was given."""

    def __init__(self, md: markdown.Markdown, stock: util.Processor, triggers: tuple[str, ...],
                 text: _Normalized) -> None:
        super().__init__(md)
        self.stock, self.triggers, self.source = stock, triggers, text

    def run(self, data: Any) -> Any:
        if any(trigger in self.source.text for trigger in self.triggers):
            return self.stock.run(data)
        return data

    __getattr__ = _ask_the_stock_pass


_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


class _HeadingIds(Treeprocessor):
    """The heading-id pass. The stock pass also makes a table of contents (an element tree,
    serialised and post-processed: a third of its cost) and looks for its "[TOC]" marker in
    every element. Pages show no table of contents, so on a document without the marker
    whose headings are plain (no attribute of their own: no id or label from an attribute
    list), this makes only the ids, with the stock pass's own functions and in its order.
    Any other document goes to the stock pass (without the marker search, if no marker)."""

    def __init__(self, md: markdown.Markdown, stock: TocTreeprocessor,
                 text: _Normalized) -> None:
        super().__init__(md)
        self.stock, self.source = stock, text
        # Settings under which an id is all the stock pass adds to a heading.
        # (Python-Markdown 3.6 on, whose stock pass names a heading with these functions.)
        self.ids_only = (stock.base_level == 0 and not stock.use_anchors
                         and stock.use_permalinks in (False, None)
                         and all(hasattr(toc, name) for name in (
                             "render_inner_html", "remove_fnrefs", "strip_tags", "unique")))

    def run(self, root: Any) -> Any:
        stock, marker = self.stock, self.stock.marker
        if marker and marker in self.source.text:
            return stock.run(root)
        if self.ids_only and self._made_ids(root):
            return None
        stock.marker = ""  # (the stock pass's own way of saying "no marker")
        try:
            return stock.run(root)
        finally:
            stock.marker = marker

    def _made_ids(self, root: Any) -> bool:
        """Give every heading its id, if all are plain; False (nothing done) if not."""
        stock, headings, used = self.stock, [], set()
        for element in root.iter():
            if "id" in element.attrib:
                used.add(element.attrib["id"])
            if isinstance(element.tag, str) and stock.header_rgx.match(element.tag):
                if element.tag not in _HEADINGS or element.attrib:
                    return False
                headings.append(element)
        for heading in headings:
            inner = toc.render_inner_html(toc.remove_fnrefs(heading), self.md)
            heading.attrib["id"] = self.heading_id(inner, used)
        return True

    def heading_id(self, inner_html: str, used: set[str]) -> str:
        """The id the stock pass gives a heading with this inner HTML (and adds to `used`)."""
        name = html.unescape(toc.strip_tags(inner_html))
        return toc.unique(self.stock.slugify(name, self.stock.sep), used)

    __getattr__ = _ask_the_stock_pass


class _BlockLevelByName(Preprocessor):
    """Python-Markdown asks whether a tag is block-level for every element it tidies (a look
    through its list of fifty names each time: a tenth of its time on an article). This asks
    a set made from that list as each document starts, so the answers are the same."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.names: frozenset[Any] = frozenset()
        md.is_block_level = self.is_block_level  # type: ignore[method-assign]

    def run(self, lines: list[str]) -> list[str]:
        self.names = frozenset(self.md.block_level_elements)
        return lines

    def is_block_level(self, tag: Any) -> bool:
        return isinstance(tag, str) and tag.lower().rstrip("/") in self.names


_BRACKET = re.compile(r"[\[\]]")


class _BracketEnds:
    """For each index of a text, the index just past the "]" that closes a bracket opened
    before it (None if none does): what Python-Markdown 3.11.4's link patterns look up for
    each "[", worked out over the brackets alone. The stock pass walks every character of
    the paragraph in Python for each paragraph with a link: a fifth of an article's cost.

    Between two brackets the depth is the same, and so is the answer: the answers are kept
    per stretch of text that ends at a bracket.
    """

    __slots__ = ("brackets", "ends")

    def __init__(self, data: str) -> None:
        self.brackets = [found.start() for found in _BRACKET.finditer(data)]
        # Stretch k ends at brackets[k] (the last runs to the end of the text); each waits
        # on the stack, with its depth, for the first stretch that is shallower.
        self.ends: list[int | None] = [None] * (len(self.brackets) + 1)
        waiting: list[tuple[int, int]] = []
        depth = 0
        for stretch in range(len(self.brackets) + 1):
            start = self.brackets[stretch - 1] + 1 if stretch else 0
            while waiting and depth < waiting[-1][1]:
                self.ends[waiting.pop()[0]] = start
            waiting.append((stretch, depth))
            if stretch < len(self.brackets):
                depth += 1 if data[self.brackets[stretch]] == "[" else -1

    def __getitem__(self, index: int) -> int | None:
        return self.ends[bisect.bisect_left(self.brackets, index)]


class _ListedOnce(util.Registry):
    """A registry that works out its order once per change rather than once per look: the
    block parser looks through its processors for every block of every document."""

    _listed: list[Any] | None = None

    def __iter__(self) -> Any:
        if self._listed is None or not self._is_sorted:
            self._sort()
            self._listed = [self._data[item.name] for item in self._priority]
        return iter(self._listed)

    def register(self, item: Any, name: str, priority: float) -> None:
        self._listed = None
        super().register(item, name, priority)

    def deregister(self, name: str, strict: bool = True) -> None:
        self._listed = None
        super().deregister(name, strict)


class _Shortcuts(markdown.Extension):
    """Python-Markdown's HTML, sooner: work that cannot change the result is skipped."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        for registry in (md.preprocessors, md.parser.blockprocessors, md.inlinePatterns,
                         md.treeprocessors, md.postprocessors):
            if type(registry) is util.Registry:
                registry.__class__ = _ListedOnce
        # First of all the passes, so that the set is made before anything asks.
        md.preprocessors.register(_BlockLevelByName(md), "block_level_names", 1000)
        # Each only while Python-Markdown keeps what it was worked out for: otherwise the
        # stock pass.
        if all(hasattr(InlineProcessor, f"_InlineProcessor__{name}")
               for name in ("handleInline", "applyPattern")):
            md.treeprocessors.register(_TriggeredInline(md), "inline", 20)
        if callable(getattr(LinkInlineProcessor, "_findBracketEnds", None)):
            for pattern in md.inlinePatterns:
                if isinstance(pattern, LinkInlineProcessor):
                    pattern._findBracketEnds = _BracketEnds  # type: ignore[method-assign]
        blocks = md.parser.blockprocessors
        if {item.name for item in blocks._priority} == BLOCK_PROCESSORS:
            blocks.register(_PlainParagraph(md.parser, blocks["paragraph"]), "prose", 110)
            if type(blocks["table"]) is TableProcessor:
                _replace(blocks, "table", _TableIfPipe(md.parser, blocks["table"]))
        passes = {"html_block": (md.preprocessors, HtmlBlockPreprocessor),
                  "fenced_code_block": (md.preprocessors, FencedBlockPreprocessor),
                  "attr_list": (md.treeprocessors, AttrListTreeprocessor),
                  "unescape": (md.treeprocessors, UnescapeTreeprocessor),
                  "toc": (md.treeprocessors, TocTreeprocessor),
                  "normalize_whitespace": (md.preprocessors, NormalizeWhitespace)}
        if any(name not in registry or type(registry[name]) is not stock
               for name, (registry, stock) in passes.items()):
            return
        text = _Normalized(md, md.preprocessors["normalize_whitespace"])
        _replace(md.preprocessors, "normalize_whitespace", text)
        for name, triggers in PASS_TRIGGERS.items():
            registry = passes[name][0]
            _replace(registry, name, _PassIfAny(md, registry[name], triggers, text))
        _replace(md.treeprocessors, "toc", _HeadingIds(md, md.treeprocessors["toc"], text))


def _replace(registry: util.Registry, name: str, processor: Any) -> None:
    """Put `processor` in the place (the priority) of the one called `name`."""
    priority = next(item.priority for item in registry._priority if item.name == name)
    registry.register(processor, name, priority)


@lru_cache(maxsize=4)
def _converter(shortcuts: bool = True) -> markdown.Markdown:
    extensions: list[Any] = list(EXTENSIONS)
    if shortcuts:
        extensions.append(_Shortcuts())
    return markdown.Markdown(extensions=extensions, extension_configs=EXTENSION_CONFIGS,
                             output_format="html")


def sanitize(fragment: str) -> str:
    """Remove everything from HTML that is not on the allow-list (scripts, handlers, js: URLs)."""
    return nh3.clean(fragment, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     clean_content_tags={"script", "style"}, link_rel=None,
                     filter_style_properties={"text-align"})


# HTML the sanitiser gives back as it is, when Python-Markdown made every tag of it (the
# Markdown holds no "<"): tags for prose with no attribute but a heading's id, a list's start
# or a link to a web, mail or site address; no entity but &amp;, &lt; and &gt;, and no
# character the sanitiser writes otherwise (no-break spaces, control characters). Most
# articles are such HTML, and the sanitiser was a seventh of their Markdown's cost.
_SANITARY = re.compile(r"""(?:
    [^<&\x00-\x08\x0b-\x1f\x7f\xa0]++
  | &(?:amp|lt|gt);
  | </?(?:p|ul|ol|li|blockquote|strong|em|code|pre)> | <(?:br|hr)>
  | </h[1-6]> | <h[1-6](?:\ id="[a-z0-9_-]+")?>
  | <ol\ start="[0-9]+">
  | </a> | <a\ href="(?:https?://|mailto:|/(?!/)|\#)[a-zA-Z0-9/._~:#?=%@+-]*+">
)*+""", re.X)


@lru_cache(maxsize=1)
def _prose_heading_id() -> prose.HeadingId | None:
    """How the converter names headings, when its heading-id pass is the shortcut's with
    stock settings: then plain prose is written without it (newsroom/prose.py)."""
    heading_ids = _converter().treeprocessors["toc"]
    if isinstance(heading_ids, _HeadingIds) and heading_ids.ids_only:
        return heading_ids.heading_id
    return None


# A link inside a link (Python-Markdown makes one of "[a [b](/b) c](/a)"), which the
# sanitiser takes apart.
_NESTED_LINK = re.compile(r"<a [^>]*>(?:[^<]|<(?!/a>))*<a ")


def render_markdown(text: str, *, base_path: str = "/", safe: bool = True) -> str:
    """Markdown to HTML: sanitised unless `safe` is off, site links put under the base path."""
    heading_id = _prose_heading_id()
    fragment = prose.prose_html(text, heading_id) if heading_id else None
    if fragment is None:
        converter = _converter()
        converter.reset()
        fragment = converter.convert(text)
        if safe and ("<" in text or not _SANITARY.fullmatch(fragment)
                      or _NESTED_LINK.search(fragment)):
            fragment = sanitize(fragment)
    # (Prose is written with tags, attributes and entities the sanitiser keeps as they are,
    # all of them within _SANITARY: tests/test_markup.py checks.)
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
    return max(1, math.ceil(word_count(text) / WORDS_PER_MINUTE))


# Each byte as a space (ASCII whitespace, as str.isspace() knows it) or as part of a word.
_SPACE_OR_WORD = bytes(0x20 if chr(b).isspace() else 0x78 for b in range(128)) + b"x" * 128


def word_count(text: str) -> int:
    """len(text.split()), the words being what whitespace separates; without making a
    string of each word (a tenth of the time of an article page's rendering)."""
    data = text.encode("utf-8", "surrogatepass")
    if not text.isascii() and prose.has_wide_space(data):
        return len(text.split())
    marks = data.translate(_SPACE_OR_WORD)  # then a word starts wherever " x" is
    return marks.count(b" x") + marks.startswith(b"x")


def renderer_settings(config: SiteConfig) -> str:
    """Everything besides the text that decides the HTML: part of every cache key."""
    return digest(code_fingerprint(), markdown.__version__, nh3.__version__ if hasattr(
        nh3, "__version__") else "", repr(EXTENSIONS), repr(EXTENSION_CONFIGS),
        repr(sorted(ALLOWED_TAGS)), repr(sorted((k, sorted(v)) for k, v in
                                                ALLOWED_ATTRIBUTES.items())),
        config.base_path, str(config.sanitize_html))


def render_content(content: Content, config: SiteConfig, cache: Store,
                   jobs: int = 1) -> Content:
    """The content with every Markdown body and description rendered into `html`.

    Cached HTML is reused; the rest is rendered, over `jobs` processes when there is enough.
    """
    records: list[tuple[str, Any]] = [
        *(("articles", r) for r in content.articles),
        *(("events", r) for r in content.events),
        *(("pages", r) for r in content.pages),
    ]
    # A long-lived cache (the preview's) knows the very records it rendered last time
    # (only the very same record: one parsed again may carry other line numbers): their
    # text need not even be hashed again.
    names = [f"rendered:{r.fingerprint}" if r.fingerprint else "" for _, r in records]
    known = []
    for name, (_, record) in zip(names, records, strict=True):
        entry = cache.objects.get(name) if name else None
        known.append(entry if entry is not None and entry[0] is record else None)
    keys = [entry[2] if entry is not None else cache.key(_source(record))
            for (_, record), entry in zip(records, known, strict=True)]
    for key, (_, record) in zip(keys, records, strict=True):
        # Rendered as it was read (see with_html), and not yet in the cache. (Records the
        # preview kept carry HTML the cache holds: putting it again would mark the store
        # changed, and it would be written whole after every edit.)
        if record.html and cache.get(key) is None:
            cache.put(key, record.html)
    missing = sorted({key: _source(record)
                      for key, (_, record) in zip(keys, records, strict=True)
                      if cache.get(key) is None}.items())
    if missing:
        texts = [text for _, text in missing]
        # Workers are handed places in the list, not the texts: forked, they have the list.
        rendered = parallel_map(_render_for_worker, range(len(texts)), jobs, texts,
                                config.base_path, config.sanitize_html)
        for (key, _), html_text in zip(missing, rendered, strict=True):
            cache.put(key, html_text)
    grouped: dict[str, list[Any]] = {"articles": [], "events": [], "pages": []}
    for (kind, record), key, kept, name in zip(records, keys, known, names, strict=True):
        # The rendered record made last time comes back as it was, so later stages can tell
        # unchanged records at a glance.
        html = cache.get(key)  # (also marks the HTML used, to be kept)
        if kept is not None:
            rendered = kept[1]
        else:
            rendered = record if record.html == html else replace(record, html=html)
            if name:
                cache.objects[name] = (record, rendered, key)
        if name:
            cache.used.add(name)
        grouped[kind].append(rendered)
    return replace(content, articles=tuple(grouped["articles"]),
                   events=tuple(grouped["events"]), pages=tuple(grouped["pages"]))


def with_html(config: SiteConfig) -> Callable[[Any], Any]:
    """What read_content may apply to each record as it is read, in the same worker: the
    record with its Markdown rendered, as render_content would render it."""

    def finish(record: Any) -> Any:
        return replace(record, html=render_markdown(
            _source(record), base_path=config.base_path, safe=config.sanitize_html))

    return finish


def _source(record: Any) -> str:
    """The Markdown a record's HTML comes from: an event's description, else its body."""
    return record.description if isinstance(record, Event) else record.markdown


def _render_for_worker(indexes: Sequence[int], texts: list[str], base_path: str,
                       safe: bool) -> list[str]:
    return [render_markdown(texts[i], base_path=base_path, safe=safe) for i in indexes]
