"""Work done on one file's text by several stages, done once.

The stages of pass 1 (sightings, page graph, each framework module, inference) each blank the
comments of the file they are handed; they are handed the same `str` object (the file's
`phi_lint.lang.Source.text`), so a result kept for that object, and for it alone, serves them
all. When a different text comes the kept results go: memory stays one file's.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

R = TypeVar("R")


def per_text(function: Callable[..., R]) -> Callable[..., R]:
    """function(text, *args) computed once per text object and arguments; a string is immutable,
    so the same object is the same text."""
    held: list = [None, {}]

    @functools.wraps(function)
    def memo(text: str, *args) -> R:
        if held[0] is not text:
            held[0], held[1] = text, {}
        results = held[1]
        if args not in results:
            results[args] = function(text, *args)
        return results[args]

    return memo
