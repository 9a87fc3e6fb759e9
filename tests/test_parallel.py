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


def test_both_passes_in_a_pool_give_what_one_process_gives(monkeypatch):
    # thresholds lowered so that small fixtures go through the pool in pass 1 (every file) and
    # pass 2 (the pages a tracker reaches); workers are forked with the patched module
    import phi_lint.filepasses as filepasses
    from phi_lint.reporters.json_report import render_json
    from phi_lint.scan import ScanOptions, scan

    monkeypatch.setattr(filepasses, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(filepasses, "PARALLEL_MIN_PAGES", 1)
    calls = []
    real = filepasses.FilePasses.pool
    monkeypatch.setattr(filepasses.FilePasses, "pool", lambda self: calls.append(1) or real(self))
    pass_two_in_pool = 0
    for name in ("demo-clinic", "rails-portal", "nextjs-app", "gtm-portal-site"):
        root = REPO / "fixtures" / name
        one = scan(ScanOptions(paths=[root], jobs=1, use_cache=False))
        assert calls == []
        many = scan(ScanOptions(paths=[root], jobs=2, use_cache=False))
        assert calls, name  # pass 1 went through the pool
        pass_two_in_pool += len(calls) >= 2  # pass 2 too (when a page needed a second read)
        calls.clear()
        assert render_json(one) == render_json(many), name
        assert one.findings, name
    assert pass_two_in_pool >= 2


def test_progress_bar_counts_files_then_pages(monkeypatch):
    import io
    import time

    from phi_lint.filepasses import _Progress

    clock = iter([0.0, 0.5, 1.2, 1.4, 2.0, 2.1])
    monkeypatch.setattr(time, "monotonic", lambda: next(clock))
    bar = _Progress(10, "pages judged")
    bar.stream = io.StringIO()
    bar.advance(3)  # 0.5 s: too early to show
    assert bar.stream.getvalue() == ""
    bar.advance(4)  # 1.2 s
    assert "7/10 pages judged" in bar.stream.getvalue()
    bar.advance(3)
    bar.close()
    assert bar.stream.getvalue().endswith("\r")


def test_a_page_unreadable_in_pass_two_is_said(tmp_path):
    from phi_lint.fileworker import infer_pages
    from phi_lint.inference.run import InferenceRunner
    from phi_lint.pagegraph.repo import RepoIndex

    (tmp_path / "here.html").write_text("<title>Gout</title>\n")
    repo = RepoIndex(tmp_path, {"here.html": "markup", "gone.html": "markup"})
    notes = []
    results = infer_pages([("gone.html", "markup"), ("here.html", "markup")], InferenceRunner(repo, notes), tmp_path, 10_000)
    gone, here = results
    assert gone[0] == "gone.html" and gone[1] == []
    assert [n.path for n in gone[2]] == ["gone.html"] and "was not inferred" in gone[2][0].message
    assert here[0] == "here.html" and here[1] and here[2] == []
