"""Next.js: the layouts its app and pages routers put around a page, and the code that guards
pages: middleware with a matcher, session checks in a page or layout, auth wrappers.

Page graph (project edges):
- app router: every `page.*` (and not-found/error/loading/default) under an `app/` directory →
  each `layout.*` and `template.*` in its directory and every ancestor up to `app/` (route groups
  `(name)` are ordinary directories here), kind "layout";
- pages router: every page under `pages/` (not `pages/api/`) → `pages/_app.*` and
  `pages/_document.*`, kind "layout".

Authenticated pages:
- `middleware.ts` / `src/middleware.ts` (and `proxy.ts`) that enforces a session (next-auth
  `export { default } from "next-auth/middleware"` / `withAuth`, Auth.js `auth`, Clerk
  `clerkMiddleware` + `auth.protect()` with `createRouteMatcher`, Clerk `authMiddleware`, Auth0
  `withMiddlewareAuthRequired`, or a custom redirect to a login page / 401 when there is no
  session cookie or token) → the app- and pages-router route files whose URL its
  `config.matcher` matches (route groups are not part of the URL), narrowed by
  `pathname.startsWith('/x')` checks in a custom middleware;
- in a page, layout or component of any React server code: Auth0 `withPageAuthRequired` /
  `withAuthenticationRequired`, `getServerSession(…)`, `auth()`, `currentUser()` and the other
  session getters of rules/frameworks/nextjs.toml followed by a redirect to the login page, Clerk
  `auth.protect()` and `<RedirectToSignIn/>`, next-auth `useSession({ required: true })`,
  Remix-style `requireUserId(request)` helpers → that file (a layout's label passes to the pages
  below it through the layout edges).

Negatives: a middleware without any session check (i18n, headers), Clerk middleware without
`protect()`, a login page that checks the session to send signed-in users on, anything
commented out.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from phi_lint import frameworks_data, literalgates
from phi_lint.frameworks import Framework, register
from phi_lint.frameworks.jsguards import redirects_to_login
from phi_lint.frameworks.reads import Reads
from phi_lint.frameworks.sveltekit import is_load_file
from phi_lint.inference.model import Inference
from phi_lint.lang.javascript import Script, dialect_for
from phi_lint.lazyre import lazy_pattern
from phi_lint.pagegraph import jsmodules
from phi_lint.pagegraph.model import Edge

NEXT_EXTS = (".tsx", ".jsx", ".ts", ".js")
_NEXT_PAGE_STEMS = ("page", "not-found", "error", "loading", "default", "global-error", "forbidden", "unauthorized")
_NEXT_LAYOUT_STEMS = ("layout", "template")

_MIDDLEWARE_NAMES = {f"{n}{e}" for n in ("middleware", "proxy") for e in (".ts", ".js", ".mjs", ".tsx", ".jsx", ".mts")}
_LOGIN_PAGE_PATH = lazy_pattern(
    r"(?:^|/)[\[(]*\.*(?:log-?in|sign-?in|signin|sign-?up|signup|register|forgot(?:-password)?|reset-password|logout|sign-?out)\b",
    re.IGNORECASE,
)


@frameworks_data.derived
def _session_getter() -> re.Pattern:
    """A call of a server session helper (rules/frameworks/nextjs.toml session-getters)."""
    names = "|".join(re.escape(n) for n in frameworks_data.names("nextjs", "session-getters"))
    return re.compile(rf"(?<![\w$.])({names})\s*\(|\.auth\.getUser\s*\(")


# the names a helper guard call is made of (`requireUserId(request)`): _HELPER_CALL's words
_HELPER_VERBS = ("require", "ensure", "assert")
_HELPER_NOUNS = ("Auth", "User", "Session", "Login", "SignedIn", "LoggedIn", "Authenticated", "Patient", "Member")
_HELPER_CALL = lazy_pattern(
    rf"(?<![\w$.])((?:{'|'.join(_HELPER_VERBS)})(?:{'|'.join(_HELPER_NOUNS)})\w*)\s*\("
)


@frameworks_data.derived
def _wrapped_export() -> re.Pattern:
    """A page exported through an auth wrapper (rules/frameworks/nextjs.toml auth-wrappers)."""
    wrappers = "|".join(re.escape(n) for n in frameworks_data.names("nextjs", "auth-wrappers"))
    return re.compile(
        rf"export\s+default\s+(?P<direct>{wrappers})\s*\(|"
        rf"getServerSideProps\s*=\s*(?P<gssp>{wrappers})\s*\(|"
        rf"(?:const|let|var)\s+(?P<name>[\w$]+)\s*=\s*(?P<named>{wrappers})\s*\("
    )


# (pattern, evidence, the literals a file holds wherever the pattern matches)
_FILE_SIGNALS = (
    (lazy_pattern(r"\buseSession\s*\(\s*\{[^})]*\brequired\s*:\s*true"), "next-auth `useSession({ required: true })`",
     literalgates.register("useSession", "required")),
    (lazy_pattern(r"(?<![\w$.])auth\s*\(\s*\)\s*\.\s*protect\s*\(|(?<![\w$.])auth\s*\.\s*protect\s*\("), "Clerk `auth.protect()`",
     literalgates.register("auth", "protect")),
    (lazy_pattern(r"<RedirectToSignIn\b"), "Clerk `<RedirectToSignIn/>`", literalgates.register("<RedirectToSignIn")),
)


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1



# a plain substring test per word: a regex alternation of them is tried at every position
_SIGNAL_WORDS = ("auth", "session", "Session", "user", "User", "SignIn", "protect")


@frameworks_data.derived
def _signal_words() -> tuple[str, ...]:
    """_SIGNAL_WORDS and the helper names the user's configuration adds."""
    added = [name for framework, _key, names in frameworks_data.current().additions if framework == "nextjs" for name in names]
    return tuple(dict.fromkeys(_SIGNAL_WORDS + tuple(added)))


@frameworks_data.derived
def _signal_names() -> dict[str, tuple[str, ...]]:
    """The literal each kind of file signal cannot match without, by kind: a file that holds
    none of them is not read further (the comment blanking and the regexes below cost about a
    millisecond a file, paid by every script of a repository without any auth library)."""
    return {
        "wrapped": literalgates.register(*_names("auth-wrappers")),
        "getter": literalgates.register(*_names("session-getters"), ".auth.getUser"),
        "helper": literalgates.register(*(verb + noun for verb in _HELPER_VERBS for noun in _HELPER_NOUNS)),
    }


@frameworks_data.derived
def _getter_calls() -> dict[str, re.Pattern]:
    """Each session getter's name as a call in the raw text, a comment allowed before its `(`:
    wherever _session_getter matches the comment-blanked code, one of these matches the text.
    Each starts with its name, which Python's regex engine finds by a fast literal search, where
    the getter alternation behind a lookbehind tries every position (a second for lh-ehr's 261
    scripts that say `auth` in `OAuth`, `author` or `authorization`)."""
    names = (*_names("session-getters"), ".auth.getUser")
    return {name: re.compile(re.escape(name) + r"\s*[(/]") for name in names}


_NAME_CHAR = lazy_pattern(r"[\w$.]")


def _getter_called(text: str) -> bool:
    """Whether the text may call a session getter: _session_getter's lookbehind (not after a
    name character or a `.`: `editor.getSession()` is no getter) checked at each call found."""
    for name, call in _getter_calls().items():
        if not literalgates.contains(text, name):
            continue
        for match in call.finditer(text):
            start = match.start()
            if name.startswith(".") or start == 0 or not _NAME_CHAR.match(text, start - 1):
                return True
    return False


def _file_signals(rel: str, text: str) -> list[Inference]:
    if _LOGIN_PAGE_PATH.search(rel):
        return []  # a login page checks the session to send signed-in users onwards
    if not literalgates.contains_any(text, literalgates.register(*_signal_words())):
        return []
    held = {kind for kind, names in _signal_names().items() if literalgates.contains_any(text, names)}
    if "getter" in held and not _getter_called(text):
        held.discard("getter")
    signals = [(pattern, why) for pattern, why, needed in _FILE_SIGNALS
               if all(literalgates.contains(text, literal) for literal in needed)]
    if not held and not signals:
        return []
    code = jsmodules.blank_comments(text)
    return _signals_in(rel, text, code, held, signals)


def _signals_in(rel: str, text: str, code: str, held: set[str], signals: list) -> list[Inference]:
    """The first guard signal of a file (comments blanked in `code`), of the kinds whose names
    it holds and of the `signals` (_FILE_SIGNALS) whose literals it holds."""
    for match in _wrapped_export().finditer(code) if "wrapped" in held else ():
        helper = match.group("direct") or match.group("gssp") or match.group("named")
        if match.group("name") and not re.search(r"export\s+default\s+" + re.escape(match.group("name")) + r"\b", code):
            continue  # wraps something else (a route element in a router file, say)
        return [Inference(rel, "authenticated", f"Auth0 `{helper}`", rel, _line(text, match.start()))]
    for pattern, why in signals:
        signal = pattern.search(code)
        if signal:
            return [Inference(rel, "authenticated", why, rel, _line(text, signal.start()))]
    getter = _session_getter().search(code) if "getter" in held else None
    if getter:
        where = redirects_to_login(code)
        if where:
            called = getter.group(1) or "auth.getUser"
            return [
                Inference(rel, "authenticated", f"`{called}()` + redirect to {where}", rel, _line(text, getter.start()))
            ]
    for helper in _HELPER_CALL.finditer(code) if "helper" in held else ():
        name = helper.group(1)
        if re.search(r"(?:function\s+|(?:const|let|var)\s+)" + re.escape(name) + r"\b", code):
            continue  # the helper's own definition
        return [Inference(rel, "authenticated", f"calls `{name}()`", rel, _line(text, helper.start()))]
    return []


# --------------------------------------------------------------------------- Next.js middleware

_UNAUTHORIZED = lazy_pattern(r"\bstatus\s*:\s*401\b|\bUnauthorized\b")
_SESSION_LOOKUP = lazy_pattern(r"cookies|getToken|session|token|authorization|getUser|jwt|auth", re.IGNORECASE)
_STARTS_WITH = lazy_pattern(r"""(?P<neg>!\s*)?(?:[\w$]+\.)*pathname\s*\.\s*startsWith\s*\(\s*(['"`])(?P<prefix>/[^'"`]*)\2""")
_PREFIX_ARRAY = lazy_pattern(r"""(?:const|let|var)\s+(?P<name>[\w$]+)\s*(?::[^=]+)?=\s*\[(?P<items>[^\]]*)\]""")
_STRING = lazy_pattern(r"""(['"`])([^'"`\n]*)\1""")


@dataclass(frozen=True)
class MiddlewareGuard:
    """How a middleware file requires a session: `why` (the evidence), where (`at`), and its kind:
    library (every route the matcher covers), factory (only the routes its handler protects,
    often picked by a route matcher), custom (a hand-written redirect or 401)."""

    why: str
    at: int
    kind: str
    name: str = ""


def _names(key: str) -> tuple[str, ...]:
    return frameworks_data.names("nextjs", key)


def _evidence(name: str) -> str:
    found = frameworks_data.table("nextjs", "middleware-evidence").get(name)
    return found if isinstance(found, str) else f"`{name}` middleware"


def _alternation(key: str) -> str:
    return "|".join(re.escape(name) for name in _names(key))


@frameworks_data.derived
def _library_shapes() -> tuple[tuple[re.Pattern, str], ...]:
    """(pattern, name) of every middleware library shape in rules/frameworks/nextjs.toml, in the
    order they are tried: re-exports, guard calls, guard names, exported guards."""
    shapes: list[tuple[re.Pattern, str]] = []
    for module in _names("middleware-reexports"):
        quoted = re.escape(module)
        shapes.append((re.compile(rf"""export\s*\{{\s*default\s*(?:,[^}}]*)?\}}\s*from\s*['"]{quoted}['"]"""), module))
    shapes += [(re.compile(rf"(?<![\w$.]){re.escape(name)}\s*\("), name) for name in _names("middleware-guard-calls")]
    shapes += [(re.compile(rf"(?<![\w$.]){re.escape(name)}\b"), name) for name in _names("middleware-guard-names")]
    for name in _names("middleware-exported-guards"):
        quoted = re.escape(name)
        shapes.append((re.compile(rf"export\s*\{{[^}}]*\b{quoted}\s+as\s+(?:middleware|proxy|default)\b"), name))
        shapes.append((re.compile(
            rf"export\s+(?:default|const\s+(?:middleware|proxy)\s*=)\s*(?:NextAuth\s*\([^)]*\)\s*\.)?{quoted}\b"), name))
    return tuple(shapes)


@frameworks_data.derived
def _factory_call() -> re.Pattern:
    return re.compile(rf"(?<![\w$.])({_alternation('middleware-protect-factories')})\s*\(")


@frameworks_data.derived
def _protect_call() -> re.Pattern:
    members = _alternation("middleware-protect-members")
    calls = _alternation("middleware-protect-calls")
    return re.compile(rf"\.\s*(?:{members})\s*\(|\b(?:{calls})\s*\(")


def _middleware_auth(code: str) -> MiddlewareGuard | None:
    for pattern, name in _library_shapes():
        match = pattern.search(code)
        if match:
            kind = "call" if name in _names("middleware-guard-calls") else "library"
            return MiddlewareGuard(_evidence(name), match.start(), kind, name)
    factory = _factory_call().search(code)
    if factory:
        protect = _protect_call().search(code)
        return MiddlewareGuard(_evidence(factory.group(1)), protect.start(), "factory", factory.group(1)) if protect else None
    if not _SESSION_LOOKUP.search(code):
        return None
    where = redirects_to_login(code)
    if where:
        at = re.search(r"\bredirect\s*\(|\brewrite\s*\(", code)
        return MiddlewareGuard(f"redirects to {where} without a session", at.start() if at else 0, "custom")
    unauthorized = _UNAUTHORIZED.search(code)
    if unauthorized and re.search(r"cookies|getToken|session|authorization", code, re.IGNORECASE):
        return MiddlewareGuard("answers 401 without a session", unauthorized.start(), "custom")
    return None


def _config_matchers(code: str, script: Script) -> list[tuple[str, int]] | None:
    """`export const config = { matcher: … }` patterns with their lines; None without a matcher.
    `code` is the file with comments blanked, `script` the file's (shared) parse."""
    if "matcher" not in code:
        return None
    stack = [script.tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "pair":
            key = node.child_by_field_name("key")
            if key is not None and key.text.strip(b"'\"") == b"matcher":
                value = node.child_by_field_name("value")
                return _strings_of(value)
            continue
        if node.type in ("comment",):
            continue
        stack.extend(node.named_children)
    return None


def _js_string(raw: str) -> str:
    """The value of a JS string literal's body, as far as paths care (a backslash escapes the
    next character)."""
    return re.sub(r"\\(.)", lambda m: m.group(1), raw)


def _strings_of(value) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    if value is None:
        return out
    nodes = [value] if value.type != "array" else value.named_children
    for node in nodes:
        if node.type in ("string", "template_string"):
            raw = node.text.decode("utf-8", "replace")[1:-1]
            out.append((_js_string(raw), node.start_point[0] + 1))
        elif node.type == "object":
            for pair in node.named_children:
                if pair.type != "pair":
                    continue
                key = pair.child_by_field_name("key")
                inner = pair.child_by_field_name("value")
                if key is not None and key.text.strip(b"'\"") == b"source" and inner is not None and inner.type == "string":
                    out.append((_js_string(inner.text.decode("utf-8", "replace")[1:-1]), inner.start_point[0] + 1))
    return out


def path_pattern(pattern: str) -> re.Pattern | None:
    """A path-to-regexp pattern as Next.js and Clerk use it (`/a/:id`, `/a/:path*`, `/a(.*)`,
    `/((?!api|_next).*)`) as a compiled regex over a URL path; None when it cannot be read.

    Groups are the repository's own regex, run by `re` (they hold look-aheads, which RE2 lacks):
    one whose shape can backtrack without bound (`(a|a)*` on a 30-character folder name hung
    the scan) is not read either.
    """
    out: list[str] = []
    i, n = 0, len(pattern)
    written_groups = False

    def group_end(start: int) -> int:
        depth = 0
        j = start
        while j < n:
            ch = pattern[j]
            if ch == "\\":
                j += 2
                continue
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0:
                    return j
            j += 1
        return -1

    while i < n:
        ch = pattern[i]
        if ch == ":" and i + 1 < n and (pattern[i + 1].isalnum() or pattern[i + 1] == "_"):
            j = i + 1
            while j < n and (pattern[j].isalnum() or pattern[j] == "_"):
                j += 1
            segment = "[^/]+"
            if j < n and pattern[j] == "(":
                end = group_end(j)
                if end < 0:
                    return None
                segment = f"(?:{pattern[j + 1:end]})"
                written_groups = True
                j = end + 1
            modifier = pattern[j] if j < n and pattern[j] in "*+?" else ""
            if modifier:
                j += 1
            slash = bool(out) and out[-1] == "/"
            if slash:
                out.pop()
            lead = "/" if slash else ""
            if modifier == "*":
                out.append(f"(?:{lead}{segment}(?:/{segment})*)?")
            elif modifier == "+":
                out.append(f"{lead}{segment}(?:/{segment})*")
            elif modifier == "?":
                out.append(f"(?:{lead}{segment})?")
            else:
                out.append(f"{lead}{segment}")
            i = j
            continue
        if ch == "(":
            end = group_end(i)
            if end < 0:
                return None
            inner = pattern[i + 1 : end]
            written_groups = True
            j = end + 1
            modifier = pattern[j] if j < n and pattern[j] in "*+?" else ""
            if modifier:
                j += 1
            out.append(f"(?:{inner}){modifier}")
            i = j
            continue
        if ch == "\\" and i + 1 < n:
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        if ch in "{}":
            i += 1
            continue
        out.append("/" if ch == "/" else re.escape(ch))
        i += 1
    source = "^" + "".join(out) + "/?$"
    if written_groups:
        from phi_lint.regex_shapes import backtracking_problems

        if backtracking_problems(source):
            return None
    try:
        return re.compile(source)
    except re.error:
        return None


def next_route_files(repo, directory: str) -> list[tuple[str, list[str]]]:
    """(route file, sample URLs) of the Next.js app and pages routers next to a middleware."""
    prefix = directory + "/" if directory else ""
    roots = []
    for base in (prefix, prefix + "src/"):
        roots.append((base + "app/", "app"))
        roots.append((base + "pages/", "pages"))
    found = []
    for rel in repo.of_kind("script"):
        for root, style in roots:
            if not rel.startswith(root):
                continue
            parts = rel[len(root) :].split("/")
            stem, ext = posixpath.splitext(parts[-1])
            if ext not in NEXT_EXTS:
                break
            if style == "app":
                if stem != "page":
                    break
                segments = parts[:-1]
            else:
                if parts[0] == "api" or stem.startswith("_"):
                    break
                segments = parts[:-1] + ([] if stem == "index" else [stem])
            urls = _sample_urls(segments)
            if urls:
                found.append((rel, urls))
            break
    return found


def _sample_urls(segments: list[str]) -> list[str]:
    variants: list[list[str]] = [[]]
    for segment in segments:
        if segment.startswith("(.") :
            return []  # intercepting route: rendered over another URL
        if (segment.startswith("(") and segment.endswith(")")) or segment.startswith("@") or segment.startswith("_"):
            continue
        if re.fullmatch(r"\[\[\.\.\.[^\]]+\]\]", segment):
            variants = [v for v in variants] + [v + ["x1", "x2"] for v in variants]
        elif re.fullmatch(r"\[\.\.\.[^\]]+\]", segment):
            variants = [v + ["x1", "x2"] for v in variants]
        elif re.fullmatch(r"\[[^\]]+\]", segment):
            variants = [v + ["x1"] for v in variants]
        else:
            variants = [v + [segment] for v in variants]
    return ["/" + "/".join(v) for v in variants]


def _route_matchers(code: str) -> tuple[list[str], bool] | None:
    """Route matcher patterns (Clerk `createRouteMatcher([...])`) that decide `protect()`:
    (patterns, negated)."""
    matchers = _alternation("middleware-route-matchers")
    for match in re.finditer(rf"(?:const|let|var)\s+([\w$]+)\s*=\s*(?:{matchers})\s*\(\s*\[([^\]]*)\]", code):
        name, items = match.group(1), match.group(2)
        patterns = [s for _, s in _STRING.findall(items)]
        uses = list(re.finditer(r"(!\s*)?(?<![\w$.])" + re.escape(name) + r"\s*\(", code[match.end() :]))
        if not uses:
            continue
        negated = any(u.group(1) for u in uses)
        return patterns, negated
    return None


def middleware_inferences(rel: str, text: str, repo, script: Script | None = None) -> list[Inference]:
    """Next.js middleware that enforces a session → the route files its matcher covers;
    `script` is the file's shared parse, when the caller has one."""
    code = jsmodules.blank_comments(text)
    guard = _middleware_auth(code)
    if guard is None:
        return []
    why, at = guard.why, guard.at
    routes = next_route_files(repo, posixpath.dirname(rel))
    if not routes:
        return []
    matchers = _config_matchers(code, script if script is not None else Script(text, dialect_for(rel)))
    compiled = []
    for pattern, line in matchers or []:
        regex = path_pattern(pattern)
        if regex is not None:
            compiled.append((pattern, line, regex))
    if matchers is not None and not compiled:
        return []  # a matcher we cannot read: do not guess
    include: list[re.Pattern] = []
    exclude: list[re.Pattern] = []
    chosen = _route_matchers(code) if guard.kind in ("factory", "call") else None
    if chosen is not None:
        patterns, negated = chosen
        target = exclude if negated else include
        target.extend(r for r in (path_pattern(p) for p in patterns) if r is not None)
    if guard.kind == "call":
        options = _alternation("middleware-public-routes-options")
        public = re.search(rf"(?:{options})\s*:\s*\[([^\]]*)\]", code)
        if public:
            exclude.extend(r for r in (path_pattern(s) for _, s in _STRING.findall(public.group(1))) if r is not None)
    prefixes: list[str] = []
    skipped: list[str] = []
    if guard.kind == "custom":
        for match in _STARTS_WITH.finditer(code):
            (skipped if match.group("neg") else prefixes).append(match.group("prefix"))
        for match in _PREFIX_ARRAY.finditer(code):
            items = [s for _, s in _STRING.findall(match.group("items")) if s.startswith("/")]
            if re.search(r"(?i)public|guest|open|anon|unprotected|allow", match.group("name")):
                skipped.extend(items)
            elif re.search(r"(?i)protect|private|auth|secure|portal|guard", match.group("name")):
                prefixes.extend(items)
    name = posixpath.basename(rel)
    found = []
    for page, urls in routes:
        hit: tuple[str, int] | None = None
        for url in urls:
            matched: tuple[str, int] | None = None
            if compiled:
                matched = next(((p, line) for p, line, regex in compiled if regex.match(url)), None)
                if matched is None:
                    continue
            if include and not any(r.match(url) for r in include):
                continue
            if exclude and any(r.match(url) for r in exclude):
                continue
            if prefixes and not any(url.startswith(p) for p in prefixes):
                continue
            if skipped and any(url == p or url.startswith(p.rstrip("/") + "/") for p in skipped):
                continue
            hit = matched or ("", _line(text, at))
            break
        if hit is None:
            continue
        pattern, line = hit
        scope = f"matcher `{pattern}`" if pattern else "on every route"
        found.append(Inference(page, "authenticated", f"Next.js {name} {scope} ({why})", rel, line))
    return found


# --------------------------------------------------------------------------- layouts


def outermost(parts: list[str], name: str) -> int | None:
    """The index of the outermost folder called `name` in a path's parts (not the file itself)."""
    for index, part in enumerate(parts[:-1]):
        if part == name:
            return index
    return None


def _next_edges(repo) -> list[Edge]:
    files = repo.files
    layouts: dict[str, list[str]] = {}
    for rel in files:
        stem, ext = posixpath.splitext(posixpath.basename(rel))
        if stem in _NEXT_LAYOUT_STEMS and ext in NEXT_EXTS:
            layouts.setdefault(posixpath.dirname(rel), []).append(rel)
    edges = []
    pages_roots: dict[str, list[str]] = {}
    for rel in files:
        if not (rel.startswith(("app/", "pages/")) or "/app/" in rel or "/pages/" in rel):
            continue  # neither router: no folder named app/ or pages/ above it
        stem, ext = posixpath.splitext(posixpath.basename(rel))
        if ext not in NEXT_EXTS:
            continue
        parts = rel.split("/")
        app = outermost(parts, "app")
        if app is not None and stem in _NEXT_PAGE_STEMS and layouts:
            root = "/".join(parts[: app + 1])
            directory = posixpath.dirname(rel)
            while True:
                for layout in sorted(layouts.get(directory, ()), key=lambda p: (not p.split("/")[-1].startswith("layout"), p)):
                    if layout != rel:
                        edges.append(Edge(rel, layout, "layout", 0, "Next.js app router"))
                if directory == root or not directory:
                    break
                directory = posixpath.dirname(directory)
        pages = outermost(parts, "pages")
        if pages is not None:
            root = "/".join(parts[: pages + 1])
            if root not in pages_roots:
                pages_roots[root] = [
                    found
                    for special in ("_app", "_document")
                    if (found := repo.first(f"{root}/{special}{e}" for e in NEXT_EXTS))
                ]
            specials = pages_roots[root]
            inside = parts[pages + 1 :]
            if not specials or inside[0] == "api" or stem in ("_app", "_document", "_middleware"):
                continue
            for special in specials:
                edges.append(Edge(rel, special, "layout", 0, "Next.js pages router"))
    return edges



@register
class NextJs(Framework):
    id = "nextjs"
    name = "Next.js"
    reads = {"infer_source": (Reads(kinds=("script",)),)}

    def project_edges(self, repo) -> list[Edge]:
        return _next_edges(repo)

    def infer_source(self, source, repo) -> list[Inference]:
        """A middleware's matcher → the pages it guards; any other script → its own guards (a
        SvelteKit `load` file is the SvelteKit module's)."""
        if repo.kind(source.rel) != "script":
            return []
        name = posixpath.basename(source.rel)
        if name in _MIDDLEWARE_NAMES:
            return middleware_inferences(source.rel, source.text, repo, source.script)
        if is_load_file(name):
            return []
        return _file_signals(source.rel, source.text)
