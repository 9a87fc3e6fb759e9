"""Reading source files defensively, and mapping offsets to line/column positions."""

from __future__ import annotations

import bisect
import os
from dataclasses import dataclass

DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024  # bytes; bigger files are skipped with a notification
_SNIFF = 8192


@dataclass
class ReadResult:
    text: str | None  # None when the file is skipped
    problem: str | None = None  # a notification message; set when skipped or damaged
    skipped: bool = False


def read_source(path: str, max_size: int = DEFAULT_MAX_FILE_SIZE) -> ReadResult:
    """Read a text file; binaries, oversized and unreadable files come back as problems.

    Invalid UTF-8 is decoded with replacement characters (the scan goes on) and reported.
    """
    try:
        size = os.path.getsize(path)
        if size > max_size:
            return ReadResult(
                None,
                f"skipped: {size / 1048576:.1f} MiB is larger than max-file-size "
                f"({max_size / 1048576:.1f} MiB); raise max-file-size in config to scan it",
                skipped=True,
            )
        with open(path, "rb") as handle:
            data = handle.read(max_size + 1)
    except PermissionError:
        return ReadResult(None, "skipped: permission denied", skipped=True)
    except OSError as exc:
        return ReadResult(None, f"skipped: cannot read ({exc.strerror or exc})", skipped=True)
    return decode_source(data)


def decode_source(data: bytes) -> ReadResult:
    if b"\x00" in data[:_SNIFF]:
        return ReadResult(None, "skipped: binary file (NUL bytes)", skipped=True)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return ReadResult(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        return ReadResult(
            text,
            f"not valid UTF-8 (first bad byte at offset {exc.start}); "
            "scanned with replacement characters",
        )


class LineIndex:
    """Offsets in a string to 1-based (line, column) positions."""

    def __init__(self, text: str):
        self._starts = [0]
        find = text.find
        pos = find("\n")
        while pos != -1:
            self._starts.append(pos + 1)
            pos = find("\n", pos + 1)

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def offset(self, line: int, column: int) -> int:
        """Offset of a 1-based line and 1-based column."""
        line = min(max(line, 1), len(self._starts))
        return self._starts[line - 1] + column - 1

    @property
    def line_count(self) -> int:
        return len(self._starts)
