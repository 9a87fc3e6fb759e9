"""Run the command line in this process (as `phi-lint` would run it), for fast CLI tests."""

from __future__ import annotations

import io
import sys
import tempfile
from dataclasses import dataclass


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


def run_here(monkeypatch, capsys, *args: str, cwd=None, stdin: bytes | None = None, env: dict | None = None) -> Run:
    """main(args) with stdout/stderr captured, the exit status as a subprocess would give it.
    Colour is off unless env asks for it; the cache goes to a throwaway folder when cwd is given."""
    from phi_lint.cli import main

    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    for key, value in (env or {}).items():
        if value is None:
            monkeypatch.delenv(key, raising=False)
        else:
            monkeypatch.setenv(key, value)
    if cwd is not None:
        monkeypatch.chdir(cwd)
        monkeypatch.setenv("PHI_LINT_CACHE_DIR", tempfile.mkdtemp(prefix="phi-lint-cache-"))
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    capsys.readouterr()
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)
