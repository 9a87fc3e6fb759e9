"""Terminal output: `path:line:col: RULE [Vendor] message`, the source line with carets, a help
line, and a summary."""

from __future__ import annotations

import os
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from phi_lint.generic.unread import caveat_of
from phi_lint.headline import HEADLINE_WIDTH, chain_text, location_of, prefix, ranked_pages, short_message
from phi_lint.reporters.common import (
    DEFAULT_FAIL_ON,
    baa_lowered_sentence,
    fail_on_sentence,
    failing,
    plural,
    printable,
    suppression_breakdown,
    tracker_findings,
)
from phi_lint.reporters.excerpt import excerpt
from phi_lint.safeio import read_inside
from phi_lint.textio import DEFAULT_MAX_FILE_SIZE, decode_source


@dataclass
class TextOptions:
    color: bool = False
    show_inventory: bool = False
    statistics: bool = False
    verbose: bool = False
    quiet: bool = False


COLOR_CHOICES = ("auto", "always", "never")


def use_color(stream, choice: str = "auto") -> bool:
    """--color: `always` and `never` decide; `auto` colours a terminal, unless NO_COLOR is set,
    and anything when FORCE_COLOR is set."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


class _Paint:
    def __init__(self, on: bool):
        self.on = on

    def __call__(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.on else text


_LEVEL_COLOR = {"error": "1;31", "warning": "1;33", "note": "1;34"}
_GUTTER = "1;34"


def display_path(rel: str, root: Path) -> str:
    """Paths relative to the working directory when possible (clickable in terminals)."""
    absolute = root / rel
    try:
        return os.path.relpath(absolute)
    except ValueError:
        return str(absolute)


def shown_path(rel: str, root: Path) -> str:
    """display_path made printable; a name that would start a line with `::` (a GitHub workflow
    command such as `::error` or `::stop-commands::`) is shown as `./::…`, the same file."""
    shown = printable(display_path(rel, root))
    return "./" + shown if shown.lstrip().startswith("::") else shown


def render_text(result, options: TextOptions) -> str:
    """Each finding as a headline (`path:line:col: RULE [Vendor] message`, about 160 characters
    at most), the source line with carets under the tracker code, and a help line; `-q` only the
    headlines, `-v` also every page with its include chain and evidence, and the notes."""
    paint = _Paint(options.color)
    out: list[str] = []
    shown = [
        f for f in result.findings
        if f.level != "note" or options.show_inventory or options.verbose
    ]
    sources = _SourceLines(result)
    for finding in shown:
        out.append(_headline(finding, result, paint))
        if options.quiet:
            continue
        out.extend(_source(finding, sources, paint))
        out.append(f"  {paint('help:', '36')} {_help(finding)}")
        if options.verbose:
            out.extend(_details(finding, result, paint))
    if options.statistics:
        out.extend(_statistics(result, paint))
    if not options.quiet:
        out.extend(_summary(result, shown, paint))
    return "\n".join(out) + ("\n" if out else "")


def _headline(finding, result, paint) -> str:
    """The headline, fitted to HEADLINE_WIDTH characters, then painted (escapes are not counted)."""
    shown = lambda rel: shown_path(rel, result.root)  # noqa: E731 - one-line path formatter
    where = location_of(finding, shown)
    width = max(HEADLINE_WIDTH - len(prefix(where, finding)), 0)
    message = short_message(finding, result.contexts, width, shown)
    rule = paint(finding.rule_id, _LEVEL_COLOR[finding.level])
    return f"{paint(where, '1')} {rule} [{printable(finding.vendor_name)}] {message}"


def _help(finding) -> str:
    """How to fix, and where the rule's help (with how to suppress) is."""
    return f"{printable(finding.help_hint)} (`phi-lint rules {finding.rule_id}`: why, and how to suppress)"


class _SourceLines:
    """The lines of the files that hold findings, read once each, as the scan read them: a file
    that cannot be read now (gone, replaced by a link out of the tree) shows no source line. A
    result may carry the text it scanned for a path (`source_texts`, e.g. text read from stdin
    under --stdin-filename): that text is shown, not the file on disk."""

    def __init__(self, result):
        self._root = Path(result.root)
        config = getattr(result, "config", None)
        self._max_size = getattr(config, "max_file_size", None) or DEFAULT_MAX_FILE_SIZE
        given = getattr(result, "source_texts", None) or {}
        self._lines: dict[str, list[str] | None] = {rel: text.split("\n") for rel, text in given.items()}

    def line(self, rel: str, number: int) -> str | None:
        if rel not in self._lines:
            self._lines[rel] = self._read(rel)
        lines = self._lines[rel]
        if lines is None or not 1 <= number <= len(lines):
            return None
        return lines[number - 1]

    def _read(self, rel: str) -> list[str] | None:
        read = read_inside(str(self._root / rel), str(self._root), self._max_size)
        if read.data is None:
            return None
        decoded = decode_source(read.data)
        return decoded.text.split("\n") if decoded.text is not None else None


def _source(finding, sources: _SourceLines, paint) -> list[str]:
    """`18 | <the line or its part around the column>` and `   |    ^^^` under it."""
    span = finding.sighting.span
    line = sources.line(finding.sighting.path, span.line)
    if line is None:
        return []
    end = span.end_column if span.end_line == span.line else None
    cut = excerpt(line, span.column, end)
    number = str(span.line)
    gutter = paint(f"{number} |", _GUTTER)
    blank = paint(f"{' ' * len(number)} |", _GUTTER)
    carets = paint("^" * cut.caret_width, _LEVEL_COLOR[finding.level])
    return [f"  {gutter} {cut.text}", f"  {blank} {' ' * cut.caret_start}{carets}"]


def _details(finding, result, paint) -> list[str]:
    """-v: the notes of the message, then every page (strongest evidence first, as the headline
    ranks them) with its chain and every evidence."""
    lines = [f"  {paint('note:', '36')} {printable(note)}" for note in finding.notes]
    ranked = [item.reach for item in ranked_pages(finding, result.contexts)]
    for reach in ranked + [reach for reach in finding.pages if reach not in ranked]:
        lines.append(f"  {paint('page:', '36')} {printable(chain_text(reach.chain))}")
        context = result.contexts[reach.page] if reach.page in result.contexts else None
        for label, evidence in sorted(context.labels.items()) if context is not None else []:
            for item in evidence:
                lines.append(f"    {printable(label)}: {printable(item.describe())}")
    return lines


def _statistics(result, paint) -> list[str]:
    counts = Counter((f.rule_id, printable(f.sighting.vendor_id), printable(f.vendor_name)) for f in result.findings)
    lines = _unclassified_hosts(result, paint)
    if not counts:
        return lines
    lines += ["", paint("Statistics", "1")]
    width = max(len(str(n)) for n in counts.values())
    vendor_width = max(len(v) for _, v, _ in counts)
    for (rule, vendor, name), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"{n:>{width}}  {rule}  {vendor:<{vendor_width}}  {name}")
    return lines


def _unclassified_hosts(result, paint) -> list[str]:
    """The third-party hosts no catalogue knows, with the pages and files that load each."""
    from phi_lint.thirdparty.summary import unclassified

    table = getattr(result, "third_party_hosts", {}) or {}
    hosts = unclassified(table)
    if not hosts:
        return []
    lines = ["", paint("Unclassified third-party hosts", "1")]
    width = max(len(printable(host)) for host in hosts)
    for host in hosts:
        entry = table[host]
        lines.append(f"  {printable(host):<{width}}  {plural(entry['pages'], 'page')}, {plural(entry['files'], 'file')}")
    return lines


def _summary(result, shown, paint) -> list[str]:
    levels = Counter(f.level for f in result.findings)
    problems = levels["error"] + levels["warning"]
    notes = levels["note"]
    lines = [""]
    if problems:
        parts = []
        if levels["error"]:
            parts.append(paint(plural(levels["error"], "error"), _LEVEL_COLOR["error"]))
        if levels["warning"]:
            parts.append(paint(plural(levels["warning"], "warning"), _LEVEL_COLOR["warning"]))
        files = len({f.sighting.path for f in result.findings if f.level != "note"})
        lines.append(f"Found {plural(problems, 'problem')} ({', '.join(parts)}) in {plural(files, 'file')}.")
    else:
        lines.append(_nothing_reported(result, paint))
    unread = caveat_of(result)
    if unread is not None:
        lines.extend(unread.summary_lines())
    threshold = fail_on_sentence(result.findings, getattr(result, "fail_on", DEFAULT_FAIL_ON))
    if threshold:
        lines.append(threshold)
    if notes:
        hidden = notes - sum(1 for f in shown if f.level == "note")
        tail = " (--show-inventory lists them)" if hidden else ""
        allowed = sum(1 for f in result.findings if f.level == "note" and f.sighting.kind == "csp")
        if notes - allowed:
            lines.append(f"Inventory: {plural(notes - allowed, 'other tracker')} on pages not known to be sensitive, or with a BAA (PHI100){tail}.")
        if allowed:
            lines.append(f"Content-Security-Policy: {plural(allowed, 'catalogue vendor')} allowed by committed policies "
                         f"(PHI100 inventory: allowed, not seen loaded){tail}.")
    lowered = baa_lowered_sentence(getattr(result, "baa_lowered", []))
    if lowered:
        lines.append(lowered[0].upper() + lowered[1:])
    # (a library CDN is no tracker vendor: the hosts line below counts it)
    by_vendor = Counter(printable(f.vendor_name) for f in tracker_findings(result.findings) if f.category != "library-cdn")
    if by_vendor:
        top = ", ".join(f"{name} {n}" for name, n in sorted(by_vendor.items(), key=lambda kv: (-kv[1], kv[0]))[:6])
        lines.append(f"Vendors: {top}.")
    from phi_lint.thirdparty.summary import hosts_sentence

    hosts = hosts_sentence(getattr(result, "third_party_hosts", {}) or {})
    if hosts:
        lines.append(printable(hosts))
    lines.append(profile_line(result))
    warn_notes = [n for n in result.notifications if n.level == "warning"]
    scanned = f"Scanned {plural(result.files_scanned, 'file')}"
    extras = []
    if result.files_excluded:
        extras.append(f"{result.files_excluded} excluded")
    if result.files_skipped:
        extras.append(f"{result.files_skipped} skipped")
    if warn_notes:
        extras.append(plural(len(warn_notes), "notice") + " above")
    lines.append(scanned + (f" ({', '.join(extras)})" if extras else "") + ".")
    if result.suppressed and (problems or len(failing(result.suppressed)) != len(result.suppressed)):
        # (when nothing is reported and every suppressed finding is a problem, the headline said it)
        lines.append(f"Suppressed: {plural(len(result.suppressed), 'finding')} ({suppression_breakdown(result.suppressed)}).")
    if not result.contexts or not any(c.labels for c in result.contexts.values()):
        lines.append(
            "No page is tagged, configured or inferred authenticated or health (pages are inferred "
            "where a tracker reaches them): add `phi-lint: authenticated` comments or [pages] globs "
            "in phi-lint.toml (see README)."
        )
    return lines


def profile_line(result) -> str:
    """The profile in use and what it means (rules/profiles/)."""
    from phi_lint.profiles import DEFAULT_PROFILE, load_profile

    profile = load_profile(getattr(result.config, "profile", DEFAULT_PROFILE))
    default = " (the default)" if profile.id == DEFAULT_PROFILE else ""
    return f"Profile: {profile.id}{default}: {profile.summary}."


def _nothing_reported(result, paint) -> str:
    """The headline of a run that reports no problem: "No trackers on …" only when none is
    hidden either; suppressed problems are still in the code, and the headline says how many."""
    hidden = failing(result.suppressed)
    unread = caveat_of(result)
    if not hidden and unread is not None:
        # never the all-clear while some files could not be placed on pages
        return paint(f"No trackers found on the pages phi-lint could place; {unread.caveat()}.", "1;33")
    if not hidden:
        return paint("No trackers on authenticated or health pages.", "1;32")
    verb = "is" if len(hidden) == 1 else "are"
    return paint(
        f"No problems reported, but {plural(len(hidden), 'problem')} {verb} suppressed "
        f"({suppression_breakdown(hidden)}): the trackers are still in the code.",
        "1;33",
    )


def render_notifications(result, verbose: bool, color: bool) -> str:
    paint = _Paint(color)
    lines = []
    for note in result.notifications:
        if note.level == "note" and not verbose:
            continue
        label = paint(note.level + ":", "1;33" if note.level == "warning" else "1;34")
        lines.append(f"{label} {shown_path(note.path, result.root)}: {printable(note.message)}")
    return "\n".join(lines) + ("\n" if lines else "")


def stderr_color(choice: str = "auto") -> bool:
    return use_color(sys.stderr, choice)
