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

from phi_lint import __version__
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
    gitlab_sast = "gitlab-sast"
    junit = "junit"


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
    since: Optional[str] = typer.Option(None, "--since", metavar="REF", help="Report only findings that are new since this git ref (both sides scanned whole; runs git, read-only)."),
    add_ignore: Optional[str] = typer.Option(None, "--add-ignore", metavar="REASON", help="Write `phi-lint: ignore[RULE] REASON` above each failing finding, in each file's comment syntax, then exit."),
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
    if add_ignore is not None:
        from phi_lint.addignore import check_reason

        check_reason(add_ignore)
    if since is not None:
        from phi_lint.since import check_ref

        check_ref(since)
    result = scan(options)
    if since is not None:
        from phi_lint.since import apply_since

        apply_since(options, result, since)
    if add_ignore is not None:
        from phi_lint.addignore import add_ignores

        raise typer.Exit(add_ignores(result, add_ignore, sys.stderr))
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


@app.command()
def rules(
    rule_id: Optional[str] = typer.Argument(None, help="Show the full help of one rule, e.g. PHI001."),
) -> None:
    """List the rules, or explain one."""
    from phi_lint.rulebook import load_rules

    all_rules = load_rules()
    if rule_id:
        rule = all_rules.get(rule_id.upper())
        if rule is None:
            raise UserError(f"unknown rule `{rule_id}`; rules are {', '.join(all_rules)}")
        typer.echo(f"{rule.id} {rule.name} (default level: {rule.level})\n")
        typer.echo(rule.short + "\n")
        typer.echo(rule.help_markdown)
        return
    typer.echo(f"{'id':<7} {'name':<34} {'level':<8} description")
    for rule in all_rules.values():
        typer.echo(f"{rule.id:<7} {rule.name:<34} {rule.level:<8} {rule.short}")
    if Path("rules").is_dir():
        sys.stderr.write("note: to scan the folder `rules`, run `phi-lint ./rules` or `phi-lint check rules`\n")


@app.command()
def explain(rule_id: str = typer.Argument(..., help="A rule id, e.g. PHI001.")) -> None:
    """Explain a rule: what it finds, why it matters, how to fix and suppress it."""
    rules(rule_id)


baseline_app = typer.Typer(help="Adopt phi-lint in a large repository: record today's findings, fail only on new ones.")
app.add_typer(baseline_app, name="baseline")


@baseline_app.command("write")
def baseline_write(
    paths: Optional[List[Path]] = typer.Argument(None, help="What to scan [default: .]"),
    output: Path = typer.Option(Path(".phi-lint-baseline.json"), "-o", "--output", help="The baseline file to write."),
    config: Optional[Path] = typer.Option(None, "--config", help="Use this configuration file."),
) -> None:
    """Write every current finding into the baseline file (keeps reason/owner/expires of known entries)."""
    from phi_lint.baseline import entries_for, load_baseline, write_baseline
    from phi_lint.reporters.common import printable
    from phi_lint.safeio import is_inside
    from phi_lint.scan import ScanOptions, scan

    previous = None
    if output.is_symlink() and not is_inside(str(output), str(output.absolute().parent)):
        # a committed link out of the tree: not read, and replaced by the new baseline
        sys.stderr.write(f"phi-lint: {printable(str(output))} is a link out of the tree; it is replaced, not read\n")
    elif output.is_file():
        previous = load_baseline(output)
    result = scan(ScanOptions(paths=list(paths or [Path(".")]), config_file=config))
    entries = entries_for(result.findings + [f for f in result.suppressed if f.suppression.kind == "baseline"], previous)
    try:
        write_baseline(output, entries)
    except OSError as exc:
        raise UserError(f"cannot write {output}: {exc.strerror}") from None
    typer.echo(f"wrote {len(entries)} finding(s) to {output}")


@baseline_app.command("prune")
def baseline_prune(
    paths: Optional[List[Path]] = typer.Argument(None, help="What to scan [default: .]"),
    baseline_file: Path = typer.Option(Path(".phi-lint-baseline.json"), "--baseline", help="The baseline file to prune."),
    config: Optional[Path] = typer.Option(None, "--config", help="Use this configuration file."),
) -> None:
    """Drop baseline entries that no longer match a finding."""
    from phi_lint.baseline import load_baseline, prune, write_baseline
    from phi_lint.scan import ScanOptions, scan

    current = load_baseline(baseline_file)
    result = scan(ScanOptions(paths=list(paths or [Path(".")]), config_file=config, baseline=baseline_file))
    kept, dropped = prune(current, result.findings + result.suppressed)
    write_baseline(baseline_file, kept)
    typer.echo(f"pruned {dropped} stale entr{'y' if dropped == 1 else 'ies'}; {len(kept)} kept in {baseline_file}")


@app.command()
def init(
    path: Path = typer.Argument(Path("."), help="The project root."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing phi-lint.toml."),
) -> None:
    """Write a commented starter phi-lint.toml for the frameworks found in the project."""
    from phi_lint.init_config import starter_config
    from phi_lint.safeio import write_atomic

    target = path / "phi-lint.toml"
    if target.exists() and not force:
        raise UserError(f"{target} exists; use --force to overwrite it")
    if not path.is_dir():
        raise UserError(f"{path} is not a directory")
    try:
        write_atomic(target, starter_config(path))
    except OSError as exc:
        raise UserError(f"cannot write {target}: {exc.strerror}") from None
    typer.echo(f"wrote {target}; review the [pages] globs, then run `phi-lint {path}`")


@app.command()
def vendors(
    as_json: bool = typer.Option(False, "--json", help="Print the catalogue as JSON."),
    config: Optional[Path] = typer.Option(None, "--config", help="Include the vendor-dirs of this configuration."),
) -> None:
    """List the vendor catalogue (ids for baa-vendors and --json inventories)."""
    import json

    from phi_lint.catalogue import load_catalogue
    from phi_lint.config import find_config, load_config

    config_path = config or find_config(Path.cwd())
    cfg = load_config(config_path, Path.cwd())
    catalogue = load_catalogue(cfg.vendor_dirs)
    items = sorted(catalogue, key=lambda v: v.id)
    if as_json:
        typer.echo(
            json.dumps(
                [
                    {
                        "id": v.id,
                        "name": v.name,
                        "category": v.category,
                        "capabilities": list(v.capabilities),
                        "baa": v.baa,
                        "docs": v.docs,
                        "packages": [p.name for p in v.packages],
                    }
                    for v in items
                ],
                indent=2,
            )
        )
        return
    from phi_lint.reporters.common import printable

    rows = [(printable(v.id), printable(v.category), printable(v.name)) for v in items]  # vendor-dirs are data
    width = max((len(vendor_id) for vendor_id, _, _ in rows), default=2)
    typer.echo(f"{'id':<{width}}  {'category':<20}  name")
    for vendor_id, category, name in rows:
        typer.echo(f"{vendor_id:<{width}}  {category:<20}  {name}")
    typer.echo(f"\n{len(items)} vendors")
    if Path("vendors").is_dir():
        sys.stderr.write("note: to scan the folder `vendors`, run `phi-lint ./vendors`\n")


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
