"""SDK calls in mobile app code (Kotlin, Java, Swift, Objective-C, Dart), read with tree-sitter.

Each language's call shape is brought to one form, `Call` (method, receiver text, argument
nodes), and matched against the catalogue's `[[mobile_calls]]`. What a call is handed is read
from its arguments: names of variables and properties passed (`diagnosis`, `user.email`), keys
of the maps and bundles built in the call (`"diagnosis" to answer`, `["diagnosis": answer]`,
`param("diagnosis", answer)`), and, for an argument that is a local variable (`bundle`,
`params`, `event`), what the enclosing function puts into it (`bundle.putString("dx", dx)`,
`event.addCallbackParameter(…)`, `val params = mapOf(…)`). The event name (a string literal
argument of the call itself) is not data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from phi_lint.lang.treesitter import descendants, text
from phi_lint.lazyre import lazy_pattern

_ARG_WRAPPERS = frozenset({"value_argument", "argument", "named_argument", "value_arguments", "argument_list",
                           "arguments", "call_suffix", "argument_part", "annotated_lambda", "lambda_literal", "statements"})
_STRING_TYPES = frozenset({"string_literal", "line_string_literal", "string", "multi_line_string_literal"})
_CONSTANT_TYPES = _STRING_TYPES | frozenset({"integer_literal", "decimal_integer_literal", "number_literal", "boolean_literal",
                                             "true", "false", "null", "nil", "null_literal", "real_literal", "decimal_floating_point_literal"})
_NAME_TYPES = frozenset({"identifier", "simple_identifier", "field_identifier", "navigation_expression", "field_access",
                         "field_expression", "member_access", "selector"})
_SCOPES = frozenset({"function_declaration", "method_declaration", "constructor_declaration", "function_body",
                     "method_definition", "computed_property", "function_definition", "init_declaration",
                     "secondary_constructor", "anonymous_initializer"})


@dataclass(frozen=True)
class Call:
    method: str
    receiver: str  # the receiver's source text, "" for a bare call
    args: tuple  # argument nodes (the value of each, not its label)
    node: Any  # the whole call (a tree-sitter node)


def calls(tree, language: str) -> Iterator[Call]:
    """Every call of a file's tree, in source order."""
    reader = _READERS[language]
    yield from reader(tree.root_node)


def _java(root) -> Iterator[Call]:
    for node in descendants(root, ("method_invocation",)):
        name = node.child_by_field_name("name")
        receiver = node.child_by_field_name("object")
        arguments = node.child_by_field_name("arguments")
        yield Call(text(name), text(receiver), tuple(arguments.named_children) if arguments else (), node)


def _kotlin(root) -> Iterator[Call]:
    for node in descendants(root, ("call_expression",)):
        callee = node.children[0] if node.children else None
        method, receiver = _navigation(callee)
        args = [a for child in node.children[1:] for a in _unwrap_args(child)]
        yield Call(method, receiver, tuple(args), node)


def _swift(root) -> Iterator[Call]:
    for node in descendants(root, ("call_expression",)):
        callee = node.children[0] if node.children else None
        method, receiver = _navigation(callee)
        args = [a for child in node.children[1:] for a in _unwrap_args(child)]
        yield Call(method, receiver, tuple(args), node)


def _navigation(callee) -> tuple[str, str]:
    """(method, receiver text) of `a.b.method` / `method` (Kotlin and Swift navigation)."""
    if callee is None:
        return "", ""
    if callee.type == "navigation_expression":
        last = callee.children[-1]
        method = text(last).lstrip("?.!").lstrip(".")
        receiver = text(callee)[: last.start_byte - callee.start_byte].rstrip("?.!")
        return method, receiver
    return text(callee), ""


def _objc(root) -> Iterator[Call]:
    for node in descendants(root, ("message_expression",)):
        receiver = node.child_by_field_name("receiver")
        methods = node.children_by_field_name("method")
        args = [c for c in node.named_children if c != receiver and c not in methods]
        yield Call(text(methods[0]) if methods else "", text(receiver), tuple(args), node)


def _dart(root) -> Iterator[Call]:
    """Dart has no call node: `a.b.method(args)` is an identifier and selectors, the last
    selector holding the arguments."""
    for node in descendants(root, ("selector",)):
        part = next((c for c in node.children if c.type == "argument_part"), None)
        if part is None:
            continue
        before = node.prev_named_sibling
        if before is None:
            continue
        if before.type == "selector":
            method = text(before).lstrip("?.!").lstrip(".")
        elif before.type == "identifier":
            method = text(before)
        else:
            continue
        first = before
        while first.prev_named_sibling is not None and first.prev_named_sibling.type in ("selector", "identifier"):
            first = first.prev_named_sibling
        parent = node.parent
        receiver = parent.text[first.start_byte - parent.start_byte : before.start_byte - parent.start_byte].decode(
            "utf-8", "replace") if parent is not None and parent.text is not None else ""
        args = [a for a in _unwrap_args(part)]
        yield Call(method, receiver.rstrip("?.!").rstrip("."), tuple(args), node)


def _unwrap_args(node) -> Iterator:
    """The argument values under an argument list, a trailing lambda or a labelled argument, in
    source order (a walk with its own stack: nesting depth is the file's, not Python's)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in ("value_argument", "named_argument", "argument"):
            values = [c for c in current.named_children if c.type not in ("value_argument_label", "label", "simple_identifier")
                      or current.named_child_count == 1]
            yield from values[-1:]
        elif current.type in ("value_arguments", "argument_list", "arguments", "call_suffix", "argument_part"):
            stack.extend(reversed(current.named_children))
        elif current.is_named:
            yield current


_READERS = {"java": _java, "kotlin": _kotlin, "swift": _swift, "objc": _objc, "dart": _dart}


# ------------------------------------------------------------------ what a call is handed
@dataclass(frozen=True)
class Handed:
    key: str  # the name that says what it is (a map key, a variable, a property chain)
    source: str  # the expression as written
    line: int


def handed(call: Call, code: str) -> list[Handed]:
    """The names a call's arguments carry (map keys with a non-constant value, variables and
    property reads), and for a local variable argument, what its function puts into it."""
    found: list[Handed] = []
    direct = {id(a) for a in call.args}
    for arg in call.args:
        if arg.type in _STRING_TYPES and id(arg) in direct:
            continue  # the event name
        found.extend(_names_in(arg, direct))
        if arg.type in ("identifier", "simple_identifier"):
            found.extend(_filled_in(call.node, text(arg), code))
    return found


def _names_in(node, skip: set[int]) -> Iterator[Handed]:
    """The names under an argument, in source order: map keys with a non-constant value, and
    variables and property reads (not looked into further, except a Dart selector chain). A walk
    with its own stack, so a deeply nested argument cannot exhaust Python's recursion limit."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in _STRING_TYPES:
            value = None if id(current) in skip else _keyed_value(current)
            if value is not None:
                yield Handed(_literal(current), text(value), current.start_point[0] + 1)
            continue
        if current.type in _NAME_TYPES and not _is_callee(current):
            yield Handed(text(current), text(current), current.start_point[0] + 1)
            if current.type != "selector":
                continue
        stack.extend(reversed(current.named_children))


def _literal(node) -> str:
    return text(node).strip("@\"'")


def _is_callee(node) -> bool:
    """A name that is called (`bundleOf`, `mapOf`, `param`) or names a type, not a value."""
    parent = node.parent
    if parent is None:
        return False
    if parent.type in ("call_expression", "method_invocation") and parent.children and parent.children[0] == node:
        return True
    nxt = node.next_sibling
    return nxt is not None and nxt.type in ("call_suffix", "value_arguments", "argument_list", "selector") and \
        any(c.type == "argument_part" for c in nxt.children) if nxt is not None and nxt.type == "selector" else \
        nxt is not None and nxt.type in ("call_suffix", "value_arguments", "argument_list")


def _keyed_value(literal):
    """The value a string literal is the key of, when it is followed, in its pair or argument
    list, by a value that is not a constant (`"diagnosis" to answer`, `putString("dx", dx)`)."""
    holder = literal
    while holder.parent is not None and holder.parent.type in ("value_argument", "argument", "named_argument"):
        holder = holder.parent
    after = holder.next_named_sibling
    while after is not None and after.type in ("simple_identifier",) and text(after) == "to":
        after = after.next_named_sibling
    if after is None:
        return None
    value = after
    while value.type in ("value_argument", "argument", "named_argument") and value.named_children:
        value = value.named_children[-1]
    return None if value.type in _CONSTANT_TYPES else value


def _scope(node):
    current = node.parent
    while current is not None:
        if current.type in _SCOPES:
            return current
        current = current.parent
    return None


_FILL = r"(?m)^[ \t]*(?:(?:val|var|let|final|const|auto)\s+)?(?:[\w<>?,\s]+\s+)?{name}\b\s*(?:[:=.\[]|\?\.)[^\n]*"
_KEY_VALUE = lazy_pattern(r"""["']([\w .-]{1,60})["']\s*(?:,|to|:|\]\s*=)\s*([A-Za-z_][\w.]*)""")


def _filled_in(call_node, name: str, code: str) -> Iterator[Handed]:
    """What the enclosing function puts into the local `name` before handing it to the call:
    `bundle.putString("diagnosis", d)`, `params["dx"] = d`, `val params = mapOf("dx" to d)`."""
    scope = _scope(call_node)
    if scope is None or not re.fullmatch(r"[A-Za-z_]\w*", name):
        return
    body = code.encode("utf-8", "surrogatepass")[scope.start_byte : call_node.start_byte].decode("utf-8", "replace")
    first_line = scope.start_point[0] + 1
    for statement in re.finditer(_FILL.format(name=re.escape(name)), body):
        line = first_line + body.count("\n", 0, statement.start())
        for pair in _KEY_VALUE.finditer(statement.group()):
            value = pair.group(2)
            if value in ("true", "false", "null", "nil"):
                continue
            yield Handed(pair.group(1), value, line)
            yield Handed(value, value, line)
