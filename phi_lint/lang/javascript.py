"""JavaScript, TypeScript, JSX and TSX: the grammar a file's ending calls for, and its one parse.

Every stage that reads JS/TS code as a tree (sightings, data sent, page-graph imports and routes,
route-guard inference) asks a `Script` for its tree; the `Script` parses its code the first
time and hands the same tree to every later caller. A `Script` belongs to one file's `Source`
(phi_lint.lang), so the tree goes when the file is done with.

The grammars are the tree-sitter org's wheels (tree-sitter-javascript, tree-sitter-typescript);
tree_sitter is imported on first use, not when phi_lint starts.
"""

from __future__ import annotations

from functools import cache

from phi_lint.lang.endings import endings_of

_TS_ENDINGS = (".ts", ".mts", ".cts")
SCRIPT_ENDINGS = endings_of("javascript")  # the ending table's (phi_lint.lang.endings), in its order


def dialect_for(name: str) -> str:
    """The grammar for code in a file of this name: "tsx", "ts", or "js" (anything else)."""
    lower = name.lower()
    if lower.endswith(".tsx"):
        return "tsx"
    if lower.endswith(_TS_ENDINGS):
        return "ts"
    return "js"


def language_for(name: str) -> str | None:
    """The dialect of a JS/TS source file, or None for a file that is not one (markup, Python…)."""
    return dialect_for(name) if name.lower().endswith(SCRIPT_ENDINGS) else None


@cache
def grammar(dialect: str):
    """The tree-sitter Language of a dialect (loaded once per process: it is immutable)."""
    from tree_sitter import Language

    if dialect == "js":
        import tree_sitter_javascript

        return Language(tree_sitter_javascript.language())
    import tree_sitter_typescript

    if dialect == "tsx":
        return Language(tree_sitter_typescript.language_tsx())
    return Language(tree_sitter_typescript.language_typescript())


@cache
def query(dialect: str, source: str):
    """A compiled query (compiled once per process and dialect: queries hold no file's data)."""
    from tree_sitter import Query

    return Query(grammar(dialect), source)


def parse_bytes(data: bytes, dialect: str):
    """The syntax tree of UTF-8 code: the one place a JS/TS parse happens (tests count calls)."""
    from tree_sitter import Parser

    return Parser(grammar(dialect)).parse(data)


def encode(code: str) -> bytes:
    """Code as tree-sitter reads it (lone surrogates from odd files kept, byte for character)."""
    return code.encode("utf-8", "surrogatepass")


class Script:
    """A piece of JS/TS code, its bytes and, once asked for, its tree."""

    __slots__ = ("code", "dialect", "_data", "_tree")

    def __init__(self, code: str, dialect: str):
        self.code = code
        self.dialect = dialect
        self._data: bytes | None = None
        self._tree = None

    @property
    def data(self) -> bytes:
        if self._data is None:
            self._data = encode(self.code)
        return self._data

    @property
    def tree(self):
        if self._tree is None:
            self._tree = parse_bytes(self.data, self.dialect)
        return self._tree

    @property
    def parsed(self) -> bool:
        """Whether the tree exists already (a stage with a cheaper way may then use it for free)."""
        return self._tree is not None
