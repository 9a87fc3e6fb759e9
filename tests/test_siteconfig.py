"""Trackers switched on by configuration (phi_lint.siteconfig, rules/config-trackers.toml): the
data table, the readers of each format, and the pages the config reaches. The shapes of each
generator are in tests/framework_cases/config_trackers.yml."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import REPO, scan_tree, write_tree

from phi_lint.catalogue import load_catalogue
from phi_lint.discovery import classify
from phi_lint.frameworks.siteconfig import SiteConfig
from phi_lint.lang import Source
from phi_lint.pagegraph.repo import RepoIndex
from phi_lint.siteconfig import config_sightings
from phi_lint.siteconfig.data import ConfigTrackersError, glob_matches, parse_table, table
from phi_lint.siteconfig.values import UNKNOWN, toml_keys, yaml_keys


def test_every_switch_names_a_catalogue_vendor():
    catalogue = load_catalogue()
    vendors = {switch.vendor for generator in table().generators for switch in generator.switches}
    assert vendors and all(catalogue.get(vendor) is not None for vendor in vendors), vendors


def test_a_switch_with_an_unknown_key_is_a_data_error():
    bad = {"generator": [{"id": "x", "name": "X", "format": "js", "configs": ["x.js"],
                          "plugin": [{"name": "p", "vendor": "hotjar", "idz": ["id"]}]}]}
    with pytest.raises(ConfigTrackersError, match="unknown key `idz`"):
        parse_table(bad)


def test_a_generator_of_an_unknown_format_is_a_data_error():
    bad = {"generator": [{"id": "x", "name": "X", "format": "ini", "configs": ["x.ini"],
                          "key": [{"key": "k", "vendor": "hotjar"}]}]}
    with pytest.raises(ConfigTrackersError, match="format"):
        parse_table(bad)


@pytest.mark.parametrize(("name", "kind"), [
    ("_config.yml", "site-config"), ("hugo.toml", "site-config"), ("config.yaml", "site-config"),
    ("services.toml", "site-config"), ("netlify.toml", None), ("docker-compose.yml", None),
    ("gatsby-config.js", "script"), ("settings.py", "code"),
])
def test_only_named_config_files_are_discovered(name, kind):
    assert classify(name) == kind


def test_the_site_root_is_above_a_hugo_config_folder():
    hugo = next(g for g in table().generators if g.id == "hugo")
    assert hugo.site_root("site/config/_default/services.toml") == "site"
    assert hugo.site_root("site/hugo.toml") == "site"
    assert hugo.site_root("site/layouts/index.html") is None


def test_globs():
    assert glob_matches("layouts/_default/baseof.html", "layouts/**")
    assert glob_matches("themes/ananke/layouts/partials/head.html", "themes/*/layouts/**")
    assert not glob_matches("content/layouts/x.html", "layouts/**")
    assert glob_matches("templates/base.html", "**/templates/**")
    assert glob_matches("app/clinic/templates/base.html", "**/templates/**")


def test_yaml_reader_follows_block_mappings_and_leaves_out_comments_and_blocks():
    text = (
        "title: Harbor  # the name\n"
        "description: |\n"
        "  google_analytics: UA-1111111-1\n"
        "# google_analytics: UA-2222222-2\n"
        "analytics:\n"
        "  provider: \"google-gtag\"\n"
        "  google:\n"
        "    tracking_id: 'G-ABCDE12345'\n"
        "plugins:\n"
        "  - jekyll-feed\n"
        "footer: {links: [a]}\n"
        "google_analytics: UA-3333333-3\n"
    )
    keys = yaml_keys(text)
    assert keys["title"].value == "Harbor"
    assert keys["analytics.provider"].value == "google-gtag"
    assert (keys["analytics.google.tracking_id"].value, keys["analytics.google.tracking_id"].line) == ("G-ABCDE12345", 8)
    assert (keys["google_analytics"].value, keys["google_analytics"].line) == ("UA-3333333-3", 12)
    assert keys["footer"].value is UNKNOWN
    # a block scalar is one string (its lines), never keys
    assert "description.google_analytics" not in keys and keys["description"].value == "google_analytics: UA-1111111-1"
    assert keys["plugins"].value == ["jekyll-feed"]


def test_toml_reader_finds_the_line_of_each_key():
    text = (
        'baseURL = "https://x.example/"\n'
        "# googleAnalytics = \"G-OLD1234567\"\n"
        "[services]\n"
        "  [services.googleAnalytics]\n"
        '  id = "G-ABCDE12345"\n'
        "[privacy]\n"
        "googleAnalytics.disable = false\n"
        'params = { analytics = { id = "G-ZZZZZ99999" } }\n'
    )
    keys, problem = toml_keys(text)
    assert problem is None
    assert (keys["services.googleAnalytics.id"].value, keys["services.googleAnalytics.id"].line) == ("G-ABCDE12345", 5)
    assert keys["privacy.googleAnalytics.disable"].line == 7
    assert keys["privacy.params.analytics.id"].line == 8
    assert "googleAnalytics" not in keys


def test_toml_that_is_not_toml_is_a_problem_not_a_crash():
    keys, problem = toml_keys('googleAnalytics = "G-ABC\n')
    assert keys == {} and problem and "not valid TOML" in problem


def _sightings(rel: str, text: str, files=()):
    return config_sightings(Source(rel, text), sorted({rel, *files}), load_catalogue())


def test_a_numeric_hotjar_id_and_a_computed_id():
    text = (
        "module.exports = { plugins: [\n"
        "  { resolve: 'gatsby-plugin-hotjar', options: { id: 1234567, sv: 6 } },\n"
        "  { resolve: 'gatsby-plugin-google-gtag', options: { trackingIds: [process.env.GA_ID] } },\n"
        "] }\n"
    )
    found, problems = _sightings("gatsby-config.js", text)
    assert problems == []
    assert [(s.vendor_id, s.span.line, s.account_id, s.kind) for s in found] == [
        ("hotjar", 2, "1234567", "config"), ("google-analytics", 3, None, "config")]
    assert found[0].snippet == "'gatsby-plugin-hotjar'"


def test_a_plugin_name_that_is_not_a_plugin_entry_is_not_a_switch():
    text = "module.exports = { siteMetadata: { note: 'gatsby-plugin-hotjar' }, plugins: [] }\n"
    assert _sightings("gatsby-config.js", text)[0] == []


def test_a_hugo_config_without_a_site_is_not_read():
    # config.toml is a common name: it counts as Hugo's only beside layouts/, content/, themes/ …
    found, _ = _sightings("config.toml", 'googleAnalytics = "G-ABCDE12345"\n')
    assert found == []
    found, _ = _sightings("config.toml", 'googleAnalytics = "G-ABCDE12345"\n', ["content/_index.md"])
    assert [(s.vendor_id, s.account_id, s.span.line) for s in found] == [("google-analytics", "G-ABCDE12345", 1)]


def test_django_settings_from_the_environment_are_on_with_an_unknown_id():
    text = "import os\nif not DEBUG:\n    FACEBOOK_PIXEL_ID = os.environ['PIXEL']\nHOTJAR_SITE_ID = None\n"
    found, _ = _sightings("clinic/settings.py", text)
    assert [(s.vendor_id, s.span.line, s.account_id) for s in found] == [("meta-pixel", 3, None)]


def test_config_files_that_switch_nothing_on_add_no_edges(tmp_path):
    files = {
        "config/application.rb": "module Harbor\n  class Application < Rails::Application\n  end\nend\n",
        "config/initializers/assets.rb": "Rails.application.config.assets.version = '1.0'\n",
        "app/views/conditions/diabetes.html.erb": "<h1>Diabetes</h1>\n",
    }
    write_tree(tmp_path, files)
    repo = RepoIndex(tmp_path, {"config/application.rb": "code", "config/initializers/assets.rb": "code",
                                "app/views/conditions/diabetes.html.erb": "markup"})
    assert list(SiteConfig().project_edges(repo)) == []
    (tmp_path / "config/initializers/tracker.rb").write_text(
        "Rails.application.config.middleware.use(Rack::Tracker) do\n  handler :hotjar, { site_id: '1234567' }\nend\n")
    repo = RepoIndex(tmp_path, {**repo.kinds, "config/initializers/tracker.rb": "code"})
    edges = list(SiteConfig().project_edges(repo))
    assert [(e.source, e.target, e.kind) for e in edges] == [
        ("app/views/conditions/diabetes.html.erb", "config/initializers/tracker.rb", "config")]


def test_the_fixture_chain_runs_from_the_page_to_the_config():
    root = REPO / "fixtures" / "gatsby-health-site"
    result = scan_tree(root)
    prefix = Path(root).resolve().relative_to(result.root.resolve()).as_posix() + "/"
    chains = sorted(
        tuple(entry.removeprefix(prefix) for entry in reach.chain)
        for finding in result.findings if finding.sighting.vendor_id == "google-analytics" and finding.pages
        for reach in finding.pages
    )
    assert chains == [("src/pages/conditions/diabetes.js", "gatsby-config.js"),
                      ("src/templates/provider.js", "gatsby-config.js")]


def test_yaml_block_sequences_and_block_scalars_are_read_at_their_keys_line():
    from phi_lint.siteconfig.values import yaml_keys

    keys = yaml_keys("id: site\ntag_container_ids:\n  - GTM-AB12CD3\n  - 'G-ABCDE12345'\n"
                     "conditions:\n  request_path:\n    pages: |-\n      /admin*\n      /user/*\n    negate: true\n"
                     "items:\n  - name: x\n")
    assert keys["tag_container_ids"].value == ["GTM-AB12CD3", "G-ABCDE12345"]
    assert keys["tag_container_ids"].line == 2
    assert keys["conditions.request_path.pages"].value == "/admin*\n/user/*"
    assert keys["conditions.request_path.negate"].value is True
    assert "items" not in keys  # a sequence of mappings is not read


def _discovered(tmp_path, files: dict[str, str]) -> dict[str, str]:
    from phi_lint.config import Config
    from phi_lint.discovery import discover

    write_tree(tmp_path, files)
    root = tmp_path.resolve()
    return {f.rel: f.kind for f in discover([root], Config(root=root), root).files}


def test_markdown_of_a_repository_without_a_site_is_never_a_page(tmp_path):
    kinds = _discovered(tmp_path, {
        "README.md": "# Diabetes tracker app\nTreatment and diagnosis of diabetes.\n",
        "CHANGELOG.md": "## 1.0\n", "docs/conditions/diabetes.md": "---\ntitle: Diabetes care\n---\n",
        "content/conditions/asthma.md": "---\ntitle: Asthma\n---\n", "app.js": "console.log(1)\n",
    })
    assert kinds == {"app.js": "script"}


def test_markdown_pages_of_each_site_generator_are_markup(tmp_path):
    kinds = _discovered(tmp_path, {
        "hugo/hugo.toml": "title = 'x'\n", "hugo/content/conditions/diabetes.md": "Diabetes\n",
        "hugo/README.md": "# the site\n",
        "docusaurus.config.js": "module.exports = {}\n", "docs/asthma.md": "Asthma\n", "CHANGELOG.md": "x\n",
        "blog/2024-01-01-flu.md": "Flu\n",
        "guide/.vitepress/config.mts": "export default {}\n", "guide/README.md": "Guide\n",
    })
    assert {rel: kind for rel, kind in kinds.items() if rel.endswith(".md")} == {
        "hugo/content/conditions/diabetes.md": "markup", "docs/asthma.md": "markup",
        "blog/2024-01-01-flu.md": "markup", "guide/README.md": "markup"}


def test_jekyll_and_eleventy_pages_need_front_matter_and_a_layout(tmp_path):
    kinds = _discovered(tmp_path, {
        "jekyll/_config.yml": "title: x\n", "jekyll/hiv.md": "---\ntitle: HIV care\n---\nText\n",
        "jekyll/README.md": "# no front matter\n", "jekyll/_posts/2024-01-01-flu.md": "---\ntitle: Flu\n---\n",
        "eleventy/.eleventy.js": "module.exports = () => ({})\n",
        "eleventy/asthma.md": "---\nlayout: base\ntitle: Asthma\n---\n", "eleventy/notes.md": "---\ntitle: n\n---\n",
    })
    assert sorted(rel for rel, kind in kinds.items() if rel.endswith(".md")) == [
        "eleventy/asthma.md", "jekyll/_posts/2024-01-01-flu.md", "jekyll/hiv.md"]


def test_an_eleventy_markdown_page_is_rendered_by_the_layout_it_names(tmp_path):
    write_tree(tmp_path, {
        ".eleventy.js": "module.exports = () => ({ dir: { input: '.' } })\n",
        "_includes/base.njk": "<html><head><script async src=\"https://www.googletagmanager.com/gtag/js?id=G-ABCDE12345\">"
                              "</script></head><body>{{ content | safe }}</body></html>\n",
        "conditions/asthma.md": "---\nlayout: base\ntitle: Asthma treatment and care\n---\nAsthma inhalers.\n",
        "about.md": "---\nlayout: base\ntitle: About us\n---\nWe are a clinic.\n",
    })
    result = scan_tree(tmp_path)
    reached = sorted((f.rule_id, page.page.rsplit("/", 1)[-1]) for f in result.findings for page in f.pages)
    assert reached == [("PHI002", "asthma.md")]


def test_the_hugo_fixture_reaches_the_markdown_page_through_the_layouts():
    root = REPO / "fixtures" / "hugo-health-site"
    result = scan_tree(root)
    prefix = Path(root).resolve().relative_to(result.root.resolve()).as_posix() + "/"
    chains = [tuple(entry.removeprefix(prefix) for entry in reach.chain)
              for finding in result.findings for reach in finding.pages]
    assert chains == [("content/conditions/diabetes.md", "layouts/_default/baseof.html",
                       "layouts/partials/head.html", "hugo.toml")]


def _drupal_ga(userid: str) -> dict:
    return {
        "composer.json": '{"require": {"drupal/core-recommended": "^10"}}\n',
        "config/sync/google_analytics.settings.yml": (
            "account: G-RB4T8N2K6W\nvisibility:\n  request_path_mode: 0\n  request_path_pages: ''\n"
            f"track:\n  outbound: true\n  userid: {userid}\n"
        ),
    }


def test_drupal_user_id_tracking_is_said_in_the_finding(tmp_path):
    """issue 15 §3: the Google Analytics module's export says whether the signed-in user's id is
    sent (`track.userid`); on, the finding says so (a flag of rules/config-trackers.toml)."""
    write_tree(tmp_path / "on", _drupal_ga("true"))
    write_tree(tmp_path / "off", _drupal_ga("false"))
    on = [f for f in scan_tree(tmp_path / "on", use_cache=False).findings if f.vendor_name.startswith("Google Analytics")]
    off = [f for f in scan_tree(tmp_path / "off", use_cache=False).findings if f.vendor_name.startswith("Google Analytics")]
    assert on and off
    assert all("User-ID tracking is on" in f.message for f in on)
    assert not any("User-ID" in f.message for f in off)
