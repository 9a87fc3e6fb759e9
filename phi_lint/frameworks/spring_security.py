"""Spring Security as the Spring and Grails framework modules read it: what a security
annotation on a controller or action says, what a `SecurityFilterChain` bean's URL rules say, and
whether a URL falls under a rule's pattern.

- Annotations: `@Secured(…)` (not permitAll / IS_AUTHENTICATED_ANONYMOUSLY / isAnonymous()),
  `@PreAuthorize` with isAuthenticated() / hasRole… (not permitAll()), `@RolesAllowed` need a
  signed-in user; `@PermitAll` lets anyone in. The first security annotation of a declaration
  decides; a method's overrides its class's.
- Filter chain rules: `http.authorizeHttpRequests(auth -> auth.requestMatchers("/records/**")
  .authenticated().anyRequest().permitAll())`, the older `authorizeRequests().antMatchers(…)…`,
  and the Kotlin DSL `authorizeHttpRequests { authorize("/records/**", authenticated) }`. Rules
  are kept in the order written; the first whose pattern matches a URL decides it.
- Patterns as Spring's AntPathMatcher / PathPattern read them, the subset used in security
  rules: `**` (any number of segments), `*` and `?` within a segment, `{name}` / `{name:regex}`
  (one segment), `{*name}` (the rest).

Every name (annotations, DSL methods) is knowledge in rules/frameworks/spring.toml.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from phi_lint import frameworks_data
from phi_lint.lang import java
from phi_lint.lang.java import Annotation, Call

SIGNED_IN = "signed-in"
OPEN = "open"
CLOSED = "closed"


def _names(key: str) -> frozenset[str]:
    return frameworks_data.name_set("spring", key)


def short(code: str) -> str:
    """Code as evidence: one line, at most 70 characters."""
    flat = " ".join(code.split())
    return flat if len(flat) <= 70 else flat[:67] + "…"


# ---------------------------------------------------------------- annotations


@dataclass(frozen=True)
class Access:
    """What a declaration's security annotations say: `kind` SIGNED_IN or OPEN, and the
    annotation that says it (its text is the evidence, at its line)."""

    kind: str
    annotation: Annotation


@frameworks_data.derived
def _signed_in_expression() -> re.Pattern:
    return frameworks_data.pattern("spring", "signed-in-expression-patterns")


@frameworks_data.derived
def _open_expression() -> re.Pattern:
    """A call of an open function: permitAll(), isAnonymous()."""
    names = "|".join(re.escape(name) for name in sorted(frameworks_data.names("spring", "open-expression-functions")))
    return re.compile(rf"\b(?:{names})\s*\(\)")


def expression_access(expression: str) -> str | None:
    """SIGNED_IN, OPEN or None (says nothing) for a Spring Security expression
    (`@PreAuthorize("…")`, `.access("…")`). An open function lets anyone in only in an
    expression without negation (`!isAnonymous()` is a guard)."""
    if _open_expression().search(expression) and "!" not in expression:
        return OPEN
    if _signed_in_expression().search(expression):
        return SIGNED_IN
    return None


def _one(annotation: Annotation) -> str | None:
    name = annotation.name
    if name in _names("permit-annotations"):
        return OPEN
    if name in _names("secured-annotations"):
        values = {value.strip().lower() for value in annotation.strings}
        if values & _names("anonymous-expressions"):
            return OPEN
        if annotation.strings or "closure" in annotation.text:
            return SIGNED_IN
    if name in _names("expression-annotations"):
        return expression_access(" ".join(annotation.strings))
    if name in _names("role-annotations"):
        return SIGNED_IN
    return None


def annotation_access(annotations: Iterable[Annotation]) -> Access | None:
    """What the first security annotation of a declaration says, or None when it has none."""
    for annotation in annotations:
        kind = _one(annotation)
        if kind is not None:
            return Access(kind, annotation)
    return None


def has_security_annotation(text: str) -> bool:
    """Whether a file may hold a security annotation (a cheap test before any parse)."""
    keys = ("secured-annotations", "expression-annotations", "role-annotations", "permit-annotations")
    return any("@" + name in text for key in keys for name in frameworks_data.names("spring", key))


# ---------------------------------------------------------------- URL patterns

_VARIABLE = "\x00"  # a URL's {id} segment: matched by a wildcard, never by a literal


@lru_cache(maxsize=2048)
def _segment_regex(segment: str) -> re.Pattern:
    parts = []
    at = 0
    for found in re.finditer(r"\{[^{}/]*\}|\*|\?", segment):
        parts.append(re.escape(segment[at : found.start()]))
        token = found.group()
        parts.append("[^/]*" if token == "*" else "[^/]" if token == "?" else "[^/]+")
        at = found.end()
    parts.append(re.escape(segment[at:]))
    return re.compile("".join(parts), re.DOTALL)


def _segments(path: str) -> list[str]:
    return [part for part in path.strip().split("/") if part]


def url_segments(url: str) -> list[str]:
    """A controller URL's segments, each `{variable}` one opaque value."""
    return [re.sub(r"\{[^{}]*\}", _VARIABLE, part) for part in _segments(url)]


def ant_match(pattern: str, url: str) -> bool:
    """Whether `url` (a controller's mapping; its `{id}` stands for any one value) falls under
    `pattern` (AntPathMatcher / PathPattern). A trailing slash is no difference."""
    wanted = ["**" if part.startswith("{*") else part for part in _segments(pattern)]
    given = url_segments(url)
    # reachable[j]: the pattern's first i segments can match the URL's first j segments
    reachable = [True] + [False] * len(given)
    for part in wanted:
        if part == "**":
            seen = False
            for j in range(len(given) + 1):
                seen = seen or reachable[j]
                reachable[j] = seen
            continue
        regex = _segment_regex(part)
        reachable = [False] + [reachable[j - 1] and regex.fullmatch(given[j - 1]) is not None for j in range(1, len(given) + 1)]
    return reachable[len(given)]


# ---------------------------------------------------------------- filter chain rules


@dataclass(frozen=True)
class Rule:
    """One URL rule of a filter chain: `patterns` (None: any request), what it requires, where."""

    patterns: tuple[str, ...] | None
    kind: str  # SIGNED_IN, OPEN or CLOSED
    text: str
    path: str
    line: int

    def matches(self, url: str) -> bool:
        return self.patterns is None or any(ant_match(pattern, url) for pattern in self.patterns)


def first_rule(rules: Iterable[Rule], url: str) -> Rule | None:
    """The rule that decides `url`: the first one written whose pattern matches it."""
    return next((rule for rule in rules if rule.matches(url)), None)


def _decision(name: str, call: Call | None) -> str | None:
    if name in _names("signed-in-methods"):
        return SIGNED_IN
    if name in _names("open-methods"):
        return OPEN
    if name in _names("closed-methods"):
        return CLOSED
    if name == "access" and call is not None:  # .access("hasRole('X')")
        return expression_access(" ".join(call.strings))
    return None


def _link_text(call: Call, strings: tuple[str, ...] | None = None) -> str:
    quoted = ", ".join(f'"{value}"' for value in (call.strings if strings is None else strings))
    return f"{call.name}({quoted})"


def _only_other_methods(call: Call) -> bool:
    """requestMatchers(HttpMethod.POST, "/x"): a rule for another method than a page's GET."""
    for arg in call.arguments:
        found = re.fullmatch(r"(?:\w+\.)*HttpMethod\.(\w+)", java.text(java.unwrap(arg)).strip())
        if found and found.group(1) not in ("GET", "HEAD"):
            return True
    return False


def _patterns(matcher: Call, language: str) -> tuple[str, ...]:
    """The URL patterns a matcher call names: its string arguments, and those of the matcher
    factories it is given (`requestMatchers(mvc.matcher("/login"))`)."""
    found = list(matcher.strings)
    factories = _names("matcher-factories")
    for argument in matcher.arguments:
        inner = java.as_call(java.unwrap(argument), language)
        if inner is not None and inner.name in factories:
            found.extend(inner.strings)
    return tuple(found)


def _chain_rules(links: list[Call], rel: str, language: str) -> list[Rule]:
    """Rules of a method chain: a matcher (or anyRequest) then what it requires."""
    out: list[Rule] = []
    pending: tuple[tuple[str, ...] | None, Call] | None = None
    for link in links:
        if link.name in _names("matcher-methods"):
            pending = None if _only_other_methods(link) else (_patterns(link, language), link)
        elif link.name in _names("any-request"):
            pending = (None, link)
        elif pending is not None:
            kind = _decision(link.name, link)
            if kind is not None:
                patterns, matcher = pending
                text = f"{_link_text(matcher, patterns)}.{_link_text(link)}"
                out.append(Rule(patterns, kind, short(text), rel, matcher.line))
            pending = None
    return out


def _dsl_rule(call: Call, language: str, rel: str) -> Rule | None:
    """Kotlin DSL: authorize("/records/**", authenticated), authorize(anyRequest, hasRole("X"))."""
    if not call.arguments:
        return None
    last = java.unwrap(call.arguments[-1])
    inner = java.as_call(last, language)
    name = inner.name if inner is not None else java.text(last)
    kind = _decision(name, inner)
    if kind is None or _only_other_methods(call):
        return None
    patterns: tuple[str, ...] | None = call.strings
    if any(name in _names("any-request") for name in call.names[:-1]):
        patterns = None
    return Rule(patterns, kind, short(java.text(call.node)), rel, call.line)


def filter_rules(tree, language: str, rel: str) -> list[Rule]:
    """The URL rules a file's filter chains write, in the order written."""
    if tree is None:
        return []
    rules: list[Rule] = []
    authorize = _names("authorize-methods")
    dsl = _names("dsl-rule-functions")
    for links in java.chains(tree.root_node, language):
        for index, link in enumerate(links):
            if link.name not in authorize:
                continue
            for argument in link.arguments:
                for inner in java.chains(argument, language):
                    if len(inner) == 1 and inner[0].name in dsl and inner[0].receiver is None:
                        rule = _dsl_rule(inner[0], language, rel)
                        rules.extend([rule] if rule is not None else [])
                    else:
                        rules.extend(_chain_rules(inner, rel, language))
            rules.extend(_chain_rules(links[index + 1 :], rel, language))
    return rules


@dataclass(frozen=True)
class LoginPage:
    """The URL of the sign-in page a filter chain names, where."""

    url: str
    text: str
    path: str
    line: int


def login_pages(tree, language: str, rel: str) -> list[LoginPage]:
    """The sign-in pages a file names: `loginPage("/login")` calls, `loginPage = "/log-in"`."""
    if tree is None:
        return []
    names = _names("login-page-methods")
    found = [LoginPage(call.strings[0], short(f"{call.name}(\"{call.strings[0]}\")"), rel, call.line)
             for call in java.calls(tree.root_node, language) if call.name in names and call.strings]
    found.extend(LoginPage(value, short(f'{name} = "{value}"'), rel, at)
                 for name, value, at in java.assigned_strings(tree.root_node, language) if name in names)
    return found


def may_hold_rules(text: str) -> bool:
    """Whether a file may write filter chain rules or name a sign-in page (a cheap test before
    any parse)."""
    keys = ("authorize-methods", "login-page-methods")
    return any(name in text for key in keys for name in frameworks_data.names("spring", key))
