"""The per-file cache: unchanged files are not read again, and results do not change."""

from __future__ import annotations

import json

import pytest
from helpers import REPO, run_cli, write_tree

from phi_lint import textio

PORTAL = "{# phi-lint: authenticated #}\n<script>fbq('init', '123456789012345');</script>\n"


def project_cache(base, root):
    """The folder of root's cache under the cache base."""
    from phi_lint.cache import project_folder

    return base / project_folder(root)


def test_cached_run_gives_the_same_output_and_reads_only_changed_files(tmp_path, monkeypatch, _cache_in_tmp):
    from phi_lint.scan import ScanOptions, scan

    write_tree(tmp_path, {"web/a.html": PORTAL, "web/b.html": "<p>clean</p>\n", "web/c.js": "export const x = 1;\n"})
    first = scan(ScanOptions(paths=[tmp_path]))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["web"]  # nothing written in the repository
    assert (project_cache(_cache_in_tmp, tmp_path) / ".gitignore").is_file()
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


def test_a_run_rewrites_only_the_shards_of_changed_files(tmp_path, _cache_in_tmp):
    from phi_lint.cache import SHARDS, _shard, _shard_name
    from phi_lint.scan import ScanOptions, scan

    files = {f"web/p{i}.html": f"<p>page {i}</p>\n" for i in range(60)}
    write_tree(tmp_path, files)
    folder = project_cache(_cache_in_tmp, tmp_path)
    old_key = "scan-" + "0" * 24
    write_tree(folder, {
        "scan-0123.pickle": "not made by this version of phi-lint",
        f"{old_key}/phi-lint-cache.json": '{"tool": "phi-lint"}',
        f"{old_key}/00.json": "{}",
    })
    scan(ScanOptions(paths=[tmp_path]))
    assert not (folder / old_key).exists()  # an older key phi-lint made is gone
    assert (folder / "scan-0123.pickle").exists()  # what it did not make stays
    [directory] = folder.glob("scan-*/")
    shards = sorted(directory.glob("*.json"))
    assert 1 < len(shards) <= SHARDS + 1  # and the marker
    before = {p.name: p.stat().st_mtime_ns for p in shards}
    import time

    time.sleep(0.01)
    write_tree(tmp_path, {"web/p7.html": "<p>changed</p>\n"})
    scan(ScanOptions(paths=[tmp_path]))
    after = {p.name: p.stat().st_mtime_ns for p in directory.glob("*.json")}
    rewritten = sorted(name for name in after if after[name] != before.get(name))
    assert rewritten == [_shard_name(_shard("web/p7.html"))]
    scan(ScanOptions(paths=[tmp_path]))  # nothing changed: nothing written
    assert {p.name: p.stat().st_mtime_ns for p in directory.glob("*.json")} == after


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


FIXTURE_NAMES = sorted(p.name for p in (REPO / "fixtures").iterdir() if p.is_dir())


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_a_warm_run_of_every_fixture_gives_the_cold_runs_json(name, tmp_path, monkeypatch):
    """Every fixture's outcomes go through the cache's JSON and come back the same: the report
    of a warm run (no file read again) is byte-identical to a cold run and to --no-cache."""
    import shutil

    from phi_lint.reporters.json_report import render_json
    from phi_lint.scan import ScanOptions, scan

    root = tmp_path / name
    shutil.copytree(REPO / "fixtures" / name, root)
    cold = render_json(scan(ScanOptions(paths=[root], jobs=1)))
    reads = []
    real = textio.read_source

    def counting(path, *args, **kwargs):
        reads.append(path)
        return real(path, *args, **kwargs)

    import phi_lint.fileworker as fileworker

    monkeypatch.setattr(fileworker, "read_source", counting)
    warm = render_json(scan(ScanOptions(paths=[root], jobs=1)))
    assert reads == []
    monkeypatch.undo()
    fresh = render_json(scan(ScanOptions(paths=[root], jobs=1, use_cache=False)))
    assert warm == cold == fresh


def _samples():
    """A value of every registered type, with every optional field filled and empty."""
    from phi_lint.fileworker import FileOutcome
    from phi_lint.inference.model import Inference
    from phi_lint.models import Notification, Sighting, Span
    from phi_lint.pagegraph.model import Edge
    from phi_lint.suppress import Directive

    span = Span(3, 1, 4, 12)
    details = {"tagName": "Meta", "scope": {"rules": (), "kinds": ["a", 1, 2.5, None, True]},
               "pair": ("x", ("y", 2)), "nested": [{"t": [1]}, {"m": {}}], "name\udcff": "é\u2028"}
    sightings = [
        Sighting("meta-pixel", "web/a.html", span, "call", "fbq('init', …)", "123", ("replay",), "call fbq", (3, 4), details),
        Sighting("ga4", "web/b.html", span, "script", "gtag"),
    ]
    inferences = [Inference("web/a.html", "authenticated", "@login_required", "views.py", 7, True), Inference("p", "health", "t", "p")]
    outcome = FileOutcome(
        "web/a\udcff.html", "markup",
        notifications=[Notification("web/a.html", "skipped: binary"), Notification("x", "y", "note", "cache")],
        sightings=sightings,
        edges=[Edge("web/a.html", "web/base.html", "extends", 1, "base.html"), Edge("a", "b", "import")],
        inferences=inferences,
        missing=[("web/a.html", "partials/x.html", 9)],
        tags=[("authenticated", 1)],
        directives=[Directive("web/a.html", 2, 5, ("PHI001",), "BAA signed", False, "phi-lint: ignore[PHI001] BAA", True, ("PHI9",))],
        containers=["GTM-ABC123"],
        page=True,
        page_inferences=inferences,
        hints=("express-server",),
        scanned=True,
        skipped=False,
    )
    return [span, *sightings, *inferences, outcome, FileOutcome("empty.js", "script"), *outcome.notifications,
            *outcome.edges, *outcome.directives]


def test_every_registered_type_comes_back_equal_and_of_the_same_shape():
    import dataclasses

    from phi_lint.cachecodec import REGISTRY

    samples = _samples()
    assert {type(s) for s in samples} == {record.cls for record in REGISTRY.values()}
    for sample in samples:
        [record] = [r for r in REGISTRY.values() if r.cls is type(sample)]
        encoded = json.loads(json.dumps(record.encode(sample)))
        decoded = record.decode(encoded)
        assert decoded == sample
        assert repr(decoded) == repr(sample)  # tuples stay tuples, lists stay lists, details too
        for field in dataclasses.fields(sample):
            assert type(getattr(decoded, field.name)) is type(getattr(sample, field.name))
    assert repr(samples[1].details) == repr(REGISTRY["Si"].decode(json.loads(json.dumps(REGISTRY["Si"].encode(samples[1])))).details)


def test_the_registry_declares_every_field_of_every_registered_dataclass():
    """A field added to one of these dataclasses must be added to the cache format too."""
    import dataclasses

    from phi_lint.cachecodec import REGISTRY

    for record in REGISTRY.values():
        assert record.names == tuple(f.name for f in dataclasses.fields(record.cls)), record.cls


def test_a_value_the_reader_would_refuse_is_not_written():
    from phi_lint.cachecodec import OUTCOME
    from phi_lint.fileworker import FileOutcome

    for bad in (FileOutcome("a", "markup", containers=[object()]), FileOutcome("a", "markup", hints=["list"]),
                FileOutcome("a", "markup", missing=[("a", "b", 2**70)])):
        with pytest.raises(TypeError):
            OUTCOME.encode(bad)


def test_the_cache_base_follows_the_option_then_the_environment_then_xdg_then_home(tmp_path, monkeypatch):
    from pathlib import Path

    from phi_lint.cache import cache_base, project_folder

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/is/ignored")
    monkeypatch.delenv("PHI_LINT_CACHE_DIR")
    assert cache_base() == tmp_path / "home" / ".cache" / "phi-lint"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_base() == tmp_path / "xdg" / "phi-lint"
    monkeypatch.setenv("PHI_LINT_CACHE_DIR", str(tmp_path / "env"))
    assert cache_base() == tmp_path / "env"
    assert cache_base(Path("chosen")) == Path("chosen")
    # one folder per project, by real path; a name that cannot be hidden or climb out
    (tmp_path / "a").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "a")
    assert project_folder(tmp_path / "link") == project_folder(tmp_path / "a") != project_folder(tmp_path)
    assert project_folder(Path("/")).startswith("root-")
    assert project_folder(tmp_path / "a b\n..").startswith("a_b_..-")
