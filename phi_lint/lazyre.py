"""Regular expressions compiled when first used, not when their module is imported.

A pre-commit run names ten files and imports most of phi-lint, yet uses a few dozen of its
hundreds of module-level patterns: compiling the rest at import was a tenth of the run's CPU
time (issue 17). `lazy_pattern(source, flags)` stands where `re.compile(source, flags)` stood;
the pattern is compiled on the first call of one of its methods, which then puts the compiled
pattern's own bound methods on the instance, so every later call costs what a call on the
compiled pattern costs (an instance attribute wins over a class method).

Use it for module-level constants whose methods are called (`search`, `match`, `finditer`, …);
where a real `re.Pattern` is needed (re.sub(pattern, …), a typed parameter), pass `.compiled()`.

`data_pattern(source, flags, where=…, error=…)` is the same for a pattern read from a data file
(the shipped vendor catalogue's ~380 signatures, of which a run uses a handful): one that does not
compile raises `error` naming `where` (the file and key) when first used, as phi_lint.regexdata
says it; and it is not compiled by `compile_all`, since most of them are never used.

A scan that forks a pool of workers calls `compile_all` first: each worker then inherits the
compiled patterns, as it did when they were compiled at import, instead of compiling them again.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from typing import Any, AnyStr, Generic

from phi_lint.errors import UserError
from phi_lint.regexdata import invalid

_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")
_MADE: list[LazyPattern] = []  # every module-level lazy pattern of the process, for compile_all


class LazyPattern(Generic[AnyStr]):
    """A regular expression compiled on first use (see the module's docstring). `where`: the data
    file and key it comes from, named in `error` when it does not compile (None: a pattern of the
    code, whose `re.error` is a bug)."""

    def __init__(self, source: AnyStr, flags: int = 0, where: str | None = None,
                 error: type[Exception] | None = None):
        self._source: AnyStr = source
        self._flags = flags
        self._where = where
        self._error = error
        self._compiled: re.Pattern[AnyStr] | None = None

    def compiled(self) -> re.Pattern[AnyStr]:
        """The compiled pattern (compiled now if it was not yet)."""
        pattern = self._compiled
        if pattern is None:
            try:
                pattern = self._compiled = re.compile(self._source, self._flags)
            except re.error as exc:
                if self._where is None:
                    raise
                raise invalid(self._where, self._source, exc, self._error or UserError) from None
            for name in _METHODS:  # later calls go straight to the compiled pattern's methods
                setattr(self, name, getattr(pattern, name))
        return pattern

    @property
    def pattern(self) -> AnyStr:
        return self._source

    @property
    def flags(self) -> int:
        return self.compiled().flags

    @property
    def groups(self) -> int:
        return self.compiled().groups

    @property
    def groupindex(self):
        return self.compiled().groupindex

    def search(self, string: AnyStr, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[AnyStr] | None:
        return self.compiled().search(string, pos, endpos)

    def match(self, string: AnyStr, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[AnyStr] | None:
        return self.compiled().match(string, pos, endpos)

    def fullmatch(self, string: AnyStr, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[AnyStr] | None:
        return self.compiled().fullmatch(string, pos, endpos)

    def finditer(self, string: AnyStr, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[AnyStr]]:
        return self.compiled().finditer(string, pos, endpos)

    def findall(self, string: AnyStr, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return self.compiled().findall(string, pos, endpos)

    def sub(self, repl: AnyStr | Callable[[re.Match[AnyStr]], AnyStr], string: AnyStr, count: int = 0) -> AnyStr:
        return self.compiled().sub(repl, string, count)

    def subn(self, repl: AnyStr | Callable[[re.Match[AnyStr]], AnyStr], string: AnyStr,
             count: int = 0) -> tuple[AnyStr, int]:
        return self.compiled().subn(repl, string, count)

    def split(self, string: AnyStr, maxsplit: int = 0) -> list[AnyStr | Any]:
        return self.compiled().split(string, maxsplit)

    def __reduce__(self):  # to a worker process: the source, compiled there when used
        return LazyPattern, (self._source, self._flags, self._where, self._error)

    def __eq__(self, other) -> bool:  # as compiled patterns compare: by source and flags
        return isinstance(other, LazyPattern) and (other._source, other._flags) == (self._source, self._flags)

    def __hash__(self) -> int:
        return hash((self._source, self._flags))

    def __repr__(self) -> str:
        return f"lazy_pattern({self._source!r}, {self._flags!r})"


def lazy_pattern(source: AnyStr, flags: int = 0) -> LazyPattern[AnyStr]:
    """`re.compile(source, flags)`, compiled when first used (or by compile_all)."""
    pattern = LazyPattern(source, flags)
    _MADE.append(pattern)
    return pattern


def data_pattern(source: str, flags: int = 0, *, where: str, error: type[Exception]) -> LazyPattern[str]:
    """A data file's pattern, compiled when first used; `error` naming `where` if it does not."""
    return LazyPattern(source, flags, where, error)


def compile_all() -> None:
    """Compile every lazy pattern made so far (before forking workers that will use them)."""
    for pattern in _MADE:
        pattern.compiled()
