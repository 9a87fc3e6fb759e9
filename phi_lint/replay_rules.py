"""The `[[replay]]` tables of a vendor file: which options of the vendor's init call (or which
attributes in the page) turn input masking and text capture off or on, and what to say then.

This module reads and checks them (the format is in rules/README.md, "Replay settings");
phi_lint.datasent.replay applies them to a file. A reader is:

- where the options are: `calls = ["LogRocket.init(1)", "amplitude.init(1).sessionReplay"]` (the
  callee, the argument that holds the options object, an optional sub-object that must be there),
  or `markup = true` (masking attributes in the page, read only where the page loads the vendor);
- `values`: names for option paths (or attribute names); a list is the first that is set (for
  attributes: any of them, the first in the page); `{ each = [...], where = "is false",
  labels = [...] }` is every listed option that passes the test;
- `cases`, tried in order: the first whose `when` conditions all hold gives the setting (a case
  without `setting` gives none), with its value, whether input is masked, its notes and the
  capabilities it reveals.

A condition is `NAME TEST`, alternatives joined by ` or `; the tests are in TESTS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from phi_lint.errors import UserError
from phi_lint.lazyre import lazy_pattern

# the tests a condition can make of a value, with what they mean (for error messages)
TESTS = {
    "is true": "the literal true",
    "is false": "the literal false",
    "is on": "true or a non-empty string",
    "is a string": "a non-empty string",
    "is set": "a literal value (an `each` value: at least one option passed)",
    "is present": "the key is written, whatever its value",
    "is 'TEXT'": "that string",
    "in ['A', 'B']": "one of these strings",
    "> N, >= N, < N, <= N": "a number (not a boolean) compared with N",
}
REPORTS = ("replay", "note")
_CONDITION = lazy_pattern(
    r"""^(?P<name>[A-Za-z_]\w*)\s+(?:
        (?P<neg>is\s+not|not)\s+(?P<nword>true|false|on|a\s+string|set|present|'[^']*'|in\s+\[[^\]]*\])
      | is\s+(?P<word>true|false|on|a\s+string|set|present|absent|'[^']*')
      | (?P<in>in\s+\[[^\]]*\])
      | (?P<cmp>>=|<=|>|<)\s*(?P<number>-?\d+(?:\.\d+)?)
    )\s*$""",
    re.VERBOSE,
)
PLACEHOLDER = lazy_pattern(r"\{(?P<name>[A-Za-z_]\w*)(?:\.(?P<part>key|keys|labels|is))?(?:\|(?P<fallback>[^{}]*))?\}")
_CALL = lazy_pattern(r"^(?P<callee>[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\((?P<arg>\d)\)(?:\.(?P<under>[\w$.]+))?$")
_READER_KEYS = {"calls", "markup", "report", "values", "cases"}
_CASE_KEYS = {"when", "setting", "value", "masked", "notes", "capabilities", "at"}


class ReplayRuleError(UserError):
    """A `[[replay]]` table of a vendor file that cannot be read."""


@dataclass(frozen=True)
class Test:
    """One test of a named value: `op` is true | false | on | string | set | present | equals |
    in | > | >= | < | <=; `negate` turns it round."""

    name: str
    op: str
    negate: bool = False
    operand: tuple[str, ...] | float | None = None


@dataclass(frozen=True)
class Condition:
    """Holds when any of its alternatives does (`a is true or b is set`)."""

    alternatives: tuple[Test, ...]


@dataclass(frozen=True)
class ValueSpec:
    """A named value: `keys` are option paths (or attribute names); `each`: every key that
    passes `where`, with `labels` for what each one means."""

    name: str
    keys: tuple[str, ...]
    each: bool = False
    where: Test | None = None
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Note:
    text: str
    when: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class Case:
    """What a reader says when `when` holds. setting None: nothing (the tool is off)."""

    when: tuple[Condition, ...]
    setting: str | None
    value: str | None = None  # the name of a value reported as the setting's value
    literal: bool | float | None = None  # …or a literal reported instead
    masked: bool | tuple[Condition, ...] = False
    notes: tuple[Note, ...] = ()
    capabilities: tuple[str, ...] = ()
    at: str | None = None  # the value whose place in the file the setting is reported at


@dataclass(frozen=True)
class CallSpec:
    callee: str
    argument: int
    under: str | None = None


@dataclass(frozen=True)
class ReplayReader:
    calls: tuple[CallSpec, ...]
    markup: bool
    report: str  # replay: a replay setting; note: only notes and capabilities (autocapture)
    values: tuple[ValueSpec, ...]
    cases: tuple[Case, ...]

    def value(self, name: str) -> ValueSpec:
        return next(spec for spec in self.values if spec.name == name)


def _fail(path: Path, key: str, problem: str) -> ReplayRuleError:
    return ReplayRuleError(f"{path}: {key}: {problem}")


def _strings(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"'([^']*)'", text))


def parse_test(text: str, path: Path, key: str) -> Test:
    match = _CONDITION.match(text.strip())
    if match is None:
        raise _fail(path, key, f"{text!r} is not `NAME TEST` (tests: {', '.join(TESTS)})")
    name = match["name"]
    if match["cmp"]:
        return Test(name, match["cmp"], operand=float(match["number"]))
    if match["in"]:
        return Test(name, "in", operand=_strings(match["in"]))
    word = " ".join((match["nword"] or match["word"]).split())
    negate = bool(match["neg"])
    if word == "absent":
        word, negate = "present", True
    if word.startswith("'"):
        return Test(name, "equals", negate, _strings(word))
    if word.startswith("in"):
        return Test(name, "in", negate, _strings(word))
    return Test(name, {"a string": "string"}.get(word, word), negate)


def _test_without_name(text: str, path: Path, key: str) -> Test:
    return parse_test("value " + text, path, key)


def parse_condition(text: object, path: Path, key: str) -> Condition:
    if not isinstance(text, str):
        raise _fail(path, key, "a condition is a string such as \"inputs is false\"")
    return Condition(tuple(parse_test(part, path, key) for part in re.split(r"\s+or\s+", text.strip())))


def _conditions(value: object, path: Path, key: str) -> tuple[Condition, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _fail(path, key, "must be a list of conditions")
    return tuple(parse_condition(item, path, f"{key}[{i}]") for i, item in enumerate(value))


def _string_list(value: object, path: Path, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise _fail(path, key, "must be a string or a non-empty list of strings")
    return tuple(value)


def _value_spec(name: str, value: object, path: Path, key: str) -> ValueSpec:
    if not isinstance(value, dict):
        return ValueSpec(name, _string_list(value, path, key))
    unknown = sorted(set(value) - {"each", "where", "labels"})
    if unknown or "each" not in value or "where" not in value:
        raise _fail(path, key, "a table value needs `each` and `where` (and may have `labels`)")
    keys = _string_list(value["each"], path, f"{key}.each")
    labels = _string_list(value["labels"], path, f"{key}.labels") if "labels" in value else ()
    if labels and len(labels) != len(keys):
        raise _fail(path, f"{key}.labels", "needs one label for each key of `each`")
    return ValueSpec(name, keys, True, _test_without_name(str(value["where"]), path, f"{key}.where"), labels)


def _call_spec(text: object, path: Path, key: str) -> CallSpec:
    match = _CALL.match(text) if isinstance(text, str) else None
    if match is None:
        raise _fail(path, key, f"{text!r} is not `callee(ARGUMENT)` or `callee(ARGUMENT).sub.object`")
    return CallSpec(match["callee"], int(match["arg"]), match["under"])


def _notes(value: object, path: Path, key: str) -> tuple[Note, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _fail(path, key, "must be a list of notes")
    notes = []
    for i, item in enumerate(value):
        where = f"{key}[{i}]"
        if isinstance(item, str):
            notes.append(Note(item))
        elif isinstance(item, dict) and isinstance(item.get("text"), str) and set(item) <= {"text", "when"}:
            notes.append(Note(item["text"], _conditions(item.get("when"), path, f"{where}.when")))
        else:
            raise _fail(path, where, "a note is a string or a table { text = \"…\", when = [conditions] }")
    return tuple(notes)


def _case(data: object, path: Path, key: str, capabilities: set[str]) -> Case:
    if not isinstance(data, dict):
        raise _fail(path, key, "must be a table")
    unknown = sorted(set(data) - _CASE_KEYS)
    if unknown:
        raise _fail(path, f"{key}.{unknown[0]}", f"unknown key; allowed keys: {sorted(_CASE_KEYS)}")
    setting = data.get("setting")
    if setting is not None and not isinstance(setting, str):
        raise _fail(path, f"{key}.setting", "must be a string")
    value = data.get("value")
    if value is not None and not isinstance(value, (str, bool, int, float)):
        raise _fail(path, f"{key}.value", "must name a value or be a literal (true, false, a number)")
    masked = data.get("masked", False)
    masked_rule = masked if isinstance(masked, bool) else _conditions(masked, path, f"{key}.masked")
    found = _string_list(data["capabilities"], path, f"{key}.capabilities") if data.get("capabilities") else ()
    for capability in found:
        if capability not in capabilities:
            raise _fail(path, f"{key}.capabilities", f"{capability!r} is not one of {sorted(capabilities)}")
    at = data.get("at")
    if at is not None and not isinstance(at, str):
        raise _fail(path, f"{key}.at", "must name a value")
    return Case(
        _conditions(data.get("when"), path, f"{key}.when"), setting,
        value if isinstance(value, str) else None,
        value if isinstance(value, (bool, int, float)) else None,
        masked_rule, _notes(data.get("notes"), path, f"{key}.notes"), found, at,
    )


def _check_names(reader: ReplayReader, path: Path, key: str) -> None:
    """Every condition, placeholder, `value` and `at` names one of the reader's values."""
    known = {spec.name for spec in reader.values}

    def need(name: str | None, where: str) -> None:
        if name is not None and name not in known:
            raise _fail(path, where, f"{name!r} is not one of the reader's values {sorted(known)}")

    for i, case in enumerate(reader.cases):
        where = f"{key}.cases[{i}]"
        conditions = [*case.when, *(case.masked if isinstance(case.masked, tuple) else ())]
        conditions += [c for note in case.notes for c in note.when]
        for condition in conditions:
            for test in condition.alternatives:
                need(test.name, f"{where}.when")
        need(case.value, f"{where}.value")
        need(case.at, f"{where}.at")
        texts = [note.text for note in case.notes] + [case.setting or ""]
        for text in texts:
            for match in PLACEHOLDER.finditer(text):
                if match["name"] != "line":
                    need(match["name"], f"{where}.notes")


def load_readers(data: object, path: Path, capabilities: set[str]) -> tuple[ReplayReader, ...]:
    """The `[[replay]]` tables of a vendor file (`data` is the value of its `replay` key)."""
    if data is None:
        return ()
    if not isinstance(data, list):
        raise _fail(path, "replay", "must be an array of [[replay]] tables")
    readers = []
    for i, table in enumerate(data):
        key = f"replay[{i}]"
        if not isinstance(table, dict):
            raise _fail(path, key, "must be a table")
        unknown = sorted(set(table) - _READER_KEYS)
        if unknown:
            raise _fail(path, f"{key}.{unknown[0]}", f"unknown key; allowed keys: {sorted(_READER_KEYS)}")
        markup = table.get("markup", False) is True
        calls = tuple(_call_spec(c, path, f"{key}.calls") for c in table.get("calls", []))
        if markup == bool(calls):
            raise _fail(path, key, "a reader has `calls` or `markup = true`, not both")
        report = table.get("report", "replay")
        if report not in REPORTS:
            raise _fail(path, f"{key}.report", f"{report!r} is not one of {list(REPORTS)}")
        values = table.get("values", {})
        if not isinstance(values, dict):
            raise _fail(path, f"{key}.values", "must be a table of NAME = option path")
        specs = tuple(_value_spec(name, value, path, f"{key}.values.{name}") for name, value in values.items())
        cases = table.get("cases", [])
        if not isinstance(cases, list) or not cases:
            raise _fail(path, f"{key}.cases", "needs at least one [[replay.cases]] table")
        reader = ReplayReader(calls, markup, report, specs,
                              tuple(_case(c, path, f"{key}.cases[{j}]", capabilities) for j, c in enumerate(cases)))
        _check_names(reader, path, key)
        readers.append(reader)
    return tuple(readers)
