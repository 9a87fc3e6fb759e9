"""No regex that reads scanned text may backtrack without bound (issue 11, "bounded work").

Python's `re` backtracks: a repeat nested in a repeat (`(a+)+`, `(\\s*\\w+)*`) can take
exponential time on a few hundred hostile bytes, and repeats over the same characters side by
side (`\\s*\\(?\\s*`, `[^"]*login[^"]*"`) take quadratic or cubic time on a long run of those
characters. phi-lint reads repositories it does not trust, so this test parses every pattern
phi-lint compiles (module and class attributes, patterns in module-level containers, literal
patterns passed to `re.*` anywhere in the source, and the regexes of the shipped rules: vendor
catalogue and data-call shapes) and fails on those shapes, unless the pattern is in ALLOWED with
the reason it is bounded anyway.

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

Not modelled, so allowed with a reason: look-behinds that keep a repeat from starting inside a
word, windows bounded by the input (front matter cut at 4,000 characters). Not detected at all:
work that comes from how a pattern is used (a loop that searches the same text again and again,
`search` of a pattern that starts with an unbounded repeat over one long run) and patterns built
at run time; test_hostile_bounded_b.py times the cases of those found so far.
"""

from __future__ import annotations

import ast
import functools
import importlib
import pkgutil
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pytest

try:  # Python 3.11+
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # Python 3.10
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import sre_constants  # type: ignore[no-redef]
        import sre_parse  # type: ignore[no-redef]

import phi_lint
from phi_lint.inference.signals import _BRANCHES

REPO = Path(__file__).resolve().parent.parent
_BRANCHES_PATTERN = _BRANCHES.pattern
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
    def __init__(self, parsed, is_bytes: bool):
        state_flags = parsed.state.flags
        self.flags = _Flags(
            ignore_case=bool(state_flags & re.IGNORECASE),
            dot_all=bool(state_flags & re.DOTALL),
            ascii_only=is_bytes or bool(state_flags & re.ASCII),
            universe=_BYTE_ALL if is_bytes else _ALL,
        )
        self.groups = {}  # group number -> its subpattern (for back-references)
        self.problems: list[str] = []
        self._collect_groups(parsed)

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
    if isinstance(pattern, re.Pattern):
        pattern, flags = pattern.pattern, pattern.flags
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = sre_parse.parse(pattern, flags & ~re.UNICODE if isinstance(pattern, bytes) else flags)
    analysis = _Analysis(parsed, isinstance(pattern, bytes))
    analysis.check_seq(list(parsed))
    return list(dict.fromkeys(analysis.problems))


# ------------------------------------------------------------------ the detector itself

_BAD = [
    r"(a+)+$",
    r"(\s*\w+)*x",
    r"(?:a|ab)*c",
    r"(?:a|a)*c",
    r"(?:a|aa)+c",
    r"(.*a){3,}",
    r"(?:\d+[a-z]*)*!",
    r"\s*\(?\s*x",
    r"!\s*(?:await\s+)?\(?\s*(?:\w+\??\.)*(?:session|user)\b",
    r"\brender\s*\(?\s*(?:[^)\n]*?,\s*)?view\s*:",
    r"\s*(?::\s*[\w<>?,.\[\] ]+?)?\s*(?:throws\s+[\w.,\s]+?)?\s*(\{|=(?!=))",
    r".*x?.*y",
    r"[^\"]*(?:log-?in|auth)[^\"]*\"",
    r"a{0,2000}a{0,2000}b",
    r"[^%]{0,300}?(?:user|\w+_in)",
    rb"(\s*\w+)*x",
    r"\s*(?=(\s*))\1x",
]
_GOOD = [
    r"(?:\w+\.)*\w+",
    r"(?:[^\"\\]|\\.)*\"",
    r"(?:\\.|[^'\\\n])*'",
    r"\bclass\s+(\w+)",
    r"@([A-Za-z_][\w.]*)\s*(\()?",
    r"(?:\s*,\s*[\w.]+)*",
    r"<g:render\b[^>]{0,2000}?\btemplate\s*=\s*([\"'])([^\"']+)\1",
    r"(?=(\s*))\1(?::)",
    r"x(?=(\s*))\1\{",
    r"[a-z]+(?:-[a-z]+)*",
    r"\d{1,3}(?:\.\d{1,3}){3}",
    r"(?:foo|bar)+",
    r"^(?:https?|ftp)://[^/\s]+",
    rb"[^\r\n]",
    r"(?i)(?:A|a)+b",
]


@pytest.mark.parametrize("pattern", _BAD)
def test_detector_flags_backtracking_shapes(pattern):
    assert backtracking_problems(pattern), pattern


@pytest.mark.parametrize("pattern", _GOOD)
def test_detector_passes_safe_shapes(pattern):
    assert backtracking_problems(pattern) == [], pattern


# ------------------------------------------------------------------ what phi-lint compiles


def _modules() -> list:
    names = [phi_lint.__name__] + [
        info.name for info in pkgutil.walk_packages(phi_lint.__path__, phi_lint.__name__ + ".")
    ]
    return [importlib.import_module(name) for name in names if not name.endswith("__main__")]


def _patterns_in(value, where: str, depth: int = 0):
    """(where, pattern) for the compiled patterns in a module-level value or its containers."""
    if isinstance(value, re.Pattern):
        yield where, value
    elif depth < 4 and isinstance(value, (tuple, list, set, frozenset)):
        for index, item in enumerate(value):
            yield from _patterns_in(item, f"{where}[{index}]", depth + 1)
    elif depth < 4 and isinstance(value, dict):
        for key, item in list(value.items()):
            yield from _patterns_in(key, f"{where} key", depth + 1)
            yield from _patterns_in(item, f"{where}[{key!r}]", depth + 1)


@functools.lru_cache(maxsize=None)
def attribute_patterns() -> dict[str, re.Pattern]:
    """Compiled patterns reachable from phi-lint's modules and their classes, by where they live."""
    found: dict[str, re.Pattern] = {}
    for module in _modules():
        for name, value in list(vars(module).items()):
            owner = getattr(value, "__module__", None)
            if isinstance(value, type) and owner == module.__name__:
                for attr, member in list(vars(value).items()):
                    for where, pattern in _patterns_in(member, f"{module.__name__}.{name}.{attr}"):
                        found.setdefault(where, pattern)
            for where, pattern in _patterns_in(value, f"{module.__name__}.{name}"):
                found.setdefault(where, pattern)
    return found


_RE_FUNCTIONS = {"compile", "search", "match", "fullmatch", "findall", "finditer", "sub", "subn", "split"}


def _flags_value(node) -> int | None:
    """re.I | re.X … written in the source, or None when it is not that simple."""
    if node is None:
        return 0
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "re":
        value = getattr(re, node.attr, None)
        return int(value) if isinstance(value, re.RegexFlag) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        left, right = _flags_value(node.left), _flags_value(node.right)
        return None if left is None or right is None else left | right
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return node.value
    return None


@functools.lru_cache(maxsize=None)
def literal_patterns() -> dict[str, tuple[str | bytes, int]]:
    """Literal patterns passed to re.compile / re.search / … anywhere in phi-lint's source (the
    ones compiled inside functions are not module attributes)."""
    found: dict[str, tuple[str | bytes, int]] = {}
    package = Path(phi_lint.__file__).parent
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "re"
                and node.func.attr in _RE_FUNCTIONS
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, (str, bytes))
            ):
                continue
            flags_node = next((k.value for k in node.keywords if k.arg == "flags"), None)
            position = {"compile": 1, "sub": 3, "subn": 3, "split": 2}.get(node.func.attr, 2)
            if flags_node is None and len(node.args) > position:
                flags_node = node.args[position]
            flags = _flags_value(flags_node)
            rel = path.relative_to(package.parent).as_posix()
            found[f"{rel}:{node.lineno}"] = (node.args[0].value, flags or 0)
    return found


@functools.lru_cache(maxsize=None)
def rule_patterns() -> dict[str, re.Pattern]:
    """The regexes of the shipped rules: the vendor catalogue (URLs, call arguments, id formats)
    and the data-call shapes (rules/data-calls.toml)."""
    from phi_lint.catalogue import load_catalogue
    from phi_lint.datasent.calls import shapes

    found: dict[str, re.Pattern] = {}
    seen: set[int] = set()

    def walk(value, where: str, depth: int) -> None:
        if depth > 8 or id(value) in seen or isinstance(value, (str, bytes, int, float, bool, type(None))):
            return
        seen.add(id(value))
        if isinstance(value, re.Pattern):
            found.setdefault(where, value)
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{where}[{key!r}]", depth + 1)
        elif isinstance(value, (list, tuple, set, frozenset)):
            for index, item in enumerate(value):
                walk(item, f"{where}[{index}]", depth + 1)
        else:
            names = list(getattr(value, "__dict__", {})) or list(getattr(value, "__slots__", ()))
            for name in names:
                walk(getattr(value, name, None), f"{where}.{name}", depth + 1)

    walk(load_catalogue(), "catalogue", 0)
    walk(shapes(), "data-calls", 0)
    return found


# ------------------------------------------------------------------ the audit

# pattern -> why it cannot backtrack without bound although the detector flags its shape
ALLOWED = {
    r"^(title|description|summary)\s*:\s*[\"']?(.+?)[\"']?\s*$": (
        "health._FM_FIELD reads only front matter, which _FRONT_MATTER cuts at 4,000 characters: "
        "at worst about 0.2 s for a file"
    ),
    _BRANCHES_PATTERN: (
        "signals._BRANCHES: the flagged pair is the 300-character window and `(?<!\\w)\\w+_signed_in`, "
        "which starts only at the start of a word, so a long word is read once per window"
    ),
    r"^\(\?<[!=](?:\\.|[^)])*\)": (
        "templates_other._leading_literal strips a look-behind from phi-lint's own comment-opener "
        "patterns, never from scanned text"
    ),
}

# the tag-manager side of issue 11 rewrites these on its own branch (sec-redos-a): not checked here
OWNED_ELSEWHERE = {
    r"\{\{\s*([^{}]{1,200}?)\s*\}\}": "tagmanager.reads.REF",
    r"^\s*\{\{\s*([^{}]+?)\s*\}\}\s*$": "tagmanager.firing._REF",
}


def _problems(patterns) -> list[str]:
    out = []
    for where, (pattern, flags) in patterns:
        text = pattern.decode("latin-1") if isinstance(pattern, bytes) else pattern
        if text in ALLOWED or text in OWNED_ELSEWHERE:
            continue
        found = backtracking_problems(pattern, flags)
        if found:
            out.append(f"{where}: {text[:120]!r}: {'; '.join(found)}")
    return out


def test_compiled_patterns_do_not_backtrack():
    found = attribute_patterns()
    assert _problems((where, (p.pattern, p.flags)) for where, p in found.items()) == []


def test_literal_patterns_do_not_backtrack():
    assert _problems(literal_patterns().items()) == []


def test_rule_patterns_do_not_backtrack():
    found = rule_patterns()
    assert _problems((where, (p.pattern, p.flags)) for where, p in found.items()) == []


def test_the_audit_reads_what_it_should():
    """The collectors find what they are meant to (an audit of nothing would pass)."""
    attributes = attribute_patterns()
    assert "phi_lint.pagegraph.frameworks_js._SESSION_CHECK" in attributes
    assert "phi_lint.inference.health._TITLE_PATTERNS[5][1]" in attributes  # inside a list of tuples
    assert any(where.startswith("phi_lint.inference.express_jvm._LINE_STRING_BODY[") for where in attributes)  # a dict
    assert len(attributes) > 250
    literals = literal_patterns()
    assert any(where.startswith("phi_lint/inference/ruby_php.py:") for where in literals)  # inside functions
    assert len(literals) > 300
    rules = rule_patterns()
    assert any(".urls[" in where for where in rules) and any(where.startswith("data-calls") for where in rules)
    assert len(rules) > 150


def test_allowed_patterns_still_exist():
    """An entry for a pattern that is gone (rewritten) must go too, so the list stays honest."""
    present = {p.pattern for p in attribute_patterns().values()}
    present |= {p.decode("latin-1") if isinstance(p, bytes) else p for p, _ in literal_patterns().values()}
    assert set(ALLOWED) - present == set()
