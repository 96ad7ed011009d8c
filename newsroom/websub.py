"""WebSub: telling the site's hub which feeds changed with a deploy, so that subscribers'
readers fetch them at once (https://www.w3.org/TR/websub/). Which feeds changed is told by
comparing the built ones with those published, before the deploy; the hub is told after."""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path

from newsroom import feeds
from newsroom.pages import site_urls
from newsroom.problems import Problem
from newsroom.site import Site

# Fetch an address: its bytes, or None when it has none (not found, or out of reach).
Fetch = Callable[[str], bytes | None]
# Post a form to an address; raise OSError (urllib's errors are) when it is refused.
Post = Callable[[str, dict[str, str]], None]

TIMEOUT = 30  # seconds, for each request


def changed_feeds(site: Site, output_dir: Path, fetch: Fetch | None = None) -> list[str]:
    """The addresses of the site's feeds whose built bytes (in `output_dir`) differ from
    the published ones (or that are not published yet)."""
    fetch = fetch or _fetch
    urls = site_urls(site)
    changed = []
    for path in sorted(feeds.all_feeds(site, urls)):
        built = output_dir / path
        address = urls.absolute(urls.asset(path))
        if built.is_file() and _content(fetch(address)) != _content(built.read_bytes()):
            changed.append(address)
    return changed


def _content(feed: bytes | None) -> bytes | None:
    """A feed without its lastBuildDate: the events feed gives the time it was built, and a
    feed that changed only in that has nothing new for readers."""
    return re.sub(rb"<lastBuildDate>[^<]*</lastBuildDate>", b"", feed) if feed else feed


def ping(hub: str, addresses: Sequence[str], post: Post | None = None) -> list[Problem]:
    """Tell the hub that each feed changed (hub.mode=publish, as hubs take it); a problem for
    each it refused or could not be reached for."""
    post = post or _post
    problems = []
    for address in addresses:
        try:
            post(hub, {"hub.mode": "publish", "hub.url": address})
        except OSError as error:
            problems.append(Problem("websub_hub", None, f"{hub} did not take {address}: "
                                    f"{error}; the next deploy tells it again"))
    return problems


def _fetch(address: str) -> bytes | None:
    try:
        with urllib.request.urlopen(address, timeout=TIMEOUT) as response:  # noqa: S310
            return response.read()
    except (OSError, ValueError):
        return None


def _post(address: str, form: dict[str, str]) -> None:
    data = urllib.parse.urlencode(form).encode("ascii")
    request = urllib.request.Request(address, data=data, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request, timeout=TIMEOUT):  # noqa: S310
        pass
