"""Repository-relative paths (forward slashes, no leading slash): small questions every reader
of templates and modules asks of them."""

from __future__ import annotations

import posixpath


def ancestors(directory: str) -> list[str]:
    """`directory`, its parent, …, "" (the repository root): 'a/b' → ['a/b', 'a', '']."""
    out = []
    while True:
        out.append(directory)
        if not directory:
            return out
        directory = posixpath.dirname(directory)
