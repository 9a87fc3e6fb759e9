"""The cache's merged state (phi_lint.cachestate): a run naming files takes every other file from
one record, and what it reports is what a --no-cache run reports, however the files changed."""

from __future__ import annotations

import json
import os
import random
import shutil

import pytest
from helpers import REPO, write_tree

from phi_lint.reporters.json_report import render_json
from phi_lint.scan import ScanOptions, scan

PORTAL = "{# phi-lint: authenticated #}\n{% extends 'base.html' %}\n{% block body %}<p>portal</p>{% endblock %}\n"
BASE = "<html><body>{% include 'partials/head.html' %}{% block body %}{% endblock %}</body></html>\n"
TRACKER = "<script>fbq('init', '123456789012345');</script>\n"


def _site(root):
    files = {
        "templates/base.html": BASE,
        "templates/partials/head.html": "<meta charset='utf-8'>\n",
        "templates/portal/account.html": PORTAL,
        "templates/portal/visits.html": PORTAL,
        "templates/about.html": "{% extends 'base.html' %}\n{% block body %}<p>about us</p>{% endblock %}\n",
        "static/app.js": "import './util.js';\nexport const x = 1;\n",
        "static/util.js": "export const y = 2;\n",
    }
    files.update({f"templates/blog/post{i}.html": f"{{% extends 'base.html' %}}\n<p>post {i}</p>\n" for i in range(12)})
    write_tree(root, files)
    (root / ".git").mkdir(exist_ok=True)
    return root


def _json(paths, **options) -> str:
    return render_json(scan(ScanOptions(paths=list(paths), jobs=1, **options)))


def _state_file(base, root):
    from phi_lint.cache import STATE, project_folder

    [folder] = (base / project_folder(root)).glob("scan-*")
    return folder / STATE


def _touch(path, step: int = 1) -> None:
    """A new modification time, as an edit or a `git checkout` leaves it."""
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + step * 1_000_000_000))


def test_the_state_accounts_for_every_field_of_a_file_outcome():
    import dataclasses

    from phi_lint.cachestate import IN_COLUMNS, WHOLE_ONLY, is_plain
    from phi_lint.outcome import FileOutcome

    assert sorted(IN_COLUMNS + WHOLE_ONLY) == sorted(f.name for f in dataclasses.fields(FileOutcome))
    assert is_plain(FileOutcome("a.html", "markup", edges=[1], missing=[("a", "b", 1)], hints=("h",), page=True))
    for name in WHOLE_ONLY:  # any of these makes the state keep the whole outcome
        assert not is_plain(FileOutcome("a.html", "markup", **{name: [1]}))


def test_a_run_reads_no_shard_of_an_unchanged_file(tmp_path, monkeypatch):
    import phi_lint.cache as cache

    root = _site(tmp_path / "site")
    base = tmp_path / "cache"
    _json([root], cache_dir=base)  # every file: the state is written
    assert _state_file(base, root).is_file()
    named = [root / "templates/portal/account.html", root / "templates/about.html"]
    for path in named:
        _touch(path)
    read = []
    real = cache._read_shard

    def counting(folder, name, key):
        read.append(name)
        return real(folder, name, key)

    monkeypatch.setattr(cache, "_read_shard", counting)
    shards_of_named = sorted({cache._shard_name(cache._shard(p.relative_to(root).as_posix())) for p in named})
    warm = _json(named, cache_dir=base)
    assert sorted(read) == shards_of_named
    for path in named:
        _touch(path, 2)
    read.clear()
    everything = _json([root], cache_dir=base)  # a run over everything too
    assert sorted(read) == shards_of_named
    monkeypatch.undo()
    assert warm == _json(named, use_cache=False)
    assert everything == _json([root], use_cache=False)


def test_an_edit_to_a_file_the_state_holds_is_seen_by_a_run_naming_other_files(tmp_path):
    # the named partial holds the tracker; the pages that reach it (through the layout) are
    # taken from the state, and edited between runs: one stops extending the layout, one starts
    root = _site(tmp_path / "site")
    partial = root / "templates/partials/head.html"
    partial.write_text(TRACKER)
    base = tmp_path / "cache"
    _json([root], cache_dir=base)
    named = [partial]

    before = _json(named, cache_dir=base)
    assert before == _json(named, use_cache=False)
    account = root / "templates/portal/account.html"
    account.write_text("{# phi-lint: authenticated #}\n<p>no layout</p>\n")
    _touch(account)
    after = _json(named, cache_dir=base)
    assert after == _json(named, use_cache=False) != before
    about = root / "templates/about.html"
    about.write_text(PORTAL.replace("portal", "about"))
    _touch(about)
    assert _json(named, cache_dir=base) == _json(named, use_cache=False) != after


def test_random_edits_and_named_runs_give_the_no_cache_report(tmp_path, monkeypatch):
    """Edits anywhere (an edge added or removed, a tracker, a tag, text), then a run naming a few
    files: the report equals --no-cache, whether the state is behind or refreshed."""
    import phi_lint.cache as cache

    monkeypatch.setattr(cache, "STATE_REFRESH", 3)  # the state is rewritten every few runs too
    root = _site(tmp_path / "site")
    base = tmp_path / "cache"
    _json([root], cache_dir=base)
    pages = sorted(p for p in root.rglob("*") if p.is_file() and ".git" not in p.parts)
    contents = [TRACKER, PORTAL, BASE, "<p>plain</p>\n", "{% include 'partials/head.html' %}\n",
                "{# phi-lint: public #}<p>login</p>\n", "import './app.js';\n", "<p>diabetes care</p>\n" + TRACKER]
    rng = random.Random(17)
    for step in range(12):
        for path in rng.sample(pages, rng.randint(1, 4)):
            path.write_text(rng.choice(contents))
            _touch(path, step + 1)
        named = rng.sample(pages, rng.randint(1, 3))
        assert _json(named, cache_dir=base) == _json(named, use_cache=False), f"step {step}"


def test_the_state_is_written_again_once_enough_files_differ_from_it(tmp_path, monkeypatch):
    import phi_lint.cache as cache

    monkeypatch.setattr(cache, "STATE_REFRESH", 3)
    root = _site(tmp_path / "site")
    base = tmp_path / "cache"
    _json([root], cache_dir=base)
    state = _state_file(base, root)
    first = state.stat().st_mtime_ns
    named = [root / "templates/about.html"]
    posts = sorted((root / "templates/blog").iterdir())
    _touch(posts[0])
    _json(named, cache_dir=base)  # one file differs: the shards take it, the state stays
    assert state.stat().st_mtime_ns == first
    for post in posts[1:3]:
        _touch(post)
    _json(named, cache_dir=base)  # three differ: the state is made again, holding them
    assert state.stat().st_mtime_ns != first
    from phi_lint.cachestate import decode

    key = state.parent.name.removeprefix("scan-")
    held = decode(state.read_bytes(), key)
    assert held is not None
    for post in posts[:3]:
        info = post.stat()
        assert held.find(post.relative_to(root).as_posix(), info.st_size, info.st_mtime_ns) is not None


def _rows(change):
    def apply(data: bytes) -> bytes:
        document = json.loads(data)
        change(document)
        return json.dumps(document).encode()

    return apply


def _whole_outcome(document) -> list:
    return document["outcomes"][0][1]


HOSTILE_STATES = {
    "not json": lambda _: b"\x80\x04\x95 a pickle",
    "truncated": lambda data: data[: len(data) // 2],
    "a list": lambda _: b"[]",
    "a huge number": lambda data: data.replace(b'"size":[', b'"size":[' + b"9" * 50_000 + b",", 1),
    "a string for a size": _rows(lambda d: d["files"]["size"].__setitem__(0, "big")),
    "a bool for a count": _rows(lambda d: d["files"]["edges"].__setitem__(0, True)),
    "a number out of range": _rows(lambda d: d["files"]["mtime"].__setitem__(0, 2**70)),
    "a float for a line": _rows(lambda d: d["edges"]["line"].__setitem__(0, 1.5)),
    "a negative count": _rows(lambda d: d["files"]["missing"].__setitem__(0, -1)),
    "flags out of range": _rows(lambda d: d["files"]["flags"].__setitem__(0, 99)),
    "columns that do not add up": _rows(lambda d: [column.append(column[0]) for column in d["edges"].values()]),
    "columns of two lengths": _rows(lambda d: d["files"]["kind"].pop()),
    "an unknown column": _rows(lambda d: d["files"].__setitem__("__class__", [])),
    "a file twice": _rows(lambda d: d["files"]["rel"].__setitem__(1, d["files"]["rel"][0])),
    "a position out of range": _rows(lambda d: d["hints"].append([10**6, ["x"]])),
    "a position twice": _rows(lambda d: d["outcomes"].append(d["outcomes"][0])),
    "an unknown tag": lambda data: data.replace(b'["Fo",', b'["os.system",', 1),
    "another file's outcome": _rows(lambda d: _whole_outcome(d).__setitem__(1, "x.html")),
    "NaN": lambda data: data.replace(b'"size":[', b'"size":[NaN,', 1),
    "deep nesting": lambda _: b"[" * 200_000 + b"]" * 200_000,
}


@pytest.mark.parametrize("case", sorted(HOSTILE_STATES))
def test_a_hostile_state_is_a_miss_with_a_note_and_changes_no_finding(case, tmp_path):
    root = _site(tmp_path / "site")
    (root / "templates/partials/head.html").write_text(TRACKER)
    (root / "templates/portal/notes.html").write_text("{# phi-lint: authenticated #}\n" + TRACKER)
    base = tmp_path / "cache"
    _json([root], cache_dir=base)
    state = _state_file(base, root)
    state.write_bytes(HOSTILE_STATES[case](state.read_bytes()))
    named = [root / "templates/base.html", root / "templates/portal/notes.html"]
    result = scan(ScanOptions(paths=named, jobs=1, cache_dir=base))
    notes = [n for n in result.notifications if n.code == "cache"]
    assert len(notes) == 1 and notes[0].path == str(state) and notes[0].level == "note", result.notifications
    assert len(notes[0].message) < 250 and notes[0].message.isprintable()
    result.notifications.remove(notes[0])
    assert render_json(result) == _json(named, use_cache=False)
    assert _json(named, cache_dir=base) == _json(named, use_cache=False)  # written again: quiet


FIXTURE_NAMES = sorted(p.name for p in (REPO / "fixtures").iterdir() if p.is_dir())


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_a_run_naming_files_of_every_fixture_gives_the_no_cache_report(name, tmp_path):
    """Every fixture through the merged state: a few files named, unchanged and then touched;
    every other file from the state."""
    root = tmp_path / name
    shutil.copytree(REPO / "fixtures" / name, root)
    base = tmp_path / "cache"
    _json([root], cache_dir=base)
    files = sorted(p for p in root.rglob("*") if p.is_file() and ".git" not in p.parts)
    named = files[::max(1, len(files) // 3)][:3]
    assert _json(named, cache_dir=base) == _json(named, use_cache=False)
    for path in named:
        _touch(path)
    assert _json(named, cache_dir=base) == _json(named, use_cache=False)


def _broken_page_site(root):
    """A site whose one script holds a tracker in code that does not parse: its analysis gives a
    "syntax errors" notice, which only a run reporting on that script gives."""
    write_tree(root, {
        "components/Pixel.tsx": "export function Pixel() {\n  fbq('init', '123456789012345');\n  return <div>{ </div>;\n}\n",
        "about.html": "<p>about us</p>\n",
    })
    (root / ".git").mkdir(exist_ok=True)
    return root


def _notices_of(report: str, rel: str) -> list[str]:
    return [n["message"] for n in json.loads(report)["notifications"] if n["path"] == rel]


def test_a_named_run_leaves_out_the_analysis_notices_of_a_file_it_does_not_name(tmp_path):
    root = _broken_page_site(tmp_path / "site")
    base = tmp_path / "cache"
    everything = _json([root], cache_dir=base)  # analyses the script: its notice is cached with it
    assert any(m.startswith("syntax errors") for m in _notices_of(everything, "components/Pixel.tsx"))
    named = [root / "about.html"]
    uncached = _json(named, use_cache=False)
    assert _notices_of(uncached, "components/Pixel.tsx") == []  # not analysed, so nothing to say of it
    assert _json(named, cache_dir=base) == uncached  # from the merged state
    _state_file(base, root).unlink()
    assert _json(named, cache_dir=base) == uncached  # from the shards


def test_a_file_analysed_by_a_named_run_keeps_its_analysis_in_a_later_run_over_everything(tmp_path):
    root = _broken_page_site(tmp_path / "site")
    base = tmp_path / "cache"
    named = _json([root / "components/Pixel.tsx"], cache_dir=base)
    assert any(m.startswith("syntax errors") for m in _notices_of(named, "components/Pixel.tsx"))
    everything = _json([root], cache_dir=base)
    assert everything == _json([root], use_cache=False)
    assert _notices_of(everything, "components/Pixel.tsx") == _notices_of(named, "components/Pixel.tsx")
