"""Context inference: which pages are behind login or about health, inferred from code.

Each module exposes one or both of:

    infer_file(rel: str, text: str, repo: RepoIndex) -> list[Inference]
    infer_project(repo: RepoIndex, graph: PageGraph) -> list[Inference]

Explicit tags and config globs always win over inference (see phi_lint.context).
"""

from phi_lint.inference.model import Inference

__all__ = ["Inference"]
