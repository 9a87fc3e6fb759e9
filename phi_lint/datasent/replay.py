"""Session-replay privacy settings: what a replay or autocapture tool is configured to record.

Each finding becomes `details["replay"] = {setting, value, line, masked}` plus a sentence in
`details["notes"]` on the vendor's sighting in the same file. A configuration that turns replay
on (Datadog `sessionReplaySampleRate > 0`, Mixpanel `record_sessions_percent`, PostHog
`session_recording`, Amplitude's replay plugin) also adds the session-replay capability, so the
sighting is judged as replay (PHI003) on sensitive pages.

Which options and attributes mean what is vendor data: the `[[replay]]` tables of the vendor
files (phi_lint.replay_rules reads them). This module only applies them: it finds the init calls
and attributes they name, reads the values, picks the first case that holds and fills in its
notes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from phi_lint.datasent.flow import Flow, arguments
from phi_lint.datasent.options import MISSING, literal, missing, prop, shown
from phi_lint.replay_rules import PLACEHOLDER, Case, Condition, ReplayReader, Test, ValueSpec


@dataclass
class ReplaySetting:
    vendor_id: str
    offset: int  # host offset of the call or marker
    setting: str
    value: object
    masked: bool
    notes: list[str]
    capabilities: tuple[str, ...] = ()
    replay: bool = True  # False: autocapture, reported as a note only


# ---------------------------------------------------------------- the values a reader names


class OptionValues:
    """The named values of a reader, read from an init call's options object."""

    def __init__(self, flow: Flow, options, reader: ReplayReader):
        self.flow, self.options, self.reader = flow, options, reader
        self._memo: dict[str, tuple[object, str, list[str]]] = {}

    def _read(self, name: str) -> tuple[object, str, list[str]]:
        """(literal, the key it was read from, every key that passed) of a value."""
        if name not in self._memo:
            spec = self.reader.value(name)
            literals = [(key, literal(prop(self.flow, self.options, key))) for key in spec.keys]
            if spec.each:
                passed = [(key, value) for key, value in literals if spec.where is not None and passes(spec.where, value, True)]
                self._memo[name] = (passed or MISSING, passed[0][0] if passed else "", [key for key, _ in passed])
            else:
                key, value = next(((k, v) for k, v in literals if not missing(v)), literals[-1])
                self._memo[name] = (value, key, [key] if not missing(value) else [])
        return self._memo[name]

    def literal(self, name: str) -> object:
        return self._read(name)[0]

    def present(self, name: str) -> bool:
        return any(prop(self.flow, self.options, key) is not None for key in self.reader.value(name).keys)

    def key(self, name: str) -> str:
        return self._read(name)[1]

    def keys(self, name: str) -> list[str]:
        return self._read(name)[2]

    def offset(self, name: str) -> int:
        return -1


class MarkerValues:
    """The named values of a markup reader: masking attributes found in the page (True when
    there), each at its first place in the file."""

    def __init__(self, markers: dict[str, list[int]], reader: ReplayReader):
        self.markers, self.reader = markers, reader

    def keys(self, name: str) -> list[str]:
        return [key for key in self.reader.value(name).keys if key in self.markers]

    def literal(self, name: str) -> object:
        return True if self.keys(name) else MISSING

    def present(self, name: str) -> bool:
        return bool(self.keys(name))

    def key(self, name: str) -> str:
        found = self.keys(name)
        return min(found, key=lambda k: self.markers[k][0]) if found else ""

    def offset(self, name: str) -> int:
        found = self.keys(name)
        return min(self.markers[k][0] for k in found) if found else -1


Values = OptionValues | MarkerValues


# ---------------------------------------------------------------- conditions and notes


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def passes(test: Test, value: object, present: bool) -> bool:
    """Whether a value (a literal, a list from `each`, or MISSING) passes a test."""
    op = test.op
    if op == "present":
        held = present
    elif op == "set":
        held = not missing(value) and value != []
    elif op == "true":
        held = value is True
    elif op == "false":
        held = value is False
    elif op == "on":
        held = value is True or (isinstance(value, str) and bool(value))
    elif op == "string":
        held = isinstance(value, str) and bool(value)
    elif op in ("equals", "in"):
        held = isinstance(value, str) and isinstance(test.operand, tuple) and value in test.operand
    else:
        held = _number(value) and isinstance(test.operand, float) and _compare(op, float(value), test.operand)  # type: ignore[arg-type]
    return held != test.negate


def _compare(op: str, left: float, right: float) -> bool:
    return {">": left > right, ">=": left >= right, "<": left < right, "<=": left <= right}[op]


def holds(conditions: Iterable[Condition], values: Values) -> bool:
    return all(
        any(passes(test, values.literal(test.name), values.present(test.name)) for test in condition.alternatives)
        for condition in conditions
    )


def _shown(value: object, spec: ValueSpec, values: Values) -> str:
    if spec.each and isinstance(value, list):
        return ", ".join(f"{key}: {shown(item)}" for key, item in value)
    return shown(value)


def fill(text: str, values: Values, reader: ReplayReader) -> str:
    """A note or setting with its placeholders filled; `{line}` is left for the caller."""
    def one(match: re.Match) -> str:
        name, part, fallback = match["name"], match["part"], match["fallback"]
        if name == "line" and part is None:
            return match[0]
        spec = reader.value(name)
        if part == "key":
            return values.key(name)
        keys = values.keys(name)
        if part == "keys":
            return ", ".join(keys)
        if part == "labels":
            return ", ".join(spec.labels[spec.keys.index(key)] for key in keys if spec.labels)
        if part == "is":
            return "is" if len(keys) == 1 else "are"
        value = values.literal(name)
        if missing(value) and fallback is not None:
            return fallback
        return _shown(value, spec, values)

    return PLACEHOLDER.sub(one, text)


def _setting_of(case: Case, reader: ReplayReader, values: Values, vendor_id: str, offset: int) -> ReplaySetting:
    value = values.literal(case.value) if case.value else case.literal
    if isinstance(value, list):
        value = [key for key, _ in value]
    masked = case.masked if isinstance(case.masked, bool) else holds(case.masked, values)
    notes = [fill(note.text, values, reader) for note in case.notes if holds(note.when, values)]
    at = values.offset(case.at) if case.at else offset
    return ReplaySetting(vendor_id, at, fill(case.setting or "", values, reader), None if missing(value) else value,
                         masked, notes, case.capabilities, replay=reader.report == "replay")


def read(reader: ReplayReader, values: Values, vendor_id: str, offset: int) -> list[ReplaySetting]:
    """The setting of the first case that holds (none when that case names no setting)."""
    for case in reader.cases:
        if holds(case.when, values):
            return [] if case.setting is None else [_setting_of(case, reader, values, vendor_id, offset)]
    return []


# ---------------------------------------------------------------- where the readers look


def initialises(vendor, text: str) -> bool:
    """The file loads or sets up the vendor (loader URL, snippet global, SDK import), not only calls it."""
    if vendor is None:
        return False
    if any(sig.pattern.search(text) for sig in vendor.urls):
        return True
    for sig in vendor.assignments:
        if re.search(re.escape(sig.target) + r"""['"]?\]?\s*=[^=]""", text):
            return True
    return any(f"'{p.name}'" in text or f'"{p.name}"' in text for p in vendor.packages)


def _replay_vendors(catalogue) -> Iterator:
    """The catalogue's vendors that have replay readers, by id."""
    return (vendor for vendor in sorted(catalogue, key=lambda v: v.id) if vendor.replay) if catalogue is not None else iter(())


def markup_settings(info, sightings, catalogue=None) -> list[ReplaySetting]:
    """Replay tools whose masking is set by attributes on the page (FullStory, Hotjar, Clarity),
    for the vendors the file loads."""
    out: list[ReplaySetting] = []
    seen = {s.vendor_id for s in sightings if s.kind != "data-sent"}
    markers: dict[str, list[int]] = {}
    for marker, offset in info.attributes:
        markers.setdefault(marker, []).append(offset)
    for vendor in _replay_vendors(catalogue):
        readers = [reader for reader in vendor.replay if reader.markup]
        if not readers or vendor.id not in seen or not initialises(vendor, info.text):
            continue
        for reader in readers:
            out.extend(read(reader, MarkerValues(markers, reader), vendor.id, -1))
    return out


def config_settings(unit, flow: Flow, naming, catalogue) -> list[ReplaySetting]:
    """What the init calls of a script unit configure."""
    table = catalogue.replay_calls() if catalogue is not None else {}
    if not table:
        return []
    out = []
    for node in unit.nodes("call_expression", "new_expression"):
        callee = node.child_by_field_name("function") if node.type == "call_expression" else node.child_by_field_name("constructor")
        readers = table.get(naming(callee) or "")
        if not readers:
            continue
        offset = unit.host_range(node)[0]
        args = arguments(node)
        for vendor_id, reader, argument, under in readers:
            options = args[argument] if len(args) > argument else None
            if under is not None:
                options = prop(flow, options, under)
                if options is None:
                    continue
            out.extend(read(reader, OptionValues(flow, options, reader), vendor_id, offset))
    return out

