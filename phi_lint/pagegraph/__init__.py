"""The page graph: which pages render which files (extends, include, import, layout, …).

Edge extractors live in one module per family of engines and expose two functions:

    file_edges(rel: str, text: str, repo: RepoIndex) -> list[Edge]   # edges declared in one file
    project_edges(repo: RepoIndex) -> list[Edge]                     # edges implied by conventions

A module that reads the file's syntax tree exposes source_edges(source, repo) instead of
file_edges: `source` is the file's phi_lint.lang.Source, whose parse it shares with the others.

`build_graph` runs the extractors of phi_lint.pagegraph.build and every registered framework
(phi_lint.frameworks) over the files of the run.
"""

from phi_lint.pagegraph.graph import PageGraph
from phi_lint.pagegraph.model import LAYOUT_KINDS, Edge
from phi_lint.pagegraph.repo import RepoIndex

__all__ = ["Edge", "LAYOUT_KINDS", "PageGraph", "RepoIndex"]
