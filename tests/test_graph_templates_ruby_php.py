"""Page-graph edges of ERB / Rails layouts (Blade, Livewire, PHP include: tests/test_framework_laravel.py, test_framework_php.py)."""

from __future__ import annotations

import posixpath

import pytest
from helpers import write_tree

from phi_lint.discovery import classify
from phi_lint.pagegraph import PageGraph, RepoIndex
from phi_lint.pagegraph.templates_ruby_php import blank_ruby_comments, file_edges, project_edges


def _run(tmp_path, files: dict[str, str]):
    write_tree(tmp_path, files)
    kinds = {rel: classify(posixpath.basename(rel)) for rel in files}
    repo = RepoIndex(tmp_path, {rel: kind for rel, kind in kinds.items() if kind})
    edges = []
    for rel, text in files.items():
        if kinds[rel] in ("markup", "script", "code"):
            edges.extend(file_edges(rel, text, repo))
    edges.extend(project_edges(repo))
    return edges, repo


def _set(tmp_path, files):
    edges, _ = _run(tmp_path, files)
    return {(e.source, e.target, e.kind) for e in edges}


# ----------------------------------------------------------------------------- ERB partials

PARTIAL = "app/views/shared/_analytics.html.erb"


@pytest.mark.parametrize(
    "call",
    [
        '<%= render "shared/analytics" %>',
        "<%= render 'shared/analytics' %>",
        '<%= render partial: "shared/analytics" %>',
        "<%= render(partial: 'shared/analytics', locals: { user: current_user }) %>",
        '<%= render :partial => "shared/analytics" %>',
        '<%= render "shared/analytics", collection: @items, as: :item %>',
        '<%= render("shared/analytics") if Rails.env.production? %>',
        '<%-\n  render partial: "shared/analytics",\n         locals: { a: 1 }\n-%>',
    ],
)
def test_erb_render_reaches_the_underscored_partial(tmp_path, call):
    edges = _set(tmp_path, {"app/views/layouts/application.html.erb": call, PARTIAL: "x"})
    assert ("app/views/layouts/application.html.erb", PARTIAL, "partial") in edges


def test_erb_partial_with_any_format_or_handler_suffix(tmp_path):
    edges = _set(
        tmp_path,
        {
            "app/views/home/index.html.erb": '<%= render "shared/tracking" %><%= render "shared/footer" %>',
            "app/views/shared/_tracking.erb": "x",
            "app/views/shared/_footer.html+mobile.erb": "x",
        },
    )
    assert ("app/views/home/index.html.erb", "app/views/shared/_tracking.erb", "partial") in edges
    assert ("app/views/home/index.html.erb", "app/views/shared/_footer.html+mobile.erb", "partial") in edges


def test_erb_relative_partial_resolves_in_the_view_directory_then_application(tmp_path):
    edges = _set(
        tmp_path,
        {
            "app/views/patients/show.html.erb": '<%= render "summary" %><%= render "banner" %>',
            "app/views/patients/_summary.html.erb": "x",
            "app/views/application/_banner.html.erb": "x",
            "app/views/shared/_summary.html.erb": "x",
        },
    )
    assert ("app/views/patients/show.html.erb", "app/views/patients/_summary.html.erb", "partial") in edges
    assert ("app/views/patients/show.html.erb", "app/views/application/_banner.html.erb", "partial") in edges
    assert not any(t == "app/views/shared/_summary.html.erb" for _, t, _ in edges)


def test_erb_template_layout_collection_and_component_renders(tmp_path):
    edges = _set(
        tmp_path,
        {
            "app/views/visits/index.html.erb": (
                '<%= render template: "visits/list" %>\n'
                '<%= render layout: "boxed" do %>inner<% end %>\n'
                "<%= render @appointments %>\n"
                "<%= render HeaderComponent.new(title: 'x') %>\n"
            ),
            "app/views/visits/list.html.erb": "x",
            "app/views/visits/_boxed.html.erb": "x",
            "app/views/appointments/_appointment.html.erb": "x",
            "app/components/header_component.html.erb": "x",
        },
    )
    src = "app/views/visits/index.html.erb"
    assert (src, "app/views/visits/list.html.erb", "include") in edges
    assert (src, "app/views/visits/_boxed.html.erb", "layout") in edges
    assert (src, "app/views/appointments/_appointment.html.erb", "partial") in edges
    assert (src, "app/components/header_component.html.erb", "component") in edges


@pytest.mark.parametrize(
    "text",
    [
        '<%# render "shared/analytics" %>',
        '<% # render "shared/analytics" %>',
        '<%\n  # render "shared/analytics"\n%>',
        '<p>We render "shared/analytics" for you</p>',  # prose outside ERB tags
        '<%= render "shared/#{name}" %>',  # dynamic
        '<%= render partial: partial_name %>',
        '<%= render "card", locals: { layout: "shared/analytics" } %>',
    ],
)
def test_erb_no_edge_for_comments_prose_and_dynamic_names(tmp_path, text):
    edges = _set(tmp_path, {"app/views/home/index.html.erb": text, PARTIAL: "x", "app/views/home/_card.html.erb": "x"})
    assert not any(t == PARTIAL for _, t, _ in edges)


def test_erb_missing_partial_is_a_note_not_an_edge(tmp_path):
    edges, repo = _run(tmp_path, {"app/views/home/index.html.erb": '<%= render "shared/gone" %>'})
    assert not [e for e in edges if e.kind == "partial"]
    assert repo.missing == [("app/views/home/index.html.erb", "shared/gone", 1)]


def test_erb_script_helpers_reach_the_javascript_entry(tmp_path):
    edges = _set(
        tmp_path,
        {
            "app/views/layouts/application.html.erb": (
                "<%= javascript_importmap_tags %>\n"
                '<%= javascript_include_tag "analytics", "data-turbo-track": "reload", defer: true %>\n'
            ),
            "app/javascript/application.js": "x",
            "app/assets/javascripts/analytics.js": "x",
            "app/javascript/reload.js": "x",
        },
    )
    src = "app/views/layouts/application.html.erb"
    assert (src, "app/javascript/application.js", "script-src") in edges
    assert (src, "app/assets/javascripts/analytics.js", "script-src") in edges
    assert (src, "app/javascript/reload.js", "script-src") not in edges


# ----------------------------------------------------------------------------- Rails layouts

def _layouts(tmp_path, files):
    return {(s, t) for s, t, k in _set(tmp_path, files) if k == "layout"}


BASE = {
    "app/views/layouts/application.html.erb": "<%= yield %>",
    "app/controllers/application_controller.rb": "class ApplicationController < ActionController::Base\nend\n",
}


def test_views_use_the_application_layout_by_default(tmp_path):
    layouts = _layouts(
        tmp_path,
        {
            **BASE,
            "app/controllers/visits_controller.rb": "class VisitsController < ApplicationController\n  def index; end\nend\n",
            "app/views/visits/index.html.erb": "x",
            "app/views/visits/create.turbo_stream.erb": "x",  # not an HTML page
            "app/views/visits/update.js.erb": "x",
            "app/views/visits/_row.html.erb": "x",  # partials get no layout
            "app/views/user_mailer/welcome.html.erb": "x",  # mailer views neither
            "app/views/layouts/_flash.html.erb": "x",
        },
    )
    assert layouts == {("app/views/visits/index.html.erb", "app/views/layouts/application.html.erb")}


def test_layout_declared_in_the_controller(tmp_path):
    layouts = _layouts(
        tmp_path,
        {
            **BASE,
            "app/views/layouts/portal.html.erb": "x",
            "app/controllers/visits_controller.rb": (
                "class VisitsController < ApplicationController\n"
                "  # layout \"application\"\n"
                "  layout \"portal\"\n"
                "end\n"
            ),
            "app/views/visits/index.html.erb": "x",
        },
    )
    assert layouts == {("app/views/visits/index.html.erb", "app/views/layouts/portal.html.erb")}


def test_layout_named_after_the_controller_is_the_convention(tmp_path):
    layouts = _layouts(
        tmp_path,
        {
            **BASE,
            "app/views/layouts/visits.html.erb": "x",
            "app/controllers/visits_controller.rb": "class VisitsController < ApplicationController\nend\n",
            "app/views/visits/index.html.erb": "x",
        },
    )
    assert layouts == {("app/views/visits/index.html.erb", "app/views/layouts/visits.html.erb")}


def test_layout_conditions_false_and_inherited_declarations(tmp_path):
    layouts = _layouts(
        tmp_path,
        {
            **BASE,
            "app/views/layouts/portal.html.erb": "x",
            "app/views/layouts/admin.html.erb": "x",
            "app/controllers/visits_controller.rb": (
                "class VisitsController < ApplicationController\n  layout 'portal', only: [:index]\nend\n"
            ),
            "app/views/visits/index.html.erb": "x",
            "app/views/visits/show.html.erb": "x",  # outside only: rendered without a layout
            "app/controllers/exports_controller.rb": "class ExportsController < ApplicationController\n  layout false\nend\n",
            "app/views/exports/index.html.erb": "x",
            "app/controllers/admin/base_controller.rb": "module Admin\n  class BaseController < ApplicationController\n    layout \"admin\"\n  end\nend\n",
            "app/controllers/admin/reports_controller.rb": "module Admin\n  class ReportsController < BaseController\n  end\nend\n",
            "app/views/admin/reports/index.html.erb": "x",
        },
    )
    assert layouts == {
        ("app/views/visits/index.html.erb", "app/views/layouts/portal.html.erb"),
        ("app/views/admin/reports/index.html.erb", "app/views/layouts/admin.html.erb"),
    }


def test_dynamic_layout_method_links_every_layout_it_can_return(tmp_path):
    layouts = _layouts(
        tmp_path,
        {
            **BASE,
            "app/views/layouts/portal.html.erb": "x",
            "app/views/layouts/kiosk.html.erb": "x",
            "app/controllers/visits_controller.rb": (
                "class VisitsController < ApplicationController\n"
                "  layout :pick_layout\n\n"
                "  private\n\n"
                "  def pick_layout\n    kiosk? ? \"kiosk\" : \"portal\"\n  end\nend\n"
            ),
            "app/views/visits/index.html.erb": "x",
        },
    )
    assert layouts == {
        ("app/views/visits/index.html.erb", "app/views/layouts/portal.html.erb"),
        ("app/views/visits/index.html.erb", "app/views/layouts/kiosk.html.erb"),
    }


def test_devise_views_look_up_the_devise_layout_first(tmp_path):
    files = {**BASE, "app/views/devise/sessions/new.html.erb": "x"}
    assert _layouts(tmp_path, files) == {("app/views/devise/sessions/new.html.erb", "app/views/layouts/application.html.erb")}
    files["app/views/layouts/devise.html.erb"] = "x"
    assert _layouts(tmp_path, files) == {("app/views/devise/sessions/new.html.erb", "app/views/layouts/devise.html.erb")}


def test_layout_edges_carry_context_and_reach(tmp_path):
    edges, _ = _run(
        tmp_path,
        {
            **BASE,
            "app/views/layouts/application.html.erb": '<%= render "shared/analytics" %><%= yield %>',
            PARTIAL: "x",
            "app/controllers/visits_controller.rb": "class VisitsController < ApplicationController\nend\n",
            "app/views/visits/index.html.erb": "x",
        },
    )
    graph = PageGraph(edges)
    reach = {r.page: r.chain for r in graph.pages_reaching(PARTIAL)}
    assert reach["app/views/visits/index.html.erb"] == (
        "app/views/visits/index.html.erb",
        "app/views/layouts/application.html.erb",
        PARTIAL,
    )


# ----------------------------------------------------------------------------- robustness

@pytest.mark.parametrize(
    "rel,text",
    [
        ("app/views/x/a.html.erb", "<%= render " + "(" * 20000),
        ("app/views/x/a.html.erb", "<%= render partial: " + "'" * 5000),
        ("app/controllers/a_controller.rb", "class AController < ApplicationController\n" + "  before_action :a, only: [" * 3000),
    ],
)
def test_hostile_input_never_crashes(tmp_path, rel, text):
    edges, _ = _run(tmp_path, {rel: text})
    assert isinstance(edges, list)


def test_ruby_comments_are_blanked():
    ruby = 'a = "#{x}" # comment\n=begin\nblock\n=end\nb'
    assert blank_ruby_comments(ruby).splitlines()[0].rstrip() == 'a = "#{x}"'
    assert "block" not in blank_ruby_comments(ruby)
