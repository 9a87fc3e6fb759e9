"""Java and Kotlin code as a framework module reads it: classes and methods with their
annotations, the string literals a method returns, calls with their string arguments, and
method-call chains (`auth.requestMatchers("/a").authenticated()`), over the tree-sitter trees
that `Source.tree("java" | "kotlin")` shares with the file's other stages.

The two grammars name their nodes differently; this module gives both the same small view, so
a framework module (Spring) asks one question of either language. It knows no framework:
which annotation or call means what is the framework module's knowledge.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from phi_lint.lang.endings import language_of as _language_by_ending
from phi_lint.lang.treesitter import descendants, line, text

# the application sources read (a `.kts` Kotlin script is a build file); their languages are the
# ending table's (phi_lint.lang.endings)
SOURCE_ENDINGS = (".java", ".kt")
MAX_CLASSES = 200  # classes read per file: more is generated code
MAX_NESTING = 400  # tree depth below which nothing is looked at (hostile nesting)

_CLASS_TYPES = frozenset({"class_declaration"})
_JAVA_CALLS = frozenset({"method_invocation", "object_creation_expression"})
_KOTLIN_CALLS = frozenset({"call_expression"})
_STRING_TYPES = frozenset({"string_literal"})
_STRING_PARTS = frozenset({"string_fragment", "string_content", "escape_sequence", '"'})


def language_of(rel: str) -> str | None:
    """"java" or "kotlin" for a source file of either language, by its ending; None otherwise."""
    return _language_by_ending(rel, SOURCE_ENDINGS)


# ---------------------------------------------------------------- strings


def string_value(node) -> str | None:
    """The value of a plain one-line string literal ("…"); None for anything else (a text
    block, a template with `${…}`, a concatenation, a name): only literal values are knowledge."""
    if node is None or node.type not in _STRING_TYPES:
        return None
    raw = text(node)
    if raw.startswith('"""') or not (len(raw) >= 2 and raw[0] == raw[-1] == '"'):
        return None
    if any(child.type not in _STRING_PARTS for child in node.children):
        return None  # an interpolation
    return raw[1:-1]


def strings_in(node) -> tuple[str, ...]:
    """Every plain string literal's value under `node`, in source order."""
    if node is None:
        return ()
    values = (string_value(found) for found in descendants(node, _STRING_TYPES))
    return tuple(value for value in values if value is not None)


# ---------------------------------------------------------------- annotations


@dataclass(frozen=True)
class Annotation:
    """`@Name(…)` as written: its simple name, its text, its line, every string literal in its
    arguments, and those strings by argument name (a positional argument is `value`)."""

    name: str
    text: str
    line: int
    strings: tuple[str, ...] = ()
    arguments: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)


def _simple(name: str) -> str:
    return name.rsplit(".", 1)[-1].strip()


def _java_annotation(node) -> Annotation:
    name = _simple(text(node.child_by_field_name("name")))
    args = node.child_by_field_name("arguments")
    arguments: dict[str, tuple[str, ...]] = {}
    if args is not None:
        for arg in args.named_children:
            if arg.type == "element_value_pair":
                key = text(arg.child_by_field_name("key")) or "value"
                value = arg.child_by_field_name("value")
            else:
                key, value = "value", arg
            arguments[key] = arguments.get(key, ()) + strings_in(value)
    return Annotation(name, text(node), line(node), strings_in(args), arguments)


def _kotlin_argument(arg) -> tuple[str, Any]:
    """(name, value node) of a Kotlin value_argument: `value = [...]` or a positional one."""
    children = arg.named_children
    if len(children) >= 2 and children[0].type == "identifier" and any(c.type == "=" for c in arg.children):
        return text(children[0]), children[-1]
    return "value", arg


def _kotlin_annotation(node) -> Annotation | None:
    target = next((c for c in node.named_children if c.type in ("user_type", "constructor_invocation")), None)
    if target is None:
        return None
    user_type = target if target.type == "user_type" else next((c for c in target.named_children if c.type == "user_type"), None)
    name = _simple(text(user_type))
    arguments: dict[str, tuple[str, ...]] = {}
    args = next((c for c in target.named_children if c.type == "value_arguments"), None)
    for arg in args.named_children if args is not None else ():
        key, value = _kotlin_argument(arg)
        arguments[key] = arguments.get(key, ()) + strings_in(value)
    return Annotation(name, text(node), line(node), strings_in(args), arguments)


def _loose_kotlin_annotations(node) -> list[Annotation]:
    """Annotations the Kotlin grammar reads as an expression before a class (`@A @B("x")` at
    the top of a file without a package line): an `annotated_expression` chain whose
    parenthesised expressions are the arguments of the annotation before them."""
    found: list[Annotation] = []
    current = node
    while current is not None and current.type == "annotated_expression":
        children = current.named_children
        annotation = next((c for c in children if c.type == "annotation"), None)
        rest = next((c for c in children if c.type != "annotation"), None)
        if annotation is not None:
            made = _kotlin_annotation(annotation)
            if made is not None and rest is not None and rest.type == "parenthesized_expression":
                whole = text(annotation) + text(rest)
                values = strings_in(rest)
                made = Annotation(made.name, whole, made.line, values, {"value": values})
            if made is not None:
                found.append(made)
        current = rest
    return found


def annotations_of(node, language: str) -> list[Annotation]:
    """The annotations on a class or method declaration (its modifiers), in source order."""
    modifiers = next((c for c in node.children if c.type == "modifiers"), None)
    found: list[Annotation] = []
    if language == "kotlin":
        previous = node.prev_named_sibling
        if previous is not None and previous.type == "annotated_expression" and node.type == "class_declaration":
            found.extend(_loose_kotlin_annotations(previous))
    if modifiers is None:
        return found
    for child in modifiers.children:
        if language == "java" and child.type in ("annotation", "marker_annotation"):
            found.append(_java_annotation(child))
        elif language == "kotlin" and child.type == "annotation":
            made = _kotlin_annotation(child)
            if made is not None:
                found.append(made)
    return found


# ---------------------------------------------------------------- classes and methods


@dataclass(frozen=True)
class Method:
    """A method (Java) or function (Kotlin) declared in a class body."""

    name: str
    line: int
    annotations: tuple[Annotation, ...]
    node: Any = field(compare=False, repr=False)
    language: str = "java"


@dataclass(frozen=True)
class ClassDecl:
    """A class with its own annotations and its own methods (not those of nested classes)."""

    name: str
    line: int
    annotations: tuple[Annotation, ...]
    methods: tuple[Method, ...]


def _class_body(node):
    body = node.child_by_field_name("body")
    if body is None:
        body = next((c for c in node.named_children if c.type in ("class_body", "enum_class_body")), None)
    return body


def _name(node) -> str:
    named = node.child_by_field_name("name")
    if named is None:
        named = next((c for c in node.named_children if c.type in ("identifier", "type_identifier", "simple_identifier")), None)
    return text(named)


def _methods(body, language: str) -> tuple[Method, ...]:
    kind = "method_declaration" if language == "java" else "function_declaration"
    out = []
    for child in body.named_children if body is not None else ():
        if child.type == kind:
            out.append(Method(_name(child), line(child), tuple(annotations_of(child, language)), child, language))
    return tuple(out)


def classes(tree, language: str) -> list[ClassDecl]:
    """Every class of the file (nested ones too), each with its own methods, in source order."""
    if tree is None:
        return []
    out: list[ClassDecl] = []
    for node in descendants(tree.root_node, _CLASS_TYPES):
        if len(out) >= MAX_CLASSES:
            break
        out.append(ClassDecl(_name(node), line(node), tuple(annotations_of(node, language)), _methods(_class_body(node), language)))
    return out


def method_body(method: Method):
    """The method's body node (a block, or a Kotlin expression body), or None."""
    node = method.node
    if method.language == "java":
        return node.child_by_field_name("body")
    return next((c for c in node.named_children if c.type == "function_body"), None)


def returned_strings(method: Method) -> list[tuple[str, int]]:
    """(value, line) of each string literal the method returns: `return "x"`, and a Kotlin
    expression body `= "x"`."""
    body = method_body(method)
    if body is None:
        return []
    out: list[tuple[str, int]] = []
    if method.language == "kotlin" and any(c.type == "=" for c in body.children):
        value = string_value(body.named_children[0] if body.named_children else None)
        if value is not None:
            out.append((value, line(body)))
    for statement in descendants(body, ("return_statement", "return_expression")):
        value = string_value(statement.named_children[0] if statement.named_children else None)
        if value is not None:
            out.append((value, line(statement)))
    return out


# ---------------------------------------------------------------- calls and chains


@dataclass(frozen=True)
class Call:
    """One call: `name(args)` with its receiver (None for a bare call), for either language, at
    the line of its name.
    `new ModelAndView("x")` is a call named ModelAndView. `arguments` are the argument nodes
    (a trailing Kotlin lambda included)."""

    name: str
    line: int
    node: Any = field(compare=False, repr=False)
    receiver: Any = field(default=None, compare=False, repr=False)
    arguments: tuple = field(default=(), compare=False, repr=False)

    @property
    def strings(self) -> tuple[str, ...]:
        """The plain string literals passed directly as arguments, in order."""
        values = (string_value(unwrap(arg)) for arg in self.arguments)
        return tuple(value for value in values if value is not None)

    @property
    def names(self) -> tuple[str, ...]:
        """The bare names passed directly as arguments (`authorize(anyRequest, permitAll)`)."""
        return tuple(text(unwrap(arg)) for arg in self.arguments if unwrap(arg).type in ("identifier", "simple_identifier"))


def unwrap(arg):
    """A Kotlin value_argument's expression; any other node as it is."""
    if arg.type == "value_argument" and arg.named_children:
        return arg.named_children[-1]
    return arg


def _java_call(node) -> Call:
    at = line(node)
    if node.type == "object_creation_expression":
        name = _simple(text(node.child_by_field_name("type")))
        receiver = None
    else:
        name_node = node.child_by_field_name("name")
        name = text(name_node)
        receiver = node.child_by_field_name("object")
        if name_node is not None:
            at = line(name_node)  # `.requestMatchers(…)` on its own line of a chain
    args = node.child_by_field_name("arguments")
    return Call(name, at, node, receiver, tuple(args.named_children) if args is not None else ())


def _kotlin_call(node) -> Call | None:
    children = node.named_children
    if not children:
        return None
    callee = children[0]
    receiver = None
    if callee.type == "navigation_expression":
        parts = callee.named_children
        if len(parts) < 2:
            return None
        receiver, callee = parts[0], parts[-1]
    if callee.type not in ("identifier", "simple_identifier"):
        return None
    arguments: list = []
    for child in children[1:]:
        if child.type == "value_arguments":
            arguments.extend(child.named_children)
        elif child.type == "annotated_lambda":
            arguments.extend(c for c in child.named_children if c.type == "lambda_literal")
    return Call(text(callee), line(callee), node, receiver, tuple(arguments))


def as_call(node, language: str) -> Call | None:
    """The node as a Call, or None when it is no call."""
    if language == "java" and node.type in _JAVA_CALLS:
        return _java_call(node)
    if language == "kotlin" and node.type in _KOTLIN_CALLS:
        return _kotlin_call(node)
    return None


def calls(node, language: str) -> Iterator[Call]:
    """Every call under `node` (itself included), in source order."""
    if node is None:
        return
    for found in descendants(node, _JAVA_CALLS if language == "java" else _KOTLIN_CALLS):
        call = as_call(found, language)
        if call is not None:
            yield call


def chain(call: Call, language: str) -> list[Call]:
    """The calls of the chain that ends in `call`, first call first:
    `auth.requestMatchers("/a").authenticated()` is [requestMatchers, authenticated]."""
    links = [call]
    receiver = call.receiver
    while receiver is not None and len(links) < MAX_NESTING:
        inner = as_call(receiver, language)
        if inner is None:
            break
        links.append(inner)
        receiver = inner.receiver
    links.reverse()
    return links


def chains(node, language: str) -> list[list[Call]]:
    """Every whole call chain under `node` (calls that are no other call's receiver), in source
    order; a chain inside a lambda argument is a chain of its own, after the one it is passed to."""
    out = []
    for call in calls(node, language):
        parent = call.node.parent
        if language == "kotlin" and parent is not None and parent.type == "navigation_expression":
            grand = parent.parent
            if grand is not None and grand.type == "call_expression" and parent.named_children[0] == call.node:
                continue
        if language == "java" and parent is not None and parent.type == "method_invocation" \
                and parent.child_by_field_name("object") == call.node:
            continue
        out.append(chain(call, language))
    return out


def assigned_strings(node, language: str) -> list[tuple[str, str, int]]:
    """(assigned name, value, line) of each `x = "…"` / `obj.x = "…"` under `node`."""
    if node is None:
        return []
    out: list[tuple[str, str, int]] = []
    for assignment in descendants(node, ("assignment_expression", "assignment")):
        left = assignment.child_by_field_name("left")
        right = assignment.child_by_field_name("right")
        if left is None or right is None:
            continue
        value = string_value(right)
        if value is None:
            continue
        target = left
        if left.type == "field_access":
            target = left.child_by_field_name("field") or left
        elif left.type in ("navigation_expression", "directly_assignable_expression") and left.named_children:
            target = left.named_children[-1]
        out.append((text(target), value, line(assignment)))
    return out
