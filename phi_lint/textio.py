"""Reading source files defensively, and mapping offsets to line/column positions."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from phi_lint.safeio import read_regular, size_problem

DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024  # bytes; bigger files are skipped with a notification
_SNIFF = 8192


@dataclass
class ReadResult:
    text: str | None  # None when the file is skipped
    problem: str | None = None  # a notification message; set when skipped or damaged
    skipped: bool = False


def read_source(path: str, max_size: int = DEFAULT_MAX_FILE_SIZE) -> ReadResult:
    """Read a text file; binaries, oversized, unreadable and non-regular files come back as problems.

    Invalid UTF-8 is decoded with replacement characters (the scan goes on) and reported.
    """
    read = read_regular(path, max_size)
    if read.data is None:
        return ReadResult(None, read.problem, skipped=True)
    return decode_source(read.data)


def read_given(data: bytes, max_size: int = DEFAULT_MAX_FILE_SIZE) -> ReadResult:
    """read_source for bytes that did not come from the disk (standard input), same limits."""
    if len(data) > max_size:
        return ReadResult(None, size_problem(len(data), max_size), skipped=True)
    return decode_source(data)


# byte-order marks, longest first (the UTF-32 LE mark begins with the UTF-16 LE one)
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def decode_source(data: bytes) -> ReadResult:
    """Text of a file: UTF-8, or UTF-16/UTF-32 when a byte-order mark says so (browsers render
    such pages); NUL bytes without a mark mean a binary file."""
    encoding = "utf-8"
    for bom, name in _BOMS:
        if data.startswith(bom):
            data, encoding = data[len(bom):], name
            break
    if encoding == "utf-8" and b"\x00" in data[:_SNIFF]:
        return ReadResult(None, "skipped: binary file (NUL bytes)", skipped=True)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        text = data.decode(encoding, errors="replace")
        label = "UTF-8" if encoding == "utf-8" else encoding.upper()
        return ReadResult(
            text,
            f"not valid {label} (first bad byte at offset {exc.start}); "
            "scanned with replacement characters",
        )
    if encoding != "utf-8" and "\x00" in text[:_SNIFF]:
        return ReadResult(None, "skipped: binary file (NUL characters)", skipped=True)
    return ReadResult(text)


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
