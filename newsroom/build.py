"""The pipeline, top to bottom. Each stage is a function that hands the next what it made;
none reaches back.

    load_config    site_config.yaml, checked                             config.py
    read_site      content/ read and checked, its Markdown rendered,     content.py, markup.py,
                   its pictures resized, the site assembled, share       images.py, site.py
                   cards drawn
    plan_outputs   every file of the site with a key of what it is       pages.py, render.py,
                   made from: pages, feeds and calendars, sitemap and    feeds.py
                   robots.txt, media and static files
    Staging.plan   the new output folder beside the current one, which   output.py
                   keeps every file whose key is unchanged
    write_outputs  what changed made: pages rendered over the workers,   render.py, feeds.py
                   feeds and calendars beside them
    index_search   the search index, when a page changed                 search.py
    Staging.commit the new output swapped in whole                       output.py

Where a new output plugs in: a page (an author's page, say) is planned in pages.plan_pages
and rendered from a template; a feed made from the whole site (a JSON feed, say) is an entry
of feeds.all_feeds, with what it is made from and how to make it. Neither changes this file.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from newsroom import feeds, images, markup, render, search
from newsroom.cache import Caches, Store, digest, open_caches, open_store, save_caches
from newsroom.config import SiteConfig, load_config
from newsroom.content import Asset, listing_current, read_content
from newsroom.output import Output, Staging, asset_key, check_output_dir, locked, wanted_files
from newsroom.pages import BRAND, Page, plan_pages, share_card_texts, site_urls
from newsroom.problems import BuildError, Problem
from newsroom.render import Progress
from newsroom.site import Change, Site, assemble_site, next_change
from newsroom.workers import default_jobs


@dataclass(frozen=True)
class BuildReport:
    """What a build made, for the one-line summary (and the site, for `check`)."""

    pages: int
    feeds: int
    calendars: int
    files: int
    rendered: int
    seconds: float
    output_dir: Path
    next_change: Change | None
    timings: tuple[tuple[str, float], ...] = ()
    search: search.SearchIndex | None = None  # the index, when this build made it
    # The index does not cover the pages as built (search_index was off): a build with it
    # on brings it up to date.
    search_pending: bool = False
    wrote: bool = True  # False: the output was already what this build would make
    site: Site | None = field(default=None, compare=False, repr=False)
    planned: tuple[Page, ...] = field(default=(), compare=False, repr=False)
    caches: Caches | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class BuildOptions:
    """How to build, besides what the config says."""

    now: datetime
    drafts: bool = False  # publish articles marked draft: true
    future: bool = False  # publish articles dated after `now`
    jobs: int = 1  # worker processes
    progress: Progress | None = None
    save_cache: bool = True  # off: the caller saves report.caches when it suits it
    search_index: bool = True  # off: a search index made before is kept as it is
    # Nobody else writes to the output folder (the preview's own).
    private_output: bool = False
    # The paths changed since the last build with these caches read content/, when the
    # caller knows them (the preview's watcher): only those are looked at in content/.
    changed: Collection[Path] | None = None
    # Set while the search index is being made: it is given up (search.IndexCancelled).
    cancel_index: threading.Event | None = None


@dataclass(frozen=True)
class OutputPlan:
    """Every file of the new output with the key of what it is made from, and how the files
    that change are made."""

    job: render.RenderJob  # the pages, to render
    page_keys: list[str]  # [] on a first build: the workers work them out as they render
    assets: tuple[Asset, ...]  # copied as they are (pictures' sizes and share cards too)
    made: tuple[Output, ...]  # made already: the sitemap and robots.txt
    feeds: dict[str, str]  # by path, with their keys: made only when their key changed
    calendars: dict[str, str]  # likewise
    index: search.IndexPlan | None  # None: search is off
    wanted: dict[str, str]  # every file of the output but the search index's new one
    make_feed: dict[str, Callable[[], bytes]]  # how to make each feed, by path


@dataclass(frozen=True)
class Written:
    """What write_outputs and index_search did."""

    wrote: bool  # False: the output was already what the build would make
    rendered: int
    page_keys: list[str]
    index: search.SearchIndex | None = None


def build_site(config_path: Path, *, now: datetime, drafts: bool = False, future: bool = False,
               output_dir: Path | None = None, base_url: str | None = None,
               jobs: int | None = None, progress: Progress | None = None,
               search_on: bool | None = None, use_cache: bool = True,
               caches: Caches | None = None, save_cache: bool = True,
               search_index: bool = True, private_output: bool = False,
               changed: Collection[Path] | None = None,
               cancel_index: threading.Event | None = None) -> BuildReport:
    """Build the site of `config_path` into its output folder; raise BuildError on problems.

    `output_dir`, `base_url` and `search_on` override the config; `caches` are the ones a
    preview keeps between builds. The rest are BuildOptions.
    """
    options = BuildOptions(now, drafts, future, jobs or default_jobs(), progress, save_cache,
                           search_index, private_output, changed, cancel_index)
    started, clock = time.perf_counter(), _Stopwatch()
    config = load_config(config_path, base_url=base_url, output_dir=output_dir,
                         search=search_on)
    caches = _caches_for(config, caches, use_cache)
    # While the workers read, this process compiles the templates for the workers that render.
    site = read_site(config, now=options.now, drafts=options.drafts, future=options.future,
                     caches=caches, jobs=options.jobs, changed=options.changed,
                     meanwhile=partial(render.load_templates, config))
    clock.lap("read")
    with locked(config.output_dir, config.output_dir_from):
        staging = Staging(config.output_dir, config.root, config.templates_dir,
                          config.output_dir_from, private=options.private_output,
                          manifests=caches.manifests)
        try:
            plan = plan_outputs(site, caches, staging, options)
            clock.lap("plan")
            written = _write(plan, site, caches, staging, options, clock)
        except BuildError:
            if options.save_cache:  # (what was read and rendered stays done)
                save_caches(caches)
            raise
    return BuildReport(
        pages=len(plan.job.pages), feeds=len(plan.feeds), calendars=len(plan.calendars),
        files=len(plan.wanted) + len(written.index.files if written.index else ()),
        rendered=written.rendered, seconds=time.perf_counter() - started,
        output_dir=config.output_dir, next_change=next_change(site),
        timings=tuple(clock.laps), search=written.index,
        search_pending=bool(plan.index and plan.index.pending), wrote=written.wrote,
        site=site, planned=plan.job.pages, caches=caches)


def read_site(config: SiteConfig, *, now: datetime, drafts: bool = False,
              future: bool = False, caches: Caches | None = None, jobs: int = 1,
              render_markdown: bool = True, changed: Collection[Path] | None = None,
              meanwhile: Callable[[], Any] | None = None, media: bool = True) -> Site:
    """Read, check and assemble the site (its Markdown rendered); raise BuildError.
    `meanwhile()` runs in this process while workers read. Without `media`, no picture is
    resized and no share card drawn (for commands that look only at dates and addresses)."""
    records = caches.records if caches else None
    content, problems = read_content(config, jobs, records, changed,
                                     markup.with_html(config) if render_markdown else None,
                                     meanwhile)
    image_store = caches.images if caches else open_store(None, "images", images.settings())
    pictures, image_problems = images.make_pictures(
        content.assets if media else (), config.root, image_store, jobs, config.sanitize_html)
    problems += image_problems + check_output_dir(config.output_dir, config.root,
                                                  config.templates_dir, config.output_dir_from)
    if problems:
        raise BuildError(problems)
    if render_markdown:
        store = caches.markdown if caches else open_store(None, "markdown",
                                                          markup.renderer_settings(config))
        content = markup.render_content(content, config, store, jobs)
    site = assemble_site(config, content, now=now, drafts=drafts, future=future,
                         pictures=pictures)
    return replace(site, cards=share_cards(site, image_store, jobs)) if media else site


def share_cards(site: Site, store: Store, jobs: int) -> images.ShareCards:
    """The share cards of the site's articles and events without a picture (if it makes
    them); raise BuildError when they cannot be made."""
    config = site.config
    if not config.share_cards:
        return images.ShareCards()
    font = config.params.get("share_card_font")
    cards, failed = images.make_share_cards(
        share_card_texts(site), config.title, config.params.get("share_card_colour", BRAND),
        config.root / font if font else None, store, jobs)
    if failed:
        raise BuildError([Problem(config.source, None, f"params: share_card_font: {message}")
                          for message in failed])
    return cards


def plan_outputs(site: Site, caches: Caches, staging: Staging,
                 options: BuildOptions) -> OutputPlan:
    """Every file of the site, with its key: a file whose key is unchanged is kept as it is."""
    urls = site_urls(site)
    pages = plan_pages(site, caches.pages)
    archive = tuple((year, len(articles)) for year, articles in site.years)
    job = render.prepare(pages, site.config, urls, archive, site.pictures)
    # The files as they are, and those made of pictures (kept in the images store).
    assets = (*site.assets, *site.pictures.files, *site.cards.files)
    # A first build (no output to tell changes by) renders every page: the workers work out
    # each page's key as they render it, not in a round of their own first.
    keys = render.page_keys(job, options.jobs, caches.page_keys) if staging.previous else []
    news = feeds.news_sitemap(site, urls)
    made: tuple[Output, ...] = (feeds.sitemap(pages, site, urls, caches.pages),
                                *news, feeds.robots(urls, bool(news)),
                                *feeds.redirects(site, urls))
    # Feeds and calendars are slow to make, so their keys come from what they are made of.
    planned_feeds = feeds.plan_feeds(site, urls)
    feed_keys = {path: key for path, (key, _) in planned_feeds.items()}
    calendar_keys = feeds.calendar_keys(site, urls)
    index = search.plan_index(site.config, staging.previous_files(search.is_index_file),
                              job.pages, job.paths, job.content_key, options.search_index)
    if index and index.listing and not index.make:  # (else written with the partitions)
        made += (Output(search.LISTING, index.listing),)
    wanted = wanted_files([*zip(job.paths, keys or [""] * len(job.paths), strict=True),
                           *((a.url_path, asset_key(a)) for a in assets),
                           *((o.path, digest(o.data)) for o in made),
                           *feed_keys.items(), *calendar_keys.items(),
                           *(index.kept.items() if index else ()),
                           # (Written with the partitions when some are made.)
                           *([(search.LISTING, digest(index.listing))]
                             if index and index.listing and index.make else [])])
    return OutputPlan(job, keys, assets, made, feed_keys, calendar_keys, index, wanted,
                      {path: make for path, (_, make) in planned_feeds.items()})


def _write(plan: OutputPlan, site: Site, caches: Caches, staging: Staging,
           options: BuildOptions, clock: _Stopwatch) -> Written:
    """Write what changed into the staging folder, index it, swap it in."""
    if options.cancel_index is not None and options.cancel_index.is_set():
        raise search.IndexCancelled  # (before the folder is touched)
    if not staging.plan(plan.wanted, force=bool(plan.index and plan.index.make)):
        if options.save_cache:
            save_caches(caches)
        clock.lap("render")  # nothing changed: nothing to render or write
        clock.lap("write")
        return _UNCHANGED
    with staging.filling(keep_on=search.IndexCancelled):
        written = write_outputs(plan, site, caches, staging, options)
        clock.lap("render")
        if plan.index and plan.index.make:
            written = index_search(plan, written, site.config, staging, options)
            clock.lap("search")
        staging.commit()
    clock.lap("write")
    return written


_UNCHANGED = Written(False, 0, [])


def write_outputs(plan: OutputPlan, site: Site, caches: Caches, staging: Staging,
                  options: BuildOptions) -> Written:
    """Put every file into the staging folder: kept or linked if unchanged, else made. The
    feeds and calendars that changed are made (and the caches saved) while the workers
    render the pages."""
    urls = plan.job.urls

    def beside_the_pages() -> dict[str, bytes]:
        if options.save_cache:
            save_caches(caches)
        return {**{path: plan.make_feed[path]() for path in staging.stale & plan.feeds.keys()},
                **feeds.calendars(site, urls, only=staging.stale & plan.calendars.keys())}

    staging.record([staging.put(a.url_path, plan.wanted[a.url_path], source=a.source)
                    for a in plan.assets])
    rendered, keys, made = render.render_pages(plan.job, plan.page_keys, staging,
                                               options.jobs, options.progress,
                                               beside_the_pages)
    if not plan.page_keys:
        render.remember_keys(plan.job, keys, caches.page_keys)
    staging.record([staging.put(o.path, plan.wanted[o.path], o.data) for o in plan.made])
    staging.record([staging.put(path, key, made.get(path))
                    for path, key in [*plan.feeds.items(), *plan.calendars.items()]])
    if plan.index:  # the partitions carried over as they are
        staging.record([staging.put(path, key) for path, key in plan.index.kept.items()])
    return Written(True, rendered, keys)


def index_search(plan: OutputPlan, written: Written, config: SiteConfig, staging: Staging,
                 options: BuildOptions) -> Written:
    """Index the partitions whose pages changed, from the staged pages, and put them
    beside the pages."""
    index_plan = plan.index
    assert index_plan is not None
    # Each partition's entry file carries the key of the pages it was made from.
    entries = {search.entry_path(name): index_plan.keys[name] for name in index_plan.make}
    with search.scratch_beside(staging.folder) as scratch:
        index = search.make_index(staging.folder, scratch, config, index_plan, plan.job.paths,
                                  options.jobs, options.cancel_index)
        # A file at a time: at 50,000 articles the index is 54,000 files.
        for path, made in index.files.items():
            data = made.read_bytes()
            staging.record([staging.put_late(path, search.entry_key(entries[path], data)
                                             if path in entries else digest(data), data)])
    staging.record([staging.put_late(search.LISTING, digest(index_plan.listing),
                                     index_plan.listing)])
    return Written(True, written.rendered, written.page_keys, index)


def content_unchanged(config: SiteConfig, caches: Caches) -> bool:
    """Whether content/ is still what the last build with these caches read (a walk: the
    preview checks, when idle, that its watcher missed nothing)."""
    return listing_current(config, caches.records)


def _caches_for(config: SiteConfig, caches: Caches | None, use_cache: bool) -> Caches:
    """The caches given (a preview's), unless the Markdown is rendered otherwise now; else
    the site's own (empty and never saved without `use_cache`)."""
    settings = markup.renderer_settings(config)
    if caches is None or caches.markdown.settings != settings:
        caches = open_caches(config.root if use_cache else None, settings, images.settings())
    caches.begin()
    return caches


class _Stopwatch:
    """Records how long each stage took, for `build -v`."""

    def __init__(self) -> None:
        self.laps: list[tuple[str, float]] = []
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.laps.append((stage, now - self.last))
        self.last = now


