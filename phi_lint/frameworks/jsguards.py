"""What every JavaScript framework module asks of guard code: does it send visitors without a
session to the sign-in page, and is a guard's name one that checks login.

Shared by the Next.js, Nuxt, SvelteKit and SPA router modules (phi_lint.frameworks), so the
redirect shapes they recognise cannot drift apart.
"""

from __future__ import annotations

import re

GUARD_AUTHISH = re.compile(
    r"auth|login|logged|signed|session|msal|oidc|keycloak|okta|cognito|clerk|kinde|supabase|firebase|"
    r"require_?user|isuser|private|protect|role|permission|admin|member|patient|account",
    re.IGNORECASE,
)
GUARD_NEGATIVE = re.compile(
    r"guest|anon|public|no_?auth|not_?(?:logged|auth|signed)|un_?auth|logged_?out|signed_?out|redirect_?if|"
    r"already|without_?auth|logout|signout|unsaved|deactivate|feature|flag|maintenance|onboard",
    re.IGNORECASE,
)
LOGIN_PATH = re.compile(
    r"""['"`]\s*((?:https?://[^/'"`]*)?/[\w/.-]*(?:log[-_]?in|sign[-_]?in|signin|auth(?:enticate)?|sso|oauth)\b[\w/.?=&-]*)""",
    re.IGNORECASE,
)
_REDIRECT_AT = re.compile(
    r"\b(?:redirect|Navigate|rewrite)\b|\bnavigate(?:To)?\s*\(|"
    r"\b(?:router|history|location|navigation|navigator)\s*\.\s*(?:push|replace|assign|href|navigate)\b|"
    r"\bdestination\s*:|\bto\s*=|"
    r"\b(?P<signin>signIn|redirectToSignIn|redirectToLogin|loginWithRedirect|signinRedirect)\s*\("
)
_LOGIN_URL = re.compile(r"""new\s+URL\s*\(\s*['"`](/[\w/.-]*(?:log[-_]?in|sign[-_]?in|signin|auth)\b[\w/.-]*)""", re.IGNORECASE)
# `!await (…)`: each white-space run has one place to be read (`!\s*(?:await\s+)?\(?\s*` backtracked
# quadratically over a `!` and 60k spaces)
_SESSION_CHECK = re.compile(
    r"!\s*(?:await(?=\s)\s*)?(?:\(\s*)?(?:\w+\??\.)*(?:session|user|userId|currentUser|token|isAuthenticated|isLoggedIn|isSignedIn|"
    r"signedIn|loggedIn|authenticated|auth|account|me)\b",
    re.IGNORECASE,
)


def guard_names_authish(text: str) -> bool:
    """A guard list or name that checks login (and is not a guest-only or unsaved-changes guard)."""
    names = re.findall(r"[A-Za-z_$][\w$]*", text)
    return any(GUARD_AUTHISH.search(n) and not GUARD_NEGATIVE.search(n) for n in names)


def redirects_to_login(code: str) -> str | None:
    """The login path that code (comments blanked) sends visitors without a session to, if any."""
    for match in _REDIRECT_AT.finditer(code):
        if match.group("signin"):
            return "the sign-in page"
        login = LOGIN_PATH.search(code, match.end(), match.end() + 160)
        if login:
            return login.group(1)
    login = _LOGIN_URL.search(code)
    if login and re.search(r"\bredirect\s*\(", code):
        return login.group(1)
    if _SESSION_CHECK.search(code) and re.search(r"\bredirect\s*\(|<Navigate\b", code):
        return "the sign-in page"
    return None
