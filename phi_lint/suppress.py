"""Suppressions: inline `phi-lint: ignore[RULE] reason`, the `.phi-lint-ignore` file of
fingerprints, and `per-file-ignores` in config.

An inline ignore sits in the file's own comment syntax and covers findings on its line, or on
the element or statement that follows it (the next sighting that starts within a few lines, with
nothing else in between). `phi-lint: file-ignore[RULE] reason` covers the whole file. A reason is
required: an ignore without one still applies but is reported as PHI900, and so is one that
matches nothing.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from phi_lint.lazyre import lazy_pattern
from phi_lint.models import Finding, Notification, Sighting, Span, Suppression
from phi_lint.reporters.common import excerpt, printable
from phi_lint.safeio import read_inside

NEXT_ELEMENT_LINES = 15  # how far below an ignore the element it covers may start its tracker code
IGNORE_FILE = ".phi-lint-ignore"

_DIRECTIVE = lazy_pattern(
    r"phi[-_]lint\s*:\s*(?P<scope>ignore|file-ignore)\b(?:\[(?P<rules>[^\]]*)\])?(?P<rest>[^\n]*)",
    re.IGNORECASE,
)
_COMMENT_OPENERS = ("<!--", "{#", "{{--", "{{!", "<%#", "//", "/*", "{/*", "#", "*", "@*", "<#--", "<%--", "{%")
_COMMENT_CLOSERS = lazy_pattern(r"(?<!\s)\s*(-->|#\}|--\}\}|\}\}|%>|\*/\}?|\*/ ?\?>|\*@|--%>|%\})\s*$")
_RULE_ID = lazy_pattern(r"^[A-Z]{3}\d{3}$")
_FINGERPRINT = lazy_pattern(r"[0-9a-f]{32}")


@dataclass
class Directive:
    path: str
    line: int
    column: int
    rules: tuple[str, ...]  # empty: every rule
    reason: str
    whole_file: bool
    text: str  # as written, up to the line's end (the code snippet; part of the fingerprint)
    used: bool = False
    bad_rules: tuple[str, ...] = ()

    @property
    def quote(self) -> str:
        """What messages quote: the directive and its reason, without the comment's closer
        (`phi-lint: ignore[PHI003]`, not `phi-lint: ignore[PHI003] #}`)."""
        return _COMMENT_CLOSERS.sub("", self.text).rstrip()

    def covers(self, rule_id: str) -> bool:
        return not self.rules or rule_id in self.rules


def parse_directives(path: str, text: str) -> list[Directive]:
    found = []
    line, counted = 1, 0  # line numbers counted on from the previous match: linear in the text
    for match in _DIRECTIVE.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        prefix = text[line_start : match.start()].strip()
        if prefix and not any(opener in prefix for opener in _COMMENT_OPENERS):
            continue  # prose that mentions the syntax is not a directive
        rules = tuple(r.strip().upper() for r in (match.group("rules") or "").split(",") if r.strip())
        rest = _COMMENT_CLOSERS.sub("", match.group("rest"))
        reason = rest.strip().lstrip("-–—:").strip()
        line += text.count("\n", counted, match.start())
        counted = match.start()
        found.append(
            Directive(
                path=path,
                line=line,
                column=match.start() - line_start + 1,
                rules=rules,
                reason=reason,
                whole_file=match.group("scope").lower() == "file-ignore",
                text=match.group(0).strip(),
                bad_rules=tuple(r for r in rules if not _RULE_ID.match(r)),
            )
        )
    return found


def _sighting_starts(findings: list[Finding]) -> dict[str, list[int]]:
    starts: dict[str, set[int]] = {}
    for finding in findings:
        starts.setdefault(finding.sighting.path, set()).add(finding.sighting.span.line)
    return {path: sorted(lines) for path, lines in starts.items()}


class _FileIgnores:
    """The inline ignores of one file, indexed so that a finding looks only at the lines that can
    cover it (its own lines and the NEXT_ELEMENT_LINES above it) and at the first file-wide
    ignore for its rule: matching is linear in findings plus directives, where comparing every
    finding with every directive took 33 s for 19,500 ignores. Ties go to the directive first in
    the file, as before."""

    def __init__(self, directives: list[Directive]):
        self.by_line: dict[int, list[tuple[int, Directive]]] = {}
        self.whole_file_any: tuple[int, Directive] | None = None  # first file-ignore of every rule
        self.whole_file: dict[str, tuple[int, Directive]] = {}  # rule -> first file-ignore naming it
        for order, directive in enumerate(directives):
            if not directive.whole_file:
                self.by_line.setdefault(directive.line, []).append((order, directive))
            elif not directive.rules:
                self.whole_file_any = self.whole_file_any or (order, directive)
            else:
                for rule in directive.rules:
                    self.whole_file.setdefault(rule, (order, directive))

    def first_covering(self, finding: Finding, starts: list[int]) -> Directive | None:
        s = finding.sighting
        first = s.span.line
        best: tuple[int, Directive] | None = None
        for candidate in (self.whole_file_any, self.whole_file.get(finding.rule_id)):
            if candidate is not None and (best is None or candidate[0] < best[0]):
                best = candidate
        own = {first, *s.lines}
        for line in own.union(range(max(first - NEXT_ELEMENT_LINES, 1), first)):
            for order, directive in self.by_line.get(line, ()):
                if best is not None and order > best[0]:
                    break
                if directive.covers(finding.rule_id) and (line in own or _next_element(line, first, starts)):
                    best = (order, directive)
                    break
        return best[1] if best is not None else None


def apply_inline(findings: list[Finding], directives: dict[str, list[Directive]]) -> None:
    """Mark findings covered by inline ignores (in the file that holds the tracker code)."""
    starts = _sighting_starts(findings)
    indexes: dict[str, _FileIgnores] = {}
    for finding in findings:
        if finding.suppression is not None:
            continue
        path = finding.sighting.path
        if path not in directives:
            continue
        if path not in indexes:
            indexes[path] = _FileIgnores(directives[path])
        directive = indexes[path].first_covering(finding, starts.get(path, []))
        if directive is not None:
            directive.used = True
            finding.suppression = Suppression(
                "inSource", directive.reason or "(no reason given)", f"{directive.path}:{directive.line}"
            )


def _next_element(line: int, first: int, starts: list[int]) -> bool:
    """An ignore on `line` covers tracker code starting on `first`, a few lines below, when no
    other tracker code (`starts`, sorted) starts between them."""
    if not (line < first <= line + NEXT_ELEMENT_LINES):
        return False
    after = bisect_right(starts, line)
    return after == len(starts) or starts[after] >= first


def directive_findings(directives: dict[str, list[Directive]], enabled_rules: set[str], require_reason: bool):
    """PHI900 findings: ignores without a reason, naming unknown rules, or matching nothing."""
    from phi_lint.rulebook import load_rules

    if "PHI900" not in enabled_rules:
        return []
    rule = load_rules()["PHI900"]
    out = []
    for path in sorted(directives):
        for d in directives[path]:
            problems = []
            if require_reason and not d.reason:
                problems.append("gives no reason; write why after the rule list")
            if d.bad_rules:
                problems.append(f"names unknown rule id(s) {', '.join(d.bad_rules)}")
            elif not d.used and (not d.rules or any(r in enabled_rules for r in d.rules)):
                problems.append("matches no finding (remove it, or move it next to the tracker code)")
            if not problems:
                continue
            sighting = Sighting(
                vendor_id="phi-lint",
                path=path,
                span=Span(d.line, d.column, d.line, d.column + len(d.text)),
                kind="suppression",
                snippet=d.text,
                lines=(d.line,),
            )
            out.append(
                Finding(
                    rule_id="PHI900",
                    level=rule.level,
                    sighting=sighting,
                    vendor_name="phi-lint",
                    category="suppression",
                    message=f"The suppression `{d.quote}` {' and '.join(problems)}.",
                    help_hint=rule.fix,
                )
            )
    return out


@dataclass
class IgnoreFile:
    path: Path | None = None
    entries: dict[str, tuple[str, int]] = field(default_factory=dict)  # fingerprint -> (reason, line)
    used: set[str] = field(default_factory=set)


MAX_IGNORE_FILE_SIZE = 4 * 1024 * 1024


def load_ignore_file(path: Path, notifications: list[Notification], display: str, root: Path | None = None) -> IgnoreFile:
    """`.phi-lint-ignore`: one fingerprint per line, `# reason` after it; blank and # lines skipped.

    The file comes with the scanned repository: what cannot be read or parsed is a warning naming
    the file and line, quoting at most a short printable excerpt, and every other line applies
    (an error would stop the scan, and the same pull request could then switch the check off).
    """
    ignore = IgnoreFile(path=path)
    read = read_inside(str(path), str(root if root is not None else path.parent), MAX_IGNORE_FILE_SIZE)
    if read.data is None:
        # a link out of the tree (to /proc/self/environ, say), a FIFO, a huge file: not read
        notifications.append(Notification(display, f"ignore file not read: {(read.problem or 'cannot read').removeprefix('skipped: ')}"))
        return ignore
    for number, raw in enumerate(read.data.decode("utf-8", errors="surrogateescape").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        fingerprint, _, reason = line.partition("#")
        fingerprint = fingerprint.strip()
        if not _FINGERPRINT.fullmatch(fingerprint):
            notifications.append(Notification(display, f"line {number}: {_not_a_fingerprint(fingerprint)}; line skipped"))
            continue
        if not reason.strip():
            notifications.append(
                Notification(display, f"line {number}: ignore entry {fingerprint} has no reason; write `# why` after it")
            )
        ignore.entries[fingerprint] = (reason.strip(), number)
    return ignore


def _not_a_fingerprint(text: str) -> str:
    # not text (NUL-separated data such as /proc/self/environ, binary): nothing is quoted
    if printable(text) != text:
        return "holds control characters or bytes that are not UTF-8, not a finding fingerprint"
    return f"`{excerpt(text)}` is not a finding fingerprint (32 hex digits)"


MAX_LINES_NAMED = 10  # a notice about unused entries names this many lines, then counts the rest


def unused_ignore_entries(ignore: IgnoreFile, live: set[str], display: str) -> list[Notification]:
    """A warning naming the ignore file's entries that match no finding of a whole-project run
    (the code they covered changed or went away), as the baseline's stale entries are; an entry
    left there would silently cover a finding that comes back with the same fingerprint."""
    lines = sorted(number for fingerprint, (_, number) in ignore.entries.items() if fingerprint not in live)
    if not lines:
        return []
    named = ", ".join(str(n) for n in lines[:MAX_LINES_NAMED])
    more = f" and {len(lines) - MAX_LINES_NAMED} more" if len(lines) > MAX_LINES_NAMED else ""
    entries = "entry matches" if len(lines) == 1 else "entries match"
    return [Notification(
        display,
        f"{len(lines)} {entries} no finding (line{'s' if len(lines) > 1 else ''} {named}{more}); remove "
        "them: the code they covered changed or was removed",
        level="warning",
        code="unused-suppression",
    )]


def apply_ignore_file(findings: list[Finding], ignore: IgnoreFile, display: str) -> None:
    for finding in findings:
        if finding.suppression is None and finding.fingerprint in ignore.entries:
            reason, number = ignore.entries[finding.fingerprint]
            ignore.used.add(finding.fingerprint)
            finding.suppression = Suppression("external", reason or "(no reason given)", f"{display}:{number}")


def apply_per_file_ignores(findings: list[Finding], per_file: dict[str, list[str]], config_root: Path, project_root: Path, origin: str) -> None:
    if not per_file:
        return
    import pathspec

    specs = [(glob, pathspec.GitIgnoreSpec.from_lines([glob]), rules) for glob, rules in per_file.items()]
    for finding in findings:
        if finding.suppression is not None:
            continue
        absolute = project_root / finding.sighting.path
        try:
            rel = absolute.relative_to(config_root).as_posix()
        except ValueError:
            continue
        for glob, spec, rules in specs:
            if spec.match_file(rel) and any(finding.rule_id.startswith(r.upper()) for r in rules):
                finding.suppression = Suppression("external", f"per-file-ignores `{glob}` in {origin}", origin)
                break
