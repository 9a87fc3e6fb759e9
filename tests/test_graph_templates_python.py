"""Page-graph edges of Jinja / Django / Nunjucks / Twig templates (phi_lint.pagegraph.templates_python),
and of the Python modules behind them (phi_lint.frameworks.django, .flask)."""

from __future__ import annotations

import posixpath
import time
from pathlib import Path

import pytest
from helpers import finding_lines, scan_tree, write_tree

from phi_lint.discovery import classify
from phi_lint.frameworks import registered
from phi_lint.lang import Source
from phi_lint.pagegraph.repo import RepoIndex
from phi_lint.pagegraph.templates_python import file_edges, resolve_template, template_names

META_PIXEL = """<script>
!function(f,b,e,v,n,t,s){if(f.fbq)return;n=f.fbq=function(){n.callMethod?
n.callMethod.apply(n,arguments):n.queue.push(arguments)};if(!f._fbq)f._fbq=n;
n.push=n;n.loaded=!0;n.version='2.0';n.queue=[];t=b.createElement(e);t.async=!0;
t.src=v;s=b.getElementsByTagName(e)[0];s.parentNode.insertBefore(t,s)}(window,
document,'script','https://connect.facebook.net/en_US/fbevents.js');
fbq('init', '111122223333444');
fbq('track', 'PageView');
</script>
"""


def _repo(files: dict[str, str]) -> RepoIndex:
    return RepoIndex(Path("/nonexistent"), {rel: classify(posixpath.basename(rel)) for rel in files})


def _edges(files: dict[str, str], rel: str):
    """(target, kind, line) of the edges `rel` declares, and the names noted as missing."""
    repo = _repo(files)
    source = Source(rel, files[rel])
    edges = file_edges(rel, files[rel], repo) + [e for f in registered() for e in f.source_edges(source, repo)]
    assert all(e.source == rel for e in edges)
    return sorted((e.target, e.kind, e.line) for e in edges), [name for _, name, _ in repo.missing]


# --- the tags -------------------------------------------------------------------------------


def test_extends_include_import_from_with_kinds_and_lines():
    files = {
        "templates/portal/page.html": (
            '{% extends "portal/base.html" %}\n'
            "{% include 'partials/tracking.html' %}\n"
            '{% import "macros/forms.html" as forms %}\n'
            '{%- from "macros/cards.html" import card, badge -%}\n'
        ),
        "templates/portal/base.html": "",
        "templates/partials/tracking.html": "",
        "templates/macros/forms.html": "",
        "templates/macros/cards.html": "",
    }
    edges, missing = _edges(files, "templates/portal/page.html")
    assert edges == [
        ("templates/macros/cards.html", "import", 4),
        ("templates/macros/forms.html", "import", 3),
        ("templates/partials/tracking.html", "include", 2),
        ("templates/portal/base.html", "extends", 1),
    ]
    assert missing == []


def test_include_modifiers_django_and_twig():
    files = {
        "templates/page.html": (
            '{% include "a.html" with title="x" only %}\n'
            "{% include 'b.html' with {'x': 1} only %}\n"
            '{% include "c.html" without context %}\n'
        ),
        "templates/a.html": "",
        "templates/b.html": "",
        "templates/c.html": "",
    }
    edges, _ = _edges(files, "templates/page.html")
    assert [e[0] for e in edges] == ["templates/a.html", "templates/b.html", "templates/c.html"]


def test_include_list_renders_the_first_template_that_exists():
    files = {
        "templates/page.html": '{% include ["sidebar_custom.html", "sidebar.html", "other.html"] %}',
        "templates/sidebar.html": "",
        "templates/other.html": "",
    }
    edges, missing = _edges(files, "templates/page.html")
    assert edges == [("templates/sidebar.html", "include", 1)]
    assert missing == []


def test_ignore_missing_is_no_note_and_a_missing_template_is_a_note():
    files = {
        "templates/page.html": (
            '{% include "optional/banner.html" ignore missing %}\n'
            '{% include "partials/gone.html" %}\n'
            '{% include ["x.html", "y.html"] ignore missing with context %}\n'
        ),
    }
    edges, missing = _edges(files, "templates/page.html")
    assert edges == []
    assert missing == ["partials/gone.html"]


def test_variables_and_computed_names_are_skipped_silently():
    files = {
        "templates/page.html": (
            "{% extends base_template %}\n"  # Django / Jinja variable
            '{% include "partials/" ~ name ~ ".html" %}\n'
            "{% include template_name with x=1 %}\n"
            '{% extends request.is_ajax|yesno:"ajax.html,base.html" %}\n'
            '{% include "x" + y %}\n'
        ),
        "templates/base.html": "",
        "templates/ajax.html": "",
    }
    assert _edges(files, "templates/page.html") == ([], [])


def test_a_conditional_extends_may_render_either_layout():
    files = {
        "templates/page.html": '{% extends "ajax.html" if request.xhr else "base.html" %}',
        "templates/base.html": "",
        "templates/ajax.html": "",
    }
    edges, _ = _edges(files, "templates/page.html")
    assert edges == [("templates/ajax.html", "extends", 1), ("templates/base.html", "extends", 1)]


def test_twig_embed_use_include_function_and_namespaces():
    files = {
        "templates/page.html.twig": (
            "{% extends '@App/layout.html.twig' %}\n"
            "{% embed 'teasers/skeleton.html.twig' with {'title': 'x'} %}{% endembed %}\n"
            '{% use "blocks.html.twig" %}\n'
            "{{ include('partials/tracking.html.twig', {user: user}) }}\n"
            "{{ include(['missing.html.twig', 'partials/fallback.html.twig'], ignore_missing = true) }}\n"
            "{{ source('partials/raw.html.twig') }}\n"
            "{{ include('gone.html.twig', ignore_missing = true) }}\n"
        ),
        "templates/layout.html.twig": "",
        "templates/teasers/skeleton.html.twig": "",
        "templates/blocks.html.twig": "",
        "templates/partials/tracking.html.twig": "",
        "templates/partials/fallback.html.twig": "",
        "templates/partials/raw.html.twig": "",
    }
    edges, missing = _edges(files, "templates/page.html.twig")
    assert edges == [
        ("templates/blocks.html.twig", "import", 3),
        ("templates/layout.html.twig", "extends", 1),
        ("templates/partials/fallback.html.twig", "include", 5),
        ("templates/partials/raw.html.twig", "include", 6),
        ("templates/partials/tracking.html.twig", "include", 4),
        ("templates/teasers/skeleton.html.twig", "embed", 2),
    ]
    assert missing == []


def test_nunjucks_relative_names_views_folder_and_custom_component_tags():
    files = {
        "views/pages/home.njk": (
            '{% extends "layouts/site.njk" %}\n'
            '{% include "./partials/hero.njk" %}\n'
            '{% renderFile "../components/card.njk", { title: "x" } %}\n'
            '{% component "components/banner.njk" %}\n'
        ),
        "views/layouts/site.njk": "",
        "views/pages/partials/hero.njk": "",
        "views/components/card.njk": "",
        "views/components/banner.njk": "",
    }
    edges, missing = _edges(files, "views/pages/home.njk")
    assert edges == [
        ("views/components/banner.njk", "component", 4),
        ("views/components/card.njk", "component", 3),
        ("views/layouts/site.njk", "extends", 1),
        ("views/pages/partials/hero.njk", "include", 2),
    ]
    assert missing == []


def test_builtin_tags_with_file_like_strings_are_not_edges():
    files = {
        "templates/page.html": (
            '{% set layout = "ajax.html" %}\n'
            '{% static "docs/index.html" %}\n'
            '{% url "help.html" %}\n'
            '{% trans "see index.html" %}\n'
            '{% with next="base.html" %}{% endwith %}\n'
            '{% cache 500 "sidebar.html" %}{% endcache %}\n'
        ),
        "templates/ajax.html": "",
        "templates/base.html": "",
        "templates/sidebar.html": "",
        "templates/help.html": "",
    }
    assert _edges(files, "templates/page.html") == ([], [])


# --- comments and literal blocks -----------------------------------------------------------


def test_commented_out_includes_are_not_edges():
    files = {
        "templates/page.html": (
            '{# {% include "partials/tracking.html" %} #}\n'
            "{% comment %}\n"
            '  {% include "partials/tracking.html" %}\n'
            "{% endcomment %}\n"
            '{% raw %}{% include "partials/tracking.html" %}{% endraw %}\n'
            '{% verbatim %}{% extends "base.html" %}{% endverbatim %}\n'
        ),
        "templates/partials/tracking.html": "",
        "templates/base.html": "",
    }
    assert _edges(files, "templates/page.html") == ([], [])


def test_whitespace_control_variants():
    files = {
        "templates/page.html": '{%- include "a.html" -%}\n{%+ include "a.html" +%}\n{%~ include "a.html" ~%}\n',
        "templates/a.html": "",
    }
    edges, _ = _edges(files, "templates/page.html")
    assert [line for _, _, line in edges] == [1, 2, 3]


def test_other_engines_are_left_to_their_modules():
    files = {
        "theme/page.liquid": "{% include 'tracking.html' %}",
        "views/page.hbs": '{{> tracking }} {% include "tracking.html" %}',
        "theme/tracking.html": "",
    }
    assert _edges(files, "theme/page.liquid") == ([], [])
    assert _edges(files, "views/page.hbs") == ([], [])


# --- resolution -----------------------------------------------------------------------------


def test_resolution_follows_template_roots_like_django_and_flask():
    repo = _repo({
        "templates/base.html": "",
        "clinic/templates/clinic/portal/base.html": "",
        "clinic/templates/clinic/portal/page.html": "",
        "clinic/templates/base.html": "",
        "billing/templates/billing/invoice.html": "",
        "shop/templates/base.html": "",
        "frontend/html/partials/nav.html": "",
        "clinic/views.py": "",
        "app.py": "",
    })
    page = "clinic/templates/clinic/portal/page.html"
    # the root the including template lives in comes first
    assert resolve_template("base.html", page, repo) == "clinic/templates/base.html"
    assert resolve_template("clinic/portal/base.html", page, repo) == "clinic/templates/clinic/portal/base.html"
    # another app's templates
    assert resolve_template("billing/invoice.html", page, repo) == "billing/templates/billing/invoice.html"
    # a folder with another name (Django DIRS, a Flask template_folder): any path ending with the name
    assert resolve_template("partials/nav.html", page, repo) == "frontend/html/partials/nav.html"
    # from Python: the templates folder beside or above the module
    assert resolve_template("clinic/portal/page.html", "clinic/views.py", repo) == page
    assert resolve_template("base.html", "app.py", repo) == "templates/base.html"
    assert resolve_template("nope.html", page, repo) is None
    assert resolve_template("../../etc/passwd", "templates/base.html", repo) is None


def test_a_name_is_looked_up_under_template_roots_not_anywhere_it_ends_a_path():
    repo = _repo({
        "templates/base.html": "",
        "clinic/templates/clinic/portal/base.html": "",
        "clinic/templates/clinic/public_base.html": "",
    })
    # Django finds "base.html" as <root>/base.html: the project's, not the nearer portal/base.html
    assert resolve_template("base.html", "clinic/templates/clinic/public_base.html", repo) == "templates/base.html"


def test_of_two_candidates_the_closest_to_the_including_file_wins():
    repo = _repo({
        "site_a/templates/partials/analytics.html": "",
        "site_b/templates/partials/analytics.html": "",
        "site_b/pages/home.html": "",
    })
    assert resolve_template("partials/analytics.html", "site_b/pages/home.html", repo) == (
        "site_b/templates/partials/analytics.html"
    )


def test_template_names_parses_the_argument_shapes():
    assert template_names('"a.html" with x only') == ("each", ["a.html"], False)
    assert template_names("'a.html' ignore missing") == ("each", ["a.html"], True)
    assert template_names('["a.html", "b.html"]') == ("first", ["a.html", "b.html"], False)
    assert template_names("base_var") == ("none", [], False)
    assert template_names('"x" ~ y') == ("none", [], False)
    assert template_names('"{{ nested }}"') == ("none", [], False)


# --- Django inclusion tags and Python module links -----------------------------------------

TAGS = '''from django import template

register = template.Library()


@register.inclusion_tag("clinic/includes/chat.html", takes_context=True)
def support_chat(context):
    return {}


def banner():
    return {}


register.inclusion_tag("clinic/includes/banner.html", name="promo_banner")(banner)
'''


def test_inclusion_tags_link_the_template_library_and_its_templates():
    files = {
        "clinic/templatetags/portal_tags.py": TAGS,
        "clinic/templates/clinic/includes/chat.html": "",
        "clinic/templates/clinic/includes/banner.html": "",
        "clinic/templates/clinic/portal/base.html": "{% load static portal_tags %}\n<body>\n{% support_chat %}\n",
        "clinic/templates/clinic/about.html": "{% load portal_tags %}<p>no custom tag used</p>",
        "clinic/templates/clinic/other.html": "{% support_chat %}",  # the library is not loaded
    }
    edges, _ = _edges(files, "clinic/templatetags/portal_tags.py")
    assert ("clinic/templates/clinic/includes/chat.html", "component", 6) in edges
    assert ("clinic/templates/clinic/includes/banner.html", "component", 15) in edges
    edges, _ = _edges(files, "clinic/templates/clinic/portal/base.html")
    assert edges == [("clinic/templatetags/portal_tags.py", "component", 3)]
    assert _edges(files, "clinic/templates/clinic/about.html") == ([], [])
    assert _edges(files, "clinic/templates/clinic/other.html") == ([], [])


def test_python_modules_link_to_what_their_authentication_depends_on():
    files = {
        "clinic/urls.py": (
            "from django.urls import include, path\nfrom . import views\n"
            'urlpatterns = [path("", views.home), path("x/", include("clinic.more_urls"))]\n'
        ),
        "clinic/more_urls.py": "urlpatterns = []\n",
        "clinic/views.py": (
            "from portal.mixins import PortalMixin\nfrom django.views.generic import TemplateView\n"
            "class Records(PortalMixin, TemplateView):\n    template_name = 'x.html'\n"
        ),
        "portal/mixins.py": "class PortalMixin: pass\n",
        "proj/settings.py": (
            'MIDDLEWARE = ["django.contrib.auth.middleware.LoginRequiredMiddleware"]\nROOT_URLCONF = "clinic.urls"\n'
        ),
        "proj/plain_settings.py": 'MIDDLEWARE = []\nROOT_URLCONF = "clinic.urls"\n',
    }
    assert _edges(files, "clinic/urls.py")[0] == [("clinic/more_urls.py", "urlconf", 3), ("clinic/views.py", "import", 3)]
    assert _edges(files, "clinic/views.py")[0] == [("portal/mixins.py", "import", 3)]
    assert _edges(files, "proj/settings.py")[0] == [("clinic/urls.py", "urlconf", 1)]
    assert _edges(files, "proj/plain_settings.py")[0] == []


# --- robustness -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "{% a" * 100000,
        "{% raw %}" * 50000,
        "{{ include('" * 100000,
        '{% include "' + "x" * 100000,
        "{% include " + "[" * 50000 + " %}",
        "{%" + "x" * 500000,
    ],
    ids=["unclosed tags", "unclosed raw", "unclosed include()", "unclosed string", "deep list", "huge tag"],
)
def test_hostile_templates_are_fast_and_quiet(text):
    repo = _repo({"templates/page.html": ""})
    started = time.perf_counter()
    edges = file_edges("templates/page.html", text, repo)
    assert time.perf_counter() - started < 2
    assert edges == []
    assert len(repo.missing) <= 20


def test_missing_notes_are_capped_per_file():
    repo = _repo({"templates/page.html": ""})
    file_edges("templates/page.html", '{% include "gone.html" %}\n' * 500, repo)
    assert len(repo.missing) == 20


# --- end to end -----------------------------------------------------------------------------


def test_a_partial_reaches_the_pages_of_the_layout_that_includes_it(tmp_path):
    write_tree(tmp_path, {
        "app.py": (
            "from flask import Flask, render_template\nfrom flask_login import login_required\n"
            "app = Flask(__name__)\n\n\n@app.route('/area')\n@login_required\ndef area():\n"
            "    return render_template('area/home.html')\n\n\n@app.route('/')\ndef home():\n"
            "    return render_template('index.html')\n"
        ),
        "templates/area/layout.html": '<html><head>{% include "partials/pixel.html" %}</head></html>\n',
        "templates/area/home.html": '{% extends "area/layout.html" %}\n',
        "templates/partials/pixel.html": META_PIXEL,
        "templates/index.html": "<html><body>{# {% include 'partials/pixel.html' %} #}</body></html>\n",
    })
    result = scan_tree(tmp_path)
    assert finding_lines(result, tmp_path) == ["PHI001 templates/partials/pixel.html:6 meta-pixel"]
    finding = result.findings[0]
    assert [r.chain for r in finding.pages] == [
        ("templates/area/home.html", "templates/area/layout.html", "templates/partials/pixel.html")
    ]
