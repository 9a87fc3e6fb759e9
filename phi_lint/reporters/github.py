"""GitHub Actions workflow commands (::error file=…::message), escaped as the runner expects."""

from __future__ import annotations

_COMMAND = {"error": "error", "warning": "warning", "note": "notice"}


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render_github(result) -> str:
    lines = []
    for finding in result.findings:
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
        message = f"{finding.message} Fix: {finding.help_hint}."
        lines.append(f"::{_COMMAND[finding.level]} {','.join(props)}::{_escape_data(message)}")
    for note in result.notifications:
        if note.level == "warning":
            lines.append(f"::warning file={_escape_property(note.path)},title=phi-lint::{_escape_data(note.message)}")
    return "\n".join(lines) + ("\n" if lines else "")
