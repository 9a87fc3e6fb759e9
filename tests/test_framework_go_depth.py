"""Go routes (phi_lint/frameworks/go.py) read from a deeply nested file: the walks are loops, so
a hostile or generated file costs time, never a RecursionError that would lose every route."""

from __future__ import annotations

import pytest
from helpers import scan_tree, write_tree

from phi_lint.frameworks.go import read_routes
from phi_lint.lang.treesitter import parse

DEPTH = 3000  # far past Python's default recursion limit of 1000


def _routes_file(body: str) -> str:
    return f"package main\n\nfunc routes() {{\n{body}\n}}\n"


SHAPES = {
    # r.With(a).With(a)…: each call the receiver of the next
    "call chain": _routes_file("x := r" + ".With(requireLogin)" * DEPTH + '\nx.Get("/records", records)'),
    # ((((r)))): parentheses around the router
    "parentheses": _routes_file("x := " + "(" * DEPTH + "r.With(requireLogin)" + ")" * DEPTH + '\nx.Get("/records", records)'),
    # r.Group(func(r chi.Router) { r.Group(func(r chi.Router) { … }) })
    "nested groups": _routes_file('r.Use(requireLogin)\n' + "r.Group(func(r chi.Router) {\n" * DEPTH
                                  + 'r.Get("/records", records)\n' + "})\n" * DEPTH),
    # a handler named through a selector thousands of members long
    "selector chain": _routes_file('r.With(requireLogin).Get("/records", ' + "a." * DEPTH + "records)"),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_deeply_nested_route_is_read_without_recursion(shape):
    routes = read_routes("routes.go", parse(SHAPES[shape], "go"))
    assert [(route.url, route.handlers[-1:], [g.text for g in route.guards]) for route in routes] == [
        ("/records", ("records",), ["requireLogin middleware"])]


def test_a_deeply_nested_go_file_does_not_end_the_go_pass(tmp_path):
    write_tree(tmp_path, {
        "go.mod": "module example.com/clinic\n\ngo 1.22\n",
        "routes.go": SHAPES["nested groups"].replace("package main\n", 'package main\n\nimport "github.com/go-chi/chi/v5"\n'),
        "handlers.go": 'package main\n\nfunc records(w http.ResponseWriter, r *http.Request) {\n'
                       '    tmpl.ExecuteTemplate(w, "records.gohtml", nil)\n}\n',
        "templates/records.gohtml": '<script async src="https://www.googletagmanager.com/gtag/js?id=G-ABC123XYZ9"></script>\n',
    })
    result = scan_tree(tmp_path)
    assert [n.message for n in result.notifications if "internal error" in n.message or "too deep" in n.message] == []
    assert [(f.rule_id, f.sighting.path) for f in result.findings] == [("PHI001", "templates/records.gohtml")]
