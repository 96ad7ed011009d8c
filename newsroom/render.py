"""Rendering planned pages with Jinja2; template errors name the template line and the content."""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from newsroom import timefmt
from newsroom.markup import reading_minutes
from newsroom.pages import Page, Urls, article_summary, attendance_mode, event_summary
from newsroom.problems import BuildError, Problem, site_path
from newsroom.site import Site

# Called as progress(stage, done, total) while a long stage runs; the CLI draws it.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Output:
    """A file of the built site: its path inside the output folder and its bytes."""

    path: str
    data: bytes


def make_environment(templates_dir: Path) -> jinja2.Environment:
    """A Jinja2 environment that escapes HTML and XML and refuses undefined names."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=jinja2.select_autoescape(("html", "xml")),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        long_date=timefmt.long_date,
        full_day=timefmt.full_day,
        iso=timefmt.iso,
        event_range=lambda e: timefmt.event_range(e.start, e.end, e.all_day),
        jsonld=_jsonld,
    )
    env.globals.update(article_summary=article_summary, event_summary=event_summary,
                       attendance_mode=attendance_mode, reading_minutes=reading_minutes)
    return env


def _jsonld(data: Any) -> Markup:
    # Escape <, > and & so no value can close the <script> element it sits in.
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def render_pages(pages: list[Page], site: Site, urls: Urls,
                 progress: Progress | None = None) -> list[Output]:
    """Render every page; raise BuildError with every template problem found."""
    config = site.config
    if not config.templates_dir.is_dir():
        raise BuildError([Problem(site_path(config.templates_dir, config.root), None,
                                  "no templates folder here (copy templates/ from newsroom or "
                                  "set templates_dir: in site_config.yaml)")])
    env = make_environment(config.templates_dir)
    env.globals.update(site=site, config=config, url=urls)
    outputs: list[Output] = []
    problems: list[Problem] = []
    cache: dict[str, jinja2.Template] = {}
    for done, page in enumerate(pages, 1):
        if progress:
            progress("render", done, len(pages))
        try:
            template = cache.get(page.template) or env.get_template(page.template)
            cache[page.template] = template
            html = template.render(page.context)
        except jinja2.TemplateSyntaxError as error:
            problem = Problem(_template_path(error.filename, config), error.lineno,
                              f"template syntax error: {error.message}")
            if problem not in problems:
                problems.append(problem)
            continue
        except jinja2.TemplateNotFound as error:
            problem = Problem(site_path(config.templates_dir, config.root), None,
                              f"template '{error.name}' is missing; add it")
            if problem not in problems:
                problems.append(problem)
            continue
        except Exception as error:  # a template's runtime error, reported with its place
            problems.append(_runtime_problem(error, page, config))
            continue
        outputs.append(Output(urls.output_path(page.url), html.encode("utf-8")))
    if problems:
        raise BuildError(problems)
    return outputs


def _template_path(filename: str | None, config: Any) -> str:
    if not filename:
        return "templates"
    return site_path(Path(filename).resolve(), config.root)


def _runtime_problem(error: Exception, page: Page, config: Any) -> Problem:
    templates = str(config.templates_dir)
    place, line = "templates", None
    # Jinja rewrites tracebacks so template frames carry the template's file and line.
    for frame, lineno in traceback.walk_tb(sys.exc_info()[2]):
        filename = frame.f_code.co_filename
        if filename.startswith(templates):
            place, line = _template_path(filename, config), lineno
    message = str(error) or type(error).__name__
    if isinstance(error, jinja2.UndefinedError):
        message = message.replace("'newsroom.content.", "'").replace(" object'", "'")
    where = f" (while rendering {page.source})" if page.source else f" (while rendering {page.url})"
    return Problem(place, line, f"{message}{where}")
