"""Server-side senders (phi_lint.senders): the gate, the guards that make a sender PHI001, the
payload that makes it PHI004, and the catalogue's [[servers]] entries."""

from __future__ import annotations

import textwrap

import pytest

from phi_lint.catalogue import CatalogueError, load_catalogue, load_vendor
from phi_lint.lang import Source
from phi_lint.senders import SenderIndex, sender_sightings


@pytest.fixture(scope="module")
def index():
    return SenderIndex(load_catalogue())


def _senders(index, rel: str, code: str):
    found, problems = sender_sightings(Source(rel, textwrap.dedent(code)), index)
    assert problems == []
    return found


def test_a_file_without_a_server_keyword_is_not_read(index, monkeypatch):
    import phi_lint.senders.lexical as lexical

    def fail(*_args):
        raise AssertionError("read without a keyword")

    monkeypatch.setattr(lexical, "read_code", fail)
    assert _senders(index, "app/views.py", "requests.post('https://api.riverbend.org/x', json={'email': e})\n") == []


@pytest.mark.parametrize("rel,code,guarded", [
    ("app.py", """
        @app.post("/x")
        @login_required
        def view():
            requests.post(URL_EVENTS, json={})
        URL_EVENTS = "https://graph.facebook.com/v19.0/1/events"
        """, True),
    ("app.py", """
        @app.post("/x")
        def view():
            requests.post("https://graph.facebook.com/v19.0/1/events", json={})
        """, False),
    ("app/controllers/a_controller.rb", """
        class AController < ApplicationController
          before_action :authenticate_user!, except: [:show]
          def show
            Net::HTTP.post(URI("https://graph.facebook.com/v19.0/1/events"), "{}")
          end
        end
        """, False),
    ("app/controllers/a_controller.rb", """
        class AController < ApplicationController
          before_action :authenticate_user!
          def show
            Net::HTTP.post(URI("https://graph.facebook.com/v19.0/1/events"), "{}")
          end
        end
        """, True),
    # the Rails module's reading of the controller's own filters: a skip lifts the guard…
    ("app/controllers/a_controller.rb", """
        class AController < ApplicationController
          before_action :authenticate_user!
          skip_before_action :authenticate_user!, only: [:show]
          def show
            Net::HTTP.post(URI("https://graph.facebook.com/v19.0/1/events"), "{}")
          end
        end
        """, False),
    # …and a filter written as a block counts
    ("app/controllers/a_controller.rb", """
        class AController < ApplicationController
          before_action { authenticate_user! }
          def show
            Net::HTTP.post(URI("https://graph.facebook.com/v19.0/1/events"), "{}")
          end
        end
        """, True),
    ("Controllers/A.cs", """
        [Authorize]
        public class A : Controller {
            [AllowAnonymous]
            public Task Send() => Http.PostAsync("https://graph.facebook.com/v19.0/1/events", null);
        }
        """, False),
    ("src/A.java", """
        class A {
            @PreAuthorize("permitAll()")
            void send() { rest.postForEntity("https://graph.facebook.com/v19.0/1/events", body, String.class); }
        }
        """, False),
    # the Spring module's reading: the method's own annotation wins over its class's
    ("src/A.java", """
        @PreAuthorize("isAuthenticated()")
        class A {
            @PermitAll
            void send() { rest.postForEntity("https://graph.facebook.com/v19.0/1/events", body, String.class); }
        }
        """, False),
    ("src/A.kt", """
        class A(private val rest: RestTemplate) {
            @PreAuthorize("isAuthenticated()")
            fun send(email: String) {
                rest.postForEntity("https://graph.facebook.com/v19.0/1/events", mapOf("em" to email), String::class.java)
            }
        }
        """, True),
    ("src/server.js", """
        app.post('/x', async (req, res) => {
          await fetch('https://graph.facebook.com/v19.0/1/events', { method: 'POST' });
        });
        """, False),
    ("src/server.js", """
        async function send(req, res) {
          await fetch('https://graph.facebook.com/v19.0/1/events', { method: 'POST' });
        }
        router.post('/x', ensureLoggedIn, send);
        """, True),
])
def test_guards_of_the_handler_that_reaches_the_sender(index, rel, code, guarded):
    found = _senders(index, rel, code)
    assert len(found) == 1
    assert bool(found[0].details["guards"]) is guarded, found[0].details


def test_a_hashed_email_is_still_an_email_and_an_order_is_not_data(index):
    found = _senders(index, "app/t.py", """
        def lead(user, order):
            digest = hashlib.sha256(user.email.encode()).hexdigest()
            requests.post("https://tr.snapchat.com/v2/conversion", json={"hashed": digest})
            requests.post("https://tr.snapchat.com/v2/conversion", json={"order_id": order.id, "value": order.total})
        """)
    assert [s.span.line for s in found] == [4, 5]
    first, second = (s.details["sent"] for s in found)
    assert {i["key"] for i in first} == {"user.email"} and first[0]["class"] == "contact"
    assert second == []


def test_kotlin_map_keys_are_payload_keys(index):
    found = _senders(index, "src/B.kt", """
        fun send(rest: RestTemplate, email: String) =
            rest.postForEntity("https://graph.facebook.com/v19.0/1/events", mapOf("em" to email), String::class.java)
        """)
    assert [(i["key"], i["class"]) for i in found[0].details["sent"]] == [("em", "contact")]


def test_a_url_built_inline_is_sent_by_the_call_around_it(index):
    found = _senders(index, "app/r.rb", """
        def gift
          Net::HTTP.post(URI("https://ads-api.reddit.com/api/v2.0/conversions/events/t2_abc"), "{}")
        end
        """)
    assert [(s.span.line, s.span.column) for s in found] == [(3, 3)]


def test_a_constant_endpoint_is_reported_where_it_is_sent(index):
    found = _senders(index, "svc/capi.go", """
        package svc

        const capiURL = "https://graph.facebook.com/v19.0/1/events"

        func send(body io.Reader) {
        	http.Post(capiURL, "application/json", body)
        }
        """)
    assert [(s.span.line, s.snippet) for s in found] == [(7, 'http.Post(capiURL, "application/json", body)')]


def test_server_signatures_must_be_an_endpoint_or_an_sdk(tmp_path):
    path = tmp_path / "acme.toml"
    path.write_text(textwrap.dedent("""
        id = "acme"
        name = "Acme"
        category = "analytics"
        keywords = ["acme.js"]
        [[urls]]
        pattern = 'acme\\.io/acme\\.js'
        [[servers]]
        label = "both"
        keywords = ["acme.io/collect"]
        endpoint = 'acme\\.io/collect'
        calls = ['\\bacme\\.send\\(']
        """), encoding="utf-8")
    with pytest.raises(CatalogueError, match="servers"):
        load_vendor(path)


def test_server_signatures_belong_to_the_vendors_they_send_to():
    """Meta's Conversions API is the Meta Pixel vendor (one BAA, one inventory row), not a vendor
    of its own."""
    catalogue = load_catalogue()
    labels = {(v.id, s.label) for v in catalogue for s in v.servers}
    assert ("meta-pixel", "Conversions API") in labels
    assert ("google-analytics", "GA4 Measurement Protocol") in labels
    assert not any(v.id.endswith(("-capi", "-server")) for v in catalogue)


def test_an_sdk_imported_without_a_send_is_inventory_at_its_import(index):
    found = _senders(index, "app/cdp.py", """
        import os
        import segment.analytics as analytics

        analytics.write_key = os.environ["SEGMENT_KEY"]
        """)
    assert [(s.span.line, s.details.get("imported")) for s in found] == [(3, "segment.analytics")]


@pytest.mark.parametrize("rel,text,vendor,line", [
    ("package.json", '{\n  "dependencies": {\n    "posthog-node": "^4.0.0"\n  }\n}\n', "posthog", 3),
    ("composer.json", '{"require": {\n "facebook/php-business-sdk": "^20.0"}}\n', "meta-pixel", 2),
    ("go.mod", "module x\n\nrequire github.com/segmentio/analytics-go/v3 v3.3.0\n", "segment", 3),
    ("Api.csproj", '<Project>\n  <ItemGroup>\n    <PackageReference Include="Google.Ads.GoogleAds" Version="22.0.0" />\n', "google-ads", 3),
    ("requirements.txt", "Django==5.0\nfacebook_business==19.0.0\n", "meta-pixel", 2),
    ("requirements-prod.txt", "-r base.txt\nmixpanel>=4.10\n", "mixpanel", 2),
    ("pyproject.toml", '[project]\nname = "clinic"\ndependencies = [\n  "segment-analytics-python>=2.3",\n]\n', "segment", 4),
    ("Gemfile", "source 'https://rubygems.org'\ngem 'rails'\ngem 'posthog-ruby', '~> 2.5'\n", "posthog", 3),
    ("pom.xml", "<project>\n  <dependency>\n    <groupId>com.facebook.business.sdk</groupId>\n"
                "    <artifactId>facebook-java-business-sdk</artifactId>\n  </dependency>\n</project>\n", "meta-pixel", 4),
    ("build.gradle", "plugins { id 'org.springframework.boot' version '3.2.0' }\ndependencies {\n"
                     "  implementation 'com.segment.analytics.java:analytics:3.5.1'\n}\n", "segment", 3),
])
def test_dependency_manifests_name_server_sdks(index, rel, text, vendor, line):
    from phi_lint.senders import dependency_sightings

    found = dependency_sightings(Source(rel, text), index)
    assert [(s.vendor_id, s.span.line) for s in found] == [(vendor, line)]


@pytest.mark.parametrize("rel,text", [
    ("package.json", '{"dependencies": {"posthog-js": "^1.0.0", "mixpanel-browser": "^2.0.0"}}\n'),
    ("composer.json", '{"require": {"laravel/framework": "^11.0"}}\n'),
    ("requirements.txt", "Django==5.0\nmixpanel-utils==2.0\n# posthog later\n"),
    ("pyproject.toml", '[project]\nname = "posthog-dashboards"\ndependencies = ["requests"]\n'),
    ("Gemfile", "gem 'rails'\ngem 'analytics-ruby-helpers'\n"),
    ("pom.xml", "<project><artifactId>mixpanel-javadoc</artifactId></project>\n"),
    ("pom.xml", "<project><!-- <artifactId>mixpanel-java</artifactId> --></project>\n"),
    # an Android app's build file: its SDKs are the mobile analysis's
    ("build.gradle", "plugins { id 'com.android.application' }\ndependencies {\n"
                     "  implementation 'com.segment.analytics.java:analytics:3.5.1'\n}\n"),
    ("requirements.md", "facebook_business==19.0.0\n"),
])
def test_browser_sdks_in_manifests_are_not_server_sdks(index, rel, text):
    from phi_lint.senders import dependency_sightings

    assert dependency_sightings(Source(rel, text), index) == []


def test_an_inline_ignore_in_server_code_suppresses_the_sender(tmp_path):
    from helpers import scan_tree

    (tmp_path / "app.py").write_text(textwrap.dedent("""
        import requests

        def send(user):
            # phi-lint: ignore[PHI004] the BAA with Meta covers hashed emails (legal ticket 42)
            requests.post("https://graph.facebook.com/v19.0/1/events", json={"em": user.email})
        """), encoding="utf-8")
    result = scan_tree(tmp_path)
    assert not [f for f in result.findings if f.rule_id == "PHI004"]
    [finding] = [f for f in result.suppressed if f.rule_id == "PHI004"]
    assert finding.suppression is not None and "ticket 42" in finding.suppression.justification


# guards declared in another file: the route file or URLconf names the handler (phi_lint.senders.handlers)
_LARAVEL_ROUTES = """<?php
use App\\Http\\Controllers\\IntakeController;
use Illuminate\\Support\\Facades\\Route;

Route::post('/order', [IntakeController::class, 'order']);
Route::middleware('auth')->group(function () {
    Route::post('/intake', [IntakeController::class, 'store']);
});
Route::post('/open', [IntakeController::class, 'open'])->middleware('auth')->withoutMiddleware('auth');
"""
_LARAVEL_CONTROLLER = """<?php
namespace App\\Http\\Controllers;

use Illuminate\\Support\\Facades\\Http;

class IntakeController extends Controller
{
    public function store() { Http::post('https://api2.amplitude.com/2/httpapi', ['order_id' => request('id')]); }

    public function order() { Http::post('https://api2.amplitude.com/2/httpapi', ['order_id' => request('id')]); }

    public function open() { Http::post('https://api2.amplitude.com/2/httpapi', ['order_id' => request('id')]); }
}
"""
_DJANGO_URLS = """from django.contrib.auth.decorators import login_required
from django.urls import path

from booking import views

urlpatterns = [
    path("intake/", login_required(views.intake)),
    path("shop/", views.shop),
    path("refill/", login_required(views.RefillView.as_view())),
]
"""
_DJANGO_VIEWS = """import requests
from django.views import View

URL = "https://api2.amplitude.com/2/httpapi"


def intake(request):
    requests.post(URL, json={"order_id": request.POST["id"]})


def shop(request):
    requests.post(URL, json={"order_id": request.POST["id"]})


class RefillView(View):
    def post(self, request):
        requests.post(URL, json={"order_id": request.POST["id"]})
"""


def _write(root, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


def _sender_rules(tmp_path, files: dict[str, str]) -> dict[int, str]:
    return {line: rule for (_path, line), rule in _sender_rules_by_file(tmp_path, files).items()}


def _sender_rules_by_file(tmp_path, files: dict[str, str]) -> dict[tuple[str, int], str]:
    from helpers import scan_tree

    _write(tmp_path, files)
    result = scan_tree(tmp_path)
    return {(f.sighting.path, f.sighting.span.line): f.rule_id for f in result.findings if f.sighting.kind == "server-send"}


def test_a_laravel_route_group_guards_the_controller_action_it_names(tmp_path):
    rules = _sender_rules(tmp_path, {"routes/web.php": _LARAVEL_ROUTES,
                                     "app/Http/Controllers/IntakeController.php": _LARAVEL_CONTROLLER})
    # store(): inside the auth group; order(): outside it; open(): its withoutMiddleware lifts the guard
    assert rules == {8: "PHI001", 10: "PHI100", 12: "PHI100"}


def test_a_laravel_action_without_a_route_file_stays_unguarded(tmp_path):
    rules = _sender_rules(tmp_path, {"app/Http/Controllers/IntakeController.php": _LARAVEL_CONTROLLER})
    assert rules == {8: "PHI100", 10: "PHI100", 12: "PHI100"}


def test_a_django_urlconf_wrapper_guards_the_view_it_wraps(tmp_path):
    rules = _sender_rules(tmp_path, {"manage.py": "", "clinic/__init__.py": "", "booking/__init__.py": "",
                                     "clinic/settings.py": 'ROOT_URLCONF = "clinic.urls"\n',
                                     "clinic/urls.py": _DJANGO_URLS, "booking/views.py": _DJANGO_VIEWS})
    # intake: login_required(views.intake); shop: unwrapped; RefillView: its as_view() wrapped
    assert rules == {8: "PHI001", 12: "PHI100", 17: "PHI001"}


def test_the_route_guard_is_named_with_the_file_it_is_written_in(tmp_path):
    from helpers import scan_tree

    _write(tmp_path, {"routes/web.php": _LARAVEL_ROUTES, "app/Http/Controllers/IntakeController.php": _LARAVEL_CONTROLLER})
    [finding] = [f for f in scan_tree(tmp_path).findings if f.rule_id == "PHI001"]
    assert "routes/web.php:6" in finding.message and "at route `/intake`" in finding.message


def test_a_call_on_another_object_is_not_a_call_of_the_files_function(index):
    found = _senders(index, "views.py", """
        import requests
        from django.contrib.auth.decorators import login_required

        def post(data):
            requests.post("https://api2.amplitude.com/2/httpapi", json=data)

        @login_required
        def other(request):
            client.post("/elsewhere")
        """)
    assert found[0].details["chain"] == ["post"] and found[0].details["guards"] == []


def test_server_dependency_manifests_are_read_by_a_scan(tmp_path):
    from helpers import scan_tree

    _write(tmp_path, {"requirements.txt": "Django==5.0\nfacebook_business==19.0.0\n",
                      "Gemfile": "gem 'rails'\ngem 'mixpanel-ruby'\n", "pom.xml": "<artifactId>mixpanel-java</artifactId>\n",
                      "notes/requirements.md": "facebook_business==19.0.0\n"})
    lines = sorted((f.rule_id, f.sighting.path, f.sighting.span.line, f.sighting.vendor_id)
                   for f in scan_tree(tmp_path).findings if f.sighting.kind == "server-send")
    assert lines == [("PHI100", "Gemfile", 2, "mixpanel"), ("PHI100", "pom.xml", 1, "mixpanel"),
                     ("PHI100", "requirements.txt", 2, "meta-pixel")]


# guards in another file that the framework modules' route tables know (Framework.handler_routes)
_META = 'Net::HTTP.post(URI("https://graph.facebook.com/v19.0/1/events"), { order_id: params[:id] }.to_json)'


def _rails_controller(name: str, parent: str, body: str = "") -> str:
    return (f"class {name} < {parent}\n{body}  def create\n    {_META}\n  end\n\n"
            f"  def update\n    {_META}\n  end\nend\n")


def test_a_rails_filter_inherited_from_another_file_guards_the_action(tmp_path):
    rules = _sender_rules_by_file(tmp_path, {
        "app/controllers/application_controller.rb":
            "class ApplicationController < ActionController::Base\n  before_action :authenticate_user!\nend\n",
        "app/controllers/visits_controller.rb": _rails_controller("VisitsController", "ApplicationController"),
        "app/controllers/hooks_controller.rb": _rails_controller("HooksController", "ActionController::Base"),
    })
    assert rules == {("app/controllers/hooks_controller.rb", 3): "PHI100", ("app/controllers/hooks_controller.rb", 7): "PHI100",
                     ("app/controllers/visits_controller.rb", 3): "PHI001", ("app/controllers/visits_controller.rb", 7): "PHI001"}


def test_a_rails_skip_in_the_controller_lifts_the_inherited_filter(tmp_path):
    rules = _sender_rules_by_file(tmp_path, {
        "app/controllers/application_controller.rb":
            "class ApplicationController < ActionController::Base\n  before_action :authenticate_user!\nend\n",
        "app/controllers/visits_controller.rb": _rails_controller(
            "VisitsController", "ApplicationController", "  skip_before_action :authenticate_user!, only: [:update]\n"),
    })
    assert rules == {("app/controllers/visits_controller.rb", 4): "PHI001", ("app/controllers/visits_controller.rb", 8): "PHI100"}


def test_a_rails_authenticate_block_of_routes_rb_guards_the_actions_drawn_in_it(tmp_path):
    from helpers import scan_tree

    _write(tmp_path, {
        "config/routes.rb": ("Rails.application.routes.draw do\n  authenticate :user do\n"
                             "    resources :visits, only: [:create]\n  end\n"
                             "  patch 'visits/:id', to: 'visits#update'\nend\n"),
        "app/controllers/visits_controller.rb": _rails_controller("VisitsController", "ActionController::Base"),
    })
    found = {f.sighting.span.line: f for f in scan_tree(tmp_path).findings if f.sighting.kind == "server-send"}
    assert {line: f.rule_id for line, f in found.items()} == {3: "PHI001", 7: "PHI100"}
    assert "`authenticate :user` block in routes.rb, config/routes.rb:2" in found[3].message


_FETCH = "await fetch('https://api2.amplitude.com/2/httpapi', { method: 'POST', body: JSON.stringify({ id: req.body.id }) });"
_ROUTER = ("const express = require('express');\nconst router = express.Router();\n"
           f"router.post('/book', async (req, res) => {{\n  {_FETCH}\n}});\nmodule.exports = router;\n")


def test_an_express_router_mounted_behind_a_guard_in_another_file_guards_its_handlers(tmp_path):
    from helpers import scan_tree

    _write(tmp_path, {
        "package.json": '{"dependencies": {"express": "^4.19.2"}}',
        "app.js": ("const express = require('express');\nconst { requireAuth } = require('./auth');\n"
                   "const app = express();\napp.use('/portal', requireAuth, require('./routes/portal'));\n"
                   "app.use('/shop', require('./routes/shop'));\n"),
        "routes/portal.js": _ROUTER, "routes/shop.js": _ROUTER,
    })
    found = {f.sighting.path: f for f in scan_tree(tmp_path).findings if f.sighting.kind == "server-send"}
    assert {path: f.rule_id for path, f in found.items()} == {"routes/portal.js": "PHI001", "routes/shop.js": "PHI100"}
    assert "app.js:4" in found["routes/portal.js"].message and "at route `/portal/book`" in found["routes/portal.js"].message


def test_express_router_use_guards_the_handlers_registered_after_it(tmp_path):
    rules = _sender_rules_by_file(tmp_path, {
        "package.json": '{"dependencies": {"express": "^4.19.2"}}',
        "routes/records.js": ("const express = require('express');\nconst { requireAuth } = require('../auth');\n"
                              "const records = require('../controllers/records');\nconst router = express.Router();\n"
                              "router.get('/preview', records.preview);\nrouter.use(requireAuth);\n"
                              "router.post('/share', records.share);\nmodule.exports = router;\n"),
        "controllers/records.js": (f"exports.share = async (req, res) => {{\n  {_FETCH}\n}};\n"
                                   f"exports.preview = async (req, res) => {{\n  {_FETCH}\n}};\n"),
    })
    assert rules == {("controllers/records.js", 2): "PHI001", ("controllers/records.js", 5): "PHI100"}


_SPRING_CONTROLLER = """package org.clinic.web;

@RestController
public class IntakeController {
    @PostMapping("/portal/intake")
    public void submit(String id) { rest.postForEntity("https://api2.amplitude.com/2/httpapi", Map.of("id", id), String.class); }

    @PostMapping("/portal/public/started")
    public void started(String id) { rest.postForEntity("https://api2.amplitude.com/2/httpapi", Map.of("id", id), String.class); }

    @PostMapping("/intake/done")
    public void done(String id) { rest.postForEntity("https://api2.amplitude.com/2/httpapi", Map.of("id", id), String.class); }
}
"""


def test_a_security_filter_chain_rule_guards_the_method_whose_url_it_covers_first(tmp_path):
    from helpers import scan_tree

    _write(tmp_path, {
        "src/main/java/org/clinic/SecurityConfig.java": """package org.clinic;

@Configuration
public class SecurityConfig {
    @Bean
    SecurityFilterChain chain(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(auth -> auth
                .requestMatchers("/portal/public/**").permitAll()
                .requestMatchers("/portal/**").hasRole("PATIENT")
                .anyRequest().permitAll());
        return http.build();
    }
}
""",
        "src/main/java/org/clinic/web/IntakeController.java": _SPRING_CONTROLLER,
    })
    found = {f.sighting.span.line: f for f in scan_tree(tmp_path).findings if f.sighting.kind == "server-send"}
    # /portal/public/started: the permitAll rule written first decides it
    assert {line: f.rule_id for line, f in found.items()} == {6: "PHI001", 9: "PHI100", 12: "PHI100"}
    assert "src/main/java/org/clinic/SecurityConfig.java:9" in found[6].message


def test_a_spring_sender_whose_url_is_not_a_literal_is_said_not_judged_by_the_chain(tmp_path):
    from helpers import scan_tree

    _write(tmp_path, {
        "src/main/java/org/clinic/SecurityConfig.java": """package org.clinic;

@Configuration
public class SecurityConfig {
    @Bean
    SecurityFilterChain chain(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(auth -> auth.anyRequest().authenticated());
        return http.build();
    }
}
""",
        "src/main/java/org/clinic/web/IntakeController.java": """package org.clinic.web;

@RestController
public class IntakeController {
    @PostMapping(Paths.INTAKE)
    public void submit(String id) { rest.postForEntity("https://api2.amplitude.com/2/httpapi", Map.of("id", id), String.class); }

    @PostMapping("/intake/done")
    public void done(String id) { rest.postForEntity("https://api2.amplitude.com/2/httpapi", Map.of("id", id), String.class); }
}
""",
    })
    result = scan_tree(tmp_path)
    found = {f.sighting.span.line: f.rule_id for f in result.findings if f.sighting.kind == "server-send"}
    assert found == {6: "PHI100", 9: "PHI001"}
    said = [n for n in result.notifications if n.path.endswith("IntakeController.java")]
    assert len(said) == 1 and "`IntakeController.submit`" in said[0].message and "not a literal" in said[0].message


def test_a_spring_security_xml_intercept_url_guards_the_method_whose_url_it_covers(tmp_path):
    rules = _sender_rules_by_file(tmp_path, {
        "src/main/webapp/WEB-INF/spring-security.xml": """<beans:beans xmlns="http://www.springframework.org/schema/security"
    xmlns:beans="http://www.springframework.org/schema/beans">
  <http use-expressions="true">
    <intercept-url pattern="/portal/public/**" access="permitAll"/>
    <intercept-url pattern="/portal/**" access="isAuthenticated()"/>
    <intercept-url pattern="/**" access="permitAll"/>
  </http>
</beans:beans>
""",
        "src/main/java/org/clinic/web/IntakeController.java": _SPRING_CONTROLLER,
    })
    path = "src/main/java/org/clinic/web/IntakeController.java"
    assert rules == {(path, 6): "PHI001", (path, 9): "PHI100", (path, 12): "PHI100"}


def test_the_route_tables_are_asked_only_when_a_run_found_senders(tmp_path, monkeypatch):
    from helpers import scan_tree

    import phi_lint.frameworks.rails as rails

    asked = []
    monkeypatch.setattr(rails, "action_routes", lambda repo, handlers: asked.append(handlers) or [])
    _write(tmp_path, {"app/controllers/visits_controller.rb": "class VisitsController < ApplicationController\n"
                                                               "  def create\n    head :ok\n  end\nend\n"})
    scan_tree(tmp_path)
    assert asked == []
    _write(tmp_path, {"app/controllers/visits_controller.rb": _rails_controller("VisitsController", "ApplicationController")})
    scan_tree(tmp_path)
    assert asked == [[("app/controllers/visits_controller.rb", "VisitsController"),
                      ("app/controllers/visits_controller.rb", "create"),
                      ("app/controllers/visits_controller.rb", "update")]]
