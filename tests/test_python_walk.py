"""The one walk over a Python module (phi_lint.frameworks.python_walk): it gives the readers of
phi_lint.frameworks.python_views what their own walks gave, in the same order, and a module's
facts are read with that one walk (issue 17: the views' readers walked each tree many times)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from phi_lint.frameworks import django, flask, python_views, python_walk
from phi_lint.lang import python as lang_python
from phi_lint.lang.python import imports_of, walk_function
from phi_lint.pagegraph.repo import RepoIndex

SAMPLE = '''
from django.contrib.auth.decorators import login_required as lr
from django.shortcuts import render, redirect
import flask

PAGE = "a.html"

def outer(request):
    from other import thing as lr2
    name: str = "b.html"
    def inner(view):
        def wrapped(request, *a, **kw):
            if not request.user.is_authenticated:
                return redirect("/login")
            return view(request, *a, **kw)
        return wrapped
    x = [render(request, "c.html"), render(request, PAGE if x else name)]
    return render(request, f"d/{x}.html")

@lr
def page(request):
    return render(request, "e.html", {"k": [render(request, "f.html")]})

class V(Base):
    template_name = "g.html"
    def get_template_names(self):
        if self.x:
            return ["h.html"]
        return "i.html"
    def get(self, request):
        lambda: render(request, "j.html")
        raise flask.abort(403)

urlpatterns = [path("a/", lr(page)), path("b/", include([path("c/", V.as_view())]))]
'''


def _corpus() -> list[ast.Module]:
    """The sample and phi-lint's own modules: thousands of functions of every shape."""
    package = Path(python_views.__file__).resolve().parent.parent
    trees = [ast.parse(SAMPLE)]
    trees += [ast.parse(path.read_text(encoding="utf-8")) for path in sorted(package.rglob("*.py"))[:80]]
    return trees


def _functions(tree: ast.Module):
    return [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]


@pytest.mark.parametrize("tree", _corpus(), ids=lambda tree: str(len(tree.body)))
def test_the_walk_answers_what_each_walk_of_its_own_answered(tree):
    walk = python_walk.ModuleWalk(tree, ("is_authenticated",))
    for function in _functions(tree):
        body = list(walk_function(function))
        assert walk.body_assigns(function) == [n for n in body if isinstance(n, (ast.Assign, ast.AnnAssign))]
        assert walk.body_calls(function) == [n for n in body if isinstance(n, ast.Call)]
        assert walk.body_returns(function) == [n for n in body if isinstance(n, ast.Return)]
        nested = any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) for n in body)
        assert walk.has_nested_function(function) == nested
    breadth_first = [n for n in ast.walk(tree) if isinstance(n, (ast.Assign, ast.Call))]
    assert [node for _depth, _at, node in walk.statements] == breadth_first
    imports = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert [node for _depth, _at, node in walk.imports] == imports
    assert lang_python.imports_in(node for _d, _a, node in walk.imports) == imports_of(tree)


def test_login_checks_are_found_in_the_bodies_that_hold_them():
    tree = ast.parse(SAMPLE)
    collector = python_views.Collector("views.py", tree, python_views.python_frameworks())
    module = collector.run()
    by_name = {f.name: f for f in _functions(tree)}
    assert collector.enforces_login(by_name["wrapped"])  # is_authenticated and redirect
    assert collector.enforces_login(by_name["outer"])  # holds `wrapped`
    assert not collector.enforces_login(by_name["page"])
    assert module.auth_decorators == {"outer": 8, "inner": 11}
    # in the order the walks of their own gave (walk_function's: last statement first)
    assert [spec.items for spec in module.views["V"].specs] == [("g.html",), ("i.html",), ("h.html",), ("j.html",)]
    assert [spec.items for spec in module.views["outer"].specs][1:] == [("a.html", "b.html"), ("c.html",)]
    assert [spec.items for spec in module.views["page"].specs] == [("e.html",), ("f.html",)]


def test_a_module_is_walked_once_for_its_facts(tmp_path, monkeypatch):
    """Counts the walks: one ModuleWalk; no ast.walk, no walk_function of a body."""
    (tmp_path / "views.py").write_text(SAMPLE, encoding="utf-8")
    repo = RepoIndex(tmp_path, {"views.py": "code"})
    walks = {"module": 0, "ast.walk": 0, "walk_function": 0}
    real_walk, real_ast_walk, real_walk_function = python_walk.ModuleWalk._walk, ast.walk, lang_python.walk_function

    def counted(name, real):
        def wrapper(*args, **kwargs):
            walks[name] += 1
            return real(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(python_walk.ModuleWalk, "_walk", counted("module", real_walk))
    monkeypatch.setattr(ast, "walk", counted("ast.walk", real_ast_walk))
    monkeypatch.setattr(lang_python, "walk_function", counted("walk_function", real_walk_function))
    for reader in (python_views, flask, django):  # were it imported by name again
        monkeypatch.setattr(reader, "walk_function", counted("walk_function", real_walk_function), raising=False)
    from phi_lint.lang import Source

    module = python_views.facts(Source("views.py", SAMPLE), repo)
    assert module is not None and set(module.views) >= {"outer", "inner", "wrapped", "page", "V"}
    assert walks == {"module": 1, "ast.walk": 0, "walk_function": 0}
