"""Page-graph edges for Ruby: ERB / Rails (Blade and Livewire: phi_lint.frameworks.laravel_views;
plain PHP include / require: phi_lint.frameworks.php).

Per file (`file_edges`):
- ERB: `render "shared/analytics"`, `render partial: …`, `render template: …`, `render layout: …`,
  `render @items` (collection partials), `render XComponent.new` (ViewComponent templates),
  `javascript_include_tag` / `javascript_importmap_tags` / `javascript_pack_tag`.

Per project (`project_edges`): Rails layouts. Every view under app/views/<controller path>/
(not a partial, not under layouts/, not a mailer) → the layout its controller uses: the nearest
`layout "…"` declaration in the controller or its ancestors (with only:/except:), else the first
of layouts/<controller path> up the controller's ancestry (layouts/application at the end).

The Rails controller model (`rails_controllers`) is shared with phi_lint.inference.ruby_php.
"""

from __future__ import annotations

import posixpath
import re
from bisect import bisect_right
from dataclasses import dataclass, field

from phi_lint import frameworks_data
from phi_lint.dialects import dialect_for
from phi_lint.pagegraph.model import Edge
from phi_lint.parsers.template_comments import blank_comments

MAX_DEPTH = 24  # controller ancestry / concern nesting

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


# --------------------------------------------------------------------------- Ruby helpers

_RUBY_TOKEN = re.compile(
    r""""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\#[^\n]*|^=begin\b.*?(?:^=end\b[^\n]*|\Z)""", re.S | re.M
)


def blank_ruby_comments(text: str) -> str:
    """Ruby `#` comments and =begin/=end blocks blanked (strings, with `#{}` inside, kept)."""
    if "#" not in text and "=begin" not in text:
        return text

    def repl(match: re.Match) -> str:
        token = match.group()
        return token if token[0] in "'\"" else _blank(token)

    return _RUBY_TOKEN.sub(repl, text)


def underscore(name: str) -> str:
    """Ruby/PHP constant → snake path: Admin::PatientRecords → admin/patient_records."""
    parts = [p for p in re.split(r"::|\\", name) if p]
    out = []
    for part in parts:
        part = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", part)
        part = re.sub(r"([a-z\d])([A-Z])", r"\1_\2", part)
        out.append(part.lower())
    return "/".join(out)


def ruby_names(value: str) -> list[str]:
    """Action / filter names in a Ruby option value: :a, [:a, :b], %i[a b], %w(a b), "a", ['a']."""
    names: list[str] = []
    for match in re.finditer(r"%[iwIW]\s*[\[(]([^\])]*)[\])]", value):
        names.extend(match.group(1).split())
    value = re.sub(r"%[iwIW]\s*[\[(][^\])]*[\])]", " ", value)
    names.extend(re.findall(r"(?<![\w:]):(\w+[!?]?)", value))
    names.extend(a or b for a, b in re.findall(r"'([\w!?]+)'|\"([\w!?]+)\"", value))
    return names


def ruby_option(statement: str, key: str) -> str | None:
    """The raw value of option `key:` (or `:key =>`) in a macro call, or None."""
    match = re.search(r"(?:(?<![\w:])" + key + r":(?!:)|:" + key + r"\s*=>)\s*", statement)
    if not match:
        return None
    rest = statement[match.end() :]
    if rest.startswith(("[", "%")):
        close = rest.find("]") if rest.startswith("[") or rest[2:3] == "[" else rest.find(")")
        return rest[: close + 1] if close >= 0 else rest
    token = re.match(r"(:?[\w!?]+|'[^']*'|\"[^\"]*\"|->\s*\{[^}]*\}|lambda\s*\{[^}]*\}|proc\s*\{[^}]*\})", rest)
    return token.group(1) if token else ""


def ruby_statement(text: str, start: int, max_lines: int = 20) -> str:
    """One Ruby statement from `start`: continues over lines while brackets are open or a line
    ends with a comma, backslash or operator."""
    end = start
    depth = 0
    for _ in range(max_lines):
        newline = text.find("\n", end)
        line = text[end:] if newline < 0 else text[end:newline]
        depth += sum(line.count(c) for c in "([{") - sum(line.count(c) for c in ")]}")
        end = len(text) if newline < 0 else newline + 1
        stripped = line.rstrip()
        if newline < 0 or (depth <= 0 and not stripped.endswith((",", "\\", "||", "&&", "=>"))):
            break
    return text[start:end]


# --------------------------------------------------------------------------- file index


def _erb_stems(repo) -> dict[str, list[str]]:
    """path without extensions → ERB files (app/views/shared/_analytics → [….html.erb, ….text.erb])."""
    state = _state(repo)
    stems = state.get("erb_stems")
    if stems is None:
        stems = {}
        for rel in repo.files:
            lower = rel.lower()
            if not lower.endswith((".erb", ".rhtml")):
                continue
            head, base = posixpath.split(rel)
            stem = posixpath.join(head, base.split(".", 1)[0])
            stems.setdefault(stem, []).append(rel)
        for _stem, rels in stems.items():
            rels.sort(key=lambda r: (not r.endswith(".html.erb"), not r.endswith(".erb"), r))
        state["erb_stems"] = stems
    return stems


def erb_file(repo, stem: str) -> str | None:
    stem = posixpath.normpath(stem).lstrip("/")
    rels = _erb_stems(repo).get(stem)
    return rels[0] if rels else None


def views_root(rel: str, marker: str = "app/views/") -> str | None:
    index = rel.find(marker)
    if index < 0 or (index and rel[index - 1] != "/"):
        return None
    return rel[: index + len(marker)]


# --------------------------------------------------------------------------- ERB

_ERB_TAG = re.compile(r"<%(?!%)(?:==|=|-)?(.*?)-?%>", re.S)
_RENDER = re.compile(r"(?<![\w.:@$])render\b(?!_)")
_JS_TAGS = re.compile(r"(?<![\w.])(javascript_include_tag|javascript_importmap_tags|javascript_pack_tag)\b")


def _strip_ext(name: str) -> str:
    head, base = posixpath.split(name)
    return posixpath.join(head, base.split(".", 1)[0]) if base else name


def _memo(repo, table: str) -> dict:
    state = _state(repo)
    return state.setdefault(table, {}) if state is not None else {}


def resolve_rails_partial(repo, rel: str, name: str) -> str | None:
    """`render "shared/analytics"` from view `rel` → app/views/shared/_analytics.html.erb."""
    memo = _memo(repo, "partials")
    key = (posixpath.dirname(rel), name)
    if key not in memo:
        memo[key] = _resolve_rails_partial(repo, rel, name)
    return memo[key]


def _resolve_rails_partial(repo, rel: str, name: str) -> str | None:
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
        here = posixpath.dirname(rel)
        candidates.append(posixpath.join(here, "_" + base))
        candidates.append(posixpath.join(root, "application", "_" + base))
        candidates.append(posixpath.join(root, "shared", "_" + base))
    for stem in candidates:
        found = erb_file(repo, stem)
        if found:
            return found
    return None


def resolve_rails_template(repo, rel: str, name: str) -> str | None:
    name = _strip_ext(name.strip().strip("/"))
    if not name:
        return None
    root = views_root(rel) or "app/views/"
    if "/" not in name:
        return erb_file(repo, posixpath.join(posixpath.dirname(rel), name))
    return erb_file(repo, posixpath.join(root, name))


def resolve_rails_layout(repo, root: str, name: str) -> str | None:
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


_ERB_WORDS = re.compile(r"render\b|javascript_(?:include_tag|importmap_tags|pack_tag)\b")
_NAME_CHAR = re.compile(r"[\w.:@$]")


def _erb_edges(rel: str, text: str, repo) -> list[Edge]:
    if "render" not in text and "javascript_" not in text:
        return []
    edges: list[Edge] = []
    code = blank_comments(text, _comment_syntaxes(rel, "erb"))
    lines = None
    root = views_root(rel) or "app/views/"
    done: set[int] = set()
    for word in _ERB_WORDS.finditer(code):
        if word.start() and _NAME_CHAR.match(code, word.start() - 1):
            continue  # part of a longer name (rerender, @render, x.render)
        # only inside an ERB code tag, and each tag once
        opener = code.rfind("<%", 0, word.start())
        if opener < 0 or opener in done or code.rfind("%>", 0, word.start()) > opener:
            continue
        done.add(opener)
        tag = _ERB_TAG.match(code, opener)
        if not tag or tag.end() < word.end():
            continue
        lines = lines or Lines(code)
        body = blank_ruby_comments(tag.group(1))
        offset = tag.start(1)
        if "render" in body:
            for match in _RENDER.finditer(body):
                region = body[match.end() : match.end() + 600]
                edges.extend(_render_edges(rel, region, lines(offset + match.start()), repo))
        if "javascript_" in body:
            for match in _JS_TAGS.finditer(body):
                region = body[match.end() : match.end() + 400]
                edges.extend(_rails_script_edges(rel, match.group(1), region, lines(offset + match.start()), repo, root))
    return edges


_RENDER_OPTION = {
    key: re.compile(r"(?:(?<![\w:])" + key + r":(?!:)|:" + key + r"\s*=>)\s*(['\"])([^'\"#{}]+)\1")
    for key in ("partial", "template", "layout")
}
_LOCALS = re.compile(r"\blocals:\s*\{[^{}]*\}|:locals\s*=>\s*\{[^{}]*\}")


def _render_edges(rel: str, region: str, line: int, repo) -> list[Edge]:
    region = region.lstrip()
    if region.startswith("("):
        region = region[1:].lstrip()
    # the call ends at the end of the statement (a block `do`, a newline outside brackets)
    region = region.split("\n", 1)[0] if region.count("(") == region.count(")") else region
    out: list[Edge] = []

    def option(key: str) -> str | None:
        m = _RENDER_OPTION[key].search(region)
        return m.group(2) if m else None

    region = _LOCALS.sub(" ", region)
    first = re.match(r"(['\"])([^'\"#{}]+)\1", region)
    partial = option("partial")
    template = option("template")
    layout = option("layout")
    if first:
        partial = first.group(2)
    if partial:
        target = resolve_rails_partial(repo, rel, partial)
        if target:
            out.append(Edge(rel, target, "partial", line, partial))
        else:
            repo.note_missing(rel, partial, line)
    if template:
        target = resolve_rails_template(repo, rel, template)
        if target:
            out.append(Edge(rel, target, "include", line, template))
        else:
            repo.note_missing(rel, template, line)
    if layout:
        target = resolve_rails_partial(repo, rel, layout) or resolve_rails_layout(repo, views_root(rel) or "app/views/", layout)
        if target:
            out.append(Edge(rel, target, "layout", line, layout))
        else:
            repo.note_missing(rel, layout, line)
    if not (first or partial or template or layout):
        collection = re.match(r"@(\w+)\b(?!\.)", region)
        component = re.match(r"([A-Z]\w*(?:::[A-Z]\w*)*)\s*\.\s*(?:new|with_collection)\b", region)
        if collection:
            name = collection.group(1)
            stem = posixpath.join(views_root(rel) or "app/views/", name, "_" + _singular(name))
            target = erb_file(repo, stem)
            if target:
                out.append(Edge(rel, target, "partial", line, "@" + name))
        elif component:
            path = underscore(component.group(1))
            base = posixpath.basename(path)
            app = (views_root(rel) or "app/views/")[: -len("views/")]
            target = erb_file(repo, posixpath.join(app, "components", path)) or erb_file(
                repo, posixpath.join(app, "components", path, base)
            )
            if target:
                out.append(Edge(rel, target, "component", line, component.group(1)))
    return out


def _rails_script_edges(rel: str, helper: str, region: str, line: int, repo, root: str) -> list[Edge]:
    region = region.split("%>", 1)[0].split("\n", 1)[0].strip()
    if region.startswith("("):
        region = region[1:].rsplit(")", 1)[0]
    names = []
    for arg in region.split(","):
        value = string_value(arg)
        if value is None:
            symbol = re.fullmatch(r"\s*:(\w+)\s*", arg)
            value = symbol.group(1) if symbol else None
        if value is None:
            break  # options follow the names
        names.append(value)
    names = [n for n in names if not n.startswith(("http:", "https:", "//"))]
    if helper == "javascript_importmap_tags":
        names = names[:1] or ["application"]
    app = root[: -len("views/")]  # app/
    edges = []
    for name in names:
        base = re.sub(r"\.(js|mjs|ts|jsx|tsx)$", "", name.strip("/"))
        if helper == "javascript_pack_tag":
            dirs = ["javascript/packs/", "javascript/"]
        else:
            dirs = ["javascript/", "assets/javascripts/", "assets/builds/"]
        candidates = [app + d + base + ext for d in dirs for ext in (".js", ".ts", ".jsx", ".tsx", ".mjs")]
        target = repo.first(candidates)
        if target:
            edges.append(Edge(rel, target, "script-src", line, name))
    return edges


# --------------------------------------------------------------------------- per file

def _comment_syntaxes(rel: str, default: str) -> tuple[str, ...]:
    dialect = dialect_for(posixpath.basename(rel))
    return dialect.comments if dialect else (default,)


def file_edges(rel: str, text: str, repo) -> list[Edge]:
    dialect = dialect_for(posixpath.basename(rel))
    readers = dialect.includes if dialect else ()
    if "erb" in readers:
        return _erb_edges(rel, text, repo)
    return []


# --------------------------------------------------------------------------- Rails controllers


@dataclass
class FilterOp:
    """One filter declaration: before_action (add) or skip_before_action (skip) of `name`."""

    action: str  # "add" | "skip"
    name: str
    line: int
    only: tuple[str, ...] | None = None
    except_: tuple[str, ...] | None = None
    condition: str = ""  # if:/unless: text, when given
    source: str = ""  # the file declaring it
    owner: str = ""  # the class or concern declaring it
    macro: str = ""  # the macro as written (before_action, skip_before_action, …)


@dataclass
class LayoutDecl:
    names: list[str]  # [] for `layout false` / nil
    line: int
    only: tuple[str, ...] | None = None
    except_: tuple[str, ...] | None = None
    dynamic: bool = False
    method: str = ""  # `layout :choose_layout`: the method that picks it

    def applies(self, action: str) -> bool:
        if self.only is not None and action not in self.only:
            return False
        if self.except_ is not None and action in self.except_:
            return False
        return True


@dataclass
class RubyClass:
    rel: str
    name: str  # PatientsController or the concern module name
    parent: str = ""  # as written
    modules: tuple[str, ...] = ()
    ops: list = field(default_factory=list)  # FilterOp | ("include", name, line)
    layout: LayoutDecl | None = None
    actions: list[str] = field(default_factory=list)
    private: list[str] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        """Admin::ReportsController for `module Admin; class ReportsController`."""
        return "::".join([*self.modules, self.name]) if "::" not in self.name else self.name


_CLASS = re.compile(r"^[ \t]*class[ \t]+([A-Z][\w:]*)(?:[ \t]*<[ \t]*([A-Z][\w:]*))?", re.M)
_MODULE = re.compile(r"^[ \t]*module[ \t]+([A-Z][\w:]*)", re.M)
_MACRO = re.compile(
    r"^[ \t]*(prepend_before_action|append_before_action|before_action|prepend_before_filter|before_filter"
    r"|skip_before_action|skip_before_filter|skip_action_callback|allow_unauthenticated_access"
    r"|http_basic_authenticate_with|include|layout|def|private|protected|public)\b(?![?!:])(?!\s*[=.]\s*[^=>])",
    re.M,
)


def _method_bodies(code: str) -> list[tuple[int, int]]:
    """Offset ranges of the outermost multi-line method bodies (`def` … the `end` at the same
    indentation), in order; one pass over the lines."""
    ranges: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    pos = 0
    for line in code.splitlines(keepends=True):
        match = re.match(r"([ \t]*)(def[ \t]|end\b)", line)
        if match:
            indent = match.group(1)
            if match.group(2).startswith("def"):
                one_line = re.search(r"\bend\s*$", line) or re.search(r"\)\s*=\s*\S|^\s*def\s+[\w.?!]+\s*=\s*\S", line)
                if not one_line:
                    stack.append((indent, pos + len(line)))
            else:
                for i in range(len(stack) - 1, -1, -1):
                    if stack[i][0] == indent:
                        if i == 0:
                            ranges.append((stack[0][1], pos))
                        del stack[i:]
                        break
        pos += len(line)
    return ranges


def _inside(ranges: list[tuple[int, int]], starts: list[int], offset: int) -> bool:
    index = bisect_right(starts, offset) - 1
    return index >= 0 and offset < ranges[index][1]


def parse_ruby_class(rel: str, text: str) -> RubyClass | None:
    code = blank_ruby_comments(text)
    lines = Lines(code)
    classes = list(_CLASS.finditer(code))
    modules = [m.group(1) for m in _MODULE.finditer(code) if not classes or m.start() < classes[0].start()]
    if classes:
        info = RubyClass(rel, classes[0].group(1), classes[0].group(2) or "", tuple(modules))
    elif modules:
        info = RubyClass(rel, "::".join(modules), "", tuple(modules[:-1]))
    else:
        return None
    visibility = "public"
    bodies = _method_bodies(code)
    starts = [start for start, _ in bodies]
    for match in _MACRO.finditer(code):
        word = match.group(1)
        if word != "def" and _inside(bodies, starts, match.start()):
            continue  # a call inside a method body is not a class-level declaration
        line = lines(match.start())
        if word in ("private", "protected", "public"):
            newline = code.find("\n", match.end())
            rest = code[match.end() : newline if newline >= 0 else len(code)]
            inline = re.match(r"\s*def\s+(?:self\.)?(\w+[!?=]?)", rest)
            if inline:
                (info.private if word != "public" else info.actions).append(inline.group(1))
            elif not rest.strip() or rest.strip().startswith(":"):
                if rest.strip().startswith(":"):  # private :a, :b
                    info.private.extend(ruby_names(rest))
                else:
                    visibility = word
            continue
        if word == "def":
            name = re.match(r"\s*(self\.)?(\w+[!?=]?)", code[match.end() :])
            if name and not name.group(1):
                (info.actions if visibility == "public" else info.private).append(name.group(2))
            continue
        statement = ruby_statement(code, match.end())
        if word == "include":
            for const in re.findall(r"[A-Z][\w:]*", statement.split("\n")[0]):
                info.ops.append(("include", const, line))
            continue
        if word == "layout":
            info.layout = _layout_decl(statement, line)
            continue
        info.ops.extend(_filter_ops(word, statement, line, rel, info.full_name))
    info.actions = [a for a in dict.fromkeys(info.actions) if a not in info.private and not a.endswith("=")]
    if info.layout is not None and info.layout.method:
        method = re.search(r"^[ \t]*def[ \t]+" + re.escape(info.layout.method) + r"\b(.*?)(?=^[ \t]*def\b|\Z)", code, re.M | re.S)
        if method:
            info.layout.names = string_values(method.group(1))
    return info


def _layout_decl(statement: str, line: int) -> LayoutDecl:
    body = statement.strip()
    if body.startswith("("):
        body = body[1:]
    only = ruby_option(body, "only")
    except_ = ruby_option(body, "except")
    first = body.split(",", 1)[0].strip()
    decl = LayoutDecl([], line, tuple(ruby_names(only)) if only is not None else None,
                      tuple(ruby_names(except_)) if except_ is not None else None)
    value = string_value(first.rstrip(")"))
    if value is not None:
        decl.names = [value]
    elif first.startswith(("false", "nil")):
        decl.names = []
    else:  # a method name or a proc: every layout name it can return
        decl.dynamic = True
        symbol = re.match(r":(\w+[!?]?)", first)
        if symbol:
            decl.method = symbol.group(1)
        else:
            decl.names = string_values(body.split(",", 1)[0] if not first.startswith(("->", "lambda", "proc")) else body)
    return decl


def _filter_ops(word: str, statement: str, line: int, rel: str, owner: str) -> list[FilterOp]:
    body = statement.strip()
    if body.startswith("("):
        body = body[1:]
    only = ruby_option(body, "only")
    except_ = ruby_option(body, "except")
    condition = ""
    for key in ("if", "unless"):
        value = ruby_option(body, key)
        if value is not None:
            condition = f"{key}: {value}"
    common = dict(
        line=line,
        only=tuple(ruby_names(only)) if only is not None else None,
        except_=tuple(ruby_names(except_)) if except_ is not None else None,
        condition=condition,
        source=rel,
        owner=owner,
        macro=word,
    )
    if word == "allow_unauthenticated_access":
        return [FilterOp("skip", "*auth*", **common)]
    if word == "http_basic_authenticate_with":
        return [FilterOp("add", "http_basic_authenticate_with", **common)]
    action = "skip" if word.startswith("skip_") else "add"
    # filter names: leading symbols before the first option
    head = re.split(r"(?<![\w:])\w+:(?!:)|:\w+\s*=>", body, maxsplit=1)[0]
    names = re.findall(r"(?<![\w:]):(\w+[!?]?)", head)
    if not names and action == "add":
        # a block or lambda filter: `before_action { authenticate_user! }`
        names = [n for n in re.findall(r"\b(\w+[!?]?)", body.split("\n")[0]) if is_auth_filter(n)][:1]
    return [FilterOp(action, name, **common) for name in names]


@frameworks_data.derived
def _auth_filter_shapes() -> re.Pattern:
    """The filter name shapes of rules/frameworks/rails.toml, as one full-match regex."""
    return re.compile("|".join(f"(?:{p})" for p in frameworks_data.names("rails", "auth-filter-patterns")))


def is_auth_filter(name: str) -> bool:
    """Whether a before_action filter requires a signed-in user (rules/frameworks/rails.toml)."""
    if name in frameworks_data.name_set("rails", "auth-filters"):
        return True
    return bool(_auth_filter_shapes().fullmatch(name)) and name not in frameworks_data.name_set("rails", "not-auth-filters")


@dataclass
class RailsModel:
    classes: dict[str, RubyClass]  # controller path ("admin/patients", "application") → class
    concerns: dict[str, RubyClass]  # concern path ("authentication", "admin/secured") → module
    roots: list[str]  # view roots (app/views/ and engine roots)
    ancestry: dict = field(default_factory=dict)  # controller path → chain (cache)


def rails_model(repo) -> RailsModel:
    """Every controller and controller concern of the repo, parsed once per run."""
    state = _state(repo)
    if "rails" in state:
        return state["rails"]
    classes: dict[str, RubyClass] = {}
    concerns: dict[str, RubyClass] = {}
    roots: set[str] = set()
    for rel in repo.files:
        if repo.kind(rel) != "code" or not rel.endswith(".rb"):
            continue
        match = re.search(r"(^|/)app/controllers/(.+)\.rb$", rel)
        if not match:
            continue
        text = repo.read(rel)
        if not text:
            continue
        sub = match.group(2)
        info = parse_ruby_class(rel, text)
        if info is None:
            continue
        if sub.startswith("concerns/"):
            concerns[sub[len("concerns/") :]] = info
        elif sub.endswith("_controller"):
            classes[sub[: -len("_controller")]] = info
            roots.add(rel[: match.start(2)].replace("app/controllers/", "app/views/"))
    for rel in repo.files:
        root = views_root(rel)
        if root and rel.lower().endswith((".erb", ".rhtml")):
            roots.add(root)
    model = RailsModel(classes, concerns, sorted(roots))
    state["rails"] = model
    return model


_EXTERNAL_PARENTS = {
    "ActionController::Base": None,
    "ActionController::API": None,
    "ActionController::Metal": None,
    "DeviseController": "devise",
}


def parent_path(model: RailsModel, info: RubyClass) -> str | None:
    """The controller path of info's superclass, or a pseudo path for Devise, or None."""
    parent = info.parent
    if not parent or parent in _EXTERNAL_PARENTS:
        return _EXTERNAL_PARENTS.get(parent)
    if parent.startswith("Devise::"):
        return "devise/" + underscore(parent[len("Devise::") :]).removesuffix("_controller")
    plain = underscore(parent).removesuffix("_controller")
    scopes = list(info.modules) + [n for n in info.name.split("::")[:-1]]
    candidates = []
    for i in range(len(scopes), 0, -1):
        candidates.append("/".join(underscore(s) for s in scopes[:i]) + "/" + plain)
    candidates.append(plain)
    for candidate in candidates:
        if candidate in model.classes:
            return candidate
    return plain  # not in the repo (a gem's controller): still a layout lookup name


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
        elif current == "devise":
            current = "application"
        elif current != "application":
            current = "application"  # a controller not in the repo: assume ApplicationController
        else:
            current = None
    return chain


def is_devise_path(path: str) -> bool:
    return path == "devise" or path.startswith("devise/")


def layout_for(repo, model: RailsModel, root: str, controller: str, action: str):
    """(layout file, how) for a view of `controller`/`action`, or None."""
    chain = ancestry(model, controller)
    for _path, info in chain:
        if info is not None and info.layout is not None:
            decl = info.layout
            if not decl.applies(action) or not decl.names:
                return None
            targets = [resolve_rails_layout(repo, root, name) for name in decl.names]
            found = [t for t in targets if t]
            if not found:
                if not decl.dynamic:
                    repo.note_missing(info.rel, "layouts/" + decl.names[0], decl.line)
                return None
            return [(t, f"layout {'(dynamic) ' if decl.dynamic else ''}in {info.full_name}") for t in found]
    for path, _ in chain:
        target = resolve_rails_layout(repo, root, path)
        if target:
            return [(target, f"Rails layout convention (layouts/{path})")]
    return None


def rails_views(repo, model: RailsModel):
    """(view, root, controller path, action) for every full template under a views root."""
    out = []
    for rel in repo.files:
        lower = rel.lower()
        if not lower.endswith((".erb", ".rhtml")):
            continue
        root = views_root(rel)
        if not root:
            continue
        sub = rel[len(root) :]
        directory, base = posixpath.split(sub)
        if not directory or base.startswith("_") or directory == "layouts" or directory.startswith("layouts/"):
            continue
        if directory.endswith("_mailer") or directory.split("/")[-1].endswith("_mailer"):
            continue
        app = root[: -len("views/")]
        if repo.exists(app + "mailers/" + directory + ".rb"):
            continue
        out.append((rel, root, directory, base.split(".", 1)[0]))
    return out


def html_format(view: str) -> bool:
    """show.html.erb, show.erb, show.html+phone.erb: rendered inside a layout; show.js.erb,
    show.turbo_stream.erb, show.text.erb are not pages."""
    parts = posixpath.basename(view).split(".")[1:-1]
    return not parts or parts[0].split("+")[0] == "html"


def project_edges(repo) -> list[Edge]:
    edges: list[Edge] = []
    if not any(rel.lower().endswith((".erb", ".rhtml")) and views_root(rel) for rel in repo.files):
        return edges
    model = rails_model(repo)
    for view, root, controller, action in rails_views(repo, model):
        if not html_format(view):
            continue
        for target, how in layout_for(repo, model, root, controller, action) or ():
            if target != view:
                edges.append(Edge(view, target, "layout", 0, how))
    return edges
