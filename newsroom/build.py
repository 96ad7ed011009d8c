"""The whole pipeline, top to bottom: config, content, markup, site, pages, render, output."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from newsroom import feeds, markup
from newsroom.config import load_config
from newsroom.content import read_content
from newsroom.output import check_output_dir, publish
from newsroom.pages import plan_pages, site_urls
from newsroom.problems import BuildError
from newsroom.render import render_pages
from newsroom.site import assemble_site


@dataclass(frozen=True)
class BuildReport:
    """What a build made, for the one-line summary."""

    pages: int
    feeds: int
    calendars: int
    files: int
    seconds: float
    output_dir: Path


def build_site(config_path: Path, *, now: datetime, drafts: bool = False, future: bool = False,
               output_dir: Path | None = None, base_url: str | None = None) -> BuildReport:
    """Build the site of `config_path` into its output folder; raise BuildError on problems."""
    started = time.perf_counter()
    config = load_config(config_path, base_url=base_url, output_dir=output_dir)
    content, problems = read_content(config)
    problems += check_output_dir(config.output_dir, config.root, config.templates_dir)
    if problems:
        raise BuildError(problems)
    content = replace(
        content,
        articles=markup.render_records(content.articles, config, "markdown"),
        events=markup.render_records(content.events, config, "description"),
        pages=markup.render_records(content.pages, config, "markdown"),
    )
    site = assemble_site(config, content, now=now, drafts=drafts, future=future)
    urls = site_urls(site)
    pages = plan_pages(site)
    html = render_pages(pages, site, urls)
    news = feeds.news_feeds(site, urls)
    calendars = feeds.calendars(site, urls)
    extras = [feeds.sitemap(pages, site, urls), feeds.robots(urls)]
    files = publish(html + news + calendars + extras, site.assets, config.output_dir,
                    config.root, config.templates_dir)
    return BuildReport(pages=len(html), feeds=len(news), calendars=len(calendars), files=files,
                       seconds=time.perf_counter() - started, output_dir=config.output_dir)
