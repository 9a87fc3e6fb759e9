"""Jekyll and Eleventy: the layout a page's front matter names (`layout: default` →
`_layouts/default.html`, Eleventy's `_includes/`), a page-graph edge of kind "layout".

The folders and endings are data (rules/frameworks/jekyll.toml, read by
phi_lint.pagegraph.site_folders, which the Liquid reader also uses for `{% include %}` in
Jekyll's `.html` pages). The front matter and its `layout:` are read by phi_lint.frontmatter, as
the Markdown page gate reads them. An Astro component's front matter is code, not YAML: not
read here.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from phi_lint.dialects import dialect_for
from phi_lint.frameworks import Framework, register
from phi_lint.frameworks.reads import Reads
from phi_lint.frontmatter import front_matter, front_matter_layout
from phi_lint.lang import Source
from phi_lint.pagegraph import site_folders
from phi_lint.pagegraph.model import Edge

_DYNAMIC = ("{{", "{%", "<%", "${", "#{", "@{", "<?", "(", "+")


def layout_edges(rel: str, text: str, repo) -> list[Edge]:
    """The edge from a page to the layout its front matter names (a missing one is noted)."""
    if not text.startswith(("---", "\ufeff---")):
        return []
    head = front_matter(text)
    found = front_matter_layout(head[1]) if head else None
    if head is None or found is None:
        return []
    line_offset, value = found
    name = value.strip()
    if not name or site_folders.no_layout(name) or any(mark in name for mark in _DYNAMIC):
        return []
    lower = rel.lower()
    has_ending = bool(posixpath.splitext(posixpath.basename(name))[1])
    candidates = site_folders.layout_candidates(posixpath.dirname(rel), name, posixpath.splitext(lower)[1], has_ending)
    line = text.count("\n", 0, head[0] + line_offset) + 1
    target = repo.first([c for c in candidates if not c.startswith("..")])
    if target is None:
        repo.note_missing(rel, name, line)
        return []
    return [Edge(rel, target, "layout", line, name)] if target != rel else []


@register
class Jekyll(Framework):
    id = "jekyll"
    name = "Jekyll"
    reads = {"source_edges": (Reads(kinds=("markup",)),)}  # front matter of any markup file

    def source_edges(self, source: Source, repo) -> Iterable[Edge]:
        if not source.text.startswith(("---", "\ufeff---")) or repo.kind(source.rel) != "markup":
            return ()
        dialect = dialect_for(source.rel.lower())
        if dialect is not None and dialect.flavour == "astro":
            return ()
        return layout_edges(source.rel, source.text, repo)
