"""Regular expressions compiled when first used, not when their module is imported.

A pre-commit run names ten files and imports most of phi-lint, yet uses a few dozen of its
hundreds of module-level patterns: compiling the rest at import was a tenth of the run's CPU
time (issue 17). `lazy_pattern(source, flags)` stands where `re.compile(source, flags)` stood;
the pattern is compiled on the first call of one of its methods, which then puts the compiled
pattern's own bound methods on the instance, so every later call costs what a call on the
compiled pattern costs (an instance attribute wins over a class method).

Use it for module-level constants whose methods are called (`search`, `match`, `finditer`, …);
where a real `re.Pattern` is needed (re.sub(pattern, …), a typed parameter), pass `.compiled()`.

A scan that forks a pool of workers calls `compile_all` first: each worker then inherits the
compiled patterns, as it did when they were compiled at import, instead of compiling them again.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from typing import Any, AnyStr, Generic

_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")
_MADE: list[LazyPattern] = []  # every lazy pattern of the process, for compile_all


class LazyPattern(Generic[AnyStr]):
    """A regular expression compiled on first use (see the module's docstring)."""

    def __init__(self, source: AnyStr, flags: int = 0):
        self._source: AnyStr = source
        self._flags = flags
        self._pattern: re.Pattern[AnyStr] | None = None
        _MADE.append(self)

    def compiled(self) -> re.Pattern[AnyStr]:
        """The compiled pattern (compiled now if it was not yet)."""
        pattern = self._pattern
        if pattern is None:
            pattern = self._pattern = re.compile(self._source, self._flags)
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
        return LazyPattern, (self._source, self._flags)

    def __repr__(self) -> str:
        return f"lazy_pattern({self._source!r}, {self._flags!r})"


def lazy_pattern(source: AnyStr, flags: int = 0) -> LazyPattern[AnyStr]:
    """`re.compile(source, flags)`, compiled when first used."""
    return LazyPattern(source, flags)


def compile_all() -> None:
    """Compile every lazy pattern made so far (before forking workers that will use them)."""
    for pattern in _MADE:
        pattern.compiled()
