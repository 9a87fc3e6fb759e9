"""The site's own hosts: the `first-party` setting and what the repository says about itself.

A relative URL never has a host (phi_lint.thirdparty.hosts). Besides the setting, these files
name the site's address:

- `CNAME` (GitHub Pages), at the root or one folder down (`docs/CNAME`);
- Hugo `baseURL` (config.toml / hugo.toml / config.yaml / hugo.yaml, also config/_default/);
- Jekyll `url` in `_config.yml`;
- Next.js `assetPrefix` in next.config.js / .mjs / .cjs / .ts;
- Django `ALLOWED_HOSTS` in settings*.py (or settings/*.py): a leading dot covers subdomains;
- Rails `config.hosts` in config/application.rb and config/environments/*.rb (same dot rule);
- `homepage` in package.json: only of the app's own manifests, those at a folder where the
  other site files are read (a base or one folder below it) and the workspaces such a manifest
  names. A library copied into the repository (`assets/js/bootstrap/package.json`) names who
  made the library (getbootstrap.com), not who runs the site.

Each names an exact host (`www.` also gives the bare domain); `*.domain` needs the setting or a
leading dot. Code-hosting addresses (a library's `homepage` on github.com) are not the site's.
"""

from __future__ import annotations

import json
import os
import posixpath
import re

from phi_lint.lazyre import lazy_pattern
from phi_lint.safeio import read_inside
from phi_lint.thirdparty.hosts import HostPatterns, host_of, is_reserved, valid_host

CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "npmjs.com", "www.npmjs.com", "npmjs.org")
SITE_CONFIGS = ("config.toml", "hugo.toml", "config.yaml", "config.yml", "hugo.yaml", "hugo.yml",
                "config/_default/config.toml", "config/_default/hugo.toml")
NEXT_CONFIGS = ("next.config.js", "next.config.mjs", "next.config.cjs", "next.config.ts")

_HUGO_BASE = lazy_pattern(r"""^[ \t]*baseurl\s*[:=]\s*["']?([^"'\s#]+)""", re.IGNORECASE | re.MULTILINE)
_JEKYLL_URL = lazy_pattern(r"""^url\s*:\s*["']?([^"'\s#]+)""", re.MULTILINE)
_ASSET_PREFIX = lazy_pattern(r"""\bassetPrefix\s*:\s*["'`]([^"'`\s]+)["'`]""")
_ALLOWED_HOSTS = lazy_pattern(r"^[ \t]*ALLOWED_HOSTS\s*(?:\+?=|\.extend\s*\()\s*[\[(]([^\])]*)[\])]", re.MULTILINE)
_RAILS_HOSTS = lazy_pattern(r"^[ \t]*config\.hosts\s*(?:<<|\+=|=|\.push|\.concat|\.append)\s*\(?\s*\[?([^\n#]*)", re.MULTILINE)
_STRING = lazy_pattern(r"""(["'])([^"'\n]{1,253})\1""")


class FirstParty:
    """The hosts that are not third parties, each with where phi-lint learnt it."""

    def __init__(self, configured: list[str], origin: str = "first-party setting"):
        self.patterns = HostPatterns()
        self.unread: list[tuple[str, str]] = []  # (file, why) site files there but not read
        for pattern in configured:
            self.patterns.add(pattern, origin)

    def covers(self, host: str) -> bool:
        return self.patterns.origin(host) is not None

    def add_site_host(self, name: str, origin: str) -> None:
        """A host the repository names as its own; `.domain` (Django, Rails) covers subdomains."""
        name = name.strip().lower()
        wildcard = name.startswith(".")
        host = name.lstrip(".")
        if not valid_host(host) or is_reserved(host) or host in CODE_HOSTS:
            return
        self.patterns.add(("*." if wildcard else "") + host, origin)
        if host.startswith("www.") and not wildcard:
            self.patterns.add(host[4:], origin)

    def add_site_url(self, url: str, origin: str) -> None:
        host = host_of(url)
        if host is not None:
            self.add_site_host(host, origin)

    def described(self) -> list[str]:
        """`host (origin)` of each host learnt from the repository, for --verbose."""
        entries = [*self.patterns.exact.items(), *(("*." + d, o) for d, o in self.patterns.domains.items())]
        return [f"{host} ({origin})" for host, origin in sorted(entries) if origin != "first-party setting"]


def first_party_hosts(configured: list[str], root, repo_files: dict[str, str], max_size: int,
                      bases: tuple[str, ...] = ("",)) -> FirstParty:
    """The `first-party` setting plus the hosts the repository at root names as its own;
    `bases` are the folders (relative to root) whose site files are read: the root, the
    folders named on the command line and the configuration's folder, and one folder down."""
    found = FirstParty(configured)
    root = str(root)

    def read(rel: str) -> str | None:
        path = os.path.join(root, rel)
        if not os.path.lexists(path):
            return None
        got = read_inside(path, root, max_size)
        if got.data is None:
            found.unread.append((rel, got.problem or "skipped: not readable"))  # said, not dropped
            return None
        return got.data.decode("utf-8", "replace")

    folders = _site_folders(root, bases)
    for folder in folders:
        prefix = folder + "/" if folder else ""
        text = read(prefix + "CNAME")
        if text and text.strip():
            found.add_site_host(text.strip().splitlines()[0], prefix + "CNAME")
        for name in SITE_CONFIGS:
            text = read(prefix + name)
            for match in _HUGO_BASE.finditer(text or ""):
                found.add_site_url(match.group(1), f"{prefix}{name}: baseURL")
        text = read(prefix + "_config.yml")
        for match in _JEKYLL_URL.finditer(text or ""):
            found.add_site_url(match.group(1), f"{prefix}_config.yml: url")
    manifests = _app_manifests(sorted(r for r in repo_files if posixpath.basename(r) == "package.json"),
                               set(folders), read)
    for rel in sorted(repo_files):
        name = posixpath.basename(rel)
        if name in NEXT_CONFIGS:
            for match in _ASSET_PREFIX.finditer(read(rel) or ""):
                found.add_site_url(match.group(1), f"{rel}: assetPrefix")
        elif name == "package.json":
            homepage = _homepage(manifests.get(rel))
            if homepage:
                found.add_site_url(homepage, f"{rel}: homepage")
        elif name.endswith(".py") and (name.startswith("settings") or "/settings/" in "/" + rel):
            for match in _ALLOWED_HOSTS.finditer(read(rel) or ""):
                for literal in _STRING.finditer(match.group(1)):
                    found.add_site_host(literal.group(2), f"{rel}: ALLOWED_HOSTS")
        elif rel.endswith(".rb") and (rel == "config/application.rb" or rel.endswith("/config/application.rb")
                                      or "config/environments/" in rel):
            for match in _RAILS_HOSTS.finditer(read(rel) or ""):
                for literal in _STRING.finditer(match.group(1)):
                    found.add_site_host(literal.group(2), f"{rel}: config.hosts")
    return found


def _site_folders(root: str, bases) -> list[str]:
    """Each base and its immediate folders (a site in docs/ or site/), without hidden ones."""
    folders: set[str] = set()
    for base in bases:
        if base.startswith(("..", "/")):
            continue  # outside the repository: not what it says about itself
        base = base.strip("/")
        folders.add(base)
        try:
            with os.scandir(os.path.join(root, base)) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False) and not entry.name.startswith("."):
                        folders.add(posixpath.join(base, entry.name) if base else entry.name)
        except OSError:
            pass
    return sorted(folders)


def _app_manifests(manifests: list[str], folders: set[str], read) -> dict[str, dict]:
    """The parsed package.json files that describe the site's app, by path: those in `folders`
    (where the site's other files are read) and the workspaces they name. Any other manifest is
    a library's: vendored copies (assets/js/angular/package.json) and nested packages."""
    apps: dict[str, dict] = {}
    for rel in manifests:
        if posixpath.dirname(rel) in folders:
            apps[rel] = _json_object(read(rel))
    workspaces = [_workspace_pattern(posixpath.dirname(rel), glob)
                  for rel, data in apps.items() for glob in _workspace_globs(data)]
    for rel in manifests:
        if rel not in apps and any(p is not None and p.match(posixpath.dirname(rel)) for p in workspaces):
            apps[rel] = _json_object(read(rel))
    return apps


def _workspace_globs(data: dict) -> list[str]:
    """The folder globs of `workspaces` (npm and yarn: a list, or `{"packages": [...]}`)."""
    value = data.get("workspaces")
    if isinstance(value, dict):
        value = value.get("packages")
    if not isinstance(value, list):
        return []
    return [glob for glob in value if isinstance(glob, str) and glob and not glob.startswith("!")]


def _workspace_pattern(folder: str, glob: str):
    """A workspace glob below `folder` as a regex of folder paths (`*` within one folder, `**`
    across folders), or None when it cannot be one. The glob is the scanned repository's, so the
    regex runs in RE2 (phi_lint.untrusted_regex): `**/**/**/…/x` would make Python's `re`
    backtrack for minutes over each package.json path."""
    from phi_lint.untrusted_regex import compile_linear

    glob = posixpath.normpath(posixpath.join(folder, glob.removeprefix("./"))).strip("/")
    parts: list[str] = []
    for piece in re.split(r"(\*\*/?|\*|\?)", glob):
        if piece in ("**/", "**"):
            if parts and parts[-1] in ("(?:.*/)?", ".*"):
                continue  # `**/**` says no more than `**`
            parts.append("(?:.*/)?" if piece == "**/" else ".*")
        elif piece == "*":
            parts.append("[^/]*")
        elif piece == "?":
            parts.append("[^/]")
        else:
            parts.append(re.escape(piece))
    return compile_linear("".join(parts) + r"\z")[0]


def _json_object(text: str | None) -> dict:
    if not text:
        return {}
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def _homepage(data: dict | None) -> str | None:
    value = (data or {}).get("homepage")
    return value if isinstance(value, str) else None
