"""What a condition expression says about the visitor: true only for signed-out visitors, only for
signed-in ones, or unknown. The expressions are data (rules/signed-in-conditions.toml); this
module only strips negations and parentheses and splits conjunctions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from phi_lint.errors import UserError
from phi_lint.regexdata import alternation
from phi_lint.resources import rules_dir
from phi_lint.tomlread import load_shipped

CONDITIONS_FILE = "signed-in-conditions.toml"
SIGNED_OUT = "signed-out"
SIGNED_IN = "signed-in"
OFF_PATH = "off-path"  # shown only on pages whose URL does not start with a prefix
ON_PATH = "on-path"  # shown only on pages whose URL starts with a prefix
PATH_KINDS = frozenset({OFF_PATH, ON_PATH})
READERS = frozenset({"jinja", "erb", "blade", "handlebars", "vue", "jsx", "php"})
MAX_EXPRESSION = 400  # longer conditions are not read: no one writes a sign-in check that long


class ConditionTableError(UserError, ValueError):
    """A broken rules/signed-in-conditions.toml (an edited install): names the key, exit 2."""


@dataclass(frozen=True)
class Meaning:
    """Who a branch is shown to (`shown`: signed-out or signed-in) and whether the opposite branch
    is then known too (`exact`: false for `not user and consent`, whose else is anyone)."""

    shown: str
    exact: bool = True
    prefix: str = ""  # the URL prefix of an on-path / off-path meaning (`/portal`)

    def negated(self) -> Meaning | None:
        if not self.exact:
            return None
        if self.shown in PATH_KINDS:
            return Meaning(ON_PATH if self.shown == OFF_PATH else OFF_PATH, prefix=self.prefix)
        return Meaning(SIGNED_IN if self.shown == SIGNED_OUT else SIGNED_OUT)

    @property
    def is_path(self) -> bool:
        return self.shown in PATH_KINDS

    def describe(self) -> str:
        """`signed-out`, or `off-path /portal` (the samples of the table are written so)."""
        return f"{self.shown} {self.prefix}" if self.prefix else self.shown


@dataclass(frozen=True)
class Syntax:
    """One condition language of the table."""

    name: str
    dialects: tuple[str, ...]
    reader: str
    signed_in: re.Pattern | None
    signed_out: re.Pattern | None
    negation: re.Pattern | None
    conjunction: re.Pattern | None
    disjunction: re.Pattern | None
    signed_out_blocks: frozenset[str]
    signed_in_blocks: frozenset[str]
    samples: tuple[tuple[str, str], ...]
    path_prefix: tuple[re.Pattern, ...] = ()  # a check that the URL starts with group 1
    # lower-case literals one of which every condition it reads contains; empty: no gate
    keywords: tuple[str, ...] = ()

    def may_read(self, lowered: str) -> bool:
        """Whether a file's lower-cased text may hold a condition this syntax reads: the cheap
        test that spares most templates the branch readers."""
        return not self.keywords or any(word in lowered for word in self.keywords)

    def meaning(self, expression: str) -> Meaning | None:
        """The meaning of a whole condition, None when it is not read."""
        expression = expression.strip()
        if not expression or len(expression) > MAX_EXPRESSION:
            return None
        if self.disjunction is not None and self.disjunction.search(_outer(expression)):
            return None
        parts = self.conjunction.split(_outer(expression)) if self.conjunction is not None else [expression]
        if len(parts) == 1:
            return self._single(parts[0])
        meanings = {(m.shown, m.prefix) for m in map(self._single, parts) if m is not None}
        if len(meanings) != 1:
            return None  # nothing read, a contradiction or a mix: not a condition to rely on
        shown, prefix = meanings.pop()
        return Meaning(shown, exact=False, prefix=prefix)

    def _single(self, expression: str) -> Meaning | None:
        negations = 0
        for _ in range(8):
            expression = _outer(expression.strip())
            found = self.negation.match(expression) if self.negation is not None else None
            if found is None:
                break
            negations += 1
            expression = expression[found.end():]
        if self.signed_in is not None and self.signed_in.fullmatch(expression):
            meaning = Meaning(SIGNED_IN)
        elif self.signed_out is not None and self.signed_out.fullmatch(expression):
            meaning = Meaning(SIGNED_OUT)
        else:
            prefix = self._path_prefix(expression)
            if prefix is None:
                return None
            meaning = Meaning(ON_PATH, prefix=prefix)
        return meaning.negated() if negations % 2 else meaning

    def _path_prefix(self, expression: str) -> str | None:
        """The URL prefix of a path check (`request.path.startswith('/portal')`), as a path:
        Laravel's `portal/*` is `/portal/`."""
        for pattern in self.path_prefix:
            found = pattern.fullmatch(expression)
            if found:
                prefix = "/" + found.group(1).strip().lstrip("/")
                return prefix[:-1] if prefix.endswith("*") else prefix
        return None


def _outer(expression: str) -> str:
    """The expression without parentheses around all of it: `(not (user))` → `not (user)`."""
    for _ in range(8):
        if not (expression.startswith("(") and expression.endswith(")")) or not _wraps(expression):
            return expression
        expression = expression[1:-1].strip()
    return expression


def _wraps(expression: str) -> bool:
    """Whether the opening parenthesis at 0 closes at the very end (not `(a) and (b)`)."""
    depth = 0
    for i, char in enumerate(expression):
        depth += char == "("
        depth -= char == ")"
        if depth == 0:
            return i == len(expression) - 1
    return False


def _alternation(patterns, where: str) -> re.Pattern | None:
    if not patterns:
        return None
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        raise ConditionTableError(f"{CONDITIONS_FILE}: {where} must be a list of regexes")
    return alternation(patterns, re.IGNORECASE, where=f"{CONDITIONS_FILE}: {where}", error=ConditionTableError)


def _path_patterns(patterns, where: str) -> tuple[re.Pattern, ...]:
    if not patterns:
        return ()
    compiled = []
    for pattern in patterns:
        single = _alternation([pattern], where)
        if single is None or single.groups != 1:
            raise ConditionTableError(f"{CONDITIONS_FILE}: {where} regexes need exactly one group (the prefix)")
        compiled.append(single)
    return tuple(compiled)


def _names(value, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConditionTableError(f"{CONDITIONS_FILE}: {where} must be a list of strings")
    return tuple(value)


def parse_table(data: dict) -> dict[str, Syntax]:
    """The syntaxes of a condition table (rules/signed-in-conditions.toml's layout)."""
    tables = data.get("syntax")
    if not isinstance(tables, dict) or not tables:
        raise ConditionTableError(f"{CONDITIONS_FILE}: needs [syntax.<name>] tables")
    syntaxes: dict[str, Syntax] = {}
    for name, entry in tables.items():
        where = f"[syntax.{name}]"
        reader = entry.get("reader")
        if reader not in READERS:
            raise ConditionTableError(f"{CONDITIONS_FILE}: {where} reader {reader!r} is not one of {sorted(READERS)}")
        lists = tables.get(entry["expressions"], {}) if "expressions" in entry else entry
        if "expressions" in entry and entry["expressions"] not in tables:
            raise ConditionTableError(f"{CONDITIONS_FILE}: {where} expressions names no [syntax.*]")
        samples = entry.get("samples", [])
        if not all(isinstance(s, list) and len(s) == 2 for s in samples):
            raise ConditionTableError(f"{CONDITIONS_FILE}: {where} samples must be [expression, meaning] pairs")
        syntaxes[name] = Syntax(
            name=name,
            dialects=_names(entry.get("dialects"), f"{where} dialects"),
            reader=reader,
            signed_in=_alternation(lists.get("signed_in"), f"{where} signed_in"),
            signed_out=_alternation(lists.get("signed_out"), f"{where} signed_out"),
            negation=_alternation(lists.get("negation"), f"{where} negation"),
            conjunction=_alternation(lists.get("conjunction"), f"{where} conjunction"),
            disjunction=_alternation(lists.get("disjunction"), f"{where} disjunction"),
            signed_out_blocks=frozenset(_names(entry.get("signed_out_blocks"), f"{where} signed_out_blocks")),
            signed_in_blocks=frozenset(_names(entry.get("signed_in_blocks"), f"{where} signed_in_blocks")),
            samples=tuple((str(a), str(b)) for a, b in samples),
            path_prefix=_path_patterns(lists.get("path_prefix"), f"{where} path_prefix"),
            keywords=tuple(k.lower() for k in _names(lists.get("keywords"), f"{where} keywords")),
        )
    return syntaxes


@lru_cache(maxsize=1)
def table() -> dict[str, Syntax]:
    """The shipped table, read once per process."""
    data = load_shipped(rules_dir() / CONDITIONS_FILE, ConditionTableError)
    return parse_table(data)


def syntaxes_for(dialect: str) -> list[Syntax]:
    """The condition languages of a dialect name ("jinja", "erb", …; "script" for JS/TS code)."""
    return [syntax for syntax in table().values() if dialect in syntax.dialects]


def syntaxes_in(dialect: str, text: str) -> list[Syntax]:
    """The condition languages of a dialect whose keywords occur in `text` (none: the file has
    no condition phi-lint could read, and its branches are not searched)."""
    syntaxes = syntaxes_for(dialect)
    if not syntaxes:
        return []
    lowered = text.lower()
    return [syntax for syntax in syntaxes if syntax.may_read(lowered)]
