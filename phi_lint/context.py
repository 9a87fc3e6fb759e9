"""Page context from explicit sources: inline tags in the file and config globs.

Strongest first: an inline tag (`phi-lint: authenticated` in a comment, or `phi_lint:` in
front matter), then `[pages]` globs in config. Inference (weakest) arrives with the page
graph. A `public` label removes the sensitive labels of the same or weaker sources.
"""

from __future__ import annotations

import re
from pathlib import Path

from phi_lint.models import Evidence, PageContext

_LABEL = r"(?:authenticated|health|public)"
_TAG = re.compile(
    r"phi[-_]lint\s*:\s*\[?\s*(" + _LABEL + r"(?:\s*,\s*" + _LABEL + r")*)\s*\]?", re.IGNORECASE
)
_COMMENT_OPENERS = ("<!--", "{#", "{{--", "{{!", "<%#", "//", "/*", "{/*", "#", "*", "@*", "<#--", "<%--", "{%", "'")
SOURCE_RANK = {"inline": 3, "config": 2, "inferred": 1}


def inline_tags(text: str) -> list[tuple[str, int]]:
    """(label, line) for every page tag that sits in a comment or front matter."""
    found: list[tuple[str, int]] = []
    for match in _TAG.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        prefix = text[line_start : match.start()].strip()
        if prefix and not any(opener in prefix for opener in _COMMENT_OPENERS):
            continue  # prose that mentions the syntax is not a tag
        line = text.count("\n", 0, match.start()) + 1
        for label in re.split(r"\s*,\s*", match.group(1).strip()):
            found.append((label.lower(), line))
    return found


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
        for label, line in inline_tags(text):
            self.add(page, label, "inline", Evidence(f"tagged `phi-lint: {label}`", page, line))

    def add_config(self, page: str, absolute: Path) -> None:
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
                    self.add(page, label, "config", Evidence(f"matches `{glob}` in [pages].{label} of {where}"))
                    break

    def context(self, page: str) -> PageContext:
        raw = self._raw.get(page, {})
        context = PageContext(page)
        if not raw:
            return context
        public_rank = max((SOURCE_RANK[s] for s, _ in raw.get("public", [])), default=0)
        for label, entries in raw.items():
            kept = [ev for source, ev in entries if label == "public" or SOURCE_RANK[source] > public_rank]
            if kept:
                context.labels[label] = kept
        if public_rank and (context.has("authenticated") or context.has("health")):
            context.labels.pop("public", None)
        return context

    def pages(self) -> list[str]:
        return sorted(self._raw)
