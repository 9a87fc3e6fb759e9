"""Names are data (issue 11, items 3 and 9): file names, vendor strings and quoted input are
shown, never obeyed, in every format; errors quote a short printable excerpt; user errors name
the file and the key instead of "internal error"."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from helpers import REPO, scan_tree

from phi_lint.errors import UserError

PIXEL_PAGE = b"<!-- phi-lint: authenticated -->\n<script>fbq('init', '123456789012345');</script>\n"
UNDECODABLE = b"portal/a\xffb.html"  # not UTF-8: Python sees 'a\udcffb'
FORMATS = ("text", "json", "sarif", "github", "markdown")
# a line a GitHub runner reads as a workflow command (it trims leading white space first)
WORKFLOW_COMMAND = re.compile(r"^\s*::")
RAW_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _write(root: Path, rel: bytes | str, content: bytes = PIXEL_PAGE) -> None:
    path = os.path.join(os.fsencode(root), os.fsencode(rel))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(content)


def _cli(*args: str, cwd: Path, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    """The CLI with output kept as bytes, so a test can insist that it is UTF-8."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONUNBUFFERED", "FORCE_COLOR")}
    full_env.update({"NO_COLOR": "1", "PYTHONPATH": str(REPO), **(env or {})})
    kwargs.setdefault("stdout", subprocess.PIPE)
    return subprocess.run(
        [sys.executable, "-m", "phi_lint", *args], cwd=cwd, env=full_env, stderr=subprocess.PIPE, timeout=120, **kwargs
    )


# --- any byte sequence in a name is reported, in every format ---------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_undecodable_file_name_is_reported_in_every_format(tmp_path, fmt):
    _write(tmp_path, UNDECODABLE)
    proc = _cli("-f", fmt, ".", cwd=tmp_path)
    stderr = proc.stderr.decode("utf-8")
    assert proc.returncode == 1, stderr
    assert "internal error" not in stderr
    out = proc.stdout.decode("utf-8")  # strict: the report is valid UTF-8
    if fmt == "json":
        (finding,) = json.loads(out)["findings"]
        assert finding["path"] == "portal/a\\xffb.html" and len(finding["fingerprint"]) == 32
    elif fmt == "sarif":
        (result,) = json.loads(out)["runs"][0]["results"]
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "portal/a%FFb.html"
    else:
        assert "a\\xffb.html" in out


def test_undecodable_name_in_the_baseline(tmp_path):
    _write(tmp_path, UNDECODABLE)
    wrote = _cli("baseline", "write", ".", cwd=tmp_path)
    assert wrote.returncode == 0, wrote.stderr.decode()
    document = json.loads((tmp_path / ".phi-lint-baseline.json").read_bytes().decode("utf-8"))
    assert document["findings"][0]["path"] == "portal/a\\xffb.html"
    checked = _cli("--baseline", ".phi-lint-baseline.json", ".", cwd=tmp_path)
    assert checked.returncode == 0 and b"1 by the baseline" in checked.stdout, checked.stderr.decode()


def test_fingerprints_of_utf8_names_are_unchanged():
    import hashlib

    from phi_lint.fingerprint import _digest

    material = "PHI001\x1fportal/caf\u00e9.html\x1fmeta-pixel"
    assert _digest(material) == hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]
    assert _digest("portal/a\udcffb.html") != _digest("portal/a\udcfeb.html")


# --- SARIF URIs are relative references that never read as a scheme ---------------------------


def _artifact_uris(document) -> list[str]:
    found = []

    def walk(node):
        if isinstance(node, dict):
            location = node.get("artifactLocation")
            if isinstance(location, dict) and "uri" in location:
                found.append(location["uri"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for run in document["runs"]:
        walk(run["results"])
        walk(run["invocations"])
    return found


def test_sarif_uris_are_relative_references_without_a_scheme(tmp_path, sarif_validator):
    from phi_lint.reporters.sarif import render_sarif

    names = ["x:y.html", "javascript:alert(1).html", "portal/c:d/e.html", "portal/100%.html", "portal/q?#.html"]
    for name in names:
        _write(tmp_path, name)
    document = json.loads(render_sarif(scan_tree(tmp_path, use_cache=False)))
    sarif_validator.validate(document)
    uris = _artifact_uris(document)
    assert sorted({unquote(uri) for uri in uris}) == sorted(names)
    for uri in uris:
        parts = urlsplit(uri)
        assert (parts.scheme, parts.netloc, parts.query, parts.fragment) == ("", "", "", ""), uri
        assert ":" not in uri


def test_sarif_uri_helper():
    from phi_lint.reporters.sarif import _uri

    assert _uri("app/(portal)/records/[id]/page.tsx") == "app/(portal)/records/%5Bid%5D/page.tsx"  # as before
    assert _uri("javascript:alert(1).html") == "javascript%3Aalert(1).html"
    assert _uri("a\udcffb.html") == "a%FFb.html"
    assert not _uri("//evil.example/x").startswith("//")


# --- text, github and notices: names are shown, never obeyed ----------------------------------

HOSTILE_NAMES = [
    "portal/x\n::error file=a.html,line=1::pwned.html",
    "::stop-commands::token.html",
    "  ::warning::indented.html",
    "e\x1b[2J\x1b]8;;https:evil\x07\u202eh.html",
    "sep\u2028\x85\u2066x.html",
]


def _hostile_tree(root: Path) -> None:
    for name in HOSTILE_NAMES:
        _write(root, name)
    _write(root, "bin\n::error::binary.html", b"\x00\x01\x02 binary \x00")  # a notice, on stderr


def test_text_output_and_notices_escape_names(tmp_path):
    _hostile_tree(tmp_path)
    proc = _cli("-v", ".", cwd=tmp_path)
    out, err = proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
    assert proc.returncode == 1, err
    for line in (out + err).splitlines():
        assert not WORKFLOW_COMMAND.match(line), line
    assert not RAW_CONTROLS.search(out) and not RAW_CONTROLS.search(err)
    assert "portal/x\\n::error file=a.html,line=1::pwned.html:2:" in out
    assert "./::stop-commands::token.html:2:" in out
    assert "e\\x1b[2J\\x1b]8;;https:evil\\x07\\u202eh.html:2:" in out
    assert "sep\\u2028\\x85\\u2066x.html" in out
    assert "bin\\n::error::binary.html" in err


def test_github_annotations_escape_names(tmp_path):
    _hostile_tree(tmp_path)
    proc = _cli("-f", "github", ".", cwd=tmp_path)
    out = proc.stdout.decode("utf-8")
    lines = out.splitlines()
    assert len([line for line in lines if line.startswith("::error ")]) == len(HOSTILE_NAMES)
    assert all(re.match(r"::(error|warning|notice) ", line) for line in lines), lines
    assert not RAW_CONTROLS.search(out)
    assert "file=portal/x\\n%3A%3Aerror file=a.html%2Cline=1%3A%3Apwned.html," in out


def test_reporters_escape_vendor_and_message_strings(tmp_path):
    """Vendor names, messages and snippets can come from user vendor files or scanned code."""
    from phi_lint.reporters.github import render_github
    from phi_lint.reporters.markdown import render_markdown
    from phi_lint.reporters.text import TextOptions, render_text

    _write(tmp_path, "portal/page.html")
    result = scan_tree(tmp_path, use_cache=False)
    evil = "Evil\n::error::x \x1b[31m\u202e|`"
    for finding in result.findings:
        finding.vendor_name = evil
        finding.message = evil
        finding.help_hint = evil
        object.__setattr__(finding.sighting, "snippet", evil)
    text = render_text(result, TextOptions(verbose=True, statistics=True))
    github = render_github(result)
    markdown = render_markdown(result)
    for output in (text, github, markdown):
        assert not RAW_CONTROLS.search(output)
        assert not any(WORKFLOW_COMMAND.match(line) for line in output.splitlines() if not line.startswith("::error "))
    assert "Evil\\n::error::x \\x1b[31m\\u202e|`" in text
    row = next(line for line in markdown.splitlines() if line.startswith("| `PHI001` | error |"))
    assert row.count(" | ") == 5  # the table keeps its six cells


def test_markdown_names_keep_the_table(tmp_path):
    from phi_lint.reporters.markdown import render_markdown

    _write(tmp_path, "portal/a|b`c\x1b\n.html")
    _write(tmp_path, UNDECODABLE)
    markdown = render_markdown(scan_tree(tmp_path, use_cache=False))
    markdown.encode("utf-8")
    rows = [line for line in markdown.splitlines() if line.startswith("| `PHI001` | error |")]
    assert len(rows) == 2 and all(row.count(" | ") == 5 for row in rows)
    assert not RAW_CONTROLS.search(markdown)
    assert "a\\xffb.html" in markdown


def test_printable_and_excerpt():
    from phi_lint.reporters.common import excerpt, printable

    assert printable("plain/path é 日本.html") == "plain/path é 日本.html"
    assert printable("a\nb\r\t\x00\x1b\x7f\x9b\u2029\u202a\u2069\udcff\ud800") == (
        "a\\nb\\r\\t\\x00\\x1b\\x7f\\x9b\\u2029\\u202a\\u2069\\xff\\ud800"
    )
    assert excerpt("short") == "short"
    assert excerpt("x" * 61) == "x" * 60 + "…"
    assert len(excerpt("\x00" * 10_000)) <= 61


# --- errors quote a short printable excerpt; a bad ignore line is a notice --------------------

def _fingerprint(root: Path) -> str:
    result = scan_tree(root, use_cache=False)
    (finding,) = result.findings
    return finding.fingerprint


def test_malformed_ignore_file_lines_are_notices_and_the_rest_applies(tmp_path):
    _write(tmp_path, "portal/page.html")
    fingerprint = _fingerprint(tmp_path)
    environ = b"\x00".join(b"VAR%d=%s" % (i, b"v" * 50) for i in range(50)) + b"\x00SECRET_TOKEN=hunter2\x00"
    long_line = b"not-a-fingerprint-" + b"z" * 5000 + b"-TAIL"
    content = environ + b"\n" + long_line + b"\n\xff\xfe\n" + fingerprint.encode() + b"  # reviewed, BAA SEC-1\n"
    _write(tmp_path, ".phi-lint-ignore", content)
    proc = _cli(".", cwd=tmp_path)
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 0, err  # the valid line still suppresses the finding
    assert "1 by the ignore file" in proc.stdout.decode()
    notices = [line for line in err.splitlines() if ".phi-lint-ignore" in line]
    assert [re.search(r"line (\d+)", line).group(1) for line in notices] == ["1", "2", "3"]
    assert "hunter2" not in err and "VAR0" not in err and "TAIL" not in err
    assert all(len(line) < 200 for line in notices), notices
    assert "`not-a-fingerprint-zzz" in notices[1] and "…`" in notices[1]


# --- user errors name the file and the key ----------------------------------------------------


def _config_error(tmp_path: Path, toml: bytes) -> str:
    from phi_lint.config import load_config

    (tmp_path / "phi-lint.toml").write_bytes(toml)
    with pytest.raises(UserError) as caught:
        load_config(tmp_path / "phi-lint.toml", tmp_path)
    return str(caught.value)


@pytest.mark.parametrize(
    "toml, key",
    [
        (b"max-file-size = 9223372036854775807\n", "`max-file-size`"),
        (b'[pages]\nauthenticated = ["portal/**", "[z-a]"]\n', "`pages.authenticated`"),
        (b'exclude = ["[z-a]"]\n', "`exclude`"),
        (b'extend-exclude = ["ok/", "**/[b-a]/x"]\n', "`extend-exclude`"),
        (b'extend-exclude = ["!"]\n', "`extend-exclude`"),
        (b'[per-file-ignores]\n"[z-a]" = ["PHI001"]\n', "`per-file-ignores.[z-a]`"),
        (b'select = ["PHI001", "NOPE"]\n', "`select`"),
        (b'ignore = ["X\\u001b[2J"]\n', "`ignore`"),
        (b'vendor-dirs = ["a\\u0000b"]\n', "`vendor-dirs`"),
        (b'baseline = "a\\u0000b"\n', "`baseline`"),
    ],
)
def test_bad_config_values_name_the_file_and_key(tmp_path, toml, key):
    message = _config_error(tmp_path, toml)
    assert str(tmp_path / "phi-lint.toml") in message and key in message
    assert "\x1b" not in message and "\x00" not in message


def test_non_utf8_config_names_the_file(tmp_path):
    message = _config_error(tmp_path, b'select = ["PHI001"]\n# caf\xe9\n')
    assert str(tmp_path / "phi-lint.toml") in message and "line 2 is not UTF-8" in message


def test_config_errors_quote_a_short_printable_key(tmp_path):
    key = "k\x1b[2J\n::error::" + "x" * 10_000
    message = _config_error(tmp_path, f'"{key}" = 1\n'.encode().replace(b"\x1b", b"\\u001b").replace(b"\n::", b"\\n::"))
    assert "\x1b" not in message and "\n" not in message and len(message) < 500


def test_config_errors_from_the_cli(tmp_path):
    _write(tmp_path, "portal/page.html")
    (tmp_path / "phi-lint.toml").write_text('[pages]\nhealth = ["[z-a]"]\n', encoding="utf-8")
    proc = _cli(".", cwd=tmp_path)
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "internal error" not in err
    assert "phi-lint.toml: `pages.health`: `[z-a]` is not a valid glob" in err


def _baseline_error(tmp_path: Path, entry: dict) -> str:
    from phi_lint.baseline import load_baseline

    path = tmp_path / "baseline.json"
    path.write_text(json.dumps({"findings": [entry]}), encoding="utf-8")
    with pytest.raises(UserError) as caught:
        load_baseline(path)
    return str(caught.value)


@pytest.mark.parametrize(
    "field, value",
    [("expires", 20990101), ("expires", ["2099-01-01"]), ("reason", {"a": 1}), ("owner", 7), ("path", None),
     ("rule", 1), ("vendor", True)],
)
def test_wrong_typed_baseline_fields_name_the_entry_and_key(tmp_path, field, value):
    message = _baseline_error(tmp_path, {"fingerprint": "0" * 32, field: value})
    assert "baseline.json" in message and f"findings[0].{field}" in message


def test_baseline_date_error_quotes_an_excerpt(tmp_path):
    message = _baseline_error(tmp_path, {"fingerprint": "0" * 32, "expires": "\x1b[2J" + "9" * 5000})
    assert "findings[0].expires" in message and "\x1b" not in message and len(message) < 300


def test_numeric_baseline_expiry_from_the_cli(tmp_path):
    _write(tmp_path, "portal/page.html")
    fingerprint = _fingerprint(tmp_path)
    (tmp_path / "b.json").write_text(json.dumps({"findings": [{"fingerprint": fingerprint, "expires": 20990101}]}))
    proc = _cli("--baseline", "b.json", ".", cwd=tmp_path)
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "internal error" not in err
    assert "b.json: findings[0].expires must be a string" in err


# --- a closed or broken standard output -------------------------------------------------------


def test_reader_gone_exits_quietly(tmp_path):
    _write(tmp_path, "portal/page.html")
    read_end, write_end = os.pipe()
    os.close(read_end)  # `phi-lint . | head -0`: the reader is gone before the report is written
    try:
        proc = _cli(".", cwd=tmp_path, stdout=write_end)
    finally:
        os.close(write_end)
    assert proc.returncode == 1
    assert proc.stderr == b""


@pytest.mark.parametrize("option", ["--show-files", "--show-settings"])
def test_reader_gone_during_a_plan_listing_exits_quietly(tmp_path, option):
    """`phi-lint --show-files | head -1`: the listing ends like a report does (status 1, nothing
    said), not with "internal error: BrokenPipeError" and status 2."""
    _write(tmp_path, "portal/page.html")
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = _cli(option, ".", cwd=tmp_path, stdout=write_end)
    finally:
        os.close(write_end)
    assert (proc.returncode, proc.stderr) == (1, b"")


def test_closed_stdout_is_a_user_error(tmp_path):
    _write(tmp_path, "portal/page.html")
    proc = _cli(".", cwd=tmp_path, stdout=None, preexec_fn=lambda: os.close(1))
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "internal error" not in err and "standard output is closed" in err
    written = _cli("-o", "report.txt", ".", cwd=tmp_path, stdout=None, preexec_fn=lambda: os.close(1))
    assert written.returncode == 1 and "PHI001" in (tmp_path / "report.txt").read_text()


def test_closed_stderr_does_not_crash(tmp_path):
    _write(tmp_path, "portal/logo.html", b"\x00\x01 binary \x00")  # a notice to write to stderr
    full_env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    full_env.update({"NO_COLOR": "1", "PYTHONPATH": str(REPO)})
    proc = subprocess.run(
        [sys.executable, "-m", "phi_lint", "."], cwd=tmp_path, env=full_env, stdout=subprocess.PIPE,
        preexec_fn=lambda: os.close(2), timeout=120,
    )
    assert proc.returncode == 0 and b"Scanned 0 files (1 skipped" in proc.stdout
