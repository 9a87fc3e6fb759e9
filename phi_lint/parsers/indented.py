"""Haml, Slim and Pug (Jade) read as the HTML and ERB they stand for, line for line.

These dialects write markup by indentation (`%script{src: "…"}`, `script src="…"`,
`script(src='…')`) and have no closing tags, so neither the markup parser nor the page-graph
readers can see a tracker or a partial in them as written. Each file is turned, once, when it is
read, into HTML with the SAME lines: output line N is made from input line N (closing tags are
appended to the last line of the element they close, and lines that continue an attribute list
or a code line become empty), and every element starts at the column of the line it came from.
So every stage (sightings, data sent, page graph, health and sign-in inference) reads the same
text, and findings point at the Haml / Slim / Pug line.

- elements with their literal attributes (Ruby hash `{src: "…"}` and `(src="…")` groups, Slim's
  bare `src="…"`, Pug's `(src='…')`); attribute values that are code are left out;
- script bodies: Haml `:javascript`, Slim `javascript:`, Pug `script.`, and the nested lines of
  any `script` element are copied as they are inside `<script>…</script>`; other filters and
  text blocks are copied as they are;
- Ruby lines of Haml and Slim (`= render "x"`, `== render 'x'`, `- if …`) become ERB tags
  (`<%= render "x" %>`, `<% if … %>` … `<% end %>`), which the Rails module reads as it reads ERB;
- Pug `extends` / `include` lines are kept for the Pug page-graph reader; other Pug keywords
  (`block`, `if`, `each`, `mixin`, …) and code lines are emptied;
- comments (the dialect's syntaxes of rules/dialects.toml) and plain text are copied as they are:
  the stages blank the comments themselves, so a commented-out element is never turned into one.

Everything is bounded: an attribute list or code line joins at most MAX_CONTINUATION lines and
MAX_LOGICAL characters, block expansion (`li: a(href=…)`) nests at most MAX_EXPANSION deep, and
each line is read a bounded number of times.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from phi_lint.dialects import dialect_for
from phi_lint.lazyre import lazy_pattern
from phi_lint.parsers.erb_helpers import may_hold_helpers, rewrite_helpers
from phi_lint.parsers.template_comments import blank_comments, indent_width

INDENT_FLAVOURS = frozenset({"haml", "slim", "pug"})
MAX_CONTINUATION = 20  # lines an attribute list or a code line may run over
MAX_LOGICAL = 20_000  # characters of one joined logical line
MAX_EXPANSION = 8  # nested `a: b: c` block expansions read on one line
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"})
RAW_TAGS = frozenset({"script", "style"})
RUBY_CONTINUES = lazy_pattern(r"^(?:else|elsif|when|in|rescue|ensure)\b")
PUG_KEYWORDS = frozenset({
    "block", "append", "prepend", "mixin", "if", "else", "unless", "each", "for", "while", "case",
    "when", "default", "yield", "doctype",
})
PUG_KEPT = lazy_pattern(r"^(?:extends|include)\b")  # read by the Pug page-graph reader
SLIM_ENGINE = lazy_pattern(r"^([a-z]+):\s*$")
HAML_FILTER = lazy_pattern(r"^:([\w-]+)\s*$")
PUG_FILTER = lazy_pattern(r"^:[\w-]+")
_TAG = lazy_pattern(r"[A-Za-z][\w-]*(?::[\w-]+)*")
_SHORTCUT = lazy_pattern(r"[.#][\w-]+")
_VALUE = r"""(?:"(?P<dq>[^"\\\n]*(?:\\.[^"\\\n]*)*)"|'(?P<sq>[^'\\\n]*(?:\\.[^'\\\n]*)*)'|`(?P<bq>[^`\n]*)`|(?P<lit>-?\d+(?:\.\d+)?|true|false)(?![\w.(]))"""
_RUBY_PAIR = lazy_pattern(
    r"""(?:(?P<k1>[A-Za-z_][\w-]*):(?!:)|:(?P<k2>[A-Za-z_][\w-]*)\s*=>|(?P<q>["'])(?P<k3>[^"'\n]+)(?P=q)\s*(?::|=>))\s*""" + _VALUE
)
_HTML_PAIR = lazy_pattern(r"""(?P<name>[A-Za-z_:@][\w:.@-]*)(?:\s*!?=\s*(?:""" + _VALUE + r"""|(?P<code>[^\s,)\]}]+)))?""")
_SLIM_BARE = lazy_pattern(r"""\s+(?P<name>[A-Za-z_:@][\w:.@-]*)\s*==?\s*""")
_CLOSERS = {"(": ")", "{": "}", "[": "]"}


@dataclass
class _Open:
    """An element or block whose end is its first following line indented no deeper."""

    indent: int
    closer: str  # appended to the last line of the block when it ends
    raw: bool = False  # its nested lines are text (a script body, a filter), copied as they are
    code: bool = False  # a Ruby block: `end` only when it has nested lines; `else` continues it
    nested: bool = False


def markup_text(name: str, text: str) -> str:
    """The text of a file as the stages read it: a Haml, Slim or Pug file as its HTML (line for
    line), and the Rails script helpers of ERB (and of Haml and Slim, which become ERB) as the
    script elements they write (phi_lint/parsers/erb_helpers.py); any other file unchanged."""
    dialect = dialect_for(name)
    if dialect is None:
        return text
    if dialect.flavour in INDENT_FLAVOURS:
        text = to_markup(text, dialect.flavour, dialect.comments)
    if "erb" in dialect.includes and may_hold_helpers(text):
        text = rewrite_helpers(text, blank_comments(text, dialect.comments) if dialect.comments else text)
    return text


def to_markup(text: str, flavour: str, comments: tuple[str, ...] = ()) -> str:
    """`text` of an indentation dialect (haml, slim, pug) as HTML / ERB with the same lines."""
    return _Converter(text, flavour, comments).run()


class _Converter:
    def __init__(self, text: str, flavour: str, comments: tuple[str, ...]):
        self.flavour = flavour
        self.lines = text.split("\n")
        self.crs = [line.endswith("\r") for line in self.lines]
        self.lines = [line[:-1] if cr else line for line, cr in zip(self.lines, self.crs)]
        blanked = blank_comments(text, comments).split("\n") if comments else self.lines
        self.comment = [not b.strip() and bool(a.strip()) for a, b in zip(self.lines, blanked)]
        self.out: list[str] = []
        self.stack: list[_Open] = []
        self.last = -1  # the last output line that holds content (closers go there)

    def run(self) -> str:
        i = 0
        while i < len(self.lines):
            i += self._line(i)
        self._close(-1, "")
        return "\n".join(line + ("\r" if cr else "") for line, cr in zip(self.out, self.crs))

    # ------------------------------------------------------------------ structure

    def _line(self, i: int) -> int:
        """Convert line i (and the lines it continues over); the number of lines used."""
        line = self.lines[i]
        content = line.lstrip(" \t")
        indent = indent_width(line, 0, len(line) - len(content))
        top = self.stack[-1] if self.stack else None
        if top is not None and top.raw and (not content or indent > top.indent):
            top.nested = True
            self.out.append(self._raw(line))
            if content:
                self.last = i
            return 1
        if not content:
            self.out.append(line)
            return 1
        self._close(indent, content)
        if self.stack and indent > self.stack[-1].indent:
            self.stack[-1].nested = True
        if self.comment[i]:
            self.out.append(line)
            return 1
        lead = line[: len(line) - len(content)]
        converted, opened, used = self._convert(i, content, indent)
        self.out.append(lead + converted if converted else "")
        self.out.extend("" for _ in range(used - 1))
        if converted.strip() and not (self.flavour == "pug" and PUG_KEPT.match(converted)):
            self.last = i  # (an `include` line keeps its name alone: the page-graph reader reads it)
        self.stack.extend(opened)
        return used

    def _raw(self, line: str) -> str:
        """A line of a script body or text block; Slim and Pug `|` text markers become spaces."""
        if self.flavour != "haml":
            stripped = line.lstrip(" \t")
            if stripped.startswith("|"):
                return line[: len(line) - len(stripped)] + " " + stripped[1:]
        return line

    def _close(self, indent: int, content: str) -> None:
        """End every open block indented at least `indent` (all when -1); a Ruby `else` / `when`
        line continues the block it sits level with instead of ending it."""
        while self.stack and self.stack[-1].indent >= indent:
            block = self.stack.pop()
            if block.code and block.indent == indent and self.flavour != "pug":
                code = content.lstrip("-").strip()
                if content.startswith("-") and RUBY_CONTINUES.match(code):
                    continue
            if block.closer and (block.nested or not block.code) and self.last >= 0:
                self.out[self.last] += block.closer

    # ------------------------------------------------------------------ one logical line

    def _logical(self, i: int, content: str, start: int) -> tuple[str, int]:
        """content, joined with the lines after i while an attribute group opened at `start`
        (after the tag) is not closed: at most MAX_CONTINUATION lines and MAX_LOGICAL
        characters, read in one pass."""
        if not _unclosed(content, start):
            return content, 1
        parts, ends = [content], [len(content)]
        stop = min(len(self.lines), i + MAX_CONTINUATION)
        for j in range(i + 1, stop):
            if ends[-1] >= MAX_LOGICAL:
                break
            parts.append(self.lines[j].strip())
            ends.append(ends[-1] + 1 + len(parts[-1]))
        joined = " ".join(parts)
        end = _groups_end(joined, start)
        used = len(parts) if end < 0 else next(n + 1 for n, line_end in enumerate(ends) if line_end >= end)
        return " ".join(parts[:used]), used

    def _code(self, i: int, code: str) -> tuple[str, int]:
        used = 1
        while (
            code.rstrip().endswith((",", "\\", "|"))
            and used < MAX_CONTINUATION
            and i + used < len(self.lines)
            and len(code) < MAX_LOGICAL
        ):
            code = code.rstrip().rstrip("\\|") + " " + self.lines[i + used].strip()
            used += 1
        return code.strip(), used

    def _convert(self, i: int, content: str, indent: int) -> tuple[str, list[_Open], int]:
        """(output, blocks opened, lines used) of a line that is not a comment."""
        if self.flavour == "haml":
            return self._haml(i, content, indent)
        if self.flavour == "slim":
            return self._slim(i, content, indent)
        return self._pug(i, content, indent)

    def _ruby(self, i: int, content: str, indent: int, output: bool) -> tuple[str, list[_Open], int]:
        code, used = self._code(i, content)
        if not code:
            return "", [], used
        tag = "<%= " if output else "<% "
        return f"{tag}{_no_erb_end(code)} %>", [_Open(indent, "<% end %>", code=True)], used

    def _haml(self, i: int, content: str, indent: int) -> tuple[str, list[_Open], int]:
        if content.startswith("!!!"):
            return "", [], 1
        if content.startswith("\\"):
            return " " + content[1:], [], 1
        found = HAML_FILTER.match(content)
        if found:
            wrap = found.group(1) == "javascript"
            return ("<script>" if wrap else ""), [_Open(indent, "</script>" if wrap else "", raw=True)], 1
        if content.startswith(("!=", "&=", "~")) or (content.startswith("=") and not content.startswith("==")):
            return self._ruby(i, content.lstrip("!&~=").strip(), indent, True)
        if content.startswith("-"):
            return self._ruby(i, content[1:].strip(), indent, False)
        if content[0] == "%" or (content[0] in ".#" and len(content) > 1 and (content[1].isalnum() or content[1] in "_-")):
            return self._element(i, content, indent, 0)
        return content, [], 1

    def _slim(self, i: int, content: str, indent: int) -> tuple[str, list[_Open], int]:
        if content.startswith(("|", "'")):
            return " " + content[1:], [_Open(indent, "", raw=True)], 1
        if content.startswith("<"):
            return content, [], 1
        if content.startswith("doctype"):
            return "", [], 1
        found = SLIM_ENGINE.match(content)
        if found:
            wrap = found.group(1) == "javascript"
            return ("<script>" if wrap else ""), [_Open(indent, "</script>" if wrap else "", raw=True)], 1
        if content.startswith("="):
            return self._ruby(i, content.lstrip("=<>'").strip(), indent, True)
        if content.startswith("-"):
            return self._ruby(i, content[1:].strip(), indent, False)
        return self._element(i, content, indent, 0)

    def _pug(self, i: int, content: str, indent: int) -> tuple[str, list[_Open], int]:
        if PUG_KEPT.match(content):
            return content, [], 1
        if content.startswith("|"):
            return " " + content[1:], [], 1
        if content.startswith("<"):
            return content, [], 1
        if PUG_FILTER.match(content) or content == "-" or content.startswith("-\t"):
            return "", [_Open(indent, "", raw=True)], 1
        if content.startswith(("-", "=", "!=", "+")):
            return "", [], 1
        word = _TAG.match(content)
        if word and word.group() in PUG_KEYWORDS and content[word.end() : word.end() + 1] not in (".", "(", "#"):
            return "", [], 1
        return self._element(i, content, indent, 0)

    # ------------------------------------------------------------------ elements

    def _element(self, i: int, content: str, indent: int, depth: int) -> tuple[str, list[_Open], int]:
        """An element line of any of the three dialects: tag, shortcuts, attributes, content."""
        pos = 1 if content[0] == "%" else 0
        word = _TAG.match(content, pos)
        if word is None and content[pos : pos + 1] not in (".", "#"):
            return content, [], 1  # text
        tag = word.group().lower() if word else "div"
        pos = word.end() if word else pos
        content, used = self._logical(i, content, pos)
        attrs: list[tuple[str, str | None]] = []
        classes: list[str] = []
        while pos < len(content):
            char = content[pos]
            shortcut = _SHORTCUT.match(content, pos)
            if shortcut:
                text = shortcut.group()
                if text[0] == "#":
                    attrs.append(("id", text[1:]))
                else:
                    classes.append(text[1:])
                pos = shortcut.end()
            elif char in _CLOSERS:
                end = _group_end(content, pos)
                if end < 0:
                    break
                inner = content[pos + 1 : end - 1]
                if char == "{" and self.flavour == "haml":
                    attrs.extend(_ruby_pairs(inner))
                elif char != "[" or self.flavour == "slim":
                    attrs.extend(_html_pairs(inner))
                pos = end
            elif content.startswith("&attributes", pos):
                end = _group_end(content, pos + len("&attributes"))
                pos = end if end > 0 else len(content)
            else:
                break
        if self.flavour == "slim":
            pos = _slim_bare(content, pos, attrs)
        if classes:
            attrs.insert(0, ("class", " ".join(classes)))
        rest = content[pos:]
        opening = "<" + tag + "".join(_attribute(name, value) for name, value in attrs)
        void = tag in VOID
        blocks: list[_Open] = []
        body = ""
        marker = rest.lstrip("<>'")
        if self.flavour == "pug" and rest.startswith("."):
            blocks.append(_Open(indent, f"</{tag}>", raw=True))
            rest = ""
        elif marker.startswith("/") and not marker.startswith("//"):
            void, rest = True, ""
        elif marker.startswith(":") and depth < MAX_EXPANSION and marker[1:].strip():
            inner = marker[1:].strip()
            inner_out, inner_blocks, _ = self._element(i, inner, indent, depth + 1)
            body = inner_out + "".join(b.closer for b in reversed(inner_blocks) if not b.code)
            rest = ""
        if rest:
            stripped = rest.lstrip("<>&!~").lstrip()
            if rest.lstrip("<>&!~").startswith("=") and self.flavour != "pug":
                code = stripped.lstrip("=").strip()
                body = f"<%= {_no_erb_end(code)} %>" if code else ""
            elif rest.lstrip("<>&!~").startswith("="):
                body = ""
            else:
                body = rest.strip()
        opening += ">"
        if not void and not blocks:
            blocks.append(_Open(indent, f"</{tag}>", raw=tag in RAW_TAGS and not _has(attrs, "src")))
        return opening + body, blocks, used


def _has(attrs: list[tuple[str, str | None]], name: str) -> bool:
    return any(key.lower() == name for key, _ in attrs)


def _attribute(name: str, value: str | None) -> str:
    if value is None:
        return " " + name
    return f' {name}="{value.replace(chr(34), "&quot;")}"'


def _value(match: re.Match[str]) -> str | None:
    for group in ("dq", "sq", "bq", "lit"):
        found = match.group(group)
        if found is not None:
            return found
    return None


def _ruby_pairs(inner: str) -> list[tuple[str, str | None]]:
    """The literal pairs of a Haml Ruby hash (`src: "…"`, `:src => '…'`, `"data-x": 1`)."""
    out: list[tuple[str, str | None]] = []
    for match in _RUBY_PAIR.finditer(inner):
        name = match.group("k1") or match.group("k2") or match.group("k3")
        value = _value(match)
        if value == "true":
            out.append((name.replace("_", "-"), None))
        elif value != "false":
            out.append((name.replace("_", "-") if match.group("k3") is None else name, value))
    return out


def _html_pairs(inner: str) -> list[tuple[str, str | None]]:
    """The literal attributes of an HTML-style list (`src="…" async`, `src='…', height=1`);
    values that are code are left out."""
    out: list[tuple[str, str | None]] = []
    for match in _HTML_PAIR.finditer(inner):
        if match.group("code") is not None:
            continue
        value = _value(match)
        if value == "true" or (value is None and "=" not in match.group()):
            out.append((match.group("name"), None))
        elif value is not None and value != "false":
            out.append((match.group("name"), value))
    return out


def _slim_bare(content: str, pos: int, attrs: list[tuple[str, str | None]]) -> int:
    """Slim attributes written without a wrapper (`script src="…" async=true`) from pos; the
    position after the last one."""
    value_re = re.compile(_VALUE)
    while True:
        found = _SLIM_BARE.match(content, pos)
        if found is None:
            return pos
        at = found.end()
        literal = value_re.match(content, at)
        if literal is not None:
            value = _value(literal)
            if value == "true":
                attrs.append((found.group("name"), None))
            elif value != "false":
                attrs.append((found.group("name"), value))
            pos = literal.end()
            continue
        end = _expression_end(content, at)
        if end == at:
            return pos
        pos = end


def _expression_end(text: str, start: int) -> int:
    """The end of a Ruby expression without white space outside brackets (`image_path("x")`)."""
    i = start
    while i < len(text) and not text[i].isspace():
        if text[i] in _CLOSERS or text[i] in "\"'":
            end = _group_end(text, i)
            if end < 0:
                return len(text)
            i = end
        else:
            i += 1
    return i


_SPECIAL = lazy_pattern(r"[\"'`(){}\[\]\\]")


def _group_end(text: str, start: int) -> int:
    """Offset after the bracket (or quote) closing the one at `start`, -1 when unclosed.
    Quoted strings inside are skipped; linear in the group's length (the scan jumps from one
    bracket, quote or backslash to the next)."""
    opener = text[start]
    if opener in "\"'`":
        return _quote_end(text, start)
    closing = _CLOSERS[opener]
    depth = 0
    i = start
    while True:
        found = _SPECIAL.search(text, i)
        if found is None:
            return -1
        char, at = found.group(), found.start()
        if char in "\"'`":
            i = _quote_end(text, at)
            if i < 0:
                return -1
            continue
        if char == "\\":
            i = at + 2
            continue
        if char == opener:
            depth += 1
        elif char == closing:
            depth -= 1
            if depth == 0:
                return at + 1
        i = at + 1


def _quote_end(text: str, start: int) -> int:
    """Offset after the quote closing the one at `start` (not escaped by a backslash), or -1."""
    quote = text[start]
    i = start + 1
    while True:
        at = text.find(quote, i)
        if at < 0:
            return -1
        back = at
        while back > i and text[back - 1] == "\\":
            back -= 1
        if (at - back) % 2 == 0:
            return at + 1
        i = at + 1


def _groups_end(content: str, start: int) -> int:
    """Offset after the shortcuts and attribute groups that follow a tag from `start`, -1 when
    one of them is not closed."""
    pos = start
    while pos < len(content):
        shortcut = _SHORTCUT.match(content, pos)
        if shortcut:
            pos = shortcut.end()
            continue
        if content[pos] in _CLOSERS:
            end = _group_end(content, pos)
            if end < 0:
                return -1
            pos = end
            continue
        break
    return pos


def _unclosed(content: str, start: int) -> bool:
    """True when an attribute group opened from `start` (after the tag) is not closed on the line."""
    return _groups_end(content, start) < 0


def _no_erb_end(code: str) -> str:
    """Ruby code that cannot end the ERB tag it is put in."""
    return code.replace("%>", "% >")
