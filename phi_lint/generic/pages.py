"""What a file read as plain text says of its own page: its path only.

Its template language is not known, so neither its titles, forms and text nor any guard or
layout is read; the names of its folders and of the file itself (`portal/`, `conditions/`,
`dashboard.cfm`) are, as for every page (phi_lint.inference). Inline tags and config globs
apply as they do everywhere (phi_lint.context).
"""

from __future__ import annotations

from phi_lint.inference import health, signals
from phi_lint.inference.model import Inference


def path_inferences(rel: str, repo) -> list[Inference]:
    found = []
    topic = health.path_signal(rel, "markup", health.scan_prefix(repo))
    if topic:
        found.append(Inference(rel, "health", topic[0], rel))
    area = signals.path_signal(rel, file_name=True)
    if area:
        found.append(Inference(rel, "authenticated", area, rel, weak=True))
    return found
