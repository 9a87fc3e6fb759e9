"""The command line's own face (issue 12, item 10): help without internal type names, usage
errors in one style with "did you mean", `--explain RULE`, `--version` anywhere, PHI900 quoting
the directive without its comment closer, and unused ignore-file and baseline entries."""

from __future__ import annotations

import json
import re

import pytest
from cli_runner import run_here
from helpers import write_tree

META = "<script>fbq('init', '123456789012345');</script>\n"
TYPE_NAMES = re.compile(r"<(list|int|path|str|text)\b|x>=0|\[default: 0")


@pytest.fixture
def cli(monkeypatch, capsys):
    def run(*args, **kwargs):
        return run_here(monkeypatch, capsys, *args, **kwargs)

    return run


# -- help ------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [(), ("check",), ("rules",), ("vendors",), ("init",), ("explain",),
                                     ("baseline", "write"), ("baseline", "prune")])
def test_help_names_metavars_not_internal_types(cli, command):
    run = cli(*command, "--help")
    assert run.returncode == 0
    assert not TYPE_NAMES.search(run.stdout), TYPE_NAMES.search(run.stdout).group()


def test_check_help_uses_metavars(cli):
    text = " ".join(cli("check", "--help").stdout.split())
    for shown in ("[PATH]...", "-f, --format, --output-format FORMAT", "--select RULES", "--ignore RULES",
                  "-j, --jobs N", "--fail-on LEVEL", "--color WHEN", "--stdin-filename PATH", "-o, --output FILE",
                  "--explain RULE", "-v, --verbose"):
        assert shown in text, shown


def test_top_level_help_shows_the_check_options_and_the_commands(cli):
    out = cli("--help").stdout
    assert out.startswith("Usage: phi-lint [OPTIONS] [PATH]...\n       phi-lint COMMAND [ARGS]...\n")
    for option in ("--format", "--select", "--fail-on", "--stdin-filename", "--show-settings", "--version"):
        assert option in out, option
    commands = out.split("Commands:")[1]
    for command in ("check", "rules", "vendors", "explain", "baseline", "init"):
        assert re.search(rf"^\s+{command}\s", commands, re.M), command


# -- usage errors ------------------------------------------------------------------------------


def test_unknown_format_names_the_choices(cli, tmp_path):
    run = cli("-f", "xml", str(tmp_path))
    assert run.returncode == 2
    first, hint = run.stderr.splitlines()
    assert first.startswith("phi-lint: error: unknown format 'xml'; choose one of text, json, sarif, github, markdown")
    assert hint == "hint: `phi-lint --help` lists the options"


@pytest.mark.parametrize("args", [
    ("-f", "xml"), ("--output-format",), ("-j", "x"), ("-j", "-1"), ("--color", "sometimes"),
    ("--fail-on", "fatal"), ("--bogus",), ("--selct", "PHI001"), ("--select", "PHI03"), ("--explain", "PHI03"),
    ("explain",), ("rules", "PHI03"), ("vendors", "--nope"), ("baseline", "write", "--fix"), ("-", ),
])
def test_every_usage_error_has_one_style(cli, tmp_path, args):
    run = cli(*args, cwd=tmp_path, stdin=b"")
    assert run.returncode == 2, run
    lines = run.stderr.splitlines()
    assert len(lines) == 2 and lines[0].startswith("phi-lint: error: ") and lines[1].startswith("hint: "), lines
    assert "Usage:" not in run.stderr and "Error:" not in run.stderr and "Try '" not in run.stderr


def test_unknown_option_suggests_only_a_close_real_option(cli, tmp_path):
    typo = cli("--selct", "PHI001", cwd=tmp_path)
    assert typo.stderr.splitlines() == [
        "phi-lint: error: unknown option `--selct`",
        "hint: did you mean `--select`? `phi-lint --help` lists the options",
    ]
    unrelated = cli("--fix", cwd=tmp_path)
    assert "did you mean" not in unrelated.stderr and "--config" not in unrelated.stderr
    assert "Possible options" not in unrelated.stderr


@pytest.mark.parametrize("args,wanted", [
    (("--select", "PHI03"), "PHI003"), (("--ignore", "phi01"), "PHI001"), (("--explain", "PHI03"), "PHI003"),
    (("rules", "PHI0003"), "PHI003"), (("explain", "PH001"), "PHI001"),
])
def test_mistyped_rule_ids_get_did_you_mean(cli, tmp_path, args, wanted):
    run = cli(*args, cwd=tmp_path)
    assert run.returncode == 2 and f"(did you mean {wanted}?)" in run.stderr, run.stderr


def test_mistyped_rule_in_config_gets_did_you_mean(cli, tmp_path):
    write_tree(tmp_path, {"phi-lint.toml": 'ignore = ["PHI03"]\n', "index.html": "<p>x</p>\n"})
    run = cli(".", cwd=tmp_path)
    assert run.returncode == 2
    assert "phi-lint.toml: `ignore`" in run.stderr and "(did you mean PHI003?)" in run.stderr


# -- --explain, --verbose, --version ---------------------------------------------------------------


def test_explain_shows_a_rules_documentation_without_a_path(cli, tmp_path):
    run = cli("--explain", "PHI001", cwd=tmp_path)
    assert run.returncode == 0
    assert run.stdout == cli("rules", "PHI001").stdout
    assert run.stdout.startswith("PHI001 tracker-on-authenticated-page")


def test_verbose_stays_the_detail_switch(cli, tmp_path):
    write_tree(tmp_path, {"portal.html": "<!-- phi-lint: authenticated -->\n" + META})
    run = cli("-v", ".", cwd=tmp_path)
    assert run.returncode == 1 and "  page: portal.html" in run.stdout
    assert "    authenticated: tagged `phi-lint: authenticated`" in run.stdout
    assert "  page: " not in cli(".", cwd=tmp_path).stdout


@pytest.mark.parametrize("args", [("--version",), (".", "--version"), ("--version", "."), ("check", ".", "--version"),
                                  ("-q", "--version")])
def test_version_anywhere(cli, tmp_path, args):
    from phi_lint import __version__

    run = cli(*args, cwd=tmp_path)
    assert run.returncode == 0 and run.stdout == f"phi-lint {__version__}\n"


# -- PHI900 quotes the directive, not the comment closer ---------------------------------------------


@pytest.mark.parametrize("comment,quoted", [
    ("{# phi-lint: ignore[PHI003] #}", "phi-lint: ignore[PHI003]"),
    ("<!-- phi-lint: ignore[PHI003] legacy page, ticket 7 -->", "phi-lint: ignore[PHI003] legacy page, ticket 7"),
    ("<%# phi-lint: ignore[PHI003] %>", "phi-lint: ignore[PHI003]"),
    ("{{-- phi-lint: ignore[PHI003] --}}", "phi-lint: ignore[PHI003]"),
])
def test_phi900_quotes_the_directive_without_the_comment_closer(tmp_path, comment, quoted):
    from helpers import scan_tree

    write_tree(tmp_path, {"page.html": f"{comment}\n<p>no tracker here</p>\n"})
    result = scan_tree(tmp_path, use_cache=False)
    [finding] = [f for f in result.findings if f.rule_id == "PHI900"]
    assert f"The suppression `{quoted}` " in finding.message, finding.message


# -- unused .phi-lint-ignore and baseline entries -----------------------------------------------------


def test_unused_ignore_file_entry_is_a_warning_notice_on_a_whole_run(cli, tmp_path):
    write_tree(tmp_path, {"portal.html": "<!-- phi-lint: authenticated -->\n" + META})
    (tmp_path / ".git").mkdir()
    fingerprint = json.loads(cli(".", "-f", "json", cwd=tmp_path).stdout)["findings"][0]["fingerprint"]
    stale = "0" * 32
    write_tree(tmp_path, {".phi-lint-ignore": f"{fingerprint}  # BAA signed\n{stale}  # page was removed\n"})
    run = cli(".", cwd=tmp_path)
    assert run.returncode == 0
    assert "warning: .phi-lint-ignore: 1 entry matches no finding (line 2); remove them" in run.stderr
    notices = json.loads(cli(".", "-f", "json", cwd=tmp_path).stdout)["notifications"]
    assert any("matches no finding" in n["message"] for n in notices)
    # a run that names files, or leaves rules out, cannot tell: no notice
    assert "matches no finding" not in cli("portal.html", cwd=tmp_path).stderr
    assert "matches no finding" not in cli(".", "--select", "PHI001", cwd=tmp_path).stderr
    write_tree(tmp_path, {".phi-lint-ignore": f"{fingerprint}  # BAA signed\n"})
    assert "matches no finding" not in cli(".", cwd=tmp_path).stderr


def test_stale_baseline_entry_is_a_warning_notice_where_the_run_looked(cli, tmp_path):
    write_tree(tmp_path, {"portal.html": "<!-- phi-lint: authenticated -->\n" + META, "other.html": "<p>x</p>\n"})
    (tmp_path / ".git").mkdir()
    assert cli("baseline", "write", ".", cwd=tmp_path).returncode == 0
    baseline = tmp_path / ".phi-lint-baseline.json"
    data = json.loads(baseline.read_text())
    data["findings"].append({"fingerprint": "f" * 32, "rule": "PHI001", "path": "gone.html", "vendor": "meta-pixel"})
    baseline.write_text(json.dumps(data))
    run = cli(".", "--baseline", str(baseline), cwd=tmp_path)
    assert run.returncode == 0
    assert ("warning: .phi-lint-baseline.json: 1 entry matches no finding (gone.html); "
            "`phi-lint baseline prune` removes them") in run.stderr
    assert "matches no finding" not in cli("other.html", "--baseline", str(baseline), cwd=tmp_path).stderr
    assert "matches no finding" not in cli(".", "--baseline", str(baseline), "--select", "PHI002", cwd=tmp_path).stderr


def test_phi900_help_says_where_unused_ignore_file_and_baseline_entries_go(cli):
    text = " ".join(cli("rules", "PHI900").stdout.split())
    assert "Entries of `.phi-lint-ignore` and of the baseline that match no finding are not PHI900" in text
    assert "warning notice" in text
