"""The pages a tracker switched on by configuration reaches (rules/config-trackers.toml).

A config file that switches a tracker on (phi_lint.siteconfig: a sighting at that line) applies
to the site's pages, which do not name it. This module adds the page-graph edges that say so,
of kind "config", pointing at the config file:

- from the templates that load what the config names, for a generator that has loaders
  (Hugo's `{{ template "_internal/google_analytics.html" . }}`, Jekyll's
  `{% if site.google_analytics %}`, django-analytical's `{% analytical_head_top %}`): the
  tracker then reaches the pages through the layouts that include those templates;
- from every page of the site (the data's `pages` globs) otherwise: a Gatsby plugin or a Nuxt
  module injects its tag into every page, and so does a Hugo or Jekyll theme that is not
  committed with the site (its templates cannot be read).

Only config files with a switch that is on get edges: a Rails app's initializers or a Django
settings module that switch nothing on add nothing to the graph.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from phi_lint.frameworks import Framework, register
from phi_lint.lang import Source
from phi_lint.lazyre import lazy_pattern
from phi_lint.pagegraph.model import Edge
from phi_lint.siteconfig import may_be_config, site_configs, switched
from phi_lint.siteconfig.data import Generator, glob_matches
from phi_lint.siteconfig.values import toml_keys, yaml_keys

PAGE_KINDS = ("markup", "script")
EDGE_KIND = "config"


def _under(root: str, rel: str) -> str | None:
    """`rel` relative to the site's root, or None when it is outside it."""
    if not root:
        return rel
    return rel[len(root) + 1 :] if rel.startswith(root + "/") else None


def _site_files(repo, files: list[str], root: str, globs: tuple[str, ...], config: str) -> Iterator[str]:
    for rel in files:
        inside = _under(root, rel)
        if inside is None or rel == config or repo.kind(rel) not in PAGE_KINDS:
            continue
        if any(glob_matches(inside, pattern) for pattern in globs):
            yield rel


def _loader_edges(repo, files: list[str], config: str, generator: Generator, root: str) -> list[Edge]:
    """Edges from each template in the generator's loader folders that holds a loader."""
    edges = []
    for rel in _site_files(repo, files, root, generator.loader_dirs, config):
        if repo.kind(rel) != "markup":
            continue
        text = repo.read(rel) or ""
        for loader in generator.loaders:
            at = text.find(loader)
            if at >= 0:
                edges.append(Edge(rel, config, EDGE_KIND, text.count("\n", 0, at) + 1, f"{generator.name}: {loader}"))
                break
    return edges


def _site_keys(repo, files: list[str], generator: Generator, root: str) -> dict:
    """The keys of every config file of the site (a theme is named in hugo.toml while the
    tracker is switched on in services.toml)."""
    keys: dict = {}
    for rel in files:
        if not may_be_config(rel) or generator.site_root(rel) != root:
            continue
        text = repo.read(rel) or ""
        if rel.lower().endswith(".toml"):
            found = toml_keys(text)[0]
        elif rel.lower().endswith((".yml", ".yaml")):
            found = yaml_keys(text)
        else:
            continue
        for key, value in found.items():
            keys.setdefault(key, value)
    return keys


def _uncommitted_theme(repo, files: list[str], generator: Generator, root: str) -> str | None:
    """The theme the site's config names when the repository does not hold it (a gem, a Hugo
    module, a submodule left out), else None."""
    keys = _site_keys(repo, files, generator, root)
    for key in generator.theme_keys:
        value = keys.get(key)
        names = value.value if value is not None and isinstance(value.value, list) else [value.value] if value else []
        for name in names:
            if not isinstance(name, str) or not name:
                continue
            folders = [f"{root}/{d.format(name)}/" if root else f"{d.format(name)}/" for d in generator.theme_dirs]
            if not any(rel.startswith(folder) for folder in folders for rel in files):
                return name
    return None


def config_edges(repo, config: str, generator: Generator, root: str, files: list[str]) -> list[Edge]:
    """The edges that carry what `config` switches on to the pages it applies to."""
    if generator.loaders:
        edges = _loader_edges(repo, files, config, generator, root)
        if edges or not generator.theme_keys:
            return edges
        theme = _uncommitted_theme(repo, files, generator, root)
        if theme is None:
            return []
        detail = f"{generator.name} theme {theme} (not in the repository)"
    else:
        detail = f"{generator.name} config"
    return [Edge(page, config, EDGE_KIND, 0, detail) for page in _site_files(repo, files, root, generator.pages, config)]


def content_layout_edges(repo, files: list[str], sites: list[tuple[Generator, str]]) -> list[Edge]:
    """An edge of kind "layout" from each Markdown page of a site to the template that renders
    it (Hugo's layouts/_default/baseof.html): what that template carries (a tracker in a
    partial, a config switch's loader) reaches the page."""
    from phi_lint.siteconfig.pages import is_markdown

    edges = []
    for generator, root in sites:
        if not generator.content_layouts:
            continue
        prefix = f"{root}/" if root else ""
        layout = repo.first(prefix + name for name in generator.content_layouts)
        if layout is None:
            continue
        for rel in _site_files(repo, files, root, generator.content, layout):
            if is_markdown(rel.lower()):
                edges.append(Edge(rel, layout, "layout", 0, f"{generator.name} content page"))
    return edges


_PARTIAL = lazy_pattern(r"""\{\{-?\s*partial(?:Cached)?\s+["']([^"'{}]{1,200})["']""")


def partial_edges(repo, files: list[str], sites: list[tuple[Generator, str]]) -> list[Edge]:
    """Edges of kind "include" from a site's templates to the partials they call (Hugo's
    `{{ partial "head.html" . }}`): a tracker or a config loader in a partial reaches the layouts."""
    from phi_lint.siteconfig.pages import is_markdown

    edges = []
    for generator, root in sites:
        if not generator.partial_dirs:
            continue
        prefix = f"{root}/" if root else ""
        for rel in _site_files(repo, files, root, generator.pages, ""):
            if repo.kind(rel) != "markup" or is_markdown(rel.lower()):
                continue
            text = repo.read(rel) or ""
            if "partial" not in text:
                continue
            for match in _PARTIAL.finditer(text):
                name = match.group(1)
                names = [name] if posixpath.splitext(name)[1] else [name, name + ".html"]
                target = repo.first(f"{prefix}{folder}/{n}" for folder in generator.partial_dirs for n in names)
                if target is not None and target != rel:
                    edges.append(Edge(rel, target, "include", text.count("\n", 0, match.start()) + 1, name))
    return edges


def writes_head(text: str, generator: Generator) -> bool:
    """Whether a JS config writes one of the generator's head properties (`head: [ … ]`)."""
    return any(re.search(rf"(?<![\w$.]){re.escape(key)}\s*:\s*\[", text) for key in generator.head_keys)


def head_edges(repo, rel: str, text: str, generator: Generator, root: str, files: list[str]) -> list[Edge]:
    """Edges from every page of the site to a config whose `head` entries every page gets: the
    trackers read in those entries (sightings of the config file) reach the pages."""
    if not generator.head_keys or not writes_head(text, generator):
        return []
    detail = f"{generator.name} config head"
    return [Edge(page, rel, EDGE_KIND, 0, detail) for page in _site_files(repo, files, root, generator.pages, rel)]


def _file_edges(repo, rel: str, text: str, sites, files) -> list[Edge]:
    """The edges one config file gives: to the pages of each site it switches a tracker on for."""
    on = {item.generator.id for item in switched(Source(rel, text), files)[0]}
    edges: list[Edge] = []
    for generator, root in sites:
        if generator.id in on:
            edges.extend(config_edges(repo, rel, generator, root, files))
        else:
            edges.extend(head_edges(repo, rel, text, generator, root, files))
    return edges


@register
class SiteConfig(Framework):
    id = "site-config"
    name = "Site generator configuration"

    def project_edges(self, repo) -> list[Edge]:
        files = repo.files
        from phi_lint.siteconfig.pages import content_sites

        sites = content_sites(files)  # the sites whose Markdown files are pages
        edges: list[Edge] = content_layout_edges(repo, files, sites) + partial_edges(repo, files, sites)
        for rel in files:
            if not may_be_config(rel):
                continue
            sites = site_configs(rel, files)
            if not sites:
                continue
            text = repo.read(rel)
            if not text:
                continue
            try:
                edges.extend(_file_edges(repo, rel, text, sites, files))
            except RecursionError:  # one config nested too deep loses its own edges, not the site's
                repo.note(rel, "site configuration nested too deep to read; the pages it switches trackers on for are unknown")
        return edges
