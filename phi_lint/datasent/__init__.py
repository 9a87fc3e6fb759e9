"""What trackers are handed and how they are configured (PHI004, replay settings, consent).

The scan calls `analyze_file` for every markup or script file with at least one sighting. It
returns the file's sightings, updated with replay settings (`details["replay"]`, notes) and
consent evidence (`details["consentGated"]`, `details["consent"]`), plus one new sighting of
kind "data-sent" for each tracker call that is handed personal or health data; the policy turns
those into PHI004 findings (phi_lint.datasent.policy).
"""

from __future__ import annotations

import os
from dataclasses import replace

from phi_lint.models import Sighting, Span
from phi_lint.textio import LineIndex

__all__ = ["analyze_file", "analyze_text"]

_MAX_SNIPPET = 120


def _snippet(text: str, start: int, end: int) -> str:
    piece = text[start:end]
    first = piece.split("\n", 1)[0].strip()
    if "\n" in piece.strip():
        first += " …"
    return first if len(first) <= _MAX_SNIPPET else first[: _MAX_SNIPPET - 3] + "..."


def _covers(sighting: Sighting, line: int) -> bool:
    last = max([sighting.span.end_line, *sighting.lines]) if sighting.lines else sighting.span.end_line
    return sighting.span.line <= line <= last


def _nearest(sightings: list[Sighting], vendor_id: str, line: int) -> int | None:
    best = None
    for i, sighting in enumerate(sightings):
        if sighting.vendor_id != vendor_id or sighting.kind == "data-sent":
            continue
        if _covers(sighting, line):
            return i
        distance = abs(sighting.span.line - line)
        if best is None or distance < best[0]:
            best = (distance, i)
    return best[1] if best else None


def _with_details(sighting: Sighting, **changes) -> Sighting:
    details = dict(sighting.details or {})
    notes = list(details.get("notes") or [])
    for note in changes.pop("notes", []):
        if note not in notes:
            notes.append(note)
    if notes:
        details["notes"] = notes
    capabilities = changes.pop("capabilities", ())
    details.update(changes)
    new_capabilities = tuple(sorted(set(sighting.capabilities) | set(capabilities)))
    return replace(sighting, details=details, capabilities=new_capabilities)


def analyze_text(name: str, kind: str, text: str, sightings: list[Sighting], catalogue, rel: str | None = None,
                 parsed=None):
    """The data-sent analysis of one file's text (also used by the case tests); `parsed` is the
    file's phi_lint.lang.Source, whose parses it shares."""
    from phi_lint.datasent.calls import Naming, find_data_calls, shapes
    from phi_lint.datasent.consent import code_gates, markup_gates
    from phi_lint.datasent.flow import Flow
    from phi_lint.datasent.replay import config_settings, markup_settings
    from phi_lint.datasent.units import units_of

    problems: list[str] = []
    if kind not in ("markup", "script") or not sightings:
        return list(sightings), problems
    if all(s.kind == "tag-manager-tag" for s in sightings):
        return list(sightings), problems  # a committed tag-manager runtime: library code
    rel = rel or name
    units, info = units_of(name, kind, text, parsed)
    lines = LineIndex(text)
    file_vendors = {s.vendor_id for s in sightings}
    calls = []
    settings = markup_settings(info, sightings, catalogue)
    gates = markup_gates(info) if kind == "markup" else []
    for unit in units:
        try:
            naming = Naming(unit, shapes())
            flow = Flow(unit, info, naming)
            calls.extend(find_data_calls(unit, info, file_vendors, catalogue, naming, flow))
            settings.extend(config_settings(unit, flow, naming, catalogue))
            gates.extend(code_gates(unit, flow, naming))
        except RecursionError:
            line = lines.position(unit.start)[0]
            problems.append(f"data-sent analysis: code at line {line} is nested too deeply; part of it was skipped")
        except Exception as exc:  # one odd script must not hide what the others send
            line = lines.position(unit.start)[0]
            problems.append(f"data-sent analysis: internal error in the code at line {line} ({type(exc).__name__}: {exc}); skipped")

    updated = _with_settings(list(sightings), settings, lines)
    data_sightings = _data_sightings(calls, catalogue, text, rel, lines)
    if gates:
        ranges = _gate_ranges(gates, text, lines)
        updated = _gated(updated, ranges)
        data_sightings = _gated(data_sightings, ranges)
    return updated + data_sightings, problems


def _with_settings(updated: list[Sighting], settings, lines: LineIndex) -> list[Sighting]:
    """The sightings with each replay setting on the vendor's sighting nearest to where it is set."""
    for setting in settings:
        set_at = lines.position(setting.offset)[0] if setting.offset >= 0 else None
        index = _nearest(updated, setting.vendor_id, set_at if set_at is not None else 0)
        if index is None:
            continue
        target = updated[index]
        shown_line = set_at if set_at is not None else target.span.line
        notes = [note.replace("{line}", str(shown_line)) for note in setting.notes]
        if not setting.replay:
            updated[index] = _with_details(target, notes=notes, capabilities=setting.capabilities)
            continue
        replay = {"setting": setting.setting, "value": setting.value, "line": shown_line, "masked": setting.masked}
        existing = (target.details or {}).get("replay")
        if existing and existing.get("masked") is False and setting.masked:
            replay = existing  # the unmasked setting is the one to report
        updated[index] = _with_details(target, notes=notes, replay=replay, capabilities=setting.capabilities)
    return updated


def _data_sightings(calls, catalogue, text: str, rel: str, lines: LineIndex) -> list[Sighting]:
    """A "data-sent" sighting for each call that hands personal or health data to a tracker."""
    out = []
    for call in calls:
        line, column = lines.position(call.start)
        end_line, end_column = lines.position(max(call.end, call.start + 1))
        vendor = catalogue.get(call.vendor_id)
        details = {
            "sent": [item.as_dict() for item in call.items],
            "call": call.label,
            "what": call.what,
        }
        if vendor is None:
            details["vendorName"] = call.vendor_id
        out.append(
            Sighting(
                vendor_id=call.vendor_id,
                path=rel,
                span=Span(line, column, end_line, end_column),
                kind="data-sent",
                snippet=_snippet(text, call.start, call.end),
                account_id=None,
                capabilities=tuple(vendor.capabilities) if vendor else (),
                signature=f"data-sent {call.label}",
                lines=(line,),
                details=details,
            )
        )
    return out


def _gate_ranges(gates, text: str, lines: LineIndex) -> list[tuple[int, int, str, object]]:
    """(first line, last line, how, vendors or None) of each consent gate."""
    ranges = []
    for gate in gates:
        first = lines.position(gate.start)[0] if gate.start < len(text) else 1
        last = lines.position(min(max(gate.end - 1, gate.start), len(text)))[0]
        how = gate.how
        if gate.at >= 0:
            how += f" at line {lines.position(gate.at)[0]}"
        ranges.append((first, last, how, gate.vendors))
    return ranges


def _gated(sightings: list[Sighting], ranges) -> list[Sighting]:
    """The sightings, each wholly inside a consent gate of its vendor marked as gated."""
    out = []
    for sighting in sightings:
        wanted = [sighting.span.line, sighting.span.end_line, *sighting.lines]
        how = next((how for first, last, how, vendors in ranges
                    if (vendors is None or sighting.vendor_id in vendors) and all(first <= line <= last for line in wanted)),
                   None)
        out.append(_with_details(sighting, consentGated=True, consent=how) if how else sighting)
    return out


def analyze_file(source, text: str, sightings: list[Sighting], analyzer, parsed=None):
    """The scan's hook: (sightings, problems) for one markup or script file."""
    name = getattr(source, "rel", None) or os.path.basename(source.path)
    return analyze_text(name, source.kind, text, sightings, analyzer.catalogue, rel=source.rel, parsed=parsed)
