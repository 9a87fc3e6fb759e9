"""Reading option objects of SDK init calls: `LogRocket.init(id, { dom: { inputSanitizer: true } })`."""

from __future__ import annotations

from phi_lint.datasent.flow import Flow, string_value, unwrap

_MISSING = object()
MISSING = _MISSING  # what `literal` gives for an absent or non-literal value


def resolve_object(flow: Flow, node):
    """The object literal a node is or was assigned from (one step of local flow), or None."""
    node = unwrap(node)
    if node is None:
        return None
    if node.type == "object":
        return node
    if node.type == "identifier":
        name = node.text.decode("utf-8", "replace")
        for definition in flow.definitions(node, name):
            if definition.kind == "value":
                value = unwrap(definition.node)
                if value is not None and value.type == "object":
                    return value
    return None


def prop(flow: Flow, node, path: str):
    """The value node at a dotted key path of an object, or None."""
    current = resolve_object(flow, node)
    parts = path.split(".")
    for i, part in enumerate(parts):
        if current is None:
            return None
        found = None
        for child in current.named_children:
            if child.type == "pair":
                key = child.child_by_field_name("key")
                if key is None:
                    continue
                key_text = string_value(key) if key.type == "string" else key.text.decode("utf-8", "replace")
                if key_text == part:
                    found = child.child_by_field_name("value")
            elif child.type == "shorthand_property_identifier" and child.text.decode() == part:
                found = child
        if found is None:
            return None
        if i == len(parts) - 1:
            return unwrap(found) if found.type != "shorthand_property_identifier" else found
        current = resolve_object(flow, found)
    return None


def literal(node):
    """True/False/number/string of a literal node; _MISSING when absent or not a literal."""
    node = unwrap(node)
    if node is None:
        return _MISSING
    if node.type == "true":
        return True
    if node.type == "false":
        return False
    if node.type == "number":
        text = node.text.decode("utf-8", "replace").replace("_", "")
        try:
            return float(text) if any(c in text for c in ".eE") and not text.lower().startswith("0x") else int(text, 0)
        except ValueError:
            return _MISSING
    if node.type == "unary_expression" and node.text.decode().replace(" ", "") in ("!0", "!1"):
        return node.text.decode().replace(" ", "") == "!0"
    value = string_value(node)
    if value is not None:
        return value
    return _MISSING


def missing(value) -> bool:
    return value is _MISSING


def shown(value) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return f"'{value}'"
    if value is _MISSING:
        return "not set"
    return str(value)
