"""The persistent cache in .newsroom-cache/: work a build can skip when its inputs are the same.

Two stores: rendered Markdown by content hash, and parsed content files by path and stat.
A store is an optimisation, never a source of truth: a file that is missing, corrupt, from
another newsroom version or written under other settings is ignored and rebuilt. Each is
signed with a key that lives outside the site (in the user's cache folder), so a cache file
made anywhere else (one that arrived in a pull request, say), or edited by hand, is not
believed; and only a file whose signature checks out is decoded. Values are plain data
(strings, numbers, lists, dicts) in `marshal`'s format, which decodes five times faster than
JSON and never runs code; never pickle. Stores are written atomically (a temporary file
renamed over the old one).
"""

from __future__ import annotations

import hashlib
import hmac
import marshal
import os
import secrets
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from newsroom import __version__

CACHE_DIR = ".newsroom-cache"
FORMAT = 3
_MAGIC = b"newsroom-cache"  # the first word of every store


def digest(*parts: str | bytes) -> str:
    """A short, stable hash of the parts (for cache keys and fingerprints)."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part)
        hasher.update(b"\x1f")
    return hasher.hexdigest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """newsroom's version and a hash of its own source files: part of every key of work it
    made, so that other code (a new release, or an edited checkout) never takes over pages,
    feeds, records or HTML that older code made."""
    package = Path(__file__).parent
    return digest(__version__, *(path.read_bytes() for path in sorted(package.glob("*.py"))))


SHARDS = "0123456789abcdef"  # a store is 16 files by the first digit of the key


class Memo:
    """What the last build worked out, by what it was worked out from: a preview, which
    builds again and again in one process, works out only what a change touched.

    A key names objects by identity (`id`), so a value is kept together with the objects
    its key names: while it is kept, no other object can take their ids. Whatever a build
    does not ask for is dropped at the start of the next one.
    """

    def __init__(self) -> None:
        self._last: dict[tuple[Any, ...], tuple[Any, tuple[Any, ...]]] = {}
        self._now: dict[tuple[Any, ...], tuple[Any, tuple[Any, ...]]] = {}
        self._setting: Any = None

    def begin(self, setting: Any) -> None:
        """Start a build under `setting`: a different one (another config) forgets all."""
        if self._now:
            self._last, self._now = self._now, {}
        if setting != self._setting:
            self._last, self._setting = {}, setting

    def get(self, key: tuple[Any, ...], named: tuple[Any, ...], make: Callable[[], Any]) -> Any:
        """The value made for `key` last time, else `make()`; `named` are the objects whose
        ids the key holds."""
        found = self.known(key)
        if found is None:
            found = make()
            self._now[key] = (found, named)
        return found

    def known(self, key: tuple[Any, ...]) -> Any:
        """The value made for `key` last time (kept for the next build), or None."""
        found = self._now.get(key) or self._last.get(key)
        if found is None:
            return None
        self._now[key] = found
        return found[0]

    def put(self, key: tuple[Any, ...], named: tuple[Any, ...], value: Any) -> None:
        """Remember a value made for `key`."""
        self._now[key] = (value, named)


@dataclass
class Caches:
    """The stores a build reads and writes; a preview keeps one across its rebuilds."""

    markdown: Store
    records: Store
    # Pictures made of content images, and share cards (images.py): entries here, their
    # files in a folder of their own (files_folder).
    images: Store
    # In memory only, for the next build in this process: pages planned (and what is
    # worked out from a page alone, like its sitemap entry), and their keys.
    pages: Memo = field(default_factory=Memo)
    page_keys: Memo = field(default_factory=Memo)
    # The output manifests this process wrote, by the marker file's identity
    # (output.write_manifest).
    manifests: dict[tuple[int, ...], dict[str, tuple[str, int, int]]] = field(
        default_factory=dict)

    def begin(self) -> None:
        """Start a build: nothing used yet (so what it does not use can be dropped)."""
        for store in (self.markdown, self.records, self.images):
            store.used = set()


def open_caches(root: Path | None, markdown_settings: str, image_settings: str) -> Caches:
    """The site's caches (empty, and never saved, when root is None)."""
    return Caches(open_store(root, "markdown", markdown_settings),
                  open_store(root, "records", code_fingerprint()),
                  open_store(root, "images", image_settings))


def save_caches(caches: Caches) -> None:
    """Write what changed in the site's caches, and forget what this build did not use (so
    saving again, before the next build, writes nothing)."""
    for store in (caches.markdown, caches.records, caches.images):
        save_store(store)
        store.dirty = set()
        for kept in (store.entries, store.objects):
            for key in [k for k in kept if k not in store.used]:
                del kept[key]


@dataclass
class Store:
    """Values by key; remembers which keys this build used, so the rest can be dropped.

    Kept in 16 files by the key's first digit, so that a change rewrites a sixteenth of it.
    """

    folder: Path | None
    name: str
    settings: str
    entries: dict[str, Any] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    dirty: set[str] = field(default_factory=set)
    objects: dict[str, Any] = field(default_factory=dict)  # decoded values, kept in memory
    # Where a store keeps its files (see files_folder), once known; and the temporary
    # folder of one that cannot keep them in the site, gone with the store.
    files: Path | None = field(default=None, repr=False)
    scratch: tempfile.TemporaryDirectory[str] | None = field(default=None, repr=False)

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
        self.dirty.add(key[0])

    def shard_path(self, shard: str) -> Path:
        """The file holding the keys that start with `shard`."""
        assert self.folder is not None
        return self.folder / f"{self.name}-{shard}.bin"


def files_folder(store: Store) -> Path:
    """The folder of the files a store keeps beside its entries, one folder for each entry
    (named by its key); a folder of its entry dropped is deleted as the store is saved. A
    store that is never saved, or whose folder cannot be written, keeps them in a temporary
    folder."""
    if store.files is None and store.folder is not None:
        try:
            (store.folder / store.name).mkdir(parents=True, exist_ok=True)
            store.files = store.folder / store.name
        except OSError:
            pass  # a read-only site still builds; it makes its pictures again next time
    if store.files is None:
        store.scratch = tempfile.TemporaryDirectory(prefix="newsroom-")
        store.files = Path(store.scratch.name)
    return store.files


def _drop_unused_files(store: Store) -> None:
    """Delete the folders of files whose entries this build did not use."""
    if store.files is None or store.scratch is not None:
        return
    try:
        folders = list(os.scandir(store.files))
    except OSError:
        return
    for folder in folders:
        if folder.is_dir() and folder.name not in store.used:
            shutil.rmtree(folder.path, ignore_errors=True)


def open_store(root: Path | None, name: str, settings: str) -> Store:
    """The site's store called `name` (empty when absent, unreadable or made otherwise)."""
    if root is None:
        return Store(None, name, settings)
    store = Store(root / CACHE_DIR, name, settings)
    for shard in SHARDS:
        try:
            raw = store.shard_path(shard).read_bytes()
            body, _, signature = raw.rpartition(b"\nsignature ")
            header, _, payload = body.partition(b"\n")
            if header == _header(settings) and hmac.compare_digest(signature, _sign(body)):
                loaded = marshal.loads(payload)
                if isinstance(loaded, dict):
                    store.entries.update((k, v) for k, v in loaded.items()
                                         if isinstance(k, str) and k[:1] == shard)
        except (OSError, ValueError, EOFError, TypeError, RecursionError):
            continue  # missing or not to be trusted: those entries are made again
    return store


def save_store(store: Store) -> None:
    """Write the shards that changed (or lost entries); never fail the build."""
    if store.folder is None:
        return
    unused = {key[0] for key in store.entries if key not in store.used}
    try:
        store.folder.mkdir(parents=True, exist_ok=True)
        ignore = store.folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# newsroom's build cache: safe to delete\n*\n", encoding="utf-8")
        for shard in sorted(store.dirty | unused):
            kept = {k: v for k, v in store.entries.items() if k[0] == shard and k in store.used}
            _write_signed(store.shard_path(shard), store.settings, kept)
        # Shards in the format before this one (JSON), which nothing reads any more.
        for old in store.folder.glob(f"{store.name}-*.json"):
            old.unlink(missing_ok=True)
        _drop_unused_files(store)
    except OSError:
        pass  # a read-only site still builds; it just starts cold next time


def _write_signed(path: Path, settings: str, entries: dict[str, Any]) -> None:
    # (Written and signed piece by piece: one body of them all is a copy of megabytes.)
    pieces = [_header(settings) + b"\n", marshal.dumps(entries)]
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(handle, "wb") as stream:
        for piece in pieces:
            stream.write(piece)
        stream.write(b"\nsignature " + _sign(*pieces))
    os.replace(temporary, path)


def _header(settings: str) -> bytes:
    # The format (ours and marshal's), the version and the settings: any difference means
    # "do not trust".
    return _MAGIC + f" {FORMAT} {marshal.version} {__version__} {settings}".encode()


def _sign(*pieces: bytes) -> bytes:
    # HMAC-SHA-256: most processors compute SHA-256 in hardware, twice as fast as BLAKE2
    # (the caches of 5,000 articles are some 50 MB).
    signer = hmac.new(_secret()[:64], digestmod=hashlib.sha256)
    for piece in pieces:
        signer.update(piece)
    return signer.hexdigest().encode()


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
