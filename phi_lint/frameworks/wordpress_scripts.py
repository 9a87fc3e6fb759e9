"""Tags a PHP file prints from its code rather than from its HTML, read as the HTML they are:

- scripts a WordPress theme or plugin loads by URL: `wp_enqueue_script('gtag',
  'https://www.googletagmanager.com/gtag/js?id=G-…')` (and `wp_register_script`) print a
  `<script src>` into every page that calls wp_head() / wp_footer(). The src argument is a URL fact
  of context "script", so the catalogue reads it as it reads a script tag;
- HTML in a string literal that is echoed (`echo '<script async src="…"></script>';`, often in
  an `add_action('wp_head', …)` callback) or stored in an option that Insert Headers and Footers /
  WPCode prints on every page (`update_option('ihaf_insert_header', '<script …>')`): the string is
  parsed as markup where it is written.

The pages these reach come from the hook edges of phi_lint.frameworks.wordpress. The names are
data (rules/frameworks/wordpress.toml `script-loaders`, `header-script-options`, `option-setters`).
"""

from __future__ import annotations

from phi_lint import frameworks_data
from phi_lint.lang.php import arguments, nodes, string_value
from phi_lint.lang.treesitter import parse, text
from phi_lint.parsers.facts import FileFacts, UrlFact
from phi_lint.parsers.offsets import ByteToChar

FRAMEWORK = "wordpress"
SRC_ARGUMENT = 1  # (handle, src, deps, ver, in_footer)


MARKUP_HINTS = ("<script", "<img", "<iframe", "<noscript")


def php_code_facts(text_: str, tree=None) -> FileFacts:
    """The facts of the tags a PHP file prints from its code (empty unless it names a loader or
    echoes a tag)."""
    facts = FileFacts()
    loaders = frameworks_data.names(FRAMEWORK, "script-loaders")
    has_loader = any(name in text_ for name in loaders)
    has_markup = any(hint in text_ for hint in MARKUP_HINTS)
    if not has_loader and not has_markup:
        return facts
    tree = tree if tree is not None else parse(text_, "php")
    if tree is None:
        return facts
    to_char = ByteToChar(text_)
    if has_markup:
        _string_markup(tree, to_char, facts)
    if has_loader:
        _loader_urls(tree, to_char, set(loaders), facts)
    return facts


def _printed_strings(tree) -> list:
    """The string literals a file echoes or stores in a header-script option."""
    options = set(frameworks_data.names(FRAMEWORK, "header-script-options"))
    setters = set(frameworks_data.names(FRAMEWORK, "option-setters"))
    found = []
    for node in nodes(tree.root_node, ("echo_statement", "print_intrinsic", "function_call_expression")):
        if node.type == "function_call_expression":
            function = node.child_by_field_name("function")
            args = arguments(node)
            if function is None or text(function).lstrip("\\") not in setters or len(args) < 2 \
                    or string_value(args[0].value) not in options:
                continue
            found.append(args[1].value)
        else:
            found.extend(child for child in node.named_children if child.type in ("string", "encapsed_string"))
    return found


def _string_markup(tree, to_char, facts: FileFacts) -> None:
    from phi_lint.parsers.html import parse_markup

    for node in _printed_strings(tree):
        value = string_value(node)
        if not value or "<" not in value or node.child_count < 2:
            continue
        inner_start = to_char(node.children[0].end_byte)  # after the opening quote
        raw = text(node)[1:-1]
        if raw != value:
            continue  # escapes change offsets: not worth the mapping for an echoed tag
        facts.extend(parse_markup(value, "html").shifted(inner_start))


def _loader_urls(tree, to_char, wanted: set[str], facts: FileFacts) -> None:
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
