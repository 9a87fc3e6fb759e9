"""Layers without import cycles (issue 13): no module of phi_lint may import, even lazily inside a
function, a module that imports it back, directly or through others.

A cycle means two layers that cannot be understood, tested or replaced apart; the lazy imports
that keep start-up fast used to hide four of them. The method is tests/import_graph.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from import_graph import cycles, import_graph

PACKAGE = Path(__file__).resolve().parent.parent / "phi_lint"

# By design: an HTML page embeds scripts and a script's template literals embed HTML, so each
# parser calls the other.
ALLOWED = (frozenset({"phi_lint.parsers.html", "phi_lint.parsers.javascript"}),)

# Cycles that are known and being removed. Each entry must be exactly a cycle that exists today:
# the test fails when one is fixed, so that it is taken off this list and cannot come back.
KNOWN: tuple[frozenset[str], ...] = ()  # none left: the policy helpers moved to phi_lint/findings.py


@pytest.fixture(scope="module")
def found() -> list[frozenset[str]]:
    return cycles(import_graph(PACKAGE))


def _allowed(cycle: frozenset[str]) -> bool:
    return any(cycle <= group for group in ALLOWED)


def test_no_new_import_cycles(found):
    new = [" <-> ".join(sorted(cycle)) for cycle in found if not _allowed(cycle) and cycle not in KNOWN]
    assert new == [], "import cycles (imports inside functions count too): move the shared piece to a lower module"


def test_the_known_cycles_are_listed_exactly(found):
    gone = [" <-> ".join(sorted(cycle)) for cycle in KNOWN if cycle not in found]
    assert gone == [], "no longer a cycle (or a different one now): update KNOWN in this file"


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "pkg"
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_an_import_inside_a_function_closes_a_cycle(tmp_path):
    root = _package(tmp_path, {
        "__init__.py": "",
        "low.py": "def use():\n    from pkg.high import thing\n    return thing\n",
        "high.py": "from pkg import low\nthing = 1\n",
        "alone.py": "import pkg.low\n",
    })
    assert cycles(import_graph(root)) == [frozenset({"pkg.low", "pkg.high"})]


def test_relative_imports_and_longer_cycles(tmp_path):
    root = _package(tmp_path, {
        "__init__.py": "from pkg.sub import a\n",  # a package's own submodules: not a cycle
        "sub/__init__.py": "",
        "sub/a.py": "from . import b\n",
        "sub/b.py": "from ..c import helper\n",
        "c.py": "def helper():\n    import pkg.sub.a\n",
        "d.py": "from pkg.sub.a import name\n",
    })
    assert cycles(import_graph(root)) == [frozenset({"pkg.sub.a", "pkg.sub.b", "pkg.c"})]


def test_a_package_and_its_submodules_are_not_a_cycle(tmp_path):
    root = _package(tmp_path, {
        "__init__.py": "from pkg.part import run\n",
        "part.py": "from pkg import other\n\ndef run():\n    import pkg\n",
        "other.py": "",
    })
    assert cycles(import_graph(root)) == []


def test_per_run_state_is_not_kept_in_module_level_weak_dictionaries():
    """Per-run look-ups live on the run's RepoIndex (`repo.memo`), not in module-level weak
    dictionaries keyed by it: one place to see what a run remembers, and nothing outlives it."""
    holders = sorted(
        str(path.relative_to(PACKAGE.parent))
        for path in PACKAGE.rglob("*.py")
        if "WeakKeyDictionary" in path.read_text(encoding="utf-8") or "WeakValueDictionary" in path.read_text(encoding="utf-8")
    )
    assert holders == []
