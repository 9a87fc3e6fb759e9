"""Page context from explicit sources: inline tags in the file and config globs.

Strongest first: an inline tag (`phi-lint: authenticated` in a comment, or `phi_lint:` in
front matter), then `[pages]` globs in config. Inference (weakest) arrives with the page
graph. A `public` label removes the sensitive labels of the same or weaker sources.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from phi_lint.lazyre import lazy_pattern
from phi_lint.models import Evidence, PageContext

_LABEL = r"(?:authenticated|health|public)"
# `:\s*(?:\[\s*)?`, not `:\s*\[?\s*`: two white-space runs side by side backtrack quadratically
_TAG = lazy_pattern(
    r"phi[-_]lint\s*:\s*(?:\[\s*)?(" + _LABEL + r"(?:\s*,\s*" + _LABEL + r")*)\s*\]?", re.IGNORECASE
)
_COMMENT_OPENERS = ("<!--", "{#", "{{--", "{{!", "<%#", "//", "/*", "{/*", "#", "*", "@*", "<#--", "<%--", "{%", "'")
SOURCE_RANK = {"inline": 3.0, "config": 2.0, "inferred": 1.0}
# How much one piece of evidence weighs when a headline names the strongest of a finding's pages:
# what the user said (a tag, a config glob) over a framework's guard, over what a page's title or
# text mentions, over what its path is called (a weak signal). A layout's label, inherited, weighs
# half a step less than the same evidence on the page itself.
STRENGTH = {"inline": 5.0, "config": 4.0, "guard": 3.0, "vocabulary": 2.0, "path": 1.0}
_PATH_EVIDENCE = ("path segment", "file name", "route directory", "served at route")
INHERITED = 0.5  # a label taken from a layout ranks just below the same source on the page itself
SENSITIVE = ("authenticated", "health")


def inline_tags(text: str) -> list[tuple[str, int]]:
    """(label, line) for every page tag that sits in a comment or front matter.

    Lines are counted, and each line is read for comment openers, once: tags follow each other,
    so counting from the start of the file for every tag was quadratic in the number of tags.
    """
    found: list[tuple[str, int]] = []
    line, counted_to = 1, 0
    current: _TagLine | None = None
    for match in _TAG.finditer(text):
        at = match.start()
        line += text.count("\n", counted_to, at)
        counted_to = at
        if current is None or not current.start <= at <= current.end:
            current = _TagLine(text, text.rfind("\n", 0, at) + 1)
        if not current.in_comment(at):
            continue  # prose that mentions the syntax is not a tag
        for label in re.split(r"\s*,\s*", match.group(1).strip()):
            found.append((label.lower(), line))
    return found


_NOT_SPACE = lazy_pattern(r"\S")


class _TagLine:
    """A line that holds tags: where its text starts and where its first comment opener ends."""

    def __init__(self, text: str, start: int):
        self.start = start
        end = text.find("\n", start)
        self.end = len(text) if end < 0 else end
        first = _NOT_SPACE.search(text, start, self.end)
        self.text_start = first.start() if first else self.end
        ends = [at + len(opener) for opener in _COMMENT_OPENERS if (at := text.find(opener, start, self.end)) >= 0]
        self.opener_end = min(ends, default=self.end + 1)

    def in_comment(self, at: int) -> bool:
        """Whether the text before `at` on this line is blank or holds a comment opener."""
        return self.text_start >= at or self.opener_end <= at


def _inferred_strength(inference) -> float:
    """A route guard, middleware or form weighs more than a title or text that mentions health
    terms, which weighs more than a path name or anything inference itself calls weak."""
    if inference.weak or inference.text.startswith(_PATH_EVIDENCE):
        return STRENGTH["path"]
    if " mentions " in inference.text:
        return STRENGTH["vocabulary"]
    return STRENGTH["guard"]


class ContextBuilder:
    """Collects labels per page from every source, then resolves precedence."""

    def __init__(self, config):
        self.config = config
        self._specs = {}
        self._raw: dict[str, dict[str, list[tuple[str, Evidence]]]] = {}
        if config.pages:
            import pathspec

            for label, globs in config.pages.items():
                self._specs[label] = [(g, pathspec.GitIgnoreSpec.from_lines([g])) for g in globs]

    def add(self, page: str, label: str, source: str, evidence: Evidence) -> None:
        self._raw.setdefault(page, {}).setdefault(label, []).append((source, evidence))

    def add_inline(self, page: str, text: str) -> None:
        self.add_tags(page, inline_tags(text))

    def add_tags(self, page: str, tags: Iterable[tuple[str, int]]) -> None:
        for label, line in tags:
            self.add(page, label, "inline", Evidence(f"tagged `phi-lint: {label}`", page, line, STRENGTH["inline"]))

    @property
    def has_globs(self) -> bool:
        return bool(self._specs)

    def add_config(self, page: str, absolute) -> None:
        if not self._specs:
            return
        try:
            rel = absolute.relative_to(self.config.root).as_posix()
        except ValueError:
            return
        for label, specs in self._specs.items():
            for glob, spec in specs:
                if spec.match_file(rel):
                    where = self.config.path.name if self.config.path else "config"
                    self.add(page, label, "config", Evidence(
                        f"matches `{glob}` in [pages].{label} of {where}", strength=STRENGTH["config"],
                        brief=f"config glob `{glob}`",
                    ))
                    break

    def add_inference(self, inference) -> None:
        evidence = Evidence(
            inference.text + (" (weak signal)" if inference.weak else ""), inference.path, inference.line or None,
            _inferred_strength(inference),
        )
        self.add(inference.page, inference.label, "inferred", evidence)

    def _ranked(self, page: str, graph=None) -> dict[str, list[tuple[float, Evidence]]]:
        ranked: dict[str, list[tuple[float, Evidence]]] = {}
        for label, entries in self._raw.get(page, {}).items():
            ranked.setdefault(label, []).extend((SOURCE_RANK[source], ev) for source, ev in entries)
        if graph is not None:
            for layout, chain in graph.layouts_of(page):
                via = " ← ".join(chain[1:])
                for label, entries in self._raw.get(layout, {}).items():
                    if label not in SENSITIVE:
                        continue  # public is never inherited: a public base layout says nothing of its pages
                    for source, ev in entries:
                        inherited = Evidence(
                            f"extends {via}, {ev.describe(layout)}", strength=ev.strength - INHERITED,
                            brief=f"layout {ev.brief or ev.describe(layout)}",
                        )
                        ranked.setdefault(label, []).append((SOURCE_RANK[source] - INHERITED, inherited))
        return ranked

    def context(self, page: str, graph=None) -> PageContext:
        ranked = self._ranked(page, graph)
        context = PageContext(page)
        if not ranked:
            return context
        public_rank = max((rank for rank, _ in ranked.get("public", [])), default=0)
        for label, entries in ranked.items():
            entries = sorted(entries, key=lambda item: -item[0])
            kept = [ev for rank, ev in entries if label == "public" or rank > public_rank]
            if kept:
                context.labels[label] = kept
        if public_rank and (context.has("authenticated") or context.has("health")):
            context.labels.pop("public", None)
        return context

    def pages(self) -> list[str]:
        return sorted(self._raw)


class PageContexts(Mapping):
    """The context of every page of a run, worked out when first asked for: a run reports on the
    pages its trackers reach (computed while deciding findings); the others are looked at only by
    `--explain`-style questions and the "nothing is tagged" hint, which stops at the first page
    with a label. Iteration gives the pages already worked out first."""

    def __init__(self, known: dict[str, PageContext], pages, builder: ContextBuilder, graph):
        self._known = known
        self._pages = list(pages)
        self._page_set = set(self._pages)
        self._builder, self._graph = builder, graph

    def __getitem__(self, page: str) -> PageContext:
        found = self._known.get(page)
        if found is None:
            if page not in self._page_set:
                raise KeyError(page)
            found = self._known[page] = self._builder.context(page, self._graph)
        return found

    def __contains__(self, page) -> bool:
        return page in self._known or page in self._page_set

    def __iter__(self):
        known = list(self._known)
        yield from known
        seen = set(known)
        yield from (page for page in self._pages if page not in seen)

    def __len__(self) -> int:
        return len(self._page_set | set(self._known))
