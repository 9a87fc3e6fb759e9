"""PHP code read from its tree-sitter tree (grammar "php": PHP with inline HTML around it).

The framework modules ask the same few things of a PHP file: the call chains in it
(`Route::middleware(...)->prefix(...)->group(fn)`), the literal values of arguments (a string,
an array of strings, `X::class`), what a variable of the same file holds (`$portal = ["auth"]`
before `Route::middleware($portal)`), closures, `namespace` / `use`, and include / require with
the path expression they load. `PhpCode` answers them from the one tree `Source.tree("php")`
keeps for the file; nothing here lexes PHP text by hand. Walks are iterative, so hostile nesting
cannot exhaust the stack.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from phi_lint.lang.treesitter import line, query, text

if TYPE_CHECKING:
    from phi_lint.lang import Source

Node = Any  # a tree_sitter.Node

CALLS = frozenset({"function_call_expression", "member_call_expression", "nullsafe_member_call_expression",
                   "scoped_call_expression"})
MEMBER_CALLS = frozenset({"member_call_expression", "nullsafe_member_call_expression"})
CLOSURES = frozenset({"anonymous_function", "arrow_function"})
INCLUDES = {"include_expression": "include", "include_once_expression": "include_once",
            "require_expression": "require", "require_once_expression": "require_once"}
STRINGS = frozenset({"string", "encapsed_string"})
_STRING_PARTS = frozenset({"string_content", "escape_sequence", "'", '"'})
_ESCAPES = {"\\'": "'", '\\"': '"', "\\\\": "\\", "\\$": "$", "\\n": "\n", "\\t": "\t"}
MAX_CHAIN = 64  # links followed in one call chain
MAX_RESOLVE = 8  # variables and constants followed through each other


@dataclass(frozen=True)
class Argument:
    """One argument of a call: its value node, and its name for a named argument (`except: [...]`)."""

    value: Node
    name: str | None = None


@dataclass(frozen=True)
class Link:
    """One call of a chain: the method or function name, its arguments, and the call node."""

    name: str
    arguments: tuple[Argument, ...]
    node: Node

    @property
    def line(self) -> int:
        """The line of its argument list's "(" (of a call on a line of its own in a chain)."""
        args = self.node.child_by_field_name("arguments")
        return line(args if args is not None else self.node)


@dataclass(frozen=True)
class Chain:
    """A call chain from its base: `Route::middleware('auth')->group(fn)` is base "Route"
    (kind "static") with links middleware, group; `$this->middleware('auth')->only('a')` is base
    "$this" (kind "object"); `view('x')` is kind "function" with the one link `view`."""

    kind: str  # "static" | "object" | "function"
    base: str  # the class as written without a leading backslash, the object's text, or ""
    links: tuple[Link, ...]
    node: Node  # the outermost call

    def names(self) -> list[str]:
        return [link.name for link in self.links]

    def link(self, name: str) -> Link | None:
        return next((link for link in self.links if link.name == name), None)

    @property
    def line(self) -> int:
        return line(self.node)


def string_value(node: Node) -> str | None:
    """The value of a string literal without interpolation ('x', "x"), else None."""
    if node is None or node.type not in STRINGS:
        return None
    parts = []
    for child in node.children:
        if child.type not in _STRING_PARTS:
            return None  # "$x", "{$y}": not a literal
        if child.type == "string_content":
            parts.append(text(child))
        elif child.type == "escape_sequence":
            raw = text(child)
            parts.append(_ESCAPES.get(raw, raw))
    return "".join(parts)


def class_name(node: Node) -> str | None:
    """`App\\X` for `\\App\\X::class`, else None."""
    if node is None or node.type != "class_constant_access_expression" or node.named_child_count < 2:
        return None
    first, last = node.named_children[0], node.named_children[-1]
    if text(last) != "class" or first.type not in ("name", "qualified_name"):
        return None
    return text(first).lstrip("\\")


def arguments(node: Node) -> tuple[Argument, ...]:
    """The arguments of a call node (or of its `arguments` node)."""
    if node is None:
        return ()
    if node.type != "arguments":
        node = node.child_by_field_name("arguments")
        if node is None:
            return ()
    out = []
    for child in node.named_children:
        if child.type == "argument":
            name = child.child_by_field_name("name")
            values = [c for c in child.named_children if c is not name]
            if values:
                out.append(Argument(values[-1], text(name) if name is not None else None))
        elif child.type != "comment":
            out.append(Argument(child))
    return tuple(out)


def array_items(node: Node) -> list[tuple[Node | None, Node]]:
    """(key or None, value) of each element of an array literal (`[...]` or `array(...)`)."""
    if node is None or node.type != "array_creation_expression":
        return []
    items = []
    for element in node.named_children:
        if element.type != "array_element_initializer":
            continue
        values = [c for c in element.named_children if c.type != "comment"]
        if len(values) == 2:
            items.append((values[0], values[1]))
        elif len(values) == 1:
            items.append((None, values[0]))
    return items


def closure_body(node: Node) -> Node | None:
    """The body of `function () {...}` or `fn () => ...`, else None."""
    if node is None or node.type not in CLOSURES:
        return None
    return node.child_by_field_name("body")


def nodes(node: Node, types: frozenset[str] | tuple[str, ...]) -> list[Node]:
    """The nodes of the given types under `node` (itself included), in source order, found by a
    tree-sitter query: the walk runs in C, not node by node in Python."""
    from tree_sitter import QueryCursor

    pattern = "[" + " ".join(f"({name})" for name in sorted(types)) + "] @node"
    found = QueryCursor(query("php", pattern)).captures(node).get("node", [])
    return sorted(found, key=lambda item: (item.start_byte, -item.end_byte))


def _link(node: Node) -> Link | None:
    name = node.child_by_field_name("name") if node.type != "function_call_expression" else node.child_by_field_name("function")
    if name is None:
        return None
    return Link(text(name).lstrip("\\"), arguments(node), node)


def chain_of(node: Node) -> Chain | None:
    """The chain whose outermost call is `node` (links from the base outwards)."""
    links: list[Link] = []
    current = node
    while current is not None and len(links) < MAX_CHAIN:
        link = _link(current)
        if link is None:
            return None
        links.append(link)
        if current.type in MEMBER_CALLS:
            inner = current.child_by_field_name("object")
            if inner is not None and inner.type in CALLS:
                current = inner
                continue
            links.reverse()
            return Chain("object", text(inner), tuple(links), node)
        if current.type == "scoped_call_expression":
            scope = current.child_by_field_name("scope")
            links.reverse()
            return Chain("static", text(scope).lstrip("\\"), tuple(links), node)
        links.reverse()
        return Chain("function", "", tuple(links), node)
    return None


def chains(node: Node) -> Iterator[Chain]:
    """Every outermost call chain under `node`, in source order (nested chains too: a chain
    inside another's arguments is its own chain). A call that is the object of a longer chain
    is found from that chain, not from its parent (`Node.parent` walks down from the root)."""
    calls = nodes(node, CALLS)
    inner = set()
    for call in calls:
        if call.type in MEMBER_CALLS:
            target = call.child_by_field_name("object")
            if target is not None and target.type in CALLS:
                inner.add(target.id)
    for call in calls:
        if call.id not in inner:
            found = chain_of(call)
            if found is not None:
                yield found


def chain_parts(chain: Chain) -> list[Node]:
    """What a chain holds besides its own calls: its base and each call's arguments (a walk
    that reads a chain whole goes on into these)."""
    parts = [link.node.child_by_field_name("arguments") for link in chain.links]
    innermost = chain.links[0].node
    base = innermost.child_by_field_name("object" if innermost.type in MEMBER_CALLS else "scope")
    return [part for part in [base, *parts] if part is not None]


class PhpCode:
    """One PHP file's tree and what the framework modules ask of it, each computed once."""

    def __init__(self, rel: str, tree):
        self.rel = rel
        self.root = tree.root_node
        self._assignments: dict[str, list[tuple[int, Node]]] | None = None
        self._constants: dict[str, Node] | None = None
        self._uses: dict[str, str] | None = None
        self._namespace: str | None = None

    # -- names -------------------------------------------------------------------------------

    @property
    def namespace(self) -> str:
        """The file's `namespace App\\Http;` ("" when none)."""
        if self._namespace is None:
            found = next(iter(nodes(self.root, ("namespace_definition",))), None)
            name = found.child_by_field_name("name") if found is not None else None
            self._namespace = text(name).lstrip("\\") if name is not None else ""
        return self._namespace

    @property
    def uses(self) -> dict[str, str]:
        """Alias → fully qualified class of each `use A\\B;` / `use A\\B as C;` / `use A\\{B, C};`."""
        if self._uses is None:
            self._uses = {}
            for declaration in nodes(self.root, ("namespace_use_declaration",)):
                if declaration.parent is not None and declaration.parent.type not in ("program", "compound_statement", "declaration_list"):
                    continue
                group_prefix = ""
                for child in declaration.named_children:
                    if child.type in ("namespace_name", "qualified_name"):
                        group_prefix = text(child).lstrip("\\")
                    elif child.type == "namespace_use_group":
                        for clause in child.named_children:
                            self._use_clause(clause, group_prefix)
                    elif child.type == "namespace_use_clause":
                        self._use_clause(child, "")
        return self._uses

    def _use_clause(self, clause: Node, prefix: str) -> None:
        if clause.type != "namespace_use_clause":
            return
        alias = clause.child_by_field_name("alias")
        names = [c for c in clause.named_children if c is not alias and c.type in ("name", "qualified_name", "namespace_name")]
        if not names:
            return
        fqcn = text(names[0]).lstrip("\\")
        if prefix:
            fqcn = prefix.rstrip("\\") + "\\" + fqcn
        assert self._uses is not None
        self._uses[text(alias) if alias is not None else fqcn.rsplit("\\", 1)[-1]] = fqcn

    def qualify(self, name: str, default_namespace: str | None = None) -> str:
        """A class name as written, fully qualified through the file's `use` and `namespace`
        (`default_namespace` for an unqualified name instead of the file's own)."""
        name = name.lstrip("\\")
        head = name.split("\\", 1)[0]
        if head in self.uses:
            return self.uses[head] + name[len(head):]
        if "\\" in name:
            return name
        namespace = self.namespace if default_namespace is None else default_namespace
        return (namespace + "\\" + name) if namespace else name

    # -- values ------------------------------------------------------------------------------

    @property
    def assignments(self) -> dict[str, list[tuple[int, Node]]]:
        """`$name` → [(byte offset, value)] of each `$name = value;` in the file, in order."""
        if self._assignments is None:
            self._assignments = {}
            for node in nodes(self.root, ("assignment_expression",)):
                left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
                if left is not None and right is not None and left.type == "variable_name":
                    self._assignments.setdefault(text(left), []).append((node.start_byte, right))
        return self._assignments

    def variable(self, node: Node) -> Node | None:
        """What a `$variable` holds where it is used: the last assignment before it in the file."""
        held = None
        for at, value in self.assignments.get(text(node), ()):
            if at >= node.start_byte:
                break
            held = value
        return held

    @property
    def constants(self) -> dict[str, Node]:
        """`define('NAME', value)` and `const NAME = value` of the file (the first of each)."""
        if self._constants is None:
            self._constants = {}
            for node in nodes(self.root, ("function_call_expression", "const_element")):
                if node.type == "const_element":
                    parts = node.named_children
                    if len(parts) >= 2 and parts[0].type == "name":
                        self._constants.setdefault(text(parts[0]), parts[-1])
                    continue
                function = node.child_by_field_name("function")
                args = arguments(node)
                if function is not None and text(function).lower() == "define" and len(args) >= 2:
                    name = string_value(args[0].value)
                    if name:
                        self._constants.setdefault(name, args[1].value)
        return self._constants

    def resolve(self, node: Node | None) -> Node | None:
        """The node itself, or for a `$variable` the value assigned to it in this file."""
        for _ in range(MAX_RESOLVE):
            if node is None or node.type != "variable_name":
                return node
            node = self.variable(node)
        return None

    def names(self, node: Node | None, depth: int = 0) -> list[str]:
        """The strings and `X::class` names a value holds, in order: 'a', ['a', B::class], a
        variable assigned one of those in this file. Anything computed adds nothing."""
        node = self.resolve(node)
        if node is None or depth > MAX_RESOLVE:
            return []
        value = string_value(node)
        if value is not None:
            return [value]
        name = class_name(node)
        if name is not None:
            return [name]
        out: list[str] = []
        for _key, item in array_items(node):
            out.extend(self.names(item, depth + 1))
        return out

    def array_value(self, node: Node | None, key: str) -> Node | None:
        """The value under a string key of an array literal (`['middleware' => 'auth']`)."""
        for item_key, value in array_items(self.resolve(node)):
            if item_key is not None and string_value(item_key) == key:
                return value
        return None

    # -- structure ---------------------------------------------------------------------------

    def classes(self) -> list[Node]:
        return nodes(self.root, ("class_declaration",))

    def methods(self, class_node: Node) -> dict[str, Node]:
        """Method name → method_declaration of a class (the first of each name)."""
        body = class_node.child_by_field_name("body")
        out: dict[str, Node] = {}
        for member in body.named_children if body is not None else ():
            if member.type == "method_declaration":
                name = member.child_by_field_name("name")
                if name is not None:
                    out.setdefault(text(name), member)
        return out

    def includes(self) -> Iterator[tuple[str, Node, Node]]:
        """(include | include_once | require | require_once, path expression, node) in order."""
        for node in nodes(self.root, tuple(INCLUDES)):
            expressions = [c for c in node.named_children if c.type != "comment"]
            if expressions:
                yield INCLUDES[node.type], expressions[0], node

    def path(self, node: Node | None, depth: int = 0) -> tuple[str, str] | None:
        """A path expression evaluated: `__DIR__ . '/x.php'` → ("repo", "/dir/x.php"); anchors
        "repo" (repository-relative after the leading slash), "docroot"
        (`$_SERVER['DOCUMENT_ROOT']`), "relative" (to the include path); None when any part is
        computed at run time."""
        parts = concatenated(node)
        if parts is None or depth > MAX_RESOLVE:
            return None
        here = posixpath.dirname(self.rel)
        anchor, out = "relative", ""
        for index, part in enumerate(parts):
            value = string_value(part)
            if value is not None:
                out += value
                continue
            found = self._path_anchor(part, here, depth) if index == 0 else self._constant_suffix(part, depth)
            if found is None:
                return None
            if index == 0:
                anchor, out = found
            else:
                out += found[1]
        return anchor, out

    def _path_anchor(self, part: Node, here: str, depth: int) -> tuple[str, str] | None:
        """The first part of a path: a magic constant, dirname(...), the document root or a constant."""
        if part.type == "name":
            word = text(part)
            if word == "__DIR__":
                return "repo", "/" + here
            if word == "__FILE__":
                return "repo", "/" + self.rel
            if word in self.constants:
                return self.path(self.constants[word], depth + 1)
            return None
        if part.type == "function_call_expression":
            function = part.child_by_field_name("function")
            args = arguments(part)
            if function is None or text(function).lower() != "dirname" or not args or len(args) > 2:
                return None
            base = text(args[0].value)
            if base not in ("__FILE__", "__DIR__"):
                return None
            levels = text(args[1].value) if len(args) == 2 else "1"
            if not levels.isdigit() or int(levels) > 32:
                return None
            path = "/" + (here if base == "__DIR__" else self.rel)
            for _ in range(int(levels)):
                path = posixpath.dirname(path)
            return "repo", path
        if part.type == "subscript_expression":
            named = part.named_children
            if len(named) == 2 and text(named[0]) == "$_SERVER" and string_value(named[1]) == "DOCUMENT_ROOT":
                return "docroot", ""
        return None

    def _constant_suffix(self, part: Node, depth: int) -> tuple[str, str] | None:
        """A constant after the first part: only one holding a relative path adds to it."""
        if part.type != "name" or text(part) not in self.constants:
            return None
        value = self.path(self.constants[text(part)], depth + 1)
        return value if value is not None and value[0] == "relative" else None


def concatenated(node: Node | None) -> list[Node] | None:
    """The operands of `a . b . c` (parentheses removed), left to right, or None."""
    out: list[Node] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current is None or len(out) > 64:
            return None
        if current.type == "parenthesized_expression":
            inner = [c for c in current.named_children if c.type != "comment"]
            if len(inner) != 1:
                return None
            stack.append(inner[0])
        elif current.type == "binary_expression" and text(current.child_by_field_name("operator")) == ".":
            stack.append(current.child_by_field_name("right"))
            stack.append(current.child_by_field_name("left"))
        else:
            out.append(current)
    return out


def php_code(source: Source) -> PhpCode | None:
    """The file's PhpCode, made once per file (None when the file is too large to parse)."""

    def make() -> PhpCode | None:
        tree = source.tree("php")
        return PhpCode(source.rel, tree) if tree is not None else None

    return source.derived("php-code", make)


def comment_spans(code: PhpCode) -> Iterator[tuple[int, int]]:
    """Byte spans of the PHP comments in the file (for blanking them out of a template)."""
    for node in nodes(code.root, ("comment",)):
        yield node.start_byte, node.end_byte
