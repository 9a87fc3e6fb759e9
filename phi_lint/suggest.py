""""Did you mean": the one near-miss suggestion used by every message about an unknown name
(a setting, a rule, a vendor, a framework, a format), so they all read alike."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def close_match(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The one choice most like word (a typo of it), or None when none is close."""
    found = difflib.get_close_matches(word, sorted(set(choices)), n=1, cutoff=cutoff)
    return found[0] if found else None


def did_you_mean(word: str, choices: Iterable[str], quote: str = "`") -> str:
    """' (did you mean `X`?)' for a near miss, '' otherwise."""
    match = close_match(word, choices)
    return f" (did you mean {quote}{match}{quote}?)" if match else ""
