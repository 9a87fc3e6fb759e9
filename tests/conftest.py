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
    from phi_lint.scan import Analyzer

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
