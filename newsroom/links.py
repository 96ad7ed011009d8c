"""`check`: every internal link, anchor, image and asset of a rendered site must resolve, and
every lead image says what it shows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

from newsroom.build import BuildReport
from newsroom.config import SiteConfig
from newsroom.content import Article, Event, StaticPage, markdown_of
from newsroom.markup import srcset
from newsroom.pages import Page, Urls, site_urls
from newsroom.problems import Problem, site_path
from newsroom.site import Site

LINK_ATTRIBUTES = {"a": ("href",), "link": ("href",), "img": ("src", "srcset"),
                   "script": ("src",), "source": ("src", "srcset"), "iframe": ("src",),
                   "video": ("src", "poster"), "audio": ("src",)}


@dataclass(frozen=True)
class PageLinks:
    """The links a page makes and the ids it offers to links with a #fragment."""

    links: tuple[str, ...]
    ids: frozenset[str]


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = LINK_ATTRIBUTES.get(tag, ())
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.add(value)
            elif name == "srcset" and name in wanted:
                self.links += [url for url, *_ in srcset(value)]
            elif name in wanted:
                self.links.append(value.strip())

    handle_startendtag = handle_starttag


def page_links(html: str) -> PageLinks:
    """The links and ids of one HTML page."""
    parser = _LinkParser()
    parser.feed(html)
    parser.close()
    return PageLinks(tuple(parser.links), frozenset(parser.ids))


def check_links(report: BuildReport) -> tuple[list[Problem], int]:
    """Problems for links that lead nowhere in a built site, and the number checked.

    A broken link written in Markdown (or an article's image:) is reported at its line in
    the content file; one from the menu at the config; one from a template at the template.
    """
    site = report.site
    assert site is not None
    urls = site_urls(site)
    out = report.output_dir
    available = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    parsed = {path: page_links((out / path).read_text(encoding="utf-8"))
              for path in (urls.output_path(page.url) for page in report.planned)}
    records = _records_by_source(site.articles, site.events, site.pages)
    problems: dict[tuple, Problem] = {}
    checked = 0
    for page in report.planned:
        for link in parsed[urls.output_path(page.url)].links:
            checked += 1
            fault = _fault(link, page.url, urls, available, parsed)
            if fault is not None:
                problem = _place(link, fault, page, records, site.config)
                problems.setdefault((problem.path, problem.line, problem.message), problem)
    return sorted(problems.values()), checked


def lead_image_problems(site: Site) -> list[Problem]:
    """A lead image without image_alt, at its line: readers who cannot see it are told
    nothing of it. (image_alt: "" says that the picture is only decoration.)"""
    return [Problem(record.source, record.lines.get("image"),
                    "image: has no image_alt; say what the picture shows, for readers who "
                    "cannot see it (image_alt: \"Delegates at the opening session\"), or "
                    "write image_alt: \"\" if it is only decoration")
            for record in (*site.articles, *site.events)
            if record.image and record.image_alt is None]


def _fault(link: str, page_url: str, urls: Urls, available: set[str],
           parsed: dict[str, PageLinks]) -> str | None:
    """What is wrong with a link: '{link}' stands for the link as its author wrote it."""
    parts = urlsplit(link)
    if parts.scheme in ("mailto", "tel", "data") or (parts.scheme and not link.startswith(
            urls.base_url)):
        return None  # outside the site: not ours to check
    if link.startswith(urls.base_url):
        link = urls.base_path + link[len(urls.base_url):]
    target = urlsplit(urljoin(page_url, link))
    if not target.path.startswith(urls.base_path):
        return f"link {{link}} leads outside the site (which is under {urls.base_path})"
    path = urls.output_path(target.path)
    if path not in available:
        if path + "/index.html" not in available:
            return "broken link {link}"
        path = path + "/index.html"
    fragment = unquote(target.fragment)
    if fragment and path in parsed and fragment not in parsed[path].ids:
        return f"broken anchor {{link}} (no id '{fragment}' on that page)"
    return None


def _records_by_source(*groups: Iterable[Article | Event | StaticPage]
                       ) -> dict[str, list[Article | Event | StaticPage]]:
    found: dict[str, list[Article | Event | StaticPage]] = {}
    for group in groups:
        for record in group:
            found.setdefault(record.source, []).append(record)
    return found


def _place(link: str, fault: str, page: Page, records: dict, config: SiteConfig) -> Problem:
    base = config.base_path
    # Editors write site links without the base path; show them as written.
    written = "/" + link[len(base):] if base != "/" and link.startswith(base) else link
    image = _image_problem({link, written}, fault, records.get(page.source or "") or [
        r for group in records.values() for r in group])
    if image is not None:
        return image
    for record in records.get(page.source or "", ()):
        line = _line_in_markdown(record, {link, written})
        if line is not None:
            return Problem(record.source, line, fault.format(link=written))
    for item in config.menu:
        if item.url in (written, link):
            return Problem("site_config.yaml", None,
                           f"menu item '{item.title}': " + fault.format(link=item.url))
    template = next((folder / page.template for folder in config.template_folders
                     if (folder / page.template).is_file()), config.templates_dir / page.template)
    return Problem(site_path(template, config.root), None,
                   fault.format(link=link) + f" (on {page.url})")


def _image_problem(forms: set[str], fault: str,
                   records: Iterable[Article | Event | StaticPage]) -> Problem | None:
    """The problem at a record's image: line, when the link is its lead image (shown on its
    page, and in lists: on a page of no record's own, any record's)."""
    for record in records:
        if isinstance(record, Article | Event) and record.image in forms:
            return Problem(record.source, record.lines.get("image"), "image: " + fault.format(
                link=record.image) + " (put the file in content/media/ and write "
                "/media/its-name)")
    return None


def _line_in_markdown(record: Article | Event | StaticPage, forms: set[str]) -> int | None:
    """The file line where the Markdown of `record` writes the link in one of its forms."""
    text, first = markdown_of(record)
    for index, line in enumerate(text.split("\n")):
        if any(f"({w}" in line or f'"{w}"' in line or f"<{w}>" in line or f"]: {w}" in line
               or f"'{w}'" in line for w in forms):
            return first + index
    return None
