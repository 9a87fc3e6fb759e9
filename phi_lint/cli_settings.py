"""`--show-settings` and `--show-files`: what a scan would use and read, without scanning.

Both resolve the run exactly as `check` does (phi_lint.scan.plan_scan: project root,
configuration, rules; discovery with its excludes), so what they print is what the scan does.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from phi_lint import __version__
from phi_lint.reporters.common import printable

# kinds read for trackers (templates and pages, scripts, package.json, JSON that may be a
# tag-manager export); the other kinds are read only for the page graph and inference
SCANNED_KINDS = ("markup", "script", "manifest", "json")


def _shown(path) -> str:
    """A path relative to the working directory when it is below it, else absolute."""
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute)
    except ValueError:
        return absolute
    return absolute if relative.startswith("..") else relative


def resolved_settings(options, plan) -> dict:
    """Every setting of the run, by the name it has in configuration or on the command line."""
    from phi_lint.cache import cache_base, project_folder
    from phi_lint.config import DEFAULT_EXCLUDES
    from phi_lint.suppress import IGNORE_FILE

    config = plan.config
    if config.exclude is not None:
        exclude = list(config.exclude)
    elif options.default_excludes:
        exclude = list(DEFAULT_EXCLUDES)
    else:
        exclude = []
    ignore_file = (config.root if config.path else plan.root) / IGNORE_FILE
    baseline = options.baseline or config.baseline
    cache = None
    if options.use_cache:
        try:
            project = config.root if config.path else plan.root
            cache = _shown(Path(cache_base(options.cache_dir)) / project_folder(project))
        except (RuntimeError, KeyError):
            cache = None
    return {
        "version": __version__,
        "project-root": str(plan.root),
        "config-file": _shown(config.path) if config.path else None,
        "paths": [str(p) for p in options.paths],
        "stdin-filename": str(options.stdin.path) if options.stdin is not None else None,
        "rules": sorted(plan.rules),
        "select": config.select + options.select,
        "ignore": config.ignore + options.ignore,
        "pages": {label: list(globs) for label, globs in sorted(config.pages.items())},
        "infer": config.infer,
        "strict": config.strict,
        "profile": config.profile,
        "exclude": exclude,
        "extend-exclude": list(config.extend_exclude),
        "default-excludes": options.default_excludes and config.exclude is None,
        "force-exclude": options.force_exclude,
        "per-file-ignores": {glob: list(rules) for glob, rules in sorted(config.per_file_ignores.items())},
        "baa-vendors": list(config.baa_vendors),
        "first-party": list(config.first_party),
        "vendor-dirs": [_shown(d) for d in config.vendor_dirs],
        "max-file-size": config.max_file_size,
        "baseline": _shown(baseline) if baseline is not None else None,
        "ignore-file": _shown(ignore_file) if ignore_file.is_file() else None,
        "inline-ignores": options.inline_ignores,
        "require-reason": options.require_reason,
        "cache-dir": cache,
        "jobs": options.jobs or (os.cpu_count() or 1),
    }


def render_settings(settings: dict, as_json: bool) -> str:
    if as_json:
        return json.dumps(settings, indent=2, ensure_ascii=False) + "\n"
    width = max(len(key) for key in settings) + 1
    lines = []
    for key, value in settings.items():
        lines.append(f"{key + ':':<{width}} {printable(_text(value))}")
    return "\n".join(lines) + "\n"


def _text(value) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) if value else "(none)"
    if isinstance(value, dict):
        if not value:
            return "(none)"
        return "; ".join(f"{k} = [{', '.join(v)}]" for k, v in value.items())
    return str(value)


def files_to_scan(options, plan) -> list[str]:
    """The files the scan would read for trackers and report on, as paths to show, sorted."""
    from phi_lint.fileworker import is_reported
    from phi_lint.scan import discover_planned

    found = discover_planned(plan, options)
    stdin_real = os.path.realpath(options.stdin.path) if options.stdin is not None else None
    shown = []
    for source in found.files:
        if source.kind in SCANNED_KINDS and is_reported(source.rel, plan.report_prefixes):
            shown.append(str(options.stdin.path) if source.path == stdin_real else _shown(source.path))
    return sorted(shown)
