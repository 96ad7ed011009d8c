"""Plain prose straight to HTML: byte for byte the HTML Python-Markdown makes of it.

Most articles are paragraphs, headings, lists and quotes, with bold, italics and links.
For them Python-Markdown builds an element tree, walks it with a dozen passes and
serialises it: over half of a cold build's Markdown time. This writes the same HTML from
the lines in one go. It takes only documents it is sure of, and gives back None for any
other (code, tables, footnotes, raw HTML, entities, escapes, underscores, images, indented
or lazy lines, loose lists, ...), which then go to Python-Markdown. tests/test_markup.py
compares the two on generated documents.
"""

from __future__ import annotations

import html
import re

from markdown.extensions import toc

# What Python-Markdown may read as more than prose: raw HTML, escapes, code, tables,
# attribute lists, footnotes, underscores (emphasis), tildes (fences), control characters and
# whitespace other than spaces and newlines (every character str.isspace() knows is either
# here or one of those two: tests/test_markup.py checks).
NOT_PROSE_CHARACTERS = ("<\\`_~|{}^" + "".join(map(chr, [*range(0x0a), *range(0x0b, 0x20), 0x7f]))
                        + "\x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200b)))
                        + "\u2028\u2029\u202f\u205f\u3000")
# Those characters; entities; images; spaces that start or end a line (indented blocks,
# hard line breaks); and ">" but at the start of a line (a quote).
# (Each its own search: one that starts with a character of its own skips to it, where one
# pattern for them all would be tried at every character.)
_NOT_PROSE = [re.compile("[" + re.escape(NOT_PROSE_CHARACTERS) + "]"), *map(re.compile, (
    r"&#", r"&[a-zA-Z0-9]+;", r"!\[", r"\n(?<= \n)", r"\n ", r">(?<=[^\n>]>)"))]


def _not_prose(text: str) -> bool:
    return (any(pattern.search(text) for pattern in _NOT_PROSE)
            or text.startswith(" ") or text.endswith(" "))


# A paragraph or list item that reads as prose: it does not start with a block's marker
# ("#", "-", "+", ">", "=", ":", a space, stars and a space, a number and a stop), and no
# line of it does (its lines start with no space: those are refused before).
_PROSE_START = re.compile(r"(?![-+#>=: ]|\d+[.)]|\*+(?: |\n|\Z))")
_NOT_PROSE_LINE = re.compile(r"\n(?:[-+#>=:]|\d+[.)]|\*+(?: |\n|\Z))")
_NUMBERED = re.compile(r"([0-9]+)\. (?=\S)")
_HEADING = re.compile(r"(#{1,6}) (?=[^ #])(.*[^ #])\Z")
_BLANK_LINES = re.compile(r"\n\n+")

# Inline: a strong or emphasised span of plain words, or a link to a web, mail or site
# address whose text is plain words. Each span starts and ends with a character that is not
# a space (a star between spaces is only a star to Python-Markdown), a star or a bracket;
# no span starts right after a star (three stars in a row, or two spans that touch, read
# otherwise). Any star or bracket left over means the text is more than prose.
_SPAN_EDGE = r"[^\s*\[\]]"
_SPAN_TEXT = rf"{_SPAN_EDGE}(?:[^*\[\]\n]*{_SPAN_EDGE})?"
_SPAN = re.compile(rf"""
    (?<!\*)(?:
      \*\*(?P<strong>{_SPAN_TEXT})\*\*
    | \*(?P<em>{_SPAN_TEXT})\*
    | \[(?P<label>{_SPAN_EDGE}[^*\[\]\n]*)\]
      \((?P<url>(?:https?://|mailto:|/(?!/)|\#)[a-zA-Z0-9/.:#?=%@+-]*)\)
    )
""", re.X)


def prose_html(text: str) -> str | None:
    """The HTML of `text` if it is plain prose, else None (leave it to Python-Markdown)."""
    if _not_prose(text):
        return None
    if not text.strip("\n"):
        return ""
    out: list[str] = []
    if not _blocks(text, out, set()):
        return None
    return "\n".join(out)


def heading_id(inner_html: str, used: set[str]) -> str:
    """The id Python-Markdown's toc extension gives a heading with this inner HTML, with its
    default slugify and separator (markup.EXTENSION_CONFIGS sets neither); added to `used`."""
    name = html.unescape(toc.strip_tags(inner_html))
    return toc.unique(toc.slugify(name, "-"), used)


def _blocks(text: str, out: list[str], used: set[str]) -> bool:
    """Append the HTML of each block of `text` to `out`; False if one is not plain."""
    # The kind of the block before: a quote, or a list, right after one of its kind joins it.
    last = ""
    for block in _BLANK_LINES.split(text.strip("\n")):
        if not block.startswith("#") and "\n#" not in block:
            last = _block(block, out, used, last)
            if not last:
                return False
            continue
        # A heading line is a block of its own wherever it stands.
        piece: list[str] = []
        for line in [*block.split("\n"), None]:
            if line is not None and not line.startswith("#"):
                piece.append(line)
                continue
            if piece:
                last = _block("\n".join(piece), out, used, last)
                if not last:
                    return False
                piece = []
            if line is None:  # (the end of the block)
                break
            heading = _HEADING.match(line)
            inner = _inline(heading.group(2)) if heading else None
            if inner is None:
                return False
            level = len(heading.group(1))
            out.append(f'<h{level} id="{heading_id(inner, used)}">{inner}</h{level}>')
            last = "heading"
    return True


def _block(block: str, out: list[str], used: set[str], last: str) -> str:
    """Append the HTML of a block without headings; its kind, or "" if it is not plain."""
    if block.startswith(">"):
        return _quote(block, out, used, last)
    if block.startswith("- "):
        return _list("ul", "", _bulleted_items(block), out, last)
    if (number := _NUMBERED.match(block)) is not None:
        return _list("ol", number.group(1), _numbered_items(block), out, last)
    return _paragraph(block, out)


def _quote(block: str, out: list[str], used: set[str], last: str) -> str:
    """Append the HTML of a quote: "quote", or "" if it is not plain."""
    lines = block.split("\n")
    if last == "quote" or not all(line.startswith(">") for line in lines):
        return ""
    inner: list[str] = []
    quoted = "\n".join(line[2:] if line.startswith("> ") else line[1:] for line in lines)
    # (Python-Markdown keeps a quote's leading or trailing empty line in its paragraph.)
    if not quoted.strip("\n") or quoted != quoted.strip("\n") or _not_prose(quoted) or \
            not _blocks(quoted, inner, used):
        return ""
    out.append("<blockquote>\n" + "\n".join(inner) + "\n</blockquote>")
    return "quote"


def _bulleted_items(block: str) -> list[str] | None:
    """The text of each item of a "- " list, or None if a line starts no item."""
    lines = block.split("\n")
    items = [line[2:] for line in lines if line.startswith("- ")]
    return items if len(items) == len(lines) else None


def _numbered_items(block: str) -> list[str] | None:
    """The text of each item of a "1. " list, or None if a line starts no item."""
    lines = block.split("\n")
    items = [line[found.end():] for line in lines if (found := _NUMBERED.match(line))]
    return items if len(items) == len(lines) else None


def _list(tag: str, start: str, items: list[str] | None, out: list[str], last: str) -> str:
    """Append the HTML of a list ("ul", or "ol" from `start`): `tag`, or "" if not plain."""
    if last == tag or items is None:
        return ""
    rendered = []
    for item in items:
        html = _inline(item) if _PROSE_START.match(item) else None
        if html is None:
            return ""
        rendered.append(f"<li>{html}</li>\n")
    opening = f'<ol start="{start}">' if tag == "ol" and start != "1" else f"<{tag}>"
    out.append(f"{opening}\n{''.join(rendered)}</{tag}>")
    return tag


def _paragraph(block: str, out: list[str]) -> str:
    """Append the HTML of a paragraph: "paragraph", or "" if it is not plain."""
    if _PROSE_START.match(block) is None or _NOT_PROSE_LINE.search(block):
        return ""
    html = _inline(block)
    if html is None:
        return ""
    out.append(f"<p>{html}</p>")
    return "paragraph"


def _inline(text: str) -> str | None:
    """The HTML of a line's or paragraph's text, or None if it holds more than plain spans."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "*" not in text and "[" not in text and "]" not in text:
        return text
    html = _SPAN.sub(_span_html, text)
    return None if "*" in html or "[" in html or "]" in html else html


def _span_html(span: re.Match[str]) -> str:
    if span.lastgroup == "strong":
        return f"<strong>{span.group('strong')}</strong>"
    if span.lastgroup == "em":
        return f"<em>{span.group('em')}</em>"
    return f'<a href="{span.group("url")}">{span.group("label")}</a>'
