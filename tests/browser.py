"""Headless Chromium for the browser tests: Debian's /usr/bin/chromium driven by Python's
playwright (never `playwright install`: nothing is downloaded).

Without /usr/bin/chromium the tests are skipped with the reason, unless PHI_LINT_REQUIRE_BROWSER
is set (CI installs the package and sets it): then they fail.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def require_browser() -> None:
    """Skip (or fail under PHI_LINT_REQUIRE_BROWSER) when Chromium or playwright is missing."""
    missing = None
    if not Path(CHROMIUM).exists():
        missing = f"{CHROMIUM} is not installed (Debian package `chromium`)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            missing = "Python's playwright is not installed (pip install -e '.[test]')"
    if missing is None:
        return
    if os.environ.get("PHI_LINT_REQUIRE_BROWSER"):
        pytest.fail(f"PHI_LINT_REQUIRE_BROWSER is set but {missing}")
    pytest.skip(missing)
