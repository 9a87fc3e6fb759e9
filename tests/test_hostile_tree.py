"""A scanned repository is hostile (issue 11): special files, links out of the tree, secrets behind
links, a configuration above the repository, one bad file switching off a whole analysis, files
that take too long, encodings a browser renders. Each case failed before the fix."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest
from helpers import REPO, finding_lines, scan_tree, write_tree

from phi_lint import budget, safeio, textio
from phi_lint.scan import ScanOptions, scan

PIXEL_PAGE = "<!-- phi-lint: authenticated -->\n<script>fbq('init', '123456789012345');</script>\n"
PIXEL = "<script>fbq('init', '123456789012345');</script>\n"


def _cli(*args, cwd, timeout=60, env=None):
    full_env = dict(os.environ, NO_COLOR="1", PYTHONPATH=str(REPO), **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "phi_lint", *args], cwd=cwd, capture_output=True, text=True, env=full_env, timeout=timeout
    )


def _messages(result) -> list[str]:
    return [f"{n.path}: {n.message}" for n in result.notifications]


# ---------------------------------------------------------------- special files


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_named_pipe_is_a_notice_not_a_hang(tmp_path):
    write_tree(tmp_path, {"portal/page.html": PIXEL_PAGE})
    os.mkfifo(tmp_path / "portal" / "x.html")
    run = _cli(".", "--no-cache", "-j", "1", cwd=tmp_path, timeout=60)
    assert run.returncode == 1, run.stderr
    assert "PHI001" in run.stdout
    assert "x.html" in run.stderr and "named pipe" in run.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_read_source_refuses_special_files_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    started = time.perf_counter()
    read = textio.read_source(str(fifo))
    assert time.perf_counter() - started < 2
    assert read.text is None and "named pipe" in read.problem
    assert "a device" in textio.read_source("/dev/zero").problem


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_markdown_pipe_in_a_static_site_does_not_hang_discovery(tmp_path):
    """Markdown files of a site are sniffed for front matter while files are listed: a named
    pipe among them is passed over, not opened and waited on."""
    write_tree(tmp_path, {"_config.yml": "title: Clinic\n", "index.md": "---\ntitle: Hi\n---\n"})
    os.mkfifo(tmp_path / "notes.md")
    run = _cli(".", "--no-cache", "-j", "1", cwd=tmp_path, timeout=60)
    assert run.returncode in (0, 1), run.stderr


def test_size_is_checked_before_reading(tmp_path, monkeypatch):
    big = tmp_path / "big.html"
    big.write_bytes(b"x" * 5000)
    reads = []
    real_read = os.read
    monkeypatch.setattr(safeio.os, "read", lambda fd, n: reads.append(n) or real_read(fd, n))
    read = textio.read_source(str(big), max_size=1000)
    assert read.text is None and "larger than max-file-size" in read.problem
    assert reads == []  # refused from fstat, not after reading


def test_a_final_link_is_not_followed_by_the_reader(tmp_path):
    (tmp_path / "real.html").write_text(PIXEL)
    (tmp_path / "link.html").symlink_to(tmp_path / "real.html")
    assert "symbolic link" in textio.read_source(str(tmp_path / "link.html")).problem


# ---------------------------------------------------------------- links out of the tree


def test_named_link_out_of_the_tree_is_a_notice_and_keeps_the_root(tmp_path):
    outside = tmp_path / "home"
    write_tree(outside, {"notes.html": PIXEL_PAGE, "more/other.html": PIXEL_PAGE})
    repo = tmp_path / "repo"
    write_tree(repo, {".git/HEAD": "ref: refs/heads/main\n", "portal/page.html": PIXEL_PAGE})
    (repo / "t").mkdir()
    (repo / "t" / "evil.html").symlink_to(outside / "notes.html")
    before = sorted(p.name for p in outside.rglob("*"))
    result = scan(ScanOptions(paths=[repo / "t" / "evil.html"], use_cache=True, jobs=1))
    assert result.root == repo.resolve()
    assert result.findings == []  # the outside file is not scanned, nor its folder
    assert any("t/evil.html" in m and "leaves the scanned tree" in m for m in _messages(result))
    assert sorted(p.name for p in outside.rglob("*")) == before  # nothing written there


def test_ignore_file_linked_to_a_secret_is_not_echoed_and_the_scan_goes_on(tmp_path):
    secret = tmp_path / "environ"
    secret.write_bytes(b"CI_TOKEN=hunter2-secret\x00HOME=/root\x00")
    repo = tmp_path / "repo"
    write_tree(repo, {".git/HEAD": "x", "portal/page.html": PIXEL_PAGE})
    (repo / ".phi-lint-ignore").symlink_to(secret)
    run = _cli(".", "--no-cache", cwd=repo)
    assert run.returncode == 1, run.stderr  # the finding stays; the check is not switched off
    assert "hunter2" not in run.stdout + run.stderr
    assert ".phi-lint-ignore" in run.stderr and "leaves the scanned tree" in run.stderr


def test_ignore_file_linked_to_passwd_like_file_prints_nothing_of_it(tmp_path):
    passwd = tmp_path / "passwd"
    passwd.write_text("root:x:0:0:root:/root:/bin/bash\n")
    repo = tmp_path / "repo"
    write_tree(repo, {".git/HEAD": "x", "portal/page.html": PIXEL_PAGE})
    (repo / ".phi-lint-ignore").symlink_to(passwd)
    run = _cli(".", "--no-cache", cwd=repo)
    assert run.returncode == 1
    assert "root:x" not in run.stdout + run.stderr


def test_repository_config_may_not_name_files_outside_it(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    repo = tmp_path / "repo"
    write_tree(repo, {".git/HEAD": "x", "a.html": PIXEL, "phi-lint.toml": 'vendor-dirs = ["../elsewhere"]\n'})
    run = _cli(".", "--no-cache", cwd=repo)
    assert run.returncode == 2 and "vendor-dirs" in run.stderr and "outside the repository" in run.stderr
    (repo / "phi-lint.toml").write_text('baseline = "../elsewhere/b.json"\n')
    run = _cli(".", "--no-cache", cwd=repo)
    assert run.returncode == 2 and "baseline" in run.stderr and "outside the repository" in run.stderr


# ---------------------------------------------------------------- configuration


def test_configuration_is_not_looked_for_above_the_repository(tmp_path):
    write_tree(tmp_path, {"phi-lint.toml": 'exclude = ["**"]\n'})  # a shared /tmp, a home folder
    repo = tmp_path / "repo"
    write_tree(repo, {".git/HEAD": "x", "portal/page.html": PIXEL_PAGE})
    result = scan_tree(repo, use_cache=False)
    assert result.config.path is None
    assert finding_lines(result, repo) == ["PHI001 portal/page.html:2 meta-pixel"]


def test_the_configuration_used_is_named_with_verbose(tmp_path):
    write_tree(tmp_path, {".git/HEAD": "x", "phi-lint.toml": "infer = true\n", "portal/page.html": PIXEL_PAGE})
    run = _cli(".", "--no-cache", "-v", cwd=tmp_path)
    assert "phi-lint.toml" in run.stderr and "configuration file used" in run.stderr


def test_broken_pyproject_is_an_error_not_a_silently_dropped_table(tmp_path):
    write_tree(
        tmp_path,
        {
            ".git/HEAD": "x",
            "pyproject.toml": '[tool.poetry]\nname = "x\n\n[tool.phi-lint]\nignore = ["PHI001"]\n',
            "portal/page.html": PIXEL_PAGE,
        },
    )
    run = _cli(".", "--no-cache", cwd=tmp_path)
    assert run.returncode == 2
    assert "pyproject.toml" in run.stderr and "invalid TOML" in run.stderr


# ---------------------------------------------------------------- one bad file costs one file


def _express_layout_repo(root):
    write_tree(
        root,
        {
            ".git/HEAD": "x",
            "package.json": '{"dependencies": {"express": "^4", "express-handlebars": "^7"}}',
            "views/layouts/main.handlebars": "<html><body>{{{body}}}\n" + PIXEL + "</body></html>\n",
            "views/portal/records.handlebars": "<!-- phi-lint: authenticated -->\n<p>records</p>\n",
        },
    )


def test_a_deeply_nested_package_json_costs_only_itself(tmp_path):
    clean, hostile = tmp_path / "clean", tmp_path / "hostile"
    _express_layout_repo(clean)
    _express_layout_repo(hostile)
    write_tree(hostile, {"tools/package.json": "[" * 100_000 + "]" * 100_000})
    expected = finding_lines(scan_tree(clean, use_cache=False), clean)
    assert any(line.startswith("PHI001 views/layouts/main.handlebars") for line in expected)
    result = scan_tree(hostile, use_cache=False)
    assert finding_lines(result, hostile) == expected
    assert any(n.path == "tools/package.json" for n in result.notifications)


def test_a_project_pass_that_fails_is_a_notice(tmp_path, monkeypatch):
    from phi_lint.frameworks import express

    _express_layout_repo(tmp_path)

    def broken(self, repo, graph):
        raise MemoryError()

    monkeypatch.setattr(express.Express, "routes", broken)
    result = scan_tree(tmp_path, use_cache=False, jobs=1)
    assert any("Express" in m and "MemoryError" in m for m in _messages(result))
    assert any(f.rule_id == "PHI001" for f in result.findings)


def test_a_file_past_its_time_budget_is_stopped_with_a_notice(tmp_path, monkeypatch):
    from phi_lint.engine import analyzer as analyzer_module

    write_tree(tmp_path, {"portal/slow.html": PIXEL_PAGE, "portal/page.html": PIXEL_PAGE})
    real = analyzer_module.Analyzer.sightings

    def slow_for_one_file(self, source, text, *shared):
        if source.rel.endswith("slow.html"):
            deadline = time.perf_counter() + 120
            while time.perf_counter() < deadline:
                pass
        return real(self, source, text, *shared)

    monkeypatch.setattr(analyzer_module.Analyzer, "sightings", slow_for_one_file)
    monkeypatch.setenv("PHI_LINT_FILE_BUDGET", "4")  # well above a normal file's time, even on a loaded machine
    started = time.perf_counter()
    result = scan_tree(tmp_path, use_cache=False, jobs=1)
    assert time.perf_counter() - started < 60
    assert finding_lines(result, tmp_path) == ["PHI001 portal/page.html:2 meta-pixel"]
    assert any("slow.html" in m and "time budget" in m for m in _messages(result))
    assert budget.FileBudget().limit == 4


# ---------------------------------------------------------------- files git tracks


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git to write an index")
@pytest.mark.parametrize("index_version", ["2", "3", "4"])
def test_tracked_files_are_judged_even_when_gitignored(tmp_path, index_version):
    write_tree(tmp_path, {"portal/page.html": PIXEL_PAGE, "portal/local.html": PIXEL_PAGE, "site/x.html": "<p>x</p>\n"})
    git = ["git", "-c", "user.email=t@t", "-c", "user.name=t", "-C", str(tmp_path)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "portal/page.html", "site/x.html"], check=True)
    subprocess.run([*git, "update-index", "--index-version", index_version], check=True)
    (tmp_path / ".gitignore").write_text("portal/\n")  # written after the page was committed
    result = scan_tree(tmp_path, use_cache=False)
    # the tracked page is deployed: judged; the untracked one stays ignored
    assert finding_lines(result, tmp_path) == ["PHI001 portal/page.html:2 meta-pixel"]


def test_git_index_reader_survives_garbage(tmp_path):
    from phi_lint.gitindex import tracked_paths

    (tmp_path / ".git").mkdir()
    for data in (b"", b"DIRC", b"DIRC\x00\x00\x00\x02\xff\xff\xff\xff", b"DIRC\x00\x00\x00\x04\x00\x00\x00\x01" + b"\xff" * 80,
                 b"NOPE" + bytes(100)):
        (tmp_path / ".git" / "index").write_bytes(data)
        assert tracked_paths(str(tmp_path)) is None


# ---------------------------------------------------------------- encodings a browser renders


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-16-be"])
def test_pages_with_a_byte_order_mark_are_decoded(tmp_path, encoding):
    data = PIXEL_PAGE.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    write_tree(tmp_path, {"portal/page.html": data})
    result = scan_tree(tmp_path, use_cache=False)
    assert finding_lines(result, tmp_path) == ["PHI001 portal/page.html:2 meta-pixel"]


# ---------------------------------------------------------------- writes


def test_writes_replace_a_committed_link_instead_of_writing_through_it(tmp_path):
    victim = tmp_path / "bashrc"
    victim.write_text("export SAFE=1\n")
    repo = tmp_path / "repo"
    write_tree(repo, {".git/HEAD": "x", "portal/page.html": PIXEL_PAGE})
    (repo / ".phi-lint-baseline.json").symlink_to(victim)
    (repo / "report.sarif").symlink_to(victim)
    run = _cli("baseline", "write", ".", cwd=repo)
    assert run.returncode == 0, run.stderr
    run = _cli(".", "--no-cache", "-f", "sarif", "-o", "report.sarif", cwd=repo)
    assert run.returncode == 1, run.stderr
    assert victim.read_text() == "export SAFE=1\n"
    assert not (repo / ".phi-lint-baseline.json").is_symlink() and "findings" in (repo / ".phi-lint-baseline.json").read_text()
    assert not (repo / "report.sarif").is_symlink()
    assert not [p for p in repo.iterdir() if p.name.endswith(".tmp")]


def test_output_to_a_device_is_written_directly(tmp_path):
    write_tree(tmp_path, {"portal/page.html": PIXEL_PAGE})
    run = _cli(".", "--no-cache", "-f", "json", "-o", "/dev/stdout", cwd=tmp_path)
    assert run.returncode == 1 and '"PHI001"' in run.stdout


def test_an_invalid_gitignore_line_is_left_out_with_a_notice(tmp_path):
    write_tree(tmp_path, {".gitignore": "!\nbuild/\n", "portal/page.html": PIXEL_PAGE, "build/page.html": PIXEL_PAGE})
    result = scan_tree(tmp_path, use_cache=False)
    assert finding_lines(result, tmp_path) == ["PHI001 portal/page.html:2 meta-pixel"]
    assert any(".gitignore" in m and "line 1" in m for m in _messages(result))


def test_a_gitignore_linked_out_of_the_tree_is_not_read(tmp_path):
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "rules").write_text("portal/\n")
    repo = tmp_path / "repo"
    write_tree(repo, {"portal/page.html": PIXEL_PAGE})
    (repo / ".gitignore").symlink_to(tmp_path / "outside" / "rules")
    result = scan_tree(repo, use_cache=False)
    assert finding_lines(result, repo) == ["PHI001 portal/page.html:2 meta-pixel"]
    assert any(".gitignore" in m and "not read" in m for m in _messages(result))


def test_embedding_deeper_than_the_cap_is_said():
    from phi_lint.parsers.javascript import _MAX_EMBED_DEPTH, parse_javascript

    source = 'el.innerHTML = "<img src=x>";'
    assert not any("embedded" in p for p in parse_javascript(source, "js", frozenset(), 0).problems)
    deep = parse_javascript(source, "js", frozenset(), _MAX_EMBED_DEPTH)
    assert any("embedded more than" in p for p in deep.problems)


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_report_written_to_a_device_keeps_the_device(tmp_path):
    """`-o /dev/null` (a benchmark's habit) writes into the device; the temporary-file-and-rename
    used for regular files would replace it with a regular file, and as root that broke
    /dev/null for the whole machine. Checked on a null device made in tmp_path, not the real one."""
    import stat

    from phi_lint.safeio import write_atomic

    node = tmp_path / "null"
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    write_atomic(node, "report\n")
    assert stat.S_ISCHR(os.lstat(node).st_mode)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".phi-lint-")]
