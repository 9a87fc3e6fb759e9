"""Spring MVC / Spring Boot and Grails (phi_lint.frameworks.spring, .grails, .spring_security):
controllers, the views they render, security annotations and SecurityFilterChain URL rules,
resolved through the one route resolver (phi_lint.frameworks.routes)."""

from __future__ import annotations

import posixpath

import pytest
from helpers import write_tree

from phi_lint.discovery import classify
from phi_lint.frameworks import registered
from phi_lint.frameworks.routes import inferences
from phi_lint.lang import Source
from phi_lint.pagegraph.graph import PageGraph
from phi_lint.pagegraph.repo import RepoIndex

JVM = ("phi_lint.frameworks.spring", "phi_lint.frameworks.grails")


def routes(tmp_path, files: dict[str, str]):
    write_tree(tmp_path, files)
    kinds = {rel: classify(posixpath.basename(rel)) for rel in files}
    repo = RepoIndex(tmp_path, {rel: kind for rel, kind in kinds.items() if kind})
    found = []
    for framework in registered(JVM):
        for rel in sorted(files):
            if kinds[rel]:
                found.extend(framework.file_routes(Source(rel, files[rel]), repo))
        found.extend(framework.routes(repo, PageGraph([])))
    return found


def infer(tmp_path, files: dict[str, str]):
    return inferences(routes(tmp_path, files))


def pages(tmp_path, files) -> set[str]:
    found = infer(tmp_path, files)
    assert all(item.label == "authenticated" for item in found)
    return {item.page for item in found}


# ---------------------------------------------------------------- Grails


GRAILS_VIEWS = {
    "grails-app/views/portal/index.gsp": "<p></p>",
    "grails-app/views/portal/summary.gsp": "<p></p>",
    "grails-app/views/portal/help.gsp": "<p></p>",
    "grails-app/views/shared/records.gsp": "<p></p>",
}


def test_grails_class_level_secured_and_render_view(tmp_path):
    controller = """package clinic

import grails.plugin.springsecurity.annotation.Secured

@Secured(['ROLE_PATIENT'])
class PortalController {

    def patientService

    def index() {
        [patient: patientService.current()]
    }

    def summary() {
        render(view: 'summary', model: [rows: patientService.rows()])
    }

    def records() {
        render view: '/shared/records'
    }

    @Secured('permitAll')
    def help() { }
}
"""
    found = infer(tmp_path, {**GRAILS_VIEWS, "grails-app/controllers/clinic/PortalController.groovy": controller})
    assert {i.page for i in found} == {
        "grails-app/views/portal/index.gsp",
        "grails-app/views/portal/summary.gsp",
        "grails-app/views/shared/records.gsp",
    }
    assert all(i.line == 5 and "@Secured(['ROLE_PATIENT']) on `PortalController." in i.text for i in found)


def test_grails_method_level_and_anonymous(tmp_path):
    controller = """
class PortalController {
    @Secured(['IS_AUTHENTICATED_REMEMBERED'])
    def summary() { }

    // @Secured(['ROLE_USER'])
    def index() { }

    @Secured(['IS_AUTHENTICATED_ANONYMOUSLY'])
    def help() { }
}
"""
    assert pages(tmp_path, {**GRAILS_VIEWS, "grails-app/controllers/PortalController.groovy": controller}) == {
        "grails-app/views/portal/summary.gsp"
    }


def test_grails_permit_all_class(tmp_path):
    controller = "@Secured(['permitAll'])\nclass PortalController {\n    def index() { }\n}\n"
    assert pages(tmp_path, {**GRAILS_VIEWS, "grails-app/controllers/PortalController.groovy": controller}) == set()


def test_grails_without_security_annotation(tmp_path):
    controller = "class PortalController {\n    def index() { }\n}\n"
    assert pages(tmp_path, {**GRAILS_VIEWS, "grails-app/controllers/PortalController.groovy": controller}) == set()


# ---------------------------------------------------------------- Spring MVC


SPRING_VIEWS = {
    "src/main/resources/templates/portal/dashboard.html": "<p></p>",
    "src/main/resources/templates/portal/records.html": "<p></p>",
    "src/main/resources/templates/home.html": "<p></p>",
    "src/main/webapp/WEB-INF/views/billing/statements.jsp": "<p></p>",
}


def test_spring_preauthorize_on_methods(tmp_path):
    controller = """package org.clinic.web;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.*;

@Controller
@RequestMapping("/portal")
public class PortalController {

    @GetMapping({"", "/"})
    @PreAuthorize("isAuthenticated()")
    public String dashboard(Model model, @RequestParam(value = "tab", required = false) String tab) {
        if (tab == null) {
            return "portal/dashboard";
        }
        // return "portal/old";
        return "redirect:/portal";
    }

    @PreAuthorize("hasRole('PATIENT')")
    @GetMapping("/statements")
    public ModelAndView statements() {
        return new ModelAndView("billing/statements");
    }

    @GetMapping("/home")
    @PreAuthorize("permitAll()")
    public String home() {
        return "home";
    }

    @GetMapping("/records")
    public String records() {
        return "portal/records";
    }
}
"""
    found = infer(tmp_path, {**SPRING_VIEWS, "src/main/java/org/clinic/web/PortalController.java": controller})
    assert {(i.page, i.line) for i in found} == {
        ("src/main/resources/templates/portal/dashboard.html", 12),
        ("src/main/webapp/WEB-INF/views/billing/statements.jsp", 21),
    }


def test_spring_class_level_secured_with_array_and_method_override(tmp_path):
    controller = """
@Controller
@Secured({"ROLE_USER", "ROLE_ADMIN"})
public class PortalController {
    @RequestMapping(value = "/portal", method = RequestMethod.GET)
    public String dashboard() { return "portal/dashboard"; }

    @PermitAll
    @GetMapping("/")
    public String home() { return "home"; }
}
"""
    assert pages(tmp_path, {**SPRING_VIEWS, "src/main/java/PortalController.java": controller}) == {
        "src/main/resources/templates/portal/dashboard.html"
    }


def test_kotlin_expression_body_and_roles_allowed(tmp_path):
    controller = """
@Controller
class RecordsController(private val service: RecordService) {
    @RolesAllowed("PATIENT")
    @GetMapping("/records")
    fun records(model: Model): String = "portal/records"

    @GetMapping("/")
    fun home(): String {
        return "home"
    }
}
"""
    assert pages(tmp_path, {**SPRING_VIEWS, "src/main/kotlin/RecordsController.kt": controller}) == {
        "src/main/resources/templates/portal/records.html"
    }


def test_rest_controllers_and_unmapped_methods_render_no_views(tmp_path):
    controller = """
@RestController
@PreAuthorize("isAuthenticated()")
public class ApiController {
    @GetMapping("/api/x")
    public String x() { return "portal/dashboard"; }
}

@Controller
@PreAuthorize("isAuthenticated()")
class HelperController {
    public String helper() { return "portal/records"; }
}
"""
    assert pages(tmp_path, {**SPRING_VIEWS, "src/main/java/ApiController.java": controller}) == set()


def test_odd_jvm_input(tmp_path):
    files = {
        "src/main/java/A.java": '@Controller @Secured("ROLE_USER") class A { @GetMapping("/x") String x( { return "y"; ' + "(" * 3000,
        "src/main/java/B.java": "/* unterminated @Secured('x') class B {" + '"""' * 7 + "@Controller class C {" * 3000,
        "src/main/java/C.java": "@Secured({" * 3000,
    }
    assert pages(tmp_path, files) == set()




# ---------------------------------------------------------------- URL patterns


@pytest.mark.parametrize(
    "pattern, url, matches",
    [
        ("/records/**", "/records", True),
        ("/records/**", "/records/", True),
        ("/records/**", "/records/list", True),
        ("/records/**", "/records/1/notes", True),
        ("/records/**", "/recordsx", False),
        ("/records/**", "/portal/records", False),
        ("/records/*", "/records/list", True),
        ("/records/*", "/records/1/notes", False),
        ("/records/*", "/records", False),
        ("/records/*/notes", "/records/{id}/notes", True),
        ("/records/{id}", "/records/{recordId}", True),
        ("/records/{id:\\d+}", "/records/{recordId}", True),
        ("/records/new", "/records/{id}", False),  # a variable is any value, not this one
        ("/records/?", "/records/a", True),
        ("/records/?", "/records/ab", False),
        ("/*.html", "/about.html", True),
        ("/**/edit", "/records/1/edit", True),
        ("/**/edit", "/edit", True),
        ("/**", "/", True),
        ("/", "/", True),
        ("/", "/about", False),
        ("/about", "/about/", True),
        ("/api/{*rest}", "/api/a/b", True),
        ("/a.b/*", "/aXb/c", False),  # literal dots
    ],
)
def test_ant_match(pattern, url, matches):
    from phi_lint.frameworks.spring_security import ant_match

    assert ant_match(pattern, url) is matches


def test_ant_match_is_linear_in_double_stars():
    import time

    from phi_lint.frameworks.spring_security import ant_match

    started = time.process_time()
    assert not ant_match("/**/a" * 300 + "/b", "/a" * 300 + "/c")
    assert time.process_time() - started < 2


@pytest.mark.parametrize(
    "prefix, path, url",
    [("", "", "/"), ("/portal", "", "/portal"), ("/portal", "/", "/portal/"), ("/portal", "x", "/portal/x"),
     ("", "records", "/records"), (None, "/x", None)],
)
def test_join_url(prefix, path, url):
    from phi_lint.frameworks.spring import join_url

    assert join_url(prefix, path) == url


# ---------------------------------------------------------------- filter chain rules


def _rules(code: str, language: str = "java"):
    from phi_lint.frameworks.spring_security import filter_rules
    from phi_lint.lang.treesitter import parse

    return [(rule.patterns, rule.kind) for rule in filter_rules(parse(code, language), language, "S")]


def test_rules_in_the_order_written_with_what_they_require():
    code = """class S { SecurityFilterChain c(HttpSecurity http) throws Exception {
      http.csrf(c -> c.ignoringRequestMatchers("/hooks/**"))
          .authorizeHttpRequests(a -> a
              .requestMatchers("/admin/**").access("hasRole('ADMIN')")
              .requestMatchers("/closed").denyAll()
              .requestMatchers("/a", "/b").hasAnyRole("X", "Y")
              .requestMatchers("/open").anonymous()
              .anyRequest().authenticated())
          .formLogin(f -> f.loginPage("/login").permitAll());
      web.ignoring().requestMatchers("/css/**");
      return http.build(); } }"""
    assert _rules(code) == [
        (("/admin/**",), "signed-in"), (("/closed",), "closed"), (("/a", "/b"), "signed-in"),
        (("/open",), "open"), (None, "signed-in"),
    ]


def test_kotlin_dsl_rules():
    code = """class S { fun c(http: HttpSecurity): SecurityFilterChain {
        http {
            csrf { disable() }
            authorizeHttpRequests {
                authorize("/admin/**", hasRole("ADMIN"))
                authorize(HttpMethod.POST, "/records/**", permitAll)
                authorize("/records/**", authenticated)
                authorize(anyRequest, permitAll)
            }
        }
        http.authorizeRequests { it.antMatchers("/old/**").hasAuthority("X") }
        return http.build()
    } }"""
    assert _rules(code, "kotlin") == [
        (("/admin/**",), "signed-in"), (("/records/**",), "signed-in"), (None, "open"), (("/old/**",), "signed-in"),
    ]


def test_matchers_outside_an_authorize_call_are_no_rules():
    code = """class S { void c(HttpSecurity http) {
        http.securityMatcher("/api/**").csrf(c -> c.ignoringRequestMatchers("/x/**"));
        other.requestMatchers("/y/**").authenticated();
    } }"""
    assert _rules(code) == []


def test_a_closed_url_is_not_authenticated(tmp_path):
    files = {
        "src/main/java/S.java": 'class S { void c(HttpSecurity h) { h.authorizeHttpRequests(a -> a.requestMatchers("/x").denyAll()'
                                '.anyRequest().authenticated()); } }',
        "src/main/java/C.java": '@Controller class C { @GetMapping("/x") String x() { return "x"; } '
                                '@GetMapping("/y") String y() { return "y"; } }',
        "src/main/resources/templates/x.html": "<p></p>",
        "src/main/resources/templates/y.html": "<p></p>",
    }
    assert pages(tmp_path, files) == {"src/main/resources/templates/y.html"}


def test_a_filter_chain_guard_is_not_lifted_by_permit_all_on_the_method(tmp_path):
    # the filter chain runs before method security: @PermitAll cannot open what it closes
    files = {
        "src/main/java/S.java": 'class S { void c(HttpSecurity h) { h.authorizeHttpRequests(a -> a.anyRequest().authenticated()); } }',
        "src/main/java/C.java": '@Controller class C { @PermitAll @GetMapping("/x") String x() { return "x"; } }',
        "src/main/resources/templates/x.html": "<p></p>",
    }
    assert pages(tmp_path, files) == {"src/main/resources/templates/x.html"}


def test_kotlin_class_annotations_at_the_top_of_a_file(tmp_path):
    # without a package line the Kotlin grammar reads `@A @B("x")` before a class as an expression
    controller = '@Controller\n@RequestMapping("/portal")\n@PreAuthorize("isAuthenticated()")\nclass P {\n' \
                 '    @GetMapping("/records")\n    fun records() = "portal/records"\n}\n'
    found = routes(tmp_path, {**SPRING_VIEWS, "src/main/kotlin/P.kt": controller})
    assert [(r.url, r.page, [g.line for g in r.guards]) for r in found] == [
        ("/portal/records", "src/main/resources/templates/portal/records.html", [3])
    ]


def test_a_team_names_its_own_annotations_in_config(tmp_path):
    from helpers import scan_tree

    files = {
        "phi-lint.toml": '[frameworks.spring]\ncontroller-annotations = ["PatientController"]\nrole-annotations = ["IsPatient"]\n',
        "src/main/java/C.java": '@PatientController class C { @IsPatient @GetMapping("/r") String r() { return "portal/records"; } }',
        **SPRING_VIEWS,
    }
    write_tree(tmp_path, files)
    result = scan_tree(tmp_path)
    page = result.contexts["src/main/resources/templates/portal/records.html"]
    assert [e.text for e in page.labels.get("authenticated", [])] == ["@IsPatient on `C.r`"]


def test_patterns_from_matcher_factories():
    code = """class S { void c(HttpSecurity http, PathPatternRequestMatcher.Builder mvc) throws Exception {
      http.authorizeHttpRequests(a -> a
          .requestMatchers(mvc.matcher("/login"), antMatcher("/css/**"), PathRequest.toH2Console()).permitAll()
          .anyRequest().authenticated()); } }"""
    assert _rules(code) == [(("/login", "/css/**"), "open"), (None, "signed-in")]
