"""Context inference for Laravel (auth middleware). (Rails: tests/test_framework_rails.py.)"""

from __future__ import annotations

import posixpath

import pytest
from helpers import write_tree

from phi_lint.discovery import classify
from phi_lint.inference.ruby_php import infer_project
from phi_lint.pagegraph import PageGraph, RepoIndex
from phi_lint.pagegraph.templates_ruby_php import file_edges


def _infer(tmp_path, files: dict[str, str]):
    write_tree(tmp_path, files)
    kinds = {rel: classify(posixpath.basename(rel)) for rel in files}
    repo = RepoIndex(tmp_path, {rel: kind for rel, kind in kinds.items() if kind})
    edges = []
    for rel, text in files.items():
        if kinds[rel] in ("markup", "script", "code"):
            edges.extend(file_edges(rel, text, repo))
    return infer_project(repo, PageGraph(edges))


def _labels(tmp_path, files) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for inference in _infer(tmp_path, files):
        out.setdefault(inference.page, set()).add(inference.label + ("?" if inference.weak else ""))
    return out


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
