"""Go `html/template` and `text/template`: the page graph of `{{define}}`, `{{template}}` and `{{block}}`.

A Go template names other templates, not files: `{{template "nav" .}}` renders whatever file
`{{define "nav"}}` (or a file parsed by `ParseFiles` under its base name, `nav.tmpl`). So the
edges are made once per run over every Go template of the repository (`edges`):

- a name defined by one other file is a partial: the referring file includes it
  (`base.tmpl` → `partials/analytics.tmpl`);
- a name several files define, or a `{{block "x" .}}` (a default the pages override), is a
  layout's slot: each file that defines it is a page wrapped by the referring layout
  (`pages/records.tmpl` → `base.tmpl`, kind "layout"), so a tracker in the layout reaches them;
- a name defined by one file that itself refers back to the referring file is the same slot,
  seen from a single page: the file without the document frame (`<html>`) is the page.

Which files are Go templates: the `gotemplate` dialect's (`.gohtml`, `.gotmpl`, `.tmpl` below a
go.mod), and `.tpl`, `.html`, `.htm` files below a go.mod. The Go handlers that execute the
templates add the edges of their own template sets (phi_lint.frameworks.go).
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass

from phi_lint import frameworks_data
from phi_lint.dialects import dialect_for, table
from phi_lint.inference.health import Lines
from phi_lint.lazyre import lazy_pattern
from phi_lint.pagegraph.model import Edge
from phi_lint.parsers.template_comments import blank_comments

DIALECT = "gotemplate"
ACTION = lazy_pattern(r"\{\{-?\s*(define|block|template)\s+[\"`]([^\"`\n]{1,200})[\"`]")
SHARED_ENDINGS = (".html", ".htm")  # Go templates when below a go.mod
MAX_TEMPLATES = 5000
MAX_DEPTH = 64


@dataclass(frozen=True)
class Template:
    """One Go template file: the names it defines, the names it renders (name, action, line) and
    whether it holds the document frame."""

    rel: str
    defines: frozenset[str]
    refs: tuple[tuple[str, str, int], ...]
    frame: bool


def _names(key: str) -> tuple[str, ...]:
    return frameworks_data.names("go", key)


# ---------------------------------------------------------------- which files


def module_roots(repo) -> frozenset[str]:
    """The folders (repository-relative, "" for the root) that hold a Go module file, looked for
    above every Go source file (once per run)."""
    return repo.memo((__name__, "roots"), lambda: _module_roots(repo))


def _module_roots(repo) -> frozenset[str]:
    folders: set[str] = set()
    for rel in repo.of_kind("code"):
        if rel.endswith(".go"):
            folder = posixpath.dirname(rel)
            for _ in range(MAX_DEPTH):
                if folder in folders:
                    break
                folders.add(folder)
                if not folder:
                    break
                folder = posixpath.dirname(folder)
    files = _names("module-files")
    root = str(repo.root)
    return frozenset(f for f in folders if any(os.path.isfile(os.path.join(root, f, name)) for name in files))


def in_module(rel: str, roots: frozenset[str]) -> bool:
    return any(root == "" or rel.startswith(root + "/") for root in roots)


def is_go_template(rel: str, roots: frozenset[str]) -> bool:
    dialect = dialect_for(posixpath.basename(rel))
    if dialect is None:
        return False
    if dialect.name == DIALECT:
        return True
    shared = DIALECT in dialect.includes or rel.lower().endswith(SHARED_ENDINGS)
    return shared and bool(roots) and in_module(rel, roots)


def template_files(repo) -> list[str]:
    roots = module_roots(repo)
    markup = repo.of_kind("markup")
    if not roots:  # no Go module: only the dialect's own endings can be Go templates (a cheap test first)
        own = table().by_ending
        endings = tuple(ending for ending, dialect in own.items() if dialect.name == DIALECT)
        markup = [rel for rel in markup if rel.lower().endswith(endings)]
    found = [rel for rel in markup if is_go_template(rel, roots)]
    if len(found) > MAX_TEMPLATES:
        repo.note(".", f"Go templates: read the first {MAX_TEMPLATES} of {len(found)}; the others' names are unknown", level="warning")
    return found[:MAX_TEMPLATES]


# ---------------------------------------------------------------- reading one template


def read_template(rel: str, text: str) -> Template:
    blanked = blank_comments(text, ("html", DIALECT), literal=True) if "{{" in text or "<!--" in text else text
    lines = Lines(blanked)
    defines: set[str] = set()
    refs = []
    for match in ACTION.finditer(blanked):
        action, name = match.group(1), match.group(2).strip()
        if action in ("define", "block"):
            defines.add(name)
        if action in ("template", "block"):
            refs.append((name, action, lines.line(match.start())))
    lower = blanked[:65536].lower()
    frame = any(marker in lower for marker in _names("frame-markers"))
    return Template(rel, frozenset(defines), tuple(refs), frame)


def templates(repo) -> dict[str, Template]:
    """Every Go template of the run, read once (main process)."""
    return repo.memo((__name__, "templates"), lambda: {
        rel: read_template(rel, repo.read(rel) or "") for rel in template_files(repo)})


def definers(found: dict[str, Template]) -> dict[str, list[str]]:
    """name → the files that define it; a file's base name names it too (ParseFiles does)."""
    out: dict[str, list[str]] = {}
    for rel, template in found.items():
        for name in sorted(template.defines):
            out.setdefault(name, []).append(rel)
    for rel in found:
        out.setdefault(posixpath.basename(rel), [rel])
    return out


# ---------------------------------------------------------------- edges


def edges(repo) -> list[Edge]:
    """The template-to-template edges of the run's Go templates."""
    found = templates(repo)
    if not found:
        return []
    by_name = definers(found)
    out: dict[tuple[str, str], Edge] = {}
    for rel in sorted(found):
        template = found[rel]
        for name, action, at in template.refs:
            others = [d for d in by_name.get(name, ()) if d != rel]
            if not others:
                if action == "template" and name not in template.defines:
                    repo.note_missing(rel, name, at)
                continue
            slot = action == "block" or len(others) > 1 or name in template.defines
            if not slot:
                other = found[others[0]]
                mutual = any(ref[0] in template.defines for ref in other.refs)
                slot = mutual and template.frame and not other.frame
            if slot:
                for page in others:
                    out.setdefault((page, rel), Edge(page, rel, "layout", 0, f'{{{{{action} "{name}"}}}} ({rel}:{at})'))
            else:
                out.setdefault((rel, others[0]), Edge(rel, others[0], "include", at, name))
    return [out[key] for key in sorted(out)]
