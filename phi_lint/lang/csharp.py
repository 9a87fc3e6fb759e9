"""C# as ASP.NET modules read it, from tree-sitter-c-sharp trees: classes with their attributes,
base types and methods, calls with their string arguments, and property assignments.

Every walk is iterative and bounded (phi_lint.lang.treesitter.descendants): a hostile file
nested ten thousand deep costs time in proportion to its size, never the stack.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from phi_lint.lang.treesitter import descendants, line, text

LANGUAGE = "c_sharp"
STRING_TYPES = ("string_literal", "verbatim_string_literal", "raw_string_literal")


@dataclass(frozen=True)
class Attribute:
    """`[Authorize(Roles = "x")]`: its simple name, its positional string arguments, its line."""

    name: str
    strings: tuple[str, ...]
    text: str
    line: int


@dataclass(frozen=True)
class Method:
    name: str
    attributes: tuple[Attribute, ...]
    public: bool
    node: object
    line: int


@dataclass(frozen=True)
class ClassDecl:
    name: str
    bases: tuple[str, ...]  # simple names of the base types
    attributes: tuple[Attribute, ...]
    methods: tuple[Method, ...]
    line: int


@dataclass(frozen=True)
class Call:
    """`a.b.Name("x", …)`: the called name, the names of the receiver chain before it
    (`MapRazorPages` for `app.MapRazorPages().RequireAuthorization()`), its string arguments."""

    name: str
    receivers: tuple[str, ...]
    strings: tuple[str, ...]
    node: object
    line: int


def simple_name(node) -> str:
    """`Microsoft.AspNetCore.Authorization.Authorize` → Authorize; `List<T>` → List."""
    value = text(node).split("<", 1)[0].strip()
    return value.rsplit(".", 1)[-1].rsplit("::", 1)[-1]


def _nameof(node) -> str | None:
    """`nameof(ShowRecoveryCodes)` → "ShowRecoveryCodes" (a constant string in C#)."""
    if node is None or node.type != "invocation_expression":
        return None
    function = node.child_by_field_name("function")
    arguments = node.child_by_field_name("arguments")
    if function is None or text(function) != "nameof" or arguments is None:
        return None
    named = [child for child in arguments.children if child.type == "argument"]
    return text(named[0]).rsplit(".", 1)[-1] if len(named) == 1 else None


def string_value(node) -> str | None:
    """The value of a string literal without interpolation (or of `nameof(X)`), else None."""
    if node is not None and node.type == "invocation_expression":
        return _nameof(node)
    if node is None or node.type not in STRING_TYPES:
        return None
    raw = text(node)
    if node.type == "verbatim_string_literal":
        return raw[2:-1].replace('""', '"') if raw.startswith('@"') and len(raw) >= 3 else None
    if node.type == "raw_string_literal":
        return raw.strip('"')
    parts = [child for child in node.children if child.type not in ('"',)]
    if any(child.type not in ("string_literal_content", "escape_sequence") for child in parts):
        return None
    return "".join(text(child) for child in parts)


def _attributes(node) -> tuple[Attribute, ...]:
    out = []
    for attribute_list in (child for child in node.children if child.type == "attribute_list"):
        for attribute in (child for child in attribute_list.children if child.type == "attribute"):
            name_node = attribute.child_by_field_name("name")
            arguments = next((c for c in attribute.children if c.type == "attribute_argument_list"), None)
            strings: list[str] = []
            if arguments is not None:
                for argument in (c for c in arguments.children if c.type == "attribute_argument"):
                    if any(c.type == "=" or c.type == ":" for c in argument.children):
                        continue  # a named argument (Roles = "x"), not the positional value
                    value = string_value(argument.children[-1] if argument.children else None)
                    if value is not None:
                        strings.append(value)
            name = simple_name(name_node) if name_node is not None else ""
            if name.endswith("Attribute") and len(name) > len("Attribute"):
                name = name[: -len("Attribute")]
            out.append(Attribute(name, tuple(strings), text(attribute), line(attribute)))
    return tuple(out)


def _modifiers(node) -> set[str]:
    return {text(child) for child in node.children if child.type == "modifier"}


def classes(tree) -> Iterator[ClassDecl]:
    """Every class of a file (nested ones too), in source order."""
    if tree is None:
        return
    for node in descendants(tree.root_node, ("class_declaration",)):
        name_node = node.child_by_field_name("name")
        bases_node = next((c for c in node.children if c.type == "base_list"), None)
        bases = tuple(simple_name(c) for c in bases_node.children if c.is_named) if bases_node is not None else ()
        body = node.child_by_field_name("body")
        methods = []
        for member in body.children if body is not None else ():
            if member.type != "method_declaration":
                continue
            method_name = member.child_by_field_name("name")
            methods.append(Method(text(method_name), _attributes(member), "public" in _modifiers(member), member, line(member)))
        yield ClassDecl(text(name_node), bases, _attributes(node), tuple(methods), line(node))


def _receivers(function) -> tuple[str, ...]:
    """The names called or read before the last link of a member chain, nearest first."""
    out: list[str] = []
    current = function.child_by_field_name("expression") if function.type == "member_access_expression" else None
    steps = 0
    while current is not None and steps < 50:
        steps += 1
        if current.type == "invocation_expression":
            current = current.child_by_field_name("function")
            continue
        if current.type == "member_access_expression":
            out.append(text(current.child_by_field_name("name")))
            current = current.child_by_field_name("expression")
            continue
        if current.type in ("identifier", "object_creation_expression"):
            out.append(simple_name(current.child_by_field_name("type")) if current.type == "object_creation_expression" else text(current))
        break
    return tuple(out)


def calls(node) -> Iterator[Call]:
    """Every call under `node`, in source order."""
    if node is None:
        return
    for call in descendants(node, ("invocation_expression",)):
        function = call.child_by_field_name("function")
        if function is None:
            continue
        if function.type == "member_access_expression":
            name = text(function.child_by_field_name("name"))
        elif function.type in ("identifier", "generic_name"):
            name = simple_name(function)
        else:
            continue
        if name == "nameof":
            continue  # a constant, read as a string where it is an argument
        arguments = call.child_by_field_name("arguments")
        strings = []
        for argument in (c for c in arguments.children if c.type == "argument") if arguments is not None else ():
            value = string_value(argument.children[-1] if argument.children else None)
            if value is not None:
                strings.append(value)
        yield Call(name.split("<", 1)[0], _receivers(function), tuple(strings), call, line(call))


def assignments(node) -> Iterator[tuple[str, object, int]]:
    """(property name, right-hand node, line) of each `x.Name = …` / `Name = …` under `node`."""
    if node is None:
        return
    for assignment in descendants(node, ("assignment_expression",)):
        left = assignment.child_by_field_name("left")
        right = assignment.child_by_field_name("right")
        if left is None or right is None:
            continue
        name = text(left.child_by_field_name("name")) if left.type == "member_access_expression" else text(left)
        yield name, right, line(assignment)


def object_types(node) -> Iterator[str]:
    """The simple type names of every `new T(…)` under `node`."""
    for creation in descendants(node, ("object_creation_expression",)):
        type_node = creation.child_by_field_name("type")
        if type_node is not None:
            yield simple_name(type_node)
