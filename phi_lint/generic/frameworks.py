"""Web frameworks the repository uses that phi-lint does not model, from rules/unmodelled-frameworks.toml.

A framework is recognised by a sign: a file of a given name (`mix.exs`, `go.mod`, `*.csproj`)
that holds one of the given literals. A framework whose id a module of phi_lint.frameworks
registers is modelled and is not reported (the caller passes those ids: discovery imports this
module, and framework modules import discovery). Run once per scan in the main process over the few
files whose names match, each read bounded.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

from phi_lint.errors import UserError
from phi_lint.resources import rules_dir
from phi_lint.tomlread import load_shipped

FRAMEWORKS_FILE = "unmodelled-frameworks.toml"
MAX_SIGN_SIZE = 1024 * 1024  # a manifest or project file larger than this is not read for a sign


class SignTableError(UserError, ValueError):
    """A broken rules/unmodelled-frameworks.toml: exit status 2, no traceback."""


@dataclass(frozen=True)
class Sign:
    framework_id: str
    name: str
    files: tuple[str, ...]  # lower-case names, or `*.ending`
    contains: tuple[str, ...]  # lower-case literals; empty: the file alone is the sign

    def names_file(self, lower: str) -> bool:
        return any(lower.endswith(pattern[1:]) if pattern.startswith("*.") else lower == pattern
                   for pattern in self.files)


@dataclass(frozen=True, order=True)
class Detected:
    """A framework recognised and not modelled, with the file that showed it."""

    name: str
    framework_id: str
    path: str  # repo-relative


def _strings(entry: dict, key: str, where: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise SignTableError(f"{FRAMEWORKS_FILE}: {where} `{key}` must be a list of non-empty strings")
    return tuple(item.lower() for item in value)


@lru_cache(maxsize=1)
def signs() -> tuple[Sign, ...]:
    data = load_shipped(rules_dir() / FRAMEWORKS_FILE, SignTableError)
    found = []
    for number, entry in enumerate(data.get("framework", []), 1):
        where = f"framework {number}"
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not isinstance(entry.get("name"), str):
            raise SignTableError(f"{FRAMEWORKS_FILE}: {where} needs an `id` and a `name`")
        files = _strings(entry, "files", where)
        if not files:
            raise SignTableError(f"{FRAMEWORKS_FILE}: {where} names no `files`")
        found.append(Sign(entry["id"], entry["name"], files, _strings(entry, "contains", where)))
    return tuple(found)


@lru_cache(maxsize=1)
def _sign_names() -> tuple[frozenset[str], tuple[str, ...]]:
    """Every sign's exact file names, and its `*.ending` endings (discovery asks of every file)."""
    patterns = [pattern for sign in signs() for pattern in sign.files]
    return (frozenset(p for p in patterns if not p.startswith("*.")),
            tuple(sorted({p[1:] for p in patterns if p.startswith("*.")})))


def is_sign(lower: str) -> bool:
    """Whether a file (lower-case name) may show an unmodelled framework: one set look-up and one
    `endswith`, not every sign's patterns in turn, for each of a repository's files."""
    names, endings = _sign_names()
    return lower in names or (bool(endings) and lower.endswith(endings))


def detect(files, modelled: frozenset[str], read) -> list[Detected]:
    """The unmodelled frameworks the (rel, absolute path) `files` show, one entry per framework
    (its first file in path order). `read(path)` returns a file's text or None."""
    table = [sign for sign in signs() if sign.framework_id not in modelled]
    found: dict[str, Detected] = {}
    for rel, path in sorted(files):
        lower = os.path.basename(rel).lower()
        candidates = [s for s in table if s.framework_id not in found and s.names_file(lower)]
        if not candidates:
            continue
        text = read(path) if any(s.contains for s in candidates) else ""
        if text is None:
            continue
        lowered = text.lower()
        for sign in candidates:
            if not sign.contains or any(literal in lowered for literal in sign.contains):
                found[sign.framework_id] = Detected(sign.name, sign.framework_id, rel)
    return sorted(found.values())
