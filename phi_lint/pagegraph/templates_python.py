"""Page-graph edges for Jinja, Django, Nunjucks and Twig templates: a template dialect, not a framework.

Tags handled (after template comments and raw/verbatim blocks are blanked):

- ``{% extends "x" %}`` → kind ``extends``; ``{% include "x" %}`` (also lists, ``ignore missing``,
  ``with … only``) and Twig ``{{ include("x") }}`` / ``{{ source("x") }}`` → ``include``;
  ``{% import "x" as y %}``, ``{% from "x" import y %}`` and Twig ``{% use "x" %}`` → ``import``;
  Twig ``{% embed "x" %}`` → ``embed``.
- A list (``["a.html", "b.html"]``) renders the first template that exists; a conditional
  (``"a.html" if x else "b.html"``) may render either. A variable or a computed name
  (``base_var``, ``"x" ~ y``, ``x|default("y")``) is not resolvable and is skipped silently.
- Other tags whose string arguments name a template file (Nunjucks/Eleventy custom tags such as
  ``{% renderFile "./card.njk" %}``, Twig ``{% form_theme form "fields.html.twig" %}``) →
  ``component``.
- Django inclusion tags: a template that ``{% load lib %}``s an in-repo library and uses a custom
  tag → ``component`` edge to ``templatetags/lib.py`` (that module's
  ``@register.inclusion_tag("x.html")`` → ``x.html`` edge is Django's: phi_lint.frameworks.django).

The Python modules behind the templates (views, URLconfs, blueprints) are read by the framework
modules (phi_lint.frameworks.django, .flask, .fastapi), which add their own edges.

Template names are resolved (in `phi_lint.pagegraph.template_paths`) like the engines do, from the
name, the including file and the file list only (so every worker process agrees): relative names
(``./x``, ``../x``) against the including file; the template root the including template lives in
(the nearest ``templates/``, ``jinja2/``, ``views/`` or ``_includes/`` folder), or for a Python
module the ``templates/`` folders beside and above it; then any template whose path ends with the
name, the closest to the including file first (this covers Django ``DIRS``, Flask
``template_folder`` and Jinja loader folders with other names); then the including file's own
folder. Names still unresolved are reported with ``repo.note_missing`` (unless ``ignore missing``).
"""

from __future__ import annotations

import posixpath
import re

from phi_lint import literalgates
from phi_lint.dialects import dialect_for, table
from phi_lint.lazyre import lazy_pattern
from phi_lint.pagegraph.model import Edge
from phi_lint.pagegraph.template_paths import closest, resolve_template
from phi_lint.parsers.template_comments import blank_comments

# what a custom tag's string argument must end with to name a template: the endings of the
# dialects whose tags this module reads
TEMPLATE_EXTENSIONS = tuple(e for d in table().dialects if "jinja" in d.includes for e in d.endings)

_TAG_NAME = lazy_pattern(r"[-+~]?\s*([A-Za-z_]\w*)")
_RAW_OPEN = lazy_pattern(r"\{%[-+~]?\s*(raw|verbatim)\b[^%]{0,200}%\}")
_RAW_CLOSE = {name: lazy_pattern(r"\{%[-+~]?\s*end" + name + r"\b[^%]{0,200}%\}") for name in ("raw", "verbatim")}
_TWIG_FUNCTION = lazy_pattern(  # {{ include("x", {…}, ignore_missing = true) }}: the first argument and the rest
    r"""\{\{[-~]?\s*(include|source)\s*\(\s*(\[[^\]]{0,500}\]|"[^"\n]{0,300}"|'[^'\n]{0,300}')([^)]{0,300})"""
)
MAX_TAG = 4000  # longer "tags" are not template tags (minified code, an unclosed `{%`)
_TOKEN = lazy_pattern(r"\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|[A-Za-z_]\w*|\S")
_DYNAMIC_OPERATORS = frozenset("~+%|*")
_TAG_KINDS = table().include_tags["jinja"]  # tag → edge kind (rules/dialects.toml [includes.jinja])
# built-in tags of Django, Jinja, Nunjucks and Twig that never name a template to render
_BUILTIN_TAGS = frozenset(
    """
    autoescape block call cache comment csrf_token cycle debug do else elif elseif endautoescape endblock
    endcall endcache endcomment endembed endfilter endfor endif endifchanged endmacro endraw endset
    endspaceless endverbatim endwith endapply endsandbox endtrans endblocktrans endblocktranslate
    endlocalize endtimezone endlanguage endfilter filter firstof for if ifchanged ifequal ifnotequal
    language load localize lorem macro now print querystring raw regroup resetcycle sandbox set spaceless
    static get_static_prefix get_media_prefix templatetag timezone trans translate blocktrans
    blocktranslate plural empty url verbatim widthratio with apply deprecated flush guard types
    get_current_language get_available_languages get_language_info csrf_input switch case default
    """.split()
)
_NAME = lazy_pattern(r"[^\s{}()<>|\"'`$]{1,300}")  # what a literal template name can look like
MAX_MISSING_PER_FILE = 20
_GATES = literalgates.register("{%", "{{", "raw", "verbatim", "include", "source")
_LOAD_FROM = lazy_pattern(r"^(.*?)\bfrom\s+([\w.]+)\s*$", re.DOTALL)

# ---------------------------------------------------------------------------------------------
# template tags


def _tokens(expr: str) -> list[str]:
    return _TOKEN.findall(expr)


def _literal(token: str) -> str | None:
    if len(token) >= 2 and token[0] == token[-1] and token[0] in "\"'":
        return token[1:-1].replace("\\" + token[0], token[0])
    return None


_STOP_WORDS = frozenset({"with", "without", "only", "ignore", "as", "import", "from", "context"})


def template_names(expr: str) -> tuple[str, list[str], bool]:
    """How a tag argument names templates: ("first", names) for a list, ("each", names) for one name
    or a conditional, ("none", []) for a variable or computed name. Also whether `ignore missing`."""
    tokens = _tokens(expr)
    ignore_missing = False
    for i, token in enumerate(tokens):
        if token == "ignore" and i + 1 < len(tokens) and tokens[i + 1] == "missing":
            ignore_missing = True
    depth = 0
    head: list[str] = []
    for token in tokens:
        if token in "([{":
            depth += 1
        elif token in ")]}":
            depth -= 1
        elif depth <= 0 and token in _STOP_WORDS:
            break
        head.append(token)
    if not head:
        return "none", [], ignore_missing
    if any(t in _DYNAMIC_OPERATORS for t in head):
        return "none", [], ignore_missing
    names = [n for n in (_literal(t) for t in head) if n is not None]
    if not names or not all(_NAME.fullmatch(n) for n in names):
        return "none", [], ignore_missing
    if head[0] in "[(":
        return "first", names, ignore_missing
    if _literal(head[0]) is None:
        # a leading identifier: only `x if cond else "y"` forms name templates
        if "if" not in head:
            return "none", [], ignore_missing
    return "each", names, ignore_missing


def _tags(text: str):
    """(offset, tag name, arguments) of every `{% … %}` tag, in one linear pass."""
    find = text.find
    pos = 0
    while True:
        start = find("{%", pos)
        if start == -1:
            return
        end = find("%}", start + 2)
        if end == -1:
            return
        pos = end + 2
        if end - start > MAX_TAG:
            pos = start + 2
            continue
        match = _TAG_NAME.match(text, start + 2, end)
        if match:
            yield start, match.group(1), text[match.end() : end].rstrip().rstrip("-+~")


def _blank_raw(text: str) -> str:
    """Blank {% raw %}…{% endraw %} and {% verbatim %}…{% endverbatim %}: their content is literal."""
    out = []
    pos = 0
    while True:
        opening = _RAW_OPEN.search(text, pos)
        if not opening:
            break
        closing = _RAW_CLOSE[opening.group(1)].search(text, opening.end())
        if not closing:
            break
        out.append(text[pos : opening.start()])
        out.append("".join("\n" if c == "\n" else " " for c in text[opening.start() : closing.end()]))
        pos = closing.end()
    out.append(text[pos:])
    return "".join(out)


class _Lines:
    """Line numbers of increasing offsets, counted incrementally."""

    def __init__(self, text: str):
        self.text = text
        self.offset = 0
        self.line = 1

    def at(self, offset: int) -> int:
        if offset < self.offset:
            self.offset, self.line = 0, 1
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line


def _emit(rel, names, how, kind, line, detail, ignore_missing, repo, edges, missing):
    """Add the edges for one tag; `missing` counts this file's unresolved names (notes are capped)."""
    unresolved = []
    if how == "first":
        for name in names:
            target = resolve_template(name, rel, repo)
            if target:
                edges.append(Edge(rel, target, kind, line, detail))
                return
        unresolved.append(detail)
    else:
        for name in names:
            target = resolve_template(name, rel, repo)
            if target:
                edges.append(Edge(rel, target, kind, line, name))
            else:
                unresolved.append(name)
    if ignore_missing:
        return
    for name in unresolved:
        missing.append(name)
        if len(missing) <= MAX_MISSING_PER_FILE:
            repo.note_missing(rel, name, line)


def _is_template_markup(rel: str) -> bool:
    dialect = dialect_for(posixpath.basename(rel))
    return dialect is not None and "jinja" in dialect.includes


def template_edges(rel: str, text: str, repo) -> list[Edge]:
    """Edges declared by one Jinja / Django / Nunjucks / Twig template."""
    has = literalgates.contains
    if not has(text, "{%") and not has(text, "{{"):
        return []
    dialect = dialect_for(posixpath.basename(rel))
    text = blank_comments(text, dialect.comments if dialect else ("jinja",))
    if has(text, "raw") or has(text, "verbatim"):
        text = _blank_raw(text)
    lines = _Lines(text)
    edges: list[Edge] = []
    missing: list[str] = []
    loaded: list[str] = []
    custom: list[tuple[str, int]] = []
    if has(text, "{%"):
        for offset, tag, args in _tags(text):
            line = lines.at(offset)
            if tag in _TAG_KINDS:
                how, names, ignore_missing = template_names(args)
                if how == "none":
                    continue
                detail = names[0] if how == "each" else " | ".join(names)
                _emit(rel, names, how, _TAG_KINDS[tag], line, detail, ignore_missing, repo, edges, missing)
            elif tag == "load":
                from_match = _LOAD_FROM.match(args)
                loaded.extend([from_match.group(2)] if from_match else args.split())
            elif tag not in _BUILTIN_TAGS and not tag.startswith("end"):
                custom.append((tag, line))
                for token in _tokens(args):
                    name = _literal(token)
                    if name and name.lower().endswith(TEMPLATE_EXTENSIONS) and "://" not in name:
                        _emit(rel, [name], "each", "component", line, name, False, repo, edges, missing)
    if has(text, "{{") and (has(text, "include") or has(text, "source")):
        for match in _TWIG_FUNCTION.finditer(text):
            how, names, _ = template_names(match.group(2))
            if how == "none":
                continue
            line = lines.at(match.start())
            ignore_missing = bool(re.search(r"ignore_missing\s*=\s*true", match.group(3), re.IGNORECASE))
            detail = names[0] if how == "each" else " | ".join(names)
            _emit(rel, names, how, "include", line, detail, ignore_missing, repo, edges, missing)
    if custom and loaded:
        edges.extend(_library_edges(rel, loaded, custom, repo))
    return edges


def _library_edges(rel: str, loaded: list[str], custom: list[tuple[str, int]], repo) -> list[Edge]:
    """A template that loads an in-repo tag library and uses its tags → the library module; the
    library's inclusion tags add library → template edges (phi_lint.frameworks.django)."""
    edges = []
    tags = ", ".join(dict.fromkeys(f"{{% {tag} %}}" for tag, _ in custom))
    first_line = custom[0][1]
    for library in dict.fromkeys(loaded):
        if not re.fullmatch(r"[\w.]+", library):
            continue
        path = library.replace(".", "/")
        module = closest(repo.by_suffix(f"templatetags/{path}.py"), rel)
        if module:
            edges.append(Edge(rel, module, "component", first_line, f"{{% load {library} %}} {tags}"))
    return edges


def file_edges(rel: str, text: str, repo) -> list[Edge]:
    kind = repo.kind(rel)
    if kind == "markup":
        return template_edges(rel, text, repo) if _is_template_markup(rel) else []
    return []
