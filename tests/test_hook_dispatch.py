"""The per-file dispatch (phi_lint.frameworks.reads): a framework hook is called only for the
files it declares it reads, and no hook loses a file it found something in when every hook was
called for every file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from helpers import scan_tree, write_tree

from phi_lint.dialects import parse_table, table
from phi_lint.frameworks import hook_reads, overrides, registered
from phi_lint.frameworks import reads as reads_module
from phi_lint.frameworks.reads import HookDispatch, Reads, admits
from phi_lint.lang.endings import name_suffix

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = sorted(path for path in (ROOT / "fixtures").iterdir() if path.is_dir())
CASE_FILES = sorted((ROOT / "tests" / "framework_cases").rglob("*.yml"))
PER_FILE_HOOKS = ("source_edges", "file_routes", "infer_source", "file_hints", "source_hints")


def _every_hook_called(monkeypatch) -> list[tuple[str, str, str | None, str]]:
    """Make the dispatch call every hook for every file (what the scan did before it), and
    collect (hook, file, kind, suffix) of each call that found something in a file its
    declaration leaves out."""
    lost: list[tuple[str, str, str | None, str]] = []

    def checked(hook, shapes, kind, suffix):
        def call(first, *rest):
            found = hook(first, *rest)
            found = found if isinstance(found, tuple | list) else list(found)
            if found and not admits(shapes, kind, suffix):
                rel = first if isinstance(first, str) else first.rel
                lost.append((getattr(hook, "__qualname__", repr(hook)), rel, kind, suffix))
            return found

        return call

    def for_file(self, kind, suffix):
        return tuple(checked(hook, shapes, kind, suffix) for hook, shapes in self._hooks)

    monkeypatch.setattr(HookDispatch, "for_file", for_file)
    return lost


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda path: path.name)
def test_no_hook_loses_a_file_of_a_fixture(fixture, monkeypatch):
    lost = _every_hook_called(monkeypatch)
    scan_tree(fixture, use_cache=False, jobs=1)
    assert lost == []


@pytest.mark.slow
@pytest.mark.parametrize("case_file", CASE_FILES, ids=lambda path: path.stem)
def test_no_hook_loses_a_file_of_a_framework_case(case_file, tmp_path, monkeypatch):
    lost = _every_hook_called(monkeypatch)
    cases = yaml.safe_load(case_file.read_text(encoding="utf-8"))["cases"]
    for number, case in enumerate(cases.values()):
        root = write_tree(tmp_path / str(number), dict(case["files"]))
        scan_tree(root, use_cache=False, jobs=1)
    assert lost == []


def test_the_guard_sees_a_lost_file(monkeypatch, tmp_path):
    """The guard above can fail: a Rails declaration that leaves ERB out loses the view's edges."""
    from phi_lint.frameworks.rails import Rails

    monkeypatch.setattr(Rails, "reads", {"source_edges": (Reads(languages=("ruby",)),)})
    lost = _every_hook_called(monkeypatch)
    root = write_tree(tmp_path, {
        "app/views/layouts/application.html.erb": "<html><%= yield %></html>\n",
        "app/views/home/index.html.erb": "<%= render 'shared/nav' %>\n",
        "app/views/shared/_nav.html.erb": "<nav></nav>\n",
    })
    scan_tree(root, use_cache=False, jobs=1)
    assert any(hook == "Rails.source_edges" and rel.endswith("index.html.erb") for hook, rel, _kind, _suffix in lost)


def test_a_hook_is_called_only_for_the_files_it_reads(monkeypatch, tmp_path):
    """Rails' views reader never sees a Python module, Django's route reader never an HTML page."""
    from phi_lint.frameworks.django import Django
    from phi_lint.frameworks.rails import Rails

    seen: dict[str, list[str]] = {"rails": [], "django": []}
    rails_edges, django_routes = Rails.source_edges, Django.file_routes

    def rails_spy(self, source, repo):
        seen["rails"].append(source.rel)
        return rails_edges(self, source, repo)

    def django_spy(self, source, repo):
        seen["django"].append(source.rel)
        return django_routes(self, source, repo)

    monkeypatch.setattr(Rails, "source_edges", rails_spy)
    monkeypatch.setattr(Django, "file_routes", django_spy)
    root = write_tree(tmp_path, {
        "app/views/home/index.html.erb": "<h1>Home</h1>\n",
        "clinic/views.py": "from django.contrib.auth.decorators import login_required\n",
        "templates/base.html": "<html>{% block body %}{% endblock %}</html>\n",
    })
    scan_tree(root, use_cache=False, jobs=1)
    assert sorted(seen["rails"]) == ["app/views/home/index.html.erb"]
    assert sorted(seen["django"]) == ["clinic/views.py"]


def test_every_declaration_names_a_per_file_hook():
    declared = 0
    for framework in registered():
        for hook in framework.reads:
            assert hook in PER_FILE_HOOKS, (framework.id, hook)
            declared += overrides(framework, hook)
    assert declared > 20  # most per-file hooks read a few kinds of file


def test_declarations_come_from_the_endings_and_dialect_tables():
    erb = (Reads(readers=("erb",)),)
    assert admits(erb, "markup", name_suffix("app/views/Show.HTML.erb"))
    assert admits(erb, "markup", name_suffix("app/views/show.html.haml"))  # Haml is read through ERB
    assert not admits(erb, "markup", name_suffix("templates/show.html"))
    python = (Reads(kinds=("code",), languages=("python",)),)
    assert admits(python, "code", name_suffix("app/views.py"))
    assert not admits(python, "script", name_suffix("app/views.py"))
    assert not admits(python, "code", name_suffix("app/views.rb"))
    assert admits(None, "other", "")  # a hook without a declaration reads every file


def test_an_ending_a_user_adds_to_a_dialect_reaches_its_readers(monkeypatch):
    shipped = table()
    data = {
        "comments": {syntax: {"forms": []} for syntax in shipped.comment_forms},
        "includes": {reader: {"tags": tags} for reader, tags in shipped.include_tags.items()},
        "dialect": [{"name": "erb", "flavour": "erb", "endings": [".html.erb", ".erbx"], "comments": ["erb"],
                     "includes": ["erb"]}],
    }
    edited = parse_table(data)
    monkeypatch.setattr(reads_module, "dialect_for", edited.for_name)
    from phi_lint.frameworks.rails import Rails

    rails = next(framework for framework in registered() if isinstance(framework, Rails))
    assert admits(hook_reads(rails, "source_edges"), "markup", name_suffix("app/views/home/index.erbx"))
    assert not admits(hook_reads(rails, "source_edges"), "markup", name_suffix("app/views/home/index.html"))


@pytest.mark.parametrize("rel, suffix", [
    ("app/views/Show.HTML.erb", ".html.erb"),
    ("Makefile", ""),
    ("a.b/c", ""),
    ("web/.eslintrc.js", ".eslintrc.js"),
])
def test_name_suffix(rel, suffix):
    assert name_suffix(rel) == suffix
