"""The settings a PHP file commits, as dotted keys with their lines: what a WordPress site's
wp-config.php or a must-use plugin writes for a tracking plugin.

- `define( 'GTM4WP_HARDCODED_GTM_ID', 'GTM-…' )` is the key `GTM4WP_HARDCODED_GTM_ID`;
- `update_option( 'gtm4wp-options', [ 'gtm-code' => 'GTM-…' ] )` (and the other option setters
  of rules/frameworks/wordpress.toml) gives `gtm4wp-options.gtm-code`; a list gives a list value,
  a string the option itself, anything computed UNKNOWN (set at run time: still on).

Read from the tree-sitter parse (phi_lint.lang.php), so commented-out settings are not read.
"""

from __future__ import annotations

from phi_lint import frameworks_data
from phi_lint.lang.php import arguments, array_items, nodes, string_value
from phi_lint.lang.treesitter import line, parse, text
from phi_lint.siteconfig.values import UNKNOWN, Value

MAX_DEPTH = 8
DEFINE = "define"


def php_keys(source_text: str) -> dict[str, Value]:
    """Every constant defined and every option set with a literal in the file."""
    setters = set(frameworks_data.names("wordpress", "option-setters"))
    if DEFINE not in source_text and not any(setter in source_text for setter in setters):
        return {}
    tree = parse(source_text, "php")
    if tree is None:
        return {}
    lines = source_text.splitlines()
    keys: dict[str, Value] = {}
    for call in nodes(tree.root_node, ("function_call_expression",)):
        function = call.child_by_field_name("function")
        name = text(function).lstrip("\\").lower() if function is not None else ""
        if name != DEFINE and name not in setters:
            continue
        args = arguments(call)
        key = string_value(args[0].value) if len(args) >= 2 else None
        if key:
            _flatten(key, args[1].value, keys, lines, 0)
    return keys


def _flatten(prefix: str, node, keys: dict[str, Value], lines: list[str], depth: int) -> None:
    at = line(node)
    shown = lines[at - 1].strip() if 0 < at <= len(lines) else prefix
    items = array_items(node)
    if node.type == "array_creation_expression" and depth < MAX_DEPTH and any(key is not None for key, _ in items):
        for key, value in items:
            name = string_value(key) if key is not None else None
            if name:
                _flatten(f"{prefix}.{name}", value, keys, lines, depth + 1)
        return
    keys.setdefault(prefix, Value(_scalar(node), at, node.start_point[1] + 1, shown))


def _scalar(node) -> object:
    value = string_value(node)
    if value is not None:
        return value
    if node.type == "boolean":
        return text(node).lower() == "true"
    if node.type == "null":
        return None
    if node.type in ("integer", "float"):
        return text(node)
    if node.type == "array_creation_expression":
        return [_scalar(value) for _key, value in array_items(node)]
    return UNKNOWN
