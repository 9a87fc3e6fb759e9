"""Authenticated pages inferred from JavaScript frameworks: Next.js middleware and session
helpers, Vue Router meta, React Router guards and loaders, Angular guards (phi_lint.frameworks:
nextjs, nuxt, sveltekit, spa_router)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import finding_lines, scan_tree, write_tree

from phi_lint.frameworks import registered
from phi_lint.frameworks.nextjs import path_pattern
from phi_lint.lang import Source
from phi_lint.pagegraph.repo import RepoIndex


def _kind(rel: str) -> str | None:
    from phi_lint.discovery import classify

    return classify(rel.rsplit("/", 1)[-1])


JS_FRAMEWORKS = ("nextjs", "nuxt", "sveltekit", "remix", "spa-router")


def infer_source(source: Source, repo) -> list:
    """What the JavaScript framework modules infer from one file."""
    return [item for f in registered() if f.id in JS_FRAMEWORKS for item in f.infer_source(source, repo)]


def infer(tmp_path: Path, files: dict[str, str]) -> dict[str, list[str]]:
    """page -> evidence texts of the authenticated inferences of every file."""
    write_tree(tmp_path, files)
    kinds = {rel: k for rel in files if (k := _kind(rel))}
    repo = RepoIndex(tmp_path, kinds)
    found: dict[str, list[str]] = {}
    for rel in sorted(kinds):
        for item in infer_source(Source(rel, files[rel]), repo):
            assert item.label == "authenticated" and not item.weak
            found.setdefault(item.page, []).append(item.text)
    return found


NEXT_PAGES = {
    "package.json": "{}",
    "app/layout.tsx": "export default function Root({ children }) { return children }",
    "app/page.tsx": "export default function Home() { return null }",
    "app/about/page.tsx": "",
    "app/(portal)/dashboard/page.tsx": "",
    "app/(portal)/records/[id]/page.tsx": "",
    "app/(portal)/messages/page.tsx": "",
    "app/sign-in/page.tsx": "",
    "app/api/me/route.ts": "export async function GET() {}",
}

CUSTOM_MIDDLEWARE = """import { NextResponse } from 'next/server';
import type { NextRequest } from 'next/server';

export function middleware(request: NextRequest) {
  const session = request.cookies.get('session');
  if (!session) {
    const signIn = new URL('/sign-in', request.url);
    return NextResponse.redirect(signIn);
  }
  return NextResponse.next();
}

export const config = {
  matcher: ['/dashboard/:path*', '/records/:path*'],
};
"""


def test_middleware_matcher_marks_matching_app_routes(tmp_path):
    found = infer(tmp_path, {**NEXT_PAGES, "middleware.ts": CUSTOM_MIDDLEWARE})
    assert set(found) == {"app/(portal)/dashboard/page.tsx", "app/(portal)/records/[id]/page.tsx"}
    assert found["app/(portal)/dashboard/page.tsx"] == [
        "Next.js middleware.ts matcher `/dashboard/:path*` (redirects to /sign-in without a session)"
    ]


def test_middleware_evidence_points_at_the_matcher_line(tmp_path):
    write_tree(tmp_path, {**NEXT_PAGES, "middleware.ts": CUSTOM_MIDDLEWARE})
    repo = RepoIndex(tmp_path, {rel: k for rel in {**NEXT_PAGES, "middleware.ts": ""} if (k := _kind(rel))})
    items = infer_source(Source("middleware.ts", CUSTOM_MIDDLEWARE), repo)
    assert {(i.path, i.line) for i in items} == {("middleware.ts", 14)}


def test_next_auth_middleware_with_object_and_regex_matchers(tmp_path):
    middleware = (
        'export { default } from "next-auth/middleware";\n'
        "export const config = { matcher: [{ source: '/messages/:path*' }, '/((?!api|_next/static|_next/image|sign-in|about|$).*)'] };\n"
    )
    found = infer(tmp_path, {**NEXT_PAGES, "middleware.ts": middleware})
    assert set(found) == {"app/(portal)/dashboard/page.tsx", "app/(portal)/records/[id]/page.tsx", "app/(portal)/messages/page.tsx"}
    assert "next-auth middleware" in found["app/(portal)/messages/page.tsx"][0]


def test_middleware_without_matcher_covers_every_route(tmp_path):
    middleware = "import { withAuth } from 'next-auth/middleware';\nexport default withAuth({ pages: { signIn: '/sign-in' } });\n"
    found = infer(tmp_path, {**NEXT_PAGES, "src/middleware.ts": middleware, **{f"src/{k}": v for k, v in NEXT_PAGES.items() if k.startswith("app/")}})
    assert "src/app/page.tsx" in found and "src/app/(portal)/messages/page.tsx" in found
    assert "app/page.tsx" not in found  # the middleware sits in src/: it serves src/app
    assert found["src/app/page.tsx"] == ["Next.js middleware.ts on every route (`withAuth` middleware)"]


def test_clerk_protect_with_route_matchers(tmp_path):
    protected = (
        "import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server';\n"
        "const isProtectedRoute = createRouteMatcher(['/dashboard(.*)', '/messages(.*)']);\n"
        "export default clerkMiddleware(async (auth, req) => {\n"
        "  if (isProtectedRoute(req)) await auth.protect();\n"
        "});\n"
        "export const config = { matcher: ['/((?!_next|[^?]*\\\\.(?:html?|css|js)).*)', '/(api|trpc)(.*)'] };\n"
    )
    found = infer(tmp_path, {**NEXT_PAGES, "middleware.ts": protected})
    assert set(found) == {"app/(portal)/dashboard/page.tsx", "app/(portal)/messages/page.tsx"}

    public = (
        "import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server';\n"
        "const isPublicRoute = createRouteMatcher(['/', '/about', '/sign-in(.*)']);\n"
        "export default clerkMiddleware(async (auth, request) => {\n"
        "  if (!isPublicRoute(request)) { await auth.protect() }\n"
        "});\n"
    )
    found = infer(tmp_path / "public", {**NEXT_PAGES, "middleware.ts": public})
    assert set(found) == {"app/(portal)/dashboard/page.tsx", "app/(portal)/records/[id]/page.tsx", "app/(portal)/messages/page.tsx"}


def test_auth0_and_authjs_middleware(tmp_path):
    auth0 = "import { withMiddlewareAuthRequired } from '@auth0/nextjs-auth0/edge';\nexport default withMiddlewareAuthRequired();\nexport const config = { matcher: '/records/:path*' };\n"
    assert set(infer(tmp_path / "a", {**NEXT_PAGES, "middleware.ts": auth0})) == {"app/(portal)/records/[id]/page.tsx"}
    authjs = 'export { auth as middleware } from "@/auth";\nexport const config = { matcher: ["/dashboard"] };\n'
    assert set(infer(tmp_path / "b", {**NEXT_PAGES, "middleware.ts": authjs})) == {"app/(portal)/dashboard/page.tsx"}


def test_custom_middleware_narrowed_by_pathname_checks(tmp_path):
    middleware = (
        "import { NextResponse } from 'next/server';\n"
        "export function middleware(req) {\n"
        "  const token = req.cookies.get('token');\n"
        "  if (req.nextUrl.pathname.startsWith('/records') && !token) {\n"
        "    return NextResponse.redirect(new URL('/login', req.url));\n"
        "  }\n"
        "}\n"
    )
    assert set(infer(tmp_path, {**NEXT_PAGES, "middleware.ts": middleware})) == {"app/(portal)/records/[id]/page.tsx"}


@pytest.mark.parametrize(
    "middleware",
    [
        # i18n: redirects, but never to a login page, and checks no session
        "import createMiddleware from 'next-intl/middleware';\nexport default createMiddleware({ locales: ['en', 'es'], defaultLocale: 'en' });\nexport const config = { matcher: ['/((?!api|_next).*)'] };\n",
        # security headers only
        "import { NextResponse } from 'next/server';\nexport function middleware() { const res = NextResponse.next(); res.headers.set('x-frame-options', 'DENY'); return res; }\n",
        # Clerk without protect(): every route stays public
        "import { clerkMiddleware } from '@clerk/nextjs/server';\nexport default clerkMiddleware();\nexport const config = { matcher: ['/((?!_next).*)'] };\n",
        # the session check is commented out
        "import { NextResponse } from 'next/server';\nexport function middleware(req) {\n  // if (!req.cookies.get('session')) return NextResponse.redirect(new URL('/login', req.url));\n  return NextResponse.next();\n}\nexport const config = { matcher: ['/dashboard/:path*'] };\n",
    ],
)
def test_middleware_negatives(tmp_path, middleware):
    assert infer(tmp_path, {**NEXT_PAGES, "middleware.ts": middleware}) == {}


def test_commented_out_matcher_means_every_route(tmp_path):
    middleware = CUSTOM_MIDDLEWARE.replace("export const config", "/* export const config").rstrip() + " */\n"
    found = infer(tmp_path, {**NEXT_PAGES, "middleware.ts": middleware})
    assert "app/page.tsx" in found and "app/about/page.tsx" in found


def test_pages_router_routes_are_matched(tmp_path):
    files = {
        "pages/_app.tsx": "",
        "pages/index.tsx": "",
        "pages/account/index.tsx": "",
        "pages/account/[id].tsx": "",
        "pages/api/me.ts": "",
        "middleware.js": CUSTOM_MIDDLEWARE.replace("'/dashboard/:path*', '/records/:path*'", "'/account/:path*'"),
    }
    assert set(infer(tmp_path, files)) == {"pages/account/index.tsx", "pages/account/[id].tsx"}


@pytest.mark.parametrize(
    ("pattern", "yes", "no"),
    [
        ("/dashboard/:path*", ["/dashboard", "/dashboard/a/b"], ["/dashboards", "/"]),
        ("/records/:id", ["/records/x1"], ["/records", "/records/a/b"]),
        ("/records/:id?", ["/records", "/records/x1"], ["/records/a/b"]),
        ("/docs/:slug+", ["/docs/a", "/docs/a/b"], ["/docs"]),
        ("/dashboard(.*)", ["/dashboard", "/dashboard/x"], ["/about"]),
        ("/((?!api|_next/static|favicon.ico).*)", ["/", "/dashboard"], ["/api/me", "/_next/static/x"]),
        ("/(dashboard|records)/:path*", ["/dashboard/x", "/records"], ["/about"]),
    ],
)
def test_path_patterns(pattern, yes, no):
    regex = path_pattern(pattern)
    assert regex is not None
    assert all(regex.match(url) for url in yes), [u for u in yes if not regex.match(u)]
    assert not any(regex.match(url) for url in no), [u for u in no if regex.match(u)]


def test_unreadable_pattern_is_none():
    assert path_pattern("/a/(unclosed") is None


# --------------------------------------------------------------------------- helpers in pages and layouts


@pytest.mark.parametrize(
    ("source", "evidence"),
    [
        (
            "import { withPageAuthRequired } from '@auth0/nextjs-auth0';\nexport default withPageAuthRequired(async function Profile() { return null });\n",
            "Auth0 `withPageAuthRequired`",
        ),
        (
            "import { getServerSession } from 'next-auth';\nimport { redirect } from 'next/navigation';\n"
            "export default async function Layout({ children }) {\n  const session = await getServerSession(authOptions);\n"
            "  if (!session) redirect('/api/auth/signin');\n  return children;\n}\n",
            "`getServerSession()` + redirect to /api/auth/signin",
        ),
        (
            "import { auth } from '@/auth';\nimport { redirect } from 'next/navigation';\n"
            "export default async function Page() {\n  const session = await auth();\n  if (!session?.user) redirect('/login');\n}\n",
            "`auth()` + redirect to /login",
        ),
        ("'use client';\nimport { useSession } from 'next-auth/react';\nexport default function P() { const { data } = useSession({ required: true }); }\n", "next-auth `useSession({ required: true })`"),
        ("import { auth } from '@clerk/nextjs/server';\nexport default async function P() { await auth.protect(); }\n", "Clerk `auth.protect()`"),
        (
            "import { withAuthenticationRequired } from '@auth0/auth0-react';\nfunction Profile() { return null }\n"
            "const Protected = withAuthenticationRequired(Profile);\nexport default Protected;\n",
            "Auth0 `withAuthenticationRequired`",
        ),
        (
            "import { currentUser } from '@clerk/nextjs/server';\nimport { redirect } from 'next/navigation';\n"
            "export default async function P() { const user = await currentUser(); if (!user) redirect('/sign-in'); }\n",
            "`currentUser()` + redirect to /sign-in",
        ),
        (
            "import { requireUserId } from '~/session.server';\nexport async function loader({ request }) {\n  const userId = await requireUserId(request);\n  return json({ userId });\n}\n",
            "calls `requireUserId()`",
        ),
    ],
)
def test_page_and_layout_session_helpers(tmp_path, source, evidence):
    found = infer(tmp_path, {"app/(portal)/records/page.tsx": source})
    assert found == {"app/(portal)/records/page.tsx": [evidence]}


@pytest.mark.parametrize(
    "source",
    [
        # imported but never called
        "import { getServerSession } from 'next-auth';\nimport { redirect } from 'next/navigation';\nexport default function P() { return null }\n",
        # commented out
        "// const session = await getServerSession(authOptions); if (!session) redirect('/login');\nexport default function P() {}\n",
        "/* export default withPageAuthRequired(Page) */\nexport default function Page() {}\n",
        # useSession without required
        "import { useSession } from 'next-auth/react';\nexport default function P() { const { data } = useSession(); return data ? 'hi' : null; }\n",
        # a session read that only redirects signed-in users onwards
        "import { auth } from '@/auth';\nimport { redirect } from 'next/navigation';\nexport default async function P() { const s = await auth(); if (s) redirect('/dashboard'); }\n",
    ],
)
def test_page_helper_negatives(tmp_path, source):
    assert infer(tmp_path, {"app/records/page.tsx": source}) == {}


def test_login_page_that_checks_the_session_is_not_authenticated(tmp_path):
    source = (
        "import { auth } from '@/auth';\nimport { redirect } from 'next/navigation';\n"
        "export default async function SignIn() { const session = await auth(); if (!session) return <Form/>; redirect('/sign-in/next'); }\n"
    )
    assert infer(tmp_path, {"app/sign-in/page.tsx": source}) == {}


def test_helper_definition_is_not_a_use(tmp_path):
    source = "export async function requireUser(request) {\n  const user = await getUser(request);\n  return user;\n}\n"
    assert infer(tmp_path, {"app/lib/auth.ts": source}) == {}


def test_layout_guard_reaches_pages_below_through_layout_edges(tmp_path):
    write_tree(
        tmp_path,
        {
            "package.json": "{}",
            "app/layout.tsx": "export default function Root({ children }) { return children }\n",
            "app/(portal)/layout.tsx": (
                "import { auth } from '@/auth';\nimport { redirect } from 'next/navigation';\n"
                "export default async function PortalLayout({ children }) {\n  const session = await auth();\n"
                "  if (!session) redirect('/login');\n  return children;\n}\n"
            ),
            "app/(portal)/inbox/page.tsx": (
                "'use client';\nimport mixpanel from 'mixpanel-browser';\n"
                "export default function Inbox() { mixpanel.track('Inbox Viewed'); return null; }\n"
            ),
            "app/page.tsx": "import mixpanel from 'mixpanel-browser';\nexport default function Home() { mixpanel.track('Home'); return null; }\n",
        },
    )
    assert finding_lines(scan_tree(tmp_path), tmp_path) == [
        "PHI001 app/(portal)/inbox/page.tsx:3 mixpanel",
        "PHI100 app/page.tsx:2 mixpanel",
    ]


# --------------------------------------------------------------------------- Vue Router

VUE_ROUTER = """import { createRouter, createWebHistory } from 'vue-router';
import HomeView from '@/views/HomeView.vue';
import PortalLayout from '@/views/PortalLayout.vue';
import { requireAuth } from '@/router/guards';

export default createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', component: HomeView, meta: { requiresAuth: false } },
    { path: '/login', component: () => import('@/views/LoginView.vue') },
    {
      path: '/portal',
      component: PortalLayout,
      meta: { requiresAuth: true },
      children: [
        { path: 'records', component: () => import('@/views/Records.vue') },
      ],
    },
    { path: '/billing', component: () => import('@/views/Billing.vue'), beforeEnter: requireAuth },
    { path: '/help', component: () => import('@/views/Help.vue'), beforeEnter: [redirectIfAuthenticated] },
    // { path: '/old', component: () => import('@/views/Old.vue'), meta: { requiresAuth: true } },
    { path: '/faq', component: () => import('@/views/Faq.vue'), meta: { title: 'FAQ' /*, requiresAuth: true */ } },
  ],
});
"""

VUE_FILES = {
    "package.json": "{}",
    "src/router/index.ts": VUE_ROUTER,
    "src/router/guards.ts": "export const requireAuth = () => true;",
    **{f"src/views/{n}.vue": "<template><main/></template>" for n in ("HomeView", "PortalLayout", "LoginView", "Records", "Billing", "Help", "Old", "Faq")},
}


def test_vue_router_requires_auth_children_and_guards(tmp_path):
    found = infer(tmp_path, VUE_FILES)
    assert set(found) == {"src/views/PortalLayout.vue", "src/views/Records.vue", "src/views/Billing.vue"}
    assert found["src/views/Records.vue"] == ["Vue Router route `/portal` has `meta: { requiresAuth: true }`"]
    assert found["src/views/Billing.vue"] == ["route `/billing` has `beforeEnter: requireAuth`"]


def test_vue_router_other_auth_keys(tmp_path):
    router = (
        "import Account from './views/Account.vue';\n"
        "const routes = [{ path: '/account', component: Account, meta: { auth: true } },\n"
        "  { path: '/me', component: () => import('./views/Me.vue'), meta: { requiresLogin: true } }];\n"
        "export default new VueRouter({ routes });\n"
    )
    found = infer(tmp_path, {"src/router.js": router, "src/views/Account.vue": "", "src/views/Me.vue": ""})
    assert set(found) == {"src/views/Account.vue", "src/views/Me.vue"}


def test_vue_router_children_from_another_module_inherit(tmp_path):
    files = {
        "package.json": "{}",
        "src/router/index.ts": (
            "import { createRouter } from 'vue-router';\nimport portalRoutes from './portal';\n"
            "export default createRouter({ routes: [{ path: '/portal', meta: { requiresAuth: true }, children: portalRoutes }] });\n"
        ),
        "src/router/portal.ts": "export default [{ path: 'labs', component: () => import('@/views/Labs.vue') }];\n",
        "src/views/Labs.vue": "",
    }
    assert infer(tmp_path, files) == {"src/views/Labs.vue": ["Vue Router route `/portal` has `meta: { requiresAuth: true }`"]}


# --------------------------------------------------------------------------- React Router

REACT_APP_TSX = """import { lazy } from 'react';
import { Routes, Route } from 'react-router-dom';
import Home from './pages/Home';
import Login from './pages/Login';
import RequireAuth from './auth/RequireAuth';
import { ProtectedRoute } from './auth/ProtectedRoute';
import { withAuthenticationRequired } from '@auth0/auth0-react';
import Billing from './pages/Billing';
const Dashboard = lazy(() => import('./pages/Dashboard'));
const Records = lazy(() => import('./pages/Records'));
const ProtectedBilling = withAuthenticationRequired(Billing);

export default function App() {
  return (
    <Routes>
      <Route path="/" element={<Home />} />
      <Route path="/login" element={<Login />} />
      <Route path="/dashboard" element={<RequireAuth><Dashboard /></RequireAuth>} />
      <Route element={<ProtectedRoute />}>
        <Route path="/records" element={<Records />} />
      </Route>
      <Route path="/billing" element={<ProtectedBilling />} />
      {/* <Route path="/old" element={<RequireAuth><Home /></RequireAuth>} /> */}
    </Routes>
  );
}
"""

REACT_FILES = {
    "package.json": "{}",
    "src/App.tsx": REACT_APP_TSX,
    **{f"src/pages/{n}.tsx": "export default function X() { return null }" for n in ("Home", "Login", "Dashboard", "Records", "Billing")},
    "src/auth/RequireAuth.tsx": "export default function RequireAuth({ children }) { return children }",
    "src/auth/ProtectedRoute.tsx": "export function ProtectedRoute() { return null }",
}


def test_react_router_guard_components_layout_routes_and_hoc(tmp_path):
    found = infer(tmp_path, REACT_FILES)
    assert set(found) == {"src/pages/Dashboard.tsx", "src/pages/Records.tsx", "src/pages/Billing.tsx"}
    assert found["src/pages/Dashboard.tsx"] == ["React Router route `/dashboard` renders inside `<RequireAuth>`"]
    assert found["src/pages/Records.tsx"] == ["React Router layout route renders inside `<ProtectedRoute>`"]
    assert found["src/pages/Billing.tsx"] == ["route `/billing` renders `withAuthenticationRequired(Billing)`"]


def test_guard_component_defined_but_wrapping_no_route(tmp_path):
    app = (
        "import { Routes, Route } from 'react-router-dom';\nimport Home from './pages/Home';\nimport Dashboard from './pages/Dashboard';\n"
        "import RequireAuth from './auth/RequireAuth';\n"
        "export default function App() {\n  return (<Routes>\n    <Route path=\"/\" element={<Home />} />\n"
        "    <Route path=\"/dashboard\" element={<Dashboard />} />\n  </Routes>);\n}\n"
    )
    files = {**REACT_FILES, "src/App.tsx": app}
    files["src/auth/RequireAuth.tsx"] = (
        "import { Navigate } from 'react-router-dom';\n"
        "export default function RequireAuth({ children }) { return useAuth().user ? children : <Navigate to=\"/login\" />; }\n"
    )
    assert infer(tmp_path, files) == {}


def test_guest_only_wrapper_is_not_a_login_guard(tmp_path):
    app = (
        "import { Route } from 'react-router-dom';\nimport Login from './pages/Login';\nimport GuestRoute from './auth/GuestRoute';\n"
        "export const routes = <Route element={<GuestRoute />}><Route path=\"/login\" element={<Login />} /></Route>;\n"
    )
    files = {"src/routes.tsx": app, "src/auth/GuestRoute.tsx": "", "src/pages/Login.tsx": ""}
    assert infer(tmp_path, files) == {}


def test_data_router_objects_loaders_and_private_route(tmp_path):
    main = """import { createBrowserRouter, redirect } from 'react-router-dom';
import Root from './Root';
import Home from './pages/Home';
import Dashboard from './pages/Dashboard';
import Records from './pages/Records';
import { requireUserLoader } from './auth/loaders';

async function protectedLoader() {
  const user = await getUser();
  if (!user) return redirect('/login');
  return user;
}

export const router = createBrowserRouter([
  { path: '/', element: <Root />, children: [
    { index: true, element: <Home /> },
    { path: 'dashboard', element: <Dashboard />, loader: protectedLoader },
    { path: 'records', element: <Records />, loader: requireUserLoader },
  ] },
]);
"""
    found = infer(tmp_path, {**REACT_FILES, "src/main.tsx": main, "src/Root.tsx": "", "src/auth/loaders.ts": ""})
    assert "src/pages/Dashboard.tsx" in found and "src/pages/Records.tsx" in found
    assert "src/pages/Home.tsx" not in found and "src/Root.tsx" not in found
    assert found["src/pages/Dashboard.tsx"][-1] == "React Router route `dashboard` has a `loader` (protectedLoader) that redirects to /login"


def test_react_router_v5_private_route(tmp_path):
    app = (
        "import { Switch, Route } from 'react-router-dom';\nimport PrivateRoute from './PrivateRoute';\n"
        "import Home from './pages/Home';\nimport Records from './pages/Records';\n"
        "export default () => (<Switch>\n  <Route exact path=\"/\" component={Home} />\n"
        "  <PrivateRoute path=\"/records\" component={Records} />\n</Switch>);\n"
    )
    found = infer(tmp_path, {**REACT_FILES, "src/App.tsx": app, "src/PrivateRoute.tsx": ""})
    assert found == {"src/pages/Records.tsx": ['React Router `<PrivateRoute>` route `/records`']}


# --------------------------------------------------------------------------- Angular

ANGULAR = {
    "package.json": "{}",
    "src/app/app.routes.ts": """import { Routes } from '@angular/router';
import { HomeComponent } from './home/home.component';
import { AuthGuard } from './core/auth.guard';
import { authGuard } from './core/auth.fn';
import { PortalComponent } from './portal/portal.component';
import { LoginComponent } from './login/login.component';

export const routes: Routes = [
  { path: '', component: HomeComponent },
  { path: 'login', component: LoginComponent, canActivate: [GuestGuard] },
  { path: 'portal', component: PortalComponent, canActivate: [AuthGuard] },
  { path: 'labs', loadComponent: () => import('./labs/labs.component').then(m => m.LabsComponent), canMatch: [authGuard] },
  { path: 'edit', component: HomeComponent, canDeactivate: [UnsavedChangesGuard] },
  { path: 'admin', canActivate: [AuthGuard], loadChildren: () => import('./admin/admin.routes').then(m => m.ADMIN_ROUTES) },
];
""",
    "src/app/admin/admin.routes.ts": (
        "import { Routes } from '@angular/router';\n"
        "export const ADMIN_ROUTES: Routes = [{ path: '', loadComponent: () => import('./admin.component').then(m => m.AdminComponent) }];\n"
    ),
    "src/app/home/home.component.ts": "",
    "src/app/portal/portal.component.ts": "",
    "src/app/portal/portal.component.html": "<h1>Portal</h1>",
    "src/app/login/login.component.ts": "",
    "src/app/labs/labs.component.ts": "",
    "src/app/admin/admin.component.ts": "",
}


def test_angular_guards_components_templates_and_lazy_children(tmp_path):
    found = infer(tmp_path, ANGULAR)
    assert set(found) == {
        "src/app/portal/portal.component.ts",
        "src/app/portal/portal.component.html",
        "src/app/labs/labs.component.ts",
        "src/app/admin/admin.component.ts",
    }
    assert found["src/app/portal/portal.component.ts"] == ["Angular route `portal` has `canActivate: [AuthGuard]`"]
    assert found["src/app/labs/labs.component.ts"] == ["Angular route `labs` has `canMatch: [authGuard]`"]


# --------------------------------------------------------------------------- whole scans


def test_spa_app_wide_tracker_reaches_guarded_route_but_a_page_tracker_stays_put(tmp_path):
    write_tree(
        tmp_path,
        {
            "package.json": "{}",
            "index.html": '<div id="root"></div><script type="module" src="/src/main.tsx"></script>',
            "src/main.tsx": (
                "import ReactDOM from 'react-dom/client';\nimport mixpanel from 'mixpanel-browser';\nimport App from './App';\n"
                "mixpanel.init('0123456789abcdef0123456789abcdef');\nReactDOM.createRoot(document.getElementById('root')).render(<App />);\n"
            ),
            "src/App.tsx": REACT_APP_TSX,
            **{f"src/pages/{n}.tsx": "export default function X() { return null }" for n in ("Login", "Dashboard", "Records", "Billing")},
            "src/pages/Home.tsx": (
                "import ReactGA from 'react-ga4';\nReactGA.initialize('G-PUBL1C0001');\n"
                "export default function Home() { return null }\n"
            ),
            "src/auth/RequireAuth.tsx": "export default function RequireAuth({ children }) { return children }",
            "src/auth/ProtectedRoute.tsx": "export function ProtectedRoute() { return null }",
        },
    )
    lines = finding_lines(scan_tree(tmp_path), tmp_path)
    assert "PHI001 src/main.tsx:4 mixpanel" in lines
    assert [line for line in lines if "google-analytics" in line] == ["PHI100 src/pages/Home.tsx:2 google-analytics"]


def test_inference_off_keeps_only_explicit_context(tmp_path):
    write_tree(
        tmp_path,
        {
            "phi-lint.toml": "infer = false\n",
            "package.json": "{}",
            "src/router.ts": "export default createRouter({ routes: [{ path: '/p', component: () => import('./P.vue'), meta: { requiresAuth: true } }] });\n",
            "src/P.vue": "<script setup>\nimport mixpanel from 'mixpanel-browser';\nmixpanel.track('P');\n</script>",
        },
    )
    assert finding_lines(scan_tree(tmp_path), tmp_path) == ["PHI100 src/P.vue:3 mixpanel"]


# --------------------------------------------------------------------------- Nuxt and SvelteKit


def test_nuxt_page_meta_auth_middleware(tmp_path):
    files = {
        "pages/records.vue": "<script setup>\ndefinePageMeta({\n  layout: 'portal',\n  middleware: ['auth'],\n})\n</script>\n<template><h1/></template>",
        "pages/login.vue": "<script setup>\ndefinePageMeta({ middleware: 'guest' })\n</script>",
        "pages/about.vue": "<script setup>\n// definePageMeta({ middleware: 'auth' })\n</script>",
        "pages/help.vue": "<template><p>middleware: 'auth'</p></template>",
    }
    assert infer(tmp_path, files) == {"pages/records.vue": ["Nuxt `definePageMeta({ middleware: ['auth'] })`"]}


def test_sveltekit_layout_load_guards_pages_below(tmp_path):
    files = {
        "src/routes/+page.svelte": "<h1>Home</h1>",
        "src/routes/(app)/+layout.server.ts": (
            "import { redirect } from '@sveltejs/kit';\nexport const load = async ({ locals }) => {\n"
            "  if (!locals.user) throw redirect(303, '/login');\n  return { user: locals.user };\n};\n"
        ),
        "src/routes/(app)/+layout.svelte": "<slot/>",
        "src/routes/(app)/records/+page.svelte": "<h1>Records</h1>",
        "src/routes/about/+page.ts": "export const load = () => ({ title: 'About' });",
        "src/routes/about/+page.svelte": "",
    }
    found = infer(tmp_path, files)
    assert set(found) == {"src/routes/(app)/+layout.svelte", "src/routes/(app)/records/+page.svelte"}
    assert found["src/routes/(app)/records/+page.svelte"] == ["SvelteKit `load` in +layout.server.ts redirects to /login without a user"]


def test_route_data_and_handle_flags(tmp_path):
    routes = (
        "import { AccountComponent } from './account.component';\n"
        "export const routes: Routes = [{ path: 'account', component: AccountComponent, data: { requiresAuth: true } }];\n"
    )
    found = infer(tmp_path, {"src/app/app.routes.ts": routes, "src/app/account.component.ts": ""})
    assert found == {"src/app/account.component.ts": ["Angular route `account` has `data: { requiresAuth: true }`"]}


def test_vue_global_guard_with_public_meta(tmp_path):
    router = """import { createRouter, createWebHistory } from 'vue-router';
import { useAuth } from '@/stores/auth';

const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/login', component: () => import('@/views/Login.vue'), meta: { public: true } },
    { path: '/help', component: () => import('@/views/HelpLayout.vue'), meta: { public: true }, children: [
      { path: 'faq', component: () => import('@/views/Faq.vue') },
    ] },
    { path: '/', component: () => import('@/views/Dashboard.vue') },
    { path: '/records', component: () => import('@/views/Records.vue') },
  ],
});

router.beforeEach((to) => {
  const auth = useAuth();
  if (!to.meta.public && !auth.signedIn) {
    return { path: '/login', query: { redirect: to.fullPath } };
  }
});

export default router;
"""
    files = {"package.json": "{}", "src/router/index.ts": router, "src/stores/auth.ts": ""}
    files.update({f"src/views/{n}.vue": "" for n in ("Login", "HelpLayout", "Faq", "Dashboard", "Records")})
    found = infer(tmp_path, files)
    assert set(found) == {"src/views/Dashboard.vue", "src/views/Records.vue"}
    assert found["src/views/Records.vue"] == ["Vue Router `beforeEach` sends visitors to /login unless the route has `meta.public`"]
    # the same guard commented out: nothing
    files["src/router/index.ts"] = router.replace("if (!to.meta.public", "// if (!to.meta.public").replace("return { path: '/login'", "// return { path: '/login'")
    assert infer(tmp_path / "off", files) == {}


def test_matcher_with_escaped_regex_excludes_static_files_only(tmp_path):
    middleware = (
        "import { withAuth } from 'next-auth/middleware';\nexport default withAuth({});\n"
        "export const config = {\n  matcher: ['/((?!api|_next/static|_next/image|sign-in|favicon.ico|.*\\\\.(?:svg|png)$).*)'],\n};\n"
    )
    found = infer(tmp_path, {**NEXT_PAGES, "middleware.ts": middleware})
    assert "app/(portal)/dashboard/page.tsx" in found and "app/page.tsx" in found
    assert "app/sign-in/page.tsx" not in found


def test_a_teams_public_meta_flag_and_hoc_come_from_the_data(tmp_path):
    """The public-meta flags of a global guard and the auth HOC shapes are data
    (rules/frameworks/spa-router.toml): a flag added there (or in config) is read, one that is
    not listed is not."""
    from dataclasses import replace

    from phi_lint import frameworks_data
    from phi_lint.frameworks.jsrouter import auth_hoc

    router = """import { createRouter } from 'vue-router';
const router = createRouter({ routes: [
  { path: '/welcome', component: () => import('@/views/Welcome.vue'), meta: { openToAll: true } },
  { path: '/records', component: () => import('@/views/Records.vue') },
] });
router.beforeEach((to) => { if (!to.meta.openToAll && !signedIn()) return '/login'; });
export default router;
"""
    files = {"package.json": "{}", "src/router/index.ts": router}
    files.update({f"src/views/{n}.vue": "" for n in ("Welcome", "Records")})
    assert infer(tmp_path / "shipped", files) == {}  # `openToAll` is no flag phi-lint knows
    shipped = frameworks_data.load_frameworks()
    spa = shipped.by_id["spa-router"]
    lists = {**spa.lists, "public-meta-flags": (*spa.lists["public-meta-flags"], "openToAll"),
             "auth-hoc-patterns": ("guarded",)}
    before = frameworks_data.use(replace(shipped, by_id={**shipped.by_id, "spa-router": replace(spa, lists=lists)}))
    try:
        assert set(infer(tmp_path / "team", files)) == {"src/views/Records.vue"}
        assert auth_hoc().fullmatch("Guarded") and not auth_hoc().fullmatch("withAuth")
    finally:
        frameworks_data.use(before)
    assert auth_hoc().fullmatch("withAuth")
