"""Page-graph edges for the PHP stacks: Blade / Laravel (with Livewire), and plain PHP include /
require. (ERB and Rails layouts: phi_lint.frameworks.rails.)

Per file (`file_edges`):
- Blade: `@extends`, `@include`, `@includeIf`, `@includeWhen`, `@includeUnless`,
  `@includeFirst`, `@each`, `@component`, `<x-…>` components, `@livewire` / `<livewire:…>`,
  `@vite` and `asset('….js')` scripts.
- Livewire classes (app/Livewire, app/Http/Livewire): `#[Layout('…')]`, `->layout('…')`,
  `->extends('…')` → an edge from the component's view to that layout.
- Plain PHP: include / include_once / require / require_once with string literals, `__DIR__`,
  `dirname(__FILE__)`, `dirname(__DIR__, n)`, `$_SERVER['DOCUMENT_ROOT']` and constants defined
  in the same file (`define('INC', __DIR__ . '/inc/')`, `const INC = …`).

The PHP lexer is shared with phi_lint.inference.ruby_php.
"""

from __future__ import annotations

import posixpath
import re
from bisect import bisect_right

from phi_lint.dialects import dialect_for, table
from phi_lint.pagegraph.model import Edge
from phi_lint.parsers.template_comments import blank_comments

MAX_ARGS = 4000  # characters scanned for one call's arguments

def _state(repo) -> dict:
    return repo.memo(__name__, dict)


# --------------------------------------------------------------------------- small helpers


class Lines:
    """Line numbers of offsets, without rescanning the text for each one."""

    def __init__(self, text: str):
        self._starts = [0] + [m.end() for m in re.finditer(r"\n", text)]

    def __call__(self, offset: int) -> int:
        return bisect_right(self._starts, offset)


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


_ARG_TOKEN = re.compile(r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[()\[\]{},]""", re.S)


def call_args(text: str, open_index: int, limit: int = MAX_ARGS, want: int = 0) -> tuple[list[str], int] | None:
    """The top-level arguments of the call whose "(" is at open_index, and the index of its ")".

    Quote-aware and iterative; None when the call is not closed within `limit` characters.
    With `want`, stops as soon as that many arguments are complete (the index is then -1).
    """
    if open_index >= len(text) or text[open_index] not in "([":
        return None
    closer = {"(": ")", "[": "]", "{": "}"}
    stack = [closer[text[open_index]]]
    args: list[str] = []
    start = open_index + 1
    end = min(len(text), open_index + limit)
    for match in _ARG_TOKEN.finditer(text, start, end):
        c = match.group()
        if c in closer:
            stack.append(closer[c])
        elif c in ")]}":
            if c != stack[-1]:
                return None
            stack.pop()
            if not stack:
                last = text[start : match.start()]
                if last.strip() or args:
                    args.append(last)
                return args, match.start()
        elif c == "," and len(stack) == 1:
            args.append(text[start : match.start()])
            start = match.end()
            if want and len(args) >= want:
                return args, -1
    return None


_STRING = re.compile(r"""\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\$#]|\\.)*)")\s*""", re.S)


def string_value(arg: str) -> str | None:
    """The value of an argument that is one plain string literal ('x' or "x" without interpolation)."""
    match = _STRING.fullmatch(arg or "")
    if not match:
        return None
    value = match.group(1) if match.group(1) is not None else match.group(2)
    return value.replace("\\'", "'").replace('\\"', '"')


def string_values(arg: str) -> list[str]:
    """Every plain string literal in an argument ('x', ['a', 'b'], …) in order."""
    return [
        m.group(1) if m.group(1) is not None else m.group(2)
        for m in re.finditer(r"""'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\$#\n]|\\.)*)\"""", arg or "")
    ]


# --------------------------------------------------------------------------- PHP lexer

_PHP_OPEN = re.compile(r"<\?(?:php\b|=)?", re.I)
_PHP_TOKEN = re.compile(
    r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|/\*.*?(?:\*/|\Z)|(?://|\#(?!\[))[^\n]*?(?=\n|\?>|\Z)|\?>""", re.S
)


def php_lex(text: str, in_php: bool = False) -> tuple[str, str]:
    """(code, mask): PHP comments blanked in both; in `mask` string contents are blanked too.

    Text outside <?php … ?> is left as it is (in both). Offsets and lines are unchanged.
    `#[…]` is a PHP 8 attribute, not a comment.
    """
    code: list[str] = []
    mask: list[str] = []
    pos, n = 0, len(text)
    while pos < n:
        if not in_php:
            match = _PHP_OPEN.search(text, pos)
            if not match:
                code.append(text[pos:])
                mask.append(text[pos:])
                break
            code.append(text[pos : match.end()])
            mask.append(text[pos : match.end()])
            pos, in_php = match.end(), True
            continue
        match = _PHP_TOKEN.search(text, pos)
        if not match:
            code.append(text[pos:])
            mask.append(text[pos:])
            break
        code.append(text[pos : match.start()])
        mask.append(text[pos : match.start()])
        token = match.group()
        if token == "?>":
            code.append(token)
            mask.append(token)
            in_php = False
        elif token[0] in "'\"":
            code.append(token)
            mask.append(token[0] + _blank(token[1:-1]) + token[-1] if len(token) > 1 else token)
        else:
            code.append(_blank(token))
            mask.append(_blank(token))
        pos = match.end()
    return "".join(code), "".join(mask)


def bracket_pairs(mask: str) -> dict[int, int]:
    """open index → close index for (), [] and {} in a masked text (strings and comments blanked)."""
    pairs: dict[int, int] = {}
    stack: list[tuple[str, int]] = []
    closer = {"(": ")", "[": "]", "{": "}"}
    for match in re.finditer(r"[()\[\]{}]", mask):
        c, i = match.group(), match.start()
        if c in closer:
            stack.append((closer[c], i))
        elif stack and stack[-1][0] == c:
            pairs[stack.pop()[1]] = i
        else:
            # unbalanced: drop back to the matching opener, if any
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == c:
                    pairs[stack[depth][1]] = i
                    del stack[depth:]
                    break
    return pairs


# --------------------------------------------------------------------------- names


def underscore(name: str) -> str:
    """Ruby/PHP constant → snake path: Admin::PatientRecords → admin/patient_records."""
    parts = [p for p in re.split(r"::|\\", name) if p]
    out = []
    for part in parts:
        part = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", part)
        part = re.sub(r"([a-z\d])([A-Z])", r"\1_\2", part)
        out.append(part.lower())
    return "/".join(out)


def kebab(name: str) -> str:
    return underscore(name).replace("_", "-")


# --------------------------------------------------------------------------- file index


def views_root(rel: str, marker: str = "app/views/") -> str | None:
    index = rel.find(marker)
    if index < 0 or (index and rel[index - 1] != "/"):
        return None
    return rel[: index + len(marker)]


def _memo(repo, table: str) -> dict:
    state = _state(repo)
    return state.setdefault(table, {}) if state is not None else {}


# --------------------------------------------------------------------------- Blade

_BLADE_KINDS = table().include_tags["blade"]  # directive → edge kind (rules/dialects.toml [includes.blade])
_BLADE_DIRECTIVE = re.compile(
    r"(?<![@\w])@(" + "|".join(sorted(_BLADE_KINDS, key=lambda d: (-len(d), d))) + r")\s*\("
)
_WANT = {"includeWhen": 2, "includeUnless": 2, "each": 4, "vite": 1}
_X_TAG = re.compile(r"<(x-[\w.\-:]+|livewire:[\w.\-]+)(?=[\s/>])")
_ASSET_JS = re.compile(r"(?<![\w>$])(?:asset|secure_asset)\s*\(\s*(['\"])([^'\"$]+\.(?:js|mjs))\1")


def blade_root(rel: str) -> str:
    return views_root(rel, "resources/views/") or "resources/views/"


def project_prefix(rel: str, marker: str) -> str:
    """'backend/' for backend/resources/views/x.blade.php with marker 'resources/views/'."""
    index = rel.find(marker)
    if index < 0 or (index and rel[index - 1] != "/"):
        return ""
    return rel[:index]


def resolve_blade(repo, rel: str, name: str) -> str | None:
    """A Blade view name ('layouts.app', 'partials/analytics') → resources/views/….blade.php."""
    memo = _memo(repo, "blade")
    key = (blade_root(rel), name)
    if key not in memo:
        memo[key] = _resolve_blade(repo, rel, name)
    return memo[key]


def _resolve_blade(repo, rel: str, name: str) -> str | None:
    name = (name or "").strip()
    if not name or "$" in name or "{" in name:
        return None
    root = blade_root(rel)
    if "::" in name:
        package, name = name.split("::", 1)
        root = root + "vendor/" + package + "/"
    path = name.replace(".", "/").strip("/")
    if not re.fullmatch(r"[\w\-/]+", path):
        return None
    candidates = [root + path + ".blade.php", root + path + ".php"]
    if root != "resources/views/":
        candidates += ["resources/views/" + path + ".blade.php"]
    found = repo.first(candidates)
    if found:
        return found
    matches = repo.by_suffix(path + ".blade.php")
    return matches[0] if len(matches) == 1 else None


def _component_candidates(root: str, name: str) -> list[str]:
    path = name.replace(".", "/")
    base = posixpath.basename(path)
    out = [
        root + "components/" + path + ".blade.php",
        root + "components/" + path + "/index.blade.php",
        root + "components/" + path + "/" + base + ".blade.php",
    ]
    out.append(_component_class(root, name))  # a class component: its render() names the view
    if path.endswith("-layout"):  # <x-app-layout> without its class: Breeze's layouts.app
        out.append(root + "layouts/" + path[: -len("-layout")] + ".blade.php")
    return out


def _is_layout_component(name: str, target: str) -> bool:
    return name == "layout" or name.endswith("-layout") or name.startswith("layouts.") or "/layouts/" in target


def _blade_edges(rel: str, text: str, repo) -> list[Edge]:
    edges: list[Edge] = []
    code = blank_comments(text, _comment_syntaxes(rel, "blade"))
    if "<?" in code:
        code = php_lex(code)[0]
    code = re.sub(r"@verbatim\b.*?@endverbatim\b", lambda m: _blank(m.group()), code, flags=re.S)
    lines = Lines(code)
    root = blade_root(rel)
    budget = 2_000_000  # characters scanned for directive arguments, per file
    for match in _BLADE_DIRECTIVE.finditer(code):
        directive = match.group(1)
        if budget <= 0:
            break
        budget -= 1000
        parsed = call_args(code, match.end() - 1, limit=1000, want=_WANT.get(directive, 1))
        if not parsed:
            continue
        args, _ = parsed
        line = lines(match.start())
        if directive == "vite":
            edges.extend(_vite_edges(rel, args, line, repo))
            continue
        if directive == "livewire":
            name = string_value(args[0]) if args else None
            target = repo.first([root + "livewire/" + name.replace(".", "/") + ".blade.php"]) if name else None
            if target:
                edges.append(Edge(rel, target, "component", line, name))
            continue
        if directive in ("includeWhen", "includeUnless"):
            names = [string_value(args[1])] if len(args) > 1 else []
        elif directive == "each":
            names = [string_value(args[0])] + ([string_value(args[3])] if len(args) > 3 else [])
        elif directive == "includeFirst":
            options = string_values(args[0]) if args else []
            found = next((t for t in (resolve_blade(repo, rel, n) for n in options) if t), None)
            if found:
                edges.append(Edge(rel, found, "include", line, ", ".join(options)))
            elif options:
                repo.note_missing(rel, options[0], line)
            continue
        else:
            names = [string_value(args[0])] if args else []
        kind = _BLADE_KINDS[directive]
        for name in names:
            if not name:
                continue
            target = resolve_blade(repo, rel, name)
            if target:
                edges.append(Edge(rel, target, kind, line, name))
            elif directive != "includeIf" and "::" not in name:  # package views live in vendor/
                repo.note_missing(rel, name, line)
    for match in _X_TAG.finditer(code):
        tag = match.group(1)
        line = lines(match.start())
        if tag.startswith("livewire:"):
            name = tag[len("livewire:") :]
            target = repo.first([root + "livewire/" + name.replace(".", "/") + ".blade.php"])
            if target:
                edges.append(Edge(rel, target, "component", line, tag))
            continue
        name = tag[2:]
        if name.startswith(("slot", "dynamic-component")) or "::" in name or ":" in name:
            continue
        target = repo.first(_component_candidates(root, name))
        if target:
            kind = "layout" if _is_layout_component(name, target) else "component"
            edges.append(Edge(rel, target, kind, line, "<" + tag + ">"))
        else:
            repo.note_missing(rel, "<" + tag + ">", line)
    for match in _ASSET_JS.finditer(code):
        prefix = project_prefix(rel, "resources/views/")
        target = repo.first([prefix + "public/" + match.group(2).lstrip("/")])
        if target:
            edges.append(Edge(rel, target, "script-src", lines(match.start()), match.group(2)))
    return edges


def _vite_edges(rel: str, args: list[str], line: int, repo) -> list[Edge]:
    prefix = project_prefix(rel, "resources/views/")
    edges = []
    for name in string_values(args[0] if args else ""):
        if re.search(r"\.(js|mjs|ts|jsx|tsx|vue)$", name):
            target = repo.first([prefix + name.lstrip("/")])
            if target:
                edges.append(Edge(rel, target, "script-src", line, name))
    return edges


def _component_class(root: str, name: str) -> str:
    """<x-app-layout> → app/View/Components/AppLayout.php (<x-forms.input> → Forms/Input.php)."""
    prefix = root[: -len("resources/views/")] if root.endswith("resources/views/") else ""
    studly = "/".join(
        "".join(part[:1].upper() + part[1:] for part in segment.split("-")) for segment in name.split(".")
    )
    return prefix + "app/View/Components/" + studly + ".php"


def _class_component_edges(rel: str, text: str, repo) -> list[Edge]:
    """A class component renders the view its render() returns: AppLayout.php → layouts/app."""
    code, _ = php_lex(text)
    render = re.search(r"function\s+render\s*\([^)]*\)[^{]*\{", code)
    if not render:
        return []
    view = re.search(r"\bview\s*\(\s*(['\"])([\w.\-/:]+)\1", code[render.end() : render.end() + 3000])
    if not view:
        return []
    prefix = rel[: rel.find("app/View/Components/")]
    target = resolve_blade(repo, prefix + "resources/views/x.blade.php", view.group(2))
    if not target:
        repo.note_missing(rel, view.group(2), code.count("\n", 0, render.end() + view.start()) + 1)
        return []
    class_name = posixpath.basename(rel)[: -len(".php")]
    kind = "layout" if class_name.endswith("Layout") or "/layouts/" in target else "component"
    return [Edge(rel, target, kind, code.count("\n", 0, render.end() + view.start()) + 1, view.group(2))]


# --------------------------------------------------------------------------- Livewire

_LIVEWIRE_DIRS = ("app/Livewire/", "app/Http/Livewire/")


def livewire_view(rel: str, code: str, repo) -> tuple[str | None, str]:
    """The view a Livewire component renders (render() → view('livewire.x'), else the
    convention livewire.<kebab-case class path>), and its name."""
    render = re.search(r"function\s+render\s*\([^)]*\)[^{]*\{", code)
    body = code[render.end() : render.end() + 3000] if render else ""
    view = re.search(r"\bview\s*\(\s*(['\"])([\w.\-/:]+)\1", body)
    prefix, sub = "", rel
    for marker in _LIVEWIRE_DIRS:
        index = rel.find(marker)
        if index >= 0 and (index == 0 or rel[index - 1] == "/"):
            prefix, sub = rel[:index], rel[index + len(marker) :]
            break
    root = prefix + "resources/views/"
    if view:
        name = view.group(2)
    else:
        name = "livewire." + ".".join(kebab(p) for p in sub[: -len(".php")].split("/"))
    return resolve_blade(repo, root + "x.blade.php", name), name


def _livewire_edges(rel: str, text: str, repo) -> list[Edge]:
    code, _ = php_lex(text)
    if not re.search(r"\bclass\s+\w+\s+extends\s+\\?(?:Livewire\\)?Component\b", code):
        return []
    view, _ = livewire_view(rel, code, repo)
    if not view:
        return []
    lines = Lines(code)
    prefix = rel[: rel.find("app/")] if "app/" in rel else ""
    root = prefix + "resources/views/"
    edges = []
    for match in re.finditer(
        r"#\[\s*(?:\\?Livewire\\Attributes\\)?Layout\s*\(\s*(['\"])([\w.\-/:]+)\1|->\s*(layout|extends)\s*\(\s*(['\"])([\w.\-/:]+)\4",
        code,
    ):
        name = match.group(2) or match.group(5)
        kind = "extends" if match.group(3) == "extends" else "layout"
        target = resolve_blade(repo, root + "x.blade.php", name)
        if target:
            edges.append(Edge(view, target, kind, lines(match.start()), name))
        else:
            repo.note_missing(rel, name, lines(match.start()))
    return edges


# --------------------------------------------------------------------------- plain PHP

_PHP_INCLUDE = re.compile(r"(?<![\w$>:\\])(include_once|require_once|include|require)\b\s*")
_PHP_DEFINE = re.compile(
    r"(?<![\w$>])(?:define\s*\(\s*(['\"])([A-Za-z_]\w*)\1\s*,([^;]*?)\)\s*;|const\s+([A-Za-z_]\w*)\s*=([^;]*);)"
)
_PHP_PART = re.compile(
    r"""\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\$]|\\.)*)"|(__DIR__|__FILE__)|dirname\s*\(\s*(__FILE__|__DIR__)\s*(?:,\s*(\d+)\s*)?\)"""
    r"""|\$_SERVER\s*\[\s*(['"])DOCUMENT_ROOT\6\s*\]|([A-Za-z_]\w*))\s*""",
    re.S,
)


def php_expression(expr: str, rel: str, constants: dict, depth: int = 0) -> tuple[str, str] | None:
    """Evaluate `__DIR__ . '/x.php'`-style expressions: (anchor, path) with anchor one of
    'repo' (path is repo-relative), 'docroot', 'relative'; None when any part is dynamic."""
    expr = expr.strip()
    while expr.startswith("(") and expr.endswith(")"):
        expr = expr[1:-1].strip()
    if not expr or depth > 8:
        return None
    anchor, out, pos = "relative", "", 0
    here = posixpath.dirname(rel)
    first = True
    while pos < len(expr):
        if not first:
            dot = re.match(r"\s*\.\s*", expr[pos:])
            if not dot:
                return None
            pos += dot.end()
        match = _PHP_PART.match(expr, pos)
        if not match or match.end() == pos:
            return None
        pos = match.end()
        single, double, magic, dir_of, levels, docroot, const = match.groups()[:7]
        if single is not None or double is not None:
            out += single if single is not None else double
        elif magic:
            if not first:
                return None
            anchor, out = "repo", "/" + (here if magic == "__DIR__" else rel)
        elif dir_of:
            if not first:
                return None
            count = int(levels or 1)
            base = "/" + (here if dir_of == "__DIR__" else rel)
            for _ in range(count):
                base = posixpath.dirname(base)
            anchor, out = "repo", base
        elif docroot:
            if not first:
                return None
            anchor, out = "docroot", ""
        elif const:
            if const in ("true", "false", "null") or const not in constants:
                return None
            value = php_expression(constants[const], rel, constants, depth + 1)
            if value is None:
                return None
            if first:
                anchor, out = value
            elif value[0] == "relative":
                out += value[1]
            else:
                return None
        first = False
    return anchor, out


def resolve_php(repo, rel: str, anchor: str, path: str) -> str | None:
    if not path or "://" in path:
        return None
    if anchor == "repo":
        return repo.first([posixpath.normpath(path).lstrip("/")])
    stripped = path.lstrip("/")
    if anchor == "docroot":
        candidates = [stripped, "public/" + stripped, "htdocs/" + stripped, "www/" + stripped, "public_html/" + stripped]
        found = repo.first(candidates)
        if found:
            return found
        matches = repo.by_suffix(stripped)
        return matches[0] if len(matches) == 1 else None
    if path.startswith("/"):
        return None  # an absolute filesystem path
    found = repo.first([posixpath.join(posixpath.dirname(rel), path), path])
    if found:
        return found
    matches = repo.by_suffix(posixpath.normpath(path).lstrip("./"))
    return matches[0] if len(matches) == 1 else None


def _php_edges(rel: str, text: str, repo) -> list[Edge]:
    if not _PHP_INCLUDE.search(text):
        return []
    code, mask = php_lex(text)
    constants: dict[str, str] = {}
    for match in _PHP_DEFINE.finditer(code):
        if match.group(2):
            constants.setdefault(match.group(2), match.group(3))
        else:
            constants.setdefault(match.group(4), match.group(5))
    lines = Lines(code)
    edges = []
    for match in _PHP_INCLUDE.finditer(mask):
        if code.rfind("<?", 0, match.start()) <= code.rfind("?>", 0, match.start()):
            continue  # not inside <?php … ?>
        start = match.end()
        end_match = re.compile(r";|\?>|\n\s*\n").search(mask, start, start + 500)
        end = end_match.start() if end_match else min(len(code), start + 500)
        expr = code[start:end]
        value = php_expression(expr, rel, constants)
        if value is None:
            continue
        anchor, path = value
        target = resolve_php(repo, rel, anchor, path)
        line = lines(match.start())
        if target:
            edges.append(Edge(rel, target, "include", line, expr.strip()[:120]))
        elif path and not re.search(r"(^|/)(vendor|node_modules)/", path) and "://" not in path:
            repo.note_missing(rel, path, line)
    return edges


# --------------------------------------------------------------------------- per file

def _comment_syntaxes(rel: str, default: str) -> tuple[str, ...]:
    dialect = dialect_for(posixpath.basename(rel))
    return dialect.comments if dialect else (default,)


def file_edges(rel: str, text: str, repo) -> list[Edge]:
    dialect = dialect_for(posixpath.basename(rel))
    readers = dialect.includes if dialect else ()
    if "blade" in readers:
        return _blade_edges(rel, text, repo)
    if "php" in readers:
        edges = _php_edges(rel, text, repo)
        if any(marker in rel for marker in _LIVEWIRE_DIRS):
            edges.extend(_livewire_edges(rel, text, repo))
        elif "app/View/Components/" in rel:
            edges.extend(_class_component_edges(rel, text, repo))
        return edges
    return []
