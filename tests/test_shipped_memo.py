"""The memo of phi-lint's parsed data files: a second run with a cache parses no shipped TOML,
and gets the same tables and the same findings."""

from __future__ import annotations

import datetime

from helpers import write_tree

from phi_lint import tomlread
from phi_lint.resources import rules_dir

PORTAL = "{# phi-lint: authenticated #}\n<script>fbq('init', '123456789012345');</script>\n"


class _Store:
    """A cache.ProjectFile in memory."""

    def __init__(self, code: str = "code-1"):
        self.code, self.data = code, None

    def read(self):
        return self.data

    def write(self, data: bytes) -> None:
        self.data = data


def _counting(monkeypatch) -> list:
    parsed: list = []
    real = tomlread._toml.loads

    def loads(text, *args, **kwargs):
        parsed.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(tomlread._toml, "loads", loads)
    return parsed


def test_shipped_tables_come_from_the_memo_the_second_time(monkeypatch):
    store = _Store()
    path = rules_dir() / "dialects.toml"
    with tomlread.shipped_memo(store):
        first = tomlread.load_toml(path)
    parsed = _counting(monkeypatch)
    with tomlread.shipped_memo(store):
        again = tomlread.load_toml(path)
        again["changed by a caller"] = True
        assert "changed by a caller" not in tomlread.load_toml(path)  # each caller gets its own copy
    assert parsed == [] and {k: v for k, v in again.items() if k != "changed by a caller"} == first
    store.code = "code-2"  # phi-lint or its data changed: the memo is not used
    with tomlread.shipped_memo(store):
        assert tomlread.load_toml(path) == first
    assert len(parsed) == 1


def test_a_table_json_cannot_hold_is_parsed_each_time():
    assert not tomlread._plain({"when": datetime.date(2024, 1, 1)})
    assert not tomlread._plain({"x": [float("inf")]})
    assert tomlread._plain({"a": [1, 2.5, "s", True, {"b": []}]})


def test_a_scan_with_a_cache_keeps_the_vendor_files_parsed(tmp_path):
    import json

    from phi_lint.cache import project_folder
    from phi_lint.scan import ScanOptions, scan

    repo = write_tree(tmp_path / "repo", {"web/portal.html": PORTAL})
    found = [(f.rule_id, f.sighting.path) for f in scan(ScanOptions(paths=[repo], cache_dir=tmp_path / "cache")).findings]
    assert found == [(f.rule_id, f.sighting.path) for f in scan(ScanOptions(paths=[repo], use_cache=False)).findings]
    assert found == [("PHI001", "web/portal.html")]
    memo = json.loads((tmp_path / "cache" / project_folder(repo) / "shipped.json").read_bytes())
    assert json.loads(memo["tables"]["vendors/meta-pixel.toml"])["id"] == "meta-pixel"
