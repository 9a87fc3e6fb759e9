"""The subcommands besides `check`: `rules`, `explain`, `vendors`, `init` and `baseline`.

They inform (the rule help, the vendor catalogue) or set a project up; phi_lint.cli registers
them on the application next to `check`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from phi_lint.baseline import DEFAULT_BASELINE
from phi_lint.cli_usage import PlainCommand, UsageProblem
from phi_lint.errors import UserError
from phi_lint.suggest import did_you_mean


def print_rule(rule_id: str) -> None:
    """A rule's documentation: what it finds, why it matters, how to fix and suppress it."""
    from phi_lint.rulebook import find_rule

    try:
        rule = find_rule(rule_id)
    except UserError as exc:
        raise UsageProblem(str(exc), "`phi-lint rules` lists the rules") from None
    typer.echo(f"{rule.id} {rule.name} (default level: {rule.level})\n")
    typer.echo(rule.short + "\n")
    typer.echo(rule.help_markdown)


def rules(
    rule_id: Optional[str] = typer.Argument(None, metavar="RULE", help="Show the full help of one rule, e.g. PHI001."),
) -> None:
    """List the rules, or explain one."""
    from phi_lint.rulebook import load_rules

    if rule_id:
        print_rule(rule_id)
        return
    typer.echo(f"{'id':<7} {'name':<34} {'level':<8} description")
    for rule in load_rules().values():
        typer.echo(f"{rule.id:<7} {rule.name:<34} {rule.level:<8} {rule.short}")
    if Path("rules").is_dir():
        sys.stderr.write("note: to scan the folder `rules`, run `phi-lint ./rules` or `phi-lint check rules`\n")


def explain(rule_id: str = typer.Argument(..., metavar="RULE", help="A rule id, e.g. PHI001.")) -> None:
    """Explain a rule: what it finds, why it matters, how to fix and suppress it."""
    print_rule(rule_id)


baseline_app = typer.Typer(rich_markup_mode=None, help="Adopt phi-lint in a large repository: record today's findings, fail only on new ones.")


@baseline_app.command("write", cls=PlainCommand)
def baseline_write(
    paths: Optional[List[Path]] = typer.Argument(None, metavar="PATH", help="What to scan (default: the current directory)."),
    output: Path = typer.Option(Path(DEFAULT_BASELINE), "-o", "--output", metavar="FILE", help=f"The baseline file to write (default: {DEFAULT_BASELINE})."),
    config: Optional[Path] = typer.Option(None, "--config", metavar="FILE", help="Use this configuration file."),
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
    entries = entries_for(result.findings + [f for f in result.suppressed if f.suppression is not None and f.suppression.kind == "baseline"], previous)
    try:
        write_baseline(output, entries)
    except OSError as exc:
        raise UserError(f"cannot write {output}: {exc.strerror}") from None
    typer.echo(f"wrote {len(entries)} finding(s) to {output}")


@baseline_app.command("prune", cls=PlainCommand)
def baseline_prune(
    paths: Optional[List[Path]] = typer.Argument(None, metavar="PATH", help="What to scan (default: the current directory)."),
    baseline_file: Path = typer.Option(Path(DEFAULT_BASELINE), "--baseline", metavar="FILE", help=f"The baseline file to prune (default: {DEFAULT_BASELINE})."),
    config: Optional[Path] = typer.Option(None, "--config", metavar="FILE", help="Use this configuration file."),
) -> None:
    """Drop baseline entries that no longer match a finding."""
    from phi_lint.baseline import load_baseline, prune, write_baseline
    from phi_lint.scan import ScanOptions, scan

    current = load_baseline(baseline_file)
    result = scan(ScanOptions(paths=list(paths or [Path(".")]), config_file=config, baseline=baseline_file))
    kept, dropped = prune(current, result.findings + result.suppressed)
    try:
        write_baseline(baseline_file, kept)
    except OSError as exc:
        raise UserError(f"cannot write {baseline_file}: {exc.strerror}") from None
    typer.echo(f"pruned {dropped} stale entr{'y' if dropped == 1 else 'ies'}; {len(kept)} kept in {baseline_file}")


def init(
    path: Path = typer.Argument(Path("."), metavar="DIR", help="The project root (default: the current directory)."),
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


def vendors(
    vendor_id: Optional[str] = typer.Argument(None, metavar="ID", help="Show one vendor in detail: capabilities, BAA status, signatures and the rules it can trigger."),
    as_json: bool = typer.Option(False, "--json", help="Print the catalogue (or the one vendor) as JSON."),
    config: Optional[Path] = typer.Option(None, "--config", metavar="FILE", help="Include the vendor-dirs of this configuration."),
) -> None:
    """List the vendor catalogue (ids for baa-vendors and --json inventories), or show one vendor."""
    import json

    from phi_lint.catalogue import load_catalogue
    from phi_lint.config import find_config, load_config

    config_path = config or find_config(Path.cwd())
    cfg = load_config(config_path, Path.cwd())
    catalogue = load_catalogue(cfg.vendor_dirs)
    if vendor_id is not None:
        _show_vendor(catalogue, vendor_id, as_json)
        return
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


def _show_vendor(catalogue, vendor_id: str, as_json: bool) -> None:
    import json

    from phi_lint.reporters.common import excerpt
    from phi_lint.vendor_detail import render_vendor, vendor_record

    vendor = catalogue.get(vendor_id) or catalogue.get(vendor_id.lower())
    if vendor is None:
        names = {v.name.lower(): v.id for v in catalogue}  # `Hotjar` for `hotjar`
        if vendor_id.lower() in names:
            vendor = catalogue.get(names[vendor_id.lower()])
    if vendor is None:
        hint = did_you_mean(vendor_id.lower(), [v.id for v in catalogue])
        raise UsageProblem(f"unknown vendor `{excerpt(vendor_id)}`{hint}", "`phi-lint vendors` lists the ids")
    if as_json:
        typer.echo(json.dumps(vendor_record(vendor), indent=2))
    else:
        typer.echo(render_vendor(vendor), nl=False)
