"""Bad input never stops a scan: each problem file becomes a notification, the rest is scanned."""

from __future__ import annotations

import os

import pytest
from helpers import finding_lines, run_cli, scan_tree, write_tree

from phi_lint import safeio

PIXEL_PAGE = "<!-- phi-lint: authenticated -->\n<script>fbq('init', '123456789012345');</script>\n"


def _notes(result) -> dict[str, str]:
    """Every notice of a file (by file name), joined."""
    notes: dict[str, str] = {}
    for n in result.notifications:
        name = n.path.split("/")[-1]
        notes[name] = f"{notes[name]}; {n.message}" if name in notes else n.message
    return notes


def test_binary_file_with_template_extension(tmp_path):
    write_tree(tmp_path, {"portal/logo.html": b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR" + bytes(range(256)), "portal/page.html": PIXEL_PAGE})
    result = scan_tree(tmp_path)
    assert "binary" in _notes(result)["logo.html"]
    assert finding_lines(result, tmp_path) == ["PHI001 portal/page.html:2 meta-pixel"]
    assert result.files_skipped == 1


def test_invalid_utf8_is_scanned_with_a_notice(tmp_path):
    content = b"<!-- phi-lint: authenticated -->\n<p>Caf\xe9 \xff\xfe</p>\n<script>fbq('init', '123456789012345');</script>\n"
    write_tree(tmp_path, {"portal/latin1.html": content})
    result = scan_tree(tmp_path)
    assert "not valid UTF-8" in _notes(result)["latin1.html"]
    assert finding_lines(result, tmp_path) == ["PHI001 portal/latin1.html:3 meta-pixel"]


def test_file_over_the_size_limit(tmp_path):
    big = "var x = 1;\n" * 300_000  # ~3.3 MB, over the 2 MiB default
    write_tree(tmp_path, {"static/app.js": "fbq('init', '123456789012345');\n" + big, "portal/page.html": PIXEL_PAGE})
    result = scan_tree(tmp_path)
    assert "larger than max-file-size" in _notes(result)["app.js"]
    assert finding_lines(result, tmp_path) == ["PHI001 portal/page.html:2 meta-pixel"]


@pytest.mark.slow
def test_fifty_megabyte_minified_bundle(tmp_path):
    chunk = "function a(b){return b*2}var c=[1,2,3].map(a);" * 1000
    with open(tmp_path / "bundle.js", "w") as handle:
        for _ in range(1100):  # ~50 MB on one line
            handle.write(chunk)
    write_tree(tmp_path, {"portal/page.html": PIXEL_PAGE})
    result = scan_tree(tmp_path)
    assert "larger than max-file-size" in _notes(result)["bundle.js"]
    assert finding_lines(result, tmp_path) == ["PHI001 portal/page.html:2 meta-pixel"]


def test_minified_one_line_bundle_under_the_limit_is_parsed(tmp_path):
    filler = "function a(b){return b*2}var c=[1,2,3].map(a);" * 20000  # ~0.9 MB twice, on one line
    write_tree(tmp_path, {"portal/app.js": "// phi-lint: authenticated\n" + filler + "fbq('init','123456789012345');" + filler})
    result = scan_tree(tmp_path)
    assert finding_lines(result, tmp_path) == ["PHI001 portal/app.js:2 meta-pixel"]
    assert result.findings[0].sighting.span.column == len(filler) + 1


def test_deeply_nested_markup(tmp_path):
    nested = "<div>" * 20000 + "<script>fbq('init', '123456789012345');</script>" + "</div>" * 20000
    write_tree(tmp_path, {"portal/deep.html": "<!-- phi-lint: authenticated -->\n" + nested})
    result = scan_tree(tmp_path)
    lines = finding_lines(result, tmp_path)
    notes = _notes(result)
    # either analysed or skipped with a notice; never a crash, never silence
    assert lines == ["PHI001 portal/deep.html:2 meta-pixel"] or "deep.html" in notes


def test_deeply_nested_javascript(tmp_path):
    nested = "[" * 20000 + "]" * 20000
    write_tree(tmp_path, {"portal/deep.js": "// phi-lint: authenticated\nvar x = " + nested + ";\nfbq('init', '123456789012345');\n"})
    result = scan_tree(tmp_path)
    assert finding_lines(result, tmp_path) == ["PHI001 portal/deep.js:3 meta-pixel"] or "deep.js" in _notes(result)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_symlink_loop_and_link_leaving_the_tree(tmp_path):
    root = tmp_path / "site"
    write_tree(root, {"portal/page.html": PIXEL_PAGE})
    outside = tmp_path / "outside.html"
    outside.write_text(PIXEL_PAGE)
    os.symlink(root, root / "portal" / "loop")  # directory loop
    os.symlink(root / "a.html", root / "b.html")
    os.symlink(root / "b.html", root / "a.html")  # file loop
    os.symlink(outside, root / "escape.html")
    os.symlink(root / "missing.html", root / "broken.html")
    result = scan_tree(root)
    notes = _notes(result)
    assert "symlink loop" in notes["a.html"] and "symlink loop" in notes["b.html"]
    assert "leaves the scanned tree" in notes["escape.html"]
    assert "broken symlink" in notes["broken.html"]
    assert finding_lines(result, root) == ["PHI001 portal/page.html:2 meta-pixel"]


def test_unreadable_file(tmp_path, monkeypatch):
    write_tree(tmp_path, {"portal/secret.html": PIXEL_PAGE, "portal/page.html": PIXEL_PAGE})
    real_open = os.open

    def guarded_open(path, *args, **kwargs):
        if str(path).endswith("secret.html"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(safeio.os, "open", guarded_open)
    result = scan_tree(tmp_path)
    assert "permission denied" in _notes(result)["secret.html"]
    assert finding_lines(result, tmp_path) == ["PHI001 portal/page.html:2 meta-pixel"]


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root reads everything")
def test_unreadable_file_for_real(tmp_path):
    write_tree(tmp_path, {"portal/secret.html": PIXEL_PAGE})
    os.chmod(tmp_path / "portal/secret.html", 0)
    result = scan_tree(tmp_path)
    assert "permission denied" in _notes(result)["secret.html"]


def test_malformed_package_json(tmp_path):
    write_tree(tmp_path, {"package.json": '{"dependencies": {"mixpanel-browser": "^2",,}', "portal/page.html": PIXEL_PAGE})
    result = scan_tree(tmp_path)
    assert "malformed JSON" in _notes(result)["package.json"]
    assert finding_lines(result, tmp_path) == ["PHI001 portal/page.html:2 meta-pixel"]


def test_cli_reports_notices_on_stderr_and_no_traceback(tmp_path):
    write_tree(tmp_path, {"portal/logo.html": b"\x00\x01\x02", "portal/page.html": PIXEL_PAGE})
    proc = run_cli(str(tmp_path))
    assert proc.returncode == 1
    assert "warning:" in proc.stderr and "binary" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "PHI001" in proc.stdout
