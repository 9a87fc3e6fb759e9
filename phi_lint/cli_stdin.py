"""`phi-lint - --stdin-filename PATH`: scan an editor's buffer or a piped file.

The name decides everything a path decides (the file kind, the configuration found above it,
excludes, page context); inside a project, the project's other files still form the page graph,
so a partial piped in is judged by the pages that include it (as ruff and eslint do with their
`--stdin-filename`). Standard input is read up to a bound, never without limit.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from phi_lint.errors import UsageProblem

STDIN_PATH = "-"
STDIN_LIMIT = 64 * 1024 * 1024  # bytes; max-file-size (default 2 MiB) still applies to the scan


def wants_stdin(paths: list[Path], stdin_filename: Path | None) -> bool:
    """`-` among the paths, or --stdin-filename without paths (as ruff reads it)."""
    return any(str(p) == STDIN_PATH for p in paths) or (stdin_filename is not None and not paths)


def stdin_scan_input(paths: list[Path], stdin_filename: Path | None, stream=None):
    """(paths to scan, StdinFile) for a run that reads a file from standard input."""
    from phi_lint.scan import StdinFile

    others = [p for p in paths if str(p) != STDIN_PATH]
    if others:
        raise UsageProblem(
            "`-` (standard input) cannot be combined with other paths",
            "scan the files in a separate run, or name the piped file with --stdin-filename",
        )
    if stdin_filename is None:
        raise UsageProblem(
            "reading a file from standard input needs its name: add --stdin-filename PATH",
            "the name decides the file kind and the page context, e.g. "
            "`phi-lint - --stdin-filename templates/patient/chart.html < chart.html`",
        )
    if str(stdin_filename) == STDIN_PATH or os.path.isdir(stdin_filename):
        raise UsageProblem(f"--stdin-filename `{stdin_filename}` must name a file", "give the path the piped file has in the project")
    return [stdin_filename], StdinFile(stdin_filename, read_stdin(stream))


def read_stdin(stream=None, limit: int = STDIN_LIMIT) -> bytes:
    """At most `limit` bytes of standard input; more is a usage error, not a silent cut."""
    stream = stream if stream is not None else sys.stdin
    if stream is None:
        raise UsageProblem("standard input is closed; nothing to read for `-`", "pipe the file in, or give its path")
    source = getattr(stream, "buffer", stream)
    chunks, size = [], 0
    while size <= limit:
        chunk = source.read(min(1 << 20, limit + 1 - size))
        if not chunk:
            break
        if isinstance(chunk, str):
            chunk = chunk.encode("utf-8", "surrogateescape")
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        raise UsageProblem(
            f"standard input holds more than {limit // (1024 * 1024)} MiB; phi-lint reads at most that from `-`",
            "scan the file by its path instead",
        )
    return b"".join(chunks)
