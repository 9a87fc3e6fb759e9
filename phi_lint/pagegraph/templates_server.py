"""Page-graph edges of ColdFusion, Apache Velocity and Mako templates.

- ColdFusion (`.cfm`, `.cfml`, `.cfc`): `<cfinclude template="x">`, `<cfmodule template="x">` and
  cfscript `include "x";`. A name is relative to the including file; a `/`-rooted one is from
  the web root (the file's folder or an ancestor) or from a mapping (`this.mappings`), found by
  the name's tail when one file has it. In an Application.cfc only the includes of the request
  functions (onRequestStart, onRequest, onRequestEnd) count: those run for every page, while
  onError or onApplicationStart do not render one. Which pages an Application file applies to is
  phi_lint/frameworks/coldfusion.py.
- Velocity (`.vm`, `.vtl`): `#parse("x")` and `#include("x")` (also `#{parse}`); names are from
  the resource loader's root: the file's folder or an ancestor.
- Mako (`.mako`): `<%inherit file="x"/>` (kind extends), `<%include file="x"/>` and
  `<%namespace file="x"/>` (kind import); relative to the file, `/x` from the lookup directory
  (an ancestor).

Comments are blanked first (rules/dialects.toml), so a commented-out include is no edge.
"""

from __future__ import annotations

import bisect
import posixpath
import re

from phi_lint.dialects import dialect_for
from phi_lint.lazyre import lazy_pattern
from phi_lint.pagegraph.model import Edge
from phi_lint.parsers.template_comments import blank_comments
from phi_lint.repopaths import ancestors

READERS = ("coldfusion", "velocity", "mako")

# ---------------------------------------------------------------- ColdFusion

_CF_TAG = lazy_pattern(r"<cf(include|module)\b([^<>]{0,2000})>", re.IGNORECASE)
_CF_TEMPLATE = lazy_pattern(r"""\btemplate\s*=\s*(?:"([^"<>]{1,1000})"|'([^'<>]{1,1000})')""", re.IGNORECASE)
_CF_SCRIPT_INCLUDE = lazy_pattern(r"""(?<![\w.])include\s+(?:template\s*=\s*)?(?:"([^"\n]{1,1000})"|'([^'\n]{1,1000})')\s*;""", re.IGNORECASE)
APPLICATION_CFC = "application.cfc"
# the Application.cfc functions that run for every page request (and render into it)
REQUEST_FUNCTIONS = ("onrequeststart", "onrequest", "onrequestend")
_TAG_FUNCTION = lazy_pattern(r"<cffunction\b([^>]{0,4000})>", re.IGNORECASE)
_NAME_ATTR = lazy_pattern(r"\bname\s*=\s*[\"'](\w+)[\"']", re.IGNORECASE)
_TAG_FUNCTION_END = lazy_pattern(r"</cffunction\s*>", re.IGNORECASE)
_SCRIPT_FUNCTION = lazy_pattern(r"\bfunction\s+(\w+)\s*\(", re.IGNORECASE)


def function_bodies(text: str, names: tuple[str, ...]) -> list[tuple[str, int, int]]:
    """(lower-case name, start, end) of each function of a component named in `names` (lower
    case), in tag syntax (`<cffunction name="x">…</cffunction>`) or script syntax
    (`function x(…) {…}`, braces balanced outside strings)."""
    found: list[tuple[str, int, int]] = []
    for match in _TAG_FUNCTION.finditer(text):
        attr = _NAME_ATTR.search(match.group(1))
        name = attr.group(1).lower() if attr else ""
        if name in names:
            end = _TAG_FUNCTION_END.search(text, match.end())
            found.append((name, match.end(), end.start() if end else len(text)))
    if "{" in text:
        for match in _SCRIPT_FUNCTION.finditer(text):
            name = match.group(1).lower()
            if name in names:
                open_at = text.find("{", match.end())
                if open_at >= 0:
                    found.append((name, open_at + 1, _brace_end(text, open_at)))
    return sorted(found, key=lambda item: item[1])


def _brace_end(text: str, open_at: int) -> int:
    """The offset of the brace closing the one at open_at (strings skipped), or the text's end."""
    depth, i, size = 0, open_at, len(text)
    while i < size:
        char = text[i]
        if char in "\"'":
            close = text.find(char, i + 1)
            i = size if close < 0 else close + 1
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return size


def _cf_names(text: str, start: int, end: int):
    """(offset, name) of every include in text[start:end]."""
    if "<cf" in text or "<CF" in text or "<Cf" in text:
        for tag in _CF_TAG.finditer(text, start, end):
            template = _CF_TEMPLATE.search(tag.group(2))
            if template:
                yield tag.start(), template.group(1) or template.group(2)
    if "include" in text or "INCLUDE" in text:
        for match in _CF_SCRIPT_INCLUDE.finditer(text, start, end):
            yield match.start(), match.group(1) or match.group(2)


def _cf_candidates(repo, directory: str, name: str) -> list[str]:
    clean = name.split("?")[0].replace("\\", "/")
    if not clean.startswith("/"):
        return [_join(directory, clean)]
    rooted = clean.lstrip("/")
    out = [_join(anc, rooted) for anc in ancestors(directory)]
    tail = rooted.partition("/")[2]
    if tail:  # a mapping (`/inc/header.cfm` with this.mappings["/inc"]): the tail, when unique
        found = repo.by_suffix(tail)
        if len(found) == 1:
            out.append(found[0])
    return out


def _coldfusion(rel: str, text: str, repo, line) -> list[Edge]:
    directory = posixpath.dirname(rel)
    if posixpath.basename(rel).lower() == APPLICATION_CFC:
        spans = [(start, end) for _, start, end in function_bodies(text, REQUEST_FUNCTIONS)]
    else:
        spans = [(0, len(text))]
    edges = []
    for start, end in spans:
        for offset, name in _cf_names(text, start, end):
            if _dynamic(name):
                continue
            target = repo.first(c for c in _cf_candidates(repo, directory, name) if not c.startswith(".."))
            if target is None:
                repo.note_missing(rel, name, line(offset))
            elif target != rel:
                edges.append(Edge(rel, target, "include", line(offset), name))
    return edges


# ---------------------------------------------------------------- Velocity

_VM_DIRECTIVE = lazy_pattern(r"""#\{?(parse|include)\}?\s*\(\s*(?:"([^"\n$]{1,1000})"|'([^'\n$]{1,1000})')""")


def _velocity(rel: str, text: str, repo, line) -> list[Edge]:
    if "#parse" not in text and "#include" not in text and "#{" not in text:
        return []
    directory = posixpath.dirname(rel)
    edges = []
    for match in _VM_DIRECTIVE.finditer(text):
        name = (match.group(2) or match.group(3)).strip()
        if _dynamic(name):
            continue
        candidates = [_join(anc, name.lstrip("/")) for anc in ancestors(directory)]
        target = repo.first(c for c in candidates if not c.startswith(".."))
        if target is None:
            repo.note_missing(rel, name, line(match.start()))
        elif target != rel:
            edges.append(Edge(rel, target, "include", line(match.start()), name))
    return edges


# ---------------------------------------------------------------- Mako

_MAKO_TAG = lazy_pattern(r"<%(inherit|include|namespace)\b([^<>]{0,2000})/?>")
_MAKO_FILE = lazy_pattern(r"""\bfile\s*=\s*(?:"([^"]{1,1000})"|'([^']{1,1000})')""")
_MAKO_KINDS = {"inherit": "extends", "include": "include", "namespace": "import"}


def _mako(rel: str, text: str, repo, line) -> list[Edge]:
    if "<%" not in text:
        return []
    directory = posixpath.dirname(rel)
    edges = []
    for tag in _MAKO_TAG.finditer(text):
        attr = _MAKO_FILE.search(tag.group(2))
        if attr is None:
            continue  # <%namespace module="…"/>, <%namespace name="x"/> of a def in the file
        name = (attr.group(1) or attr.group(2)).strip()
        if _dynamic(name):
            continue
        if name.startswith("/"):
            candidates = [_join(anc, name.lstrip("/")) for anc in ancestors(directory)]
        else:
            candidates = [_join(directory, name)] + [_join(anc, name) for anc in ancestors(directory)[1:]]
        target = repo.first(c for c in candidates if not c.startswith(".."))
        if target is None:
            repo.note_missing(rel, name, line(tag.start()))
        elif target != rel:
            edges.append(Edge(rel, target, _MAKO_KINDS[tag.group(1)], line(tag.start()), name))
    return edges


# ---------------------------------------------------------------- per file

_READ = {"coldfusion": _coldfusion, "velocity": _velocity, "mako": _mako}


def file_edges(rel: str, text: str, repo) -> list[Edge]:
    """The edges a ColdFusion, Velocity or Mako file declares; nothing for other files (one
    dialect look-up)."""
    if not text or repo.kind(rel) != "markup":
        return []
    dialect = dialect_for(rel)
    readers = [reader for reader in dialect.includes if reader in _READ] if dialect else []
    if not readers:
        return []
    assert dialect is not None
    blanked = blank_comments(text, dialect.comments, literal=True)
    starts: list[int] = []

    def line(offset: int) -> int:
        if not starts:
            starts.extend(m.end() for m in re.finditer("\n", text))
        return bisect.bisect_right(starts, offset) + 1

    edges: list[Edge] = []
    for reader in readers:
        edges.extend(_READ[reader](rel, blanked, repo, line))
    return edges


def _join(*parts: str) -> str:
    joined = posixpath.join(*[p for p in parts if p])
    return posixpath.normpath(joined) if joined else ""


def _dynamic(name: str) -> bool:
    return not name.strip() or any(mark in name for mark in ("#", "${", "$!", "$", "<%", "(", "+", "&"))
