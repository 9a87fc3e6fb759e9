"""WordPress (phi_lint/frameworks/wordpress.py): what the framework cases do not show one by one."""

from __future__ import annotations

from helpers import finding_lines, scan_tree, write_tree

from phi_lint.frameworks.wordpress import slug_url

HEADER_WITH_GTAG = '<script async src="https://www.googletagmanager.com/gtag/js?id=G-ABCD123456"></script>\n'


def test_slug_templates_are_routes_and_other_files_are_not():
    assert slug_url("wp-content/themes/x/page-patient-portal.php") == "/patient-portal/"
    assert slug_url("wp-content/themes/x/single-doctor.php") == "/doctor/"
    assert slug_url("wp-content/themes/x/page.php") is None
    assert slug_url("wp-content/themes/x/header-portal.php") is None


def test_a_wordpress_site_is_modelled_not_reported_as_unread(tmp_path):
    write_tree(tmp_path, {"wp-config.php": "<?php\ndefine( 'DB_NAME', 'clinic' );\n",
                          "wp-content/themes/x/index.php": "<?php get_header(); ?>\n"})
    assert [item.framework_id for item in scan_tree(tmp_path).unread.frameworks] == []


def test_a_theme_hook_reaches_only_its_own_themes_templates(tmp_path):
    write_tree(tmp_path, {
        "wp-content/themes/a/functions.php": "<?php\nwp_enqueue_script( 'g', 'https://www.googletagmanager.com/gtag/js?id=G-ABCD123456' );\n",
        "wp-content/themes/a/style.css": "",
        "wp-content/themes/b/style.css": "",
        "wp-content/themes/b/header.php": "<head><?php wp_head(); ?></head>\n",
        "wp-content/themes/b/page-records.php": "<?php\nauth_redirect();\nget_header();\n",
    })
    assert finding_lines(scan_tree(tmp_path), tmp_path) == ["PHI100 wp-content/themes/a/functions.php:2 google-analytics"]


def test_a_plugin_hook_reaches_every_theme(tmp_path):
    write_tree(tmp_path, {
        "wp-content/plugins/track/track.php": "<?php\nwp_enqueue_script( 'g', 'https://www.googletagmanager.com/gtag/js?id=G-ABCD123456' );\n",
        "wp-content/themes/b/style.css": "",
        "wp-content/themes/b/header.php": "<head><?php wp_head(); ?></head>\n",
        "wp-content/themes/b/page-records.php": "<?php\nauth_redirect();\nget_header();\n",
    })
    assert finding_lines(scan_tree(tmp_path), tmp_path) == ["PHI001 wp-content/plugins/track/track.php:2 google-analytics"]
