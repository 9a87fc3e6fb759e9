"""The command line as a user meets it: exit codes, formats, options, subcommands, errors."""

from __future__ import annotations

import json

from helpers import REPO, run_cli, write_tree

from phi_lint import __version__

PORTAL = "<!-- phi-lint: authenticated -->\n<script>fbq('init', '123456789012345');</script>\n"
HEALTH = "<!-- phi-lint: health -->\n<script>ttq.load('C4ABCDEFGHIJ12345678'); ttq.page();</script>\n"
PUBLIC = '<script async src="https://www.googletagmanager.com/gtag/js?id=G-ABCD123456"></script>\n'


def test_version():
    proc = run_cli("--version")
    assert proc.returncode == 0 and proc.stdout.strip() == f"phi-lint {__version__}"


def test_help_lists_commands_and_default():
    proc = run_cli("--help")
    assert proc.returncode == 0
    for word in ("check", "rules", "vendors", "short for"):
        assert word in proc.stdout
    proc = run_cli("check", "--help")
    for option in ("--format", "--output", "--select", "--ignore", "--exit-zero", "--statistics", "--config", "--quiet"):
        assert option in proc.stdout


def test_exit_codes(tmp_path):
    write_tree(tmp_path / "clean", {"index.html": "<h1>Hello</h1>\n"})
    write_tree(tmp_path / "inventory", {"index.html": PUBLIC})
    write_tree(tmp_path / "bad", {"portal.html": PORTAL})
    assert run_cli(str(tmp_path / "clean")).returncode == 0
    assert run_cli(str(tmp_path / "inventory")).returncode == 0  # notes never fail a run
    assert run_cli(str(tmp_path / "bad")).returncode == 1
    assert run_cli("--exit-zero", str(tmp_path / "bad")).returncode == 0


def test_text_output_line_format_and_summary(tmp_path):
    write_tree(tmp_path, {"portal.html": PORTAL, "conditions.html": HEALTH, "index.html": PUBLIC})
    proc = run_cli(str(tmp_path), cwd=tmp_path)
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("conditions.html:2:9: PHI002 [TikTok Pixel] ")
    assert any(line.startswith("portal.html:2:9: PHI001 [Meta Pixel] ") for line in lines)
    assert "help:" in proc.stdout and "phi-lint rules PHI001" in proc.stdout
    assert "Found 2 problems (1 error, 1 warning) in 2 files." in proc.stdout
    assert "Inventory: 1 other tracker" in proc.stdout
    assert "Scanned 3 files." in proc.stdout
    assert "index.html:1" not in proc.stdout  # inventory hidden by default
    shown = run_cli("--show-inventory", str(tmp_path), cwd=tmp_path)
    assert "index.html:1:1: PHI100 [Google Analytics]" in shown.stdout


def test_quiet_and_statistics(tmp_path):
    write_tree(tmp_path, {"portal.html": PORTAL, "index.html": PUBLIC})
    quiet = run_cli("-q", str(tmp_path), cwd=tmp_path)
    assert quiet.stdout.splitlines() == [quiet.stdout.splitlines()[0]]
    stats = run_cli("--statistics", str(tmp_path), cwd=tmp_path)
    assert "Statistics" in stats.stdout
    assert "1  PHI001  meta-pixel" in stats.stdout and "1  PHI100  google-analytics" in stats.stdout


def test_select_and_ignore(tmp_path):
    write_tree(tmp_path, {"portal.html": PORTAL, "conditions.html": HEALTH})
    only = json.loads(run_cli("-f", "json", "--select", "PHI002", str(tmp_path)).stdout)
    assert [f["rule"] for f in only["findings"]] == ["PHI002"]
    ignored = run_cli("--ignore", "PHI001,PHI002", str(tmp_path))
    assert ignored.returncode == 0
    bad = run_cli("--select", "XYZ9", str(tmp_path))
    assert bad.returncode == 2 and "unknown rule selector" in bad.stderr and "Traceback" not in bad.stderr


def test_output_file_and_formats(tmp_path):
    write_tree(tmp_path / "site", {"portal.html": PORTAL})
    out = tmp_path / "report.json"
    proc = run_cli("-f", "json", "-o", str(out), str(tmp_path / "site"))
    assert proc.returncode == 1 and proc.stdout == ""
    assert "wrote 1 finding(s)" in proc.stderr
    data = json.loads(out.read_text())
    assert data["schemaVersion"] == 1 and data["findings"][0]["rule"] == "PHI001"
    github = run_cli("-f", "github", str(tmp_path / "site"))
    assert github.stdout.startswith("::error file=")
    assert "title=PHI001 [Meta Pixel]" in github.stdout


def test_missing_path_and_bad_format(tmp_path):
    missing = run_cli(str(tmp_path / "nope"))
    assert missing.returncode == 2 and "no such file or directory" in missing.stderr
    bad = run_cli("-f", "xml", str(tmp_path))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_bad_config_names_file_and_key(tmp_path):
    write_tree(tmp_path, {"phi-lint.toml": "exclud = ['x']\n", "index.html": PUBLIC})
    proc = run_cli(str(tmp_path))
    assert proc.returncode == 2
    assert "phi-lint.toml" in proc.stderr and "`exclud`" in proc.stderr and "did you mean `exclude`" in proc.stderr
    write_tree(tmp_path, {"phi-lint.toml": "[pages]\nauthenticated = 'portal/**'\n"})
    proc = run_cli(str(tmp_path))
    assert proc.returncode == 2 and "pages.authenticated" in proc.stderr and "list of strings" in proc.stderr
    write_tree(tmp_path, {"phi-lint.toml": "baa-vendors = ['segmnet']\n"})
    proc = run_cli(str(tmp_path))
    assert proc.returncode == 2 and "segmnet" in proc.stderr
    write_tree(tmp_path, {"phi-lint.toml": "this is = not toml =\n"})
    proc = run_cli(str(tmp_path))
    assert proc.returncode == 2 and "invalid TOML" in proc.stderr and "Traceback" not in proc.stderr


def test_rules_and_vendors_commands(tmp_path):
    rules = run_cli("rules", cwd=tmp_path)
    assert rules.returncode == 0
    for rule in ("PHI001", "PHI002", "PHI003", "PHI100"):
        assert rule in rules.stdout
    explain = run_cli("rules", "PHI001")
    assert "What it does" in explain.stdout and "How to fix" in explain.stdout and "hhs.gov" in explain.stdout
    vendors = run_cli("vendors", "--json", cwd=tmp_path)
    ids = {v["id"] for v in json.loads(vendors.stdout)}
    assert {"meta-pixel", "hotjar", "google-tag-manager"} <= ids


def test_folder_named_like_a_command_can_still_be_scanned(tmp_path):
    write_tree(tmp_path, {"rules/portal.html": PORTAL})
    listed = run_cli("rules", cwd=tmp_path)
    assert listed.returncode == 0 and "PHI001" in listed.stdout
    assert "./rules" in listed.stderr  # tells how to scan the folder instead
    scanned = run_cli("./rules", cwd=tmp_path)
    assert scanned.returncode == 1 and "PHI001" in scanned.stdout
    scanned = run_cli("check", "rules", cwd=tmp_path)
    assert scanned.returncode == 1


def test_no_color_by_default_in_pipes_and_force_color(tmp_path):
    write_tree(tmp_path, {"portal.html": PORTAL})
    plain = run_cli(str(tmp_path))
    assert "\x1b[" not in plain.stdout
    colored = run_cli(str(tmp_path), env={"FORCE_COLOR": "1", "NO_COLOR": ""})
    assert "\x1b[" in colored.stdout


def test_demo_clinic_readme_command():
    proc = run_cli("fixtures/demo-clinic", cwd=REPO)
    assert proc.returncode == 1
    assert "PHI001 [Meta Pixel]" in proc.stdout and "PHI003 [Hotjar]" in proc.stdout
    assert "PHI002" in proc.stdout


def test_named_files_outside_a_repository_do_not_hang(tmp_path):
    """A file path beside a directory path, with no .git above them (absolute relative paths)."""
    write_tree(tmp_path / "site", {"index.html": PUBLIC})
    write_tree(tmp_path, {"index.html": PUBLIC})
    proc = run_cli("check", str(tmp_path / "site"), str(tmp_path / "index.html"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr


def test_init_user_errors_are_clear(tmp_path):
    missing = run_cli("init", str(tmp_path / "nope"))
    assert missing.returncode == 2 and "is not a directory" in missing.stderr
    write_tree(tmp_path, {"phi-lint.toml": ""})
    exists = run_cli("init", str(tmp_path))
    assert exists.returncode == 2 and "--force" in exists.stderr and "Traceback" not in exists.stderr
