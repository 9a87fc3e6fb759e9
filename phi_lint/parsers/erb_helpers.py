"""Rails view helpers that write a `<script>` element, read as the element they write.

`<%= javascript_tag do %> … <% end %>` and `<%= javascript_tag "…" %>` put their body in an
inline script; `<%= javascript_include_tag "https://…" %>` and `javascript_pack_tag` with an
external URL load that URL. Written as Ruby inside ERB tags they are invisible to the markup
parser, so an analytics snippet or a Tealium / gtag loader written through them gave nothing.
Each is turned here, when the file is read (phi_lint/parsers/indented.py `markup_text`, so every
stage reads the same text), into the HTML it renders, on the same lines and starting at the
column of the helper:

- a `javascript_tag … do` opener becomes `<script>` and its matching `<% end %>` `</script>`
  (both padded with spaces to their old length, so the body keeps its columns);
- `javascript_tag "…"` becomes `<script>` + the string's text at its old column + `</script>`;
- a loader's external URLs become `<script src="…"></script>` elements placed before the tag,
  which is kept (its local names are the Rails module's page-graph edges).

Haml and Slim views reach this as the ERB they are converted to. The helper names are data
(rules/frameworks/rails.toml `script-helpers`, `loader-helpers`).
"""

from __future__ import annotations

import re

from phi_lint import frameworks_data
from phi_lint.lazyre import lazy_pattern

MAX_TAGS = 5_000  # ERB tags read per file after a helper was found (hostile input stays bounded)
_ERB_TAG = lazy_pattern(r"<%(?![#%])(=|-)?(.*?)-?%>", re.DOTALL)
_STRING = lazy_pattern(r""""((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'""", re.DOTALL)
_EXTERNAL = lazy_pattern(r"(?:https?:)?//[^\s\"'<>]+\Z", re.IGNORECASE)
_BLOCK_OPENS = lazy_pattern(r"^(?:if|unless|case|while|until|for|begin)\b|\bdo\s*(?:\|[^|]*\|\s*)?\Z")
_BLOCK_ENDS = lazy_pattern(r"^end\b")
_ESCAPE = lazy_pattern(r"\\([\"'\\])")


def _helpers(key: str) -> tuple[str, ...]:
    return frameworks_data.names("rails", key)


def may_hold_helpers(text: str) -> bool:
    """The cheap gate: whether a helper name occurs in the text at all."""
    return any(name in text for name in (*_helpers("script-helpers"), *_helpers("loader-helpers")))


def rewrite_helpers(text: str, clean: str | None = None) -> str:
    """`text` (ERB) with the script helpers written as the HTML they render, line for line;
    `clean` is the same text with its comments blanked (same length), where helpers are looked
    for, so that a commented-out helper stays a comment and the comments themselves (inline
    `phi-lint:` tags and suppressions) stay for the stages that read them."""
    clean = text if clean is None else clean
    if len(clean) != len(text) or not may_hold_helpers(clean):
        return text
    tags = _tags(clean)
    script, loader = _script_shape(), _loader_shape()
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement), in order, not overlapping
    for index, (start, _end, code_start, code) in enumerate(tags):
        found = script.match(code)
        if found:
            edits.extend(_script_edits(text, tags, index, code_start + found.end()))
            continue
        found = loader.match(code)
        if found:
            urls = _external_urls(code[found.end() :])
            if urls:
                edits.append((start, start, "".join(f'<script src="{url}"></script>' for url in urls)))
    return _apply(text, edits)


@frameworks_data.derived
def _script_shape() -> re.Pattern:
    return _call_shape(_helpers("script-helpers"))


@frameworks_data.derived
def _loader_shape() -> re.Pattern:
    return _call_shape(_helpers("loader-helpers"))


def _call_shape(names: tuple[str, ...]) -> re.Pattern:
    """A helper call at the start of a tag's code: `name`, `name(` or `name "…"`."""
    return re.compile(r"\s*(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w?!])\s*\(?\s*")


Tag = tuple[int, int, int, str]  # start, end, start of the code, the Ruby code


def _tags(text: str) -> list[Tag]:
    """Every ERB code tag (not comments)."""
    out = []
    for match in _ERB_TAG.finditer(text):
        out.append((match.start(), match.end(), match.start(2), match.group(2)))
        if len(out) >= MAX_TAGS:
            break
    return out


def _script_edits(text: str, tags: list[Tag], index: int, args_start: int) -> list[tuple[int, int, str]]:
    """A javascript_tag block (opener and end) or string (the whole tag) as a script element."""
    start, end, _, code = tags[index]
    if _BLOCK_OPENS.search(code.strip()) and "do" in code:
        closer = _matching_end(tags, index)
        if closer is None:
            return []
        close_start, close_end = closer[0], closer[1]
        return [
            (start, end, _padded("<script>", text[start:end])),
            (close_start, close_end, _padded("</script>", text[close_start:close_end])),
        ]
    literal = _STRING.match(text, args_start, end)
    if literal is None:
        return []
    body = literal.group(1) if literal.group(1) is not None else literal.group(2)
    body = _ESCAPE.sub(r"\1", body)
    lead = max(literal.start() + 1 - start - len("<script>"), 0)
    return [(start, end, "<script>" + " " * lead + body + "</script>")]


def _matching_end(tags: list[Tag], index: int) -> Tag | None:
    """The `<% end %>` that closes the block opened by tags[index]."""
    depth = 0
    for tag in tags[index:]:
        code = tag[3].strip()
        if _BLOCK_ENDS.match(code):
            depth -= 1
            if depth == 0:
                return tag
        elif _BLOCK_OPENS.search(code):
            depth += 1
    return None


def _external_urls(args: str) -> list[str]:
    """The external URLs among a loader's leading string arguments (options follow them)."""
    urls = []
    rest = args
    while True:
        literal = _STRING.match(rest.lstrip())
        if literal is None:
            break
        value = literal.group(1) if literal.group(1) is not None else literal.group(2)
        if _EXTERNAL.match(value):
            urls.append(value.replace('"', "%22"))
        rest = rest.lstrip()[literal.end() :].lstrip()
        if not rest.startswith(","):
            break
        rest = rest[1:]
    return urls


def _padded(replacement: str, original: str) -> str:
    """The replacement, followed by spaces (and the original's line breaks) to the original's length."""
    lines = original.count("\n")
    pad = len(original) - len(replacement) - lines
    return replacement + " " * max(pad, 0) + "\n" * lines


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    if not edits:
        return text
    edits.sort(key=lambda edit: (edit[0], edit[1]))
    out, at = [], 0
    for start, end, replacement in edits:
        if start < at:
            continue  # overlapping (a helper inside another's body): the first wins
        out.append(text[at:start])
        out.append(replacement)
        at = end
    out.append(text[at:])
    return "".join(out)
