"""Laravel (phi_lint.frameworks.laravel): the route table read from the tree-sitter parse of
routes, controllers and Kernel, and the Blade / Livewire / component edges (laravel_views)."""

from __future__ import annotations

import posixpath

import pytest
from helpers import write_tree

from phi_lint.discovery import classify
from phi_lint.frameworks import laravel, laravel_views, php
from phi_lint.frameworks.routes import inferences
from phi_lint.lang import Source
from phi_lint.lang.php import php_code
from phi_lint.pagegraph import PageGraph, RepoIndex

FRAMEWORKS = (laravel.Laravel(), php.Php())


def _run(tmp_path, files: dict[str, str]):
    """The edges the Laravel and PHP modules give the files, and the repository index."""
    write_tree(tmp_path, files)
    kinds = {rel: classify(posixpath.basename(rel)) for rel in files}
    repo = RepoIndex(tmp_path, {rel: kind for rel, kind in kinds.items() if kind})
    edges = []
    for rel, text in files.items():
        if kinds[rel] in ("markup", "script", "code"):
            for framework in FRAMEWORKS:
                edges.extend(framework.source_edges(Source(rel, text), repo))
    return edges, repo


def _set(tmp_path, files):
    edges, _ = _run(tmp_path, files)
    return {(e.source, e.target, e.kind) for e in edges}


def _infer(tmp_path, files: dict[str, str]):
    """What the route table and the layout rule say of the pages."""
    edges, repo = _run(tmp_path, files)
    graph = PageGraph(edges)
    framework = laravel.Laravel()
    return sorted(inferences(framework.routes(repo, graph)) + framework.infer_project(repo, graph))


def _labels(tmp_path, files) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for inference in _infer(tmp_path, files):
        out.setdefault(inference.page, set()).add(inference.label + ("?" if inference.weak else ""))
    return out


# ----------------------------------------------------------------------------- routes and controllers

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


def test_no_laravel_files_means_nothing_inferred(tmp_path):
    assert _infer(tmp_path, {"templates/index.html": "<p>x</p>", "app.py": "print(1)"}) == []



# ----------------------------------------------------------------------------- Blade

V = "resources/views/"


@pytest.mark.parametrize(
    "directive,target,kind",
    [
        ("@extends('layouts.app')", "layouts/app", "extends"),
        ('@extends("layouts/app")', "layouts/app", "extends"),
        ("@include('partials.analytics')", "partials/analytics", "include"),
        ("@include('partials.analytics', ['id' => $user->id])", "partials/analytics", "include"),
        ("@includeIf('partials.analytics')", "partials/analytics", "include"),
        ("@includeWhen($user->isAdmin(), 'partials.analytics', ['a' => 1])", "partials/analytics", "include"),
        ("@includeUnless(app()->environment('local'), 'partials.analytics')", "partials/analytics", "include"),
        ("@includeFirst(['custom.analytics', 'partials.analytics'])", "partials/analytics", "include"),
        ("@each('partials.analytics', $rows, 'row')", "partials/analytics", "include"),
        ("@each('rows.item', $rows, 'row', 'partials.analytics')", "partials/analytics", "include"),
        ("@component('partials.analytics', ['title' => 'x'])", "partials/analytics", "component"),
    ],
)
def test_blade_directives(tmp_path, directive, target, kind):
    files = {V + "page.blade.php": f"<div>\n{directive}\n</div>", V + target + ".blade.php": "x", V + "rows/item.blade.php": "x"}
    edges = _set(tmp_path, files)
    assert (V + "page.blade.php", V + target + ".blade.php", kind) in edges


@pytest.mark.parametrize(
    "text",
    [
        "{{-- @include('partials.analytics') --}}",
        "@@include('partials.analytics')",
        "@verbatim @include('partials.analytics') @endverbatim",
        "@include($name)",
        "<?php // include 'partials/analytics.blade.php'; ?>",
    ],
)
def test_blade_no_edge_for_comments_escapes_and_dynamic_names(tmp_path, text):
    edges = _set(tmp_path, {V + "page.blade.php": text, V + "partials/analytics.blade.php": "x"})
    assert not edges


def test_blade_missing_view_is_a_note(tmp_path):
    edges, repo = _run(tmp_path, {V + "page.blade.php": "@include('partials.gone')\n@includeIf('partials.optional')"})
    assert not edges
    assert repo.missing == [(V + "page.blade.php", "partials.gone", 1)]


def test_blade_components(tmp_path):
    files = {
        V + "page.blade.php": (
            "<x-layouts.app>\n<x-slot:title>Hi</x-slot>\n<x-alert type=\"error\"/>\n"
            "<x-forms.input name=\"q\" />\n<x-card>x</x-card>\n<x-mail::message>x</x-mail::message>\n</x-layouts.app>"
        ),
        V + "components/layouts/app.blade.php": "x",
        V + "components/alert.blade.php": "x",
        V + "components/forms/input.blade.php": "x",
        V + "components/card/index.blade.php": "x",
    }
    edges = _set(tmp_path, files)
    page = V + "page.blade.php"
    assert edges == {
        (page, V + "components/layouts/app.blade.php", "layout"),
        (page, V + "components/alert.blade.php", "component"),
        (page, V + "components/forms/input.blade.php", "component"),
        (page, V + "components/card/index.blade.php", "component"),
    }


def test_blade_app_layout_component_without_a_class_is_layouts_app(tmp_path):
    edges = _set(tmp_path, {V + "dashboard.blade.php": "<x-app-layout>hi</x-app-layout>", V + "layouts/app.blade.php": "x"})
    assert edges == {(V + "dashboard.blade.php", V + "layouts/app.blade.php", "layout")}


def test_blade_class_component_renders_the_view_its_render_returns(tmp_path):
    files = {
        V + "dashboard.blade.php": "<x-app-layout>hi</x-app-layout>",
        V + "layouts/portal.blade.php": "x",
        "app/View/Components/AppLayout.php": (
            "<?php\nnamespace App\\View\\Components;\nuse Illuminate\\View\\Component;\n"
            "class AppLayout extends Component\n{\n    public function render()\n    {\n"
            "        // return view('layouts.app');\n        return view('layouts.portal');\n    }\n}\n"
        ),
    }
    edges = _set(tmp_path, files)
    assert edges == {
        (V + "dashboard.blade.php", "app/View/Components/AppLayout.php", "layout"),
        ("app/View/Components/AppLayout.php", V + "layouts/portal.blade.php", "layout"),
    }
    graph = PageGraph([e for e in _run(tmp_path, files)[0]])
    assert [layout for layout, _ in graph.layouts_of(V + "dashboard.blade.php")] == [
        "app/View/Components/AppLayout.php",
        V + "layouts/portal.blade.php",
    ]


def test_blade_livewire_tags_and_scripts(tmp_path):
    files = {
        V + "layouts/app.blade.php": (
            "@vite(['resources/css/app.css', 'resources/js/app.js'])\n"
            "<script src=\"{{ asset('js/analytics.js') }}\"></script>\n"
            "@livewire('counter')\n<livewire:inbox.list />\n"
        ),
        "resources/js/app.js": "x",
        "public/js/analytics.js": "x",
        V + "livewire/counter.blade.php": "x",
        V + "livewire/inbox/list.blade.php": "x",
    }
    edges = _set(tmp_path, files)
    src = V + "layouts/app.blade.php"
    assert edges == {
        (src, "resources/js/app.js", "script-src"),
        (src, "public/js/analytics.js", "script-src"),
        (src, V + "livewire/counter.blade.php", "component"),
        (src, V + "livewire/inbox/list.blade.php", "component"),
    }


# ----------------------------------------------------------------------------- Livewire layouts

LIVEWIRE = """<?php

namespace App\\Livewire\\Doctor;

use Livewire\\Attributes\\Layout;
use Livewire\\Component;

{attribute}
class Schedule extends Component
{{
    public function render()
    {{
        return view('livewire.doctor.schedule'){chain};
    }}
}}
"""


@pytest.mark.parametrize(
    "attribute,chain,kind",
    [
        ("#[Layout('layouts.doctor')]", "", "layout"),
        ("", "->layout('layouts.doctor')", "layout"),
        ("", "->extends('layouts.doctor')", "extends"),
    ],
)
def test_livewire_layout_links_the_component_view_to_the_layout(tmp_path, attribute, chain, kind):
    files = {
        "app/Livewire/Doctor/Schedule.php": LIVEWIRE.format(attribute=attribute, chain=chain),
        V + "livewire/doctor/schedule.blade.php": "x",
        V + "layouts/doctor.blade.php": "x",
    }
    assert _set(tmp_path, files) == {(V + "livewire/doctor/schedule.blade.php", V + "layouts/doctor.blade.php", kind)}


def test_livewire_view_by_convention_and_commented_layout(tmp_path):
    text = LIVEWIRE.format(attribute="// #[Layout('layouts.other')]\n#[Layout('layouts.doctor')]", chain="")
    text = text.replace("return view('livewire.doctor.schedule');", "return $this->view();")
    files = {
        "app/Livewire/Doctor/Schedule.php": text.replace("public function render()", "public function other()"),
        V + "livewire/doctor/schedule.blade.php": "x",
        V + "layouts/doctor.blade.php": "x",
        V + "layouts/other.blade.php": "x",
    }
    assert _set(tmp_path, files) == {(V + "livewire/doctor/schedule.blade.php", V + "layouts/doctor.blade.php", "layout")}




# ----------------------------------------------------------------------------- shapes the parse reads


@pytest.mark.parametrize(
    "routes",
    [
        '$portal = ["auth", "verified"];\nRoute::middleware($portal)->group(function () {\n'
        "    Route::get('/records', [RecordController::class, 'index']);\n});\n",
        "$guard = 'auth';\nRoute::get('/records', [RecordController::class, 'index'])->middleware($guard);\n",
        "$group = ['middleware' => ['auth']];\nRoute::group($group, function () {\n"
        "    Route::get('/records', [RecordController::class, 'index']);\n});\n",
        "Route::get('/records', [RecordController::class, 'index'])\n    ->name('records')\n    ->middleware(['auth']);\n",
    ],
)
def test_middleware_named_by_a_variable_or_spread_over_lines(tmp_path, routes):
    assert _laravel_labels(tmp_path, routes) == {"records/index": {"authenticated"}}


@pytest.mark.parametrize(
    "routes",
    [
        # the variable holds other middleware, or is assigned after the routes are declared
        '$open = ["throttle:60,1"];\nRoute::middleware($open)->group(function () {\n'
        "    Route::get('/records', [RecordController::class, 'index']);\n});\n",
        "Route::middleware($portal)->group(function () {\n"
        "    Route::get('/records', [RecordController::class, 'index']);\n});\n$portal = ['auth'];\n",
        "Route::get('/records', [RecordController::class, 'index'])->middleware(config('portal.middleware'));\n",
        "$text = \"Route::middleware('auth')->get('/records', [RecordController::class, 'index']);\";\n"
        "Route::get('/records', [RecordController::class, 'index']);\n",
    ],
)
def test_middleware_variables_that_do_not_guard(tmp_path, routes):
    assert "records/index" not in _laravel_labels(tmp_path, routes)


def test_without_middleware_is_the_anonymous_marker_and_its_evidence(tmp_path):
    routes = (
        "Route::middleware('auth')->group(function () {\n"
        "    Route::get('/records', [RecordController::class, 'index'])->withoutMiddleware('auth');\n});\n"
    )
    project_routes = laravel.project_routes(_run(tmp_path, _laravel(routes))[1])
    [route] = [r for r in project_routes if r.page.endswith("records/index.blade.php")]
    assert route.anonymous is not None and route.anonymous.text.startswith("withoutMiddleware('auth') on route GET /records")
    assert inferences([route]) == []


@pytest.mark.parametrize(
    "kernel_path,kernel,middleware",
    [
        ("app/Http/Kernel.php",
         "<?php\nclass Kernel extends HttpKernel\n{\n    protected $middlewareAliases = [\n"
         "        'member' => \\App\\Http\\Middleware\\Authenticate::class,\n    ];\n}\n", "member"),
        ("app/Http/Kernel.php",
         "<?php\nclass Kernel extends HttpKernel\n{\n    protected $middlewareGroups = [\n"
         "        'portal' => ['web', 'auth:sanctum'],\n    ];\n}\n", "portal"),
        ("bootstrap/app.php",
         "<?php\nreturn Application::configure(basePath: dirname(__DIR__))\n"
         "    ->withMiddleware(function (Middleware $middleware) {\n"
         "        $middleware->alias(['member' => EnsureUserIsAuthenticated::class, 'patient' => Authenticate::class]);\n"
         "        $middleware->appendToGroup('portal', ['patient']);\n    })->create();\n", "portal"),
    ],
)
def test_kernel_aliases_and_groups_stand_for_what_they_name(tmp_path, kernel_path, kernel, middleware):
    files = _laravel(f"Route::middleware('{middleware}')->group(function () {{\n"
                     "    Route::get('/records', [RecordController::class, 'index']);\n});\n")
    files[kernel_path] = kernel
    found = {i.page: i for i in _infer(tmp_path, files)}
    assert found["resources/views/records/index.blade.php"].text.startswith(f"`{middleware}` middleware on route GET /records")
    files[kernel_path] = kernel.replace("Authenticate::class", "TrimStrings::class").replace("'auth:sanctum'", "'throttle'")
    assert "resources/views/records/index.blade.php" not in {i.page for i in _infer(tmp_path, files)}


def test_a_health_url_makes_the_view_health_through_the_route_table(tmp_path):
    files = _laravel(
        "Route::get('/conditions/diabetes', fn () => view('records.index'));\n"
        "Route::prefix('conditions')->group(function () {\n"
        "    Route::get('/asthma', [RecordController::class, 'show']);\n});\n"
        "Route::view('/about', 'welcome');\n"
    )
    found = [(i.page, i.label, i.text, i.path, i.line) for i in _infer(tmp_path, files)]
    assert found == [
        ("resources/views/records/index.blade.php", "health", "served at route `/conditions/diabetes`", "routes/web.php", 6),
        ("resources/views/records/show.blade.php", "health", "served at route `/conditions/asthma`", "routes/web.php", 8),
    ]


def test_a_login_url_is_a_public_page_and_an_account_url_a_weak_signal(tmp_path):
    files = _laravel(
        "Route::get('/login', fn () => view('auth.login'));\n"
        "Route::get('/account/overview', fn () => view('account.overview'));\n"
        "Route::get('/account/records', fn () => view('records.index'))->middleware('auth');\n"
    )
    labels = _labels(tmp_path, files)
    assert labels == {
        "resources/views/auth/login.blade.php": {"public"},
        "resources/views/account/overview.blade.php": {"authenticated?"},
        "resources/views/records/index.blade.php": {"authenticated"},
    }


def test_routes_declared_outside_the_routes_directory(tmp_path):
    files = _laravel("")
    files["app/Modules/Portal/routes.php"] = (
        "<?php\nuse Illuminate\\Support\\Facades\\Route;\n"
        "Route::middleware('auth')->get('/records', fn () => view('records.index'));\n"
    )
    files["app/Modules/Portal/notes.php"] = "<?php\n// Route::middleware('auth')->get('/x', fn () => view('records.show'));\n"
    assert _labels(tmp_path, files) == {"resources/views/records/index.blade.php": {"authenticated"}}
    hints = laravel.Laravel().file_hints
    assert hints("app/Modules/Portal/routes.php", files["app/Modules/Portal/routes.php"]) == (laravel.ROUTES_HINT,)
    assert hints("resources/views/a.blade.php", "@if (Route::has('login'))") == ()


def test_view_calls_are_read_from_the_tree():
    source = Source("app/Http/Controllers/A.php", "<?php\nfunction a() {\n" + "    return view('a');\n" * 2_000 + "}\n")
    code = php_code(source)
    calls = laravel_views.view_calls(code, code.root)
    assert calls[:2] == [("a", 3), ("a", 4)] and len(calls) == 2_000  # time: test_hostile_bounded_b
    other = php_code(Source("a.php", "<?php\n$mail->view('emails.a'); response()->view('b'); View::make('c'); Inertia::render('D');"
                                     " inertia('E'); // view('f')\n echo \"view('g')\";"))
    assert laravel_views.view_calls(other, other.root) == [("b", 2), ("c", 2), ("inertia:D", 2), ("inertia:E", 2)]
