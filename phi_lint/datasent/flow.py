"""What a JavaScript expression carries: simple, local data flow over one unit's syntax tree.

Followed: a variable assigned from a source earlier in the same function, component or module
(`const email = form.email.value`), object spread (`{...traits}`), React state bound to form
inputs (`const [symptoms, setSymptoms] = useState('')` with `value={symptoms}`), the values a
form submit handler receives, and props passed one level down (`<Tracker symptoms={symptoms}/>`
with `function Tracker({ symptoms })` in the same file). Not followed: calls into other
functions or modules, loops, reassignment through properties, anything across files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from phi_lint.datasent.sources import (
    NEGATED,
    Source,
    _short,
    classify_chain,
    classify_name,
    classify_template,
    form_name,
    is_passthrough,
    person_class,
    strongest,
    strongest_of,
    words,
)
from phi_lint.datasent.units import PLACEHOLDER, Unit

if TYPE_CHECKING:
    from tree_sitter import Node

MAX_DEPTH = 6
_WRAPPERS = {
    "parenthesized_expression", "await_expression", "as_expression", "satisfies_expression",
    "non_null_expression", "type_assertion", "template_substitution",
}
_CONSTANTS = {"number", "true", "false", "null", "undefined", "regex", "unary_expression"}
_FUNCTIONS = {
    "function_declaration", "function_expression", "function", "arrow_function", "method_definition",
    "generator_function_declaration", "generator_function",
}
_SCOPES = {"statement_block", "program", "switch_case", "switch_default", "class_body"}
_STATE_HOOKS = {
    "useState", "useReducer", "useRef", "ref", "reactive", "shallowRef", "signal", "createSignal",
    "useSignal", "writable", "useLocalStorage", "useSessionStorage", "createStore", "observable",
}
_FIELD_VALUE = {"value", "checked", "files", "valueAsDate", "valueAsNumber", "selectedOptions", "innerText", "textContent"}
_GENERIC_ELEMENTS = {
    "target", "currentTarget", "srcElement", "this", "el", "elem", "element", "input", "field", "node",
    "ref", "current", "self", "$el", "e", "event", "evt", "ev", "inputRef", "fieldRef", "control",
}
_EVENT_PARAMS = {"e", "ev", "evt", "event", "_e", "_event", "domEvent"}
_SUBMIT_CALLEES = {"handleSubmit", "onSubmit", "submit", "onFinish", "onValidSubmit", "useFormik", "withFormik"}
_SUBMIT_ATTRS = {"onSubmit", "onFinish", "onValidSubmit", "handleSubmit", "submit"}
_IDENTIFY_SETTERS = {"set", "setOnce", "add", "append", "prepend", "preInsert", "postInsert", "remove", "unset"}
_SELECTOR_CALLS = {"getElementById", "querySelector", "getElementsByName", "querySelectorAll", "$", "jQuery", "find"}


@dataclass(frozen=True)
class Item:
    """One piece of data handed to a tracker: `em` <- `{{ user.email }}` (contact)."""

    key: str
    source: str
    cls: str
    why: str = ""

    def as_dict(self) -> dict:
        return {"key": self.key, "source": self.source, "class": self.cls}


@dataclass(frozen=True)
class Def:
    kind: str  # value | state | prop | param | propparam
    node: Node | None = None
    key: str | None = None
    func: Node | None = None  # the function whose parameter this is (param, propparam)


_ELEMENT_WORDS = {"input", "field", "el", "elem", "element", "ref", "node", "box", "textarea", "select", "ctrl", "control", "dom", "txt", "tb", "inp"}


def _field_name(name: str | None) -> str | None:
    """`symptomInput` -> `symptom`, `emailRef` -> `email`: the field behind an element reference."""
    if not name:
        return name
    tokens = words(name)
    while tokens and tokens[-1] in _ELEMENT_WORDS:
        tokens.pop()
    while tokens and tokens[0] in _ELEMENT_WORDS:
        tokens.pop(0)
    return "_".join(tokens) if tokens else None


def unwrap(node):
    steps = 0
    while node is not None and node.type in _WRAPPERS and steps < 50:
        inner = [c for c in node.named_children if c.type != "comment"]
        node = inner[-1] if inner else None
        steps += 1
    return node


def string_value(node) -> str | None:
    if node is None:
        return None
    if node.type == "string":
        raw = node.text.decode("utf-8", "replace")
        return raw[1:-1] if len(raw) >= 2 else ""
    if node.type == "template_string" and not any(c.type == "template_substitution" for c in node.named_children):
        raw = node.text.decode("utf-8", "replace")
        return raw[1:-1] if len(raw) >= 2 else ""
    if node.type == "number":
        return node.text.decode("utf-8", "replace")
    return None


def arguments(call) -> list:
    args = call.child_by_field_name("arguments")
    if args is None:
        return []
    if args.type == "template_string":  # tagged template
        return []
    return [a for a in args.named_children if a.type != "comment"]


def _name(node) -> str:
    return node.text.decode("utf-8", "replace") if node is not None else ""


class Flow:
    def __init__(self, unit: Unit, info, dotted):
        self.unit = unit
        self.info = info
        self.dotted = dotted  # callee naming (imports resolved)
        self._jsx: dict[str, list] | None = None
        self._setters: set[str] | None = None
        self._active: set[tuple[int, str]] = set()

    # ------------------------------------------------------------------ helpers
    def text(self, node) -> str:
        return self.unit.node_text(node)

    def is_constant(self, node) -> bool:
        node = unwrap(node)
        if node is None:
            return True
        if node.type in _CONSTANTS:
            return True
        if node.type in ("string", "template_string"):
            if self.unit.template_of(self.text(node)):
                return False
            return not any(c.type == "template_substitution" for c in node.named_children)
        if node.type == "identifier" and _name(node) == "undefined":
            return True
        if node.type == "array":
            return all(self.is_constant(c) for c in node.named_children if c.type != "comment")
        return False

    def _template_sources(self, node, role) -> list[Source]:
        out = []
        for expression, written in self.unit.template_of(self.text(node)):
            found = classify_template(expression, role)
            if found:
                out.append(Source(_short(written), found.cls, found.why, found.whole, found.form))
        return out

    # ------------------------------------------------------------------ sources of a value
    def sources(self, node, role: str = "data", depth: int = 0) -> list[Source] | None:
        """What a value expression carries; None when its own name says it is a flag."""
        node = unwrap(node)
        if node is None or depth > MAX_DEPTH:
            return []
        kind = node.type
        if kind in _CONSTANTS:
            return []
        if kind == "string":
            return self._template_sources(node, role)
        if kind == "template_string":
            out = self._template_sources(node, role)
            for child in node.named_children:
                if child.type == "template_substitution":
                    out.extend(self.sources(child, role, depth + 1) or [])
            return out
        if kind in ("identifier", "shorthand_property_identifier"):
            return self._identifier(node, role, depth)
        if kind in ("member_expression", "subscript_expression"):
            return self._member(node, role, depth)
        if kind == "call_expression":
            return self._call(node, role, depth)
        if kind == "new_expression":
            return self._new(node, role, depth)
        if kind == "object":
            items = self.object_items(node, None, "", depth + 1)
            if not items:
                return []
            cls = strongest_of(i.cls for i in items)
            keys = ", ".join(dict.fromkeys(i.key for i in items))
            return [Source(_short(self.text(node)), cls, f"object with {keys}", whole=True)]
        if kind == "array":
            out = []
            for child in node.named_children:
                out.extend(self.sources(child, role, depth + 1) or [])
            return out
        if kind == "binary_expression":
            operator = node.child_by_field_name("operator")
            op = _name(operator) if operator is not None else ""
            if op not in ("+", "||", "??", "&&"):
                return []
            out = []
            for side in ("left", "right"):
                out.extend(self.sources(node.child_by_field_name(side), role, depth + 1) or [])
            return out
        if kind == "ternary_expression":
            out = []
            for side in ("consequence", "alternative"):
                out.extend(self.sources(node.child_by_field_name(side), role, depth + 1) or [])
            return out
        if kind == "assignment_expression":
            return self.sources(node.child_by_field_name("right"), role, depth + 1)
        if kind == "sequence_expression":
            named = node.named_children
            return self.sources(named[-1], role, depth + 1) if named else []
        if kind == "spread_element":
            named = node.named_children
            return self.sources(named[0], role, depth + 1) if named else []
        return []

    def _identifier(self, node, role, depth) -> list[Source] | None:
        name = _name(node)
        if PLACEHOLDER.fullmatch(name):
            return self._template_sources(node, role)
        match = classify_name(name)
        if match is NEGATED:
            return None
        out: list[Source] = []
        for definition in self.definitions(node, name):
            out.extend(self._from_def(definition, name, role, depth))
        if out:
            return out
        if match:
            return [Source(name, match.cls, match.term)]
        person = person_class(name)
        if person:
            return [Source(name, person, "patient record" if person == "health" else "signed-in user record", whole=True)]
        if form_name(name):
            cls, why = self.form_class(name)
            return [Source(name, cls, why, whole=True, form=True)]
        if name in self.info.bound:
            cls, why = self.form_class(name)
            return [Source(name, cls, why, whole=True, form=True)]
        return []

    def _from_def(self, definition: Def, name: str, role: str, depth: int) -> list[Source]:
        if depth > MAX_DEPTH:
            return []
        marker = (definition.node.start_byte if definition.node is not None else -1, name)
        if marker in self._active:
            return []
        self._active.add(marker)
        try:
            if definition.kind == "value":
                found = self.sources(definition.node, role, depth + 1) or []
                return [Source(_short(f"{name} ← {s.text}"), s.cls, s.why, s.whole, s.form) for s in found]
            if definition.kind == "state":
                return self._state(definition, name, depth)
            if definition.kind == "prop":
                parent = definition.node
                segments = []
                if parent is not None:
                    segments = [self.text(parent)]
                chained = classify_chain(segments + [definition.key or name], f"{name} (from {self.text(parent) if parent is not None else '?'})", role)
                return [chained] if chained else []
            if definition.kind == "propparam":
                return self._prop_values(definition.func, definition.key or name, depth)
            if definition.kind == "param":
                return self._param(definition.func, name, depth)
        finally:
            self._active.discard(marker)
        return []

    def _state(self, definition: Def, name: str, depth: int) -> list[Source]:
        init = unwrap(definition.node)
        bound = name in self.info.field_names or name in self.setters_with_input()
        match = classify_name(name)
        if init is not None and init.type == "object":
            fields = self.object_items(init, None, "", depth + 1, fields=name)
            if fields:
                cls = strongest_of(i.cls for i in fields)
                keys = ", ".join(i.key for i in fields)
                return [Source(name, cls, f"form state with {keys}", whole=True, form=True)]
            if bound or name in self.info.bound:
                cls, why = self.form_class(name)
                return [Source(name, cls, why, whole=True, form=True)]
            return []
        if bound:
            return [Source(f"{name} (form input state)", match.cls if match else "identity", f"form input {name}", form=True)]
        return [Source(name, match.cls, match.term)] if match and match is not NEGATED else []

    def setters_with_input(self) -> set[str]:
        """State names whose setter receives an input's value: setSymptoms(e.target.value)."""
        if self._setters is None:
            names = set()
            for call in self.unit.nodes("call_expression"):
                callee = call.child_by_field_name("function")
                if callee is None or callee.type != "identifier":
                    continue
                setter = _name(callee)
                if not setter.startswith("set") or len(setter) < 4:
                    continue
                args = arguments(call)
                if args and ".target" in self.text(args[0]):
                    state = setter[3].lower() + setter[4:]
                    names.add(state)
            self._setters = names
        return self._setters

    def _member(self, node, role, depth) -> list[Source] | None:
        segments, root = self.chain(node)
        text = self.text(node)
        if not segments:
            return []
        last = segments[-1]
        if last in _FIELD_VALUE and len(segments) >= 2:
            field = _field_name(self.field_of(node))
            match = classify_name(field) if field else None
            if match is NEGATED:
                return None
            if match:
                return [Source(_short(text), match.cls, f"form field {field}", form=True)]
            return [Source(_short(text), "identity", "form field value", form=True)]
        match = classify_name(last)
        if match is NEGATED:
            return None
        prop_index = None
        if segments[0] == "props":
            prop_index = 1
        elif segments[:2] == ["this", "props"]:
            prop_index = 2
        if prop_index is not None and len(segments) > prop_index:
            func = self._enclosing_component(node)
            if func is not None:
                found = self._prop_values(func, segments[prop_index], depth)
                if found:
                    return found
        owner = ".".join(segments[:-1])
        whole = ".".join(segments[1:]) if segments[0] == "this" else ".".join(segments)
        if whole in self.info.bound and len(segments) <= 3:
            cls, why = self.form_class(whole)
            return [Source(_short(text), cls, why, whole=True, form=True)]
        if owner in self.info.bound or (segments[0] == "this" and ".".join(segments[1:-1]) in self.info.bound):
            return [Source(_short(text), match.cls if match else "identity", f"form field {last}", form=True)]
        chained = classify_chain(segments, text, role)
        if chained:
            return [chained]
        if root is not None and root.type == "identifier" and len(segments) == 2:
            for definition in self.definitions(root, segments[0]):
                if definition.kind == "param" and self._is_submit_handler(definition.func) and segments[0] not in _EVENT_PARAMS:
                    return [Source(_short(text), match.cls if match else "identity", f"submitted form field {last}", form=True)]
        return []

    def chain(self, node) -> tuple[list[str], Node | None]:
        """a.b['c'].d -> ([a, b, c, d], node of a); calls in the chain keep their name."""
        parts: list[str] = []
        steps = 0
        while node is not None and steps < 64:
            steps += 1
            kind = node.type
            if kind == "member_expression":
                prop = node.child_by_field_name("property")
                parts.append(_name(prop))
                node = node.child_by_field_name("object")
            elif kind == "subscript_expression":
                index = node.child_by_field_name("index")
                value = string_value(index)
                parts.append(value if value is not None else "")
                node = node.child_by_field_name("object")
            elif kind == "call_expression":
                callee = node.child_by_field_name("function")
                if callee is not None and callee.type == "member_expression":
                    parts.append(_name(callee.child_by_field_name("property")))
                    node = callee.child_by_field_name("object")
                elif callee is not None and callee.type == "identifier":
                    parts.append(_name(callee))
                    node = None
                else:
                    node = None
            elif kind in ("parenthesized_expression", "non_null_expression", "as_expression"):
                named = node.named_children
                node = named[0] if named else None
            elif kind in ("identifier", "this", "property_identifier", "shorthand_property_identifier"):
                parts.append(_name(node))
                parts.reverse()
                return parts, node
            else:
                break
        parts.reverse()
        return parts, None

    def field_of(self, value_node) -> str | None:
        """The name of the form field whose .value is read."""
        obj = value_node.child_by_field_name("object") if value_node.type == "member_expression" else None
        steps = 0
        while obj is not None and steps < 8:
            steps += 1
            obj = unwrap(obj)
            if obj is None:
                return None
            if obj.type == "member_expression":
                prop = _name(obj.child_by_field_name("property"))
                if prop not in _GENERIC_ELEMENTS and prop not in ("elements", "form", "controls"):
                    return prop
                obj = obj.child_by_field_name("object")
                continue
            if obj.type == "subscript_expression":
                value = string_value(obj.child_by_field_name("index"))
                if value:
                    return value
                obj = obj.child_by_field_name("object")
                continue
            if obj.type == "call_expression":
                return self._selector_name(obj)
            if obj.type == "identifier":
                name = _name(obj)
                for definition in self.definitions(obj, name):
                    if definition.kind == "value":
                        inner = unwrap(definition.node)
                        if inner is not None and inner.type == "call_expression":
                            found = self._selector_name(inner)
                            if found:
                                return found
                return None if name in _GENERIC_ELEMENTS else name
            return None
        return None

    def _selector_name(self, call) -> str | None:
        callee = call.child_by_field_name("function")
        name = self.dotted(callee) or ""
        last = name.rsplit(".", 1)[-1]
        if last not in _SELECTOR_CALLS and last not in ("item", "namedItem"):
            if callee is not None and callee.type == "member_expression":
                inner = callee.child_by_field_name("object")
                if inner is not None and inner.type == "call_expression":
                    return self._selector_name(inner)
            return None
        args = arguments(call)
        value = string_value(args[0]) if args else None
        if not value:
            return None
        import re

        match = re.search(r"""name\s*=\s*['"]?([\w\-\[\]]+)|#([\w\-]+)|\.([\w\-]+)|^([\w\-]+)$""", value.strip())
        if not match:
            return None
        return next(g for g in match.groups() if g)

    def _call(self, node, role, depth) -> list[Source] | None:
        callee = node.child_by_field_name("function")
        args = arguments(node)
        name = self.dotted(callee) or ""
        last = name.rsplit(".", 1)[-1] if name else (_name(callee.child_by_field_name("property")) if callee is not None and callee.type == "member_expression" else "")
        text = _short(self.text(node))
        if name in ("Object.fromEntries", "Object.assign", "JSON.parse", "structuredClone", "Object.entries", "Array.from", "Object.values"):
            out = []
            for arg in args:
                out.extend(self.sources(arg, role, depth + 1) or [])
            return out
        if last in ("get", "getAll") and args:
            key = string_value(args[0])
            if key:
                match = classify_name(key)
                if match is NEGATED:
                    return None
                obj = callee.child_by_field_name("object") if callee is not None and callee.type == "member_expression" else None
                formish = obj is not None and (form_name(_name(obj)) or "FormData" in self.text(obj) or "param" in _name(obj).lower())
                if match:
                    return [Source(text, match.cls, f"form field {key}", form=bool(formish))]
                if formish:
                    return [Source(text, "identity", f"form field {key}", form=True)]
            return []
        if last == "val" and callee is not None and callee.type == "member_expression":
            field = self._selector_name(unwrap(callee.child_by_field_name("object"))) if unwrap(callee.child_by_field_name("object")) is not None and unwrap(callee.child_by_field_name("object")).type == "call_expression" else None
            field = _field_name(field)
            match = classify_name(field) if field else None
            if match is NEGATED:
                return None
            return [Source(text, match.cls if match else "identity", f"form field {field}" if field else "form field value", form=True)]
        if last in ("serialize", "serializeArray", "serializeJSON", "serializeObject", "formToJSON", "getFieldsValue", "getValues") and not (last == "getValues" and args):
            cls, why = self.form_class(None)
            return [Source(text, cls, why, whole=True, form=True)]
        if last == "getValues" and args:
            key = string_value(args[0])
            match = classify_name(key) if key else None
            if match is NEGATED:
                return None
            return [Source(text, match.cls if match else "identity", f"form field {key}", form=True)]
        if name and (is_passthrough(name) or is_passthrough(last)):
            out = []
            if callee is not None and callee.type == "member_expression" and not is_passthrough(name):
                out.extend(self.sources(callee.child_by_field_name("object"), role, depth + 1) or [])
            for arg in args:
                out.extend(self.sources(arg, role, depth + 1) or [])
            hashed = last.lower() in ("sha256", "sha1", "md5", "hash", "hashed", "digest", "sha256hex", "hashemail")
            return [Source(_short(s.text if not hashed else text), s.cls, s.why + (" (hashed)" if hashed else ""), s.whole, s.form) for s in out]
        if last:
            stripped = last
            for prefix in ("get", "fetch", "read", "load", "use", "current", "select"):
                if stripped.lower().startswith(prefix) and len(stripped) > len(prefix) and stripped[len(prefix)].isupper():
                    stripped = stripped[len(prefix):]
                    break
            match = classify_name(stripped)
            if match is NEGATED:
                return None
            if match and stripped != last:
                return [Source(text, match.cls, match.term)]
            person = person_class(stripped) if stripped != last or last in ("currentUser", "currentPatient") else None
            if person:
                return [Source(text, person, "patient record" if person == "health" else "signed-in user record", whole=True)]
        if callee is not None and callee.type == "member_expression" and last in ("trim", "toLowerCase", "toUpperCase", "toString", "normalize", "slice", "substring", "replace", "split", "join", "concat"):
            return self.sources(callee.child_by_field_name("object"), role, depth + 1)
        return []

    def _new(self, node, role, depth) -> list[Source]:
        constructor = node.child_by_field_name("constructor")
        name = self.dotted(constructor) or ""
        args = arguments(node)
        if name.endswith("FormData"):
            form = args[0] if args else None
            form_text = _name(unwrap(form)) if form is not None else None
            cls, why = self.form_class(form_text if form_text and form_text not in _GENERIC_ELEMENTS else None)
            return [Source(_short(self.text(node)), cls, why, whole=True, form=True)]
        if name.endswith("URLSearchParams"):
            out = []
            for arg in args:
                out.extend(self.sources(arg, role, depth + 1) or [])
            return out
        return []

    def form_class(self, name: str | None) -> tuple[str, str]:
        """The class of a whole form: by its name, its bound fields, or the page's fields."""
        if name:
            match = classify_name(name)
            if match and match is not NEGATED:
                return match.cls, f"form {name}"
            fields = self.info.bound.get(name) or self.info.bound.get(name.replace("this.", ""))
            if fields:
                classes = [(classify_name(f), f) for f in fields]
                found = [(m.cls, f) for m, f in classes if m and m is not NEGATED]
                if found:
                    cls = strongest_of(c for c, _f in found)
                    return cls, "form fields " + ", ".join(f for c, f in found if c == cls)
        found = []
        for field in dict.fromkeys(self.info.field_names):
            match = classify_name(field)
            if match and match is not NEGATED:
                found.append((match.cls, field))
        if found:
            cls = strongest_of(c for c, _f in found)
            return cls, "form with fields " + ", ".join(f for c, f in found if c == cls)
        return "identity", "form values"

    # ------------------------------------------------------------------ definitions
    def definitions(self, at, name: str) -> list[Def]:
        """Where `name`, used at node `at`, gets its value: the nearest enclosing scope wins."""
        position = at.start_byte
        node = at
        steps = 0
        while node is not None and steps < 400:
            steps += 1
            parent = node.parent
            if parent is None:
                break
            if parent.type in _SCOPES:
                found = []
                for statement in parent.named_children:
                    if statement.start_byte >= position:
                        break
                    found.extend(self._declared_in(statement, name, position))
                if found:
                    return found
            elif parent.type in _FUNCTIONS:
                param = self._param_def(parent, name)
                if param:
                    return [param]
            node = parent
        return []

    def _declared_in(self, statement, name: str, position: int) -> list[Def]:
        kind = statement.type
        if kind == "export_statement":
            declaration = statement.child_by_field_name("declaration")
            return self._declared_in(declaration, name, position) if declaration is not None else []
        if kind in ("lexical_declaration", "variable_declaration"):
            out = []
            for declarator in statement.named_children:
                if declarator.type != "variable_declarator":
                    continue
                target = declarator.child_by_field_name("name")
                value = declarator.child_by_field_name("value")
                if target is None:
                    continue
                if target.type == "identifier" and _name(target) == name:
                    if value is not None and not (value.start_byte <= position < value.end_byte):
                        out.append(Def("value", value))
                elif target.type == "array_pattern":
                    elements = [e for e in target.named_children if e.type != "comment"]
                    if elements and elements[0].type == "identifier" and _name(elements[0]) == name:
                        call = unwrap(value)
                        if call is not None and call.type == "call_expression":
                            hook = (self.dotted(call.child_by_field_name("function")) or "").rsplit(".", 1)[-1]
                            if hook in _STATE_HOOKS:
                                args = arguments(call)
                                out.append(Def("state", args[0] if args else None))
                elif target.type == "object_pattern":
                    for child in target.named_children:
                        if child.type == "shorthand_property_identifier_pattern" and _name(child) == name:
                            out.append(Def("prop", value, key=name))
                        elif child.type == "pair_pattern":
                            key = child.child_by_field_name("key")
                            local = child.child_by_field_name("value")
                            if local is not None and local.type == "identifier" and _name(local) == name:
                                out.append(Def("prop", value, key=_name(key)))
            return out
        if kind == "expression_statement":
            expression = statement.named_children[0] if statement.named_children else None
            if expression is not None and expression.type == "assignment_expression":
                left = expression.child_by_field_name("left")
                if left is not None and left.type == "identifier" and _name(left) == name:
                    right = expression.child_by_field_name("right")
                    if right is not None and not (right.start_byte <= position < right.end_byte):
                        return [Def("value", right)]
        return []

    def _param_def(self, func, name: str) -> Def | None:
        params = func.child_by_field_name("parameters")
        if params is None:
            single = func.child_by_field_name("parameter")
            if single is not None and single.type == "identifier" and _name(single) == name:
                return Def("param", single, func=func)
            return None
        for param in params.named_children:
            pattern = param
            if param.type in ("required_parameter", "optional_parameter"):
                pattern = param.child_by_field_name("pattern") or param
            if pattern.type == "assignment_pattern":
                pattern = pattern.child_by_field_name("left") or pattern
            if pattern.type == "identifier" and _name(pattern) == name:
                return Def("param", pattern, func=func)
            if pattern.type == "object_pattern":
                for child in pattern.named_children:
                    node = child
                    if child.type == "object_assignment_pattern":
                        node = child.child_by_field_name("left") or child
                    if node.type == "shorthand_property_identifier_pattern" and _name(node) == name:
                        return Def("propparam", node, key=name, func=func)
                    if child.type == "pair_pattern":
                        value = child.child_by_field_name("value")
                        if value is not None and value.type == "identifier" and _name(value) == name:
                            return Def("propparam", value, key=_name(child.child_by_field_name("key")), func=func)
        return None

    def _param(self, func, name: str, depth: int) -> list[Source]:
        if name in _EVENT_PARAMS:
            return []
        if self._is_submit_handler(func):
            cls, why = self.form_class(None)
            return [Source(name, cls, "submitted form values" if why == "form values" else why, whole=True, form=True)]
        return []

    def _is_submit_handler(self, func) -> bool:
        parent = func.parent
        if parent is None:
            return False
        if parent.type == "arguments":
            call = parent.parent
            if call is not None and call.type == "call_expression":
                callee = (self.dotted(call.child_by_field_name("function")) or "").rsplit(".", 1)[-1]
                return callee in _SUBMIT_CALLEES
        if parent.type == "jsx_expression":
            attribute = parent.parent
            if attribute is not None and attribute.type == "jsx_attribute" and attribute.named_children:
                return _name(attribute.named_children[0]) in _SUBMIT_ATTRS
        if parent.type == "pair":
            return _name(parent.child_by_field_name("key")).strip("'\"") in _SUBMIT_ATTRS
        if func.type == "method_definition":
            return _name(func.child_by_field_name("name")) in _SUBMIT_ATTRS
        return False

    # ------------------------------------------------------------------ props one level down
    def _enclosing_component(self, node):
        current = node.parent
        steps = 0
        while current is not None and steps < 200:
            steps += 1
            if current.type in _FUNCTIONS or current.type == "class_declaration":
                if self._component_name(current):
                    return current
            current = current.parent
        return None

    def _component_name(self, func) -> str | None:
        if func.type in ("function_declaration", "class_declaration"):
            name = func.child_by_field_name("name")
            return _name(name) if name is not None else None
        if func.type == "method_definition":
            cls = func.parent.parent if func.parent is not None else None
            if cls is not None and cls.type == "class_declaration":
                return self._component_name(cls)
            return None
        parent = func.parent
        if parent is not None and parent.type == "variable_declarator":
            name = parent.child_by_field_name("name")
            return _name(name) if name is not None and name.type == "identifier" else None
        if parent is not None and parent.type == "arguments":  # memo(function X(){}), forwardRef(...)
            call = parent.parent
            if call is not None and call.parent is not None and call.parent.type == "variable_declarator":
                name = call.parent.child_by_field_name("name")
                return _name(name) if name is not None else None
        return None

    def jsx_elements(self) -> dict[str, list]:
        if self._jsx is None:
            index: dict[str, list] = {}
            for element in self.unit.nodes("jsx_opening_element", "jsx_self_closing_element"):
                name = element.child_by_field_name("name")
                if name is not None:
                    index.setdefault(_name(name), []).append(element)
            self._jsx = index
        return self._jsx

    def _prop_values(self, func, prop: str, depth: int) -> list[Source]:
        component = self._component_name(func)
        if not component or depth > MAX_DEPTH - 2:
            return []
        out: list[Source] = []
        for element in self.jsx_elements().get(component, [])[:10]:
            for attribute in element.named_children:
                if attribute.type != "jsx_attribute" or not attribute.named_children:
                    continue
                if _name(attribute.named_children[0]) != prop or len(attribute.named_children) < 2:
                    continue
                value = attribute.named_children[-1]
                if value.type == "jsx_expression":
                    inner = [c for c in value.named_children if c.type != "comment"]
                    if inner:
                        for found in self.sources(inner[0], "data", depth + 2) or []:
                            out.append(Source(_short(f"{prop} ← <{component} {prop}={{{found.text}}}>"), found.cls, found.why, found.whole, found.form))
        return out

    # ------------------------------------------------------------------ objects as data
    def object_items(self, obj, aliases, prefix: str, depth: int, fields: str | None = None) -> list[Item]:
        items: list[Item] = []
        if depth > MAX_DEPTH:
            return items
        for child in obj.named_children:
            kind = child.type
            if kind == "pair":
                key = self.key_text(child.child_by_field_name("key"))
                if key is None:
                    continue
                items.extend(self.pair_items(prefix + key, key, child.child_by_field_name("value"), aliases, depth, fields))
            elif kind == "shorthand_property_identifier":
                key = _name(child)
                items.extend(self.pair_items(prefix + key, key, child, aliases, depth, fields))
            elif kind == "spread_element":
                inner = child.named_children[0] if child.named_children else None
                if inner is not None:
                    items.extend(self.data_items(inner, "..." + _short(self.text(inner), 40), aliases, depth + 1))
        return items

    def key_text(self, node) -> str | None:
        if node is None:
            return None
        if node.type in ("property_identifier", "identifier", "number"):
            return _name(node)
        if node.type == "string":
            return string_value(node)
        return None

    def pair_items(self, full_key, key, value, aliases, depth, fields: str | None = None) -> list[Item]:
        match = classify_name(key, aliases)
        if match is NEGATED:
            # a flag about a field (email_opt_in, has_email): only a value that is itself
            # personal data counts
            match = None
            fields = None
        node = unwrap(value)
        if node is None:
            return []
        if node.type == "object":
            return self.object_items(node, aliases, full_key + ".", depth + 1)
        if node.type == "array" and not self.is_constant(node):
            out = []
            for element in node.named_children:
                out.extend(self.pair_items(full_key, key, element, aliases, depth + 1))
            return out
        if self.is_constant(node):
            if fields and match:
                return [Item(full_key, f"{fields}.{key}", match.cls, match.term)]
            return []
        if node.type in _FUNCTIONS:
            return []
        found = self.sources(node, "data", depth + 1)
        if found is None:
            return []
        classes = [match.cls if match else None] + [s.cls for s in found]
        cls = strongest(classes)
        if not cls:
            return []
        best = max(found, key=lambda s: (s.cls == cls, len(s.why)), default=None)
        source = best.text if best else _short(self.text(node))
        why = match.term if match else (best.why if best else "")
        return [Item(full_key, source, cls, why)]

    def data_items(self, node, name: str, aliases, depth: int = 0) -> list[Item]:
        """Role "data": an object of properties, an object built elsewhere, or a whole record."""
        node = unwrap(node)
        if node is None or depth > MAX_DEPTH:
            return []
        if node.type == "object":
            return self.object_items(node, aliases, "", depth + 1)
        if node.type in _FUNCTIONS or self.is_constant(node):
            return []
        if node.type == "identifier":
            ident = _name(node)
            for definition in self.definitions(node, ident):
                if definition.kind == "value":
                    value = unwrap(definition.node)
                    if value is not None and value.type == "object":
                        items = self.object_items(value, aliases, "", depth + 1)
                        if items:
                            return [Item(i.key, _short(f"{ident}.{i.key} ← {i.source}") if not i.source.startswith(ident) else i.source, i.cls, i.why) for i in items]
                elif definition.kind == "state":
                    init = unwrap(definition.node)
                    if init is not None and init.type == "object":
                        items = self.object_items(init, aliases, "", depth + 1, fields=ident)
                        if items:
                            return items
        identify = self.identify_items(node, aliases, depth)
        if identify is not None:
            return identify
        found = self.sources(node, "data", depth + 1)
        if not found:
            return []
        cls = strongest_of(s.cls for s in found)
        best = next(s for s in found if s.cls == cls)
        return [Item(name, best.text, cls, best.why)]

    def identify_items(self, node, aliases, depth: int) -> list[Item] | None:
        """Amplitude-style builders: `new Identify().set('k', v)`, or `ev.set(...)` on one."""
        items: list[Item] = []
        current = unwrap(node)
        steps = 0
        while current is not None and current.type == "call_expression" and steps < 50:
            steps += 1
            callee = current.child_by_field_name("function")
            if callee is None or callee.type != "member_expression":
                return None
            if _name(callee.child_by_field_name("property")) not in _IDENTIFY_SETTERS:
                return None
            items.extend(self._setter_items(current, aliases, depth))
            current = unwrap(callee.child_by_field_name("object"))
        if current is None:
            return None
        if current.type == "new_expression":
            return items if self._is_identify(current) else None
        if current.type == "identifier":
            name = _name(current)
            for definition in self.definitions(current, name):
                value = unwrap(definition.node) if definition.kind == "value" else None
                if value is None:
                    continue
                inner = self.identify_items(value, aliases, depth + 1)
                if inner is None:
                    continue
                items.extend(inner)
                for call in self.unit.nodes("call_expression"):
                    if call.start_byte >= node.start_byte:
                        continue
                    callee = call.child_by_field_name("function")
                    if callee is None or callee.type != "member_expression":
                        continue
                    obj = callee.child_by_field_name("object")
                    if obj is None or obj.type != "identifier" or _name(obj) != name:
                        continue
                    if _name(callee.child_by_field_name("property")) in _IDENTIFY_SETTERS:
                        items.extend(self._setter_items(call, aliases, depth))
                return items
        return None

    def _is_identify(self, new_node) -> bool:
        constructor = new_node.child_by_field_name("constructor")
        return (self.dotted(constructor) or "").rsplit(".", 1)[-1] == "Identify"

    def _setter_items(self, call, aliases, depth) -> list[Item]:
        args = arguments(call)
        key = string_value(args[0]) if args else None
        if not key or len(args) < 2:
            return []
        return self.pair_items(key, key, args[1], aliases, depth + 1)

    def id_items(self, node, name: str, aliases, depth: int = 0) -> list[Item]:
        """Role "id": the identity given to an identify call."""
        node = unwrap(node)
        if node is None or self.is_constant(node) or node.type in _FUNCTIONS:
            return []
        if node.type == "object":
            return self.object_items(node, aliases, "", depth + 1)
        found = self.sources(node, "id", depth + 1)
        if not found:
            return []
        cls = strongest_of(s.cls for s in found)
        best = next(s for s in found if s.cls == cls)
        return [Item(name, best.text, cls, best.why)]

    def value_items(self, node, key: str, aliases, depth: int = 0) -> list[Item]:
        """Role "value": one value stored under a key (`ga('set', 'userId', x)`)."""
        return self.pair_items(key, key, node, aliases, depth)

    def queue_items(self, node, name: str, aliases, depth: int = 0) -> list[Item]:
        """Role "queue": command arrays (`['identify', {...}]`, `['setUserId', x]`) or objects."""
        node = unwrap(node)
        if node is None or depth > MAX_DEPTH:
            return []
        if node.type == "identifier":
            for definition in self.definitions(node, _name(node)):
                if definition.kind == "value":
                    value = unwrap(definition.node)
                    if value is not None and value.type in ("array", "object"):
                        return self.queue_items(value, name, aliases, depth + 1)
            return self.data_items(node, name, aliases, depth + 1)
        if node.type == "object":
            return self.object_items(node, aliases, "", depth + 1)
        if node.type == "array":
            items: list[Item] = []
            method = None
            last_key = None
            for i, element in enumerate(e for e in node.named_children if e.type != "comment"):
                element = unwrap(element)
                if element is None:
                    continue
                value = string_value(element) if element.type in ("string", "template_string") else None
                if value is not None and not self.unit.template_of(value):
                    if i == 0:
                        method = value
                    last_key = value
                    continue
                if element.type == "object":
                    items.extend(self.object_items(element, aliases, "", depth + 1))
                elif element.type == "array":
                    items.extend(self.queue_items(element, name, aliases, depth + 1))
                elif not self.is_constant(element):
                    key = last_key or method or name
                    items.extend(self.pair_items(key, key, element, aliases, depth + 1))
            return items
        if self.is_constant(node):
            return []
        return self.data_items(node, name, aliases, depth + 1)
