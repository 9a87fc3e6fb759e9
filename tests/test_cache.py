"""The per-file cache: unchanged files are not read again, and results do not change."""

from __future__ import annotations

import json

from helpers import REPO, run_cli, write_tree
from phi_lint import textio

PORTAL = "{# phi-lint: authenticated #}\n<script>fbq('init', '123456789012345');</script>\n"


def test_cached_run_gives_the_same_output_and_reads_only_changed_files(tmp_path, monkeypatch):
    from phi_lint.scan import ScanOptions, scan

    write_tree(tmp_path, {"web/a.html": PORTAL, "web/b.html": "<p>clean</p>\n", "web/c.js": "export const x = 1;\n"})
    first = scan(ScanOptions(paths=[tmp_path]))
    assert (tmp_path / ".phi-lint-cache" / ".gitignore").is_file()
    reads = []
    real = textio.read_source

    def counting(path, *args, **kwargs):
        reads.append(path)
        return real(path, *args, **kwargs)

    import phi_lint.fileworker as fileworker

    monkeypatch.setattr(fileworker, "read_source", counting)
    second = scan(ScanOptions(paths=[tmp_path]))
    assert reads == []
    assert [f.message for f in second.findings] == [f.message for f in first.findings]
    write_tree(tmp_path, {"web/b.html": "<script>ttq.load('C4ABCDEFGHIJ12345678');</script>\n"})
    third = scan(ScanOptions(paths=[tmp_path]))
    assert [r.rsplit("/", 1)[-1] for r in reads] == ["b.html"]
    assert {f.sighting.vendor_id for f in third.findings} == {"meta-pixel", "tiktok-pixel"}


def test_config_change_invalidates_the_cache(tmp_path):
    write_tree(tmp_path, {"web/a.html": "<script>fbq('init', '123456789012345');</script>\n", "phi-lint.toml": ""})
    first = json.loads(run_cli("-f", "json", str(tmp_path)).stdout)
    assert [f["rule"] for f in first["findings"]] == ["PHI100"]
    write_tree(tmp_path, {"phi-lint.toml": '[pages]\nauthenticated = ["web/**"]\n'})
    second = json.loads(run_cli("-f", "json", str(tmp_path)).stdout)
    assert [f["rule"] for f in second["findings"]] == ["PHI001"]
    no_cache = json.loads(run_cli("-f", "json", "--no-cache", str(tmp_path)).stdout)
    assert no_cache["findings"] == second["findings"]


def test_explicit_files_use_cached_pages(tmp_path):
    write_tree(tmp_path, {"web/a.html": PORTAL, "web/b.html": PORTAL})
    run_cli(str(tmp_path))
    proc = run_cli("-f", "json", str(tmp_path / "web" / "b.html"))
    paths = [f["path"].rsplit("/", 1)[-1] for f in json.loads(proc.stdout)["findings"]]
    assert paths == ["b.html"]  # a.html's cached sightings are not reported


def test_adding_a_file_refreshes_cached_edges(tmp_path):
    """An include that did not resolve last time resolves once its target exists."""
    write_tree(
        tmp_path,
        {"templates/portal/home.html": "{# phi-lint: authenticated #}\n{% include 'partials/tracking.html' %}\n"},
    )
    first = json.loads(run_cli("-f", "json", str(tmp_path)).stdout)
    assert first["findings"] == []
    write_tree(tmp_path, {"templates/partials/tracking.html": "<script>fbq('init', '123456789012345');</script>\n"})
    second = json.loads(run_cli("-f", "json", str(tmp_path)).stdout)
    assert [(f["rule"], f["path"]) for f in second["findings"]] == [("PHI001", "templates/partials/tracking.html")]


def test_a_run_rewrites_only_the_shards_of_changed_files(tmp_path):
    from phi_lint.cache import SHARDS, _shard
    from phi_lint.scan import ScanOptions, scan

    files = {f"web/p{i}.html": f"<p>page {i}</p>\n" for i in range(60)}
    write_tree(tmp_path, {**files, ".phi-lint-cache/scan-0123.pickle": "an old single-file cache"})
    scan(ScanOptions(paths=[tmp_path]))
    [directory] = (tmp_path / ".phi-lint-cache").glob("scan-*")  # the old cache is gone
    shards = sorted(directory.glob("*.pickle"))
    assert 1 < len(shards) <= SHARDS
    before = {p.name: p.stat().st_mtime_ns for p in shards}
    import time

    time.sleep(0.01)
    write_tree(tmp_path, {"web/p7.html": "<p>changed</p>\n"})
    scan(ScanOptions(paths=[tmp_path]))
    after = {p.name: p.stat().st_mtime_ns for p in directory.glob("*.pickle")}
    rewritten = sorted(name for name in after if after[name] != before.get(name))
    assert rewritten == [f"{_shard('web/p7.html'):02d}.pickle"]
    scan(ScanOptions(paths=[tmp_path]))  # nothing changed: nothing written
    assert {p.name: p.stat().st_mtime_ns for p in directory.glob("*.pickle")} == after


def test_named_files_report_only_their_own_findings_with_or_without_the_cache(tmp_path):
    # a committed tag-manager export that is not among the named files is not reported on, in a
    # fresh run as in a cached one (its tags still reach the named page through the container)
    import shutil

    from phi_lint.scan import ScanOptions, scan

    shutil.copytree(REPO / "fixtures" / "gtm-portal-site", tmp_path / "site")
    (tmp_path / "site" / ".git").mkdir()  # a repository: the named page is judged against all of it
    page = tmp_path / "site" / "public" / "portal" / "dashboard.html"
    results = [
        scan(ScanOptions(paths=[page], use_cache=False)),
        scan(ScanOptions(paths=[tmp_path / "site"])),  # fills the cache
        scan(ScanOptions(paths=[page])),
    ]
    shown = [sorted((f.rule_id, f.sighting.path) for f in r.findings if f.rule_id != "PHI100") for r in (results[0], results[2])]
    assert shown[0] == shown[1] == [("PHI001", "public/portal/dashboard.html")] * 2
    assert results[0].files_scanned == results[2].files_scanned == 1
    assert any(f.sighting.path.startswith("gtm/") for f in results[1].findings)
