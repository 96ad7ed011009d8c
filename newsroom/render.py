"""Rendering planned pages with Jinja2; template errors name the template line and the content."""

from __future__ import annotations

import contextlib
import copyreg
import dataclasses
import io
import json
import pickle
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from newsroom import i18n, recurrence, theme, timefmt
from newsroom.bulletin import Bulletin, Email
from newsroom.cache import Memo, code_fingerprint, digest
from newsroom.config import SiteConfig
from newsroom.content import Article, Event, StaticPage
from newsroom.i18n import Language
from newsroom.images import Pictures, picture_html, with_pictures
from newsroom.markup import reading_minutes, renderer_settings
from newsroom.output import Entry, Staging
from newsroom.pages import (
    Page,
    Urls,
    article_summary,
    attendance_mode,
    bulletin_heading,
    event_summary,
    previous_range,
    share_image,
    site_urls,
    status_label,
    status_text,
)
from newsroom.problems import BuildError, Problem, site_path
from newsroom.site import Byline, Site
from newsroom.workers import parallel_map

# Called as progress(stage, done, total) while a long stage runs; the CLI draws it.
Progress = Callable[[str, int, int], None]


def make_environment(folders: tuple[Path, ...]) -> jinja2.Environment:
    """A Jinja2 environment that escapes HTML and XML and refuses undefined names."""
    env = jinja2.Environment(
        loader=theme.loader(folders),
        extensions=["jinja2.ext.i18n"],
        autoescape=jinja2.select_autoescape(("html", "xml")),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Not a look at every template file for every page: an edited template gives
        # another fingerprint, and so a new environment (see prepare).
        auto_reload=False,
    )
    env.filters.update(iso=timefmt.iso, jsonld=_jsonld)
    env.globals.update(article_summary=article_summary, attendance_mode=attendance_mode,
                       reading_minutes=reading_minutes)
    return env


def _speak(env: jinja2.Environment, language: Language) -> None:
    """Give the templates the site's language: its strings (`_`, `ngettext`), its dates
    and times, and what is said in it."""
    env.install_gettext_translations(language.translations, newstyle=True)
    env.filters.update(
        long_date=language.long_date,
        month=language.month,
        event_range=lambda e: timefmt.event_range(e.start, e.end, e.all_day, language),
        previous_range=partial(previous_range, language=language),
        repeats=lambda e: recurrence.describe(e.rrule, e.timezone, language),
    )
    env.globals.update(direction=language.direction,
                       event_summary=partial(event_summary, language=language),
                       status_text=partial(status_text, language=language),
                       status_label=partial(status_label, language=language))


def _byline(bylines: Sequence[Byline], urls: Urls, language: Language) -> Markup:
    """The authors as the site's language lists them ('Ada, Grace and Bob'), each with a
    profile linked to their page."""
    parts = [Markup('<a href="{}" rel="author">{}</a>').format(urls.author(b), b.name)
             if b.slug else escape(b.name) for b in bylines]
    # The language's list of stand-ins, escaped, then the parts put in their places.
    stand_ins = [f"\x00{index}\x00" for index in range(len(parts))]
    html = escape(language.names(stand_ins))
    for stand_in, part in zip(stand_ins, parts, strict=True):
        html = html.replace(stand_in, part)
    return Markup(html)


def _jsonld(data: Any) -> Markup:
    # Escape <, > and & so no value can close the <script> element it sits in.
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


@dataclass(frozen=True)
class RenderJob:
    """What the processes that render pages share; each loads the templates itself (see
    environment), so that a job can be sent to a worker started by spawn."""

    pages: tuple[Page, ...]
    paths: tuple[str, ...]  # each page's file in the output folder
    config: SiteConfig
    urls: Urls
    archive: tuple[tuple[int, int], ...]  # (year, articles) of the archive
    templates: str  # a hash of the templates folder
    site_key: str  # a hash of what every page is made from besides its own context
    pictures: Pictures = Pictures()  # the site's images, as <picture>s show them
    # What every page's own content (its record's part) is made from besides the record:
    # the site key without what only the frame of a page shows (the archive's years).
    content_key: str = ""
    staging: Staging | None = None


def prepare(pages: Sequence[Page], config: SiteConfig, urls: Urls,
            archive: tuple[tuple[int, int], ...], pictures: Pictures | None = None
            ) -> RenderJob:
    """The job of rendering `pages`, with the key of everything all pages share."""
    templates = theme.fingerprint(config.template_folders)
    # Record HTML comes from the Markdown renderer: its settings and versions go in too.
    # Pictures are shared too: a changed image makes every page again (they are few and
    # rarely change; knowing each page's would cost every page's key a look at its HTML).
    content_key = digest(code_fingerprint(), templates, config.fingerprint,
                         renderer_settings(config), pictures.fingerprint if pictures else "")
    site_key = digest(content_key, repr(archive))
    return RenderJob(tuple(pages), tuple(urls.output_path(page.url) for page in pages),
                     config, urls, archive, templates, site_key, pictures or Pictures(),
                     content_key)


# This process's templates, by folder and fingerprint (a preview builds again and again: it
# keeps them compiled while they are the same), and the job they were last set up for.
_environments: dict[tuple[str, str], jinja2.Environment] = {}
_set_up_for: list[RenderJob] = []


def environment(job: RenderJob) -> jinja2.Environment:
    """The job's templates, with the site's globals and shared parts: loaded once per
    process, set up once per job."""
    env = _loaded(job.config, job.templates)
    if not _set_up_for or _set_up_for[0] is not job:
        _speak(env, i18n.language(job.config.language, job.config.root))
        env.globals.update(config=job.config, params=job.config.params, url=job.urls,
                           archive=job.archive,
                           byline=partial(_byline, urls=job.urls, language=i18n.language(
                               job.config.language, job.config.root)))
        env.globals.update(_pictures(job.pictures, job.urls))
        env.globals.update(_shared_parts(env, job.config, job.urls, job.archive))
        _set_up_for[:] = [job]
    return env


def bulletin_email(site: Site, bulletin: Bulletin, web: str) -> Email:
    """A bulletin as e-mail, from the theme's email/bulletin.html and email/bulletin.txt
    (a site's own templates may replace them); `web` is the address of its web version."""
    config, language, urls = site.config, site.language, site_urls(site)
    env = _loaded(config, theme.fingerprint(config.template_folders))
    _speak(env, language)
    subject = f"{config.title}: {bulletin_heading(bulletin, language)}"

    def image_of(record: Article | Event) -> str:
        shown = share_image(record, site, urls)
        return shown.url if shown else ""

    names = {"config": config, "params": config.params, "url": urls, "bulletin": bulletin,
             "web": web, "subject": subject, "image_of": image_of}
    return Email(subject, env.get_template("email/bulletin.html").render(names),
                 env.get_template("email/bulletin.txt").render(names))


def load_templates(config: SiteConfig) -> None:
    """Compile the site's templates in this process before it starts the workers that
    render: started by fork, they find them compiled, instead of each compiling them. (The
    built-in ones under theme/ are compiled when a template extends them.) A template's
    problems are left to rendering, which reports them with the page."""
    env = _loaded(config, theme.fingerprint(config.template_folders))
    _speak(env, i18n.language(config.language, config.root))  # (the filters they name)
    for name in env.list_templates(extensions=("html",)):
        if not name.startswith("theme/"):
            with contextlib.suppress(jinja2.TemplateError):
                env.get_template(name)


def _loaded(config: SiteConfig, templates: str) -> jinja2.Environment:
    """This process's environment for the config's template folders as they are now (their
    fingerprint: `templates`)."""
    folder = (str(config.template_folders), templates)
    env = _environments.get(folder)
    if env is None:
        env = make_environment(config.template_folders)
        _environments.clear()
        _environments[folder] = env
    return env


def _rendered_once(env: jinja2.Environment, template: str) -> Callable[..., Markup]:
    """`template` rendered with the given names, once per process for each set of values
    (told apart by identity; each is kept, so that its identity stays its own)."""
    made: dict[tuple[int, ...], tuple[tuple[Any, ...], Markup]] = {}

    def render(**names: Any) -> Markup:
        key = tuple(map(id, names.values()))
        found = made.get(key)
        if found is None:
            html = Markup(env.get_template(template).render(names))
            found = made[key] = (tuple(names.values()), html)
        return found[1]

    return render


def _pictures(pictures: Pictures, urls: Urls) -> dict[str, Any]:
    """The templates' helpers for pictures (see images.picture_html):

    `picture(link, alt, sizes, lazy=True, css_class="")`: the <picture> of a site's image
    (any other as a plain <img>).
    `pictured(html, sizes, lazy_first=True)`: an article's HTML with its images so.
    """

    def picture(link: str, alt: str, sizes: str, lazy: bool = True, css_class: str = ""
                ) -> Markup:
        href = urls.site_link(link)
        found = pictures.of(href, urls.base_path)
        if found is None:
            loading = ' loading="lazy"' if lazy else ""
            img = (f'<img src="{escape(href)}" alt="{escape(alt)}" decoding="async"'
                   f"{loading}>")
            return Markup(f'<picture class="{escape(css_class)}">{img}</picture>'
                          if css_class else img)
        return Markup(picture_html(found, urls.asset, alt, sizes=sizes, lazy=lazy,
                                   css_class=css_class))

    def pictured(fragment: str, sizes: str, lazy_first: bool = True) -> Markup:
        return Markup(with_pictures(fragment, pictures, urls.base_path, urls.asset,
                                    sizes=sizes, lazy_first=lazy_first))

    return {"picture": picture, "pictured": pictured}


def _shared_parts(env: jinja2.Environment, config: SiteConfig, urls: Urls,
                  archive: tuple) -> dict[str, Any]:
    """The helpers for parts many pages show alike, each rendered once per process:

    `article_card(item, level, lazy=True)`: an article is shown in many lists (news, its
    category, tags and year, the home page, events), and its card is the same in each (but
    for its picture's loading: not lazy when it is the first of a page).
    `archive_nav(canonical)`: the years of the archive, on every list page, the same but
    for the year (if any) whose page it is on.
    `masthead(canonical)`: the site's name, menu and search box, on every page, the same
    but for the menu item (if any) whose page it is on.
    `site_footer()`: the same on every page.
    `site_head()`: the stylesheet, icon, script and site-wide social tags of every <head>.
    """
    card = _rendered_once(env, "partials/article_card.html")
    nav = _rendered_once(env, "partials/archive_nav.html")
    header = _rendered_once(env, "partials/masthead.html")
    footer = _rendered_once(env, "partials/footer.html")
    head = _rendered_once(env, "partials/site_head.html")
    year_of = {urls.absolute(urls.year(year)): year for year, _ in archive}
    menu_of: dict[str, str] = {}
    for item in config.menu:
        href = urls.site_link(item.url)
        menu_of.setdefault(urls.absolute(href), href)

    def article_card(item: Article, level: int = 3, lazy: bool = True) -> Markup:
        return card(item=item, level=level, lazy=lazy)

    def archive_nav(canonical: str) -> Markup:
        return nav(current=year_of.get(canonical))

    def masthead(canonical: str) -> Markup:
        return header(current=menu_of.get(canonical))

    def site_footer() -> Markup:
        return footer()

    def site_head() -> Markup:
        return head()

    return {"article_card": article_card, "archive_nav": archive_nav, "masthead": masthead,
            "site_footer": site_footer, "site_head": site_head}


def page_keys(job: RenderJob, jobs: int = 1, memo: Memo | None = None) -> list[str]:
    """The key of every page, computed over `jobs` processes.

    With a memo (the preview's), a page planned last time (the very same object, see
    pages.plan_pages) keeps the key it had, as long as what all pages share is the same.
    """
    if memo is None:
        return parallel_map(_keys_chunk, range(len(job.pages)), jobs, job)[0]
    memo.begin(job.site_key)
    keys = [memo.known((id(page),)) for page in job.pages]
    missing = [i for i, key in enumerate(keys) if key is None]
    for i, key in zip(missing, parallel_map(_keys_chunk, missing, jobs, job)[0], strict=True):
        memo.put((id(job.pages[i]),), (job.pages[i],), key)
        keys[i] = key
    return keys


def remember_keys(job: RenderJob, keys: list[str], memo: Memo) -> None:
    """Keep the keys the workers worked out as they rendered (see render_pages) in the
    memo, as page_keys would have."""
    memo.begin(job.site_key)
    for page, key in zip(job.pages, keys, strict=True):
        memo.put((id(page),), (page,), key)


def _keys_chunk(indexes: Sequence[int], job: RenderJob) -> list[str]:
    return [page_key(job.pages[i], job.site_key) for i in indexes]


def render_pages(job: RenderJob, keys: list[str], staging: Staging, jobs: int = 1,
                 progress: Progress | None = None,
                 meanwhile: Callable[[], Any] | None = None) -> tuple[int, list[str], Any]:
    """Put every page into the staging folder: linked if unchanged, else rendered.

    Without `keys` (none worked out before: an empty list), each page's key is worked out
    by the worker that renders it. `meanwhile()` runs in this process while the workers
    render. Return how many were rendered, every page's key and what `meanwhile` gave;
    raise BuildError with every template problem.
    """
    kept, todo = _kept_and_todo(job, keys, staging)
    todo, lead = _lists_first(job, todo, jobs)
    results, aside = parallel_map(
        _render_chunk, todo, jobs, dataclasses.replace(job, staging=staging),
        progress=lambda done, total: progress and progress("render", done, total), lead=lead,
        meanwhile=meanwhile)
    made, all_keys, fresh = _collected(todo, results, keys or [""] * len(job.paths))
    staging.record(kept + made)
    return fresh, all_keys, aside


# A page to render, by its index in the job, with its key ("" when the worker works it out).
PageToRender = tuple[int, str]


def _kept_and_todo(job: RenderJob, keys: list[str], staging: Staging
                   ) -> tuple[list[Entry], list[PageToRender]]:
    """Pages the new output already holds as they are need no worker (most of a preview's):
    their entries, and the pages that do need one."""
    kept: list[Entry] = []
    todo: list[PageToRender] = []
    for index, path in enumerate(job.paths):
        key = keys[index] if keys else ""
        entry = staging.reusable(path, key) if key else None
        if entry is None:
            todo.append((index, key))
        else:
            kept.append(entry)
    return kept, todo


def _lists_first(job: RenderJob, todo: list[PageToRender], jobs: int
                 ) -> tuple[list[PageToRender], int]:
    """The pages to render, the lists first if they go to one process together, and how many
    lead (0 when they do not)."""
    # Lists (the pages made from no file of their own) show cards of articles, rendered once
    # per process: given to one process together (the first chunk), each card is rendered
    # once, not once in every process. Unless they are so many that that process would be
    # last to finish.
    lists = [item for item in todo if job.pages[item[0]].source is None]
    lead = len(lists) if len(lists) * jobs <= len(todo) else 0
    if lead:
        todo = lists + [item for item in todo if job.pages[item[0]].source is not None]
    return todo, lead


def _collected(todo: list[PageToRender], results: list[tuple[Entry | Problem, bool]],
               keys: list[str]) -> tuple[list[Entry], list[str], int]:
    """What the workers made, in the pages' order: the entries, every page's key (`keys`
    with those worked out filled in) and how many pages were rendered; raise BuildError
    with every template problem."""
    problems: list[Problem] = []
    made: list[Entry] = []
    all_keys = list(keys)
    fresh = 0
    # (Problems are reported in the pages' order.)
    for (index, _), (result, was_rendered) in sorted(zip(todo, results, strict=True),
                                                     key=lambda pair: pair[0][0]):
        if isinstance(result, Problem):
            if result not in problems:
                problems.append(result)
        else:
            made.append(result)
            all_keys[index] = result[1]
            fresh += was_rendered
    if problems:
        raise BuildError(problems)
    return made, all_keys, fresh


def _render_chunk(items: Sequence[PageToRender], job: RenderJob
                  ) -> list[tuple[Entry | Problem, bool]]:
    """Each page put into the staging folder (True: rendered), or its template problem."""
    assert job.staging is not None
    env = environment(job)
    results: list[tuple[Entry | Problem, bool]] = []
    for index, known in items:
        page, path = job.pages[index], job.paths[index]
        key = known or page_key(page, job.site_key)
        # (A key worked out here may name a page the new output already holds.)
        kept = None if known else job.staging.reusable(path, key)
        if kept is not None or path not in job.staging.stale:
            results.append((kept or job.staging.put(path, key), False))
            continue
        html = _rendered(env, page, job.config)
        if isinstance(html, Problem):
            results.append((html, False))
        else:
            results.append((job.staging.put(path, key, html.encode("utf-8")), True))
    return results


def _rendered(env: jinja2.Environment, page: Page, config: SiteConfig) -> str | Problem:
    """The page's HTML, or the problem with its template, at the template's line."""
    try:
        return env.get_template(page.template).render(page.context)
    except jinja2.TemplateSyntaxError as error:
        return Problem(_template_path(error.filename, config), error.lineno,
                       f"template syntax error: {error.message}")
    except jinja2.TemplateNotFound as error:
        return Problem(site_path(config.templates_dir, config.root), None,
                       f"template '{error.name}' is missing; add it")
    except Exception as error:  # a template's runtime error, reported with its place
        return _runtime_problem(error, page, config)


_RECORDS = (Article, Event, StaticPage)


def _record_named(kind: str, fingerprint: str, html_size: int) -> None:
    """What a record stands for in a page key (never called: keys are never unpickled)."""


def _name_record(record: Any) -> tuple[Any, ...]:
    if not record.fingerprint:
        return record.__reduce_ex__(5)
    return _record_named, (type(record).__name__, record.fingerprint, len(record.html))


# Records are named by their fingerprint (a hash of their source and the config) rather than
# pickled whole: the key stays small. Only records reach Python code; the rest of a page is
# pickled at C speed.
_SIGNATURE_TABLE = {**copyreg.dispatch_table, **{cls: _name_record for cls in _RECORDS}}


def page_key(page: Page, site_key: str) -> str:
    """A hash of everything a page's HTML is made from: same key, same bytes."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.dispatch_table = _SIGNATURE_TABLE
    pickler.fast = True  # no memo: equal values give equal bytes, however they are shared
    pickler.dump((page.template, page.url, page.context))
    return digest(site_key, buffer.getvalue())


def _template_path(filename: str | None, config: Any) -> str:
    if not filename:
        return "templates"
    return site_path(Path(filename).resolve(), config.root)


def _runtime_problem(error: Exception, page: Page, config: Any) -> Problem:
    folders = tuple(str(folder) for folder in config.template_folders)
    place, line = "templates", None
    # Jinja rewrites tracebacks so template frames carry the template's file and line.
    for frame, lineno in traceback.walk_tb(sys.exc_info()[2]):
        filename = frame.f_code.co_filename
        if filename.startswith(folders):
            place, line = _template_path(filename, config), lineno
    message = str(error) or type(error).__name__
    if isinstance(error, jinja2.UndefinedError):
        message = message.replace("'newsroom.content.", "'").replace(" object'", "'")
    where = f" (while rendering {page.source})" if page.source else f" (while rendering {page.url})"
    return Problem(place, line, f"{message}{where}")
