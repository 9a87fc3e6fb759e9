"""The JavaScript of a file, ready for the data-sent analysis.

A JS/TS file is one unit. In markup, each inline `<script>` body (including consent-deferred
`type="text/plain"` ones) and each inline `on*=` handler is a unit. Server-side template
expressions inside them (`{{ user.email }}`, `<%= current_user.email %>`, `{{ $patient->dob }}`,
`${session.user.email}` in JSP) are replaced by placeholder identifiers of the same length, so
the JavaScript parses and every offset stays where it was; the analysis maps a placeholder back
to its expression whether it sat inside a string literal or in the code itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from phi_lint.lang import Source
from phi_lint.lang.javascript import Script, dialect_for, query
from phi_lint.lazyre import lazy_pattern
from phi_lint.parsers.html import _end_of_open_tag, soup_of
from phi_lint.parsers.offsets import ByteToChar
from phi_lint.parsers.template_comments import blank_comments, blank_html_comments, markup_flavour

if TYPE_CHECKING:
    from tree_sitter import Node, Tree

MAX_NODES = 200_000  # nodes of one type looked at per unit, at most

_NOT_CODE_TYPES = {
    "application/ld+json", "application/json", "importmap", "speculationrules", "text/template",
    "text/x-template", "text/html", "text/x-handlebars-template", "text/x-handlebars",
    "text/ng-template", "text/x-jsrender",
}
_TS_LANGS = {"ts", "typescript", "tsx"}
_HANDLER = lazy_pattern(r"\bon[a-z]+\s*=\s*([\"'])", re.IGNORECASE)
PLACEHOLDER = lazy_pattern(r"__t(\d+)_*")

# server-side template expressions; group 1 is the expression
_OUTPUT_PATTERNS = [
    r"\{\{\{([^{}\n]+?)\}\}\}",  # Handlebars raw
    r"\{!!([^\n]+?)!!\}",  # Blade raw
    r"\{\{-?([^{}\n]+?)-?\}\}",  # Jinja, Django, Nunjucks, Twig, Liquid, Handlebars, Blade
    r"<%(?:==|=|-)([^\n]+?)-?%>",  # ERB, EJS
    r"@json\(((?:[^()\n]|\([^()\n]*\))*)\)",  # Blade @json(...)
    r"/\*\[\[([^\n]+?)\]\]\*/(?:[ \t]*(?:'[^'\n]*'|\"[^\"\n]*\"|[\w.\-]+))?",  # Thymeleaf natural template
    r"\[\[([^\n]+?)\]\]",  # Thymeleaf inline
]
_JSP_PATTERN = r"\$\{([^{}\n]+)\}"
_STATEMENTS = lazy_pattern(r"\{%.*?%\}|<%(?![=\-#]).*?%>|<#.*?>|</#.*?>", re.DOTALL)
_OUTPUT = lazy_pattern("|".join(_OUTPUT_PATTERNS))
_OUTPUT_JSP = lazy_pattern("|".join(_OUTPUT_PATTERNS + [_JSP_PATTERN]))


@dataclass
class Unit:
    code: str  # the JavaScript as parsed (placeholders in place of template expressions)
    start: int  # offset of code[0] in the host file
    dialect: str
    templates: dict[int, tuple[str, str]] = field(default_factory=dict)  # index -> (expression, as written)
    tree: Tree | None = None  # set by parse_unit
    to_char: ByteToChar | None = None  # the code's byte offsets to character offsets; set by parse_unit
    consent: str | None = None  # how this script is deferred until consent, if it is
    _index: dict | None = None

    def nodes(self, *types: str) -> list:
        """Nodes of these types, in document order (one tree-sitter query per unit, in C)."""
        if self._index is None:
            self._index = _index(self)
        if len(types) == 1:
            return self._index.get(types[0], [])
        found = [node for kind in types for node in self._index.get(kind, [])]
        found.sort(key=lambda n: n.start_byte)
        return found

    @property
    def root(self) -> Node:
        assert self.tree is not None, "parse_unit gives a unit its tree"
        return self.tree.root_node

    def span_of(self, node) -> tuple[int, int]:
        """The node's character offsets in the unit's code."""
        assert self.to_char is not None, "parse_unit gives a unit its offsets"
        return self.to_char(node.start_byte), self.to_char(node.end_byte)

    def node_text(self, node) -> str:
        start, end = self.span_of(node)
        return self.code[start:end]

    def host_range(self, node) -> tuple[int, int]:
        start, end = self.span_of(node)
        return self.start + start, self.start + end

    def template_of(self, text: str) -> list[tuple[str, str]]:
        """(expression, as written) of the placeholders in a piece of code or a string value."""
        out: list[tuple[str, str]] = []
        if "__t" not in text:
            return out
        for match in PLACEHOLDER.finditer(text):
            found = self.templates.get(int(match.group(1)))
            if found is not None:
                out.append(found)
        return out


@dataclass
class MarkupInfo:
    """What the markup around the scripts says (form fields, masking attributes)."""

    text: str  # host text with template comments blanked
    field_names: list[str] = field(default_factory=list)  # name/id/v-model of inputs
    bound: dict[str, list[str]] = field(default_factory=dict)  # v-model root -> fields
    attributes: list[tuple[str, int]] = field(default_factory=list)  # (attr marker, offset)


def _placeholders(code: str, jsp: bool) -> tuple[str, dict[int, tuple[str, str]]]:
    pattern = _OUTPUT_JSP if jsp else _OUTPUT
    if "{" not in code and "<%" not in code and "[[" not in code and "@json" not in code:
        return code, {}
    templates: dict[int, tuple[str, str]] = {}
    pieces = []
    last = 0
    for match in pattern.finditer(code):
        expression = next((g for g in match.groups() if g is not None), None)
        if expression is None:
            continue
        index = len(templates)
        token = f"__t{index}"
        width = match.end() - match.start()
        if width < len(token) + 1:
            continue
        templates[index] = (expression.strip(), " ".join(match.group().split()))
        pieces.append(code[last : match.start()])
        pieces.append(token + "_" * (width - len(token)))
        last = match.end()
    pieces.append(code[last:])
    code = "".join(pieces)
    code = _STATEMENTS.sub(lambda m: "".join("\n" if c == "\n" else " " for c in m.group()), code)
    return code, templates


def parse_unit(unit: Unit, parsed: Source | None = None) -> Unit:
    """The unit with its tree: the file's shared parse of the same code (`parsed`, the file's
    phi_lint.lang.Source) when the unit's code is the file's text unchanged."""
    if parsed is not None:
        script = parsed.script_for(unit.code, unit.start, unit.dialect)
    else:
        script = Script(unit.code, unit.dialect)
    unit.tree = script.tree
    unit.to_char = ByteToChar(unit.code)
    return unit


_CONSENT_ATTRS = (
    "data-cookieconsent", "data-category", "data-cookiecategory", "data-consent",
    "data-usercentrics", "data-name", "data-type", "data-service", "data-categories",
    "data-cookie-consent", "data-cookieyes", "data-osano",
)


def consent_marker(attrs: dict) -> str | None:
    """`type="text/plain"` plus a consent manager's marker: how the script waits for consent."""
    script_type = str(attrs.get("type", "")).strip().lower()
    if script_type not in ("text/plain", "text/x-consent", "text/x-cookieconsent"):
        return None
    classes = attrs.get("class") or []
    if isinstance(classes, str):
        classes = classes.split()
    for cls in classes:
        if cls.lower().startswith("optanon-category-"):
            return f'type="{script_type}" with OneTrust class {cls}'
        if cls == "_iub_cs_activate" or cls.startswith("_iub_cs_activate"):
            return f'type="{script_type}" with iubenda class {cls}'
        if cls.lower().startswith("cmplz-") or cls.lower() == "cmplz-script":
            return f'type="{script_type}" with Complianz class {cls}'
    for name in _CONSENT_ATTRS:
        if name in attrs:
            value = attrs[name]
            if isinstance(value, list):
                value = " ".join(value)
            label = {"data-name": "Klaro data-name", "data-type": "Klaro data-type"}.get(name, name)
            return f'type="{script_type}" with {label}="{value}"'
    return None


_FIELD_TAG = lazy_pattern(r"<(input|select|textarea)\b", re.IGNORECASE)
# a name starts where a run of name characters starts (the look-behind): tried from every
# character of a long run, the name was read again each time (a 4,000-character tag took 0.24 s)
_ATTR = lazy_pattern(r"""(?<![:@\w\-.])([:@\w\-.]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|\{([^{}]*)\})""")
_REGISTER = lazy_pattern(r"""\bregister\(\s*['"]([\w.\-\[\]]+)['"]""")
_MASK_MARKERS = lazy_pattern(
    r"\b(data-hj-allow|data-hj-suppress|data-hj-masked|data-clarity-mask|data-clarity-unmask|"
    r"fs-exclude|fs-mask|fs-unmask|fs-block|data-fs-exclude|data-private|data-dd-privacy|"
    r"sentry-unmask|sentry-mask|sentry-block|ph-no-capture|ph-sensitive|rr-block|rr-mask|"
    r"amp-mask|amp-unmask|mp-mask|mp-no-track)\b"
)


def _form_fields(text: str, info: MarkupInfo) -> None:
    """Names of the inputs of a page, and v-model / bind:value / value={…} bindings."""
    for match in _FIELD_TAG.finditer(text):
        end = _end_of_open_tag(text, match.start())
        if end - match.start() > 4000:
            continue
        for attr in _ATTR.finditer(text, match.end(), end):
            name = attr.group(1).lower()
            braced = attr.group(4) is not None
            value = next((g for g in attr.groups()[1:] if g is not None), "").strip()
            if not value:
                continue
            if name in ("name", "id", "autocomplete", "formcontrolname"):
                info.field_names.append(value)
                continue
            binding = name in ("v-model", "x-model", "wire:model", "ng-model", "[(ngmodel)]", "[ngmodel]", "bind:value", "bind:checked")
            binding = binding or name.startswith(("v-model.", "wire:model.", "x-model."))
            binding = binding or (braced and name in ("value", "checked", "defaultvalue"))
            if binding and re.fullmatch(r"[\w$.]+", value):
                parts = value.split(".")
                info.field_names.append(parts[-1])
                if len(parts) > 1:
                    info.bound.setdefault(".".join(parts[:-1]), []).append(parts[-1])
                else:
                    info.bound.setdefault(value, [])
    for match in _REGISTER.finditer(text):
        info.field_names.append(match.group(1))


def units_of(name: str, kind: str, text: str, parsed: Source | None = None) -> tuple[list[Unit], MarkupInfo]:
    """The JavaScript units of one file and what its markup says (`parsed`: the file's
    phi_lint.lang.Source, whose trees the units share)."""
    if parsed is not None and parsed.text is not text:
        parsed = None  # not this text: nothing to share
    if kind == "script":
        info = MarkupInfo(text=text)
        if dialect_for(name) != "ts":
            _form_fields(text, info)  # JSX
        info.attributes = [(m.group(1), m.start()) for m in _MASK_MARKERS.finditer(text)]
        return [parse_unit(Unit(text, 0, dialect_for(name)), parsed)], info

    flavour, syntaxes = markup_flavour(name) or ("html", ())
    if syntaxes:
        text = blank_comments(text, syntaxes)
    info = MarkupInfo(text=text)
    visible = blank_html_comments(text)
    _form_fields(visible, info)
    info.attributes = [(m.group(1), m.start()) for m in _MASK_MARKERS.finditer(visible)]
    templated = flavour not in ("vue", "svelte", "astro")
    jsp = flavour in ("jsp", "freemarker")
    units: list[Unit] = []
    try:
        soup = soup_of(text)  # the tree the sightings parser built from the same text, when it did
    except Exception:
        return units, info
    from phi_lint.textio import LineIndex

    index = LineIndex(text)
    lower = None
    for tag in soup.find_all(True):
        line, pos = tag.sourceline, tag.sourcepos
        if line is None or pos is None:
            continue
        start = index.offset(line, pos + 1)
        attrs = tag.attrs
        if any(key.lower().startswith("on") for key in attrs):
            open_end = _end_of_open_tag(text, start)
            for match in _HANDLER.finditer(text, start, open_end):
                value_start = match.end()
                value_end = text.find(match.group(1), value_start, open_end)
                if value_end > value_start:
                    code = text[value_start:value_end]
                    templates: dict[int, tuple[str, str]] = {}
                    if templated:
                        code, templates = _placeholders(code, jsp)
                    units.append(parse_unit(Unit(code, value_start, "js", templates), parsed))
        if tag.name.lower() != "script" or attrs.get("src"):
            continue
        script_type = str(attrs.get("type", "")).strip().lower()
        if script_type in _NOT_CODE_TYPES:
            continue
        body_start = _end_of_open_tag(text, start)
        if lower is None:
            lower = text.lower()
        body_end = lower.find("</script", body_start)
        if body_end == -1:
            body_end = len(text)
        code = text[body_start:body_end]
        if not code.strip():
            continue
        lang = str(attrs.get("lang", "")).strip().lower()
        dialect = "tsx" if lang == "tsx" else "ts" if lang in _TS_LANGS or script_type in ("text/typescript", "ts") else "js"
        templates = {}
        if templated:
            code, templates = _placeholders(code, jsp)
        unit = Unit(code, body_start, dialect, templates)
        unit.consent = consent_marker(attrs)
        units.append(parse_unit(unit, parsed))
    return units, info


_INDEXED = (
    "call_expression", "new_expression", "assignment_expression", "variable_declarator",
    "import_statement", "if_statement", "function_declaration",
)
_JSX_INDEXED = ("jsx_opening_element", "jsx_self_closing_element")


@cache
def _index_query(dialect: str):
    kinds = _INDEXED + (_JSX_INDEXED if dialect != "ts" else ())
    # `&&` is picked out in _index: a pattern on the operator, `(binary_expression operator: "&&")`,
    # stays open while tree-sitter walks the left operand, so `a && a && …` kept every level open
    # at once (quadratic)
    source = "\n".join(f"({kind}) @{kind}" for kind in kinds + ("binary_expression",))
    return query(dialect, source)


def _index(unit: Unit) -> dict:
    from tree_sitter import QueryCursor

    cursor = QueryCursor(_index_query(unit.dialect))
    captures = cursor.captures(unit.root)
    if "binary_expression" in captures:
        captures["binary_expression"] = [node for node in captures["binary_expression"] if _is_and(node)]
        if not captures["binary_expression"]:
            del captures["binary_expression"]
    return {kind: sorted(nodes, key=lambda n: n.start_byte)[:MAX_NODES] for kind, nodes in captures.items()}


def _is_and(node) -> bool:
    operator = node.child_by_field_name("operator")
    return operator is not None and operator.type == "&&"
