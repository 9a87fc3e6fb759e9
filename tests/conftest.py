import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


@pytest.fixture(scope="session")
def analyzer():
    from phi_lint.catalogue import load_catalogue
    from phi_lint.engine.analyzer import Analyzer

    return Analyzer(load_catalogue())


@pytest.fixture(autouse=True)
def _no_color(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)


@pytest.fixture(scope="session", autouse=True)
def _session_cache_in_tmp(tmp_path_factory):
    """Set before any fixture of a wider scope copies the environment (the pre-commit tests')."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PHI_LINT_CACHE_DIR", str(tmp_path_factory.mktemp("phi-lint-session-cache")))
        yield


@pytest.fixture(autouse=True)
def _cache_in_tmp(monkeypatch, tmp_path_factory):
    """Each test's cache in a folder of its own: the suite never writes to ~/.cache."""
    base = tmp_path_factory.mktemp("phi-lint-cache")
    monkeypatch.setenv("PHI_LINT_CACHE_DIR", str(base))
    return base


@pytest.fixture(scope="session")
def sarif_validator():
    import json

    from jsonschema.validators import validator_for

    schema = json.loads((REPO / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _load_sarif_multitool():
    import importlib.util

    spec = importlib.util.spec_from_file_location("phi_lint_tests_sarif_multitool", REPO / "tests" / "sarif_multitool.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def sarif_multitool_module():
    return _load_sarif_multitool()


@pytest.fixture(scope="session")
def multitool(sarif_multitool_module):
    """Microsoft's SARIF multitool, installed from npm on first use.

    Skipped without node/npm, unless PHI_LINT_REQUIRE_MULTITOOL=1 (CI), where that fails.
    """
    import shutil

    required = os.environ.get("PHI_LINT_REQUIRE_MULTITOOL") == "1"
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    if missing:
        reason = f"{' and '.join(missing)} not installed: the SARIF multitool cannot be installed"
        if required:
            pytest.fail(f"PHI_LINT_REQUIRE_MULTITOOL=1 but {reason}")
        pytest.skip(reason)
    return sarif_multitool_module.ensure_multitool()


# --- what the README's `pytest` leaves to CI ---------------------------------------------------

# The expression pyproject.toml's addopts selects with; .ci/run runs its complement afterwards.
QUICK_SELECTION = "not slow and not multitool and not precommit"
CI_ONLY_SELECTION = "slow or multitool or precommit"

# Tests marked `slow` here rather than with a decorator, so that one list says what the README's
# command leaves out (the multitool and pre-commit tests carry their own markers). Each took more
# than 2 s on a 2-core machine (`pytest -m "" --durations=60`), almost all because they start
# phi-lint, pip or git in subprocesses over whole fixture repositories. A renamed or removed test
# left in this list is an error, so the list cannot rot.
SLOW_TESTS = {
    "tests/test_hook_dispatch.py::test_no_hook_loses_a_file_of_a_framework_case",  # every case with every hook
    "tests/test_project_index.py::test_cached_and_uncached_runs_agree_across_random_edits",  # ~40 scans
    "tests/test_framework_aspnet.py::test_huge_and_deeply_nested_csharp_is_bounded",  # a 400 kB controller
    "tests/test_github_files.py::test_action_install_step",  # a virtual environment and pip install
    "tests/test_parallel.py::test_parallel_output_is_byte_identical",
    "tests/test_hostile_inputs.py::test_minified_one_line_bundle_under_the_limit_is_parsed",
    "tests/test_hostile_property.py::test_any_tree_scans_to_a_result_or_a_user_error_and_writes_nothing_outside",
    "tests/test_suppressions_baseline.py::test_baseline_round_trip_expiry_and_prune",
    "tests/test_suppressions_baseline.py::test_include_suppressed_in_json_and_sarif",
    "tests/test_cache.py::test_config_change_invalidates_the_cache",
    "tests/test_cli.py::test_exit_codes",
    "tests/test_cli.py::test_select_and_ignore",
    "tests/test_tagmanager_policy.py::test_json_and_sarif_carry_the_tag_details",
    "tests/test_add_ignore.py::test_add_ignore_through_the_cli",  # three phi-lint processes
    "tests/test_report_formats.py::test_gitlab_and_junit_formats_through_the_cli",
    "tests/test_since.py::test_since_with_include_suppressed_in_json_and_sarif",  # three processes
    "tests/test_since.py::test_without_git_the_cli_says_so",
    "tests/test_terminal_screen.py::test_screen_without_colour",  # phi-lint run twice in tmux
    "tests/test_terminal_screen.py::test_screen_with_colour",
    "tests/test_html_browser.py::test_demo_report_in_chromium",  # headless Chromium
    "tests/test_live_site_check.py::test_live_check_reports_seen_missing_and_unexpected",
}


def pytest_configure(config):
    # A test named on the command line (`pytest tests/test_cli.py::test_exit_codes`) runs even when
    # it is marked: the default selection is for whole-suite runs, not for a test asked for by name.
    if config.option.markexpr == QUICK_SELECTION and any("::" in arg for arg in config.args):
        config.option.markexpr = ""


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(config, items):
    found = set()
    for item in items:
        test_id = item.nodeid.split("[", 1)[0]
        if test_id in SLOW_TESTS:
            item.add_marker(pytest.mark.slow)
            found.add(test_id)
    _check_slow_tests_exist(items, found)


def _check_slow_tests_exist(items, found):
    modules = {item.nodeid.split("::", 1)[0]: getattr(item, "module", None) for item in items}
    stale = []
    for test_id in sorted(set(SLOW_TESTS) - found):
        path, _, name = test_id.partition("::")
        module = modules.get(path)
        if module is not None and not hasattr(module, name.split("::")[0]):
            stale.append(test_id)
    if stale:
        raise pytest.UsageError(f"tests/conftest.py SLOW_TESTS names tests that do not exist: {', '.join(stale)}")


def pytest_terminal_summary(terminalreporter, config):
    if config.option.markexpr == QUICK_SELECTION:
        terminalreporter.write_line(
            f'The slow, SARIF multitool and pre-commit tests were left out (CI runs them): '
            f'pytest -m "{CI_ONLY_SELECTION}" runs them, pytest -m "" runs every test.'
        )
