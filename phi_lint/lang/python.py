"""Python source: the module's syntax tree (Python's own `ast`), and small questions asked of it
by the page graph and by context inference alike."""

from __future__ import annotations

import ast

_last_parse: list = [None, None, None]  # (rel, text, tree): the scan hands each file to the graph then to inference


def parse_python(rel: str, text: str):
    """The module's AST, or None for a syntax error or hostile input (parsed once for graph and inference)."""
    if _last_parse[0] == rel and _last_parse[1] is text:
        return _last_parse[2]
    try:
        tree = ast.parse(text, filename=rel)
    except (SyntaxError, ValueError, RecursionError, MemoryError, TypeError):
        tree = None
    _last_parse[:] = [rel, text, tree]
    return tree


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
