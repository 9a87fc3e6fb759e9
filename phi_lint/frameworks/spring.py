"""Spring MVC / Spring Boot: controllers, the views they render, the URLs they answer, and the
Spring Security rules in force for each (phi_lint.frameworks.spring_security).

- A `@Controller` class (not `@RestController`) answers requests with its methods that carry a
  request mapping (`@GetMapping("/records")`, `@RequestMapping(value = …)`, under the class's own
  `@RequestMapping` prefix). What such a method renders: `return "portal/dashboard"` (and
  `new ModelAndView("…")`, `setViewName("…")`, `viewName = "…"`, Kotlin `= "…"`), looked up in
  src/main/resources/templates/… (Thymeleaf, FreeMarker, Mustache, …) or WEB-INF/views|jsp/….jsp.
- Per file (`file_routes`): each (URL, view) is a route, with the guard its method's or class's
  security annotation says (`@PreAuthorize`, `@Secured`, `@RolesAllowed`; `@PermitAll` lets
  anyone in); its URL also says whether the page is about health.
- Per project (`routes`): a `SecurityFilterChain` bean's URL rules (`requestMatchers("/records/**")
  .authenticated()`, …, first match wins) guard the views of every controller URL they cover,
  in the controller's own build module (the folder above src/main/); the page of the URL a chain
  names as `loginPage("/login")` is the sign-in page, open to anyone.

Java and Kotlin are read from their tree-sitter trees (phi_lint.lang.java). Names are knowledge in
rules/frameworks/spring.toml.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from phi_lint import frameworks_data
from phi_lint.frameworks import Framework, register
from phi_lint.frameworks.reads import Reads
from phi_lint.frameworks.routes import Guard, Route
from phi_lint.frameworks.spring_security import (
    SIGNED_IN,
    Access,
    LoginPage,
    Rule,
    annotation_access,
    ant_match,
    filter_rules,
    first_rule,
    login_pages,
    may_hold_rules,
    short,
)
from phi_lint.frameworks.spring_security_xml import xml_security
from phi_lint.lang import java
from phi_lint.lang.java import Annotation, ClassDecl, Method
from phi_lint.lang.treesitter import parse
from phi_lint.models import Notification

CONTROLLER_HINT = "spring-controller"
RULES_HINT = "spring-security-rules"
MAX_PROJECT_FILES = 5000  # controller and security files read again by the project pass


def _names(key: str) -> tuple[str, ...]:
    return frameworks_data.names("spring", key)


def _has(annotations: Iterable[Annotation], key: str) -> bool:
    wanted = frameworks_data.name_set("spring", key)
    return any(annotation.name in wanted for annotation in annotations)


def may_hold_controllers(text: str) -> bool:
    return any("@" + name in text for name in _names("controller-annotations"))


# ---------------------------------------------------------------- URLs


def _mapping(annotations: Iterable[Annotation]) -> Annotation | None:
    wanted = frameworks_data.name_set("spring", "mapping-annotations")
    return next((annotation for annotation in annotations if annotation.name in wanted), None)


def mapping_paths(annotation: Annotation | None) -> list[str | None]:
    """The paths a mapping annotation names ([""] when it names none; [None] when they are not
    literals, so the URL is unknown)."""
    if annotation is None:
        return [""]
    keys = [key for key in _names("mapping-url-arguments") if key in annotation.arguments]
    if not keys:
        return [""]
    values = [value for key in keys for value in annotation.arguments[key]]
    return list(dict.fromkeys(values)) if values else [None]


def join_url(prefix: str | None, path: str | None) -> str | None:
    """The URL of a method's path under its class's prefix, as Spring combines them."""
    if prefix is None or path is None:
        return None
    prefix = prefix.strip()
    path = path.strip()
    if prefix and not prefix.startswith("/"):
        prefix = "/" + prefix
    if path and not path.startswith("/") and prefix and not prefix.endswith("/"):
        path = "/" + path
    url = prefix + path
    if not url.startswith("/"):
        url = "/" + url
    return url


# ---------------------------------------------------------------- views


def _view_names(method: Method) -> list[str]:
    """The view names a method's body names, in source order."""
    body = java.method_body(method)
    found = [value for value, _line in java.returned_strings(method)]
    view_calls = frameworks_data.name_set("spring", "view-calls")
    for call in java.calls(body, method.language):
        if call.name in view_calls and call.strings:
            found.append(call.strings[0])
    properties = frameworks_data.name_set("spring", "view-properties")
    found.extend(value for name, value, _line in java.assigned_strings(body, method.language) if name in properties)
    return found


def module_of(rel: str) -> str:
    """The build module a source file belongs to: the folder above its src/main/ ("" for the
    repository's root, and for a file outside the standard layout)."""
    at = rel.find("src/main/")
    return rel[:at] if at >= 0 and (at == 0 or rel[at - 1] == "/") else ""


def resolve_view(repo, rel: str, view: str) -> str | None:
    """The template file a view name means, for a controller at `rel`, or None."""
    view = view.strip().lstrip("/")
    if not view or view.startswith(_names("non-view-prefixes")) or "{" in view or "$" in view:
        return None
    module = module_of(rel)
    has_ending = bool(posixpath.splitext(posixpath.basename(view))[1])
    endings = [""] if has_ending else list(_names("template-endings"))
    candidates = [module + base + "/" + view + ending for base in _names("template-dirs") for ending in endings]
    found = repo.first(candidates)
    if found:
        return found
    for tail in _names("template-dir-endings"):
        for ending in endings:
            matches = repo.by_suffix(tail + view + ending)
            if len(matches) == 1:
                return matches[0]
    return None


# ---------------------------------------------------------------- controllers


@dataclass(frozen=True)
class Endpoint:
    """A controller method that renders views: its URLs (None: not a literal), the views found,
    the access its annotations say (None: none), and the line of its mapping."""

    owner: str  # Class.method
    urls: tuple[str | None, ...]
    views: tuple[str, ...]
    access: Access | None
    line: int


def _is_view_controller(cls: ClassDecl) -> bool:
    return _has(cls.annotations, "controller-annotations") and not _has(cls.annotations, "rest-controller-annotations")


def endpoints(rel: str, tree, language: str, repo) -> Iterator[Endpoint]:
    """The view-rendering endpoints of a file's controllers."""
    views_of: dict[str, str | None] = {}

    def view(name: str) -> str | None:
        if name not in views_of:
            views_of[name] = resolve_view(repo, rel, name)
        return views_of[name]

    for cls in java.classes(tree, language):
        if not _is_view_controller(cls):
            continue
        prefixes = mapping_paths(_mapping(cls.annotations))
        class_access = annotation_access(cls.annotations)
        for method in cls.methods:
            mapping = _mapping(method.annotations)
            if mapping is None:
                continue
            views = [found for found in (view(name) for name in _view_names(method)) if found]
            if not views:
                continue
            urls = [join_url(prefix, path) for prefix in prefixes for path in mapping_paths(mapping)]
            access = annotation_access(method.annotations) or class_access
            yield Endpoint(f"{cls.name}.{method.name}", tuple(dict.fromkeys(urls)), tuple(dict.fromkeys(views)), access, mapping.line)


def _annotation_routes(rel: str, endpoint: Endpoint) -> Iterator[Route]:
    guard = anonymous = None
    if endpoint.access is not None:
        annotation = endpoint.access.annotation
        said = Guard(f"{short(annotation.text)} on `{endpoint.owner}`", rel, annotation.line)
        guard, anonymous = (said, None) if endpoint.access.kind == SIGNED_IN else (None, said)
    for view in endpoint.views:
        for url in endpoint.urls:
            # the URL says whether the page is about health; whether `/portal/…` is behind login
            # is the filter chain's to say (a permitAll there is not seen from this file)
            yield Route("spring", view, rel, endpoint.line, url, (guard,) if guard else (), anonymous,
                        url_signals=False)


@dataclass
class Security:
    """What a build module's filter chains say: URL rules in the order written, sign-in pages."""

    rules: list[Rule] = field(default_factory=list)
    login: list[LoginPage] = field(default_factory=list)


def _origin(rel: str) -> str:
    """Where a rule is written, as its evidence names it."""
    return "Spring Security XML" if rel.lower().endswith(".xml") else "SecurityFilterChain"


def _rule_routes(rel: str, endpoint: Endpoint, security: Security) -> Iterator[Route]:
    """The routes a filter chain guards, or names as the sign-in page (which anyone may reach).
    Their URL's health is said by the file's own route: these carry none, so it is said once."""
    for url in endpoint.urls:
        if url is None:
            continue  # which rule covers it cannot be known
        login = next((page for page in security.login if ant_match(page.url, url)), None)
        if login is not None:
            sign_in = Guard(f"{login.text} ({_origin(login.path)}): the sign-in page, `{endpoint.owner}`", login.path, login.line)
            for view in endpoint.views:
                yield Route("spring", view, rel, endpoint.line, None, sign_in=sign_in)
            continue
        rule = first_rule(security.rules, url)
        if rule is None or rule.kind != SIGNED_IN:
            continue
        guard = Guard(f"{rule.text} ({_origin(rule.path)}) covers `{url}` of `{endpoint.owner}`", rule.path, rule.line)
        for view in endpoint.views:
            yield Route("spring", view, rel, endpoint.line, None, (guard,))


# ---------------------------------------------------------------- the framework


def _project_files(repo, hint: str, wanted) -> list[tuple[str, str]]:
    """(rel, text) of the Java/Kotlin files pass 1 noted with `hint` (every such file that
    `wanted(text)` accepts when pass 1 noted nothing)."""
    hints = getattr(repo, "hints", None)
    out = []
    for rel in repo.of_kind("code"):
        if java.language_of(rel) is None:
            continue
        if hints is not None and hint not in hints.get(rel, ()):
            continue
        text = repo.read(rel)
        if text and (hints is not None or wanted(text)):
            out.append((rel, text))
    if len(out) > MAX_PROJECT_FILES:
        repo.note(".", f"Spring: read the first {MAX_PROJECT_FILES} of {len(out)} files for SecurityFilterChain "
                       "rules and controllers; the others are unknown", level="warning")
    return out[:MAX_PROJECT_FILES]


def security_in_force(by_module: dict[str, Security], module: str) -> Security | None:
    """The filter chains for a controller of `module`: its own module's; when it has none and
    one module alone has them (a shared security module), that module's; else none (a
    repository of many apps: one app's rules say nothing of another's URLs)."""
    if module in by_module:
        return by_module[module]
    if len(by_module) == 1:
        return next(iter(by_module.values()))
    return None


@register
class Spring(Framework):
    id = "spring"
    name = "Spring MVC / Spring Boot"
    reads = {hook: (Reads(endings=java.SOURCE_ENDINGS),) for hook in ("file_routes", "file_hints")}

    def file_hints(self, rel: str, text: str) -> tuple[str, ...]:
        if java.language_of(rel) is None:
            return ()
        hints = []
        if may_hold_controllers(text):
            hints.append(CONTROLLER_HINT)
        if may_hold_rules(text):
            hints.append(RULES_HINT)
        return tuple(hints)

    def file_routes(self, source, repo) -> Iterable[Route]:
        language = java.language_of(source.rel)
        if language is None or not may_hold_controllers(source.text):
            return []
        found = endpoints(source.rel, source.tree(language), language, repo)
        return [route for endpoint in found for route in _annotation_routes(source.rel, endpoint)]

    def routes(self, repo, graph) -> Iterable[Route]:
        by_module = security_by_module(repo)
        if not by_module:
            return []
        out: list[Route] = []
        for rel, text in _project_files(repo, CONTROLLER_HINT, may_hold_controllers):
            language = java.language_of(rel)
            in_force = security_in_force(by_module, module_of(rel))
            if language is not None and in_force is not None:
                for endpoint in endpoints(rel, parse(text, language), language, repo):
                    out.extend(_rule_routes(rel, endpoint, in_force))
        return out

    def handler_routes(self, repo, handlers) -> Iterable[Route]:
        wanted = [(rel, name) for rel, name in handlers if java.language_of(rel) is not None]
        if not wanted:
            return []
        by_module = security_by_module(repo)
        return handler_rule_routes(repo, wanted, by_module) if by_module else []


def security_by_module(repo) -> dict[str, Security]:
    """Every build module's filter chain rules and sign-in pages (SecurityFilterChain beans and
    Spring Security XML), read once per run."""
    return repo.memo((__name__, "security"), lambda: _security_by_module(repo))


def _security_by_module(repo) -> dict[str, Security]:
    by_module: dict[str, Security] = {}
    for rel, text in _project_files(repo, RULES_HINT, may_hold_rules):
        language = java.language_of(rel)
        if language is None:
            continue
        tree = parse(text, language)
        rules, login = filter_rules(tree, language, rel), login_pages(tree, language, rel)
        if rules or login:
            security = by_module.setdefault(module_of(rel), Security())
            security.rules.extend(rules)
            security.login.extend(login)
    for rel in repo.of_kind("server-config"):
        xml = repo.read(rel) if rel.lower().endswith(".xml") else None
        rules, login = xml_security(rel, xml) if xml else ([], [])
        if rules or login:
            security = by_module.setdefault(module_of(rel), Security())
            security.rules.extend(rules)
            security.login.extend(login)
    return by_module


def handler_rule_routes(repo, handlers: list[tuple[str, str]], by_module: dict[str, Security]) -> list[Route]:
    """For each (file, method) of `handlers` that is a request-mapped method of a controller
    (`@Controller` or `@RestController`): its URL, and the guard when the filter chain rule that
    decides each of its URLs (the first whose pattern matches, as for pages) requires a signed-in
    user. A method with a URL that is not a literal, or that a rule lets everyone reach, has none."""
    wanted: dict[str, set[str]] = {}
    for rel, name in handlers:
        wanted.setdefault(rel, set()).add(name)
    out: list[Route] = []
    for rel in sorted(wanted):
        language = java.language_of(rel)
        in_force = security_in_force(by_module, module_of(rel))
        text = repo.read(rel) if language is not None and in_force is not None else None
        if not text or language is None or in_force is None:
            continue
        for owner, method, urls, line in _mapped_methods(parse(text, language), language):
            if method in wanted[rel]:
                guard = _filter_chain_guard(in_force, urls, f"{owner}.{method}")
                if guard is None and (None in urls or not urls):
                    repo.notices.append(_unknown_url_notice(rel, line, f"{owner}.{method}"))
                url = next((u for u in urls if u is not None), None)
                out.append(Route("spring", "", rel, line, url, (guard,) if guard else (), handler=(rel, method)))
    return out


def _unknown_url_notice(rel: str, line: int, owner: str) -> Notification:
    """Said, not dropped: a sender's handler whose mapped URL is not a literal
    (`@PostMapping(Paths.INTAKE)`) is judged without the filter chain's URL rules."""
    return Notification(rel, f"line {line}: `{owner}` sends to a tracker server-side, but its mapped URL is not "
                             "a literal, so the SecurityFilterChain / <intercept-url> rules were not applied to it: "
                             "whether a login guards it is unknown (it is reported as if none did)", level="warning",
                        code="unread")


def _mapped_methods(tree, language: str) -> Iterator[tuple[str, str, tuple[str | None, ...], int]]:
    """(class, method, URLs, line of the mapping) of every request-mapped controller method."""
    for cls in java.classes(tree, language):
        if not (_has(cls.annotations, "controller-annotations") or _has(cls.annotations, "rest-controller-annotations")):
            continue
        prefixes = mapping_paths(_mapping(cls.annotations))
        for method in cls.methods:
            mapping = _mapping(method.annotations)
            if mapping is not None:
                urls = [join_url(prefix, path) for prefix in prefixes for path in mapping_paths(mapping)]
                yield cls.name, method.name, tuple(dict.fromkeys(urls)), mapping.line


def _filter_chain_guard(security: Security, urls: tuple[str | None, ...], owner: str) -> Guard | None:
    """The guard of the rule that decides the first URL, when the rules that decide every URL
    of the method all require a signed-in user (else one URL is open: none)."""
    rules = [first_rule(security.rules, url) if url is not None else None for url in urls]
    if not rules or any(rule is None or rule.kind != SIGNED_IN for rule in rules):
        return None
    rule, url = rules[0], urls[0]
    assert rule is not None
    return Guard(f"{rule.text} ({_origin(rule.path)}) covers `{url}` of `{owner}`", rule.path, rule.line)

