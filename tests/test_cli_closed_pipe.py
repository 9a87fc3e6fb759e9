"""Every command's standard output may be cut off by its reader (`phi-lint --show-files . | head
-1`): the run then ends quietly with status 1, as the report's does, never "internal error"."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from helpers import REPO, write_tree

FIXTURE = str(REPO / "fixtures" / "rails-portal")


def _phi_lint(args: list[str], cwd, stdout) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "phi_lint", *args], cwd=cwd, stdout=stdout,
                            stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"})


def test_show_files_read_for_one_line_ends_quietly(tmp_path):
    # more listing than a pipe holds (64 KB), so phi-lint is still writing when the reader goes
    write_tree(tmp_path, {f"pages/section-{i:04d}/patient-appointment-summary-{i:04d}.html": "<p>x</p>\n"
                          for i in range(1200)})
    run = _phi_lint(["--show-files", "."], tmp_path, subprocess.PIPE)
    assert run.stdout is not None and run.stdout.readline().startswith(b"pages/")
    run.stdout.close()
    _, stderr = run.communicate(timeout=120)
    assert (run.returncode, stderr.decode()) == (1, "")


@pytest.mark.parametrize("args", [
    ["--show-files", FIXTURE],
    ["--explain", "PHI001"],
    ["--statistics", FIXTURE],
    ["vendors"],
    ["rules"],
], ids=["show-files", "explain", "statistics", "vendors", "rules"])
def test_a_reader_gone_before_the_first_line_ends_quietly(tmp_path, args):
    read_end, write_end = os.pipe()
    os.close(read_end)  # whatever phi-lint writes fails at once
    try:
        run = _phi_lint(args, tmp_path, write_end)
    finally:
        os.close(write_end)
    _, stderr = run.communicate(timeout=120)
    assert (run.returncode, stderr.decode()) == (1, "")
