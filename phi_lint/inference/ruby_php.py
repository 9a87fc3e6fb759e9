"""Context inference for Laravel: which views are served behind login. (Rails:
phi_lint.frameworks.rails.)

Laravel: `auth` middleware (also `auth:sanctum`, `auth.basic`, `verified`, Authenticate::class)
on a route, a `Route::middleware([...])->group(...)` / `Route::group(['middleware' => …])`
around it (nested groups and route files required inside a group inherit it), or a controller's
`$this->middleware('auth')` (with ->only / ->except) or static `middleware()` list → the views the
route's action returns (`view('account.overview')`, `Route::view`, closures, Inertia pages,
Livewire full-page components). Views of routes under `guest` middleware (sign-in, register)
are public.

A layout whose every user (pages extending it) is labelled behind login is labelled too.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from phi_lint import frameworks_data
from phi_lint.inference.model import Inference
from phi_lint.pagegraph.model import LAYOUT_KINDS
from phi_lint.pagegraph.templates_ruby_php import (
    Lines,
    bracket_pairs,
    livewire_view,
    php_expression,
    php_lex,
    resolve_blade,
    resolve_php,
    string_value,
    string_values,
)

MAX_EVIDENCE_PER_PAGE = 3


def infer_project(repo, graph) -> list[Inference]:
    found: list[Inference] = []
    found.extend(_laravel(repo))
    found.extend(_layouts_behind_login(found, graph))
    return found


# =========================================================================== Laravel

_ROUTE_FILE = re.compile(r"(^|/)(routes/.+\.php|app/Providers/RouteServiceProvider\.php|bootstrap/app\.php)$")
_VERBS = {
    "get", "post", "put", "patch", "delete", "options", "any", "match", "view", "resource", "resources",
    "apiResource", "singleton", "fallback", "livewire", "volt",
}
_RESOURCE_METHODS = ("index", "create", "store", "show", "edit", "update", "destroy")
# Laravel's middleware names: rules/frameworks/laravel.toml


def _is_middleware(name: str, kind: str) -> bool:
    """Whether a middleware name is one of the `kind` (auth, guest) aliases, alias prefixes
    (auth:sanctum) or classes (the last name of \\App\\Http\\Middleware\\Authenticate)."""
    name = name.strip()
    return (
        name in frameworks_data.name_set("laravel", f"{kind}-middleware")
        or name.startswith(frameworks_data.names("laravel", f"{kind}-middleware-prefixes"))
        or name.rsplit("\\", 1)[-1] in frameworks_data.name_set("laravel", f"{kind}-middleware-classes")
    )


def is_auth_middleware(name: str) -> bool:
    return _is_middleware(name, "auth")


def is_guest_middleware(name: str) -> bool:
    return _is_middleware(name, "guest")


@dataclass(frozen=True)
class Middleware:
    name: str
    path: str
    line: int


@dataclass
class _Scope:
    """What a group gives the routes inside it."""

    middleware: tuple[Middleware, ...] = ()
    without: tuple[str, ...] = ()
    prefix: str = ""
    controller: str | None = None


@dataclass
class _Route:
    path: str
    line: int
    verb: str
    uri: str
    scope: _Scope
    targets: list  # ("view", name) | ("action", class, method) | ("class", class)


class _PhpFile:
    def __init__(self, rel: str, text: str):
        self.rel = rel
        self.code, self.mask = php_lex(text)
        self.pairs = bracket_pairs(self.mask)
        self.lines = Lines(self.code)
        self.uses: dict[str, str] = {}
        for match in re.finditer(r"^[ \t]*use\s+\\?([\w\\]+)(?:\s+as\s+(\w+))?\s*;", self.code, re.M):
            fqcn = match.group(1)
            self.uses[match.group(2) or fqcn.rsplit("\\", 1)[-1]] = fqcn
        namespace = re.search(r"^[ \t]*namespace\s+([\w\\]+)\s*;", self.code, re.M)
        self.namespace = namespace.group(1) if namespace else ""

    def args(self, open_index: int) -> list[tuple[int, int]]:
        """Spans of the top-level arguments of the bracket at open_index."""
        close = self.pairs.get(open_index)
        if close is None:
            return []
        spans, start, i = [], open_index + 1, open_index + 1
        pattern = re.compile(r"[,(\[{]")
        while True:
            match = pattern.search(self.mask, i, close)
            if not match:
                break
            if match.group() == ",":
                spans.append((start, match.start()))
                start = i = match.end()
            else:
                i = self.pairs.get(match.start(), close - 1) + 1
        if self.mask[start:close].strip() or spans:
            spans.append((start, close))
        return spans

    def text(self, span: tuple[int, int]) -> str:
        return self.code[span[0] : span[1]]

    def chain(self, pos: int) -> list[tuple[str, int]]:
        """Method chain from pos: [(name, index of its "(")]."""
        items = []
        call = re.compile(r"\s*(\w+)\s*\(")
        arrow = re.compile(r"\s*\??->")
        while len(items) < 32:
            match = call.match(self.mask, pos)
            if not match:
                break
            open_index = match.end() - 1
            close = self.pairs.get(open_index)
            if close is None:
                break
            items.append((match.group(1), open_index))
            nxt = arrow.match(self.mask, close + 1)
            if not nxt:
                break
            pos = nxt.end()
        return items


def _class_names(text: str) -> list[str]:
    return re.findall(r"\\?([A-Za-z_][\w\\]*)::class", text)


def _middleware_names(text: str) -> list[str]:
    return string_values(text) + _class_names(text)


class _Laravel:
    def __init__(self, repo):
        self.repo = repo
        self.files: dict[str, _PhpFile | None] = {}
        self.classes: dict[str, dict] = {}

    def php(self, rel: str) -> _PhpFile | None:
        if rel not in self.files:
            text = self.repo.read(rel) if self.repo.exists(rel) else None
            self.files[rel] = _PhpFile(rel, text) if text else None
        return self.files[rel]

    # ---------------------------------------------------------------- routes

    def routes(self) -> list[_Route]:
        route_files = [rel for rel in self.repo.files if _ROUTE_FILE.search(rel) and not rel.endswith(".blade.php")]
        inherited: dict[str, _Scope] = {}
        result: dict[str, list[_Route]] = {}
        for _ in range(6):  # route files included inside groups inherit the group; settle in a few rounds
            changed = False
            for rel in route_files:
                routes, included = self._parse_routes(rel, inherited.get(rel, _Scope()))
                result[rel] = routes
                for target, scope in included:
                    if target in inherited:
                        merged = _merge(inherited[target], scope)
                        if merged != inherited[target]:
                            inherited[target], changed = merged, True
                    else:
                        inherited[target], changed = scope, True
                        if target not in route_files and self.repo.exists(target):
                            route_files.append(target)
            if not changed:
                break
        return [route for rel in route_files for route in result.get(rel, [])]

    def _parse_routes(self, rel: str, base: _Scope) -> tuple[list[_Route], list[tuple[str, _Scope]]]:
        php = self.php(rel)
        if php is None:
            return [], []
        groups: list[tuple[int, int, _Scope, int]] = []  # body span, scope given, statement start
        statements = []
        for match in re.finditer(r"(?<![\w$>\\])(?:\\?Illuminate\\Support\\Facades\\)?Route::", php.mask):
            chain = php.chain(match.end())
            if chain:
                statements.append((match.start(), chain))
        # groups first, so routes can look up their enclosing scopes
        for start, chain in statements:
            names = [name for name, _ in chain]
            if "group" not in names:
                continue
            group_at = names.index("group")
            scope = self._chain_scope(php, chain[:group_at], start)
            args = php.args(chain[group_at][1])
            if args and php.mask[args[0][0] : args[0][1]].strip().startswith("["):
                scope = _merge(scope, self._array_scope(php, php.text(args[0]), start))
                args = args[1:]
            body = args[0] if args else None
            if body is None:
                continue
            groups.append((body[0], body[1], scope, start))
        groups.sort(key=lambda g: g[0])
        routes: list[_Route] = []
        for start, chain in statements:
            names = [name for name, _ in chain]
            if "group" in names:
                continue
            verb_at = next((i for i, name in enumerate(names) if name in _VERBS), None)
            if verb_at is None:
                continue
            scope = self._enclosing(groups, start, base, php)
            own = self._chain_scope(php, chain[:verb_at] + chain[verb_at + 1 :], start)
            scope = _merge(scope, own)
            routes.extend(self._route(php, chain, verb_at, start, scope))
        included: list[tuple[str, _Scope]] = []
        for body_start, body_end, scope, start in groups:
            body = php.code[body_start:body_end]
            if re.match(r"\s*(?:static\s+)?(?:function|fn)\b", body):
                continue
            target = self._file_reference(php, body)
            if target:
                included.append((target, _merge(self._enclosing(groups, start, base, php), scope)))
        for match in re.finditer(r"(?<![\w$>:\\])(?:require|include)(?:_once)?\b", php.mask):
            stop = php.mask.find(";", match.end(), match.end() + 300)
            expr = php.code[match.end() : stop if stop >= 0 else match.end() + 300]
            target = self._file_reference(php, expr)
            if target:
                included.append((target, self._enclosing(groups, match.start(), base, php)))
        return routes, included

    def _file_reference(self, php: _PhpFile, expr: str) -> str | None:
        expr = expr.strip()
        base_path = re.match(r"base_path\s*\(\s*(['\"])([^'\"]+)\1", expr)
        if base_path:
            return self.repo.first([_prefix(php.rel) + base_path.group(2).lstrip("/")])
        value = php_expression(expr, php.rel, {})
        if value is None:
            return None
        return resolve_php(self.repo, php.rel, *value)

    def _enclosing(self, groups, pos: int, base: _Scope, php: _PhpFile) -> _Scope:
        scope = base
        for body_start, body_end, group_scope, _ in groups:  # sorted by start: outer groups first
            if body_start > pos:
                break
            if pos < body_end:
                scope = _merge(scope, group_scope)
        return scope

    def _chain_scope(self, php: _PhpFile, items, start: int) -> _Scope:
        middleware: list[Middleware] = []
        without: list[str] = []
        prefix = ""
        controller = None
        for name, open_index in items:
            args = php.args(open_index)
            text = php.text((open_index + 1, php.pairs[open_index]))
            line = php.lines(open_index)
            if name == "middleware":
                middleware += [Middleware(n, php.rel, line) for n in _middleware_names(text)]
            elif name == "withoutMiddleware":
                without += _middleware_names(text)
            elif name == "prefix" and args:
                prefix = string_value(php.text(args[0])) or ""
            elif name == "controller" and args:
                classes = _class_names(php.text(args[0]))
                controller = self._fqcn(php, classes[0]) if classes else None
        return _Scope(tuple(middleware), tuple(without), prefix, controller)

    def _array_scope(self, php: _PhpFile, text: str, start: int) -> _Scope:
        """Route::group(['middleware' => 'auth', 'prefix' => 'x'], …)."""
        line = php.lines(start)
        scope = _Scope()
        value = re.search(r"(['\"])middleware\1\s*=>\s*(\[[^\]]*\]|'[^']*'|\"[^\"]*\"|[\w\\]+::class)", text)
        if value:
            scope.middleware = tuple(Middleware(n, php.rel, line) for n in _middleware_names(value.group(2)))
        prefix = re.search(r"(['\"])prefix\1\s*=>\s*(['\"])([^'\"]*)\2", text)
        if prefix:
            scope.prefix = prefix.group(3)
        controller = re.search(r"(['\"])controller\1\s*=>\s*\\?([\w\\]+)::class", text)
        if controller:
            scope.controller = self._fqcn(php, controller.group(2))
        return scope

    def _route(self, php: _PhpFile, chain, verb_at: int, start: int, scope: _Scope) -> list[_Route]:
        verb, open_index = chain[verb_at]
        args = [php.text(span) for span in php.args(open_index)]
        line = php.lines(start)
        targets: list = []
        uri = string_value(args[0]) if args else None
        if verb == "match":
            uri = string_value(args[1]) if len(args) > 1 else None
            action = args[2] if len(args) > 2 else ""
        elif verb == "fallback":
            uri, action = "(fallback)", args[0] if args else ""
        else:
            action = args[1] if len(args) > 1 else ""
        if verb in ("view", "volt"):
            name = string_value(action)
            if name:
                targets.append(("view", name) if verb == "view" else ("view", "livewire." + name))
        elif verb in ("resource", "resources", "apiResource", "singleton"):
            methods = list(_RESOURCE_METHODS)
            for name, item_open in chain[verb_at + 1 :]:
                listed = string_values(php.text((item_open + 1, php.pairs[item_open])))
                if name == "only":
                    methods = [m for m in methods if m in listed]
                elif name == "except":
                    methods = [m for m in methods if m not in listed]
            if verb == "resources":
                classes = _class_names(args[0] if args else "")
            else:
                classes = _class_names(action)
            for cls in classes:
                fqcn = self._fqcn(php, cls)
                targets.extend(("action", fqcn, m) for m in methods)
        elif verb == "livewire":
            for cls in _class_names(action):
                targets.append(("class", self._fqcn(php, cls)))
        else:
            pair = re.search(r"\[\s*\\?([\w\\]+)::class\s*,\s*(['\"])(\w+)\2", action)
            at = re.fullmatch(r"\s*(['\"])([\w\\]+)@(\w+)\1\s*", action)
            if pair:
                targets.append(("action", self._fqcn(php, pair.group(1)), pair.group(3)))
            elif at:
                targets.append(("action", self._fqcn(php, at.group(2), legacy=True), at.group(3)))
            elif re.match(r"\s*(?:static\s+)?(?:function|fn)\b", action):
                targets.extend(("view", name) for name, _ in _view_calls(action))
            elif _class_names(action):
                targets.append(("class", self._fqcn(php, _class_names(action)[0])))
            elif scope.controller and string_value(action):
                targets.append(("action", scope.controller, string_value(action)))
        path = "/" + "/".join(p.strip("/") for p in (scope.prefix, uri or "") if p and p.strip("/"))
        return [_Route(php.rel, line, verb.upper() if verb not in ("view", "volt") else "GET", path, scope, targets)]

    def _fqcn(self, php: _PhpFile, name: str, legacy: bool = False) -> str:
        name = name.lstrip("\\")
        head = name.split("\\", 1)[0]
        if head in php.uses:
            return php.uses[head] + name[len(head) :]
        if "\\" in name:
            return name
        if legacy:
            return "App\\Http\\Controllers\\" + name
        return (php.namespace + "\\" + name) if php.namespace else name

    # ---------------------------------------------------------------- classes

    def class_file(self, fqcn: str, near: str) -> str | None:
        prefix = _prefix(near)
        parts = fqcn.split("\\")
        if parts[0] == "App" and len(parts) > 1:
            found = self.repo.first([prefix + "app/" + "/".join(parts[1:]) + ".php"])
            if found:
                return found
        short = parts[-1] + ".php"
        for directory in ("app/Http/Controllers/", "app/Livewire/", "app/Http/Livewire/"):
            found = self.repo.first([prefix + directory + short])
            if found:
                return found
        matches = [rel for rel in self.repo.by_suffix(short) if "/app/" in "/" + rel]
        return matches[0] if len(matches) == 1 else None

    def parse_class(self, rel: str) -> dict:
        if rel in self.classes:
            return self.classes[rel]
        info = {"name": posixpath.basename(rel)[: -len(".php")], "methods": {}, "middleware": [], "rel": rel}
        self.classes[rel] = info
        php = self.php(rel)
        if php is None:
            return info
        cls = re.search(r"\bclass\s+(\w+)", php.mask)
        if cls:
            info["name"] = cls.group(1)
        for match in re.finditer(r"\bfunction\s+(\w+)\s*\(", php.mask):
            params_close = php.pairs.get(match.end() - 1)
            if params_close is None:
                continue
            brace = re.compile(r"[^{;]*").match(php.mask, params_close + 1)
            body_open = brace.end()
            if body_open >= len(php.mask) or php.mask[body_open] != "{":
                continue
            body_close = php.pairs.get(body_open, body_open)
            name = match.group(1)
            body = (body_open, body_close)
            info["methods"][name] = body
            if name == "__construct":
                info["middleware"] += self._constructor_middleware(php, body)
            elif name == "middleware" and re.search(r"\bstatic\b[^;{}]*$", php.mask[max(0, match.start() - 40) : match.start()]):
                info["middleware"] += self._static_middleware(php, body)
        return info

    def _constructor_middleware(self, php: _PhpFile, body) -> list[tuple[list[str], list | None, list | None, int]]:
        out = []
        for match in re.finditer(r"\$this\s*->\s*middleware\s*\(", php.mask[: body[1]]):
            if match.start() < body[0]:
                continue
            open_index = match.end() - 1
            names = _middleware_names(php.text((open_index + 1, php.pairs.get(open_index, open_index))))
            only = except_ = None
            pos = php.pairs.get(open_index, open_index) + 1
            arrow = re.compile(r"\s*->").match(php.mask, pos)
            if arrow:
                for name, item_open in php.chain(arrow.end()):
                    listed = string_values(php.text((item_open + 1, php.pairs[item_open])))
                    if name == "only":
                        only = listed
                    elif name == "except":
                        except_ = listed
            out.append((names, only, except_, php.lines(match.start()), "$this->middleware(…)"))
        return out

    def _static_middleware(self, php: _PhpFile, body) -> list:
        out = []
        mask = php.mask[body[0] : body[1]]
        ret = re.search(r"\breturn\s*\[", mask)
        if not ret:
            return out
        open_index = body[0] + ret.end() - 1
        for span in php.args(open_index):
            item = php.text(span)
            line = php.lines(span[0])
            new = re.match(r"\s*new\s+\\?(?:[\w\\]*\\)?Middleware\s*\(", item)
            if new:
                inner = item[new.end() :]
                first = inner.split(",", 1)[0]
                names = _middleware_names(first)
                only = re.search(r"\bonly\s*:\s*(\[[^\]]*\]|'[^']*'|\"[^\"]*\")", inner)
                except_ = re.search(r"\bexcept\s*:\s*(\[[^\]]*\]|'[^']*'|\"[^\"]*\")", inner)
                out.append(
                    (
                        names,
                        string_values(only.group(1)) if only else None,
                        string_values(except_.group(1)) if except_ else None,
                        line,
                        "middleware()",
                    )
                )
            else:
                names = _middleware_names(item)
                if names:
                    out.append((names, None, None, line, "middleware()"))
        return out

    def method_views(self, rel: str, method: str) -> list[tuple[str, int]]:
        info = self.parse_class(rel)
        body = info["methods"].get(method)
        php = self.php(rel)
        if body is None or php is None:
            return []
        return [(name, php.lines(body[0]) + offset_line) for name, offset_line in _view_calls(php.code[body[0] : body[1]])]


_VIEW_CALL = re.compile(
    r"(?:(?<![\w>$:\\])view|response\s*\(\s*\)\s*->\s*view|View::make|(?<![\w>$:\\])inertia|Inertia::render)\s*\(\s*(['\"])([\w.\-/:]+)\1"
)


def _view_calls(text: str) -> list[tuple[str, int]]:
    """(view name, line offset) for view('x'), View::make('x'), response()->view('x'),
    Inertia::render('X') / inertia('X') (as 'inertia:X')."""
    out = []
    line, counted_to = 0, 0  # lines counted from the last call, not from the top for each
    for match in _VIEW_CALL.finditer(text):
        name = match.group(2)
        if "nertia" in match.group(0):
            name = "inertia:" + name
        line += text.count("\n", counted_to, match.start())
        counted_to = match.start()
        out.append((name, line))
    return out


def _merge(outer: _Scope, inner: _Scope) -> _Scope:
    prefix = "/".join(p.strip("/") for p in (outer.prefix, inner.prefix) if p and p.strip("/"))
    return _Scope(
        outer.middleware + tuple(m for m in inner.middleware if m not in outer.middleware),
        outer.without + tuple(w for w in inner.without if w not in outer.without),
        prefix,
        inner.controller or outer.controller,
    )


def _prefix(near: str) -> str:
    """The Laravel project's directory inside the repo ('' at the root, 'backend/' …)."""
    match = re.search(r"(^|/)(routes|app|bootstrap|resources)/", near)
    return near[: match.start(2)] if match else ""


def _view_file(repo, near: str, name: str) -> str | None:
    prefix = _prefix(near)
    if name.startswith("inertia:"):
        page = name[len("inertia:") :].strip("/")
        bases = [prefix + "resources/js/Pages/" + page, prefix + "resources/js/pages/" + page]
        return repo.first([b + ext for b in bases for ext in (".vue", ".tsx", ".jsx", ".svelte", ".ts", ".js")])
    return resolve_blade(repo, prefix + "resources/views/x.blade.php", name)


def _laravel(repo) -> list[Inference]:
    if not any(_ROUTE_FILE.search(rel) for rel in repo.files) and not any(
        "app/Http/Controllers/" in rel for rel in repo.files
    ):
        return []
    laravel = _Laravel(repo)
    auth: dict[str, list[Inference]] = {}
    public: dict[str, Inference] = {}

    def views_of(target, near: str) -> list[tuple[str, str, str, int]]:
        """(view file, description of the action, path, line) for a route target."""
        if target[0] == "view":
            view = _view_file(repo, near, target[1])
            return [(view, f"view `{target[1]}`", near, 0)] if view else []
        cls = laravel.class_file(target[1], near)
        if cls is None:
            return []
        if target[0] == "class":
            info = laravel.parse_class(cls)
            if "__invoke" in info["methods"]:
                target = ("action", target[1], "__invoke")
            else:
                php = laravel.php(cls)
                view, name = livewire_view(cls, php.code, repo) if php else (None, "")
                return [(view, f"{info['name']} (Livewire)", cls, 0)] if view else []
        info = laravel.parse_class(cls)
        out = []
        for name, line in laravel.method_views(cls, target[2]):
            view = _view_file(repo, cls, name)
            if view:
                out.append((view, f"{info['name']}@{target[2]}", cls, line))
        return out

    for route in laravel.routes():
        removed = set(route.scope.without)
        guards = [m for m in route.scope.middleware if m.name not in removed and is_auth_middleware(m.name)]
        guests = [m for m in route.scope.middleware if m.name not in removed and is_guest_middleware(m.name)]
        for target in route.targets:
            for view, action, _path, _line in views_of(target, route.path):
                if guards:
                    guard = guards[0]
                    text = f"`{guard.name}` middleware on route {route.verb} {route.uri} ({action})"
                    auth.setdefault(view, []).append(Inference(view, "authenticated", text, guard.path, guard.line))
                elif guests:
                    guest = guests[0]
                    text = f"`{guest.name}` middleware on route {route.verb} {route.uri} ({action}): a page for signed-out visitors"
                    public.setdefault(view, Inference(view, "public", text, guest.path, guest.line))
    # controllers guarding their own methods
    for rel in repo.files:
        if not re.search(r"(^|/)app/Http/Controllers/.+\.php$", rel):
            continue
        info = laravel.parse_class(rel)
        for names, only, except_, line, how in info["middleware"]:
            guard = next((n for n in names if is_auth_middleware(n)), None)
            if guard is None:
                continue
            for method in info["methods"]:
                if method.startswith("__") or method == "middleware":
                    continue
                if only is not None and method not in only:
                    continue
                if except_ is not None and method in except_:
                    continue
                for name, _ in laravel.method_views(rel, method):
                    view = _view_file(repo, rel, name)
                    if view:
                        if how.startswith("$this"):
                            text = f"$this->middleware('{guard}') in {info['name']} (covers {method})"
                        else:
                            text = f"middleware() of {info['name']} lists `{guard}` (covers {method})"
                        auth.setdefault(view, []).append(Inference(view, "authenticated", text, rel, line))
    found = []
    for _view, items in auth.items():
        found.extend(sorted(set(items))[:MAX_EVIDENCE_PER_PAGE])
    found.extend(inference for view, inference in public.items() if view not in auth)
    return found


# =========================================================================== layouts


def _layouts_behind_login(found: list[Inference], graph) -> list[Inference]:
    """A layout every one of whose users is behind login (by this module) is behind login too."""
    if graph is None or not found:
        return []
    auth: dict[str, Inference] = {}
    for inference in found:
        if inference.label == "authenticated" and inference.page not in auth:
            auth[inference.page] = inference
    public = {i.page for i in found if i.label == "public"}
    users: dict[str, set[str]] = {}
    for edge in graph.edges:
        if edge.kind in LAYOUT_KINDS and edge.source != edge.target:
            users.setdefault(edge.target, set()).add(edge.source)
    added: list[Inference] = []
    for _ in range(8):  # layouts of layouts
        changed = False
        for layout in sorted(users):
            sources = users[layout]
            if layout in auth or layout in public:
                continue
            if all(s in auth and s not in public for s in sources):
                first = sorted(sources)[0]
                evidence = auth[first]
                count = f"{len(sources)} pages, e.g. " if len(sources) > 1 else ""
                inference = Inference(
                    layout,
                    "authenticated",
                    f"layout used only by pages behind login ({count}{first})",
                    evidence.path,
                    evidence.line,
                    weak=any(auth[s].weak for s in sources),
                )
                auth[layout] = inference
                added.append(inference)
                changed = True
        if not changed:
            break
    return added
