"""Single-page-app routers: Vue Router, React Router and Angular, one module because one walker
reads all three (phi_lint.frameworks.jsrouter). A route config may mix their shapes (`meta`,
`data`, `handle`, `canActivate`, `beforeEnter`, `loader`, `<Route element>`) and the walker reads
them in one pass over the file's shared tree: three modules would each re-walk the same routes, or
split one route table between them.

Page graph:
- an HTML file's `<script type="module" src>` → the entry module (kind "script-src");
- every top-level route component of a router file → the app's entry module (the module script
  of the project's index.html, else src/main.*, src/index.*) and its HTML shell (kind "entry"):
  the shell and the entry wrap every route, so their trackers reach it. Nested route components
  → their parent route's component (kind "layout"). A router file has no import edges to the
  components it only uses as routes (see phi_lint.pagegraph.jsimports): one route is rendered at
  a time.

Authenticated pages: Vue Router `meta: { requiresAuth: true }` (children inherit), `beforeEnter`
guards, a `router.beforeEach` that sends visitors to the login page unless the route's meta says
it is public; React Router guard components wrapping routes (`<RequireAuth>`, `<ProtectedRoute>`,
a layout route whose element is a guard), `loader`s that redirect to the login page, Auth0
`withAuthenticationRequired(X)` route elements; Angular `canActivate` / `canMatch` / `canLoad` /
`canActivateChild` with a login guard, and auth flags in Angular route `data` or React Router
`handle` → the route component files (and an Angular component's template).

Negatives: `requiresAuth: false`, guest-only guards (`GuestGuard`, `redirectIfAuthenticated`), a
guard component that wraps no route, and anything commented out.
"""

from __future__ import annotations

import posixpath
import re

from phi_lint import frameworks_data, literalgates
from phi_lint.frameworks import Framework, register
from phi_lint.frameworks.jsguards import LOGIN_PATH, redirects_to_login
from phi_lint.frameworks.jsrouter import (
    SRC_VALUE,
    expand_child_modules,
    resolve_routes,
    route_edges,
    routes_of,
)
from phi_lint.frameworks.reads import Reads
from phi_lint.inference.model import Inference
from phi_lint.lazyre import lazy_pattern
from phi_lint.pagegraph import jsmodules
from phi_lint.pagegraph.model import Edge
from phi_lint.parsers.template_comments import blank_html_comments

_SCRIPT_TAG = lazy_pattern(r"<script\b([^>]*)>", re.IGNORECASE)


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


literalgates.register_folded("<script")


def _html_entry_edges(rel: str, text: str, repo) -> list[Edge]:
    if not literalgates.contains_folded(text, "<script"):
        return []
    searchable = blank_html_comments(text, unclosed_runs_to_end=True)
    lines = jsmodules.LineIndex(text)
    directory = posixpath.dirname(rel)
    edges = []
    for match in _SCRIPT_TAG.finditer(searchable):
        attrs = match.group(1)
        if not re.search(r"""\btype\s*=\s*["']?module\b""", attrs, re.IGNORECASE):
            continue
        src = SRC_VALUE.search(attrs)
        if not src:
            continue
        value = next(v for v in src.groups() if v is not None).strip()
        if not value or re.match(r"^[a-z][a-z0-9+.-]*:|^//", value, re.IGNORECASE) or "{{" in value or "<%" in value:
            continue
        value = value.split("?", 1)[0].split("#", 1)[0]
        target = posixpath.normpath(posixpath.join(directory, value.lstrip("/")))
        if target.startswith("..") or not repo.exists(target) or repo.kind(target) != "script":
            continue
        line = lines.line(match.start())
        edges.append(Edge(rel, target, "script-src", line, value))
    return edges



# --------------------------------------------------------------------------- router configs


@frameworks_data.derived
def global_guard():
    """`!to.meta.<flag>` or `!to.matched.some(r => r.meta.<flag>)` in a global guard, the flags
    the `public-meta-flags` of rules/frameworks/spa-router.toml."""
    flags = "(?:" + "|".join(re.escape(f) for f in frameworks_data.names("spa-router", "public-meta-flags")) + ")"
    return re.compile(
        r"!\s*(?:to|route|next)\.meta\.(?P<a>" + flags + r")\b|"
        r"!\s*(?:to|route)\.matched\.some\(\s*(?:\(\s*)?(?P<v>\w+)\s*(?:\)\s*)?=>\s*(?P=v)\.meta\.(?P<b>" + flags + r")\b"
    )


def _global_guard(text: str, analysis) -> tuple[str, int, list[bool]] | None:
    """`router.beforeEach` that sends visitors to the login page unless the route's meta says it
    is public: (evidence, line, which routes are public)."""
    if "beforeEach" not in text:
        return None
    code = jsmodules.blank_comments(text)
    guard = global_guard().search(code)
    if not guard or "beforeEach" not in code:
        return None
    window = code[guard.start() : guard.start() + 600]
    where = redirects_to_login(window)
    if not where:  # a navigation guard returns (or passes to next()) the login location
        login = LOGIN_PATH.search(window) or re.search(r"""\bname\s*:\s*['"`]((?:log[-_]?in|sign[-_]?in|signin|auth)\w*)""", window, re.IGNORECASE)
        if not login or not re.search(r"\breturn\b|\bnext\s*\(", window):
            return None
        where = login.group(1)
    flag = guard.group("a") or guard.group("b")
    public = []
    for index in range(len(analysis.routes)):
        current, steps, is_public = index, 0, False
        while current is not None and steps < 100:
            if flag in analysis.routes[current].flags:
                is_public = True
                break
            current, steps = analysis.routes[current].parent, steps + 1
        public.append(is_public)
    why = f"Vue Router `beforeEach` sends visitors to {where} unless the route has `meta.{flag}`"
    return why, _line(text, guard.start()), public


def route_inferences(rel: str, text: str, analysis, repo) -> list[Inference]:
    """Route components behind a guard, with the guard as evidence (children inherit it, also
    from route modules they are loaded from)."""
    global_guard = _global_guard(text, analysis)
    if not any(r.auth for r in analysis.routes) and global_guard is None:
        return []
    guarded_children = any(r.auth and r.child_modules for r in analysis.routes)
    analyses = expand_child_modules(repo, rel, analysis) if guarded_children else {rel: analysis}
    found = []
    for route in resolve_routes(repo, analyses):
        auth = route.auth
        if auth is None and global_guard is not None and route.router == rel and not global_guard[2][route.index]:
            auth = (global_guard[0], global_guard[1], rel)
        if auth is None:
            continue
        text_, line, where = auth
        if route.router != rel and where != rel:
            continue  # the child module's own guards are inferred from its own file
        for page in route.files:
            found.append(Inference(page, "authenticated", text_, where, line))
            template = _angular_template(repo, page)
            if template:
                found.append(Inference(template, "authenticated", text_, where, line))
    return found


def _angular_template(repo, component: str) -> str | None:
    """x.component.ts → x.component.html (Angular's convention, also x.ts → x.html)."""
    stem, ext = posixpath.splitext(component)
    if ext != ".ts":
        return None
    template = stem + ".html"
    return template if repo.exists(template) else None


@register
class SpaRouter(Framework):
    id = "spa-router"
    name = "Vue Router / React Router / Angular"
    reads = {"source_edges": (Reads(kinds=("markup",), endings=(".html", ".htm")), Reads(kinds=("script",))),
             "infer_source": (Reads(kinds=("script",)),)}

    def source_edges(self, source, repo) -> list[Edge]:
        """An HTML shell's module scripts; a router file's route components → entry or parent."""
        rel = source.rel
        kind = repo.kind(rel)
        if kind == "markup" and rel.lower().endswith((".html", ".htm")):
            return _html_entry_edges(rel, source.text, repo)
        if kind == "script":
            analysis = routes_of(source)
            if analysis.routes:
                return route_edges(rel, analysis, repo)
        return []

    def infer_source(self, source, repo) -> list[Inference]:
        if repo.kind(source.rel) != "script":
            return []
        analysis = routes_of(source)
        if not analysis.routes:
            return []
        return route_inferences(source.rel, source.text, analysis, repo)
