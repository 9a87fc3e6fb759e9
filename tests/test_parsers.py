"""Parser details that the vendor cases rely on: positions, embedded code, imports."""

from __future__ import annotations

import pytest

from phi_lint.engine.analyzer import sightings_in_text
from phi_lint.parsers.template_comments import blank_comments


def _found(analyzer, name, text):
    sightings, _ = sightings_in_text(name, text, analyzer)
    return [(s.vendor_id, s.span.line, s.span.column, s.kind) for s in sightings]


def test_positions_after_non_ascii_text(analyzer):
    text = "// Patientenportal – Übersicht 🩺\nconst ü = 'ä'; fbq('init', '123456789012345');\n"
    assert _found(analyzer, "a.js", text) == [("meta-pixel", 2, 16, "call")]


def test_script_body_positions_map_to_the_host_file(analyzer):
    text = "<html>\n<head>\n  <title>Ü</title>\n  <script>\n    var a = 1;\n    fbq('init', '123456789012345');\n  </script>\n"
    assert _found(analyzer, "p.html", text) == [("meta-pixel", 6, 5, "inline-script")]


def test_template_comments_are_blanked_without_moving_code():
    text = "{# <script>fbq()</script>\n #}<p>x</p>"
    blanked = blank_comments(text, ("jinja",))
    assert len(blanked) == len(text) and blanked.count("\n") == 1 and "fbq" not in blanked


def test_ld_json_and_template_scripts_are_not_code(analyzer):
    text = (
        '<script type="application/ld+json">{"url": "https://connect.facebook.net/en_US/fbevents.js"}</script>\n'
        '<script type="text/template"><script>fbq("init", "123456789012345")</script></script>\n'
    )
    assert _found(analyzer, "p.html", text) == []


def test_inline_event_handler(analyzer):
    text = '<button class="btn" onclick="fbq(\'track\', \'Lead\')">Book</button>\n'
    assert _found(analyzer, "p.html", text) == [("meta-pixel", 1, 30, "inline-script")]


def test_next_script_body_and_dangerously_set_inner_html(analyzer):
    text = (
        "import Script from 'next/script';\n"
        "export function Pixel() {\n"
        "  return (<>\n"
        "    <Script id=\"fb\">{`\n"
        "      fbq('init', '${process.env.PIXEL}');\n"
        "    `}</Script>\n"
        "    <noscript dangerouslySetInnerHTML={{ __html: '<img src=\"https://www.facebook.com/tr?id=1&ev=PageView\" />' }} />\n"
        "  </>);\n"
        "}\n"
    )
    found = _found(analyzer, "Pixel.jsx", text)
    assert found == [("meta-pixel", 5, 7, "inline-script")]  # the img two lines later merges into it


def test_document_write_markup(analyzer):
    text = "document.write('<script src=\"https://connect.facebook.net/en_US/fbevents.js\"></script>');\n"
    assert _found(analyzer, "legacy.js", text) == [("meta-pixel", 1, 17, "script")]


@pytest.mark.parametrize(
    "code",
    [
        "import mixpanel from 'mixpanel-browser';\nmixpanel.init('0123456789abcdef0123456789abcdef');\n",
        "const mixpanel = require('mixpanel-browser');\nmixpanel.init('0123456789abcdef0123456789abcdef');\n",
        "import * as mp from 'mixpanel-browser';\nmp.init('0123456789abcdef0123456789abcdef');\n",
    ],
    ids=["default import", "require", "namespace import"],
)
def test_sdk_import_plus_use(analyzer, code):
    assert [f[:2] for f in _found(analyzer, "a.ts", code)] == [("mixpanel", 2)]


def test_sdk_import_without_use_is_not_a_sighting(analyzer):
    code = "import mixpanel from 'mixpanel-browser';\nexport const x = 1;\n"
    assert _found(analyzer, "a.ts", code) == []


def test_jsx_component_of_wrapper_package(analyzer):
    code = (
        "import { GoogleAnalytics as GA } from '@next/third-parties/google';\n"
        "export default function Layout({ children }) {\n"
        "  return <html><body>{children}<GA gaId=\"G-ABCD123456\" /></body></html>;\n"
        "}\n"
    )
    assert _found(analyzer, "layout.tsx", code) == [("google-analytics", 3, 32, "component")]


def test_vue_script_setup_typescript(analyzer):
    code = (
        "<template><h1>Records</h1></template>\n"
        "<script setup lang=\"ts\">\n"
        "import mixpanel from 'mixpanel-browser';\n"
        "const id: string = 'x';\n"
        "mixpanel.track('Viewed records');\n"
        "</script>\n"
    )
    assert [f[:2] for f in _found(analyzer, "Records.vue", code)] == [("mixpanel", 5)]


def test_astro_front_matter(analyzer):
    code = "---\nimport posthog from 'posthog-js';\nposthog.init('phc_abc');\n---\n<h1>Hi</h1>\n"
    assert [f[:2] for f in _found(analyzer, "index.astro", code)] == [("posthog", 3)]


def test_comments_and_prose_are_never_sightings(analyzer):
    js = "// fbq('init', '123456789012345');\n/* <script src=\"https://connect.facebook.net/en_US/fbevents.js\"> */\nconst csp = \"script-src 'self' https://connect.facebook.net\";\n"
    assert _found(analyzer, "a.js", js) == []
    html = '<p>We removed the Meta Pixel (fbq) from connect.facebook.net/en_US/fbevents.js.</p>\n<a href="https://www.facebook.com/clinic">Facebook</a>\n'
    assert _found(analyzer, "a.html", html) == []
