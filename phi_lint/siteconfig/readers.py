"""What a config file switches on: one reader per format of rules/config-trackers.toml.

Each reader turns the file's own parse (the JS/TS tree, Python's ast, the Ruby tree, the TOML or
YAML keys) into `Switched` records: the switch that is on, where it is written, and the account
ids its options give. A switch that is off (commented out, an empty id, `enabled: false`, an
off-key set) gives no record. Comments are never read: the parsers drop them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from phi_lint.siteconfig.data import Generator, Switch
from phi_lint.siteconfig.values import UNKNOWN, Value, toml_keys, yaml_keys


@dataclass(frozen=True)
class Switched:
    """A switch that is on, at a line of the config file."""

    generator: Generator
    switch: Switch
    line: int
    column: int
    end_line: int
    end_column: int
    snippet: str
    ids: tuple[object, ...] = ()  # the account ids written (strings; UNKNOWN for computed ones)
    notes: tuple[str, ...] = ()  # what the switch's flags that are on say (Switch.flags)


def _on(ids: list[object]) -> bool:
    """Ids written but all empty: the tracker has nothing to send to, so it is off."""
    return not ids or any(i is UNKNOWN or (isinstance(i, str) and i.strip()) or isinstance(i, (int, float)) for i in ids)


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 120 else text[:117] + "..."


# ------------------------------------------------------------------------------------ TOML, YAML


def keyed_switches(rel: str, text: str, generator: Generator) -> tuple[list[Switched], str | None]:
    """The key switches of a TOML or YAML config file that are on."""
    lower = rel.lower()
    if lower.endswith(".toml"):
        keys, problem = toml_keys(text)
    elif lower.endswith((".yml", ".yaml")):
        keys, problem = yaml_keys(text), None
    else:
        return [], None
    stem = lower.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if stem in generator.stem_keys:  # config/_default/services.toml holds `services.…`
        keys = {f"{stem}.{path}": value for path, value in keys.items()}
    return switches_of_keys(keys, generator), problem


def php_switches(text: str, generator: Generator) -> list[Switched]:
    """The key switches of a PHP settings file (wp-config.php `define`s, `update_option` arrays)."""
    from phi_lint.siteconfig.php_values import php_keys

    return switches_of_keys(php_keys(text), generator)


def switches_of_keys(keys: dict[str, Value], generator: Generator) -> list[Switched]:
    """The key switches that are on, from a file's flattened keys."""
    found = []
    for switch in generator.switches:
        if not switch.key:
            continue
        hit = _keyed(keys, switch)
        if hit is not None:
            value, ids = hit
            notes = tuple(note for key, note in switch.flags if keys.get(key, Value(False, 0)).value is True)
            found.append(Switched(generator, switch, value.line, value.column, value.line,
                                  value.column + len(value.text), _snippet(value.text), tuple(ids), notes))
    return found


def _keyed(keys: dict[str, Value], switch: Switch) -> tuple[Value, list[object]] | None:
    if switch.off_key and keys.get(switch.off_key, Value(False, 0)).value is True:
        return None
    value = keys.get(switch.key)
    if value is not None:
        ids = _scalar_ids(value.value)
        if value.value is False or value.value is None or not _on(ids):
            return None
        return value, ids
    # a table of options: `[services.googleAnalytics] id = "…"` for a switch on the table's key
    written = [keys[f"{switch.key}.{name}"] for name in switch.ids if f"{switch.key}.{name}" in keys]
    if not written:
        return None
    ids = [i for w in written for i in _scalar_ids(w.value)]
    return (written[0], ids) if _on(ids) else None


def _scalar_ids(value) -> list[object]:
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, (str, int, float)):
        return [str(value)]
    if isinstance(value, list):
        return [str(v) if isinstance(v, (str, int)) else UNKNOWN for v in value]
    return [UNKNOWN]


# -------------------------------------------------------------------------------------------- JS


def js_switches(script, generator: Generator) -> list[Switched]:
    """The plugins and keys of a JS/TS config (gatsby-config, nuxt.config, docusaurus.config)
    that are on, read from its object literals."""
    from phi_lint.lang.treesitter import descendants

    tree = script.tree
    if tree is None:
        return []
    plugins = {s.plugin: s for s in generator.switches if s.plugin}
    keys = {s.key: s for s in generator.switches if s.key}
    options_keys = {s.options_key for s in generator.switches if s.options_key}
    option_objects: dict[str, Any] = {}
    pending: list[tuple[Switch, Any, Any]] = []  # (switch, node written, options node)
    for node in descendants(tree.root_node, ("string", "template_string", "pair")):
        if node.type == "pair":
            name = _key_name(node)
            value = node.child_by_field_name("value")
            if name in options_keys and value is not None:
                option_objects.setdefault(name, value)
            if name in keys:
                pending.append((keys[name], node, value))
            continue
        switch = plugins.get(_js_string(node) or "")
        if switch is not None:
            entry = _plugin_entry(node)
            if entry is not None:
                pending.append((switch, node, entry[1]))
            else:
                pending.extend((switch, call, options) for call, options in _imported_plugin_calls(node, tree.root_node))
    found = []
    for switch, node, options in pending:
        if options is None and switch.options_key:
            options = option_objects.get(switch.options_key)
        ids = _js_ids(options, switch)
        if _js_off(options, generator) or not _on(ids):
            continue
        start, end = node.start_point, node.end_point
        found.append(Switched(generator, switch, start[0] + 1, start[1] + 1, end[0] + 1, end[1] + 1,
                              _snippet(_text(node).split("\n", 1)[0]), tuple(ids)))
    return found


def _text(node) -> str:
    return node.text.decode("utf-8", "surrogatepass") if node is not None and node.text is not None else ""


def _js_string(node) -> str | None:
    """A string literal's value (a template literal without substitutions too), else None."""
    if node is None or node.type not in ("string", "template_string"):
        return None
    if any(child.type == "template_substitution" for child in node.children):
        return None
    return _text(node)[1:-1]


def _key_name(pair) -> str | None:
    key = pair.child_by_field_name("key")
    if key is None:
        return None
    if key.type in ("property_identifier", "identifier"):
        return _text(key)
    return _js_string(key)


def _named(node) -> list:
    return [c for c in node.named_children if c.type != "comment"]


def _plugin_entry(node) -> tuple[object, object] | None:
    """(entry, options) when a string names a plugin where plugins are listed: an array entry
    `'name'`, `['name', {options}]` inside an array, or `{ resolve: 'name', options: {…} }`."""
    parent = node.parent
    if parent is None:
        return None
    if parent.type == "array":
        items = _named(parent)
        grand = parent.parent
        if items and items[0] == node and 2 <= len(items) <= 2 and grand is not None and grand.type == "array" \
                and items[1].type == "object" and not any(_key_name(p) == "resolve" for p in _named(items[1]) if p.type == "pair"):
            return parent, items[1]
        return node, None
    if parent.type == "pair" and _key_name(parent) == "resolve" and parent.child_by_field_name("value") == node:
        holder = parent.parent
        for pair in _named(holder) if holder is not None else ():
            if pair.type == "pair" and _key_name(pair) == "options":
                return holder, pair.child_by_field_name("value")
        return holder, None
    return None


def _imported_plugin_calls(source, root) -> list[tuple[object, object]]:
    """(call, options) of each call of a plugin imported from the package `source` names:
    `import matomo from '@jop-software/astro-matomo'` then `integrations: [matomo({ siteId: 1 })]`
    (Astro integrations, VuePress 2 plugins). An imported plugin never called switches nothing on."""
    from phi_lint.lang.treesitter import descendants

    statement = source.parent
    if statement is None or statement.type != "import_statement":
        return []
    names = {_text(node) for node in descendants(statement, ("identifier",))}
    found = []
    for call in descendants(root, ("call_expression",)):
        function = call.child_by_field_name("function")
        if function is None or function.type != "identifier" or _text(function) not in names:
            continue
        arguments = call.child_by_field_name("arguments")
        first = _named(arguments)[0] if arguments is not None and _named(arguments) else None
        found.append((call, first))
    return found


def _js_ids(options, switch: Switch) -> list[object]:
    """The account ids an options value gives: the named options of an object (a string, a
    number, an array of them; anything computed is UNKNOWN), or the value itself when it is a
    string (`gtag: 'G-…'`)."""
    if options is None:
        return []
    direct = _js_string(options)
    if direct is not None:
        return [direct]
    if options.type != "object":
        return []
    ids: list[object] = []
    for pair in _named(options):
        if pair.type != "pair" or _key_name(pair) not in switch.ids:
            continue
        value = pair.child_by_field_name("value")
        items = _named(value) if value is not None and value.type == "array" else [value]
        for item in items:
            text = _js_string(item)
            if text is not None:
                ids.append(text)
            elif item is not None and item.type == "number":
                ids.append(_text(item))
            else:
                ids.append(UNKNOWN)
    return ids


_JS_LITERALS = {"true": True, "false": False}


def _js_off(options, generator: Generator) -> bool:
    """`false` for the whole value, or an off-option (`enabled: false`) in its object."""
    if options is None:
        return False
    if options.type == "false":
        return True
    if options.type != "object" or not generator.off_options:
        return False
    off = dict(generator.off_options)
    for pair in _named(options):
        name = _key_name(pair) if pair.type == "pair" else None
        if name is not None and name in off:
            value = pair.child_by_field_name("value")
            if value is not None and _JS_LITERALS.get(value.type, None) is off[name]:
                return True
    return False


# ---------------------------------------------------------------------------------------- Python


def python_switches(tree: ast.Module | None, text: str, generator: Generator) -> list[Switched]:
    """Settings assigned at module level (or in a top-level `if` / `try`): `HOTJAR_SITE_ID = '…'`."""
    if tree is None:
        return []
    keys = {s.key: s for s in generator.switches if s.key}
    lines = text.splitlines()
    found = []
    for node in _settings_statements(tree.body):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            if not isinstance(target, ast.Name) or target.id not in keys or node.value is None:
                continue
            value = node.value
            if isinstance(value, ast.Constant):
                if value.value is None or value.value is False:
                    continue
                ids: list[object] = [str(value.value)]
            else:
                ids = [UNKNOWN]  # os.environ.get(…), env("…"): set at deployment
            if not _on(ids):
                continue
            line = node.lineno
            shown = lines[line - 1] if 0 < line <= len(lines) else target.id
            found.append(Switched(generator, keys[target.id], line, node.col_offset + 1,
                                  node.end_lineno or line, (node.end_col_offset or 0) + 1, _snippet(shown), tuple(ids)))
    return found


def _settings_statements(body, depth: int = 0) -> Iterator[ast.Assign | ast.AnnAssign]:
    for node in body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            yield node
        elif depth < 3 and isinstance(node, ast.If):
            yield from _settings_statements(node.body, depth + 1)
            yield from _settings_statements(node.orelse, depth + 1)
        elif depth < 3 and isinstance(node, ast.Try):
            yield from _settings_statements(node.body, depth + 1)


# ------------------------------------------------------------------------------------------ Ruby


def ruby_switches(source, generator: Generator) -> list[Switched]:
    """Rack::Tracker's `handler :google_analytics, { tracker: 'UA-…' }` in a Rails config file
    that uses the middleware (`config.middleware.use(Rack::Tracker) do … end`)."""
    if "Rack::Tracker" not in source.text:
        return []
    from phi_lint.lang import ruby

    root = ruby.program(source)
    if root is None:
        return []
    plugins = {s.plugin: s for s in generator.switches if s.plugin}
    found = []
    for call in ruby.calls(root, {"handler"}, into_definitions=True):
        name = ruby.symbol(call.args[0]) if call.args else None
        switch = plugins.get(name or "")
        if switch is None:
            continue
        options = dict(call.options)
        for arg in call.args[1:]:
            if arg.type == "hash":
                options.update(_ruby_pairs(arg))
        ids: list[object] = []
        for key in switch.ids:
            if key in options:
                ids.extend(_ruby_ids(options[key]))
        if not _on(ids):
            continue
        start, end = call.node.start_point, call.node.end_point
        found.append(Switched(generator, switch, start[0] + 1, start[1] + 1, end[0] + 1, end[1] + 1,
                              _snippet(_text(call.node).split("\n", 1)[0]), tuple(ids)))
    return found


def _ruby_pairs(node) -> dict[str, object]:
    from phi_lint.lang import ruby

    pairs = {}
    for pair in node.named_children:
        if pair.type == "pair":
            key = ruby.value(pair.child_by_field_name("key"))
            if key is not None:
                pairs[key] = pair.child_by_field_name("value")
    return pairs


def _ruby_ids(node) -> list[object]:
    """A string id, an array of them, or of `{ id: '…' }` hashes (google_global's trackers)."""
    from phi_lint.lang import ruby

    if node is None:
        return []
    text = ruby.string(node)
    if text is not None:
        return [text]
    if node.type == "array":
        ids: list[object] = []
        for item in node.named_children:
            if item.type == "hash":
                ids.extend(_ruby_ids(_ruby_pairs(item).get("id")))
            else:
                ids.extend(_ruby_ids(item))
        return ids
    return [UNKNOWN]
