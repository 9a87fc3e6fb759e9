"""The page graph core: reach with chains, cycles, layout inheritance of context."""

from __future__ import annotations

from pathlib import Path

from phi_lint.catalogue import load_catalogue
from phi_lint.config import Config
from phi_lint.context import ContextBuilder
from phi_lint.inference.model import Inference
from phi_lint.models import Sighting, Span
from phi_lint.pagegraph import Edge, PageGraph, RepoIndex
from phi_lint.pagegraph.template_paths import resolve_template
from phi_lint.policy import decide


def _graph():
    return PageGraph(
        [
            Edge("portal/dashboard.html", "layouts/portal.html", "extends", 1),
            Edge("portal/inbox.html", "layouts/portal.html", "extends", 1),
            Edge("layouts/portal.html", "layouts/base.html", "extends", 1),
            Edge("layouts/base.html", "partials/tracking.html", "include", 9),
            Edge("index.html", "layouts/base.html", "extends", 1),
            Edge("a.html", "b.html", "include"),
            Edge("b.html", "a.html", "include"),  # a cycle
        ]
    )


def test_pages_reaching_with_shortest_chains():
    reaches = {r.page: r.chain for r in _graph().pages_reaching("partials/tracking.html")}
    assert reaches == {
        "partials/tracking.html": ("partials/tracking.html",),
        "layouts/base.html": ("layouts/base.html", "partials/tracking.html"),
        "index.html": ("index.html", "layouts/base.html", "partials/tracking.html"),
        "layouts/portal.html": ("layouts/portal.html", "layouts/base.html", "partials/tracking.html"),
        "portal/dashboard.html": ("portal/dashboard.html", "layouts/portal.html", "layouts/base.html", "partials/tracking.html"),
        "portal/inbox.html": ("portal/inbox.html", "layouts/portal.html", "layouts/base.html", "partials/tracking.html"),
    }


def test_cycles_end():
    assert {r.page for r in _graph().pages_reaching("a.html")} == {"a.html", "b.html"}


def test_layouts_of_follows_extends_only():
    layouts = dict(_graph().layouts_of("portal/dashboard.html"))
    assert set(layouts) == {"layouts/portal.html", "layouts/base.html"}
    assert _graph().layouts_of("layouts/base.html") == []  # includes are not layouts


def test_pages_inherit_sensitive_labels_from_layouts_but_not_public(tmp_path):
    builder = ContextBuilder(Config(root=tmp_path))
    builder.add_inline("layouts/portal.html", "{# phi-lint: authenticated #}")
    builder.add_inline("layouts/base.html", "{# phi-lint: public #}")
    graph = _graph()
    dashboard = builder.context("portal/dashboard.html", graph)
    assert dashboard.authenticated
    assert "extends layouts/portal.html" in dashboard.labels["authenticated"][0].text
    assert not builder.context("index.html", graph).sensitive
    # an inferred label on the page loses to a public tag on the page itself, not to an inherited one
    builder.add_inference(Inference("index.html", "authenticated", "@login_required on view `home`", "views.py", 3))
    assert builder.context("index.html", graph).authenticated


def test_explicit_public_on_page_beats_inherited_and_inferred(tmp_path):
    builder = ContextBuilder(Config(root=tmp_path))
    builder.add_inline("layouts/portal.html", "{# phi-lint: authenticated #}")
    builder.add_inline("portal/inbox.html", "{# phi-lint: public #}")
    assert not builder.context("portal/inbox.html", _graph()).authenticated


def test_weak_inference_is_marked(tmp_path):
    builder = ContextBuilder(Config(root=tmp_path))
    builder.add_inference(Inference("portal/x.html", "authenticated", "path segment `portal/`", "portal/x.html", 0, weak=True))
    evidence = builder.context("portal/x.html").labels["authenticated"][0]
    assert evidence.text.endswith("(weak signal)")


def test_message_names_pages_chain_and_evidence(tmp_path):
    builder = ContextBuilder(Config(root=tmp_path))
    for page in ("portal/dashboard.html", "portal/inbox.html"):
        builder.add_inference(Inference(page, "authenticated", "@login_required on view `dashboard`", "views.py", 14))
    graph = _graph()
    sighting = Sighting("meta-pixel", "partials/tracking.html", Span(3, 1, 3, 20), "inline-script", "fbq('init')")
    reaches = graph.pages_reaching("partials/tracking.html")
    contexts = {r.page: builder.context(r.page, graph) for r in reaches}
    [finding] = decide(sighting, reaches, contexts, load_catalogue(), set())
    assert finding.rule_id == "PHI001"
    assert [p.page for p in finding.pages] == ["portal/dashboard.html", "portal/inbox.html"]
    assert "reaches 2 authenticated pages" in finding.message
    # one arrow style for chains everywhere: page ← layout ← partial, no "via"
    assert "portal/dashboard.html ← layouts/portal.html ← layouts/base.html ← partials/tracking.html" in finding.message
    assert " via " not in finding.message
    assert "@login_required on view `dashboard` (views.py:14)" in finding.message


def test_repo_index_lookups(tmp_path):
    (tmp_path / "app/templates/portal").mkdir(parents=True)
    (tmp_path / "app/templates/portal/home.html").write_text("hi")
    repo = RepoIndex(Path(tmp_path), {"app/templates/portal/home.html": "markup", "home.html": "markup"})
    assert repo.by_suffix("portal/home.html") == ["app/templates/portal/home.html"]
    assert repo.by_suffix("home.html") == ["app/templates/portal/home.html", "home.html"]
    assert repo.first(["x/../app/templates/portal/home.html"]) == "app/templates/portal/home.html"
    assert repo.read("app/templates/portal/home.html") == "hi"


def test_per_run_memos_live_on_the_repo_index():
    made = []
    repo = RepoIndex(Path("/nonexistent"), {"templates/base.html": "markup", "app.py": "code"})
    first = repo.memo("key", lambda: made.append(1) or {"made": 1})
    assert repo.memo("key", lambda: made.append(2) or {}) is first
    assert made == [1]
    other = RepoIndex(Path("/nonexistent"), {"app.py": "code"})
    assert other.memo("key", dict) == {}  # each run (each index) has its own
    # what a stage remembers for the run sits there, not in a module-level dictionary
    assert resolve_template("base.html", "app.py", repo) == "templates/base.html"
    assert "templates/base.html" in repo.memo("phi_lint.pagegraph.template_paths", dict).values()
    assert resolve_template("base.html", "app.py", other) is None


def test_edge_and_inference_sort_keys_follow_the_dataclass_order():
    # the graph and the inference runner sort with attrgetter keys (fast) that must give the
    # dataclasses' own order: every field, in declaration order
    import dataclasses

    from phi_lint.inference.model import INFERENCE_ORDER, Inference
    from phi_lint.pagegraph.graph import EDGE_ORDER
    from phi_lint.pagegraph.model import Edge

    edge = Edge("a.html", "b.html", "include", 3, "b")
    assert EDGE_ORDER(edge) == dataclasses.astuple(edge)
    inference = Inference("a.html", "health", "why", "a.html", 2, True, True, False)
    assert INFERENCE_ORDER(inference) == dataclasses.astuple(inference)
    edges = [Edge("b", "a", "include"), Edge("a", "c", "extends", 2), Edge("a", "c", "extends", 1), Edge("a", "b", "x")]
    assert sorted(edges, key=EDGE_ORDER) == sorted(edges)


def test_notification_sort_key_follows_the_dataclass_order():
    import dataclasses

    from phi_lint.models import Notification, notification_order

    note = Notification("a.html", "line 2: `x` is not in the repository", "note", "missing-target")
    assert notification_order(note) == dataclasses.astuple(note)
    notes = [Notification("b", "m"), Notification("a", "z", "note"), Notification("a", "z"), Notification("a", "b")]
    assert sorted(notes, key=notification_order) == sorted(notes)
