"""Every case in tests/datasent_cases/*.yml: what trackers are handed (PHI004), replay settings,
consent gating. The format is described in tests/datasent_cases/README.md."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from phi_lint.catalogue import load_catalogue
from phi_lint.engine.analyzer import sightings_in_text

CASES_DIR = Path(__file__).parent / "datasent_cases"
KINDS = ("data-sent", "replay", "consent")


def _load():
    params = []
    for path in sorted(CASES_DIR.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data.get("kind") in KINDS, f"{path.name}: kind must be one of {KINDS}"
        for name, case in data["cases"].items():
            params.append(pytest.param(data["kind"], name, case, id=f"{path.stem}:{name}"))
    return params


CASES = _load()


def _run(analyzer, case):
    assert ("fail_str" in case) != ("pass_str" in case), "a case has exactly one of fail_str / pass_str"
    text = case.get("fail_str", case.get("pass_str"))
    sightings, problems = sightings_in_text(case["file"], text, analyzer)
    assert not [p for p in problems if "internal error" in p], problems
    return sightings


def _show(sightings):
    return [(s.vendor_id, s.kind, s.span.line, s.details) for s in sightings]


def _check_data_sent(sightings, case):
    sent = [s for s in sightings if s.kind == "data-sent"]
    if "pass_str" in case:
        assert sent == [], f"expected no data-sent sighting, got {_show(sent)}"
        return
    assert sent, f"no data-sent sighting; got {_show(sightings)}"
    items = [item for s in sent for item in s.details["sent"]]
    if "vendor" in case:
        assert {s.vendor_id for s in sent} == {case["vendor"]}, _show(sent)
    if "sent" in case:
        assert [i["key"] for i in items] == case["sent"], items
    if "classes" in case:
        assert [i["class"] for i in items] == case["classes"], items
    if "sources" in case:
        for item, fragment in zip(items, case["sources"]):
            assert fragment in item["source"], (item, fragment)
    if "call" in case:
        assert case["call"] in sent[0].details["call"], sent[0].details["call"]
    if "line" in case:
        assert sent[0].span.line == case["line"]
    if "sightings" in case:
        assert len(sent) == case["sightings"], _show(sent)
    for s in sent:
        assert s.details["call"] and s.details["what"]
        for item in s.details["sent"]:
            assert set(item) == {"key", "source", "class"} and item["class"] in ("health", "identity", "contact")


def _check_replay(sightings, case):
    vendor = case.get("vendor")
    mine = [s for s in sightings if s.kind != "data-sent" and (vendor is None or s.vendor_id == vendor)]
    replays = [(s, s.details["replay"]) for s in mine if s.details and s.details.get("replay")]
    if "fail_str" in case:
        unmasked = [(s, r) for s, r in replays if r["masked"] is False]
        assert unmasked, f"expected an unmasked replay setting, got {_show(mine)}"
        sighting, replay = unmasked[0]
        if "setting" in case:
            assert replay["setting"] == case["setting"], replay
        if "value" in case:
            assert replay["value"] == case["value"], replay
        assert replay["line"] >= 1
    else:
        assert not [r for _s, r in replays if r["masked"] is False], _show(mine)
        if "masked" in case:
            assert [r for _s, r in replays if r["masked"] is case["masked"]], _show(mine)
        sighting = replays[0][0] if replays else (mine[0] if mine else None)
    if "capabilities" in case:
        assert sighting is not None and set(case["capabilities"]) <= set(sighting.capabilities), _show(mine)
    if "note_contains" in case:
        notes = " ".join(n for s in mine for n in (s.details or {}).get("notes", []))
        assert case["note_contains"] in notes, notes


def _check_consent(sightings, case):
    vendor = case.get("vendor")
    mine = [s for s in sightings if vendor is None or s.vendor_id == vendor]
    assert mine, f"no sighting{' of ' + vendor if vendor else ''}: {_show(sightings)}"
    gated = [s for s in mine if (s.details or {}).get("consentGated")]
    if "fail_str" in case:
        assert gated == [], _show(gated)
        return
    assert len(gated) == len(mine), _show(mine)
    if "consent_contains" in case:
        assert all(case["consent_contains"] in s.details["consent"] for s in gated), _show(gated)


@pytest.mark.parametrize("kind,name,case", CASES)
def test_datasent_case(analyzer, kind, name, case):
    sightings = _run(analyzer, case)
    {"data-sent": _check_data_sent, "replay": _check_replay, "consent": _check_consent}[kind](sightings, case)


def test_every_file_has_pass_and_fail_cases():
    seen: dict[str, set[str]] = {}
    for param in CASES:
        _kind, _name, case = param.values
        stem = param.id.split(":")[0]
        seen.setdefault(stem, set()).add("fail" if "fail_str" in case else "pass")
    for stem, kinds in seen.items():
        assert kinds == {"fail", "pass"}, f"{stem}.yml needs pass and fail cases"


def test_every_call_shape_has_a_fail_case(analyzer):
    """Each [[calls]] / [[assignments]] shape of rules/data-calls.toml is exercised by a case."""
    from phi_lint.datasent.calls import shapes

    labels = []
    for param in CASES:
        kind, _name, case = param.values
        if kind != "data-sent" or "fail_str" not in case:
            continue
        sightings, _ = sightings_in_text(case["file"], case["fail_str"], analyzer)
        labels.extend(s.details["call"] for s in sightings if s.kind == "data-sent")
    catalogue = load_catalogue()
    table = shapes()
    missing = []
    seen_shapes = set()
    for callee_shapes in list(table.calls.values()) + list(table.assignments.values()):
        for shape in callee_shapes:
            if id(shape) in seen_shapes:
                continue
            seen_shapes.add(id(shape))
            if not any(catalogue.get(v) for v in shape.vendors):
                continue  # e.g. Intercom, Drift: no vendor file yet (tested in test_datasent_calls)
            prefixes = [f"{c}(" for c in shape.callees] + [f"{c} = " for c in shape.callees]
            hits = [label for label in labels if any(label.startswith(p) for p in prefixes)]
            if shape.match and not shape.assignment:
                hits = [h for h in hits if _method_ok(shape, h)]
            if not hits:
                missing.append(f"{'/'.join(shape.callees)} {[m.pattern for m in shape.match if m]}")
    assert not missing, f"call shapes without a fail case: {missing}"


def _method_ok(shape, label: str) -> bool:
    import re

    args = re.findall(r"'([^']*)'", label)
    for i, pattern in enumerate(shape.match):
        if pattern is None:
            continue
        if i >= len(args) or not pattern.search(args[i]):
            return False
    return True


@pytest.mark.parametrize("kind,name,case", [c for c in CASES if "fail_str" in c.values[2] and c.values[0] == "data-sent"])
def test_fail_cases_contain_a_prefilter_keyword(analyzer, kind, name, case):
    """The scan only analyses files with a sighting: every fail case must have one of a vendor."""
    sightings, _ = sightings_in_text(case["file"], case["fail_str"], analyzer)
    assert [s for s in sightings if s.kind != "data-sent"], "no tracker sighting in the case"
