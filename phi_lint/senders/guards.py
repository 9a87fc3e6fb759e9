"""Whether a sender runs for signed-in users only: the handler that reaches it, and the guard
written on that handler, in the sender's own file.

The chain is the function that holds the send, then the functions of the same file that call it
(a helper called from a view), a few steps up. A function of the chain is guarded when its head
or its class carries a login guard of its framework, or when the statement that routes to it
does (`app.post('/book', requireAuth, handler)`, `->middleware('auth')`). The guard names are the
framework modules' data (rules/frameworks/*.toml, phi_lint.frameworks_data): the same words that
make a page behind login make a sender behind login. Where a framework module has a reader of
its own, it is the one used: Rails filters (phi_lint.frameworks.rails: order, only:/except:,
skips), Spring security annotations (phi_lint.frameworks.spring_security), Express middleware
names. Go has no framework module; its middleware is named like Node's (`requireAuth(handler)`),
so Express's names are used for it. Guards written in another file (a route file, a parent
controller, a filter chain, a router mount) are the route tables' (phi_lint.senders.handlers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from phi_lint import frameworks_data
from phi_lint.frameworks.routes import anonymous_handler
from phi_lint.lazyre import lazy_pattern
from phi_lint.senders.lexical import Code, statement_around
from phi_lint.senders.units import Unit, innermost

MAX_HOPS = 3  # callers followed up from the function that holds the send
_ROUTE_PATH = lazy_pattern(r"""["'](/[\w\-/{}<>:.*]*)["']""")


@dataclass(frozen=True)
class Reach:
    """How a sender is reached: the handler chain (innermost first), the guards found and the
    route URL when one is written beside them."""

    chain: tuple[str, ...]
    guards: tuple[dict, ...]
    route: str | None = None
    handlers: tuple[str, ...] = ()  # the chain's function names and their classes' (a route may name either)


def reach_of(code: Code, units: list[Unit], offset: int, rel: str) -> Reach:
    functions = [u for u in units if not u.is_class]
    first = innermost(functions, offset)
    if first is None:
        return Reach((), ())
    chain = _chain(code, functions, first)
    guards: list[dict] = []
    route = None
    for unit in chain:
        for start, end in _scopes(code, units, unit):
            guards.extend(_guards_in(code, start, end, rel, unit))
            if route is None:
                found = _ROUTE_PATH.search(code.text, start, end)
                route = found.group(1) if found else None
    unique = {(g["text"], g["line"]): g for g in guards}
    names = tuple(u.name or "(anonymous handler)" for u in chain)
    return Reach(names, tuple(sorted(unique.values(), key=lambda g: (g["line"], g["text"]))), route,
                 _handler_names(units, chain))


def _handler_names(units: list[Unit], chain: list[Unit]) -> tuple[str, ...]:
    """What a route table may call the chain's functions: their names, and their classes' (a
    Django class-based view is routed by its class, a Laravel invokable controller too); a
    function without a name by its line (an Express handler written in `router.post(…)`)."""
    names: list[str] = []
    for unit in chain:
        owner = innermost(units, unit.start, classes=True)
        own = unit.name or anonymous_handler(unit.line)  # a function written in its route registration
        for name in (own, owner.name if owner is not None else ""):
            if name and name not in names:
                names.append(name)
    return tuple(names)


def _chain(code: Code, functions: list[Unit], first: Unit) -> list[Unit]:
    """The function that holds the send, its enclosing named function when it is a closure, and
    the same-file functions that call any of them, breadth first."""
    chain = [first]
    outer = innermost([u for u in functions if u.start < first.start or u.end > first.end], first.start)
    if outer is not None and outer not in chain:
        chain.append(outer)
    frontier = list(chain)
    for _ in range(MAX_HOPS):
        following = []
        for unit in frontier:
            if not unit.name:
                continue
            call = re.compile(r"(?<![\w$])" + re.escape(unit.name) + r"\s*\(")
            for m in call.finditer(code.mask):
                if unit.start <= m.start() < unit.body:
                    continue  # its own definition
                if _called_on_other(code.mask, m.start()):
                    continue  # `requests.post(` is not a call of this file's `post`
                caller = innermost(functions, m.start())
                if caller is not None and caller not in chain:
                    chain.append(caller)
                    following.append(caller)
        frontier = following
    return chain


_RECEIVER = lazy_pattern(r"(?:\.|->|::)\s*$")
_OWN_RECEIVER = lazy_pattern(r"(?<![\w$])(?:self|this|\$this|static|cls)\s*(?:\.|->|::)\s*$")


def _called_on_other(mask: str, at: int) -> bool:
    """Whether the call at `at` is made on another object or module (`requests.post(`), not
    on this file's own function or this object's method (`self.report(`, `$this->send(`)."""
    before = mask[max(0, at - 40):at]
    return _RECEIVER.search(before) is not None and _OWN_RECEIVER.search(before) is None


def _scopes(code: Code, units: list[Unit], unit: Unit) -> list[tuple[int, int]]:
    """Where a function's guards can be written: its head, the statement it is an argument of
    (an anonymous handler), the statements that name it (a route), its class's head and the
    class body outside other functions (Rails filters, a Laravel controller's constructor)."""
    scopes = [(unit.start, unit.body)]
    statement_start, _end = statement_around(code, unit.start)
    if statement_start < unit.start:
        scopes.append((statement_start, unit.start))
    if unit.name:
        reference = re.compile(r"(?<![\w$])" + re.escape(unit.name) + r"(?![\w$]|\s*\()")
        for m in reference.finditer(code.mask):
            if not (unit.start <= m.start() < unit.end):
                scopes.append(statement_around(code, m.start()))
    owner = innermost(units, unit.start, classes=True)
    if owner is not None:
        scopes.append((owner.start, owner.body))
        scopes.extend(_class_level(units, owner))
    return scopes


def _class_level(units: list[Unit], owner: Unit) -> list[tuple[int, int]]:
    """The class body outside its methods, with its constructor (which may add middleware)."""
    methods = [u for u in units if not u.is_class and owner.body <= u.start < owner.end]
    out, cursor = [], owner.body
    for method in sorted(methods, key=lambda u: u.start):
        if method.start > cursor:
            out.append((cursor, method.start))
        if method.name in ("__construct", "__init__", "initialize", "constructor"):
            out.append((method.start, method.end))
        cursor = max(cursor, method.end)
    out.append((cursor, owner.end))
    return out


def _guards_in(code: Code, start: int, end: int, rel: str, unit: Unit) -> list[dict]:
    reader = _READERS.get(code.language)
    if reader is None:
        return []
    found = []
    for at, text in reader(code, start, end, unit):
        found.append({"text": text, "path": rel, "line": code.line_of(at)})
    return found


def _python(code: Code, start: int, end: int, unit: Unit):
    decorators = frameworks_data.names_of("auth-decorators", "flask", "django")
    mixins = frameworks_data.name_set("django", "auth-mixins")
    for m in re.finditer(r"@\s*([\w.]+)", code.mask[start:end]):
        name = m.group(1).rsplit(".", 1)[-1]
        if name in decorators:
            yield start + m.start(), f"`@{name}` on the handler"
    for m in re.finditer(r"\b(\w+)\b", code.mask[start:end]):
        if m.group(1) in mixins:
            yield start + m.start(), f"`{m.group(1)}` on the view class"


def _middleware_names(code: Code, start: int, end: int, unit: Unit):
    from phi_lint.frameworks.express import guard_name

    for m in re.finditer(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*", code.mask[start:end]):
        if guard_name(m.group()):
            yield start + m.start(), f"`{m.group()}` middleware on the route"


def _ruby(code: Code, start: int, end: int, unit: Unit):
    """The sign-in filter of the file's controller in force for the action, as the Rails
    framework module reads it (phi_lint.frameworks.rails), when it is written in this scope."""
    from phi_lint.frameworks.rails import own_sign_in_filter

    info = _controller(code.text, id(frameworks_data.current()))
    op = own_sign_in_filter(info, unit.name) if info is not None and unit.name else None
    if op is not None and start <= code.line_start(op.line) < end:
        what = f"{op.macro} :{op.name}" if op.name != op.macro else op.macro
        yield code.line_start(op.line), f"`{what}` in the controller"


@lru_cache(maxsize=4)
def _controller(text: str, data: int):
    """The file's controller class as the Rails module reads it (with the framework data `data`
    names, the user's additions included); None when no filter macro of
    rules/frameworks/rails.toml is written in it (nothing to read)."""
    from phi_lint.frameworks.rails import parse_controller

    macros = frameworks_data.names_of("filter-macros", "rails") | frameworks_data.names_of("basic-auth-macros", "rails")
    return parse_controller("controller.rb", text) if any(macro in text for macro in macros) else None


def _php(code: Code, start: int, end: int, unit: Unit):
    names = frameworks_data.name_set("laravel", "auth-middleware")
    prefixes = tuple(frameworks_data.names("laravel", "auth-middleware-prefixes"))
    text = code.text[start:end]
    for m in re.finditer(r"middleware\s*\(\s*\[?([^)]*)", text):
        for value in re.findall(r"""["']([^"']+)["']""", m.group(1)):
            if value in names or value.startswith(prefixes):
                yield start + m.start(), f"`middleware('{value}')`"


def _java(code: Code, start: int, end: int, unit: Unit):
    """The security annotation in force for a controller method as the Spring module reads it
    (phi_lint.frameworks.spring_security.annotation_access: the method's own, else its class's;
    `@PermitAll` or `permitAll()` lets anyone in), when it is written in this scope."""
    from phi_lint.frameworks.spring_security import SIGNED_IN

    access = _jvm_access(code.text, code.language, id(frameworks_data.current())).get(unit.line)
    if access is not None and access.kind == SIGNED_IN:
        at = code.line_start(access.annotation.line)
        if start <= at < end:
            yield at, f"`@{access.annotation.name}` on the handler"


@lru_cache(maxsize=4)
def _jvm_access(text: str, language: str, data: int) -> dict:
    """Line of each method of the file → the Access its annotations or its class's say (none:
    not in the map); `data` names the framework data it was read with."""
    from phi_lint.frameworks.spring_security import annotation_access, has_security_annotation
    from phi_lint.lang import java
    from phi_lint.lang.treesitter import parse

    found: dict = {}
    if not has_security_annotation(text):
        return found
    for cls in java.classes(parse(text, language), language):
        class_access = annotation_access(cls.annotations)
        for method in cls.methods:
            access = annotation_access(method.annotations) or class_access
            if access is not None:
                found[method.line] = access
    return found


def _csharp(code: Code, start: int, end: int, unit: Unit):
    authorize = frameworks_data.name_set("aspnet", "authorize-attributes")
    anonymous = frameworks_data.name_set("aspnet", "anonymous-attributes")
    head = code.mask[unit.start:unit.body]
    if any(re.search(r"\[\s*" + re.escape(a) + r"\b", head) for a in anonymous):
        return
    for m in re.finditer(r"\[\s*(\w+)", code.mask[start:end]):
        if m.group(1) in authorize:
            yield start + m.start(), f"`[{m.group(1)}]` on the handler"


_READERS = {
    "python": _python,
    "javascript": _middleware_names,
    "go": _middleware_names,
    "ruby": _ruby,
    "php": _php,
    "java": _java,
    "kotlin": _java,
    "c_sharp": _csharp,
}
