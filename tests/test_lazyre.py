"""Module-level regular expressions compiled when first used (phi_lint.lazyre, issue 17): a
pre-commit run imports most of phi-lint but uses few of its patterns."""

from __future__ import annotations

import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest

from phi_lint.lazyre import LazyPattern, lazy_pattern

ROOT = Path(__file__).resolve().parent.parent


def _compiles_in_fresh_interpreter(code: str) -> str:
    """stdout of `code` run after a hook that counts real compiles into `COMPILED` (a list)."""
    hook = (
        "import re, re._compiler as c, sys\n"
        "COMPILED = []  # the module whose code asked for each compile\n"
        "_compile = c.compile\n"
        "def counting(p, flags=0):\n"
        "    frame = sys._getframe(1)\n"
        "    while frame.f_globals.get('__name__', '').startswith('re'):\n"
        "        frame = frame.f_back\n"
        "    COMPILED.append(frame.f_globals.get('__name__'))\n"
        "    return _compile(p, flags)\n"
        "c.compile = counting\n"
    )
    done = subprocess.run([sys.executable, "-c", hook + code], capture_output=True, text=True, cwd=ROOT,
                          env={"PYTHONPATH": str(ROOT), "PATH": ""}, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_compiled_on_first_use_only():
    out = _compiles_in_fresh_interpreter(
        "from phi_lint.lazyre import lazy_pattern\n"
        "before = len(COMPILED)\n"
        "p = lazy_pattern(r'wor(l)d', re.IGNORECASE)\n"
        "print(len(COMPILED) - before, p.pattern)\n"
        "print(p.search('Hello WORLD').group(1), len(COMPILED) - before)\n"
        "p.match('world'); p.finditer('world')\n"
        "print(len(COMPILED) - before)\n"
    )
    assert out.split("\n")[:3] == ["0 wor(l)d", "L 1", "1"]


def test_answers_as_the_compiled_pattern():
    source, text = r"(?P<word>\w+)-(\d)", "a-1 bb-2 c-x"
    lazy, compiled = lazy_pattern(source), re.compile(source)
    assert lazy.search(text).span() == compiled.search(text).span()
    assert lazy.match(text, 4).group() == compiled.match(text, 4).group()
    assert lazy.fullmatch("a-1") is not None and lazy.fullmatch(text) is None
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in compiled.finditer(text)]
    assert lazy.findall(text) == compiled.findall(text)
    assert lazy.sub(lambda m: m.group(2), text) == compiled.sub(lambda m: m.group(2), text)
    assert lazy.subn("x", text) == compiled.subn("x", text)
    assert lazy.split(text) == compiled.split(text)
    assert (lazy.flags, lazy.groups, dict(lazy.groupindex)) == (compiled.flags, compiled.groups, dict(compiled.groupindex))
    assert lazy.compiled() is lazy.compiled()
    assert lazy_pattern(rb"\d+").findall(b"a12b3") == [b"12", b"3"]


def test_after_first_use_calls_go_straight_to_the_compiled_pattern():
    lazy = lazy_pattern(r"\d")
    lazy.search("1")
    assert lazy.search == lazy.compiled().search  # the compiled pattern's bound method, no wrapper


def test_goes_to_a_worker_as_its_source():
    lazy = lazy_pattern(r"a+b", re.IGNORECASE)
    copy = pickle.loads(pickle.dumps(lazy))
    assert isinstance(copy, LazyPattern) and copy.search("xAAB").group() == "AAB"


def test_importing_the_inference_and_page_graph_compiles_none_of_their_patterns():
    """Modules every run imports: their patterns are compiled when used (before issue 17,
    importing these compiled over 150 patterns)."""
    modules = ("phi_lint.inference.health", "phi_lint.inference.signals", "phi_lint.pagegraph.templates_other",
               "phi_lint.pagegraph.jsmodules", "phi_lint.frameworks.express", "phi_lint.parsers.indented")
    out = _compiles_in_fresh_interpreter(
        f"import {', '.join(modules)}\n"
        f"print(sum(name in {modules!r} for name in COMPILED))\n"
    )
    assert int(out) == 0


def test_a_graph_builder_and_inference_runner_import_no_framework_module_until_used():
    """A run whose files all come from the cache (pre-commit) needs no framework's hooks."""
    out = _compiles_in_fresh_interpreter(
        "import sys\n"
        "from phi_lint.inference.run import InferenceRunner\n"
        "from phi_lint.pagegraph.build import GraphBuilder\n"
        "builder, runner = GraphBuilder(None, []), InferenceRunner(None, [])\n"
        "print(sorted(m for m in sys.modules if m.startswith('phi_lint.frameworks.') and m.count('.') == 2))\n"
        "print(len(builder.frameworks) == len(runner.frameworks) > 20, 'phi_lint.frameworks.django' in sys.modules)\n"
    )
    first, second = out.split("\n")[:2]
    assert "phi_lint.frameworks.django" not in first and "phi_lint.frameworks.spring" not in first
    assert second == "True True"


def test_compile_all_compiles_every_pattern_made_so_far():
    """Before forking a pool, so that each worker inherits compiled patterns (a cold scan)."""
    from phi_lint.lazyre import compile_all

    made = lazy_pattern(r"x(y)")
    compile_all()
    assert made.__dict__.get("search") == made.compiled().search


def test_a_data_pattern_names_its_file_and_key_when_it_does_not_compile():
    from phi_lint.errors import UserError
    from phi_lint.lazyre import data_pattern

    class RulesError(UserError):
        pass

    bad = data_pattern("a(b", where="rules/x.toml: `shapes`", error=RulesError)
    with pytest.raises(RulesError, match=r"^rules/x\.toml: `shapes`: invalid regular expression 'a\(b': missing \)"):
        bad.search("ab")
    with pytest.raises(re.error):  # a pattern of the code: a bug, not the user's to fix
        LazyPattern("a(b").search("ab")  # (not lazy_pattern: compile_all would meet it in later tests)


def test_a_data_pattern_is_left_to_its_first_use_by_compile_all():
    """The catalogue's hundreds of signatures: a run uses a handful, so forking does not compile them."""
    from phi_lint.lazyre import compile_all, data_pattern

    data = data_pattern(r"x(z)", re.IGNORECASE, where="here", error=ValueError)
    compile_all()
    assert data._compiled is None
    assert data.search("XZ").group(1) == "Z" and data.flags & re.IGNORECASE


def test_equal_as_their_compiled_patterns_are():
    assert lazy_pattern("a+", re.I) == lazy_pattern("a+", re.I) != lazy_pattern("a+")
    assert len({lazy_pattern("a+"), lazy_pattern("a+")}) == 1
