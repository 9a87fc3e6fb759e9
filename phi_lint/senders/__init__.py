"""Server-side senders: server code that sends events to a tracker (a conversions API, the
Measurement Protocol, a vendor's server SDK), as sightings the policy judges like the browser's.

A file is read for senders only when it holds one of the `keywords` of a `[[servers]]` entry of
the catalogue (one RE2 set search, like the prefilter). Then each endpoint URL written in a string,
and each SDK call in a file that names the SDK, is a sender at the line of the send: the call that
takes the URL (`requests.post(URL, …)`, even when the URL is a constant declared elsewhere in the
file), or the SDK call itself. Each sender carries what its payload holds (phi_lint.senders.payload)
and how it is reached (phi_lint.senders.guards); phi_lint.senders.policy turns that into PHI004,
PHI001 or inventory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from phi_lint.catalogue import Catalogue, ServerSignature
from phi_lint.lang.endings import LANGUAGES, endings_of
from phi_lint.lazyre import lazy_pattern
from phi_lint.models import Sighting, Span

KIND = "server-send"
# file endings read for senders: those of the one ending table (phi_lint.lang.endings) but Elixir's,
# `.rake` tasks and `.kts` Gradle builds (build scripts, no application code that sends)
ENDINGS: frozenset[str] = frozenset(
    ending for ending in endings_of("python", "ruby", "php", "java", "kotlin", "c_sharp", "go", "javascript")
    if ending not in (".rake", ".kts"))
_CALLEE = lazy_pattern(r"([A-Za-z_$][\w$]*(?:\s*(?:\.|->|::)\s*[A-Za-z_$][\w$]*)*)\s*$")
# `NAME = "…`, `const NAME = "…`, `$name = '…`, `name := "…`, `val NAME: String = "…`, `NAME = URI("…`
_CONSTANT = lazy_pattern(r"""(?:^|[\s(,])[$@]?([A-Za-z_]\w*)["']?\s*(?::\s*[\w<>\[\]?]+\s*)?(?:=|:=|=>|:)\s*(?:new\s)?(?:[\w.:]+\(\s*)?[frbu]{0,2}["'`]?$""")


# dependency manifests read for the server SDKs they add (file name, or ending; any case), and
# pip's requirements files (`requirements.txt`, `requirements-prod.txt`)
MANIFESTS = ("package.json", "composer.json", "go.mod", ".csproj", "pyproject.toml", "gemfile", "pom.xml",
             "build.gradle", "build.gradle.kts")


def is_manifest(rel: str) -> bool:
    name = rel.rsplit("/", 1)[-1].lower()
    return name.endswith(MANIFESTS) or (name.startswith("requirements") and name.endswith(".txt"))


def is_android_build(rel: str, text: str) -> bool:
    """Whether a Gradle build file builds an Android app or library (read by phi_lint.mobile, not
    here): it names one of rules/senders.toml `android-build-markers`."""
    return rel.lower().endswith((".gradle", ".gradle.kts")) and any(marker in text for marker in android_markers())


@lru_cache(maxsize=1)
def android_markers() -> tuple[str, ...]:
    from phi_lint.resources import rules_dir
    from phi_lint.tomlread import load_toml

    return tuple(load_toml(rules_dir() / "senders.toml")["android-build-markers"])


def language_of(rel: str) -> str | None:
    """The language a file is read as for senders (from the one ending table), or None when it is
    not read: an ending outside ENDINGS, a TypeScript declaration or a Blade template."""
    lower = rel.lower()
    if lower.endswith((".d.ts", ".blade.php")):
        return None
    dot = lower.rfind(".")
    # the last dot's ending, not `endswith` over the table: `.kts` must not pass for `.ts`
    ending = lower[dot:] if dot >= 0 else ""
    return LANGUAGES[ending] if ending in ENDINGS else None


@dataclass(frozen=True)
class Signature:
    vendor_id: str
    server: ServerSignature


class SenderIndex:
    """The catalogue's server signatures and the one literal set that gates files."""

    def __init__(self, catalogue: Catalogue):
        self.by_keyword: list[list[Signature]] = []
        keywords: dict[str, list[Signature]] = {}
        for vendor in catalogue:
            for server in vendor.servers:
                for keyword in server.keywords:
                    keywords.setdefault(keyword, []).append(Signature(vendor.id, server))
        self._literals = sorted(keywords)
        # the signatures a dependency manifest may name, each once (manifests are few: a plain `in` gates them)
        self.with_packages: list[Signature] = []
        for signatures in keywords.values():
            for signature in signatures:
                if signature.server.packages and signature not in self.with_packages:
                    self.with_packages.append(signature)
        self.by_keyword = [keywords[k] for k in self._literals]
        self._set: Any = None  # an RE2 set, compiled on first use

    def signatures_in(self, text: str) -> list[Signature]:
        """The server signatures whose keywords occur in text (case-insensitive)."""
        if not self._literals:
            return []
        if self._set is None:
            from phi_lint.prefilter import _literal_set

            self._set = _literal_set(self._literals)
        data = (text if text.isascii() else text.lower()).encode("utf-8", "surrogatepass")
        found: list[Signature] = []
        for index in self._set.Match(data) or ():
            for signature in self.by_keyword[index]:
                if signature not in found:
                    found.append(signature)
        return found


def sender_sightings(source, index: SenderIndex) -> tuple[list[Sighting], list[str]]:
    """The senders of one file (`source`: its phi_lint.lang.Source) and the problems met."""
    language = language_of(source.rel)
    if language is None:
        return [], []
    signatures = index.signatures_in(source.text)
    if not signatures:
        return [], []
    from phi_lint.senders.lexical import read_code
    from phi_lint.senders.units import units_of

    code = read_code(source.text, language)
    problems: list[str] = []
    try:
        units = units_of(source, language)
    except Exception as exc:  # a grammar missing or a parser bug: senders still found, unguarded
        units = []
        problems.append(f"server-side senders: could not read the functions ({type(exc).__name__}: {exc}); "
                        "guards not checked")
    sends: dict[tuple[int, str], tuple[Signature, int, str]] = {}
    imports: list[Sighting] = []
    for signature in sorted(signatures, key=lambda s: (s.vendor_id, s.server.label)):
        found_sends = _sends(code, signature.server)
        for at, snippet in found_sends:
            sends.setdefault((at, signature.vendor_id), (signature, at, snippet))
        named = _module_named(code, signature.server.modules) if not found_sends else None
        if named is not None:
            imports.append(_inventory(code, source.rel, signature, named, "imported"))
    found = [_sighting(code, units, source.rel, signature, at, snippet)
             for signature, at, snippet in sorted(sends.values(), key=lambda s: (s[1], s[0].vendor_id))]
    sending = {s.vendor_id for s in found}
    return found + [s for s in imports if s.vendor_id not in sending], problems


def dependency_sightings(source, index: SenderIndex) -> list[Sighting]:
    """The server SDKs a dependency manifest adds (package.json, composer.json, go.mod, a .csproj,
    requirements.txt, pyproject.toml, a Gemfile, pom.xml, a server's build.gradle): inventory, one
    sighting per SDK at the line that names it."""
    if not is_manifest(source.rel) or is_android_build(source.rel, source.text):
        return []
    from phi_lint.senders.lexical import Code

    code = Code(source.text, source.text, "manifest")
    found: dict[str, Sighting] = {}
    candidates = [s for s in index.with_packages if any(p in source.text for p in s.server.packages)]
    for signature in sorted(candidates, key=lambda s: (s.vendor_id, s.server.label)):
        for package in signature.server.packages:
            m = next((m for m in re.finditer(r"(?<![\w./@-])" + re.escape(package) + r"(?![\w.-])", source.text)
                      if not _commented(source.text, m.start())), None)
            if m is not None and signature.vendor_id not in found:
                found[signature.vendor_id] = _inventory(code, source.rel, signature, (m.start(), package), "dependency")
    return [found[v] for v in sorted(found)]


_LINE_COMMENT = lazy_pattern(r"(?:^|\s)(?:#|//)")


def _commented(text: str, at: int) -> bool:
    """Whether offset `at` of a manifest is in a comment: after `#` or `//` on its line
    (requirements, TOML, Gemfile, Gradle, go.mod) or inside `<!-- … -->` (pom.xml, .csproj)."""
    line = text[text.rfind("\n", 0, at) + 1 : at]
    return _LINE_COMMENT.search(line) is not None or text.rfind("<!--", 0, at) > text.rfind("-->", 0, at)


def _module_named(code, modules: tuple[str, ...]) -> tuple[int, str] | None:
    """(offset, module) of the first mention of one of the SDK's modules, or None."""
    best = None
    for module in modules:
        for m in _module_pattern(code, module).finditer(code.text):
            if _mentions_module(code, m.start()):
                if best is None or m.start() < best[0]:
                    best = (m.start(), module)
                break
    return best


# a line that loads a module: import, from … import, require, use, using, gem, a Go import path
_IMPORT_LINE = lazy_pattern(r"""^\s*(?:import|from|require|require_relative|use|using|gem|include)\b|\brequire\s*\(|\bimport\s*\(|\bfrom\s+["']|^\s*(?:\w+\s+)?"[\w./-]+"\s*$""")


def _mentions_module(code, at: int) -> bool:
    """A module counts where code uses it (`Mixpanel::Tracker.new`) or a line loads it, not in a
    comment or a docstring."""
    if code.mask[at] == code.text[at]:
        return True
    start = code.text.rfind("\n", 0, at) + 1
    end = code.text.find("\n", at)
    line = code.text[start : end if end >= 0 else len(code.text)]
    return code.mask[start:at].strip() != "" and _IMPORT_LINE.search(line) is not None


def _inventory(code, rel: str, signature: Signature, named: tuple[int, str], how: str) -> Sighting:
    at, module = named
    line = code.line_of(at)
    column = at - code.line_start(line) + 1
    snippet = _line_text(code, at)
    return Sighting(
        vendor_id=signature.vendor_id, path=rel, span=Span(line, column, line, column + len(module)),
        kind=KIND, snippet=snippet, signature=f"server {signature.server.label}", lines=(line,),
        details={"sender": signature.server.label, how: module, "sent": [], "chain": [], "guards": []},
    )


def _sends(code, server: ServerSignature) -> list[tuple[int, str]]:
    """(offset of the send call, snippet) for each use of one signature in the file."""
    if server.endpoint is not None:
        out = []
        for m in server.endpoint.finditer(code.text):
            if code.in_string(m.start()):
                out.extend(_calls_taking(code, m.start()))
        return out
    if server.modules and not _names_module(code, server.modules):
        return []
    out = []
    for pattern in server.calls:
        for m in pattern.finditer(code.mask):
            out.append((m.start(), _line_text(code, m.start())))
    return out


def _names_module(code, modules: tuple[str, ...]) -> bool:
    """Whether the file names one of the SDK's modules (in JS/TS: as an import or require
    string, so `import mixpanel from 'mixpanel-browser'` is not the server library)."""
    return _module_named(code, modules) is not None


def _module_pattern(code, module: str) -> re.Pattern:
    quote = r"""["'`]""" if code.language == "javascript" else r"(?<![\w-])"
    return re.compile(quote + re.escape(module) + r"(?![\w-])")


def _calls_taking(code, at: int) -> list[tuple[int, str]]:
    """The call a URL string at `at` is handed to: the innermost call around it, or, for a
    constant (`CAPI_URL = "https://…"`), every call that names the constant."""
    from phi_lint.senders.lexical import statement_around

    call = _enclosing_call(code, at)
    builder = None
    while call is not None and _builds_url(code, call):
        builder, call = call, _enclosing_call(code, call)  # URI("…") handed on: the outer call sends
    if call is not None:
        return [(call, _line_text(code, call))]
    call = builder
    start, end = statement_around(code, at)
    constant = _CONSTANT.search(code.mask[start : call if call is not None else at].rstrip(" \t\0"))
    if constant is None:
        return [(call if call is not None else at, _line_text(code, call if call is not None else at))]
    name = constant.group(1)
    line_start = start
    out = []
    for m in re.finditer(r"(?<![\w$])[$@]?(?:self\.|this\.|static::|self::)?" + re.escape(name) + r"(?![\w$])", code.mask):
        if line_start <= m.start() < end:
            continue
        call = _enclosing_call(code, m.start())
        if call is not None and (call, _line_text(code, call)) not in out:
            out.append((call, _line_text(code, call)))
    return out or [(at, _line_text(code, at))]


def _builds_url(code, call: int) -> bool:
    """Whether the call at `call` only builds a URL (rules/senders.toml `url-builders`)."""
    callee = re.match(r"[\w$.:>\s-]*?([A-Za-z_$][\w$]*)\s*\(", code.mask[call : call + 160])
    return callee is not None and callee.group(1) in url_builders()


@lru_cache(maxsize=1)
def url_builders() -> frozenset[str]:
    from phi_lint.resources import rules_dir
    from phi_lint.tomlread import load_toml

    return frozenset(load_toml(rules_dir() / "senders.toml")["url-builders"])


def _enclosing_call(code, at: int) -> int | None:
    """The offset of the callee of the innermost call whose parentheses hold `at`, or None."""
    mask = code.mask
    depth = 0
    i = at - 1
    floor = max(0, at - 3000)
    while i >= floor:
        ch = mask[i]
        if ch in ")]}":
            depth += 1
        elif ch in "([{":
            if depth:
                depth -= 1
            elif ch == "(":
                callee = _CALLEE.search(mask, max(0, i - 120), i)
                if callee is not None and callee.group(1).split(".")[-1].strip() not in ("if", "while", "for", "switch", "return"):
                    return callee.start(1)
                return None
            elif ch == "{" and mask[max(0, i - 1)] not in "(,=:[ \t\n":
                return None
        elif ch == ";" and not depth:
            return None
        i -= 1
    return None


def _line_text(code, at: int) -> str:
    start = code.text.rfind("\n", 0, at) + 1
    end = code.text.find("\n", at)
    line = code.text[start : end if end >= 0 else len(code.text)].strip()
    return line if len(line) <= 120 else line[:117] + "..."


def _sighting(code, units, rel: str, signature: Signature, at: int, snippet: str) -> Sighting:
    from phi_lint.senders.guards import reach_of
    from phi_lint.senders.lexical import statement_around
    from phi_lint.senders.payload import payload_items
    from phi_lint.senders.units import innermost

    function = innermost([u for u in units if not u.is_class], at)
    floor = function.start if function is not None else 0
    start, end = statement_around(code, at, floor)
    sent = payload_items(code, start, end, floor, signature.server.aliases)
    reach = reach_of(code, units, at, rel)
    line = code.line_of(at)
    column = at - code.line_start(line) + 1
    details = {
        "sender": signature.server.label,
        "language": code.language,
        "sent": sent,
        "chain": list(reach.chain),
        "guards": list(reach.guards),
        "handlers": list(reach.handlers),
    }
    if reach.route:
        details["route"] = reach.route
    return Sighting(
        vendor_id=signature.vendor_id,
        path=rel,
        span=Span(line, column, line, column + len(snippet)),
        kind=KIND,
        snippet=snippet,
        signature=f"server {signature.server.label}",
        lines=(line,),
        details=details,
    )
