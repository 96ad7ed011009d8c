"""The whole pipeline, top to bottom: config, content, markup, site, pages, render, output."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from newsroom import feeds, markup
from newsroom.config import SiteConfig, load_config
from newsroom.content import read_content
from newsroom.output import check_output_dir, publish
from newsroom.pages import Page, plan_pages, site_urls
from newsroom.problems import BuildError
from newsroom.render import Output, Progress, render_pages
from newsroom.site import Change, Site, assemble_site, next_change


@dataclass(frozen=True)
class RenderedSite:
    """A site rendered in memory: every file it consists of, not yet written."""

    site: Site
    pages: tuple[Page, ...]
    html: tuple[Output, ...]
    feeds: tuple[Output, ...]
    calendars: tuple[Output, ...]
    extras: tuple[Output, ...]

    @property
    def outputs(self) -> tuple[Output, ...]:
        """Every generated file (assets are copied separately)."""
        return self.html + self.feeds + self.calendars + self.extras


@dataclass(frozen=True)
class BuildReport:
    """What a build made, for the one-line summary."""

    pages: int
    feeds: int
    calendars: int
    files: int
    seconds: float
    output_dir: Path
    next_change: Change | None
    timings: tuple[tuple[str, float], ...] = ()


def read_site(config: SiteConfig, *, now: datetime, drafts: bool = False,
              future: bool = False, render_markdown: bool = False) -> Site:
    """Read and assemble the site (Markdown rendered only if asked); raise BuildError."""
    content, problems = read_content(config)
    problems += check_output_dir(config.output_dir, config.root, config.templates_dir,
                                 config.output_dir_from)
    if problems:
        raise BuildError(problems)
    if render_markdown:
        content = replace(
            content,
            articles=markup.render_records(content.articles, config, "markdown"),
            events=markup.render_records(content.events, config, "description"),
            pages=markup.render_records(content.pages, config, "markdown"),
        )
    return assemble_site(config, content, now=now, drafts=drafts, future=future)


def render_site(config: SiteConfig, *, now: datetime, drafts: bool = False,
                future: bool = False, progress: Progress | None = None,
                timings: list[tuple[str, float]] | None = None) -> RenderedSite:
    """Read, check and render the whole site in memory; raise BuildError on problems."""
    clock = _Stopwatch(timings)
    site = read_site(config, now=now, drafts=drafts, future=future, render_markdown=True)
    clock.lap("read")
    urls = site_urls(site)
    pages = plan_pages(site)
    html = render_pages(pages, site, urls, progress)
    clock.lap("render")
    rendered = RenderedSite(
        site=site,
        pages=tuple(pages),
        html=tuple(html),
        feeds=tuple(feeds.news_feeds(site, urls)),
        calendars=tuple(feeds.calendars(site, urls)),
        extras=(feeds.sitemap(pages, site, urls), feeds.robots(urls)),
    )
    clock.lap("feeds")
    return rendered


class _Stopwatch:
    """Records how long each stage took, for `build -v`."""

    def __init__(self, laps: list[tuple[str, float]] | None) -> None:
        self.laps = laps
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        if self.laps is not None:
            self.laps.append((stage, now - self.last))
        self.last = now


def build_site(config_path: Path, *, now: datetime, drafts: bool = False, future: bool = False,
               output_dir: Path | None = None, base_url: str | None = None,
               progress: Progress | None = None) -> BuildReport:
    """Build the site of `config_path` into its output folder; raise BuildError on problems."""
    started = time.perf_counter()
    config = load_config(config_path, base_url=base_url, output_dir=output_dir)
    timings: list[tuple[str, float]] = []
    rendered = render_site(config, now=now, drafts=drafts, future=future, progress=progress,
                           timings=timings)
    clock = _Stopwatch(timings)
    files = publish(rendered.outputs, rendered.site.assets, config.output_dir, config.root,
                    config.templates_dir, config.output_dir_from)
    clock.lap("write")
    return BuildReport(pages=len(rendered.html), feeds=len(rendered.feeds),
                       calendars=len(rendered.calendars), files=files,
                       seconds=time.perf_counter() - started, output_dir=config.output_dir,
                       next_change=next_change(rendered.site), timings=tuple(timings))
