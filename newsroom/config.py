"""Reading and checking site_config.yaml into a SiteConfig."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from newsroom import fields as f
from newsroom.cache import digest
from newsroom.problems import BuildError, Problem
from newsroom.theme import template_folders
from newsroom.yamlsource import YamlDoc, parse_yaml

CONFIG_NAME = "site_config.yaml"


@dataclass(frozen=True)
class MenuItem:
    """One link in the masthead menu."""

    title: str
    url: str


@dataclass(frozen=True)
class SiteConfig:
    """The validated site configuration; paths are absolute."""

    root: Path
    title: str
    description: str
    base_url: str
    language: str
    timezone: ZoneInfo
    author: str
    publisher: str
    news_title: str
    events_title: str
    menu: tuple[MenuItem, ...]
    per_page: int
    home_news: int
    home_events: int
    feed_limit: int
    feed_full_content: bool
    output_dir: Path
    output_dir_from: str
    templates_dir: Path  # the site's own templates, in front of the theme (may not exist)
    template_folders: tuple[Path, ...]  # where templates are looked for, first found first
    sanitize_html: bool
    copyright: str
    search: bool
    source: str
    fingerprint: str

    @property
    def base_path(self) -> str:
        """The path part of base_url, always ending in '/': '/' or '/site/'."""
        return urlsplit(self.base_url).path


MENU_SCHEMA: f.Schema = {
    "title": f.Field(f.text, required=True, example="News"),
    "url": f.Field(f.link, required=True, example="/news/"),
}

CONFIG_SCHEMA: f.Schema = {
    "title": f.Field(f.text, required=True, example="Our news"),
    "description": f.Field(f.text),
    "base_url": f.Field(f.web_url, required=True, example="https://news.example.org/"),
    "language": f.Field(f.language),
    "timezone": f.Field(f.timezone),
    "author": f.Field(f.text),
    "publisher": f.Field(f.text),
    "news_title": f.Field(f.text),
    "events_title": f.Field(f.text),
    "menu": f.Field(f.mapping_list),
    "per_page": f.Field(f.integer(1, 1000)),
    "home_news": f.Field(f.integer(0, 100)),
    "home_events": f.Field(f.integer(0, 100)),
    "feed_limit": f.Field(f.integer(1, 1000)),
    "feed_full_content": f.Field(f.boolean),
    "output_dir": f.Field(f.text),
    "templates_dir": f.Field(f.text),
    "sanitize_html": f.Field(f.boolean),
    "copyright": f.Field(f.text),
    "search": f.Field(f.boolean),
}


def load_config(path: Path, *, base_url: str | None = None, output_dir: Path | None = None,
                search: bool | None = None) -> SiteConfig:
    """Read site_config.yaml; raise BuildError with every problem found in it.

    `base_url`, `output_dir` and `search` given here (from the command line) win.
    """
    path = path.resolve()
    root = path.parent
    name = path.name
    raw = _read(path)
    doc = _parse(raw, name)
    values, menu = _checked_values(doc, name, base_url)
    site_url = _site_url(values["base_url"], doc, name, from_command_line=base_url is not None)
    templates_dir = _templates_dir(root, values, doc, name)
    title = values["title"]
    return SiteConfig(
        root=root,
        title=title,
        description=values.get("description", ""),
        base_url=site_url,
        language=values.get("language", "en-GB"),
        timezone=values.get("timezone", ZoneInfo("UTC")),
        author=values.get("author", title),
        publisher=values.get("publisher", title),
        news_title=values.get("news_title", "News"),
        events_title=values.get("events_title", "Events"),
        menu=menu,
        per_page=values.get("per_page", 10),
        home_news=values.get("home_news", 5),
        home_events=values.get("home_events", 3),
        feed_limit=values.get("feed_limit", 20),
        feed_full_content=values.get("feed_full_content", True),
        output_dir=(output_dir or root / values.get("output_dir", "public")).resolve(),
        output_dir_from="--output" if output_dir else name,
        templates_dir=templates_dir,
        template_folders=template_folders(templates_dir),
        sanitize_html=values.get("sanitize_html", True),
        copyright=values.get("copyright", ""),
        search=values.get("search", True) if search is None else search,
        source=name,
        # Everything records and pages derive from the config, in one value for cache keys.
        fingerprint=digest(raw, site_url, str(root), str(search)),
    )


def _read(path: Path) -> bytes:
    """The file's bytes; BuildError when it is missing or cannot be read."""
    name = path.name
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise BuildError([Problem(name, None, f"no {name} here (run newsroom in the site's "
                                              "folder or pass --config path/to/site_config.yaml)")
                          ]) from None
    except OSError as error:
        raise BuildError([Problem(name, None, f"cannot read: {error.strerror}")]) from None


def _parse(raw: bytes, name: str) -> YamlDoc:
    """The YAML document in the file's bytes; BuildError when it is not UTF-8, not YAML or
    empty."""
    try:
        source = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BuildError([Problem(name, None, f"is not UTF-8 text (byte {error.start}); save "
                                              "it as UTF-8")]) from None
    doc, problems = parse_yaml(source, name)
    if doc is None:
        raise BuildError(problems)
    if doc.data is None:
        raise BuildError([Problem(name, 1, "is empty (write title:, base_url: and the other "
                                           "settings from the README)")])
    return doc


def _checked_values(doc: YamlDoc, name: str, base_url: str | None
                    ) -> tuple[dict[str, Any], tuple[MenuItem, ...]]:
    """The settings checked against the schema, with `base_url` put in, and the menu;
    BuildError with every problem found in them."""
    checked = f.check_fields(doc.data, CONFIG_SCHEMA, doc, (), name)
    problems = list(checked.problems)
    values = checked.values
    if base_url is not None:
        try:
            values["base_url"] = f.web_url(base_url)
        except f.FieldError as error:
            problems.append(Problem("--base-url", None, str(error)))
    menu = []
    for index, item in enumerate(values.get("menu", [])):
        menu_item = f.check_fields(item, MENU_SCHEMA, doc, ("menu", index), name,
                                   label=f"menu item {index + 1}")
        problems.extend(menu_item.problems)
        if not menu_item.problems:
            menu.append(MenuItem(**menu_item.values))
    if problems:
        raise BuildError(problems)
    return values, tuple(menu)


def _templates_dir(root: Path, values: dict[str, Any], doc: YamlDoc, name: str) -> Path:
    """The site's own templates folder: optional, but one named in the config must exist."""
    folder = (root / values.get("templates_dir", "templates")).resolve()
    if "templates_dir" in values and not folder.is_dir():
        raise BuildError([Problem(name, doc.line(("templates_dir",)), f"templates_dir: "
                                  f"{values['templates_dir']} is not a folder; create it for "
                                  "the templates you change, or delete the line to use the "
                                  "built-in theme as it is")])
    return folder


def _site_url(base_url: str, doc: YamlDoc, name: str, *, from_command_line: bool) -> str:
    """The checked base_url, ending in '/'; BuildError when it has a query or fragment."""
    parts = urlsplit(base_url)
    if parts.query or parts.fragment:
        where, line = ("--base-url", None) if from_command_line else (
            name, doc.line(("base_url",)))
        raise BuildError([Problem(where, line, "base_url: may not have ? or # "
                                  "parts (write https://news.example.org/ or .../site/)")])
    if not parts.path.endswith("/"):
        return base_url + "/"
    return base_url
