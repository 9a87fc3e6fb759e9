"""A per-project cache of what each file contributed to the last scan.

A file whose size and modification time are unchanged is not read again: its sightings,
page-graph edges, inferences, tags and notices come from the cache. The cache key covers the
phi-lint code, the catalogue and rule data, the configuration and the options that change
per-file results, so any of those changing starts a fresh cache. It lives in
`.phi-lint-cache/` at the project root (or $PHI_LINT_CACHE_DIR) and ignores itself in git.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from phi_lint import __version__

FORMAT = 4


@dataclass
class Entry:
    mtime_ns: int
    size: int
    analysed: bool  # sightings were computed (the file was reported on in that run)
    outcome: object
    pages: list | None = None  # what the page says of itself, once a scan needed it (pass 2)


def _digest_tree(directory: Path, hasher) -> None:
    for path in sorted(directory.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            stat = path.stat()
            hasher.update(f"{path.relative_to(directory)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())


def cache_key(config, vendor_dirs, flags: tuple) -> str:
    from phi_lint.resources import rules_dir

    hasher = hashlib.sha256(f"{FORMAT}:{__version__}:{flags!r}".encode())
    _digest_tree(Path(__file__).resolve().parent, hasher)  # the code itself
    _digest_tree(rules_dir(), hasher)
    for directory in vendor_dirs:
        _digest_tree(Path(directory), hasher)
    if config.path is not None:
        hasher.update(config.path.read_bytes())
    return hasher.hexdigest()[:24]


def _load_without_collections(handle):
    """pickle.load with the cyclic collector paused: unpickling builds only acyclic objects, and
    the collector, run again and again on them, cost a third of the load time."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.load(handle)
    finally:
        if enabled:
            gc.enable()


SHARDS = 32  # a run that changed a few files rewrites a few shards, not the whole cache


def _shard(rel: str) -> int:
    return zlib.crc32(rel.encode("utf-8", "surrogatepass")) % SHARDS


class FileCache:
    """Entries in SHARDS pickle files under `scan-<key>/`; only the shards a run changed are
    written back (a whole 20,000-file cache took 0.13 s to write after a pre-commit run)."""

    def __init__(self, directory: Path, key: str):
        self.directory = directory
        self.path = directory / f"scan-{key}"
        self.shards: list[dict[str, Entry]] = [{} for _ in range(SHARDS)]
        self._dirty: set[int] = set()
        for index in range(SHARDS):
            try:
                with open(self.path / f"{index:02d}.pickle", "rb") as handle:
                    data = _load_without_collections(handle)
                if isinstance(data, dict):
                    self.shards[index] = data
            except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
                pass  # a missing or damaged shard only costs time

    @property
    def dirty(self) -> bool:
        return bool(self._dirty)

    @property
    def entries(self) -> dict[str, Entry]:
        """Every entry (a merged view, for tests and tools)."""
        merged: dict[str, Entry] = {}
        for shard in self.shards:
            merged.update(shard)
        return merged

    def _entry(self, rel: str, stat: os.stat_result) -> Entry | None:
        entry = self.shards[_shard(rel)].get(rel)
        if entry is None or entry.mtime_ns != stat.st_mtime_ns or entry.size != stat.st_size:
            return None
        return entry

    def get(self, rel: str, stat: os.stat_result, need_sightings: bool):
        entry = self._entry(rel, stat)
        if entry is None or (need_sightings and not entry.analysed):
            return None
        return entry.outcome

    def put(self, rel: str, stat: os.stat_result, analysed: bool, outcome) -> None:
        index = _shard(rel)
        self.shards[index][rel] = Entry(stat.st_mtime_ns, stat.st_size, analysed, outcome)
        self._dirty.add(index)

    def get_pages(self, rel: str, stat: os.stat_result) -> list | None:
        entry = self._entry(rel, stat)
        return None if entry is None else entry.pages

    def put_pages(self, rel: str, stat: os.stat_result, inferences: list) -> None:
        entry = self._entry(rel, stat)
        if entry is not None:
            entry.pages = list(inferences)
            self._dirty.add(_shard(rel))

    def prune(self, live: set[str]) -> None:
        for index, shard in enumerate(self.shards):
            stale = [rel for rel in shard if rel not in live]
            for rel in stale:
                del shard[rel]
            if stale:
                self._dirty.add(index)

    def save(self) -> None:
        if not self._dirty:
            return
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            ignore = self.directory / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# created by phi-lint\n*\n")
            for old in self.directory.glob("scan-*"):
                if old == self.path:
                    continue
                # another key: older code, catalogue or configuration
                if old.is_dir():
                    shutil.rmtree(old, ignore_errors=True)
                else:
                    old.unlink(missing_ok=True)
            for index in sorted(self._dirty):
                fd, tmp = tempfile.mkstemp(dir=self.path, suffix=".tmp")
                with os.fdopen(fd, "wb") as handle:
                    pickle.dump(self.shards[index], handle, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, self.path / f"{index:02d}.pickle")
            self._dirty.clear()
        except OSError:
            pass  # a cache that cannot be written only costs time


def cache_dir(project: Path) -> Path:
    configured = os.environ.get("PHI_LINT_CACHE_DIR")
    return Path(configured) if configured else project / ".phi-lint-cache"
