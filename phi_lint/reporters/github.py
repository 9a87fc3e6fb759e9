"""GitHub Actions workflow commands (::error file=…::message), escaped as the runner expects.

Every value is made printable first (control characters, bidi overrides and undecodable name
bytes shown as visible escapes), then given the runner's own escaping, so nothing taken from the
scanned repository can end a command line or start a new one.
"""

from __future__ import annotations

from phi_lint.headline import sentence
from phi_lint.reporters.common import printable

_COMMAND = {"error": "error", "warning": "warning", "note": "notice"}
PER_STEP_LIMIT = 10  # GitHub shows at most 10 annotations of each level per step


def _escape_data(value: str) -> str:
    return printable(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render_github(result) -> str:
    lines = []
    shown = {"error": 0, "warning": 0, "note": 0}
    dropped = 0
    order = {"error": 0, "warning": 1, "note": 2}
    for finding in sorted(result.findings, key=lambda f: (order[f.level], f.sort_key)):
        if shown[finding.level] >= PER_STEP_LIMIT:
            dropped += 1
            continue
        shown[finding.level] += 1
        s = finding.sighting
        props = [
            f"file={_escape_property(s.path)}",
            f"line={s.span.line}",
            f"col={s.span.column}",
            f"endLine={s.span.end_line}",
        ]
        if s.span.end_line == s.span.line:
            props.append(f"endColumn={s.span.end_column}")
        props.append(f"title={_escape_property(f'{finding.rule_id} [{finding.vendor_name}]')}")
        message = f"{sentence(finding, result.contexts)}. Fix: {finding.help_hint}."
        lines.append(f"::{_COMMAND[finding.level]} {','.join(props)}::{_escape_data(message)}")
    if dropped:
        lines.append(
            f"::notice title=phi-lint::{dropped} more finding(s) not annotated (GitHub shows {PER_STEP_LIMIT} per level "
            "and step); upload SARIF or use -f markdown for the full list."
        )
    warnings = [n for n in result.notifications if n.level == "warning"]
    if warnings:
        lines.append(
            f"::notice title=phi-lint::{len(warnings)} file(s) could not be fully scanned: "
            + _escape_data("; ".join(f"{n.path}: {n.message}" for n in warnings[:5]))
        )
    return "\n".join(lines) + ("\n" if lines else "")
