"""Regular expressions that someone other than phi-lint's authors wrote: a `MATCH_REGEX` trigger
condition in a scanned tag-manager export, a pattern in a user's own vendor file. They run in
RE2 (the google-re2 package), which matches in time linear in the text whatever the pattern:
`(a+)+$` cannot make it backtrack, where Python's `re` would take exponential time on
`aaaa…!`. RE2 is also the engine Google Tag Manager documents for its RegEx conditions, so for
tag-manager exports it is the faithful engine as well.

RE2 has no look-around and no back-references. A pattern it rejects compiles to None with a
short, printable reason, and the caller decides what None means (for a trigger condition: "may
match", the safe answer).

`re2` is imported on first use: most runs never compile an untrusted pattern.
"""

from __future__ import annotations

from functools import lru_cache

MAX_REASON = 120  # characters of RE2's message quoted in a notice
# RE2's memory budget per pattern (program and DFA cache; its default is 8 MiB). Ample for the
# patterns of tag-manager conditions and vendor files (a few hundred instructions), and it
# bounds compiling: `\p{L}{1000}` is refused in 2 ms instead of 70.
MAX_MEMORY = 1 << 18


@lru_cache(maxsize=4096)
def compile_linear(pattern: str, ignore_case: bool = False):
    """(compiled RE2 object, None), or (None, why RE2 rejects the pattern)."""
    try:
        import re2
    except ImportError:  # pragma: no cover - google-re2 is a dependency
        return None, "the google-re2 package is not installed"
    options = re2.Options()
    options.log_errors = False  # RE2 would print every rejected pattern on stderr
    options.case_sensitive = not ignore_case
    options.max_mem = MAX_MEMORY
    try:
        return re2.compile(pattern, options), None
    except re2.error as exc:
        return None, _reason(exc)
    except (TypeError, ValueError, UnicodeError, OverflowError) as exc:  # e.g. a lone surrogate
        return None, f"{type(exc).__name__}: {exc}"


def _reason(exc: Exception) -> str:
    """RE2's message as short printable text (it quotes the pattern, which may hold anything)."""
    raw = exc.args[0] if exc.args else ""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    text = "".join(c if c.isprintable() else "?" for c in text) or "rejected"
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 1] + "…"
