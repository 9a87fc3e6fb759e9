"""The source line of a finding, as ruff and rustc show it: the line (or, when it is long, the
part of it around the column) with carets under the tracker code.

Columns count code points (see models.Span); a terminal counts cells. So the line is laid out
character by character: a tab to the next tab stop, a control or bidi character as its visible
escape (`\\x1b`, several cells), a wide character (CJK, most emoji) as two cells, a combining
mark as none. The carets go under the cells of the finding's characters, so neither tabs nor
escapes nor a minified 5,000-character line move them off the code.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from phi_lint.reporters.common import printable

EXCERPT_WIDTH = 80  # cells of source shown at most, … marks not counted
TAB_WIDTH = 4
ELLIPSIS = "…"


@dataclass(frozen=True)
class Excerpt:
    text: str  # the source to print, with … where it was cut
    caret_start: int  # cells before the first caret
    caret_width: int  # carets, at least one


def _cell_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _layout(line: str) -> list[tuple[str, int, int]]:
    """(what to print, first cell, cells) for each character of the line."""
    pieces = []
    cell = 0
    for char in line:
        if char == "\t":
            shown = " " * (TAB_WIDTH - cell % TAB_WIDTH)
            width = len(shown)
        else:
            shown = printable(char)
            width = len(shown) if shown != char else _cell_width(char)
        pieces.append((shown, cell, width))
        cell += width
    return pieces


def excerpt(line: str, column: int, end_column: int | None = None, width: int = EXCERPT_WIDTH) -> Excerpt:
    """The line with the caret range for 1-based code-point columns [column, end_column); at
    most `width` cells of source around the column, with … on each side that was cut."""
    line = line.rstrip("\r\n")
    # only the code points near the column are laid out: a minified line can hold megabytes
    reach = 4 * width
    low = max(0, column - 1 - reach)
    high = column - 1 + reach
    if low or high < len(line.rstrip()):
        return _excerpt(line[low:high], column - low, None if end_column is None else end_column - low,
                        width, low > 0, high < len(line.rstrip()))
    return _excerpt(line, column, end_column, width, False, False)


def _excerpt(line: str, column: int, end_column: int | None, width: int, more_left: bool, more_right: bool) -> Excerpt:
    pieces = _layout(line)
    total = pieces[-1][1] + pieces[-1][2] if pieces else 0
    start_index = min(max(column - 1, 0), len(pieces))
    caret_start = pieces[start_index][1] if start_index < len(pieces) else total
    end_index = min(max((end_column or column) - 1, start_index + 1), len(pieces))
    caret_end = pieces[end_index - 1][1] + pieces[end_index - 1][2] if end_index > start_index else caret_start + 1
    caret_end = max(caret_end, caret_start + 1)
    trimmed = len(line.rstrip())
    shown_end = max(pieces[trimmed - 1][1] + pieces[trimmed - 1][2] if trimmed else 0, caret_start)
    if shown_end <= width:
        window = (0, shown_end)
    else:
        first = max(0, min(caret_start - width // 3, shown_end - width))
        window = (first, first + width)
    text = "".join(shown for shown, cell, cells in pieces if cell >= window[0] and cell + cells <= window[1])
    cut_left = window[0] > 0 or more_left
    cut_right = window[1] < shown_end or more_right
    left = ELLIPSIS if cut_left else ""
    right = ELLIPSIS if cut_right else ""
    # a wide character or an escape that straddles the window's left edge is left out: the first
    # shown piece starts at or after window[0]
    first_cell = next((cell for _shown, cell, _cells in pieces if cell >= window[0]), window[0])
    offset = len(left) - first_cell
    start = caret_start + offset
    stop = min(caret_end, window[1]) + offset
    return Excerpt(left + text + right, start, max(stop - start, 1))
