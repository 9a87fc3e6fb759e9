"""Property: whatever a repository holds (random bytes, random nesting, random link layouts), a scan
finishes with a result or a user error (exit 0, 1 or 2), and nothing outside the tree changes.

Hypothesis builds small trees of files whose names route them to every parser phi-lint has
(templates, scripts, tag-manager JSON, manifests, tsconfig, server code, .gitignore, config,
the ignore file) and fills them with random bytes, deep nesting or fragments of real syntax.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from phi_lint.errors import UserError  # noqa: E402
from phi_lint.scan import ScanOptions, scan  # noqa: E402

NAMES = [
    "index.html", "base.html", "_nav.html.erb", "show.blade.php", "page.hbs", "app.js", "router.ts", "Page.tsx",
    "App.vue", "gtm.json", "package.json", "tsconfig.json", "views.py", "routes.rb", "Ctrl.java", "middleware.ts",
    ".gitignore", ".phi-lint-ignore", "layout.liquid", "x.njk",
]
DIRS = ["", "portal/", "templates/", "app/views/", "src/", "a/b/c/"]

FRAGMENTS = [
    b"<script>fbq('init', '123456789012345');</script>",
    b"{% extends 'base.html' %}", b"{% include '_nav.html' %}", b"<%= render 'nav' %>", b"@extends('layout')",
    b"import x from './app';", b"require('./router')", b"gtag('config', 'G-ABC123');",
    b'{"exportFormatVersion": 2, "containerVersion": {"tag": [', b'"dependencies": {"express": "4"}',
    b"@login_required", b"before_action :authenticate_user!", b"`${`${`", b"f()()()", b"{{", b"<!--", b"/*",
    b"<div>" * 50, b"(" * 200, b"[" * 300, b'"paths": {"@/*": ["src/*"]}', b"\xff\xfe", b"\x00", b"\xef\xbb\xbf",
    b"phi-lint: authenticated", b"phi-lint: ignore[PHI001] reason", b"!", b" " * 100, b"portal/\n",
]

content = st.one_of(
    st.binary(max_size=400),
    st.lists(st.sampled_from(FRAGMENTS), max_size=12).map(b"\n".join),
    st.integers(min_value=1, max_value=3000).map(lambda n: b"[" * n + b"]" * (n // 2)),
    st.integers(min_value=1, max_value=3000).map(lambda n: b"<div>" * n),
)
file_entry = st.tuples(st.sampled_from(DIRS), st.sampled_from(NAMES), content)
LINK_TARGETS = ["outside_file", "outside_dir", "self_dir", "parent", "dangling", "loop", "inside_file"]
link_entry = st.tuples(st.sampled_from(DIRS), st.sampled_from(NAMES + ["linkdir", ".phi-lint-cache"]), st.sampled_from(LINK_TARGETS))


def _snapshot(directory: Path) -> list[tuple[str, int, int]]:
    out = []
    for dirpath, dirnames, filenames in os.walk(directory):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            info = os.lstat(path)
            out.append((os.path.relpath(path, directory), info.st_size, info.st_mtime_ns))
    return sorted(out)


def _build(root: Path, outside: Path, files, links) -> None:
    for directory, name, data in files:
        path = root / directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_symlink():
            path.write_bytes(data)
    for directory, name, target in links:
        path = root / directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if os.path.lexists(path):
            continue
        destination = {
            "outside_file": outside / "secret.html",
            "outside_dir": outside,
            "self_dir": path.parent,
            "parent": root.parent,
            "dangling": root / "missing" / "nothing.html",
            "loop": path,
            "inside_file": root / "index.html",
        }[target]
        os.symlink(destination, path)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
@given(files=st.lists(file_entry, min_size=1, max_size=10), links=st.lists(link_entry, max_size=4),
       git=st.booleans(), config=st.sampled_from([None, b"infer = true\n", b"[pages\n", b"\xff\xfe", b"exclude = 3\n"]))
def test_any_tree_scans_to_a_result_or_a_user_error_and_writes_nothing_outside(files, links, git, config, monkeypatch):
    monkeypatch.setenv("PHI_LINT_FILE_BUDGET", "5")
    base = Path(tempfile.mkdtemp(prefix="phi-prop-"))
    try:
        outside = base / "outside"
        outside.mkdir()
        (outside / "secret.html").write_text("<script>fbq('init', '999999999999999');</script>\n")
        (outside / "scan-results").mkdir()
        root = base / "repo"
        root.mkdir()
        if git:
            (root / ".git").mkdir()
        if config is not None:
            (root / "phi-lint.toml").write_bytes(config)
        _build(root, outside, files, links)
        before = _snapshot(outside)
        before_base = sorted(p.name for p in base.iterdir())
        for use_cache in (True, True, False):  # cold, warm, none
            try:
                result = scan(ScanOptions(paths=[root], use_cache=use_cache, jobs=1))
            except UserError:
                continue  # exit 2 with a message: an allowed outcome
            assert all(not f.sighting.path.startswith(("/", "..")) for f in result.findings)
            assert all("999999999999999" not in (f.sighting.snippet or "") for f in result.findings)
        assert _snapshot(outside) == before
        assert sorted(p.name for p in base.iterdir()) == before_base
    finally:
        shutil.rmtree(base, ignore_errors=True)
