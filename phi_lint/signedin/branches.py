"""Branches of nested conditional blocks, and who each is shown to.

A reader feeds `Branches` the block tags of a file in order (open, next branch, close); it keeps a
stack of open blocks and, when a branch ends, records its text range with what its condition
requires. A branch's requirement is its own condition when that is read, otherwise the opposite
of an earlier branch's exact condition (`{% else %}` of `{% if user.is_authenticated %}` is for
signed-out visitors). Blocks that are never closed record nothing (the file is not what it
seems: judge it as if the condition were not there), and a closer that matches no open block is
ignored. Everything is bounded: a stack of any depth, and a closer looks only a few blocks down.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from phi_lint.signedin.conditions import SIGNED_OUT, Meaning

CLOSER_REACH = 32  # how many open blocks a closer may skip to find its own (unclosed inner ones)
ANY = "*"  # a closer for any block (ERB's `end`)


@dataclass(frozen=True)
class Branch:
    """text[start:end] is shown only to `meaning.shown` visitors, because of `condition` (the
    opener as written, or "`{% else %}` of `{% if … %}`") at `line`."""

    start: int
    end: int
    meaning: Meaning
    condition: str
    line: int

    def covers(self, start: int, end: int) -> bool:
        return self.start <= start and end <= self.end


@dataclass
class _Block:
    kind: str
    opener: str
    line: int
    start: int  # where the current branch's content starts
    branch_line: int  # where the current branch's tag is
    current: Meaning | None
    label: str  # how the current branch is named in a note
    earlier: list[Meaning] = field(default_factory=list)  # exact conditions of earlier branches


class Branches:
    """The stack machine; `found` holds every closed branch whose requirement is known."""

    def __init__(self) -> None:
        self._stack: list[_Block] = []
        self.found: list[Branch] = []

    def open(self, kind: str, opener: str, meaning: Meaning | None, content_start: int, line: int) -> None:
        """A block begins; `meaning` is what its first branch requires (None: nothing known)."""
        block = _Block(kind, opener, line, content_start, line, meaning, f"inside `{opener}`")
        if meaning is not None and meaning.exact:
            block.earlier.append(meaning)
        self._stack.append(block)

    def branch(self, kind: str, tag: str, meaning: Meaning | None, tag_start: int, content_start: int,
               line: int) -> None:
        """The next branch of the innermost `kind` block (`elif`, `else`): own meaning, else the
        opposite of an earlier branch's exact one."""
        block = self._find(kind)
        if block is None:
            return
        self._end_branch(block, tag_start)
        own = meaning
        if own is None:
            opposites = [m.negated() for m in block.earlier]
            own = next((m for m in opposites if m is not None), None)
        elif own.exact:
            block.earlier.append(own)
        block.current = own
        block.start = content_start
        block.branch_line = line if meaning is not None else block.line  # an else is named by its opener
        block.label = f"inside `{tag}`" if meaning is not None else f"in the `{tag}` branch of `{block.opener}`"

    def close(self, kind: str, tag_start: int) -> None:
        """The innermost `kind` block ends (blocks opened inside it and left open go with it)."""
        if self._find(kind) is None:
            return
        while self._stack:
            block = self._stack.pop()
            if block.kind == kind or kind == ANY:
                self._end_branch(block, tag_start)
                return

    def _find(self, kind: str) -> _Block | None:
        for block in reversed(self._stack[-CLOSER_REACH:]):
            if kind == ANY or block.kind == kind:
                return block
        return None

    def _end_branch(self, block: _Block, end: int) -> None:
        if block.current is not None:
            self.found.append(Branch(block.start, end, block.current, block.label, block.branch_line))


def innermost_guard(branches: list[Branch], start: int, end: int) -> Branch | None:
    """The branch that decides who sees text[start:end]: a signed-out one if any encloses it (the
    enclosing conditions all hold together, so one is enough), else the innermost signed-in one.
    Path checks are not conditions on the visitor (path_guards)."""
    enclosing = [b for b in branches if b.covers(start, end) and not b.meaning.is_path]
    signed_out = [b for b in enclosing if b.meaning.shown == SIGNED_OUT]
    pool = signed_out or enclosing
    if not pool:
        return None
    return max(pool, key=lambda b: (b.start, -b.end))


def path_guards(branches: list[Branch], start: int, end: int) -> list[Branch]:
    """The path checks (`request.path.startswith('/portal')`) around text[start:end], outermost
    first: each holds together with the others."""
    enclosing = [b for b in branches if b.covers(start, end) and b.meaning.is_path]
    return sorted(enclosing, key=lambda b: (b.start, -b.end))
