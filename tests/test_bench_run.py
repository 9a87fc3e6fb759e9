"""bench/run.py --corpus: timing an existing directory (a real repository) instead of a
generated corpus, on a copy, with its own pre-commit files and the cold scan's findings."""

from __future__ import annotations

import os
import subprocess
import sys

from helpers import REPO, write_tree

PAGE = "<html><head>{}</head><body>page {}</body></html>\n"
PIXEL = "<script async src=\"https://connect.facebook.net/en_US/fbevents.js\"></script><script>fbq('init', '1');</script>"


def _tree(root):
    """A small site: a tracked page, 11 more pages and scripts, and files phi-lint reads that are
    neither (a.py, sorted before the pages), tool scripts in dot-places sorted first (.eslintrc.js,
    .yarn/) or a file it does not read at all (zz.bin)."""
    files: dict[str, str | bytes] = {"a.py": "print(1)\n", "zz.bin": "\0\1", "templates/patient/chart.html": PAGE.format(PIXEL, "chart"),
                                     ".eslintrc.js": "module.exports = {};\n", ".yarn/releases/yarn.cjs": "exports.x = 1;\n"}
    files.update({f"templates/page{i:02}.html": PAGE.format("", i) for i in range(6)})
    files.update({f"static/js/m{i:02}.js": f"export const m{i} = {i};\n" for i in range(6)})
    write_tree(root / "clinic-site", files)
    return root / "clinic-site"


def _stamps(root):
    return {os.path.relpath(os.path.join(folder, name), root): os.lstat(os.path.join(folder, name)).st_mtime_ns
            for folder, dirs, names in os.walk(root) for name in names + dirs}


def _fake_rg(folder):
    """A stand-in for ripgrep on PATH: the test times the harness, not ripgrep."""
    folder.mkdir(exist_ok=True)
    rg = folder / "rg"
    rg.write_text("#!/bin/sh\nexit 0\n")
    rg.chmod(0o755)
    return folder


def _run(*args, tmp_path):
    env = dict(os.environ, PATH=f"{_fake_rg(tmp_path / 'bin')}{os.pathsep}{os.environ['PATH']}",
               PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, str(REPO / "bench" / "run.py"), *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)


def test_corpus_times_a_copy_of_an_existing_directory_and_reports_its_findings(tmp_path):
    source = _tree(tmp_path)
    before = _stamps(source)
    out = tmp_path / "real.md"
    done = _run("--corpus", str(source), "--reps", "1", "--no-semgrep", "--out", str(out),
                "--corpus-dir", str(tmp_path / "copies"), tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    table = out.read_text()
    rows = [line for line in table.splitlines() if line.startswith("| clinic-site |")]
    assert len(rows) == 7  # cold, warm, 10 files, ripgrep, floor, two start-ups (no semgrep)
    assert any("| phi-lint 10 changed files (warm cache) |" in row for row in rows)
    assert all("| 17 |" in row for row in rows)  # the copy's regular files: the source's 17, not its .git marker
    assert "--corpus " + str(source) in table
    assert "Cold scan of clinic-site: exit 0, 1 findings, PHI001 × 1; notices: " in table
    # the source is untouched: no .git marker, no mtimes moved by the 10-changed-files run
    assert _stamps(source) == before
    copy = tmp_path / "copies" / "real-clinic-site"
    assert (copy / ".git").is_dir()


def test_corpus_changes_the_first_templates_and_scripts_phi_lint_reads(tmp_path):
    sys.path.insert(0, str(REPO / "bench"))
    from run import changed_existing

    root = _tree(tmp_path)
    (root / ".git").mkdir()
    changed = changed_existing(root, sys.executable, dict(os.environ, PYTHONPATH=str(REPO)))
    rels = [os.path.relpath(path, root) for path in changed]
    expected = sorted([f"static/js/m{i:02}.js" for i in range(6)] + ["templates/patient/chart.html"]
                      + [f"templates/page{i:02}.html" for i in range(6)])[:10]
    assert rels == expected


def test_corpus_names_that_collide_or_are_not_folders_are_usage_errors(tmp_path):
    (tmp_path / "one" / "site").mkdir(parents=True)
    (tmp_path / "two" / "site").mkdir(parents=True)
    same = _run("--corpus", str(tmp_path / "one" / "site"), str(tmp_path / "two" / "site"), "--no-semgrep",
                "--out", str(tmp_path / "r.md"), tmp_path=tmp_path)
    assert same.returncode != 0 and "same name (site)" in same.stderr and "Traceback" not in same.stderr
    missing = _run("--corpus", str(tmp_path / "nowhere"), "--no-semgrep", "--out", str(tmp_path / "r.md"),
                   tmp_path=tmp_path)
    assert missing.returncode != 0 and "not a directory" in missing.stderr and "Traceback" not in missing.stderr
    assert not (tmp_path / "r.md").exists()


def test_slowest_files_times_every_file_of_pass_one_and_the_tracked_pages_of_pass_two(tmp_path):
    import shutil

    sys.path.insert(0, str(REPO / "bench"))
    from slowest_files import timed_passes

    from phi_lint.fileworker import FileProcessor

    root = tmp_path / "rails-portal"
    shutil.copytree(REPO / "fixtures" / "rails-portal", root)
    (root / ".git").mkdir()
    first, second, whole, result = timed_passes(root)
    read = {p.relative_to(root).as_posix() for p in root.rglob("*.erb")}
    assert read and read <= set(first)
    assert "app/views/dashboard/show.html.erb" in second  # a page a tracker reaches: pass 2
    assert set(second) < set(first)
    assert 0 < sum(first.values()) + sum(second.values()) <= whole
    assert result.findings
    assert FileProcessor.process.__name__ == "process"  # put back after the run
