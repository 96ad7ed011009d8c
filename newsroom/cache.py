"""The persistent cache in .newsroom-cache/: work a build can skip when its inputs are the same.

Two stores: rendered Markdown by content hash, and parsed content files by path and stat.
A store is an optimisation, never a source of truth: a file that is missing, corrupt, from
another newsroom version or written under other settings is ignored and rebuilt. Stores are
JSON, not pickle, because a cache file could arrive in a pull request and must never run
code; and each is signed with a key that lives outside the site (in the user's cache folder),
so a cache file made anywhere else, or edited by hand, is not believed. They are written
atomically (a temporary file renamed over the old one).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from newsroom import __version__

CACHE_DIR = ".newsroom-cache"
FORMAT = 1
_MAGIC = b"newsroom-cache\n"


def digest(*parts: str | bytes) -> str:
    """A short, stable hash of the parts (for cache keys and fingerprints)."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part)
        hasher.update(b"\x1f")
    return hasher.hexdigest()


@dataclass
class Store:
    """Values by key; remembers which keys this build used, so the rest can be dropped."""

    path: Path | None
    settings: str
    entries: dict[str, Any] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    changed: bool = False

    def key(self, *parts: str) -> str:
        """A key for parts under this store's settings."""
        return digest(self.settings, *parts)

    def get(self, key: str) -> Any:
        """The value for a key, if stored."""
        value = self.entries.get(key)
        if value is not None:
            self.used.add(key)
        return value

    def put(self, key: str, value: Any) -> None:
        """Remember a value for a key."""
        self.entries[key] = value
        self.used.add(key)
        self.changed = True


# Kept for readability where only Markdown is stored.
MarkdownCache = Store


def open_store(root: Path | None, name: str, settings: str) -> Store:
    """The site's store called `name` (empty when absent, unreadable or made otherwise)."""
    if root is None:
        return Store(None, settings)
    path = root / CACHE_DIR / f"{name}.json"
    entries: dict[str, Any] = {}
    try:
        raw = path.read_bytes()
        header, _, payload = raw[len(_MAGIC):].partition(b"\n")
        if raw.startswith(_MAGIC) and header == _header(settings, payload):
            loaded = json.loads(payload)
            if isinstance(loaded, dict):
                entries = loaded
    except (OSError, ValueError, RecursionError):
        entries = {}
    return Store(path, settings, entries)


def open_markdown_cache(root: Path | None, settings: str) -> Store:
    """The store of rendered Markdown."""
    return open_store(root, "markdown", settings)


def save_store(store: Store) -> None:
    """Write the entries this build used, if anything changed; never fail the build."""
    if store.path is None or not (store.changed or set(store.entries) != store.used):
        return
    kept = {k: v for k, v in store.entries.items() if k in store.used}
    payload = json.dumps(kept, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    data = _MAGIC + _header(store.settings, payload) + b"\n" + payload
    try:
        store.path.parent.mkdir(parents=True, exist_ok=True)
        ignore = store.path.parent / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# newsroom's build cache: safe to delete\n*\n", encoding="utf-8")
        handle, temporary = tempfile.mkstemp(dir=store.path.parent, prefix=".tmp-")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, store.path)
    except OSError:
        pass  # a read-only site still builds; it just starts cold next time


save_markdown_cache = save_store


def _header(settings: str, payload: bytes) -> bytes:
    # The version, the settings and a signature: any mismatch means "do not trust".
    signature = hmac.new(_secret(), payload, hashlib.blake2b).hexdigest()[:48]
    return f"{FORMAT} {__version__} {settings} {signature}".encode()


@lru_cache(maxsize=1)
def _secret() -> bytes:
    """This user's key for signing caches: made once, kept outside every site."""
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "newsroom"
    path = home / "cache-key"
    try:
        key = path.read_bytes()
        if len(key) >= 32:
            return key
    except OSError:
        pass
    key = secrets.token_bytes(32)
    try:
        home.mkdir(parents=True, exist_ok=True)
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(handle, "wb") as stream:
            stream.write(key)
    except FileExistsError:
        return path.read_bytes()  # another build made it first
    except OSError:
        pass  # nowhere to keep it: caches then last for this process only
    return key
