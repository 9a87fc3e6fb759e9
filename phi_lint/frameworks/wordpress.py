"""WordPress themes and plugins: the theme's page graph, the hooks that print into every page, and
the checks that keep a template behind login.

- Page graph: `get_header('portal')` loads header-portal.php (else header.php) of the file's
  theme, `get_footer()` / `get_sidebar()` likewise, `get_template_part('parts/analytics', 'gtm')`
  parts/analytics-gtm.php (else parts/analytics.php), `locate_template('x.php', true)` x.php, and
  `require get_template_directory() . '/inc/x.php'` the theme's inc/x.php. A template that calls
  `wp_head()` / `wp_footer()` prints what every `add_action('wp_head', …)` callback and every
  `wp_enqueue_script` of the theme's own files and of the plugins adds: an edge of kind "hook"
  from it to each such file (a theme's hooks reach only that theme's templates; a plugin's reach
  every theme's).
- Routes: a template that checks `! is_user_logged_in()` (or a capability) and redirects or stops
  (`auth_redirect()`, `wp_redirect(wp_login_url())`, `wp_die()`) at its top, or that calls
  `auth_redirect()` there, is behind login; so is a template a `template_redirect` callback guards
  the same way under `is_page_template('x.php')`, `is_page('slug')` or `is_singular('type')`.
  Templates of the hierarchy named by slug (page-{slug}.php, single-{type}.php) are routes with
  that URL, so a slug names a health subject or an account area as a URL does.

Names (loaders, hooks, checks, redirects) are data in rules/frameworks/wordpress.toml. Which
trackers a committed plugin setting switches on is the config-tracker table's business
(rules/config-trackers.toml); `wp_enqueue_script` loaders are read by
phi_lint.frameworks.wordpress_scripts.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from phi_lint import frameworks_data
from phi_lint.frameworks import Framework, register
from phi_lint.frameworks.reads import Reads
from phi_lint.frameworks.routes import Guard, Route
from phi_lint.lang.php import Node, PhpCode, arguments, closure_body, concatenated, nodes, php_code, string_value
from phi_lint.lang.treesitter import line, text
from phi_lint.pagegraph.model import Edge

if TYPE_CHECKING:
    from phi_lint.lang import Source
    from phi_lint.pagegraph.repo import RepoIndex

FRAMEWORK = "wordpress"
HOOK_CALLER = "wp-hook-caller"  # source_hints: the file calls wp_head() / wp_footer() (its line, the call)
HOOK_FILE = "wp-hook-file"  # the file adds to a page hook or enqueues a script
GUARD_HOOK = "wp-guard-hook"  # the file's template_redirect guards (line, guard, theme file names)
MAX_LABEL = 120


# ------------------------------------------------------------------------------------- the data


def _names(key: str) -> tuple[str, ...]:
    return frameworks_data.names(FRAMEWORK, key)


def _words(names: Iterable[str]) -> str:
    return "|".join(re.escape(name) for name in sorted(set(names), key=len, reverse=True))


@frameworks_data.derived
def _shapes() -> dict[str, re.Pattern[str]]:
    """Cheap text tests, from the data in force (the user's additions too): they gate the parse
    and make the file hints."""
    loaders = [*frameworks_data.table(FRAMEWORK, "loaders"), *_names("template-part-functions"),
               *_names("locate-functions"), *_names("theme-dir-functions"), *_names("theme-file-functions")]
    checks = [*_names("signed-in-checks"), *_names("capability-checks"), *_names("login-required-calls")]
    quoted_hooks = _words(_names("page-hooks"))
    return {
        "loader": re.compile(rf"\b(?:{_words(loaders)})\s*\("),
        "caller": re.compile(rf"(?<![\w'\"$>:])(?<!function )(?:{_words(_names('hook-callers'))})\s*\(\s*\)"),
        "hook": re.compile(rf"\b(?:{_words(_names('hook-registrars'))})\s*\(\s*['\"](?:{quoted_hooks})['\"]"
                           rf"|\b(?:{_words(_names('script-loaders'))})\s*\([^;]{{0,400}}?['\"](?:https?:)?//"
                           rf"|['\"](?:{_words(_names('header-script-options'))})['\"]"),
        "guard-hook": re.compile(rf"['\"](?:{_words(_names('guard-hooks'))})['\"]"),
        "check": re.compile(rf"\b(?:{_words(checks)})\s*\("),
    }


def _is_php(rel: str) -> bool:
    lower = rel.lower()
    return lower.endswith(".php") and not lower.endswith(".blade.php")


# ---------------------------------------------------------------------------------- the theme


def theme_root(repo: RepoIndex, rel: str) -> str:
    """The folder of the theme (or plugin) a file belongs to: the nearest folder above it that
    holds a theme marker (style.css, functions.php), else the file's own folder."""
    folder = posixpath.dirname(rel)
    markers = _names("theme-markers")

    def find() -> str:
        current = folder
        while True:
            if any(repo.exists(posixpath.join(current, marker) if current else marker) for marker in markers):
                return current
            if not current:
                return folder
            current = posixpath.dirname(current)

    return repo.memo((__name__, "theme-root", folder), find)


def _in_a_theme(repo: RepoIndex, rel: str) -> bool:
    """Whether a file lies in a WordPress theme (its folder or one above holds a theme marker):
    only there is page-{slug}.php a template of the hierarchy."""
    root = theme_root(repo, rel)
    return any(repo.exists(posixpath.join(root, marker) if root else marker) for marker in _names("theme-markers"))


def has_wordpress(repo: RepoIndex) -> bool:
    """Whether the repository holds WordPress at all (a site's root file or folder, a theme's
    style.css header, a functions.php that registers a hook, a plugin's header:
    rules/frameworks/wordpress.toml), found once per run and process: the per-file passes read a
    repository's PHP files for WordPress only then, so a PHP application with a themes/ or
    plugins/ folder of its own pays nothing for WordPress."""
    return repo.memo((__name__, "has-wordpress"), lambda: _has_wordpress(repo))


HEADER_CHARS = 8192  # how much of a file WordPress reads for its header (get_file_data)


def _has_wordpress(repo: RepoIndex) -> bool:
    if _named_sign(repo.kinds):
        return True
    return (_any_header(repo, _theme_stylesheets(repo.kinds), _names("theme-headers"))
            or any(_registers_a_hook(repo.read(rel) or "") for rel in repo.by_suffix("functions.php"))
            or _any_header(repo, _plugin_main_files(repo.kinds), _names("plugin-headers")))


def _named_sign(rels: Iterable[str]) -> bool:
    """Whether a file's name or folder says WordPress (a site's root file, wp-content/ …)."""
    listing = _listing(rels)
    return any(f"/{name}\n" in listing for name in _names("project-files")) \
        or any(f"/{folder}/" in listing for folder in _names("project-folders"))


def _listing(rels: Iterable[str]) -> str:
    """Every path behind a `/` and before a new line: a name or folder of any file is then one
    substring test in C, not a test per file (every cached run asks, over 16,000 paths)."""
    return "\n/" + "\n/".join(rels) + "\n"


def _theme_stylesheets(rels: Iterable[str]) -> list[str]:
    """The style.css beside each index.php: where a theme's header would be (a classic theme
    has both files in its folder). A stylesheet is not a file the scan lists, so it is read
    from its folder whether it is there or not."""
    return sorted({rel[: -len("index.php")] + "style.css" for rel in rels
                   if rel == "index.php" or rel.endswith("/index.php")})


def detection_inputs(rels: Iterable[str]) -> list[str]:
    """The files whose text decides whether a repository of these files holds WordPress (none
    when a file's name or folder decides it), listed by the scan or not (a theme's style.css):
    the per-file results depend on that verdict, so a cache of them keys on these files as on
    the list of files (phi_lint.cache.shared_inputs)."""
    rels = list(rels)
    if _named_sign(rels):
        return []
    functions = sorted(rel for rel in rels if rel == "functions.php" or rel.endswith("/functions.php"))
    return _theme_stylesheets(rels) + functions + _plugin_main_files(rels)


def _any_header(repo: RepoIndex, files: Iterable[str], fields: tuple[str, ...]) -> bool:
    """Whether one of the files names one of the header fields in its first HEADER_CHARS."""
    return any(field in (repo.read(rel) or "")[:HEADER_CHARS] for rel in files for field in fields)


def _registers_a_hook(code: str) -> bool:
    return re.search(rf"\b(?:{_words(_names('hook-registrars'))})\s*\(", code) is not None


def _plugin_main_files(rels: Iterable[str]) -> list[str]:
    """Where a plugin's main file lies in a repository without a site around it: a PHP file at
    the top of a plugins/<name>/ folder."""
    folders = set(_names("plugin-folders"))
    rels = list(rels)
    listing = _listing(rels)
    if not any(f"/{folder}/" in listing for folder in folders):
        return []  # no plugins/ folder anywhere: no file to split
    found = []
    for rel in rels:
        parts = rel.split("/")
        if len(parts) >= 3 and parts[-3] in folders and _is_php(rel):
            found.append(rel)
    return sorted(found)


def _in_theme(root: str, name: str) -> str:
    name = posixpath.normpath(name.lstrip("/"))
    return posixpath.join(root, name) if root else name


def _first_existing(repo: RepoIndex, root: str, names: Iterable[str]) -> str | None:
    return repo.first([_in_theme(root, name) for name in names if name and not name.startswith("../")])


def _function_name(call) -> str:
    function = call.child_by_field_name("function")
    return text(function).lstrip("\\") if function is not None else ""


def _string_args(call) -> list[str | None]:
    return [string_value(argument.value) for argument in arguments(call)]


def _loaded_names(name: str, args: list[str | None]) -> list[str]:
    """The theme files a loader call names, in the order WordPress tries them."""
    loaders = frameworks_data.table(FRAMEWORK, "loaders")
    if name in loaders:
        base = str(loaders[name])
        variant = args[0] if args else None
        return ([f"{base}-{variant}.php"] if variant else []) + [f"{base}.php"]
    if name in _names("template-part-functions"):
        slug = args[0] if args else None
        if not slug:
            return []
        variant = args[1] if len(args) > 1 else None
        return ([f"{slug}-{variant}.php"] if variant else []) + [f"{slug}.php"]
    if name in _names("locate-functions"):
        return [arg for arg in args[:1] if arg and arg.endswith(".php")]
    return []


def _locate_names(code: PhpCode, call) -> list[str]:
    """locate_template(['a.php', 'b.php'], true): every name of an array first argument."""
    args = arguments(call)
    return [n for n in code.names(args[0].value) if n.endswith(".php")] if args else []


def _names_the_file(call) -> bool:
    """plugin_dir_path(__FILE__), trailingslashit(__DIR__): the folder of the calling file."""
    args = arguments(call)
    written = text(args[0].value) if len(args) == 1 else ""
    return (written == "__FILE__") if _function_name(call) == "plugin_dir_path" else written == "__DIR__"


def theme_path(code: PhpCode, expression, root: str) -> str | None:
    """An include path that starts at the theme (`get_template_directory() . '/inc/x.php'`,
    `get_theme_file_path('inc/x.php')`) or at the file's folder (`plugin_dir_path(__FILE__) .
    'x.php'`), as a repository path; None for any other path (phi_lint.frameworks.php reads those)."""
    parts = concatenated(expression)
    if not parts or parts[0].type != "function_call_expression":
        return None
    name = _function_name(parts[0])
    args = _string_args(parts[0])
    if name in _names("theme-dir-functions"):
        base = root
    elif name in _names("theme-file-functions") and args and args[0]:
        base = _in_theme(root, args[0])
    elif name in _names("file-dir-functions") and _names_the_file(parts[0]):
        base = posixpath.dirname(code.rel)
    else:
        return None
    tail = ""
    for part in parts[1:]:
        value = string_value(part)
        if value is None:
            return None
        tail += value
    joined = posixpath.normpath(posixpath.join(base, tail.lstrip("/"))) if tail else base
    return None if joined.startswith("..") else joined


# ------------------------------------------------------------------------------------- edges


def theme_edges(source: Source, repo: RepoIndex) -> list[Edge]:
    """The edges of one theme file: loaders, template parts, theme-rooted includes."""
    shapes = _shapes()
    if not shapes["loader"].search(source.text):
        return []
    code = php_code(source)
    if code is None:
        return []
    root = theme_root(repo, source.rel)
    edges = []
    for call in nodes(code.root, ("function_call_expression",)):
        name = _function_name(call)
        names = _loaded_names(name, _string_args(call))
        if name in _names("locate-functions"):
            names = names or _locate_names(code, call)
        target = _first_existing(repo, root, names) if names else None
        if target and target != source.rel:
            edges.append(Edge(source.rel, target, "include", line(call), text(call)[:MAX_LABEL]))
    for _kind, expression, node in code.includes():
        target_path = theme_path(code, expression, root)
        if target_path and repo.exists(target_path):
            edges.append(Edge(source.rel, target_path, "include", line(node), text(expression).strip()[:MAX_LABEL]))
    return edges


def _hinted(repo: RepoIndex, hint: str, read) -> list[tuple[str, str]]:
    """(file, what pass 1 kept of it) of the PHP files pass 1 noted with `hint` (`hint:payload`);
    when pass 1 noted nothing (hints not collected), `read(source)` finds the payload ("" for a
    file without one; None leaves the file out), reading and parsing the file here."""
    if not has_wordpress(repo):
        return []
    files = [rel for rel in repo.files if _is_php(rel)]
    out: list[tuple[str, str]] = []
    if repo.hints is not None:
        prefix = hint + ":"
        for rel in files:
            out += [(rel, h[len(prefix):]) for h in repo.hints.get(rel, ()) if h == hint or h.startswith(prefix)]
        return out
    from phi_lint.lang import Source

    for rel in files:
        payload = read(Source(rel, repo.read(rel) or ""))
        if payload is not None:
            out.append((rel, payload))
    return out


def _caller_payload(source: Source) -> str | None:
    """`[line, "wp_head()"]` of the first page-hook call of a template, None without one."""
    if "wp_" not in source.text:
        return None
    match = _shapes()["caller"].search(source.text)
    if match is None:
        return None
    return json.dumps([source.text.count("\n", 0, match.start()) + 1, match.group().strip()])


def _hook_file_payload(source: Source) -> str | None:
    return "" if _shapes()["hook"].search(source.text) else None


def _themes_folder(rel: str) -> str | None:
    """`…/themes/<name>/` of a file inside a theme folder, else None (a plugin, a mu-plugin)."""
    parts = rel.split("/")
    for index in range(len(parts) - 2):
        if parts[index] == "themes":
            return "/".join(parts[: index + 2]) + "/"
    return None


def hook_edges(repo: RepoIndex) -> list[Edge]:
    """caller → hook file, for every template that prints the page hooks and every file that adds
    to them (a theme's hook files only for that theme's templates)."""
    hook_files = [rel for rel, _ in _hinted(repo, HOOK_FILE, _hook_file_payload)]
    if not hook_files:
        return []
    edges = []
    for caller, payload in _hinted(repo, HOOK_CALLER, _caller_payload):
        at, call = json.loads(payload)
        theme = _themes_folder(caller)
        for hook_file in hook_files:
            own = _themes_folder(hook_file)
            if hook_file == caller or (own is not None and own != theme):
                continue
            edges.append(Edge(caller, hook_file, "hook", at, f"{call} prints what {posixpath.basename(hook_file)} adds"))
    return edges


# ------------------------------------------------------------------------------------ guards


def _calls_in(node) -> list:
    return nodes(node, ("function_call_expression",)) if node is not None else []


def _negated_checks(condition) -> list:
    """The `! is_user_logged_in()` / `! current_user_can(…)` parts of a condition."""
    checks = set(_names("signed-in-checks")) | set(_names("capability-checks"))
    found = []
    for unary in nodes(condition, ("unary_op_expression",)):
        operator = unary.child_by_field_name("operator")
        if (text(operator) if operator is not None else text(unary)[:1]) != "!":
            continue
        operand = unary.named_children[-1] if unary.named_children else None
        while operand is not None and operand.type == "parenthesized_expression" and operand.named_child_count == 1:
            operand = operand.named_children[0]
        if operand is not None and operand.type == "function_call_expression" and _function_name(operand) in checks:
            found.append(operand)
    return found


def _stops(branch) -> str | None:
    """The redirect or stop a branch makes (`auth_redirect()`, `wp_redirect(…)`, `exit`), or None."""
    redirects = set(_names("guard-redirects"))
    for call in _calls_in(branch):
        if _function_name(call) in redirects:
            return _function_name(call) + "()"
    if branch is not None and nodes(branch, ("exit_statement",)):
        return "exit"
    return None


def _then_branch(if_node):
    return if_node.child_by_field_name("body")


def _guard_of_if(if_node) -> str | None:
    """`if ( ! is_user_logged_in() ) { auth_redirect(); }` as the guard's text, else None."""
    condition = if_node.child_by_field_name("condition")
    checks = _negated_checks(condition) if condition is not None else []
    if not checks:
        return None
    body = _then_branch(if_node)
    if body is not None and body.type == "colon_block":
        body = if_node  # `if (…): … endif;` keeps its statements beside the colon block
    stop = _stops(body)
    if stop is None:
        return None
    return f"`! {text(checks[0])}` then `{stop}`"


def template_guards(code: PhpCode) -> list[tuple[str, int]]:
    """(guard text, line) of the checks at the top level of a template that keep it behind login."""
    required = set(_names("login-required-calls"))
    found = []
    for statement in code.root.named_children:
        if statement.type == "if_statement":
            guard = _guard_of_if(statement)
            if guard:
                found.append((guard, line(statement)))
        elif statement.type == "expression_statement":
            call = statement.named_children[0] if statement.named_children else None
            if call is not None and call.type == "function_call_expression" and _function_name(call) in required:
                found.append((f"`{text(call)}` at the top of the template", line(statement)))
    return found


def slug_url(rel: str) -> str | None:
    """The URL a slug template of the hierarchy serves: page-patient-portal.php → /patient-portal/."""
    name = posixpath.basename(rel)
    if not name.endswith(".php"):
        return None
    stem = name[:-4]
    for prefix in _names("slug-templates"):
        if stem.startswith(prefix) and len(stem) > len(prefix):
            return "/" + stem[len(prefix):] + "/"
    return None


def template_routes(source: Source, repo: RepoIndex) -> list[Route]:
    """The route of one theme template: its guards at the top, and its URL for a slug template."""
    url = slug_url(source.rel) if _in_a_theme(repo, source.rel) else None
    guards: tuple[Guard, ...] = ()
    if _shapes()["check"].search(source.text):
        code = php_code(source)
        if code is not None:
            guards = tuple(Guard(guard, source.rel, at) for guard, at in template_guards(code))
    if not guards and url is None:
        return []
    return [Route(FRAMEWORK, source.rel, source.rel, guards[0].line if guards else 0, url, guards)]


def _callbacks(code: PhpCode, hooks: set[str]) -> Iterator[tuple[Node, int]]:
    """(body, line of the add_action) of each callback registered on one of `hooks`."""
    functions: dict[str, Node] = {}
    for definition in nodes(code.root, ("function_definition",)):
        name = definition.child_by_field_name("name")
        if name is not None:
            functions.setdefault(text(name), definition.child_by_field_name("body"))
    for call in nodes(code.root, ("function_call_expression",)):
        if _function_name(call) not in _names("hook-registrars"):
            continue
        args = arguments(call)
        if len(args) < 2 or string_value(args[0].value) not in hooks:
            continue
        callback = args[1].value
        body = closure_body(callback)
        if body is None:
            body = functions.get(string_value(callback) or "")
        if body is not None:
            yield body, line(call)


@frameworks_data.derived
def _condition_templates() -> dict[str, str]:
    """page condition → the theme file name its argument makes (`{}` the argument), from the
    lists of rules/frameworks/wordpress.toml and the user's additions to them."""
    out: dict[str, str] = {}
    for key, pattern in frameworks_data.table(FRAMEWORK, "condition-templates").items():
        for condition in _names(key):
            out.setdefault(condition, str(pattern))
    return out


def _guarded_names(condition_calls: list) -> list[str]:
    """The theme file names (from the theme's folder) the page conditions around a guard name."""
    patterns = _condition_templates()
    names: list[str] = []
    for call in condition_calls:
        pattern = patterns.get(_function_name(call))
        values = [v for v in _string_args(call)[:1] if v]
        args = arguments(call)
        if args and args[0].value.type == "array_creation_expression":
            values = [string_value(item) or "" for item in args[0].value.named_children for item in item.named_children]
        if pattern is None:
            continue
        names.extend(pattern.replace("{}", value) for value in values if value)
    return names


def hook_guards(code: PhpCode) -> list[tuple[int, str, list[str]]]:
    """(line, guard text, theme file names) of each `template_redirect` callback's check that
    keeps the pages its conditions name behind login."""
    hooks = set(_names("guard-hooks"))
    conditions = set(_condition_templates())
    found = []
    for body, _at in _callbacks(code, hooks):
        for if_node in nodes(body, ("if_statement",)):
            guard = _guard_of_if(if_node)
            if guard is None:
                continue
            around: list[Node] = []
            current = if_node
            while current is not None and current.id != body.id:
                if current.type == "if_statement":
                    condition = current.child_by_field_name("condition")
                    around.extend(c for c in _calls_in(condition) if _function_name(c) in conditions)
                current = current.parent
            names = _guarded_names(around)
            if names:
                found.append((line(if_node), guard, names))
    return found


def _guard_payload(source: Source) -> str | None:
    """The guards of a file that registers a template_redirect callback, as pass 1 keeps them
    (read from the file's one parse, shared with its other stages), None for any other file."""
    if not _shapes()["guard-hook"].search(source.text):
        return None
    code = php_code(source)
    guards = hook_guards(code) if code is not None else []
    return json.dumps(guards) if guards else None


def hook_routes(repo: RepoIndex) -> list[Route]:
    """Templates a `template_redirect` callback keeps behind login (from what pass 1 kept of
    each file: no file is parsed again here)."""
    routes = []
    for rel, payload in _hinted(repo, GUARD_HOOK, _guard_payload):
        root = theme_root(repo, rel)
        for at, guard, names in json.loads(payload):
            for page in (_in_theme(root, name) for name in names):
                if repo.exists(page):
                    routes.append(Route(FRAMEWORK, page, rel, at, slug_url(page),
                                        (Guard(f"template_redirect: {guard}", rel, at),)))
    return routes


# --------------------------------------------------------------------------------- the module


@register
class WordPress(Framework):
    id = FRAMEWORK
    name = "WordPress"
    reads = {hook: (Reads(languages=("php",)),) for hook in ("source_edges", "source_hints", "file_routes")}

    def source_edges(self, source, repo):
        if not _is_php(source.rel) or not has_wordpress(repo):
            return []
        return theme_edges(source, repo)

    def source_hints(self, source, repo) -> tuple[str, ...]:
        if not _is_php(source.rel) or not has_wordpress(repo):
            return ()
        hints: tuple[str, ...] = ()
        for hint, payload in ((HOOK_CALLER, _caller_payload(source)), (HOOK_FILE, _hook_file_payload(source)),
                              (GUARD_HOOK, _guard_payload(source))):
            if payload is not None:
                hints += (f"{hint}:{payload}" if payload else hint,)
        return hints

    def project_edges(self, repo):
        return hook_edges(repo)

    def file_routes(self, source, repo):
        if not _is_php(source.rel) or not has_wordpress(repo):
            return []
        return template_routes(source, repo)

    def routes(self, repo, graph):
        return hook_routes(repo)
