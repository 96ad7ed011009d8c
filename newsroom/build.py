"""The whole pipeline, top to bottom: config, content, markup, site, pages, render, output."""

from __future__ import annotations

import threading
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from newsroom import feeds, markup, render, search
from newsroom.cache import (
    Caches,
    Store,
    caches_changed,
    digest,
    forget_unused,
    open_caches,
    open_store,
    save_caches,
)
from newsroom.config import SiteConfig, load_config
from newsroom.content import listing_current, read_content
from newsroom.output import (
    Staging,
    asset_key,
    check_output_dir,
    locked,
    wanted_files,
    write_problem,
)
from newsroom.pages import Page, Urls, plan_pages, site_urls
from newsroom.problems import BuildError
from newsroom.render import Progress
from newsroom.site import Change, Site, assemble_site, next_change
from newsroom.workers import default_jobs, in_background


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


def read_site(config: SiteConfig, *, now: datetime, drafts: bool = False,
              future: bool = False, cache: Store | None = None,
              records: Store | None = None, jobs: int = 1,
              render_markdown: bool = True, changed: Collection[Path] | None = None) -> Site:
    """Read, check and assemble the site (its Markdown rendered); raise BuildError."""
    content, problems = read_content(config, jobs, records, changed,
                                     markup.with_html(config) if render_markdown else None)
    problems += check_output_dir(config.output_dir, config.root, config.templates_dir,
                                 config.output_dir_from)
    if problems:
        raise BuildError(problems)
    if render_markdown:
        cache = cache or open_store(None, "markdown", markup.renderer_settings(config))
        content = markup.render_content(content, config, cache, jobs)
    return assemble_site(config, content, now=now, drafts=drafts, future=future)


def content_unchanged(config: SiteConfig, caches: Caches) -> bool:
    """Whether content/ is still what the last build with these caches read (a walk: the
    preview checks, when idle, that its watcher missed nothing)."""
    return listing_current(config, caches.records)


def build_site(config_path: Path, *, now: datetime, drafts: bool = False, future: bool = False,
               output_dir: Path | None = None, base_url: str | None = None,
               jobs: int | None = None, progress: Progress | None = None,
               search_on: bool | None = None,
               use_cache: bool = True, caches: Caches | None = None,
               save_cache: bool = True, search_index: bool = True,
               private_output: bool = False, throwaway_output: bool = False,
               changed: Collection[Path] | None = None,
               cancel_index: threading.Event | None = None) -> BuildReport:
    """Build the site of `config_path` into its output folder; raise BuildError on problems.

    Only what changed is rendered and written (see output.Staging); the rest is kept.
    With `save_cache` off the caller saves `report.caches` when it suits it (the preview
    does so when the editing pauses). With `search_index` off a search index made before
    is kept as it is, even if pages changed since (the preview indexes after reloading).
    `private_output` says nobody else writes to the output folder (the preview's own);
    `throwaway_output` that it is read once and deleted (check's): no next build will use it.
    `changed`: the paths changed since the last build with `caches` read content/ (failed
    builds too), when the caller knows them (the preview's watcher); then only those are
    looked at in content/. `cancel_index` set while the search index is being made gives
    it up (search.IndexCancelled; the output stays as it was).
    """
    started = time.perf_counter()
    clock = _Stopwatch()
    jobs = jobs or default_jobs()
    config = load_config(config_path, base_url=base_url, output_dir=output_dir,
                         search=search_on)
    settings = markup.renderer_settings(config)
    if caches is None or caches.markdown.settings != settings:
        caches = open_caches(config.root if use_cache else None, settings)
    caches.begin()
    site = read_site(config, now=now, drafts=drafts, future=future, cache=caches.markdown,
                     records=caches.records, jobs=jobs, changed=changed)
    clock.lap("read")
    urls = site_urls(site)
    # Feeds and calendars are slow to make, so their keys come from what they are made of,
    # and they are made only when that changed.
    feed_keys = feeds.feed_keys(site, urls)
    calendar_keys = feeds.calendar_keys(site, urls)
    rendered = 0
    index: search.SearchIndex | None = None
    search_pending = False
    with locked(config.output_dir, config.output_dir_from):
        staging = Staging(config.output_dir, config.root, config.templates_dir,
                          config.output_dir_from, private=private_output,
                          manifests=caches.manifests, throwaway=throwaway_output)
        outdated = staging.outdated({**feed_keys, **calendar_keys})
        saving = save_cache and caches_changed(caches)
        forked = jobs > 1 and bool(outdated or saving)
        try:
            # What needs the site but not its pages is made in a process of its own while
            # this one plans the pages (leaving a core idle) and the workers render them: on
            # a cold build of 5,000 articles, 0.6 s of calendars, feeds and caches.
            with in_background(_site_files, site, urls, outdated, caches if saving else None,
                               forked=forked) as site_files:
                pages = plan_pages(site, caches.pages)
                archive = tuple((year, len(articles)) for year, articles in site.years)
                job = render.prepare(pages, config, urls, archive)
                # A first build (no output to tell changes by) renders every page: the
                # workers work out each page's key as they render it, not in a round of
                # their own first (until then, the pages are wanted under no key).
                first = not staging.previous
                keys = [] if first else render.page_keys(job, jobs, caches.page_keys)
                extras = [feeds.sitemap(pages, site, urls, caches.pages), feeds.robots(urls)]
                clock.lap("plan")
                wanted = wanted_files([
                    *zip(job.paths, keys or [""] * len(job.paths), strict=True),
                    *((a.url_path, asset_key(a)) for a in site.assets),
                    *((o.path, digest(o.data)) for o in extras),
                    *feed_keys.items(),
                    *calendar_keys.items()])
                if config.search:
                    # The index is made again only when a page changed (or it was touched).
                    binary = search.pagefind_binary()
                    kept = staging.previous_files(search.is_index_file) or {}
                    fresh = not first and kept.get(search.ENTRY, "").startswith(
                        f"{search.index_key(binary, keys)}:")
                    make_index = search_index and not fresh
                    if kept and not make_index:
                        wanted = wanted_files([*wanted.items(), *kept.items()])
                    search_pending = not fresh and not make_index
                else:
                    make_index = False
                if cancel_index is not None and cancel_index.is_set():
                    raise search.IndexCancelled  # (before the folder is touched)
                wrote = staging.plan(wanted, force=make_index)
                if wrote:
                    try:
                        staging.record([staging.put(a.url_path, wanted[a.url_path],
                                                    source=a.source) for a in site.assets])
                        rendered, keys = render.render_pages(job, keys, staging, jobs,
                                                             progress)
                        if first:
                            wanted.update(zip(job.paths, keys, strict=True))
                            render.remember_keys(job, keys, caches.page_keys)
                        made = site_files()
                        # One changed by hand since it was looked at (before the pages were
                        # planned) is made here.
                        late = (staging.stale & (feed_keys.keys() | calendar_keys.keys())
                                ) - made.keys()
                        if late:
                            made.update(_site_files(site, urls, late, None))
                        clock.lap("render")
                        staging.record([staging.put(o.path, wanted[o.path], o.data)
                                        for o in extras])
                        staging.record([staging.put(path, key, made.get(path))
                                        for path, key in [*feed_keys.items(),
                                                          *calendar_keys.items()]])
                        if config.search and not make_index:
                            staging.record([staging.put(path, key)
                                            for path, key in kept.items()])
                        if make_index:
                            index = search.make_index(staging.folder, config, binary,
                                                      cancel_index)
                            search_key = search.index_key(binary, keys)
                            staging.record([staging.put_late(
                                path, search.entry_key(search_key, data)
                                if path == search.ENTRY else digest(data), data)
                                for path, data in index.files.items()])
                            clock.lap("search")
                        staging.commit()
                    except OSError as error:
                        staging.abort()
                        raise write_problem(error, config.output_dir) from None
                    except search.IndexCancelled:
                        staging.set_aside()
                        raise
                    except BaseException:
                        staging.abort()
                        raise
                else:
                    site_files()
                    clock.lap("render")  # nothing changed: nothing to render or write
        except BuildError:
            if saving and not forked:
                save_caches(caches)  # the Markdown stays done (a process of its own saved
            raise                    # them as it finished)
        if saving:
            forget_unused(caches)
    clock.lap("write")
    return BuildReport(pages=len(pages), feeds=len(feed_keys), calendars=len(calendar_keys),
                       files=len(wanted) + len(index.files if index else ()),
                       rendered=rendered, wrote=wrote,
                       seconds=time.perf_counter() - started, output_dir=config.output_dir,
                       next_change=next_change(site), timings=tuple(clock.laps),
                       search=index, search_pending=search_pending, site=site,
                       planned=tuple(pages), caches=caches)


def _site_files(site: Site, urls: Urls, outdated: set[str], caches: Caches | None
                ) -> dict[str, bytes]:
    """The caches saved (they are complete once the site is read), and the outdated
    calendars and feeds made."""
    if caches is not None:
        save_caches(caches)
    return {**feeds.calendars(site, urls, only=outdated),
            **feeds.feeds(site, urls, only=outdated)}


class _Stopwatch:
    """Records how long each stage took, for `build -v`."""

    def __init__(self) -> None:
        self.laps: list[tuple[str, float]] = []
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.laps.append((stage, now - self.last))
        self.last = now
