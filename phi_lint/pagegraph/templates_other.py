"""Page-graph edges of the other template engines, and local `<script src>`.

Covered (markup files only, targeted regexes over the text with each engine's comments blanked):

- Handlebars / Mustache: `{{> name}}` partials (dynamic `{{> (expr)}}` and `@partial-block` are
  skipped), `{{#> layout}}` partial blocks and Mustache parents `{{< layout}}` (kind "layout"),
  express-hbs / Ghost `{{!< layout}}` declarations (kind "layout"); resolved in `partials/`,
  `views/partials/`, `templates/partials/` of the page's ancestors, then next to the page.
  Project level: the default layouts of express-handlebars (`views/layouts/main.*`), hbs
  (`views/layout.hbs`) and express-ejs-layouts (`views/layout.ejs`) when package.json depends on
  them.
- EJS: `include('x')`, `<%- include('x', {...}) %>` and the old `<% include x %>`, relative to the
  file, then the app's `views/`.
- Liquid: `{% include %}` / `{% render %}` (Shopify `snippets/`, then the Jekyll / Eleventy
  includes folders of phi_lint.pagegraph.site_folders), `{% include_relative %}`, `{% section %}`
  (Shopify `sections/`), `{% layout 'x' %}` and the default `layout/theme.liquid` of Shopify
  templates, kind "layout". In `.html` files (shared with Jinja) `include` only resolves to the
  includes folders. Front matter `layout: x` is phi_lint.frameworks.jekyll's.
- SSI: `<!--#include virtual="/x.html" -->` (document-root relative; the page's ancestors are tried
  as the root) and `file="x"` (relative to the page).
- Grails GSP: `<g:render template="x"/>` → `_x.gsp`, `<meta name="layout" content="main"/>` and
  `<g:applyLayout name="x">` → `grails-app/views/layouts/x.gsp` (kind "layout").
- JSP: `<%@ include file="x" %>`, `<jsp:include page="x"/>`.
- FreeMarker: `<#include "x">`, `<#import "x" as y>` (and the `[#…]` syntax).
- Pug / Jade: `extends x` (kind "extends") and `include x` lines, relative to the file, `/x` from
  the `views/` folder of an ancestor (Express's basedir); `.pug` / `.jade` added to a name without
  an ending.
- Thymeleaf: `th:replace` / `th:insert` / `th:include` fragments, `layout:decorate` (kind "layout").
- `<script src>` with a local path (never http(s) or protocol-relative URLs), Flask
  `url_for('static', filename=…)` and Django `{% static '…' %}`: resolved against the page, the
  repository root and the usual static folders; kind "script-src".

Nunjucks / Jinja `extends` and `include` belong to templates_python.
"""

from __future__ import annotations

import bisect
import posixpath
import re

from phi_lint import literalgates
from phi_lint.dialects import dialect_for, table
from phi_lint.lazyre import lazy_pattern
from phi_lint.pagegraph import site_folders
from phi_lint.pagegraph.model import Edge
from phi_lint.parsers.template_comments import blank_comments
from phi_lint.repopaths import ancestors

# ---------------------------------------------------------------- helpers


def blank_template_comments(text: str, syntaxes: tuple[str, ...]) -> str:
    """Every comment of the given syntaxes and every literal block (`{% raw %}`: its names are
    text, not includes) replaced by spaces, newlines kept; the syntaxes are those of
    rules/dialects.toml."""
    return blank_comments(text, syntaxes, literal=True)


class _Lines:
    """Line numbers of offsets. The line starts are found on the first edge: most markup files
    name no other file, and listing every newline of each cost 3% of a cold scan."""

    def __init__(self, text: str):
        self._text = text
        self._starts: list[int] | None = None

    def __call__(self, offset: int) -> int:
        if self._starts is None:
            self._starts = [m.end() for m in re.finditer("\n", self._text)]
        return bisect.bisect_right(self._starts, offset) + 1


def _join(*parts: str) -> str:
    joined = posixpath.join(*[p for p in parts if p])
    return posixpath.normpath(joined) if joined else ""


def _unique(paths: list[str]) -> str | None:
    return paths[0] if len(paths) == 1 else None


def _has_ext(name: str) -> bool:
    return bool(posixpath.splitext(posixpath.basename(name))[1])


class _Emitter:
    """Collects edges of one file; notes names that resolve nowhere."""

    def __init__(self, rel: str, text: str, repo):
        self.rel = rel
        self.repo = repo
        self.dir = posixpath.dirname(rel)
        self.line = _Lines(text)
        self.edges: list[Edge] = []
        self._memo: dict = {}

    def candidates(self, key, compute) -> list[str]:
        """A name's candidate paths, computed once per file (a name is often used many times)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def add(self, candidates, kind: str, offset: int, name: str, note: bool = True) -> str | None:
        inside = [c for c in candidates if c is not None and not c.startswith("..")]
        target = self.repo.first(inside)
        if target is None:
            if note and not any(self.repo.on_disk(c) for c in inside):
                self.repo.note_missing(self.rel, name, self.line(offset))
            return None
        if target != self.rel:
            self.edges.append(Edge(self.rel, target, kind, self.line(offset), name))
        return target


# a value built at run time beyond the marks _dynamic tests with `in`: a `{…}` tag of a brace
# template engine (Smarty `{$x}` and `{php}…{/php}`, Svelte), a `$variable` (PHP, Perl), a PHP
# string concatenation (`'.$base.'js/a.js`: the markup is inside a PHP string)
_BUILT = lazy_pattern(r"""\{[^{}\n]*\}|\$[A-Za-z_]|['"]\s*\.|\.\s*['"]""")


def _dynamic(name: str) -> bool:
    """A name computed when the page runs: no file to link, and no note that it is missing."""
    if not name.strip() or any(mark in name for mark in ("{{", "{%", "<%", "${", "#{", "@{", "<?", "(", "+")):
        return True
    return _BUILT.search(name) is not None


# ---------------------------------------------------------------- Handlebars / Mustache

_HBS_PARTIAL = lazy_pattern(
    r"\{\{~?\s*(?P<op>#>|>|<)\s*(?:(?P<q>[\"'])(?P<qname>[^\"'{}]+)(?P=q)|(?P<name>[^\s}~()\"']+))"
)
_HBS_DECLARED_LAYOUT = lazy_pattern(r"\{\{!<\s*([^\s}]+)\s*\}\}")
_HBS_EXTS = (".hbs", ".handlebars", ".mustache", ".html")
_PARTIAL_DIRS = ("partials", "views/partials", "templates/partials", "_partials")


def _hbs_candidates(em: _Emitter, name: str, page_ext: str) -> list[str]:
    # a dotted partial name is not an extension (typedoc's `{{> member.signature-wrapper}}` is
    # partials/member.signature-wrapper.hbs); a template ending given is kept
    endings = dict.fromkeys((page_ext, *_HBS_EXTS))
    given = posixpath.splitext(posixpath.basename(name))[1].lower()
    names = [name] if given in endings else [*([name] if given else []), *(name + ext for ext in endings)]
    out: list[str] = []
    for anc in ancestors(em.dir):
        for sub in _PARTIAL_DIRS:
            out.extend(_join(anc, sub, n) for n in names)
    out.extend(_join(em.dir, n) for n in names)
    for n in names:
        found = _unique(em.repo.by_suffix("partials/" + n))
        if found:
            out.append(found)
    return out


def _layout_candidates(em: _Emitter, name: str, page_ext: str, layout_dirs=("layouts", "views/layouts")) -> list[str]:
    names = [name] if _has_ext(name) else [name + ext for ext in dict.fromkeys((page_ext, *_HBS_EXTS))]
    out = [_join(em.dir, n) for n in names]
    for anc in ancestors(em.dir):
        for sub in ("", *layout_dirs):
            out.extend(_join(anc, sub, n) for n in names)
    return out


# the literals the readers look for first (literalgates: one pass answers them all)
_GATES = literalgates.register("{{", "<%", "include", "{%", "<!--#", "th:", "layout:", "<script", "<SCRIPT")
_has = literalgates.contains


def _handlebars(em: _Emitter, raw: str, text: str, page_ext: str) -> None:
    if not _has(raw, "{{"):
        return
    # express-hbs / Ghost declare the layout in a comment, so read it before comments are blanked
    for match in _HBS_DECLARED_LAYOUT.finditer(raw):
        name = match.group(1).strip("\"'")
        if not _dynamic(name):
            em.add(_layout_candidates(em, name, page_ext), "layout", match.start(), name)
    for match in _HBS_PARTIAL.finditer(text):
        name = match.group("qname") or match.group("name")
        if not name or name.startswith("@") or _dynamic(name):
            continue  # {{> @partial-block}}, {{> (lookup …)}}
        op = match.group("op")
        if op == "<":
            found = em.candidates(("parent", name), lambda name=name: _layout_candidates(em, name, page_ext) + _hbs_candidates(em, name, page_ext))
            em.add(found, "extends", match.start(), name)
        else:
            kind = "layout" if op == "#>" else "partial"
            em.add(em.candidates(("partial", name), lambda name=name: _hbs_candidates(em, name, page_ext)), kind, match.start(), name)


# ---------------------------------------------------------------- EJS

_EJS_INCLUDE = lazy_pattern(r"\binclude\s*\(\s*([\"'`])([^\"'`]+)\1")
_EJS_OLD_INCLUDE = lazy_pattern(r"<%[-=_]?\s*include\s+([\w./-]+)\s*[-_]?%>")


def _ejs_candidates(em: _Emitter, name: str) -> list[str]:
    names = [name] if _has_ext(name) else [name + ".ejs", name]
    out: list[str] = []
    if not name.startswith("/"):
        out.extend(_join(em.dir, n) for n in names)
    for anc in ancestors(em.dir):
        out.extend(_join(anc, "views", n.lstrip("/")) for n in names)
    out.extend(n.lstrip("/") for n in names)
    return out


def _ejs(em: _Emitter, text: str) -> None:
    if not _has(text, "<%") or not _has(text, "include"):
        return
    pos = 0
    while True:
        start = text.find("<%", pos)
        if start < 0:
            break
        end = text.find("%>", start + 2)
        if end < 0:
            break
        pos = end + 2
        if text.startswith("<%#", start) or "include" not in text[start:end]:
            continue
        for match in _EJS_INCLUDE.finditer(text, start + 2, end):
            name = match.group(2)
            if not _dynamic(name):
                em.add(em.candidates(("ejs", name), lambda name=name: _ejs_candidates(em, name)), "include", match.start(), name)
    for match in _EJS_OLD_INCLUDE.finditer(text):
        name = match.group(1)
        em.add(_ejs_candidates(em, name), "include", match.start(), name)


# ---------------------------------------------------------------- Liquid and front matter

def _tag_alternation(reader: str) -> str:
    """The include tags of a reader in rules/dialects.toml, as a regex alternation (longest first)."""
    return "|".join(re.escape(tag) for tag in sorted(table().include_tags[reader], key=lambda t: (-len(t), t)))


_LIQUID_TAG = lazy_pattern(
    r"\{%-?\s*(" + _tag_alternation("liquid") + r")\s+(?:([\"'])([^\"'{}%]+)\2|([^\s\"'{}%]+))"
)
_SHOPIFY_TEMPLATE = lazy_pattern(r"^(?P<root>(?:.*/)?)templates/(?:customers/)?[^/]+\.liquid$")


def _liquid(em: _Emitter, text: str, is_liquid: bool) -> None:
    if _has(text, "{%"):
        for match in _LIQUID_TAG.finditer(text):
            tag = match.group(1)
            name = (match.group(3) or match.group(4) or "").strip()
            if _dynamic(name) or name in ("none", "null"):
                continue
            if tag == "include_relative":
                em.add([_join(em.dir, name)], "include", match.start(), name)
            elif not is_liquid:
                # .html files share `{% include %}` with Jinja: only Jekyll's _includes/ here
                if tag == "include":
                    em.add(site_folders.include_candidates(em.repo, em.dir, name), "include", match.start(), name, note=False)
            elif tag in ("include", "render"):
                snippet = name if name.endswith(".liquid") else name + ".liquid"
                candidates = [_join(anc, "snippets", snippet) for anc in ancestors(em.dir)]
                em.add(candidates + site_folders.include_candidates(em.repo, em.dir, name), "include", match.start(), name)
            elif tag == "section":
                section = name if name.endswith(".liquid") else name + ".liquid"
                em.add([_join(anc, "sections", section) for anc in ancestors(em.dir)], "include", match.start(), name)
            elif tag == "layout":
                layout = name if name.endswith(".liquid") else name + ".liquid"
                em.add([_join(anc, "layout", layout) for anc in ancestors(em.dir)], "layout", match.start(), name)
    if is_liquid:
        shopify = _SHOPIFY_TEMPLATE.match(em.rel)
        if shopify and not re.search(r"\{%-?\s*layout\s", text):
            default = shopify.group("root") + "layout/theme.liquid"
            if em.repo.exists(default):
                em.edges.append(Edge(em.rel, default, "layout", 0, "theme (Shopify default layout)"))


# ---------------------------------------------------------------- SSI

_SSI = lazy_pattern(r"<!--#\s*include\s+(virtual|file)\s*=\s*([\"'])([^\"'\n]{1,1000})\2\s*-->", re.IGNORECASE)


def _ssi(em: _Emitter, text: str) -> None:
    if not _has(text, "<!--#"):
        return
    for match in _SSI.finditer(text):
        how, name = match.group(1).lower(), match.group(3).split("?")[0].split("#")[0]
        if _dynamic(name) or "://" in name:
            continue
        if how == "virtual" and name.startswith("/"):
            candidates = [_join(anc, name.lstrip("/")) for anc in ancestors(em.dir)]
        else:
            candidates = [_join(em.dir, name)]
        em.add(candidates, "include", match.start(), name)


# ---------------------------------------------------------------- Grails GSP, JSP

_GSP_RENDER = lazy_pattern(r"<g:render\b[^>]{0,2000}?\btemplate\s*=\s*([\"'])([^\"']+)\1", re.IGNORECASE)
_GSP_META_LAYOUT = lazy_pattern(r"<meta\b[^<>]{0,2000}>", re.IGNORECASE)
_GSP_APPLY_LAYOUT = lazy_pattern(r"<g:applyLayout\b[^>]{0,2000}?\bname\s*=\s*([\"'])([^\"']+)\1", re.IGNORECASE)
_ATTR = lazy_pattern(r"(?<![\w:-])([\w:-]+)\s*=\s*([\"'])(.*?)\2", re.DOTALL)  # names start at a run's start
_JSP_INCLUDE = lazy_pattern(
    r"<%@\s*include\s+file\s*=\s*([\"'])([^\"']+)\1|<jsp:include\b[^>]{0,2000}?\bpage\s*=\s*([\"'])([^\"']+)\3", re.IGNORECASE
)


def _grails_views_root(rel: str) -> str | None:
    marker = "grails-app/views/"
    at = rel.find(marker)
    if at == 0 or (at > 0 and rel[at - 1] == "/"):
        return rel[: at + len(marker) - 1]
    return None


def _gsp(em: _Emitter, text: str) -> None:
    views = _grails_views_root(em.rel)
    if "<g:render" in text or "<g:Render" in text:
        for match in _GSP_RENDER.finditer(text):
            name = match.group(2)
            if _dynamic(name):
                continue
            head, base = posixpath.split(name)
            partial = _join(head, "_" + base + ("" if base.endswith(".gsp") else ".gsp"))
            candidates: list[str | None]  # None: no unique file by that suffix
            if name.startswith("/"):
                candidates = [_join(views, partial.lstrip("/"))] if views is not None else []
                candidates.append(_unique(em.repo.by_suffix("grails-app/views/" + partial.lstrip("/"))))
            else:
                candidates = [_join(em.dir, partial)]
                if views is not None:
                    candidates.append(_join(views, partial))
            em.add(candidates, "partial", match.start(), name)
    layout_names = []
    for match in _GSP_META_LAYOUT.finditer(text):
        attrs = {k.lower(): v for k, _, v in _ATTR.findall(match.group())}
        if attrs.get("name", "").lower() == "layout" and attrs.get("content"):
            layout_names.append((attrs["content"], match.start()))
    for match in _GSP_APPLY_LAYOUT.finditer(text):
        layout_names.append((match.group(2), match.start()))
    for name, offset in layout_names:
        if _dynamic(name):
            continue
        file = name if name.endswith(".gsp") else name + ".gsp"
        layouts: list[str | None] = [_join(views, "layouts", file)] if views is not None else []
        layouts.append(_unique(em.repo.by_suffix("grails-app/views/layouts/" + file)))
        layouts.append(_unique(em.repo.by_suffix("layouts/" + file)))
        em.add(layouts, "layout", offset, name)


def _webapp_root(rel: str) -> list[str]:
    at = rel.find("WEB-INF/")
    roots = []
    if at == 0 or (at > 0 and rel[at - 1] == "/"):
        roots.append(rel[: at].rstrip("/"))
    return roots


def _jsp(em: _Emitter, text: str) -> None:
    if "include" not in text:
        return
    for match in _JSP_INCLUDE.finditer(text):
        name = (match.group(2) or match.group(4) or "").split("?")[0]
        if _dynamic(name) or "://" in name:
            continue
        if name.startswith("/"):
            candidates = [_join(root, name.lstrip("/")) for root in _webapp_root(em.rel)]
            candidates += [_join(anc, name.lstrip("/")) for anc in ancestors(em.dir)]
        else:
            candidates = [_join(em.dir, name)]
        em.add(candidates, "include", match.start(), name)


# ---------------------------------------------------------------- FreeMarker

_FTL = lazy_pattern(r"[<\[]#(include|import)\s+([\"'])([^\"'\n]{1,1000})\2")


def _freemarker(em: _Emitter, text: str) -> None:
    if "#include" not in text and "#import" not in text:
        return
    for match in _FTL.finditer(text):
        kind, name = match.group(1), match.group(3)
        if _dynamic(name) or "://" in name:
            continue
        clean = name.replace("*/", "").lstrip("/")
        if name.startswith("/") or "*/" in name:
            candidates = [_join(anc, clean) for anc in ancestors(em.dir)]
        else:
            candidates = [_join(em.dir, clean)] + [_join(anc, clean) for anc in ancestors(em.dir)[1:]]
        em.add(candidates, "include" if kind == "include" else "import", match.start(), name)


# ---------------------------------------------------------------- Thymeleaf

_TH_FRAGMENT = lazy_pattern(r"\b(th:replace|th:insert|th:include|layout:decorate|layout:decorator|data-layout-decorate)\s*=\s*(?:\"([^\"]{0,1000})\"|'([^']{0,1000})')")


def _thymeleaf_root(rel: str) -> str | None:
    marker = "templates/"
    at = rel.rfind("/" + marker)
    if rel.startswith(marker):
        return "templates"
    if at >= 0:
        return rel[: at + len(marker)]
    return None


def _thymeleaf(em: _Emitter, text: str) -> None:
    if not _has(text, "th:") and not _has(text, "layout:"):
        return
    root = _thymeleaf_root(em.rel)
    for match in _TH_FRAGMENT.finditer(text):
        attr, value = match.group(1), (match.group(2) if match.group(2) is not None else match.group(3)).strip()
        if value.startswith("~{") and value.endswith("}"):
            value = value[2:-1].strip()
        name = value.split("::")[0].strip().strip("'\"")
        if not name or name in ("this",) or _dynamic(name) or name.startswith(("~", "@", "$", "*", "#")):
            continue
        file = name if _has_ext(name) else name + ".html"
        candidates = [_join(root, file.lstrip("/"))] if root else []
        candidates.append(_join(em.dir, file))
        kind = "layout" if attr != "th:replace" and attr.endswith(("decorate", "decorator")) else "include"
        em.add(candidates, kind, match.start(), name)


# ---------------------------------------------------------------- <script src>

_SCRIPT_TAG = lazy_pattern(r"<script\b([^<>]{0,4000})>", re.IGNORECASE)
# src="x", src='x', src=x; inside a code string the quotes are escaped: src=\"x\" (an echo of
# PHP, a JS string), and `src=\"". $webroot ."/a.js\"` (the value closes the string for a
# concatenation) leaves the unquoted form with a value that starts with the backslash
_SRC_ATTR = lazy_pattern(
    r"""\bsrc\s*=\s*(?:\\(?P<q>["'])(?P<escaped>[^"'\\]{0,2000})\\(?P=q)|"(?P<double>[^"]{0,2000})"|'(?P<single>[^']{0,2000})'"""
    r"""|(?P<bare>[^\s"'>]{1,2000}))""",
    re.IGNORECASE,
)
_URL_FOR_STATIC = lazy_pattern(r"""url_for\(\s*['"]static['"]\s*,\s*filename\s*=\s*['"]([^'"]+)['"]""")
_DJANGO_STATIC = lazy_pattern(r"""\{%-?\s*static\s+['"]([^'"]+)['"]""")
STATIC_ROOTS = ("public", "static", "assets", "src/main/resources/static", "app/assets/javascripts", "web", "www", "wwwroot")


def _script_candidates(em: _Emitter, path: str) -> list[str]:
    path = path.split("?")[0].split("#")[0]
    clean = path.lstrip("/")
    out = []
    if not path.startswith("/"):
        out.append(_join(em.dir, path))
    for anc in ancestors(em.dir):
        out.append(_join(anc, clean))
        out.extend(_join(anc, root, clean) for root in STATIC_ROOTS)
    return out


def _static_candidates(em: _Emitter, name: str) -> list[str | None]:
    clean = name.lstrip("/")
    out: list[str | None] = [_join(anc, "static", clean) for anc in ancestors(em.dir)]
    out.append(_unique(em.repo.by_suffix("static/" + clean)))
    return out


def _script_src(em: _Emitter, text: str) -> None:
    if not _has(text, "<script") and not _has(text, "<SCRIPT"):
        return
    for tag in _SCRIPT_TAG.finditer(text):
        src = _SRC_ATTR.search(tag.group(1))
        if not src:
            continue
        value = next(v for v in src.group("escaped", "double", "single", "bare") if v is not None).strip()
        offset = tag.start(1) + src.start()
        flask = _URL_FOR_STATIC.search(value)
        django = _DJANGO_STATIC.search(value)
        if static := flask or django:
            name = static.group(1)
            em.add(_static_candidates(em, name), "script-src", offset, name)
            continue
        lower = value.lower()
        if (
            not value
            or lower.startswith(("http:", "https:", "//", "data:", "blob:", "javascript:", "about:"))
            or "://" in lower
            or value.startswith("\\")  # an escaped quote that ends its code string: a concatenation
            or _dynamic(value)
        ):
            continue
        em.add(em.candidates(("script", value), lambda value=value: _script_candidates(em, value)), "script-src", offset, value)


# ---------------------------------------------------------------- Pug / Jade

_PUG_LINE = lazy_pattern(r"^[ \t]*(extends|include)(?::[\w-]+)?[ \t]+([^\s]+)[ \t]*\r?$", re.MULTILINE)


def _pug_candidates(em: _Emitter, name: str, page_ext: str) -> list[str]:
    names = [name] if _has_ext(name) else [name + page_ext, name + ".pug", name + ".jade"]
    out: list[str] = []
    if name.startswith("/"):
        for anc in ancestors(em.dir):
            out.extend(_join(anc, "views", n.lstrip("/")) for n in names)
        out.extend(n.lstrip("/") for n in names)
    else:
        out.extend(_join(em.dir, n) for n in names)
    return out


def _pug(em: _Emitter, text: str, page_ext: str) -> None:
    if "extends" not in text and "include" not in text:
        return
    for match in _PUG_LINE.finditer(text):
        name = match.group(2).strip("'\"")
        if not _dynamic(name):
            kind = "extends" if match.group(1) == "extends" else "include"
            em.add(_pug_candidates(em, name, page_ext), kind, match.start(2), name)


# ---------------------------------------------------------------- per file

def file_edges(rel: str, text: str, repo) -> list[Edge]:
    if repo.kind(rel) != "markup" or not text:
        return []
    lower = rel.lower()
    dialect = dialect_for(lower)
    readers = dialect.includes if dialect else ()
    page_ext = posixpath.splitext(lower)[1]
    em = _Emitter(rel, text, repo)

    blanked = blank_template_comments(text, ("html", *(dialect.comments if dialect else ())))
    if "handlebars" in readers:
        _handlebars(em, text, blanked, page_ext)
    if "ejs" in readers:
        _ejs(em, blanked)
    if "liquid" in readers:
        _liquid(em, blanked, dialect is not None and dialect.name == "liquid")
    if "gsp" in readers:
        _gsp(em, blanked)
    if "jsp" in readers:
        _jsp(em, blanked)
    if "freemarker" in readers:
        _freemarker(em, blanked)
    if "thymeleaf" in readers:
        _thymeleaf(em, blanked)
    if "pug" in readers:
        _pug(em, blanked, page_ext)
    _ssi(em, blanked)
    _script_src(em, blanked)
    return em.edges


# ---------------------------------------------------------------- project: default layouts of view engines

def _dependencies(repo, manifest: str) -> set[str]:
    """The package names a package.json depends on (any section)."""
    data = repo.json(manifest)
    if not isinstance(data, dict):
        return set()
    names: set[str] = set()
    for key in ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies"):
        section = data.get(key)
        if isinstance(section, dict):
            names.update(str(name) for name in section)
    return names


def _views_pages(repo, views: str, endings: tuple[str, ...], skip_dirs: tuple[str, ...]) -> list[str]:
    prefix = views + "/" if views else ""
    out = []
    for rel in repo.of_kind("markup"):
        if not rel.startswith(prefix) or not rel.lower().endswith(endings):
            continue
        inner = rel[len(prefix):]
        if any(inner.startswith(d + "/") for d in skip_dirs):
            continue
        out.append(rel)
    return out


def project_edges(repo) -> list[Edge]:
    edges: list[Edge] = []
    for manifest in repo.of_kind("manifest"):
        if posixpath.basename(manifest) != "package.json":
            continue
        deps = _dependencies(repo, manifest)
        if not deps:
            continue
        base = posixpath.dirname(manifest)
        views = _join(base, "views")
        defaults: list[tuple[str, tuple[str, ...], tuple[str, ...], str]] = []
        if "express-handlebars" in deps or "express3-handlebars" in deps:
            for ext in (".handlebars", ".hbs"):
                defaults.append((_join(views, "layouts", "main" + ext), (".handlebars", ".hbs"), ("layouts", "partials"), "express-handlebars default layout"))
        if "hbs" in deps or "express-hbs" in deps:
            defaults.append((_join(views, "layout.hbs"), (".hbs",), ("partials", "layouts"), "hbs default layout"))
        if "express-ejs-layouts" in deps:
            defaults.append((_join(views, "layout.ejs"), (".ejs",), ("partials", "layouts"), "express-ejs-layouts default layout"))
        for layout, endings, skip, detail in defaults:
            if not repo.exists(layout):
                continue
            for page in _views_pages(repo, views, endings, skip):
                if page != layout and not _declares_layout(repo, page):
                    edges.append(Edge(page, layout, "layout", 0, detail))
    return edges


def _declares_layout(repo, page: str) -> bool:
    """A Handlebars view that names its own layout (`{{!< x}}`) does not get the default one."""
    if not page.lower().endswith((".hbs", ".handlebars")):
        return False
    text = repo.read(page) or ""
    return bool(_HBS_DECLARED_LAYOUT.search(text))
