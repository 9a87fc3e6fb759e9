"""A scanned repository is hostile, and so may be anything in the cache folder (issue 11, items
1, 2 and the cache-key part of 8): reading a cache never runs code, phi-lint never writes or
deletes through a link out of the tree, a damaged or planted cache file is a miss with a note,
and a file that other files' outcomes depend on (tsconfig paths) is part of the key."""

from __future__ import annotations

import json
import os
import pickle
import shutil
from contextlib import contextmanager

import pytest
from helpers import write_tree

from phi_lint.scan import ScanOptions, scan

PORTAL = "{# phi-lint: authenticated #}\n<script>fbq('init', '123456789012345');</script>\n"


class _Payload:
    """A pickle that, when loaded, makes a folder (the proof that loading ran code)."""

    def __init__(self, proof: str):
        self.proof = proof

    def __reduce__(self):
        return os.mkdir, (self.proof,)


def _summary(result) -> list[tuple]:
    return sorted((f.rule_id, f.sighting.path, f.sighting.span.line, f.sighting.vendor_id) for f in result.findings)


def _cache_notes(result) -> list[str]:
    return [n.message for n in result.notifications if n.code == "cache"]


@pytest.fixture
def no_cache_env(monkeypatch, tmp_path):
    """The default location, as a user has it (no $PHI_LINT_CACHE_DIR): the per-user cache
    folder is a temporary one."""
    monkeypatch.delenv("PHI_LINT_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return tmp_path / "xdg" / "phi-lint"


def _repo(path, files):
    write_tree(path, files)
    (path / ".git").mkdir(exist_ok=True)
    return path


# -- (a) a committed cache never runs code --------------------------------------------------


def test_a_committed_pickle_cache_is_never_loaded(tmp_path, no_cache_env):
    repo = _repo(tmp_path / "repo", {"web/portal.html": PORTAL, "web/b.html": "<p>hi</p>\n"})
    proof = tmp_path / "code-ran"
    payload = pickle.dumps(_Payload(str(proof)))
    scan(ScanOptions(paths=[repo]))  # a first run, so the key folders exist wherever they are made
    # every plausible place, under every name a shard has had: the repository's own
    # .phi-lint-cache/ (what older versions read) and the per-user folder
    planted = 0
    for folder in (repo / ".phi-lint-cache", no_cache_env):
        for path in list(folder.rglob("*.pickle")) + list(folder.rglob("*.json")):
            path.write_bytes(payload)
            planted += 1
        for index in range(32):
            write_tree(folder / "scan-0123456789abcdef01234567", {f"{index:02d}.pickle": payload})
    assert planted
    second = scan(ScanOptions(paths=[repo]))
    assert not proof.exists()
    assert _summary(second) == _summary(scan(ScanOptions(paths=[repo], use_cache=False)))


# -- (b) a link for the cache folder --------------------------------------------------------


def test_a_committed_cache_link_to_the_parent_deletes_and_writes_nothing_there(tmp_path, no_cache_env):
    parent = tmp_path / "work"
    write_tree(parent, {"scan-results/report.txt": "keep me\n", "notes.txt": "mine\n"})
    repo = _repo(parent / "repo", {"web/portal.html": PORTAL})
    (repo / ".phi-lint-cache").symlink_to("..")
    before = sorted(p.name for p in parent.iterdir())
    for _ in range(2):
        scan(ScanOptions(paths=[repo]))
    assert (parent / "scan-results" / "report.txt").read_text() == "keep me\n"
    assert sorted(p.name for p in parent.iterdir()) == before  # no .gitignore, no scan-*


def test_a_cache_dir_through_a_committed_link_is_refused_with_a_note(tmp_path):
    parent = tmp_path / "work"
    write_tree(parent, {"scan-results/report.txt": "keep me\n"})
    repo = _repo(parent / "repo", {"web/portal.html": PORTAL})
    (repo / ".phi-lint-cache").symlink_to("..")
    before = sorted(str(p) for p in parent.rglob("*") if ".git" not in p.parts)
    result = scan(ScanOptions(paths=[repo], cache_dir=repo / ".phi-lint-cache"))
    assert any("symbolic link" in note for note in _cache_notes(result)), result.notifications
    assert sorted(str(p) for p in parent.rglob("*") if ".git" not in p.parts) == before
    assert _summary(result) == [("PHI001", "web/portal.html", 2, "meta-pixel")]


def test_a_link_below_the_cache_base_is_refused_and_nothing_is_written_through_it(tmp_path):
    from phi_lint.cache import project_folder

    repo = _repo(tmp_path / "repo", {"web/portal.html": PORTAL})
    base, elsewhere = tmp_path / "cache", tmp_path / "elsewhere"
    base.mkdir()
    elsewhere.mkdir()
    (base / project_folder(repo)).symlink_to(elsewhere)
    result = scan(ScanOptions(paths=[repo], cache_dir=base))
    assert any("symbolic link" in note for note in _cache_notes(result))
    assert list(elsewhere.iterdir()) == []
    assert _summary(result) == [("PHI001", "web/portal.html", 2, "meta-pixel")]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give a folder away")
def test_a_cache_folder_of_another_user_is_not_used(tmp_path):
    from phi_lint.cache import project_folder

    repo = _repo(tmp_path / "repo", {"web/portal.html": PORTAL})
    base = tmp_path / "cache"
    scan(ScanOptions(paths=[repo], cache_dir=base))
    folder = base / project_folder(repo)
    for path in [folder, *folder.rglob("*")]:
        os.chown(path, 4242, 4242, follow_symlinks=False)
    result = scan(ScanOptions(paths=[repo], cache_dir=base))
    assert any("another user" in note for note in _cache_notes(result))
    assert _summary(result) == [("PHI001", "web/portal.html", 2, "meta-pixel")]


# -- (c) a dangling .gitignore link --------------------------------------------------------


def test_a_dangling_gitignore_link_never_creates_the_outside_file(tmp_path, no_cache_env):
    outside = tmp_path / "outside" / "created-by-phi-lint"
    outside.parent.mkdir()
    repo = _repo(tmp_path / "repo", {"web/portal.html": PORTAL})
    (repo / ".phi-lint-cache").mkdir()
    (repo / ".phi-lint-cache" / ".gitignore").symlink_to(outside)
    scan(ScanOptions(paths=[repo]))  # the default: the repository's folder is not used at all
    assert not outside.exists()
    # a cache folder the user put inside the tree, where the repository planted the link
    from phi_lint.cache import project_folder

    inside = repo / ".phi-lint-cache" / project_folder(repo)
    inside.mkdir()
    (inside / ".gitignore").symlink_to(outside)
    result = scan(ScanOptions(paths=[repo], cache_dir=repo / ".phi-lint-cache"))
    assert not outside.exists()
    assert (inside / ".gitignore").is_symlink()
    assert list(inside.glob("scan-*/*.json"))  # the cache itself was written
    assert _summary(result) == [("PHI001", "web/portal.html", 2, "meta-pixel")]


# -- (d) a damaged or planted JSON shard ----------------------------------------------------


def _span_line(value):
    """Replace the line of the first sighting's span in a shard's entries."""

    def change(document):
        for fields in document["entries"].values():
            extra = fields[3][-1]
            if isinstance(extra, dict) and extra.get("sightings"):
                extra["sightings"][0][3][1] = value
                return document
        raise AssertionError("no sighting in the shard")

    return change


def _entries(change):
    def apply(document):
        for fields in document["entries"].values():
            change(fields)
        return document

    return apply


HOSTILE_SHARDS = {
    "not json": lambda _: b"\x80\x04\x95 a pickle, or anything",
    "truncated": lambda data: data[: len(data) // 2],
    "deep nesting": lambda _: b"[" * 200_000 + b"]" * 200_000,
    "deep nesting in details": lambda data: data.replace(b'"tagName"', b'"x":' + b'{"m":{"x":' * 300 + b"1" + b"}}" * 300 + b',"tagName"', 1)
    if b'"tagName"' in data else b"{" * 5000,
    "a huge number": lambda _: b'{"entries": ' + b"9" * 50_000 + b"}",
    "a number out of range": lambda data: json.dumps(_span_line(2**70)(json.loads(data))).encode(),
    "a bool for a line": lambda data: json.dumps(_span_line(True)(json.loads(data))).encode(),
    "an unknown tag": lambda data: data.replace(b'["Fo",', b'["os.system",'),
    "an unknown field": lambda data: json.dumps(_entries(lambda f: f[3].append({"__class__": 1}))(json.loads(data))).encode(),
    "wrong types": lambda data: json.dumps(_entries(lambda f: f.__setitem__(0, "yesterday"))(json.loads(data))).encode(),
    "another file's outcome": lambda data: json.dumps(_entries(lambda f: f[3].__setitem__(1, "web/other.html"))(json.loads(data))).encode(),
    "a list for the document": lambda _: b"[]",
    "NaN": lambda data: data.replace(b'"entries":{', b'"x":NaN,"entries":{', 1),
    "invalid utf-8": lambda data: data.replace(b'"web/', b'"\xff\xfe/', 1),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_SHARDS))
def test_a_hostile_shard_is_a_miss_with_a_note_and_changes_no_finding(case, tmp_path):
    from phi_lint.cache import STATE, _shard, _shard_name, project_folder

    repo = _repo(tmp_path / "repo", {"web/portal.html": PORTAL, "web/other.html": "<p>x</p>\n",
                                     "gtm/container.json": _gtm_export()})
    base = tmp_path / "cache"
    first = scan(ScanOptions(paths=[repo], cache_dir=base))
    [folder] = (base / project_folder(repo)).glob("scan-*")
    shard = folder / _shard_name(_shard("web/portal.html"))
    if case == "deep nesting in details":
        shard = folder / _shard_name(_shard("gtm/container.json"))
    shard.write_bytes(HOSTILE_SHARDS[case](shard.read_bytes()))
    (folder / STATE).unlink()  # the merged state would serve every file: the shard is what is read
    second = scan(ScanOptions(paths=[repo], cache_dir=base))
    assert _summary(second) == _summary(first) == _summary(scan(ScanOptions(paths=[repo], use_cache=False)))
    notes = [n for n in second.notifications if n.code == "cache"]
    assert len(notes) == 1 and notes[0].path == str(shard) and notes[0].level == "note", second.notifications
    assert len(notes[0].message) < 250 and notes[0].message.isprintable()
    # the damaged shard was written again: the next run is quiet
    assert _cache_notes(scan(ScanOptions(paths=[repo], cache_dir=base))) == []


def _gtm_export() -> str:
    return json.dumps({
        "exportFormatVersion": 2,
        "containerVersion": {
            "container": {"publicId": "GTM-ABC1234"},
            "tag": [{"name": "Meta Pixel", "type": "html", "tagId": "1", "firingTriggerId": ["2147479553"],
                     "parameter": [{"type": "TEMPLATE", "key": "html",
                                    "value": "<script>fbq('init', '123456789012345');</script>"}]}],
        },
    })


@pytest.mark.parametrize("kind", ["link", "fifo", "folder"])
def test_a_shard_that_is_not_a_regular_file_is_not_read(kind, tmp_path):
    from phi_lint.cache import STATE, _shard, _shard_name, project_folder

    secret = tmp_path / "secret.txt"
    secret.write_text("TOKEN=abc\n")
    repo = _repo(tmp_path / "repo", {"web/portal.html": PORTAL})
    base = tmp_path / "cache"
    scan(ScanOptions(paths=[repo], cache_dir=base))
    [folder] = (base / project_folder(repo)).glob("scan-*")
    shard = folder / _shard_name(_shard("web/portal.html"))
    shard.unlink()
    (folder / STATE).unlink()  # the merged state would serve every file: the shard is what is read
    if kind == "link":
        shard.symlink_to(secret)
    elif kind == "fifo":
        os.mkfifo(shard)  # opened for reading, it would block the scan forever
    else:
        shard.mkdir()
    result = scan(ScanOptions(paths=[repo], cache_dir=base))
    notes = _cache_notes(result)
    assert len(notes) == 1 and "TOKEN" not in notes[0]
    assert _summary(result) == [("PHI001", "web/portal.html", 2, "meta-pixel")]
    assert secret.read_text() == "TOKEN=abc\n"


def test_old_keys_are_removed_only_when_phi_lint_made_them(tmp_path):
    from phi_lint.cache import project_folder

    repo = _repo(tmp_path / "repo", {"web/portal.html": PORTAL})
    base = tmp_path / "cache"
    folder = base / project_folder(repo)
    keep = tmp_path / "keep"
    write_tree(keep, {"00.json": "mine"})
    planted = {
        # someone else's folder with the right name shape, no marker
        "scan-aaaaaaaaaaaaaaaaaaaaaaaa/00.json": "not phi-lint's",
        # phi-lint's marker, but also a file phi-lint never writes
        "scan-bbbbbbbbbbbbbbbbbbbbbbbb/phi-lint-cache.json": '{"tool": "phi-lint"}',
        "scan-bbbbbbbbbbbbbbbbbbbbbbbb/00.json": "{}",
        "scan-bbbbbbbbbbbbbbbbbbbbbbbb/notes.txt": "mine",
        # an old key of phi-lint's own: removed
        "scan-cccccccccccccccccccccccc/phi-lint-cache.json": '{"tool": "phi-lint"}',
        "scan-cccccccccccccccccccccccc/07.json": "{}",
        "scan-results/00.json": "not a key folder",
    }
    write_tree(folder, planted)
    (folder / "scan-dddddddddddddddddddddddd").symlink_to(keep)  # a link: never followed
    (folder / "scan-cccccccccccccccccccccccc" / "01.json").symlink_to(keep / "00.json")
    scan(ScanOptions(paths=[repo], cache_dir=base))
    assert (folder / "scan-aaaaaaaaaaaaaaaaaaaaaaaa" / "00.json").exists()
    assert sorted(p.name for p in (folder / "scan-bbbbbbbbbbbbbbbbbbbbbbbb").iterdir()) == ["notes.txt"]
    assert (folder / "scan-cccccccccccccccccccccccc").is_dir()  # the link in it stays, so does the folder
    assert [p.name for p in (folder / "scan-cccccccccccccccccccccccc").iterdir()] == ["01.json"]
    assert (folder / "scan-results" / "00.json").exists()
    assert (keep / "00.json").read_text() == "mine"
    assert (folder / "scan-dddddddddddddddddddddddd").is_symlink()


def test_writes_are_atomic_and_leave_no_temporary_files(tmp_path):
    from phi_lint.cache import project_folder

    repo = _repo(tmp_path / "repo", {f"web/p{i}.html": PORTAL for i in range(40)})
    base = tmp_path / "cache"
    scan(ScanOptions(paths=[repo], cache_dir=base))
    names = [p.name for p in (base / project_folder(repo)).rglob("*")]
    assert not [n for n in names if n.endswith(".tmp")]
    assert "phi-lint-cache.json" in names and ".gitignore" in names


def test_the_cache_dir_option_and_the_environment_choose_the_base(tmp_path, monkeypatch):
    from helpers import run_cli

    from phi_lint.cache import project_folder

    repo = _repo(tmp_path / "repo", {"web/portal.html": PORTAL})
    run_cli("--cache-dir", str(tmp_path / "chosen"), str(repo))
    assert list((tmp_path / "chosen" / project_folder(repo)).glob("scan-*/*.json"))
    run_cli(str(repo), env={"PHI_LINT_CACHE_DIR": str(tmp_path / "env")})
    assert list((tmp_path / "env" / project_folder(repo)).glob("scan-*/*.json"))
    assert sorted(p.name for p in repo.iterdir()) == [".git", "web"]


# -- (e) files an outcome depends on are part of the key -------------------------------------


def test_editing_tsconfig_paths_reaches_the_importers_of_the_alias(tmp_path):
    repo = _repo(tmp_path / "repo", {
        "tsconfig.json": '{"compilerOptions": {"baseUrl": ".", "paths": {"@lib/*": ["lib/clean/*"]}}}\n',
        "app/portal/page.tsx": '// phi-lint: authenticated\nimport { start } from "@lib/analytics";\n'
                               "export default function Page() { start(); return null; }\n",
        "lib/clean/analytics.ts": "export function start() { return 1; }\n",
        "lib/track/analytics.ts": "export function start() { window.fbq('init', '123456789012345'); }\n",
    })
    first = scan(ScanOptions(paths=[repo]))
    assert [f.rule_id for f in first.findings] == ["PHI100"]  # the tracker reaches no page
    tsconfig = repo / "tsconfig.json"
    tsconfig.write_text(tsconfig.read_text().replace("lib/clean", "lib/track"))
    warm = scan(ScanOptions(paths=[repo]))
    fresh = scan(ScanOptions(paths=[repo], use_cache=False))
    assert _summary(warm) == _summary(fresh) == [("PHI001", "lib/track/analytics.ts", 1, "meta-pixel")]


def test_editing_a_vite_alias_reaches_the_importers_too(tmp_path):
    repo = _repo(tmp_path / "repo", {
        "vite.config.ts": "export default { resolve: { alias: { '@lib': '/lib/clean' } } };\n",
        "src/portal/page.tsx": '// phi-lint: authenticated\nimport { start } from "@lib/analytics";\n'
                               "export default function Page() { start(); return null; }\n",
        "lib/clean/analytics.ts": "export function start() { return 1; }\n",
        "lib/track/analytics.ts": "export function start() { window.fbq('init', '123456789012345'); }\n",
    })
    scan(ScanOptions(paths=[repo]))
    config = repo / "vite.config.ts"
    config.write_text(config.read_text().replace("lib/clean", "lib/track"))
    assert _summary(scan(ScanOptions(paths=[repo]))) == _summary(scan(ScanOptions(paths=[repo], use_cache=False)))


def test_the_config_and_vendor_dirs_are_digested_without_following_links(tmp_path):
    from phi_lint.cache import cache_key
    from phi_lint.config import Config

    outside = tmp_path / "outside"
    write_tree(outside, {"deep/a.yml": "x"})
    vendors = tmp_path / "vendors"
    vendors.mkdir()
    (vendors / "escape").symlink_to(outside)
    os.mkfifo(tmp_path / "phi-lint.toml")  # read, it would block
    config = Config(path=tmp_path / "phi-lint.toml", root=tmp_path)
    with _deadline(10):
        before = cache_key(config, [vendors], ())
        (outside / "deep" / "a.yml").write_text("changed, but not part of the tree")
        assert cache_key(config, [vendors], ()) == before
    shutil.rmtree(outside)


@contextmanager
def _deadline(seconds: float):
    """A blocked read (a FIFO opened for reading) fails the test instead of hanging it."""
    import signal

    def expired(signum, frame):
        raise TimeoutError(f"still blocked after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# -- any value at all -------------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5),
    max_leaves=40,
)


def _valid_outcome_row():
    from phi_lint.cachecodec import OUTCOME

    return json.loads(json.dumps(OUTCOME.encode(_sample_outcome())))


def _sample_outcome():
    from test_cache import _samples

    from phi_lint.fileworker import FileOutcome

    return next(s for s in _samples() if isinstance(s, FileOutcome))


def _replace_somewhere(value, path: list[int], new):
    """value with the node reached by following path (indexes taken modulo) replaced by new."""
    if not path or not isinstance(value, (list, dict)) or not value:
        return new
    if isinstance(value, list):
        index = path[0] % len(value)
        return [_replace_somewhere(v, path[1:], new) if i == index else v for i, v in enumerate(value)]
    keys = sorted(value)
    key = keys[path[0] % len(keys)]
    return {k: (_replace_somewhere(v, path[1:], new) if k == key else v) for k, v in value.items()}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=0, max_value=50), max_size=8), _JSON)
def test_a_cached_outcome_changed_anywhere_is_refused_or_comes_back_well_typed(path, new):
    """Whatever a cache file holds, decoding gives a FileOutcome whose fields have the declared
    types (so encoding it again succeeds), or raises Invalid: never anything else."""
    from phi_lint.cachecodec import OUTCOME, Invalid

    row = _replace_somewhere(_valid_outcome_row(), path, new)
    try:
        decoded = OUTCOME.decode(row)
    except Invalid:
        return
    OUTCOME.encode(decoded)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400) | _JSON.map(lambda v: json.dumps(v).encode()))
def test_any_bytes_as_a_shard_are_refused_as_invalid(data):
    import tempfile

    from phi_lint.cache import _read_shard

    with tempfile.TemporaryDirectory() as folder:
        with open(os.path.join(folder, "00.json"), "wb") as handle:
            handle.write(data)
        fd = os.open(folder, os.O_RDONLY)
        try:
            _read_shard(fd, "00.json", "0" * 24)
        except (ValueError, RecursionError):
            pass  # the loader turns these into a note (Invalid is a ValueError)
        finally:
            os.close(fd)
