"""The keys of a TOML or YAML config file, flattened to dotted paths with the line of each.

TOML is read with the standard library (phi_lint.tomlread's tomllib); its values carry no
positions, so each key's line is found by a walk over the lines that follows `[table]` headers
and `a.b = ` keys. YAML is not a runtime dependency of phi-lint: the few keys a site generator's
config switches a tracker on with are read by `yaml_keys`, over `yaml_entries`: the one small
bounded reader of block mappings (`key: value`, nested by indentation, `#` comments, quoted
scalars), which Drupal's `.info.yml`, `.routing.yml` and `.libraries.yml` are read with too. It
leaves out what such keys never use (flow mappings, anchors, multi-document files, block
scalars' contents); a key it cannot read is a key it does not report, never a wrong one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from phi_lint.lazyre import lazy_pattern
from phi_lint.tomlread import TOMLDecodeError, parse_toml

MAX_LINES = 20_000  # a site config is a few hundred lines; the rest of a larger file is not read
MAX_DEPTH = 16


class Unknown:
    """A value not known before run time (an environment variable, a computed expression)."""

    def __repr__(self) -> str:
        return "<unknown>"


UNKNOWN = Unknown()


@dataclass(frozen=True)
class Value:
    value: object  # str, int, float, bool, list, UNKNOWN; a table is not a Value (its keys are)
    line: int
    column: int = 1
    text: str = ""  # the line as written, for the sighting's snippet


# ------------------------------------------------------------------------------------------ TOML


def toml_keys(text: str) -> tuple[dict[str, Value], str | None]:
    """Every leaf key of a TOML document as `a.b.c` → Value, or a problem when it is not TOML."""
    try:
        data = parse_toml(text)
    except TOMLDecodeError as exc:
        return {}, f"not valid TOML ({exc}); the trackers it may switch on were not read"
    lines = _toml_lines(text)
    flat: dict[str, Value] = {}
    _flatten(data, "", flat, lines, text.splitlines())
    return flat, None


def _flatten(value, prefix: str, flat: dict[str, Value], lines: dict[str, int], text_lines: list[str], depth: int = 0):
    if depth > MAX_DEPTH:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(item, f"{prefix}.{key}" if prefix else str(key), flat, lines, text_lines, depth + 1)
        return
    line = _line_of(prefix, lines)
    shown = text_lines[line - 1].strip() if 0 < line <= len(text_lines) else prefix
    flat[prefix] = Value(value, line, _column(text_lines, line, prefix), shown)


def _line_of(path: str, lines: dict[str, int]) -> int:
    """The line of a key, or of the nearest enclosing key written on one line (an inline table)."""
    while path:
        if path in lines:
            return lines[path]
        path = path.rpartition(".")[0]
    return 1


def _column(text_lines: list[str], line: int, path: str) -> int:
    if not 0 < line <= len(text_lines):
        return 1
    last = path.rpartition(".")[2]
    found = text_lines[line - 1].find(last)
    return found + 1 if found >= 0 else 1


_TOML_KEY = lazy_pattern(r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=""")


def _toml_path(written: str) -> str:
    parts = re.findall(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""", written)
    return ".".join(p.strip("\"'") for p in parts)


def _toml_lines(text: str) -> dict[str, int]:
    """`a.b.c` → the line that writes it (first writing wins), following table headers."""
    found: dict[str, int] = {}
    table = ""
    in_multiline = False
    for number, raw in enumerate(text.splitlines()[:MAX_LINES], 1):
        if in_multiline:
            in_multiline = raw.count('"""') % 2 == 0 and raw.count("'''") % 2 == 0
            continue
        stripped = raw.strip()
        if stripped.startswith("["):  # a [table] or [[array of tables]] header
            table = _toml_path(stripped.partition("]")[0].lstrip("["))
            found.setdefault(table, number)
            continue
        key = _TOML_KEY.match(raw)
        if key:
            path = _toml_path(key.group(1))
            found.setdefault(f"{table}.{path}" if table else path, number)
            if raw.count('"""') % 2 == 1 or raw.count("'''") % 2 == 1:
                in_multiline = True
    return found


# ------------------------------------------------------------------------------------------ YAML

# a key: quoted, or bare up to the first colon that a blank or the line's end follows, so a URL
# (`https://x.example/a.js:`, a Drupal library's file) is one key
_YAML_KEY = lazy_pattern(
    r"""^(?P<indent> *)(?:"(?P<dq>[^"]{0,2000})"|'(?P<sq>[^']{0,2000})'|(?P<bare>[A-Za-z0-9_/.][^\s#]{0,2000}?))"""
    r"""\s*:(?P<rest>(?:[ \t].*)?)$""")
_BLOCK_SCALARS = ("|", ">", "|-", ">-", "|+", ">+")
_LINE_BREAKS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # what str.splitlines splits at


@dataclass(frozen=True)
class YamlKey:
    """One key of a YAML document's block mappings, as the one YAML reader (`yaml_entries`) read it."""

    path: tuple[str, ...]  # the keys from the top of the document down to this one
    value: Value  # a key that opens a block (`opens`): its sequence's scalars, or None for a mapping
    raw: str = ""  # a scalar as written, its quotes and comment taken off (`TRUE`, `[a, b]`)
    offset: int = 0  # where the key's name starts in the text (inside its quotes)
    opens: bool = False  # nothing after the colon: a mapping or a sequence follows


def yaml_keys(text: str, mappings: bool = False) -> dict[str, Value]:
    """The scalar keys of a YAML document's block mappings as `a.b.c` → Value (see the module
    docstring for what is left out). A block sequence of scalars (`ids:` then `- G-…` lines) is a
    list value, and a block scalar (`pages: |-` then indented lines) a string of its lines, each at
    its key's line. The first writing of a path wins. With `mappings`, a key that opens a mapping
    is listed too (value None): a pubspec's `package:` with a `git:` or `path:` under it is a
    declared dependency."""
    flat: dict[str, Value] = {}
    entries = yaml_entries(text)
    for entry in entries:
        if not entry.opens:
            flat.setdefault(".".join(entry.path), entry.value)
    for entry in entries:
        if entry.opens and (mappings or isinstance(entry.value.value, list)):
            flat.setdefault(".".join(entry.path), entry.value)
    return flat


def yaml_entries(text: str) -> list[YamlKey]:
    """Every key of a YAML document's block mappings with its path, in the order written (a block
    scalar's once its lines are read), each path once: its first writing. The one YAML reader of
    phi-lint: site configs (`yaml_keys`), Drupal's `.info.yml`, `.routing.yml` and
    `.libraries.yml` (keys whose dots are not paths: a route name, a URL)."""
    scalars: dict[tuple[str, ...], YamlKey] = {}
    opened: dict[tuple[str, ...], YamlKey] = {}  # keys with nothing after the colon
    sequences: dict[tuple[str, ...], list[object]] = {}
    order: list[tuple[bool, tuple[str, ...]]] = []
    stack: list[tuple[int, str]] = []  # (indent, key) of the mappings the line is inside
    block: tuple[int, YamlKey, list[str]] | None = None  # inside a `|` / `>` block scalar
    offset = 0
    for number, line in enumerate(text.splitlines(keepends=True)[:MAX_LINES], 1):
        at, offset = offset, offset + len(line)
        raw = line.rstrip(_LINE_BREAKS)
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        if block is not None:
            if indent > block[0]:
                if len(block[2]) < MAX_LINES:
                    block[2].append(stripped)
                continue
            _add(scalars, order, _block_value(block))
            block = None
        if stripped in ("---", "..."):
            continue
        if stripped.startswith("- ") or stripped == "-":
            _sequence_item(stripped[1:].strip(), indent, stack, opened, sequences)
            continue
        match = _YAML_KEY.match(raw.rstrip())
        if not match:
            continue
        name = next(group for group in ("dq", "sq", "bare") if match.group(group) is not None)
        key = match.group(name)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        if len(stack) >= MAX_DEPTH:
            continue
        path = (*(k for _, k in stack), key)
        where = at + match.start(name)
        rest = _without_comment(match.group("rest") or "")
        if rest in _BLOCK_SCALARS:
            block = (indent, YamlKey(path, Value("", number, indent + 1, stripped), "", where), [])
            continue
        if rest == "":
            stack.append((indent, key))
            if path not in opened:
                opened[path] = YamlKey(path, Value(None, number, indent + 1, stripped), "", where, opens=True)
                order.append((True, path))
            continue
        value = _yaml_scalar(rest)
        _add(scalars, order, YamlKey(path, Value(value, number, indent + 1, stripped), _unquoted(rest), where))
    if block is not None:
        _add(scalars, order, _block_value(block))
    return [scalars[path] if not opens else _with_items(opened[path], sequences.get(path)) for opens, path in order]


def _add(scalars: dict[tuple[str, ...], YamlKey], order: list[tuple[bool, tuple[str, ...]]], entry: YamlKey) -> None:
    if entry.path not in scalars:
        scalars[entry.path] = entry
        order.append((False, entry.path))


def _block_value(block: tuple[int, YamlKey, list[str]]) -> YamlKey:
    _indent, key, lines = block
    return YamlKey(key.path, Value("\n".join(lines), key.value.line, key.value.column, key.value.text), "", key.offset)


def _with_items(key: YamlKey, items: list[object] | None) -> YamlKey:
    if items is None:
        return key
    return YamlKey(key.path, Value(items, key.value.line, key.value.column, key.value.text), "", key.offset, opens=True)


def _sequence_item(item: str, indent: int, stack: list[tuple[int, str]], opened: dict[tuple[str, ...], YamlKey],
                   sequences: dict[tuple[str, ...], list[object]]) -> None:
    """A `- item` line: a scalar of the sequence under the innermost open key (a mapping item,
    `- key: value`, is not read)."""
    while stack and stack[-1][0] > indent:
        stack.pop()
    if not stack:
        return
    path = tuple(k for _, k in stack)
    if path not in opened or _YAML_KEY.match(item) or len(sequences.get(path, ())) >= MAX_LINES:
        return
    sequences.setdefault(path, []).append(_yaml_scalar(_without_comment(item)))


def _without_comment(rest: str) -> str:
    rest = rest.strip()
    if rest[:1] in ("'", '"'):
        quote = rest[0]
        end = rest.find(quote, 1)
        return rest[: end + 1] if end > 0 else rest
    return re.split(r"\s+#", rest, maxsplit=1)[0].strip()


def _unquoted(rest: str) -> str:
    return rest[1:-1] if len(rest) >= 2 and rest[0] == rest[-1] and rest[0] in ("'", '"') else rest


def _yaml_scalar(rest: str) -> object:
    if len(rest) >= 2 and rest[0] == rest[-1] and rest[0] in ("'", '"'):
        return rest[1:-1]
    lower = rest.lower()
    if lower in ("true", "yes", "on"):
        return True
    if lower in ("false", "no", "off"):
        return False
    if lower in ("null", "~"):
        return None
    if rest[:1] in ("[", "{", "&", "*", "!"):
        return UNKNOWN  # flow collections, anchors, aliases, tags: not read
    return rest
