"""Remix and React Router framework mode: the root and parent routes around a route module.

Page graph (project edges): `app/routes/**` → `app/root.*`, flat-route parents
(`portal.dashboard.tsx` → `portal.tsx`), and the files named in `app/routes.ts` by `route()`,
`index()` and `layout()` (kind "layout"). A route's `loader` that redirects to the login page is
read with the other React Router guards (phi_lint.frameworks.spa_router); a `requireUserId()`
helper in a route module with the other server session checks (phi_lint.frameworks.nextjs).
"""

from __future__ import annotations

import posixpath
import re

from phi_lint.frameworks import Framework, register
from phi_lint.frameworks.jsrouter import node_string, node_text
from phi_lint.frameworks.nextjs import NEXT_EXTS
from phi_lint.lang.javascript import Script, dialect_for
from phi_lint.pagegraph.model import Edge


def _remix_edges(repo) -> list[Edge]:
    edges = []
    scripts = repo.of_kind("script")
    roots: dict[str, str] = {}
    for rel in scripts:
        stem, ext = posixpath.splitext(posixpath.basename(rel))
        if stem == "root" and ext in NEXT_EXTS:
            roots.setdefault(posixpath.dirname(rel), rel)
    for app_dir, root in sorted(roots.items()):
        prefix = f"{app_dir}/routes/" if app_dir else "routes/"
        route_files = [r for r in scripts if r.startswith(prefix) and posixpath.splitext(r)[1] in NEXT_EXTS]
        for rel in route_files:
            sub = rel[len(prefix) :].split("/")
            stem = posixpath.splitext(sub[-1])[0]
            if len(sub) == 1:
                route_id = stem
            elif stem in ("route", "index", "_index", "_layout") and len(sub) == 2:
                route_id = sub[0]
            else:
                route_id = ".".join(sub[:-1] + [stem])
            edges.append(Edge(rel, root, "layout", 0, "Remix root"))
            segments = [s for s in re.split(r"[./]", route_id) if s]
            for cut in range(len(segments) - 1, 0, -1):
                parent_id = ".".join(segments[:cut])
                parent = repo.first(
                    [f"{prefix}{parent_id}{e}" for e in NEXT_EXTS]
                    + [f"{prefix}{parent_id}/route{e}" for e in NEXT_EXTS]
                    + [f"{prefix}{parent_id.replace('.', '/')}{e}" for e in NEXT_EXTS]
                )
                if parent and parent != rel:
                    edges.append(Edge(rel, parent, "layout", 0, "Remix parent route"))
                    break
        config = repo.first(f"{app_dir}/routes{e}" if app_dir else f"routes{e}" for e in (".ts", ".js", ".mts", ".mjs"))
        if config:
            edges.extend(_routes_config_edges(repo, config, app_dir, root))
    return edges


def _routes_config_edges(repo, config: str, app_dir: str, root: str) -> list[Edge]:
    """React Router framework mode app/routes.ts: route()/index()/layout() name route modules."""
    text = repo.read(config)
    if not text:
        return []
    tree = Script(text, dialect_for(config)).tree
    edges = []
    stack: list[tuple] = [(tree.root_node, None)]
    while stack:
        node, parent_file = stack.pop()
        if node.type == "call_expression":
            callee = node.child_by_field_name("function")
            name = node_text(callee).split(".")[-1] if callee is not None else ""
            args = node.child_by_field_name("arguments")
            arguments = args.named_children if args is not None else []
            if name in ("route", "index", "layout"):
                file_arg = next(
                    (s for a in arguments if (s := node_string(a)) and posixpath.splitext(s)[1] in NEXT_EXTS),
                    None,
                )
                target = posixpath.normpath(posixpath.join(app_dir, file_arg)) if file_arg else None
                if target and repo.exists(target):
                    edges.append(Edge(target, root, "layout", node.start_point[0] + 1, "routes.ts"))
                    if parent_file and parent_file != target:
                        edges.append(Edge(target, parent_file, "layout", node.start_point[0] + 1, "routes.ts"))
                    for arg in arguments:
                        if arg.type == "array":
                            for child in arg.named_children:
                                stack.append((child, target))
                    continue
        for child in node.named_children:
            stack.append((child, parent_file))
    return edges



@register
class Remix(Framework):
    id = "remix"
    name = "Remix / React Router framework mode"

    def project_edges(self, repo) -> list[Edge]:
        return _remix_edges(repo)
