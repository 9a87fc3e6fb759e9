"""Scripts a WordPress theme or plugin loads by URL: `wp_enqueue_script('gtag',
'https://www.googletagmanager.com/gtag/js?id=G-…')` (and `wp_register_script`) print a
`<script src>` into every page that calls wp_head() / wp_footer(). The src argument is a URL fact
of context "script", so the catalogue reads it as it reads a script tag; the pages it reaches
come from the hook edges of phi_lint.frameworks.wordpress. The loader names are data
(rules/frameworks/wordpress.toml `script-loaders`).
"""

from __future__ import annotations

from phi_lint import frameworks_data
from phi_lint.lang.php import arguments, nodes, string_value
from phi_lint.lang.treesitter import parse, text
from phi_lint.parsers.facts import FileFacts, UrlFact
from phi_lint.parsers.offsets import ByteToChar

FRAMEWORK = "wordpress"
SRC_ARGUMENT = 1  # (handle, src, deps, ver, in_footer)


def script_loader_facts(text_: str, tree=None) -> FileFacts:
    """The URL facts of a PHP file's script loader calls (empty unless one is named in it)."""
    facts = FileFacts()
    loaders = frameworks_data.names(FRAMEWORK, "script-loaders")
    if not any(name in text_ for name in loaders):
        return facts
    tree = tree if tree is not None else parse(text_, "php")
    if tree is None:
        return facts
    to_char = ByteToChar(text_)
    wanted = set(loaders)
    for call in nodes(tree.root_node, ("function_call_expression",)):
        function = call.child_by_field_name("function")
        if function is None or text(function).lstrip("\\") not in wanted:
            continue
        args = arguments(call)
        named = {argument.name: argument.value for argument in args if argument.name}
        src = named.get("src", args[SRC_ARGUMENT].value if len(args) > SRC_ARGUMENT and not args[SRC_ARGUMENT].name else None)
        url = string_value(src)
        if url and "//" in url:
            facts.urls.append(UrlFact(url.strip(), to_char(call.start_byte), to_char(call.end_byte), "script"))
    return facts
