"""Command line: `phi-lint [PATH ...]` scans; `phi-lint rules`, `phi-lint vendors` inform.

`phi-lint PATH` is short for `phi-lint check PATH`. To scan a folder whose name is also a
command (say `rules/`), write `phi-lint ./rules` or `phi-lint check rules`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

from phi_lint import __version__
from phi_lint.cli_params import Argument, Exit, Option
from phi_lint.cli_stdin import stdin_scan_input, wants_stdin
from phi_lint.errors import UsageProblem, UserError
from phi_lint.reporters import FORMATS
from phi_lint.reporters.common import DEFAULT_FAIL_ON, FAIL_LEVELS, failing, printable
from phi_lint.reporters.text import COLOR_CHOICES
from phi_lint.suggest import did_you_mean

COMMANDS = ("check", "rules", "vendors", "explain", "baseline", "init")

def _version(value: bool) -> None:
    if value:
        import typer

        typer.echo(f"phi-lint {__version__}")
        raise typer.Exit(0)


def _root(
    version: bool = Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """Find tracking pixels, tags and analytics / session-replay SDKs on authenticated or health-related pages."""


def _split(values: Optional[List[str]]) -> list[str]:
    out: list[str] = []
    for value in values or []:
        out.extend(v.strip() for v in value.split(",") if v.strip())
    return out


def _one_of(what: str, choices: tuple[str, ...]):
    """A callback that accepts one of choices, else the usage error `unknown WHAT 'x'; choose one of …`."""

    def check_choice(value: str) -> str:
        if value not in choices:
            near = did_you_mean(value, choices, quote="'")
            raise UsageProblem(
                f"unknown {what} '{value}'{near}; choose one of {', '.join(choices)}",
                "`phi-lint --help` lists the options",
            )
        return value

    return check_choice


def _profile(value: Optional[str]) -> Optional[str]:
    """--profile NAME: a shipped profile (rules/profiles/), else a usage error with the near miss."""
    if value is None:
        return None
    from phi_lint.profiles import profile_names

    return _one_of("profile", tuple(profile_names()))(value)


def _jobs(value: int) -> int:
    if value < 0:
        raise UsageProblem(f"-j/--jobs must be 0 or more, not {value}", "-j 0 (the default) runs one worker per CPU")
    return value


def _selectors(option: str, values: Optional[List[str]]) -> list[str]:
    """--select/--ignore values, each checked so that a typo names the option and the rule meant."""
    from phi_lint.rulebook import select_rules

    codes = _split(values)
    try:
        select_rules(codes, [])
    except UserError as exc:
        raise UsageProblem(f"{option}: {exc}", "`phi-lint rules` lists the rules") from None
    return codes


def check(
    paths: Optional[List[Path]] = Argument(None, metavar="PATH", help="Files or directories to scan (default: the current directory). `-` reads one file from standard input; name it with --stdin-filename."),
    output_format: str = Option("text", "-f", "--format", "--output-format", metavar="FORMAT", callback=_one_of("format", FORMATS), help=f"Output format: {', '.join(FORMATS)} (default: text)."),
    output: Optional[Path] = Option(None, "-o", "--output", metavar="FILE", help="Write the report to this file instead of stdout."),
    config: Optional[Path] = Option(None, "--config", metavar="FILE", help="Use this configuration file (default: the nearest phi-lint.toml, .phi-lint.toml or pyproject.toml [tool.phi-lint])."),
    select: Optional[List[str]] = Option(None, "--select", metavar="RULES", help="Only these rules (ids or prefixes, comma-separated)."),
    ignore: Optional[List[str]] = Option(None, "--ignore", metavar="RULES", help="Skip these rules (ids or prefixes, comma-separated)."),
    profile: Optional[str] = Option(None, "--profile", metavar="NAME", callback=_profile, help="The law the repository answers to: hipaa (the default: HIPAA covered entities) or consumer-health (FTC Health Breach Notification Rule, state consumer health data laws); wins over `profile` in the configuration."),
    fail_on: str = Option(DEFAULT_FAIL_ON, "--fail-on", metavar="LEVEL", callback=_one_of("level", FAIL_LEVELS), help="The least severe level that fails the run: error, warning (default) or note. With `error`, warnings such as PHI002 are reported but exit 0."),
    exit_zero: bool = Option(False, "--exit-zero", help="Exit 0 even when findings are reported (for uploads that must still happen)."),
    statistics: bool = Option(False, "--statistics", help="Print counts per rule and vendor."),
    show_inventory: bool = Option(False, "--show-inventory", help="List PHI100 inventory notes in text output too."),
    no_default_excludes: bool = Option(False, "--no-default-excludes", help="Also scan node_modules, build output, tests, fixtures and minified bundles."),
    force_exclude: bool = Option(False, "--force-exclude", help="Apply the default excludes to files named on the command line too (the pre-commit hook uses this)."),
    baseline: Optional[Path] = Option(None, "--baseline", metavar="FILE", help="Report only findings not in this baseline file (see `phi-lint baseline write`)."),
    since: Optional[str] = Option(None, "--since", metavar="REF", help="Report only findings that are new since this git ref (both sides scanned whole; runs git, read-only)."),
    add_ignore: Optional[str] = Option(None, "--add-ignore", metavar="REASON", help="Write `phi-lint: ignore[RULE] REASON` above each failing finding, in each file's comment syntax, then exit."),
    include_suppressed: bool = Option(False, "--include-suppressed", help="Also output findings covered by ignores or the baseline (JSON and SARIF mark them as suppressed)."),
    no_inline_ignores: bool = Option(False, "--no-inline-ignores", help="Disregard inline `phi-lint: ignore[...]` comments (a security team's choice)."),
    require_reason: bool = Option(True, "--require-reason/--no-require-reason", help="Report inline ignores that give no reason (PHI900; default: on)."),
    stdin_filename: Optional[Path] = Option(None, "--stdin-filename", metavar="PATH", help="The path of the file read from standard input (`-`): it decides the file kind, configuration, excludes and page context."),
    jobs: int = Option(0, "-j", "--jobs", metavar="N", callback=_jobs, help="Worker processes (default 0: one per CPU; small scans run in one process)."),
    no_cache: bool = Option(False, "--no-cache", help="Read every file again instead of using the cache for unchanged files."),
    cache_dir: Optional[Path] = Option(None, "--cache-dir", metavar="DIR", help="Keep the cache in this folder (default: $PHI_LINT_CACHE_DIR, else ~/.cache/phi-lint); each project gets its own subfolder."),
    color: str = Option("auto", "--color", metavar="WHEN", callback=_one_of("colour choice", COLOR_CHOICES), help="Colour findings and notices: auto (default: on a terminal, unless NO_COLOR is set; FORCE_COLOR forces it), always or never."),
    show_settings: bool = Option(False, "--show-settings", help="Print the settings the scan would use (configuration file, pages globs, rules, excludes, baa-vendors, cache folder…) and exit."),
    show_files: bool = Option(False, "--show-files", help="Print the files the scan would read for trackers, sorted, and exit."),
    quiet: bool = Option(False, "-q", "--quiet", help="Only the findings: no help lines, summary or notices."),
    verbose: bool = Option(False, "-v", "--verbose", help="Show each finding's code, every page it reaches with the include chain and the evidence, and every notice."),
    explain: Optional[str] = Option(None, "--explain", metavar="RULE", help="Show a rule's documentation (as `phi-lint rules RULE`) and exit."),
    version: bool = Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """Scan files and directories for trackers (the default command)."""
    from phi_lint.scan import ScanOptions, scan

    if explain is not None:
        from phi_lint import cli_commands

        cli_commands.print_rule(explain)
        return
    scan_paths, stdin = list(paths or []), None
    if wants_stdin(scan_paths, stdin_filename):
        scan_paths, stdin = stdin_scan_input(scan_paths, stdin_filename)
    elif stdin_filename is not None:
        raise UsageProblem("--stdin-filename names the file read from standard input; give `-` as the path", "`phi-lint - --stdin-filename PATH < FILE`")
    if output is None and sys.stdout is None:
        raise UserError("standard output is closed: write the report to a file with -o FILE")
    options = ScanOptions(
        paths=scan_paths or [Path(".")],
        config_file=config,
        select=_selectors("--select", select),
        ignore=_selectors("--ignore", ignore),
        default_excludes=not no_default_excludes,
        force_exclude=force_exclude,
        inline_ignores=not no_inline_ignores,
        require_reason=require_reason,
        baseline=baseline,
        jobs=jobs,
        use_cache=not no_cache,
        cache_dir=cache_dir,
        progress=not quiet and sys.stderr.isatty(),
        stdin=stdin,
        profile=profile,
    )
    if show_settings or show_files:
        _show_plan(options, show_settings, output_format == "json")
        return
    if add_ignore is not None:
        from phi_lint.addignore import check_reason

        check_reason(add_ignore)
    if since is not None:
        from phi_lint.since import check_ref

        check_ref(since)
    if add_ignore is not None and stdin is not None:
        raise UsageProblem("--add-ignore edits files on disk; it cannot take a file read from standard input",
                           "run it on the saved file: `phi-lint --add-ignore REASON PATH`")
    result = scan(options)
    if stdin is not None:
        _keep_stdin_text(result, stdin)
    if since is not None:
        from phi_lint.since import apply_since

        apply_since(options, result, since)
    if add_ignore is not None:
        from phi_lint.addignore import add_ignores

        raise Exit(add_ignores(result, add_ignore, sys.stderr))
    result.include_suppressed = include_suppressed
    result.fail_on = fail_on
    _deliver_report(result, output_format, output, color, show_inventory or "PHI100" in options.select,
                    statistics, verbose, quiet)
    if failing(result.findings, fail_on) and not exit_zero:
        raise Exit(1)


def _keep_stdin_text(result, stdin) -> None:
    """The code frames of a file read from standard input show the piped text, not the file of
    that name on disk (an editor's unsaved buffer differs from it)."""
    import os

    from phi_lint.discovery import rel_to
    from phi_lint.textio import read_given

    read = read_given(stdin.data, result.config.max_file_size)
    if read.text is not None:
        rel = rel_to(Path(os.path.abspath(stdin.path)).resolve(), result.root)
        result.source_texts = {rel: read.text}


def _show_plan(options, settings: bool, as_json: bool) -> None:
    """--show-settings / --show-files: resolve the run as the scan would, print, read nothing."""
    import typer

    from phi_lint.cli_settings import files_to_scan, render_settings, resolved_settings
    from phi_lint.scan import plan_scan

    plan = plan_scan(options)
    # a reader gone mid-listing (`| head -1`) raises BrokenPipeError here: main() ends quietly
    if settings:
        typer.echo(render_settings(resolved_settings(options, plan), as_json), nl=False)
    else:
        for shown in files_to_scan(options, plan):
            typer.echo(printable(shown))


def _deliver_report(result, fmt: str, output: Optional[Path], color: str, show_inventory: bool,
                    statistics: bool, verbose: bool, quiet: bool) -> None:
    """Notices to stderr (text format), the report to stdout or the -o file."""
    from phi_lint.reporters import render
    from phi_lint.reporters.text import TextOptions, render_notifications, stderr_color, use_color

    stream = sys.stdout
    text_options = TextOptions(
        color=use_color(stream, color) if output is None else color == "always",
        show_inventory=show_inventory,
        statistics=statistics,
        verbose=verbose,
        quiet=quiet,
    )
    if fmt == "text" and not quiet:
        notices = render_notifications(result, verbose, stderr_color(color))
        if notices:
            sys.stderr.write(notices)
    report = render(result, fmt, text_options)
    if output is None:
        stream.write(report)
        return
    from phi_lint.safeio import write_atomic

    try:
        write_atomic(output, report)
    except OSError as exc:
        raise UserError(f"cannot write {output}: {exc.strerror}") from None
    if not quiet:
        n = len(failing(result.findings, result.fail_on))
        sys.stderr.write(
            f"phi-lint: wrote {len(result.findings)} finding(s) ({n} failing) to {printable(str(output))}\n"
        )


def _build_app():
    """The typer application: every command, for the lines the direct reader leaves to typer
    (help, version, the other commands, anything it does not model)."""
    import typer

    from phi_lint import cli_commands
    from phi_lint.cli_params import for_typer
    from phi_lint.cli_usage import PlainCommand, RootGroup

    app = typer.Typer(
        name="phi-lint",
        cls=RootGroup,
        help=(
            "Find tracking pixels, tags and analytics / session-replay SDKs on authenticated or "
            "health-related pages.\n\n"
            "`phi-lint [PATH ...]` is short for `phi-lint check [PATH ...]`: the options below are "
            "check's. Each command has its own --help."
        ),
        add_completion=False,
        no_args_is_help=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(for_typer(_root))
    app.command(cls=PlainCommand)(for_typer(check))
    # the informing and set-up commands live in phi_lint.cli_commands; registered in this order
    app.command(cls=PlainCommand)(cli_commands.rules)
    app.command(cls=PlainCommand)(cli_commands.explain)
    app.command(cls=PlainCommand)(cli_commands.init)
    app.command(cls=PlainCommand)(cli_commands.vendors)
    app.add_typer(cli_commands.baseline_app, name="baseline")
    return app


_APP: list = []  # the application, once built


def __getattr__(name: str):
    """`phi_lint.cli.app`, built when first asked for (a plain `check` line never asks)."""
    if name == "app":
        if not _APP:
            _APP.append(_build_app())
        return _APP[0]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _deliver_stdout() -> None:
    """Flush standard output now: when its reader has gone (`phi-lint . | head -0`) the run ends
    quietly with status 1, as it does when the report is written, instead of Python's
    "Exception ignored … BrokenPipeError" at exit with status 120."""
    if sys.stdout is None:
        return
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _end_quietly()


def _end_quietly() -> None:
    """End the run with status 1 and nothing more said: standard output's reader has gone."""
    import os

    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # the exit-time flush goes nowhere
    sys.exit(1)


def _stdout_reader_gone() -> bool:
    """Whether standard output is a pipe whose reader has closed it (a write to it failed and
    the data was dropped, so a flush cannot tell): poll reports an error on such a pipe. Where
    there is no poll (Windows), a broken pipe is taken to be standard output's."""
    try:
        import select

        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(event & (select.POLLERR | select.POLLHUP) for _fd, event in poller.poll(0))
    except (AttributeError, OSError, ValueError):
        return True


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


_NOT_PLAIN = object()


def _check_directly(args: list[str]):
    """`check` with a plain command line, read from check's own declarations without typer's
    parser (phi_lint.cli_direct: typer's builds a validator per option, a tenth of a pre-commit
    run); _NOT_PLAIN for any other line. Returns check's exit status as typer would."""
    from phi_lint.cli_direct import parse

    arguments = parse(check, args[1:]) if args[:1] == ["check"] else None
    if arguments is None:
        return _NOT_PLAIN
    try:
        check(**arguments)
    except Exit as exc:
        return exc.exit_code
    return None


def _usage_errors() -> tuple[type[BaseException], ...]:
    """The option parser's usage errors; none while typer was never imported (a plain `check`
    line read directly cannot raise them). Asked only when an exception is raised."""
    if "typer" not in sys.modules:
        return ()
    from phi_lint.cli_usage import usage_errors

    return usage_errors()


def _run(args: list[str]) -> None:
    try:
        status = _check_directly(args)
        if status is _NOT_PLAIN:
            status = __getattr__("app")(args, prog_name="phi-lint", standalone_mode=False)
    except _usage_errors() as exc:  # the option parser's: one style with phi-lint's own
        from phi_lint.cli_usage import USAGE_EXIT, describe_usage_error, report_usage_error

        report_usage_error(*describe_usage_error(exc))
        sys.exit(USAGE_EXIT)
    except UsageProblem as exc:
        from phi_lint.cli_usage import USAGE_EXIT, report_usage_error

        report_usage_error(str(exc), exc.hint)
        sys.exit(USAGE_EXIT)
    except UserError as exc:
        from phi_lint.cli_usage import report_usage_error

        report_usage_error(str(exc))
        sys.exit(2)
    except KeyboardInterrupt:
        sys.stderr.write("phi-lint: interrupted\n")
        sys.exit(130)
    except SystemExit:
        raise
    except BrokenPipeError as exc:
        # a command's output (--show-files, --explain, --statistics, a baseline listing …) cut
        # off by its reader (`| head -1`): the run ends as the report's does; any other pipe's
        # error (standard output still open) is a bug like any other
        if sys.stdout is not None and _stdout_reader_gone():
            _end_quietly()
        _internal_error(exc)
    except Exception as exc:  # pragma: no cover - a bug; say so without a traceback wall
        _internal_error(exc)
    if isinstance(status, int) and status:  # typer.Exit(n) comes back as n outside standalone mode
        sys.exit(status)


def _internal_error(exc: BaseException) -> None:
    """Say that phi-lint failed, without a traceback wall (PHI_LINT_DEBUG=1 shows it), exit 2."""
    import os

    from phi_lint.reporters.common import excerpt

    sys.stderr.write(
        f"phi-lint: internal error: {type(exc).__name__}: {excerpt(str(exc), 300)}\n"
        "Please report it with the command you ran. Set PHI_LINT_DEBUG=1 for the traceback.\n"
    )
    if os.environ.get("PHI_LINT_DEBUG"):
        raise exc
    sys.exit(2)
