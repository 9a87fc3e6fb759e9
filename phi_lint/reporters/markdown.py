"""Markdown summary for a pull-request comment or a GitHub Actions job summary.

For teams without GitHub code scanning (private organisation repositories need GitHub Advanced
Security / Code Security for it): `phi-lint -f markdown . >> "$GITHUB_STEP_SUMMARY"`.

The output is a headline, a table of the findings (problems first, the PHI100 inventory folded
away), counts by rule and by vendor, and a line about the run (files, notices, suppressions).
Every text taken from the scanned repository (paths, snippets, vendor names) is escaped, so a
file name cannot inject markup or links into the summary. The table is cut at `max_rows` rows
and the whole document is kept under `max_bytes` (GitHub accepts at most 1 MiB of job summary
per step; a PR comment holds at most 65,536 characters, see PR_COMMENT_LIMIT), with a note
saying how much was left out and where the full list is.
"""

from __future__ import annotations

import html
import os
import re
from collections import Counter
from urllib.parse import quote

from phi_lint.generic.unread import caveat_of
from phi_lint.headline import HEADLINE_WIDTH, ranked_pages, short_message
from phi_lint.lazyre import lazy_pattern
from phi_lint.reporters.common import (
    baa_lowered_sentence,
    failing,
    plural,
    printable,
    suppression_breakdown,
    tracker_findings,
)

MAX_ROWS = 200
STEP_SUMMARY_LIMIT = 1024 * 1024  # bytes GitHub accepts per step in $GITHUB_STEP_SUMMARY
PR_COMMENT_LIMIT = 65536  # characters in one issue or pull-request comment
MAX_PAGES_PER_ROW = 3

_LEVEL_ORDER = {"error": 0, "warning": 1, "note": 2}
# CommonMark lets any ASCII punctuation be backslash-escaped; these are the ones that can start
# markup inside a table cell (emphasis, links and images, HTML, code, strike-through) or end it.
# `(`, `!` and `#` need no escape once `[` is escaped and a cell never starts a line.
_MARKDOWN_SPECIAL = lazy_pattern(r"([\\`*_\[\]<>|~])")


def github_link_base(environ=None) -> str | None:
    """`https://github.com/OWNER/REPO/blob/SHA` inside GitHub Actions, else None."""
    env = os.environ if environ is None else environ
    server = env.get("GITHUB_SERVER_URL")
    repository = env.get("GITHUB_REPOSITORY")
    sha = env.get("GITHUB_SHA")
    if not (server and repository and sha):
        return None
    return f"{server.rstrip('/')}/{repository}/blob/{sha}"


def escape_text(value: str) -> str:
    """Plain text for a table cell or a sentence: one line, no markup, no HTML, no controls."""
    one_line = printable(" ".join(str(value).split()))
    return _MARKDOWN_SPECIAL.sub(r"\\\1", one_line.replace("&", "&amp;"))


def code(value: str) -> str:
    """A code span that holds any text, safe inside a table cell."""
    text = printable(" ".join(str(value).split()))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text else ""
    # GFM splits table cells on `|` even inside code spans; `\|` keeps it in the span
    return f"{fence}{pad}{text.replace('|', chr(92) + '|')}{pad}{fence}"


def _location(finding, link_base: str | None) -> str:
    s = finding.sighting
    label = code(f"{s.path}:{s.span.line}")
    if not link_base:
        return label
    return f"[{label}]({link_base}/{quote(s.path, safe='/', errors='surrogateescape')}#L{s.span.line})"


def _pages(finding, contexts) -> str:
    """The pages, strongest evidence first (the one the headline names leads)."""
    path = finding.sighting.path
    ranked = [item.reach for item in ranked_pages(finding, contexts)]
    reaches = ranked + [reach for reach in finding.pages if reach not in ranked]
    if not reaches:
        return "–"
    shown = []
    for reach in reaches[:MAX_PAGES_PER_ROW]:
        shown.append("this file" if reach.page == path else code(reach.page))
    more = len(reaches) - MAX_PAGES_PER_ROW
    if more > 0:
        shown.append(f"+{more} more")
    return ", ".join(shown)


def _row(finding, link_base: str | None, contexts) -> str:
    cells = [
        code(finding.rule_id),
        escape_text(finding.level),
        escape_text(finding.vendor_name),
        _location(finding, link_base),
        _pages(finding, contexts),
        escape_text(short_message(finding, contexts, HEADLINE_WIDTH)),
    ]
    return "| " + " | ".join(cells) + " |"


_TABLE_HEAD = ["| Rule | Level | Vendor | Location | Pages | Finding |", "| --- | --- | --- | --- | --- | --- |"]


def _headline(result, problems: list) -> str:
    if not problems:
        hidden = failing(getattr(result, "suppressed", None) or [])
        if hidden:
            verb = "is" if len(hidden) == 1 else "are"
            return (f"## phi-lint: no problems reported, but {plural(len(hidden), 'problem')} {verb} suppressed "
                    f"({suppression_breakdown(hidden)})")
        if caveat_of(result) is not None:  # never the all-clear while some pages were not placed
            return "## phi-lint: no trackers found on the pages phi-lint could place"
        return "## phi-lint: no trackers on authenticated or health pages"
    levels = Counter(f.level for f in problems)
    parts = [plural(levels[level], level) for level in ("error", "warning") if levels[level]]
    files = len({f.sighting.path for f in problems})
    return f"## phi-lint: {plural(len(problems), 'problem')} ({', '.join(parts)}) in {plural(files, 'file')}"


def _counts(result) -> list[str]:
    findings = result.findings
    if not findings:
        return []
    try:
        from phi_lint.rulebook import load_rules

        names = {rule_id: rule.name for rule_id, rule in load_rules().items()}
    except Exception:  # the summary must not fail on a damaged rule catalogue
        names = {}
    by_rule = Counter((f.rule_id, f.level) for f in findings)
    lines = ["### Counts", "", "| Rule | Name | Level | Findings |", "| --- | --- | --- | --- |"]
    for (rule_id, level), n in sorted(by_rule.items(), key=lambda kv: (_LEVEL_ORDER.get(kv[0][1], 9), kv[0][0])):
        lines.append(f"| {code(rule_id)} | {escape_text(names.get(rule_id, ''))} | {escape_text(level)} | {n} |")
    trackers = tracker_findings(findings)
    by_vendor = Counter((f.vendor_name, f.sighting.vendor_id) for f in trackers)
    problems = Counter(f.sighting.vendor_id for f in trackers if f.level != "note")
    if not by_vendor:
        return lines
    lines += ["", "| Vendor | Id | Problems | Inventory |", "| --- | --- | --- | --- |"]
    for (name, vendor_id), n in sorted(by_vendor.items(), key=lambda kv: (-kv[1], kv[0][0])):
        bad = problems[vendor_id]
        lines.append(f"| {escape_text(name)} | {code(vendor_id)} | {bad} | {n - bad} |")
    return lines


def _run_line(result) -> str:
    scanned = f"Scanned {plural(result.files_scanned, 'file')}"
    extras = []
    if result.files_excluded:
        extras.append(f"{result.files_excluded} excluded")
    if result.files_skipped:
        extras.append(f"{result.files_skipped} skipped")
    sentence = scanned + (f" ({', '.join(extras)})" if extras else "") + "."
    notices = [n for n in result.notifications if n.level == "warning"]
    if notices:
        sentence += f" {plural(len(notices), 'notice')} about files that could not be read in full (`phi-lint -v` lists them)."
    suppressed = list(getattr(result, "suppressed", None) or [])
    if suppressed:
        verb = "was" if len(suppressed) == 1 else "were"
        sentence += f" {plural(len(suppressed), 'finding')} {verb} suppressed ({suppression_breakdown(suppressed)})."
    lowered = baa_lowered_sentence(getattr(result, "baa_lowered", None) or [])
    if lowered:
        sentence += " " + escape_text(lowered[0].upper() + lowered[1:])
    return sentence


def _no_context_hint(result) -> list[str]:
    contexts = getattr(result, "contexts", None) or {}
    if any(c.labels for c in contexts.values()):
        return []
    return [
        "",
        "> No page is known to be authenticated or health-related (pages are inferred where a "
        "tracker reaches them): tag pages with `phi-lint: authenticated` comments or add `[pages]` "
        "globs to `phi-lint.toml`.",
    ]


def render_markdown(
    result,
    *,
    max_rows: int = MAX_ROWS,
    max_bytes: int = STEP_SUMMARY_LIMIT,
    link_base: str | None = None,
) -> str:
    """The summary as GitHub-flavoured Markdown, at most max_bytes bytes of UTF-8.

    link_base (e.g. from github_link_base()) turns locations into links to the scanned commit.
    """
    ordered = sorted(result.findings, key=lambda f: (_LEVEL_ORDER.get(f.level, 9), f.sort_key))
    contexts = getattr(result, "contexts", None) or {}
    problems = [f for f in ordered if f.level != "note"]
    inventory = [f for f in ordered if f.level == "note"]

    head = [_headline(result, problems), ""]
    if problems:
        head += [
            "Trackers on pages behind login or about health conditions can disclose protected health "
            "information to the vendor (HHS OCR bulletin on online tracking technologies). "
            "`phi-lint rules PHI001` explains each rule and how to fix it.",
            "",
        ]
    head += _no_context_hint(result)
    unread = caveat_of(result)
    if unread is not None:
        head += ["", *(f"> {escape_text(line)}" for line in unread.summary_lines())]
    tail = [""] + _counts(result) + ["", _run_line(result)]

    def size(lines: list[str]) -> int:
        return sum(len(line.encode("utf-8")) + 1 for line in lines)

    # room for the cut note, which is added only when something is left out
    note_room = 400
    budget = max_bytes - size(head) - size(tail) - note_room
    rows_left = max(0, max_rows)

    def take(findings: list, table_cost: int) -> tuple[list[str], int]:
        """As many rows as fit; the first row also pays for the table around it."""
        nonlocal budget, rows_left
        rows: list[str] = []
        for finding in findings:
            row = _row(finding, link_base, contexts)
            cost = len(row.encode("utf-8")) + 1 + (0 if rows else table_cost)
            if rows_left <= 0 or cost > budget:
                break
            rows.append(row)
            budget -= cost
            rows_left -= 1
        return rows, len(findings) - len(rows)

    body: list[str] = []
    table_cost = size(_TABLE_HEAD) + 1
    problem_rows, problems_cut = take(problems, table_cost)
    if problem_rows:
        body += _TABLE_HEAD + problem_rows
    details_cost = table_cost + 120
    inventory_rows, inventory_cut = take(inventory, details_cost)
    if inventory_rows:
        # inside an HTML block Markdown escapes are not processed: HTML-escape instead
        summary = html.escape(
            f"Inventory: {plural(len(inventory), 'other tracker')} on pages not known to be sensitive, "
            "or with a BAA (PHI100)"
        )
        body += ["", "<details>", f"<summary>{summary}</summary>", "", *_TABLE_HEAD, *inventory_rows, "", "</details>"]
    elif inventory:
        body += ["", escape_text(f"Inventory: {plural(len(inventory), 'other tracker')} (PHI100), not listed here.")]

    cut = problems_cut + inventory_cut
    if cut:
        shown = len(problem_rows) + len(inventory_rows)
        body += [
            "",
            f"> **Note:** this summary lists {shown} of {len(ordered)} findings "
            f"({problems_cut} problems and {inventory_cut} inventory notes left out) to stay within "
            "GitHub's size limits. The full list: `phi-lint -f sarif` (code scanning) or `phi-lint -f json`.",
        ]
    document = "\n".join(head + body + tail).rstrip("\n") + "\n"
    encoded = document.encode("utf-8")
    if len(encoded) > max_bytes:  # only with a max_bytes too small for the headline and counts
        document = encoded[: max(0, max_bytes - 1)].decode("utf-8", errors="ignore").rstrip("\n") + "\n"
    return document
