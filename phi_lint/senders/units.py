"""The functions of a server file, as spans: which function holds a sender, which functions of
the same file call it, and the head of each (decorators, annotations, attributes, signature),
where its guards are written.

Python is read with `ast` (phi_lint.lang.python), every other sender language with its
tree-sitter grammar (phi_lint.lang.treesitter, phi_lint.lang.javascript), through the file's one
`Source`, so the page graph and inference stages share the parse.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

# language → (function node types, class node types)
_NODE_TYPES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "javascript": (frozenset({"function_declaration", "function_expression", "function", "arrow_function",
                              "method_definition", "generator_function_declaration"}),
                   frozenset({"class_declaration", "class"})),
    "ruby": (frozenset({"method", "singleton_method", "block", "do_block"}), frozenset({"class", "module"})),
    "php": (frozenset({"method_declaration", "function_definition", "anonymous_function", "arrow_function"}),
            frozenset({"class_declaration"})),
    "java": (frozenset({"method_declaration", "constructor_declaration", "lambda_expression"}),
             frozenset({"class_declaration"})),
    "kotlin": (frozenset({"function_declaration", "lambda_literal", "anonymous_function"}), frozenset({"class_declaration"})),
    "c_sharp": (frozenset({"method_declaration", "local_function_statement", "lambda_expression", "constructor_declaration"}),
                frozenset({"class_declaration"})),
    "go": (frozenset({"function_declaration", "method_declaration", "func_literal"}), frozenset()),
}
_BODY_FIELDS = ("body", "block")
_BODY_TYPES = frozenset({"function_body", "class_body", "block", "statements", "declaration_list"})


@dataclass(frozen=True)
class Unit:
    """A function (or class) of the file: `name` ("" when anonymous), 1-based lines, offsets of
    the whole node and of where its body starts (its head is text[start:body])."""

    name: str
    start: int
    body: int
    end: int
    line: int
    is_class: bool = False


def units_of(source, language: str) -> list[Unit]:
    """Every function and class of the file, in source order; [] when it cannot be parsed."""
    if language == "python":
        return _python_units(source)
    return _tree_units(source, language)


def _python_units(source) -> list[Unit]:
    from phi_lint.lang.python import python_tree

    tree = python_tree(source)
    if tree is None:
        return []
    offsets = _line_offsets(source.text)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            body_line = node.body[0].lineno if node.body else node.lineno
            end_line = getattr(node, "end_lineno", None) or node.lineno
            out.append(Unit(node.name, offsets[first - 1], offsets[body_line - 1], offsets[min(end_line, len(offsets) - 1)],
                            node.lineno, isinstance(node, ast.ClassDef)))
    return sorted(out, key=lambda u: (u.start, -u.end))


def _line_offsets(text: str) -> list[int]:
    offsets = [0]
    for index, char in enumerate(text):
        if char == "\n":
            offsets.append(index + 1)
    offsets.append(len(text))
    return offsets


def _tree_units(source, language: str) -> list[Unit]:
    from phi_lint.lang.treesitter import descendants

    root = _root(source, language)
    if root is None:
        return []
    functions, classes = _NODE_TYPES[language]
    data = source.text.encode("utf-8", "surrogatepass")
    char_at = _char_offsets(source.text, data)
    out = []
    for node in descendants(root, functions | classes):
        body = _body(node)
        body_start = body.start_byte if body is not None else node.start_byte
        out.append(Unit(_name(node), char_at(node.start_byte), char_at(body_start), char_at(node.end_byte),
                        node.start_point[0] + 1, node.type in classes))
    return sorted(out, key=lambda u: (u.start, -u.end))


def _body(node):
    """A function's or class's body: its `body` field, or (Kotlin) its `function_body` or
    `class_body` child; None for an expression-bodied lambda."""
    for field in _BODY_FIELDS:
        found = node.child_by_field_name(field)
        if found is not None:
            return found
    return next((c for c in node.children if c.type in _BODY_TYPES), None)


def _root(source, language: str):
    if language == "javascript":
        script = source.script
        tree = script.tree if script is not None else None
    else:
        tree = source.tree(language)
    return tree.root_node if tree is not None else None


def _char_offsets(text: str, data: bytes):
    """byte offset → character offset (the same when the file is ASCII)."""
    if len(data) == len(text):
        return lambda byte: byte
    return lambda byte: len(data[:byte].decode("utf-8", "surrogatepass"))


def _name(node) -> str:
    """A function's name, or the name it is bound to (`const book = async (req, res) => …`)."""
    from phi_lint.lang.treesitter import text

    named = node.child_by_field_name("name")
    if named is not None:
        return text(named)
    parent = node.parent
    if parent is not None and parent.type in ("variable_declarator", "assignment_expression", "pair"):
        target = parent.child_by_field_name("name") or parent.child_by_field_name("left") or parent.child_by_field_name("key")
        if target is not None:
            return text(target).rsplit(".", 1)[-1]
    if node.type in ("function_declaration", "method_declaration"):
        ident = next((c for c in node.children if c.type in ("identifier", "field_identifier", "simple_identifier")), None)
        if ident is not None:
            return text(ident)
    return ""


def innermost(units: list[Unit], offset: int, classes: bool = False) -> Unit | None:
    """The innermost function (or class) whose span holds `offset`."""
    best = None
    for unit in units:
        if unit.is_class == classes and unit.start <= offset < unit.end:
            if best is None or unit.start >= best.start:
                best = unit
    return best
