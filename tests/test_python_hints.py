"""A Python module's facts kept as a file hint in pass 1 (phi_lint.frameworks.python_hints), so the
project pass joins the modules without parsing them again (issue 17)."""

from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path

import pytest
from helpers import REPO, scan_tree
from test_python_walk import SAMPLE

from phi_lint.frameworks import python_hints, python_views

PYTHON_FIXTURES = ("django-clinic", "flask-portal", "server-senders")


def _plain(value):
    """A fact as comparable data: trees as their dump and line, patterns as their regex."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, ast.AST):
        return ("ast", ast.dump(value), getattr(value, "lineno", None))
    if isinstance(value, re.Pattern):
        return ("re", value.pattern)
    if isinstance(value, dict):
        return [(key, _plain(item)) for key, item in value.items()]
    if isinstance(value, frozenset):
        return ("frozenset", sorted(value))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [_plain(item) for item in value])
    return value


def _modules() -> list[tuple[str, str]]:
    found = [("views.py", SAMPLE)]
    for name in PYTHON_FIXTURES:
        root = REPO / "fixtures" / name
        found += [(path.relative_to(root).as_posix(), path.read_text(encoding="utf-8"))
                  for path in sorted(root.rglob("*.py"))]
    return found


@pytest.mark.parametrize(("rel", "text"), _modules(), ids=[rel for rel, _ in _modules()])
def test_the_facts_make_the_round_trip(rel, text):
    module = python_views.Collector(rel, ast.parse(text), python_views.python_frameworks()).run()
    hint = python_hints.encode(module)
    assert hint.startswith(python_hints.HINT + ":")
    assert _plain(python_hints.decode(rel, hint)) == _plain(module)


def test_facts_that_cannot_be_written_are_read_again(monkeypatch, tmp_path):
    module = python_views.Collector("views.py", ast.parse(SAMPLE), python_views.python_frameworks()).run()

    def unwritable(node):
        raise ValueError("no round trip")

    monkeypatch.setattr(python_hints, "_source", unwritable)
    assert python_hints.encode(module) == python_hints.REPARSE

    class Repo:
        hints = {"views.py": (python_hints.REPARSE,), "other.py": ("go-code:[]",)}

    assert python_views._kept_facts(Repo(), "views.py") is None  # parsed again
    assert python_views._kept_facts(Repo(), "other.py") is False  # no facts: not a module to join
    Repo.hints = None
    assert python_views._kept_facts(Repo(), "other.py") is None  # hints not collected


@pytest.mark.parametrize("damage", [
    lambda h: h.replace('"imports"', '"importz"'), lambda h: h[:-7], lambda h: h.split(":", 1)[0] + ":[]",
    lambda h: h.split(":", 1)[0] + ':{"imports": 5}',
])
def test_a_damaged_cached_hint_is_read_again_not_an_error(damage):
    # hints live in the cache, which a run must not trust: a damaged one means "parse the module"
    module = python_views.Collector("views.py", ast.parse(SAMPLE), python_views.python_frameworks()).run()
    hint = python_hints.encode(module)
    assert hint.startswith(python_hints.HINT + ":")

    class Repo:
        hints = {"views.py": (damage(hint),)}

    assert python_views._kept_facts(Repo(), "views.py") is None


@pytest.mark.parametrize("name", ("django-clinic", "server-senders"))
def test_the_project_pass_parses_no_module_pass_1_read(name, monkeypatch):
    """One process (jobs=1), so pass 1 and the project pass are counted together: each module's
    tree is parsed and walked for its facts once, though the project pass joins several of them
    (phi_lint.frameworks.siteconfig reads settings.py on its own: not counted here)."""
    collected: dict[str, int] = {}
    real_collect = python_views._collect

    def counted(source):
        collected[source.rel] = collected.get(source.rel, 0) + 1
        return real_collect(source)

    monkeypatch.setattr(python_views, "_collect", counted)
    loaded: list[str] = []
    real_kept = python_views._kept_facts

    def kept(repo, rel):
        found = real_kept(repo, rel)
        if found:
            loaded.append(rel)
        return found

    monkeypatch.setattr(python_views, "_kept_facts", kept)
    scan_tree(REPO / "fixtures" / name, jobs=1, use_cache=False)
    assert len(loaded) >= 2  # the project pass joined modules, from what pass 1 kept
    assert collected and max(collected.values()) == 1, collected


def test_python_fixtures_have_python_modules():
    assert all(any(Path(REPO / "fixtures" / name).rglob("*.py")) for name in PYTHON_FIXTURES)
