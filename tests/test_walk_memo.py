"""The walk memo: a run reuses the last listing of the project while its folders are unchanged,
and sees every file added, removed or renamed and every .gitignore edited."""

from __future__ import annotations

import json
import os
import time

import pytest
from helpers import write_tree

from phi_lint import discovery, walkmemo
from phi_lint.cache import ProjectFile
from phi_lint.config import Config, load_config

TREE = {
    ".gitignore": "build/\n",
    "web/a.html": "<p>a</p>\n",
    "web/b.html": "<p>b</p>\n",
    "web/deep/c.js": "export const c = 1;\n",
    "build/out.html": "<p>built</p>\n",
    "notes.txt": "not scanned\n",
}


def _age(root, seconds: int = 100) -> None:
    """Every folder and file of the tree as if last changed a while ago (a fresh tree is 'racy')."""
    past = time.time() - seconds
    for folder, _, names in os.walk(root):
        for name in names:
            os.utime(os.path.join(folder, name), (past, past))
        os.utime(folder, (past, past))


def _listing(root, base, config: Config | None = None, memo: bool = True):
    config = config or load_config(None, root)
    store = ProjectFile(base, root, walkmemo.NAME) if memo else None
    found = discovery.discover([root], config, root, memo=store)
    return [(f.rel, f.kind) for f in found.files], found.excluded, sorted(n.message for n in found.notifications)


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "repo"
    write_tree(root, TREE)
    _age(root)
    return root


def _no_walk(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the tree was walked")

    monkeypatch.setattr(discovery, "_walk", refuse)


def test_an_unchanged_tree_is_replayed_without_walking(tree, tmp_path, monkeypatch):
    first = _listing(tree, tmp_path / "cache")
    assert first == _listing(tree, tmp_path / "cache", memo=False)
    assert ("web/a.html", "markup") in first[0] and first[1] == 1  # build/ ignored
    _no_walk(monkeypatch)
    assert _listing(tree, tmp_path / "cache") == first


@pytest.mark.parametrize("name", ["android/app/src/main/AndroidManifest.xml", "ios/App/AppDelegate.swift", "lib/main.dart"])
def test_a_tree_with_mobile_files_is_replayed_without_walking(tmp_path, monkeypatch, name):
    """Mobile files (kind "mobile") are in the memo like any other: a memo holding one used to
    be refused as damaged, so every run of a React Native / Flutter / native app walked again."""
    root = tmp_path / "repo"
    write_tree(root, {**TREE, name: "<manifest/>\n"})
    _age(root)
    first = _listing(root, tmp_path / "cache")
    assert (name, "mobile") in first[0]
    _no_walk(monkeypatch)
    assert _listing(root, tmp_path / "cache") == first


@pytest.mark.parametrize("change", ["add", "remove", "rename", "add deep", "gitignore", "new gitignore"])
def test_a_change_of_the_tree_is_seen(tree, tmp_path, change):
    base = tmp_path / "cache"
    before = _listing(tree, base)
    if change == "add":
        write_tree(tree, {"web/new.html": "<p>new</p>\n"})
    elif change == "remove":
        (tree / "web/b.html").unlink()
    elif change == "rename":
        (tree / "web/b.html").rename(tree / "web/renamed.html")
    elif change == "add deep":
        write_tree(tree, {"web/deep/d.ts": "export const d = 1;\n"})
    elif change == "gitignore":  # the same size, another pattern
        (tree / ".gitignore").write_text("web/\n", encoding="utf-8")
    else:
        write_tree(tree, {"web/.gitignore": "a.html\n"})
    fresh = _listing(tree, base, memo=False)
    assert fresh != before
    assert _listing(tree, base) == fresh


def test_the_memo_is_only_reused_under_the_same_excludes(tree, tmp_path, monkeypatch):
    base = tmp_path / "cache"
    _listing(tree, base)
    excluding = Config(root=tree.resolve(), exclude=["web/deep/"])
    assert ("web/deep/c.js", "script") not in _listing(tree, base, excluding)[0]


def test_a_racy_or_linked_tree_is_not_kept(tree, tmp_path, monkeypatch):
    base = tmp_path / "cache"
    write_tree(tree, {"web/fresh.html": "<p>just now</p>\n"})  # web/ modified within the racy window
    _listing(tree, base)
    assert not (base / _folder(tree) / walkmemo.NAME).exists()
    _age(tree)
    os.symlink(tree / "web/a.html", tree / "link.html")
    _age(tree)
    _listing(tree, base)
    assert not (base / _folder(tree) / walkmemo.NAME).exists()
    (tree / "link.html").unlink()
    _age(tree)
    _listing(tree, base)
    assert (base / _folder(tree) / walkmemo.NAME).exists()


def _folder(root):
    from phi_lint.cache import project_folder

    return project_folder(root)


@pytest.mark.parametrize("rel", ["../outside.html", "/etc/passwd", "web/../../x.html", "web//a.html", "", "web/./a.html",
                                 "web/a.html/", "web/a.html\0/../../x.html", ".", ".."])
@pytest.mark.parametrize("at", [0, -1])
def test_a_memo_naming_a_path_outside_the_tree_is_not_used(tree, tmp_path, monkeypatch, rel, at):
    base = tmp_path / "cache"
    fresh = _listing(tree, base)
    memo = base / _folder(tree) / walkmemo.NAME
    document = json.loads(memo.read_bytes())
    position = len(document["files"]["rel"]) if at == -1 else at
    document["files"]["rel"].insert(position, rel)
    document["files"]["kind"].insert(position, "markup")
    memo.write_text(json.dumps(document), encoding="utf-8")
    assert _listing(tree, base) == fresh  # the memo is refused: the tree is walked again


def _damaged(files):
    """Ways the files columns of a memo can be damaged (what phi-lint never writes)."""
    rels, kinds = files["rel"], files["kind"]
    return [
        [[rel, kind] for rel, kind in zip(rels, kinds)],  # the old pairs
        {"rel": rels, "kind": kinds[:-1]},  # columns of different lengths
        {"rel": rels, "kind": [*kinds[:-1], "binary"]},  # a kind phi-lint does not have
        {"rel": rels, "kind": [*kinds[:-1], ["markup"]]},  # a kind that is not a string
        {"rel": [*rels[:-1], 7], "kind": kinds},  # a path that is not a string
        {"rel": [*rels[:-1], None], "kind": kinds},
        {"rel": rels},  # a column missing
        {"rel": rels, "kind": kinds, "more": []},  # a column phi-lint does not write
        {"rel": "web/a.html", "kind": "markup"},  # not columns
    ]


@pytest.mark.parametrize("damage", range(9))
def test_a_memo_with_damaged_file_columns_is_walked_again(tree, tmp_path, monkeypatch, damage):
    base = tmp_path / "cache"
    fresh = _listing(tree, base)
    memo = base / _folder(tree) / walkmemo.NAME
    document = json.loads(memo.read_bytes())
    document["files"] = _damaged(document["files"])[damage]
    memo.write_text(json.dumps(document), encoding="utf-8")
    walked = []
    real_walk = discovery._walk
    monkeypatch.setattr(discovery, "_walk", lambda *a, **k: walked.append(1) or real_walk(*a, **k))
    assert _listing(tree, base) == fresh
    assert walked  # not replayed


def test_a_replayed_walk_lists_a_named_file_once(tree, tmp_path, monkeypatch):
    base = tmp_path / "cache"
    config = load_config(None, tree)
    named = tree / "web" / "a.html"
    store = ProjectFile(base, tree, walkmemo.NAME)
    fresh = discovery.discover([tree, named], config, tree, memo=store)
    _no_walk(monkeypatch)
    replayed = discovery.discover([tree, named], config, tree, memo=store)
    assert [(f.rel, f.kind, str(f.path)) for f in replayed.files] == [(f.rel, f.kind, str(f.path)) for f in fresh.files]
    assert [f.rel for f in replayed.files].count("web/a.html") == 1


def test_a_scan_with_a_cache_lists_files_added_since_the_last_run(tree, tmp_path):
    from phi_lint.scan import ScanOptions, scan

    options = ScanOptions(paths=[tree], cache_dir=tmp_path / "cache")
    before = scan(options).files_scanned
    write_tree(tree, {"web/deep/more.html": "<p>more</p>\n"})
    assert scan(options).files_scanned == before + 1


def test_a_run_naming_files_replays_the_walk_of_a_run_over_the_project(tree, tmp_path, monkeypatch):
    # without a configuration file a named file's folder stands in for the configuration's; it
    # anchors no exclude then, so the pre-commit hook's runs (each naming other files) and a run
    # of `phi-lint .` share one walk instead of walking the project again each time
    from phi_lint.scan import ScanOptions, scan

    (tree / ".git").mkdir()
    _age(tree)
    cache = tmp_path / "cache"
    scan(ScanOptions(paths=[tree], cache_dir=cache))
    _no_walk(monkeypatch)
    for named in (tree / "web" / "a.html", tree / "web" / "deep" / "c.js"):
        result = scan(ScanOptions(paths=[named], cache_dir=cache))
        assert not any("internal error" in n.message for n in result.notifications)
