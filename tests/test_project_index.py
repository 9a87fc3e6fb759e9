"""The project index: the project passes' outputs are reused only when nothing they depend on changed."""

from __future__ import annotations

import os
import shutil

import pytest
from helpers import REPO

from phi_lint import projectindex

FIXTURE = "rails-portal"
CONTROLLER = "app/controllers/application_controller.rb"
DASHBOARD = "app/controllers/dashboard_controller.rb"
VIEW = "app/views/dashboard/show.html.erb"


def _copy(tmp_path, name: str = FIXTURE):
    root = tmp_path / name
    shutil.copytree(REPO / "fixtures" / name, root)
    (root / ".git").mkdir()  # the project root, as in a repository: named files are judged against it
    return root


def _json(root, use_cache: bool = True, paths=None) -> str:
    from phi_lint.reporters.json_report import render_json
    from phi_lint.scan import ScanOptions, scan

    return render_json(scan(ScanOptions(paths=paths or [root], jobs=1, use_cache=use_cache)))


class _Counted:
    """Counts the runs of the page graph's project extractors (they are the project passes' first)."""

    def __init__(self, monkeypatch):
        import phi_lint.pagegraph.build as build

        self.calls = 0
        real = build.PROJECT_EXTRACTORS

        def counting(extract):
            def run(repo):
                self.calls += 1
                return extract(repo)
            return run

        monkeypatch.setattr(build, "PROJECT_EXTRACTORS", tuple(counting(e) for e in real))


def _edit(path, text: str) -> None:
    """Write text and move the file's mtime on, so even an edit within one clock tick is seen."""
    before = os.stat(path).st_mtime_ns if path.exists() else 0
    path.write_text(text)
    os.utime(path, ns=(before + 10**9, before + 10**9))


def test_a_run_that_changed_nothing_the_project_passes_see_reuses_their_outputs(tmp_path, monkeypatch):
    root = _copy(tmp_path)
    first = _json(root)
    counted = _Counted(monkeypatch)
    assert _json(root) == first
    assert counted.calls == 0
    # a page touched (pre-commit's staged files after a checkout) and one whose body changed
    # without changing what the project passes see: both still reuse the index
    os.utime(root / VIEW)
    view = (root / VIEW).read_text()
    _edit(root / VIEW, view.replace("</", "<!-- edited --></", 1))
    cached = _json(root, paths=[root / VIEW])
    assert counted.calls == 0
    assert cached == _json(root, use_cache=False, paths=[root / VIEW])


def test_an_edit_to_a_file_the_project_passes_read_runs_them_again(tmp_path, monkeypatch):
    root = _copy(tmp_path)
    _json(root)
    counted = _Counted(monkeypatch)
    controller = root / CONTROLLER
    _edit(controller, controller.read_text().replace("before_action :authenticate_user!", "# no guard"))
    cached = _json(root)
    assert counted.calls >= 1
    assert cached == _json(root, use_cache=False)


@pytest.mark.parametrize("change", ["guard", "layout", "config", "partial"])
def test_a_cached_run_after_a_change_gives_the_findings_of_an_uncached_one(tmp_path, change):
    root = _copy(tmp_path)
    before = _json(root)
    if change == "guard":  # the controller that put every page behind login loses its guard
        path = root / CONTROLLER
        _edit(path, path.read_text().replace("before_action :authenticate_user!", "# no guard"))
    elif change == "layout":  # the dashboard renders in the marketing layout
        path = root / DASHBOARD
        _edit(path, path.read_text().replace("< ApplicationController\n", "< ApplicationController\n  layout \"marketing\"\n"))
    elif change == "config":  # a pages glob marks the marketing pages as health pages
        _edit(root / "phi-lint.toml", '[pages]\nhealth = ["app/views/pages/**"]\n')
    else:  # a partial every portal page renders gains a pixel
        path = root / "app/views/shared/_nav.html.erb"
        _edit(path, path.read_text() + "<script>fbq('init', '123456789012345');</script>\n")
    after = _json(root)
    assert after == _json(root, use_cache=False)
    assert after != before  # each change matters to the findings, so the test can tell


def test_an_index_of_another_key_or_not_written_by_phi_lint_is_not_used():
    from phi_lint.models import Notification
    from phi_lint.pagegraph.model import Edge

    outputs = projectindex.ProjectOutputs([Edge("a.html", "b.html", "layout")], [Notification("a", "m")])
    index = projectindex.ProjectIndex(projectindex.files_digest({"a.html": "d"}), "c", {"b.html": (3, 4, "t")}, outputs)
    data = projectindex.encode(index, "key1")
    assert projectindex.decode(data, "key1") == index
    assert projectindex.decode(data, "key2") is None
    for bad in (b"", b"[]", b"{", data.replace(b'"files":"', b'"files":["', 1).replace(b'","containers"', b'"],"containers"'),
                data.replace(b'"reads":{"b.html":[3,4,"t"]}', b'"reads":{"b.html":[3,"4","t"]}')):
        assert bad != data
        assert projectindex.decode(bad, "key1") is None


def test_reuse_needs_every_digest_the_containers_and_every_file_read_to_match():
    outputs = projectindex.ProjectOutputs()
    index = projectindex.ProjectIndex(projectindex.files_digest({"a": "da", "b": "db"}), "c",
                                      {"r": (5, 6, projectindex.text_digest("x"))}, outputs)
    stat_of = {"r": None}.get  # the file read has another stat now: its text decides

    def ok(digests, containers="c", text="x"):
        return index.reusable(digests, containers, stat_of, lambda rel: text)

    assert ok({"a": "da", "b": "db"})
    assert not ok({"a": "da", "b": "other"})
    assert not ok({"a": "da"})  # a file gone
    assert not ok({"a": "da", "b": "db", "c": "dc"})  # a file more
    assert not ok({"a": "da", "b": "db"}, containers="other")
    assert not ok({"a": "da", "b": "db"}, text="y")  # a file read has other text


EDITS = (
    "before_action :authenticate_user!",
    "skip_before_action :authenticate_user!",
    'layout "marketing"',
    'layout "portal"',
    '<%= render "shared/analytics" %>',
    '<%= render "shared/hotjar" %>',
    "<script>fbq('init', '123456789012345');</script>",
)


@pytest.mark.slow
def test_cached_and_uncached_runs_agree_across_random_edits(tmp_path_factory):
    """Property: after any sequence of edits (a line added, a line removed, a file touched),
    a run that may reuse the project index reports exactly what a --no-cache run reports."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    files = sorted(str(p.relative_to(REPO / "fixtures" / FIXTURE)) for p in (REPO / "fixtures" / FIXTURE).rglob("*.*")
                   if p.suffix in (".rb", ".erb"))
    edit = st.tuples(st.sampled_from(("add", "remove", "touch")), st.sampled_from(files), st.sampled_from(EDITS),
                     st.integers(0, 40))

    @settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(edit, min_size=1, max_size=3))
    def check(edits):
        root = _copy(tmp_path_factory.mktemp("edits"))
        _json(root)
        for action, rel, line, where in edits:
            path = root / rel
            lines = path.read_text().splitlines()
            if action == "add":
                lines.insert(where % (len(lines) + 1), line)
            elif action == "remove" and lines:
                del lines[where % len(lines)]
            if action == "touch":
                os.utime(path)
            else:
                _edit(path, "\n".join(lines) + "\n")
            assert _json(root) == _json(root, use_cache=False)

    check()
