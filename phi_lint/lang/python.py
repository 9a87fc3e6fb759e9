"""Python source: the module's syntax tree (Python's own `ast`), parsed once per file and shared by
every stage through `phi_lint.lang.Source`, and the small questions every reader asks of it."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from phi_lint.lang import Source

MAX_DEPTH = 12  # attribute chains and nested calls followed at most this far
_MAX_TEXT = 80


def parse_python(rel: str, text: str) -> ast.Module | None:
    """The module's AST, or None for a syntax error or hostile input."""
    try:
        return ast.parse(text, filename=rel)
    except (SyntaxError, ValueError, RecursionError, MemoryError, TypeError):
        return None


def python_tree(source: Source) -> ast.Module | None:
    """The file's AST, parsed the first time a stage asks (page graph and inference share it)."""
    return source.derived("python:ast", lambda: parse_python(source.rel, source.text))


def terminal_name(node) -> str | None:
    """`login_required` for login_required, auth.login_required, login_required(...)."""
    for _ in range(20):
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            return node.attr
        elif isinstance(node, ast.Name):
            return node.id
        else:
            return None
    return None


def root_name(node) -> ast.Name | None:
    """`views` of views.clinic.dashboard; None when the chain does not start at a name."""
    for _ in range(MAX_DEPTH):
        if isinstance(node, ast.Attribute):
            node = node.value
        else:
            break
    return node if isinstance(node, ast.Name) else None


def base_name(node) -> ast.Name | None:
    """`Appointment` of Appointment.objects.filter(…)."""
    for _ in range(MAX_DEPTH):
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            node = node.value
        elif isinstance(node, ast.Name):
            return node
        else:
            return None
    return None


def const_str(node) -> str | None:
    """The value of a string literal, else None."""
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def strings_of(node) -> list[str]:
    """Every string literal under a node."""
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def short_source(node, limit: int = _MAX_TEXT) -> str:
    """The node as code on one line, cut at `limit` characters (for evidence texts)."""
    try:
        text = ast.unparse(node)
    except Exception:
        return "…"
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def walk_function(function) -> Iterator[ast.AST]:
    """Every node of a function body (nested functions included), iteratively."""
    stack = list(function.body)
    while stack:
        node = stack.pop()
        yield node
        stack.extend(ast.iter_child_nodes(node))


def imports_of(tree: ast.Module) -> dict[str, tuple[int, str, str | None]]:
    """Local name → (relative level, module, imported attribute or None for `import x`)."""
    return imports_in(ast.walk(tree))


def imports_in(nodes: Iterable[ast.AST]) -> dict[str, tuple[int, str, str | None]]:
    """imports_of the given nodes (a walk already made): the last import of a name wins."""
    found: dict[str, tuple[int, str, str | None]] = {}
    for node in nodes:
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name != "*":
                    found[alias.asname or alias.name] = (node.level, node.module or "", alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                local = alias.asname or alias.name.split(".")[0]
                found[local] = (0, alias.name if alias.asname else alias.name.split(".")[0], None)
    return found
