"""Where static-site generators (Jekyll, Eleventy) keep what pages include and the layouts
their front matter names: `_includes/`, `_layouts/` (names in rules/frameworks/jekyll.toml).

Shared by phi_lint.frameworks.jekyll (front matter layouts, Jekyll pages' `{% include %}`) and
the Liquid reader of phi_lint.pagegraph.templates_other (a `.liquid` template's include falls
back to `_includes/` after Shopify's `snippets/`), so the convention is written once.
"""

from __future__ import annotations

import posixpath

from phi_lint import frameworks_data
from phi_lint.repopaths import ancestors


def names(key: str) -> tuple[str, ...]:
    return frameworks_data.names("jekyll", key)


def _join(*parts: str) -> str:
    joined = posixpath.join(*[p for p in parts if p])
    return posixpath.normpath(joined) if joined else ""


def has_includes_dir(repo) -> bool:
    """Whether any file of the run is under an includes folder (once per run)."""
    def look() -> bool:
        folders = names("include-dirs")
        return any(rel.startswith(f + "/") or f"/{f}/" in rel for rel in repo.kinds for f in folders)

    return repo.memo((__name__, "includes dir"), look)


def include_candidates(repo, folder: str, name: str) -> list[str]:
    """Where `{% include name %}` in a page of `folder` may be: the includes folders of that
    folder and every one above it (none when the run has no includes folder and the name
    cannot leave one)."""
    if not has_includes_dir(repo) and not name.startswith("/") and ".." not in name.split("/"):
        return []
    return [_join(anc, sub, name) for anc in ancestors(folder) for sub in names("include-dirs")]


def layout_candidates(folder: str, name: str, page_ending: str, has_ending: bool) -> list[str]:
    """Where front matter `layout: name` of a page in `folder` may be."""
    endings = [page_ending if ending == "(page)" else ending for ending in names("layout-endings")]
    files = [name] if has_ending else [name + ending for ending in dict.fromkeys(endings)]
    return [_join(anc, sub, file) for anc in ancestors(folder) for sub in names("layout-dirs") for file in files]


def no_layout(value: str) -> bool:
    return value.lower() in names("no-layout-values")
