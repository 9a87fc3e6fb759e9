"""Context inference for Rails (before_action filters, Devise); Laravel: tests/test_framework_laravel.py."""

from __future__ import annotations

import posixpath

import pytest
from helpers import write_tree

from phi_lint.discovery import classify
from phi_lint.inference.ruby_php import infer_project
from phi_lint.pagegraph import PageGraph, RepoIndex
from phi_lint.pagegraph.templates_ruby_php import file_edges, project_edges


def _infer(tmp_path, files: dict[str, str]):
    write_tree(tmp_path, files)
    kinds = {rel: classify(posixpath.basename(rel)) for rel in files}
    repo = RepoIndex(tmp_path, {rel: kind for rel, kind in kinds.items() if kind})
    edges = []
    for rel, text in files.items():
        if kinds[rel] in ("markup", "script", "code"):
            edges.extend(file_edges(rel, text, repo))
    edges.extend(project_edges(repo))
    return infer_project(repo, PageGraph(edges))


def _labels(tmp_path, files) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for inference in _infer(tmp_path, files):
        out.setdefault(inference.page, set()).add(inference.label + ("?" if inference.weak else ""))
    return out


# =============================================================================== Rails

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
