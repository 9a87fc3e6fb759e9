"""Weak authenticated signals (path names, the signed-in user) and login pages (public)."""

from __future__ import annotations

import time

import pytest
from helpers import finding_lines, scan_tree, write_tree

from phi_lint.inference import signals


def infer(rel: str, text: str = ""):
    return [(i.label, i.text, i.line, i.weak) for i in signals.infer_page(rel, text, None)]


def labels(rel: str, text: str = "") -> list[str]:
    return [i.label for i in signals.infer_page(rel, text, None)]


# ------------------------------------------------------------------ paths

AUTH_PATHS = [
    ("portal/messages.html", "path segment `portal/`"),
    ("templates/account/settings.html", "path segment `account/`"),
    ("accounts/profile.html", "path segment `accounts/`"),
    ("my-account/orders.html", "path segment `my-account/`"),
    ("my_health/summary.html", "path segment `my_health/`"),
    ("myaccount/index.html", "path segment `myaccount/`"),
    ("patient/visits.html", "path segment `patient/`"),
    ("patients/records.html", "path segment `patients/`"),
    ("member/claims.html", "path segment `member/`"),
    ("members/benefits.html", "path segment `members/`"),
    ("dashboard/index.html", "path segment `dashboard/`"),
    ("secure/statements.html", "path segment `secure/`"),
    ("profile/edit.html", "path segment `profile/`"),
    ("inbox/thread.html", "path segment `inbox/`"),
    ("app/(portal)/results/page.tsx", "path segment `(portal)/`"),
    ("app/dashboard/page.tsx", "path segment `dashboard/`"),
    ("dashboard.html", "file name `dashboard.html`"),
    ("pages/account.tsx", "file name `account.tsx`"),
    ("src/views/AccountView.vue", "file name `AccountView.vue`"),
    ("routes/account/history.js", "path segment `account/`"),
]


@pytest.mark.parametrize("rel,evidence", AUTH_PATHS, ids=[p[0] for p in AUTH_PATHS])
def test_path_of_an_account_area_is_a_weak_authenticated_signal(rel, evidence):
    page = "export default () => <main />" if rel.endswith((".tsx", ".js")) else "<p>Hello</p>"
    assert infer(rel, page) == [("authenticated", evidence, 0, True)]


NOT_AUTH_PATHS = [
    "fixtures/flask-portal/templates/index.html",  # a segment must be the name, not contain it
    "my-app/src/index.html",  # the default name of a new project
    "my-project/about.html",
    "doctors/profile/jane-okafor.html",  # a public provider profile
    "providers/profile.html",
    "lib/usePatient.ts",
    "patient-resources.html",
    "patients-and-visitors/parking.html",
    "portal.html",  # a page about the portal, not in it
    "members.html",
    "routes/account.js",  # an Express router that renders nothing itself
    "about.html",
]


@pytest.mark.parametrize("rel", NOT_AUTH_PATHS)
def test_paths_that_are_not_account_areas(rel):
    assert infer(rel, "<p>Hello</p>" if rel.endswith(".html") else "module.exports = {};") == []


# ------------------------------------------------------------------ login pages

LOGIN_PAGES = [
    ("portal/login.html", "<form><input name=email><input type=password name=pw></form>", "file name `login.html`"),
    ("sign-in.tsx", "export default () => <SignIn />", "file name `sign-in.tsx`"),
    ("app/login/page.tsx", "export default () => <form/>", "route directory `login/`"),
    ("src/views/LoginView.vue", "<template><form/></template>", "file name `LoginView.vue`"),
    ("templates/registration/login.html", "", "file name `login.html`"),
    ("resources/views/auth/register.blade.php", "", "file name `register.blade.php`"),
    ("portal/reset-password.html", "", "file name `reset-password.html`"),
    ("portal/forgot-password.html", "", "file name `forgot-password.html`"),
    ("patient-login.html", "", "file name `patient-login.html`"),
    ("templates/login_form.html", "", "file name `login_form.html`"),
    ("app/views/devise/sessions/new.html.erb", "", "`sessions/new.html.erb` (a sign-in or sign-up view)"),
    ("app/views/users/registrations/new.html.erb", "", "`registrations/new.html.erb` (a sign-in or sign-up view)"),
    ("app/views/devise/passwords/edit.html.erb", "", "`passwords/edit.html.erb` (a sign-in or sign-up view)"),
]


@pytest.mark.parametrize("rel,page,evidence", LOGIN_PAGES, ids=[p[0] for p in LOGIN_PAGES])
def test_login_pages_by_name_are_public(rel, page, evidence):
    assert infer(rel, page) == [
        ("public", f"login page: {evidence}; the login page itself is not authenticated", 0, False)
    ]


def test_login_page_under_portal_is_not_made_authenticated_by_its_path():
    assert labels("portal/login.html", "<p/>") == ["public"]
    assert labels("portal/index.html", "<title>Sign in | Harbor Patient Portal</title>"
                  "<form><input type=email name=email><input type=password name=password></form>") == ["public"]


def test_login_page_by_title_or_h1():
    with_form = "<title>Sign in | Portal</title><form><input name=user><input type=password name=pw></form>"
    assert infer("portal/start.html", with_form) == [
        ("public", "login page: title `Sign in | Portal`; the login page itself is not authenticated", 1, False)
    ]
    no_form = "<h1>Log in to MyChart</h1><a href='https://sso.example/login'>Continue</a>"
    assert labels("portal/start.html", no_form) == ["public"]
    assert labels("x.html", "<title>Create an account</title><form><input type=password name=p></form>") == ["public"]
    assert labels("x.html", "<title>Reset your password</title><form><input type=password name=p></form>") == ["public"]


def test_a_sign_in_form_makes_a_login_page():
    page = "<form><label>Email <input type=email name=email></label><input type=password name=password></form>"
    assert infer("welcome.html", page) == [
        ("public", "login page: a sign-in form with a password field; the login page itself is not authenticated", 1, False)
    ]


def test_not_login_pages():
    newsletter = "<title>Sign up for our newsletter</title><form><input type=email name=email></form>"
    assert labels("newsletter.html", newsletter) == []
    change = (
        "<h1>Change password</h1><form><input type=password name=current_password>"
        "<input type=password name=new_password><input type=password name=new_password_confirmation></form>"
    )
    assert infer("account/security.html", change) == [("authenticated", "path segment `account/`", 0, True)]
    django_change = "<h1>Password change</h1><form><input type=password name=old_password><input type=password name=new_password1></form>"
    assert labels("templates/registration/password_change_form.html", django_change) == []
    assert labels("x.html", "<!-- <form><input name=email><input type=password name=pw></form> -->") == []
    assert labels("login-help/faq.py") == []  # not a page
    assert labels("account/login-history.html", "<h1>Recent sign-ins</h1>") == ["authenticated"]


# ------------------------------------------------------------------ the signed-in user

SHOWS_USER = [
    ("app/views/home/show.html.erb", "<p>Hello <%= current_user.first_name %></p>", "current_user"),
    ("app/views/home/index.html.erb", "<p><%= @current_user.email %></p>", "@current_user"),
    ("templates/home.html", "<p>{{ request.user.email }}</p>", "request.user.email"),
    ("templates/nav.html", "<span>{{ current_user.first_name }}</span>", "current_user.first_name"),
    ("templates/welcome.html", "<p>{{ user.email }}</p>", "user.email"),
    ("resources/views/home.blade.php", "<p>{{ auth()->user()->name }}</p>", "auth()->user()"),
    ("resources/views/nav.blade.php", "<p>{{ Auth::user()->email }}</p>", "Auth::user()"),
    ("views/home.ejs", "<p><%= locals.user.name %></p>", "locals.user.name"),
    ("views/home.hbs", "<p>{{user.email}}</p>", "user.email"),
    ("src/Greeting.tsx", "export default function G({ session }) { return <p>{session.user.name}</p> }", "session.user"),
    ("src/Header.jsx", "export default () => <p>{currentUser.name}</p>", "currentUser"),
]


@pytest.mark.parametrize("rel,page,expression", SHOWS_USER, ids=[s[0] for s in SHOWS_USER])
def test_a_page_that_shows_the_signed_in_user(rel, page, expression):
    assert infer(rel, page) == [("authenticated", f"shows the signed-in user (`{expression}`)", 1, True)]


BOTH_STATES = [
    ("templates/base.html", "{% if user.is_authenticated %}{{ user.email }}{% else %}<a>Log in</a>{% endif %}"),
    ("templates/nav.html", "{% if current_user.is_authenticated %}{{ current_user.name }}{% endif %}"),
    ("templates/base.twig", "{% if app.user %}{{ app.user.email }}{% endif %}"),
    ("app/views/layouts/site.html.erb", "<% if user_signed_in? %><%= current_user.email %><% end %>"),
    ("app/views/layouts/nav.html.erb", "<%= current_user&.name %>"),
    ("resources/views/welcome.blade.php", "@auth <a>{{ auth()->user()->name }}</a> @else <a>Log in</a> @endauth"),
    ("resources/views/nav.blade.php", "@if (Auth::check()) {{ Auth::user()->name }} @endif"),
    ("views/nav.hbs", "{{#if user}}{{user.email}}{{else}}<a>Log in</a>{{/if}}"),
    ("views/nav.ejs", "<% if (user) { %><%= locals.user.name %><% } %>"),
    ("src/Nav.tsx", "export default ({ session }) => session ? <p>{session.user.name}</p> : <SignIn />"),
    ("src/Nav2.tsx", "export default () => <><SignedIn><p>{currentUser.name}</p></SignedIn><SignedOut/></>"),
    ("src/Nav.vue", "<template><p v-if=\"user\">{{ user.email }}</p></template>"),
]


@pytest.mark.parametrize("rel,page", BOTH_STATES, ids=[s[0] for s in BOTH_STATES])
def test_a_template_that_branches_on_sign_in_is_served_to_everyone(rel, page):
    assert infer(rel, page) == []


def test_signed_in_user_negatives():
    assert infer("templates/x.html", "{# <p>{{ request.user.email }}</p> #}<p>Hi</p>") == []
    assert infer("app/views/x/y.html.erb", "<%# current_user.name %><p>Hi</p>") == []
    assert infer("clinic/views.py", "def v(request):\n    return request.user.email\n") == []  # code, not a page
    assert infer("src/store/session.ts", "export const state = { currentUser: null, token: '' };") == []
    assert infer("server.js", "app.get('/', (req, res) => res.send(req.user.name));") == []
    assert infer("templates/list.html", "{% for user in users %}{{ user.username }}{% endfor %}") != []  # weak by design


# ------------------------------------------------------------------ end to end

GA = """<script async src="https://www.googletagmanager.com/gtag/js?id=G-ABCDEF1234"></script>
<script>
  window.dataLayer = window.dataLayer || [];
  function gtag(){dataLayer.push(arguments);}
  gtag('js', new Date());
  gtag('config', 'G-ABCDEF1234');
</script>"""


def test_weak_signals_and_login_pages_in_a_scan(tmp_path):
    write_tree(
        tmp_path,
        {
            "portal/dashboard.html": f"<html><head>{GA}</head><body><h1>Welcome back</h1></body></html>",
            "portal/login.html": f"<html><head>{GA}</head><body><form><input name=email>"
            "<input type=password name=password></form></body></html>",
            "index.html": f"<html><head>{GA}</head><body>Hi</body></html>",
        },
    )
    result = scan_tree(tmp_path, use_cache=False)
    assert finding_lines(result, tmp_path) == [
        "PHI001 portal/dashboard.html:1 google-analytics",
        "PHI100 index.html:1 google-analytics",
        "PHI100 portal/login.html:1 google-analytics",
    ]
    evidence = result.contexts["portal/dashboard.html"].labels["authenticated"]
    assert [e.text for e in evidence] == ["path segment `portal/` (weak signal)"]


def test_explicit_public_tags_still_win(tmp_path):
    write_tree(tmp_path, {"portal/faq.html": f"<!-- phi-lint: public --><html><head>{GA}</head></html>"})
    assert finding_lines(scan_tree(tmp_path, use_cache=False), tmp_path) == ["PHI100 portal/faq.html:1 google-analytics"]


def test_odd_input_is_fast_and_never_crashes():
    start = time.perf_counter()
    for text in ("<input" * 20000, "{% if " * 20000, "<%= current_user" * 20000, "{{" * 50000, "\x00" * 1000, ""):
        for rel in ("portal/x.html", "x.tsx", "x.html.erb", "x.blade.php"):
            signals.infer_page(rel, text, None)
    assert time.perf_counter() - start < 10


# route URLs of Python code (an account area, a sign-in URL): tests/test_infer_python_web.py
