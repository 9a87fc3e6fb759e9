"""The plain `check` command line read from check's own declarations without typer's parser
(phi_lint.cli_direct): the same arguments as typer gives, or None and typer reads the line."""

from __future__ import annotations

import pytest
from typer.main import _normalize_collection_value, get_command

from phi_lint import cli, cli_direct

PLAIN = [
    [],
    ["a.html", "b.html"],
    ["--exit-zero", "-q", "x/y.html"],
    ["-f", "json", "--select", "PHI001,PHI002", "--select=PHI003", "p", "--ignore", "PHI100"],
    ["--no-require-reason", "--jobs", "3", "--cache-dir", "/tmp/c", "-o", "out.txt", "-"],
    ["--format=sarif", "--fail-on", "error", "--require-reason"],
    ["--color", "never", "--no-cache", "--stdin-filename", "a/b.html", "-"],
    ["-j", "2", "-v", "--statistics", "--show-inventory", "--no-default-excludes", "--force-exclude"],
    ["--since", "HEAD~1", "--baseline", "b.json", "--config", "c.toml", "--include-suppressed", "--no-inline-ignores"],
    ["--add-ignore", "reviewed", "--output-format", "github", "--show-settings", "--show-files", "--explain", "PHI001"],
    ["-f", "text", "-f", "json"],  # the last one counts
]
TYPER_S = [["--format", "bogus"], ["-qv"], ["--help"], ["--nope"], ["-j", "x"], ["--version"], ["--", "-a.html"],
           ["-fjson"], ["--exit-zero=1"], ["-o"], ["--output", "--quiet"]]


def _typer_arguments(line: list[str]) -> dict:
    """What typer calls check with for this line (its parser, then its wrapper's list rules)."""
    command = get_command(cli.app).commands["check"]  # type: ignore[attr-defined]
    context = command.make_context("check", list(line))
    params = {p.name: p for p in command.params}
    return {name: _normalize_collection_value(params[name], value) for name, value in context.params.items()}


@pytest.mark.parametrize("line", PLAIN)
def test_a_plain_line_gives_what_typer_gives(line):
    direct = cli_direct.parse(cli.check, line)
    assert direct is not None
    assert direct == _typer_arguments(line)


@pytest.mark.parametrize("line", TYPER_S)
def test_anything_else_is_left_to_typer(line):
    assert cli_direct.parse(cli.check, line) is None


def test_the_check_path_does_not_build_typer_parameters(monkeypatch, tmp_path, capsys):
    import typer._coercion as coercion

    def refuse(*args, **kwargs):
        raise AssertionError("typer's parser ran")

    monkeypatch.setattr(coercion, "build_runtime_param", refuse)
    (tmp_path / "page.html").write_text("<p>clean</p>\n", encoding="utf-8")
    cli.main(["--no-cache", "-q", str(tmp_path / "page.html")])  # exit 0: no SystemExit


def test_typer_still_reads_what_the_direct_reader_leaves(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--format", "bogus", "."])
    assert exit_info.value.code == 2
    assert "bogus" in capsys.readouterr().err


def test_a_plain_check_line_does_not_import_typer(tmp_path):
    """The pre-commit path reads its line directly: typer (its parser, a twenty-fifth of such a
    run) is not imported at all."""
    import subprocess
    import sys

    page = tmp_path / "page.html"
    page.write_text("<p>clean</p>\n", encoding="utf-8")
    program = ("import sys\nfrom phi_lint.cli import main\n"
               "try:\n    main(['--no-cache', '-q', sys.argv[1]])\nexcept SystemExit as exc:\n    assert not exc.code\n"
               "print(sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'click')))\n")
    done = subprocess.run([sys.executable, "-c", program, str(page)], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


TRACKED = '<html><body><script async src="https://www.googletagmanager.com/gtag/js?id=G-ABC123"></script></body></html>\n'


@pytest.mark.parametrize("line", [["-q"], ["-qf", "json"]])  # read directly; clustered flags: typer's parser
def test_failing_findings_exit_1_whichever_reader_reads_the_line(tmp_path, capsys, line):
    portal = tmp_path / "portal"
    portal.mkdir()
    (portal / "login.html").write_text("<!-- phi-lint: authenticated -->\n" + TRACKED, encoding="utf-8")
    assert (cli_direct.parse(cli.check, [*line, str(portal)]) is None) == (line != ["-q"])
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--no-cache", *line, str(portal)])
    assert exit_info.value.code == 1
    assert "PHI0" in capsys.readouterr().out
