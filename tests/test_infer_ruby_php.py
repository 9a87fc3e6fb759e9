"""Context inference for Rails (before_action filters, Devise) and Laravel (auth middleware)."""

from __future__ import annotations

import posixpath

import pytest
from helpers import write_tree

from phi_lint.discovery import classify
from phi_lint.inference.ruby_php import infer_project
from phi_lint.pagegraph import PageGraph, RepoIndex
from phi_lint.pagegraph.templates_ruby_php import file_edges, project_edges


def _infer(tmp_path, files: dict[str, str]):
    write_tree(tmp_path, files)
    kinds = {rel: classify(posixpath.basename(rel)) for rel in files}
    repo = RepoIndex(tmp_path, {rel: kind for rel, kind in kinds.items() if kind})
    edges = []
    for rel, text in files.items():
        if kinds[rel] in ("markup", "script", "code"):
            edges.extend(file_edges(rel, text, repo))
    edges.extend(project_edges(repo))
    return infer_project(repo, PageGraph(edges))


def _labels(tmp_path, files) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for inference in _infer(tmp_path, files):
        out.setdefault(inference.page, set()).add(inference.label + ("?" if inference.weak else ""))
    return out


# =============================================================================== Rails

APP = "class ApplicationController < ActionController::Base\n  before_action :authenticate_user!\nend\n"


def _rails(extra: dict[str, str], app: str = APP) -> dict[str, str]:
    return {
        "app/controllers/application_controller.rb": app,
        "app/views/layouts/application.html.erb": "<%= yield %>",
        **extra,
    }


def test_application_controller_filter_covers_every_derived_controller(tmp_path):
    files = _rails(
        {
            "app/controllers/patients_controller.rb": "class PatientsController < ApplicationController\n  def show\n  end\nend\n",
            "app/views/patients/show.html.erb": "x",
            "app/views/patients/history.html.erb": "x",  # implicit action: still behind the filter
            "app/views/patients/_row.html.erb": "x",  # partials are reached through their pages
        }
    )
    found = _infer(tmp_path, files)
    show = next(i for i in found if i.page == "app/views/patients/show.html.erb")
    assert show.label == "authenticated" and not show.weak
    assert show.text == (
        "before_action :authenticate_user! in ApplicationController, inherited by PatientsController (action `show`)"
    )
    assert (show.path, show.line) == ("app/controllers/application_controller.rb", 2)
    assert {i.page for i in found} == {
        "app/views/patients/show.html.erb",
        "app/views/patients/history.html.erb",
        "app/views/layouts/application.html.erb",  # every page using it is behind login
    }


@pytest.mark.parametrize(
    "declaration,expected",
    [
        ("skip_before_action :authenticate_user!", set()),
        ("skip_before_action :authenticate_user!, only: :index", {"show", "edit"}),
        ("skip_before_action :authenticate_user!, only: [:index, :show]", {"edit"}),
        ("skip_before_action :authenticate_user!, except: %i[edit]", {"edit"}),
        ("skip_before_filter :authenticate_user!, :only => [:index]", {"show", "edit"}),
        ("# skip_before_action :authenticate_user!", {"index", "show", "edit"}),
        ("skip_before_action :set_locale", {"index", "show", "edit"}),
    ],
)
def test_skip_before_action_with_only_and_except(tmp_path, declaration, expected):
    files = _rails(
        {
            "app/controllers/plans_controller.rb": f"class PlansController < ApplicationController\n  {declaration}\nend\n",
            "app/views/plans/index.html.erb": "x",
            "app/views/plans/show.html.erb": "x",
            "app/views/plans/edit.html.erb": "x",
        }
    )
    labelled = {
        posixpath.basename(p).split(".")[0]
        for p, labels in _labels(tmp_path, files).items()
        if "authenticated" in labels and "/layouts/" not in p
    }
    assert labelled == expected


@pytest.mark.parametrize(
    "declaration,expected",
    [
        ("before_action :authenticate_user!, only: [:edit, :update]", {"edit"}),
        ("before_action :authenticate_user!, except: :index", {"show", "edit"}),
        ("before_action :require_login", {"index", "show", "edit"}),
        ("before_action :require_user, :set_plan", {"index", "show", "edit"}),
        ("before_action :authorize_user!", {"index", "show", "edit"}),
        ("prepend_before_action :authenticate_patient!", {"index", "show", "edit"}),
        ('http_basic_authenticate_with name: "staff", password: ENV["PW"], except: :index', {"show", "edit"}),
        ("before_action { authenticate_user! }", {"index", "show", "edit"}),
        ("before_action :set_plan", set()),
        ("# before_action :authenticate_user!", set()),
        ("before_action :authenticate_user!, only: :show\n  before_action :authenticate_user!, only: :edit", {"edit"}),
    ],
)
def test_filters_declared_in_the_controller(tmp_path, declaration, expected):
    files = {
        "app/controllers/application_controller.rb": "class ApplicationController < ActionController::Base\nend\n",
        "app/controllers/plans_controller.rb": f"class PlansController < ApplicationController\n  {declaration}\nend\n",
        "app/views/plans/index.html.erb": "x",
        "app/views/plans/show.html.erb": "x",
        "app/views/plans/edit.html.erb": "x",
    }
    labelled = {
        posixpath.basename(p).split(".")[0]
        for p, labels in _labels(tmp_path, files).items()
        if "authenticated" in labels and "/layouts/" not in p
    }
    assert labelled == expected


def test_conditional_filters_are_weak_except_the_devise_idiom(tmp_path):
    app = "class ApplicationController < ActionController::Base\n  before_action :authenticate_user!, unless: :devise_controller?\nend\n"
    files = _rails(
        {
            "app/controllers/plans_controller.rb": "class PlansController < ApplicationController\nend\n",
            "app/views/plans/index.html.erb": "x",
            "app/controllers/kiosk_controller.rb": "class KioskController < ActionController::Base\n  before_action :authenticate_user!, if: :remote?\nend\n",
            "app/views/kiosk/index.html.erb": "x",
        },
        app=app,
    )
    labels = _labels(tmp_path, files)
    assert labels["app/views/plans/index.html.erb"] == {"authenticated"}
    assert labels["app/views/kiosk/index.html.erb"] == {"authenticated?"}


def test_filter_from_an_included_concern(tmp_path):
    concern = (
        "module StaffAuthentication\n  extend ActiveSupport::Concern\n\n  included do\n"
        "    before_action :authenticate_staff!\n  end\nend\n"
    )
    files = {
        "app/controllers/concerns/staff_authentication.rb": concern,
        "app/controllers/admin/base_controller.rb": "module Admin\n  class BaseController < ActionController::Base\n    include StaffAuthentication\n  end\nend\n",
        "app/controllers/admin/reports_controller.rb": "class Admin::ReportsController < Admin::BaseController\nend\n",
        "app/views/admin/reports/index.html.erb": "x",
        "app/controllers/help_controller.rb": "class HelpController < ActionController::Base\n  # include StaffAuthentication\nend\n",
        "app/views/help/index.html.erb": "x",
    }
    found = _infer(tmp_path, files)
    assert {i.page for i in found} == {"app/views/admin/reports/index.html.erb"}
    assert found[0].text == (
        "before_action :authenticate_staff! in concern StaffAuthentication, included by Admin::BaseController, "
        "inherited by Admin::ReportsController (action `index`)"
    )
    assert found[0].path == "app/controllers/concerns/staff_authentication.rb"


def test_rails_8_authentication_generator(tmp_path):
    concern = (
        "module Authentication\n  extend ActiveSupport::Concern\n\n  included do\n"
        "    before_action :require_authentication\n    helper_method :authenticated?\n  end\n\n"
        "  class_methods do\n    def allow_unauthenticated_access(**options)\n"
        "      skip_before_action :require_authentication, **options\n    end\n  end\nend\n"
    )
    files = {
        "app/controllers/concerns/authentication.rb": concern,
        "app/controllers/application_controller.rb": "class ApplicationController < ActionController::Base\n  include Authentication\nend\n",
        "app/controllers/sessions_controller.rb": (
            "class SessionsController < ApplicationController\n  allow_unauthenticated_access only: %i[ new create ]\nend\n"
        ),
        "app/views/sessions/new.html.erb": "x",
        "app/controllers/records_controller.rb": "class RecordsController < ApplicationController\nend\n",
        "app/views/records/index.html.erb": "x",
    }
    labels = _labels(tmp_path, files)
    assert labels == {"app/views/records/index.html.erb": {"authenticated"}}


def test_controller_not_deriving_from_application_controller_is_not_covered(tmp_path):
    files = _rails(
        {
            "app/controllers/webhooks_controller.rb": "class WebhooksController < ActionController::Base\nend\n",
            "app/views/webhooks/index.html.erb": "x",
            "app/views/orphans/index.html.erb": "x",  # no controller in the repo: nothing inferred
        }
    )
    assert _labels(tmp_path, files) == {}


def test_devise_views_sign_in_is_public_and_edit_registration_is_behind_login(tmp_path):
    files = _rails(
        {
            "config/initializers/devise.rb": "Devise.setup do |config|\nend\n",
            "app/views/devise/sessions/new.html.erb": "<input type=password>",
            "app/views/devise/registrations/new.html.erb": "x",
            "app/views/devise/registrations/edit.html.erb": "x",
            "app/views/devise/passwords/new.html.erb": "x",
            "app/controllers/users/sessions_controller.rb": "class Users::SessionsController < Devise::SessionsController\nend\n",
            "app/views/users/sessions/new.html.erb": "x",
        }
    )
    assert _labels(tmp_path, files) == {
        "app/views/devise/sessions/new.html.erb": {"public"},
        "app/views/devise/registrations/edit.html.erb": {"authenticated"},
        "app/views/users/sessions/new.html.erb": {"public"},
    }


def test_layout_used_only_behind_login_is_labelled_and_a_shared_one_is_not(tmp_path):
    files = _rails(
        {
            "app/views/layouts/portal.html.erb": "<%= yield %>",
            "app/controllers/visits_controller.rb": 'class VisitsController < ApplicationController\n  layout "portal"\nend\n',
            "app/views/visits/index.html.erb": "x",
            "app/views/visits/show.html.erb": "x",
            "app/controllers/pages_controller.rb": (
                "class PagesController < ApplicationController\n  skip_before_action :authenticate_user!\nend\n"
            ),
            "app/views/pages/home.html.erb": "x",
            "app/controllers/dashboard_controller.rb": "class DashboardController < ApplicationController\nend\n",
            "app/views/dashboard/show.html.erb": "x",
        }
    )
    found = {i.page: i for i in _infer(tmp_path, files)}
    portal = found["app/views/layouts/portal.html.erb"]
    assert portal.label == "authenticated"
    assert portal.text == "layout used only by pages behind login (2 pages, e.g. app/views/visits/index.html.erb)"
    assert "app/views/layouts/application.html.erb" not in found  # pages/home uses it too
    assert "app/views/pages/home.html.erb" not in found


# =============================================================================== Laravel

CONTROLLER = """<?php

namespace App\\Http\\Controllers;

use Illuminate\\View\\View;

class {name} extends Controller
{{
{body}
    public function index(): View
    {{
        return view('{view}.index');
    }}

    public function show(int $id): View
    {{
        return view('{view}.show', ['id' => $id]);
    }}
}}
"""


def _laravel(routes: str, **controllers) -> dict[str, str]:
    files = {
        "routes/web.php": "<?php\n\nuse App\\Http\\Controllers\\RecordController;\nuse Illuminate\\Support\\Facades\\Route;\n\n" + routes,
        "resources/views/records/index.blade.php": "x",
        "resources/views/records/show.blade.php": "x",
        "resources/views/welcome.blade.php": "x",
        "resources/views/account/overview.blade.php": "x",
        "resources/views/auth/login.blade.php": "x",
    }
    files["app/Http/Controllers/RecordController.php"] = CONTROLLER.format(
        name="RecordController", view="records", body=controllers.get("body", "")
    )
    return files


def _laravel_labels(tmp_path, routes, **kw):
    labels = _labels(tmp_path, _laravel(routes, **kw))
    return {p[len("resources/views/") :].replace(".blade.php", ""): line for p, line in labels.items()}


@pytest.mark.parametrize(
    "routes",
    [
        "Route::middleware(['auth', 'verified'])->group(function () {\n"
        "    Route::get('/records', [RecordController::class, 'index']);\n"
        "    Route::get('/records/{id}', [RecordController::class, 'show']);\n});\n",
        "Route::group(['middleware' => 'auth', 'prefix' => 'portal'], function () {\n"
        "    Route::get('/records', [RecordController::class, 'index']);\n"
        "    Route::get('/records/{id}', [RecordController::class, 'show']);\n});\n",
        "Route::get('/records', [RecordController::class, 'index'])->middleware('auth');\n"
        "Route::get('/records/{id}', [RecordController::class, 'show'])->middleware(['auth:sanctum', 'verified']);\n",
        "Route::middleware('auth')->prefix('portal')->group(function () {\n"
        "    Route::prefix('mine')->group(function () {\n"
        "        Route::resource('records', RecordController::class)->only(['index', 'show']);\n    });\n});\n",
        "Route::controller(RecordController::class)->middleware('auth')->group(function () {\n"
        "    Route::get('/records', 'index');\n    Route::get('/records/{id}', 'show');\n});\n",
        "Route::middleware(\\Illuminate\\Auth\\Middleware\\Authenticate::class)->group(function () {\n"
        "    Route::get('/records', 'App\\Http\\Controllers\\RecordController@index');\n"
        "    Route::get('/records/{id}', 'RecordController@show');\n});\n",
    ],
)
def test_auth_middleware_forms(tmp_path, routes):
    assert _laravel_labels(tmp_path, routes) == {"records/index": {"authenticated"}, "records/show": {"authenticated"}}


def test_route_evidence_names_the_middleware_route_and_action(tmp_path):
    routes = (
        "Route::middleware('auth')->prefix('portal')->group(function () {\n"
        "    Route::get('/records', [RecordController::class, 'index']);\n});\n"
    )
    found = _infer(tmp_path, _laravel(routes))
    assert [(i.page, i.text, i.path, i.line) for i in found] == [
        (
            "resources/views/records/index.blade.php",
            "`auth` middleware on route GET /portal/records (RecordController@index)",
            "routes/web.php",
            6,
        )
    ]


@pytest.mark.parametrize(
    "routes",
    [
        "Route::get('/records', [RecordController::class, 'index']);\n",
        "Route::middleware('auth')->group(function () {\n    Route::get('/me', fn () => view('account.overview'));\n});\n"
        "Route::get('/records', [RecordController::class, 'index']);\n",
        "Route::get('/records', [RecordController::class, 'index']); // ->middleware('auth')\n",
        "Route::get('/records', [RecordController::class, 'index'])/* ->middleware('auth') */;\n",
        "// Route::middleware('auth')->group(function () {\nRoute::get('/records', [RecordController::class, 'index']);\n// });\n",
        "Route::middleware('auth')->group(function () {\n"
        "    Route::get('/records', [RecordController::class, 'index'])->withoutMiddleware('auth');\n});\n",
        "Route::middleware('throttle:60,1')->group(function () {\n    Route::get('/records', [RecordController::class, 'index']);\n});\n",
    ],
)
def test_routes_outside_the_group_or_with_the_guard_commented_out(tmp_path, routes):
    labels = _laravel_labels(tmp_path, routes)
    assert "records/index" not in labels


def test_route_view_and_closures_inside_the_group(tmp_path):
    routes = (
        "Route::middleware('auth')->group(function () {\n"
        "    Route::view('/account', 'account.overview');\n"
        "    Route::get('/records', function () {\n        return view('records.index');\n    });\n});\n"
        "Route::get('/', function () { return view('welcome'); });\n"
    )
    assert _laravel_labels(tmp_path, routes) == {
        "account/overview": {"authenticated"},
        "records/index": {"authenticated"},
    }


def test_guest_routes_are_public_pages(tmp_path):
    files = _laravel(
        "Route::middleware('guest')->group(function () {\n"
        "    Route::get('login', [AuthenticatedSessionController::class, 'create']);\n});\n"
    )
    files["routes/web.php"] = files["routes/web.php"].replace(
        "use Illuminate", "use App\\Http\\Controllers\\Auth\\AuthenticatedSessionController;\nuse Illuminate"
    )
    files["app/Http/Controllers/Auth/AuthenticatedSessionController.php"] = (
        "<?php\nnamespace App\\Http\\Controllers\\Auth;\nclass AuthenticatedSessionController extends Controller\n{\n"
        "    public function create()\n    {\n        return view('auth.login');\n    }\n}\n"
    )
    assert _labels(tmp_path, files) == {"resources/views/auth/login.blade.php": {"public"}}


@pytest.mark.parametrize(
    "body,expected",
    [
        ("    public function __construct()\n    {\n        $this->middleware('auth');\n    }\n", {"index", "show"}),
        ("    public function __construct()\n    {\n        $this->middleware('auth')->except('index');\n    }\n", {"show"}),
        ("    public function __construct()\n    {\n        $this->middleware(['auth', 'verified'])->only(['index']);\n    }\n", {"index"}),
        ("    public function __construct()\n    {\n        // $this->middleware('auth');\n    }\n", set()),
        ("    public function __construct()\n    {\n        $this->middleware('guest');\n    }\n", set()),
        (
            "    public static function middleware(): array\n    {\n        return [\n            'auth',\n        ];\n    }\n",
            {"index", "show"},
        ),
        (
            "    public static function middleware(): array\n    {\n        return [\n"
            "            new Middleware('auth', except: ['index']),\n        ];\n    }\n",
            {"show"},
        ),
    ],
)
def test_controller_middleware(tmp_path, body, expected):
    routes = "Route::resource('records', RecordController::class);\n"
    labels = _laravel_labels(tmp_path, routes, body=body)
    assert {p.split("/")[1] for p, line in labels.items() if "authenticated" in line} == expected


def test_route_files_inherit_the_group_that_loads_them(tmp_path):
    files = _laravel(
        "Route::middleware('auth')->group(function () {\n    require __DIR__.'/portal.php';\n});\n"
        "require __DIR__.'/public.php';\n"
    )
    files["routes/portal.php"] = (
        "<?php\nuse App\\Http\\Controllers\\RecordController;\n"
        "Route::get('/records', [RecordController::class, 'index']);\n"
    )
    files["routes/public.php"] = "<?php\nRoute::view('/welcome', 'welcome');\n"
    files["app/Providers/RouteServiceProvider.php"] = (
        "<?php\nnamespace App\\Providers;\nclass RouteServiceProvider\n{\n    public function boot(): void\n    {\n"
        "        $this->routes(function () {\n"
        "            Route::middleware('web')->group(base_path('routes/web.php'));\n"
        "            Route::middleware(['web', 'auth'])->group(base_path('routes/account.php'));\n"
        "        });\n    }\n}\n"
    )
    files["routes/account.php"] = "<?php\nRoute::view('/account', 'account.overview');\n"
    labels = _labels(tmp_path, files)
    assert labels == {
        "resources/views/records/index.blade.php": {"authenticated"},
        "resources/views/account/overview.blade.php": {"authenticated"},
    }


def test_livewire_full_page_component_and_inertia_pages(tmp_path):
    files = _laravel(
        "use App\\Livewire\\Inbox;\nuse App\\Http\\Controllers\\AccountController;\n"
        "Route::middleware('auth')->group(function () {\n"
        "    Route::get('/inbox', Inbox::class);\n"
        "    Route::get('/account', [AccountController::class, 'show']);\n});\n"
    )
    files["app/Livewire/Inbox.php"] = (
        "<?php\nnamespace App\\Livewire;\nuse Livewire\\Component;\n"
        "class Inbox extends Component\n{\n    public function render()\n    {\n        return view('livewire.inbox');\n    }\n}\n"
    )
    files["resources/views/livewire/inbox.blade.php"] = "x"
    files["app/Http/Controllers/AccountController.php"] = (
        "<?php\nnamespace App\\Http\\Controllers;\nuse Inertia\\Inertia;\nclass AccountController extends Controller\n{\n"
        "    public function show()\n    {\n        return Inertia::render('Account/Overview', ['user' => auth()->user()]);\n    }\n}\n"
    )
    files["resources/js/Pages/Account/Overview.vue"] = "<template><div/></template>"
    labels = _labels(tmp_path, files)
    assert labels == {
        "resources/views/livewire/inbox.blade.php": {"authenticated"},
        "resources/js/Pages/Account/Overview.vue": {"authenticated"},
    }


def test_blade_layout_used_only_by_authenticated_views_is_labelled(tmp_path):
    files = _laravel(
        "Route::middleware('auth')->group(function () {\n"
        "    Route::get('/records', [RecordController::class, 'index']);\n"
        "    Route::get('/records/{id}', [RecordController::class, 'show']);\n});\n"
        "Route::get('/', fn () => view('welcome'));\n"
    )
    files["resources/views/records/index.blade.php"] = "@extends('layouts.portal')"
    files["resources/views/records/show.blade.php"] = "@extends('layouts.portal')"
    files["resources/views/welcome.blade.php"] = "@extends('layouts.site')"
    files["resources/views/layouts/portal.blade.php"] = "@yield('content')"
    files["resources/views/layouts/site.blade.php"] = "@yield('content')"
    labels = _labels(tmp_path, files)
    assert labels["resources/views/layouts/portal.blade.php"] == {"authenticated"}
    assert "resources/views/layouts/site.blade.php" not in labels


def test_hostile_routes_never_crash(tmp_path):
    routes = "Route::middleware('auth')->group(function () {\n" * 3000 + "Route::get('/x', [" * 2000
    found = _infer(tmp_path, _laravel(routes))
    assert isinstance(found, list)


def test_no_rails_or_laravel_files_means_nothing_inferred(tmp_path):
    assert _infer(tmp_path, {"templates/index.html": "<p>x</p>", "app.py": "print(1)"}) == []


def test_devise_authenticate_blocks_in_routes(tmp_path):
    routes = (
        "Rails.application.routes.draw do\n"
        "  devise_for :users\n"
        "  authenticated :user do\n"
        '    root "dashboard#show", as: :authenticated_root\n'
        "  end\n"
        '  root "pages#home"\n'
        "  authenticate :user do\n"
        "    resources :visits, only: %i[index show] do\n"
        "      get :receipt, on: :member\n"
        "    end\n"
        "    namespace :billing do\n"
        '      get "statements", to: "statements#index"\n'
        "    end\n"
        "  end\n"
        "  # authenticate :user do\n"
        "  resources :articles\n"
        "end\n"
    )
    open_app = "class ApplicationController < ActionController::Base\nend\n"
    files = {
        "config/routes.rb": routes,
        "app/controllers/application_controller.rb": open_app,
        "app/controllers/dashboard_controller.rb": "class DashboardController < ApplicationController\nend\n",
        "app/controllers/pages_controller.rb": "class PagesController < ApplicationController\nend\n",
        "app/controllers/visits_controller.rb": "class VisitsController < ApplicationController\nend\n",
        "app/controllers/articles_controller.rb": "class ArticlesController < ApplicationController\nend\n",
        "app/controllers/billing/statements_controller.rb": "class Billing::StatementsController < ApplicationController\nend\n",
        "app/views/dashboard/show.html.erb": "x",
        "app/views/pages/home.html.erb": "x",
        "app/views/visits/index.html.erb": "x",
        "app/views/visits/show.html.erb": "x",
        "app/views/visits/edit.html.erb": "x",  # not drawn inside the block
        "app/views/visits/receipt.html.erb": "x",
        "app/views/articles/index.html.erb": "x",
        "app/views/billing/statements/index.html.erb": "x",
    }
    found = {i.page: i for i in _infer(tmp_path, files) if "/layouts/" not in i.page}
    assert set(found) == {
        "app/views/dashboard/show.html.erb",
        "app/views/visits/index.html.erb",
        "app/views/visits/show.html.erb",
        "app/views/visits/receipt.html.erb",
        "app/views/billing/statements/index.html.erb",
    }
    dashboard = found["app/views/dashboard/show.html.erb"]
    assert (dashboard.text, dashboard.path, dashboard.line) == ("`authenticated :user` block in routes.rb", "config/routes.rb", 3)
