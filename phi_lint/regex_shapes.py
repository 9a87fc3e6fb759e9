"""Regex shapes that make Python's backtracking `re` take more than linear time.

A repeat nested in a repeat (`(a+)+`, `(\\s*\\w+)*`) can take exponential time on a few hundred
bytes, and repeats over the same characters side by side (`\\s*\\(?\\s*`, `[^"]*login[^"]*"`)
take quadratic or cubic time on a long run of those characters. phi-lint reads repositories it
does not trust: tests/test_regex_audit.py runs this detector over every pattern phi-lint and its
shipped rules compile, and patterns that come from a scanned repository and must run in `re`
(look-arounds, which RE2 lacks) are refused when they have such a shape.

The detector is a syntactic approximation over `sre_parse` trees (Python 3.10's `sre_parse`,
3.11's `re._parser`), on the cautious side. It flags:

- nested repeat: a repeat that may run more than once whose body holds another repeat of
  variable length, unless the body (on the way down to the inner repeat) has a mandatory
  element that cannot start with any character the inner repeat reads: that element delimits
  every iteration (`(?:\\w+\\.)*` is fine, `(?:\\s*\\w+)*` is not);
- ambiguous alternation: a repeated body holding an alternation in which two alternatives can
  match the same text or one can match a prefix of another's (compared character by character
  over their first few characters; sre_parse factors `a|ab` into `a(?:|b)`, an empty
  alternative), e.g. `(?:a|ab)*c`, `(?:a|a)*c`;
- adjacent repeats: two repeats of variable length, one of them unbounded (or longer than
  `_LONG`), that can both read a long run of one character (their `loop` characters), with only
  optional elements between them, or mandatory ones made of characters both read (`.*x.*`),
  and something after them that can fail (a pattern ending in a repeat never gives back). A
  lookahead counts as reading what it reads (it is re-run wherever the repeat before it gives
  back), a back-reference as reading what its group read but never giving back part of it, so
  the possessive emulation `(?=(\\s*))\\1` passes unless a repeat before it overlaps.

Not modelled (so callers allow such patterns with a reason): look-behinds that keep a repeat
from starting inside a word, inputs bounded elsewhere. Not detected at all: work that comes from
how a pattern is used (a loop that searches the same text again and again, `search` of a
pattern that starts with an unbounded repeat over one long run).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field

from phi_lint.sre_compat import Node, parse, sre_constants

MAX_PATTERN = 4000  # characters of a pattern analysed; a longer one is reported as such

MAXREPEAT = sre_constants.MAXREPEAT
_LONG = 1000  # a bounded repeat longer than this counts as unbounded for the adjacency rule

# ------------------------------------------------------------------ characters

# A probe alphabet stands in for "every character": ASCII and Latin-1, plus characters that
# \w, \d and \s match only in Unicode patterns.
_PROBES = [chr(i) for i in range(256)] + list("\u0100\u0416\u4e2d\u0663\u2028\u3000\U0001f600\u00e9\u017f\u212a")
_PROBE_INDEX = {c: i for i, c in enumerate(_PROBES)}
_ALL = (1 << len(_PROBES)) - 1
_BYTE_ALL = (1 << 256) - 1


def _mask_of(predicate) -> int:
    bits = 0
    for i, char in enumerate(_PROBES):
        if predicate(char):
            bits |= 1 << i
    return bits


def _category_mask(category, ascii_only: bool) -> int:
    source = {
        sre_constants.CATEGORY_DIGIT: r"\d", sre_constants.CATEGORY_NOT_DIGIT: r"\D",
        sre_constants.CATEGORY_SPACE: r"\s", sre_constants.CATEGORY_NOT_SPACE: r"\S",
        sre_constants.CATEGORY_WORD: r"\w", sre_constants.CATEGORY_NOT_WORD: r"\W",
    }[category]
    compiled = re.compile(source, re.ASCII if ascii_only else 0)
    return _mask_of(lambda c: compiled.fullmatch(c) is not None)


def _char_mask(char: str, ignore_case: bool) -> int:
    variants = {char, char.lower(), char.upper(), char.casefold()} if ignore_case else {char}
    bits = 0
    for variant in variants:
        if variant in _PROBE_INDEX:
            bits |= 1 << _PROBE_INDEX[variant]
    return bits


@dataclass
class _Flags:
    ignore_case: bool
    dot_all: bool
    ascii_only: bool
    universe: int


def _atom_mask(op, av, flags: _Flags) -> int | None:
    """Characters a one-character node can read; None when the node is not one character."""
    if op is sre_constants.LITERAL:
        return _char_mask(chr(av), flags.ignore_case)
    if op is sre_constants.NOT_LITERAL:
        return flags.universe & ~_char_mask(chr(av), flags.ignore_case)
    if op is sre_constants.ANY:
        return flags.universe if flags.dot_all else flags.universe & ~_char_mask("\n", False)
    if op is sre_constants.IN:
        bits, negate = 0, False
        for item_op, item_av in av:
            if item_op is sre_constants.NEGATE:
                negate = True
            elif item_op is sre_constants.LITERAL:
                bits |= _char_mask(chr(item_av), flags.ignore_case)
            elif item_op is sre_constants.RANGE:
                low, high = item_av
                bits |= _mask_of(lambda c, lo=low, hi=high: lo <= ord(c) <= hi or (
                    flags.ignore_case and any(lo <= ord(v) <= hi for v in (c.lower(), c.upper()) if len(v) == 1)))
            elif item_op is sre_constants.CATEGORY:
                bits |= _category_mask(item_av, flags.ascii_only)
            else:  # anything new: assume it can read anything
                bits = flags.universe
        return flags.universe & (~bits if negate else bits)
    return None


# ------------------------------------------------------------------ structure


@dataclass
class _Repeat:
    """A repeat whose length varies: the characters its body can read, and those it can read
    an arbitrarily long run of (`loop`: `\\s` for `\\s*`, nothing for `(?:\\w+\\.)*`)."""

    chars: int
    loop: int
    low: int
    high: int
    text: str

    @property
    def long(self) -> bool:
        return self.high == MAXREPEAT or self.high > _LONG


@dataclass
class _Info:
    """What a node can do, for the rules: whether it may match nothing, which characters it can
    read first, at all, and in a run of one character (`loop`), and which long repeats can be
    the first / last thing it reads with."""

    nullable: bool
    first: int = 0
    chars: int = 0
    loop: int = 0
    first_repeats: list = field(default_factory=list)
    last_repeats: list = field(default_factory=list)


_ZERO_WIDTH = _Info(True)


def _describe(op, av) -> str:
    low, high, _ = av
    high_text = "" if high == MAXREPEAT else str(high)
    lazy = "?" if op is sre_constants.MIN_REPEAT else ""
    return f"{{{low},{high_text}}}{lazy}"


_REPEATS = tuple(
    op for op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, getattr(sre_constants, "POSSESSIVE_REPEAT", None)) if op
)
_BACKTRACKING_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT)


class _Analysis:
    def __init__(self, nodes: list[Node], state_flags: int, is_bytes: bool):
        self.flags = _Flags(
            ignore_case=bool(state_flags & re.IGNORECASE),
            dot_all=bool(state_flags & re.DOTALL),
            ascii_only=is_bytes or bool(state_flags & re.ASCII),
            universe=_BYTE_ALL if is_bytes else _ALL,
        )
        self.groups: dict[int, object] = {}  # group number -> its subpattern (for back-references)
        self._infos: dict = {}  # (op, id(av)) -> _Info: the tree is alive while this runs
        self.problems: list[str] = []
        self._collect_groups(nodes)

    def _collect_groups(self, seq) -> None:
        for op, av in seq:
            for child in _children(op, av):
                if op is sre_constants.SUBPATTERN and av[0] is not None:
                    self.groups[av[0]] = child
                self._collect_groups(child)

    # -- facts about nodes
    def seq_info(self, seq) -> _Info:
        infos = [self.node_info(op, av) for op, av in seq]
        out = _Info(True)
        mandatory = [info for info in infos if not info.nullable]
        out.loop = _and(i.loop for i in mandatory) if mandatory else _or(i.loop for i in infos)
        for info in infos:
            out.chars |= info.chars
            if out.nullable:
                out.first |= info.first
                out.first_repeats = out.first_repeats + info.first_repeats
            out.last_repeats = (out.last_repeats + info.last_repeats) if info.nullable else list(info.last_repeats)
            out.nullable = out.nullable and info.nullable
        return out

    def node_info(self, op, av) -> _Info:
        key = (op, id(av))
        info = self._infos.get(key)
        if info is None:
            info = self._infos[key] = self._node_info(op, av)
        return info

    def _node_info(self, op, av) -> _Info:
        mask = _atom_mask(op, av, self.flags)
        if mask is not None:
            return _Info(False, mask, mask, mask)
        if op in _REPEATS:
            low, high, body = av
            inner = self.seq_info(body)
            info = _Info(low == 0 or inner.nullable, inner.first, inner.chars, inner.loop,
                         list(inner.first_repeats), list(inner.last_repeats))
            if high > low and high > 1 and op in _BACKTRACKING_REPEATS:
                repeat = _Repeat(inner.chars, inner.loop, low, high, _describe(op, av))
                info.first_repeats.append(repeat)
                info.last_repeats.append(repeat)
            return info
        if op is sre_constants.SUBPATTERN:
            return self.seq_info(av[-1])
        if op is getattr(sre_constants, "ATOMIC_GROUP", None):
            inner = self.seq_info(av)
            return _Info(inner.nullable, inner.first, inner.chars, inner.loop)
        if op is sre_constants.BRANCH:
            infos = [self.seq_info(alt) for alt in av[1]]
            return _Info(
                any(i.nullable for i in infos),
                _or(i.first for i in infos),
                _or(i.chars for i in infos),
                _or(i.loop for i in infos),
                [r for i in infos for r in i.first_repeats],
                [r for i in infos for r in i.last_repeats],
            )
        if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            direction, body = av
            inner = self.seq_info(body)
            # zero width, but re-run wherever a repeat before it gives back a character
            return _Info(True, first_repeats=list(inner.first_repeats) if direction == 1 else [])
        if op is sre_constants.GROUPREF:
            group = self.groups.get(av)
            if group is None:
                return _ZERO_WIDTH
            inner = self.seq_info(group)
            # reads what the group read, all at once: never gives back part of it
            return _Info(inner.nullable, inner.first, inner.chars, inner.loop, list(inner.first_repeats))
        if op is sre_constants.GROUPREF_EXISTS:
            _, yes, no = av
            infos = [self.seq_info(yes)] + ([self.seq_info(no)] if no else [_ZERO_WIDTH])
            return _Info(any(i.nullable for i in infos), _or(i.first for i in infos), _or(i.chars for i in infos))
        # AT (anchors), and anything unknown: zero width
        return _ZERO_WIDTH

    # -- the rules
    def check_seq(self, seq, tail_can_fail: bool = False) -> None:
        """Apply the rules to a sequence and everything in it; `tail_can_fail`: whether what
        follows the sequence in the pattern can fail (and so make `re` backtrack into it)."""
        self._adjacent(seq, tail_can_fail)
        for index, (op, av) in enumerate(seq):
            after_can_fail = tail_can_fail or any(self.can_fail(o, a) for o, a in seq[index + 1 :])
            if op in _BACKTRACKING_REPEATS and av[1] > 1:
                self._nested(av[2], _describe(op, av))
                self._alternation(av[2], _describe(op, av))
            inside_repeat = op in _REPEATS
            for child in _children(op, av):
                self.check_seq(child, after_can_fail or inside_repeat)

    def can_fail(self, op, av) -> bool:
        """Whether a node can fail to match (and so send `re` back into what precedes it): an
        optional part cannot, as `re` skips it."""
        if _atom_mask(op, av, self.flags) is not None:
            return True
        if op in (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT, sre_constants.GROUPREF,
                  sre_constants.GROUPREF_EXISTS):
            return True
        if op in _REPEATS:
            return av[0] > 0 and self.seq_can_fail(av[2])
        if op is sre_constants.BRANCH:
            return all(self.seq_can_fail(alt) for alt in av[1])
        return any(self.seq_can_fail(child) for child in _children(op, av))

    def seq_can_fail(self, seq) -> bool:
        return any(self.can_fail(op, av) for op, av in seq)

    def _adjacent(self, seq, tail_can_fail: bool) -> None:
        """Long repeats in sequence that can share a run of characters: only optional elements
        between them, or mandatory ones made of characters both repeats read (`.*x.*`)."""
        open_repeats: list[tuple[_Repeat, int]] = []  # (earlier repeat, characters bridged since)
        for index, (op, av) in enumerate(seq):
            info = self.node_info(op, av)
            if open_repeats and info.first_repeats:
                # a repeat that ends the pattern (alone, or as a group of its own) never gives back
                inner_op, _ = _unwrap(op, av)
                alone = inner_op in _REPEATS
                if not alone or tail_can_fail or any(self.can_fail(o, a) for o, a in seq[index + 1 :]):
                    for later in info.first_repeats:
                        for earlier, bridged in open_repeats:
                            if (earlier.long or later.long) and earlier.loop & later.loop and not bridged & ~later.loop:
                                self.problems.append(
                                    f"adjacent repeats {earlier.text} and {later.text} read the same characters"
                                )
            if info.nullable:
                open_repeats = open_repeats + [(r, 0) for r in info.last_repeats]
            else:
                bridges = [(r, b | info.chars) for r, b in open_repeats if info.chars and not info.chars & ~r.loop]
                open_repeats = bridges + [(r, 0) for r in info.last_repeats]

    def _nested(self, body, outer: str) -> None:
        for inner, delimited in self._inner_repeats(body, delimiters=[]):
            if not delimited(inner):
                self.problems.append(f"nested repeat {inner.text} inside {outer}")

    def _inner_repeats(self, seq, delimiters):
        """(inner repeat, test) pairs: test(inner) says whether a mandatory element on the way
        down cannot start with any character the inner repeat reads."""
        infos = [self.node_info(op, av) for op, av in seq]
        for index, (op, av) in enumerate(seq):
            siblings = [info.first for i, info in enumerate(infos) if i != index and not info.nullable]
            here = list(delimiters) + siblings

            def delimited(inner, firsts=tuple(here)):
                return any(first and not (first & inner.chars) for first in firsts)

            if op in _BACKTRACKING_REPEATS:
                low, high, body = av
                if high > low:
                    inner = self.seq_info(body)
                    yield _Repeat(inner.chars, inner.loop, low, high, _describe(op, av)), delimited
                continue  # deeper repeats are checked against this one by check_seq
            if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT, sre_constants.GROUPREF):
                continue
            for child in _children(op, av):
                yield from self._inner_repeats(child, list(here))

    def _alternation(self, body, outer: str) -> None:
        for op, av in body:
            if op is sre_constants.BRANCH:
                shapes = [self.offset_masks(alt) for alt in av[1]]
                for a in range(len(shapes)):
                    for b in range(a + 1, len(shapes)):
                        if not _told_apart(shapes[a], shapes[b]):
                            self.problems.append(f"alternatives that can match the same text inside {outer}")
            if op in _REPEATS or op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
                continue  # a repeat is checked as its own repeat; lookarounds are atomic
            for child in _children(op, av):
                self._alternation(child, outer)

    def offset_masks(self, seq) -> tuple[list[int], int]:
        """(characters possible at each of the first _SHAPE offsets, shortest length up to
        _SHAPE) of what a sequence matches: two alternatives are told apart at the first offset
        where their characters differ, provided neither can end before it."""
        masks = [0] * _SHAPE
        ends = self._walk_offsets(seq, {0}, masks)
        return masks, min(ends) if ends else _SHAPE

    def _walk_offsets(self, seq, offsets: set[int], masks: list[int]) -> set[int]:
        for op, av in seq:
            offsets = {o for o in offsets if o < _SHAPE}
            if not offsets:
                return {_SHAPE}
            mask = _atom_mask(op, av, self.flags)
            if mask is not None:
                for offset in offsets:
                    masks[offset] |= mask
                offsets = {o + 1 for o in offsets}
            elif op in _REPEATS:
                low, high, body = av
                reached = set(offsets) if low == 0 else set()
                current = offsets
                for count in range(1, min(high, _SHAPE + 1) + 1):
                    current = {o for o in self._walk_offsets(body, current, masks) if o <= _SHAPE}
                    if count >= low:
                        reached |= current
                    if not current or min(current) >= _SHAPE:
                        break
                if high > _SHAPE and current:  # may run on past the window
                    reached.add(_SHAPE)
                offsets = reached
            elif op is sre_constants.SUBPATTERN:
                offsets = self._walk_offsets(av[-1], offsets, masks)
            elif op is sre_constants.BRANCH:
                offsets = set().union(*(self._walk_offsets(alt, set(offsets), masks) for alt in av[1]))
            elif op in (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT):
                continue
            else:  # a back-reference or anything else: any characters from here on
                for offset in offsets:
                    for i in range(offset, _SHAPE):
                        masks[i] = self.flags.universe
                offsets = set(offsets)  # it may also match nothing
        return offsets


_SHAPE = 6  # offsets compared when telling alternatives apart


def _told_apart(a: tuple[list[int], int], b: tuple[list[int], int]) -> bool:
    (masks_a, shortest_a), (masks_b, shortest_b) = a, b
    for offset in range(_SHAPE):
        if offset >= shortest_a or offset >= shortest_b:
            return False  # one may end here: a prefix of the other
        if not masks_a[offset] & masks_b[offset]:
            return True
    return False


def _unwrap(op, av):
    """A group around a single node is that node."""
    while op is sre_constants.SUBPATTERN and len(av[-1]) == 1:
        op, av = av[-1][0]
    return op, av


def _or(values) -> int:
    out = 0
    for value in values:
        out |= value
    return out


def _and(values) -> int:
    out = -1
    for value in values:
        out &= value
    return out


def _children(op, av) -> list:
    """Sub-sequences of a node."""
    if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) or op is getattr(sre_constants, "POSSESSIVE_REPEAT", None):
        return [av[2]]
    if op is sre_constants.SUBPATTERN:
        return [av[-1]]
    if op is getattr(sre_constants, "ATOMIC_GROUP", None):
        return [av]
    if op is sre_constants.BRANCH:
        return list(av[1])
    if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
        return [av[1]]
    if op is sre_constants.GROUPREF_EXISTS:
        return [part for part in av[1:] if part]
    return []


def backtracking_problems(pattern: str | bytes | re.Pattern, flags: int = 0) -> list[str]:
    """Why a pattern can backtrack without bound (empty when it looks safe)."""
    source: str | bytes
    if isinstance(pattern, re.Pattern):
        source, flags = pattern.pattern, pattern.flags
    else:
        source = pattern
    if len(source) > MAX_PATTERN:
        return [f"longer than {MAX_PATTERN} characters: not analysed"]
    is_bytes = isinstance(source, bytes)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nodes, state_flags = parse(source, flags & ~re.UNICODE if is_bytes else flags)
        analysis = _Analysis(nodes, state_flags, is_bytes)
        analysis.check_seq(nodes)
    except (re.error, RecursionError, OverflowError, ValueError) as exc:
        return [f"cannot be analysed ({type(exc).__name__})"]
    return list(dict.fromkeys(analysis.problems))
