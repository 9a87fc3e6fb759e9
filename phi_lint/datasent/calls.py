"""Tracker calls that take data (rules/data-calls.toml) found in a unit, and what they are handed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from phi_lint.datasent.flow import Flow, Item, arguments, string_value, unwrap
from phi_lint.datasent.units import Unit
from phi_lint.resources import rules_dir
from phi_lint.tomlread import load_toml

ROLES = ("data", "id", "value", "queue")


@dataclass(frozen=True)
class ArgSpec:
    index: int
    role: str
    name: str = ""
    key_arg: int | None = None


@dataclass(frozen=True)
class Shape:
    vendors: tuple[str, ...]
    callees: tuple[str, ...]
    match: tuple[re.Pattern | None, ...]
    what: str
    args: tuple[ArgSpec, ...]
    aliases: str | None = None
    generic: bool = False
    id_arg: int | None = None
    id_keys: tuple[str, ...] = ()
    assignment: bool = False


@dataclass(frozen=True)
class PackageMap:
    names: tuple[str, ...]
    receiver: str
    named: dict = field(default_factory=dict, hash=False, compare=False)
    factories: tuple[str, ...] = ()


@dataclass(frozen=True)
class Shapes:
    calls: dict  # callee -> [Shape]
    assignments: dict  # target -> [Shape]
    packages: dict  # module -> PackageMap


class DataCallsError(ValueError):
    pass


def _specs(table: dict, where: str) -> tuple[ArgSpec, ...]:
    specs = []
    for spec in table.get("args", []):
        role = spec.get("role", "data")
        if role not in ROLES:
            raise DataCallsError(f"{where}: role {role!r} is not one of {ROLES}")
        specs.append(ArgSpec(int(spec["index"]), role, spec.get("name", ""), spec.get("key_arg")))
    if not specs:
        raise DataCallsError(f"{where}: `args` is required")
    return tuple(specs)


def parse_shapes(data: dict) -> Shapes:
    calls: dict[str, list[Shape]] = {}
    assignments: dict[str, list[Shape]] = {}
    for i, table in enumerate(data.get("calls", [])):
        where = f"calls[{i}]"
        shape = Shape(
            vendors=tuple(table["vendors"]),
            callees=tuple(table["callee"]),
            match=tuple(None if m == "*" else re.compile(m) for m in table.get("match", [])),
            what=table.get("what", "data"),
            args=_specs(table, where),
            aliases=table.get("aliases"),
            generic=bool(table.get("generic", False)),
            id_arg=table.get("id_arg"),
            id_keys=tuple(table.get("id_keys", [])),
        )
        for callee in shape.callees:
            calls.setdefault(callee, []).append(shape)
    for i, table in enumerate(data.get("assignments", [])):
        where = f"assignments[{i}]"
        shape = Shape(
            vendors=tuple(table["vendors"]),
            callees=tuple(table["target"]),
            match=(),
            what=table.get("what", "data"),
            args=_specs(table, where),
            aliases=table.get("aliases"),
            generic=bool(table.get("generic", False)),
            assignment=True,
        )
        for target in shape.callees:
            assignments.setdefault(target, []).append(shape)
    packages: dict[str, PackageMap] = {}
    for table in data.get("packages", []):
        mapping = PackageMap(
            names=tuple(table["name"]),
            receiver=table["receiver"],
            named=dict(table.get("named", {})),
            factories=tuple(table.get("factories", [])),
        )
        for name in mapping.names:
            packages[name] = mapping
    return Shapes(calls, assignments, packages)


@lru_cache(maxsize=1)
def shapes() -> Shapes:
    return parse_shapes(load_toml(rules_dir() / "data-calls.toml"))


@dataclass
class DataCall:
    """A tracker call (or assignment) that is handed personal or health data."""

    vendor_id: str
    label: str  # fbq('init'), mixpanel.track('Intake submitted')
    what: str  # advanced matching, event properties, ...
    start: int  # host offsets
    end: int
    items: list[Item]
    unit: Unit


class Naming:
    """Callee names with SDK imports mapped to the names in data-calls.toml."""

    def __init__(self, unit: Unit, table: Shapes):
        from phi_lint.parsers.javascript import _bindings

        self.table = table
        self.imports: dict[str, tuple[str, str]] = {}
        self.receivers: dict[str, str] = {}
        nodes = unit.nodes("import_statement", "variable_declarator")
        for node in nodes:
            if node.type == "variable_declarator":
                value = unwrap(node.child_by_field_name("value"))
                if value is None or value.type != "call_expression":
                    continue
                callee = value.child_by_field_name("function")
                if callee is None or callee.text != b"require":
                    continue
            try:
                module, bindings = _bindings(node)
            except Exception:
                continue
            if module is not None and module in table.packages:
                for binding, local in bindings:
                    self.imports[local] = (module, binding)
        if self.imports:
            for node in nodes:
                if node.type != "variable_declarator":
                    continue
                target = node.child_by_field_name("name")
                value = unwrap(node.child_by_field_name("value"))
                if target is None or target.type != "identifier" or value is None:
                    continue
                if value.type not in ("call_expression", "new_expression"):
                    continue
                inner = value.child_by_field_name("function") or value.child_by_field_name("constructor")
                name = self._raw(inner)
                if not name:
                    continue
                head, _, rest = name.partition(".")
                if head not in self.imports:
                    continue
                module, binding = self.imports[head]
                mapping = table.packages[module]
                written = (binding if binding not in ("default", "*") else head) + ("." + rest if rest else "")
                if written in mapping.factories or _calls_default(mapping, binding, rest):
                    self.receivers[target.text.decode("utf-8", "replace")] = mapping.receiver

    @staticmethod
    def _raw(node) -> str | None:
        from phi_lint.parsers.javascript import dotted_name

        if node is None:
            return None
        if node.type == "member_expression":
            obj = node.child_by_field_name("object")
            prop = node.child_by_field_name("property")
            if obj is not None and obj.type == "call_expression" and prop is not None:
                inner = dotted_name(obj.child_by_field_name("function")) if obj.child_by_field_name("function") is not None else None
                if inner and inner.rsplit(".", 1)[-1] in ("getInstance", "instance", "getClient"):
                    return inner.rsplit(".", 1)[0] + "." + prop.text.decode("utf-8", "replace")
                if inner:  # `analytics().logEvent`, `firebase.analytics().logEvent`: a called receiver
                    return inner + "()." + prop.text.decode("utf-8", "replace")
        try:
            return dotted_name(node)
        except Exception:
            return None

    def __call__(self, node) -> str | None:
        name = self._raw(node)
        if not name:
            return name
        head, _, rest = name.partition(".")
        if head in self.receivers:
            return self.receivers[head] + ("." + rest if rest else "")
        called = head.removesuffix("()")
        if called != head and called in self.imports:  # `analytics().logEvent` of a factory import
            module, binding = self.imports[called]
            mapping = self.table.packages[module]
            if _calls_default(mapping, binding, ""):
                return mapping.receiver + ("." + rest if rest else "")
        if head in self.imports:
            module, binding = self.imports[head]
            mapping = self.table.packages[module]
            if binding in ("default", "*"):
                base = mapping.receiver
            else:
                base = mapping.named.get(binding, f"{mapping.receiver}.{binding}")
            return base + ("." + rest if rest else "")
        return name


def _calls_default(mapping: PackageMap, binding: str, rest: str) -> bool:
    """Whether a call of the package's default import itself gives the receiver (`factories =
    ["default"]`: `import analytics from '@react-native-firebase/analytics'; analytics()`)."""
    return binding == "default" and not rest and "default" in mapping.factories


def _label(name: str, shape: Shape, args: list, unit: Unit) -> str:
    """fbq('init', '123456789012345'), mixpanel.track('Intake submitted'), FS.identify(…)."""
    data_indexes = {spec.index for spec in shape.args}
    shown = []
    for i, arg in enumerate(args):
        value = string_value(arg)
        if value is None or i in data_indexes or i > len(shape.match) or unit.template_of(value):
            break
        shown.append("'" + (value if len(value) <= 40 else value[:37] + "...") + "'")
    more = ", …" if shown and len(args) > len(shown) else ("…" if len(args) > len(shown) else "")
    return f"{name}({', '.join(shown)}{more})"


def _pick_vendor(shape: Shape, args: list, file_vendors: set[str], catalogue) -> str | None:
    candidates = [v for v in shape.vendors if catalogue.get(v) is not None]
    if not candidates:
        return None
    ids = []
    if shape.id_arg is not None and shape.id_arg < len(args):
        value = string_value(args[shape.id_arg])
        if value:
            ids.append(value)
    if shape.id_keys:
        for arg in args:
            node = unwrap(arg)
            if node is None or node.type != "object":
                continue
            for pair in node.named_children:
                if pair.type != "pair":
                    continue
                key = pair.child_by_field_name("key")
                key_text = string_value(key) if key is not None and key.type == "string" else (key.text.decode() if key is not None else "")
                if key_text in shape.id_keys:
                    value = string_value(unwrap(pair.child_by_field_name("value")))
                    if value:
                        ids.append(value.split("/")[0])
    for value in ids:
        for vendor_id in candidates:
            vendor = catalogue.get(vendor_id)
            if vendor.id_pattern is not None and vendor.valid_id(value):
                return vendor_id
    for vendor_id in candidates:
        if vendor_id in file_vendors:
            return vendor_id
    if shape.generic:
        return None
    return candidates[0]


def _matches(shape: Shape, args: list) -> bool:
    for i, pattern in enumerate(shape.match):
        if pattern is None:
            continue
        if i >= len(args):
            return False
        value = string_value(args[i])
        if value is None or not pattern.search(value):
            return False
    return True


def _items(flow: Flow, shape: Shape, args: list) -> list[Item]:
    items: list[Item] = []
    for spec in shape.args:
        if spec.index >= len(args):
            continue
        node = args[spec.index]
        name = spec.name or f"argument {spec.index + 1}"
        if spec.role == "data":
            items.extend(flow.data_items(node, name, shape.aliases))
        elif spec.role == "id":
            items.extend(flow.id_items(node, name, shape.aliases))
        elif spec.role == "value":
            key = None
            if spec.key_arg is not None and spec.key_arg < len(args):
                key = string_value(args[spec.key_arg])
                if key is None:
                    continue  # (object, callback) form: the object is another spec
            items.extend(flow.value_items(node, key or name, shape.aliases))
        elif spec.role == "queue":
            items.extend(flow.queue_items(node, name, shape.aliases))
    unique: dict[tuple[str, str], Item] = {}
    for item in items:
        unique.setdefault((item.key, item.source), item)
    return list(unique.values())


def find_data_calls(unit: Unit, info, file_vendors: set[str], catalogue, naming=None, flow=None) -> list[DataCall]:
    table = shapes()
    naming = naming or Naming(unit, table)
    flow = flow or Flow(unit, info, naming)
    found: list[DataCall] = []
    seen: set[int] = set()
    nodes = unit.nodes("call_expression", "assignment_expression", "variable_declarator")
    for node in nodes:
        if node.type == "call_expression":
            callee = node.child_by_field_name("function")
            name = naming(callee)
            if not name or name not in table.calls:
                continue
            args = arguments(node)
            for shape in table.calls[name]:
                if not _matches(shape, args):
                    continue
                vendor_id = _pick_vendor(shape, args, file_vendors, catalogue)
                if vendor_id is None:
                    continue
                items = _items(flow, shape, args)
                if not items:
                    continue
                if node.start_byte in seen:
                    for call in found:
                        if call.start == unit.host_range(node)[0]:
                            keys = {(i.key, i.source) for i in call.items}
                            call.items.extend(i for i in items if (i.key, i.source) not in keys)
                    continue
                seen.add(node.start_byte)
                start, end = unit.host_range(node)
                label = _label(name, shape, args, unit)
                found.append(DataCall(vendor_id, label, shape.what, start, end, items, unit))
        else:
            if node.type == "assignment_expression":
                left = node.child_by_field_name("left")
                value = node.child_by_field_name("right")
            else:
                left = node.child_by_field_name("name")
                value = node.child_by_field_name("value")
            if left is None or value is None:
                continue
            name = naming(left) if left.type != "identifier" else left.text.decode("utf-8", "replace")
            if not name or name not in table.assignments:
                continue
            for shape in table.assignments[name]:
                vendor_id = _pick_vendor(shape, [value], file_vendors, catalogue)
                if vendor_id is None:
                    continue
                items = _items(flow, shape, [value])
                if not items:
                    continue
                start, end = unit.host_range(node)
                found.append(DataCall(vendor_id, f"{name} = …", shape.what, start, end, items, unit))
                break
    return found
