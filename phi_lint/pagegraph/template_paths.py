"""Template names to repository files, as the template engines resolve them (Jinja, Django,
Nunjucks, Twig, and the render calls of Python views).

Shared by the page graph (`phi_lint.pagegraph.templates_python`: extends, include, inclusion
tags) and the Python frameworks (`phi_lint.frameworks.python_views`: the template a view renders); kept
below both so neither imports the other for it. The rules are described in templates_python.
"""

from __future__ import annotations

import posixpath

from phi_lint.repopaths import ancestors

ROOT_NAMES = ("templates", "jinja2", "views", "_includes")

# ---------------------------------------------------------------------------------------------
# name resolution (a pure function of the name, the including file and the file list: the same
# in every worker process, so parallel and single-process runs agree)

def _cache(repo) -> dict:
    return repo.memo(__name__, dict)


def _is_root(directory: str, roots=()) -> bool:
    if posixpath.basename(directory) in ROOT_NAMES:
        return True
    return any(directory == r or directory.endswith("/" + r) for r in roots)


def shared_leading_dirs(a: str, b: str) -> int:
    """How many leading path segments a and b share (the nearest candidate wins a tie of names)."""
    n = 0
    for x, y in zip(a.split("/"), b.split("/")):
        if x != y:
            break
        n += 1
    return n


def closest(candidates, source: str) -> str | None:
    if not candidates:
        return None
    return min(set(candidates), key=lambda c: (-shared_leading_dirs(c, source), c.count("/"), c))


def _join(directory: str, name: str) -> str:
    return posixpath.normpath(posixpath.join(directory, name)) if directory else posixpath.normpath(name)


def resolve_template(name: str, source: str, repo, roots: tuple[str, ...] = ()) -> str | None:
    """The repo file a template name refers to, seen from `source` (a template or a Python module).

    `roots`: extra template folders (repo-relative) declared by the source, tried first (a Flask
    blueprint's template_folder).
    """
    name = (name or "").strip().replace("\\", "/")
    if not name or len(name) > 500 or "\n" in name or "{" in name:
        return None
    cache = _cache(repo)
    # resolution depends on the source's folder and kind only: every page of a folder shares it
    key = (name, posixpath.dirname(source), repo.kind(source) == "markup", roots)
    if key not in cache:
        cache[key] = _resolve(name, source, repo, roots)
    return cache[key]


def _resolve(name: str, source: str, repo, roots: tuple[str, ...]) -> str | None:
    here = posixpath.dirname(source)
    if name.startswith(("./", "../")):
        target = _join(here, name)
        return target if not target.startswith("../") and repo.exists(target) else None
    if name.startswith("@"):  # Twig namespace: @Admin/layout.html.twig
        name = name.split("/", 1)[1] if "/" in name else ""
    name = name.lstrip("/")
    if not name or name.startswith("../"):
        return None
    for root in roots:
        target = _join(root, name)
        if repo.exists(target):
            return target
    if repo.kind(source) == "markup":
        # 1. the template root the including template lives in
        for directory in ancestors(posixpath.dirname(source)):
            if directory and _is_root(directory):
                target = _join(directory, name)
                if repo.exists(target):
                    return target
    else:
        # 1. the template folders next to a Python module or above it (Django app, Flask package)
        for directory in ancestors(posixpath.dirname(source)):
            for root in ROOT_NAMES:
                target = _join(directory, posixpath.join(root, name))
                if repo.exists(target):
                    return target
    # 2. the name under another template root of the repository, closest to the source first
    candidates = [c for c in repo.by_suffix(name) if repo.kind(c) == "markup"]
    rooted = [c for c in candidates if _under_root(c, name)]
    if rooted:
        return closest(rooted, source)
    # 3. next to the including file (loaders rooted at the file's folder)
    target = _join(here, name)
    if not target.startswith("../") and repo.exists(target) and repo.kind(target) == "markup":
        return target
    # 4. any template whose path ends with the name: a folder declared in code (Django DIRS, a
    #    Flask template_folder, a Jinja FileSystemLoader) under another name; closest first
    return closest(candidates, source)


def _under_root(path: str, name: str) -> bool:
    prefix = path[: len(path) - len(name)].rstrip("/")
    return bool(prefix) and _is_root(prefix)
