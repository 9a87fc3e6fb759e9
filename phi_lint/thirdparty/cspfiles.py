"""The Content-Security-Policies committed in one file, in the shapes where the policy is a
literal in that file:

- markup: `<meta http-equiv="Content-Security-Policy" content="…">`, for its page;
- Next.js `headers()` in next.config.*: `{ key: "Content-Security-Policy", value: "…" }`;
- helmet in Express code: `contentSecurityPolicy: { directives: { scriptSrc: [...] } }` (also
  `helmet.contentSecurityPolicy({ directives: … })`);
- django-csp in settings*.py: `CSP_SCRIPT_SRC = (...)` and `CONTENT_SECURITY_POLICY =
  {"DIRECTIVES": {"script-src": [...]}}`;
- nginx `add_header Content-Security-Policy "…"` and Apache `Header set
  Content-Security-Policy "…"` in *.conf and .htaccess.

The meta tag applies to its page; every other shape is a response header, so project-wide.
A policy built at run time (a variable, a join) is not read.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from phi_lint import literalgates
from phi_lint.lazyre import lazy_pattern

PAGE, PROJECT = "page", "project"  # where a policy applies


@dataclass(frozen=True)
class FoundPolicy:
    policy: dict[str, list[str]]  # directive → sources
    start: int  # offset of the policy in the file
    end: int
    shape: str  # for messages: "meta tag", "Next.js headers()", …
    scope: str  # page | project


_GATE = lazy_pattern(r"content-security-policy|contentsecuritypolicy|\bCSP_[A-Z_]+SRC\b", re.IGNORECASE)
_META = lazy_pattern(r"<meta\b[^>]*>", re.IGNORECASE)
_CSP_EQUIV = lazy_pattern(r"""\shttp-equiv\s*=\s*["']?content-security-policy\b""", re.IGNORECASE)
_CONTENT = lazy_pattern(r"""\scontent\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_NEXT = lazy_pattern(
    r"""\bkey\s*:\s*(["'`])Content-Security-Policy\1\s*,\s*value\s*:\s*(["'`])(.*?)\2""", re.IGNORECASE | re.DOTALL
)
_HELMET = lazy_pattern(r"\bcontentSecurityPolicy\s*[:(]\s*\{")
_HELMET_DIRECTIVES = lazy_pattern(r"\bdirectives\s*:\s*\{")
_HELMET_ENTRY = lazy_pattern(r"""(?:(?<![A-Za-z])([A-Za-z]{1,40})|(["'])([a-z-]+)\2)\s*:\s*\[([^\]]*)\]""")
_JS_STRING = lazy_pattern(r"""(["'`])((?:(?!\1).){1,300}?)\1""")
_DJANGO_SETTING = lazy_pattern(r"^[ \t]*CSP_([A-Z_]+_SRC)\s*=\s*[\[(]([^\])]*)[\])]", re.MULTILINE)
_DJANGO_DICT = lazy_pattern(r"\bCONTENT_SECURITY_POLICY\s*=\s*\{")
_DJANGO_ENTRY = lazy_pattern(r"""(["'])([a-z-]+)\1\s*:\s*[\[(]([^\])]*)[\])]""")
_PY_STRING = lazy_pattern(r"""(["'])((?:(?!\1).){1,300}?)\1""")
_SERVER = lazy_pattern(
    r"""^[ \t]*(?:add_header|Header\s+(?:always\s+)?(?:set|add|append))\s+["']?Content-Security-Policy["']?\s+(["'])(.*?)\1""",
    re.IGNORECASE | re.MULTILINE | re.DOTALL,
)
_TEMPLATE_PART = lazy_pattern(r"\$\{[^}]*\}")
MAX_BLOCK = 20_000


literalgates.register_folded("security", "csp_")


def may_hold_policy(text: str) -> bool:
    """Whether the text names a policy. The case-blind regex alone had no literal to skip on and
    took a fifth of a cold scan; a literal every match holds is looked for first, in a lowered
    copy (exact: every spelling the regex accepts lowers to one of them)."""
    folded = literalgates.contains_folded
    return (folded(text, "security") or folded(text, "csp_")) and _GATE.search(text) is not None


def reads_policies(rel: str, kind: str) -> bool:
    """Whether a file of this name and kind has a shape a policy is read from (before its text
    is searched at all: most files of a repository cannot hold one)."""
    return kind in ("markup", "script") or (kind == "code" and is_django_settings(rel)) or is_server_config(rel)


def is_server_config(rel: str) -> bool:
    name = posixpath.basename(rel).lower()
    return name == ".htaccess" or name.endswith(".conf")


def is_django_settings(rel: str) -> bool:
    name = posixpath.basename(rel)
    return name.endswith(".py") and (name.startswith("settings") or "/settings/" in "/" + rel)


def file_policies(rel: str, kind: str, text: str) -> list[FoundPolicy]:
    """Every policy of the file whose shape its name and kind allow."""
    from phi_lint.thirdparty.csp import parse_policy

    if not reads_policies(rel, kind) or not may_hold_policy(text):
        return []
    found = []
    if kind == "markup":
        for meta in _META.finditer(text):
            if _CSP_EQUIV.search(meta.group(0)) is None:
                continue
            content = _CONTENT.search(meta.group(0))
            if content is not None:
                value = content.group(1) if content.group(1) is not None else content.group(2)
                found.append(FoundPolicy(parse_policy(value), meta.start(), meta.end(), "meta tag", PAGE))
    elif kind == "script":
        for match in _NEXT.finditer(text):
            value = _TEMPLATE_PART.sub(" ", match.group(3))
            found.append(FoundPolicy(parse_policy(value), match.start(), match.end(), "Next.js headers()", PROJECT))
        found.extend(_helmet(text))
    elif kind == "code" and is_django_settings(rel):
        found.extend(_django(text))
    elif is_server_config(rel):
        for match in _SERVER.finditer(text):
            shape = "nginx add_header" if match.group(0).lstrip().lower().startswith("add_header") else "Apache Header"
            found.append(FoundPolicy(parse_policy(match.group(2)), match.start(), match.end(), shape, PROJECT))
    return [policy for policy in found if policy.policy]


def _block(text: str, open_brace: int) -> str:
    """The text of the `{…}` block that opens at open_brace (bounded, strings not tracked)."""
    depth = 0
    for index in range(open_brace, min(len(text), open_brace + MAX_BLOCK)):
        char = text[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return text[open_brace : index + 1]
    return text[open_brace : open_brace + MAX_BLOCK]


def _kebab(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"-\1", name).lower()


def _helmet(text: str) -> list[FoundPolicy]:
    found = []
    for match in _HELMET.finditer(text):
        block = _block(text, match.end() - 1)
        directives = _HELMET_DIRECTIVES.search(block)
        if directives is None:
            continue
        inner = _block(block, directives.end() - 1)
        policy: dict[str, list[str]] = {}
        for entry in _HELMET_ENTRY.finditer(inner):
            name = _kebab(entry.group(1)) if entry.group(1) else entry.group(3)
            policy.setdefault(name, [s.group(2).strip() for s in _JS_STRING.finditer(entry.group(4))])
        found.append(FoundPolicy(policy, match.start(), match.start() + len(block), "helmet contentSecurityPolicy", PROJECT))
    return found


def _django(text: str) -> list[FoundPolicy]:
    found = []
    for match in _DJANGO_SETTING.finditer(text):
        name = match.group(1).lower().replace("_", "-")
        sources = [s.group(2).strip() for s in _PY_STRING.finditer(match.group(2))]
        found.append(FoundPolicy({name: sources}, match.start(), match.end(), f"django-csp CSP_{match.group(1)}", PROJECT))
    for match in _DJANGO_DICT.finditer(text):
        block = _block(text, match.end() - 1)
        policy: dict[str, list[str]] = {}
        for entry in _DJANGO_ENTRY.finditer(block):
            sources = [s.group(2).strip() for s in _PY_STRING.finditer(entry.group(3))]
            policy.setdefault(entry.group(2), sources)
        found.append(FoundPolicy(policy, match.start(), match.start() + len(block), "django-csp CONTENT_SECURITY_POLICY", PROJECT))
    return found
