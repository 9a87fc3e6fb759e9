"""Plain PHP (phi_lint.frameworks.php): include / require edges read from the tree-sitter parse."""

from __future__ import annotations

import posixpath

import pytest
from helpers import write_tree

from phi_lint.discovery import classify
from phi_lint.frameworks import php
from phi_lint.lang import Source
from phi_lint.pagegraph import RepoIndex


def _run(tmp_path, files: dict[str, str]):
    write_tree(tmp_path, files)
    kinds = {rel: classify(posixpath.basename(rel)) for rel in files}
    repo = RepoIndex(tmp_path, {rel: kind for rel, kind in kinds.items() if kind})
    edges = []
    for rel, text in files.items():
        if kinds[rel] in ("markup", "script", "code"):
            edges.extend(php.Php().source_edges(Source(rel, text), repo))
    return edges, repo


def _set(tmp_path, files):
    edges, _ = _run(tmp_path, files)
    return {(e.source, e.target, e.kind) for e in edges}


@pytest.mark.parametrize(
    "statement,target",
    [
        ("include 'header.php';", "site/header.php"),
        ('include_once("inc/analytics.php");', "site/inc/analytics.php"),
        ("require __DIR__ . '/inc/analytics.php';", "site/inc/analytics.php"),
        ("require_once(dirname(__FILE__) . '/inc/analytics.php');", "site/inc/analytics.php"),
        ("require dirname(__DIR__) . '/shared/footer.php';", "shared/footer.php"),
        ("require_once dirname(__FILE__, 2) . '/shared/footer.php';", "shared/footer.php"),
        ("include $_SERVER['DOCUMENT_ROOT'] . '/inc/analytics.php';", "site/inc/analytics.php"),
        ("define('INC', __DIR__ . '/inc/');\ninclude INC . 'analytics.php';", "site/inc/analytics.php"),
        ("const PARTS = __DIR__ . '/inc';\nrequire PARTS . '/analytics.php';", "site/inc/analytics.php"),
    ],
)
def test_php_include_forms(tmp_path, statement, target):
    files = {
        "site/index.php": f"<html><?php\n{statement}\n?></html>",
        "site/header.php": "x",
        "site/inc/analytics.php": "x",
        "shared/footer.php": "x",
    }
    assert ("site/index.php", target, "include") in _set(tmp_path, files)


@pytest.mark.parametrize(
    "text",
    [
        "<?php // include 'inc/analytics.php';\n?>",
        "<?php # require 'inc/analytics.php';\n?>",
        "<?php /* include 'inc/analytics.php'; */ ?>",
        "<?php include $page . '.php'; ?>",
        "<?php include UNKNOWN . 'analytics.php'; ?>",
        "<?php echo \"include 'inc/analytics.php';\"; ?>",
        "<p>Our plans include 'inc/analytics.php' reports</p>",
    ],
)
def test_php_no_edge_for_comments_strings_prose_and_dynamic_paths(tmp_path, text):
    _, repo = _run(tmp_path, {"site/index.php": text, "site/inc/analytics.php": "x"})
    edges = _set(tmp_path, {"site/index.php": text, "site/inc/analytics.php": "x"})
    assert not edges
    assert repo.missing == []


def test_php_missing_vendor_autoload_is_not_noted_but_a_missing_include_is(tmp_path):
    text = "<?php\nrequire __DIR__.'/../vendor/autoload.php';\ninclude 'gone.php';\n"
    edges, repo = _run(tmp_path, {"public/index.php": text})
    assert not edges
    assert repo.missing == [("public/index.php", "gone.php", 3)]


def test_php_include_of_a_file_that_is_there_but_not_scanned_is_not_noted(tmp_path):
    # lh-ehr's gacl/test_suite/phpunit/runtests.php: <STYLE><?php include ("stylesheet.css"); ?>
    (tmp_path / "gacl").mkdir()
    (tmp_path / "gacl/stylesheet.css").write_text("body {}\n")
    text = "<?php\ninclude ('stylesheet.css');\ninclude 'gone.css';\n"
    edges, repo = _run(tmp_path, {"gacl/runtests.php": text})
    assert not edges
    assert repo.missing == [("gacl/runtests.php", "gone.css", 3)]


def test_php_include_of_a_path_starting_with_a_variable_is_not_noted(tmp_path):
    # lh-ehr's nn_acl_upgrade.php: single quotes keep `$srcdir` literal, yet it names a variable
    text = "<?php\ninclude_once('$srcdir/acl.inc');\ninclude 'gone.php';\n"
    edges, repo = _run(tmp_path, {"modules/upgrade.php": text})
    assert not edges
    assert repo.missing == [("modules/upgrade.php", "gone.php", 3)]


