"""The parse of one file into facts, by file kind: the bottom of the per-file engine.

Kept apart from `phi_lint.engine.analyzer` because the tag-manager analysis parses the HTML and
JavaScript of a container's tags with it, and the analyzer in turn calls the tag-manager analysis:
with both in one module they would import each other.
"""

from __future__ import annotations

from phi_lint.parsers.facts import FileFacts


def parse_facts(name: str, text: str, kind: str, packages: frozenset[str], parsed=None) -> FileFacts:
    """The facts of `text` read as a script (kind "script") or as markup (any other kind);
    `parsed` is the file's phi_lint.lang.Source, whose trees are reused when it holds `text`."""
    if kind == "script":
        from phi_lint.parsers.javascript import dialect_for, parse_javascript

        dialect = dialect_for(name)
        script = parsed.script_at(0, len(text), dialect) if parsed is not None and parsed.text is text else None
        return parse_javascript(text, dialect, packages, script=script)
    from phi_lint.parsers.html import parse_markup
    from phi_lint.parsers.template_comments import markup_flavour

    flavour, syntaxes = markup_flavour(name) or ("html", ())
    shared = parsed if parsed is not None and parsed.text is text else None
    facts = parse_markup(text, flavour, syntaxes, packages, source=shared)
    if flavour == "php":  # tags printed from PHP code: wp_enqueue_script('ga', 'https://…'), echo '<script …>'
        from phi_lint.frameworks.wordpress_scripts import php_code_facts

        facts.extend(php_code_facts(text, shared.tree("php") if shared is not None else None))
    return facts
