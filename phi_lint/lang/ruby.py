"""Ruby code read from its tree-sitter-ruby tree: what framework modules ask of it.

`Source.tree("ruby")` parses a `.rb` file once per run; `erb_tree` does the same for the Ruby of
an ERB template (the code of its `<% … %>` tags, parsed as one program at the template's own byte
offsets, so a node's line is the template's line). The helpers below read calls (receiver,
method, positional arguments, `key:` options, the block, `do … end` and `{ … }` alike), symbol
and string values, method definitions with their bodies, and class definitions with their
superclass and enclosing modules. Tree walks are iterative: hostile nesting cannot exhaust the
stack.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from phi_lint.lang.treesitter import MAX_PARSE_BYTES, encode, grammar, parse, text

__all__ = [
    "Call", "ClassDef", "call", "calls", "class_defs", "erb_ruby", "erb_tree", "method_body", "method_defs",
    "names", "program", "statements", "string", "symbol", "value",
]

BLOCKS = frozenset({"block", "do_block"})  # `{ … }` and `do … end`
DEFINITIONS = frozenset({"method", "singleton_method"})
_BLANK = bytes(0x0A if byte == 0x0A else 0x20 for byte in range(256))  # every byte but \n → a space
_STRING_PARTS = frozenset({"string_content", "escape_sequence", '"', "'"})


def program(source):
    """The root node of a Ruby file's tree (None when too large to parse)."""
    tree = source.tree("ruby")
    return tree.root_node if tree is not None else None


# ---------------------------------------------------------------------------------------- ERB


def erb_ruby(template: str) -> str | None:
    """The Ruby of an ERB template's code tags, everything else blanked to spaces (line breaks
    kept), each tag's code followed by `;` where its `%>` was: the same length and lines as the
    template, so the Ruby parse of it has the template's positions, and `<%= a %><%= b %>` are two
    statements as Rails compiles them. None for a template too large to parse."""
    from tree_sitter import Parser

    data = encode(template)
    if len(data) > MAX_PARSE_BYTES:
        return None
    tree = Parser(grammar("embedded_template")).parse(data)
    out = bytearray(data.translate(_BLANK))
    for node in _children_of_types(tree.root_node, ("directive", "output_directive")):
        code = next((c for c in node.children if c.type == "code"), None)
        if code is None:
            continue
        out[code.start_byte : code.end_byte] = data[code.start_byte : code.end_byte]
        if code.end_byte < len(out) and out[code.end_byte] != 0x0A:
            out[code.end_byte] = ord(";")
    return out.decode("utf-8", "surrogatepass")


def _children_of_types(node, types) -> Iterator:
    """Direct children of the template root of the given types (ERB tags do not nest)."""
    for child in node.children:
        if child.type in types:
            yield child


def erb_tree(source, template: str):
    """The root node of the Ruby of an ERB file (`template`: its text with template comments
    blanked, the same length), parsed once per file; None when too large."""

    def compute():
        code = erb_ruby(template)
        return parse(code, "ruby") if code is not None else None

    tree = source.derived("tree:erb-ruby", compute)
    return tree.root_node if tree is not None else None


# ---------------------------------------------------------------------------------------- values


def string(node) -> str | None:
    """The value of a plain string literal ('x', "x" without interpolation), else None."""
    if node is None or node.type != "string":
        return None
    if any(child.type not in _STRING_PARTS for child in node.children):
        return None  # "#{…}": not known before run time
    return "".join(text(c) for c in node.children if c.type == "string_content")


def symbol(node) -> str | None:
    """The name of a symbol (:name, :"name", a `name:` key), else None."""
    if node is None:
        return None
    if node.type == "simple_symbol":
        return text(node)[1:]
    if node.type == "hash_key_symbol":
        return text(node)
    if node.type == "delimited_symbol" and all(c.type != "interpolation" for c in node.children):
        return "".join(text(c) for c in node.children if c.type == "string_content")
    return None


def value(node) -> str | None:
    """A symbol's name or a string's value."""
    found = symbol(node)
    return found if found is not None else string(node)


def names(node) -> list[str]:
    """The names an option value lists: :a, "a", [:a, "b"], %i[a b], %w(a b)."""
    if node is None:
        return []
    single = value(node)
    if single is not None:
        return [single]
    if node.type in ("symbol_array", "string_array"):
        return [text(c) for c in node.named_children if c.type in ("bare_symbol", "bare_string")]
    if node.type == "array":
        return [v for v in (value(c) for c in node.named_children) if v is not None]
    return []


# ---------------------------------------------------------------------------------------- calls


@dataclass
class Call:
    """One method call: `receiver.method(args, key: value) { block }`."""

    node: Any
    method: str
    receiver: Any = None  # the receiver node, None for a call on self
    args: list = field(default_factory=list)  # positional argument nodes (pairs left out)
    options: dict = field(default_factory=dict)  # key name → value node (`key:` and `:key =>`)
    block: Any = None  # the `do … end` or `{ … }` node

    @property
    def line(self) -> int:
        return self.node.start_point[0] + 1

    def option(self, key: str):
        return self.options.get(key)


def call(node) -> Call | None:
    """A `call` node (or a bare `name!` / `name?` call) read into a Call; None for other nodes."""
    if node is None or node.type != "call":
        return None
    method = node.child_by_field_name("method")
    if method is None:
        return None
    found = Call(node, text(method), node.child_by_field_name("receiver"))
    arguments = node.child_by_field_name("arguments")
    for arg in arguments.named_children if arguments is not None else ():
        if arg.type == "pair":
            key = arg.child_by_field_name("key")
            name = value(key) if key is not None else None
            if name is not None:
                found.options.setdefault(name, arg.child_by_field_name("value"))
        elif arg.type != "comment":
            found.args.append(arg)
    block = node.child_by_field_name("block")
    found.block = block if block is not None and block.type in BLOCKS else None
    return found


def calls(node, methods: frozenset[str] | set[str] | None = None, into_definitions: bool = False) -> Iterator[Call]:
    """Every call under `node` (in source order), or those of the given method names; method
    bodies are left out unless `into_definitions` (a call inside a method runs when the method
    is called, not where the class is declared). With `methods`, a bare name of one of them
    (`javascript_importmap_tags`, no receiver, no arguments: an identifier to the parser) counts
    as its call."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "call":
            found = call(current)
            if found is not None and (methods is None or found.method in methods):
                yield found
        elif current.type == "identifier" and methods is not None and text(current) in methods:
            parent = current.parent
            if parent is None or parent.type != "call":  # not the method name of a call read above
                yield Call(current, text(current))
        if current.type in DEFINITIONS and current is not node and not into_definitions:
            continue
        stack.extend(reversed(current.children))


def statements(body) -> list:
    """The statements of a body (a class, method or block body), comments left out."""
    if body is None:
        return []
    if body.type in BLOCKS:
        body = body.child_by_field_name("body")
        if body is None:
            return []
    return [c for c in body.named_children if c.type != "comment"]


# ---------------------------------------------------------------------------------------- definitions


def method_defs(node) -> Iterator:
    """Instance method definitions (`def name`, not `def self.name`) under `node`, in source order,
    not looking inside other method bodies."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "method":
            yield current
            continue
        if current.type == "singleton_method":
            continue
        stack.extend(reversed(current.children))


def method_name(node) -> str:
    return text(node.child_by_field_name("name"))


def method_body(node):
    """The body node of a method definition (None for an empty one)."""
    return node.child_by_field_name("body")


@dataclass
class ClassDef:
    """A class (or, for a file without a class, its module) and the modules it is written in."""

    node: Any
    name: str  # as written: ReportsController, Admin::ReportsController
    superclass: str  # as written, "" without one
    modules: tuple[str, ...]  # enclosing `module` names, outermost first
    body: Any  # the body node (None when empty)


def class_defs(root) -> list[ClassDef]:
    """Every class definition of a file, outermost first, with its enclosing modules."""
    found: list[ClassDef] = []
    stack: list[tuple[Any, tuple[str, ...]]] = [(root, ())]
    while stack:
        current, modules = stack.pop()
        if current.type == "class":
            parent = current.child_by_field_name("superclass")
            superclass = text(parent.named_children[0]) if parent is not None and parent.named_children else ""
            found.append(ClassDef(current, text(current.child_by_field_name("name")), superclass, modules,
                                  current.child_by_field_name("body")))
        inner = modules
        if current.type == "module":
            inner = modules + (text(current.child_by_field_name("name")),)
        if current.type in DEFINITIONS:
            continue
        stack.extend((child, inner) for child in reversed(current.children))
    return sorted(found, key=lambda c: c.node.start_byte)


def module_chain(root) -> ClassDef | None:
    """A file's outermost module and the modules nested first inside it (`module A; module B`),
    as a ClassDef named A::B, for a concern or helper module without a class."""
    current = next((c for c in root.named_children if c.type == "module"), None)
    if current is None:
        return None
    names: list[str] = []
    body = None
    while current is not None:
        names.append(text(current.child_by_field_name("name")))
        body = current.child_by_field_name("body")
        current = next((c for c in statements(body) if c.type == "module"), None)
    return ClassDef(root, "::".join(names), "", tuple(names[:-1]), body)
