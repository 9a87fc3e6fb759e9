"""Code in the languages of server frameworks, read with the tree-sitter org's grammar wheels.

One table names each language's wheel; `parse` is the one place a parse of these languages
happens, and `Source.tree` (phi_lint.lang) keeps the tree for the file's other stages. The small
helpers below are what every framework module asks of a tree: a node's text, a string literal's
value, the nodes of some types under a node (iteratively: hostile nesting cannot exhaust the
stack). JS/TS keep their own module (phi_lint.lang.javascript) for its dialect rules.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from functools import cache

from phi_lint.lang.endings import endings_of
from phi_lint.lang.endings import language_of as _language_by_ending

# language → (wheel module, function that returns its grammar)
GRAMMARS: dict[str, tuple[str, str]] = {
    "ruby": ("tree_sitter_ruby", "language"),
    "php": ("tree_sitter_php", "language_php"),  # PHP with inline HTML around <?php … ?>
    "java": ("tree_sitter_java", "language"),
    "kotlin": ("tree_sitter_kotlin", "language"),
    "c_sharp": ("tree_sitter_c_sharp", "language"),
    "go": ("tree_sitter_go", "language"),
    "embedded_template": ("tree_sitter_embedded_template", "language"),  # ERB tags (the Ruby inside: "ruby")
    "elixir": ("tree_sitter_elixir", "language"),  # the elixir-lang org's grammar (Phoenix routers)
    # mobile app code (phi_lint.mobile): SDK calls and screens
    "swift": ("tree_sitter_swift", "language"),
    "objc": ("tree_sitter_objc", "language"),
    "dart": ("tree_sitter_dart", "language"),
}
# the endings of the languages above, from the one ending table (phi_lint.lang.endings)
ENDINGS: tuple[str, ...] = endings_of(*GRAMMARS)
MAX_PARSE_BYTES = 4 * 1024 * 1024  # larger files are generated code: not parsed as a whole


class GrammarMissing(RuntimeError):
    """The grammar wheel of a language is not installed (a broken install): said, never hidden."""


def language_of(rel: str) -> str | None:
    """The tree-sitter language of a file by its ending, or None."""
    lower = rel.lower()
    if lower.endswith(".blade.php"):
        return None  # a Blade view is a template, read by the template dialect
    return _language_by_ending(lower, ENDINGS)


@cache
def grammar(language: str):
    """The tree-sitter Language (loaded once per process: it is immutable)."""
    from tree_sitter import Language

    module_name, function = GRAMMARS[language]
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise GrammarMissing(f"the {language} grammar ({module_name.replace('_', '-')}) is not installed") from exc
    return Language(getattr(module, function)())


@cache
def query(language: str, source: str):
    """A compiled query, once per process and language."""
    from tree_sitter import Query

    return Query(grammar(language), source)


def encode(code: str) -> bytes:
    return code.encode("utf-8", "surrogatepass")


def parse(code: str, language: str):
    """The tree of `code`, or None for code too large to parse as a whole."""
    from tree_sitter import Parser

    data = encode(code)
    if len(data) > MAX_PARSE_BYTES:
        return None
    return Parser(grammar(language)).parse(data)


def text(node) -> str:
    """A node's source text."""
    return node.text.decode("utf-8", "surrogatepass") if node is not None and node.text is not None else ""


def line(node) -> int:
    """A node's 1-based line."""
    return node.start_point[0] + 1


def descendants(node, types: frozenset[str] | set[str] | tuple[str, ...], limit: int = 1_000_000) -> Iterator:
    """Nodes of the given types under `node`, in source order, depth-first without recursion."""
    wanted = frozenset(types)
    stack = [node]
    seen = 0
    while stack and seen < limit:
        current = stack.pop()
        seen += 1
        if current.type in wanted:
            yield current
        stack.extend(reversed(current.children))
