"""The page graph: which pages render which files.

This release knows one edge kind only: every scanned file is its own page. The page-graph
work adds template, import and layout edges behind the same interface.
"""

from __future__ import annotations

from phi_lint.models import PageReach


class PageGraph:
    def __init__(self, files: list[str]):
        self._files = set(files)

    def pages_reaching(self, path: str) -> list[PageReach]:
        return [PageReach(path, (path,))]
