"""ASP.NET's views: the page graph of Razor (`.cshtml`) and Web Forms (`.aspx`, `.ascx`, `.master`).

Razor (`source_edges`, over the text with `@* *@` and `<!-- -->` comments blanked):
`Layout = "_Layout"` (kind "layout"), `@Html.Partial("_Analytics")` and the other partial calls,
`<partial name="_Analytics" />`, view components (`Component.InvokeAsync("Analytics")`,
`<vc:analytics />` → Components/Analytics/Default.cshtml). A name is looked up as the view
engines do: the page's folder and each folder above it up to its views root (Views/, Pages/,
Areas/<area>/Views|Pages/), with their Shared/ folders, then the app's Views/Shared and
Pages/Shared; `~/…` and `/…` are paths from the app's root (the folder holding Views/, Pages/ or
Areas/).

`project_edges`: a `_ViewStart.cshtml` sets the layout of every view in its folder and below
(the nearest one wins) that sets none of its own; partials (`_x.cshtml`), layouts (a file that
calls `RenderBody()`), view components and Blazor `.razor` components are not pages it wraps.

Web Forms: `<%@ Page MasterPageFile="~/Site.master" %>` (and a nested master's `<%@ Master
MasterPageFile=… %>`) is kind "layout"; a user control registered with `<%@ Register
Src="~/Controls/Analytics.ascx" TagPrefix="uc" TagName="Analytics" %>` is an include where a
`<uc:Analytics runat="server"/>` tag uses it. `~/` is tried from the page's folder and each
folder above it (the web application's root is not written in the page).

The names are data in rules/frameworks/aspnet.toml.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from phi_lint import frameworks_data
from phi_lint.inference.health import Lines
from phi_lint.lazyre import lazy_pattern
from phi_lint.pagegraph.model import Edge
from phi_lint.parsers.template_comments import blank_comments

if TYPE_CHECKING:
    from phi_lint.lang import Source
    from phi_lint.pagegraph.repo import RepoIndex

RAZOR_ENDINGS = (".cshtml",)
WEBFORMS_ENDINGS = (".aspx", ".ascx", ".master")
OWN_LAYOUT_HINT = "aspnet-own-layout"
LAYOUT_FILE_HINT = "aspnet-layout-file"
MAX_NAME = 300  # characters of a view name
MAX_DEPTH = 64  # folders walked up from a view

LAYOUT_ASSIGNMENT = lazy_pattern(r"\bLayout\s*=\s*(null\b|@?\"([^\"\n]{0,300})\")")
PARTIAL_TAG = lazy_pattern(r"<partial\b[^>]{0,500}?\bname\s*=\s*[\"']([^\"'\n>]{1,300})[\"']", re.IGNORECASE)
COMPONENT_TAG = lazy_pattern(r"<vc:([a-z0-9][a-z0-9\-]{0,200})\b", re.IGNORECASE)
DIRECTIVE = lazy_pattern(r"<%@\s*(\w{1,40})(\s[^%]{0,4000})?%>")
ATTRIBUTE = lazy_pattern(r"(\w+)\s*=\s*\"([^\"\n]{0,500})\"")


def _names(key: str) -> tuple[str, ...]:
    return frameworks_data.names("aspnet", key)


@frameworks_data.derived
def _call_pattern() -> re.Pattern[str]:
    """`Html.Partial("x"` / `Component.InvokeAsync("x"` … (group 1: the call, 2: the name)."""
    calls = sorted({*_names("partial-calls"), *_names("component-calls")}, key=len, reverse=True)
    alternatives = "|".join(re.escape(call) for call in calls)
    return re.compile(r"(?<![\w.])(" + alternatives + r")\s*\(\s*(?:\w+\s*:\s*)?@?\"([^\"\n]{1,300})\"")


def is_razor(rel: str) -> bool:
    return rel.lower().endswith(RAZOR_ENDINGS)


def is_webforms(rel: str) -> bool:
    return rel.lower().endswith(WEBFORMS_ENDINGS)


# ---------------------------------------------------------------- where views live


def views_root(rel: str) -> tuple[str, str] | None:
    """(the app's root, the views root) of a view: ('web/', 'web/Views') for
    web/Views/Records/Index.cshtml, ('', 'Areas/Portal/Pages') for an area's page; None outside
    the conventions."""
    parts = rel.split("/")
    roots, areas = set(_names("view-roots")), set(_names("area-root"))
    for index, part in enumerate(parts[:-1]):
        if part in areas and index + 2 < len(parts) - 1 and parts[index + 2] in roots:
            return "/".join(parts[:index]) + ("/" if index else ""), "/".join(parts[: index + 3])
        if part in roots:
            return "/".join(parts[:index]) + ("/" if index else ""), "/".join(parts[: index + 1])
    return None


def _ancestors(directory: str, stop: str) -> Iterator[str]:
    """`directory` and each folder above it, down to `stop` included."""
    directory = directory.strip("/")
    for _ in range(MAX_DEPTH):
        yield directory
        if directory == stop or not directory or not directory.startswith(stop):
            return
        directory = posixpath.dirname(directory)


def view_candidates(rel: str, name: str) -> list[str]:
    """The files a view name (a layout, a partial) may mean, seen from the view at `rel`, in the
    order the view engine tries them."""
    name = name.strip()
    if not name or len(name) > MAX_NAME or "@" in name or "{" in name:
        return []
    found = views_root(rel)
    app = found[0] if found else ""
    directory = posixpath.dirname(rel)
    if name.startswith(("~/", "/")):
        path = name.lstrip("~/")
        return [app + path] if app else [anc + "/" + path if anc else path for anc in _ancestors(directory, "")]
    if "/" in name or name.lower().endswith(".cshtml"):
        return [posixpath.normpath(posixpath.join(directory, name))]
    file = name + ".cshtml"
    candidates = []
    stop = found[1] if found else directory
    for folder in _ancestors(directory, stop):
        candidates += [folder + "/" + file if folder else file, (folder + "/" if folder else "") + "Shared/" + file]
    candidates += [app + shared + "/" + file for shared in _names("shared-view-dirs")]
    return list(dict.fromkeys(candidates))


def resolve_view(repo: RepoIndex, rel: str, name: str) -> str | None:
    found = repo.first(view_candidates(rel, name))
    if found or "/" in name or "." in name or not name.strip():
        return found
    shared = repo.by_suffix("Shared/" + name.strip() + ".cshtml")
    return shared[0] if len(shared) == 1 else None


def component_name(tag: str) -> str:
    """`google-analytics` (a `<vc:…>` tag) → GoogleAnalytics."""
    return "".join(part[:1].upper() + part[1:] for part in tag.split("-") if part)


def resolve_component(repo: RepoIndex, rel: str, name: str) -> str | None:
    """A view component's default view: Components/<Name>/Default.cshtml in the folders a view
    name is looked up in."""
    name = name.strip()
    if name.endswith("ViewComponent"):
        name = name[: -len("ViewComponent")]
    if not re.fullmatch(r"[\w.]{1,200}", name):
        return None
    for default in _names("component-default-view"):
        candidates = [posixpath.join(posixpath.dirname(c), "Components", name, default + ".cshtml")
                      for c in view_candidates(rel, "x")]
        found = repo.first(candidates)
        if found:
            return found
        matches = repo.by_suffix(f"Components/{name}/{default}.cshtml")
        if len(matches) == 1:
            return matches[0]
    return None


# ---------------------------------------------------------------- Razor edges


def _blank(text: str, syntaxes: tuple[str, ...]) -> str:
    return blank_comments(text, ("html", *syntaxes), literal=True)


def own_layout(text: str) -> re.Match[str] | None:
    """A view's own `Layout = …` assignment (`Layout = null` included: it says "none")."""
    return LAYOUT_ASSIGNMENT.search(text)


def razor_edges(rel: str, text: str, repo: RepoIndex) -> list[Edge]:
    blanked = _blank(text, ("razor",))
    lines = Lines(blanked)
    edges: list[Edge] = []

    def add(target: str | None, kind: str, offset: int, name: str) -> None:
        at = lines.line(offset)
        if target is None:
            repo.note_missing(rel, name, at)
        elif target != rel:
            edges.append(Edge(rel, target, kind, at, name))

    if posixpath.basename(rel) not in _names("view-start"):  # its layout is the folder's default (project_edges)
        layout = own_layout(blanked)
        if layout is not None and layout.group(2):
            add(resolve_view(repo, rel, layout.group(2)), "layout", layout.start(), layout.group(2))
    components = frameworks_data.name_set("aspnet", "component-calls")
    for match in _call_pattern().finditer(blanked):
        call, name = match.group(1), match.group(2)
        if call in components:
            add(resolve_component(repo, rel, name), "component", match.start(), name)
        else:
            add(resolve_view(repo, rel, name), "include", match.start(), name)
    for match in PARTIAL_TAG.finditer(blanked):
        add(resolve_view(repo, rel, match.group(1)), "include", match.start(), match.group(1))
    for match in COMPONENT_TAG.finditer(blanked):
        name = component_name(match.group(1))
        add(resolve_component(repo, rel, name), "component", match.start(), "vc:" + match.group(1))
    return edges


# ---------------------------------------------------------------- _ViewStart


def _is_wrapped_page(rel: str) -> bool:
    """Whether a Razor file is a view _ViewStart wraps (not a partial, a layout by name, a view
    component, an _ViewImports)."""
    base = posixpath.basename(rel)
    return is_razor(rel) and not base.startswith("_") and "/Components/" not in "/" + rel


def _hints(repo: RepoIndex, rel: str) -> tuple[str, ...]:
    hints = getattr(repo, "hints", None)
    if hints is not None:
        return hints.get(rel, ())
    text = repo.read(rel) or ""
    return razor_hints(rel, text)


def razor_hints(rel: str, text: str) -> tuple[str, ...]:
    """What the _ViewStart pass needs to know of a view without reading it again."""
    if not is_razor(rel):
        return ()
    blanked = _blank(text, ("razor",))
    hints = []
    if own_layout(blanked) is not None:
        hints.append(OWN_LAYOUT_HINT)
    if any(marker in blanked for marker in _names("layout-markers")):
        hints.append(LAYOUT_FILE_HINT)
    return tuple(hints)


def view_start_layouts(repo: RepoIndex) -> dict[str, tuple[str | None, str, int]]:
    """folder → (the layout name its _ViewStart sets, None for `Layout = null`; the
    _ViewStart's path; line)."""
    starts = set(_names("view-start"))
    out: dict[str, tuple[str | None, str, int]] = {}
    for rel in repo.of_kind("markup"):
        if posixpath.basename(rel) not in starts:
            continue
        text = _blank(repo.read(rel) or "", ("razor",))
        found = own_layout(text)
        if found is not None:
            out[posixpath.dirname(rel)] = (found.group(2), rel, Lines(text).line(found.start()))
    return out


def view_start_edges(repo: RepoIndex) -> list[Edge]:
    """Each view's layout from the nearest _ViewStart above it, when it sets none itself."""
    defaults = view_start_layouts(repo)
    if not defaults:
        return []
    edges = []
    for rel in repo.of_kind("markup"):
        if not _is_wrapped_page(rel):
            continue
        folder = posixpath.dirname(rel)
        default = next((defaults[anc] for anc in _ancestors(folder, "") if anc in defaults), None)
        if default is None or default[0] is None:
            continue
        hints = _hints(repo, rel)
        if OWN_LAYOUT_HINT in hints or LAYOUT_FILE_HINT in hints:
            continue
        target = resolve_view(repo, rel, default[0])
        if target is not None and target != rel:
            edges.append(Edge(rel, target, "layout", 0, f"{default[0]} ({default[1]})"))
    return edges


# ---------------------------------------------------------------- Web Forms


def tilde_candidates(rel: str, path: str) -> list[str]:
    """`~/Controls/x.ascx` from a page: the path under each folder from the page's up to the
    repository's root; a relative path: next to the page."""
    directory = posixpath.dirname(rel)
    if path.startswith(("~/", "/")):
        tail = path.lstrip("~/")
        return [posixpath.join(anc, tail) if anc else tail for anc in _ancestors(directory, "")]
    return [posixpath.normpath(posixpath.join(directory, path))]


def webforms_edges(rel: str, text: str, repo: RepoIndex) -> list[Edge]:
    blanked = _blank(text, ("jsp",))
    lines = Lines(blanked)
    edges: list[Edge] = []
    controls: dict[str, tuple[str, str]] = {}  # "uc:analytics" → (Src, its target or "")
    for match in DIRECTIVE.finditer(blanked):
        directive = match.group(1).lower()
        attributes = {key.lower(): value for key, value in ATTRIBUTE.findall(match.group(2) or "")}
        at = lines.line(match.start())
        if directive in ("page", "master", "control") and attributes.get("masterpagefile"):
            name = attributes["masterpagefile"]
            target = repo.first(tilde_candidates(rel, name))
            if target is None:
                repo.note_missing(rel, name, at)
            elif target != rel:
                edges.append(Edge(rel, target, "layout", at, name))
        elif directive == "register" and attributes.get("src") and attributes.get("tagprefix") and attributes.get("tagname"):
            tag = (attributes["tagprefix"] + ":" + attributes["tagname"]).lower()
            controls[tag] = (attributes["src"], repo.first(tilde_candidates(rel, attributes["src"])) or "")
    if controls:
        used = re.compile(r"<(" + "|".join(re.escape(tag) for tag in controls) + r")\b", re.IGNORECASE)
        seen: set[str] = set()
        for match in used.finditer(blanked):
            tag = match.group(1).lower()
            if tag in seen:
                continue
            seen.add(tag)
            src, target = controls[tag]
            if not target:
                repo.note_missing(rel, src, lines.line(match.start()))
            elif target != rel:
                edges.append(Edge(rel, target, "include", lines.line(match.start()), src))
    return edges


def source_edges(source: Source, repo: RepoIndex) -> list[Edge]:
    if repo.kind(source.rel) != "markup" or not source.text:
        return []
    if is_razor(source.rel):
        return razor_edges(source.rel, source.text, repo)
    if is_webforms(source.rel):
        return webforms_edges(source.rel, source.text, repo)
    return []
