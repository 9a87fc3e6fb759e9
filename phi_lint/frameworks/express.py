"""Express / Koa / hapi: the routes of Node servers, the guard middleware in front of them, and
the views they render, as rows of the route table (phi_lint.frameworks.routes).

Facts are gathered per file (tree-sitter) and combined once per run:

- `app.use('/portal', requireAuth)`: routes registered after it under /portal, and routers mounted
  there, are behind login; `app.use('/portal', requireAuth, portalRouter)` guards that router;
  `router.use(requireAuth)` / `router.all('*', requireAuth)` guard every route of the router
  registered after it; `router.get('/x', ensureLoggedIn(), handler)` guards one route.
  Guards: the usual middleware names (requireAuth, ensureLoggedIn, isAuthenticated, requiresAuth,
  passport.authenticate(…) except the 'session' / 'anonymous' strategies, …) and any function
  (in any file, by name, or the module a binding is required from) that looks at `req.user`,
  `req.session.user…`, `req.isAuthenticated()` or `ctx.state.user`, sends others to a login page
  (or answers 401/403) and calls `next()`. A route handler that itself redirects users to login
  when `!req.user` is guarded too. Commented-out code is blank to the analysis.
- Only the script files of packages that depend on a Node server framework (all script files
  when the repository has no package.json; never public/, static/, assets/, dist/) are read, once,
  in `infer_project`: per-file passes run in worker processes and from the cache.
- Routers are followed across files (`module.exports = router`, `export default router`, required
  or imported by a relative path) so a guard in app.js reaches routes in routes/*.js; koa-router
  `router.routes()` mounts work the same way.
- hapi: `server.route({ path, options: { auth: 'session' }, handler })` (and `config:`), with
  `server.auth.default(…)` applying to routes without `auth`; `auth: false` and `mode: 'try'` /
  `'optional'` are not guards.
- The page is what the guarded handler renders: `res.render('portal/dashboard')`,
  `ctx.render(…)`, `h.view(…)`, a hapi `{ view: … }` handler, or a controller function it names;
  resolved in the app's views directory (`app.set('views', …)`, `nunjucks.configure(…)`, koa-views,
  hapi `server.views`, when literal; else `views/`) with the configured view engine's extension.

JVM (code files, regexes over the text with comments blanked):

Every route that renders a view is a `Route`: its URL (mount prefixes joined), the view's file, the
guard in force as its `Guard`. The one resolver then makes the view behind login (a guard), public
(a sign-in URL) or about health (a health URL such as `/appointments/new`).
"""

from __future__ import annotations

import bisect
import posixpath
import re
from dataclasses import dataclass, field

from phi_lint import frameworks_data, literalgates
from phi_lint.frameworks import Framework, register
from phi_lint.frameworks.reads import Reads
from phi_lint.frameworks.routes import Guard, Route, anonymous_handler
from phi_lint.lang.javascript import SCRIPT_ENDINGS, Script, dialect_for, query
from phi_lint.lazyre import lazy_pattern
from phi_lint.repopaths import ancestors

# ------------------------------------------------------------------ guard names

# guard middleware names and shapes, passport's passive strategies: rules/frameworks/express.toml


@frameworks_data.derived
def _guard_names() -> frozenset[str]:
    return frozenset(name.lower() for name in frameworks_data.names("express", "auth-middleware"))


@frameworks_data.derived
def _guard_pattern() -> re.Pattern:
    return frameworks_data.pattern("express", "auth-middleware-patterns", re.IGNORECASE)



HTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete", "del", "all", "head", "options"})
_REGISTRATION_METHODS = HTTP_METHODS | {"use", "set", "engine", "configure", "views", "default", "route", "prefix"}
_RENDER_METHODS = {"render": ("res", "response", "ctx", "context", "reply", "this"), "view": ("h", "reply", "res", "toolkit")}
DEFAULT_VIEW_EXTS = (".njk", ".nunjucks", ".html", ".ejs", ".hbs", ".handlebars", ".pug", ".jade", ".mustache", ".liquid", ".twig", ".eta", ".htm")

# a function that turns anonymous users away: a negated user check, then a login redirect or a 401
# (`!\s*(?:\(\s*)?` rather than `!\s*\(?\s*`: two white-space runs side by side backtrack
# quadratically over a long run of spaces)
_USER_MISSING = lazy_pattern(
    r"!\s*(?:\(\s*)?(?:req|request|ctx|context)\s*\.\s*(?:user\b|isAuthenticated\s*\(|session\b|state\s*\.\s*user\b|auth\b)"
    r"|!\s*(?:\(\s*)?res\s*\.\s*locals\s*\.\s*user\b"
    r"|(?:req|request|ctx)\s*\.\s*isUnauthenticated\s*\("
    r"|(?:req|ctx\.state)\s*\.\s*user\s*={2,3}\s*(?:null|undefined)",
    re.IGNORECASE,
)
# the login word is looked for in a lookahead: `[^"'`]*(?:login…)[^"'`]*` tried every split of an
# unclosed string (quadratic)
_TURN_AWAY = lazy_pattern(
    r"redirect\s*\(\s*(?:\d+\s*,\s*)?[\"'`](?=[^\"'`]*(?:log-?in|sign-?in|signon|auth))[^\"'`]*[\"'`]"
    r"|status\s*\(\s*40[13]\s*\)|sendStatus\s*\(\s*40[13]\s*\)|throw\s*\(\s*40[13]\b|\.status\s*=\s*40[13]\b",
    re.IGNORECASE,
)
_CALLS_NEXT = lazy_pattern(r"\bnext\s*\(")
# any look at the signed-in user (a guard may test it either way round)
_USER_REF = lazy_pattern(
    r"\b(?:req|request|ctx|context)\s*\.\s*(?:user\b|isAuthenticated\s*\(|isUnauthenticated\s*\(|auth\b|oidc\s*\.\s*isAuthenticated"
    r"|state\s*\.\s*user\b|session\s*(?:\?\.|\.)\s*\w*(?:user|logged|auth|signed|account|patient|member)\w*)"
    r"|\bres\s*\.\s*locals\s*\.\s*user\b",
    re.IGNORECASE,
)
_USER_REF_B = lazy_pattern(_USER_REF.pattern.encode(), re.IGNORECASE)
_USER_MISSING_B = lazy_pattern(_USER_MISSING.pattern.encode(), re.IGNORECASE)
_TURN_AWAY_B = lazy_pattern(_TURN_AWAY.pattern.encode(), re.IGNORECASE)
_CALLS_NEXT_B = lazy_pattern(_CALLS_NEXT.pattern.encode())
_NOT_NEWLINE = lazy_pattern(rb"[^\r\n]")


def guard_name(name: str) -> bool:
    last = name.rsplit(".", 1)[-1]
    return last.lower() in _guard_names() or bool(_guard_pattern().fullmatch(last))


def turns_anonymous_away(body: str) -> bool:
    return bool(_USER_MISSING.search(body)) and bool(_TURN_AWAY.search(body))


# ------------------------------------------------------------------ per-file facts (JS)


@dataclass
class Arg:
    kind: str  # ref | call | module | func | mountcall | other
    name: str = ""
    renders: tuple = ()  # ((template, line), …)
    checks_user: bool = False  # turns users away when the user is missing (a negated check)
    calls_next: bool = False
    guards: bool = False  # a middleware that turns anonymous users away and calls next()
    first_string: str | None = None  # a call's first literal argument (passport strategy)
    line: int = 0


@dataclass
class Reg:
    receiver: str
    method: str  # "use" or an HTTP method
    path: str | None
    args: list
    line: int
    start: int


@dataclass
class Func:
    name: str
    renders: tuple
    checks_user: bool
    calls_next: bool
    guards: bool
    line: int


@dataclass
class HapiRoute:
    method: str
    path: str | None
    auth: object  # None (not set), False, or a strategy description
    renders: tuple
    line: int


@dataclass
class JsFile:
    rel: str
    framework: str = "Express"
    imports: dict = field(default_factory=dict)  # binding -> module specifier
    regs: list = field(default_factory=list)
    functions: dict = field(default_factory=dict)  # name -> [Func]
    exported: str | None = None
    exported_names: dict = field(default_factory=dict)  # exported name -> local function name
    prefixes: dict = field(default_factory=dict)  # koa-router prefix per receiver
    view_dirs: list = field(default_factory=list)
    view_exts: list = field(default_factory=list)
    hapi_routes: list = field(default_factory=list)
    hapi_default: tuple | None = None  # (description, line)


_JS_QUERY = """
(call_expression function: (_) @callee arguments: (arguments) @args) @call
(new_expression constructor: (_) @ncallee arguments: (arguments) @nargs) @new
(variable_declarator name: (_) @vname value: (_) @vvalue) @decl
(assignment_expression left: (_) @aleft right: (_) @aright) @assign
(function_declaration name: (identifier) @fname) @fdecl
(method_definition name: (_) @mname) @method
(pair key: (_) @pkey value: [(function_expression) (arrow_function)] @pvalue) @pair
(import_statement) @import
(export_statement) @export
(comment) @comment
"""
_FUNCTION_TYPES = ("arrow_function", "function_expression", "function", "generator_function")
# what may_serve() answers, as first written: kept as the reference its test compares against
_SERVER_HINT = lazy_pattern(
    r"\.(?:render|view|use|route|get|post|put|patch|delete|all|set|engine|configure|views)\s*\(|\bredirect\s*\(|\bnext\s*\("
)


def _node_text(node) -> str:
    return node.text.decode("utf-8", "replace") if node is not None and node.text is not None else ""


def _string(node) -> str | None:
    if node is None:
        return None
    if node.type == "string":
        raw = _node_text(node)
        return raw[1:-1] if len(raw) >= 2 else ""
    if node.type == "template_string":
        if any(child.type == "template_substitution" for child in node.named_children):
            return None
        raw = _node_text(node)
        return raw[1:-1] if len(raw) >= 2 else ""
    return None


def _dotted(node) -> str | None:
    from phi_lint.parsers.javascript import dotted_name

    if node is None:
        return None
    if node.type == "await_expression" and node.named_children:
        return _dotted(node.named_children[0])
    return dotted_name(node)


def _pairs(obj) -> dict:
    """An object literal's literal keys -> value nodes."""
    out: dict = {}
    if obj is None or obj.type != "object":
        return out
    for child in obj.named_children:
        if child.type == "pair":
            key = child.child_by_field_name("key")
            value = child.child_by_field_name("value")
            name = _string(key) if key is not None and key.type == "string" else _node_text(key)
            if name:
                out[name] = value
        elif child.type == "shorthand_property_identifier":
            out[_node_text(child)] = child
        elif child.type == "method_definition":
            key = child.child_by_field_name("name")
            out[_node_text(key)] = child
    return out


_MAX_NESTING = 32  # nested middleware arrays followed
_MAX_NODE_DEPTH = 300  # syntax-tree depth below which nothing is looked at


class _JsScan:
    def __init__(self, rel: str, script: Script):
        self.rel = rel
        self.dir = posixpath.dirname(rel)
        self.script = script  # the file's code and its (shared) parse
        self.data = script.data
        self.dialect = script.dialect
        self.facts = JsFile(rel)
        self.renders: list[tuple[int, str, int]] = []  # (start byte, template, line)
        self._render_starts: list[int] = []
        self.blanked = bytearray(self.data)
        self._user_missing: list[int] = []
        self._turn_away: list[int] = []
        self._next_calls: list[int] = []
        self._user_ref: list[int] = []

    # -- helpers
    def _within(self, starts: list[int], node) -> bool:
        at = bisect.bisect_left(starts, node.start_byte)
        return at < len(starts) and starts[at] < node.end_byte

    def checks_user(self, node) -> bool:
        """The node's code turns anonymous users away (a negated user check and a login redirect / 401)."""
        return self._within(self._user_missing, node) and self._within(self._turn_away, node)

    def calls_next(self, node) -> bool:
        return self._within(self._next_calls, node)

    def guards(self, node) -> bool:
        """Middleware that looks at the signed-in user, sends others to login (or 401), calls next()."""
        return (
            self._within(self._turn_away, node)
            and self._within(self._next_calls, node)
            and (self._within(self._user_ref, node) or self._within(self._user_missing, node))
        )

    def renders_in(self, node) -> tuple:
        lo = bisect.bisect_left(self._render_starts, node.start_byte)
        hi = bisect.bisect_left(self._render_starts, node.end_byte)
        return tuple((name, line) for _, name, line in self.renders[lo:hi])

    def path_value(self, node, depth: int = 0) -> list[str]:
        """Repo-relative directories a literal path expression names (`__dirname`-relative)."""
        if node is None or depth > _MAX_NESTING:
            return []
        if node.type == "array":
            out = []
            for child in node.named_children:
                out.extend(self.path_value(child, depth + 1))
            return out
        value = _string(node)
        if value is not None:
            return [self._norm(value, relative_to_file=False)]
        if node.type == "call_expression":
            callee = _dotted(node.child_by_field_name("function")) or ""
            if callee in ("path.join", "path.resolve", "join", "resolve", "path.posix.join"):
                parts: list[str | None] = []
                for arg in node.child_by_field_name("arguments").named_children:
                    if arg.type == "identifier" and _node_text(arg) == "__dirname":
                        parts.append(None)
                        continue
                    text = _string(arg)
                    if text is None:
                        return []
                    parts.append(text)
                if parts and parts[0] is None:
                    return [self._norm("/".join(p for p in parts[1:] if p), relative_to_file=True)]
                if None in parts:
                    return []
                return [self._norm("/".join(p for p in parts if p is not None), relative_to_file=False)]
            return []
        if node.type == "binary_expression":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            right_value = _string(right)
            if left is not None and _node_text(left) == "__dirname" and right_value is not None:
                return [self._norm(right_value, relative_to_file=True)]
            return []
        if node.type == "template_string":
            raw = _node_text(node)[1:-1]
            if raw.startswith("${__dirname}"):
                rest = raw[len("${__dirname}") :]
                if "${" not in rest:
                    return [self._norm(rest, relative_to_file=True)]
        return []

    def _norm(self, value: str, relative_to_file: bool) -> str:
        value = value.strip().replace("\\", "/")
        if relative_to_file:
            joined = posixpath.normpath(posixpath.join(self.dir, value.lstrip("/")))
            return "" if joined == "." else joined
        # relative to the process's working directory, unknown here: remembered as "@cwd/<path>"
        return "@cwd/" + posixpath.normpath(value.strip("/") or ".")

    # -- arguments
    def arg(self, node, depth: int = 0) -> list[Arg]:
        kind = node.type
        line = node.start_point[0] + 1
        if kind == "array":
            out = []
            if depth < _MAX_NESTING:
                for child in node.named_children:
                    out.extend(self.arg(child, depth + 1))
            return out
        if kind in ("identifier", "member_expression"):
            return [Arg("ref", _dotted(node) or "", line=line)]
        if kind == "call_expression":
            callee = _dotted(node.child_by_field_name("function")) or ""
            args = node.child_by_field_name("arguments")
            first = _string(args.named_children[0]) if args is not None and args.named_children else None
            if callee == "require" and first is not None:
                return [Arg("module", first, line=line)]
            if callee.endswith((".routes", ".middleware")) and callee.count(".") >= 1:
                return [Arg("mountcall", callee.rsplit(".", 1)[0], line=line)]
            return [
                Arg(
                    "call", callee, renders=self.renders_in(node), checks_user=self.checks_user(node),
                    calls_next=self.calls_next(node), guards=self.guards(node), first_string=first, line=line,
                )
            ]
        if kind in _FUNCTION_TYPES:
            return [
                Arg(
                    "func", renders=self.renders_in(node), checks_user=self.checks_user(node),
                    calls_next=self.calls_next(node), guards=self.guards(node), line=line,
                )
            ]
        return [Arg("other", line=line)]

    # -- the pass
    def run(self) -> JsFile:
        from tree_sitter import QueryCursor

        tree = self.script.tree
        cursor = QueryCursor(query(self.dialect, _JS_QUERY))
        # deeply nested (generated or hostile) code makes query matching quadratic; real route
        # code sits far above this depth
        cursor.set_max_start_depth(_MAX_NODE_DEPTH)
        matches = list(cursor.matches(tree.root_node))
        calls = []
        for _, caps in matches:
            if "comment" in caps:
                node = caps["comment"][0]
                chunk = self.blanked[node.start_byte : node.end_byte]
                self.blanked[node.start_byte : node.end_byte] = _NOT_NEWLINE.sub(b" ", bytes(chunk))
        blanked = bytes(self.blanked)
        self._user_missing = [m.start() for m in _USER_MISSING_B.finditer(blanked)]
        self._turn_away = [m.start() for m in _TURN_AWAY_B.finditer(blanked)]
        self._next_calls = [m.start() for m in _CALLS_NEXT_B.finditer(blanked)]
        self._user_ref = [m.start() for m in _USER_REF_B.finditer(blanked)]
        for _, caps in matches:
            if "call" in caps:
                calls.append(caps)
                self._maybe_render(caps)
        self.renders.sort()
        self._render_starts = [r[0] for r in self.renders]
        for _, caps in matches:
            if "decl" in caps:
                self._declaration(caps["vname"][0], caps["vvalue"][0], caps["decl"][0])
            elif "assign" in caps:
                self._assignment(caps["aleft"][0], caps["aright"][0], caps["assign"][0])
            elif "fdecl" in caps:
                self._function(_node_text(caps["fname"][0]), caps["fdecl"][0])
            elif "method" in caps:
                self._function(_node_text(caps["mname"][0]), caps["method"][0])
            elif "pair" in caps:
                key = caps["pkey"][0]
                name = _string(key) if key.type == "string" else _node_text(key)
                if name:
                    self._function(name, caps["pvalue"][0])
            elif "import" in caps:
                self._import(caps["import"][0])
            elif "export" in caps:
                self._export(caps["export"][0])
        for caps in calls:
            self._call(caps["call"][0], caps["callee"][0], caps["args"][0])
        self.facts.regs.sort(key=lambda r: r.start)
        return self.facts

    def _maybe_render(self, caps) -> None:
        callee = caps["callee"][0]
        if callee.type != "member_expression":
            return
        prop = _node_text(callee.child_by_field_name("property"))
        if prop not in _RENDER_METHODS:
            return
        obj = callee.child_by_field_name("object")
        for _ in range(8):  # res.status(200).render(…): the object the chain starts from
            if obj is None or obj.type != "call_expression":
                break
            function = obj.child_by_field_name("function")
            obj = function.child_by_field_name("object") if function is not None and function.type == "member_expression" else None
        obj_name = (_dotted(obj) or "").rsplit(".", 1)[-1]
        if obj_name not in _RENDER_METHODS[prop] and not (prop == "render" and obj_name.endswith(("res", "response"))):
            return
        args = caps["args"][0].named_children
        name = _string(args[0]) if args else None
        if name and not name.startswith(("http:", "https:")):
            call = caps["call"][0]
            self.renders.append((call.start_byte, name, call.start_point[0] + 1))

    def _function(self, name: str, node) -> None:
        if not name:
            return
        self.facts.functions.setdefault(name, []).append(
            Func(name, self.renders_in(node), self.checks_user(node), self.calls_next(node), self.guards(node), node.start_point[0] + 1)
        )

    def _declaration(self, name_node, value, decl) -> None:
        if value is None:
            return
        if name_node.type == "identifier":
            name = _node_text(name_node)
            if value.type in _FUNCTION_TYPES:
                self._function(name, value)
            elif value.type == "call_expression":
                callee = _dotted(value.child_by_field_name("function")) or ""
                args = value.child_by_field_name("arguments")
                first = _string(args.named_children[0]) if args is not None and args.named_children else None
                if callee == "require" and first is not None:
                    self.facts.imports[name] = first
                elif any(child.type in _FUNCTION_TYPES for child in (args.named_children if args is not None else ())):
                    self._function(name, value)  # const show = asyncHandler(async (req, res) => …)
            elif value.type == "new_expression":
                callee = _dotted(value.child_by_field_name("constructor")) or ""
                args = value.child_by_field_name("arguments")
                if callee.rsplit(".", 1)[-1] in ("Router", "KoaRouter") and args is not None and args.named_children:
                    prefix = _pairs(args.named_children[0]).get("prefix")
                    if _string(prefix):
                        self.facts.prefixes[name] = _string(prefix)
        elif name_node.type == "object_pattern":
            spec = None
            if value.type == "call_expression" and (_dotted(value.child_by_field_name("function")) or "") == "require":
                args = value.child_by_field_name("arguments")
                spec = _string(args.named_children[0]) if args is not None and args.named_children else None
            if spec is None:
                return
            for child in name_node.named_children:
                if child.type == "shorthand_property_identifier_pattern":
                    self.facts.imports[_node_text(child)] = spec + "#" + _node_text(child)
                elif child.type == "pair_pattern":
                    key, val = child.child_by_field_name("key"), child.child_by_field_name("value")
                    if val is not None and val.type == "identifier":
                        self.facts.imports[_node_text(val)] = spec + "#" + _node_text(key)

    def _assignment(self, left, right, node) -> None:
        target = _dotted(left) or ""
        if target in ("module.exports", "exports.default"):
            if right.type == "identifier":
                self.facts.exported = _node_text(right)
            elif right.type == "object":
                for key, value in _pairs(right).items():
                    if value is not None and value.type in ("identifier", "shorthand_property_identifier"):
                        self.facts.exported_names[key] = _node_text(value)
            elif right.type in _FUNCTION_TYPES:
                self._function("module.exports", right)
            return
        last = target.rsplit(".", 1)[-1]
        if right.type in _FUNCTION_TYPES:
            self._function(last, right)
            if target.startswith(("exports.", "module.exports.")):
                self.facts.exported_names[last] = last
        elif right.type == "identifier" and target.startswith(("exports.", "module.exports.")):
            self.facts.exported_names[last] = _node_text(right)
        elif right.type == "call_expression" and target.startswith(("exports.", "module.exports.")):
            args = right.child_by_field_name("arguments")
            if any(child.type in _FUNCTION_TYPES for child in (args.named_children if args is not None else ())):
                self._function(last, right)
                self.facts.exported_names[last] = last

    def _import(self, node) -> None:
        source = node.child_by_field_name("source")
        spec = _string(source)
        if spec is None:
            return
        if "koa" in spec:
            self.facts.framework = "Koa"
        for clause in node.named_children:
            if clause.type != "import_clause":
                continue
            for child in clause.named_children:
                if child.type == "identifier":
                    self.facts.imports[_node_text(child)] = spec
                elif child.type == "namespace_import":
                    for ident in child.named_children:
                        if ident.type == "identifier":
                            self.facts.imports[_node_text(ident)] = spec
                elif child.type == "named_imports":
                    for spec_node in child.named_children:
                        if spec_node.type != "import_specifier":
                            continue
                        name = spec_node.child_by_field_name("name")
                        alias = spec_node.child_by_field_name("alias")
                        self.facts.imports[_node_text(alias or name)] = spec + "#" + _node_text(name)

    def _export(self, node) -> None:
        value = node.child_by_field_name("value")
        if value is not None and value.type == "identifier" and b"default" in self.data[node.start_byte : value.start_byte]:
            self.facts.exported = _node_text(value)
        declaration = node.child_by_field_name("declaration")
        if declaration is not None and declaration.type == "function_declaration":
            name = declaration.child_by_field_name("name")
            if name is not None:
                self.facts.exported_names[_node_text(name)] = _node_text(name)
        elif declaration is not None and declaration.type in ("lexical_declaration", "variable_declaration"):
            for decl in declaration.named_children:
                name = decl.child_by_field_name("name") if decl.type == "variable_declarator" else None
                if name is not None and name.type == "identifier":
                    self.facts.exported_names[_node_text(name)] = _node_text(name)

    def _call(self, call, callee_node, args_node) -> None:
        if callee_node.type == "member_expression":
            method = _node_text(callee_node.child_by_field_name("property"))
            if method not in _REGISTRATION_METHODS:
                return
        elif callee_node.type != "identifier" or _node_text(callee_node) not in ("require", "views", "koaViews"):
            return
        callee = _dotted(callee_node) or ""
        args = args_node.named_children
        if callee == "require" and args and "koa" in (_string(args[0]) or ""):
            self.facts.framework = "Koa"
        if callee_node.type != "member_expression":
            if callee.rsplit(".", 1)[-1] in ("views", "koaViews") and args:
                self._koa_views(args)
            return
        obj = callee_node.child_by_field_name("object")
        if method == "set" and len(args) >= 2:
            key = _string(args[0])
            if key == "views":
                self.facts.view_dirs.extend(self.path_value(args[1]))
            elif key == "view engine" and (engine := _string(args[1])):
                self.facts.view_exts.append("." + engine.lstrip("."))
            return
        if method == "engine" and args and (engine := _string(args[0])):
            self.facts.view_exts.append("." + engine.lstrip("."))
            return
        if method == "configure" and callee.endswith("nunjucks.configure") and args:
            if args[0].type != "object":
                self.facts.view_dirs.extend(self.path_value(args[0]))
            self.facts.view_exts.extend([".njk", ".nunjucks", ".html"])
            return
        if method == "views" and args and args[0].type == "object":
            self._hapi_views(args[0])
            return
        if method == "default" and callee.endswith("auth.default") and args:
            self._hapi_default(args[0], call)
            return
        if method == "route" and args and args[0].type in ("object", "array") and not callee.endswith(".route.route"):
            if self._hapi_routes(args[0]):
                return
        if method == "prefix" and args and _string(args[0]):
            receiver = _dotted(obj)
            if receiver:
                self.facts.prefixes[receiver] = _string(args[0])
            return
        if method != "use" and method not in HTTP_METHODS:
            return
        path = None
        # router.route('/x').get(…).post(…)
        while obj is not None and obj.type == "call_expression":
            inner = obj.child_by_field_name("function")
            if inner is None or inner.type != "member_expression":
                return
            inner_method = _node_text(inner.child_by_field_name("property"))
            inner_args = obj.child_by_field_name("arguments")
            if inner_method == "route":
                first = inner_args.named_children[0] if inner_args is not None and inner_args.named_children else None
                path = _string(first)
                obj = inner.child_by_field_name("object")
                break
            if inner_method in HTTP_METHODS:
                obj = inner.child_by_field_name("object")
                continue
            return
        receiver = _dotted(obj)
        if not receiver:
            return
        rest = list(args)
        if rest and path is None:
            first = _string(rest[0])
            if first is not None:
                path = first
                rest = rest[1:]
                if method != "use" and rest and _string(rest[0]) is not None:
                    path = _string(rest[0])  # koa-router named route: router.get('name', '/path', …)
                    rest = rest[1:]
            elif rest[0].type in ("regex", "array") and method != "use" and all(
                c.type in ("string", "regex") for c in rest[0].named_children
            ):
                rest = rest[1:]  # a regex or a list of paths: not one literal path
                path = "\0"
        if path == "\0":
            path = None
        elif method == "use" and path is None:
            path = "/"
        parsed: list[Arg] = []
        for node in rest:
            parsed.extend(self.arg(node))
        if not parsed:
            return
        self.facts.regs.append(Reg(receiver, method, path, parsed, call.start_point[0] + 1, call.start_byte))

    # -- view configuration
    def _koa_views(self, args) -> None:
        self.facts.view_dirs.extend(self.path_value(args[0]))
        if len(args) > 1:
            options = _pairs(args[1])
            ext = _string(options.get("extension"))
            if ext:
                self.facts.view_exts.append("." + ext.lstrip("."))
            mapping = _pairs(options.get("map"))
            self.facts.view_exts.extend("." + key.lstrip(".") for key in mapping)

    def _hapi_views(self, obj) -> None:
        options = _pairs(obj)
        if "engines" not in options and "path" not in options:
            return
        engines = _pairs(options.get("engines"))
        self.facts.view_exts.extend("." + key.lstrip(".") for key in engines)
        relative = options.get("relativeTo")
        base = None
        if relative is not None:
            if _node_text(relative) == "__dirname":
                base = self.dir
            else:
                values = self.path_value(relative)
                base = values[0] if values else None
        for value in self.path_value(options.get("path")) if options.get("path") is not None else ():
            if base is not None and value.startswith("@cwd/"):
                inner = value[len("@cwd/") :]
                value = posixpath.normpath(posixpath.join(base.replace("@cwd/", "") if base.startswith("@cwd/") else base, inner))
            self.facts.view_dirs.append(value)
        self.facts.framework = "hapi"

    def _hapi_default(self, node, call) -> None:
        line = call.start_point[0] + 1
        value = _string(node)
        if value is not None:
            self.facts.hapi_default = (f"strategy `{value}`", line)
        elif node.type == "object":
            options = _pairs(node)
            mode = _string(options.get("mode"))
            if mode in ("try", "optional"):
                return
            strategy = _string(options.get("strategy")) or "default"
            self.facts.hapi_default = (f"strategy `{strategy}`", line)

    def _hapi_routes(self, node) -> bool:
        objects = [node] if node.type == "object" else [c for c in node.named_children if c.type == "object"]
        found = False
        for obj in objects:
            options = _pairs(obj)
            if "handler" not in options and "options" not in options and "config" not in options:
                continue
            if "path" not in options and "method" not in options:
                continue
            found = True
            inner = _pairs(options.get("options") or options.get("config"))
            auth_node = inner.get("auth", options.get("auth"))
            handler = inner.get("handler", options.get("handler"))
            auth: object = None
            if auth_node is not None:
                text = _node_text(auth_node)
                if text == "false":
                    auth = False
                elif _string(auth_node) is not None:
                    auth = f"strategy `{_string(auth_node)}`"
                elif auth_node.type == "object":
                    auth_options = _pairs(auth_node)
                    mode = _string(auth_options.get("mode"))
                    if mode in ("try", "optional"):
                        auth = False
                    else:
                        strategy = _string(auth_options.get("strategy"))
                        auth = f"strategy `{strategy}`" if strategy else "auth"
            renders: tuple = ()
            if handler is not None:
                if handler.type == "object":
                    view = _pairs(handler).get("view")
                    name = _string(view) if view is not None else None
                    if name is None and view is not None:
                        name = _string(_pairs(view).get("template"))
                    if name:
                        renders = ((name, handler.start_point[0] + 1),)
                else:
                    renders = self.renders_in(handler)
            method = (_string(options.get("method")) or "GET").upper()
            self.facts.hapi_routes.append(HapiRoute(method, _string(options.get("path")), auth, renders, obj.start_point[0] + 1))
        if found:
            self.facts.framework = "hapi"
        return found


_SERVER_WORDS = lazy_pattern(
    r"\b(?:req|res|ctx|request|reply|response)\b|express|[Kk]oa|hapi|Router\b"
    r"|\b\w*(?:app|router|server|routes|api)\s*\.\s*(?:use|get|post|put|patch|delete|all|route|set|engine|listen|views|auth)\b"
)


# The two tests above, split so that every part has a literal or a small set of first characters
# the regex engine can skip to: one alternation whose branches start with `\b` or `\w*` is tried
# at every position, which took 50 ms on a 1.5 MB bundle. Same answers (tests compare them).
_DOT_CALL = lazy_pattern(r"\.(?:render|view|use|route|get|post|put|patch|delete|all|set|engine|configure|views)\s*\(")
_BARE_CALL = lazy_pattern(r"\b(?:redirect|next)\s*\(")
_SERVER_NAMES = lazy_pattern(r"\b(?:req|res|ctx|request|reply|response)\b")
_ROUTER_WORD = lazy_pattern(r"Router\b")
_SERVER_CALL = lazy_pattern(
    r"(?:app|router|server|routes|api)\s*\.\s*(?:use|get|post|put|patch|delete|all|route|set|engine|listen|views|auth)\b"
)


literalgates.register("redirect", "next")


def may_serve(text: str) -> bool:
    """What _SERVER_HINT and _SERVER_WORDS both finding something says, faster."""
    hint = _DOT_CALL.search(text) is not None or (
        (literalgates.contains(text, "redirect") or literalgates.contains(text, "next")) and _BARE_CALL.search(text) is not None
    )
    if not hint:
        return False
    if "express" in text or "Koa" in text or "koa" in text or "hapi" in text:
        return True
    if "Router" in text and _ROUTER_WORD.search(text):
        return True
    return _SERVER_NAMES.search(text) is not None or _SERVER_CALL.search(text) is not None


def _js_facts(rel: str, text: str) -> JsFile | None:
    if not may_serve(text):
        return None
    return _JsScan(rel, Script(text, dialect_for(rel))).run()


# ------------------------------------------------------------------ project: combine the JS facts


def _norm_route(path: str | None) -> str | None:
    if path is None:
        return None
    path = path.strip()
    if path in ("*", "/*", "(.*)", "/(.*)", ""):
        return "/"
    if path.endswith("/*"):
        path = path[:-2]
    elif path.endswith("*"):
        path = path[:-1]
    if not path.startswith("/"):
        path = "/" + path
    return path.rstrip("/") or "/"


def _covers(scope: str, path: str | None) -> bool:
    if scope == "/":
        return True
    if path is None:
        return False
    return path == scope or path.startswith(scope + "/")


def _joined(prefix: str, path: str | None) -> str | None:
    if path is None:
        return None
    if prefix in ("", "/"):
        return path
    return (prefix.rstrip("/") + path) if path != "/" else prefix


def _bare(label: str) -> str:
    """A guard label inside a code span: `requireAuth` -> requireAuth."""
    if len(label) > 2 and label[0] == label[-1] == "`" and label.count("`") == 2:
        return label[1:-1]
    return label


@dataclass
class _Scope:
    path: str  # relative to the receiver
    text: str  # how it is guarded, e.g. "`app.use('/portal', requireAuth)`"
    where: str
    line: int


class _Project:
    def __init__(self, repo, files: dict):
        self.repo = repo
        self.files: dict[str, JsFile] = files
        self.guard_functions = set()
        for facts in files.values():
            for name, funcs in facts.functions.items():
                if any(f.guards for f in funcs):
                    self.guard_functions.add(name)
        self.mounts: dict[tuple, list] = {}  # child key -> [(parent key, reg index, mount path, [guards])]
        self.display_prefix: dict[tuple, str] = {}
        self._inherited: dict[tuple, list] = {}
        self._views: dict[tuple, str | None] = {}
        # guard labels of every registration's arguments, and the guards each receiver applies
        self.labels: dict[str, list[list]] = {}
        self._scopes: dict[tuple, tuple[list[int], list[_Scope]]] = {}
        for rel, facts in files.items():
            self.labels[rel] = [[self.guard_label(a, rel) for a in reg.args] for reg in facts.regs]
            for index, reg in enumerate(facts.regs):
                labels = self.labels[rel][index]
                guards = [label for label in labels if label] if reg.method == "use" else (labels if all(labels) else [])
                if guards:
                    at, scopes = self._scopes.setdefault((rel, reg.receiver), ([], []))
                    at.append(index)
                    scopes.append(_Scope(_norm_route(reg.path) or "/", self._call_text(reg, guards), rel, reg.line))
        self._build_mounts()

    # -- modules
    def resolve_module(self, source: str, spec: str) -> str | None:
        spec = spec.split("#", 1)[0]
        if not spec.startswith((".", "/")):
            return None
        base = posixpath.normpath(posixpath.join(posixpath.dirname(source), spec))
        candidates = [base] + [base + ext for ext in SCRIPT_ENDINGS] + [f"{base}/index{ext}" for ext in SCRIPT_ENDINGS]
        return self.repo.first(candidates)

    def _exported_receiver(self, rel: str) -> str | None:
        facts = self.files.get(rel)
        if facts is None:
            return None
        if facts.exported and any(r.receiver == facts.exported for r in facts.regs):
            return facts.exported
        receivers = {r.receiver for r in facts.regs}
        return next(iter(receivers)) if len(receivers) == 1 else None

    # -- guards
    def guard_label(self, arg: Arg, rel: str | None = None) -> str | None:
        """How the argument guards the routes after it (for the evidence), or None."""
        if arg.kind == "ref":
            if guard_name(arg.name) or arg.name.rsplit(".", 1)[-1] in self.guard_functions:
                return f"`{arg.name}`"
            if rel is not None and any(f.guards for f in self.functions_named(rel, arg)):
                return f"`{arg.name}`"  # const auth = require('./auth'): a guard by what it does
        elif arg.kind == "call":
            last = arg.name.rsplit(".", 1)[-1]
            if last == "authenticate" and "passport" in arg.name.lower():
                if (arg.first_string or "").lower() in frameworks_data.name_set("express", "passive-strategies"):
                    return None
                return f"`{arg.name}({repr(arg.first_string) if arg.first_string else ''})`"
            if guard_name(arg.name) or last in self.guard_functions:
                return f"`{arg.name}()`"
            if arg.guards:
                return f"`{arg.name}(…)` (turns anonymous users away)"
        elif arg.kind == "func" and arg.guards:
            return "an inline middleware that turns anonymous users away"
        return None

    def mount_target(self, rel: str, arg: Arg) -> tuple | None:
        facts = self.files[rel]
        if arg.kind == "mountcall":
            name = arg.name
        elif arg.kind == "ref":
            name = arg.name
        elif arg.kind == "module":
            target = self.resolve_module(rel, arg.name)
            receiver = self._exported_receiver(target) if target else None
            return (target, receiver) if receiver else None
        else:
            return None
        if any(r.receiver == name for r in facts.regs):
            return (rel, name)
        if name in facts.imports:
            target = self.resolve_module(rel, facts.imports[name])
            receiver = self._exported_receiver(target) if target else None
            if receiver:
                return (target, receiver)
        return None

    def _build_mounts(self) -> None:
        for rel, facts in self.files.items():
            for index, reg in enumerate(facts.regs):
                if reg.method != "use":
                    continue
                guards = []
                for arg, label in zip(reg.args, self.labels[rel][index]):
                    if label:
                        guards.append(label)
                        continue
                    child = self.mount_target(rel, arg)
                    if child and child != (rel, reg.receiver):
                        path = _norm_route(reg.path) or "/"
                        self.mounts.setdefault(child, []).append(((rel, reg.receiver), index, path, list(guards), reg.line))
                        prefix = self.display_prefix.get((rel, reg.receiver), "")
                        self.display_prefix.setdefault(child, (_joined(prefix, path) or prefix) if path != "/" else prefix)
        for rel, facts in self.files.items():
            for receiver, prefix in facts.prefixes.items():
                key = (rel, receiver)
                self.display_prefix[key] = _joined(self.display_prefix.get(key, ""), _norm_route(prefix)) or ""

    def own_scopes(self, rel: str, receiver: str, before: int) -> list[_Scope]:
        """Guards a receiver applies to what is registered on it after them (before `before`).

        `use` with a guard among its middleware runs it for every later request under its path;
        a route registration whose handlers are all guards (`router.all('*', requireAuth)`) too.
        """
        at, scopes = self._scopes.get((rel, receiver), ((), ()))
        return list(scopes[: bisect.bisect_left(at, before)])

    def _call_text(self, reg: Reg, labels: list) -> str:
        names = ", ".join(_bare(label) for label in labels)
        if reg.path and reg.path != "/":
            return f"`{reg.receiver}.{reg.method}('{reg.path}', {names})`"
        return f"`{reg.receiver}.{reg.method}({names})`"

    def inherited(self, key: tuple, depth: int = 0, visiting=None) -> list[_Scope]:
        if key in self._inherited:
            return self._inherited[key]
        visiting = set() if visiting is None else visiting
        if key in visiting or depth > 16:
            return []
        visiting.add(key)
        out: list[_Scope] = []
        for parent, index, mount_path, guards, line in self.mounts.get(key, ()):
            if guards:
                text = f"`{parent[1]}.use('{mount_path}', {', '.join(_bare(g) for g in guards)}, …)`"
                out.append(_Scope("/", text, parent[0], line))
            active = self.own_scopes(parent[0], parent[1], index) + self.inherited(parent, depth + 1, visiting)
            for scope in active:
                if _covers(scope.path, mount_path):
                    out.append(_Scope("/", scope.text, scope.where, scope.line))
                elif _covers(mount_path, scope.path):
                    inner = scope.path[len(mount_path.rstrip("/")) :] or "/"
                    out.append(_Scope(inner, scope.text, scope.where, scope.line))
        visiting.discard(key)
        self._inherited[key] = out
        return out

    # -- handlers
    def functions_named(self, rel: str, arg: Arg) -> list[Func]:
        facts = self.files[rel]
        name = arg.name
        if "." in name:
            obj, last = name.rsplit(".", 1)
            obj = obj.split(".")[0]
        else:
            obj, last = None, name
        if obj is None and last in facts.functions:
            return facts.functions[last]
        binding = obj if obj is not None else last
        if binding in facts.imports:
            spec = facts.imports[binding]
            target = self.resolve_module(rel, spec)
            if target and target in self.files:
                other = self.files[target]
                wanted = spec.split("#", 1)[1] if "#" in spec else last
                wanted = other.exported_names.get(wanted, wanted)
                if obj is None and "#" not in spec:
                    wanted = "module.exports"
                return other.functions.get(wanted, [])
            return []
        if obj in ("this",) and last in facts.functions:
            return facts.functions[last]
        owners = [f for f in self.files.values() if last in f.functions]
        if len(owners) == 1 and len(owners[0].functions[last]) == 1:
            return owners[0].functions[last]
        return []

    def handler_renders(self, rel: str, args: list) -> tuple[list, bool]:
        """(templates rendered, handler itself turns anonymous users away)."""
        renders = []
        self_guard = False
        for arg in args:
            if arg.kind in ("func", "call"):
                renders.extend(arg.renders)
                if arg.kind == "func" and arg.checks_user and arg.renders:
                    self_guard = True
            elif arg.kind == "ref":
                for func in self.functions_named(rel, arg):
                    renders.extend(func.renders)
                    if func.checks_user and func.renders and not func.calls_next:
                        self_guard = True
        return renders, self_guard

    # -- views
    def view_config(self, rel: str) -> tuple[list[str], list[str]]:
        dirs: list[tuple[int, str]] = []
        exts: list[str] = []
        for other in self.files.values():
            common = len(posixpath.commonpath([rel, other.rel])) if other.view_dirs else 0
            for value in other.view_dirs:
                dirs.append((-common, value if not value.startswith("@cwd/") else value))
            exts.extend(other.view_exts)
        ordered = [d for _, d in sorted(dirs, key=lambda item: item[0])]
        return list(dict.fromkeys(ordered)), list(dict.fromkeys(exts))

    def resolve_view(self, rel: str, name: str) -> str | None:
        key = (posixpath.dirname(rel), name)
        if key not in self._views:
            self._views[key] = self._resolve_view(rel, name)
        return self._views[key]

    def _resolve_view(self, rel: str, name: str) -> str | None:
        dirs, exts = self.view_config(rel)
        above = ancestors(posixpath.dirname(rel))
        bases: list[str] = []
        for value in dirs:
            if value.startswith("@cwd/"):
                inner = value[len("@cwd/") :]
                bases.extend(posixpath.normpath(posixpath.join(a, inner)) for a in above)
            else:
                bases.append(value)
        bases.extend(posixpath.join(a, "views") if a else "views" for a in above)
        bases = list(dict.fromkeys(b if b != "." else "" for b in bases))
        clean = name.strip().lstrip("/")
        has_ext = bool(posixpath.splitext(posixpath.basename(clean))[1])
        suffixes = [""] if has_ext else []
        suffixes += [e for e in dict.fromkeys([*exts, *DEFAULT_VIEW_EXTS])]
        candidates = [posixpath.join(b, clean + s) if b else clean + s for b in bases for s in suffixes]
        found = self.repo.first(candidates)
        if found:
            return found
        for suffix in suffixes:
            matches = [m for m in self.repo.by_suffix(clean + suffix) if self.repo.kind(m) == "markup"]
            if len(matches) == 1:
                return matches[0]
        return None

    # -- the inferences
    def routes(self) -> list[Route]:
        """Every route that renders a view: one Route per view, with the guard in force."""
        out: list[Route] = []
        for rel, facts in self.files.items():
            for index, reg in enumerate(facts.regs):
                if reg.method in HTTP_METHODS:
                    out.extend(self._express_routes(rel, facts, index, reg))
            for route in facts.hapi_routes:
                out.extend(self._hapi_routes(rel, facts, route))
        return out

    def _express_routes(self, rel: str, facts: JsFile, index: int, reg: Reg) -> list[Route]:
        labels = self.labels[rel][index]
        handler_args = [a for a, label in zip(reg.args, labels) if not label]
        renders, self_guard = self.handler_renders(rel, handler_args)
        if not renders:
            return []
        url, route = self._route_named(rel, facts, reg)
        evidence = self._guard_of(rel, index, reg, route)
        if evidence is None and self_guard:
            evidence = (f"{route} redirects anonymous users to the login page", rel, reg.line)
        return self._rows(rel, reg.line, url, renders, evidence)

    def _route_named(self, rel: str, facts: JsFile, reg: Reg) -> tuple[str | None, str]:
        """A registration's URL (its mount prefixes joined; None when not literal) and how the
        evidence names it (`Express route `POST /portal/book``)."""
        route_path = _norm_route(reg.path)
        url = _joined(self.display_prefix.get((rel, reg.receiver), ""), route_path) if route_path else None
        return url, f"{self.files[rel].framework} route `{reg.method.upper()} {url or reg.path or '…'}`"

    def _guard_of(self, rel: str, index: int, reg: Reg, route: str) -> tuple[str, str, int] | None:
        """(text, file, line) of the guard in force for a registration: middleware of its own,
        else the first `use` of its receiver before it, or of a router it is mounted under, whose
        path covers it."""
        route_guards = [label for label in self.labels[rel][index] if label]
        if route_guards:
            return (f"{route_guards[0]} on {route}", rel, reg.line)
        route_path = _norm_route(reg.path)
        for scope in self.own_scopes(rel, reg.receiver, index) + self.inherited((rel, reg.receiver)):
            if _covers(scope.path, route_path):
                return (f"{scope.text} guards {route}", scope.where, scope.line)
        return None

    def handler_routes(self, wanted: set[tuple[str, str]]) -> list[Route]:
        """A Route for each route registration whose handler is one of `wanted` (file, function
        name, or routes.anonymous_handler(line) for a function written in the registration), with
        the guard in force for it; they label no page."""
        out: list[Route] = []
        for rel, facts in self.files.items():
            for index, reg in enumerate(facts.regs):
                if reg.method not in HTTP_METHODS:
                    continue
                labels = self.labels[rel][index]
                handlers = [h for arg, label in zip(reg.args, labels) if not label for h in self.handlers_of(rel, arg)]
                handlers = [h for h in handlers if h in wanted]
                if not handlers:
                    continue
                url, route = self._route_named(rel, facts, reg)
                evidence = self._guard_of(rel, index, reg, route)
                guards = (Guard(*evidence),) if evidence else ()
                out.extend(Route("express", "", rel, reg.line, url, guards, handler=h) for h in handlers)
        return out

    def handlers_of(self, rel: str, arg: Arg) -> list[tuple[str, str]]:
        """(file, function name) a handler argument runs: a function written in place (keyed by
        its line), one of the file's own, or one a required or imported module exports."""
        if arg.kind == "func":
            return [(rel, anonymous_handler(arg.line))]
        if arg.kind != "ref":
            return []
        facts = self.files[rel]
        obj, _, last = arg.name.rpartition(".")
        binding = obj.split(".")[0] if obj else last
        if not obj and last in facts.functions:
            return [(rel, last)]
        spec = facts.imports.get(binding)
        target = self.resolve_module(rel, spec) if spec else None
        if spec is None or target is None:
            return []
        if "#" in spec:  # `const { book } = require('./booking')`
            last = spec.split("#", 1)[1]
        elif not obj:
            return []  # the module's default export: its name is not known here
        other = self.files.get(target)
        return [(target, other.exported_names.get(last, last) if other is not None else last)]

    def _hapi_routes(self, rel: str, facts: JsFile, route: HapiRoute) -> list[Route]:
        auth = route.auth
        text_line = (rel, route.line)
        if auth is None and facts.hapi_default is None:
            default = self._hapi_default_elsewhere()
            if default:
                text_line = (default[1], default[2])
                auth = default[0]
        elif auth is None and facts.hapi_default is not None:
            auth = facts.hapi_default[0]
            text_line = (rel, facts.hapi_default[1])
        url = _norm_route(route.path)
        evidence = (f"hapi route `{route.method} {route.path or '…'}` requires {auth}",) + text_line if auth else None
        return self._rows(rel, route.line, url, route.renders, evidence)

    def _rows(self, rel: str, line: int, url: str | None, renders, evidence: tuple[str, str, int] | None) -> list[Route]:
        """One Route per view a handler renders (the guard's evidence names the view)."""
        out = []
        for template, _line in renders:
            page = self.resolve_view(rel, template)
            if not page:
                continue
            guards = (Guard(evidence[0] + f" (renders `{template}`)", evidence[1], evidence[2]),) if evidence else ()
            out.append(Route("express", page, rel, line, url, guards))
        return out

    def _hapi_default_elsewhere(self):
        for facts in self.files.values():
            if facts.hapi_default:
                return (f"{facts.hapi_default[0]} (server.auth.default)", facts.rel, facts.hapi_default[1])
        return None


# ------------------------------------------------------------------ entry points

# folders of browser assets, never server code
_CLIENT_DIRS = ("public", "static", "assets", "dist", "build", "www", "wwwroot", "vendor")
_MAX_SERVER_FILES = 5000


def _server_roots(repo) -> list[str] | None:
    """Folders of Node server packages; None when the repository has no package.json at all."""
    from phi_lint.pagegraph.templates_other import _dependencies

    manifests = [m for m in repo.of_kind("manifest") if posixpath.basename(m) == "package.json"]
    if not manifests:
        return None
    roots = []
    for manifest in manifests:
        if _dependencies(repo, manifest) & frameworks_data.name_set("express", "server-packages"):  # package.json of a Node server
            roots.append(posixpath.dirname(manifest))
    return roots


def server_files(repo) -> list[str]:
    """Script files that may hold server routes, for the project-level pass."""
    roots = _server_roots(repo)
    if roots == []:
        return []
    out = []
    for rel in repo.of_kind("script"):
        lower = rel.lower()
        if not lower.endswith(SCRIPT_ENDINGS) or lower.endswith((".d.ts", ".min.js")):
            continue
        if roots is not None and not any(root == "" or rel.startswith(root + "/") for root in roots):
            continue
        parts = rel.split("/")[:-1]
        if any(part in _CLIENT_DIRS for part in parts):
            continue
        out.append(rel)
    if len(out) > _MAX_SERVER_FILES:
        repo.note(".", f"Node server route inference read the first {_MAX_SERVER_FILES} of {len(out)} server script "
                       "files; routes and guards in the others are unknown", level="warning")
    return out[:_MAX_SERVER_FILES]


def file_hints(rel: str, text: str) -> tuple[str, ...]:
    """Run in pass 1 on every file: whether it may hold Node server routes (what _js_facts needs
    before it parses), so the project pass reads only those files again."""
    if rel.lower().endswith(SCRIPT_ENDINGS) and may_serve(text):
        return (NODE_SERVER_HINT,)
    return ()


NODE_SERVER_HINT = "node-server"


def server_routes(repo) -> list[Route]:
    """Express / Koa / hapi: routers, guards and views span files, so they are read together here."""
    project = server_project(repo)
    return project.routes() if project is not None else []


def server_project(repo) -> _Project | None:
    """The Node server files read together (once per run), or None when there are none.

    Only the script files of packages that depend on a Node server framework are read (all of
    them when the repository has no package.json), and only those with route-like calls parsed.
    """
    return repo.memo((__name__, "project"), lambda: _server_project(repo))


def _server_project(repo) -> _Project | None:
    files = {}
    hints = getattr(repo, "hints", None)  # from pass 1, when the scan collected them
    for rel in server_files(repo):
        if hints is not None and NODE_SERVER_HINT not in hints.get(rel, ()):
            continue  # _js_facts would find nothing in it
        text = repo.read(rel)
        if not text:
            continue
        try:
            facts = _js_facts(rel, text)
        except (RecursionError, ValueError, UnicodeError):
            continue  # a file too odd to analyse adds nothing; the others still count
        if facts is not None and (
            facts.regs or facts.functions or facts.view_dirs or facts.view_exts or facts.hapi_routes or facts.hapi_default
        ):
            files[rel] = facts
    if not files:
        return None
    return _Project(repo, files)


@register
class Express(Framework):
    id = "express"
    name = "Express / Koa / hapi"
    reads = {"file_hints": (Reads(endings=SCRIPT_ENDINGS),)}

    def file_hints(self, rel: str, text: str) -> tuple[str, ...]:
        return file_hints(rel, text)

    def routes(self, repo, graph) -> list[Route]:
        return server_routes(repo)

    def handler_routes(self, repo, handlers) -> list[Route]:
        if not any(rel.lower().endswith(SCRIPT_ENDINGS) for rel, _name in handlers):
            return []
        project = server_project(repo)
        return project.handler_routes(set(handlers)) if project is not None else []
