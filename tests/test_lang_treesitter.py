"""The server-language layer (phi_lint.lang.treesitter): every grammar wheel loads, a file is
parsed once per Source, hostile sizes are refused, and a missing wheel is said."""

from __future__ import annotations

import pytest

from phi_lint.lang import Source, treesitter
from phi_lint.lang.treesitter import GRAMMARS, GrammarMissing, descendants, language_of, line, text

SAMPLES = {
    "ruby": ("before_action :authenticate_user!\n", "simple_symbol"),
    "php": ("<?php\nRoute::get('/a', fn () => view('a'));\n", "scoped_call_expression"),
    "java": ("class A { @GetMapping(\"/a\") String a() { return \"a\"; } }\n", "method_declaration"),
    "kotlin": ("class A {\n    fun a(): String = \"a\"\n}\n", "function_declaration"),
    "c_sharp": ("public class A : Controller {\n    public IActionResult B() => View();\n}\n", "method_declaration"),
    "go": ("package a\n\nfunc A(w http.ResponseWriter, r *http.Request) {}\n", "function_declaration"),
    "embedded_template": ("<h1><%= render \"shared/pixel\" %></h1>\n", "output_directive"),
}


@pytest.mark.parametrize("language", sorted(GRAMMARS))
def test_each_grammar_parses_its_language(language):
    code, node_type = SAMPLES[language]
    tree = treesitter.parse(code, language)
    assert not tree.root_node.has_error
    found = list(descendants(tree.root_node, {node_type}))
    assert found and line(found[0]) >= 1 and text(found[0])


def test_language_by_ending_leaves_blade_views_to_the_template_dialect():
    assert language_of("app/models/user.rb") == "ruby" and language_of("routes/web.php") == "php"
    assert language_of("Sec.java") == "java" and language_of("build.gradle.kts") == "kotlin"
    assert language_of("resources/views/a.blade.php") is None and language_of("a.html") is None


def test_source_parses_once_and_shares_the_tree(monkeypatch):
    calls = []
    real = treesitter.parse
    monkeypatch.setattr(treesitter, "parse", lambda code, language: calls.append(language) or real(code, language))
    source = Source("a.rb", "x = 1\n")
    assert source.tree("ruby") is source.tree("ruby")
    assert calls == ["ruby"]


def test_oversized_code_is_not_parsed(monkeypatch):
    monkeypatch.setattr(treesitter, "MAX_PARSE_BYTES", 10)
    assert treesitter.parse("x = 1\n" * 10, "ruby") is None


def test_deep_nesting_is_walked_without_recursion():
    code = "[" * 5000 + "]" * 5000 + "\n"
    tree = treesitter.parse(code, "ruby")
    assert len(list(descendants(tree.root_node, {"array"}))) == 5000


def test_a_missing_grammar_wheel_is_an_error_that_names_the_wheel(monkeypatch):
    monkeypatch.setitem(GRAMMARS, "cobol", ("tree_sitter_cobol_not_installed", "language"))
    with pytest.raises(GrammarMissing, match="tree-sitter-cobol-not-installed"):
        treesitter.grammar("cobol")
