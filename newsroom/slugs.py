"""Turning titles and names into the last part of an address."""

from __future__ import annotations

import re
import unicodedata


def slugify(value: str) -> str:
    """Lowercase words joined by hyphens: 'People & places' -> 'people-places'."""
    # Decompose accents away (café -> cafe) but keep letters of other scripts as they are:
    # they are valid in addresses once percent-encoded, and dropping them would leave nothing.
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = re.findall(r"[^\W_]+", stripped.lower())
    return "-".join(words)[:80].strip("-")
