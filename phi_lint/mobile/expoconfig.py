"""Expo's dynamic app config (app.config.js / app.config.ts): the config plugins it lists.

Read from the file's JS/TS tree (the one parse the web stages share), never run. Every
`plugins` property of an object literal counts (`expo.plugins`, the object a
`({ config }) => ({ ...config, plugins: [...] })` function returns), and so do
`config.plugins = [...]` and `config.plugins.push(...)`. An entry is a plugin name
(`"react-native-fbsdk-next"`) or a `[name, {options}]` tuple; a name held by a `const` of the
same file is followed. What is built at run time (a plugin list from a call or a condition, a
name from the environment, a plugin function) cannot be read: it is listed in `unread`, so the
scan says so instead of passing over it. A spread of `config.plugins` is the static app.json's
list, which is read in app.json itself.
"""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass, field

from phi_lint.lang.treesitter import descendants, text
from phi_lint.lazyre import lazy_pattern
from phi_lint.mobile.data import table
from phi_lint.mobile.manifests import Declared

_WRAPPERS = frozenset({"parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression"})
_MAX_UNREAD_SHOWN = 3
_NAME = lazy_pattern(r"[A-Za-z_$][\w$]*")


@dataclass
class Plugins:
    declared: list[Declared] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)  # the entries built at run time, as written
    local: list[str] = field(default_factory=list)  # the app's own plugin functions, as written


def is_expo_config(rel: str) -> bool:
    return os.path.basename(rel).lower() in table().expo_configs


def may_list_plugins(rel: str, text: str) -> bool:
    """The cheap gate: an Expo config file name, and the word `plugins` in it."""
    return is_expo_config(rel) and "plugins" in text


def plugins_of(tree, code: str) -> Plugins:
    """The config plugins an Expo app config's tree lists (see the module docstring)."""
    reader = _Reader(tree.root_node, code)
    for node in descendants(tree.root_node, ("pair", "shorthand_property_identifier", "assignment_expression", "call_expression")):
        if node.type == "pair" and _key(node.child_by_field_name("key")) == "plugins":
            reader.plugin_list(node.child_by_field_name("value"))
        elif node.type == "shorthand_property_identifier" and text(node) == "plugins":
            reader.plugin_list(node)
        elif node.type == "assignment_expression" and _member_named(node.child_by_field_name("left"), "plugins"):
            reader.plugin_list(node.child_by_field_name("right"))
        elif node.type == "call_expression":
            callee = node.child_by_field_name("function")
            if callee is not None and callee.type == "member_expression" and _key(callee.child_by_field_name("property")) == "push" \
                    and _member_named(callee.child_by_field_name("object"), "plugins"):
                arguments = node.child_by_field_name("arguments")
                for entry in arguments.named_children if arguments is not None else ():
                    reader.entry(entry)
    return reader.found


class _Reader:
    def __init__(self, root, code: str):
        self.root = root
        self.data = code.encode("utf-8", "surrogatepass")
        self.ascii = code.isascii()
        self.found = Plugins()
        self._constants: dict[str, object] | None = None
        self._functions: set[str] | None = None
        # the lists already read through a spread: each const list is read once, so a list that
        # spreads itself, or a chain of lists each spreading the last twice, costs its size
        self._spread: set[tuple[int, int]] = set()
        self._listed: set[tuple[int, int]] = set()  # every array read as a plugin list: once
        self._continuations: list[int] | None = None  # byte offsets of UTF-8 continuation bytes

    def plugin_list(self, node) -> None:
        value = self._resolve(_unwrap(node))
        if value is not None and value.type == "array":
            # `plugins: A` written 3,000 times over one `const A` of 3,000 names read the list
            # 3,000 times: what it adds is known after the first
            span = (value.start_byte, value.end_byte)
            if span in self._listed:
                return
            self._listed.add(span)
        branches = _branches(value)
        if branches:  # `cond ? [...] : []`, `cond && [...]`: what either branch may add
            for branch in branches:
                self.plugin_list(branch)
            return
        if value is not None and value.type == "array":
            for entry in value.named_children:
                if entry.type != "comment":
                    self.entry(entry)
        elif value is not None and value.type == "spread_element":
            self.entry(value)
        else:
            self.found.unread.append(_shown(node))

    def entry(self, node) -> None:
        """One element of a plugin list: a name, a [name, options] tuple, or something unread."""
        node = _unwrap(node)
        if node.type == "spread_element":
            spread = _unwrap(node.named_children[0]) if node.named_children else None
            listed = self._resolve(spread)
            if listed is not None and (listed.type == "array" and listed is not spread or _branches(listed)):
                where = (listed.start_byte, listed.end_byte)
                if where not in self._spread:
                    self._spread.add(where)
                    self.plugin_list(listed)  # `...basePlugins` (a const list of the file), `...(cond ? [...] : [])`
            elif not _app_json_plugins(spread):
                self.found.unread.append(_shown(node))
            return
        node = self._resolve(node)
        if node.type == "array":  # [name, {options}]
            first = next((c for c in node.named_children if c.type != "comment"), None)
            if first is None:
                return
            node = _unwrap(first)
        value = self._resolve(node)
        name = _string(value) if value is not None else None
        if name is None:
            (self.found.local if self._local_function(value) else self.found.unread).append(_shown(node))
            return
        self.found.declared.append(Declared(name, self._char(value.start_byte), self._char(value.end_byte)))

    def _resolve(self, node):
        """A name of a `const` of the file stands for its value (one step, no chains)."""
        if node is None or node.type not in ("identifier", "shorthand_property_identifier"):
            return node
        return self.constants().get(text(node), node)

    def _local_function(self, node) -> bool:
        """A plugin function of the app itself: declared in the file, or imported from a relative
        path (`require('./plugins/withSplash')`), not a package."""
        if node is None or node.type != "identifier":
            return False
        return text(node) in self.local_functions()

    def local_functions(self) -> set[str]:
        if self._functions is None:
            self._functions = set()
            for node in descendants(self.root, ("function_declaration", "import_statement", "variable_declarator")):
                if node.type == "function_declaration":
                    name = node.child_by_field_name("name")
                    self._functions.update([text(name)] if name is not None else [])
                    continue
                source = node.child_by_field_name("source") if node.type == "import_statement" else node.child_by_field_name("value")
                written = text(source) if source is not None else ""
                if node.type == "variable_declarator" and source is not None and source.type in ("arrow_function", "function_expression"):
                    self._functions.add(text(node.child_by_field_name("name")))
                elif re.search(r"""^(?:require\(\s*)?["'`]\.{1,2}/""", written):
                    self._functions.update(m.group() for m in _NAME.finditer(_bound_names(node)))
        return self._functions

    def constants(self) -> dict:
        if self._constants is None:
            self._constants = {}
            for declarator in descendants(self.root, ("variable_declarator",)):
                name = declarator.child_by_field_name("name")
                value = _unwrap(declarator.child_by_field_name("value"))
                if name is not None and name.type == "identifier" and value is not None and value.type in ("array", "string"):
                    self._constants.setdefault(text(name), value)
        return self._constants

    def _char(self, byte_offset: int) -> int:
        """The character offset of a byte offset: the bytes before it less the UTF-8 continuation
        bytes among them (found once a file, not by decoding the file's start for every entry)."""
        if self.ascii:
            return byte_offset
        if self._continuations is None:
            self._continuations = [m.start() for m in re.finditer(rb"[\x80-\xbf]", self.data)]
        return byte_offset - bisect.bisect_left(self._continuations, byte_offset)


def _branches(node) -> list:
    """The two values of `cond ? a : b`, or the right of `cond && a`: a plugin list that depends
    on a condition (each branch is read; one that is not a list is then said to be unread)."""
    if node is None:
        return []
    if node.type == "ternary_expression":
        return [b for b in (node.child_by_field_name("consequence"), node.child_by_field_name("alternative")) if b is not None]
    if node.type == "binary_expression" and text(node.child_by_field_name("operator")) == "&&":
        right = node.child_by_field_name("right")
        return [right] if right is not None else []
    return []


def _bound_names(node) -> str:
    """The text that binds names in an import or a require (`{ withSplash }`, `withSplash`)."""
    if node.type == "import_statement":
        clause = next((c for c in node.named_children if c.type == "import_clause"), None)
        return text(clause) if clause is not None else ""
    name = node.child_by_field_name("name")
    return text(name) if name is not None else ""


def _unwrap(node):
    steps = 0
    while node is not None and node.type in _WRAPPERS and steps < 50:
        inner = [c for c in node.named_children if c.type != "comment"]
        node = inner[0] if inner else None
        steps += 1
    return node


def _key(node) -> str | None:
    if node is None:
        return None
    if node.type in ("property_identifier", "identifier"):
        return text(node)
    return _string(node)


def _string(node) -> str | None:
    """The value of a string literal (a template literal without substitutions counts)."""
    if node.type == "string" or (node.type == "template_string" and not any(
            c.type == "template_substitution" for c in node.named_children)):
        raw = text(node)
        return raw[1:-1] if len(raw) >= 2 else None
    return None


def _member_named(node, name: str) -> bool:
    """`x.plugins` / `config.expo.plugins`."""
    return node is not None and node.type == "member_expression" and _key(node.child_by_field_name("property")) == name


def _app_json_plugins(node) -> bool:
    """`config.plugins`, `config.plugins ?? []`, `config.plugins || []`: the list of the static
    app.json that Expo hands the function (`require('./base').plugins` is another file's)."""
    if node is not None and node.type == "binary_expression" and text(node.child_by_field_name("operator")) in ("??", "||"):
        node = _unwrap(node.child_by_field_name("left"))
    return _member_named(node, "plugins") and "require(" not in text(node)


def _shown(node) -> str:
    written = " ".join(text(node).split()) if node is not None else "?"
    return written if len(written) <= 60 else written[:57] + "..."


LOCAL_NOTE = "Expo config: the app's own plugin functions"


def notices(plugins: Plugins) -> list[str]:
    """What the scan says about plugin entries it did not read: entries built at run time (a
    warning), and the app's own plugin functions (a note, LOCAL_NOTE: shown with --verbose)."""
    said = []
    if plugins.unread:
        said.append(f"Expo config: plugin entries that cannot be read without running the config ({_listed(plugins.unread)}); "
                    "an SDK they add is not checked: write SDK plugins as names or [name, options] to have them checked")
    if plugins.local:
        said.append(f"{LOCAL_NOTE} ({_listed(plugins.local)}) were not read: an SDK they add is not checked")
    return said


def _listed(entries: list[str]) -> str:
    shown = ", ".join(f"`{u}`" for u in entries[:_MAX_UNREAD_SHOWN])
    return shown + (f" and {len(entries) - _MAX_UNREAD_SHOWN} more" if len(entries) > _MAX_UNREAD_SHOWN else "")


def problem_level(problem: str) -> str:
    """The notification level of a mobile problem: the app's own plugin functions are a note."""
    return "note" if problem.startswith(LOCAL_NOTE) else "warning"
