"""Go as the Go web module reads it, from tree-sitter-go trees: function and method declarations,
string literals, calls with their callee's dotted name, and the names a handler expression holds.

Every walk is iterative and bounded (phi_lint.lang.treesitter.descendants): a hostile file
nested ten thousand deep costs time in proportion to its size, never the stack.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from phi_lint.lang.treesitter import descendants, line, text

LANGUAGE = "go"
STRING_TYPES = ("interpreted_string_literal", "raw_string_literal")
FUNCTION_TYPES = ("function_declaration", "method_declaration")


@dataclass(frozen=True)
class Function:
    """A function or method declaration: its name, its body node and its line."""

    name: str
    body: object
    line: int


def string_value(node) -> str | None:
    """The value of a string literal node ("…" or `…`), else None (escapes are kept as written)."""
    if node is None or node.type not in STRING_TYPES:
        return None
    raw = text(node)
    return raw[1:-1] if len(raw) >= 2 else ""


def functions(tree) -> list[Function]:
    """The file's top-level functions and methods, with a body."""
    if tree is None:
        return []
    out = []
    for node in tree.root_node.children:
        if node.type in FUNCTION_TYPES:
            name, body = node.child_by_field_name("name"), node.child_by_field_name("body")
            if name is not None and body is not None:
                out.append(Function(text(name), body, line(node)))
    return out


def strings(node, limit: int = 10_000) -> list[tuple[str, int]]:
    """(value, line) of every string literal under a node."""
    return [(value, line(found)) for found in descendants(node, STRING_TYPES, limit)
            if (value := string_value(found)) is not None]


def dotted(node) -> str:
    """`app.requireLogin` for a selector or identifier node ("" for anything else); read in a
    loop, so a selector chain thousands of members long costs no stack."""
    fields: list[str] = []
    while node is not None and node.type == "selector_expression":  # a.b.c: operands nest leftwards
        fields.append(text(node.child_by_field_name("field")))
        node = node.child_by_field_name("operand")
    if node is None or node.type not in ("identifier", "field_identifier", "package_identifier", "type_identifier"):
        return ""
    return ".".join([text(node), *reversed(fields)])


def call_parts(call) -> tuple[Any, str, list]:
    """(receiver node or None, method or function name, argument nodes) of a call_expression."""
    function = call.child_by_field_name("function")
    arguments = call.child_by_field_name("arguments")
    args = [child for child in arguments.named_children if child.type != "comment"] if arguments is not None else []
    if function is not None and function.type == "selector_expression":
        return function.child_by_field_name("operand"), text(function.child_by_field_name("field")), args
    return None, dotted(function), args


def names_in(node, limit: int = 5_000) -> list[tuple[str, int]]:
    """(dotted name, line) of every identifier and selector under a node, outermost selectors
    only (`app.records`, not also `app`)."""
    out: list[tuple[str, int]] = []
    stack = [node]
    seen = 0
    while stack and seen < limit:
        current = stack.pop()
        seen += 1
        if current.type in ("selector_expression", "identifier"):
            name = dotted(current)
            if name:
                out.append((name, line(current)))
                continue
        if current.type == "func_literal":
            continue
        stack.extend(reversed(current.children))
    return out
