"""A markup file with a tracker is parsed by html.parser once: the sightings parser and the
data-sent analysis share the tree (they used to build one each, the largest cost of such a file)."""

from __future__ import annotations

import bs4
from helpers import finding_lines, scan_tree, write_tree

PAGE = """{% extends "base.html" %}
{# phi-lint: authenticated #}
{% block content %}
<form><input name="email" id="email"></form>
<script>
!function(f,b,e,v,n,t,s){}(window,document,'script','https://connect.facebook.net/en_US/fbevents.js');
fbq('init', '123456789012345', {em: document.getElementById('email').value});
fbq('track', 'PageView');
</script>
{% endblock %}
"""


def _counted(monkeypatch) -> list[str]:
    parsed: list[str] = []
    original = bs4.BeautifulSoup

    def counting(markup, *args, **kwargs):
        parsed.append(markup)
        return original(markup, *args, **kwargs)

    monkeypatch.setattr(bs4, "BeautifulSoup", counting)
    return parsed


def test_a_tracker_page_is_parsed_once(tmp_path, monkeypatch):
    root = write_tree(tmp_path, {"templates/portal/page.html": PAGE, "templates/base.html": "<html>{% block content %}{% endblock %}</html>"})
    parsed = _counted(monkeypatch)
    result = scan_tree(root, jobs=1, use_cache=False)
    lines = finding_lines(result, root)
    assert any(line.startswith("PHI004") for line in lines), lines  # the data-sent analysis ran on the tree
    assert any(line.startswith("PHI001") for line in lines), lines
    assert sum("fbq('init'" in markup for markup in parsed) == 1, len(parsed)


def test_a_different_text_gets_its_own_tree():
    from phi_lint.parsers.html import soup_of

    first = soup_of("<p id='a'>x</p>")
    assert soup_of("<p id='a'>x</p>") is first  # equal text: the same tree
    second = soup_of("<p id='b'>y</p>")
    assert second is not first and second.find("p")["id"] == "b"
