"""Reading and checking site_config.yaml into a SiteConfig."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from newsroom import fields as f
from newsroom import i18n
from newsroom.cache import digest
from newsroom.problems import BuildError, Problem
from newsroom.slugs import term_slug
from newsroom.theme import template_folders
from newsroom.yamlsource import YamlDoc, parse_yaml

CONFIG_NAME = "site_config.yaml"


@dataclass(frozen=True)
class MenuItem:
    """One link in the masthead menu."""

    title: str
    url: str


@dataclass(frozen=True)
class Category:
    """A category the site declares: its name as readers see it, and what it is about."""

    name: str
    description: str = ""


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
    # At most this many pages, on average, in one partition of the search index (search.py).
    search_partition_pages: int
    share_cards: bool  # a picture for social networks of each article and event without one
    source: str
    fingerprint: str
    # The `params:` mapping, for templates: any keys and values, as the YAML has them (the
    # theme's own keys checked). Not hashed: a dict cannot be, and the fingerprint covers it.
    params: dict[str, Any] = field(default_factory=dict, hash=False)
    # The categories the site declares (none: any category is allowed).
    categories: tuple[Category, ...] = ()
    # The WebSub hub every feed names, for readers to hear of new items at once ("": none).
    websub_hub: str = ""

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
    "websub_hub": f.Field(f.web_url),
    "search": f.Field(f.boolean),
    "search_partition_pages": f.Field(f.integer(1, 1_000_000)),
    "share_cards": f.Field(f.boolean),
    "params": f.Field(f.mapping),
    "categories": f.Field(f.mapping_list),
}

# The keys of `params:` the built-in theme uses, checked; any others are the site's own.
THEME_PARAMS_SCHEMA: f.Schema = {
    "logo": f.Field(f.link),
    "footer_text": f.Field(f.text),
    "social": f.Field(f.mapping_list),
    # Share cards: their background (the theme's --brand), and a font for headlines in
    # letters Pillow's own font lacks.
    "share_card_colour": f.Field(f.colour, example='"#0b5d7a"'),
    "share_card_font": f.Field(f.text, example="fonts/NotoSans-Bold.ttf"),
}

SOCIAL_SCHEMA: f.Schema = {
    "name": f.Field(f.text, required=True, example="Mastodon"),
    "url": f.Field(f.link, required=True, example="https://mastodon.social/@ournews"),
}

CATEGORY_SCHEMA: f.Schema = {
    "name": f.Field(f.text, required=True, example="Guides"),
    "description": f.Field(f.text),
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
    values = _checked_values(doc, name, base_url)
    site_url = _site_url(values["base_url"], doc, name, from_command_line=base_url is not None)
    templates_dir = _templates_dir(root, values, doc, name)
    language = _language(values.get("language", "en-GB"), root, doc, name)
    title = values["title"]
    return SiteConfig(
        root=root,
        title=title,
        description=values.get("description", ""),
        base_url=site_url,
        language=language.tag,
        timezone=values.get("timezone", ZoneInfo("UTC")),
        author=values.get("author", title),
        publisher=values.get("publisher", title),
        news_title=values.get("news_title", language.gettext("News")),
        events_title=values.get("events_title", language.gettext("Events")),
        menu=values["menu"],
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
        search_partition_pages=values.get("search_partition_pages", 1500),
        share_cards=values.get("share_cards", True),
        source=name,
        # Everything records and pages derive from the config (the language's catalogues
        # too), in one value for cache keys.
        fingerprint=digest(raw, site_url, str(root), str(search), language.fingerprint),
        params=values["params"],
        categories=values["categories"],
        websub_hub=values.get("websub_hub", ""),
    )


def _declared_names(config: SiteConfig) -> dict[str, str]:
    """The declared categories' names by term slug (how categories are told apart: case and
    punctuation aside)."""
    return {term_slug(category.name): category.name for category in config.categories}


def close_category(name: str, known: Mapping[str, str]) -> str | None:
    """The name in `known` (names by term slug) that `name` is probably a slip of: close as
    written, or close once case and punctuation are set aside."""
    near = f.near_miss(name, known.values())
    if near is None:
        near_slug = f.near_miss(term_slug(name), known)
        near = known[near_slug] if near_slug else None
    return near


def site_category(config: SiteConfig, name: str | None) -> tuple[str | None, str | None]:
    """A record's category as the site spells it (a declared category's own name), and what
    is wrong with it: once the site declares its categories, any other is a mistake."""
    if name is None or not config.categories:
        return name, None
    declared = _declared_names(config)
    spelt = declared.get(term_slug(name))
    if spelt is not None:
        return spelt, None
    near = close_category(name, declared)
    hint = f"did you mean '{near}'?" if near else (
        f"write one of: {', '.join(sorted(declared.values(), key=str.lower))}; or add it to "
        f"categories: in {config.source}")
    return None, f"category: '{name}' is not one of the site's categories ({hint})"


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


def _checked_values(doc: YamlDoc, name: str, base_url: str | None) -> dict[str, Any]:
    """The settings checked against the schema, with `base_url` put in and the menu, params
    and categories checked in turn; BuildError with every problem found in them."""
    checked = f.check_fields(doc.data, CONFIG_SCHEMA, doc, (), name)
    problems = list(checked.problems)
    values = checked.values
    if base_url is not None:
        try:
            values["base_url"] = f.web_url(base_url)
        except f.FieldError as error:
            problems.append(Problem("--base-url", None, str(error)))
    values["menu"] = _menu(values.get("menu", []), doc, name, problems)
    values["params"] = _params(values.get("params", {}), doc, name, problems)
    values["categories"] = _categories(values.get("categories", []), doc, name, problems)
    if problems:
        raise BuildError(problems)
    return values


def _menu(items: list[Any], doc: YamlDoc, name: str, problems: list[Problem]
          ) -> tuple[MenuItem, ...]:
    """The menu's items, each checked; the problems of those that are wrong go in
    `problems`."""
    menu, found = f.check_items(items, MENU_SCHEMA, doc, ("menu",), name, "menu item")
    problems.extend(found)
    return tuple(MenuItem(**values) for _, values in menu)


def _params(params: dict[Any, Any], doc: YamlDoc, name: str, problems: list[Problem]
            ) -> dict[Any, Any]:
    """`params:` as it is, but for the keys the theme uses, checked (and their text trimmed):
    any other key is the site's own, for its own templates."""
    theme_keys = {key: value for key, value in params.items() if key in THEME_PARAMS_SCHEMA}
    checked = f.check_fields(theme_keys, THEME_PARAMS_SCHEMA, doc, ("params",), name,
                             label="params")
    problems.extend(checked.problems)
    values = checked.values
    if "social" in values:
        values["social"] = _social_links(values["social"], doc, name, problems)
    return {**params, **values}


def _social_links(items: list[Any], doc: YamlDoc, name: str, problems: list[Problem]
                  ) -> list[dict[str, str]]:
    """params.social: each link a name: and a url:, checked at its line."""
    links = []
    for index, item in enumerate(items):
        link = f.check_fields(item, SOCIAL_SCHEMA, doc, ("params", "social", index), name,
                              label=f"params: social link {index + 1}")
        problems.extend(link.problems)
        links.append(link.values)
    return links


def _categories(items: list[Any], doc: YamlDoc, name: str, problems: list[Problem]
                ) -> tuple[Category, ...]:
    """The declared categories, each checked at its line; a name declared twice (told apart
    as categories are, by their address) is a problem at the second."""
    declared: list[Category] = []
    first_line: dict[str, int] = {}
    for index, item in enumerate(items):
        key = ("categories", index)
        category = _category(item, doc, key, name, problems)
        if category is None:
            continue
        slug, line = term_slug(category.name), doc.line(key)
        if slug in first_line:
            problems.append(Problem(name, line, f"category {index + 1}: '{category.name}' is "
                                    f"declared twice (first on line {first_line[slug]}); keep "
                                    "one"))
        else:
            first_line[slug] = line
            declared.append(category)
    return tuple(declared)


def _category(item: Any, doc: YamlDoc, key: tuple[str, int], name: str,
              problems: list[Problem]) -> Category | None:
    """One item of `categories:`: a name, or name: and description: lines."""
    label = f"category {key[1] + 1}"
    if isinstance(item, dict):
        checked = f.check_fields(item, CATEGORY_SCHEMA, doc, key, name, label=label)
        problems.extend(checked.problems)
        return None if checked.problems else Category(**checked.values)
    try:
        return Category(f.text(item))
    except f.FieldError as error:
        what = str(error) if isinstance(item, str) else (
            "is empty" if item is None else f"{item!r} is not a name")
        problems.append(Problem(name, doc.line(key), f"{label}: {what} (write a name such "
                                "as - Guides, or name: and description: lines)"))
        return None


def _language(tag: str, root: Path, doc: YamlDoc, name: str) -> i18n.Language:
    """The site's language, with its catalogues; BuildError at the line of `language:` when
    newsroom does not know it."""
    try:
        return i18n.language(tag, root)
    except BuildError as error:
        raise BuildError([Problem(name, doc.line(("language",)), problem.message)
                          if problem.path == "site_config.yaml" else problem
                          for problem in error.problems]) from None


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
