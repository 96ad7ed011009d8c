"""Addresses that never break: an article's, event's, page's or author's old addresses
(aliases:) lead to it, and an expired record's address to its section, by redirect pages
and a _redirects file (Netlify and Cloudflare Pages)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import quote, unquote

from newsroom.content import Article, Author, Event, StaticPage
from newsroom.output import Output
from newsroom.problems import BuildError, Problem

Record = Article | Event | StaticPage | Author


@dataclass(frozen=True)
class Redirect:
    """An old address and where it leads: both root-relative, with the base path."""

    url: str
    target: str
    permanent: bool  # an alias (301); an expired record's address may come back (302)
    record: Record  # the record that asks for it


def site_redirects(records: Sequence[Record], expired: Sequence[Article | Event],
                   address: Callable[[Record], str], section: Callable[[Record], str],
                   site_link: Callable[[str], str]) -> list[Redirect]:
    """Every redirect of the site: each alias of a record on the site to the record's
    address, and each expired record's address and aliases to its section's page.
    `site_link` puts the base path in front of a site path."""
    redirects = [Redirect(_encoded(site_link(alias)), address(record), True, record)
                 for record in records for alias in record.aliases]
    for record in expired:
        target = section(record)
        redirects.append(Redirect(address(record), target, False, record))
        redirects += [Redirect(_encoded(site_link(alias)), target, False, record)
                      for alias in record.aliases]
    return redirects


def _encoded(path: str) -> str:
    """A path written by an editor as the pages' own addresses are written: percent-encoded
    (/news/%C3%A9t%C3%A9/ for /news/été/), so that the two compare."""
    return quote(unquote(path), safe="/")


def check_redirects(redirects: Sequence[Redirect], pages: dict[str, str | None]) -> None:
    """Raise BuildError for each redirect that would hide a page, loop or lead to itself, or
    that two records ask for. `pages`: each page's address and the file it comes from (None
    for a list)."""
    problems = []
    leads = {(r.url, r.target) for r in redirects}
    claimed: dict[str, Redirect] = {}
    for redirect in redirects:
        mistake = _mistake(redirect, pages, (redirect.target, redirect.url) in leads,
                           claimed.setdefault(redirect.url, redirect))
        if mistake:
            record = redirect.record
            line = record.lines.get("aliases") or getattr(record, "line", None) or 1
            problems.append(Problem(record.source, line, mistake))
    if problems:
        raise BuildError(problems)


def _mistake(redirect: Redirect, pages: dict[str, str | None], loops: bool,
             first: Redirect) -> str | None:
    """What is wrong with a redirect, or None. `loops`: another leads back from its target;
    `first`: the first redirect from its address."""
    url, record = redirect.url, redirect.record
    if url == redirect.target:
        return f"aliases: {url} is this {_kind(record)}'s own address; delete it"
    if loops:
        return (f"aliases: {url} leads to {redirect.target}, which leads back to {url}: a "
                "loop; delete one of the two")
    if url in pages:
        what = pages[url] or f"the page at {url}"
        return (f"aliases: {url} is the address of {what}, which a redirect would hide; "
                "delete it, or give that page another slug:")
    if first.record is not record:
        return (f"aliases: {url} is also an old address of {first.record.source}; keep it "
                "in one of them")
    return None


def _kind(record: Record) -> str:
    return {Article: "article", Event: "event", StaticPage: "page", Author: "author"}[
        type(record)]


def redirects_file(redirects: Sequence[Redirect], path: str,
                   rest: tuple[str, str] | None = None) -> Output:
    """The _redirects file of Netlify and Cloudflare Pages: one line per old address, and
    `rest`, a pattern (/bulletin/*) and where what it matches and no file serves leads."""
    lines = [f"{r.url} {r.target} {301 if r.permanent else 302}\n" for r in redirects]
    if rest is not None:  # (last: hosts take the first rule that matches)
        lines.append(f"{rest[0]} {rest[1]} 302\n")
    return Output(path, "".join(lines).encode("utf-8"))
