"""Route configs of single-page-app routers (Vue Router, React Router, Angular): the routes a
module declares, the components they render, the guards on them, and where those components sit
in the app (its entry module and HTML shell, or a parent route).

A route config is read once per file from the file's shared tree (`routes_of`), and the same
table serves three stages: the page-graph import edges leave out components that a router file
names only as routes (phi_lint.pagegraph.jsimports), the SPA router framework turns routes into
entry and layout edges and guards into labels (phi_lint.frameworks.spa_router). Route components
are the ones a router config names: `component: X`, `component: () => import('./views/X.vue')`,
`element: <X/>`, `<Route element={<X/>}>`, `lazy(() => import(...))`, Angular `loadComponent`.
"""

from __future__ import annotations

import posixpath
import re
from collections import deque
from dataclasses import dataclass, field
from functools import lru_cache

from phi_lint import frameworks_data
from phi_lint.frameworks.jsguards import guard_names_authish, name_is_authish, redirects_to_login
from phi_lint.lang.javascript import Script, dialect_for, language_for
from phi_lint.lazyre import lazy_pattern
from phi_lint.pagegraph import jsmodules
from phi_lint.pagegraph.model import Edge
from phi_lint.parsers.template_comments import blank_html_comments

_MAX_DESCENDANTS = 400

# --------------------------------------------------------------------------- names

_ROUTE_HINT = lazy_pattern(
    r"<Route\b|\broutes\s*[:=(]|\bchildren\s*:|\b(?:component|Component|element)\s*:|loadChildren|loadComponent|createRouter|"
    r"create(?:Browser|Hash|Memory)Router|createRoutesFromElements|RouterModule|provideRouter|useRoutes|"
    r":\s*Routes\b|RouteObject|RouteRecordRaw|new\s+(?:Vue)?Router\b"
)
# the word is looked for in a lookahead: `with\w*(?:auth…)\w*$` tried every split of a long name
@frameworks_data.derived
def auth_hoc():
    """Higher-order components that admit signed-in users only (`auth-hoc-patterns` of
    rules/frameworks/spa-router.toml), as one regex, any case, that a name must match in full."""
    return frameworks_data.pattern("spa-router", "auth-hoc-patterns", re.IGNORECASE)


# (exact names, any case; name shapes, matched in full, any case) of rules/frameworks/spa-router.toml
_NAMED_OR_SHAPED = {
    "auth-meta-key": ("auth-meta-keys", "auth-meta-key-patterns"),
    "guard-component": ("guard-components", "guard-component-patterns"),
}


@frameworks_data.derived
def _named_or_shaped() -> dict[str, tuple[frozenset[str], re.Pattern]]:
    return {kind: (frozenset(n.lower() for n in frameworks_data.names("spa-router", names)),
                   frameworks_data.pattern("spa-router", patterns, re.IGNORECASE))
            for kind, (names, patterns) in _NAMED_OR_SHAPED.items()}


def _is(kind: str, name: str) -> bool:
    exact, shapes = _named_or_shaped()[kind]
    return name.lower() in exact or bool(shapes.fullmatch(name))


def is_auth_meta_key(key: str) -> bool:
    """A route meta / data / handle key that requires login."""
    return _is("auth-meta-key", key)


def is_guard_component(name: str) -> bool:
    """A component that renders its children only for a signed-in user (`Auth.Guard` by its last part)."""
    return _is("guard-component", name.split(".")[-1])


# --------------------------------------------------------------------------- route analysis


@dataclass(frozen=True)
class Ref:
    """A component named by a route: a local binding or a module specifier."""

    binding: str | None
    spec: str | None
    line: int
    guard: bool = False  # a guard wrapper (rendered on the route, but not the route's page)


@dataclass
class Route:
    path: str | None
    line: int
    label: str = "route"  # "route `/x`", "index route" or "layout route"
    refs: list[Ref] = field(default_factory=list)
    auth: tuple[str, int] | None = None  # (evidence, line), own or inherited from a parent route
    parent: int | None = None
    child_modules: list[Ref] = field(default_factory=list)
    flags: frozenset[str] = frozenset()  # route meta/data/handle keys set to true
    flag_line: int = 0


@dataclass(frozen=True)
class Binding:
    spec: str | None  # module specifier it comes from
    imported: str | None  # the exported name ("default" for default imports)
    inner: str | None = None  # HOC: the wrapped binding
    hoc_auth: tuple[str, int] | None = None


@dataclass
class RouteAnalysis:
    routes: list[Route]
    bindings: dict[str, Binding]
    route_only: frozenset[str]


_EMPTY = RouteAnalysis([], {}, frozenset())


def node_text(node) -> str:
    return node.text.decode("utf-8", "replace")


def node_string(node) -> str | None:
    if node is None:
        return None
    if node.type == "string":
        raw = node_text(node)
        return raw[1:-1] if len(raw) >= 2 else ""
    if node.type == "template_string" and not any(c.type == "template_substitution" for c in node.named_children):
        raw = node_text(node)
        return raw[1:-1] if len(raw) >= 2 else ""
    return None


def _unwrap(node):
    """Strip parentheses, `as`/`satisfies` casts and non-null assertions."""
    for _ in range(20):
        if node is None:
            return None
        if node.type in ("parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression", "type_assertion"):
            if not node.named_children:
                return node
            node = node.named_children[0]
            continue
        return node
    return node


def _descendants(node, limit: int = _MAX_DESCENDANTS):
    stack = [node]
    count = 0
    while stack and count < limit:
        current = stack.pop()
        count += 1
        yield current
        stack.extend(reversed(current.named_children))


def _import_call(node):
    """The first dynamic import() call inside node: (spec, call node)."""
    for current in _descendants(node):
        if current.type == "call_expression":
            callee = current.child_by_field_name("function")
            if callee is not None and callee.type == "import":
                args = current.child_by_field_name("arguments")
                first = args.named_children[0] if args is not None and args.named_children else None
                spec = node_string(first)
                if spec is not None:
                    return spec, current
    return None


def _jsx_name(element) -> tuple[str | None, list]:
    """Name text of a JSX element and its name nodes (opening and closing)."""
    if element.type == "jsx_self_closing_element":
        name = element.child_by_field_name("name")
        return (node_text(name) if name is not None else None), [name] if name is not None else []
    opening = element.child_by_field_name("open_tag")
    closing = element.child_by_field_name("close_tag")
    name = opening.child_by_field_name("name") if opening is not None else None
    nodes = [n for n in (name, closing.child_by_field_name("name") if closing is not None else None) if n is not None]
    return (node_text(name) if name is not None else None), nodes


def _jsx_attributes(element) -> dict:
    holder = element if element.type == "jsx_self_closing_element" else element.child_by_field_name("open_tag")
    attrs: dict = {}
    if holder is None:
        return attrs
    for attribute in holder.named_children:
        if attribute.type != "jsx_attribute" or not attribute.named_children:
            continue
        key = node_text(attribute.named_children[0])
        value = attribute.named_children[1] if len(attribute.named_children) > 1 else None
        if value is not None and value.type == "jsx_expression":
            value = value.named_children[0] if value.named_children else None
        attrs[key] = value
    return attrs


def _is_route_element(name: str | None) -> bool:
    if not name:
        return False
    last = name.split(".")[-1]
    return last == "Route" or (last.endswith("Route") and last != "Routes" and last[0].isupper())


def _is_component_name(name: str | None) -> bool:
    return name is not None and bool(name) and name[0].isupper() and "." not in name and name not in frameworks_data.name_set("spa-router", "router-elements") and name.isidentifier()


def _label(path: str | None, index: bool) -> str:
    if path is not None:
        return f"route `{path}`"
    return "index route" if index else "layout route"


class _Walker:
    def __init__(self, functions: dict[str, str]):
        self.functions = functions  # local function name -> its code (for loaders and guards)
        self.routes: list[Route] = []
        self.route_uses: dict[str, int] = {}  # binding -> identifier nodes consumed in route positions
        self.route_imports: set[int] = set()  # start bytes of import() calls in route positions

    def use(self, node) -> None:
        name = node_text(node)
        self.route_uses[name] = self.route_uses.get(name, 0) + 1

    # -- component references ------------------------------------------------

    def expr_refs(self, node) -> list[Ref]:
        node = _unwrap(node)
        if node is None:
            return []
        if node.type == "identifier":
            self.use(node)
            return [Ref(node_text(node), None, node.start_point[0] + 1)]
        if node.type in ("jsx_element", "jsx_self_closing_element"):
            refs, _, _ = self.jsx_refs(node)
            return refs
        found = _import_call(node)
        if found is not None:
            spec, call = found
            self.route_imports.add(call.start_byte)
            return [Ref(None, spec, call.start_point[0] + 1)]
        if node.type == "call_expression":  # lazy(Component) and friends: look for the identifier
            args = node.child_by_field_name("arguments")
            for arg in args.named_children if args is not None else []:
                if arg.type == "identifier":
                    self.use(arg)
                    return [Ref(node_text(arg), None, arg.start_point[0] + 1)]
        return []

    def jsx_refs(self, node):
        """(refs, guard evidence, nested Route elements) of a JSX tree rendered by a route."""
        refs: list[Ref] = []
        guard = None
        nested = []
        stack = [node]
        count = 0
        while stack and count < _MAX_DESCENDANTS:
            current = stack.pop()
            count += 1
            if current.type in ("jsx_element", "jsx_self_closing_element"):
                name, name_nodes = _jsx_name(current)
                if current is not node and _is_route_element(name):
                    nested.append(current)
                    continue
                if name and is_guard_component(name):
                    guard = guard or (name, current.start_point[0] + 1)
                    if name.isidentifier():
                        for n in name_nodes:
                            self.use(n)
                        refs.append(Ref(name, None, current.start_point[0] + 1, guard=True))
                elif _is_component_name(name):
                    for n in name_nodes:
                        self.use(n)
                    refs.append(Ref(name, None, current.start_point[0] + 1))
            stack.extend(reversed(current.named_children))
        return refs, guard, nested

    # -- guards ----------------------------------------------------------------

    def loader_auth(self, node) -> str | None:
        node = _unwrap(node)
        if node is None:
            return None
        if node.type == "identifier":
            name = node_text(node)
            body = self.functions.get(name)
            if body is not None:
                where = redirects_to_login(body)
                if where:
                    return f"a `loader` ({name}) that redirects to {where}"
            if name_is_authish(name) and re.search(r"(?i)require|protect|ensure|auth", name):
                return f"`loader: {name}`"
            return None
        code = node_text(node)
        where = redirects_to_login(code)
        if where:
            return f"a `loader` that redirects to {where}"
        call = re.search(r"\b((?:require|ensure)(?:Auth|User|UserId|Session|Login|SignedIn)\w*)\s*\(", code)
        if call:
            return f"a `loader` that calls `{call.group(1)}()`"
        return None

    # -- routes ----------------------------------------------------------------

    def add(self, route: Route, inherited) -> int:
        if route.auth is None and inherited is not None:
            route.auth = inherited
        self.routes.append(route)
        return len(self.routes) - 1

    def route_object(self, node, pairs: dict, inherited, parent, stack) -> None:
        path = node_string(pairs.get("path"))
        line = node.start_point[0] + 1
        label = _label(path, "index" in pairs)
        route = Route(path, line, label, parent=parent)
        auth = None
        for key in ("component", "Component", "loadComponent", "lazy"):
            if key in pairs:
                route.refs.extend(self.expr_refs(pairs[key]))
        components = _unwrap(pairs.get("components"))
        if components is not None and components.type == "object":
            for pair in components.named_children:
                if pair.type == "pair":
                    route.refs.extend(self.expr_refs(pair.child_by_field_name("value")))
                elif pair.type == "shorthand_property_identifier":
                    self.use(pair)
                    route.refs.append(Ref(node_text(pair), None, pair.start_point[0] + 1))
        if "element" in pairs:
            element = _unwrap(pairs["element"])
            if element is not None:
                refs, guard, nested = self.jsx_refs(element) if element.type.startswith("jsx") else (self.expr_refs(element), None, [])
                route.refs.extend(refs)
                if guard:
                    auth = (f"React Router {label} renders inside `<{guard[0]}>`", guard[1])
        sources: list[tuple[dict, str | None]] = [(pairs, None)]
        for container in ("handle", "data", "meta"):  # React Router, Angular, Vue Router
            holder = _unwrap(pairs.get(container))
            if holder is not None and holder.type == "object":
                sources.insert(0, (_object_pairs(holder), container))
        flags = set()
        for source, holder_key in sources:
            if holder_key:
                for key, value in source.items():
                    value = _unwrap(value)
                    if value is not None and value.type == "true":
                        flags.add(key)
                        route.flag_line = route.flag_line or value.start_point[0] + 1
            if auth is not None:
                continue
            for key, value in source.items():
                value = _unwrap(value)
                if is_auth_meta_key(key) and value is not None and value.type == "true":
                    if holder_key:
                        router = {"meta": "Vue Router", "data": "Angular", "handle": "React Router"}[holder_key]
                        auth = (f"{router} {label} has `{holder_key}: {{ {key}: true }}`", value.start_point[0] + 1)
                    else:
                        auth = (f"{label} has `{key}: true`", value.start_point[0] + 1)
                    break
        for key in ("canActivate", "canMatch", "canLoad", "canActivateChild"):
            value = pairs.get(key)
            if auth is None and value is not None and guard_names_authish(node_text(value)):
                shown = re.sub(r"\s+", " ", node_text(value))[:60]
                auth = (f"Angular {label} has `{key}: {shown}`", value.start_point[0] + 1)
        value = pairs.get("beforeEnter")
        if auth is None and value is not None:
            code = node_text(value)
            body = self.functions.get(code.strip(), code)
            if (_unwrap(value).type in ("identifier", "array") and guard_names_authish(code)) or redirects_to_login(body):
                shown = re.sub(r"\s+", " ", code)[:60]
                auth = (f"{label} has `beforeEnter: {shown}`", value.start_point[0] + 1)
        if auth is None and "loader" in pairs:
            why = self.loader_auth(pairs["loader"])
            if why:
                auth = (f"React Router {label} has {why}", pairs["loader"].start_point[0] + 1)
        for key, value in pairs.items():  # loaders and actions import the route's module too
            if key not in ("children", "component", "Component", "loadComponent", "lazy", "element") and value is not None:
                for inner in _descendants(value):
                    if inner.type == "call_expression":
                        callee = inner.child_by_field_name("function")
                        if callee is not None and callee.type == "import":
                            self.route_imports.add(inner.start_byte)
        route.auth = auth
        route.flags = frozenset(flags)
        index = self.add(route, inherited)
        effective = self.routes[index].auth
        children = _unwrap(pairs.get("children"))
        if children is not None:
            if children.type == "array":
                for child in reversed(children.named_children):
                    if child.type == "spread_element" and child.named_children:
                        inner = _unwrap(child.named_children[0])
                        if inner is not None and inner.type == "identifier":
                            route.child_modules.append(Ref(node_text(inner), None, inner.start_point[0] + 1))
                        continue
                    stack.append((child, effective, index))
            elif children.type == "identifier":
                route.child_modules.append(Ref(node_text(children), None, children.start_point[0] + 1))
        load_children = pairs.get("loadChildren")
        if load_children is not None:
            found = _import_call(load_children)
            if found is not None:
                route.child_modules.append(Ref(None, found[0], found[1].start_point[0] + 1))

    def route_element(self, node, inherited, parent, stack) -> None:
        name, name_nodes = _jsx_name(node)
        attrs = _jsx_attributes(node)
        path = node_string(attrs.get("path"))
        line = node.start_point[0] + 1
        label = _label(path, "index" in attrs)
        route = Route(path, line, label, parent=parent)
        auth = None
        if name and is_guard_component(name):
            auth = (f"React Router `<{name}>` {label}", line)
            for n in name_nodes:
                self.use(n)
            route.refs.append(Ref(name, None, line, guard=True))
        nested: list = []
        for key in ("element", "component", "Component", "render", "lazy"):
            value = attrs.get(key)
            if value is None:
                continue
            value = _unwrap(value)
            if value is not None and value.type.startswith("jsx"):
                refs, guard, more = self.jsx_refs(value)
                route.refs.extend(refs)
                nested.extend(more)
                if guard and auth is None:
                    auth = (f"React Router {label} renders inside `<{guard[0]}>`", guard[1])
            elif value is not None and value.type in ("arrow_function", "function_expression", "function"):
                found = _import_call(value)
                if found is not None:
                    self.route_imports.add(found[1].start_byte)
                    route.refs.append(Ref(None, found[0], found[1].start_point[0] + 1))
                    continue
                for inner in _descendants(value):
                    if inner.type in ("jsx_element", "jsx_self_closing_element"):
                        refs, guard, more = self.jsx_refs(inner)
                        route.refs.extend(refs)
                        if guard and auth is None:
                            auth = (f"React Router {label} renders inside `<{guard[0]}>`", guard[1])
                        break
            elif value is not None:
                route.refs.extend(self.expr_refs(value))
        if auth is None and "loader" in attrs and attrs["loader"] is not None:
            why = self.loader_auth(attrs["loader"])
            if why:
                auth = (f"React Router {label} has {why}", attrs["loader"].start_point[0] + 1)
        route.auth = auth
        index = self.add(route, inherited)
        effective = self.routes[index].auth
        children = [c for c in node.named_children if c.type in ("jsx_element", "jsx_self_closing_element", "jsx_expression")] if node.type == "jsx_element" else []
        for child in reversed(children + nested):
            if child.type in ("jsx_element", "jsx_self_closing_element") and not _is_route_element(_jsx_name(child)[0]):
                refs, guard, more = self.jsx_refs(child)  # a v5 route's rendered children
                route.refs.extend(refs)
                for inner in more:
                    stack.append((inner, effective, index))
                continue
            stack.append((child, effective, index))

    def walk(self, root) -> None:
        stack: list[tuple] = [(root, None, None)]
        while stack:
            node, inherited, parent = stack.pop()
            kind = node.type
            if kind == "object":
                pairs = _object_pairs(node)
                keys = set(pairs)
                if keys & {"path", "index", "children", "loadChildren"} and keys & _ROUTE_KEYS:
                    self.route_object(node, pairs, inherited, parent, stack)
                    continue
            elif kind in ("jsx_element", "jsx_self_closing_element"):
                name, name_nodes = _jsx_name(node)
                if _is_route_element(name):
                    self.route_element(node, inherited, parent, stack)
                    continue
                if name and is_guard_component(name) and kind == "jsx_element":
                    # v5 style: <RequireAuth><Route …/></RequireAuth>
                    evidence = (f"React Router routes inside `<{name}>`", node.start_point[0] + 1)
                    for child in reversed(node.named_children):
                        stack.append((child, evidence, parent))
                    continue
            for child in reversed(node.named_children):
                stack.append((child, inherited, parent))


_ROUTE_KEYS = {
    "component", "components", "Component", "element", "loadComponent", "lazy", "children", "loadChildren",
    "redirect", "redirectTo", "meta", "canActivate", "canMatch", "canLoad", "canActivateChild", "beforeEnter",
    "loader", "name",
}


def _object_pairs(node) -> dict:
    pairs = {}
    for child in node.named_children:
        if child.type == "pair":
            key = child.child_by_field_name("key")
            value = child.child_by_field_name("value")
            if key is None:
                continue
            name = node_string(key) if key.type == "string" else node_text(key)
            if name is not None:
                pairs[name] = value
        elif child.type == "shorthand_property_identifier":
            pairs[node_text(child)] = child
        elif child.type == "method_definition":
            name = child.child_by_field_name("name")
            if name is not None:
                pairs[node_text(name)] = child
    return pairs


def _bindings_and_functions(root):
    """Imports, lazy/HOC declarations and local functions of a module (top level and one
    level into blocks is enough for route files)."""
    bindings: dict[str, Binding] = {}
    functions: dict[str, str] = {}
    lazy_calls: dict[str, int] = {}  # binding -> start byte of its import() call
    statics: list[tuple[str, list[str]]] = []  # (spec, local names) per import statement
    stack = [root]
    count = 0
    while stack and count < 20000:
        node = stack.pop()
        count += 1
        kind = node.type
        if kind == "import_statement":
            source = node.child_by_field_name("source")
            spec = node_string(source)
            if spec is None:
                continue
            locals_: list[str] = []
            if b"import type" in node.text[:12]:
                continue
            for clause in node.named_children:
                if clause.type != "import_clause":
                    continue
                for part in clause.named_children:
                    if part.type == "identifier":
                        bindings[node_text(part)] = Binding(spec, "default")
                        locals_.append(node_text(part))
                    elif part.type == "namespace_import":
                        for ident in part.named_children:
                            if ident.type == "identifier":
                                bindings[node_text(ident)] = Binding(spec, "*")
                                locals_.append(node_text(ident))
                    elif part.type == "named_imports":
                        for item in part.named_children:
                            if item.type != "import_specifier":
                                continue
                            if item.text.startswith(b"type "):
                                continue
                            name = item.child_by_field_name("name")
                            alias = item.child_by_field_name("alias")
                            local = alias if alias is not None else name
                            if local is not None and name is not None:
                                bindings[node_text(local)] = Binding(spec, node_text(name))
                                locals_.append(node_text(local))
            statics.append((spec, locals_))
            continue
        if kind == "function_declaration":
            name = node.child_by_field_name("name")
            if name is not None:
                functions[node_text(name)] = node_text(node)
        elif kind == "variable_declarator":
            name = node.child_by_field_name("name")
            value = _unwrap(node.child_by_field_name("value"))
            if name is not None and name.type == "identifier" and value is not None:
                local = node_text(name)
                if value.type in ("arrow_function", "function_expression", "function"):
                    functions[local] = node_text(value)
                    found = _import_call(value)
                    if found is not None and value.type == "arrow_function":
                        bindings[local] = Binding(found[0], "default")
                        lazy_calls[local] = found[1].start_byte
                elif value.type == "call_expression":
                    callee = value.child_by_field_name("function")
                    callee_name = node_text(callee) if callee is not None else ""
                    short = callee_name.split(".")[-1]
                    args = value.child_by_field_name("arguments")
                    first = _unwrap(args.named_children[0]) if args is not None and args.named_children else None
                    lazy_callees = frameworks_data.name_set("spa-router", "lazy-callees")
                    if callee_name in lazy_callees or short in lazy_callees:
                        found = _import_call(value)
                        if found is not None:
                            bindings[local] = Binding(found[0], "default")
                            lazy_calls[local] = found[1].start_byte
                    elif auth_hoc().fullmatch(short) and first is not None:
                        evidence = (f"`{short}({node_text(first)[:40]})`", value.start_point[0] + 1)
                        if first.type == "identifier":
                            bindings[local] = Binding(None, None, node_text(first), evidence)
                        else:
                            found = _import_call(first)
                            if found is not None:
                                bindings[local] = Binding(found[0], "default", None, evidence)
                                lazy_calls[local] = found[1].start_byte
        stack.extend(reversed(node.named_children))
    return bindings, functions, statics, lazy_calls


def _count_identifiers(root, names: set[str]) -> dict[str, int]:
    counts = {name: 0 for name in names}
    if not names:
        return counts
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type in ("identifier", "shorthand_property_identifier", "shorthand_property_identifier_pattern"):
            text = node_text(node)
            if text in counts:
                counts[text] += 1
            continue
        stack.extend(node.named_children)
    return counts


def _dynamic_imports(root) -> list[tuple[str, int]]:
    found = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "call_expression":
            callee = node.child_by_field_name("function")
            if callee is not None and callee.type == "import":
                args = node.child_by_field_name("arguments")
                first = args.named_children[0] if args is not None and args.named_children else None
                spec = node_string(first)
                if spec is not None:
                    found.append((spec, node.start_byte))
        stack.extend(node.named_children)
    return found


def analyze_routes(text: str, dialect: str) -> RouteAnalysis:
    """Routes declared in one module (Vue Router, React Router, Angular), with their guards (for
    a module read on its own: a router's child route modules)."""
    return _analyze_memo(text, dialect, id(frameworks_data.current()))


@lru_cache(maxsize=32)
def _analyze_memo(text: str, dialect: str, knowledge: int) -> RouteAnalysis:
    """analyze_routes, kept per text and the guard names in force (a run with other names reads
    the module again)."""
    return _analyze(Script(text, dialect))


def _analyze(script: Script) -> RouteAnalysis:
    """analyze_routes of one module's code, from its (shared) tree."""
    text = script.code
    if "path" not in text or not _ROUTE_HINT.search(text):
        return _EMPTY
    root = script.tree.root_node
    bindings, functions, statics, lazy_calls = _bindings_and_functions(root)
    walker = _Walker(functions)
    walker.walk(root)
    routes = [r for r in walker.routes]
    if not any(r.refs or r.child_modules or r.auth for r in routes):
        return _EMPTY
    # which imports are used only as route components (no other use in the file)
    counts = _count_identifiers(root, set(bindings))
    uses = dict(walker.route_uses)

    def only_in_routes(name: str) -> bool:
        return uses.get(name, 0) > 0 and counts.get(name, 0) - 1 - uses.get(name, 0) <= 0

    route_only_bindings = {name for name in bindings if only_in_routes(name)}
    for name in list(route_only_bindings):  # withAuthenticationRequired(Billing) used only as a route
        inner = bindings[name].inner
        if inner is not None and inner in bindings:
            uses[inner] = uses.get(inner, 0) + 1
            if only_in_routes(inner):
                route_only_bindings.add(inner)
    consumed = set(walker.route_imports)
    consumed.update(start for name, start in lazy_calls.items() if name in route_only_bindings)
    verdict: dict[str, bool] = {}
    for spec, locals_ in statics:
        only = bool(locals_) and all(name in route_only_bindings for name in locals_)
        verdict[spec] = verdict.get(spec, True) and only
    for spec, start in _dynamic_imports(root):
        verdict[spec] = verdict.get(spec, True) and start in consumed
    route_only = frozenset(spec for spec, only in verdict.items() if only)
    return RouteAnalysis(routes, bindings, route_only)


def dialect_of(rel: str) -> str:
    return dialect_for(rel)


def routes_in(rel: str, text: str) -> RouteAnalysis:
    """The routes of a script file read on its own (not the file being scanned: see routes_of)."""
    if language_for(rel) is None:
        return _EMPTY
    try:
        return analyze_routes(text, dialect_of(rel))
    except RecursionError:
        return _EMPTY


def routes_of(source) -> RouteAnalysis:
    """The routes of the file being scanned (`source`: its phi_lint.lang.Source), analysed once
    for the page-graph and inference stages that both want them, from the file's shared tree."""
    return source.derived("js-routes", lambda: _routes_of(source))


def _routes_of(source) -> RouteAnalysis:
    script = source.script
    if script is None:
        return _EMPTY
    try:
        return _analyze(script)
    except RecursionError:
        return _EMPTY


# --------------------------------------------------------------------------- resolving routes across files


@dataclass
class ResolvedRoute:
    router: str  # the file declaring the route
    index: int
    path: str | None
    line: int
    label: str
    files: list[str]  # the route's component files (guards excluded)
    guard_files: list[str]
    auth: tuple[str, int, str] | None  # (evidence, line, file where the guard is)
    parent_files: list[str]  # component files of the nearest ancestor route that has some


def _resolve_binding(repo, rel: str, analysis: RouteAnalysis, name: str, depth: int = 0):
    """(file, hoc evidence) for a binding used as a component."""
    binding = analysis.bindings.get(name)
    if binding is None or depth > 3:
        return None, None
    if binding.inner is not None:
        target, _ = _resolve_binding(repo, rel, analysis, binding.inner, depth + 1)
        return target, binding.hoc_auth
    if binding.spec is None:
        return None, binding.hoc_auth
    target = jsmodules.resolve_path(repo, rel, binding.spec)
    if target is not None and binding.imported not in (None, "default", "*"):
        target = _follow_barrel(repo, target, binding.imported)
    return target, binding.hoc_auth


_BARREL_EXPORT = lazy_pattern(r"""export\s*\{([^}]*)\}\s*from\s*(['"])([^'"\n]+)\2""")


def _follow_barrel(repo, target: str, name: str) -> str:
    """`import { Dashboard } from './pages'` → pages/Dashboard.tsx when pages/index.ts re-exports it."""
    if posixpath.splitext(posixpath.basename(target))[0] != "index":
        return target
    text = repo.read(target)
    if not text or "export" not in text:
        return target
    for match in _BARREL_EXPORT.finditer(jsmodules.blank_comments(text)):
        for item in match.group(1).split(","):
            parts = item.replace("type ", "").split(" as ")
            exported = parts[-1].strip()
            if exported == name:
                found = jsmodules.resolve_path(repo, target, match.group(3))
                return found or target
    return target


def resolve_routes(repo, analyses: dict[str, RouteAnalysis]) -> list[ResolvedRoute]:
    """Routes of every router file with their component files, parents and inherited guards
    (children arrays and Angular loadChildren in other files included)."""
    resolved: dict[tuple[str, int], ResolvedRoute] = {}
    for rel, analysis in sorted(analyses.items()):
        for index, route in enumerate(analysis.routes):
            files: list[str] = []
            guards: list[str] = []
            auth = (route.auth[0], route.auth[1], rel) if route.auth else None
            for ref in route.refs:
                if ref.binding is not None:
                    target, hoc = _resolve_binding(repo, rel, analysis, ref.binding)
                    if hoc is not None and auth is None and not ref.guard:
                        auth = (f"{route.label} renders {hoc[0]}", hoc[1], rel)
                else:
                    target = jsmodules.resolve_path(repo, rel, ref.spec or "")
                if target is None or target == rel or not repo.exists(target):
                    continue
                bucket = guards if ref.guard else files
                if target not in bucket:
                    bucket.append(target)
            resolved[(rel, index)] = ResolvedRoute(rel, index, route.path, route.line, route.label, files, guards, auth, [])
    # parents within a file, and across files (children: importedRoutes, loadChildren)
    external: dict[str, tuple[str, int]] = {}  # child router file -> (parent router, route index)
    for rel, analysis in analyses.items():
        for index, route in enumerate(analysis.routes):
            for ref in route.child_modules:
                if ref.binding is not None:
                    target, _ = _resolve_binding(repo, rel, analysis, ref.binding)
                else:
                    target = jsmodules.resolve_path(repo, rel, ref.spec or "")
                if target and target in analyses and target != rel and target not in external:
                    external[target] = (rel, index)

    def parent_of(key):
        rel, index = key
        route = analyses[rel].routes[index]
        if route.parent is not None:
            return (rel, route.parent)
        return external.get(rel)

    for key, item in resolved.items():
        seen = {key}
        current = parent_of(key)
        inherited = None
        parent_files: list[str] = []
        steps = 0
        while current is not None and current not in seen and steps < 200:
            steps += 1
            seen.add(current)
            parent = resolved.get(current)
            if parent is None:
                break
            if not parent_files and (parent.files or parent.guard_files):
                parent_files = parent.files or parent.guard_files
            if inherited is None and parent.auth is not None:
                inherited = parent.auth
            current = parent_of(current)
        item.parent_files = [f for f in parent_files if f not in item.files]
        if item.auth is None:
            item.auth = inherited
    return [resolved[k] for k in sorted(resolved)]


# --------------------------------------------------------------------------- per-repo caches


class _Cache:
    def __init__(self):
        self.entries: dict[str, list[tuple[str, str | None]]] = {}


def _cache(repo) -> _Cache:
    return repo.memo(__name__, _Cache)


# --------------------------------------------------------------------------- the app around the routes

SRC_VALUE = lazy_pattern(r"""\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)

_CONVENTIONAL_ENTRIES = tuple(
    f"{d}{n}{e}" for d in ("src/", "") for n in ("main", "index") for e in (".ts", ".tsx", ".js", ".jsx", ".mjs")
)
_SHELLS = ("index.html", "src/index.html", "public/index.html")
_SCRIPT_OPEN = lazy_pattern(r"<script\b", re.IGNORECASE)
_MODULE_TYPE = lazy_pattern(r"\btype\s*=\s*[\"']?module\b", re.IGNORECASE)


def _module_script_tags(html: str):
    """The `<script … type=module …>` opening tags of a page, each read once (a pattern with the
    type between two `[^>]*` tried every split of an unclosed tag)."""
    pos = 0
    while True:
        opening = _SCRIPT_OPEN.search(html, pos)
        if opening is None:
            return
        end = html.find(">", opening.end())
        if end < 0:
            return
        pos = end + 1
        tag = html[opening.start() : pos]
        if _MODULE_TYPE.search(tag):
            yield tag


def spa_entries(repo, rel: str) -> list[tuple[str, str | None]]:
    """(entry module, HTML shell or None) of the single-page app a router file belongs to: the
    module scripts of the project's index.html, else src/main.*, src/index.*, main.*, index.*."""
    project = jsmodules.project_dir(repo, rel)
    cache = _cache(repo)
    if project in cache.entries:
        return cache.entries[project]
    prefix = project + "/" if project else ""
    found: list[tuple[str, str | None]] = []
    shell = None
    for name in _SHELLS:
        candidate = prefix + name
        if not repo.exists(candidate):
            continue
        shell = shell or candidate
        text = repo.read(candidate) or ""
        searchable = blank_html_comments(text, unclosed_runs_to_end=True)
        for tag in _module_script_tags(searchable):
            src = SRC_VALUE.search(tag)
            if not src:
                continue
            value = next(v for v in src.groups() if v is not None).strip().split("?", 1)[0]
            if not value or re.match(r"^[a-z][a-z0-9+.-]*:|^//", value, re.IGNORECASE):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(candidate), value.lstrip("/")))
            if repo.exists(target) and repo.kind(target) == "script":
                found.append((target, candidate))
        if found:
            break
    if not found:
        entry = repo.first(prefix + c for c in _CONVENTIONAL_ENTRIES)
        if entry:
            found.append((entry, shell))
    cache.entries[project] = found
    return found


_MAX_CHILD_MODULES = 20


def expand_child_modules(repo, rel: str, analysis: RouteAnalysis) -> dict[str, RouteAnalysis]:
    """The router file and the route modules its routes take children from (`children:
    portalRoutes`, Angular `loadChildren`), read once each, a few levels deep."""
    analyses = {rel: analysis}
    queue = deque([(rel, analysis, 0)])
    while queue and len(analyses) < _MAX_CHILD_MODULES:
        current, current_analysis, depth = queue.popleft()
        if depth >= 3:
            continue
        for route in current_analysis.routes:
            for ref in route.child_modules:
                if ref.binding is not None:
                    target, _ = _resolve_binding(repo, current, current_analysis, ref.binding)
                else:
                    target = jsmodules.resolve_path(repo, current, ref.spec or "")
                if not target or target in analyses or repo.kind(target) != "script":
                    continue
                child = routes_in(target, repo.read(target) or "")
                if child.routes:
                    analyses[target] = child
                    queue.append((target, child, depth + 1))
    return analyses


def route_edges(rel: str, analysis: RouteAnalysis, repo) -> list[Edge]:
    """Route components → the SPA entry and shell (top-level routes) or → their parent route's
    component (nested routes)."""
    if not any(r.refs or r.child_modules for r in analysis.routes):
        return []
    analyses = expand_child_modules(repo, rel, analysis) if any(r.child_modules for r in analysis.routes) else {rel: analysis}
    edges = []
    entries = None
    for route in resolve_routes(repo, analyses):
        targets = route.files + route.guard_files
        if not targets:
            continue
        line = route.line if route.router == rel else 0
        detail = f"{route.label} in {route.router}"
        if route.parent_files:
            for target in targets:
                for parent in route.parent_files:
                    if parent != target:
                        edges.append(Edge(target, parent, "layout", line, detail))
            continue
        if route.router != rel:
            continue  # a child module's own top-level routes: its own file gives them their entry
        if entries is None:
            entries = spa_entries(repo, rel)
        for entry, shell in entries:
            for target in targets:
                if target != entry:
                    edges.append(Edge(target, entry, "entry", line, detail))
                if shell and target != shell:
                    edges.append(Edge(target, shell, "entry", line, detail))
    return edges
