"""The last walk of the project folder, kept in the cache, reused while the tree is unchanged.

Listing 20,000 files, matching them against the ignore rules and classifying them costs a
pre-commit run about a third of its time, yet between two commits the list rarely changes.
A folder's modification time changes whenever an entry is added to it, removed from it or
renamed in it, so the walk's outcome (files, notices, excluded count) holds for as long as:

- the walk's settings are the same (`memo_key`: the folder walked, the project root, the
  configuration's excludes, the default excludes on or off, phi-lint's code and data);
- every folder it listed has the same modification time, change time and inode;
- every `.gitignore` it read has the same size, modification time and inode;
- every ignored path it asked git's index about gets the same answer (asked again only when
  `.git/index` changed: staging files changes the index, not which ignored paths are tracked).

A walk that met a symbolic link is not kept (what a link leads to changes without its folder
changing), nor one that listed a folder modified within RACY_NS of the walk (timestamps are
coarse: an entry added in the same tick would leave the time unchanged, as git's "racy" files).
The memo is data only, checked when read; one that is not what phi-lint writes is not used.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field

from phi_lint.models import Notification

FORMAT = 2  # 2: the files as two columns (paths, kinds); 1: a pair a file
NAME = "walk.json"  # in the project's cache folder, beside the scan-<key>/ folders
RACY_NS = 2_000_000_000
# every kind phi_lint.discovery.classify gives (a memo holding another is refused as damaged)
_KINDS = frozenset({"markup", "script", "manifest", "mobile", "code", "config", "json", "server-config", "site-config",
                    "sign", "generic", "markdown"})

Stat = tuple[int, int, int]  # (mtime_ns, ctime_ns, inode) of a folder; (size, mtime_ns, inode) of a file


def folder_stat(path: str) -> Stat | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def file_stat(path: str) -> Stat | None:
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ino)


@dataclass
class WalkLog:
    """One walk: what it found and what it depended on."""

    key: str
    started_ns: int = 0
    files: list[tuple[str, str]] = field(default_factory=list)  # (path below the top, kind) in walk order
    notes: list[Notification] = field(default_factory=list)
    excluded: int = 0
    folders: dict[str, Stat | None] = field(default_factory=dict)
    ignores: dict[str, Stat | None] = field(default_factory=dict)  # .gitignore files read
    tracked: dict[str, bool] = field(default_factory=dict)  # "d:"/"f:" + path -> tracked by git
    index: Stat | None = None  # .git/index as it was before the walk
    keepable: bool = True  # False once the walk met a link or failed to stat what it read

    def note_folder(self, path: str) -> None:
        seen = self.folders[path] = folder_stat(path)
        if seen is None or seen[0] >= self.started_ns - RACY_NS:
            self.keepable = False

    def note_ignore_file(self, path: str) -> None:
        seen = self.ignores[path] = file_stat(path)
        if seen is None or os.path.islink(path):
            self.keepable = False

    def unchanged(self, tracked, index_path: str) -> bool:
        """Whether the tree still looks as it did; tracked(full, is_dir) asks git's index at
        index_path again, when it changed."""
        for path, seen in self.folders.items():
            if folder_stat(path) != seen:
                return False
        for path, seen in self.ignores.items():
            if file_stat(path) != seen:
                return False
        if not self.tracked or file_stat(index_path) == self.index:
            return True
        for query, answer in self.tracked.items():
            if tracked(query[2:], query[0] == "d") != answer:
                return False
        return True


def memo_key(top: str, root: str, config, defaults: bool, code: str) -> str:
    """What a walk's result depends on. The configuration's folder anchors only its own exclude
    patterns: without any, it is left out, so a run naming files (whose folder stands in for the
    configuration's when there is no configuration file) replays the walk of a run over the
    whole project, and runs naming files of other folders share it."""
    user_patterns = config.exclude is not None or bool(config.extend_exclude)
    config_root = str(config.root) if user_patterns else None
    settings = repr((FORMAT, top, root, config_root, config.exclude, list(config.extend_exclude), defaults, code))
    return hashlib.sha256(settings.encode("utf-8", "surrogateescape")).hexdigest()[:24]


# -- on disk ---------------------------------------------------------------------------------


def encode(log: WalkLog) -> bytes:
    from phi_lint.cachecodec import NOTIFICATION

    document = {
        "phi-lint-walk": FORMAT,
        "key": log.key,
        "files": {"rel": [rel for rel, _ in log.files], "kind": [kind for _, kind in log.files]},
        "notes": [NOTIFICATION.encode(note) for note in log.notes],
        "excluded": log.excluded,
        "folders": {path: list(seen) if seen else None for path, seen in log.folders.items()},
        "ignores": {path: list(seen) if seen else None for path, seen in log.ignores.items()},
        "tracked": log.tracked,
        "index": list(log.index) if log.index else None,
    }
    return json.dumps(document, separators=(",", ":"), allow_nan=False).encode("utf-8", "surrogateescape")


_KEYS = {"phi-lint-walk", "key", "files", "notes", "excluded", "folders", "ignores", "tracked", "index"}


def decode(data: bytes | None, key: str, top: str) -> WalkLog | None:
    """The walk in `data` when it is of this key and what phi-lint writes: every file a path
    below `top`, of a known kind; else None."""
    from phi_lint.cachecodec import NOTIFICATION, Invalid

    if not data:
        return None
    try:
        document = json.loads(data.decode("utf-8", "surrogateescape"))
        if type(document) is not dict or document.keys() != _KEYS:
            return None
        if document["phi-lint-walk"] != FORMAT or document["key"] != key or type(document["excluded"]) is not int:
            return None
        files = _files(_typed(document["files"], dict))
        if files is None:
            return None
        tracked = _typed(document["tracked"], dict)
        if not all(type(k) is str and k[:2] in ("d:", "f:") and type(v) is bool for k, v in tracked.items()):
            return None
        return WalkLog(key, 0, files, [NOTIFICATION.decode(n) for n in _typed(document["notes"], list)],
                       document["excluded"], _stats(document["folders"]), _stats(document["ignores"]), tracked,
                       _stats({"": document["index"]})[""])
    except (Invalid, ValueError, TypeError, RecursionError, UnicodeError):
        return None


def _files(columns: dict) -> list[tuple[str, str]] | None:
    """(path below the top, kind) of every file of the columns, None unless each path is a
    string below the top and each kind a known one. Checked a column at a time (20,000 paths
    one by one cost a pre-commit run a fortieth of a second)."""
    if columns.keys() != {"rel", "kind"}:
        return None
    rels, kinds = _typed(columns["rel"], list), _typed(columns["kind"], list)
    if len(rels) != len(kinds) or not set(map(type, rels)) <= {str} or not set(map(type, kinds)) <= {str} \
            or not set(kinds) <= _KINDS or not _all_below(rels):
        return None
    return list(zip(rels, kinds))


def _all_below(rels: list[str]) -> bool:
    """_below of every path, in one test of their join: with no NUL in any path (each NUL of
    the join is a separator), a path that is empty or has an empty, `.` or `..` part shows as
    a doubled separator or a `.`/`..` part between separators of the join."""
    if not rels:
        return True
    joined = "\0".join(rels)
    if joined.count("\0") != len(rels) - 1:
        return False  # a NUL inside a path
    sep = os.sep
    wrapped = sep + f"{sep}\0{sep}".join(rels) + sep
    return sep * 2 not in wrapped and f"{sep}.{sep}" not in wrapped and f"{sep}..{sep}" not in wrapped


def _typed(value, kind: type):
    if type(value) is not kind:
        raise ValueError(f"not a {kind.__name__}")
    return value


def _stats(value) -> dict[str, Stat | None]:
    out: dict[str, Stat | None] = {}
    for path, seen in _typed(value, dict).items():
        if seen is None:
            out[path] = None
        elif type(seen) is list and len(seen) == 3 and all(type(n) is int for n in seen):
            out[path] = (seen[0], seen[1], seen[2])
        else:
            raise ValueError("a malformed stat")
    return out
