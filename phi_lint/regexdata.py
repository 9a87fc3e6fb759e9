"""Regular expressions that come from data files (rules/*.toml, a user's rules), compiled with an
error that names where they come from.

A pattern of a data file is the user's to fix when it does not compile (an edited install, a
user's vendor file): the error is a one-line UserError naming the file, the key and the pattern,
never an `re.error` raised deep in a scan. The data lists that are searched as one regex (guard
name shapes, route file shapes) are joined here, in one way: each pattern in a non-capturing
group, so that `a|b` in one of them stays its own alternative.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from phi_lint.errors import UserError


def invalid(where: str, source: str | bytes, problem: re.error | str, error: type[Exception] = UserError) -> Exception:
    """The one message of a data file's pattern that does not compile: `where` names the file and
    key (`rules/frameworks/rails.toml: \\`auth-filter-patterns\\``)."""
    return error(f"{where}: invalid regular expression {source!r}: {problem}")


def compile_data(source: str, flags: int = 0, *, where: str, error: type[Exception] = UserError) -> re.Pattern[str]:
    """`re.compile(source, flags)`, or `error` naming `where` and the pattern."""
    try:
        return re.compile(source, flags)
    except re.error as exc:
        raise invalid(where, source, exc, error) from None


def alternation(patterns: Iterable[str], flags: int = 0, *, where: str,
                error: type[Exception] = UserError) -> re.Pattern[str]:
    """One regex that matches where any of `patterns` matches (each a non-capturing group).

    When it does not compile, the error names the first pattern that does not compile alone, or
    says that they do not combine (each compiles, the whole does not: a group name used twice, a
    global flag such as `(?i)` after the first)."""
    patterns = tuple(patterns)
    try:
        return re.compile("|".join(f"(?:{p})" for p in patterns), flags)
    except re.error as joined:
        for pattern in patterns:
            compile_data(pattern, flags, where=where, error=error)
        raise error(f"{where}: the regular expressions do not combine into one ({joined})") from None
