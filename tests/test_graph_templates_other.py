"""Page-graph edges of Handlebars/Mustache, EJS, Liquid/Jekyll, SSI, GSP, JSP, FreeMarker,
Thymeleaf and local <script src> (phi_lint.pagegraph.templates_other), with the front matter
layouts of phi_lint.frameworks.jekyll (as the scan runs both)."""

from __future__ import annotations

import posixpath
from pathlib import Path

import pytest
from helpers import finding_lines, scan_tree, write_tree

from phi_lint.discovery import classify
from phi_lint.frameworks.jekyll import Jekyll
from phi_lint.lang import Source
from phi_lint.pagegraph.repo import RepoIndex
from phi_lint.pagegraph.templates_other import file_edges, project_edges


def _repo(paths, root: Path = Path("/nonexistent")) -> RepoIndex:
    return RepoIndex(root, {p: classify(posixpath.basename(p)) for p in paths if classify(posixpath.basename(p))})


def edges(page: str, text: str, others=()):
    repo = _repo([page, *others])
    found = [*Jekyll().source_edges(Source(page, text), repo), *file_edges(page, text, repo)]
    return [(e.target, e.kind, e.line) for e in found], repo


def targets(page: str, text: str, others=()):
    found, _ = edges(page, text, others)
    return [(target, kind) for target, kind, _ in found]


# ---------------------------------------------------------------- Handlebars / Mustache


def test_handlebars_partial_in_views_partials():
    got, _ = edges("views/portal/home.hbs", "<h1>x</h1>\n{{> header}}\n", ["views/partials/header.hbs"])
    assert got == [("views/partials/header.hbs", "partial", 2)]


def test_handlebars_partial_with_dots_in_its_name():
    # medusa's typedoc theme: `{{> member.signature-wrapper}}` is partials/member.signature-wrapper.hbs
    others = ["src/resources/partials/member.signature-wrapper.hbs", "src/resources/partials/header.hbs"]
    got, repo = edges("src/resources/partials/member.hbs", "{{> member.signature-wrapper}}\n{{> header.hbs}}\n", others)
    assert got == [(others[0], "partial", 1), (others[1], "partial", 2)] and repo.missing == []


def test_handlebars_partial_forms():
    others = ["views/partials/nav/main.hbs", "views/partials/footer.hbs", "views/partials/tracking.handlebars"]
    text = '{{> "nav/main"}}\n{{~> footer title="x"}}\n{{>tracking}}\n'
    assert targets("views/index.hbs", text, others) == [
        ("views/partials/nav/main.hbs", "partial"),
        ("views/partials/footer.hbs", "partial"),
        ("views/partials/tracking.handlebars", "partial"),
    ]


def test_handlebars_partial_block_is_a_layout():
    got = targets("templates/page.hbs", "{{#> layouts/base}}\n<p>hi</p>\n{{/layouts/base}}", ["templates/partials/layouts/base.hbs"])
    assert got == [("templates/partials/layouts/base.hbs", "layout")]


def test_mustache_partial_next_to_the_page_and_parent():
    others = ["templates/footer.mustache", "templates/base.mustache"]
    text = "{{< base}}{{$content}}<p>x</p>{{/content}}{{/base}}\n{{> footer}}"
    assert targets("templates/index.mustache", text, others) == [
        ("templates/base.mustache", "extends"),
        ("templates/footer.mustache", "partial"),
    ]


def test_handlebars_dynamic_and_partial_block_names_are_skipped():
    got, repo = edges("views/a.hbs", "{{> (lookup . 'which')}}\n{{> (whichPartial)}}\n{{> @partial-block}}\n", [])
    assert got == [] and repo.missing == []


def test_handlebars_commented_partials_are_not_edges():
    text = "{{!-- {{> tracking}} --}}\n{{! > tracking }}\n<!-- {{> tracking}} -->\n"
    got, repo = edges("views/a.hbs", text, ["views/partials/tracking.hbs"])
    assert got == [] and repo.missing == []


def test_ghost_and_express_hbs_declared_layout():
    assert targets("content/themes/casper/post.hbs", "{{!< default}}\n<article></article>", ["content/themes/casper/default.hbs"]) == [
        ("content/themes/casper/default.hbs", "layout")
    ]
    assert targets("views/index.hbs", "{{!< layouts/portal}}", ["views/layouts/portal.hbs"]) == [("views/layouts/portal.hbs", "layout")]


def test_unresolved_partial_is_a_missing_note():
    got, repo = edges("views/a.hbs", "line\n{{> nowhere}}", [])
    assert got == [] and repo.missing == [("views/a.hbs", "nowhere", 2)]


def test_handlebars_syntax_in_an_html_file():
    assert targets("templates/home.html", "{{> tracking}}", ["templates/partials/tracking.html"]) == [
        ("templates/partials/tracking.html", "partial")
    ]


def _project(tmp_path, files):
    write_tree(tmp_path, files)
    repo = RepoIndex(tmp_path, {p: classify(posixpath.basename(p)) for p in files})
    for rel, text in files.items():
        if repo.kind(rel) == "markup":
            file_edges(rel, text, repo)
    return sorted((e.source, e.target, e.kind) for e in project_edges(repo))


def test_express_handlebars_default_layout(tmp_path):
    files = {
        "package.json": '{"dependencies": {"express": "^4", "express-handlebars": "^7"}}',
        "views/layouts/main.handlebars": "{{{body}}}",
        "views/home.handlebars": "<p>home</p>",
        "views/portal/dashboard.handlebars": "<p>dash</p>",
        "views/partials/nav.handlebars": "<nav></nav>",
    }
    assert _project(tmp_path, files) == [
        ("views/home.handlebars", "views/layouts/main.handlebars", "layout"),
        ("views/portal/dashboard.handlebars", "views/layouts/main.handlebars", "layout"),
    ]


def test_no_default_layout_without_the_engine_dependency(tmp_path):
    files = {
        "package.json": '{"dependencies": {"express": "^4"}}',
        "views/layouts/main.handlebars": "{{{body}}}",
        "views/home.handlebars": "<p>home</p>",
    }
    assert _project(tmp_path, files) == []


def test_hbs_and_ejs_layouts_defaults_and_declared_layouts(tmp_path):
    files = {
        "package.json": '{"dependencies": {"hbs": "^4", "express-ejs-layouts": "^2"}}',
        "views/layout.hbs": "{{{body}}}",
        "views/index.hbs": "<p>x</p>",
        "views/special.hbs": "{{!< layouts/special}}<p>x</p>",
        "views/layouts/special.hbs": "{{{body}}}",
        "views/layout.ejs": "<%- body %>",
        "views/account.ejs": "<p>x</p>",
    }
    assert _project(tmp_path, files) == [
        ("views/account.ejs", "views/layout.ejs", "layout"),
        ("views/index.hbs", "views/layout.hbs", "layout"),
    ]


def test_malformed_package_json_gives_no_project_edges(tmp_path):
    assert _project(tmp_path, {"package.json": "{not json", "views/layout.hbs": "x", "views/a.hbs": "y"}) == []


# ---------------------------------------------------------------- EJS


def test_ejs_includes_relative_to_the_file_then_views():
    others = ["views/partials/header.ejs", "views/shared/footer.ejs", "views/partials/nav.ejs"]
    text = (
        "<%- include('partials/header') %>\n"
        "<%- include('../views/shared/footer', { year: 2024 }) %>\n"
        "<% include partials/nav %>\n"
    )
    assert targets("views/index.ejs", text, others) == [
        ("views/partials/header.ejs", "include"),
        ("views/shared/footer.ejs", "include"),
        ("views/partials/nav.ejs", "include"),
    ]


def test_ejs_include_from_a_subfolder_falls_back_to_views():
    assert targets("views/portal/home.ejs", "<%- include('partials/tracking') -%>", ["views/partials/tracking.ejs"]) == [
        ("views/partials/tracking.ejs", "include")
    ]


def test_ejs_comments_and_prose_are_not_includes():
    text = "<%# include('partials/tracking') %>\n<p>Call include('partials/tracking') in a tag</p>\n<!-- <%- include('partials/tracking') %> -->"
    got, repo = edges("views/index.ejs", text, ["views/partials/tracking.ejs"])
    assert got == [] and repo.missing == []


def test_ejs_dynamic_include_is_skipped():
    got, repo = edges("views/index.ejs", "<%- include(`partials/${name}`) %><%- include(partial) %>", [])
    assert got == [] and repo.missing == []


def test_ejs_in_an_html_view():
    assert targets("views/index.html", "<%- include('header.html') %>", ["views/header.html"]) == [("views/header.html", "include")]


# ---------------------------------------------------------------- Liquid, Jekyll, Eleventy


def test_shopify_render_include_section_layout():
    others = ["snippets/product-card.liquid", "snippets/icon.liquid", "sections/header.liquid", "layout/checkout.liquid"]
    text = "{% layout 'checkout' %}\n{% render 'product-card', product: p %}\n{%- include 'icon' -%}\n{% section 'header' %}\n"
    assert targets("templates/product.liquid", text, others) == [
        ("layout/checkout.liquid", "layout"),
        ("snippets/product-card.liquid", "include"),
        ("snippets/icon.liquid", "include"),
        ("sections/header.liquid", "include"),
    ]


def test_shopify_templates_use_the_theme_layout_unless_told_otherwise():
    assert targets("templates/page.liquid", "<h1>{{ page.title }}</h1>", ["layout/theme.liquid"]) == [("layout/theme.liquid", "layout")]
    assert targets("templates/customers/account.liquid", "<p></p>", ["layout/theme.liquid"]) == [("layout/theme.liquid", "layout")]
    assert targets("templates/gift_card.liquid", "{% layout none %}<p></p>", ["layout/theme.liquid"]) == []
    assert targets("snippets/x.liquid", "<p></p>", ["layout/theme.liquid"]) == []


def test_liquid_comments_and_raw_blocks():
    text = "{% comment %}{% render 'tracking' %}{% endcomment %}\n{% raw %}{% render 'tracking' %}{% endraw %}\n{% # render 'tracking' %}"
    got, repo = edges("sections/footer.liquid", text, ["snippets/tracking.liquid"])
    assert got == [] and repo.missing == []


def test_jekyll_include_layout_and_include_relative():
    others = ["docs/_includes/footer.html", "docs/_layouts/default.html", "docs/guide/snippets/note.html"]
    text = "---\ntitle: Guide\nlayout: default\n---\n{% include footer.html param=\"x\" %}\n{% include_relative snippets/note.html %}\n"
    got, _ = edges("docs/guide/index.html", text, others)
    assert got == [
        ("docs/_layouts/default.html", "layout", 3),
        ("docs/_includes/footer.html", "include", 5),
        ("docs/guide/snippets/note.html", "include", 6),
    ]


def test_jekyll_layout_chain_and_null_layout():
    assert targets("_layouts/post.html", "---\nlayout: default\n---\n{{ content }}", ["_layouts/default.html"]) == [
        ("_layouts/default.html", "layout")
    ]
    assert targets("index.html", "---\nlayout: null\n---\n<p></p>", ["_layouts/null.html"]) == []
    assert targets("index.html", "<p>layout: default</p>", ["_layouts/default.html"]) == []


def test_eleventy_layout_in_includes():
    assert targets("src/about.njk", "---\nlayout: layouts/base.njk\n---\n<p></p>", ["src/_includes/layouts/base.njk"]) == [
        ("src/_includes/layouts/base.njk", "layout")
    ]


def test_jinja_style_include_in_html_is_left_to_the_jinja_extractor():
    # `{% include %}` in .html is Jinja's too: only Jekyll's _includes/ is tried here, and no note
    got, repo = edges("templates/index.html", '{% include "partials/nav.html" %}', ["templates/partials/nav.html"])
    assert got == [] and repo.missing == []


def test_dynamic_liquid_include_is_skipped():
    got, repo = edges("index.html", "{% include {{ page.widget }} %}", [])
    assert got == [] and repo.missing == []


# ---------------------------------------------------------------- SSI


def test_ssi_virtual_and_file():
    others = ["site/includes/header.html", "site/about/footer.html"]
    text = '<!--#include virtual="/includes/header.html" -->\n<p></p>\n<!--#include file="footer.html" -->\n'
    assert targets("site/about/team.shtml", text, others) == [
        ("site/includes/header.html", "include"),
        ("site/about/footer.html", "include"),
    ]


def test_ssi_remote_and_missing():
    got, repo = edges("index.shtml", '<!--#include virtual="http://x.example/a.html" -->\n<!--#include virtual="/ssi/nav.html" -->', [])
    assert got == [] and repo.missing == [("index.shtml", "/ssi/nav.html", 2)]


# ---------------------------------------------------------------- Grails GSP, JSP


GSP_OTHERS = [
    "grails-app/views/portal/_nav.gsp",
    "grails-app/views/shared/_footer.gsp",
    "grails-app/views/layouts/main.gsp",
    "grails-app/views/layouts/portal.gsp",
]


def test_gsp_render_template_and_meta_layout():
    text = (
        "<html><head>\n<meta name=\"layout\" content=\"main\"/>\n</head><body>\n"
        "<g:render template=\"nav\" model=\"[a: 1]\"/>\n<g:render template=\"/shared/footer\"/>\n</body></html>"
    )
    got, _ = edges("grails-app/views/portal/index.gsp", text, GSP_OTHERS)
    assert got == [
        ("grails-app/views/portal/_nav.gsp", "partial", 4),
        ("grails-app/views/shared/_footer.gsp", "partial", 5),
        ("grails-app/views/layouts/main.gsp", "layout", 2),
    ]


def test_gsp_layout_attribute_order_and_apply_layout():
    assert targets("grails-app/views/portal/a.gsp", '<meta content="portal" name="layout">', GSP_OTHERS) == [
        ("grails-app/views/layouts/portal.gsp", "layout")
    ]
    assert targets("grails-app/views/portal/b.gsp", '<g:applyLayout name="main"><p/></g:applyLayout>', GSP_OTHERS) == [
        ("grails-app/views/layouts/main.gsp", "layout")
    ]


def test_gsp_comments_and_other_meta_tags():
    text = '%{-- <g:render template="nav"/> --}%\n<%-- <meta name="layout" content="main"/> --%>\n<meta name="viewport" content="main">'
    got, repo = edges("grails-app/views/portal/c.gsp", text, GSP_OTHERS)
    assert got == [] and repo.missing == []


def test_jsp_includes():
    others = ["src/main/webapp/WEB-INF/views/common/header.jsp", "src/main/webapp/WEB-INF/views/portal/footer.jsp"]
    text = '<%@ include file="/WEB-INF/views/common/header.jsp" %>\n<jsp:include page="footer.jsp"/>\n<%-- <jsp:include page="old.jsp"/> --%>'
    assert targets("src/main/webapp/WEB-INF/views/portal/home.jsp", text, others) == [
        ("src/main/webapp/WEB-INF/views/common/header.jsp", "include"),
        ("src/main/webapp/WEB-INF/views/portal/footer.jsp", "include"),
    ]


# ---------------------------------------------------------------- FreeMarker, Thymeleaf


def test_freemarker_include_and_import():
    base = "src/main/resources/templates/"
    others = [base + "common/header.ftlh", base + "portal/lib/macros.ftl", base + "portal/footer.ftl"]
    text = '<#include "/common/header.ftlh">\n<#import "lib/macros.ftl" as m>\n[#include "footer.ftl"]\n<#-- <#include "old.ftl"> -->'
    assert targets(base + "portal/home.ftlh", text, others) == [
        (base + "common/header.ftlh", "include"),
        (base + "portal/lib/macros.ftl", "import"),
        (base + "portal/footer.ftl", "include"),
    ]


def test_thymeleaf_fragments_and_layout_dialect():
    base = "src/main/resources/templates/"
    others = [base + "fragments/analytics.html", base + "fragments/footer.html", base + "layouts/main.html"]
    text = (
        '<html layout:decorate="~{layouts/main}">\n<head th:replace="~{fragments/analytics :: ga}"></head>\n'
        '<div th:insert="fragments/footer :: footer"></div>\n<div th:replace="~{::local}"></div>\n'
        '<!--/* <div th:replace="~{fragments/old :: x}"></div> */-->'
    )
    assert targets(base + "portal/dashboard.html", text, others) == [
        (base + "layouts/main.html", "layout"),
        (base + "fragments/analytics.html", "include"),
        (base + "fragments/footer.html", "include"),
    ]


# ---------------------------------------------------------------- <script src>


@pytest.mark.parametrize(
    "page,src,target",
    [
        ("views/portal/a.njk", "/js/app.js", "public/js/app.js"),
        ("site/index.html", "js/app.js", "site/js/app.js"),
        ("site/about/index.html", "../js/app.js", "site/js/app.js"),
        ("site/about/index.html", "/js/app.js", "site/js/app.js"),
        ("templates/a.html", "/static/js/app.js?v=3", "static/js/app.js"),
        ("src/main/resources/templates/a.html", "/js/app.js", "src/main/resources/static/js/app.js"),
        ("app/views/layouts/a.html.erb", "/javascripts/app.js", "app/assets/javascripts/javascripts/app.js"),
        ("index.html", "/src/main.ts", "src/main.ts"),
    ],
)
def test_local_script_src(page, src, target):
    assert targets(page, f'<script defer src="{src}"></script>', [target]) == [(target, "script-src")]


def test_flask_and_django_static_script_src():
    assert targets("templates/base.html", "<script src=\"{{ url_for('static', filename='js/track.js') }}\"></script>", ["static/js/track.js"]) == [
        ("static/js/track.js", "script-src")
    ]
    assert targets("clinic/templates/base.html", "{% load static %}<script src=\"{% static 'js/track.js' %}\"></script>", ["clinic/static/js/track.js"]) == [
        ("clinic/static/js/track.js", "script-src")
    ]


def test_remote_templated_and_commented_scripts_are_not_edges():
    text = (
        '<script src="https://www.googletagmanager.com/gtag/js?id=G-X"></script>\n'
        '<script src="//cdn.example.com/js/app.js"></script>\n'
        '<script src="<%= asset_path %>"></script>\n<script src="{{ bundle }}"></script>\n'
        '<!-- <script src="/js/app.js"></script> -->\n<script>var src = "/js/app.js";</script>\n'
    )
    got, repo = edges("index.html", text, ["public/js/app.js", "js/app.js"])
    assert got == [] and repo.missing == []


def test_unresolved_local_script_is_a_missing_note():
    got, repo = edges("index.html", "<p></p>\n<script src=\"/dist/bundle.js\"></script>", [])
    assert got == [] and repo.missing == [("index.html", "/dist/bundle.js", 2)]


# script tags that a PHP page builds in a string (seen in lh-ehr): the value is computed when the
# page runs, so it is neither an edge nor a missing file
@pytest.mark.parametrize("src", [
    '\\"". $webroot ."/library/js/x.js\\"',  # echo "<script src=\"". $webroot ."/x.js\"></script>";
    "\"'.$params['src'].'\"",  # '<script src="'.$params['src'].'"></script>'
    "\"'. $base .'js/ofc.js\"",
    "\"{php}echo $GLOBALS['webroot'];{/php}/library/js/x.js\"",  # Smarty
    '"{$template_dir}/js/x.js"',
    '"$srcdir/js/x.js"',
])
def test_script_src_built_at_run_time_is_neither_edge_nor_note(src):
    got, repo = edges("interface/education.php", f"<?php\necho \"<script src={src}></script>\";\n",
                      ["library/js/x.js", "interface/js/x.js"])
    assert got == [] and repo.missing == []


def test_script_src_with_escaped_quotes_in_a_code_string_is_an_edge():
    text = '<?php\necho "<script type=\\"text/javascript\\" src=\\"/library/js/x.js\\"></script>";\n'
    assert targets("index.php", text, ["library/js/x.js"]) == [("library/js/x.js", "script-src")]
    got, repo = edges("index.php", text.replace("x.js", "gone.js"), [])
    assert got == [] and repo.missing == [("index.php", "/library/js/gone.js", 2)]


def test_script_src_of_an_excluded_file_is_not_a_missing_note(tmp_path):
    # lh-ehr: `*.min.js` is excluded by default, yet the file is in the repository
    (tmp_path / "library/js").mkdir(parents=True)
    (tmp_path / "library/js/jquery-1.9.1.min.js").write_text("/* jQuery */\n")
    page = "interface/main/a.php"
    text = '<script src="../../library/js/jquery-1.9.1.min.js"></script>\n<script src="../../library/js/gone.min.js"></script>\n'
    repo = _repo([page], tmp_path)
    assert file_edges(page, text, repo) == []
    assert repo.missing == [(page, "../../library/js/gone.min.js", 2)]


def test_a_link_to_a_file_outside_the_tree_is_not_taken_to_be_there(tmp_path):
    # the disk is asked without following links: a link (to a file or through a folder) that
    # leads out of the tree says nothing of the repository, so the missing note stays
    outside = tmp_path / "outside"
    (outside / "js").mkdir(parents=True)
    (outside / "js" / "real.min.js").write_text("x\n")
    root = tmp_path / "repo"
    (root / "static").mkdir(parents=True)
    (root / "static" / "file.min.js").symlink_to(outside / "js" / "real.min.js")
    (root / "static" / "dir").symlink_to(outside / "js", target_is_directory=True)
    (root / "static" / "here.min.js").write_text("x\n")
    page = "a.html"
    text = ('<script src="/static/file.min.js"></script>\n<script src="/static/dir/real.min.js"></script>\n'
            '<script src="/static/here.min.js"></script>\n')
    repo = _repo([page], root)
    assert file_edges(page, text, repo) == []
    assert repo.missing == [(page, "/static/file.min.js", 1), (page, "/static/dir/real.min.js", 2)]


def test_not_a_markup_file_and_odd_input():
    repo = _repo(["app.js", "index.html"])
    assert file_edges("app.js", '<script src="/x.js"></script>', repo) == []
    assert file_edges("index.html", "", repo) == []
    deep = "{{#> a}}" * 20000 + "<script src=" * 5000 + "{% include " * 5000 + "<!--#include virtual=" * 2000
    assert isinstance(file_edges("index.html", deep, repo), list)
    assert isinstance(file_edges("index.html", "\x00\ufffd<script src='\udcff'>", repo), list)


# ---------------------------------------------------------------- through a whole scan


HOTJAR = """(function(h,o,t,j,a,r){
    h.hj=h.hj||function(){(h.hj.q=h.hj.q||[]).push(arguments)};
    h._hjSettings={hjid:3481726,hjsv:6};
    a=o.getElementsByTagName('head')[0];
    r=o.createElement('script');r.async=1;
    r.src=t+h._hjSettings.hjid+j+h._hjSettings.hjsv;
    a.appendChild(r);
})(window,document,'https://static.hotjar.com/c/hotjar-','.js?sv=');
"""


def test_scan_carries_script_src_and_partials_to_a_tagged_page(tmp_path):
    write_tree(
        tmp_path,
        {
            "views/portal/home.hbs": "{{!-- phi-lint: authenticated --}}\n{{> tracking}}\n<script src=\"/js/replay.js\"></script>\n",
            "views/partials/tracking.hbs": "<script async src=\"https://www.googletagmanager.com/gtag/js?id=G-AB12CD34EF\"></script>\n",
            "public/js/replay.js": HOTJAR,
            "views/about.hbs": "<p>about</p>\n<script src=\"/js/other.js\"></script>\n",
            "public/js/other.js": "// nothing here\n",
        },
    )
    result = scan_tree(tmp_path)
    lines = finding_lines(result, tmp_path)
    assert "PHI001 views/partials/tracking.hbs:1 google-analytics" in lines
    assert any(line.startswith("PHI003 public/js/replay.js:") and line.endswith("hotjar") for line in lines)


def test_every_comment_opener_has_a_letter_free_leading_literal():
    # blank_comments skips an opener whose leading literal is not in the text (a plain,
    # case-sensitive `in`): that is only right when the literal is non-empty and has no letters
    from phi_lint.dialects import table
    from phi_lint.pagegraph.templates_other import blank_template_comments
    from phi_lint.parsers.template_comments import leading_literal

    for forms in table().comment_forms.values():
        for form in forms:
            literal = leading_literal(form.open)
            assert literal and not any(c.isalpha() for c in literal), form.open
    text = "a {# x #} b {% COMMENT %}y{% endcomment %} c <!-- z --> d"
    blanked = blank_template_comments(text, ("html", "jinja", "liquid"))
    assert blanked.split() == ["a", "b", "c", "d"] and len(blanked) == len(text)
    assert blank_template_comments("no comments {{ x }}", ("html", "jinja", "liquid")) == "no comments {{ x }}"


def test_a_rooted_or_relative_include_resolves_without_an_includes_folder(tmp_path):
    # `{% include /x %}` and `../x` normalise out of `_includes/`: no shortcut may skip them
    from helpers import scan_tree, write_tree

    gtag = "<script>gtag('config', 'G-ABCD123456');</script>\n"
    write_tree(tmp_path, {
        "partials/head.html": gtag,
        "patient/results.html": "{# phi-lint: authenticated #}\n{% include /partials/head.html %}\n",
        "patient/history.html": "{# phi-lint: authenticated #}\n{% include ../partials/head.html %}\n",
    })
    result = scan_tree(tmp_path)
    [finding] = [f for f in result.findings if f.sighting.path == "partials/head.html"]
    assert finding.rule_id == "PHI001"
    assert {r.page for r in finding.pages} >= {"patient/results.html", "patient/history.html"}
