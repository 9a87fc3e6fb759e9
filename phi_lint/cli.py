"""Command line: `phi-lint [PATH ...]` scans; `phi-lint rules`, `phi-lint vendors` inform.

`phi-lint PATH` is short for `phi-lint check PATH`. To scan a folder whose name is also a
command (say `rules/`), write `phi-lint ./rules` or `phi-lint check rules`.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from phi_lint import __version__, cli_commands
from phi_lint.errors import UserError

COMMANDS = ("check", "rules", "vendors", "explain", "baseline", "init")

app = typer.Typer(
    name="phi-lint",
    help=(
        "Find tracking pixels, tags and analytics / session-replay SDKs on authenticated or "
        "health-related pages.\n\n"
        "`phi-lint [PATH ...]` is short for `phi-lint check [PATH ...]`."
    ),
    add_completion=False,
    no_args_is_help=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"
    markdown = "markdown"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"phi-lint {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """Find tracking pixels, tags and analytics / session-replay SDKs on authenticated or health-related pages."""


def _split(values: Optional[List[str]]) -> list[str]:
    out: list[str] = []
    for value in values or []:
        out.extend(v.strip() for v in value.split(",") if v.strip())
    return out


@app.command()
def check(
    paths: Optional[List[Path]] = typer.Argument(None, help="Files or directories to scan [default: .]"),
    output_format: Format = typer.Option(Format.text, "-f", "--format", help="Output format."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write the report to this file instead of stdout."),
    config: Optional[Path] = typer.Option(None, "--config", help="Use this configuration file (default: the nearest phi-lint.toml, .phi-lint.toml or pyproject.toml [tool.phi-lint])."),
    select: Optional[List[str]] = typer.Option(None, "--select", help="Only these rules (ids or prefixes, comma-separated)."),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="Skip these rules (ids or prefixes, comma-separated)."),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="Exit 0 even when findings are reported (for uploads that must still happen)."),
    statistics: bool = typer.Option(False, "--statistics", help="Print counts per rule and vendor."),
    show_inventory: bool = typer.Option(False, "--show-inventory", help="List PHI100 inventory notes in text output too."),
    no_default_excludes: bool = typer.Option(False, "--no-default-excludes", help="Also scan node_modules, build output, tests, fixtures and minified bundles."),
    force_exclude: bool = typer.Option(False, "--force-exclude", help="Apply the default excludes to files named on the command line too (the pre-commit hook uses this)."),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="Report only findings not in this baseline file (see `phi-lint baseline write`)."),
    include_suppressed: bool = typer.Option(False, "--include-suppressed", help="Also output findings covered by ignores or the baseline (JSON and SARIF mark them as suppressed)."),
    no_inline_ignores: bool = typer.Option(False, "--no-inline-ignores", help="Disregard inline `phi-lint: ignore[...]` comments (a security team's choice)."),
    require_reason: bool = typer.Option(True, "--require-reason/--no-require-reason", help="Report inline ignores that give no reason (PHI900)."),
    jobs: int = typer.Option(0, "-j", "--jobs", min=0, help="Worker processes (default: one per CPU; small scans run in one process)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Read every file again instead of using the cache for unchanged files."),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", help="Keep the cache in this folder (default: $PHI_LINT_CACHE_DIR, else ~/.cache/phi-lint); each project gets its own subfolder."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="Only the findings: no help lines, summary or notices."),
    verbose: bool = typer.Option(False, "-v", "--verbose", "--explain", help="Show each finding's code, every page it reaches with the include chain and the evidence, and every notice."),
) -> None:
    """Scan files and directories for trackers (the default command)."""
    from phi_lint.reporters import render
    from phi_lint.reporters.common import failing, printable
    from phi_lint.reporters.text import TextOptions, render_notifications, stderr_color, use_color
    from phi_lint.scan import ScanOptions, scan

    if output is None and sys.stdout is None:
        raise UserError("standard output is closed: write the report to a file with -o FILE")
    options = ScanOptions(
        paths=list(paths or [Path(".")]),
        config_file=config,
        select=_split(select),
        ignore=_split(ignore),
        default_excludes=not no_default_excludes,
        force_exclude=force_exclude,
        inline_ignores=not no_inline_ignores,
        require_reason=require_reason,
        baseline=baseline,
        jobs=jobs,
        use_cache=not no_cache,
        cache_dir=cache_dir,
        progress=not quiet and sys.stderr.isatty(),
    )
    result = scan(options)
    result.include_suppressed = include_suppressed
    fmt = output_format.value
    stream = sys.stdout
    text_options = TextOptions(
        color=output is None and use_color(stream),
        show_inventory=show_inventory or "PHI100" in options.select,
        statistics=statistics,
        verbose=verbose,
        quiet=quiet,
    )
    if fmt == "text" and not quiet:
        notices = render_notifications(result, verbose, stderr_color())
        if notices:
            sys.stderr.write(notices)
    report = render(result, fmt, text_options)
    if output is not None:
        from phi_lint.safeio import write_atomic

        try:
            write_atomic(output, report)
        except OSError as exc:
            raise UserError(f"cannot write {output}: {exc.strerror}") from None
        if not quiet:
            n = len(failing(result.findings))
            sys.stderr.write(
                f"phi-lint: wrote {len(result.findings)} finding(s) ({n} failing) to {printable(str(output))}\n"
            )
    else:
        stream.write(report)
    if failing(result.findings) and not exit_zero:
        raise typer.Exit(1)


# the informing and set-up commands live in phi_lint.cli_commands; registered in this order
app.command()(cli_commands.rules)
app.command()(cli_commands.explain)
app.command()(cli_commands.init)
app.command()(cli_commands.vendors)
app.add_typer(cli_commands.baseline_app, name="baseline")


def _deliver_stdout() -> None:
    """Flush standard output now: when its reader has gone (`phi-lint . | head -0`) the run ends
    quietly with status 1, as it does when the report is written, instead of Python's
    "Exception ignored … BrokenPipeError" at exit with status 120."""
    if sys.stdout is None:
        return
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # the exit-time flush goes nowhere
        sys.exit(1)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or (args[0] not in COMMANDS and args[0] not in ("-h", "--help", "--version")):
        args = ["check", *args]
    if sys.stderr is None:  # started with stderr closed: notices and errors go nowhere, not crash
        import os

        sys.stderr = open(os.devnull, "w", encoding="utf-8")
    try:
        _run(args)
    finally:
        _deliver_stdout()


def _run(args: list[str]) -> None:
    from phi_lint.reporters.common import excerpt, printable

    try:
        app(args, prog_name="phi-lint", standalone_mode=True)
    except UserError as exc:
        sys.stderr.write(f"phi-lint: error: {printable(str(exc))}\n")
        sys.exit(2)
    except KeyboardInterrupt:
        sys.stderr.write("phi-lint: interrupted\n")
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:  # pragma: no cover - a bug; say so without a traceback wall
        sys.stderr.write(
            f"phi-lint: internal error: {type(exc).__name__}: {excerpt(str(exc), 300)}\n"
            "Please report it with the command you ran. Set PHI_LINT_DEBUG=1 for the traceback.\n"
        )
        import os

        if os.environ.get("PHI_LINT_DEBUG"):
            raise
        sys.exit(2)
