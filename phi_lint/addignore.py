"""`--add-ignore REASON`: write a reasoned inline ignore for every failing finding (ruff's
`--add-noqa`), so a team can adopt phi-lint and fix the findings one by one, each still visible
in the code with the reason the team gave.

Each comment goes on a line of its own just above the tracker code, with that line's
indentation and line ending, which is where suppress.py looks (an ignore covers the tracker code
that starts within a few lines below it). Findings on the same line share one comment
(`ignore[PHI001,PHI004]`); an ignore already there (above, or at the end of the line) gets the
new rules added instead of a second comment. The comment uses the file's own syntax, a template
comment where the template engine has one (it never reaches the browser); in plain HTML, Vue and
Svelte an HTML comment in markup and `//` inside a script; a line that starts inside a
multi-line tag gets its comment above the tag. JSON files (tag-manager exports, package.json)
cannot hold comments: those findings are listed with their fingerprints for `.phi-lint-ignore`
or the baseline.

Files are changed only inside the project, never through a link, by writing a temporary file
and renaming it (safeio), keeping the encoding, byte-order mark, line endings and file mode.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass, field

from phi_lint.errors import UserError
from phi_lint.frontmatter import front_matter_span
from phi_lint.lazyre import lazy_pattern
from phi_lint.reporters.common import failing, plural, printable
from phi_lint.safeio import is_inside, read_inside, replace_bytes
from phi_lint.suppress import _DIRECTIVE

MAX_REASON = 300
MAX_FILE_SIZE = 64 * 1024 * 1024
# text that would end the comment early or start another directive
# comment closers of every syntax written, and what ends a script or an HTML comment early
_FORBIDDEN_IN_REASON = ("-->", "--!>", "<!--", "</script", "#}", "*/", "%>", "--}}", "}}", "?>", "*@", "%}", "phi-lint:", "phi_lint:")


@dataclass(frozen=True)
class Style:
    opener: str
    closer: str = ""

    def comment(self, rules: list[str], reason: str) -> str:
        text = f"{self.opener} phi-lint: ignore[{','.join(rules)}] {reason}"
        return f"{text} {self.closer}" if self.closer else text


JINJA = Style("{#", "#}")
HTML = Style("<!--", "-->")
SLASHES = Style("//")
JSX = Style("{/*", "*/}")
TEMPLATE_STYLES = {
    "blade": Style("{{--", "--}}"),
    "erb": Style("<%#", "%>"),
    "ejs": Style("<%#", "%>"),
    "handlebars": Style("{{!", "}}"),
    "liquid": Style("{% #", "%}"),
    "jsp": Style("<%--", "--%>"),
    "freemarker": Style("<#--", "-->"),
    "razor": Style("@*", "*@"),
}
PHP_MARKUP = Style("<?php /*", "*/ ?>")
_JINJA_ENDINGS = (".jinja", ".jinja2", ".j2", ".njk", ".nunjucks", ".twig", ".djhtml")
_JS_ENDINGS = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts")
_SCRIPT_OPEN = lazy_pattern(r"<script\b", re.IGNORECASE)
_SCRIPT_CLOSE = lazy_pattern(r"</script\s*>", re.IGNORECASE)
_TAG_START = lazy_pattern(r"<[A-Za-z!/?]")


def check_reason(reason: str) -> str:
    """The reason, or a UserError: it must say something and fit in one comment of any syntax."""
    text = reason.strip()
    if not text:
        raise UserError("--add-ignore needs a reason: why these trackers may stay, e.g. --add-ignore \"BAA SEC-123\"")
    if printable(text) != text:
        raise UserError("--add-ignore: the reason must be one line of printable text")
    if len(text) > MAX_REASON:
        raise UserError(f"--add-ignore: the reason is {len(text)} characters long; keep it under {MAX_REASON}")
    for token in _FORBIDDEN_IN_REASON:
        if token in text.lower():
            raise UserError(f"--add-ignore: the reason cannot contain `{token}` (it would end the comment)")
    return text


@dataclass
class Outcome:
    added: int = 0
    merged: int = 0
    files: set[str] = field(default_factory=set)
    left: list[str] = field(default_factory=list)  # one line per finding that got no comment
    extended: set[tuple[str, int]] = field(default_factory=set)  # (path, line) of ignores given rules


def add_ignores(result, reason: str, stream) -> int:
    """Write the comments; report on stream; 0 when every failing finding got one, else 1."""
    reason = check_reason(reason)
    outcome = Outcome()
    by_file: dict[str, list] = defaultdict(list)
    directive_problems = []
    for finding in failing(result.findings):
        if finding.rule_id == "PHI900":
            directive_problems.append(finding)
        else:
            by_file[finding.sighting.path].append(finding)
    for rel in sorted(by_file):
        _one_file(result.root, rel, by_file[rel], reason, outcome)
    for finding in directive_problems:
        if (finding.sighting.path, finding.sighting.span.line) not in outcome.extended:
            outcome.left.append(_line(finding, "PHI900 is about an ignore comment itself: fix or remove that comment"))
    for line in outcome.left:
        stream.write(f"phi-lint: not added: {line}\n")
    done = f"phi-lint: added {plural(outcome.added, 'ignore comment')}"
    if outcome.merged:
        done += f" and extended {plural(outcome.merged, 'existing ignore')}"
    stream.write(f"{done} in {plural(len(outcome.files), 'file')}\n")
    return 1 if outcome.left else 0


def _line(finding, why: str) -> str:
    s = finding.sighting
    return f"{printable(s.path)}:{s.span.line}: {finding.rule_id}: {why}"


def _one_file(root, rel: str, findings: list, reason: str, outcome: Outcome) -> None:
    path = os.path.join(str(root), *rel.split("/"))
    if rel.lower().endswith((".json", ".json.js")):
        for finding in findings:
            outcome.left.append(_line(
                finding,
                f"JSON cannot hold comments; add `{finding.fingerprint}  # {reason}` to .phi-lint-ignore, "
                "or record it with `phi-lint baseline write`",
            ))
        return
    problem = _unwritable(path, str(root))
    data = None
    if problem is None:
        read = read_inside(path, str(root), MAX_FILE_SIZE)
        data, problem = read.data, read.problem
    if data is None:
        for finding in findings:
            outcome.left.append(_line(finding, f"file not changed ({(problem or '').removeprefix('skipped: ')})"))
        return
    source = _Source.decode(data)
    edits = _plan(rel, source.text, findings, reason, liquid=_jekyll_site(str(root)))
    for finding in findings:
        if finding.sighting.span.line in edits.beyond_end:
            outcome.left.append(_line(finding, "the file has fewer lines than when it was scanned; not changed"))
    if not edits.changes:
        return
    new_text = edits.apply(source.text)
    try:
        replace_bytes(path, source.encode(new_text), os.stat(path).st_mode & 0o7777)
    except OSError as exc:
        for finding in findings:
            outcome.left.append(_line(finding, f"cannot write the file ({exc.strerror})"))
        return
    outcome.added += edits.added
    outcome.merged += edits.merged
    outcome.extended.update((rel, index + 1) for index, (kind, _) in edits.changes.items() if kind == "replace")
    outcome.files.add(rel)


def _unwritable(path: str, root: str) -> str | None:
    if os.path.islink(path):
        return "a symbolic link: not written through"
    if not is_inside(path, root) or os.path.realpath(path) != os.path.abspath(path):
        return "reached through a link: not written"
    return None


_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


@dataclass
class _Source:
    bom: bytes
    encoding: str
    text: str

    @classmethod
    def decode(cls, data: bytes) -> _Source:
        for bom, encoding in _BOMS:
            if data.startswith(bom):
                return cls(bom, encoding, data[len(bom):].decode(encoding, errors="surrogateescape"))
        return cls(b"", "utf-8", data.decode("utf-8", errors="surrogateescape"))  # every byte kept

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode(self.encoding, errors="surrogateescape")


@dataclass
class _Edits:
    changes: dict[int, tuple[str, str]] = field(default_factory=dict)  # 0-based line -> (kind, text)
    added: int = 0
    merged: int = 0
    beyond_end: list[int] = field(default_factory=list)  # 1-based lines past the file's end (it changed since the scan)

    def apply(self, text: str) -> str:
        lines = text.splitlines(keepends=True)
        for index in sorted(self.changes, reverse=True):
            kind, new = self.changes[index]
            if kind == "replace":
                lines[index] = new
            else:
                lines.insert(index, new)
        return "".join(lines)


def _jekyll_site(root: str) -> bool:
    """A Jekyll site (its `_config.yml` at the root): `.html` files there are Liquid, where a
    Jinja `{# … #}` is no comment but text on the published page."""
    return any(os.path.isfile(os.path.join(root, name)) for name in ("_config.yml", "_config.yaml", "_config.toml"))


def _plan(rel: str, text: str, findings: list, reason: str, liquid: bool = False) -> _Edits:
    """Where each comment goes (or which existing ignore to extend), one per tracker line."""
    lines = text.splitlines(keepends=True)
    starts = _line_starts(lines)
    rules_at: dict[int, set[str]] = defaultdict(set)
    for finding in findings:
        rules_at[finding.sighting.span.line - 1].add(finding.rule_id)
    edits = _Edits()
    for index in sorted(rules_at):
        if index >= len(lines):
            edits.beyond_end.append(index + 1)
            continue
        rules = rules_at[index]
        if _extend_existing(lines, index, rules, reason, edits):
            continue
        target, style = _placement(rel, text, lines, starts, index, liquid)
        if target in edits.changes:  # two tracker lines share a start line: one comment for both
            kind, old = edits.changes[target]
            merged = _merge_line(old, rules, reason)
            if merged is not None:
                edits.changes[target] = (kind, merged)
                continue
        line = lines[target]
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        ending = "\r\n" if line.endswith("\r\n") else "\n"
        edits.changes[target] = ("insert", indent + style.comment(sorted(rules), reason) + ending)
        edits.added += 1
    return edits


def _line_starts(lines: list[str]) -> list[int]:
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line)
    return starts


def _extend_existing(lines, index: int, rules: set[str], reason: str, edits: _Edits) -> bool:
    """Add the rules to an ignore on the tracker's line or on the line just above it."""
    for candidate in (index, index - 1):
        if candidate < 0 or candidate in edits.changes:
            continue
        merged = _merge_line(lines[candidate], rules, reason)
        if merged is not None:
            edits.changes[candidate] = ("replace", merged)
            edits.merged += 1
            return True
    return False


def _merge_line(line: str, rules: set[str], reason: str) -> str | None:
    """line with its `ignore[...]` extended by rules (and given the reason if it had none), or
    None when it holds no line-scoped ignore with a rule list."""
    from phi_lint.suppress import _COMMENT_CLOSERS

    match = _DIRECTIVE.search(line)
    if match is None or match.group("scope").lower() != "ignore" or match.group("rules") is None:
        return None
    old = [r.strip().upper() for r in match.group("rules").split(",") if r.strip()]
    merged = old + sorted(set(rules) - set(old))
    start, end = match.span("rules")
    rest = line[end + 1:]
    if not _COMMENT_CLOSERS.sub("", rest.rstrip("\r\n")).strip().lstrip("-–—:").strip():
        rest = f" {reason}{rest}"  # an ignore without a reason gets this one
    return line[:start] + ",".join(merged) + "]" + rest


def _placement(rel: str, text: str, lines: list[str], starts: list[int], index: int,
               liquid: bool = False) -> tuple[int, Style]:
    """(0-based line to insert above, comment style) for tracker code starting on line index."""
    from phi_lint.parsers.template_comments import markup_flavour

    lower = rel.lower()
    if lower.endswith(_JS_ENDINGS):
        return index, SLASHES
    if lower.endswith((".jsx", ".tsx")):
        return index, _jsx_style(lines, index)
    flavour = (markup_flavour(lower) or ("html", ()))[0]
    if flavour in TEMPLATE_STYLES:
        return index, TEMPLATE_STYLES[flavour]  # a template comment is valid anywhere, even in a tag
    if flavour == "html" and not liquid and _is_jinja(lower, text):
        return index, JINJA
    if flavour == "html" and _is_handlebars(text):
        return index, TEMPLATE_STYLES["handlebars"]
    index = _outside_tag(text, lines, starts, index)
    in_script = _in_script(text, starts[index])
    if flavour == "astro":
        return index, SLASHES if in_script or _in_frontmatter(text, starts[index]) else JSX
    if flavour == "php":
        return index, SLASHES if _in_php(text, starts[index]) else PHP_MARKUP
    return index, SLASHES if in_script else HTML


def _is_jinja(lower: str, text: str) -> bool:
    if lower.endswith(_JINJA_ENDINGS):
        return True
    if text.startswith("---"):
        return False  # Jekyll front matter: Liquid, where `{#` is plain text
    return "{%" in text or "{{" in text and not _is_handlebars(text)


def _is_handlebars(text: str) -> bool:
    return any(token in text for token in ("{{#", "{{/", "{{!", "{{>"))


def _in_script(text: str, offset: int) -> bool:
    last_open = max((m.start() for m in _SCRIPT_OPEN.finditer(text, 0, offset)), default=-1)
    last_close = max((m.start() for m in _SCRIPT_CLOSE.finditer(text, 0, offset)), default=-1)
    return last_open > last_close and text.find(">", last_open, offset) != -1


def _outside_tag(text: str, lines: list[str], starts: list[int], index: int) -> int:
    """The line to comment above: index, or the line where a tag that is still open at the
    start of line index begins (a comment cannot go between a tag's attributes)."""
    offset = starts[index]
    if _in_script(text, offset):
        return index
    last_lt = max((m.start() for m in _TAG_START.finditer(text, max(0, offset - 20000), offset)), default=-1)
    if last_lt == -1 or text.find(">", last_lt, offset) != -1:
        return index
    line = text.count("\n", 0, last_lt)
    return min(line, index)


def _in_frontmatter(text: str, offset: int) -> bool:
    """Whether a line that starts at `offset` is in an Astro component's front matter (TypeScript)."""
    block = front_matter_span(text, leading_space=True)
    return block is not None and offset < block.end


def _in_php(text: str, offset: int) -> bool:
    return text.rfind("<?php", 0, offset) > text.rfind("?>", 0, offset)


def _jsx_style(lines: list[str], index: int) -> Style:
    """`{/* */}` between JSX children (after a tag or a `{…}` child), `//` wherever JavaScript is
    (statements, before the root element of a `return (`, between a tag's attributes)."""
    if not lines[index].lstrip().startswith("<"):
        return SLASHES
    previous = next((lines[i].strip() for i in range(index - 1, -1, -1) if lines[i].strip()), "")
    if previous.endswith(">") and not previous.endswith("=>"):
        return JSX
    if previous.startswith("{") and previous.endswith("}"):
        return JSX
    return SLASHES
