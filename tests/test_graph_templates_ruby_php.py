"""Page-graph edges of the PHP stacks: Blade / Livewire, PHP include. (ERB and Rails layouts: tests/test_framework_rails.py.)"""

from __future__ import annotations

import posixpath

import pytest
from helpers import write_tree

from phi_lint.discovery import classify
from phi_lint.pagegraph import PageGraph, RepoIndex
from phi_lint.pagegraph.templates_ruby_php import (
    call_args,
    file_edges,
    php_lex,
)


def _run(tmp_path, files: dict[str, str]):
    write_tree(tmp_path, files)
    kinds = {rel: classify(posixpath.basename(rel)) for rel in files}
    repo = RepoIndex(tmp_path, {rel: kind for rel, kind in kinds.items() if kind})
    edges = []
    for rel, text in files.items():
        if kinds[rel] in ("markup", "script", "code"):
            edges.extend(file_edges(rel, text, repo))
    return edges, repo


def _set(tmp_path, files):
    edges, _ = _run(tmp_path, files)
    return {(e.source, e.target, e.kind) for e in edges}


# ----------------------------------------------------------------------------- Blade

V = "resources/views/"


@pytest.mark.parametrize(
    "directive,target,kind",
    [
        ("@extends('layouts.app')", "layouts/app", "extends"),
        ('@extends("layouts/app")', "layouts/app", "extends"),
        ("@include('partials.analytics')", "partials/analytics", "include"),
        ("@include('partials.analytics', ['id' => $user->id])", "partials/analytics", "include"),
        ("@includeIf('partials.analytics')", "partials/analytics", "include"),
        ("@includeWhen($user->isAdmin(), 'partials.analytics', ['a' => 1])", "partials/analytics", "include"),
        ("@includeUnless(app()->environment('local'), 'partials.analytics')", "partials/analytics", "include"),
        ("@includeFirst(['custom.analytics', 'partials.analytics'])", "partials/analytics", "include"),
        ("@each('partials.analytics', $rows, 'row')", "partials/analytics", "include"),
        ("@each('rows.item', $rows, 'row', 'partials.analytics')", "partials/analytics", "include"),
        ("@component('partials.analytics', ['title' => 'x'])", "partials/analytics", "component"),
    ],
)
def test_blade_directives(tmp_path, directive, target, kind):
    files = {V + "page.blade.php": f"<div>\n{directive}\n</div>", V + target + ".blade.php": "x", V + "rows/item.blade.php": "x"}
    edges = _set(tmp_path, files)
    assert (V + "page.blade.php", V + target + ".blade.php", kind) in edges


@pytest.mark.parametrize(
    "text",
    [
        "{{-- @include('partials.analytics') --}}",
        "@@include('partials.analytics')",
        "@verbatim @include('partials.analytics') @endverbatim",
        "@include($name)",
        "<?php // include 'partials/analytics.blade.php'; ?>",
    ],
)
def test_blade_no_edge_for_comments_escapes_and_dynamic_names(tmp_path, text):
    edges = _set(tmp_path, {V + "page.blade.php": text, V + "partials/analytics.blade.php": "x"})
    assert not edges


def test_blade_missing_view_is_a_note(tmp_path):
    edges, repo = _run(tmp_path, {V + "page.blade.php": "@include('partials.gone')\n@includeIf('partials.optional')"})
    assert not edges
    assert repo.missing == [(V + "page.blade.php", "partials.gone", 1)]


def test_blade_components(tmp_path):
    files = {
        V + "page.blade.php": (
            "<x-layouts.app>\n<x-slot:title>Hi</x-slot>\n<x-alert type=\"error\"/>\n"
            "<x-forms.input name=\"q\" />\n<x-card>x</x-card>\n<x-mail::message>x</x-mail::message>\n</x-layouts.app>"
        ),
        V + "components/layouts/app.blade.php": "x",
        V + "components/alert.blade.php": "x",
        V + "components/forms/input.blade.php": "x",
        V + "components/card/index.blade.php": "x",
    }
    edges = _set(tmp_path, files)
    page = V + "page.blade.php"
    assert edges == {
        (page, V + "components/layouts/app.blade.php", "layout"),
        (page, V + "components/alert.blade.php", "component"),
        (page, V + "components/forms/input.blade.php", "component"),
        (page, V + "components/card/index.blade.php", "component"),
    }


def test_blade_app_layout_component_without_a_class_is_layouts_app(tmp_path):
    edges = _set(tmp_path, {V + "dashboard.blade.php": "<x-app-layout>hi</x-app-layout>", V + "layouts/app.blade.php": "x"})
    assert edges == {(V + "dashboard.blade.php", V + "layouts/app.blade.php", "layout")}


def test_blade_class_component_renders_the_view_its_render_returns(tmp_path):
    files = {
        V + "dashboard.blade.php": "<x-app-layout>hi</x-app-layout>",
        V + "layouts/portal.blade.php": "x",
        "app/View/Components/AppLayout.php": (
            "<?php\nnamespace App\\View\\Components;\nuse Illuminate\\View\\Component;\n"
            "class AppLayout extends Component\n{\n    public function render()\n    {\n"
            "        // return view('layouts.app');\n        return view('layouts.portal');\n    }\n}\n"
        ),
    }
    edges = _set(tmp_path, files)
    assert edges == {
        (V + "dashboard.blade.php", "app/View/Components/AppLayout.php", "layout"),
        ("app/View/Components/AppLayout.php", V + "layouts/portal.blade.php", "layout"),
    }
    graph = PageGraph([e for e in _run(tmp_path, files)[0]])
    assert [layout for layout, _ in graph.layouts_of(V + "dashboard.blade.php")] == [
        "app/View/Components/AppLayout.php",
        V + "layouts/portal.blade.php",
    ]


def test_blade_livewire_tags_and_scripts(tmp_path):
    files = {
        V + "layouts/app.blade.php": (
            "@vite(['resources/css/app.css', 'resources/js/app.js'])\n"
            "<script src=\"{{ asset('js/analytics.js') }}\"></script>\n"
            "@livewire('counter')\n<livewire:inbox.list />\n"
        ),
        "resources/js/app.js": "x",
        "public/js/analytics.js": "x",
        V + "livewire/counter.blade.php": "x",
        V + "livewire/inbox/list.blade.php": "x",
    }
    edges = _set(tmp_path, files)
    src = V + "layouts/app.blade.php"
    assert edges == {
        (src, "resources/js/app.js", "script-src"),
        (src, "public/js/analytics.js", "script-src"),
        (src, V + "livewire/counter.blade.php", "component"),
        (src, V + "livewire/inbox/list.blade.php", "component"),
    }


# ----------------------------------------------------------------------------- Livewire layouts

LIVEWIRE = """<?php

namespace App\\Livewire\\Doctor;

use Livewire\\Attributes\\Layout;
use Livewire\\Component;

{attribute}
class Schedule extends Component
{{
    public function render()
    {{
        return view('livewire.doctor.schedule'){chain};
    }}
}}
"""


@pytest.mark.parametrize(
    "attribute,chain,kind",
    [
        ("#[Layout('layouts.doctor')]", "", "layout"),
        ("", "->layout('layouts.doctor')", "layout"),
        ("", "->extends('layouts.doctor')", "extends"),
    ],
)
def test_livewire_layout_links_the_component_view_to_the_layout(tmp_path, attribute, chain, kind):
    files = {
        "app/Livewire/Doctor/Schedule.php": LIVEWIRE.format(attribute=attribute, chain=chain),
        V + "livewire/doctor/schedule.blade.php": "x",
        V + "layouts/doctor.blade.php": "x",
    }
    assert _set(tmp_path, files) == {(V + "livewire/doctor/schedule.blade.php", V + "layouts/doctor.blade.php", kind)}


def test_livewire_view_by_convention_and_commented_layout(tmp_path):
    text = LIVEWIRE.format(attribute="// #[Layout('layouts.other')]\n#[Layout('layouts.doctor')]", chain="")
    text = text.replace("return view('livewire.doctor.schedule');", "return $this->view();")
    files = {
        "app/Livewire/Doctor/Schedule.php": text.replace("public function render()", "public function other()"),
        V + "livewire/doctor/schedule.blade.php": "x",
        V + "layouts/doctor.blade.php": "x",
        V + "layouts/other.blade.php": "x",
    }
    assert _set(tmp_path, files) == {(V + "livewire/doctor/schedule.blade.php", V + "layouts/doctor.blade.php", "layout")}


# ----------------------------------------------------------------------------- plain PHP

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


# ----------------------------------------------------------------------------- robustness

@pytest.mark.parametrize(
    "rel,text",
    [
        ("resources/views/a.blade.php", "@include(" * 20000),
        ("resources/views/a.blade.php", "<x-" * 20000),
        ("site/a.php", "<?php include " + "(" * 20000),
        ("site/a.php", "<?php define('A', A . 'x'); include A . 'y.php';"),
        ("app/Livewire/A.php", "<?php class A extends Component { #[Layout(" + "[" * 10000),
    ],
)
def test_hostile_input_never_crashes(tmp_path, rel, text):
    edges, _ = _run(tmp_path, {rel: text})
    assert isinstance(edges, list)


def test_lexers_keep_offsets():
    text = "<?php // a\n$x = 'it''s'; /* b\n c */ echo \"#{x}\"; # d\n?>html // not a comment"
    code, mask = php_lex(text)
    assert len(code) == len(mask) == len(text)
    assert "// a" not in code and "b\n c" not in code and "# d" not in code
    assert code.endswith("html // not a comment")
    assert call_args("f('a, b', [1, 2], g(3))", 1)[0] == ["'a, b'", " [1, 2]", " g(3)"]
