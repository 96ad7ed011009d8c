"""markup: Markdown to safe HTML, URLs put under the base path, summaries and reading time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup
from conftest import article, examples, write_site
from hypothesis import given, settings
from hypothesis import strategies as st

from newsroom.cache import Store
from newsroom.config import load_config
from newsroom.content import read_content
from newsroom.markup import (
    first_paragraph_text,
    markdown_html,
    reading_minutes,
    removed_by_sanitiser,
    render_content,
    render_markdown,
    renderer_settings,
    rewrite_urls,
    sanitize,
    under_base,
)
from newsroom.prose import prose_html


def parse(fragment: str) -> BeautifulSoup:
    return BeautifulSoup(fragment, "html.parser")


# Sanitising


def test_script_elements_are_removed_with_their_content():
    html = render_markdown("Before\n\n<script>alert('x')</script>\n\nAfter")
    assert "<script" not in html
    assert "alert" not in html
    assert "<p>Before</p>" in html and "<p>After</p>" in html


def test_event_handler_attributes_are_removed():
    html = render_markdown('<img src="/media/a.png" alt="A" onerror="alert(1)">')
    image = parse(html).find("img")
    assert image.attrs == {"src": "/media/a.png", "alt": "A"}


def test_javascript_links_lose_their_href():
    html = render_markdown("[click](javascript:alert(1)) and "
                           '<a href="JaVaScRiPt:alert(2)">this</a>')
    assert "javascript" not in html.lower()
    assert [a.get("href") for a in parse(html).find_all("a")] == [None, None]


@pytest.mark.parametrize("text", [
    "[click](javascript:alert(1))", "[data](data:text/html,x)", "[vb](vbscript:x)",
    "## [Heading](javascript:alert(1))", "- [item](JavaScript:alert(1))"])
def test_markdown_alone_cannot_make_a_script_link(text):
    # No raw HTML, yet Markdown's own links go through the sanitiser too.
    assert [a.get("href") for a in parse(render_markdown(text)).find_all("a")] == [None]


def test_markdown_alone_cannot_make_an_event_handler():
    assert "onclick" not in render_markdown('A lead.\n{: onclick="alert(2)" }')


def test_frames_styles_and_forms_are_removed():
    html = render_markdown('<iframe src="https://evil.example/"></iframe>'
                           "<style>body{display:none}</style><form><input name=x></form>")
    document = parse(html)
    assert document.find(["iframe", "style", "form", "input"]) is None
    assert "display:none" not in html


def test_ordinary_markdown_is_kept():
    html = render_markdown("Some *emphasis*, **strong** and a [link](https://example.org/).\n\n"
                           "> quoted\n\n- one\n- two\n")
    assert html == ('<p>Some <em>emphasis</em>, <strong>strong</strong> and a '
                    '<a href="https://example.org/">link</a>.</p>\n'
                    "<blockquote>\n<p>quoted</p>\n</blockquote>\n"
                    "<ul>\n<li>one</li>\n<li>two</li>\n</ul>")


def test_tables_keep_alignment_as_a_text_align_style_not_an_align_attribute():
    html = render_markdown("| Name | Score |\n|:-----|------:|\n| Ada  | 10    |\n")
    document = parse(html)
    cells = document.find_all(["th", "td"])
    assert [cell.get("style") for cell in cells] == ["text-align:left", "text-align:right",
                                                      "text-align:left", "text-align:right"]
    assert all(cell.get("align") is None for cell in cells)


def test_other_inline_styles_are_removed():
    html = render_markdown('<table><tr><td style="color:red;text-align:center">x</td></tr>'
                           "</table>")
    assert parse(html).find("td").get("style") == "text-align:center"


def test_footnotes_are_kept():
    html = render_markdown("A claim.[^1]\n\n[^1]: The source.\n")
    document = parse(html)
    reference = document.find("sup", id="fnref:1")
    assert reference is not None
    assert reference.a["href"] == "#fn:1"
    note = document.find("li", id="fn:1")
    assert note is not None
    assert "The source." in note.get_text()
    assert note.find("a", class_="footnote-backref")["href"] == "#fnref:1"


def test_headings_get_ids_for_links_to_them():
    html = render_markdown("## Getting there\n\n## Getting there\n")
    assert [h["id"] for h in parse(html).find_all("h2")] == ["getting-there", "getting-there_1"]


# Prose next to every other kind of Markdown: whatever writes it, the HTML is Python-Markdown's,
# sanitised.

MARKDOWN_PIECES = st.sampled_from([
    "plain words", "Word", " ", "  ", "\n", "\n\n", "  \n", "\t", "*", "**", "_", "__", "`",
    "``", "\\", "[", "]", "(", ")", "!", "<", ">", "&", ";", "#", "=", "===", "-", "---",
    "***", "___", "+ ", "* ", "amp", "http://x.org", "a@b.org", "[^1]", "[^1]: note",
    "[a]: /u", "{: .c }", "{#id}", "> ", "- ", "1. ", "| a | b |\n|---|---|\n", "a | b\n",
    "```\n", "~~~\n", "    code", "<em>", "</em>", "<div>", "&copy;", "&#169;", ":", "'",
    '"', "é", "Ünï", "\x02", "\x03", "\r", "\r\n", "   \n", "[TOC]", "{", "}", "```py\n"])


def _sanitised_by_nh3(text: str) -> str:
    return sanitize(markdown_html(text))


SAFE_AND_UNSAFE_LINKS = st.sampled_from([
    "[a](/x/)", "[b](https://e.org/a?b=1#c)", "[c](javascript:alert(1))", "[d](mailto:a@b.org)",
    "[e](//evil.example/)", "[f](#top)", "[g](other/page/)", "[h](/a b)", "[i](/x \"t\")",
    "\xa0", "\x00", "\x0c", "&amp;", "&lt;", "&quot;", "&copy;", "\u2028", "## Heading",
    "3. "])


@settings(max_examples=examples(400))
@given(st.lists(st.one_of(MARKDOWN_PIECES, SAFE_AND_UNSAFE_LINKS), max_size=40).map("".join))
def test_html_is_python_markdowns_sanitised(text):
    assert render_markdown(text) == _sanitised_by_nh3(text)


@pytest.mark.parametrize("text", [
    "Title\n=====", "Title\n-----", "Prose\n> quoted", "Prose\n# Heading", "Prose\n- item",
    "Prose\n1. item", "Name | Age\n--- | ---\nAnn | 1", "Prose\n[^1]: note", "Prose[^1]\n\n"
    "[^1]: note", "Prose\n[ref]: /x", "Prose\n    code", "Prose\n***", "Prose\n___",
    "Ünïcode prose\nand more", "- item\n\n    Indented prose", "- item\nlazy prose",
    "1. item\n\n    Prose in the item", "> quote\nlazy prose", "Prose\n\n\n\nMore prose",
    "&copy 2020 Fish &chips", "a < b", "<div>\nraw\n</div>\n\nProse",
    "Prose\n\n```\ncode\n```", "~~~\ncode\n~~~", "## Heading {#own-id}", "Prose\n{: .lead }",
    "An \\*escaped\\* star", "Before\n\n[TOC]\n\n## One\n\n## Two", "Prose\r\nmore\r\n",
    "\tTabbed code", "Prose\n   \nmore", "Prose\n   ", "Pro\x02se\x03",
    "| One |\n| --- |\n| x |", "- a | b\n- c", "a|b\n-|-\nc|d", "## A | B",
    "See [the [nested] report](/r/) and ![a [chart]](/c.png) [unclosed [x](/y/)",
])
def test_prose_next_to_other_blocks_renders_as_python_markdown_renders_it(text):
    written = prose_html(text)
    assert written is None or written == markdown_html(text)
    assert render_markdown(text) == _sanitised_by_nh3(text)


HEADING_WORDS = st.sampled_from([
    "Plan", "plan", "Plan_1", "Plan 1", "Ünïcode", "*em*", "**strong**", "`code`", "[link](/a/)",
    "&amp;", "&", "<b>x</b>", "a < b", "[^1]", " ", "-", "_", "\\*", "{#own}", "{: .c }",
    "{: data-toc-label='Label' }", "!", "", "[TOC]"])
HEADING_LINES = st.builds(lambda level, words: "#" * level + " " + " ".join(words),
                          st.integers(1, 7), st.lists(HEADING_WORDS, max_size=4))


@settings(max_examples=examples(300))
@given(st.lists(st.one_of(HEADING_LINES, st.sampled_from([
    "Prose.", "Prose[^1].", "[^1]: Note.", "<div id=\"plan\">raw</div>", "Plan\n====",
    "[TOC]", "- ## Plan"])), max_size=8).map("\n\n".join))
def test_prose_names_headings_as_python_markdown_names_them(text):
    written = prose_html(text)
    assert written is None or written == markdown_html(text)


# Plain prose is written without Python-Markdown (newsroom/prose.py): when it takes a
# document, its HTML must be the stock HTML to the byte.

PROSE_WORDS = st.sampled_from([
    "Plain words", "word", "Ünïcode", "é", "R&D", "&", "M & S", "&copy", "&amp;", "&#169;",
    "**bold**", "**bold words**", "*em*", "*em words*", "x**a**y", "**a***b*", "*a**b*",
    "**a** **b**", "**a**b**c**", "** a**", "**a **", "*", "**", "***", "[link](https://e.org/a?b=1#c)",
    "[site](/about/)", "[mail](mailto:a@b.org)", "[top](#top)", "[far](//evil.example/)",
    "[js](javascript:x)", "[rel](page/)", "[a](/x \"t\")", "[", "]", "(", ")", "!", "![a](/b.png)",
    "[R&D](/r/)", "[*em*](/e/)", " ", "  ", ".", ",", "2020", "3.5", "“quoted”", "— dash",
    ">", "#", "_", "~", "`", "<", "|", "{", "}", "^", "\\", "=", ":", "+", "-", "\xa0",
    "\u2028", "\t", "**£5m in the**", "**words,**", "*(aside)*", "**“quoted”**", "**a.**b",
    "*.*", "**,**", "*—*", "**&**", "**R&D,**", "[“link”](/x/)", "[£5m,](/x/)", "**a,** b",
    "*a.*b*", "**!**", "[.](/x/)", "*'s*", "**2020.**", "* a,*", "*a, *", "**)**(", "*#*"])
PROSE_LINES = st.one_of(
    st.lists(PROSE_WORDS, min_size=1, max_size=6).map(" ".join),
    st.builds(lambda mark, words: mark + " ".join(words), st.sampled_from([
        "# ", "## ", "###### ", "####### ", "#", "- ", "-  ", "* ", "+ ", "1. ", "3. ", "01. ",
        "1) ", "> ", ">", ">> ", "> > ", "> - ", "> ## ", "- ## ", "- > ", "- 1. ", " ",
        "    ", "2. ", "---", "===", "***", "- - -"]), st.lists(PROSE_WORDS, max_size=4)))
PLAIN_WORDS = st.sampled_from([
    "Plain words", "word", "Ünïcode", "R&D", "M & S", "**bold**", "*em words*", "x**a**y",
    "**a** *b*", "[link](https://e.org/a?b=1#c)", "[site](/about/)", "[top](#top)", "2020",
    "“quoted”", "— dash", "(aside)", "3.5", "end.", "**£582m in the**", "**the merger,**",
    "*(in part)*", "[“the plan”](/plan/)"])
PLAIN_LINES = st.builds(lambda mark, words: mark + " ".join(words), st.sampled_from([
    "", "", "", "## ", "### ", "- ", "- ", "1. ", "3. ", "> ", ">", "> - ", "> ## ",
    "- 1. "]),
    st.lists(PLAIN_WORDS, min_size=1, max_size=4))


def _document(lines: st.SearchStrategy[str], ends: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.tuples(lines, st.sampled_from(ends)), max_size=12).map(
        lambda pieces: "".join(line + end for line, end in pieces))


# Documents it mostly takes, the same with one odd piece anywhere in them, and documents
# with anything in them.
PLAIN_DOCUMENTS = _document(PLAIN_LINES, ["\n", "\n", "\n\n", "\n\n\n"])
PROSE_DOCUMENTS = st.one_of(
    PLAIN_DOCUMENTS,
    st.builds(lambda text, piece, where: text[:where] + piece + text[where:], PLAIN_DOCUMENTS,
              st.one_of(PROSE_WORDS, PROSE_LINES), st.integers(0, 400)),
    _document(PROSE_LINES, ["\n", "\n", "\n\n", "\n\n", "\n\n\n", " \n", "\n \n"]))


@settings(max_examples=examples(1500))
@given(PROSE_DOCUMENTS)
def test_prose_is_written_as_python_markdown_writes_it(text):
    written = prose_html(text)
    if written is not None:
        assert written == markdown_html(text)
    assert render_markdown(text) == _sanitised_by_nh3(text)


@pytest.mark.parametrize("text", [
    "Line  \nbreak", "Line \nspace", "## Heading ##", "## C#", "#Heading", "####### Seven",
    "Text\n## Heading\nText", "- a\n## Heading\n- b", "- a\n- b\n\n- c", "> a\n\n> b",
    "1. a\n\n1. b", "- a\n\n1. b", "1. a\n- b", "Text\n===", "Text\n---", "Text\n- item",
    "Text\n2. item", "- 1. nested", "- ## heading", "- > quote", "> ## Quoted heading",
    "> - quoted item", ">> nested", "> a\nlazy", "&#169; 2020", "&copy; 2020", "&copy 2020",
    "**a***b*", "***a***", "*a **b** c*", "** a **", "x**a**y", "[a](/x/) [b](/y/)",
    "[a]\n\n[a]: /x/", "[a][b]", "![a](/b.png)", "[a](/x/ \"t\")", "[a](<\\/x/>)",
    "-  two spaces", "1.  two spaces", "2020. A year", "10) ten", "* star item",
    "+ plus item", "***", "* * *", "- - -", ": colon", "Text\n\n\n\nMore", "\n\nText\n\n",
    "_em_ x", "__strong__", "snake_case_name", "Text  ", "> a  ", "- a  ", "## H  ",
    "## Plain words\n> word\n>", ">\n> word",
    # Python-Markdown nests these links, and the sanitiser takes them apart: so must we.
    "[**bold** [link](/a/)link](/b/)", "[a [b](/b/) c](/a/)",
])
def test_prose_near_misses_render_as_python_markdown_renders_them(text):
    written = prose_html(text)
    assert written is None or written == markdown_html(text)
    assert render_markdown(text) == _sanitised_by_nh3(text)


SAMPLE_PROSE = """Medilink Midlands will hold **online events** this summer, with [the first](
/events/) on Tuesday 7th July: R&D, *trade* and more.

## What the merger means

The two organisations first began working together in 2014.
A second line of the same paragraph.

- a combined network of over 8,000 contacts
- an expanded laboratory in London

1. Register
2. Join the call

> “This move fulfils a real need.”
>
> — Keith Widdowson

### What the merger means
"""


def test_plain_prose_is_written_without_python_markdown():
    # It takes a typical article (else a cold build is twice as slow).
    written = prose_html(SAMPLE_PROSE.replace("(\n", "("))
    assert written is not None
    assert written == markdown_html(SAMPLE_PROSE.replace("(\n", "("))
    document = parse(written)
    assert [h["id"] for h in document.find_all(["h2", "h3"])] == [
        "what-the-merger-means", "what-the-merger-means_1"]
    assert [t.name for t in document.find_all(True)] == [
        "p", "strong", "a", "em", "h2", "p", "ul", "li", "li", "ol", "li", "li", "blockquote",
        "p", "p", "h3"]


def test_prose_refuses_every_other_kind_of_whitespace():
    # Python-Markdown reads some of them as spaces (and its patterns look for \s).
    spaces = [chr(c) for c in range(0x3001) if chr(c).isspace() and chr(c) not in " \n"]
    assert spaces and all(prose_html(f"Text{space}here") is None
                          for space in spaces)


def test_prose_looks_for_exactly_the_characters_it_refuses():
    # It looks for them in the UTF-8 bytes: every character of the Basic Multilingual Plane,
    # and a few beyond, between two letters, is refused if it is one of them (or a ">" not
    # at the start of a line, a quote's marker), and only then.
    from newsroom.prose import NOT_PROSE_CHARACTERS, _not_prose

    characters = [chr(c) for c in [*range(0xD800), *range(0xE000, 0x10000), 0x1F600, 0x10FFFF]]
    refused = {c for c in characters if _not_prose(f"a{c}b")}
    assert refused == set(NOT_PROSE_CHARACTERS) | {">"}


def test_each_render_starts_afresh():
    first = render_markdown("# Plan\n\nText.[^1]\n\n[^1]: One.\n")
    second = render_markdown("# Plan\n\nOther text.\n")
    assert 'id="plan"' in first
    assert 'id="plan"' in second
    assert "footnote" not in second
    assert "One." not in second


def test_safe_false_keeps_raw_html():
    html = render_markdown('<div class="embed"><script src="/widget.js"></script></div>\n\n'
                           '<a href="/x/" onclick="track()">x</a>', safe=False)
    assert '<script src="/widget.js"></script>' in html
    assert 'onclick="track()"' in html


# The base path


def test_root_relative_links_and_images_are_put_under_the_base_path():
    html = render_markdown("[About](/about/) ![Hall](/media/hall.jpg)", base_path="/site/")
    document = parse(html)
    assert document.a["href"] == "/site/about/"
    assert document.img["src"] == "/site/media/hall.jpg"


def test_every_srcset_candidate_is_put_under_the_base_path():
    html = render_markdown('<img src="/media/a.jpg" alt="" srcset="/media/a.jpg 1x, '
                           '/media/a@2.jpg 2x, https://cdn.example/a.jpg 3x">',
                           base_path="/site/")
    assert parse(html).img["srcset"] == ("/site/media/a.jpg 1x, /site/media/a@2.jpg 2x, "
                                         "https://cdn.example/a.jpg 3x")


def test_absolute_protocol_relative_fragment_and_relative_links_are_left_alone():
    html = render_markdown("[a](https://example.org/x) [b](//cdn.example.org/x) [c](#top) "
                           "[d](other/page/) [e](mailto:ed@example.org)", base_path="/site/")
    assert [a["href"] for a in parse(html).find_all("a")] == [
        "https://example.org/x", "//cdn.example.org/x", "#top", "other/page/",
        "mailto:ed@example.org"]


def test_site_links_go_under_a_base_path_named_like_a_section():
    # Published under /news/, the editor's /news/ (the news index) is /news/news/.
    html = render_markdown("[all news](/news/) and [about](/about/)", base_path="/news/")
    assert [a["href"] for a in parse(html).find_all("a")] == ["/news/news/", "/news/about/"]


def test_attributes_that_are_not_urls_are_left_alone():
    html = render_markdown('<a href="/about/" title="/about/">x</a>', base_path="/site/")
    assert parse(html).a.attrs == {"href": "/site/about/", "title": "/about/"}


def test_code_that_shows_html_is_not_rewritten():
    html = render_markdown('    <a href="/about/">x</a>\n\nInline `<img src="/a.png">`',
                           base_path="/site/")
    assert "/site/" not in html


def test_a_site_at_the_root_leaves_links_as_written():
    html = render_markdown("[About](/about/)", base_path="/")
    assert parse(html).a["href"] == "/about/"


def test_raw_html_is_put_under_the_base_path_even_when_not_sanitised():
    html = render_markdown('<a href="/about/">x</a>', base_path="/site/", safe=False)
    assert parse(html).a["href"] == "/site/about/"


def test_under_base():
    assert under_base("/about/", "/news/") == "/news/about/"
    assert under_base("/", "/news/") == "/news/"
    assert under_base("/news/about/", "/news/") == "/news/news/about/"
    assert under_base("//cdn.example/x", "/news/") == "//cdn.example/x"
    assert under_base("https://example.org/", "/news/") == "https://example.org/"
    assert under_base("#x", "/news/") == "#x"


# rewrite_urls


def test_rewrite_urls_reads_single_quoted_attributes_and_writes_double_quotes():
    html = rewrite_urls("<a href='/about/'>x</a>", lambda url: "https://example.org" + url)
    assert html == '<a href="https://example.org/about/">x</a>'


def test_rewrite_urls_sees_urls_unescaped_and_escapes_the_result():
    seen = []

    def change(url: str) -> str:
        seen.append(url)
        return url + "&c=3"

    html = rewrite_urls('<a href="/search/?a=1&amp;b=2">x</a>', change)
    assert seen == ["/search/?a=1&b=2"]
    assert html == '<a href="/search/?a=1&amp;b=2&amp;c=3">x</a>'


def test_rewrite_urls_changes_each_srcset_candidate_and_keeps_descriptors():
    html = rewrite_urls("<img srcset='/a.png 1x,/b.png 2x' src=\"/a.png\">",
                        lambda url: "https://example.org" + url)
    assert html == ('<img srcset="https://example.org/a.png 1x, https://example.org/b.png 2x" '
                    'src="https://example.org/a.png">')


def test_rewrite_urls_changes_src_poster_and_cite():
    html = rewrite_urls('<video poster="/p.jpg" src="/v.mp4"></video>'
                        '<blockquote cite="/source/">q</blockquote>', lambda url: "X" + url)
    assert html == ('<video poster="X/p.jpg" src="X/v.mp4"></video>'
                    '<blockquote cite="X/source/">q</blockquote>')


def test_rewrite_urls_leaves_text_outside_tags_alone():
    fragment = '<p>Write href="/about/" in your page.</p>'
    assert rewrite_urls(fragment, lambda url: "X" + url) == fragment


# Summaries and reading time


def test_first_paragraph_text_strips_tags_and_unescapes():
    fragment = ("<h2>Heading</h2>\n<p>Fish &amp; <em>chips</em>\n  on   "
                '<a href="/x/">Friday</a></p>\n<p>Second.</p>')
    assert first_paragraph_text(fragment) == "Fish & chips on Friday"


def test_first_paragraph_text_truncates_at_a_word_with_an_ellipsis():
    fragment = "<p>" + "alpha beta, gamma delta " * 20 + "</p>"
    assert first_paragraph_text(fragment, limit=30) == "alpha beta, gamma delta alpha…"
    assert first_paragraph_text(fragment, limit=16) == "alpha beta…"


def test_first_paragraph_text_keeps_a_short_paragraph_whole():
    assert first_paragraph_text("<p>Short and sweet.</p>", limit=17) == "Short and sweet."


def test_first_paragraph_text_without_a_paragraph_is_empty():
    assert first_paragraph_text("<h1>Only a heading</h1>") == ""


def test_reading_minutes_at_200_words_a_minute_and_at_least_one():
    assert reading_minutes("") == 1
    assert reading_minutes("word " * 200) == 1
    assert reading_minutes("word " * 201) == 2
    assert reading_minutes("word " * 1000) == 5



# Records


def rendered(config, content, jobs=1):
    """The content with its Markdown rendered, with a cache of its own."""
    store = Store(None, "markdown", renderer_settings(config))
    return render_content(content, config, store, jobs)


def test_render_content_renders_article_bodies_and_event_descriptions(tmp_path):
    path = write_site(tmp_path, {
        "content/news/a.md": article(body="See [the hall](/media/hall.jpg).<script>x</script>"),
        "content/events/e.yaml": "title: Fair\nstart: 2027-07-06\n"
                                 "description: 'Map at [the hall](/about/).'\n",
    }, {"base_url": "https://example.org/site/"})
    config = load_config(path)
    content, problems = read_content(config)
    assert problems == []
    done = rendered(config, content)
    [item], [event] = done.articles, done.events
    assert item.html == '<p>See <a href="/site/media/hall.jpg">the hall</a>.</p>'
    assert event.html == '<p>Map at <a href="/site/about/">the hall</a>.</p>'


def test_render_content_keeps_raw_html_when_the_site_opts_out(tmp_path):
    path = write_site(tmp_path, {"content/news/a.md": article(body="<script>x()</script>")},
                      {"sanitize_html": False})
    config = load_config(path)
    content, _ = read_content(config)
    [item] = rendered(config, content).articles
    assert "<script>x()</script>" in item.html


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_build_renders_each_markdown_text_once_as_it_is_read(tmp_path, monkeypatch, jobs):
    from newsroom import markup
    from newsroom.build import read_site

    files = {f"content/news/2024-05-{day:02d}-a{day}.md": article(f"A{day}", f"2024-05-{day:02d}",
                                                                   body=f"Body **{day}**.")
             for day in range(1, 29)}
    files.update({f"content/news/2024-06-{day:02d}-b{day}.md": article(
        f"B{day}", f"2024-06-{day:02d}", body=f"Body {day}.") for day in range(1, 29)})
    files["content/events/e.yaml"] = "title: Fair\nstart: 2027-07-06\ndescription: 'A *fair*.'\n"
    config = load_config(write_site(tmp_path, files))
    texts: list[str] = []
    stock = markup.render_markdown
    monkeypatch.setattr(markup, "render_markdown",
                        lambda text, **options: texts.append(text) or stock(text, **options))
    site = read_site(config, now=datetime(2026, 1, 1, tzinfo=UTC), jobs=jobs)
    if jobs == 1:  # (forked workers count in their own memory)
        assert sorted(texts) == sorted([a.markdown for a in site.articles] + ["A *fair*."])
    assert [a.html for a in site.articles][:1] == ["<p>Body 28.</p>"]
    assert site.events[0].html == "<p>A <em>fair</em>.</p>"


# Videos ------------------------------------------------------------------------------------

PLAYER_ATTRIBUTES = {
    # Loaded only as the reader nears it.
    "loading": "lazy",
    "referrerpolicy": "strict-origin-when-cross-origin", "allowfullscreen": "",
    "allow": "accelerometer; encrypted-media; gyroscope; picture-in-picture; fullscreen"}


@pytest.mark.parametrize(("page", "player"), [
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10",
     "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
])
def test_an_image_of_a_videos_page_on_its_own_line_is_the_videos_player(page, player):
    html = render_markdown(f"Watch it:\n\n![The launch, in two minutes]({page})\n\nMore.")
    [frame] = parse(html).find_all("iframe")
    assert frame.parent.name == "div" and frame.parent["class"] == ["video"]
    assert frame.attrs == {"src": player, "title": "The launch, in two minutes",
                           **PLAYER_ATTRIBUTES}


@pytest.mark.parametrize("frame", [
    '<iframe src="https://evil.example/embed/dQw4w9WgXcQ" title="x"></iframe>',
    '<iframe src="https://www.youtube-nocookie.com.evil.example/embed/dQw4w9WgXcQ"></iframe>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<iframe>text</iframe>",
])
def test_every_other_frame_is_removed_whole(frame):
    assert "iframe" not in render_markdown(f"Before.\n\n{frame}\n\nAfter.")


def test_a_players_frame_written_by_hand_keeps_only_what_a_player_needs():
    html = render_markdown('<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" '
                           'title="Launch" allow="camera; microphone" onload="steal()" '
                           'width="1"></iframe>')
    [frame] = parse(html).find_all("iframe")
    forced = {k: v for k, v in PLAYER_ATTRIBUTES.items() if k != "allowfullscreen"}
    assert frame.attrs == {"src": "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
                           "title": "Launch", **forced}


@pytest.mark.parametrize("text", [
    "Text ![inline](https://www.youtube.com/watch?v=dQw4w9WgXcQ) here.",
    "![A look-alike](https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ)",
    "![Not a video](https://www.youtube.com/channel/UCabc)",
])
def test_only_a_videos_own_page_on_a_line_of_its_own_becomes_a_player(text):
    assert "iframe" not in render_markdown(text)


@pytest.mark.parametrize("text", [
    "Plain words, [a link](https://example.org/) and *emphasis*.",
    "![Launch](https://www.youtube.com/watch?v=dQw4w9WgXcQ)",
    "<em>Allowed</em> HTML, a <table><tr><td>cell</td></tr></table> and <abbr title=x>y</abbr>.",
    "Maths: a < b and 2 > 1.",
])
def test_nothing_is_reported_removed_when_the_sanitiser_keeps_it_all(text):
    assert removed_by_sanitiser(text) == []


def test_what_the_sanitiser_takes_out_is_named_at_its_line():
    text = ("Intro.\n\n![Launch](https://vimeo.com/76979871)\n\n"
            '<iframe src="https://evil.example/"></iframe>\n\n<img src=x onerror="alert(1)">')
    assert removed_by_sanitiser(text) == [(4, "<iframe>"), (6, "onerror= on <img>")]
