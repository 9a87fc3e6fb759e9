"""Ruby on Rails: ERB views, controllers, config/routes.rb and Devise, read from tree-sitter trees.

Page graph:
- per ERB file: `render "shared/analytics"`, `render partial: / template: / layout: …`, `render
  @items` (collection partials), `render XComponent.new` (ViewComponent templates),
  `javascript_include_tag` / `javascript_importmap_tags` / `javascript_pack_tag`; the Ruby of the
  template's tags is parsed as one program (phi_lint.lang.ruby.erb_tree);
- per project: every view under app/views/<controller path>/ (not a partial, a layout or a
  mailer view) → the layout its controller uses: the nearest `layout "…"` of the controller or
  its ancestors (with only:/except:, a method or a lambda picking among names), else the first of
  layouts/<controller path> up the ancestry (layouts/application last).

Routes (phi_lint.frameworks.routes), one per view and source of access rules:
- the filters in force for the view's controller and action: `before_action` filters declared in
  the controller, inherited from its ancestors or included from concerns, minus
  `skip_before_action` / `allow_unauthenticated_access` (an `anonymous` route then), with only:,
  except:, if:, unless: (a condition makes the guard weak). A filter is a sign-in filter by its name
  (rules/frameworks/rails.toml, extensible from config) or by its body: a method of the app that
  redirects (or answers 401, raises …) unless the signed-in user is there;
- Devise's `authenticate :user` / `authenticated :user` blocks of config/routes.rb, `do … end` or
  `{ … }`, around resources (only:/except:), `to: "c#a"`, root, namespaces and member routes;
- Devise: its sign-in page is a sign-in route; "edit registration" requires sign-in; its own
  controllers are never behind `authenticate_*!`.

A layout every page of which is behind login is behind login too (phi_lint.frameworks.layouts).

Handlers (asked for the controller actions server-side senders are reached from, whatever they
render): the same blocks and filters, each as a Route with the action as its handler.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from phi_lint import frameworks_data
from phi_lint.dialects import dialect_for, table
from phi_lint.frameworks import Framework, register
from phi_lint.frameworks.layouts import layouts_behind_login
from phi_lint.frameworks.reads import Reads
from phi_lint.frameworks.routes import Guard, Route, inferences
from phi_lint.lang import Source, ruby
from phi_lint.lang.treesitter import descendants, text
from phi_lint.lazyre import lazy_pattern
from phi_lint.pagegraph.model import Edge
from phi_lint.parsers.template_comments import blank_comments

MAX_DEPTH = 24  # controller ancestry / concern nesting
MAX_STATEMENT = 80  # characters of a filter's statement quoted as evidence
ROUTES_FILE = lazy_pattern(r"(^|/)config/routes(\.rb|/.+\.rb)$")
RESOURCES_ACTIONS = ("index", "show", "new", "edit", "create", "update", "destroy")
RENDER_HELPERS = frozenset({"render", "javascript_include_tag", "javascript_importmap_tags", "javascript_pack_tag"})
ROUTE_VERBS = frozenset({"get", "post", "put", "patch", "delete"})
TARGET_VERBS = ROUTE_VERBS | {"match", "root"}
_TARGET = lazy_pattern(r"([\w/]+)#(\w+)")
_PLAIN_PATH = lazy_pattern(r"/?([\w/]+)/(\w+)")
_EXTERNAL_PARENTS = {
    "ActionController::Base": None,
    "ActionController::API": None,
    "ActionController::Metal": None,
    "DeviseController": "devise",
}


def _state(repo) -> dict:
    return repo.memo(__name__, dict)


def _names(key: str) -> frozenset[str]:
    return frameworks_data.name_set("rails", key)


@register
class Rails(Framework):
    id = "rails"
    name = "Rails"
    reads = {"source_edges": (Reads(readers=("erb",)),)}  # views of a dialect with the ERB reader

    def source_edges(self, source: Source, repo) -> Iterable[Edge]:
        dialect = dialect_for(posixpath.basename(source.rel))
        if dialect is None or "erb" not in dialect.includes:
            return ()
        return erb_edges(source, repo, dialect.comments)

    def project_edges(self, repo) -> Iterable[Edge]:
        return layout_edges(repo)

    def routes(self, repo, graph) -> Iterable[Route]:
        return rails_routes(repo)

    def handler_routes(self, repo, handlers) -> Iterable[Route]:
        return action_routes(repo, handlers)

    def infer_project(self, repo, graph):
        return layouts_behind_login(inferences(rails_routes(repo)), graph)


# =========================================================================== names


def underscore(name: str) -> str:
    """Ruby constant → snake path: Admin::PatientRecords → admin/patient_records."""
    out = []
    for part in (p for p in name.split("::") if p):
        part = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", part)
        part = re.sub(r"([a-z\d])([A-Z])", r"\1_\2", part)
        out.append(part.lower())
    return "/".join(out)


@frameworks_data.derived
def _auth_filter_shapes() -> re.Pattern:
    """The filter name shapes of rules/frameworks/rails.toml, as one full-match regex."""
    return frameworks_data.pattern("rails", "auth-filter-patterns")


def is_auth_filter(name: str) -> bool:
    """Whether a before_action filter requires a signed-in user by its name (rules/frameworks/rails.toml)."""
    if name in _names("auth-filters"):
        return True
    return bool(_auth_filter_shapes().fullmatch(name)) and name not in _names("not-auth-filters")


@frameworks_data.derived
def _signed_in_shapes() -> re.Pattern:
    return frameworks_data.pattern("rails", "signed-in-method-patterns")


def is_signed_in_name(name: str) -> bool:
    """Whether a method (or `@variable`) is truthy only for a signed-in visitor: current_patient."""
    name = name.lstrip("@")
    if name in _names("not-signed-in-methods"):
        return False
    return name in _names("signed-in-methods") or bool(_signed_in_shapes().fullmatch(name))


# =========================================================================== ERB files


@lru_cache(maxsize=1)
def view_endings() -> tuple[str, ...]:
    """Endings of the view files the Rails render reader reads: the dialects of
    rules/dialects.toml with the `erb` include reader (ERB, and Haml and Slim, which are read as
    ERB: phi_lint/parsers/indented.py)."""
    return tuple(ending for dialect in table().dialects if "erb" in dialect.includes for ending in dialect.endings)


def _erb_stems(repo) -> dict[str, list[str]]:
    """path without extensions → ERB, Haml and Slim files (app/views/shared/_analytics →
    [….html.erb, ….html.haml, ….text.erb])."""
    state = _state(repo)
    stems = state.get("erb_stems")
    if stems is None:
        stems = {}
        for rel in repo.files:
            if not rel.lower().endswith(view_endings()):
                continue
            head, base = posixpath.split(rel)
            stems.setdefault(posixpath.join(head, base.split(".", 1)[0]), []).append(rel)
        for rels in stems.values():
            rels.sort(key=lambda r: (not r.endswith(".html.erb"), ".html." not in r, not r.endswith(".erb"), r))
        state["erb_stems"] = stems
    return stems


def erb_file(repo, stem: str) -> str | None:
    rels = _erb_stems(repo).get(posixpath.normpath(stem).lstrip("/"))
    return rels[0] if rels else None


def views_root(rel: str, marker: str = "app/views/") -> str | None:
    index = rel.find(marker)
    if index < 0 or (index and rel[index - 1] != "/"):
        return None
    return rel[: index + len(marker)]


def _strip_ext(name: str) -> str:
    head, base = posixpath.split(name)
    return posixpath.join(head, base.split(".", 1)[0]) if base else name


def resolve_partial(repo, rel: str, name: str) -> str | None:
    """`render "shared/analytics"` from view `rel` → app/views/shared/_analytics.html.erb."""
    memo = _state(repo).setdefault("partials", {})
    key = (posixpath.dirname(rel), name)
    if key not in memo:
        memo[key] = _resolve_partial(repo, rel, name)
    return memo[key]


def _resolve_partial(repo, rel: str, name: str) -> str | None:
    name = _strip_ext(name.strip().strip("/"))
    if not name or not re.fullmatch(r"[\w\-/.]+", name):
        return None
    root = views_root(rel) or "app/views/"
    head, base = posixpath.split(name)
    candidates = []
    if head:
        candidates.append(posixpath.join(root, head, "_" + base))
        if root != "app/views/":
            candidates.append(posixpath.join("app/views", head, "_" + base))
    else:
        candidates.append(posixpath.join(posixpath.dirname(rel), "_" + base))
        candidates.append(posixpath.join(root, "application", "_" + base))
        candidates.append(posixpath.join(root, "shared", "_" + base))
    return next((found for found in (erb_file(repo, stem) for stem in candidates) if found), None)


def resolve_template(repo, rel: str, name: str) -> str | None:
    name = _strip_ext(name.strip().strip("/"))
    if not name:
        return None
    if "/" not in name:
        return erb_file(repo, posixpath.join(posixpath.dirname(rel), name))
    return erb_file(repo, posixpath.join(views_root(rel) or "app/views/", name))


def resolve_layout(repo, root: str, name: str) -> str | None:
    """`layout "portal"` → app/views/layouts/portal.html.erb (names containing `layouts` kept)."""
    name = _strip_ext(name.strip().strip("/"))
    if not name:
        return None
    if not re.search(r"\blayouts\b", name):
        name = "layouts/" + name
    return erb_file(repo, posixpath.join(root, name))


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def erb_edges(source: Source, repo, comments: tuple[str, ...]) -> list[Edge]:
    """The edges of one ERB file: the helpers of its code tags that render other files."""
    if "render" not in source.text and "javascript_" not in source.text:
        return []
    clean = blank_comments(source.text, comments or ("erb",))
    if "render" not in clean and "javascript_" not in clean:
        return []
    program = ruby.erb_tree(source, clean)
    if program is None:
        return []
    edges: list[Edge] = []
    for found in ruby.calls(program, RENDER_HELPERS):
        if found.receiver is not None:
            continue  # x.render: not the view helper
        if found.method == "render":
            edges.extend(_render_edges(source.rel, found, repo))
        else:
            edges.extend(_script_edges(source.rel, found, repo))
    return edges


def _render_edges(rel: str, found: ruby.Call, repo) -> list[Edge]:
    first = found.args[0] if found.args else None
    partial = ruby.string(first) if first is not None else None
    if partial is None:
        partial = ruby.string(found.option("partial"))
    template = ruby.string(found.option("template"))
    layout = ruby.string(found.option("layout"))
    at = found.line
    out: list[Edge] = []
    for name, kind, resolve in (
        (partial, "partial", lambda n: resolve_partial(repo, rel, n)),
        (template, "include", lambda n: resolve_template(repo, rel, n)),
        (layout, "layout", lambda n: resolve_partial(repo, rel, n) or resolve_layout(repo, views_root(rel) or "app/views/", n)),
    ):
        if not name:
            continue
        target = resolve(name)
        if target:
            out.append(Edge(rel, target, kind, at, name))
        else:
            repo.note_missing(rel, name, at)
    if not (partial or template or layout) and first is not None:
        out.extend(_object_render_edges(rel, first, at, repo))
    return out


def _object_render_edges(rel: str, first, at: int, repo) -> list[Edge]:
    """`render @appointments` (each through its partial) and `render HeaderComponent.new(…)`."""
    root = views_root(rel) or "app/views/"
    if first.type == "instance_variable":
        name = text(first)[1:]
        target = erb_file(repo, posixpath.join(root, name, "_" + _singular(name)))
        return [Edge(rel, target, "partial", at, "@" + name)] if target else []
    component = ruby.call(first)
    if component is None or component.method not in ("new", "with_collection") or component.receiver is None:
        return []
    if component.receiver.type not in ("constant", "scope_resolution"):
        return []
    constant = text(component.receiver)
    path = underscore(constant)
    app = root[: -len("views/")]
    target = erb_file(repo, posixpath.join(app, "components", path)) or erb_file(
        repo, posixpath.join(app, "components", path, posixpath.basename(path))
    )
    return [Edge(rel, target, "component", at, constant)] if target else []


def _script_edges(rel: str, found: ruby.Call, repo) -> list[Edge]:
    names = []
    for arg in found.args:
        name = ruby.value(arg)
        if name is None:
            break  # options follow the names
        names.append(name)
    names = [n for n in names if not n.startswith(("http:", "https:", "//"))]
    if found.method == "javascript_importmap_tags":
        names = names[:1] or ["application"]
    dirs = ["javascript/packs/", "javascript/"] if found.method == "javascript_pack_tag" else [
        "javascript/", "assets/javascripts/", "assets/builds/"]
    app = (views_root(rel) or "app/views/")[: -len("views/")]
    edges = []
    for name in names:
        base = re.sub(r"\.(js|mjs|ts|jsx|tsx)$", "", name.strip("/"))
        candidates = [app + d + base + ext for d in dirs for ext in (".js", ".ts", ".jsx", ".tsx", ".mjs")]
        target = repo.first(candidates)
        if target:
            edges.append(Edge(rel, target, "script-src", found.line, name))
    return edges


# =========================================================================== controllers


@dataclass
class FilterOp:
    """One filter declaration: before_action (add) or skip_before_action (skip) of `name`."""

    action: str  # "add" | "skip"
    name: str
    line: int
    only: tuple[str, ...] | None = None
    except_: tuple[str, ...] | None = None
    condition: str = ""  # if:/unless: as written, when given
    source: str = ""  # the file declaring it
    owner: str = ""  # the class or concern declaring it
    macro: str = ""  # the macro as written (before_action, skip_before_action, …)

    def applies(self, action: str) -> bool:
        return (self.only is None or action in self.only) and (self.except_ is None or action not in self.except_)


@dataclass(frozen=True)
class Include:
    name: str  # the module as written
    line: int


@dataclass
class LayoutDecl:
    names: list[str]  # [] for `layout false` / nil
    line: int
    only: tuple[str, ...] | None = None
    except_: tuple[str, ...] | None = None
    dynamic: bool = False
    method: str = ""  # `layout :choose_layout`: the method that picks it

    def applies(self, action: str) -> bool:
        return (self.only is None or action in self.only) and (self.except_ is None or action not in self.except_)


@dataclass
class RubyClass:
    """A controller or controller concern: its filters, includes, layout and methods."""

    rel: str
    name: str  # PatientsController or the concern module name
    parent: str = ""  # as written
    modules: tuple[str, ...] = ()
    ops: list[FilterOp | Include] = field(default_factory=list)
    layout: LayoutDecl | None = None
    methods: dict[str, str | None] = field(default_factory=dict)  # name → its sign-in check (None: none)
    # methods whose body can turn no one away (no deny call, no call of a sign-in filter, nothing
    # raised or thrown anywhere in it): a filter of that name is no guard, whatever its name says
    harmless: set[str] = field(default_factory=set)

    @property
    def full_name(self) -> str:
        """Admin::ReportsController for `module Admin; class ReportsController`."""
        return "::".join([*self.modules, self.name]) if "::" not in self.name else self.name


def parse_controller(rel: str, code: str) -> RubyClass | None:
    """A controller or concern file's class (or module) read from its tree."""
    program = ruby.program(Source(rel, code))
    if program is None:
        return None
    classes = ruby.class_defs(program)
    definition = classes[0] if classes else ruby.module_chain(program)
    if definition is None:
        return None
    info = RubyClass(rel, definition.name, definition.superclass, definition.modules)
    scope = definition.node
    for found in ruby.calls(scope):
        if found.receiver is None:
            _declaration(info, found)
    for method in ruby.method_defs(scope):
        body = ruby.method_body(method)
        info.methods[ruby.method_name(method)] = check = sign_in_check(body)
        if check is None and not _may_turn_away(body):
            info.harmless.add(ruby.method_name(method))
    if info.layout is not None and info.layout.method:
        method = next((m for m in ruby.method_defs(scope) if ruby.method_name(m) == info.layout.method), None)
        if method is not None:
            info.layout.names = _string_values(ruby.method_body(method))
    return info


def _declaration(info: RubyClass, found: ruby.Call) -> None:
    """A class-level macro call: a filter, an include or a layout."""
    method = found.method
    if method == "include":
        info.ops.extend(Include(text(a), found.line) for a in found.args if a.type in ("constant", "scope_resolution"))
    elif method == "layout":
        info.layout = _layout_decl(found)
    elif method in _names("filter-macros") | _names("skip-filter-macros") | _names("open-access-macros") | _names("basic-auth-macros"):
        info.ops.extend(_filter_ops(found, info.rel, info.full_name))


def _string_values(node) -> list[str]:
    if node is None:
        return []
    return [v for v in (ruby.string(s) for s in descendants(node, ("string",))) if v is not None]


def _only_except(found: ruby.Call) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    only = tuple(ruby.names(found.option("only"))) if "only" in found.options else None
    except_ = tuple(ruby.names(found.option("except"))) if "except" in found.options else None
    return only, except_


def _layout_decl(found: ruby.Call) -> LayoutDecl:
    only, except_ = _only_except(found)
    decl = LayoutDecl([], found.line, only, except_)
    first = found.args[0] if found.args else None
    if first is None or first.type in ("false", "nil"):
        return decl
    value = ruby.string(first)
    if value is not None:
        decl.names = [value]
        return decl
    decl.dynamic = True  # a method name or a proc: every layout name it can return
    name = ruby.symbol(first)
    if name is not None:
        decl.method = name
    else:
        decl.names = _string_values(first)
    return decl


def _filter_ops(found: ruby.Call, rel: str, owner: str) -> list[FilterOp]:
    only, except_ = _only_except(found)
    condition = ""
    for key in ("if", "unless"):
        if key in found.options:
            condition = f"{key}: {text(found.options[key])}"
    macro = found.method

    def op(action: str, name: str) -> FilterOp:
        return FilterOp(action, name, found.line, only, except_, condition, rel, owner, macro)

    if macro in _names("open-access-macros"):
        return [op("skip", "*auth*")]
    if macro in _names("basic-auth-macros"):
        return [op("add", macro)]
    action = "skip" if macro in _names("skip-filter-macros") else "add"
    names = [n for n in (ruby.symbol(a) for a in found.args) if n is not None]
    if not names and action == "add":
        names = _block_filter(found)[:1]
    return [op(action, name) for name in names]


def _block_filter(found: ruby.Call) -> list[str]:
    """`before_action { authenticate_user! }` / `before_action -> { … }`: the sign-in filters it calls."""
    holders = [found.block] if found.block is not None else [a for a in found.args if a.type == "lambda"]
    out = []
    for holder in holders:
        for node in descendants(holder, ("call", "identifier")):
            name = text(node.child_by_field_name("method")) if node.type == "call" else text(node)
            if is_auth_filter(name):
                out.append(name)
    return out


# --------------------------------------------------------------------------- a filter's body


def sign_in_check(body) -> str | None:
    """The statement of a method body that turns signed-out visitors away (`redirect_to login_path
    unless current_patient`, `head :unauthorized if current_patient.nil?`, a call of a sign-in
    filter), collapsed to one line; None when there is none."""
    for statement in ruby.statements(body):
        if _turns_away(statement) or _calls_auth_filter(statement):
            quoted = " ".join(text(statement).split())
            return quoted if len(quoted) <= MAX_STATEMENT else quoted[: MAX_STATEMENT - 1] + "…"
    return None


def _may_turn_away(body) -> bool:
    """Whether anything in a method body could answer or stop the request: a deny call, a raise
    or throw, `super`, a bang method or `find` (they raise), or a call of anything named like a
    sign-in filter, however deep. An app's own `authenticate_user` that only loads the visitor
    (lobsters) has none of these; when unsure, the filter stays a guard."""
    if body is None:
        return True
    deny = _names("deny-calls") | {"raise", "throw", "fail"}
    for node in descendants(body, ("call", "identifier", "super")):
        if node.type == "super":  # an override of a gem's filter (Devise's authenticate_user!)
            return True
        if _calls_a_helper(node):  # a method of the app's own may redirect: not followed, so unsure
            return True
        name = text(node.child_by_field_name("method")) if node.type == "call" else text(node)
        # a bang method or `find` raises when nothing is found (a 404 is a way of turning away)
        if name in deny or is_auth_filter(name) or name.startswith(("authenticate", "warden")) or name.endswith("!") \
                or name == "find":
            return True
    return False


# where a bare name is a statement of its own (`check_session`), so a method call, not a variable
_STATEMENT_PARENTS = frozenset({"body_statement", "then", "else", "begin", "ensure", "do_block", "block_body"})


def _calls_a_helper(node) -> bool:
    """A call of a method without a receiver (`check_session`, `verify_patient(id)`): what it
    does is not read here, so it may turn the visitor away."""
    if node.type == "call":
        return node.child_by_field_name("receiver") is None and node.child_by_field_name("method") is not None
    parent = node.parent
    return parent is not None and parent.type in _STATEMENT_PARENTS


def _calls_auth_filter(node) -> bool:
    found = ruby.call(node)
    name = found.method if found is not None and found.receiver is None else text(node) if node.type == "identifier" else ""
    return bool(name) and is_auth_filter(name)


def _turns_away(node) -> bool:
    kind = node.type
    if kind in ("unless_modifier", "if_modifier"):
        branches = [(node.child_by_field_name("body"), 1 if kind == "unless_modifier" else -1)]
    elif kind in ("unless", "if"):
        consequence = node.child_by_field_name("consequence")
        alternative = node.child_by_field_name("alternative")
        sign = 1 if kind == "unless" else -1
        branches = [(consequence, sign)] + ([(alternative, -sign)] if alternative is not None else [])
    else:
        return False
    condition = _polarity(node.child_by_field_name("condition"))
    return condition != 0 and any(branch is not None and _denies(branch) and condition == sign for branch, sign in branches)


def _denies(node) -> bool:
    """Whether a branch answers the request itself: redirects, renders, halts with a status, raises."""
    deny = _names("deny-calls")
    if node.type == "identifier" and text(node) in deny:
        return True
    return any(
        ruby.call(c) is not None and c.child_by_field_name("receiver") is None and text(c.child_by_field_name("method")) in deny
        for c in descendants(node, ("call",))
    )


def _polarity(node) -> int:
    """1 when the condition is truthy only for a signed-in visitor (`current_patient`,
    `user_signed_in?`, `session[:user_id]`), -1 when only for a signed-out one
    (`current_patient.nil?`, `!current_patient`), 0 when it says neither."""
    if node is None:
        return 0
    kind = node.type
    if kind == "parenthesized_statements":
        inner = [c for c in node.named_children if c.type != "comment"]
        return _polarity(inner[0]) if len(inner) == 1 else 0
    if kind == "unary":
        operator = text(node.child_by_field_name("operator"))
        return -_polarity(node.child_by_field_name("operand")) if operator in ("!", "not") else 0
    if kind == "binary":
        return _binary_polarity(node)
    if kind in ("identifier", "instance_variable"):
        return 1 if is_signed_in_name(text(node)) else 0
    if kind == "element_reference":
        return _polarity(node.child_by_field_name("object"))
    found = ruby.call(node)
    if found is None:
        return 0
    if found.receiver is None:
        return 1 if not found.args and is_signed_in_name(found.method) else 0
    base = _polarity(found.receiver)
    if found.method in ("nil?", "blank?"):
        return -base
    return base if base == 1 else 0  # current_patient.present?, current_patient&.active?


def _binary_polarity(node) -> int:
    operator = text(node.child_by_field_name("operator"))
    left = _polarity(node.child_by_field_name("left"))
    right = _polarity(node.child_by_field_name("right"))
    if operator in ("==", "!=") and "nil" in (node.child_by_field_name("left").type, node.child_by_field_name("right").type):
        side = left or right
        return -side if operator == "==" else side
    if operator in ("&&", "and"):
        return 1 if 1 in (left, right) and -1 not in (left, right) else -1 if left == right == -1 else 0
    if operator in ("||", "or"):
        return -1 if -1 in (left, right) and 1 not in (left, right) else 1 if left == right == 1 else 0
    return 0


# --------------------------------------------------------------------------- the controller model


@dataclass
class RailsModel:
    classes: dict[str, RubyClass]  # controller path ("admin/patients", "application") → class
    concerns: dict[str, RubyClass]  # concern path ("authentication", "admin/secured") → module
    roots: list[str]  # view roots (app/views/ and engine roots)
    ancestry: dict = field(default_factory=dict)  # controller path → chain (cache)
    controllers: dict = field(default_factory=dict)  # controller path → _Controller (cache)


def rails_model(repo) -> RailsModel:
    """Every controller and controller concern of the repo, parsed once per run."""
    state = _state(repo)
    if "model" in state:
        return state["model"]
    classes: dict[str, RubyClass] = {}
    concerns: dict[str, RubyClass] = {}
    roots: set[str] = set()
    for rel in repo.files:
        if repo.kind(rel) != "code" or not rel.endswith(".rb"):
            continue
        match = re.search(r"(^|/)app/controllers/(.+)\.rb$", rel)
        code = repo.read(rel) if match else None
        info = parse_controller(rel, code) if code else None
        if info is None or match is None:
            continue
        sub = match.group(2)
        if sub.startswith("concerns/"):
            concerns[sub[len("concerns/") :]] = info
        elif sub.endswith("_controller"):
            classes[sub[: -len("_controller")]] = info
            roots.add(rel[: match.start(2)].replace("app/controllers/", "app/views/"))
    for rel in repo.files:
        root = views_root(rel)
        if root and rel.lower().endswith(view_endings()):
            roots.add(root)
    model = state["model"] = RailsModel(classes, concerns, sorted(roots))
    return model


def parent_path(model: RailsModel, info: RubyClass) -> str | None:
    """The controller path of info's superclass, or a pseudo path for Devise, or None."""
    parent = info.parent
    if not parent or parent in _EXTERNAL_PARENTS:
        return _EXTERNAL_PARENTS.get(parent)
    if parent.startswith("Devise::"):
        return "devise/" + underscore(parent[len("Devise::") :]).removesuffix("_controller")
    plain = underscore(parent).removesuffix("_controller")
    scopes = list(info.modules) + info.name.split("::")[:-1]
    candidates = ["/".join(underscore(s) for s in scopes[:i]) + "/" + plain for i in range(len(scopes), 0, -1)]
    return next((c for c in candidates + [plain] if c in model.classes), plain)  # a gem's: still a layout name


def ancestry(model: RailsModel, path: str) -> list[tuple[str, RubyClass | None]]:
    """[(controller path, class or None)] from `path` up to the root controller."""
    if path not in model.ancestry:
        model.ancestry[path] = _ancestry(model, path)
    return model.ancestry[path]


def _ancestry(model: RailsModel, path: str) -> list[tuple[str, RubyClass | None]]:
    chain: list[tuple[str, RubyClass | None]] = []
    seen: set[str] = set()
    current: str | None = path
    while current and current not in seen and len(chain) < MAX_DEPTH:
        seen.add(current)
        info = model.classes.get(current)
        chain.append((current, info))
        if info is not None:
            current = parent_path(model, info)
        elif current.startswith("devise/"):
            current = "devise"
        elif current != "application":
            current = "application"  # Devise's base, or a controller not in the repo
        else:
            current = None
    return chain


def is_devise_path(path: str) -> bool:
    return path == "devise" or path.startswith("devise/")


def rails_views(repo) -> list[tuple[str, str, str, str]]:
    """(view, root, controller path, action) for every full template under a views root."""
    out = []
    for rel in repo.files:
        if not rel.lower().endswith(view_endings()):
            continue
        root = views_root(rel)
        if not root:
            continue
        directory, base = posixpath.split(rel[len(root) :])
        if not directory or base.startswith("_") or directory == "layouts" or directory.startswith("layouts/"):
            continue
        if directory.split("/")[-1].endswith("_mailer"):
            continue
        if repo.exists(root[: -len("views/")] + "mailers/" + directory + ".rb"):
            continue
        out.append((rel, root, directory, base.split(".", 1)[0]))
    return out


# =========================================================================== layouts


def html_format(view: str) -> bool:
    """show.html.erb, show.erb, show.html+phone.erb: rendered inside a layout; show.js.erb,
    show.turbo_stream.erb, show.text.erb are not pages."""
    parts = posixpath.basename(view).split(".")[1:-1]
    return not parts or parts[0].split("+")[0] == "html"


def layout_for(repo, model: RailsModel, root: str, controller: str, action: str) -> list[tuple[str, str]] | None:
    """[(layout file, how)] for a view of `controller`/`action`, or None."""
    chain = ancestry(model, controller)
    for _path, info in chain:
        if info is None or info.layout is None:
            continue
        decl = info.layout
        if not decl.applies(action) or not decl.names:
            return None
        found = [t for t in (resolve_layout(repo, root, name) for name in decl.names) if t]
        if not found:
            if not decl.dynamic:
                repo.note_missing(info.rel, "layouts/" + decl.names[0], decl.line)
            return None
        return [(t, f"layout {'(dynamic) ' if decl.dynamic else ''}in {info.full_name}") for t in found]
    for path, _ in chain:
        target = resolve_layout(repo, root, path)
        if target:
            return [(target, f"Rails layout convention (layouts/{path})")]
    return None


def layout_edges(repo) -> list[Edge]:
    if not any(rel.lower().endswith(view_endings()) and views_root(rel) for rel in repo.files):
        return []
    model = rails_model(repo)
    edges = []
    for view, root, controller, action in rails_views(repo):
        if not html_format(view):
            continue
        for target, how in layout_for(repo, model, root, controller, action) or ():
            if target != view:
                edges.append(Edge(view, target, "layout", 0, how))
    return edges


# =========================================================================== routes


@dataclass
class _Op:
    op: FilterOp
    via: list[str] = field(default_factory=list)  # "included by Y"


@dataclass
class _Controller:
    """What is in force for one controller: its filter declarations in order and its methods."""

    ops: list[_Op]
    methods: dict[str, tuple[str | None, RubyClass]]  # name → (its sign-in check, where defined)


def _concern(model: RailsModel, name: str, scope: tuple[str, ...]) -> RubyClass | None:
    plain = underscore(name)
    candidates = ["/".join(underscore(s) for s in scope[:i]) + "/" + plain for i in range(len(scope), 0, -1)]
    return next((model.concerns[c] for c in candidates + [plain] if c in model.concerns), None)


def _expand(model: RailsModel, info: RubyClass, seen: set[str], methods: dict, depth: int = 0) -> list[_Op]:
    """info's filter declarations with those of the concerns it includes in place; the methods
    of the concerns and then of info itself go into `methods` (a class's own win)."""
    out: list[_Op] = []
    if depth > MAX_DEPTH:
        return out
    for item in info.ops:
        if isinstance(item, FilterOp):
            out.append(_Op(item))
            continue
        concern = _concern(model, item.name, info.modules + tuple(info.name.split("::")[:-1]))
        if concern is None or concern.rel in seen:
            continue
        seen.add(concern.rel)
        for inner in _expand(model, concern, seen, methods, depth + 1):
            inner.via.append(f"included by {info.full_name}")
            out.append(inner)
    methods.update((name, (check, info)) for name, check in info.methods.items())
    return out


def _controller(model: RailsModel, path: str) -> _Controller:
    if path in model.controllers:
        return model.controllers[path]
    ops: list[_Op] = []
    methods: dict[str, tuple[str | None, RubyClass]] = {}
    seen: set[str] = set()
    for _, ancestor in reversed(ancestry(model, path)):
        if ancestor is not None:
            ops.extend(_expand(model, ancestor, seen, methods))
    found = model.controllers[path] = _Controller(ops, methods)
    return found


def _requires_sign_in(name: str, controller: _Controller) -> bool:
    """A filter requires a signed-in user by its body when the app defines it (a sign-in check,
    or, for a sign-in name, anything that could turn a visitor away), else by its name."""
    defined = controller.methods.get(name)
    if defined is not None and name in defined[1].harmless:
        return False
    if is_auth_filter(name):
        return True
    return defined is not None and defined[0] is not None


@dataclass
class _Covering:
    """The sign-in filter in force for an action (weak: only under a condition), or the skip
    that removed the last one."""

    item: _Op | None = None
    weak: bool = False
    skipped: FilterOp | None = None


def _covering(controller: _Controller, action: str) -> _Covering:
    active: dict[str, tuple[_Op, bool]] = {}
    skipped = None
    for item in controller.ops:
        op = item.op
        if op.action == "add":
            if not _requires_sign_in(op.name, controller):
                continue
            if op.applies(action):
                active[op.name] = (item, bool(op.condition) and "devise_controller?" not in op.condition)
            else:
                active.pop(op.name, None)  # a re-declaration replaces the earlier conditions
            continue
        names = [n for n in active if op.name in (n, "*auth*")]
        if not names or not op.applies(action):
            continue
        for name in names:
            if op.condition:  # skipped only sometimes: still behind login, with less certainty
                active[name] = (active[name][0], True)
            else:
                del active[name]
                skipped = op
    if not active:
        return _Covering(skipped=skipped)
    item, weak = next(iter(active.values()))
    return _Covering(item, weak)


def own_sign_in_filter(info: RubyClass, action: str) -> FilterOp | None:
    """The sign-in filter the class's own declarations put in force for `action`, by the rules
    of the route table (order, only:/except:, skips, filters known by their body); None when
    there is none or it holds only under a condition. Its ancestors' and concerns' filters are
    the project pass's (action_routes)."""
    ops = [_Op(op) for op in info.ops if isinstance(op, FilterOp)]
    covering = _covering(_Controller(ops, {name: (check, info) for name, check in info.methods.items()}), action)
    return covering.item.op if covering.item is not None and not covering.weak else None


def _filter_text(item: _Op, controller: _Controller, info: RubyClass, action: str) -> str:
    op = item.op
    what = f"{op.macro} :{op.name}" if op.macro not in _names("basic-auth-macros") else op.macro
    where = f"concern {op.owner}" if item.via else op.owner
    out = f"{what} in {where}"
    if item.via:
        out += ", " + ", ".join(item.via)
    name = info.full_name
    if op.owner != name and not any(v.endswith(" " + name) for v in item.via):
        out += f", inherited by {name}"
    if op.condition:
        out += f" ({op.condition})"
    out += f" (action `{action}`)"
    defined = controller.methods.get(op.name)
    if not is_auth_filter(op.name) and defined is not None and defined[0] is not None:
        out += f"; {defined[1].full_name}#{op.name}: `{defined[0]}`"
    return out


def _devise_used(repo, model: RailsModel) -> bool:
    if any(rel.endswith("config/initializers/devise.rb") for rel in repo.files):
        return True
    if any(info.parent.startswith("Devise") for info in model.classes.values()):
        return True
    return any(root + "devise/" in rel for rel in repo.files for root in model.roots[:4])


def _devise_route(view: str, devise_path: str, action: str) -> Route | None:
    kind = devise_path.split("/")[-1]
    if kind == "sessions" and action == "new":
        return Route("rails", view, view, sign_in=Guard("Devise sign-in page (Devise::SessionsController#new)", view, 0))
    if kind == "registrations" and action == "edit":
        return Route("rails", view, view, guards=(Guard("Devise::RegistrationsController requires sign-in for `edit`", view, 0),))
    return None


def rails_routes(repo) -> list[Route]:
    """The route of every view: from config/routes.rb blocks, Devise, and the controller's filters."""
    state = _state(repo)
    if "routes" not in state:
        state["routes"] = _rails_routes(repo)
    return state["routes"]


def _rails_routes(repo) -> list[Route]:
    if not any(rel.endswith(".rb") and "app/controllers/" in rel for rel in repo.files):
        return []
    model = rails_model(repo)
    if not model.classes:
        return []
    devise = _devise_used(repo, model)
    blocks = _route_guards(repo)
    devise_controllers = _names("devise-controllers")
    urls = _action_urls(repo)
    routes: list[Route] = []
    for view, _root, path, action in rails_views(repo):
        drawn: list[Route] = []
        guard = blocks.get((path, action)) or blocks.get((path, None))
        if guard is not None:
            drawn.append(Route("rails", view, guard.path, guard.line, guards=(guard,)))
        info = model.classes.get(path)
        chain = ancestry(model, path) if info is not None else []
        devise_path = next((p for p, _ in chain if is_devise_path(p)), None)
        if devise_path is None and info is None and devise and (
            path.startswith("devise/") or path.rsplit("/", 1)[-1] in devise_controllers
        ):
            devise_path = "devise/" + path.rsplit("/", 1)[-1]
        if devise_path is not None:
            drawn.extend(r for r in [_devise_route(view, devise_path, action)] if r is not None)
        elif info is not None:
            drawn.extend(_filter_route(model, info, path, view, action))
        routes.extend(_with_url(drawn, view, urls.get((path, action))))
    return routes


def action_routes(repo, handlers) -> list[Route]:
    """For each (file, method) of `handlers` that is an action of a controller of the app: the
    routes.rb block it is drawn in, the sign-in filter in force for it (its own, its ancestors',
    its concerns', minus skips) and the URL routes.rb gives it, as Routes whose handler it is."""
    wanted = [(rel, name) for rel, name in handlers if rel.endswith(".rb") and "app/controllers/" in rel]
    if not wanted:
        return []
    model = rails_model(repo)
    paths = {info.rel: path for path, info in model.classes.items()}
    state = _state(repo)
    if "handler-tables" not in state:
        state["handler-tables"] = (_route_guards(repo), _action_urls(repo))
    blocks, urls = state["handler-tables"]
    out: list[Route] = []
    for rel, action in wanted:
        path = paths.get(rel)
        if path is None or any(is_devise_path(p) for p, _ in ancestry(model, path)):
            continue
        info = model.classes[path]
        if action not in _controller(model, path).methods:
            continue  # the controller's class name, or a method it does not have: not an action
        drawn = urls.get((path, action))
        url, line = (drawn[0], drawn[2]) if drawn else (None, 0)
        block = blocks.get((path, action)) or blocks.get((path, None))
        if block is not None:
            out.append(Route("rails", "", block.path, block.line, url, (block,), handler=(rel, action)))
        for route in _filter_route(model, info, path, "", action):
            out.append(Route("rails", "", route.path, line, url, route.guards, route.anonymous, handler=(rel, action)))
        if url is not None:
            out.append(Route("rails", "", drawn[1], line, url, handler=(rel, action)))
    return out


def _action_urls(repo) -> dict[tuple[str, str], tuple[str, str, int]]:
    """(controller path, action) → (URL, routes file, line) from every config/routes.rb."""
    from phi_lint.frameworks.rails_urls import action_urls

    found: dict[tuple[str, str], tuple[str, str, int]] = {}
    for rel in sorted(repo.files):
        code = repo.read(rel) if ROUTES_FILE.search(rel) else None
        if code:
            for key, (url, line) in action_urls(rel, code).items():
                found.setdefault(key, (url, rel, line))
    return found


def _with_url(drawn: list[Route], view: str, url: tuple[str, str, int] | None) -> list[Route]:
    """The routes of a view, and the route routes.rb draws for its action with its URL (declared
    there, so `-f routes` points at that line). The URL's words say nothing of login here
    (url_signals off): access in Rails is the filters' and blocks' to say."""
    if url is None:
        return drawn
    pattern, rel, line = url
    return [*drawn, Route("rails", view, rel, line, url=pattern, url_signals=False)]


def _filter_route(model: RailsModel, info: RubyClass, path: str, view: str, action: str) -> list[Route]:
    controller = _controller(model, path)
    covering = _covering(controller, action)
    if covering.item is not None:
        op = covering.item.op
        guard = Guard(_filter_text(covering.item, controller, info, action), op.source, op.line, weak=covering.weak)
        return [Route("rails", view, info.rel, guards=(guard,))]
    if covering.skipped is not None:
        skip = covering.skipped
        text_ = f"{skip.macro} in {skip.owner} (action `{action}`)"
        return [Route("rails", view, info.rel, anonymous=Guard(text_, skip.source, skip.line))]
    return []


# --------------------------------------------------------------------------- config/routes.rb


@dataclass(frozen=True)
class _Scope:
    """What an enclosing block of routes.rb gives the routes inside it."""

    auth: Guard | None = None
    prefix: str = ""  # namespace / scope module: "admin/"
    resource: str | None = None  # the controller of an enclosing `resources` block


def _route_guards(repo) -> dict[tuple[str, str | None], Guard]:
    """(controller path, action or None for all) → the Devise `authenticate` / `authenticated`
    block of config/routes.rb the route is drawn in."""
    guards: dict[tuple[str, str | None], Guard] = {}
    for rel in repo.files:
        if not ROUTES_FILE.search(rel):
            continue
        code = repo.read(rel)
        if not code or "authenticate" not in code:
            continue
        program = ruby.program(Source(rel, code))
        if program is not None:
            _draw(program, rel, guards)
    return guards


def _draw(program, rel: str, guards: dict) -> None:
    stack: list[tuple[Any, _Scope]] = [(program, _Scope())]
    while stack:
        node, scope = stack.pop()
        found = ruby.call(node)
        if found is None:
            stack.extend((child, scope) for child in reversed(node.children))
            continue
        if scope.auth is not None and found.receiver is None:
            for controller, action in _drawn(found, scope):
                guards.setdefault((controller, action), scope.auth)
        if found.block is not None:
            stack.append((found.block, _inner(found, scope, rel)))


def _inner(found: ruby.Call, scope: _Scope, rel: str) -> _Scope:
    """The scope a call's block gives the routes inside it."""
    if found.receiver is not None:
        return scope
    method = found.method
    if method in ("authenticate", "authenticated"):
        first = found.args[0] if found.args and found.args[0].type == "simple_symbol" else None
        shown = f"`{method} {text(first)}`" if first is not None else f"`{method}`"
        return _Scope(Guard(f"{shown} block in {posixpath.basename(rel)}", rel, found.line), scope.prefix, scope.resource)
    if method == "namespace" and found.args and ruby.value(found.args[0]):
        return _Scope(scope.auth, scope.prefix + str(ruby.value(found.args[0])) + "/", scope.resource)
    if method == "scope" and ruby.value(found.option("module")):
        return _Scope(scope.auth, scope.prefix + str(ruby.value(found.option("module"))) + "/", scope.resource)
    if method in ("resources", "resource") and found.args and ruby.symbol(found.args[0]):
        return _Scope(scope.auth, scope.prefix, _resource_controller(found, scope.prefix))
    return scope


def _resource_controller(found: ruby.Call, prefix: str) -> str:
    explicit = ruby.value(found.option("controller"))
    if explicit:
        return prefix + explicit
    name = ruby.symbol(found.args[0]) or ""
    return prefix + (name if found.method == "resources" else name + "s")


def _drawn(found: ruby.Call, scope: _Scope) -> list[tuple[str, str | None]]:
    """(controller path, action) pairs one routes.rb call draws."""
    method = found.method
    if method in ("resources", "resource"):
        if not found.args or not ruby.symbol(found.args[0]):
            return []
        controller = _resource_controller(found, scope.prefix)
        actions = list(RESOURCES_ACTIONS)
        if "only" in found.options:
            actions = [a for a in actions if a in ruby.names(found.option("only"))]
        if "except" in found.options:
            actions = [a for a in actions if a not in ruby.names(found.option("except"))]
        return [(controller, a) for a in actions]
    if method not in TARGET_VERBS:
        return []
    targets = [found.option("to")] + [v for k, v in found.options.items() if k != "to"]
    if method == "root" and found.args:
        targets.append(found.args[0])
    for target in targets:
        match = _TARGET.fullmatch(ruby.string(target) or "")
        if match:
            return [(scope.prefix + match.group(1), match.group(2))]
    if method not in ROUTE_VERBS or not found.args:
        return []
    plain = _PLAIN_PATH.fullmatch(ruby.string(found.args[0]) or "")
    if plain and len(found.args) == 1 and not found.options and found.block is None:
        return [(scope.prefix + plain.group(1), plain.group(2))]
    member = ruby.symbol(found.args[0])
    if member and scope.resource:
        return [(scope.resource, member)]
    return []

