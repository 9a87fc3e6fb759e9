"""Every server-side sender case in tests/sender_cases/*.yml: each [[servers]] signature of the
catalogue is found where it sends (fail_str) and not where it does not (pass_str)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from phi_lint.catalogue import load_catalogue
from phi_lint.lang import Source
from phi_lint.senders import SenderIndex, sender_sightings

CASES_DIR = Path(__file__).parent / "sender_cases"


def _load_cases():
    params = []
    for path in sorted(CASES_DIR.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name, case in data["cases"].items():
            params.append(pytest.param(data["vendor"], name, case, id=f"{data['vendor']}:{name}"))
    return params


CASES = _load_cases()


@pytest.fixture(scope="module")
def index():
    return SenderIndex(load_catalogue())


@pytest.mark.parametrize("vendor,name,case", CASES)
def test_sender_case(index, vendor, name, case):
    assert ("fail_str" in case) != ("pass_str" in case), "a case has exactly one of fail_str / pass_str"
    text = case.get("fail_str", case.get("pass_str"))
    found, problems = sender_sightings(Source(case["file"], text), index)
    assert problems == []
    if "pass_str" in case:
        assert found == [], [(s.vendor_id, s.span.line, s.signature) for s in found]
        return
    mine = [s for s in found if s.vendor_id == vendor and s.signature == f"server {case['signature']}"]
    assert mine, [(s.vendor_id, s.span.line, s.signature) for s in found]
    if "line" in case:
        assert mine[0].span.line == case["line"]
    if "sent" in case:
        keys = {item["key"] for item in mine[0].details["sent"]}
        if case["sent"]:
            assert set(case["sent"]) <= keys, keys
        else:
            assert keys == set(), keys


def test_every_server_signature_has_cases():
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for vendor in load_catalogue():
        for server in vendor.servers:
            counts[(vendor.id, server.label)] = {"fail": 0, "pass": 0}
    for param in CASES:
        vendor, _name, case = param.values
        key = (vendor, case["signature"])
        assert key in counts, f"no [[servers]] entry {key}"
        counts[key]["fail" if "fail_str" in case else "pass"] += 1
    lacking = {key: c for key, c in counts.items() if not (c["fail"] and c["pass"])}
    assert not lacking, f"each server signature needs a fail and a pass case: {lacking}"


@pytest.mark.parametrize("vendor,name,case", [c for c in CASES if "fail_str" in c.values[2]])
def test_fail_cases_carry_a_server_keyword(vendor, name, case):
    """Files are read for senders only when they hold a keyword: every true positive must."""
    server = next(s for s in load_catalogue().get(vendor).servers if s.label == case["signature"])
    assert any(k in case["fail_str"].lower() for k in server.keywords)
