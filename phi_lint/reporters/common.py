"""Small helpers shared by the reporters."""

from __future__ import annotations

from collections import Counter


def counts_by_level(findings) -> Counter:
    return Counter(f.level for f in findings)


def failing(findings) -> list:
    """Findings that fail a run: warning or error (notes are inventory)."""
    return [f for f in findings if f.level in ("error", "warning")]


def plural(n: int, word: str, plural_word: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural_word or word + 's')}"
