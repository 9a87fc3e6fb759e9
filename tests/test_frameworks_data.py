"""Framework knowledge as data: rules/frameworks/*.toml, and the user's additions from config."""

from __future__ import annotations

import pytest
from helpers import REPO, finding_lines, run_cli, scan_tree, write_tree

from phi_lint import frameworks_data
from phi_lint.config import load_config
from phi_lint.errors import UserError
from phi_lint.frameworks_data import FrameworkDataError, load_framework, load_shipped

GA = '<script async src="https://www.googletagmanager.com/gtag/js?id=G-ABC123"></script>\n'

# -- the shipped files ---------------------------------------------------------------------------


def test_every_framework_file_is_read_and_holds_names():
    files = sorted((REPO / "rules" / "frameworks").glob("*.toml"))
    shipped = load_shipped(REPO / "rules" / "frameworks")
    assert [p.stem for p in files] == sorted(shipped)
    assert {"django", "flask", "rails", "laravel", "express", "spring", "nextjs", "web"} <= set(shipped)
    for framework in shipped.values():
        assert framework.name and framework.keys(), framework.id
        assert all(framework.lists[key] for key in framework.lists), framework.id


def test_the_inference_reads_the_names_from_the_data():
    from phi_lint.frameworks import django, laravel, python_views
    from phi_lint.frameworks.express import guard_name
    from phi_lint.frameworks.rails import is_auth_filter

    assert "LoginRequiredMixin" in django.auth_mixins()
    assert {"login_required", "roles_required"} <= python_views.auth_decorators()  # Django's and Flask's
    assert is_auth_filter("authenticate_user!") and not is_auth_filter("authenticate_with_http_basic")
    assert laravel.is_auth_middleware("auth:sanctum") and laravel.is_guest_middleware("guest")
    assert guard_name("passport.ensureLoggedIn") and guard_name("must_be_signed_in")
    assert not is_auth_filter("patient_signed_in!") and not laravel.is_auth_middleware("patient")


# -- the loader rejects malformed data -------------------------------------------------------------


@pytest.mark.parametrize(
    "text, problem",
    [
        ('id = "demo"\nname = "Demo"\nauth = [', "invalid TOML"),
        ('id = "other"\nname = "Demo"\nauth-filters = ["x"]\n', "`id`: 'other' must equal the file name 'demo'"),
        ('id = "demo"\nauth-filters = ["x"]\n', "`name`: is required"),
        ('id = "demo"\nname = "Demo"\nauth-filters = "x"\n', "`auth-filters`: must be a non-empty list"),
        ('id = "demo"\nname = "Demo"\nauth-filters = []\n', "`auth-filters`: must be a non-empty list"),
        ('id = "demo"\nname = "Demo"\nauth-filters = [1]\n', "`auth-filters`: must be a non-empty list"),
        ('id = "demo"\nname = "Demo"\nauth_filters = ["x"]\n', "`auth_filters`: keys are kebab-case"),
        ('id = "demo"\nname = "Demo"\nguard-patterns = ["(unclosed"]\n', "`guard-patterns`: invalid regular expression"),
        ('id = "demo"\nname = "Demo"\nguard-patterns = ["x", "(unclosed"]\n', "`guard-patterns`: invalid regular expression '(unclosed'"),
        # each compiles alone, not as the one regex the inference searches
        ('id = "demo"\nname = "Demo"\nguard-patterns = ["(?P<n>a)", "(?P<n>b)"]\n',
         "`guard-patterns`: the regular expressions do not combine into one (redefinition of group name"),
        ('id = "demo"\nname = "Demo"\n[views]\nLoginView = 3\n', "`views.LoginView`: must be a string or a list"),
        ('id = "demo"\nname = "Demo"\n', "holds no names"),
    ],
)
def test_the_loader_rejects_malformed_data_naming_file_and_key(tmp_path, text, problem):
    path = tmp_path / "demo.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FrameworkDataError) as raised:
        load_framework(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert problem in str(raised.value)


def test_a_malformed_shipped_directory_is_refused(tmp_path):
    (tmp_path / "ok.toml").write_text('id = "ok"\nname = "Ok"\nguards = ["a"]\n', encoding="utf-8")
    (tmp_path / "bad.toml").write_text('id = "bad"\nname = "Bad"\nguards = "a"\n', encoding="utf-8")
    with pytest.raises(FrameworkDataError, match="bad.toml: `guards`"):
        load_shipped(tmp_path)


# -- the user's additions: checked in config ----------------------------------------------------------


@pytest.mark.parametrize(
    "table, message",
    [
        ('[frameworks.flsk]\nauth-decorators = ["x"]\n',
         "`frameworks.flsk`: `flsk` is not a framework phi-lint knows (did you mean `flask`?)"),
        ('[frameworks.rails]\nauth-filter = ["x"]\n',
         "`frameworks.rails.auth-filter` is not a list phi-lint reads for Rails (did you mean `auth-filters`?)"),
        ('[frameworks.rails]\nauth-filter-patterns = ["x"]\n', "holds regular expressions and cannot be extended"),
        ('[frameworks.django]\nsign-in-views = ["x"]\n', "is not a list phi-lint reads for Django"),
        ('[frameworks.flask]\nauth-decorators = "x"\n', "`frameworks.flask.auth-decorators` must be a non-empty list of non-empty strings"),
        ('[frameworks.flask]\nauth-decorators = [""]\n', "must be a non-empty list of non-empty strings"),
        ('[frameworks.flask]\nauth-decorators = []\n', "must be a non-empty list of non-empty strings"),
        ('frameworks = ["flask"]\n', "`frameworks` must be a table"),
        ('[frameworks]\nflask = ["x"]\n', "`frameworks.flask` must be a table of key = [names]"),
    ],
)
def test_config_additions_are_checked(tmp_path, table, message):
    path = tmp_path / "phi-lint.toml"
    path.write_text(table, encoding="utf-8")
    with pytest.raises(UserError) as raised:
        load_config(path, tmp_path)
    assert str(raised.value).startswith(f"{path.resolve()}: ")
    assert message in str(raised.value)


def test_a_bad_framework_key_is_a_configuration_error_with_exit_status_2(tmp_path):
    write_tree(tmp_path, {"phi-lint.toml": '[frameworks.laravel]\nauth-midleware = ["patient"]\n', "index.html": "<p>hi</p>\n"})
    result = run_cli("--no-cache", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 2
    assert "`frameworks.laravel.auth-midleware` is not a list phi-lint reads for Laravel (did you mean `auth-middleware`?)" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_regex_list_extended_in_config_is_refused_in_one_line_with_exit_status_2(tmp_path):
    """Config cannot extend a `-patterns` list, so a bad user regex never reaches the inference."""
    write_tree(tmp_path, {"phi-lint.toml": '[frameworks.web]\nserver-handler-patterns = ["(unclosed"]\n',
                          "index.html": "<p>hi</p>\n"})
    result = run_cli("--no-cache", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"phi-lint: error: {(tmp_path / 'phi-lint.toml').resolve()}: `frameworks.web.server-handler-patterns` holds "
        "regular expressions and cannot be extended from configuration; list exact names in the matching names key"]


@pytest.mark.parametrize("patterns, says", [
    ('"(unclosed"', "`auth-filter-patterns`: invalid regular expression '(unclosed'"),
    ('"(?P<n>a)", "(?P<n>b)"', "`auth-filter-patterns`: the regular expressions do not combine into one"),
])
def test_an_edited_install_with_a_bad_regex_list_is_one_line_with_exit_status_2(tmp_path, monkeypatch, capsys,
                                                                                  patterns, says):
    import shutil

    from cli_runner import run_here

    rules = tmp_path / "frameworks"
    shutil.copytree(frameworks_data.frameworks_dir(), rules)
    rails = rules / "rails.toml"
    rails.write_text(rails.read_text(encoding="utf-8").replace("auth-filter-patterns = [", f"auth-filter-patterns = [{patterns}, ", 1),
                     encoding="utf-8")
    monkeypatch.setattr(frameworks_data, "frameworks_dir", lambda: rules)
    monkeypatch.setattr(frameworks_data, "_SHIPPED", None)
    monkeypatch.setattr(frameworks_data, "_CURRENT", None)
    write_tree(tmp_path / "site", {"index.html": "<p>hi</p>\n"})
    result = run_here(monkeypatch, capsys, str(tmp_path / "site"), "--no-cache", "-j", "1")
    assert result.returncode == 2, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"phi-lint: error: {rails}: {says}")


def test_a_regex_list_in_force_is_one_regex_whose_error_names_the_file_and_key():
    """What the inference searches (phi_lint.frameworks_data.pattern); a list put in force
    without the loader's check (a test, an edited install) still fails in one clear line."""
    from dataclasses import replace

    shipped = frameworks_data.load_frameworks()
    rails = shipped.by_id["rails"]
    assert frameworks_data.pattern("rails", "auth-filter-patterns").fullmatch("authenticate_user!")
    broken = replace(rails, lists={**rails.lists, "auth-filter-patterns": ("x", "(unclosed")})
    before = frameworks_data.use(replace(shipped, by_id={**shipped.by_id, "rails": broken}))
    try:
        with pytest.raises(FrameworkDataError, match=r"^rules/frameworks/rails\.toml: `auth-filter-patterns`: "
                                                       r"invalid regular expression '\(unclosed': missing \)"):
            frameworks_data.pattern("rails", "auth-filter-patterns")
    finally:
        frameworks_data.use(before)


def test_additions_are_appended_to_the_shipped_lists():
    frameworks = frameworks_data.load_frameworks({"flask": {"auth-decorators": ["patient_required", "login_required"]}})
    names = frameworks.framework("flask").lists["auth-decorators"]
    assert names[-1] == "patient_required" and names.count("login_required") == 1
    assert "patient_required" not in frameworks_data.shipped()["flask"].lists["auth-decorators"]  # the shipped data is untouched


# -- end to end: a custom guard is authenticated only when configured ---------------------------------

FLASK = {
    "app.py": (
        "from flask import Flask, render_template\n"
        "from clinic_auth import patient_required\n\n"
        "app = Flask(__name__)\n\n\n"
        '@app.route("/records")\n'
        "@patient_required\n"
        "def records():\n"
        '    return render_template("records.html")\n'
    ),
    "templates/records.html": f"<html><head><title>Records</title>\n{GA}</head><body>list</body></html>\n",
}
RAILS = {
    "app/controllers/application_controller.rb": "class ApplicationController < ActionController::Base\nend\n",
    "app/controllers/records_controller.rb": (
        "class RecordsController < ApplicationController\n"
        "  before_action :patient_signed_in!\n\n"
        "  def index\n  end\nend\n"
    ),
    "config/routes.rb": "Rails.application.routes.draw do\n  resources :records, only: [:index]\nend\n",
    "app/views/records/index.html.erb": f"<h1>Records</h1>\n{GA}",
}
LARAVEL = {
    "routes/web.php": (
        "<?php\nuse Illuminate\\Support\\Facades\\Route;\n\n"
        "Route::middleware('patient')->group(function () {\n"
        "    Route::get('/records', function () { return view('records'); });\n"
        "});\n"
    ),
    "resources/views/records.blade.php": f"<h1>Records</h1>\n{GA}",
}


@pytest.mark.parametrize(
    "files, config, page",
    [
        (FLASK, '[frameworks.flask]\nauth-decorators = ["patient_required"]\n', "templates/records.html"),
        (RAILS, '[frameworks.rails]\nauth-filters = ["patient_signed_in!"]\n', "app/views/records/index.html.erb"),
        (LARAVEL, '[frameworks.laravel]\nauth-middleware = ["patient"]\n', "resources/views/records.blade.php"),
    ],
    ids=["flask-decorator", "rails-before-action", "laravel-middleware"],
)
def test_a_custom_guard_is_authenticated_only_when_configured(tmp_path, files, config, page):
    plain = write_tree(tmp_path / "plain", files)
    configured = write_tree(tmp_path / "configured", {**files, "phi-lint.toml": config})
    assert not any(line.startswith("PHI001") for line in finding_lines(scan_tree(plain, use_cache=False), plain))
    assert f"PHI001 {page}:2 google-analytics" in finding_lines(scan_tree(configured, use_cache=False), configured)
    # the run's additions do not outlive it
    assert frameworks_data.current().additions == ()
    assert finding_lines(scan_tree(plain, use_cache=False), plain) == finding_lines(scan_tree(plain, use_cache=False), plain)


def test_the_additions_reach_the_worker_processes(tmp_path):
    from phi_lint import fileworker
    from phi_lint.catalogue import load_catalogue

    frameworks = frameworks_data.load_frameworks({"flask": {"auth-decorators": ["patient_required"]}})
    import gc

    thresholds = gc.get_threshold()  # init_worker tunes the collector for a worker's life
    before = frameworks_data.use(None)
    try:
        fileworker.init_worker(load_catalogue(), tmp_path, {}, 1000, True, True, None, frameworks)
        assert frameworks_data.current() is frameworks
        from phi_lint.frameworks.python_views import auth_decorators

        assert "patient_required" in auth_decorators()
    finally:
        frameworks_data.use(before)
        fileworker._PROCESSOR = None
        gc.set_threshold(*thresholds)
