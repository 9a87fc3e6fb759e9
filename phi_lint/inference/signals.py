"""Weak signals that a page is behind login, and login pages (which are not).

- path: a directory of an account area (`portal/`, `account/`, `accounts/`, `my-*/`,
  `myaccount/`, `patient/`, `patients/`, `member/`, `members/`, `dashboard/`, `secure/`,
  `profile/`, `inbox/`), or a file named like one of its pages (`dashboard.html`,
  `account.html`, `my-health.html`, `profile.tsx`, `inbox.vue`) → authenticated, weak.
  Route groups and view suffixes are read as names: `app/(portal)/…`, `AccountView.vue`.
  A `profile` under `doctors/`, `providers/`, `physicians/` or `team/` is a public profile.
- the signed-in user: a page that shows the signed-in user without asking whether anyone is
  signed in (`<%= current_user.name %>`, `{{ request.user.email }}`, `{{ current_user.email }}`,
  `{{ auth()->user()->name }}`, `Auth::user()`, `session.user`, `req.user`,
  `{{ user.email }}`) → authenticated, weak. A template that branches on the sign-in state
  (`{% if user.is_authenticated %}`, `@auth`/`@guest`, `<% if user_signed_in? %>`,
  `{{#if user}}`, `session ? … : …`) is served to visitors who are not signed in too: no signal.
- a login page: a file named like a login, sign-up or password-reset page (`login.html`,
  `sign-in.tsx`, `register.blade.php`, `devise/sessions/new.html.erb`), a title or `<h1>` that
  says so (`Sign in | Portal`) on a page with a password field or no form, or a sign-in form
  (a password field next to a user name or e-mail field, not a change-password form) →
  "public" (not weak): the login page itself is not behind login, even under `portal/`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from phi_lint import frameworks_data
from phi_lint.inference.health import (
    Lines,
    attributes,
    file_kind,
    name_keys,
    path_segments,
    strip_comments,
    title_parts,
    titles_and_headings,
    visible_markup,
)
from phi_lint.inference.model import Inference
from phi_lint.lazyre import lazy_pattern

PAGE_KINDS = ("markup", "script")

# folder and file names of signed-in areas and sign-in pages: rules/frameworks/web.toml; Devise's
# sign-in views: rules/frameworks/rails.toml. Compared as name keys (stemmed, hyphen-joined).


def _keys_of(key: str) -> Callable[[], frozenset[str]]:
    return frameworks_data.derived(lambda: name_keys(*frameworks_data.names("web", key)))


auth_dirs = _keys_of("auth-dirs")
auth_files = _keys_of("auth-files")
_profiles = _keys_of("profile-names")
public_profile_parents = _keys_of("public-profile-parents")
my_areas = _keys_of("my-areas")  # my-account/, my_records/ (not my-app/ or my-project/)
login_names = _keys_of("sign-in-names")
_public_page_names = _keys_of("public-page-names")


def public_by_name(rel: str) -> bool:
    """A page public by its own name (privacy, contact, help, about, a sign-in page), whatever
    folder holds it: `portal/privacy.html`, `account/help/index.html`."""
    segments = path_segments(rel)
    if not segments:
        return False
    last = segments[-1]
    if last.is_file and last.key in ROUTE_FILES and len(segments) >= 2:
        last = segments[-2]  # portal/privacy/index.html, app/portal/help/page.tsx
    return last.key in _public_page_names() or login_by_name(rel) is not None


@frameworks_data.derived
def rails_login() -> dict[str, frozenset[str]]:
    """Devise's sign-in views: view folder key → actions (sessions/new, passwords/edit, …)."""
    views = frameworks_data.table("rails", "sign-in-views")
    return {key: name_keys(*actions) for folder, actions in views.items() for key in name_keys(folder)}


ROUTE_FILES = name_keys("page", "index", "default", "route")
_LOGIN_TITLE = lazy_pattern(
    r"^\s*(?:(?:sign|log)\s*(?:-\s*)?(?:in|on|up)\b|login\b|register\b|create\s+(?:an?\s+|your\s+)?account\b|"
    r"forgot\s+(?:your\s+)?password|reset\s+(?:your\s+)?password|set\s+(?:up\s+)?(?:your\s+)?password)",
    re.IGNORECASE,
)
_CHANGE_PASSWORD = lazy_pattern(r"\b(?:change|update)\s+(?:your\s+)?password\b", re.IGNORECASE)

_INPUT = lazy_pattern(r"<((?i:input)|[A-Z][\w.]*(?:Input|Field))\b([^>]{0,1200})>")
_IDENTITY = lazy_pattern(r"\b(?:email|e-mail|user ?name|username|user|login|member ?id|account|phone|mrn)\b", re.IGNORECASE)
_CHANGE_FIELDS = lazy_pattern(r"\b(?:new|old|current)[ _-]?password|password[ _-]?(?:new|old|current)|new-password", re.IGNORECASE)


# --------------------------------------------------------------------------------------------
# paths


def path_signal(rel: str, file_name: bool = True) -> str | None:
    segments = path_segments(rel)
    for index, segment in enumerate(segments):
        if segment.is_file and not file_name:
            continue
        candidates = auth_files() if segment.is_file else auth_dirs()
        named = segment.key in candidates or (
            not segment.is_file
            and len(segment.words) >= 2
            and segment.words[0] == "my"
            and "-".join(segment.key.split("-")[1:]) in my_areas()
        )
        if not named:
            continue
        if segment.key in _profiles() and any(
            s.key in public_profile_parents() for s in segments[:index]
        ):
            continue  # doctors/profile/… is a public provider profile
        if segment.is_file:
            return f"file name `{segment.raw}`"
        return f"path segment `{segment.raw}/`"
    return None


def login_by_name(rel: str) -> str | None:
    segments = path_segments(rel)
    if not segments or not segments[-1].is_file:
        return None
    last = segments[-1]
    routed = last.key in ROUTE_FILES and len(segments) >= 2 and not segments[-2].is_file
    if routed:
        # app/login/page.tsx, pages/sign-in/index.vue, routes/login/+page.svelte
        where = f"route directory `{segments[-2].raw}/`"
        last = segments[-2]
        segments = segments[:-1]
    else:
        where = f"file name `{last.raw}`"
    words = set(last.words)
    if "change" in words or "update" in words:
        return None
    if last.key in login_names():
        return where
    joined = "-".join(last.words)
    for name in frameworks_data.names("web", "sign-in-phrases"):
        # patient-login, portal-sign-in, login-form, sign-in-page; not login-history or login-help
        if joined.endswith("-" + name):
            return where
        if joined.startswith(name + "-") and joined[len(name) + 1 :] in frameworks_data.name_set("web", "sign-in-suffixes"):
            return where
    if not routed and len(segments) >= 2 and not segments[-2].is_file:
        parent = segments[-2].key
        if parent in rails_login() and last.key in rails_login()[parent]:
            return f"`{segments[-2].raw}/{last.raw}` (a sign-in or sign-up view)"
    return None


# --------------------------------------------------------------------------------------------
# forms and titles


def password_forms(clean: str) -> tuple[int | None, bool, bool]:
    """(line of the first password field, has an identity field, looks like a change-password form)."""
    first = None
    identity = change = False
    passwords = 0
    lowered = clean.lower()
    if "password" not in lowered:
        return None, False, False
    lines = Lines(clean)
    for m in _INPUT.finditer(clean):
        attrs = attributes(m.group(2))
        kind = (attrs.get("type") or "").lower()
        names = " ".join(attrs.get(a, "") for a in ("name", "id", "autocomplete", "placeholder", "aria-label"))
        if kind == "password" or (m.group(1).lower() != "input" and "password" in names.lower()):
            passwords += 1
            if first is None:
                first = lines.line(m.start())
            if _CHANGE_FIELDS.search(names) and "current-password" not in names:
                change = True
        elif kind in ("email", "tel") or _IDENTITY.search(names):
            identity = True
    if passwords >= 3:
        change = True
    return first, identity, change


def login_page(rel: str, clean: str, kind: str | None) -> tuple[str, int] | None:
    """(evidence, line) when the file (comments blanked) is a login, sign-up or reset page."""
    by_name = login_by_name(rel)
    if by_name:
        return f"login page: {by_name}", 0
    visible = visible_markup(clean) if kind == "markup" else clean
    password_line, identity, change = password_forms(clean)
    texts = [t for t in titles_and_headings(clean, visible, Lines(clean)) if t.zone in ("title", "h1")]
    if any(_CHANGE_PASSWORD.search(t.text) for t in texts):
        return None
    has_form = re.search(r"<(form|input)\b", visible, re.IGNORECASE) is not None
    for item in texts:
        parts = title_parts(item.text) if item.zone == "title" else [item.text]
        if any(_LOGIN_TITLE.match(part) for part in parts[:1]) and (password_line or not has_form):
            label = "title" if item.zone == "title" else "<h1>"
            return f"login page: {label} `{item.text.strip()}`", item.line
    if password_line and identity and not change:
        return "login page: a sign-in form with a password field", password_line
    return None


# --------------------------------------------------------------------------------------------
# the signed-in user

# (syntax, expression, the template delimiters it must sit in: None = anywhere)
_USER_EXPRESSIONS = [
    ("erb", lazy_pattern(r"(@?current_(?:user|patient|member|account)\b)"), ("<%", "%>")),
    (
        "any",
        lazy_pattern(
            r"(?<![\w.$])((?:request\.)?user\.(?:email|first_?name|last_?name|full_?name|get_full_name|username|"
            r"display_?name|name|phone|date_of_birth|dob|id|pk)\b)",
            re.IGNORECASE,
        ),
        ("{{", "}}"),
    ),
    ("any", lazy_pattern(r"(?<![\w.$])(current_?user\.\w+|currentUser\.\w+)"), ("{{", "}}")),
    ("any", lazy_pattern(r"(?<![\w.$])(request\.user\.\w+)"), None),
    ("blade", lazy_pattern(r"(auth\(\)\s*->\s*(?:user\(\)|id\(\))|Auth::(?:user|id)\(\))"), None),
    ("any", lazy_pattern(r"(?<![\w$])(session\??\.user\b|req\.user\b|locals\.user\.\w+|currentUser\b)"), None),
]


_USER_ANCHORS = ("current_", "urrentUser", "user.", "User.", "->user", "->id", "Auth::", "session", "req.user")


def _inside(text: str, offset: int, delimiters) -> bool:
    opener, closer = delimiters
    window = max(0, offset - 500)  # an expression sits close to its opening delimiter
    return text.rfind(opener, window, offset) > text.rfind(closer, window, offset)


# only searched for (its spans are not used): `current_\w` needs one word character, a word ending in
# `_signed_in?` is tried from its start only, and the space after `if` is taken whole
# (`(?=(?P<ws>\s+))(?P=ws)`), so the 300-character windows do not re-read long runs
_BRANCHES = lazy_pattern(
    r"\{%-?\s*(?:if|elif|unless)\b[^%]{0,300}?(?:is_authenticated|is_anonymous|\buser\b|current_user|logged_in|signed_in|app\.user|is_granted)"
    r"|<%-?\s*(?:if|unless|elsif)\b[^%]{0,300}?(?:current_\w|user_signed_in\?|(?<!\w)\w+_signed_in\?|signed_in\?|logged_in\?)"
    r"|current_(?:user|patient|member)\s*(?:&\.|\.try\b|\.present\?|\.nil\?|\?)"
    r"|@(?:auth|guest)\b|Auth::(?:check|guest)\(\)|auth\(\)\s*->\s*(?:check|guest)\(\)"
    r"|\{\{[#^]\s*(?:if|unless)(?=(?P<ws>\s+))(?P=ws)[^}]{0,300}?(?:user|currentUser|loggedIn|isAuthenticated|session)"
    r"|\bif\s*\(\s*(?:!\s*)?(?:locals\.)?(?:user|currentUser|req\.user|session(?:\.user)?|isLoggedIn|loggedIn|isAuthenticated)\s*\)"
    r"|\b(?:session|currentUser|user|isAuthenticated|isLoggedIn|isSignedIn|loggedIn)\s*(?:\?(?!\.)|&&)"
    r"|!\s*(?:session|currentUser|isAuthenticated|isLoggedIn)\s*(?:\?|&&|\))"
    r"|\bstatus\s*===?\s*[\"'](?:un)?authenticated[\"']"
    r"|<(?:SignedIn|SignedOut|AuthenticatedTemplate|UnauthenticatedTemplate)\b"
    r"|\bv-if=\"[^\"]{0,300}?(?:user|loggedIn|isAuthenticated|session)"
    r"|\*ngIf=\"[^\"]{0,300}?(?:user|loggedIn|isAuthenticated)"
    r"|\{#if(?=(?P<ws2>\s+))(?P=ws2)[^}]{0,300}?(?:user|session|loggedIn)",
    re.IGNORECASE,
)


def signed_in_user(rel: str, clean: str) -> tuple[str, int] | None:
    """(expression, line) of the signed-in user shown unconditionally, or None."""
    flavour = "erb" if rel.endswith((".erb", ".rhtml")) else "blade" if rel.endswith(".blade.php") else "other"
    if not any(anchor in clean for anchor in _USER_ANCHORS):
        return None
    hit = None
    for syntax, pattern, delimiters in _USER_EXPRESSIONS:
        if syntax not in ("any", flavour):
            continue
        for m in pattern.finditer(clean):
            if hit is not None and m.start(1) >= hit[1]:
                break
            if delimiters is None or _inside(clean, m.start(1), delimiters):
                hit = (m.group(1), m.start(1))
                break
    if hit is None:
        return None
    if _BRANCHES.search(clean):
        return None  # the page is served whether or not someone is signed in
    return " ".join(hit[0].split()), Lines(clean).line(hit[1])


_RENDERS = lazy_pattern(r"</[A-Za-z]|/>")

# --------------------------------------------------------------------------------------------


def infer_page(rel: str, text: str, repo) -> list[Inference]:
    """What one page says of itself; run only for the pages a tracker reaches (see health)."""
    kind = file_kind(rel, repo)
    if kind not in PAGE_KINDS:
        return []
    clean = strip_comments(rel, text, kind)
    login = login_page(rel, clean, kind)
    if login:
        evidence, line = login
        # by its name alone (line 0): a guard on the page's own controller beats it
        return [Inference(rel, "public", f"{evidence}; the login page itself is not authenticated", rel, line,
                          by_name=line == 0)]
    found = []
    # a script that renders nothing (a store, an API handler, an Express router) is named for
    # what it handles, not for a page: only its directories count
    renders = kind != "script" or _RENDERS.search(clean) is not None
    # a weak folder name (portal/) yields to the page's own public name (privacy, help, contact)
    by_path = path_signal(rel, file_name=renders) if not public_by_name(rel) else None
    if by_path:
        found.append(Inference(rel, "authenticated", by_path, rel, weak=True))
    if not renders:
        return found
    user = signed_in_user(rel, clean)
    if user:
        expression, line = user
        found.append(Inference(rel, "authenticated", f"shows the signed-in user (`{expression}`)", rel, line, weak=True))
    return found
