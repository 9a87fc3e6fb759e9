"""Jekyll and Eleventy: the layout a page's front matter names (`layout: default` →
`_layouts/default.html`, Eleventy's `_includes/`), a page-graph edge of kind "layout".

The folders and endings are data (rules/frameworks/jekyll.toml, read by
phi_lint.pagegraph.site_folders, which the Liquid reader also uses for `{% include %}` in
Jekyll's `.html` pages). An Astro component's front matter is code, not YAML: not read here.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable

from phi_lint.dialects import dialect_for
from phi_lint.frameworks import Framework, register
from phi_lint.lang import Source
from phi_lint.pagegraph import site_folders
from phi_lint.pagegraph.model import Edge

_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
# `layout: name`, `layout: "name"`, with an optional `# comment` (see front_matter_layout)
_LAYOUT_KEY = re.compile(r"^layout[ \t]*:[ \t]*", re.MULTILINE)
_VALUE_STOP = re.compile(r"[\"'\r\n#]")
_VALUE_END = re.compile(r"[^ \t][ \t]*\Z")
_LINE_REST = re.compile(r"[ \t]*(?:#.*)?$", re.MULTILINE)
_DYNAMIC = ("{{", "{%", "<%", "${", "#{", "@{", "<?", "(", "+")


def front_matter_layout(front: str) -> tuple[int, str] | None:
    """(offset of its line, value) of the first `layout:` line that has a value, as
    `^layout[ \\t]*:[ \\t]*(["']?)([^"'\\r\\n#]+?)\\1[ \\t]*(?:#.*)?$` (multi-line) captured it.

    That pattern read a run of blanks in the value once per character of it (quadratic, more
    with the blanks after the colon); here each line is read once. Unquoted, the value runs to
    the first `#` or line end (a quote or carriage return there: no value) and loses its trailing
    blanks; with nothing before that, it is the last blank after the colon. Quoted, it runs to
    the next quote, which must close it.
    """
    for key in _LAYOUT_KEY.finditer(front):
        start = key.end()
        quote = front[start : start + 1]
        if quote in ("'", '"'):
            stop = _VALUE_STOP.search(front, start + 1)
            end = stop.start() if stop else len(front)
            if end > start + 1 and front.startswith(quote, end) and _LINE_REST.match(front, end + 1):
                return key.start(), front[start + 1 : end]
            continue
        stop = _VALUE_STOP.search(front, start)
        end = stop.start() if stop else len(front)
        if end < len(front) and front[end] not in "#\n":
            continue
        # a value that starts with a non-blank (the blanks after the colon are the key's)
        last = _VALUE_END.search(front, start, end) if end > start else None
        if last:
            return key.start(), front[start : last.start() + 1]
        if front[start - 1] in " \t":
            return key.start(), front[start - 1]
    return None


def layout_edges(rel: str, text: str, repo) -> list[Edge]:
    """The edge from a page to the layout its front matter names (a missing one is noted)."""
    if not text.startswith(("---", "\ufeff---")):
        return []
    head = _FRONT_MATTER.match(text)
    found = front_matter_layout(head.group(1)) if head else None
    if head is None or found is None:
        return []
    line_offset, value = found
    name = value.strip()
    if not name or site_folders.no_layout(name) or any(mark in name for mark in _DYNAMIC):
        return []
    lower = rel.lower()
    has_ending = bool(posixpath.splitext(posixpath.basename(name))[1])
    candidates = site_folders.layout_candidates(posixpath.dirname(rel), name, posixpath.splitext(lower)[1], has_ending)
    line = text.count("\n", 0, head.start(1) + line_offset) + 1
    target = repo.first([c for c in candidates if not c.startswith("..")])
    if target is None:
        repo.note_missing(rel, name, line)
        return []
    return [Edge(rel, target, "layout", line, name)] if target != rel else []


@register
class Jekyll(Framework):
    id = "jekyll"
    name = "Jekyll"

    def source_edges(self, source: Source, repo) -> Iterable[Edge]:
        if not source.text.startswith(("---", "\ufeff---")) or repo.kind(source.rel) != "markup":
            return ()
        dialect = dialect_for(source.rel.lower())
        if dialect is not None and dialect.flavour == "astro":
            return ()
        return layout_edges(source.rel, source.text, repo)
