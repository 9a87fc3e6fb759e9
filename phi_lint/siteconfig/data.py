"""rules/config-trackers.toml: which config files of which generator switch which vendor on.

The table is read once per process. A malformed table is a user error naming the key (the file
ships with phi-lint, so it is a broken install or a bad edit, never the scanned repository).
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache

from phi_lint.errors import UserError
from phi_lint.resources import rules_dir
from phi_lint.tomlread import load_shipped

DATA_FILE = "config-trackers.toml"
FORMATS = ("toml-yaml", "js", "python", "ruby", "php", "drupal")


class ConfigTrackersError(UserError):
    """A malformed rules/config-trackers.toml (exit status 2)."""


@dataclass(frozen=True)
class Switch:
    """A key or a plugin that turns `vendor` on."""

    vendor: str
    key: str = ""  # dotted key path (a [[generator.key]])
    plugin: str = ""  # plugin or module name (a [[generator.plugin]])
    ids: tuple[str, ...] = ()  # option names holding the account id
    options_key: str = ""  # a top-level property holding the plugin's options too
    off_key: str = ""  # a dotted key that turns it off when true
    # dotted keys that, when true, say something about what the tracker is sent (`track.userid`):
    # (key, note) pairs, the note added to the finding
    flags: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Generator:
    id: str
    name: str
    format: str
    configs: tuple[str, ...]
    pages: tuple[str, ...]
    switches: tuple[Switch, ...]
    stem_keys: tuple[str, ...] = ()
    site_markers: tuple[str, ...] = ()
    loaders: tuple[str, ...] = ()
    loader_dirs: tuple[str, ...] = ()
    theme_keys: tuple[str, ...] = ()
    theme_dirs: tuple[str, ...] = ()
    off_options: tuple[tuple[str, object], ...] = ()
    content: tuple[str, ...] = ()  # globs of the site's Markdown pages (phi_lint.siteconfig.pages)
    content_needs: str = ""  # what a Markdown file there needs to be a page: "", front-matter, layout
    content_layouts: tuple[str, ...] = ()  # the template that renders those pages (first that exists)
    partial_dirs: tuple[str, ...] = ()  # where `{{ partial "x" . }}` of the site's templates finds x
    head_keys: tuple[str, ...] = ()  # config properties whose entries are written into every page's <head>

    def site_root(self, rel: str) -> str | None:
        """The site's root folder ("" for the repository's) when `rel` is one of this generator's
        config files, else None."""
        parts = rel.split("/")
        # the longest pattern first: config/_default/hugo.toml is the config folder of the site
        # above it, not a site of its own in config/_default/
        for pattern in sorted(self.configs, key=lambda p: -p.count("/")):
            wanted = pattern.split("/")
            if len(parts) >= len(wanted) and all(
                fnmatch.fnmatchcase(part, want) for part, want in zip(parts[-len(wanted):], wanted)
            ):
                return "/".join(parts[: len(parts) - len(wanted)])
        return None


@dataclass(frozen=True)
class Table:
    generators: tuple[Generator, ...]
    basenames: frozenset[str]  # config files' names without a wildcard
    # a wildcard name is kept to a named folder (`settings/*.py`): folder name → name globs
    wild_in: dict[str, tuple[str, ...]]
    # or to a fixed ending of its own (`*.libraries.yml`, `google_tag.container.*.yml`), tested
    # with one endswith before the glob
    loose: tuple[str, ...] = ()
    loose_endings: tuple[str, ...] = ()

    def may_be_config(self, rel: str) -> bool:
        """Whether a file of this path can be a config file: the cheap gate, by its name (and
        its folder's name for `settings/*.py`), run on every file of a scan."""
        folder, _, name = rel.rpartition("/")
        if name in self.basenames:
            return True
        globs = self.wild_in.get(folder.rpartition("/")[2])
        if globs is not None and any(fnmatch.fnmatchcase(name, g) for g in globs):
            return True
        return name.endswith(self.loose_endings) and any(fnmatch.fnmatchcase(name, g) for g in self.loose)

    def generators_of(self, rel: str) -> list[tuple[Generator, str]]:
        """(generator, site root) of every generator `rel` is a config file of."""
        if not self.may_be_config(rel):
            return []
        found = []
        for generator in self.generators:
            root = generator.site_root(rel)
            if root is not None:
                found.append((generator, root))
        return found


def _strings(value, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigTrackersError(f"{DATA_FILE}: `{where}` must be a list of non-empty strings")
    return tuple(value)


def _string(value, where: str, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value:
        raise ConfigTrackersError(f"{DATA_FILE}: `{where}` must be a non-empty string")
    return value


def _switch(entry, where: str, kind: str) -> Switch:
    if not isinstance(entry, dict):
        raise ConfigTrackersError(f"{DATA_FILE}: `{where}` must be a table")
    known = {"vendor", kind, "ids", "options-key", "off-key", "flags"}
    unknown = sorted(set(entry) - known)
    if unknown:
        raise ConfigTrackersError(f"{DATA_FILE}: `{where}`: unknown key `{unknown[0]}`")
    return Switch(
        vendor=_string(entry.get("vendor"), f"{where}.vendor"),
        key=_string(entry.get("key"), f"{where}.key") if kind == "key" else "",
        plugin=_string(entry.get("name"), f"{where}.name") if kind == "name" else "",
        ids=_strings(entry.get("ids", []), f"{where}.ids"),
        options_key=_string(entry.get("options-key"), f"{where}.options-key", required=False),
        off_key=_string(entry.get("off-key"), f"{where}.off-key", required=False),
        flags=_flags(entry.get("flags", {}), f"{where}.flags"),
    )


def _flags(value, where: str) -> tuple[tuple[str, str], ...]:
    """`flags = { "track.userid" = "note" }`: a table of dotted keys to notes."""
    if not isinstance(value, dict) or not all(isinstance(k, str) and k and isinstance(v, str) and v
                                              for k, v in value.items()):
        raise ConfigTrackersError(f"{DATA_FILE}: `{where}` must be a table of dotted keys to notes")
    return tuple(sorted(value.items()))


CONTENT_NEEDS = ("", "front-matter", "layout")


def _needs(value, where: str) -> str:
    if value is None:
        return ""
    if value not in CONTENT_NEEDS:
        raise ConfigTrackersError(f"{DATA_FILE}: `{where}` must be one of {', '.join(repr(n) for n in CONTENT_NEEDS)}")
    return value


def parse_table(data: dict) -> Table:
    generators = []
    seen: set[str] = set()
    for i, entry in enumerate(data.get("generator") or []):
        where = f"generator[{i}]"
        gid = _string(entry.get("id"), f"{where}.id")
        if gid in seen or not re.fullmatch(r"[a-z][a-z0-9-]*", gid):
            raise ConfigTrackersError(f"{DATA_FILE}: `{where}.id` {gid!r} is not a new kebab-case id")
        seen.add(gid)
        where = f"generator {gid}"
        fmt = _string(entry.get("format"), f"{where}.format")
        if fmt not in FORMATS:
            raise ConfigTrackersError(f"{DATA_FILE}: `{where}.format` must be one of {', '.join(FORMATS)}")
        switches = [_switch(k, f"{where}.key[{j}]", "key") for j, k in enumerate(entry.get("key") or [])]
        switches += [_switch(p, f"{where}.plugin[{j}]", "name") for j, p in enumerate(entry.get("plugin") or [])]
        if not switches and entry.get("format") != "drupal" and not entry.get("content"):
            raise ConfigTrackersError(f"{DATA_FILE}: `{where}` switches nothing on (no key or plugin) and has no content pages")
        off = entry.get("off-options") or {}
        if not isinstance(off, dict):
            raise ConfigTrackersError(f"{DATA_FILE}: `{where}.off-options` must be a table")
        loaders = _strings(entry.get("loaders", []), f"{where}.loaders")
        generators.append(Generator(
            id=gid,
            name=_string(entry.get("name"), f"{where}.name"),
            format=fmt,
            configs=_strings(entry.get("configs"), f"{where}.configs"),
            pages=_strings(entry.get("pages", []), f"{where}.pages"),
            switches=tuple(switches),
            stem_keys=_strings(entry.get("stem-keys", []), f"{where}.stem-keys"),
            site_markers=_strings(entry.get("site-markers", []), f"{where}.site-markers"),
            loaders=loaders,
            loader_dirs=_strings(entry.get("loader-dirs", []), f"{where}.loader-dirs"),
            theme_keys=_strings(entry.get("theme-keys", []), f"{where}.theme-keys"),
            theme_dirs=_strings(entry.get("theme-dirs", []), f"{where}.theme-dirs"),
            off_options=tuple(sorted(off.items())),
            content=_strings(entry.get("content", []), f"{where}.content"),
            content_needs=_needs(entry.get("content-needs"), f"{where}.content-needs"),
            content_layouts=_strings(entry.get("content-layouts", []), f"{where}.content-layouts"),
            partial_dirs=_strings(entry.get("partial-dirs", []), f"{where}.partial-dirs"),
            head_keys=_strings(entry.get("head-keys", []), f"{where}.head-keys"),
        ))
    names = {posixpath.basename(c) for g in generators for c in g.configs}
    wild_in: dict[str, list[str]] = {}
    loose: list[str] = []
    for generator in generators:
        for pattern in generator.configs:
            folder, _, name = pattern.rpartition("/")
            if "*" not in name:
                continue
            if not folder and _loose_ending(name):
                loose.append(name)
                continue
            parent = folder.rpartition("/")[2]
            if not parent or "*" in parent:
                raise ConfigTrackersError(f"{DATA_FILE}: `generator {generator.id}.configs`: {pattern!r}: a name with "
                                          "`*` needs a named folder above it (settings/*.py)")
            wild_in.setdefault(parent, []).append(name)
    return Table(tuple(generators), frozenset(n for n in names if "*" not in n),
                 {folder: tuple(sorted(set(globs))) for folder, globs in wild_in.items()},
                 tuple(sorted(set(loose))), tuple(sorted({_loose_ending(name) for name in loose})))


def _loose_ending(name: str) -> str:
    """The fixed ending of a folder-less wildcard name (`.libraries.yml` of `*.libraries.yml`,
    `.yml` of `google_tag.container.*.yml`), "" when the name is too loose to stand alone (a bare
    `*.yml` would make every YAML file a config file)."""
    prefix, ending = name.partition("*")[0], name.rpartition("*")[2]
    return ending if ending and (prefix or ending.count(".") >= 2) else ""


@lru_cache(maxsize=1)
def table() -> Table:
    """The shipped table, read once per process."""
    return parse_table(load_shipped(rules_dir() / DATA_FILE, ConfigTrackersError))


def glob_matches(rel: str, pattern: str) -> bool:
    """Whether a repo path matches a glob of this file's format: `*` one folder name or part of
    a name, `**` any number of folders (as the last part: anything below)."""
    return _glob(pattern).fullmatch(rel) is not None


@lru_cache(maxsize=256)
def _glob(pattern: str) -> re.Pattern[str]:
    out = []
    for part in re.split(r"(\*\*/?|\*)", pattern):
        if part.startswith("**"):
            out.append("(?:.*/)?" if part.endswith("/") else ".*")
        elif part == "*":
            out.append("[^/]*")
        else:
            out.append(re.escape(part))
    return re.compile("".join(out))
