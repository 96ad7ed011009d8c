"""Writing the site: staged beside the output folder, then swapped in whole."""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import posixpath
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from newsroom.cache import digest
from newsroom.content import Asset
from newsroom.problems import BuildError, Problem, site_path
from newsroom.theme import builtin_theme


@dataclass(frozen=True)
class Output:
    """A file of the built site: its path inside the output folder and its bytes."""

    path: str
    data: bytes


MARKER = ".newsroom-output"
TRASH = ".newsroom-trash"
MANIFEST_FORMAT = 1


def check_output_dir(out_dir: Path, root: Path, templates_dir: Path,
                     source: str = "site_config.yaml") -> list[Problem]:
    """Problems with writing to out_dir: it may not hold, be or sit in the site's own folders.

    `source` is where the folder was named: the config file, or --output.
    """
    out_dir = out_dir.resolve()
    root = root.resolve()
    what = "output_dir: " if source.endswith(".yaml") else ""
    protected = [root, root / "content", root / "templates", templates_dir.resolve(),
                 builtin_theme(), Path.home().resolve(), Path(out_dir.anchor)]
    for folder in protected:
        if out_dir == folder or out_dir in folder.parents:
            return [Problem(source, None, f"{what}{out_dir} would overwrite {folder}; choose "
                                          "a folder of its own such as public/")]
    # Inside content/ or the theme, the site would read its own output on the next build.
    for folder in (root / "content", templates_dir.resolve(), builtin_theme()):
        if out_dir.is_relative_to(folder):
            return [Problem(source, None, f"{what}{out_dir} is inside {folder}; choose a "
                                          "folder outside it such as public/")]
    if out_dir.exists() and not out_dir.is_dir():
        return [Problem(source, None, f"{what}{out_dir} is a file; choose a folder such as "
                                      "public/")]
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / MARKER).exists():
        return [Problem(source, None, f"{what}{out_dir} has files newsroom did not make; "
                                      "empty it or choose another folder such as public/")]
    return []


Entry = tuple[str, str, int, int]  # (path, key, size, mtime_ns)


class Staging:
    """The next output folder, assembled beside the current one and swapped in whole.

    Every file comes with a key: a hash of what it is made from. A file whose key matches
    the one the current output recorded for it (and that nobody has touched since) is
    hard-linked, not made again: its bytes and mtime stay, so rsync and CDN deploys move only
    what changed. If nothing changed at all, nothing is written.

    A private folder (the preview's own, which nobody else writes to) is trusted to hold
    what its manifest says without looking.

    The folder swapped out is kept beside the output (.newsroom-prev-NAME) as the previous
    build, and the next build brings it up to date rather than assembling a folder from
    nothing: a small change costs a few files, not thousands of links. A build killed while
    doing so leaves that folder without its marker, and the next one starts it afresh.
    """

    def __init__(self, out_dir: Path, root: Path, templates_dir: Path,
                 source: str = "site_config.yaml", private: bool = False,
                 manifests: Manifests | None = None) -> None:
        problems = check_output_dir(out_dir, root, templates_dir, source)
        if problems:
            raise BuildError(problems)
        self.out_dir = out_dir.resolve()
        self.folder = _spare_of(self.out_dir)
        # Manifests this process wrote before (the preview's), not to be read back.
        self.manifests = manifests
        self.previous = read_manifest(self.out_dir, manifests)
        self.entries: dict[str, Entry] = {}
        self.stale: set[str] = set()
        self.spare: dict[str, tuple[str, int, int]] = {}
        self.made_folders: set[str] = set()
        # A folder only this process writes to (the preview's) holds no strangers to look for.
        self.private = private

    def plan(self, wanted: dict[str, str], force: bool = False) -> bool:
        """Decide what to make: every wanted file the current output does not hold, made from
        the same key and untouched. False: nothing to do (never when `force`: files will be
        added with put_late)."""
        for path in wanted:
            _check_path(path)
        self.stale = self.outdated(wanted)
        if not force and not self.stale and set(wanted) == set(self.previous) and \
                self.out_dir.is_dir():
            self.entries = {path: (path, *self.previous[path]) for path in wanted}
            return False
        self._refuse_strangers()
        try:
            self.out_dir.parent.mkdir(parents=True, exist_ok=True)
            empty_trash(self.out_dir.parent)  # (what a build killed while deleting left)
            self.spare = self._ready_spare(wanted)
        except OSError as error:
            raise write_problem(error, self.out_dir) from None
        return True

    def _refuse_strangers(self) -> None:
        """The swap replaces the whole folder: files someone put there by hand would go."""
        if not self.previous or self.private:
            return
        strangers = [path for path in _files_in(self.out_dir)
                     if path not in self.previous and path != MARKER]
        if strangers:
            shown = site_path(self.out_dir, self.out_dir.parent)
            raise BuildError([Problem(f"{shown}/{path}", None, "was not made by newsroom and "
                                      "would be lost; move it to content/media/ or delete it")
                              for path in sorted(strangers)[:20]])

    def _ready_spare(self, wanted: dict[str, str]) -> dict[str, tuple[str, int, int]]:
        """The spare folder, ready to fill: what it holds, less what is no longer wanted,
        when its marker says; else a new empty folder."""
        spare = read_manifest(self.folder, self.manifests) if self.folder.is_dir() else {}
        if not spare:
            _throw_away(self.folder)
            self.folder.mkdir()
            return {}
        (self.folder / MARKER).unlink()  # not to be trusted while we work in it
        for path in set(spare) - set(wanted):
            (self.folder / path).unlink(missing_ok=True)
            _remove_empty_parents(self.folder, path)
        return spare

    def outdated(self, files: dict[str, str]) -> set[str]:
        """The paths of `files` (path: key) that the current output does not hold as made
        from their key, untouched."""
        live = str(self.out_dir)
        return {path for path, key in files.items()
                if not self._intact(live, path, key, self.previous)}

    def put(self, path: str, key: str, data: bytes | None = None,
            source: Path | None = None) -> Entry:
        """Put a file into the new output: kept, linked if unchanged, else written or copied."""
        kept = self.reusable(path, key)
        if kept is not None:
            return kept
        # Plain strings, not Paths: this runs for every file of the site.
        target = f"{self.folder}/{path}"
        if self.spare:
            # Never write through a link: the file may be the live site's too.
            with contextlib.suppress(FileNotFoundError):
                os.unlink(target)
        parent = os.path.dirname(target)
        if parent not in self.made_folders:
            os.makedirs(parent, exist_ok=True)
            self.made_folders.add(parent)
        if path not in self.stale:
            os.link(f"{self.out_dir}/{path}", target)
            old = self.previous[path]
            return (path, key, old[1], old[2])
        if source is not None:
            shutil.copyfile(source, target)
        elif data is None:  # (a file to make again, with nothing to make it from)
            raise ValueError(f"{path} is to be written, but no bytes were given")
        else:
            with open(target, "wb") as handle:
                handle.write(data)
        stat = os.stat(target)
        return (path, key, stat.st_size, stat.st_mtime_ns)

    def reusable(self, path: str, key: str) -> Entry | None:
        """The file's entry if the new output already holds it as made from key (left there
        by the build before last), else None."""
        if self._intact(str(self.folder), path, key, self.spare):
            old = self.spare[path]
            return (path, key, old[1], old[2])
        return None

    def put_late(self, path: str, key: str, data: bytes) -> Entry:
        """Put a file that could be known only once the rest were made (the search index)."""
        _check_path(path)
        if not self._intact(str(self.out_dir), path, key, self.previous):
            self.stale.add(path)
        return self.put(path, key, data)

    def previous_files(self, belongs: Callable[[str], bool]) -> dict[str, str]:
        """The current output's files that `belongs` picks, with their keys: to carry them
        over as they are. A file changed or removed since has the key "" (not to be
        carried over)."""
        live = str(self.out_dir)
        return {path: entry[0] if self._intact(live, path, entry[0], self.previous) else ""
                for path, entry in self.previous.items() if belongs(path)}

    def _intact(self, folder: str, path: str, key: str,
                manifest: dict[str, tuple[str, int, int]]) -> bool:
        # Nobody else writes to a private folder: its manifest is the truth, no need to look.
        if self.private:
            old = manifest.get(path)
            return old is not None and old[0] == key
        return _intact(folder, path, key, manifest)

    def record(self, entries: Sequence[Entry]) -> None:
        """Note files put into the new output (by this process or a worker)."""
        for entry in entries:
            self.entries[entry[0]] = entry

    @contextlib.contextmanager
    def filling(self, keep_on: tuple[type[BaseException], ...] = ()) -> Iterator[None]:
        """Fill the new output. Leaving with an error, it is thrown away (the current output
        stays exactly as it was); but for a `keep_on` error, it is set aside, whole but for
        what was given up, for the next build to bring up to date."""
        try:
            yield
        except OSError as error:
            self.abort()
            raise write_problem(error, self.out_dir) from None
        except keep_on:
            self.set_aside()
            raise
        except BaseException:
            self.abort()
            raise

    def commit(self) -> int:
        """Swap the new output in; return the number of files it holds. (Called within
        `filling`, which throws the new output away if this fails.)"""
        write_manifest(self.folder, self.entries, self.manifests)
        _swap(self.folder, self.out_dir)
        return len(self.entries)

    def set_aside(self) -> None:
        """Leave the new output unswapped but marked with what it holds, for the next build to
        bring up to date rather than assemble a folder from nothing."""
        try:
            write_manifest(self.folder, self.entries, self.manifests)
        except OSError:
            self.abort()

    def abort(self) -> None:
        """Throw the new output away; the current one stays exactly as it was."""
        _throw_away(self.folder)


def wanted_files(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Every file of the site by path, with its key; two at one address is a problem."""
    wanted: dict[str, str] = {}
    for path, key in pairs:
        if path in wanted or path == MARKER:
            raise BuildError([Problem(path, None, "two things want this address; rename one "
                                                  "of them")])
        wanted[path] = key
    return wanted


def prepare_spare(out_dir: Path) -> None:
    """Make the spare folder a linked copy of the output, if there is none: the next build then
    brings a few files up to date rather than link every file into an empty folder (the
    preview does this while it is idle after its first build)."""
    spare = _spare_of(out_dir.resolve())
    if spare.exists() or not (out_dir / MARKER).is_file():
        return
    building = spare.with_name(f"{spare.name}-{os.getpid()}")
    try:
        for path in _files_in(out_dir):
            if path != MARKER:
                (building / path).parent.mkdir(parents=True, exist_ok=True)
                os.link(out_dir / path, building / path)
        # The marker last: until it is there, the folder is not trusted.
        os.link(out_dir / MARKER, building / MARKER)
        building.rename(spare)
    except OSError:
        _throw_away(building)


def _spare_of(out_dir: Path) -> Path:
    """Where the previous build of out_dir is kept."""
    return out_dir.parent / f".newsroom-prev-{out_dir.name}"


def _files_in(folder: Path) -> list[str]:
    """Every file (or link) under folder, relative to it; a folder that cannot be read is
    passed over. (A large site has thousands of folders: scandir, no relpath per folder.)"""
    found: list[str] = []
    pending = [("", str(folder))]
    while pending:
        prefix, current = pending.pop()
        with contextlib.suppress(OSError), os.scandir(current) as entries:
            for entry in entries:
                try:
                    is_folder = entry.is_dir(follow_symlinks=False)
                except OSError:
                    is_folder = False  # cannot tell: counted as a file, so never lost unseen
                if is_folder:
                    pending.append((f"{prefix}{entry.name}/", entry.path))
                else:
                    found.append(prefix + entry.name)
    return found


def _intact(folder: str, path: str, key: str, manifest: dict[str, tuple[str, int, int]]
            ) -> bool:
    """Whether folder holds path as the manifest says, made from key, untouched since."""
    old = manifest.get(path)
    if old is None or old[0] != key:
        return False
    try:
        stat = os.stat(f"{folder}/{path}")
    except OSError:
        return False
    return (stat.st_size, stat.st_mtime_ns) == (old[1], old[2])


def _remove_empty_parents(folder: Path, path: str) -> None:
    parent = (folder / path).parent
    while parent != folder:
        try:
            parent.rmdir()  # only succeeds when empty
        except OSError:
            return
        parent = parent.parent


@contextlib.contextmanager
def locked(out_dir: Path, source: str = "site_config.yaml") -> Iterator[None]:
    """Hold the output folder's lock: one build writes to it at a time.

    The lock is a file beside the folder naming the process that holds it. A lock left by a
    build that was killed (its process is gone) is taken over.
    """
    out_dir = out_dir.resolve()
    lock = out_dir.parent / f".newsroom-lock-{out_dir.name}"
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise write_problem(error, out_dir) from None
    for _ in range(3):
        try:
            handle = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            holder = _lock_holder(lock)
            if holder is not None and holder != os.getpid() and _alive(holder):
                raise BuildError([Problem(source, None, f"another build (process {holder}) "
                                          f"is writing {out_dir}; wait for it to finish")]
                                 ) from None
            with contextlib.suppress(FileNotFoundError):
                lock.unlink()  # left by a build that was killed
            continue
        except OSError as error:
            raise write_problem(error, out_dir) from None
        with os.fdopen(handle, "w") as stream:
            stream.write(f"{os.getpid()}\n")
        break
    else:
        raise BuildError([Problem(source, None, f"cannot take the lock {lock}; delete it if "
                                                "no build is running")])
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            if _lock_holder(lock) == os.getpid():
                lock.unlink()


def _lock_holder(lock: Path) -> int | None:
    try:
        return int(lock.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _check_path(path: str) -> None:
    normal = posixpath.normpath(path)
    if normal != path or normal.startswith(("/", "../")) or normal in (".", ".."):
        raise BuildError([Problem(path, None, "would be written outside the output folder")])


def _throw_away(folder: Path) -> None:
    """Delete a folder. It is first moved into the trash beside it, whole (a rename), so that
    what a build killed while deleting leaves is never taken for that folder."""
    if folder.exists():
        with contextlib.suppress(OSError):
            (folder.parent / TRASH).mkdir(exist_ok=True)
            folder.rename(folder.parent / TRASH / f"{folder.name}-{time.time_ns()}")
        shutil.rmtree(folder, ignore_errors=True)  # (if it could not be moved)
    empty_trash(folder.parent)


def empty_trash(parent: Path) -> None:
    """Delete what builds put aside beside an output folder."""
    shutil.rmtree(parent / TRASH, ignore_errors=True)


Manifests = dict[tuple[int, ...], dict[str, tuple[str, int, int]]]


def read_manifest(out_dir: Path, known: Manifests | None = None
                  ) -> dict[str, tuple[str, int, int]]:
    """What the current output holds and what made it, from its marker file (or nothing).

    `known`: manifests this process wrote (see write_manifest); the dict returned may then
    be one of them: do not change it.
    """
    try:
        if known:
            found = known.get(_identity(os.stat(out_dir / MARKER)))
            if found is not None:
                return found
        text = (out_dir / MARKER).read_text(encoding="utf-8")
        data = json.loads(text.split("\n", 1)[1])
        files = data["files"] if data.get("format") == MANIFEST_FORMAT else {}
        return {path: (entry[0], int(entry[1]), int(entry[2])) for path, entry in files.items()
                if isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], str)}
    except (OSError, ValueError, IndexError, KeyError, TypeError, AttributeError):
        return {}


def write_manifest(folder: Path, entries: dict[str, Entry], known: Manifests | None = None
                   ) -> None:
    """The marker file: says newsroom made this folder and what each file was made from.
    Remembered in `known`, when given."""
    files = {path: [key, size, mtime] for path, (_, key, size, mtime) in sorted(entries.items())}
    text = ("This folder is made by newsroom and replaced on every build.\n"
            + json.dumps({"format": MANIFEST_FORMAT, "files": files}, separators=(",", ":")))
    (folder / MARKER).write_text(text, encoding="utf-8")
    if known is None:
        return
    # A process that builds again (the preview) need not read back what it just wrote: the
    # marker is known by its inode, size and times, whichever folder it ends up in after the
    # swap; any change to the file gives it another identity. The last two are kept: the
    # output's and its spare's.
    while len(known) > 1:
        del known[next(iter(known))]
    known[_identity(os.stat(folder / MARKER))] = {
        path: (key, size, mtime) for path, (_, key, size, mtime) in entries.items()}


def _identity(stat: os.stat_result) -> tuple[int, ...]:
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def _swap(new: Path, current: Path) -> None:
    """Put `new` in place of `current`; `new` then names the old folder (if there was one)."""
    if current.exists() and exchange_folders(new, current):
        return
    old = new.with_name(f".newsroom-old-{current.name}-{os.getpid()}")
    if current.exists():
        current.rename(old)
    try:
        new.rename(current)
    except OSError:
        if old.exists() and not current.exists():
            old.rename(current)  # put the previous site back before reporting
        raise
    if old.exists():
        old.rename(new)


def exchange_folders(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0


def write_problem(error: OSError, out_dir: Path) -> BuildError:
    """An error from the file system as a problem: where, and what went wrong."""
    where = error.filename or out_dir
    return BuildError([Problem(str(where), None, f"cannot write: {error.strerror}")])


def publish(outputs: Sequence[Output], assets: Sequence[Asset], out_dir: Path, root: Path,
            templates_dir: Path | None = None, source: str = "site_config.yaml") -> int:
    """Write every output and asset into out_dir as one swap; return the files it holds."""
    staging = Staging(out_dir, root, templates_dir or root / "templates", source)
    wanted = wanted_files([*((a.url_path, asset_key(a)) for a in assets),
                           *((o.path, digest(o.data)) for o in outputs)])
    if not staging.plan(wanted):
        return len(wanted)
    with staging.filling():
        staging.record([staging.put(a.url_path, wanted[a.url_path], source=a.source)
                        for a in assets])
        staging.record([staging.put(o.path, wanted[o.path], o.data) for o in outputs])
        return staging.commit()


def asset_key(asset: Asset) -> str:
    """What a copied file is made from: its source, size and modification time."""
    stat = asset.source.stat()
    return digest(str(asset.source), str(stat.st_size), str(stat.st_mtime_ns))


def create_file(path: Path, text: str, root: Path) -> None:
    """Create a new file inside the site; never overwrite one (raises BuildError)."""
    shown = site_path(path, root)
    if path.exists():
        raise BuildError([Problem(shown, None, "already exists; choose another title, or "
                                               "edit the file that is there")])
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except OSError as error:
        raise BuildError([Problem(shown, None, f"cannot write: {error.strerror}")]) from None


def replace_file(path: Path, data: bytes, shown: str) -> None:
    """Replace the file whole (a reader sees the old bytes or the new, never half), keeping
    its permissions; raise BuildError when it cannot be written. `shown`: its name in the
    problem."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        if path.exists():
            shutil.copymode(path, temporary)
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise BuildError([Problem(shown, None, f"cannot write: {error.strerror}")]) \
            from None
