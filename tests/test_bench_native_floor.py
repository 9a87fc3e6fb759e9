"""bench/native_floor.py: the one-native-pass floor of issue 17 runs and counts what it says.

hyperscan is the benchmark's own tool (installed by the script, never a phi-lint dependency); the
test extra brings it on Linux x86_64, where its wheels are. Elsewhere these tests are skipped; CI
sets PHI_LINT_REQUIRE_HYPERSCAN=1, so there a missing hyperscan fails instead."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

if importlib.util.find_spec("hyperscan") is None and os.environ.get("PHI_LINT_REQUIRE_HYPERSCAN") == "1":
    raise RuntimeError("PHI_LINT_REQUIRE_HYPERSCAN=1 but hyperscan is not installed (pip install hyperscan)")
pytest.importorskip("hyperscan")

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.fixture(scope="module")
def native_floor():
    spec = importlib.util.spec_from_file_location("native_floor", BENCH / "native_floor.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["native_floor"] = module
    spec.loader.exec_module(module)
    return module


def _corpus(root: Path) -> Path:
    (root / "templates").mkdir(parents=True)
    (root / "templates" / "base.html").write_text('{% extends "layout.html" %}\n  / slim-like\n<script src="https://www.googletagmanager.com/gtag/js"></script>\nGTAG gtag x/y\n')
    (root / "templates" / "plain.txt").write_text("nothing to see here\n")
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("{% hidden %}\n")
    return root


def test_openers_are_found_with_their_positions_and_case(native_floor, tmp_path):
    corpus = _corpus(tmp_path / "c")
    Opener = native_floor.Opener
    openers = [Opener("t", "{%", False), Opener("t", "gtag", True), Opener("t", "/", False, line_start=True)]
    native_floor._ENGINE[0] = native_floor.hyperscan_database(openers)
    paths = sorted(native_floor.walk(str(corpus)))
    assert [Path(p).name for p in paths] == ["base.html", "plain.txt"]  # .git is not read
    # `{%` once, gtag three times in any case (the URL's /gtag/ too), `/` only where it starts a line
    assert native_floor.read_files("b-hs", paths) == (2, 5, 0)
    # the step per hit looks at each hit's line: the `{%` line and the script line hold a quote
    assert native_floor.read_files("c", paths) == (2, 5, 2)
    native_floor._ENGINE[0] = native_floor.hyperscan_database(openers, once=True)
    assert native_floor.read_files("b-hs1", paths) == (2, 3, 0)  # each opener reported once
    native_floor._ENGINE[0] = native_floor.re2_set(openers)
    assert native_floor.read_files("b-re2", paths) == (2, 3, 0)  # the set reports each opener once


def test_opener_literal_is_the_text_every_match_starts_with(native_floor):
    assert native_floor.opener_literal(r"<script\b([^<>]{0,4000})>") == "<script"
    assert native_floor.opener_literal(r"\{%[-+~]?\s*(raw|verbatim)\b") == "{%"
    assert native_floor.opener_literal(r"(?<!\{)\{#") == "{#"
    assert native_floor.opener_literal(r"\b(th:replace|th:insert)") == ""


def test_the_script_prints_a_row_per_run_on_a_tiny_corpus(native_floor, tmp_path, capsys):
    corpus = _corpus(tmp_path / "c")
    native_floor.main([str(corpus), "--reps", "1", "--jobs", "2", "--warm", str(corpus), "--semgrep-seconds", "9.14"])
    out = capsys.readouterr().out
    for source in ("prefilter keyword", "literal gate", "dialect comment opener"):
        assert source in out.splitlines()[0]
    for mode, about in native_floor.ABOUT.items():  # the workers' path (jobs 1 is read_files above)
        assert f"| {mode}: {about} | 2 |" in out
    assert "Targets: 5× ripgrep" in out or "no ripgrep" in out
