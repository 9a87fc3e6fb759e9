"""The scan's entry point: which condition on the signed-in state each sighting of a file sits in.

A sighting inside one gets `details["signedIn"]`: who sees it (`shown`: "signed-out" or
"signed-in"), the condition as a note quotes it, and where that is written. The policy reads it
(phi_lint/signedin/reach.py). Template comments are blanked first, so a condition that is only
mentioned in a comment is not read; a sighting of a kind that is not page code (a tag-manager tag,
a policy, a dependency) is left as it is."""

from __future__ import annotations

from dataclasses import replace

from phi_lint.models import Sighting
from phi_lint.signedin.branches import Branch, innermost_guard, path_guards
from phi_lint.signedin.conditions import Syntax, syntaxes_in
from phi_lint.textio import LineIndex

NOT_PAGE_CODE = frozenset({"tag-manager-tag", "csp", "dependency", "package-manifest"})
KEY = "signedIn"
PATH_KEY = "pathConditions"


def _dialect(rel: str, kind: str) -> tuple[str, tuple[str, ...]] | None:
    """(dialect name, comment syntaxes) of a file: a template dialect, or "script" for JS/TS."""
    if kind == "script":
        from phi_lint.lang.javascript import language_for

        return ("script", ()) if language_for(rel) is not None else None
    from phi_lint.dialects import dialect_for

    dialect = dialect_for(rel.rsplit("/", 1)[-1].lower())
    if dialect is None:
        return None
    comments = dialect.comments + (("html",) if dialect.flavour == "vue" else ())
    return dialect.name, comments


def _points(sighting: Sighting, lines: LineIndex, text: str) -> tuple[int, int]:
    """The character range a sighting covers: its span, and the start of every other line of it."""
    span = sighting.span
    start = lines.offset(span.line, span.column)
    end = lines.offset(span.end_line, span.end_column)
    for line in sighting.lines:
        if line == span.line:
            continue
        at = lines.offset(line, 1)
        while at < len(text) and text[at] in " \t":
            at += 1
        start, end = min(start, at), max(end, at + 1)
    return start, max(end, start + 1)


def guard_sightings(rel: str, kind: str, text: str, sightings: list[Sighting], parsed=None) -> list[Sighting]:
    """The sightings, each inside a condition on the signed-in state marked with it."""
    candidates = [s for s in sightings if s.kind not in NOT_PAGE_CODE and s.path == rel]
    if kind not in ("markup", "script") or not candidates:
        return sightings
    dialect = _dialect(rel, kind)
    if dialect is None:
        return sightings
    syntaxes = syntaxes_in(dialect[0], text)
    if not syntaxes:
        return sightings
    lines = LineIndex(text)
    points = {id(s): _points(s, lines, text) for s in candidates}
    branches = _branches(rel, text, dialect[1], syntaxes, lines, list(points.values()), parsed)
    if not branches:
        return sightings
    marked = []
    for sighting in sightings:
        where = points.get(id(sighting))
        if where is None:
            marked.append(sighting)
            continue
        guard = innermost_guard(branches, *where)
        paths = path_guards(branches, *where)
        marked.append(sighting if guard is None and not paths else _marked(sighting, guard, paths))
    return marked


def file_branches(rel: str, kind: str, text: str, points: list[tuple[int, int]]) -> list[Branch]:
    """The branches of a file's conditions on the signed-in state and on the path, for the places
    `points` (character ranges; JS/TS conditions are read only around them)."""
    dialect = _dialect(rel, kind) if kind in ("markup", "script") else None
    if dialect is None:
        return []
    syntaxes = syntaxes_in(dialect[0], text)
    if not syntaxes:
        return []
    return _branches(rel, text, dialect[1], syntaxes, LineIndex(text), points, None)


def condition_of(branch: Branch, path: str) -> dict:
    """A branch as the sightings and the policy record it (details["signedIn"] and the like)."""
    found = {"shown": branch.meaning.shown, "condition": branch.condition, "path": path, "line": branch.line}
    if branch.meaning.prefix:
        found["prefix"] = branch.meaning.prefix
    return found


def _branches(rel: str, text: str, comments: tuple[str, ...], syntaxes: list[Syntax], lines: LineIndex,
              points: list[tuple[int, int]], parsed) -> list[Branch]:
    if comments:
        from phi_lint.parsers.template_comments import blank_comments

        text = blank_comments(text, comments)
    found: list[Branch] = []
    for syntax in syntaxes:
        if syntax.reader == "jsx":
            from phi_lint.signedin.jsx import read_jsx

            tree = _tree(rel, text, parsed)
            if tree is not None:
                found.extend(read_jsx(text, syntax, lines, tree, points))
        elif syntax.reader == "php":
            from phi_lint.signedin.php import read_php

            found.extend(read_php(text, syntax, lines))
        elif syntax.reader == "vue":
            from phi_lint.signedin.vue import read_vue

            found.extend(read_vue(text, syntax, lines))
        else:
            from phi_lint.signedin.templates import READERS

            found.extend(READERS[syntax.reader](text, syntax, lines))
    return found


def _tree(rel: str, text: str, parsed):
    """The file's JS/TS tree: the scan's shared parse when there is one."""
    from phi_lint.lang import Source

    source = parsed if parsed is not None and parsed.text is text else Source(rel, text)
    script = source.script
    return script.tree if script is not None else None


def _marked(sighting: Sighting, guard: Branch | None, paths: list[Branch]) -> Sighting:
    details = dict(sighting.details or {})
    if guard is not None:
        details[KEY] = condition_of(guard, sighting.path)
    if paths:
        details[PATH_KEY] = [condition_of(branch, sighting.path) for branch in paths]
    return replace(sighting, details=details)
