"""Where a page is served: a URL pattern for a page file, from what a scan already knows.

`-f routes` tells a live check which URLs to load. The URL of a page comes from, in this order
(the conventions are data, in rules/page-urls.toml):

1. the route table (phi_lint/frameworks/routes.py): a framework's route that serves the page and
   has a URL (a Django `path()`, a Rails `get`/`resources`, an Express `app.get`, …), whatever
   label the page has and wherever the label came from;
2. its own evidence: what the inference wrote ("served at route `/portal/`", "guards Express
   route `GET /portal/visits`", "`auth` middleware on route GET /records/{record}");
3. a file-system router, where the file is the route (Next.js `app/**/page.tsx` and `pages/`,
   SvelteKit `src/routes/**/+page.svelte`, Nuxt and Astro `pages/`);
4. a static site: an .html file under a folder served as it is (`site/conditions/a.html` is
   `/conditions/a.html`).

`example_url` fills a pattern's parameters (`<int:id>`, `:id`, `[id]`, `{id}`, `$id`) with
sample values so the URL can be loaded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from phi_lint.lazyre import lazy_pattern
from phi_lint.resources import rules_dir
from phi_lint.tomlread import load_toml


@dataclass(frozen=True)
class FileRouter:
    name: str
    root: str
    page: re.Pattern
    index: frozenset[str]
    dropped: tuple[re.Pattern, ...]


@dataclass(frozen=True)
class Conventions:
    evidence: tuple[re.Pattern, ...]
    routers: tuple[FileRouter, ...]
    static_roots: frozenset[str]


@dataclass(frozen=True)
class PageUrl:
    """A page's URL pattern, how it was found (`evidence`, `file-router`, `static-file`) and
    the sentence that says so, with where that was seen."""

    pattern: str
    source: str
    because: str
    path: str | None = None
    line: int | None = None


@lru_cache(maxsize=1)
def conventions() -> Conventions:
    data = load_toml(rules_dir() / "page-urls.toml")
    routers = tuple(
        FileRouter(
            name=item["name"],
            root=item["root"],
            page=re.compile(item["page"]),
            index=frozenset(item.get("index", ())),
            dropped=tuple(re.compile(p) for p in item.get("dropped", ())),
        )
        for item in data.get("file-routers", ())
    )
    return Conventions(
        evidence=tuple(re.compile(p) for p in data.get("evidence-patterns", ())),
        routers=routers,
        static_roots=frozenset(data.get("static-roots", ())),
    )


def from_evidence(text: str) -> str | None:
    """The URL pattern an evidence sentence names, or None. A layout's evidence ("extends …")
    names the layout's route, not the page's."""
    if text.startswith("extends "):
        return None
    for pattern in conventions().evidence:
        match = pattern.search(text)
        if match:
            return match.group("url")
    return None


def from_file_router(page: str) -> tuple[str, str] | None:
    """(URL pattern, router name) when the page file is a route of a file-system router."""
    parts = page.split("/")
    for router in conventions().routers:
        if not router.page.fullmatch(parts[-1]) or router.root not in parts[:-1]:
            continue
        start = len(parts) - 1 - parts[:-1][::-1].index(router.root)
        segments = [*parts[start:-1], parts[-1].split(".", 1)[0]]
        if segments[-1] in router.index:
            segments.pop()
        kept = [s for s in segments if not any(d.fullmatch(s) for d in router.dropped)]
        return "/" + "/".join(kept), router.name
    return None


def from_static_site(page: str) -> tuple[str, str] | None:
    """(URL, the folder served) for an .html page under a static site's folder."""
    parts = page.split("/")
    if not parts[-1].lower().endswith((".html", ".htm")):
        return None
    roots = [i for i, name in enumerate(parts[:-1]) if name in conventions().static_roots]
    if not roots:
        return None
    below = parts[roots[-1] + 1:]
    return "/" + "/".join(below), "/".join(parts[: roots[-1] + 1]) + "/"


def page_url(page: str, evidence, route=None) -> PageUrl | None:
    """The URL a page is served at, best source first; evidence: the page's Evidence items;
    route: the route that serves it (an Inference of label URL_LABEL: text is the URL), if any."""
    if route is not None:
        return PageUrl(absolute(route.text), "route", f"route `{route.text}`", route.path, route.line or None)
    for item in evidence:
        url = from_evidence(item.text)
        if url is not None:
            return PageUrl(url, "evidence", item.text, item.path, item.line)
    routed = from_file_router(page)
    if routed is not None:
        return PageUrl(routed[0], "file-router", f"{routed[1]} page file")
    static = from_static_site(page)
    if static is not None:
        return PageUrl(static[0], "static-file", f"static file under `{static[1]}`")
    return None


def absolute(pattern: str) -> str:
    """A route's URL from the site root: Django writes `portal/` (and `^portal/$` in re_path)."""
    bare = pattern.removeprefix("^").removesuffix("$")
    return bare if bare.startswith("/") else "/" + bare


# a parameter in each syntax: Flask/Django <conv:name>, Express/Rails :name, Next/SvelteKit/Nuxt
# [name] [...rest] [[...opt]], Laravel/Symfony/ASP {name?}, Remix $name, a catch-all * or (.*)
_PARAMETER = lazy_pattern(
    r"<(?:(?P<conv>\w+):)?(?P<angle>\w+)>"
    r"|\[\[?(?P<rest>\.\.\.)?(?P<bracket>[^\]/]+)\]\]?"
    r"|\{(?P<brace>\w+)\??(?::[^}]*)?\}"
    r"|(?<=/):(?P<colon>\w+)[?*+]?(?:\([^)]*\))?"
    r"|(?<=/)\$(?P<dollar>\w+)"
    r"|(?<=/)\*"
)
# parameters named like these are words, not numbers (`/conditions/<slug>` → `/conditions/example`)
_WORDY = lazy_pattern(r"slug|path|name|title|rest|all|catch|category|section|condition|topic|lang|locale", re.IGNORECASE)


def _sample(match: re.Match) -> str:
    name = next((match.group(g) for g in ("angle", "bracket", "brace", "colon", "dollar") if match.group(g)), "")
    converter = match.group("conv") or ""
    if converter == "uuid":
        return "00000000-0000-4000-8000-000000000001"
    if converter in ("int", "float"):
        return "1"
    if match.group("rest") or not name or converter in ("path", "str", "string", "slug") or _WORDY.search(name):
        return "example"
    return "1"  # record ids are the usual parameter


def example_url(pattern: str) -> str:
    """The pattern with each parameter filled: `/records/<int:id>` → `/records/1`,
    `/conditions/<slug>` → `/conditions/example`."""
    return _PARAMETER.sub(_sample, pattern) or "/"


def has_parameters(pattern: str) -> bool:
    return _PARAMETER.search(pattern) is not None
