"""Markup written inside server code: the string literals of a Go or Elixir file, and Elixir's
markup sigils (`~H` heredocs of HEEx, `~E` / `~L` EEx, `~F` Surface), as one text the markup stages
can read.

A Go handler that writes `<script src="https://www.googletagmanager.com/…">` with `fmt.Fprint`,
a `const analytics = \\`<script>…</script>\\`` and a LiveView whose `render(assigns)` returns `~H`
all hold page markup in code. The *view* of such a file keeps every character of those literals'
contents where it stands and turns everything else into spaces (line ends are kept): the lines
and columns of the view are the file's, so a tracker found in it is reported at its real line.
Escapes keep their place too: `\\"` becomes ` "` (the quote an attribute needs), other escapes
become spaces. Interpolations (`#{…}`) and documentation strings (`@moduledoc`, `@doc`) are left
out, like comments.
"""

from __future__ import annotations

from collections.abc import Iterator

from phi_lint.lang.treesitter import descendants, encode, language_of, text

LANGUAGES = ("go", "elixir")
CONTENT_TYPES = {
    "go": ("interpreted_string_literal_content", "raw_string_literal_content"),
    "elixir": ("quoted_content",),
}
STRING_TYPES = {
    "go": ("interpreted_string_literal", "raw_string_literal"),
    "elixir": ("string", "sigil"),
}
# Elixir sigils whose content is markup or a plain string (~r regexes, ~w word lists are not)
MARKUP_SIGILS = frozenset({"H", "E", "L", "F", "s", "S"})
DOC_ATTRIBUTES = frozenset({"moduledoc", "doc", "typedoc", "shortdoc"})
KEPT_ESCAPES = {b'\\"': b' "', b"\\'": b" '", b"\\\\": b" \\", b"\\/": b" /"}
MAX_NODES = 200_000
_BLANK = bytes(byte if byte in (10, 13) else 32 for byte in range(256))  # bytes.translate table


def may_hold_markup(rel: str, content: str) -> bool:
    """The cheap first test: a Go or Elixir file with a `<` somewhere."""
    return language_of(rel) in LANGUAGES and "<" in content


def markup_view(source) -> str | None:
    """The file's literal contents at their places, everything else blank; None when the file
    is not Go or Elixir, cannot be parsed, or holds no literal with a `<`."""
    language = language_of(source.rel)
    if language not in LANGUAGES or "<" not in source.text:
        return None
    tree = source.tree(language)
    if tree is None:
        return None
    data = encode(source.text)
    view = bytearray(data.translate(_BLANK))
    kept = False
    for literal in literals(tree, language):
        if b"<" not in (literal.text or b""):
            continue
        kept = True
        for part in literal.children:
            if part.type in CONTENT_TYPES[language]:
                view[part.start_byte:part.end_byte] = data[part.start_byte:part.end_byte]
            elif part.type == "escape_sequence":
                written = data[part.start_byte:part.end_byte]
                view[part.start_byte:part.end_byte] = KEPT_ESCAPES.get(written, written.translate(_BLANK))
    return view.decode("utf-8", "replace") if kept else None


def literals(tree, language: str) -> Iterator:
    """The string literals (and, in Elixir, the markup and string sigils) of a tree, in order;
    Elixir documentation strings are left out."""
    for node in descendants(tree.root_node, STRING_TYPES[language], MAX_NODES):
        if language == "elixir" and (_documentation(node) or (node.type == "sigil" and sigil_name(node) not in MARKUP_SIGILS)):
            continue
        yield node


def sigil_name(node) -> str:
    name = next((child for child in node.children if child.type == "sigil_name"), None)
    return text(name) if name is not None else ""


def _documentation(node) -> bool:
    """`@moduledoc` heredocs: a string argument of a documentation attribute."""
    arguments = node.parent
    call = arguments.parent if arguments is not None and arguments.type == "arguments" else None
    if call is None or call.type != "call" or call.parent is None or call.parent.type != "unary_operator":
        return False
    target = call.child_by_field_name("target")
    return target is not None and text(target) in DOC_ATTRIBUTES


def view_ending(rel: str) -> str:
    """The ending a view is read as: HEEx for Elixir (its sigils' comments and tags), HTML for Go."""
    return ".heex" if language_of(rel) == "elixir" else ".html"


def may_render_markup(rel: str) -> bool:
    """Whether a code file may be a page: Go or Elixir, whose literals the markup stages read."""
    return language_of(rel) in LANGUAGES
