"""Context inference for Django, Flask and FastAPI (phi_lint.frameworks.django, .flask, .fastapi,
their routes resolved by phi_lint.frameworks.routes): signals and negatives."""

from __future__ import annotations

import posixpath

import pytest
from helpers import finding_lines, scan_tree, write_tree

from phi_lint.discovery import classify
from phi_lint.frameworks import registered
from phi_lint.frameworks.routes import inferences
from phi_lint.lang import Source
from phi_lint.pagegraph import templates_python
from phi_lint.pagegraph.graph import PageGraph
from phi_lint.pagegraph.repo import RepoIndex


def infer(tmp_path, files: dict[str, str]):
    """Run the slice the way the scan does: every file on its own (a worker's RepoIndex), then the
    project pass in a fresh RepoIndex over the page graph: from the hints pass 1 kept of each
    file, and again without hints (each module read and parsed again): both give the same."""
    write_tree(tmp_path, files)
    kinds = {rel: classify(posixpath.basename(rel)) for rel in files}
    worker = RepoIndex(tmp_path, kinds)
    frameworks = registered()
    edges, found, hints = [], [], {}
    for rel in sorted(files):
        source = Source(rel, files[rel])
        edges += templates_python.file_edges(rel, files[rel], worker)
        for framework in frameworks:
            edges += framework.source_edges(source, worker)
            found += inferences(framework.file_routes(source, worker))
            hints[rel] = hints.get(rel, ()) + framework.source_hints(source, worker)
    by_pass = []
    for kept in (hints, None):
        main = RepoIndex(tmp_path, kinds)
        main.hints = kept
        graph = PageGraph([e for e in edges if main.exists(e.source) and main.exists(e.target)])
        by_pass.append(sorted({i for framework in frameworks for i in inferences(framework.routes(main, graph))}))
    assert by_pass[0] == by_pass[1]
    return sorted(set(found + by_pass[0]))


def labels(found) -> set[tuple[str, str]]:
    return {(i.page, i.label) for i in found}


def only(found, page: str, label: str = "authenticated"):
    """The evidence (text, path, line) of the one inference for page/label."""
    hits = [(i.text, i.path, i.line) for i in found if i.page == page and i.label == label]
    assert hits, f"no {label} inference for {page}: {found}"
    return hits[0]


T = "templates/"  # a Flask app's template folder
D = "clinic/templates/clinic/"  # a Django app's template folder


# --- Django function views -----------------------------------------------------------------

DJANGO_VIEWS = '''from django.contrib.auth.decorators import login_required, permission_required, user_passes_test
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required as needs_login
from django.shortcuts import render, render_to_response
from django.template.response import TemplateResponse


@login_required
def dashboard(request):
    return render(request, "clinic/dashboard.html", {})


@login_required(login_url="/accounts/login/")
def records(request):
    template = "clinic/records.html"
    return render(request, template)


@permission_required("clinic.view_labresult")
def results(request):
    return TemplateResponse(request, "clinic/results.html")


@user_passes_test(lambda u: u.is_patient)
def billing(request):
    return render_to_response("clinic/billing.html")


@staff_member_required
def staff(request):
    return render(request, template_name="clinic/staff.html")


@needs_login
def profile(request):
    return render(request, "clinic/profile.html")


def home(request):
    # @login_required  (commented out: the home page is public)
    return render(request, "clinic/home.html")
'''


def _django_templates(*names):
    return {D + name: "<p></p>" for name in names}


def test_django_function_view_decorators(tmp_path):
    found = infer(tmp_path, {
        "clinic/views.py": DJANGO_VIEWS,
        **_django_templates("dashboard.html", "records.html", "results.html", "billing.html", "staff.html",
                            "profile.html", "home.html"),
    })
    assert labels(found) == {
        (D + "dashboard.html", "authenticated"),
        (D + "records.html", "authenticated"),
        (D + "results.html", "authenticated"),
        (D + "billing.html", "authenticated"),
        (D + "staff.html", "authenticated"),
        (D + "profile.html", "authenticated"),
    }
    assert only(found, D + "dashboard.html") == ("@login_required on view `dashboard`", "clinic/views.py", 8)
    assert only(found, D + "results.html")[0] == "@permission_required('clinic.view_labresult') on view `results`"
    assert only(found, D + "profile.html")[0] == "@needs_login on view `profile`"


def test_login_required_imported_but_never_applied_is_no_signal(tmp_path):
    found = infer(tmp_path, {
        "clinic/views.py": (
            "from django.contrib.auth.decorators import login_required\n"
            "from django.shortcuts import render\n\n\n"
            "def dashboard(request):\n    return render(request, 'clinic/dashboard.html')\n\n\n"
            "login_required  # kept for later\n"
        ),
        **_django_templates("dashboard.html"),
    })
    assert found == []


def test_a_syntax_error_gives_nothing(tmp_path):
    found = infer(tmp_path, {
        "clinic/views.py": "@login_required\ndef dashboard(request:\n    return render(request, 'clinic/x.html')\n",
        **_django_templates("x.html"),
    })
    assert found == []


def test_template_names_from_constants_conditionals_and_patterns(tmp_path):
    found = infer(tmp_path, {
        "clinic/views.py": (
            "from django.contrib.auth.decorators import login_required\nfrom django.shortcuts import render\n"
            "DETAIL = 'clinic/detail.html'\n\n"
            "@login_required\ndef detail(request):\n    return render(request, DETAIL)\n\n"
            "@login_required\ndef choose(request):\n"
            "    return render(request, 'clinic/a.html' if request.GET else 'clinic/b.html')\n\n"
            "@login_required\ndef section(request, slug):\n    return render(request, f'clinic/sections/{slug}.html')\n\n"
            "@login_required\ndef first(request):\n"
            "    return render(request, ['clinic/custom.html', 'clinic/fallback.html', 'clinic/a.html'])\n"
        ),
        **_django_templates("detail.html", "a.html", "b.html", "sections/x.html", "sections/y.html", "fallback.html"),
    })
    assert {page for page, _ in labels(found)} == {
        D + "detail.html", D + "a.html", D + "b.html", D + "sections/x.html", D + "sections/y.html", D + "fallback.html",
    }


# --- Django class-based views --------------------------------------------------------------

DJANGO_CBV = '''from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin, UserPassesTestMixin
from django.utils.decorators import method_decorator
from django.views.generic import DetailView, ListView, TemplateView

from .models import Appointment, LabResult


class PortalView(LoginRequiredMixin, TemplateView):
    login_url = "/accounts/login/"


class Overview(PortalView):
    template_name = "clinic/overview.html"


class Appointments(PermissionRequiredMixin, ListView):
    permission_required = "clinic.view_appointment"
    model = Appointment


class Result(UserPassesTestMixin, DetailView):
    model = LabResult
    template_name_suffix = "_page"

    def test_func(self):
        return self.request.user.is_patient


@method_decorator(login_required, name="dispatch")
class Messages(TemplateView):
    template_name = "clinic/messages.html"


class Settings(TemplateView):
    template_name = "clinic/settings.html"

    @method_decorator(login_required)
    def dispatch(self, *args, **kwargs):
        return super().dispatch(*args, **kwargs)


class Picker(LoginRequiredMixin, TemplateView):
    def get_template_names(self):
        return ["clinic/picker.html"]


@method_decorator(login_required, name="post")
class Contact(TemplateView):
    template_name = "clinic/contact.html"


class About(TemplateView):
    template_name = "clinic/about.html"
'''


def test_django_class_based_views(tmp_path):
    found = infer(tmp_path, {
        "clinic/views.py": DJANGO_CBV,
        **_django_templates("overview.html", "appointment_list.html", "labresult_page.html", "messages.html",
                            "settings.html", "picker.html", "contact.html", "about.html"),
    })
    assert labels(found) == {
        (D + "overview.html", "authenticated"),
        (D + "appointment_list.html", "authenticated"),
        (D + "labresult_page.html", "authenticated"),
        (D + "messages.html", "authenticated"),
        (D + "settings.html", "authenticated"),
        (D + "picker.html", "authenticated"),
    }  # Contact (login only for POST) and About are public
    assert only(found, D + "overview.html") == ("LoginRequiredMixin (via PortalView) on view `Overview`", "clinic/views.py", 13)
    assert only(found, D + "messages.html")[0] == "method_decorator(login_required) on view `Messages`"


def test_a_project_mixin_in_another_module(tmp_path):
    found = infer(tmp_path, {
        "portal/mixins.py": (
            "from django.contrib.auth.mixins import LoginRequiredMixin\n\n\n"
            "class PatientOnlyMixin(LoginRequiredMixin):\n    pass\n"
        ),
        "clinic/views.py": (
            "from django.views.generic import TemplateView\nfrom portal.mixins import PatientOnlyMixin\n\n\n"
            "class Chart(PatientOnlyMixin, TemplateView):\n    template_name = 'clinic/chart.html'\n"
        ),
        **_django_templates("chart.html"),
    })
    assert only(found, D + "chart.html") == (
        "LoginRequiredMixin (via PatientOnlyMixin) on view `Chart`", "clinic/views.py", 5,
    )


# --- URLconfs -------------------------------------------------------------------------------

URLS = '''from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from . import views

urlpatterns = [
    path("", views.home),
    path("inbox/", login_required(views.inbox)),
    path("help/", login_required(TemplateView.as_view(template_name="clinic/help.html"))),
    path("chart/", permission_required("clinic.view_chart")(views.chart)),
    path("later/", never_cache(login_required(views.later))),
    path("about/", TemplateView.as_view(template_name="clinic/about.html")),
    path("login/", auth_views.LoginView.as_view(template_name="clinic/login.html")),
]
'''

URL_VIEWS = '''from django.shortcuts import render


def home(request):
    return render(request, "clinic/home.html")


def inbox(request):
    return render(request, "clinic/inbox.html")


def chart(request):
    return render(request, "clinic/chart.html")


def later(request):
    return render(request, "clinic/later.html")
'''


def test_urlconf_wrappers_reach_the_views_templates(tmp_path):
    found = infer(tmp_path, {
        "clinic/urls.py": URLS,
        "clinic/views.py": URL_VIEWS,
        **_django_templates("home.html", "inbox.html", "help.html", "chart.html", "later.html", "about.html",
                            "login.html"),
    })
    assert labels(found) == {
        (D + "inbox.html", "authenticated"),
        (D + "help.html", "authenticated"),
        (D + "chart.html", "authenticated"),
        (D + "later.html", "authenticated"),
        (D + "login.html", "public"),
    }
    assert only(found, D + "inbox.html") == ("login_required(views.inbox) in URLconf", "clinic/urls.py", 11)


def test_decorator_include_covers_the_included_urlconf(tmp_path):
    found = infer(tmp_path, {
        "proj/urls.py": (
            "from decorator_include import decorator_include\nfrom django.contrib.auth.decorators import login_required\n"
            "from django.urls import include, path\n\n"
            "urlpatterns = [\n    path('portal/', decorator_include(login_required, 'clinic.urls')),\n"
            "    path('', include('site_pages.urls')),\n]\n"
        ),
        "clinic/urls.py": "from django.urls import path\nfrom . import views\nurlpatterns = [path('', views.home)]\n",
        "clinic/views.py": "from django.shortcuts import render\n\n\ndef home(request):\n    return render(request, 'clinic/home.html')\n",
        "site_pages/urls.py": "from django.urls import path\nfrom . import views\nurlpatterns = [path('', views.index)]\n",
        "site_pages/views.py": "from django.shortcuts import render\n\n\ndef index(request):\n    return render(request, 'site_pages/index.html')\n",
        **_django_templates("home.html"),
        "site_pages/templates/site_pages/index.html": "",
    })
    assert labels(found) == {(D + "home.html", "authenticated")}
    assert only(found, D + "home.html") == (
        "decorator_include(login_required, 'clinic.urls') in URLconf (view `home`)", "proj/urls.py", 6,
    )


def test_login_required_middleware_covers_routed_views_except_exemptions(tmp_path):
    found = infer(tmp_path, {
        "manage.py": "",
        "proj/settings.py": (
            "MIDDLEWARE = [\n    'django.contrib.sessions.middleware.SessionMiddleware',\n"
            "    'django.contrib.auth.middleware.LoginRequiredMiddleware',\n]\nROOT_URLCONF = 'proj.urls'\n"
        ),
        "proj/urls.py": (
            "from django.contrib.auth import views as auth_views\nfrom django.contrib.auth.decorators import login_not_required\n"
            "from django.urls import path\nfrom clinic import views\n\n"
            "urlpatterns = [\n    path('', views.home),\n    path('open/', login_not_required(views.open_day)),\n"
            "    path('news/', views.news),\n    path('login/', auth_views.LoginView.as_view()),\n]\n"
        ),
        "clinic/views.py": (
            "from django.contrib.auth.decorators import login_not_required\nfrom django.shortcuts import render\n\n\n"
            "def home(request):\n    return render(request, 'clinic/home.html')\n\n\n"
            "def open_day(request):\n    return render(request, 'clinic/open.html')\n\n\n"
            "@login_not_required\ndef news(request):\n    return render(request, 'clinic/news.html')\n"
        ),
        **_django_templates("home.html", "open.html", "news.html"),
        "templates/registration/login.html": "",
    })
    assert labels(found) == {
        (D + "home.html", "authenticated"),
        ("templates/registration/login.html", "public"),
    }
    assert only(found, D + "home.html") == (
        "LoginRequiredMiddleware in settings.MIDDLEWARE (view `home`)", "proj/settings.py", 1,
    )


def test_without_the_middleware_nothing_is_inferred_from_settings(tmp_path):
    found = infer(tmp_path, {
        "proj/settings.py": "MIDDLEWARE = []\nROOT_URLCONF = 'proj.urls'\n",
        "proj/urls.py": "from django.urls import path\nfrom clinic import views\nurlpatterns = [path('', views.home)]\n",
        "clinic/views.py": "from django.shortcuts import render\n\n\ndef home(request):\n    return render(request, 'clinic/home.html')\n",
        **_django_templates("home.html"),
    })
    assert found == []


def test_login_view_subclass_is_a_public_sign_in_page(tmp_path):
    found = infer(tmp_path, {
        "accounts/views.py": (
            "from django.contrib.auth.views import LoginView\n\n\n"
            "class PatientLogin(LoginView):\n    template_name = 'accounts/login.html'\n"
        ),
        "accounts/templates/accounts/login.html": "",
    })
    assert labels(found) == {("accounts/templates/accounts/login.html", "public")}


# --- Flask ----------------------------------------------------------------------------------

FLASK_APP = '''from flask import Flask, render_template
from flask.views import MethodView
from flask_login import LoginManager, login_required
from flask_security import auth_required, roles_required

app = Flask(__name__)
login_manager = LoginManager(app)
login_manager.login_view = "login"


@app.route("/")
def index():
    return render_template("index.html")


@app.route("/login")
def login():
    return render_template("login.html")


@app.route("/portal")
@login_required
def portal():
    return render_template("portal/home.html")


@app.route("/account")
@auth_required("session")
def account():
    return render_template("account.html")


@app.route("/admin")
@roles_required("admin")
def admin():
    return render_template("admin.html")


@app.route("/draft")
# @login_required
def draft():
    return render_template("draft.html")


class Inbox(MethodView):
    decorators = [login_required]

    def get(self):
        return render_template("inbox.html")


app.add_url_rule("/inbox", view_func=Inbox.as_view("inbox"))
'''


def test_flask_view_decorators_method_views_and_the_login_view(tmp_path):
    found = infer(tmp_path, {
        "app.py": FLASK_APP,
        **{T + name: "" for name in ("index.html", "login.html", "portal/home.html", "account.html", "admin.html",
                                      "draft.html", "inbox.html")},
    })
    assert labels(found) == {
        (T + "portal/home.html", "authenticated"),
        (T + "account.html", "authenticated"),
        (T + "admin.html", "authenticated"),
        (T + "inbox.html", "authenticated"),
        (T + "login.html", "public"),
    }
    assert only(found, T + "portal/home.html") == ("@login_required on view `portal`", "app.py", 22)
    assert only(found, T + "inbox.html")[0] == "decorators = [login_required] on view `Inbox`"


BLUEPRINT = '''from flask import Blueprint, redirect, request, url_for
from flask_login import current_user

portal = Blueprint("portal", __name__, template_folder="pages")


@portal.before_request
def require_login():
    if request.endpoint == "portal.welcome":
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.url))


from . import views  # noqa: E402
'''

BLUEPRINT_VIEWS = '''from flask import render_template

from . import portal


@portal.route("/")
def home():
    return render_template("portal/home.html")


@portal.route("/welcome")
def welcome():
    return render_template("portal/welcome.html")
'''


def test_a_blueprint_before_request_guard_covers_its_views_in_other_modules(tmp_path):
    found = infer(tmp_path, {
        "app/portal/__init__.py": BLUEPRINT,
        "app/portal/views.py": BLUEPRINT_VIEWS,
        "app/portal/pages/portal/home.html": "",
        "app/portal/pages/portal/welcome.html": "",
        "app/templates/portal/home.html": "",  # another folder's template with the same name
    })
    assert labels(found) == {("app/portal/pages/portal/home.html", "authenticated")}
    assert only(found, "app/portal/pages/portal/home.html") == (
        "@portal.before_request `require_login` requires login for view `home`", "app/portal/__init__.py", 7,
    )


def test_a_guard_decorated_with_login_required_and_the_call_form(tmp_path):
    found = infer(tmp_path, {
        "members.py": (
            "from flask import Blueprint, render_template\nfrom flask_login import login_required\n"
            "bp = Blueprint('members', __name__)\nshop = Blueprint('shop', __name__)\n\n\n"
            "@bp.before_request\n@login_required\ndef guard():\n    pass\n\n\n"
            "def check():\n    if g.user is None:\n        abort(401)\n\n\nshop.before_request(check)\n\n\n"
            "@bp.route('/')\ndef home():\n    return render_template('members/home.html')\n\n\n"
            "@shop.route('/cart')\ndef cart():\n    return render_template('shop/cart.html')\n"
        ),
        T + "members/home.html": "",
        T + "shop/cart.html": "",
    })
    assert labels(found) == {(T + "members/home.html", "authenticated"), (T + "shop/cart.html", "authenticated")}


def test_a_before_request_hook_that_does_not_check_login_is_no_guard(tmp_path):
    found = infer(tmp_path, {
        "app.py": (
            "from flask import Flask, g, render_template, request\napp = Flask(__name__)\n\n\n"
            "@app.before_request\ndef locale():\n    g.locale = request.accept_languages.best_match(['en', 'es'])\n\n\n"
            "@app.route('/')\ndef home():\n    return render_template('home.html')\n"
        ),
        T + "home.html": "",
    })
    assert found == []


def test_an_app_wide_guard_exempts_the_endpoints_it_names(tmp_path):
    found = infer(tmp_path, {
        "app.py": (
            "from flask import Flask, redirect, render_template, request, url_for\n"
            "from flask_login import current_user\napp = Flask(__name__)\n\n\n"
            "@app.before_request\ndef require_login():\n"
            "    if request.endpoint in ('login', 'static') or current_user.is_authenticated:\n        return None\n"
            "    return redirect(url_for('login'))\n\n\n"
            "@app.route('/login')\ndef login():\n    return render_template('login.html')\n\n\n"
            "@app.route('/')\ndef dashboard():\n    return render_template('dashboard.html')\n"
        ),
        T + "login.html": "",
        T + "dashboard.html": "",
    })
    # login.html is public by its URL (`/login`), which the route resolver reads for every route
    assert labels(found) == {(T + "dashboard.html", "authenticated"), (T + "login.html", "public")}
    assert only(found, T + "login.html", "public")[0] == "served at the login route `/login`"


def test_a_project_login_decorator_defined_in_the_repo(tmp_path):
    found = infer(tmp_path, {
        "flaskr/auth.py": (
            "import functools\nfrom flask import g, redirect, url_for\n\n\n"
            "def patient_required(view):\n    @functools.wraps(view)\n    def wrapped(**kwargs):\n"
            "        if g.user is None:\n            return redirect(url_for('auth.login'))\n"
            "        return view(**kwargs)\n    return wrapped\n"
        ),
        "flaskr/blog.py": (
            "from flask import Blueprint, render_template\nfrom flaskr.auth import patient_required\n"
            "bp = Blueprint('blog', __name__)\n\n\n@bp.route('/create')\n@patient_required\ndef create():\n"
            "    return render_template('blog/create.html')\n\n\n@bp.route('/')\ndef index():\n"
            "    return render_template('blog/index.html')\n"
        ),
        "flaskr/templates/blog/create.html": "",
        "flaskr/templates/blog/index.html": "",
    })
    assert labels(found) == {("flaskr/templates/blog/create.html", "authenticated")}
    assert only(found, "flaskr/templates/blog/create.html")[0] == (
        "@patient_required on view `create` (it checks the signed-in user)"
    )


# --- route URLs: one resolver (phi_lint.frameworks.routes) for every Python route ------------


def _served(found, label: str = "health"):
    """(page, text, path, line, weak) of the inferences with `label`, sorted."""
    return sorted((i.page, i.text, i.path, i.line, i.weak) for i in found if i.label == label)


def test_a_flask_route_url_that_names_a_health_topic(tmp_path):
    found = infer(tmp_path, {
        "app.py": (
            'from flask import Flask, render_template\napp = Flask(__name__)\n'
            '@app.route("/find-a-doctor")\ndef fad():\n    return render_template("visit.html")\n\n'
            '@app.route("/")\ndef home():\n    return render_template("home.html")\n\n'
            '@app.route("/appointments")\ndef a():\n    return render_template("missing.html")\n'
        ),
        T + "visit.html": "",
        T + "home.html": "",
    })
    assert _served(found) == [(T + "visit.html", "served at route `/find-a-doctor`", "app.py", 3, False)]


@pytest.mark.parametrize("render", [
    "render_template(ARTICLE)",  # a module constant: the shape the regex route table missed
    "render_template('article.html')",
    "render_template(name)",  # a local
    "render_template([ARTICLE, 'other.html'])",  # the first that exists
])
def test_a_flask_health_route_resolves_its_template_however_it_is_named(tmp_path, render):
    local = "    name = 'article.html'\n" if "name" in render else ""
    found = infer(tmp_path, {
        "app.py": (
            'from flask import Flask, render_template\napp = Flask(__name__)\nARTICLE = "article.html"\n'
            f'@app.route("/conditions/hiv-treatment")\ndef hiv():\n{local}    return {render}\n'
        ),
        T + "article.html": "",
        T + "other.html": "",
    })
    assert _served(found) == [(T + "article.html", "served at route `/conditions/hiv-treatment`", "app.py", 4, False)]


def test_a_route_url_outside_health_or_with_no_resolvable_template_is_no_signal(tmp_path):
    found = infer(tmp_path, {
        "app.py": (
            'from flask import Flask, render_template\napp = Flask(__name__)\nARTICLE = "article.html"\n'
            '@app.route("/about/team")\ndef team():\n    return render_template(ARTICLE)\n\n'
            '@app.route("/conditions/<slug>")\ndef condition(slug):\n    return render_template(template_for(slug))\n'
        ),
        T + "article.html": "",
    })
    assert found == []


def test_routes_under_an_account_area_and_login_routes(tmp_path):
    found = infer(tmp_path, {
        "app.py": (
            'from flask import Flask, render_template\nfrom flask_login import login_required\napp = Flask(__name__)\n'
            '@app.route("/portal/dashboard")\n@login_required\ndef dash():\n    return render_template("dash.html")\n\n'
            '@app.route("/portal/login")\ndef login():\n    return render_template("signin.html")\n\n'
            '@app.route("/about")\ndef about():\n    return render_template("about.html")\n'
        ),
        T + "dash.html": "",
        T + "signin.html": "",
        T + "about.html": "",
    })
    assert _served(found, "authenticated") == [
        (T + "dash.html", "@login_required on view `dash`", "app.py", 5, False),
        (T + "dash.html", "served at route `/portal/dashboard`", "app.py", 4, True),
    ]
    assert _served(found, "public") == [(T + "signin.html", "served at the login route `/portal/login`", "app.py", 9, False)]


def test_a_django_urlconf_url_that_names_a_health_topic(tmp_path):
    found = infer(tmp_path, {
        "clinic/urls.py": (
            "from django.urls import path\nfrom django.views.generic import TemplateView\nfrom . import views\n"
            "PAGE = 'clinic/telehealth.html'\nurlpatterns = [\n"
            '    path("telehealth/", TemplateView.as_view(template_name=PAGE)),\n'
            '    path("conditions/asthma/", views.asthma),\n'
            '    path("about/", TemplateView.as_view(template_name="clinic/about.html")),\n]\n'
        ),
        "clinic/views.py": (
            "from django.shortcuts import render\nASTHMA = 'clinic/asthma.html'\n\n"
            "def asthma(request):\n    return render(request, ASTHMA)\n"
        ),
        D + "telehealth.html": "",
        D + "asthma.html": "",
        D + "about.html": "",
    })
    assert _served(found) == [
        (D + "asthma.html", "served at route `conditions/asthma/`", "clinic/urls.py", 7, False),
        (D + "telehealth.html", "served at route `telehealth/`", "clinic/urls.py", 6, False),
    ]


def test_fastapi_template_responses_at_a_health_url(tmp_path):
    found = infer(tmp_path, {
        "main.py": (
            "from fastapi import APIRouter, FastAPI, Request\nfrom fastapi.templating import Jinja2Templates\n"
            "app = FastAPI()\nrouter = APIRouter()\ntemplates = Jinja2Templates(directory='templates')\n"
            "ARTICLE = 'article.html'\n\n"
            "@app.get('/conditions/diabetes')\nasync def diabetes(request: Request):\n"
            "    return templates.TemplateResponse(request, ARTICLE)\n\n"
            "@router.api_route('/symptoms/cough')\nasync def cough(request: Request):\n"
            "    return templates.TemplateResponse(name='cough.html', request=request)\n\n"
            "@app.get('/treatments/old-style')\nasync def old(request: Request):\n"
            "    return templates.TemplateResponse('old.html', {'request': request})\n\n"
            "@app.get('/about')\nasync def about(request: Request):\n"
            "    return templates.TemplateResponse(request, 'about.html')\n"
        ),
        T + "article.html": "",
        T + "cough.html": "",
        T + "old.html": "",
        T + "about.html": "",
    })
    assert [(page, text, line) for page, text, _path, line, _weak in _served(found)] == [
        (T + "article.html", "served at route `/conditions/diabetes`", 8),
        (T + "cough.html", "served at route `/symptoms/cough`", 12),
        (T + "old.html", "served at route `/treatments/old-style`", 16),
    ]
    assert {i.label for i in found} == {"health"}  # no guard is read from a FastAPI route


# --- through the scan -----------------------------------------------------------------------

PIXEL_PARTIAL = """<script>
!function(f,b,e,v,n,t,s){if(f.fbq)return;n=f.fbq=function(){n.callMethod?
n.callMethod.apply(n,arguments):n.queue.push(arguments)};if(!f._fbq)f._fbq=n;
n.push=n;n.loaded=!0;n.version='2.0';n.queue=[];t=b.createElement(e);t.async=!0;
t.src=v;s=b.getElementsByTagName(e)[0];s.parentNode.insertBefore(t,s)}(window,
document,'script','https://connect.facebook.net/en_US/fbevents.js');
fbq('init', '111122223333444');
</script>
"""


@pytest.mark.parametrize("infer_setting, expected", [("", "PHI001"), ("infer = false\n", "PHI100")])
def test_inference_can_be_turned_off(tmp_path, infer_setting, expected):
    write_tree(tmp_path, {
        "phi-lint.toml": infer_setting,
        "clinic/views.py": (
            "from django.contrib.auth.decorators import login_required\nfrom django.shortcuts import render\n\n\n"
            "@login_required\ndef chart(request):\n    return render(request, 'clinic/chart.html')\n"
        ),
        D + "chart.html": '{% extends "clinic/layout.html" %}\n',
        D + "layout.html": '<html><head>{% include "clinic/pixel.html" %}</head></html>\n',
        D + "pixel.html": PIXEL_PARTIAL,
    })
    result = scan_tree(tmp_path)
    assert finding_lines(result, tmp_path) == [f"{expected} {D}pixel.html:6 meta-pixel"]
    if expected == "PHI001":
        evidence = result.findings[0].pages[0]
        assert evidence.page == D + "chart.html"


def test_each_module_is_parsed_once_for_every_python_framework(tmp_path, monkeypatch):
    import ast

    from phi_lint.lang import python as lang_python

    calls = []
    real_parse = ast.parse
    monkeypatch.setattr(lang_python.ast, "parse", lambda *a, **k: calls.append(1) or real_parse(*a, **k))
    files = {
        "app.py": (
            "from flask import Flask, render_template\nfrom flask_login import login_required\n"
            "app = Flask(__name__)\n@app.route('/notes')\n@login_required\ndef notes():\n"
            "    return render_template('notes.html')\n"
        ),
        T + "notes.html": "",
    }
    write_tree(tmp_path, files)
    repo = RepoIndex(tmp_path, {rel: classify(posixpath.basename(rel)) for rel in files})
    source = Source("app.py", files["app.py"])
    found = []
    for framework in registered():
        list(framework.source_edges(source, repo))
        found += inferences(framework.file_routes(source, repo))
    assert [(i.page, i.label) for i in found] == [(T + "notes.html", "authenticated")]
    assert len(calls) == 1
