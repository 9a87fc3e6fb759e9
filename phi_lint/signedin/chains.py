"""What the scan knows beyond a sighting's own file, for the conditions of phi_lint/signedin/reach.py:

- the conditions around the includes of a reach's chain: `{% if not user.is_authenticated %}
  {% include "analytics.html" %}{% endif %}`, `<%= render "analytics" unless user_signed_in? %>`,
  `@guest @include('analytics') @endguest` hold for the sightings of the included file on the
  pages that render it through that include (and not on pages that include it elsewhere);
- the URLs a page is served at: the routes the framework modules report (phi_lint/frameworks/
  routes.py), what the page's evidence names ("served at route `/portal/`"), a file-system
  router's or a static site's file path (phi_lint/reporters/page_urls.py).

Files are read and their conditions found once, and only for the files on the chains of pages
trackers reach; an include declared on a line inside a branch gets the branch's condition.
"""

from __future__ import annotations

from phi_lint.lazyre import lazy_pattern
from phi_lint.models import PageContext, PageReach
from phi_lint.reporters.page_urls import page_url
from phi_lint.signedin.branches import Branch, innermost_guard, path_guards
from phi_lint.signedin.conditions import SIGNED_OUT
from phi_lint.signedin.guard import condition_of, file_branches
from phi_lint.textio import LineIndex

MAX_CHAIN = 32  # links of a chain looked at
_RUBY_MODIFIER = lazy_pattern(r"\s(if|unless)\s+(\S+(?:\s+\S+)*?)\s*-?%>")


class ScanConditions:
    """ReachConditions over the scan's page graph, repository index and route URLs."""

    def __init__(self, graph, repo, route_urls: dict[str, set[str]] | None = None):
        self._graph = graph  # the page graph (PageGraph): the includes of a link are asked of it
        self._repo = repo
        self._route_urls = route_urls or {}
        self._along: dict[tuple[str, ...], list[dict]] = {}
        self._files: dict[str, tuple[str, LineIndex, list[Branch]] | None] = {}
        self._urls: dict[str, frozenset[str]] = {}

    def along(self, reach: PageReach) -> list[dict]:
        """The signed-out and URL conditions on the includes of the reach's chain."""
        chain = reach.chain[:MAX_CHAIN]
        if len(chain) < 2:
            return []
        found = self._along.get(chain)
        if found is None:
            found = self._along[chain] = [c for a, b in zip(chain, chain[1:]) for c in self._link(a, b)]
        return found

    def _link(self, source: str, target: str) -> list[dict]:
        """The conditions every include of `target` in `source` sits in (none if one is bare)."""
        lines = [(edge.line, edge.detail) for edge in self._graph.edges_into(target)
                 if edge.source == source and edge.line > 0]
        if not lines:
            return []
        read = self._file(source)
        if read is None:
            return []
        text, index, branches = read
        found: list[dict] | None = None
        for line, detail in lines:
            here = self._at(text, index, branches, source, line, detail)
            if not here:
                return []  # included without a condition somewhere: the tracker is there
            found = found if found is not None else here
        return found or []

    def _at(self, text: str, index: LineIndex, branches: list[Branch], source: str, line: int, detail: str) -> list[dict]:
        start = index.offset(line, 1)
        end = text.find("\n", start)
        end = len(text) if end == -1 else end
        at = text.find(detail, start, end) if detail else -1
        if at == -1:
            at = start + len(text[start:end]) - len(text[start:end].lstrip())
        what = f"the include of `{detail}`" if detail else "its include"
        out = []
        guard = innermost_guard(branches, at, at + 1)
        if guard is not None and guard.meaning.shown == SIGNED_OUT:
            out.append(_included(condition_of(guard, source), what))
        out.extend(_included(condition_of(b, source), what) for b in path_guards(branches, at, at + 1))
        return out

    def _file(self, rel: str) -> tuple[str, LineIndex, list[Branch]] | None:
        if rel not in self._files:
            kind = self._repo.kind(rel)
            text = self._repo.read(rel) if kind in ("markup", "script") else None
            if text is None:
                self._files[rel] = None
            else:
                branches = file_branches(rel, kind, text, [])
                branches += _modifier_branches(rel, kind, text)
                self._files[rel] = (text, LineIndex(text), branches) if branches else None
        return self._files[rel]

    def urls(self, page: str, context: PageContext | None) -> frozenset[str]:
        """The URL patterns the page is served at (none known: empty)."""
        found = self._urls.get(page)
        if found is None:
            urls = set(self._route_urls.get(page, ()))
            evidence = [item for items in (context.labels.values() if context is not None else ()) for item in items]
            known = page_url(page, evidence)
            if known is not None:
                urls.add(known.pattern)
            found = self._urls[page] = frozenset("/" + url.lstrip("/") for url in urls if url is not None)
        return found


def _included(condition: dict, what: str) -> dict:
    return {**condition, "condition": f"{what} {condition['condition']}"}


def _modifier_branches(rel: str, kind: str, text: str) -> list[Branch]:
    """ERB's `<%= render "analytics" unless user_signed_in? %>`: the tag itself is the branch."""
    if kind != "markup" or "<%" not in text or not ("if " in text or "unless " in text):
        return []
    from phi_lint.dialects import dialect_for
    from phi_lint.signedin.conditions import syntaxes_in
    from phi_lint.signedin.templates import shown

    dialect = dialect_for(rel.rsplit("/", 1)[-1])
    if dialect is None or "erb" not in dialect.includes:
        return []
    syntaxes = syntaxes_in("erb", text)
    if not syntaxes:
        return []
    index = LineIndex(text)
    out = []
    for found in _RUBY_MODIFIER.finditer(text):
        tag_start = text.rfind("<%", 0, found.start())
        if tag_start == -1 or "%>" in text[tag_start:found.start()]:
            continue
        meaning = syntaxes[0].meaning(found.group(2))
        if meaning is not None and found.group(1) == "unless":
            meaning = meaning.negated()
        if meaning is None:
            continue
        label = f"inside `{shown(text[tag_start:found.end()])}`"
        out.append(Branch(tag_start, found.end(), meaning, label, index.position(tag_start)[0]))
    return out
