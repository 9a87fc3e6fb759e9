"""The hot path of the WordPress and Go passes: a repository without WordPress pays nothing for
it, and no project pass parses a file pass 1 has parsed already (what pass 1 found is kept)."""

from __future__ import annotations

import collections

import pytest
from helpers import finding_lines, scan_tree, write_tree

from phi_lint.lang import treesitter

GA = '<script async src="https://www.googletagmanager.com/gtag/js?id=G-ABCD123456"></script>\n'

PLAIN_PHP = {
    f"src/reports/page{i}.php": (
        "<?php\nrequire_once __DIR__ . '/../lib.php';\n"
        "if (!user_can($user, 'view_reports')) { header('Location: /login'); exit; }\n"
        f"echo '<h1>Report {i}</h1>';\n")
    for i in range(5)
}
WORDPRESS_GUARD = {
    "wp-content/themes/clinic/style.css": "/* Theme Name: Clinic */\n",
    "wp-content/themes/clinic/functions.php": (
        "<?php\nadd_action( 'template_redirect', function () {\n"
        "    if ( is_page( 'my-records' ) && ! is_user_logged_in() ) {\n"
        "        wp_redirect( wp_login_url() );\n        exit;\n    }\n} );\n"),
    "wp-content/themes/clinic/header.php": f"<html><head>{GA}<?php wp_head(); ?></head>\n",
    "wp-content/themes/clinic/page-my-records.php": "<?php get_header(); ?>\n<h1>Records</h1>\n",
}
GO_MARKUP_WRITER = {
    "go.mod": "module example.com/clinic\n\ngo 1.22\n",
    "main.go": (
        'package main\n\nimport (\n    "fmt"\n    "net/http"\n)\n\n'
        'const analytics = `<script async src="https://www.googletagmanager.com/gtag/js?id=G-ABC123XYZ9"></script>`\n\n'
        "func records(w http.ResponseWriter, r *http.Request) {\n"
        '    fmt.Fprint(w, "<html><head>"+analytics+"</head><body><h1>Your records</h1></body></html>")\n}\n\n'
        'func main() {\n    mux := http.NewServeMux()\n    mux.Handle("/records", requireLogin(http.HandlerFunc(records)))\n'
        '    http.ListenAndServe(":8080", mux)\n}\n'),
}
GO_TEMPLATES = {
    "go.mod": "module example.com/clinic\n\ngo 1.22\n",
    "main.go": (
        'package main\n\nimport "net/http"\n\n'
        "func records(w http.ResponseWriter, r *http.Request) {\n"
        '    tmpl.ExecuteTemplate(w, "records.gohtml", nil)\n}\n\n'
        'func main() {\n    mux := http.NewServeMux()\n    mux.Handle("/records", requireLogin(http.HandlerFunc(records)))\n}\n'),
    "templates/records.gohtml": f"<h1>Your records</h1>\n{GA}",
}


def _counting_wordpress_shapes(monkeypatch) -> list[int]:
    """Every per-file WordPress text test goes through `_shapes`: count the calls."""
    from phi_lint.frameworks import wordpress

    calls = [0]
    real = wordpress._shapes

    def counted():
        calls[0] += 1
        return real()

    monkeypatch.setattr(wordpress, "_shapes", counted)
    return calls


def test_a_repository_without_wordpress_pays_nothing_for_it(tmp_path, monkeypatch):
    calls = _counting_wordpress_shapes(monkeypatch)
    plain = write_tree(tmp_path / "plain", {**PLAIN_PHP, "src/lib.php": "<?php\nsession_start();\n"})
    scan_tree(plain, use_cache=False)
    assert calls[0] == 0
    site = write_tree(tmp_path / "site", WORDPRESS_GUARD)  # the same passes run where there is a theme
    assert "PHI001 wp-content/themes/clinic/header.php:1 google-analytics" in finding_lines(scan_tree(site, use_cache=False), site)
    assert calls[0] > 0


# a PHP application's own themes/ and plugins/ folders, a plain style.css and a library's
# functions.php (lh-ehr has all of these): no sign of WordPress
PHP_APP_WITH_THEMES_AND_PLUGINS = {
    **PLAIN_PHP,
    "interface/themes/style.css": "body { color: #333; }\n",
    "interface/themes/login.php": "<?php\ninclude 'header.inc.php';\necho '<form>';\n",
    "interface/themes/index.php": "<?php\nheader('Location: login.php');\n",
    "library/Smarty/plugins/function.html_options.php": "<?php\nfunction smarty_function_html_options($p) { return ''; }\n",
    "plugins/reports/reports.php": "<?php\nrequire_once 'lib.php';\necho 'reports';\n",
    "vendor/guzzlehttp/guzzle/src/functions.php": "<?php\nnamespace GuzzleHttp;\nfunction describe_type($input) {}\n",
}


def _has_wordpress(root) -> bool:
    from phi_lint.frameworks.wordpress import has_wordpress
    from phi_lint.pagegraph.repo import RepoIndex

    files = {path.relative_to(root).as_posix(): "code" for path in root.rglob("*") if path.is_file()}
    return has_wordpress(RepoIndex(root, files))


def test_a_php_application_with_themes_and_plugins_folders_is_not_wordpress(tmp_path, monkeypatch):
    calls = _counting_wordpress_shapes(monkeypatch)
    app = write_tree(tmp_path, PHP_APP_WITH_THEMES_AND_PLUGINS)
    assert not _has_wordpress(app)
    scan_tree(app, use_cache=False)
    assert calls[0] == 0


@pytest.mark.parametrize("files", [
    {"themes/clinic/style.css": "/*\nTheme Name: Clinic\nVersion: 1.0\n*/\n", "themes/clinic/index.php": "<?php get_header();\n"},
    {"functions.php": "<?php\nadd_action( 'wp_enqueue_scripts', 'clinic_assets' );\n", "index.php": "<?php get_header();\n"},
    {"plugins/clinic-portal/clinic-portal.php": "<?php\n/*\nPlugin Name: Clinic Portal\n*/\n"},
], ids=["theme-header", "functions-php-hook", "plugin-in-plugins-folder"])
def test_a_theme_or_plugin_is_wordpress_without_a_site_around_it(tmp_path, files):
    assert _has_wordpress(write_tree(tmp_path, {**PHP_APP_WITH_THEMES_AND_PLUGINS, **files}))


def test_the_wordpress_fixture_is_wordpress():
    from pathlib import Path

    assert _has_wordpress(Path(__file__).resolve().parents[1] / "fixtures" / "wordpress-clinic-theme")


def _counting_parses(monkeypatch) -> tuple[collections.Counter, list[int]]:
    """(language, text) → how many times tree-sitter parsed it in this process; and how many of
    those parses the project passes (the run's main process, after pass 1) made."""
    from phi_lint.inference.run import InferenceRunner
    from phi_lint.pagegraph.build import GraphBuilder

    counts: collections.Counter = collections.Counter()
    in_project = [0, 0]  # depth, parses
    real = treesitter.parse

    def counted(code, language):
        counts[(language, code)] += 1
        in_project[1] += in_project[0] > 0
        return real(code, language)

    def project_pass(method):
        def run(self, *args, **kwargs):
            in_project[0] += 1
            try:
                return method(self, *args, **kwargs)
            finally:
                in_project[0] -= 1
        return run

    monkeypatch.setattr(treesitter, "parse", counted)
    monkeypatch.setattr("phi_lint.frameworks.go.parse", counted)
    monkeypatch.setattr(InferenceRunner, "project_inferences", project_pass(InferenceRunner.project_inferences))
    monkeypatch.setattr(GraphBuilder, "project_edges", project_pass(GraphBuilder.project_edges))
    return counts, in_project


@pytest.mark.parametrize(
    "files, parsed, finding",
    [
        (WORDPRESS_GUARD, ("php", "wp-content/themes/clinic/functions.php"),
         "PHI001 wp-content/themes/clinic/header.php:1 google-analytics"),
        (GO_MARKUP_WRITER, ("go", "main.go"), "PHI001 main.go:8 google-analytics"),
        (GO_TEMPLATES, ("go", "main.go"), "PHI001 templates/records.gohtml:2 google-analytics"),
    ],
    ids=["wordpress-template-redirect", "go-markup-writer", "go-routes"],
)
def test_a_project_pass_does_not_parse_a_file_again(tmp_path, monkeypatch, files, parsed, finding):
    counts, in_project = _counting_parses(monkeypatch)
    root = write_tree(tmp_path, files)
    assert finding in finding_lines(scan_tree(root, use_cache=False, jobs=1), root)
    language, rel = parsed
    assert counts[(language, files[rel])] == 1
    assert in_project[1] == 0  # what pass 1 found was kept: the project passes parse nothing


def test_a_theme_header_written_later_is_read_by_a_cached_run(tmp_path):
    """Whether a repository holds WordPress may rest on a style.css's text, not on any file's
    name: a cached run whose files were read before the header was written reads them again."""
    site = write_tree(tmp_path / "site", {
        "themes/clinic/style.css": "body { margin: 0; }\n",
        "themes/clinic/index.php": "<?php get_header(); ?>\n",
        "themes/clinic/header.php": f"<html><head>{GA}</head>\n",
        "themes/clinic/page-records.php": "<?php\nauth_redirect();\nget_header();\n",
    })
    cache = tmp_path / "cache"
    reached = "PHI001 themes/clinic/header.php:1 google-analytics"
    assert reached not in finding_lines(scan_tree(site, cache_dir=cache), site)
    (site / "themes/clinic/style.css").write_text("/*\nTheme Name: Clinic\n*/\nbody { margin: 0; }\n")
    assert reached in finding_lines(scan_tree(site, cache_dir=cache), site)
