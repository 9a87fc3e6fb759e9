"""The `[[replay]]` tables of vendor files (phi_lint/replay_rules.py, applied by
phi_lint/datasent/replay.py): a vendor added from the user's vendor-dirs gets its replay settings
read with no code, and a bad table is a clear configuration error."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run_cli, scan_tree, write_tree

from phi_lint.catalogue import CatalogueError, load_catalogue
from phi_lint.engine.analyzer import Analyzer, sightings_in_text

ACME = '''id = "acme-replay"
name = "Acme Replay"
category = "session-replay"
keywords = ["acme-replay"]
capabilities = ["session-replay"]

[[packages]]
name = "acme-replay"

[[replay]]
calls = ["AcmeReplay.start(0)"]
values = { inputs = "privacy.maskInputs", rate = ["sampleRate", "legacyRate"] }

[[replay.cases]]
when = ["rate <= 0"]

[[replay.cases]]
when = ["inputs is false"]
setting = "privacy.maskInputs"
value = "inputs"
notes = ["Acme Replay records what patients type (privacy.maskInputs: {inputs}, {rate.key}: {rate|default}, line {line})."]

[[replay.cases]]
setting = "privacy.maskInputs"
value = "inputs"
masked = true
notes = ["Acme Replay masks inputs."]
'''
PAGE = "import AcmeReplay from 'acme-replay';\nAcmeReplay.start({{ {options} }});\n"


def _settings(tmp_path: Path, options: str) -> list[dict]:
    write_tree(tmp_path, {"vendors/acme-replay.toml": ACME})
    analyzer = Analyzer(load_catalogue([tmp_path / "vendors"]))
    sightings, _ = sightings_in_text("src/replay.js", PAGE.format(options=options), analyzer)
    return [dict(s.details["replay"], notes=s.details.get("notes")) for s in sightings if (s.details or {}).get("replay")]


def test_a_user_vendor_reads_its_options_with_no_code(tmp_path):
    found = _settings(tmp_path, "legacyRate: 10, privacy: { maskInputs: false }")
    assert [(f["setting"], f["value"], f["masked"]) for f in found] == [("privacy.maskInputs", False, False)]
    assert found[0]["notes"] == ["Acme Replay records what patients type (privacy.maskInputs: false, legacyRate: 10, line 2)."]


def test_a_user_vendor_case_that_holds_first_wins(tmp_path):
    assert _settings(tmp_path, "sampleRate: 0, privacy: { maskInputs: false }") == []
    masked = _settings(tmp_path, "sampleRate: 1")
    assert [(f["value"], f["masked"], f["notes"]) for f in masked] == [(None, True, ["Acme Replay masks inputs."])]


def test_a_user_vendor_replay_setting_reaches_the_findings(tmp_path):
    write_tree(tmp_path, {
        "vendors/acme-replay.toml": ACME,
        "phi-lint.toml": 'vendor-dirs = ["vendors"]\n',
        "package.json": '{"dependencies": {"acme-replay": "1.0.0"}}\n',
        "app/portal/page.tsx": "'use client';\n" + PAGE.format(options="privacy: { maskInputs: false }")
        + "export default function Page() { return <h1>Your records</h1>; }\n",
    })
    result = scan_tree(tmp_path)
    replay = [f for f in result.findings if f.rule_id == "PHI003"]
    assert [f.sighting.vendor_id for f in replay] == ["acme-replay"]
    assert replay[0].sighting.details["replay"]["masked"] is False


@pytest.mark.parametrize("table,problem", [
    ('[[replay]]\ncalls = ["AcmeReplay.start"]\n[[replay.cases]]\nsetting = "x"\n', "is not `callee(ARGUMENT)`"),
    ('[[replay]]\ncalls = ["AcmeReplay.start(0)"]\nvalues = { a = "a" }\n[[replay.cases]]\nwhen = ["a is maybe"]\n',
     "is not `NAME TEST`"),
    ('[[replay]]\ncalls = ["AcmeReplay.start(0)"]\nvalues = { a = "a" }\n[[replay.cases]]\nwhen = ["b is true"]\n',
     "'b' is not one of the reader's values"),
    ('[[replay]]\ncalls = ["AcmeReplay.start(0)"]\nvalues = { a = "a" }\n[[replay.cases]]\nnotes = ["{c} is on"]\n',
     "'c' is not one of the reader's values"),
    ('[[replay]]\nmarkup = true\ncalls = ["AcmeReplay.start(0)"]\n[[replay.cases]]\n', "not both"),
    ('[[replay]]\ncalls = ["AcmeReplay.start(0)"]\n', "needs at least one [[replay.cases]]"),
    ('[[replay]]\ncalls = ["AcmeReplay.start(0)"]\n[[replay.cases]]\ncapabilities = ["mind-reading"]\n', "is not one of"),
])
def test_a_bad_replay_table_is_a_clear_error(tmp_path, table, problem):
    head = ACME.split("[[replay]]")[0]
    write_tree(tmp_path, {"vendors/acme-replay.toml": head + table})
    with pytest.raises(CatalogueError, match=problem.replace("[", r"\[").replace("(", r"\(").replace(")", r"\)")):
        load_catalogue([tmp_path / "vendors"])


def test_a_bad_replay_table_exits_2_naming_the_file(tmp_path):
    head = ACME.split("[[replay]]")[0]
    write_tree(tmp_path, {
        "vendors/acme-replay.toml": head + '[[replay]]\ncalls = ["x(0)"]\n[[replay.cases]]\nwhen = ["nope"]\n',
        "phi-lint.toml": 'vendor-dirs = ["vendors"]\n',
        "index.html": "<p>hi</p>\n",
    })
    done = run_cli(str(tmp_path), "--config", str(tmp_path / "phi-lint.toml"))
    assert done.returncode == 2
    assert "acme-replay.toml: replay[0].cases[0].when[0]" in done.stderr and "Traceback" not in done.stderr


def test_every_shipped_replay_reader_names_a_call_or_markup():
    readers = {vendor.id: vendor.replay for vendor in load_catalogue() if vendor.replay}
    assert {"amplitude", "datadog-rum", "fullstory", "hotjar", "logrocket", "microsoft-clarity", "mixpanel",
            "posthog", "sentry-replay"} <= set(readers)
