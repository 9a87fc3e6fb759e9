"""Shared test helpers: write a small repo to disk and scan it the way the CLI does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from phi_lint.scan import ScanOptions, scan

REPO = Path(__file__).resolve().parent.parent


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def scan_tree(root: Path, **kwargs):
    return scan(ScanOptions(paths=[root], **kwargs))


def finding_lines(result, root: Path) -> list[str]:
    """`RULE path:line vendor` lines relative to root, sorted (the expected-file format)."""
    out = []
    for finding in result.findings:
        absolute = result.root / finding.sighting.path
        rel = absolute.relative_to(root.resolve()).as_posix()
        out.append(f"{finding.rule_id} {rel}:{finding.sighting.span.line} {finding.sighting.vendor_id}")
    return sorted(out)


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    full_env = dict(os.environ)
    full_env["NO_COLOR"] = "1"
    full_env["PYTHONPATH"] = str(REPO)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "phi_lint", *args],
        cwd=cwd or REPO,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=300,
    )
