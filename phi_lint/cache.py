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
import tempfile
from dataclasses import dataclass
from pathlib import Path

from phi_lint import __version__

FORMAT = 3


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


class FileCache:
    def __init__(self, directory: Path, key: str):
        self.directory = directory
        self.path = directory / f"scan-{key}.pickle"
        self.entries: dict[str, Entry] = {}
        self.dirty = False
        try:
            with open(self.path, "rb") as handle:
                data = _load_without_collections(handle)
            if isinstance(data, dict):
                self.entries = data
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
            self.entries = {}

    def get(self, rel: str, stat: os.stat_result, need_sightings: bool):
        entry = self.entries.get(rel)
        if entry is None or entry.mtime_ns != stat.st_mtime_ns or entry.size != stat.st_size:
            return None
        if need_sightings and not entry.analysed:
            return None
        return entry.outcome

    def put(self, rel: str, stat: os.stat_result, analysed: bool, outcome) -> None:
        self.entries[rel] = Entry(stat.st_mtime_ns, stat.st_size, analysed, outcome)
        self.dirty = True

    def get_pages(self, rel: str, stat: os.stat_result) -> list | None:
        entry = self.entries.get(rel)
        if entry is None or entry.mtime_ns != stat.st_mtime_ns or entry.size != stat.st_size:
            return None
        return entry.pages

    def put_pages(self, rel: str, stat: os.stat_result, inferences: list) -> None:
        entry = self.entries.get(rel)
        if entry is not None and entry.mtime_ns == stat.st_mtime_ns and entry.size == stat.st_size:
            entry.pages = list(inferences)
            self.dirty = True

    def prune(self, live: set[str]) -> None:
        stale = set(self.entries) - live
        for rel in stale:
            del self.entries[rel]
        self.dirty = self.dirty or bool(stale)

    def save(self) -> None:
        if not self.dirty:
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            ignore = self.directory / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# created by phi-lint\n*\n")
            for old in self.directory.glob("scan-*.pickle"):
                if old != self.path:
                    old.unlink(missing_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(self.entries, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except OSError:
            pass  # a cache that cannot be written only costs time


def cache_dir(project: Path) -> Path:
    configured = os.environ.get("PHI_LINT_CACHE_DIR")
    return Path(configured) if configured else project / ".phi-lint-cache"
