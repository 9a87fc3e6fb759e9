"""The files of a run, for resolving names to paths and reading each file at most once."""

from __future__ import annotations

import json
import os
import posixpath
import stat
from pathlib import Path

from phi_lint.models import Notification
from phi_lint.parsers.indented import markup_text
from phi_lint.textio import DEFAULT_MAX_FILE_SIZE, read_source


class RepoIndex:
    """Repo-relative paths of every discovered file, with cached reads and name look-ups."""

    def __init__(self, root: Path, files: dict[str, str], max_file_size: int = DEFAULT_MAX_FILE_SIZE):
        self.root = root
        self.kinds = dict(files)  # rel -> kind (markup, script, manifest, code, config)
        self.max_file_size = max_file_size
        self._texts: dict[str, str | None] = {}
        self._names: dict[str, list[str]] | None = None  # base name -> rels, made at the first look-up
        self.missing: list[tuple[str, str, int]] = []  # (source, name, line) of unresolved targets
        # what pass 1 noted of each file for the project passes (inference modules' file_hints);
        # None when not collected (a project pass then reads every candidate file)
        self.hints: dict[str, tuple[str, ...]] | None = None
        self.notices: list[Notification] = []  # from the project passes (run in the main process)
        self._json: dict[str, object] = {}
        self._memos: dict[object, object] = {}
        # the files read while this is a set (the project passes: phi_lint.projectindex keeps
        # their stats, so a run can tell whether those passes would read anything new)
        self.read_log: set[str] | None = None

    def memo(self, key, make):
        """What `make()` gives, made the first time `key` is asked for in this run: the look-ups
        the page-graph and inference modules repeat for every file (resolved template names,
        module aliases, the home pages). They live here, one store per RepoIndex, so they go with
        the run and each worker process has its own; the key is the asking module's name (with a
        tag when a module keeps several)."""
        memos = self._memos
        if key not in memos:
            memos[key] = make()
        return memos[key]

    def _by_name(self) -> dict[str, list[str]]:
        """Every file under its base name, sorted: made when first asked (a pre-commit run's main
        process, whose project passes come from the project index, never asks)."""
        if self._names is None:
            names: dict[str, list[str]] = {}
            for rel in sorted(self.kinds):
                names.setdefault(posixpath.basename(rel), []).append(rel)
            self._names = names
        return self._names

    @property
    def files(self) -> list[str]:
        return sorted(self.kinds)

    def exists(self, rel: str) -> bool:
        return rel in self.kinds

    def on_disk(self, rel: str) -> bool:
        """Whether `rel` is a regular file under the root that the run did not index (excluded:
        `*.min.js`, a file in `vendor/`, a style sheet), reached without following a link: a
        name the page graph cannot resolve but that is there needs no "not in the repository"
        note, and a link could lead outside the tree. Each path is looked at once per run."""
        known = self.memo("repo:on-disk", dict)
        if rel not in known:
            known[rel] = _regular_file_without_links(str(self.root), rel)
        return known[rel]

    def kind(self, rel: str) -> str | None:
        return self.kinds.get(rel)

    def of_kind(self, *kinds: str) -> list[str]:
        return [rel for rel in sorted(self.kinds) if self.kinds[rel] in kinds]

    def read(self, rel: str) -> str | None:
        """The file's text (read once per run), or None when it cannot be read."""
        if self.read_log is not None:
            self.read_log.add(rel)
        if rel not in self._texts:
            result = read_source(str(self.root / rel), self.max_file_size)
            # Haml, Slim and Pug as the HTML they stand for, as the file stages read them
            self._texts[rel] = markup_text(rel, result.text) if result.text is not None else None
        return self._texts[rel]

    def text_read(self, rel: str) -> str | None:
        """The text `read` gave for the file this run (None when not read or unreadable)."""
        return self._texts.get(rel)

    def json(self, rel: str):
        """The file's JSON value (parsed once per run), or None when it cannot be read or parsed,
        with a notice: a project pass that depends on it (a package.json's dependencies) then
        loses only what this file would have told it."""
        if rel not in self._json:
            value = None
            text = self.read(rel)
            if text:
                try:
                    value = json.loads(text)
                except ValueError as exc:
                    self.note(rel, f"not valid JSON ({str(exc)[:80]}); what the project passes read from it was skipped", level="note")
                except RecursionError:
                    self.note(rel, "JSON nested too deep to read; what the project passes read from it was skipped", level="note")
            self._json[rel] = value
        return self._json[rel]

    def note(self, rel: str, message: str, level: str = "warning") -> None:
        self.notices.append(Notification(rel, message, level=level))

    def by_suffix(self, suffix: str) -> list[str]:
        """Files whose path is `suffix` or ends with `/suffix` (e.g. a template name)."""
        suffix = suffix.strip("/")
        if not suffix:
            return []
        candidates = self._by_name().get(posixpath.basename(suffix), [])
        return [rel for rel in candidates if rel == suffix or rel.endswith("/" + suffix)]

    def first(self, candidates) -> str | None:
        """The first candidate path that exists."""
        for candidate in candidates:
            normal = posixpath.normpath(candidate).lstrip("/")
            if normal in self.kinds:
                return normal
        return None

    def note_missing(self, source: str, name: str, line: int) -> None:
        self.missing.append((source, name, line))


def _regular_file_without_links(root: str, rel: str) -> bool:
    """Whether root/rel is a regular file, no part of `rel` being a link ("..", absolute paths and
    links are False: nothing outside the tree is looked at)."""
    parts = rel.split("/")
    if not rel or rel.startswith("/") or any(part in ("", ".", "..") for part in parts):
        return False
    path = root
    try:
        for part in parts:
            path = os.path.join(path, part)
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                return False
        return stat.S_ISREG(mode)
    except (OSError, ValueError):
        return False
