"""Authenticated pages inferred from Express / Koa / hapi route guards (phi_lint.frameworks.express);
Grails and Spring: tests/test_framework_spring.py."""

from __future__ import annotations

import posixpath

import pytest
from helpers import finding_lines, scan_tree, write_tree

from phi_lint.discovery import classify
from phi_lint.frameworks.express import guard_name, server_routes, turns_anonymous_away
from phi_lint.frameworks.routes import inferences
from phi_lint.pagegraph.graph import PageGraph
from phi_lint.pagegraph.repo import RepoIndex


def infer_project(repo, graph):
    """What the Express routes' guards say of the views (the resolver's labels from guards only)."""
    return [i for i in inferences(server_routes(repo)) if i.label == "authenticated" and not i.weak]


def infer(tmp_path, files: dict[str, str]):
    write_tree(tmp_path, files)
    kinds = {rel: classify(posixpath.basename(rel)) for rel in files}
    repo = RepoIndex(tmp_path, {rel: kind for rel, kind in kinds.items() if kind})
    return list(infer_project(repo, PageGraph([])))


def pages(tmp_path, files) -> set[str]:
    found = infer(tmp_path, files)
    assert all(item.label == "authenticated" for item in found)
    return {item.page for item in found}


VIEWS = {
    "views/index.njk": "<p>home</p>",
    "views/login.njk": "<form></form>",
    "views/portal/dashboard.njk": "<p>dash</p>",
    "views/portal/records.njk": "<p>records</p>",
    "views/portfolio.njk": "<p>portfolio</p>",
}
AUTH = """
function requireAuth(req, res, next) {
  if (!req.session.user) return res.redirect('/login');
  next();
}
module.exports = { requireAuth };
"""


# ---------------------------------------------------------------- Express


def test_path_scoped_guard_before_a_mounted_router(tmp_path):
    files = {
        **VIEWS,
        "middleware/auth.js": AUTH,
        "app.js": """
const express = require('express');
const { requireAuth } = require('./middleware/auth');
const portal = require('./routes/portal');
const app = express();
app.get('/', (req, res) => res.render('index'));
app.use('/portal', requireAuth);
app.use('/portal', portal);
app.get('/portfolio', (req, res) => res.render('portfolio'));
""",
        "routes/portal.js": """
const router = require('express').Router();
router.get('/', (req, res) => { res.render('portal/dashboard'); });
router.get('/records', async (req, res) => res.render('portal/records', { rows: [] }));
module.exports = router;
""",
    }
    found = infer(tmp_path, files)
    assert {i.page for i in found} == {"views/portal/dashboard.njk", "views/portal/records.njk"}
    item = next(i for i in found if i.page == "views/portal/records.njk")
    assert item.path == "app.js" and item.line == 7 and not item.weak
    assert "app.use('/portal', requireAuth)" in item.text and "GET /portal/records" in item.text


def test_guard_and_router_in_one_use_call(tmp_path):
    files = {
        **VIEWS,
        "app.js": """
import express from 'express';
import portalRouter from './routes/portal.js';
import { ensureLoggedIn } from 'connect-ensure-login';
const app = express();
app.use('/portal', ensureLoggedIn('/login'), portalRouter);
app.get('/', (req, res) => res.render('index'));
""",
        "routes/portal.js": """
import { Router } from 'express';
const router = Router();
router.get('/', (req, res) => res.render('portal/dashboard'));
export default router;
""",
    }
    assert pages(tmp_path, files) == {"views/portal/dashboard.njk"}


def test_router_use_guards_only_routes_after_it(tmp_path):
    files = {
        **VIEWS,
        "routes/account.js": """
const express = require('express');
const router = express.Router();
router.get('/login', (req, res) => res.render('login'));
router.use(isLoggedIn);
router.get('/dashboard', (req, res) => res.render('portal/dashboard'));
module.exports = router;
""",
    }
    found = infer(tmp_path, files)
    assert [(i.page, i.line) for i in found] == [("views/portal/dashboard.njk", 5)]
    assert "router.use(isLoggedIn)" in found[0].text


def test_route_level_guards(tmp_path):
    files = {
        **VIEWS,
        "routes/index.js": """
const router = require('express').Router();
const ensure = require('connect-ensure-login');
router.get('/', (req, res) => res.render('index'));
router.get('/portal', ensure.ensureLoggedIn(), (req, res) => res.render('portal/dashboard'));
router.route('/portal/records').get(requiresAuth(), (req, res) => res.render('portal/records'));
module.exports = router;
""",
    }
    found = infer(tmp_path, files)
    assert {(i.page, i.line) for i in found} == {("views/portal/dashboard.njk", 5), ("views/portal/records.njk", 6)}
    assert any("`ensure.ensureLoggedIn()` on Express route `GET /portal`" in i.text for i in found)


def test_passport_authenticate_but_not_the_session_strategy(tmp_path):
    files = {
        **VIEWS,
        "app.js": """
const app = require('express')();
const passport = require('passport');
app.use(passport.authenticate('session'));
app.get('/', (req, res) => res.render('index'));
app.get('/portal', passport.authenticate('jwt', { session: false }), (req, res) => res.render('portal/dashboard'));
""",
    }
    assert pages(tmp_path, files) == {"views/portal/dashboard.njk"}


def test_app_wide_guard_covers_only_later_routes(tmp_path):
    files = {
        **VIEWS,
        "server.js": """
const app = express();
app.get('/', (req, res) => res.render('index'));
app.get('/login', (req, res) => res.render('login'));
app.use(function (req, res, next) {
  if (!req.isAuthenticated()) { return res.redirect('/login'); }
  next();
});
app.get('/portal', (req, res) => res.render('portal/dashboard'));
""",
    }
    found = infer(tmp_path, files)
    assert [i.page for i in found] == ["views/portal/dashboard.njk"]
    assert "inline middleware" in found[0].text


def test_router_all_star_guard(tmp_path):
    files = {
        **VIEWS,
        "routes/portal.js": """
const router = express.Router();
router.all('*', requireLogin);
router.get('/records', (req, res) => res.render('portal/records'));
""",
    }
    assert pages(tmp_path, files) == {"views/portal/records.njk"}


def test_path_scope_is_a_path_prefix_not_a_string_prefix(tmp_path):
    files = {
        **VIEWS,
        "app.js": """
app.use('/portal', requireAuth);
app.get('/portfolio', (req, res) => res.render('portfolio'));
app.get('/portal/records', (req, res) => res.render('portal/records'));
""",
    }
    assert pages(tmp_path, files) == {"views/portal/records.njk"}


def test_nested_routers_inherit_the_guard(tmp_path):
    files = {
        **VIEWS,
        "app.js": """
const portal = require('./routes/portal');
app.use('/portal', requireAuth);
app.use('/portal', portal);
""",
        "routes/portal.js": """
const router = require('express').Router();
const records = require('./records');
router.use('/records', records);
module.exports = router;
""",
        "routes/records.js": """
const router = require('express').Router();
router.get('/', (req, res) => res.render('portal/records'));
module.exports = router;
""",
    }
    found = infer(tmp_path, files)
    assert [i.page for i in found] == ["views/portal/records.njk"]
    assert "GET /portal/records" in found[0].text


def test_custom_guard_function_by_behaviour(tmp_path):
    files = {
        **VIEWS,
        "lib/session.js": """
exports.mustHavePatient = (req, res, next) => {
  if (!req.session || !req.session.patientId) {
    return res.status(401).render('login');
  }
  return next();
};
exports.loadUser = (req, res, next) => { res.locals.user = req.user || null; next(); };
""",
        "routes/index.js": """
const { mustHavePatient, loadUser } = require('../lib/session');
router.get('/', loadUser, (req, res) => res.render('index'));
router.get('/records', mustHavePatient, (req, res) => res.render('portal/records'));
""",
    }
    assert pages(tmp_path, files) == {"views/portal/records.njk"}


def test_guard_that_tests_the_user_the_other_way_round(tmp_path):
    files = {
        **VIEWS,
        "app.js": """
function restrict(req, res, next) {
  if (req.session.user) {
    next();
  } else {
    req.session.error = 'Access denied!';
    res.redirect('/login');
  }
}
function redirectIfSignedIn(req, res, next) {
  if (req.session.user) return res.redirect('/portal');
  next();
}
app.get('/login', redirectIfSignedIn, (req, res) => res.render('login'));
app.get('/portal', restrict, (req, res) => res.render('portal/dashboard'));
""",
    }
    assert pages(tmp_path, files) == {"views/portal/dashboard.njk"}


def test_default_exported_guard_module_by_behaviour(tmp_path):
    files = {
        **VIEWS,
        "middleware/gate.js": """
module.exports = function (req, res, next) {
  if (!req.isAuthenticated()) return res.redirect('/signin');
  next();
};
""",
        "middleware/log.js": "module.exports = function (req, res, next) { console.log(req.url); next(); };\n",
        "app.js": """
const gate = require('./middleware/gate');
const log = require('./middleware/log');
app.get('/', log, (req, res) => res.render('index'));
app.get('/portal', gate, (req, res) => res.render('portal/dashboard'));
""",
    }
    found = infer(tmp_path, files)
    assert [i.page for i in found] == ["views/portal/dashboard.njk"]
    assert "`gate` on Express route `GET /portal`" in found[0].text


def test_handler_that_redirects_anonymous_users_itself(tmp_path):
    files = {
        **VIEWS,
        "routes/index.js": """
router.get('/dashboard', (req, res) => {
  if (!req.user) { return res.redirect('/login'); }
  res.render('portal/dashboard', { user: req.user });
});
router.get('/', (req, res) => {
  if (req.user) { return res.redirect('/dashboard'); }
  res.render('index');
});
""",
    }
    assert pages(tmp_path, files) == {"views/portal/dashboard.njk"}


def test_login_handler_is_not_a_guard(tmp_path):
    files = {
        **VIEWS,
        "routes/auth.js": """
router.post('/login', async (req, res) => {
  const user = await find(req.body.email);
  if (!user) return res.status(401).render('login', { error: 'bad' });
  req.session.user = user.id;
  res.redirect('/portal');
});
""",
    }
    assert pages(tmp_path, files) == set()


def test_controller_functions_in_another_file(tmp_path):
    files = {
        **VIEWS,
        "routes/portal.js": """
const portalController = require('../controllers/portalController');
const { records } = require('../controllers/records');
router.get('/portal', requireAuth, portalController.dashboard);
router.get('/portal/records', requireAuth, records);
router.get('/', portalController.home);
""",
        "controllers/portalController.js": """
exports.dashboard = async (req, res) => { res.render('portal/dashboard'); };
exports.home = (req, res) => res.render('index');
""",
        "controllers/records.js": """
module.exports = {
  records(req, res) { return res.status(200).render('portal/records'); },
};
""",
    }
    assert pages(tmp_path, files) == {"views/portal/dashboard.njk", "views/portal/records.njk"}


def test_views_directory_and_engine_from_app_settings(tmp_path):
    files = {
        "src/server/app.js": """
const path = require('path');
app.set('views', path.join(__dirname, '..', 'templates'));
app.set('view engine', 'ejs');
app.get('/account', checkAuth, (req, res) => res.render('account/home'));
""",
        "src/templates/account/home.ejs": "<p></p>",
        "src/templates/account/home.html": "<p></p>",
        "views/account/home.njk": "<p></p>",
    }
    assert pages(tmp_path, files) == {"src/templates/account/home.ejs"}


def test_views_directory_from_nunjucks_configure(tmp_path):
    files = {
        "server/index.js": """
const nunjucks = require('nunjucks');
nunjucks.configure('templates', { autoescape: true, express: app });
app.get('/portal', requireAuth, (req, res) => res.render('portal/home.njk'));
""",
        "templates/portal/home.njk": "<p></p>",
        "views/portal/home.njk": "<p></p>",
    }
    assert pages(tmp_path, files) == {"templates/portal/home.njk"}


def test_commented_out_guards_are_not_guards(tmp_path):
    files = {
        **VIEWS,
        "app.js": """
// app.use('/portal', requireAuth);
/* router.use(requireAuth); */
app.get('/portal', /* requireAuth, */ (req, res) => res.render('portal/dashboard'));
app.get('/portal/records', (req, res) => {
  // if (!req.user) return res.redirect('/login');
  res.render('portal/records');
});
""",
    }
    assert pages(tmp_path, files) == set()


def test_guard_defined_but_never_used(tmp_path):
    files = {
        **VIEWS,
        "middleware/auth.js": AUTH,
        "app.js": """
const { requireAuth } = require('./middleware/auth');
app.get('/portal', (req, res) => res.render('portal/dashboard'));
""",
    }
    assert pages(tmp_path, files) == set()


def test_unresolvable_views_and_odd_input(tmp_path):
    files = {
        "app.js": "app.get('/x', requireAuth, (req, res) => res.render(name));\napp.get('/y', requireAuth, (req, res) => res.render('nowhere'));\n",
        "broken.js": "app.use('/portal', requireAuth\nrouter.get('/x', (req, res) => { res.render('index'\n" + "(" * 3000,
        "deep.js": "function a(req, res, next) {" * 2000 + "if (!req.user) res.redirect('/login'); next();" + "}" * 2000,
        "empty.ts": "",
    }
    assert pages(tmp_path, files) == set()


def test_typescript_routes(tmp_path):
    files = {
        **VIEWS,
        "src/routes.ts": """
import { Router, Request, Response } from 'express';
import { requireAuth } from './auth';
const router: Router = Router();
router.get('/portal', requireAuth, (req: Request, res: Response): void => {
  res.render('portal/dashboard');
});
export default router;
""",
    }
    assert pages(tmp_path, files) == {"views/portal/dashboard.njk"}


# ---------------------------------------------------------------- Koa


def test_koa_router_guards(tmp_path):
    files = {
        "views/portal/home.njk": "<p></p>",
        "views/home.njk": "<p></p>",
        "app.js": """
const Koa = require('koa');
const views = require('koa-views');
const path = require('path');
const portal = require('./routes/portal');
const app = new Koa();
app.use(views(path.join(__dirname, 'views'), { extension: 'njk' }));
app.use(portal.routes());
""",
        "routes/portal.js": """
const Router = require('@koa/router');
const router = new Router({ prefix: '/portal' });
router.get('/open', async (ctx) => { await ctx.render('home'); });
router.use(async (ctx, next) => {
  if (!ctx.state.user) { ctx.redirect('/login'); return; }
  await next();
});
router.get('/', async (ctx) => { await ctx.render('portal/home'); });
module.exports = router;
""",
    }
    found = infer(tmp_path, files)
    assert [i.page for i in found] == ["views/portal/home.njk"]
    assert "Koa route `GET /portal`" in found[0].text


# ---------------------------------------------------------------- hapi


HAPI = """
const Hapi = require('@hapi/hapi');
const server = Hapi.server({ port: 3000 });
server.views({ engines: { html: require('handlebars') }, relativeTo: __dirname, path: 'templates' });
server.route({ method: 'GET', path: '/', options: { auth: false, handler: (request, h) => h.view('index') } });
server.route([
  { method: 'GET', path: '/portal', options: { auth: 'session', handler: (request, h) => h.view('portal/home') } },
  { method: 'GET', path: '/maybe', options: { auth: { mode: 'try' }, handler: (request, h) => h.view('maybe') } },
  { method: 'GET', path: '/records', handler: { view: 'portal/records' } },
]);
"""
HAPI_VIEWS = {
    "templates/index.html": "<p></p>",
    "templates/maybe.html": "<p></p>",
    "templates/portal/home.html": "<p></p>",
    "templates/portal/records.html": "<p></p>",
}


def test_hapi_route_auth(tmp_path):
    found = infer(tmp_path, {**HAPI_VIEWS, "server.js": HAPI})
    assert [(i.page, i.line) for i in found] == [("templates/portal/home.html", 7)]
    assert "strategy `session`" in found[0].text


def test_hapi_default_strategy(tmp_path):
    server = HAPI + "server.auth.default('session');\n"
    assert pages(tmp_path, {**HAPI_VIEWS, "server.js": server}) == {"templates/portal/home.html", "templates/portal/records.html"}


# ---------------------------------------------------------------- names and heuristics


@pytest.mark.parametrize("name", ["requireAuth", "auth.ensureAuthenticated", "ISLOGGEDIN", "verifyToken", "protect", "require_login", "checkAuthenticated"])
def test_guard_names(name):
    assert guard_name(name)


@pytest.mark.parametrize("name", ["checkUser", "auth", "loadSession", "csrfProtection", "logger", "requireHttps"])
def test_not_guard_names(name):
    assert not guard_name(name)


def test_turn_away_heuristic():
    assert turns_anonymous_away("if (!req.user) return res.redirect('/auth/login')")
    assert turns_anonymous_away("if (!req.session?.userId) return res.sendStatus(401)")
    assert not turns_anonymous_away("if (req.user) return res.redirect('/login')")
    assert not turns_anonymous_away("if (!req.user) return res.redirect('/welcome')")


# ---------------------------------------------------------------- through a whole scan


def test_scan_labels_a_guarded_express_view_authenticated(tmp_path):
    write_tree(
        tmp_path,
        {
            "app.js": "const app = require('express')();\napp.get('/billing', requireAuth, (req, res) => res.render('billing'));\n",
            "views/billing.njk": "<h1>Bills</h1>\n<script async src=\"https://www.googletagmanager.com/gtag/js?id=G-AB12CD34EF\"></script>\n",
        },
    )
    result = scan_tree(tmp_path)
    assert finding_lines(result, tmp_path) == ["PHI001 views/billing.njk:2 google-analytics"]
    evidence = result.contexts["views/billing.njk"].labels["authenticated"][0]
    assert evidence.path == "app.js" and evidence.line == 2 and "requireAuth" in evidence.text


def test_scan_with_inference_off(tmp_path):
    write_tree(
        tmp_path,
        {
            "phi-lint.toml": "infer = false\n",
            "app.js": "app.get('/billing', requireAuth, (req, res) => res.render('billing'));\n",
            "views/billing.njk": "<script async src=\"https://www.googletagmanager.com/gtag/js?id=G-AB12CD34EF\"></script>\n",
        },
    )
    assert finding_lines(scan_tree(tmp_path), tmp_path) == ["PHI100 views/billing.njk:1 google-analytics"]


def test_server_prefilter_agrees_with_the_two_regexes_it_replaces():
    # may_serve() is _SERVER_HINT and _SERVER_WORDS, split into parts the regex engine can skip to
    from pathlib import Path

    from phi_lint.frameworks.express import _SERVER_HINT, _SERVER_WORDS, may_serve

    samples = [
        "", "app.get('/x', h)", "router.use(auth)", "next()", "x.redirect ('/')", "redirect(", "nextTick()",
        "const r = express.Router(); r.get('/', f)", "new Koa(); app.use(x)", "hapi.server().route({})",
        "myApp.listen(3000); foo.get(1)", "server . listen (1); a.set(2)", "res.render('x')",
        "import { Router } from 'x'; a.post(1)", "Routers.get(1)", "api.auth(); a.view(2)",
        "function f0(a){return a*0}var v0=[1,2,3].map(f0);", "ctx.body = 1; x.use(y)", "mapp.get(1)",
        "requests.get(1)", "reply(); z.all(1)", "koa", "xapp . use", "the response.configure(x)",
    ]
    root = Path(__file__).resolve().parent.parent
    for path in sorted((root / "fixtures").rglob("*")):
        if path.is_file() and path.suffix in (".js", ".ts", ".mjs", ".cjs", ".tsx", ".jsx"):
            samples.append(path.read_text(encoding="utf-8", errors="replace"))
    for text in samples:
        expected = bool(_SERVER_HINT.search(text)) and bool(_SERVER_WORDS.search(text))
        assert may_serve(text) == expected, text[:80]
