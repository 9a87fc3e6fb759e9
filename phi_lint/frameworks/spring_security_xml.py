"""Spring Security's XML namespace config, read into the same URL rules as a
`SecurityFilterChain` bean (phi_lint.frameworks.spring_security):

    <http>
      <intercept-url pattern="/records/**" access="hasRole('PATIENT')"/>
      <intercept-url pattern="/**" access="permitAll"/>
      <form-login login-page="/login"/>
    </http>

`access` is an expression (isAuthenticated(), hasRole(…), permitAll) or, with
use-expressions="false", a list of roles (ROLE_USER) or IS_AUTHENTICATED_ANONYMOUSLY. Rules are
kept in the order written (the first whose pattern matches decides); `<form-login login-page>`
names the sign-in page. Elements may carry a namespace prefix (`<sec:intercept-url>`); commented
out elements say nothing. Only files holding the schema URL are read; what access values mean is
knowledge in rules/frameworks/spring.toml.
"""

from __future__ import annotations

from phi_lint import frameworks_data
from phi_lint.frameworks.spring_security import CLOSED, OPEN, SIGNED_IN, LoginPage, Rule, expression_access, short
from phi_lint.lazyre import lazy_pattern
from phi_lint.parsers.template_comments import blank_html_comments
from phi_lint.textio import LineIndex

_ELEMENT = lazy_pattern(r"<(?:[\w.-]+:)?(intercept-url|form-login)\b([^<>]*)>")
_ATTRIBUTE = lazy_pattern(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def is_security_xml(rel: str, text: str) -> bool:
    """Whether an XML file is Spring Security namespace config (a cheap literal test)."""
    return rel.lower().endswith(".xml") and any(
        schema in text for schema in frameworks_data.names("spring", "security-xml-schemas"))


def _attributes(text: str) -> dict[str, str]:
    return {found.group(1): found.group(2) if found.group(2) is not None else found.group(3) or ""
            for found in _ATTRIBUTE.finditer(text)}


def access_kind(access: str) -> str | None:
    """SIGNED_IN, OPEN, CLOSED or None (says nothing) for an `access` attribute."""
    value = access.strip()
    if value in frameworks_data.name_set("spring", "xml-open-access"):
        return OPEN
    if value in frameworks_data.name_set("spring", "xml-closed-access"):
        return CLOSED
    parts = [part.strip() for part in value.split(",") if part.strip()]
    prefixes = frameworks_data.names("spring", "xml-signed-in-access-prefixes")
    if parts and all(part.startswith(prefixes) for part in parts):
        return SIGNED_IN
    return expression_access(value)


def xml_security(rel: str, text: str) -> tuple[list[Rule], list[LoginPage]]:
    """The URL rules and sign-in pages of one Spring Security XML file, in the order written."""
    if not is_security_xml(rel, text):
        return [], []
    plain = blank_html_comments(text)  # lines stay where they were
    lines = LineIndex(plain)
    rules: list[Rule] = []
    logins: list[LoginPage] = []
    for found in _ELEMENT.finditer(plain):
        attributes = _attributes(found.group(2))
        line = lines.position(found.start())[0]
        if found.group(1) == "form-login":
            page = attributes.get("login-page")
            if page:
                logins.append(LoginPage(page, short(f'<form-login login-page="{page}">'), rel, line))
            continue
        pattern, access = attributes.get("pattern"), attributes.get("access")
        kind = access_kind(access) if access is not None else None
        if pattern is None or kind is None or attributes.get("method", "GET").upper() not in ("GET", "HEAD"):
            continue
        text_of = f'<intercept-url pattern="{pattern}" access="{access}">'
        rules.append(Rule((pattern,), kind, short(text_of), rel, line))
    return rules, logins
