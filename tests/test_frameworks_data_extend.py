"""WordPress and Phoenix knowledge is data (rules/frameworks/wordpress.toml, phoenix.toml): a
team extends it in its config as it extends any framework's names, and only then does the page
get the label."""

from __future__ import annotations

import pytest
from helpers import finding_lines, scan_tree, write_tree

from phi_lint import frameworks_data

GA = '<script async src="https://www.googletagmanager.com/gtag/js?id=G-ABCD123456"></script>\n'
PIXEL = '<img src="https://www.facebook.com/tr?id=123456789012345&ev=PageView&noscript=1" />\n'

# a block theme marked only by theme.json, its template_redirect guard in a subfolder
WP_BLOCK_THEME = {
    "wp-content/themes/clinic/theme.json": "{}\n",
    "wp-content/themes/clinic/inc/guards.php": (
        "<?php\nadd_action( 'template_redirect', function () {\n"
        "    if ( is_page( 'lounge' ) && ! is_user_logged_in() ) {\n"
        "        auth_redirect();\n    }\n} );\n"),
    "wp-content/themes/clinic/page-lounge.php": f"<h1>Records</h1>\n{GA}",
}
# a theme whose guard names its pages through its own condition helper
WP_OWN_CONDITION = {
    "wp-content/themes/clinic/style.css": "/* Theme Name: Clinic */\n",
    "wp-content/themes/clinic/functions.php": (
        "<?php\nadd_action( 'template_redirect', function () {\n"
        "    if ( clinic_is_page( 'lounge' ) && ! is_user_logged_in() ) {\n"
        "        auth_redirect();\n    }\n} );\n"),
    "wp-content/themes/clinic/page-lounge.php": f"<h1>Records</h1>\n{GA}",
}
# a router that guards through live_session only (no pipe_through, no Phoenix.Router)
PHOENIX_SESSION_ROUTER = {
    "lib/app_web/router.ex": (
        "defmodule AppWeb.Router do\n  use AppWeb, :router\n\n  scope \"/\", AppWeb do\n"
        "    live_session :portal, on_mount: [{AppWeb.UserAuth, :ensure_authenticated}] do\n"
        "      live \"/results\", ResultLive, :index\n    end\n  end\nend\n"),
    "lib/app_web/live/result_live.html.heex": f"<h1>Lab results</h1>\n{GA}",
}
# a LiveView that renders ~H itself through the team's own `use` module
PHOENIX_OWN_LIVE_VIEW = {
    "lib/app_web/router.ex": (
        "defmodule AppWeb.Router do\n  use AppWeb, :router\n\n  scope \"/\", AppWeb do\n    pipe_through :browser\n"
        "    live_session :portal, on_mount: [{AppWeb.UserAuth, :ensure_authenticated}] do\n"
        "      live \"/results\", ResultLive.Index, :index\n    end\n  end\nend\n"),
    "lib/app_web/live/result_live/index.ex": (
        "defmodule AppWeb.ResultLive.Index do\n  use AppWeb.PortalView\n\n  def render(assigns) do\n"
        f"    ~H\"\"\"\n    <h1>Lab results</h1>\n    {PIXEL}    \"\"\"\n  end\nend\n"),
}


@pytest.mark.parametrize(
    "files, config, finding",
    [
        (WP_BLOCK_THEME, '[frameworks.wordpress]\ntheme-markers = ["theme.json"]\n',
         "PHI001 wp-content/themes/clinic/page-lounge.php:2 google-analytics"),
        (WP_OWN_CONDITION, '[frameworks.wordpress]\npage-slug-conditions = ["clinic_is_page"]\n',
         "PHI001 wp-content/themes/clinic/page-lounge.php:2 google-analytics"),
        (PHOENIX_SESSION_ROUTER, '[frameworks.phoenix]\nrouter-markers = ["live_session"]\n',
         "PHI001 lib/app_web/live/result_live.html.heex:2 google-analytics"),
        (PHOENIX_OWN_LIVE_VIEW, '[frameworks.phoenix]\nlive-view-markers = ["use AppWeb.PortalView"]\n',
         "PHI001 lib/app_web/live/result_live/index.ex:7 meta-pixel"),
    ],
    ids=["wordpress-theme-marker", "wordpress-page-condition", "phoenix-router-marker", "phoenix-live-view-marker"],
)
def test_a_configured_name_labels_the_page_and_the_shipped_data_alone_does_not(tmp_path, files, config, finding):
    plain = write_tree(tmp_path / "plain", files)
    configured = write_tree(tmp_path / "configured", {**files, "phi-lint.toml": config})
    assert finding not in finding_lines(scan_tree(plain, use_cache=False), plain)
    assert finding in finding_lines(scan_tree(configured, use_cache=False), configured)
    assert frameworks_data.current().additions == ()  # the run's additions do not outlive it


def test_the_moved_knowledge_is_in_the_data_files():
    wordpress, phoenix = frameworks_data.shipped()["wordpress"], frameworks_data.shipped()["phoenix"]
    assert wordpress.lists["theme-markers"] == ("style.css", "functions.php")
    assert wordpress.tables["condition-templates"]["page-slug-conditions"] == "page-{}.php"
    assert phoenix.lists["render-endings"] == (".heex", ".eex", ".leex")
    assert {"router-markers", "router-modules", "live-view-markers"} <= set(phoenix.lists)
