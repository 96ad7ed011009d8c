"""The built-in theme, and a site's own templates in front of it.

A site's `templates/` (or the folder `templates_dir:` names) holds only what it changes: a
template or static file there replaces the theme's file of the same name, and anything else
comes from the theme. An override can extend the theme's own version of the same template
as "theme/<name>" (`{% extends "theme/article.html" %}`) and change a single block.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from newsroom.cache import digest

# The name under which a template's built-in version is found, for an override to extend.
THEME_PREFIX = "theme"


def builtin_theme() -> Path:
    """The theme that ships with newsroom: newsroom/theme in an installed wheel, the
    checkout's top-level templates/ otherwise."""
    package = Path(__file__).resolve().parent
    installed = package / "theme"
    return installed if installed.is_dir() else package.parent / "templates"


def template_folders(site_templates: Path) -> tuple[Path, ...]:
    """Where templates are looked for, first found first: the site's own folder (when it
    has one, and it is not the theme itself), then the built-in theme."""
    theme = builtin_theme()
    if site_templates.is_dir() and site_templates.resolve() != theme:
        return (site_templates.resolve(), theme)
    return (theme,)


def loader(folders: tuple[Path, ...]) -> jinja2.BaseLoader:
    """The folders in order, and the built-in theme also under "theme/"."""
    return jinja2.ChoiceLoader([
        *(jinja2.FileSystemLoader(str(folder)) for folder in folders[:-1]),
        jinja2.PrefixLoader({THEME_PREFIX: jinja2.FileSystemLoader(str(folders[-1]))}),
        jinja2.FileSystemLoader(str(folders[-1]))])


def fingerprint(folders: tuple[Path, ...]) -> str:
    """A hash of every template (static files aside: they are copied, with keys of their
    own)."""
    return digest(*(f"{folder}:{path.relative_to(folder)}:{digest(path.read_bytes())}"
                    for folder in folders for path in sorted(folder.rglob("*"))
                    if path.is_file() and not path.is_relative_to(folder / "static")))
