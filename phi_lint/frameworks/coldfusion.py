"""ColdFusion / Lucee: Application.cfc and Application.cfm, for the pages they apply to.

The server runs the nearest Application file (an Application.cfc before an Application.cfm in
the same folder) before every page of its folder and of the folders below, up to the next folder
that has one of its own. So:

- its sign-in check is a guard for those pages: a negated condition on the signed-in state
  (`<cfif NOT isDefined("session.user")>`, `if (!structKeyExists(session, "userID"))`) whose
  branch redirects or stops the request (`<cflocation url="login.cfm">`, `location("login.cfm")`,
  `<cfabort>`), or a `<cflogin>` block, in onRequestStart / onRequest (tag or script syntax) or in
  the body of an Application.cfm. The redirect's target is the sign-in page (public), and a page
  the conditions name (`listFindNoCase("login.cfm,register.cfm", …)`) is let in. Each governed
  page is reported as a Route to the one resolver (phi_lint.frameworks.routes), its URL the path
  from the web root (the folder of the outermost Application file).
- what it includes in its request functions is rendered into every one of those pages: each page
  gets an edge to its Application file (whose own includes come from the ColdFusion reader of
  the page graph, phi_lint.pagegraph.templates_server), and to the OnRequestEnd.cfm next to an
  Application.cfm.

An Application.cfc that `extends` another and has no request function of its own (or calls
`super.onRequestStart`) runs the parent's: its pages take the parent's guards and includes.
Names (the files, functions, check and redirect shapes) are data in rules/frameworks/coldfusion.toml.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass

from phi_lint import frameworks_data
from phi_lint.frameworks import Framework, register
from phi_lint.frameworks.routes import Guard, Route
from phi_lint.lazyre import lazy_pattern
from phi_lint.pagegraph.model import Edge
from phi_lint.pagegraph.templates_server import function_bodies
from phi_lint.parsers.template_comments import blank_comments
from phi_lint.repopaths import ancestors

ID = "coldfusion"
_TAG_IF = lazy_pattern(r"<cf(?:else)?if\b([^>]{0,2000})>", re.IGNORECASE)
_TAG_IF_END = lazy_pattern(r"</cfif\s*>|<cfelse", re.IGNORECASE)
_SCRIPT_IF = lazy_pattern(r"(?<![\w.])if\s*\(", re.IGNORECASE)
_LITERAL = lazy_pattern(r"\"([^\"\n]{0,300})\"|'([^'\n]{0,300})'")
_REDIRECT_URL = lazy_pattern(
    r"""(?:\burl\s*=\s*|\b(?:location|relocate|redirectTo|setNextEvent)\s*\(\s*(?:url\s*=\s*|event\s*=\s*)?)(?:"([^"\n]{1,500})"|'([^'\n]{1,500})')""",
    re.IGNORECASE,
)
_ASSIGNMENT = lazy_pattern(r"(?:<cfset|(?<![\w.])var)\s+[\w.\[\]\"']{1,200}\s*=\s*([^>;\n]{0,1000})", re.IGNORECASE)
_INNER_IF = lazy_pattern(r"(?<![\w.])if\s*\(|<cfif\b", re.IGNORECASE)
_EXTENDS = lazy_pattern(r"\bextends\s*=\s*[\"']([^\"']{1,300})[\"']", re.IGNORECASE)
MAX_BODY = 4000  # characters of an `if` branch read for its redirect


def _names(key: str) -> tuple[str, ...]:
    return frameworks_data.names(ID, key)


def _joined(key: str) -> re.Pattern[str]:
    return frameworks_data.pattern(ID, key, re.IGNORECASE)


_checks = frameworks_data.derived(lambda: _joined("signed-in-check-patterns"))
_negations = frameworks_data.derived(lambda: _joined("negation-patterns"))
_redirects = frameworks_data.derived(lambda: _joined("redirect-patterns"))
_guard_tags = frameworks_data.derived(lambda: _joined("guard-tag-patterns"))


@dataclass(frozen=True)
class Application:
    """What one Application file says of the pages it applies to."""

    rel: str
    guards: tuple[Guard, ...] = ()
    exempt: frozenset[str] = frozenset()  # lower-case names the conditions let through
    sign_in: tuple[str, Guard] | None = None  # (target name as written, evidence)
    inherits: bool = False  # runs its parent's request functions (extends, none or super.* of its own)


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _paren_end(text: str, open_at: int, limit: int) -> int:
    """The offset of the parenthesis closing the one at open_at (strings skipped), or -1."""
    depth, i = 0, open_at
    stop = min(len(text), open_at + limit)
    while i < stop:
        char = text[i]
        if char in "\"'":
            close = text.find(char, i + 1, stop)
            if close < 0:
                return -1
            i = close + 1
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _conditions(text: str, start: int, end: int) -> Iterable[tuple[int, str, str]]:
    """(offset, condition, branch) of every <cfif>/<cfelseif> and cfscript `if` in text[start:end]."""
    for match in _TAG_IF.finditer(text, start, end):
        stop = _TAG_IF_END.search(text, match.end(), min(end, match.end() + MAX_BODY))
        yield match.start(), match.group(1), text[match.end(): stop.start() if stop else min(end, match.end() + MAX_BODY)]
    for match in _SCRIPT_IF.finditer(text, start, end):
        close = _paren_end(text, match.end() - 1, 2000)
        if close < 0:
            continue
        rest = close + 1
        while rest < end and text[rest] in " \t\r\n":
            rest += 1
        if text.startswith("{", rest):
            branch_end = text.find("}", rest)  # the first statement block: enough to see a redirect
        else:
            branch_end = text.find(";", rest)
        branch_end = min(end, rest + MAX_BODY) if branch_end < 0 else min(branch_end + 1, rest + MAX_BODY)
        yield match.start(), text[match.end(): close], text[rest:branch_end]


def read_application(rel: str, text: str) -> Application:
    """The guards, exemptions and sign-in page of one Application.cfc / Application.cfm."""
    text = blank_comments(text, ("coldfusion", "html"))
    base = posixpath.basename(rel)
    if base.lower().endswith(".cfc"):
        wanted = tuple(name.lower() for name in _names("request-start-functions"))
        spans = [(name, start, end) for name, start, end in function_bodies(text, wanted)]
        extends = _EXTENDS.search(text[: spans[0][1]] if spans else text)
        inherits = bool(extends) and (not spans or "super.onrequeststart" in text.lower())
    else:
        spans, inherits = [("", 0, len(text))], False
    guards: list[Guard] = []
    exempt: set[str] = set()
    sign_in: tuple[str, Guard] | None = None
    for function, start, end in spans:
        where = f"{base} {_names_spelling(function)}" if function else base
        for assignment in _ASSIGNMENT.finditer(text, start, end):
            exempt.update(_page_names(assignment.group(1)))
        for offset, condition, branch in _conditions(text, start, end):
            exempt.update(_page_names(condition))
            redirect = _redirects().search(branch)
            if not (redirect and _checks().search(condition) and _negations().search(condition)):
                continue
            shown = " ".join(condition.split())[:80]
            # a redirect under a further condition (on the page asked for) may spare some pages
            weak = _INNER_IF.search(branch, 0, redirect.start()) is not None
            guard = Guard(f"{where} sends signed-out visitors away: `{shown}`", rel, _line(text, offset), weak)
            guards.append(guard)
            target = _REDIRECT_URL.search(branch)
            if target and sign_in is None:
                sign_in = ((target.group(1) or target.group(2)).strip(), guard)
        for match in _guard_tags().finditer(text, start, end):
            guards.append(Guard(f"{where}: `<cflogin>` signs visitors in before the page", rel, _line(text, match.start())))
    return Application(rel, tuple(guards), frozenset(exempt), sign_in, inherits)


def _page_names(code: str) -> set[str]:
    """The page file names (lower case) in the string literals of a condition or an assignment:
    `listFindNoCase("login.cfm,register.cfm", …)`, `local.pages = ["signup.cfm", "login.cfm"]`.
    Other words (`find("contact", targetPage)`) may as well name the pages that are guarded."""
    endings = tuple(_names("page-endings"))
    names: set[str] = set()
    for literal in _LITERAL.finditer(code):
        value = (literal.group(1) or literal.group(2) or "").lower()
        names.update(part.strip() for part in value.split(",") if part.strip().endswith(endings))
    return names


def _names_spelling(function: str) -> str:
    """A request function's name as the data file spells it (onRequestStart), from lower case."""
    for name in _names("request-start-functions"):
        if name.lower() == function:
            return name
    return function


def _is_exempt(page: str, exempt: frozenset[str]) -> str | None:
    """The name in the conditions that lets `page` through, if one does."""
    base = posixpath.basename(page).lower()
    for name in sorted(exempt):
        if name == base or name.endswith("/" + base):
            return name
    return None


class _Site:
    """The Application files of a repository and the pages each applies to (once per run)."""

    def __init__(self, repo):
        files = {name.lower(): rank for rank, name in enumerate(_names("application-files"))}
        by_dir: dict[str, tuple[int, str]] = {}
        for rel in repo.kinds:
            rank = files.get(posixpath.basename(rel).lower())
            if rank is not None:
                directory = posixpath.dirname(rel)
                if directory not in by_dir or rank < by_dir[directory][0]:
                    by_dir[directory] = (rank, rel)
        self.apps = {directory: rel for directory, (_, rel) in by_dir.items()}
        end_files = {name.lower() for name in _names("request-end-files")}
        self.request_end = {
            posixpath.dirname(rel): rel for rel in sorted(repo.kinds) if posixpath.basename(rel).lower() in end_files
        } if self.apps else {}
        self.repo = repo
        self._read: dict[str, Application] = {}

    def nearest(self, directory: str) -> str | None:
        """The directory of the Application file that applies to pages in `directory`."""
        for folder in ancestors(directory):
            if folder in self.apps:
                return folder
        return None

    def parent(self, folder: str) -> str | None:
        return self.nearest(posixpath.dirname(folder)) if folder else None

    def application(self, folder: str) -> Application:
        rel = self.apps[folder]
        if rel not in self._read:
            self._read[rel] = read_application(rel, self.repo.read(rel) or "")
        return self._read[rel]

    def chain(self, folder: str) -> list[Application]:
        """The Application files whose request code runs for pages of `folder`'s one, nearest first."""
        out: list[Application] = []
        current: str | None = folder
        while current is not None and len(out) < 32:
            app = self.application(current)
            out.append(app)
            current = self.parent(current) if app.inherits else None
        return out

    def web_root(self, folder: str) -> str:
        """The folder of the outermost Application file at or above `folder`."""
        root = folder
        parent = self.parent(folder)
        while parent is not None:
            root, parent = parent, self.parent(parent)
        return root

    def pages(self) -> Iterable[tuple[str, str]]:
        """(page, folder of its Application file) for every page an Application file applies to."""
        endings = tuple(_names("page-endings"))
        skip = {name.lower() for name in (*_names("application-files"), *_names("request-end-files"))}
        for rel in sorted(self.repo.kinds):
            lower = rel.lower()
            if lower.endswith(endings) and posixpath.basename(lower) not in skip:
                folder = self.nearest(posixpath.dirname(rel))
                if folder is not None:
                    yield rel, folder


def _site(repo) -> _Site | None:
    site = repo.memo((__name__, "site"), lambda: _Site(repo))
    return site if site.apps else None


def _url(page: str, root: str) -> str:
    return "/" + (posixpath.relpath(page, root) if root else page)


@register
class ColdFusion(Framework):
    id = ID
    name = "ColdFusion"

    def project_edges(self, repo) -> Iterable[Edge]:
        site = _site(repo)
        if site is None:
            return []
        edges: list[Edge] = []
        for folder, rel in sorted(site.apps.items()):
            parent = site.parent(folder)
            if parent is not None and site.application(folder).inherits:
                edges.append(Edge(rel, site.apps[parent], "include", 0, "extends the parent Application.cfc"))
        for page, folder in site.pages():
            app = site.apps[folder]
            edges.append(Edge(page, app, "include", 0, f"{posixpath.basename(app)} runs before every page of its folder"))
            end = site.request_end.get(folder)
            if end is not None and app.lower().endswith(".cfm") and end != page:
                edges.append(Edge(page, end, "include", 0, f"{posixpath.basename(end)} runs after every page of its folder"))
        return edges

    def routes(self, repo, graph) -> Iterable[Route]:
        site = _site(repo)
        if site is None:
            return []
        routes: list[Route] = []
        sign_in_pages: set[tuple[str, Guard]] = set()
        for page, folder in site.pages():
            chain = site.chain(folder)
            guards = tuple(guard for app in chain for guard in app.guards)
            if not guards:
                continue
            exempt = frozenset().union(*(app.exempt for app in chain))
            url = _url(page, site.web_root(folder))
            let_in = _is_exempt(page, exempt)
            anonymous = Guard(f"`{let_in}` is let through by the sign-in check", chain[0].rel, guards[0].line) if let_in else None
            routes.append(Route(ID, page, chain[0].rel, guards[0].line, url, guards, anonymous))
            for app in chain:
                if app.sign_in is not None:
                    target = _sign_in_page(repo, app, app.sign_in[0])
                    if target is not None:
                        sign_in_pages.add((target, app.sign_in[1]))
        for target, evidence in sorted(sign_in_pages):
            sign_in = Guard(f"the sign-in page {posixpath.basename(evidence.path)} sends signed-out visitors to", evidence.path, evidence.line)
            routes.append(Route(ID, target, evidence.path, evidence.line, None, (), None, sign_in))
        return routes


def _sign_in_page(repo, app: Application, name: str) -> str | None:
    """The page a redirect names, relative to the Application file (or `/` from an ancestor)."""
    clean = name.split("?")[0]
    if "#" in clean or "://" in clean or not clean.lower().endswith(tuple(_names("page-endings"))):
        return None
    folder = posixpath.dirname(app.rel)
    if clean.startswith("/"):
        candidates = [_join(anc, clean.lstrip("/")) for anc in ancestors(folder)]
        tail = clean.lstrip("/").partition("/")[2]  # `/appname/pages/login.cfm` of a site in a subfolder
        found = repo.by_suffix(tail) if tail else []
        if len(found) == 1:
            candidates.append(found[0])
    else:
        candidates = [_join(folder, clean)]
    return repo.first(c for c in candidates if not c.startswith(".."))


def _join(*parts: str) -> str:
    joined = posixpath.join(*[p for p in parts if p])
    return posixpath.normpath(joined) if joined else ""
