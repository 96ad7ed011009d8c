"""Turning titles and names into the last part of an address."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache


def slugify(value: str) -> str:
    """Lowercase words joined by hyphens: 'People & places' -> 'people-places'."""
    # Decompose accents away (café -> cafe) but keep letters of other scripts as they are:
    # they are valid in addresses once percent-encoded, and dropping them would leave nothing.
    if value.isascii():  # (most titles: nothing to decompose)
        stripped = value
    else:
        decomposed = unicodedata.normalize("NFKD", value)
        stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = re.findall(r"[^\W_]+", stripped.lower())
    return "-".join(words)[:80].strip("-")


@lru_cache(maxsize=65536)
def term_slug(name: str) -> str:
    """The address part of a category or tag; never empty, never path syntax like '..'."""
    slug = slugify(name)
    if slug:
        return slug
    # A name with no letters or digits ('!!!', '..') still needs a safe, stable address.
    return "term-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
