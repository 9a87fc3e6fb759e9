"""A parallel scan gives byte-identical output to a single-process one."""

from __future__ import annotations

from helpers import REPO, run_cli


def _build(tmp_path):
    import sys

    sys.path.insert(0, str(REPO / "bench"))
    from corpus import build

    build(tmp_path / "corpus", 1200, seed=3)
    return tmp_path / "corpus"


def test_parallel_output_is_byte_identical(tmp_path):
    corpus = _build(tmp_path)
    for fmt in ("json", "sarif", "text"):
        one = run_cli("--jobs", "1", "-f", fmt, "--exit-zero", "--show-inventory", str(corpus), cwd=tmp_path)
        many = run_cli("--jobs", "2", "-f", fmt, "--exit-zero", "--show-inventory", str(corpus), cwd=tmp_path)
        assert one.returncode == many.returncode == 0
        assert one.stdout == many.stdout
        assert one.stderr == many.stderr
    assert '"rule": "PHI100"' in run_cli("--jobs", "2", "-f", "json", str(corpus), cwd=tmp_path).stdout
