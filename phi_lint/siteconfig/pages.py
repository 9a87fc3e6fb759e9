"""Markdown content pages of a static site: Hugo's `content/`, Docusaurus' `docs/` and `blog/`,
Jekyll's pages and posts with front matter, VitePress and VuePress docs, Eleventy pages with a
`layout:`. Each is a page of the site (markup: its front-matter title and text decide whether it
is a health page), so a tracker the site's layouts or config carry reaches it.

Which folders, and what a file there needs, is data (rules/config-trackers.toml: `content`,
`content-needs`). The gate is the site: a Markdown file is a page only below the root of a site
whose generator's config file is in the run (`site_configs`), so the README, CHANGELOG and docs
of other repositories are never pages. Discovery gives every `.md` file the kind "markdown"
(read by nothing) and `claim` turns the site's pages into markup after the walk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from phi_lint.frontmatter import front_matter, layout_name
from phi_lint.siteconfig.data import Generator, glob_matches, table

MARKDOWN = "markdown"  # the discovery kind of a Markdown file not (yet) known to be a page
ENDINGS = (".md", ".markdown")
HEAD_CHARS = 4096  # the front matter read to tell whether a page needs it


def is_markdown(lower_name: str) -> bool:
    return lower_name.endswith(ENDINGS)


def content_sites(rels: Iterable[str]) -> list[tuple[Generator, str]]:
    """(generator, site root) of every site of the run whose generator has Markdown pages."""
    from phi_lint.siteconfig import site_configs

    files = sorted(rels)
    sites: dict[tuple[str, str], tuple[Generator, str]] = {}
    gate = table()
    for rel in files:
        if not gate.may_be_config(rel):
            continue
        for generator, root in site_configs(rel, files):
            if generator.content:
                sites.setdefault((generator.id, root), (generator, root))
    return [sites[key] for key in sorted(sites)]


def _inside(root: str, rel: str) -> str | None:
    if not root:
        return rel
    return rel[len(root) + 1 :] if rel.startswith(root + "/") else None


def site_of_page(rel: str, sites: list[tuple[Generator, str]], head: Callable[[str], str]) -> Generator | None:
    """The generator whose site has the Markdown file `rel` as a page, else None. `head` gives a
    file's first characters (read only when a site needs front matter)."""
    front: tuple[int, str] | None = None
    read = False
    for generator, root in sites:
        inside = _inside(root, rel)
        if inside is None or not any(glob_matches(inside, pattern) for pattern in generator.content):
            continue
        if generator.content_needs:
            if not read:
                front, read = front_matter(head(rel)), True
            if front is None or (generator.content_needs == "layout" and layout_name(front[1]) is None):
                continue
        return generator
    return None


def content_pages(rels: list[str], candidates: list[str], head: Callable[[str], str]) -> set[str]:
    """The Markdown files among `candidates` that are pages of a site of the run (`rels`)."""
    sites = content_sites(rels)
    if not sites:
        return set()
    return {rel for rel in candidates if site_of_page(rel, sites, head) is not None}
