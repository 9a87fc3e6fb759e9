"""What every JavaScript framework module asks of guard code: does it send visitors without a
session to the sign-in page, and is a guard's name one that checks login.

Shared by the Next.js, Nuxt, SvelteKit and SPA router modules (phi_lint.frameworks), so the
redirect shapes they recognise cannot drift apart.
"""

from __future__ import annotations

import re

from phi_lint import frameworks_data
from phi_lint.lazyre import lazy_pattern

LOGIN_PATH = lazy_pattern(
    r"""['"`]\s*((?:https?://[^/'"`]*)?/[\w/.-]*(?:log[-_]?in|sign[-_]?in|signin|auth(?:enticate)?|sso|oauth)\b[\w/.?=&-]*)""",
    re.IGNORECASE,
)
_REDIRECT_AT = lazy_pattern(
    r"\b(?:redirect|Navigate|rewrite)\b|\bnavigate(?:To)?\s*\(|"
    r"\b(?:router|history|location|navigation|navigator)\s*\.\s*(?:push|replace|assign|href|navigate)\b|"
    r"\bdestination\s*:|\bto\s*=|"
    r"\b(?P<signin>signIn|redirectToSignIn|redirectToLogin|loginWithRedirect|signinRedirect)\s*\("
)
_LOGIN_URL = lazy_pattern(r"""new\s+URL\s*\(\s*['"`](/[\w/.-]*(?:log[-_]?in|sign[-_]?in|signin|auth)\b[\w/.-]*)""", re.IGNORECASE)
# `!await (…)`: each white-space run has one place to be read (`!\s*(?:await\s+)?\(?\s*` backtracked
# quadratically over a `!` and 60k spaces)
_SESSION_CHECK = lazy_pattern(
    r"!\s*(?:await(?=\s)\s*)?(?:\(\s*)?(?:\w+\??\.)*(?:session|user|userId|currentUser|token|isAuthenticated|isLoggedIn|isSignedIn|"
    r"signedIn|loggedIn|authenticated|auth|account|me)\b",
    re.IGNORECASE,
)


@frameworks_data.derived
def _guard_words() -> tuple[re.Pattern, re.Pattern]:
    """The words that make a guard's name a login check, and those that make it something else
    (rules/frameworks/spa-router.toml), each one regex searched in the name."""
    return (frameworks_data.pattern("spa-router", "auth-guard-word-patterns", re.IGNORECASE),
            frameworks_data.pattern("spa-router", "not-auth-guard-word-patterns", re.IGNORECASE))


def name_is_authish(name: str) -> bool:
    """One guard's name checks login (`AuthGuard`, `requireUser`), not guest-only (`GuestGuard`)."""
    authish, negative = _guard_words()
    return bool(authish.search(name)) and not negative.search(name)


def guard_names_authish(text: str) -> bool:
    """A guard list or name that checks login (and is not a guest-only or unsaved-changes guard)."""
    names = re.findall(r"[A-Za-z_$][\w$]*", text)
    return any(name_is_authish(n) for n in names)


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
