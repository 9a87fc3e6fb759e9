"""Grails: controllers secured with the Spring Security plugin's annotations, and the GSP views
their actions render.

- A controller is a `…Controller` class under grails-app/controllers/; each of its actions
  (`def index() { … }`, a closure action `def show = { … }`) renders `render(view: 'x')` /
  `render view: '/shared/x'`, and its default view grails-app/views/<controller>/<action>.gsp.
- `@Secured(['ROLE_X'])` on the action, or else on the class, puts those views behind login;
  `@Secured('permitAll')` / IS_AUTHENTICATED_ANONYMOUSLY let anyone in (what each annotation says is
  Spring Security's: phi_lint.frameworks.spring_security).

Groovy has no grammar wheel: the file is read with the small Groovy reader of phi_lint.lang.groovy.
Folder and class-name conventions are knowledge in rules/frameworks/grails.toml.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from phi_lint import frameworks_data
from phi_lint.frameworks import Framework, register
from phi_lint.frameworks.reads import Reads
from phi_lint.frameworks.routes import Guard, Route
from phi_lint.frameworks.spring_security import SIGNED_IN, annotation_access, has_security_annotation, short
from phi_lint.lang.groovy import GroovyFile, GroovyMethod
from phi_lint.lazyre import lazy_pattern

# Grails `render(view: 'x')`, `render view: 'x'`, `render(template: 't', view: 'x')`: the
# arguments before `view:` run to the first comma (before the call's `)` or the line's end) that
# `view: '…'` follows; without such a comma `view:` comes first. Each piece is read once (see
# render_views); the opening's white space is read once (possessive: `(?=(\s*))\1`).
_RENDER_OPENING = lazy_pattern(r"\brender(?=(\s*))\1(?:\((?=(\s*))\2)?")
_VIEW_ARGUMENT = lazy_pattern(r"view\s*:\s*[\"']([^\"'\n]+)[\"']")
_COMMA_BEFORE_VIEW = lazy_pattern(r",(?=\s*view\s*:\s*[\"']([^\"'\n]+)[\"'])")
_CALL_OR_LINE_END = lazy_pattern(r"[)\n]")


def render_views(masked: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of the view name of each `render … view: '…'` between start and end.

    The same as finditer of `\\brender\\s*\\(?\\s*(?:[^)\\n]*?,\\s*)?view\\s*:\\s*["']([^"'\\n]+)["']`
    (lazy arguments: the first good comma wins over `view:` right after the opening), without its
    backtracking: a `render` followed by 4,000 spaces took cubic time, and every `render` on a
    long line read the rest of the line again. Here the commas that a `view: '…'` follows and the
    `)` / line ends are listed once, and each `render` looks its comma up.
    """
    commas = [(m.start(), m.start(1), m.end(1)) for m in _COMMA_BEFORE_VIEW.finditer(masked, start, end)]
    comma_offsets = [comma[0] for comma in commas]
    stops = [m.start() for m in _CALL_OR_LINE_END.finditer(masked, start, end)]
    found: list[tuple[int, int]] = []
    resume = start  # finditer goes on after the last match
    for opening in _RENDER_OPENING.finditer(masked, start, end):
        if opening.start() < resume:
            continue
        args = opening.end()
        at = bisect.bisect_left(comma_offsets, args)
        stop_at = bisect.bisect_left(stops, args)
        stop = stops[stop_at] if stop_at < len(stops) else end
        if at < len(commas) and commas[at][0] < stop:
            span = commas[at][1:]
        else:
            direct = _VIEW_ARGUMENT.match(masked, args, end)
            if direct is None:
                continue
            span = direct.span(1)
        found.append(span)
        resume = span[1] + 1
    return found



def _names(key: str) -> tuple[str, ...]:
    return frameworks_data.names("grails", key)


def controller_views(rel: str, class_name: str) -> tuple[str, str] | None:
    """(views folder, logical name) of a controller class in a controllers folder, or None."""
    for marker in _names("controller-dirs"):
        at = rel.find(marker)
        if at < 0 or (at > 0 and rel[at - 1] != "/"):
            continue
        for suffix in _names("controller-suffixes"):
            if not class_name.endswith(suffix) or class_name == suffix:
                continue
            logical = class_name[: -len(suffix)]
            if not (len(logical) > 1 and logical[1].isupper()):
                logical = logical[0].lower() + logical[1:]
            return rel[:at] + _names("view-dirs")[0], logical
    return None


def _views(file: GroovyFile, method: GroovyMethod, views_root: str, logical: str, repo) -> list[str]:
    """The GSP views an action renders that exist: its `render view:` targets, then its default."""
    ending = _names("view-endings")[0]
    views = []
    for value_start, value_end in render_views(file.masked, method.body_start, method.body_end):
        value = file.text[value_start:value_end]
        path = value.lstrip("/") if value.startswith("/") else f"{logical}/{value}"
        target = f"{views_root}/{path}" + ("" if value.endswith(ending) else ending)
        if repo.exists(target):
            views.append(target)
    default = f"{views_root}/{logical}/{method.name}{ending}"
    if repo.exists(default):
        views.append(default)
    return list(dict.fromkeys(views))


def controller_routes(rel: str, text: str, repo) -> list[Route]:
    """The routes of a controller file's secured actions (URLs are the app's UrlMappings': none)."""
    file = GroovyFile(text)
    routes = []
    for cls in file.classes(lambda name: controller_views(rel, name) is not None):
        located = controller_views(rel, cls.name)
        if located is None:
            continue
        class_access = annotation_access(cls.annotations)
        for method in cls.methods:
            access = annotation_access(method.annotations) or class_access
            if access is None:
                continue
            said = Guard(f"{short(access.annotation.text)} on `{cls.name}.{method.name}`", rel, access.annotation.line)
            guards, anonymous = ((said,), None) if access.kind == SIGNED_IN else ((), said)
            for view in _views(file, method, *located, repo):
                routes.append(Route("grails", view, rel, said.line, None, guards, anonymous))
    return routes


@register
class Grails(Framework):
    id = "grails"
    name = "Grails"
    reads = {"file_routes": (Reads(endings=(".groovy",)),)}

    def file_routes(self, source, repo) -> Iterable[Route]:
        if not source.rel.lower().endswith(".groovy") or not has_security_annotation(source.text):
            return []
        if not any(marker in source.rel for marker in _names("controller-dirs")):
            return []
        return controller_routes(source.rel, source.text, repo)
