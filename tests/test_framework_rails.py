"""The Rails framework module (phi_lint.frameworks.rails): ERB edges, layouts, and the routes its
controllers, config/routes.rb and Devise give the views, read from tree-sitter trees."""

from __future__ import annotations

import posixpath

import pytest
from helpers import write_tree

from phi_lint.discovery import classify
from phi_lint.frameworks.rails import Rails
from phi_lint.frameworks.routes import inferences
from phi_lint.lang import Source
from phi_lint.pagegraph import PageGraph, RepoIndex

RAILS = Rails()


def _run(tmp_path, files: dict[str, str]):
    write_tree(tmp_path, files)
    kinds = {rel: classify(posixpath.basename(rel)) for rel in files}
    repo = RepoIndex(tmp_path, {rel: kind for rel, kind in kinds.items() if kind})
    edges = []
    for rel, text in files.items():
        if kinds[rel] in ("markup", "script", "code"):
            edges.extend(RAILS.source_edges(Source(rel, text), repo))
    edges.extend(RAILS.project_edges(repo))
    return edges, repo


def _set(tmp_path, files):
    edges, _ = _run(tmp_path, files)
    return {(e.source, e.target, e.kind) for e in edges}


def _infer(tmp_path, files: dict[str, str]):
    edges, repo = _run(tmp_path, files)
    graph = PageGraph(edges)
    return sorted([*inferences(RAILS.routes(repo, graph)), *RAILS.infer_project(repo, graph)])


def _labels(tmp_path, files) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for inference in _infer(tmp_path, files):
        out.setdefault(inference.page, set()).add(inference.label + ("?" if inference.weak else ""))
    return out


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



# ----------------------------------------------------------------------------- controllers and routes

APP = "class ApplicationController < ActionController::Base\n  before_action :authenticate_user!\nend\n"


def _rails(extra: dict[str, str], app: str = APP) -> dict[str, str]:
    return {
        "app/controllers/application_controller.rb": app,
        "app/views/layouts/application.html.erb": "<%= yield %>",
        **extra,
    }


def test_application_controller_filter_covers_every_derived_controller(tmp_path):
    files = _rails(
        {
            "app/controllers/patients_controller.rb": "class PatientsController < ApplicationController\n  def show\n  end\nend\n",
            "app/views/patients/show.html.erb": "x",
            "app/views/patients/history.html.erb": "x",  # implicit action: still behind the filter
            "app/views/patients/_row.html.erb": "x",  # partials are reached through their pages
        }
    )
    found = _infer(tmp_path, files)
    show = next(i for i in found if i.page == "app/views/patients/show.html.erb")
    assert show.label == "authenticated" and not show.weak
    assert show.text == (
        "before_action :authenticate_user! in ApplicationController, inherited by PatientsController (action `show`)"
    )
    assert (show.path, show.line) == ("app/controllers/application_controller.rb", 2)
    assert {i.page for i in found} == {
        "app/views/patients/show.html.erb",
        "app/views/patients/history.html.erb",
        "app/views/layouts/application.html.erb",  # every page using it is behind login
    }


@pytest.mark.parametrize(
    "declaration,expected",
    [
        ("skip_before_action :authenticate_user!", set()),
        ("skip_before_action :authenticate_user!, only: :index", {"show", "edit"}),
        ("skip_before_action :authenticate_user!, only: [:index, :show]", {"edit"}),
        ("skip_before_action :authenticate_user!, except: %i[edit]", {"edit"}),
        ("skip_before_filter :authenticate_user!, :only => [:index]", {"show", "edit"}),
        ("# skip_before_action :authenticate_user!", {"index", "show", "edit"}),
        ("skip_before_action :set_locale", {"index", "show", "edit"}),
    ],
)
def test_skip_before_action_with_only_and_except(tmp_path, declaration, expected):
    files = _rails(
        {
            "app/controllers/plans_controller.rb": f"class PlansController < ApplicationController\n  {declaration}\nend\n",
            "app/views/plans/index.html.erb": "x",
            "app/views/plans/show.html.erb": "x",
            "app/views/plans/edit.html.erb": "x",
        }
    )
    labelled = {
        posixpath.basename(p).split(".")[0]
        for p, labels in _labels(tmp_path, files).items()
        if "authenticated" in labels and "/layouts/" not in p
    }
    assert labelled == expected


@pytest.mark.parametrize(
    "declaration,expected",
    [
        ("before_action :authenticate_user!, only: [:edit, :update]", {"edit"}),
        ("before_action :authenticate_user!, except: :index", {"show", "edit"}),
        ("before_action :require_login", {"index", "show", "edit"}),
        ("before_action :require_user, :set_plan", {"index", "show", "edit"}),
        ("before_action :authorize_user!", {"index", "show", "edit"}),
        ("prepend_before_action :authenticate_patient!", {"index", "show", "edit"}),
        ('http_basic_authenticate_with name: "staff", password: ENV["PW"], except: :index', {"show", "edit"}),
        ("before_action { authenticate_user! }", {"index", "show", "edit"}),
        ("before_action :set_plan", set()),
        ("# before_action :authenticate_user!", set()),
        ("before_action :authenticate_user!, only: :show\n  before_action :authenticate_user!, only: :edit", {"edit"}),
    ],
)
def test_filters_declared_in_the_controller(tmp_path, declaration, expected):
    files = {
        "app/controllers/application_controller.rb": "class ApplicationController < ActionController::Base\nend\n",
        "app/controllers/plans_controller.rb": f"class PlansController < ApplicationController\n  {declaration}\nend\n",
        "app/views/plans/index.html.erb": "x",
        "app/views/plans/show.html.erb": "x",
        "app/views/plans/edit.html.erb": "x",
    }
    labelled = {
        posixpath.basename(p).split(".")[0]
        for p, labels in _labels(tmp_path, files).items()
        if "authenticated" in labels and "/layouts/" not in p
    }
    assert labelled == expected


def test_conditional_filters_are_weak_except_the_devise_idiom(tmp_path):
    app = "class ApplicationController < ActionController::Base\n  before_action :authenticate_user!, unless: :devise_controller?\nend\n"
    files = _rails(
        {
            "app/controllers/plans_controller.rb": "class PlansController < ApplicationController\nend\n",
            "app/views/plans/index.html.erb": "x",
            "app/controllers/kiosk_controller.rb": "class KioskController < ActionController::Base\n  before_action :authenticate_user!, if: :remote?\nend\n",
            "app/views/kiosk/index.html.erb": "x",
        },
        app=app,
    )
    labels = _labels(tmp_path, files)
    assert labels["app/views/plans/index.html.erb"] == {"authenticated"}
    assert labels["app/views/kiosk/index.html.erb"] == {"authenticated?"}


def test_filter_from_an_included_concern(tmp_path):
    concern = (
        "module StaffAuthentication\n  extend ActiveSupport::Concern\n\n  included do\n"
        "    before_action :authenticate_staff!\n  end\nend\n"
    )
    files = {
        "app/controllers/concerns/staff_authentication.rb": concern,
        "app/controllers/admin/base_controller.rb": "module Admin\n  class BaseController < ActionController::Base\n    include StaffAuthentication\n  end\nend\n",
        "app/controllers/admin/reports_controller.rb": "class Admin::ReportsController < Admin::BaseController\nend\n",
        "app/views/admin/reports/index.html.erb": "x",
        "app/controllers/help_controller.rb": "class HelpController < ActionController::Base\n  # include StaffAuthentication\nend\n",
        "app/views/help/index.html.erb": "x",
    }
    found = _infer(tmp_path, files)
    assert {i.page for i in found} == {"app/views/admin/reports/index.html.erb"}
    assert found[0].text == (
        "before_action :authenticate_staff! in concern StaffAuthentication, included by Admin::BaseController, "
        "inherited by Admin::ReportsController (action `index`)"
    )
    assert found[0].path == "app/controllers/concerns/staff_authentication.rb"


def test_rails_8_authentication_generator(tmp_path):
    concern = (
        "module Authentication\n  extend ActiveSupport::Concern\n\n  included do\n"
        "    before_action :require_authentication\n    helper_method :authenticated?\n  end\n\n"
        "  class_methods do\n    def allow_unauthenticated_access(**options)\n"
        "      skip_before_action :require_authentication, **options\n    end\n  end\nend\n"
    )
    files = {
        "app/controllers/concerns/authentication.rb": concern,
        "app/controllers/application_controller.rb": "class ApplicationController < ActionController::Base\n  include Authentication\nend\n",
        "app/controllers/sessions_controller.rb": (
            "class SessionsController < ApplicationController\n  allow_unauthenticated_access only: %i[ new create ]\nend\n"
        ),
        "app/views/sessions/new.html.erb": "x",
        "app/controllers/records_controller.rb": "class RecordsController < ApplicationController\nend\n",
        "app/views/records/index.html.erb": "x",
    }
    labels = _labels(tmp_path, files)
    assert labels == {"app/views/records/index.html.erb": {"authenticated"}}


def test_controller_not_deriving_from_application_controller_is_not_covered(tmp_path):
    files = _rails(
        {
            "app/controllers/webhooks_controller.rb": "class WebhooksController < ActionController::Base\nend\n",
            "app/views/webhooks/index.html.erb": "x",
            "app/views/orphans/index.html.erb": "x",  # no controller in the repo: nothing inferred
        }
    )
    assert _labels(tmp_path, files) == {}


def test_devise_views_sign_in_is_public_and_edit_registration_is_behind_login(tmp_path):
    files = _rails(
        {
            "config/initializers/devise.rb": "Devise.setup do |config|\nend\n",
            "app/views/devise/sessions/new.html.erb": "<input type=password>",
            "app/views/devise/registrations/new.html.erb": "x",
            "app/views/devise/registrations/edit.html.erb": "x",
            "app/views/devise/passwords/new.html.erb": "x",
            "app/controllers/users/sessions_controller.rb": "class Users::SessionsController < Devise::SessionsController\nend\n",
            "app/views/users/sessions/new.html.erb": "x",
        }
    )
    assert _labels(tmp_path, files) == {
        "app/views/devise/sessions/new.html.erb": {"public"},
        "app/views/devise/registrations/edit.html.erb": {"authenticated"},
        "app/views/users/sessions/new.html.erb": {"public"},
    }


def test_layout_used_only_behind_login_is_labelled_and_a_shared_one_is_not(tmp_path):
    files = _rails(
        {
            "app/views/layouts/portal.html.erb": "<%= yield %>",
            "app/controllers/visits_controller.rb": 'class VisitsController < ApplicationController\n  layout "portal"\nend\n',
            "app/views/visits/index.html.erb": "x",
            "app/views/visits/show.html.erb": "x",
            "app/controllers/pages_controller.rb": (
                "class PagesController < ApplicationController\n  skip_before_action :authenticate_user!\nend\n"
            ),
            "app/views/pages/home.html.erb": "x",
            "app/controllers/dashboard_controller.rb": "class DashboardController < ApplicationController\nend\n",
            "app/views/dashboard/show.html.erb": "x",
        }
    )
    found = {i.page: i for i in _infer(tmp_path, files)}
    portal = found["app/views/layouts/portal.html.erb"]
    assert portal.label == "authenticated"
    assert portal.text == "layout used only by pages behind login (2 pages, e.g. app/views/visits/index.html.erb)"
    assert "app/views/layouts/application.html.erb" not in found  # pages/home uses it too
    assert "app/views/pages/home.html.erb" not in found


def test_devise_authenticate_blocks_in_routes(tmp_path):
    routes = (
        "Rails.application.routes.draw do\n"
        "  devise_for :users\n"
        "  authenticated :user do\n"
        '    root "dashboard#show", as: :authenticated_root\n'
        "  end\n"
        '  root "pages#home"\n'
        "  authenticate :user do\n"
        "    resources :visits, only: %i[index show] do\n"
        "      get :receipt, on: :member\n"
        "    end\n"
        "    namespace :billing do\n"
        '      get "statements", to: "statements#index"\n'
        "    end\n"
        "  end\n"
        "  # authenticate :user do\n"
        "  resources :articles\n"
        "end\n"
    )
    open_app = "class ApplicationController < ActionController::Base\nend\n"
    files = {
        "config/routes.rb": routes,
        "app/controllers/application_controller.rb": open_app,
        "app/controllers/dashboard_controller.rb": "class DashboardController < ApplicationController\nend\n",
        "app/controllers/pages_controller.rb": "class PagesController < ApplicationController\nend\n",
        "app/controllers/visits_controller.rb": "class VisitsController < ApplicationController\nend\n",
        "app/controllers/articles_controller.rb": "class ArticlesController < ApplicationController\nend\n",
        "app/controllers/billing/statements_controller.rb": "class Billing::StatementsController < ApplicationController\nend\n",
        "app/views/dashboard/show.html.erb": "x",
        "app/views/pages/home.html.erb": "x",
        "app/views/visits/index.html.erb": "x",
        "app/views/visits/show.html.erb": "x",
        "app/views/visits/edit.html.erb": "x",  # not drawn inside the block
        "app/views/visits/receipt.html.erb": "x",
        "app/views/articles/index.html.erb": "x",
        "app/views/billing/statements/index.html.erb": "x",
    }
    found = {i.page: i for i in _infer(tmp_path, files) if "/layouts/" not in i.page}
    assert set(found) == {
        "app/views/dashboard/show.html.erb",
        "app/views/visits/index.html.erb",
        "app/views/visits/show.html.erb",
        "app/views/visits/receipt.html.erb",
        "app/views/billing/statements/index.html.erb",
    }
    dashboard = found["app/views/dashboard/show.html.erb"]
    assert (dashboard.text, dashboard.path, dashboard.line) == ("`authenticated :user` block in routes.rb", "config/routes.rb", 3)


# ----------------------------------------------------------------------------- robustness


@pytest.mark.parametrize(
    "rel,text",
    [
        ("app/views/x/a.html.erb", "<%= render " + "(" * 20000),
        ("app/views/x/a.html.erb", "<%= render partial: " + "'" * 5000),
        ("app/views/x/a.html.erb", "<% if a %>" * 5000 + "<%= render 'x' %>"),
        ("app/controllers/a_controller.rb", "class AController < ApplicationController\n" + "  before_action :a, only: [" * 3000),
        ("config/routes.rb", "Rails.application.routes.draw do\n" + "authenticate :user do\n" * 5000),
    ],
)
def test_hostile_input_never_crashes(tmp_path, rel, text):
    edges, _ = _run(tmp_path, {rel: text, "app/controllers/application_controller.rb": "class ApplicationController\nend\n"})
    assert isinstance(edges, list)
    assert isinstance(_infer(tmp_path, {rel: text}), list)


# ----------------------------------------------------------------------------- a filter read from its body


def _check(body: str):
    from phi_lint.frameworks.rails import sign_in_check
    from phi_lint.lang.ruby import method_body, method_defs, program

    root = program(Source("a.rb", f"def filter!\n{body}\nend\n"))
    return sign_in_check(method_body(next(method_defs(root))))


@pytest.mark.parametrize(
    "body",
    [
        "  redirect_to login_path unless current_patient",
        "  head :unauthorized unless patient_signed_in?",
        "  redirect_to new_session_path, alert: 'Sign in' if current_patient.nil?",
        "  return redirect_to(login_path) unless session[:patient_id]",
        "  unless current_user\n    redirect_to root_path\n  end",
        "  redirect_to login_path and return if !logged_in?",
        "  if current_member.present?\n    @member = current_member\n  else\n    redirect_to login_path\n  end",
        "  render json: { error: 'x' }, status: :unauthorized if @current_user == nil",
        "  raise NotSignedIn unless current_patient && current_patient.active?",
        "  authenticate_patient!",
    ],
)
def test_a_filter_body_that_turns_signed_out_visitors_away(body):
    assert _check(body)


@pytest.mark.parametrize(
    "body",
    [
        "  I18n.locale = params[:locale] || I18n.default_locale",
        "  redirect_to root_path unless params[:ok]",
        "  redirect_to dashboard_path if current_patient",  # sends signed-in visitors on: a sign-in page's filter
        "  redirect_to x unless current_page?(y)",
        "  logger.info(current_user)",
        "  redirect_to login_path unless current_locale",
        "  @patient = current_patient",
        "",
    ],
)
def test_a_filter_body_that_does_something_else(body):
    assert _check(body) is None


def test_a_controller_redefining_the_filter_without_the_check_is_not_covered(tmp_path):
    app = (
        "class ApplicationController < ActionController::Base\n  before_action :patient_signed_in!\n\n"
        "  def patient_signed_in!\n    redirect_to login_path unless current_patient\n  end\nend\n"
    )
    files = _rails(
        {
            "app/controllers/records_controller.rb": "class RecordsController < ApplicationController\nend\n",
            "app/views/records/index.html.erb": "x",
            "app/controllers/kiosk_controller.rb": (
                "class KioskController < ApplicationController\n  def patient_signed_in!\n    true\n  end\nend\n"
            ),
            "app/views/kiosk/index.html.erb": "x",
        },
        app=app,
    )
    labels = _labels(tmp_path, files)
    assert labels.get("app/views/records/index.html.erb") == {"authenticated"}
    assert "app/views/kiosk/index.html.erb" not in labels


def test_rails_is_a_registered_framework():
    from phi_lint.frameworks import registered

    assert "rails" in [framework.id for framework in registered()]
