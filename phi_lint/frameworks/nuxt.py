"""Nuxt: the layouts, parent pages, plugins and config around a page, and the page's own guard.

Page graph (per page): `pages/**.vue` → `layouts/default.vue` (or the layout named in
`definePageMeta({ layout: 'x' })`, none for `layout: false`), `app.vue`, and a parent page
`pages/a.vue` for `pages/a/*.vue` (kind "layout"); plugins and nuxt.config (kind "entry").

Authenticated pages: `definePageMeta({ middleware: 'auth' })` (or `['auth', …]`) → that page.
"""

from __future__ import annotations

import posixpath
import re

from phi_lint.frameworks import Framework, register
from phi_lint.frameworks.jsguards import guard_names_authish
from phi_lint.frameworks.reads import Reads
from phi_lint.inference.model import Inference
from phi_lint.lazyre import lazy_pattern
from phi_lint.pagegraph import jsmodules
from phi_lint.pagegraph.model import Edge

_DEFINE_PAGE_META = lazy_pattern(r"definePageMeta\s*\(\s*\{(?P<body>[^}]*)\}", re.DOTALL)
_LAYOUT_VALUE = lazy_pattern(r"""\blayout\s*:\s*(?:(['"`])(?P<name>[\w./-]+)\1|(?P<false>false)\b)""")
_PAGE_META_OPEN = lazy_pattern(r"definePageMeta\s*\(\s*\{")
_PAGE_META_MIDDLEWARE = lazy_pattern(r"""\bmiddleware\s*:\s*(\[[^\]]*\]|(['"`])[^'"`]*\2)""")


class _Cache:
    def __init__(self):
        self.nuxt_extras: dict[str, list[str]] = {}


def _cache(repo) -> _Cache:
    return repo.memo(__name__, _Cache)


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _nuxt_src_dir(rel: str) -> str | None:
    parts = rel.split("/")
    if "pages" not in parts[:-1]:
        return None
    index = parts.index("pages")
    return "/".join(parts[:index])


def _is_nuxt(repo, src: str) -> bool:
    prefix = src + "/" if src else ""
    parent = posixpath.dirname(src)
    parent_prefix = parent + "/" if parent else ""
    configs = [f"{p}nuxt.config.{e}" for p in {prefix, parent_prefix} for e in ("ts", "js", "mjs", "mts")]
    return repo.exists(prefix + "app.vue") or any(repo.exists(c) for c in configs) or repo.exists(prefix + "layouts/default.vue")


def _nuxt_page_edges(rel: str, text: str, repo) -> list[Edge]:
    src = _nuxt_src_dir(rel)
    if src is None or not _is_nuxt(repo, src):
        return []
    prefix = src + "/" if src else ""
    edges = []
    layout: str | None = "default"
    layout_line = 0
    explicit = False
    for start, end in jsmodules.script_blocks(rel, text):
        code = jsmodules.blank_comments(text[start:end])
        meta = _DEFINE_PAGE_META.search(code)
        if meta:
            value = _LAYOUT_VALUE.search(meta.group("body"))
            if value:
                layout = None if value.group("false") else value.group("name")
                explicit = True
                layout_line = text.count("\n", 0, start + meta.start()) + 1
            break
    if layout:
        candidates = [f"{prefix}layouts/{layout}.vue", f"{prefix}layouts/{layout.replace('-', '/')}.vue", f"{prefix}layouts/{layout}/index.vue"]
        found = repo.first(candidates)
        if found:
            edges.append(Edge(rel, found, "layout", layout_line, layout))
        elif explicit:
            repo.note_missing(rel, f"layouts/{layout}.vue", layout_line)
    if repo.exists(prefix + "app.vue") and rel != prefix + "app.vue":
        edges.append(Edge(rel, prefix + "app.vue", "layout", 0, "app.vue"))
    # a nested page renders inside its parent page: pages/portal/x.vue inside pages/portal.vue
    directory = posixpath.dirname(rel)
    while directory.startswith(prefix + "pages/") or directory == prefix + "pages":
        if directory == prefix + "pages":
            break
        parent = directory + ".vue"
        if repo.exists(parent) and parent != rel:
            edges.append(Edge(rel, parent, "layout", 0, posixpath.basename(parent)))
            break
        directory = posixpath.dirname(directory)
    for extra in _nuxt_app_wide(repo, src):
        edges.append(Edge(rel, extra, "entry", 0, "Nuxt plugin / config"))
    return edges


def _nuxt_app_wide(repo, src: str) -> list[str]:
    st = _cache(repo)
    if src not in st.nuxt_extras:
        prefix = src + "/" if src else ""
        parent = posixpath.dirname(src)
        parent_prefix = parent + "/" if parent else ""
        found = []
        for rel in repo.of_kind("script"):
            if rel.startswith(prefix + "plugins/"):
                rest = rel[len(prefix + "plugins/") :]
                if "/" not in rest or re.match(r"[^/]+/index\.\w+$", rest):
                    found.append(rel)
            elif rel in {f"{p}nuxt.config.{e}" for p in {prefix, parent_prefix} for e in ("ts", "js", "mjs", "mts")}:
                found.append(rel)
        st.nuxt_extras[src] = found
    return st.nuxt_extras[src]



def _nuxt_page_meta(rel: str, text: str) -> list[Inference]:
    """Nuxt `definePageMeta({ middleware: 'auth' })` (or `['auth', …]`) → the page."""
    if "definePageMeta" not in text:
        return []
    for start, end in jsmodules.script_blocks(rel, text):
        code = jsmodules.blank_comments(text[start:end])
        meta = _PAGE_META_OPEN.search(code)
        if not meta:
            continue
        middleware = _PAGE_META_MIDDLEWARE.search(code, meta.end(), meta.end() + 2000)
        if middleware and guard_names_authish(re.sub(r"[^\w\s,]", " ", middleware.group(1))):
            shown = re.sub(r"\s+", " ", middleware.group(1))
            line = _line(text, start + middleware.start())
            return [Inference(rel, "authenticated", f"Nuxt `definePageMeta({{ middleware: {shown} }})`", rel, line)]
    return []


@register
class Nuxt(Framework):
    id = "nuxt"
    name = "Nuxt"
    reads = {hook: (Reads(kinds=("markup",), endings=(".vue",)),) for hook in ("source_edges", "infer_source")}

    def source_edges(self, source, repo) -> list[Edge]:
        if repo.kind(source.rel) != "markup" or not source.rel.lower().endswith(".vue"):
            return []
        return _nuxt_page_edges(source.rel, source.text, repo)

    def infer_source(self, source, repo) -> list[Inference]:
        if repo.kind(source.rel) != "markup" or not source.rel.lower().endswith(".vue"):
            return []
        return _nuxt_page_meta(source.rel, source.text)
