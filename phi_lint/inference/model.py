"""One inferred page label with its evidence."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Inference:
    """`page` (repo-relative) is `label` because of `text`, seen at `path`:`line`.

    label: "authenticated", "health", or "public" (a login page: not itself behind login).
    weak: a lower-confidence signal (a path name, a page that shows the signed-in user); weak
    signals are shown as such in messages.
    """

    page: str
    label: str
    text: str
    path: str
    line: int = 0
    weak: bool = False
