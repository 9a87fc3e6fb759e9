"""Trackers switched on by configuration: a site generator's or framework's config file that turns
a vendor's tag on for the site's pages (Hugo's `googleAnalytics`, Jekyll's `google_analytics`, a
Gatsby plugin, a Nuxt module, Docusaurus' `gtag`, django-analytical settings, Rack::Tracker).

The knowledge (which files, keys and plugins, which vendor each turns on) is data in
rules/config-trackers.toml (phi_lint.siteconfig.data). This package reads a config file with
the parse of its language (phi_lint.siteconfig.readers) and reports each switch that is on as a
sighting of kind "config" at the line that switches it on, with the account id where written.
Which pages the config applies to is the page graph's business: phi_lint.frameworks.siteconfig
adds edges of kind "config" from the site's pages (or from the templates that load what the
config names) to the config file, so the sighting reaches them as a tracker in a layout does.

Only the files the table names are read: the gate is the file name (`Table.may_be_config`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from phi_lint.models import Sighting, Span
from phi_lint.siteconfig.data import Generator, table
from phi_lint.siteconfig.readers import Switched, js_switches, keyed_switches, php_switches, python_switches, ruby_switches

if TYPE_CHECKING:
    from phi_lint.catalogue import Catalogue
    from phi_lint.lang import Source

DRUPAL_SETTINGS = ("google_analytics.settings.", "google_tag.container.")  # the exported module settings

__all__ = ["may_be_config", "switched", "config_sightings", "site_configs", "is_site"]


def may_be_config(rel: str) -> bool:
    """Whether a file may be a config file of rules/config-trackers.toml (by its name only)."""
    return table().may_be_config(rel)


def is_site(generator: Generator, root: str, files) -> bool:
    """Whether `root` holds one of the generator's site markers (always, when it lists none).
    `files` is the sorted list of the run's repo-relative paths."""
    if not generator.site_markers:
        return True
    import bisect

    for marker in generator.site_markers:
        prefix = f"{root}/{marker}/" if root else f"{marker}/"
        i = bisect.bisect_left(files, prefix)
        if i < len(files) and files[i].startswith(prefix):
            return True
    return False


def site_configs(rel: str, files) -> list[tuple[Generator, str]]:
    """(generator, site root) of every generator whose site `rel` configures."""
    return [(g, root) for g, root in table().generators_of(rel) if is_site(g, root, files)]


def switched(source: Source, files) -> tuple[list[Switched], list[str]]:
    """The switches of a config file that are on, and the problems of reading it."""
    found: list[Switched] = []
    problems: list[str] = []
    for generator, _root in site_configs(source.rel, files):
        if generator.format == "toml-yaml":
            more, problem = keyed_switches(source.rel, source.text, generator)
            found.extend(more)
            if problem:
                problems.append(problem)
        elif generator.format == "js" and source.script is not None:
            found.extend(js_switches(source.script, generator))
        elif generator.format == "python" and source.rel.endswith(".py"):
            from phi_lint.lang.python import python_tree

            found.extend(python_switches(python_tree(source), source.text, generator))
        elif generator.format == "drupal" and source.rel.rsplit("/", 1)[-1].startswith(DRUPAL_SETTINGS):
            more, problem = keyed_switches(source.rel, source.text, generator)
            found.extend(more)
            if problem:
                problems.append(problem)
        elif generator.format == "php" and source.rel.endswith(".php"):
            found.extend(php_switches(source.text, generator))
        elif generator.format == "ruby" and source.rel.endswith(".rb"):
            found.extend(ruby_switches(source, generator))
    return found, list(dict.fromkeys(problems))


def config_sightings(source: Source, files, catalogue: Catalogue) -> tuple[list[Sighting], list[str]]:
    """One sighting of kind "config" per switch that is on, at the line that switches it on (and
    one per tracker a Drupal library loads by URL)."""
    found, problems = switched(source, files)
    sightings = _library_sightings(source, catalogue)
    for item in found:
        vendor = catalogue.get(item.switch.vendor)
        if vendor is None:  # a vendor the user's catalogue leaves out
            continue
        account = next((a for a in (vendor.valid_id(i) for i in item.ids if isinstance(i, str)) if a), None)
        what = item.switch.key or item.switch.plugin
        sightings.append(Sighting(
            vendor_id=vendor.id,
            path=source.rel,
            span=Span(item.line, item.column, item.end_line, item.end_column),
            kind="config",
            snippet=item.snippet,
            account_id=account,
            capabilities=tuple(sorted(vendor.capabilities)),
            signature=f"config {item.generator.id} {what}",
            lines=(item.line,),
            details={"notes": list(item.notes)} if item.notes else None,
        ))
    sightings.sort(key=lambda s: (s.span, s.vendor_id))
    return sightings, problems


def _library_sightings(source: Source, catalogue: Catalogue) -> list[Sighting]:
    """The trackers a Drupal library definition loads as external JS (phi_lint.siteconfig.libraries)."""
    from phi_lint.siteconfig.libraries import is_library_file, library_facts

    if not is_library_file(source.rel) or "//" not in source.text:
        return []
    from phi_lint.sightings import cluster, match_facts

    facts = library_facts(source.text)
    if not facts.urls:
        return []
    index = _index(catalogue)
    return cluster(match_facts(facts, index, {vendor.id for vendor in catalogue}), source.text, source.rel)


_INDEXES: dict[int, tuple] = {}  # id(catalogue) → (catalogue, index): the catalogue is kept alive with its id


def _index(catalogue: Catalogue):
    """The catalogue's look-up tables, built once per catalogue in a process."""
    from phi_lint.sightings import CatalogueIndex

    key = id(catalogue)
    if key not in _INDEXES:
        _INDEXES.clear()
        _INDEXES[key] = (catalogue, CatalogueIndex(catalogue))
    return _INDEXES[key][1]
