"""Laravel's views: Blade templates, Blade components, Livewire components, Inertia pages.

Edges of a Blade view (`source_edges`): `@extends`, `@include` (and `@includeIf`, `@includeWhen`,
`@includeUnless`, `@includeFirst`, `@each`), `@component`, `<x-…>` components, `@livewire` /
`<livewire:…>`, `@vite` and `asset('….js')` scripts. Edges of PHP classes read from their
tree: a class component's `render()` returns its view (`AppLayout.php` → layouts/app), a
Livewire component's view uses the layout its `#[Layout('…')]`, `->layout('…')` or
`->extends('…')` names.

`view_file` resolves the view names routes and controllers return (`records.index`,
`inertia:Account/Overview`) to files, for phi_lint.frameworks.laravel. Directory names and the
directive table are data: rules/frameworks/laravel.toml and rules/dialects.toml [includes.blade].
"""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

from phi_lint import frameworks_data
from phi_lint.dialects import dialect_for, table
from phi_lint.inference.health import Lines
from phi_lint.lang.php import Node, PhpCode, arguments, chains, comment_spans, nodes, php_code, string_value
from phi_lint.lang.treesitter import line, text
from phi_lint.lazyre import lazy_pattern
from phi_lint.pagegraph.model import Edge
from phi_lint.parsers.offsets import ByteToChar
from phi_lint.parsers.template_comments import blank_comments

if TYPE_CHECKING:
    from phi_lint.lang import Source
    from phi_lint.pagegraph.repo import RepoIndex

VIEWS = "resources/views/"
MAX_DIRECTIVE_ARGS = 1000  # characters read for one Blade directive's arguments
DIRECTIVE_BUDGET = 2_000_000  # characters read for directive arguments, per file
VIEW_NAME = lazy_pattern(r"[\w.\-/:]+")


def _names(key: str) -> tuple[str, ...]:
    return frameworks_data.names("laravel", key)


# --------------------------------------------------------------------------- view names


def project_prefix(rel: str, marker: str) -> str:
    """'backend/' for backend/resources/views/x.blade.php with marker 'resources/views/'."""
    index = rel.find(marker)
    if index < 0 or (index and rel[index - 1] != "/"):
        return ""
    return rel[:index]


def app_prefix(near: str) -> str:
    """The Laravel project's directory inside the repository ('' at the root, 'backend/' …),
    from any file of it."""
    match = re.search(r"(^|/)(routes|app|bootstrap|resources)/", near)
    return near[: match.start(2)] if match else ""


def blade_root(rel: str) -> str:
    """The views directory a Blade file lives in (resources/views/ when it is outside one)."""
    index = rel.find(VIEWS)
    if index < 0 or (index and rel[index - 1] != "/"):
        return VIEWS
    return rel[: index + len(VIEWS)]


def resolve_blade(repo: RepoIndex, rel: str, name: str) -> str | None:
    """A Blade view name ('layouts.app', 'partials/analytics', 'mail::x') seen from `rel` → its file."""
    memo = repo.memo((__name__, "blade"), dict)
    key = (blade_root(rel), name)
    if key not in memo:
        memo[key] = _resolve_blade(repo, rel, name)
    return memo[key]


def _resolve_blade(repo: RepoIndex, rel: str, name: str) -> str | None:
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
    if root != VIEWS:
        candidates.append(VIEWS + path + ".blade.php")
    found = repo.first(candidates)
    if found:
        return found
    matches = repo.by_suffix(path + ".blade.php")
    return matches[0] if len(matches) == 1 else None


def view_file(repo: RepoIndex, near: str, name: str) -> str | None:
    """The file of a view name returned near `near` (a route file, a controller): a Blade view,
    or an Inertia page for `inertia:Name`."""
    prefix = app_prefix(near)
    if name.startswith("inertia:"):
        page = name[len("inertia:"):].strip("/")
        bases = [prefix + directory + page for directory in _names("inertia-page-dirs")]
        return repo.first([base + ending for base in bases for ending in _names("inertia-page-endings")])
    return resolve_blade(repo, prefix + VIEWS + "x.blade.php", name)


def view_calls(code: PhpCode, node: Node) -> list[tuple[str, int]]:
    """(view name, line) of each view a piece of code renders: `view('x')`, `View::make('x')`,
    `response()->view('x')`, and Inertia's `inertia('X')` / `Inertia::render('X')` as 'inertia:X'."""
    views = frameworks_data.name_set("laravel", "view-calls")
    pages = frameworks_data.name_set("laravel", "inertia-calls")
    out = []
    for chain in chains(node):
        for index, link in enumerate(chain.links):
            called = _called_as(chain, index)
            if called not in views and called not in pages:
                continue
            name = string_value(link.arguments[0].value) if link.arguments else None
            if name and VIEW_NAME.fullmatch(name):
                out.append((("inertia:" + name) if called in pages else name, line(link.node)))
    return out


def _called_as(chain, index: int) -> str:
    """How a link of a chain is called, as the view-call table writes it: `view`, `View::make`,
    `response()->view`, `->name` for any other method."""
    link = chain.links[index]
    if index == 0 and chain.kind == "static":
        return chain.base.rsplit("\\", 1)[-1] + "::" + link.name
    if index == 0 and chain.kind == "function":
        return link.name
    if index == 1 and chain.kind == "function":
        return chain.links[0].name + "()->" + link.name
    return "->" + link.name


# --------------------------------------------------------------------------- Blade

_BLADE_KINDS = table().include_tags["blade"]  # directive → edge kind (rules/dialects.toml [includes.blade])
_BLADE_DIRECTIVE = lazy_pattern(r"(?<![@\w])@(" + "|".join(sorted(_BLADE_KINDS, key=lambda d: (-len(d), d))) + r")\s*\(")
_WANT = {"includeWhen": 2, "includeUnless": 2, "each": 4, "vite": 1}
_X_TAG = lazy_pattern(r"<(x-[\w.\-:]+|livewire:[\w.\-]+)(?=[\s/>])")
_ASSET_JS = lazy_pattern(r"(?<![\w>$])(?:asset|secure_asset)\s*\(\s*(['\"])([^'\"$]+\.(?:js|mjs))\1")
_ARG_TOKEN = lazy_pattern(r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[()\[\]{},]""", re.S)
_STRING = lazy_pattern(r"""\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\$#]|\\.)*)")\s*""", re.S)
_STRINGS = lazy_pattern(r"""'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\$#\n]|\\.)*)\"""")
_VERBATIM = lazy_pattern(r"@verbatim\b.*?@endverbatim\b", re.S)


def directive_args(code: str, open_index: int, want: int = 0) -> list[str] | None:
    """The top-level arguments of a Blade directive whose "(" is at open_index (quote-aware,
    iterative); None when it is not closed within MAX_DIRECTIVE_ARGS characters. With `want`,
    stops once that many arguments are complete."""
    closer = {"(": ")", "[": "]", "{": "}"}
    stack = [")"]
    args: list[str] = []
    start = open_index + 1
    for match in _ARG_TOKEN.finditer(code, start, min(len(code), open_index + MAX_DIRECTIVE_ARGS)):
        token = match.group()
        if token in closer:
            stack.append(closer[token])
        elif token in ")]}":
            if token != stack[-1]:
                return None
            stack.pop()
            if not stack:
                last = code[start : match.start()]
                if last.strip() or args:
                    args.append(last)
                return args
        elif token == "," and len(stack) == 1:
            args.append(code[start : match.start()])
            start = match.end()
            if want and len(args) >= want:
                return args
    return None


def literal(arg: str) -> str | None:
    """The value of a directive argument that is one plain string literal, else None."""
    match = _STRING.fullmatch(arg or "")
    if not match:
        return None
    value = match.group(1) if match.group(1) is not None else match.group(2)
    return value.replace("\\'", "'").replace('\\"', '"')


def literals(arg: str) -> list[str]:
    """Every plain string literal in a directive argument ('x', ['a', 'b'], …) in order."""
    return [m.group(1) if m.group(1) is not None else m.group(2) for m in _STRINGS.finditer(arg or "")]


def _blank(span: str) -> str:
    return re.sub(r"[^\n]", " ", span)


def _blade_code(source: Source) -> str:
    """The view's text with Blade comments, PHP comments inside `<?php … ?>` and @verbatim
    blocks blanked (offsets and lines kept)."""
    dialect = dialect_for(posixpath.basename(source.rel))
    code = blank_comments(source.text, dialect.comments if dialect else ("blade",))
    if "<?" in code:
        php = php_code(source)
        if php is not None:
            to_char = ByteToChar(source.text)
            chars = list(code)
            for start, end in comment_spans(php):
                for index in range(to_char(start), to_char(end)):
                    if chars[index] != "\n":
                        chars[index] = " "
            code = "".join(chars)
    if "@verbatim" in code:
        code = _VERBATIM.sub(lambda m: _blank(m.group()), code)
    return code


def blade_edges(source: Source, repo: RepoIndex) -> list[Edge]:
    rel = source.rel
    code = _blade_code(source)
    lines = Lines(code)
    root = blade_root(rel)
    edges: list[Edge] = []
    budget = DIRECTIVE_BUDGET
    for match in _BLADE_DIRECTIVE.finditer(code):
        if budget <= 0:
            break
        budget -= MAX_DIRECTIVE_ARGS
        directive = match.group(1)
        args = directive_args(code, match.end() - 1, want=_WANT.get(directive, 1))
        if args is None:
            continue
        edges.extend(_directive_edges(rel, directive, args, lines.line(match.start()), root, repo))
    for match in _X_TAG.finditer(code):
        edge = _tag_edge(rel, match.group(1), lines.line(match.start()), root, repo)
        if edge is not None:
            edges.append(edge)
    for match in _ASSET_JS.finditer(code):
        target = repo.first([project_prefix(rel, VIEWS) + "public/" + match.group(2).lstrip("/")])
        if target:
            edges.append(Edge(rel, target, "script-src", lines.line(match.start()), match.group(2)))
    return edges


def _directive_edges(rel: str, directive: str, args: list[str], at: int, root: str, repo: RepoIndex) -> list[Edge]:
    if directive == "vite":
        return _vite_edges(rel, args, at, repo)
    if directive == "livewire":
        name = literal(args[0]) if args else None
        target = repo.first([root + "livewire/" + name.replace(".", "/") + ".blade.php"]) if name else None
        return [Edge(rel, target, "component", at, name)] if target and name else []
    if directive == "includeFirst":
        options = literals(args[0]) if args else []
        found = next((t for t in (resolve_blade(repo, rel, n) for n in options) if t), None)
        if found:
            return [Edge(rel, found, "include", at, ", ".join(options))]
        if options:
            repo.note_missing(rel, options[0], at)
        return []
    if directive in ("includeWhen", "includeUnless"):
        names = [literal(args[1])] if len(args) > 1 else []
    elif directive == "each":
        names = [literal(args[0])] + ([literal(args[3])] if len(args) > 3 else [])
    else:
        names = [literal(args[0])] if args else []
    edges = []
    for name in names:
        if not name:
            continue
        target = resolve_blade(repo, rel, name)
        if target:
            edges.append(Edge(rel, target, _BLADE_KINDS[directive], at, name))
        elif directive != "includeIf" and "::" not in name:  # package views live in vendor/
            repo.note_missing(rel, name, at)
    return edges


def _tag_edge(rel: str, tag: str, at: int, root: str, repo: RepoIndex) -> Edge | None:
    if tag.startswith("livewire:"):
        name = tag[len("livewire:"):]
        target = repo.first([root + "livewire/" + name.replace(".", "/") + ".blade.php"])
        return Edge(rel, target, "component", at, tag) if target else None
    name = tag[2:]
    if name.startswith(("slot", "dynamic-component")) or ":" in name:
        return None
    target = repo.first(_component_candidates(root, name))
    if not target:
        repo.note_missing(rel, "<" + tag + ">", at)
        return None
    kind = "layout" if _is_layout_component(name, target) else "component"
    return Edge(rel, target, kind, at, "<" + tag + ">")


def _vite_edges(rel: str, args: list[str], at: int, repo: RepoIndex) -> list[Edge]:
    prefix = project_prefix(rel, VIEWS)
    edges = []
    for name in literals(args[0] if args else ""):
        if re.search(r"\.(js|mjs|ts|jsx|tsx|vue)$", name):
            target = repo.first([prefix + name.lstrip("/")])
            if target:
                edges.append(Edge(rel, target, "script-src", at, name))
    return edges


def _component_candidates(root: str, name: str) -> list[str]:
    path = name.replace(".", "/")
    base = posixpath.basename(path)
    out = [
        root + "components/" + path + ".blade.php",
        root + "components/" + path + "/index.blade.php",
        root + "components/" + path + "/" + base + ".blade.php",
        _component_class(root, name),  # a class component: its render() names the view
    ]
    if path.endswith("-layout"):  # <x-app-layout> without its class: Breeze's layouts.app
        out.append(root + "layouts/" + path[: -len("-layout")] + ".blade.php")
    return out


def _is_layout_component(name: str, target: str) -> bool:
    return name == "layout" or name.endswith("-layout") or name.startswith("layouts.") or "/layouts/" in target


def _component_class(root: str, name: str) -> str:
    """<x-app-layout> → app/View/Components/AppLayout.php (<x-forms.input> → Forms/Input.php)."""
    prefix = root[: -len(VIEWS)] if root.endswith(VIEWS) else ""
    studly = "/".join("".join(part[:1].upper() + part[1:] for part in segment.split("-")) for segment in name.split("."))
    return prefix + _names("component-dirs")[0] + studly + ".php"


# --------------------------------------------------------------------------- PHP classes


def _under(rel: str, key: str) -> tuple[str, str] | None:
    """(project prefix, path below the directory) when `rel` is under one of the `key` directories."""
    for marker in _names(key):
        index = rel.find(marker)
        if index >= 0 and (index == 0 or rel[index - 1] == "/"):
            return rel[:index], rel[index + len(marker):]
    return None


def render_view(code: PhpCode) -> tuple[str, int] | None:
    """The view name (and line) the first class's `render()` returns, if it names one."""
    for class_node in code.classes()[:1]:
        render = code.methods(class_node).get("render")
        if render is not None:
            return next(iter(view_calls(code, render)), None)
    return None


def _kebab(name: str) -> str:
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1-\2", name)
    return re.sub(r"([a-z\d])([A-Z])", r"\1-\2", name).lower()


def livewire_view(repo: RepoIndex, rel: str, code: PhpCode) -> tuple[str | None, str]:
    """The view a Livewire component renders (render() → view('livewire.x'), else the convention
    livewire.<kebab-case class path>), and its name."""
    prefix, sub = _under(rel, "livewire-dirs") or ("", rel)
    rendered = render_view(code)
    name = rendered[0] if rendered else "livewire." + ".".join(_kebab(p) for p in sub[: -len(".php")].split("/"))
    return resolve_blade(repo, prefix + VIEWS + "x.blade.php", name), name


def _extends_component(code: PhpCode) -> bool:
    """Whether the file's class extends Livewire's Component."""
    for class_node in code.classes():
        for child in class_node.named_children:
            if child.type == "base_clause":
                parent = text(child.named_children[-1]) if child.named_children else ""
                if code.qualify(parent).rsplit("\\", 1)[-1] == "Component" and "View\\Component" not in code.qualify(parent):
                    return True
    return False


def livewire_edges(source: Source, repo: RepoIndex) -> list[Edge]:
    code = php_code(source)
    if code is None or not _extends_component(code):
        return []
    view, _ = livewire_view(repo, source.rel, code)
    if not view:
        return []
    prefix = _under(source.rel, "livewire-dirs")
    root = (prefix[0] if prefix else "") + VIEWS
    edges = []
    for name, kind, at in _layouts_named(code):
        target = resolve_blade(repo, root + "x.blade.php", name)
        if target:
            edges.append(Edge(view, target, kind, at, name))
        else:
            repo.note_missing(source.rel, name, at)
    return edges


def _layouts_named(code: PhpCode) -> list[tuple[str, str, int]]:
    """(layout name, edge kind, line) of `#[Layout('x')]`, `->layout('x')`, `->extends('x')`."""
    found = []
    for attribute in nodes(code.root, ("attribute",)):
        named = attribute.named_children
        if named and text(named[0]).lstrip("\\").rsplit("\\", 1)[-1] == "Layout":
            args = arguments(attribute.child_by_field_name("parameters"))
            name = string_value(args[0].value) if args else None
            if name and VIEW_NAME.fullmatch(name):
                found.append((name, "layout", line(attribute)))
    for chain in chains(code.root):
        for link in chain.links[1:] if chain.kind != "object" else chain.links:
            if link.name in ("layout", "extends") and link.arguments:
                name = string_value(link.arguments[0].value)
                if name and VIEW_NAME.fullmatch(name):
                    found.append((name, "extends" if link.name == "extends" else "layout", line(link.node)))
    return sorted(found, key=lambda item: item[2])


def class_component_edges(source: Source, repo: RepoIndex) -> list[Edge]:
    """A class component renders the view its render() returns: AppLayout.php → layouts/app."""
    code = php_code(source)
    rendered = render_view(code) if code is not None else None
    if rendered is None:
        return []
    name, at = rendered
    rel = source.rel
    prefix = _under(rel, "component-dirs")
    target = resolve_blade(repo, (prefix[0] if prefix else "") + VIEWS + "x.blade.php", name)
    if not target:
        repo.note_missing(rel, name, at)
        return []
    class_file = posixpath.basename(rel)[: -len(".php")]
    kind = "layout" if class_file.endswith("Layout") or "/layouts/" in target else "component"
    return [Edge(rel, target, kind, at, name)]


def source_edges(source: Source, repo: RepoIndex) -> list[Edge]:
    """The edges a Blade view or a Livewire / class component file declares."""
    dialect = dialect_for(posixpath.basename(source.rel))
    readers = dialect.includes if dialect else ()
    if "blade" in readers:
        return blade_edges(source, repo)
    if "php" not in readers:
        return []
    if _under(source.rel, "livewire-dirs"):
        return livewire_edges(source, repo)
    if _under(source.rel, "component-dirs"):
        return class_component_edges(source, repo)
    return []


__all__ = ["livewire_view", "resolve_blade", "source_edges", "view_calls", "view_file"]
