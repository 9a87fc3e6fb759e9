"""The host classifier (every catalogue host, derived) is built for a page only when the page
holds a Content-Security-Policy to judge: a pre-commit run over pages without one pays nothing."""

from __future__ import annotations

from phi_lint.catalogue import load_catalogue
from phi_lint.discovery import SourceFile
from phi_lint.engine.analyzer import Analyzer

POLICY = ('<meta http-equiv="Content-Security-Policy" '
          'content="script-src \'self\' https://connect.facebook.net">\n<p>page</p>\n')


def test_a_page_without_a_policy_does_not_build_the_classifier():
    analyzer = Analyzer(load_catalogue())
    assert analyzer.csp_sightings(SourceFile("/r/web/a.html", "web/a.html", "markup"), "<p>no policy</p>\n") == []
    assert analyzer._classifier is None


def test_a_page_with_a_policy_is_judged_by_it():
    analyzer = Analyzer(load_catalogue())
    found = analyzer.csp_sightings(SourceFile("/r/web/a.html", "web/a.html", "markup"), POLICY)
    assert [s.vendor_id for s in found] == ["meta-pixel"]
    assert analyzer._classifier is not None
