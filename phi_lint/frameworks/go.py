"""Go web: which template each route renders, and the middleware that guards it.

Routes are read from the Go code (tree-sitter-go), in statement order, per function:

- net/http and gorilla/mux: `mux.Handle("/records", requireLogin(h))`, `HandleFunc`, Go 1.22
  patterns (`"GET /records/{id}"`), `r.PathPrefix("/portal").Subrouter()` with `s.Use(auth)`,
  alice-style chains held in variables (`protected := dynamic.Append(app.requireAuthentication)`
  … `protected.ThenFunc(app.records)`);
- chi: `r.Use(auth)` for the routes after it, `r.Group(func(r chi.Router) { r.Use(auth); … })`,
  `r.Route("/portal", func(r chi.Router) {…})`, `r.With(auth).Get(…)`;
- gin and echo: `g := r.Group("/portal", AuthRequired())`, `g.Use(…)`, route-level middleware
  (`e.GET("/x", h, middleware.JWT(…))`).

A middleware is a guard when its name is in `auth-middleware` (or matches
`auth-middleware-patterns`) of rules/frameworks/go.toml. A route's handler (a function or method
of the repository) renders the templates its string literals name: a template file
(`"home.tmpl"`, `"./ui/html/pages/home.tmpl"`) or a `{{define}}`d name (`ExecuteTemplate(w,
"records", …)`). Of those, the document frames (`base.tmpl`, which the others fill in) are the
route's layouts and the rest its pages: each page gets an edge to each layout, and the route
labels the pages (phi_lint.frameworks.routes). A layout used only by guarded pages is behind
login too (phi_lint.frameworks.layouts).
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from phi_lint import frameworks_data
from phi_lint.frameworks import Framework, go_templates, register
from phi_lint.frameworks.layouts import layouts_behind_login
from phi_lint.frameworks.reads import Reads
from phi_lint.frameworks.routes import Guard, Route, inferences
from phi_lint.inference.model import Inference
from phi_lint.lang import go
from phi_lint.lang.treesitter import line, parse, text
from phi_lint.lazyre import lazy_pattern
from phi_lint.pagegraph.model import Edge

CODE_HINT = "go-web"  # "go-web:" + its routes and its functions' string literals (GoFile.code_hint)
MARKUP_HINT = "go-markup"  # "go-markup:" + the functions with markup in a string literal
MAX_LITERAL = 300  # longer string literals name no template (file names, {{define}} names are shorter)
MAX_FILES = 5000
MAX_STATEMENTS = 200_000  # visited per file
PATTERN = lazy_pattern(r"^(?:[A-Z]+\s+)?(?:[\w.-]*)(/\S*)$")  # "GET /records/{id}", "example.com/x"


def _names(key: str) -> tuple[str, ...]:
    return frameworks_data.names("go", key)


def _name_set(key: str) -> frozenset[str]:
    return frameworks_data.name_set("go", key)


@frameworks_data.derived
def _guard_shapes() -> re.Pattern[str]:
    return frameworks_data.pattern("go", "auth-middleware-patterns", re.IGNORECASE)


def is_guard(name: str) -> bool:
    """Whether a dotted middleware name (`app.requireLogin`, `middleware.JWT`) requires login."""
    parts = name.split(".")
    known = _name_set("auth-middleware")
    if parts[-1] in known or ".".join(parts[-2:]) in known:
        return True
    return _guard_shapes().fullmatch(parts[-1]) is not None


def may_hold_routes(rel: str, text_: str) -> bool:
    """Whether a Go file may register routes (a method call with a "/…" URL) or name templates:
    the project pass parses only those."""
    if not rel.endswith(".go"):
        return False
    if any(marker in text_ for marker in _names("template-markers")):
        return True
    return ('"/' in text_ or "`/" in text_) and any(method + "(" in text_ for method in _names("route-methods"))


# ---------------------------------------------------------------- routes in Go code


@dataclass(frozen=True)
class Router:
    """What a router variable stands for: its URL prefix and the guards in force on it."""

    prefix: str = ""
    guards: tuple[Guard, ...] = ()

    def add(self, prefix: str = "", guards: Iterable[Guard] = ()) -> Router:
        joined = (self.prefix.rstrip("/") + "/" + prefix.lstrip("/")) if prefix else self.prefix
        return Router(joined, tuple(dict.fromkeys((*self.guards, *guards))))


@dataclass(frozen=True)
class GoRoute:
    url: str
    handlers: tuple[str, ...]  # last members of the names in the handler expression
    guards: tuple[Guard, ...]
    line: int


@dataclass
class _Walk:
    rel: str
    routes: list[GoRoute] = field(default_factory=list)
    budget: int = MAX_STATEMENTS

    def guards_in(self, nodes, env: dict[str, Router]) -> list[Guard]:
        found: list[Guard] = []
        for node in nodes:
            for name, at in go.names_in(node):
                if is_guard(name):
                    found.append(Guard(f"{name} middleware", self.rel, at))
                elif name in env:
                    found.extend(env[name].guards)
        return list(dict.fromkeys(found))

    def router_of(self, node, env: dict[str, Router]) -> Router | None:
        """The router an expression evaluates to, when it is one we can follow. A chain
        (`r.With(a).Group("/x").Use(b)`, in parentheses or not) is read in a loop, innermost
        receiver first, so a chain thousands of calls long costs no stack."""
        calls = []
        while node is not None:
            if node.type == "parenthesized_expression" and node.named_children:
                node = node.named_children[0]
            elif node.type == "call_expression":
                calls.append(node)
                node = go.call_parts(node)[0]
            else:
                break
        router = env.get(text(node)) if node is not None and node.type == "identifier" else None
        if not calls:
            return router
        for call in reversed(calls):
            router = self._router_call(call, router or Router(), env)
        return router

    def _router_call(self, node, base: Router, env: dict[str, Router]) -> Router | None:
        """What one call of a chain makes of the router its receiver stands for (`base`)."""
        _receiver, method, args = go.call_parts(node)
        if method in _name_set("group-methods") and not any(a.type == "func_literal" for a in args):
            prefix = go.string_value(args[0]) if args else None
            return base.add(prefix or "", self.guards_in(args[1:] if prefix is not None else args, env))
        if method in _name_set("chain-methods"):
            return base.add("", self.guards_in(args, env))
        if method in _name_set("prefix-methods"):
            prefix = go.string_value(args[0]) if args else None
            return base.add(prefix or "")
        return None

    def visit(self, node, env: dict[str, Router]) -> None:
        """Every statement under `node` in source order; a group's body (`r.Group(func(r) {…})`)
        is visited where the group is called, with its own copy of the routers in scope. One
        stack of (node, routers) serves both, so nesting depth costs no Python stack."""
        stack = [(node, env)]
        while stack:
            self.budget -= 1
            if self.budget <= 0:
                return
            current, scope = stack.pop()
            kind = current.type
            if kind in ("short_var_declaration", "assignment_statement"):
                self.assign(current.child_by_field_name("left"), current.child_by_field_name("right"), scope)
            elif kind == "var_spec":
                self.assign(current.child_by_field_name("name"), current.child_by_field_name("value"), scope)
            if kind == "call_expression":
                bodies = self.call(current, scope)
                if bodies is not None:
                    stack.extend(reversed(bodies))
                    continue
            if kind == "func_literal":
                continue  # followed only as a group's body (call); a closure's routes are not known
            stack.extend((child, scope) for child in reversed(current.children))

    def assign(self, left, right, env: dict[str, Router]) -> None:
        if left is None or right is None:
            return
        lefts = [n for n in left.named_children] if left.type == "expression_list" else [left]
        rights = [n for n in right.named_children] if right.type == "expression_list" else [right]
        for target, value in zip(lefts, rights):
            router = self.router_of(value, env)
            if router is not None and target.type == "identifier":
                env[text(target)] = router

    def call(self, node, env: dict[str, Router]) -> list[tuple[object, dict[str, Router]]] | None:
        """Handle a router call: None when it is not one (its arguments are then walked as any
        code), else the group bodies still to visit, each with the routers in scope there."""
        receiver, method, args = go.call_parts(node)
        if receiver is None:
            return None
        name = go.dotted(receiver) if receiver.type in ("identifier", "selector_expression") else ""
        if method in _name_set("use-methods") and name:
            env[name] = (env.get(name) or Router()).add("", self.guards_in(args, env))
            return []
        bodies = [a for a in args if a.type == "func_literal"]
        if method in _name_set("group-methods") and bodies:
            prefix = go.string_value(args[0]) if args and args[0].type in go.STRING_TYPES else None
            base = (self.router_of(receiver, env) or Router()).add(prefix or "", self.guards_in([a for a in args if a.type != "func_literal"][1 if prefix is not None else 0:], env))
            visits: list[tuple[object, dict[str, Router]]] = []
            for body in bodies:
                inner = dict(env)
                for parameter in go_parameters(body):
                    inner[parameter] = base
                block = body.child_by_field_name("body")
                if block is not None:
                    visits.append((block, inner))
            return visits
        if method in _name_set("route-methods") and args:
            pattern = go.string_value(args[0])
            url = _url(pattern)
            if url is None:
                return None
            base = self.router_of(receiver, env) or Router()
            rest = args[1:]
            guards = (*base.guards, *self.guards_in(rest, env))
            handlers = tuple(dict.fromkeys(n.rsplit(".", 1)[-1] for arg in rest for n, _ in go.names_in(arg) if not is_guard(n)))
            self.routes.append(GoRoute(base.add(url).prefix or "/", handlers, tuple(dict.fromkeys(guards)), line(node)))
            return []
        return None


def go_parameters(func_literal) -> list[str]:
    parameters = func_literal.child_by_field_name("parameters")
    if parameters is None:
        return []
    out = []
    for declaration in parameters.named_children:
        for child in declaration.named_children:
            if child.type == "identifier":
                out.append(text(child))
    return out


def _url(pattern: str | None) -> str | None:
    if not pattern:
        return None
    found = PATTERN.match(pattern.strip())
    return found.group(1) if found else None


def read_routes(rel: str, tree) -> list[GoRoute]:
    """The routes a Go file registers, function by function."""
    walk = _Walk(rel)
    for function in go.functions(tree):
        walk.visit(function.body, {})
    return walk.routes


# ---------------------------------------------------------------- handlers to templates


@dataclass(frozen=True)
class Handler:
    """A function that names templates: the files its string literals name, and the
    {{define}}d names they execute."""

    rel: str
    name: str
    files: tuple[str, ...]
    executed: tuple[str, ...]


def _template_literal(value: str) -> bool:
    return value.lower().endswith((*_names("template-endings"),)) and "*" not in value and len(value) < 300


def resolve_file(repo, value: str, templates: dict) -> list[str]:
    """The Go templates a path literal names: by path from a module root or the repository
    root, else by its ending (`home.tmpl` → ui/html/pages/home.tmpl) when one file has it."""
    clean = posixpath.normpath(value.strip().lstrip("./")) if value.strip() else ""
    if not clean or clean.startswith(".."):
        return []
    exact = [rel for rel in templates if rel == clean or rel.endswith("/" + clean)]
    return exact if len(exact) <= 3 else []


def _by_stem(templates: dict) -> dict[str, list[str]]:
    """`dashboard` → the templates named dashboard.<ending> (a helper that adds the ending:
    `ParseFiles("templates/" + name + ".html")`)."""
    out: dict[str, list[str]] = {}
    for rel in templates:
        out.setdefault(posixpath.basename(rel).split(".", 1)[0], []).append(rel)
    return out


def handlers(repo, rel: str, functions: Iterable[tuple[str, Sequence[str]]], templates: dict,
             by_name: dict[str, list[str]]) -> Iterator[Handler]:
    """The functions of a file that name templates, from (function name, its string literals)."""
    stems = _by_stem(templates)
    for name, values in functions:
        files: list[str] = []
        executed: list[str] = []
        for value in values:
            if _template_literal(value):
                files += resolve_file(repo, value, templates)
            elif value in by_name and not value.startswith("/"):
                executed.append(value)
            elif re.fullmatch(r"[A-Za-z][\w-]{0,100}", value) and len(stems.get(value, ())) == 1:
                files += stems[value]
        if files or executed:
            yield Handler(rel, name, tuple(dict.fromkeys(files)), tuple(dict.fromkeys(executed)))


@dataclass(frozen=True)
class GoFile:
    """What the project pass needs of one Go file, read from its one parse: in pass 1 (the tree
    the file's other stages share), kept as hints, so the project pass parses nothing again."""

    routes: tuple[GoRoute, ...] = ()
    functions: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (function, its short string literals)
    writers: tuple[str, ...] = ()  # the functions with markup in a string literal


def read_file(rel: str, tree, code: bool = True, markup: bool = True) -> GoFile:
    """The routes and string literals of a file that may hold routes (`code`), the markup
    writers of one that may hold markup."""
    functions = go.functions(tree)
    routes: tuple[GoRoute, ...] = ()
    literals: list[tuple[str, tuple[str, ...]]] = []
    writers: list[str] = []
    if code:
        routes = tuple(read_routes(rel, tree))
    for function in functions:
        values = [value for value, _ in go.strings(function.body)]
        if code:
            kept = tuple(dict.fromkeys(v for v in values if 0 < len(v) < MAX_LITERAL and "\n" not in v))
            if kept:
                literals.append((function.name, kept))
        if markup and any(MARKUP_LITERAL.search(value) for value in values):
            writers.append(function.name)
    return GoFile(routes, tuple(literals), tuple(writers))


def code_hint(found: GoFile) -> str:
    routes = [[r.url, list(r.handlers), [[g.text, g.line] for g in r.guards], r.line] for r in found.routes]
    return f"{CODE_HINT}:" + json.dumps([routes, [[name, list(values)] for name, values in found.functions]])


def markup_hint(found: GoFile) -> str:
    return f"{MARKUP_HINT}:" + json.dumps(list(found.writers))


def from_hints(rel: str, hints: Iterable[str]) -> GoFile:
    """The GoFile pass 1 kept of `rel` (code_hint, markup_hint)."""
    routes: tuple[GoRoute, ...] = ()
    functions: tuple[tuple[str, tuple[str, ...]], ...] = ()
    writers: tuple[str, ...] = ()
    for hint in hints:
        if hint.startswith(CODE_HINT + ":"):
            kept_routes, kept_functions = json.loads(hint[len(CODE_HINT) + 1:])
            routes = tuple(GoRoute(url, tuple(names), tuple(Guard(text_, rel, at) for text_, at in guards), at_line)
                           for url, names, guards, at_line in kept_routes)
            functions = tuple((name, tuple(values)) for name, values in kept_functions)
        elif hint.startswith(MARKUP_HINT + ":"):
            writers = tuple(json.loads(hint[len(MARKUP_HINT) + 1:]))
    return GoFile(routes, functions, writers)


def go_file(repo, rel: str) -> GoFile:
    """What pass 1 kept of a Go file; without hints (not collected), the file parsed here once."""
    def make() -> GoFile:
        hints = getattr(repo, "hints", None)
        if hints is not None:
            return from_hints(rel, hints.get(rel, ()))
        return read_file(rel, parse(repo.read(rel) or "", go.LANGUAGE))

    return repo.memo((__name__, "file", rel), make)


@dataclass
class Project:
    routes: list[Route] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)


def _pages_and_layouts(handler: Handler, templates: dict, by_name: dict[str, list[str]],
                       layout_targets: set[str], partials: set[str]) -> tuple[list[str], list[str]]:
    """(pages, layouts) of what a handler renders."""
    rendered = list(handler.files)
    for name in handler.executed:
        rendered += by_name.get(name, [])[:3]
    rendered = list(dict.fromkeys(rendered))
    executed_frames = {rel for name in handler.executed for rel in by_name.get(name, [])}
    layouts = [rel for rel in rendered if templates[rel].frame and (rel in layout_targets or rel in executed_frames)
               and len(rendered) > 1]
    pages = [rel for rel in rendered if rel not in layouts and rel not in partials]
    if not pages:
        pages = [rel for rel in rendered if rel not in layouts] or layouts
        layouts = [rel for rel in layouts if rel not in pages]
    # a layout whose slots pages fill is not the route's page: labelling it would label every
    # page that extends it (the handler names the layout only; its page is unknown)
    return [rel for rel in pages if rel not in layout_targets], layouts


def project(repo) -> Project:
    return repo.memo((__name__, "project"), lambda: _project(repo))


def _noted(hints: dict[str, tuple[str, ...]], rel: str, name: str) -> bool:
    return any(hint.startswith(name + ":") for hint in hints.get(rel, ()))


def _hinted_code(repo) -> list[str]:
    hints = getattr(repo, "hints", None)
    out = []
    for rel in repo.of_kind("code"):
        if not rel.endswith(".go"):
            continue
        if hints is not None:
            if _noted(hints, rel, CODE_HINT):
                out.append(rel)
        else:
            content = repo.read(rel)
            if content and may_hold_routes(rel, content):
                out.append(rel)
    if len(out) > MAX_FILES:
        repo.note(".", f"Go: read the first {MAX_FILES} of {len(out)} files for routes; the others are unknown", level="warning")
    return out[:MAX_FILES]


MARKUP_LITERAL = lazy_pattern(r"<(?:[A-Za-z]|!--)")


def may_write_markup(rel: str, text_: str) -> bool:
    """Whether a Go file may hold markup in a string literal (a handler writing HTML itself)."""
    return rel.endswith(".go") and ('"<' in text_ or "`<" in text_)


def markup_writers(repo) -> dict[str, list[str]]:
    """function name → the Go files where a function of that name has markup in a string literal
    (`fmt.Fprint(w, "<script …>")`, a `<html>` constant it writes): the file is its page
    (phi_lint.lang.embedded reads the markup)."""
    hints = getattr(repo, "hints", None)
    out: dict[str, list[str]] = {}
    for rel in repo.of_kind("code"):
        if not rel.endswith(".go"):
            continue
        if hints is not None:
            if not _noted(hints, rel, MARKUP_HINT):
                continue
        elif not may_write_markup(rel, repo.read(rel) or ""):
            continue
        for name in go_file(repo, rel).writers:
            out.setdefault(name, []).append(rel)
    return out


def _project(repo) -> Project:
    out = Project()
    templates = go_templates.templates(repo)
    if not templates:
        out.routes = _markup_routes(repo)
        return out
    template_edges = go_templates.edges(repo)
    layout_targets = {e.target for e in template_edges if e.kind == "layout"}
    partials = {e.target for e in template_edges if e.kind == "include"}
    by_name = go_templates.definers(templates)
    code = _hinted_code(repo)
    rendering: dict[str, list[Handler]] = {}
    for rel in code:
        for handler in handlers(repo, rel, go_file(repo, rel).functions, templates, by_name):
            rendering.setdefault(handler.name, []).append(handler)
    code_edges: dict[tuple[str, str], Edge] = {}
    for rel in code:
        for route in go_file(repo, rel).routes:
            for name in route.handlers:
                candidates = rendering.get(name, [])
                # a name declared in several packages: the one of the route's own package first
                local = [h for h in candidates if posixpath.dirname(h.rel) == posixpath.dirname(rel)]
                for handler in local or candidates:
                    pages, layouts = _pages_and_layouts(handler, templates, by_name, layout_targets, partials)
                    for page in pages:
                        out.routes.append(Route("go", page, rel, route.line, route.url, route.guards))
                        for layout in layouts:
                            code_edges.setdefault((page, layout), Edge(page, layout, "layout", 0, f"{handler.name} ({handler.rel})"))
    out.routes += _markup_routes(repo)
    reversed_includes = {(e.target, e.source) for e in code_edges.values()}
    out.edges = [e for e in template_edges if not (e.kind == "include" and (e.source, e.target) in reversed_includes)]
    out.edges += [code_edges[key] for key in sorted(code_edges) if key not in {(e.source, e.target) for e in template_edges}]
    return out


def _markup_routes(repo) -> list[Route]:
    """Routes to the Go files whose handlers write markup themselves."""
    writers = markup_writers(repo)
    if not writers:
        return []
    routes = []
    for rel in _hinted_code(repo):
        for route in go_file(repo, rel).routes:
            for name in route.handlers:
                candidates = writers.get(name, [])
                local = [w for w in candidates if posixpath.dirname(w) == posixpath.dirname(rel)]
                for page in dict.fromkeys(local or candidates):
                    routes.append(Route("go", page, rel, route.line, route.url, route.guards))
    return routes


@register
class GoWeb(Framework):
    id = "go"
    name = "Go web (net/http, chi, gin, echo; html/template)"
    reads = {"source_hints": (Reads(languages=("go",)),)}  # routes, templates named, markup written

    def source_hints(self, source, repo) -> tuple[str, ...]:
        code, markup = may_hold_routes(source.rel, source.text), may_write_markup(source.rel, source.text)
        if not (code or markup):
            return ()
        found = read_file(source.rel, source.tree(go.LANGUAGE), code, markup)  # the file's one parse
        return ((code_hint(found),) if code else ()) + ((markup_hint(found),) if markup else ())

    def project_edges(self, repo):
        return project(repo).edges

    def routes(self, repo, graph) -> Iterable[Route]:
        return project(repo).routes

    def infer_project(self, repo, graph) -> list[Inference]:
        return layouts_behind_login(inferences(project(repo).routes), graph)
