"""A per-project cache of what each file contributed to the last scan.

A file whose size and modification time are unchanged is not read again: its sightings,
page-graph edges, inferences, tags and notices come from the cache. The cache key covers the
phi-lint code, the catalogue and rule data, the configuration, the options that change per-file
results, the list of files, and the size and modification time of the files that any file's
results may depend on (tsconfig/jsconfig path aliases, package.json, Vite configs), so any of
those changing starts a fresh cache.

Where it lives: outside the scanned repository, as pre-commit and mypy keep theirs. The base is
`--cache-dir`, else `$PHI_LINT_CACHE_DIR`, else `$XDG_CACHE_HOME/phi-lint`, else
`~/.cache/phi-lint`; each project has its own folder in it, named from a hash of the project
root's real path. A `.phi-lint-cache/` committed in a repository is never read.

The scanned repository may be hostile, and the cache folder may be inside it (`--cache-dir`):
- the cache holds data only (JSON, see phi_lint.cachecodec), checked when read; a file that is
  not what phi-lint writes is a cache miss with a note, never an error;
- every folder phi-lint enters or creates under the base is opened without following links and
  must belong to the user running phi-lint; otherwise the run goes on without a cache, with a note;
- files are written atomically (a temporary file in the same folder, then a rename), and only
  regular files are read;
- phi-lint deletes only what it wrote: an old `scan-<key>/` folder holding its marker file, and
  in it only the file names it writes, never through a link.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import secrets
import stat
import zlib
from dataclasses import dataclass
from pathlib import Path

from phi_lint import __version__
from phi_lint.cachestate import State, empty
from phi_lint.lazyre import lazy_pattern
from phi_lint.models import Notification

FORMAT = 8  # 8: a file's analysis notices apart from its reading's; 7: route URLs among the inferences, 256 shards; 5: 32 JSON shards outside the repository (4 and before: code-running shards in the repository)
MARKER = "phi-lint-cache.json"  # in every scan-<key>/ folder phi-lint made: what it may delete
SHARDS = 256  # a run that changed a few files rewrites a few small shards, not the whole cache
MAX_SHARD_BYTES = 256 * 1024 * 1024
MAX_CONFIG_BYTES = 4 * 1024 * 1024
PROJECT = "project.json"  # the project index (phi_lint.projectindex): the project passes' outputs
STATE = "state.json"  # the merged state (phi_lint.cachestate): every file's outcome in one record
STATE_REFRESH = 64  # a run naming files rewrites the state once this many files differ from it
_SHARD_NAME = lazy_pattern(r"\A(\d{2,3}|project|state)\.json\Z")
_TEMP_NAME = lazy_pattern(r"\A(\d{2,3}\.json|project\.json|state\.json|phi-lint-cache\.json)\.[0-9a-f]{12}\.tmp\Z")
_KEY_FOLDER = lazy_pattern(r"\Ascan-[0-9a-f]{24}\Z")

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_DIR_FLAGS = os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC
# where links cannot be refused (no O_NOFOLLOW, no *at() calls), the cache is not used at all
SAFE_PLATFORM = bool(_NOFOLLOW and _DIRECTORY) and all(
    call in os.supports_dir_fd for call in (os.open, os.mkdir, os.unlink, os.rmdir, os.rename)
)


# -- where ---------------------------------------------------------------------------------


def cache_base(configured: Path | None = None) -> Path:
    """The folder that holds every project's cache folder."""
    if configured is not None:
        return configured
    chosen = os.environ.get("PHI_LINT_CACHE_DIR")
    if chosen:
        return Path(chosen)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):  # the XDG spec: a relative value is ignored
        return Path(xdg) / "phi-lint"
    return Path.home() / ".cache" / "phi-lint"


def project_folder(project: Path) -> str:
    """The project's folder name: its base name (for people) and a hash of its real path."""
    real = os.path.realpath(project)
    digest = hashlib.sha256(os.fsencode(real)).hexdigest()[:16]
    name = re.sub(r"[^A-Za-z0-9._-]", "_", os.path.basename(real))[:40].lstrip(".") or "root"
    return f"{name}-{digest}"


def _anchor(base: Path, project: Path) -> tuple[str, list[str]]:
    """Where the walk to the project's cache folder starts (a path the user chose, followed as
    is) and the folders below it, each entered without following links. A base inside the
    scanned tree is walked from the project root: everything below it is the repository's."""
    absolute = os.path.normpath(os.path.abspath(base))
    below = [project_folder(project)]
    for root in dict.fromkeys((os.path.abspath(project), os.path.realpath(project))):
        if absolute == root or absolute.startswith(root.rstrip(os.sep) + os.sep):
            rest = os.path.relpath(absolute, root)
            return root, ([] if rest == os.curdir else rest.split(os.sep)) + below
    parent, name = os.path.split(absolute)
    return parent, ([name] if name else []) + below


# -- files and folders, never through a link -----------------------------------------------


class Unsafe(Exception):
    """A cache folder phi-lint must not use: a link, not a folder, or someone else's."""


def _enter(parent: int, name: str, create: bool) -> int | None:
    """A descriptor of the folder `name` in `parent` (made when create), None when absent."""
    try:
        fd = os.open(name, _DIR_FLAGS, dir_fd=parent)
    except FileNotFoundError:
        if not create:
            return None
        try:
            os.mkdir(name, 0o700, dir_fd=parent)
        except FileExistsError:
            pass
        return _enter(parent, name, create=False)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK):
            raise Unsafe(f"{name} is a symbolic link or not a folder") from None
        raise
    owner = os.fstat(fd).st_uid
    if hasattr(os, "geteuid") and owner != os.geteuid():
        os.close(fd)
        raise Unsafe(f"{name} belongs to another user (uid {owner})")
    return fd


def _open_chain(anchor: str, parts: list[str], create: bool) -> int | None:
    if create:
        os.makedirs(anchor, mode=0o700, exist_ok=True)
    try:
        fd = os.open(anchor, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
    except FileNotFoundError:
        return None
    for part in parts:
        try:
            child = _enter(fd, part, create)
        finally:
            os.close(fd)
        if child is None:
            return None
        fd = child
    return fd


def _read_regular(folder: int, name: str, limit: int) -> bytes | None:
    """The bytes of a regular file (None when absent); ValueError for anything else."""
    try:
        fd = os.open(name, os.O_RDONLY | _NOFOLLOW | _CLOEXEC | _NONBLOCK, dir_fd=folder)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ValueError("a symbolic link, not a file phi-lint wrote") from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError("not a regular file")
        if info.st_size > limit:
            raise ValueError(f"larger than {limit} bytes")
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise ValueError(f"larger than {limit} bytes")
        return b"".join(chunks)
    finally:
        os.close(fd)


def _write_atomic(folder: int, name: str, data: bytes) -> None:
    """Write `name` in the folder as a whole or not at all; a link in its place is replaced,
    never followed."""
    temp = f"{name}.{secrets.token_hex(6)}.tmp"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o600, dir_fd=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, name, src_dir_fd=folder, dst_dir_fd=folder)
    except BaseException:
        try:
            os.unlink(temp, dir_fd=folder)
        except OSError:
            pass
        raise


def _create_once(folder: int, name: str, data: bytes) -> None:
    """Create a file unless something of that name exists (a link to elsewhere included)."""
    try:
        fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o644, dir_fd=folder)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _is_ours(folder: int) -> bool:
    """Whether this scan-<key>/ folder holds phi-lint's marker (so phi-lint made it)."""
    try:
        data = json.loads(_read_regular(folder, MARKER, 4096) or b"null")
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(data, dict) and data.get("tool") == "phi-lint"


def _remove_old_key(parent: int, name: str) -> None:
    """Delete an old scan-<key>/ folder phi-lint made: only the files it writes, then the
    folder if that left it empty. Links are not followed, and unknown entries stay."""
    try:
        folder = _enter(parent, name, create=False)
    except (Unsafe, OSError):
        return
    if folder is None:
        return
    try:
        if not _is_ours(folder):
            return
        with os.scandir(folder) as entries:
            names = [e.name for e in entries if e.is_file(follow_symlinks=False)
                     and (_SHARD_NAME.match(e.name) or _TEMP_NAME.match(e.name))]
        for file_name in names:
            os.unlink(file_name, dir_fd=folder)
        os.unlink(MARKER, dir_fd=folder)
    except OSError:
        return
    finally:
        os.close(folder)
    try:
        os.rmdir(name, dir_fd=parent)
    except OSError:
        pass  # something phi-lint did not write is in it: it stays


# -- the key -------------------------------------------------------------------------------


def _digest_tree(directory: Path, hasher) -> None:
    """Names, sizes and modification times under a folder (nothing is read; links are not
    followed, so a vendor-dirs entry linked to / costs nothing)."""
    pending = [("", str(directory))]
    while pending:
        prefix, path = pending.pop()
        try:
            with os.scandir(path) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name == "__pycache__":
                continue
            rel = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                pending.append((rel + "/", entry.path))
            elif entry.is_file(follow_symlinks=False):
                info = entry.stat(follow_symlinks=False)
                hasher.update(f"{rel}:{info.st_size}:{info.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))


def _config_digest(path: Path) -> bytes:
    """The configuration's bytes when it is a regular file of a sane size, else what stat says
    of it (a link to a shared config still invalidates the cache when its target changes)."""
    parent, name = os.path.split(os.path.abspath(path))
    try:
        folder = os.open(parent, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
        try:
            data = _read_regular(folder, name, MAX_CONFIG_BYTES)
        finally:
            os.close(folder)
        if data is not None:
            return data
    except (OSError, ValueError):
        pass
    try:
        info = os.stat(path)
        return f"stat:{info.st_mode}:{info.st_size}:{info.st_mtime_ns}:{info.st_ino}".encode()
    except OSError:
        return b"missing"


_CODE_DIGEST: list[str] = []


def code_digest() -> str:
    """A digest of phi-lint's own code and shipped data (names, sizes, modification times),
    taken once per process."""
    if not _CODE_DIGEST:
        from phi_lint.resources import rules_dir

        hasher = hashlib.sha256(f"{FORMAT}:{__version__}".encode())
        _digest_tree(Path(__file__).resolve().parent, hasher)  # the code itself
        _digest_tree(rules_dir(), hasher)
        _CODE_DIGEST.append(hasher.hexdigest())
    return _CODE_DIGEST[0]


def cache_key(config, vendor_dirs, flags: tuple) -> str:
    hasher = hashlib.sha256(f"{FORMAT}:{code_digest()}:{flags!r}".encode("utf-8", "surrogateescape"))
    for directory in vendor_dirs:
        hasher.update(f"vendor-dir {directory}\n".encode("utf-8", "surrogateescape"))
        _digest_tree(Path(directory), hasher)
    if config.path is not None:
        hasher.update(_config_digest(config.path))
    return hasher.hexdigest()[:24]


def shared_inputs(files, stats: dict[str, os.stat_result], root: Path | None = None) -> str:
    """A digest of the files any file's outcome may depend on: the path aliases of
    tsconfig/jsconfig and Vite configs, package.json (which frameworks run), a mobile app's
    platform configs and module build files (its automatic-logging judgement), the files whose
    text tells whether the repository holds WordPress (a theme's style.css header), by size and
    mtime."""
    from phi_lint.frameworks.wordpress import detection_inputs
    from phi_lint.mobile import shared_input
    from phi_lint.pagegraph.jsmodules import _VITE_CONFIGS

    wordpress_signs = set(detection_inputs(source.rel for source in files))
    hasher = hashlib.sha256()
    listed = set()
    for source in files:
        name = source.rel.rpartition("/")[2]
        listed.add(source.rel)
        if (source.kind in ("config", "manifest") or name in _VITE_CONFIGS or shared_input(source.kind, name)
                or source.rel in wordpress_signs):
            hasher.update(_seen(source.rel, stats.get(source.rel)))
    for rel in sorted(wordpress_signs - listed):  # not files the scan lists (a theme's style.css)
        try:
            info = os.lstat(root / rel) if root is not None else None  # a link is not followed out of the tree
        except OSError:
            info = None
        hasher.update(_seen(rel, info))
    return hasher.hexdigest()[:16]


def _seen(rel: str, info: os.stat_result | None) -> bytes:
    seen = f"{info.st_size}:{info.st_mtime_ns}" if info is not None else "unreadable"
    return f"{rel}\t{seen}\n".encode("utf-8", "surrogateescape")


# -- beside the scan-<key>/ folders ---------------------------------------------------------


class ProjectFile:
    """One file of phi-lint's in the project's cache folder (not under a key), such as the walk
    memo: read and written with the cache's care (no links, our own folders, atomic writes);
    anything wrong reads as absent and writes nothing."""

    def __init__(self, base: Path, project: Path, name: str, limit: int = MAX_SHARD_BYTES):
        self._anchor = _anchor(base, project)
        self.name, self.limit = name, limit
        self.code = code_digest()

    def read(self) -> bytes | None:
        if not SAFE_PLATFORM:
            return None
        anchor, parts = self._anchor
        try:
            folder = _open_chain(anchor, parts, create=False)
            if folder is None:
                return None
            try:
                return _read_regular(folder, self.name, self.limit)
            finally:
                os.close(folder)
        except (Unsafe, OSError, ValueError):
            return None

    def write(self, data: bytes) -> None:
        if not SAFE_PLATFORM:
            return
        anchor, parts = self._anchor
        try:
            folder = _open_chain(anchor, parts, create=True)
            if folder is None:
                return
            try:
                _create_once(folder, ".gitignore", b"# created by phi-lint\n*\n")
                _write_atomic(folder, self.name, data)
            finally:
                os.close(folder)
        except (Unsafe, OSError):
            pass  # a memo that cannot be written only costs time


# -- the cache -----------------------------------------------------------------------------


@dataclass
class Entry:
    mtime_ns: int
    size: int
    analysed: bool  # sightings were computed (the file was reported on in that run)
    outcome: object
    pages: list | None = None  # what the page says of itself, once a scan needed it (pass 2)


def _shard(rel: str) -> int:
    return zlib.crc32(rel.encode("utf-8", "surrogatepass")) % SHARDS


def _shard_name(index: int) -> str:
    return f"{index:03d}.json"


class FileCache:
    """Entries in SHARDS JSON files under `<base>/<project>/scan-<key>/`, each shard read when
    one of its files is first asked for; only the shards a run changed are written back. Beside
    them the merged state (`state`, phi_lint.cachestate): every file's outcome in one record,
    which a run uses for every file whose stat it matches, so it decodes no shard of an
    unchanged file. Notices (a folder refused, a file that is not what phi-lint writes) go to
    `notices`."""

    def __init__(self, base: Path, project: Path, key: str, notices: list[Notification]):
        self.key = key
        self.notices = notices
        self.folder = Path(os.path.abspath(base)) / project_folder(project)  # notices name it in full
        self.path = self.folder / f"scan-{key}"
        self._anchor = _anchor(base, project)
        self.shards: list[dict[str, Entry]] = [{} for _ in range(SHARDS)]
        self._loaded = [False] * SHARDS
        self._folder_found = False  # the scan-<key>/ folder exists and is phi-lint's: shards to read
        self._dirty: set[int] = set()
        self.state: State = empty()  # the merged state (phi_lint.cachestate): empty when absent or not usable
        self.state_read = False  # a usable state was read
        self.state_misses = 0  # files this run had to take from elsewhere than the state
        self.state_files: list[str] = []  # the run's files in order, and the stat and project
        self.state_stats: dict[str, os.stat_result] = {}  # digest of each (for a new state)
        self.state_digests: dict[str, str] = {}
        self.full_run = False  # every file asked for: the shards hold the whole run
        self.project: bytes | None = None  # the project index as read (phi_lint.projectindex)
        self._project_out: bytes | None = None  # a new one to write
        self.usable = SAFE_PLATFORM
        if not SAFE_PLATFORM:
            self._note(self.folder, "not used: this platform cannot refuse links when writing it")
            return
        try:
            self._load()
        except Unsafe as exc:
            self.usable = False
            self._note(self.folder, f"not used: {exc}")
        except OSError:
            pass  # an unreadable cache only costs time

    def _note(self, path: Path, message: str) -> None:
        self.notices.append(Notification(str(path), f"phi-lint cache {message}", level="note", code="cache"))

    def _load(self) -> None:
        anchor, parts = self._anchor
        folder = _open_chain(anchor, parts + [self.path.name], create=False)
        if folder is None:
            return
        try:
            if not _is_ours(folder):
                return
            self._folder_found = True
            try:
                self.project = _read_regular(folder, PROJECT, MAX_SHARD_BYTES)
            except (OSError, ValueError):
                self.project = None  # an unreadable index only costs the project passes
            _without_collections(self._read_state, folder)
        finally:
            os.close(folder)

    def _read_state(self, folder: int) -> None:
        from phi_lint.cachestate import decode

        try:
            data = _read_regular(folder, STATE, MAX_SHARD_BYTES)
            state = None if data is None else decode(data, self.key)
            if state is not None:
                self.state, self.state_read = state, True
        except (ValueError, RecursionError, MemoryError) as exc:  # cachecodec.Invalid is a ValueError
            self._note(self.path / STATE, f"file ignored, its files are read again: {_short(exc)}")
            self.state_misses = STATE_REFRESH  # written again by this run
        except OSError:
            pass  # a state that cannot be read only costs time

    def _shard_of(self, rel: str) -> dict[str, Entry]:
        """The shard of a file, read when first needed."""
        index = _shard(rel)
        if not self._loaded[index]:
            self._loaded[index] = True
            if self._folder_found:
                _without_collections(self._read_shards, [index])
        return self.shards[index]

    def _read_shards(self, indexes: list[int]) -> None:
        from phi_lint.cachecodec import Invalid

        anchor, parts = self._anchor
        try:
            folder = _open_chain(anchor, parts + [self.path.name], create=False)
        except (Unsafe, OSError):
            return  # checked when the cache was opened: gone or changed since, a shard only costs time
        if folder is None:
            return
        try:
            for index in indexes:
                name = _shard_name(index)
                try:
                    self.shards[index] = _read_shard(folder, name, self.key)
                except (Invalid, ValueError, RecursionError, MemoryError) as exc:
                    self._note(self.path / name, f"file ignored, its files are read again: {_short(exc)}")
                except OSError:
                    pass  # a shard that cannot be read only costs time
        finally:
            os.close(folder)

    def load_all(self) -> None:
        """Every shard not read yet."""
        todo = [index for index in range(SHARDS) if not self._loaded[index]]
        for index in todo:
            self._loaded[index] = True
        if todo and self._folder_found:
            _without_collections(self._read_shards, todo)

    @property
    def dirty(self) -> bool:
        return bool(self._dirty)

    @property
    def entries(self) -> dict[str, Entry]:
        """Every entry (a merged view, for tests and tools)."""
        self.load_all()
        merged: dict[str, Entry] = {}
        for shard in self.shards:
            merged.update(shard)
        return merged

    def _entry(self, rel: str, info: os.stat_result) -> Entry | None:
        entry = self._shard_of(rel).get(rel)
        if entry is None or entry.mtime_ns != info.st_mtime_ns or entry.size != info.st_size:
            return None
        return entry

    def get(self, rel: str, info: os.stat_result, need_sightings: bool):
        entry = self._entry(rel, info)
        if entry is None or (need_sightings and not entry.analysed):
            return None
        return entry.outcome

    def put(self, rel: str, info: os.stat_result, analysed: bool, outcome) -> None:
        if not self.usable:
            return
        self._shard_of(rel)[rel] = Entry(info.st_mtime_ns, info.st_size, analysed, outcome)
        self._dirty.add(_shard(rel))

    def state_position(self, rel: str, info: os.stat_result) -> int | None:
        """The file's position in the merged state when the state holds it for this stat."""
        return self.state.find(rel, info.st_size, info.st_mtime_ns)

    def get_pages(self, rel: str, info: os.stat_result) -> list | None:
        position = self.state_position(rel, info)
        pages = None if position is None else self.state.pages(position)
        if pages is not None:
            return pages
        entry = self._entry(rel, info)
        return None if entry is None else entry.pages

    def put_pages(self, rel: str, info: os.stat_result, inferences: list) -> None:
        entry = self._entry(rel, info)
        if entry is not None and self.usable:
            entry.pages = list(inferences)
            self._dirty.add(_shard(rel))

    def put_project(self, data: bytes) -> None:
        """A new project index, written with the shards (phi_lint.projectindex)."""
        if self.usable:
            self._project_out = data

    def prune(self, live: set[str]) -> None:
        """Drop the entries of files not in the run. Only shards read in this run: the key
        covers the list of files, so a shard not read holds only files of this list."""
        for index, shard in enumerate(self.shards):
            stale = [rel for rel in shard if rel not in live]
            for rel in stale:
                del shard[rel]
            if stale:
                self._dirty.add(index)

    def save(self) -> None:
        if not self.usable:
            return
        state = self._state_out()
        if not (self._dirty or self._project_out is not None or state is not None):
            return
        anchor, parts = self._anchor
        try:
            project = _open_chain(anchor, parts, create=True)
            if project is None:
                return  # removed while this run made it
            try:
                _create_once(project, ".gitignore", b"# created by phi-lint\n*\n")
                folder = _enter(project, self.path.name, create=True)
                if folder is None:
                    return
                try:
                    self._write_shards(folder)
                    if state is not None:
                        _write_atomic(folder, STATE, state)
                finally:
                    os.close(folder)
                self._remove_old_keys(project)
            finally:
                os.close(project)
            self._dirty.clear()
        except Unsafe as exc:
            self._note(self.folder, f"not written: {exc}")
        except OSError:
            pass  # a cache that cannot be written only costs time

    def _write_shards(self, folder: int) -> None:
        if not _is_ours(folder):
            marker = {"tool": "phi-lint", "format": FORMAT, "key": self.key}
            _write_atomic(folder, MARKER, json.dumps(marker).encode())
        for index in sorted(self._dirty):
            data = _encode_shard(self.shards[index], self.key)
            _write_atomic(folder, _shard_name(index), data)
        if self._project_out is not None:
            _write_atomic(folder, PROJECT, self._project_out)
            self._project_out = None

    def _state_out(self) -> bytes | None:
        """A new merged state when there is none yet and the run asked for every file (the shards
        hold them all), or when STATE_REFRESH files of the run were not as the state has them
        (then every shard not read yet is read once to make it): a few changed files cost a
        few shards, not a state written again."""
        if not self.state_files or (self.state_misses < STATE_REFRESH and (self.state_read or not self.full_run)):
            return None
        self.load_all()
        from phi_lint.cachestate import encode

        try:
            return encode(self.key, self._state_entries())
        except (TypeError, ValueError, RecursionError):
            return None  # a value the reader would refuse: runs go on with the shards

    def _state_entries(self):
        """(rel, size, mtime_ns, analysed, outcome, pages, digest) of every file of the run whose
        shard entry is for the stat this run saw and whose project digest the run took."""
        stats, digests = self.state_stats, self.state_digests
        for rel in self.state_files:
            info, digest = stats.get(rel), digests.get(rel)
            entry = self.shards[_shard(rel)].get(rel)
            if info is None or digest is None or entry is None:
                continue
            if entry.mtime_ns != info.st_mtime_ns or entry.size != info.st_size:
                continue
            yield rel, entry.size, entry.mtime_ns, entry.analysed, entry.outcome, entry.pages, digest

    def _remove_old_keys(self, project: int) -> None:
        """Other keys (older code, catalogue, configuration or file list) in this project's
        folder: only what phi-lint made, see _remove_old_key."""
        with os.scandir(project) as entries:
            old = [e.name for e in entries if _KEY_FOLDER.match(e.name) and e.name != self.path.name
                   and e.is_dir(follow_symlinks=False)]
        for name in old:
            _remove_old_key(project, name)


# -- shards on disk ------------------------------------------------------------------------


def _encode_shard(shard: dict[str, Entry], key: str) -> bytes:
    from phi_lint.cachecodec import INFERENCES, OUTCOME

    encode_outcome, encode_pages = OUTCOME.encode, INFERENCES.encode
    entries = {}
    for rel, entry in shard.items():
        try:
            outcome = encode_outcome(entry.outcome)
            pages = None if entry.pages is None else encode_pages(entry.pages)
        except (TypeError, ValueError, RecursionError):
            continue  # a value the reader would refuse: this file is just not cached
        entries[rel] = [entry.mtime_ns, entry.size, entry.analysed, outcome, pages]
    document = {"phi-lint-cache": FORMAT, "key": key, "entries": entries}
    return json.dumps(document, separators=(",", ":"), allow_nan=False).encode("ascii")


def _read_shard(folder: int, name: str, key: str) -> dict[str, Entry]:
    from phi_lint.cachecodec import INFERENCES, INT, OUTCOME, Invalid

    data = _read_regular(folder, name, MAX_SHARD_BYTES)
    if data is None:
        return {}
    document = json.loads(data, parse_constant=_no_constants)
    if type(document) is not dict or document.keys() != _DOCUMENT_KEYS:
        raise Invalid("not a phi-lint cache file")
    if document["phi-lint-cache"] != FORMAT or document["key"] != key:
        raise Invalid("a phi-lint cache file of another version or key")
    entries = document["entries"]
    if type(entries) is not dict:
        raise Invalid("no entries")
    decode_outcome, decode_pages, check_int = OUTCOME.decode, INFERENCES.decode, INT.decode
    shard = {}
    for rel, fields in entries.items():
        if type(fields) is not list or len(fields) != 5 or type(fields[2]) is not bool:
            raise Invalid(f"entry {rel!r} is malformed")
        mtime_ns, size, analysed, encoded, pages = fields
        outcome = decode_outcome(encoded)
        if outcome.rel != rel:
            raise Invalid(f"entry {rel!r} holds another file's outcome")
        shard[rel] = Entry(check_int(mtime_ns), check_int(size), analysed, outcome,
                           None if pages is None else decode_pages(pages))
    return shard


_DOCUMENT_KEYS = {"phi-lint-cache", "key", "entries"}


def _no_constants(name: str):
    raise ValueError(f"{name} is not something phi-lint writes")


def _without_collections(function, *args):
    """Call function with the cyclic collector paused: decoding builds only acyclic objects, and
    the collector, run again and again on them, costs a third of the load time."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        return function(*args)
    finally:
        if enabled:
            gc.enable()


def _short(exc: BaseException) -> str:
    """A short, printable reason (the file may hold anything)."""
    text = str(exc) if isinstance(exc, ValueError) else type(exc).__name__
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= 120 else text[:117] + "..."
