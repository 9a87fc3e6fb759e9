"""Which files a framework's per-file hook reads, and the per-file dispatch that calls only those.

Every file of a repository passes through the per-file hooks (`source_edges`, `file_routes`,
`infer_source`, `file_hints`, `source_hints`). Most hooks read one language or a few template
dialects, and each used to work out the file's name, ending and dialect again only to find it
had nothing to do: a flat cost per file that was a sixth of a cold scan. A framework now declares
what each hook reads (`Framework.reads`: its kinds, languages, dialect readers, endings, taken
from the one endings table phi_lint.lang.endings and the dialect table rules/dialects.toml, so
an ending a user adds to a dialect reaches its readers), and `HookDispatch` works out which hooks
may read a file once per (kind, name ending) and keeps the answer: a file costs one dict look-up.

A declaration is an upper bound of what the hook reads (the hook keeps its own tests); a hook
without one is called for every file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from phi_lint.dialects import dialect_for
from phi_lint.lang.endings import language_of


@dataclass(frozen=True)
class Reads:
    """One shape of file a hook reads: of one of `kinds` (any kind when empty) and, unless all of
    the name tests are empty, passing one of them."""

    kinds: tuple[str, ...] = ()  # file kinds of the repository index (phi_lint.discovery)
    languages: tuple[str, ...] = ()  # languages of phi_lint.lang.endings
    readers: tuple[str, ...] = ()  # page-graph readers of rules/dialects.toml (a dialect's `includes`)
    dialects: tuple[str, ...] = ()  # dialect names of rules/dialects.toml
    endings: tuple[str, ...] = ()  # name endings (any case) that neither table names

    def admits(self, kind: str | None, suffix: str) -> bool:
        """Whether a file of `kind` whose lower-case name ends in `suffix` (phi_lint.lang.endings
        name_suffix) may be read."""
        if self.kinds and kind not in self.kinds:
            return False
        if not (self.languages or self.readers or self.dialects or self.endings):
            return True
        if self.endings and suffix.endswith(tuple(ending.lower() for ending in self.endings)):
            return True
        if self.languages and language_of(suffix) in self.languages:
            return True
        dialect = dialect_for(suffix) if (self.readers or self.dialects) else None
        if dialect is None:
            return False
        return dialect.name in self.dialects or any(reader in dialect.includes for reader in self.readers)


# a hook's declaration: the shapes of file it reads (any of them), or None: every file
Shapes = tuple[Reads, ...] | None


def admits(shapes: Shapes, kind: str | None, suffix: str) -> bool:
    return shapes is None or any(shape.admits(kind, suffix) for shape in shapes)


class HookDispatch:
    """A stage's per-file hooks in order, each with what it reads: the ones that may read a file
    are worked out once per (kind, name ending) of the run and kept."""

    def __init__(self, hooks: Sequence[tuple[Callable, Shapes]]):
        self._hooks = tuple(hooks)
        self._by_file_shape: dict[tuple[str | None, str], tuple[Callable, ...]] = {}

    def __bool__(self) -> bool:
        return bool(self._hooks)

    def for_file(self, kind: str | None, suffix: str) -> tuple[Callable, ...]:
        """The hooks to call for a file of `kind` (the repository index's) whose lower-case name
        ends in `suffix` (from the first dot of its name), in stage order."""
        key = (kind, suffix)
        found = self._by_file_shape.get(key)
        if found is None:
            found = self._by_file_shape[key] = tuple(hook for hook, shapes in self._hooks if admits(shapes, kind, suffix))
        return found
