"""Byte offsets (what tree-sitter reports) to character offsets (what Python strings use)."""

from __future__ import annotations

import bisect

from phi_lint.lazyre import lazy_pattern

_NON_ASCII = lazy_pattern(r"[^\x00-\x7f]")


class ByteToChar:
    def __init__(self, text: str):
        self.ascii = text.isascii()
        self._byte_starts: list[int] = []
        self._extra_after: list[int] = []
        if self.ascii:
            return
        extra = 0
        for match in _NON_ASCII.finditer(text):
            char = match.group()
            index = match.start()
            self._byte_starts.append(index + extra)
            extra += len(char.encode("utf-8", "surrogatepass")) - 1
            self._extra_after.append(extra)

    def __call__(self, byte_offset: int) -> int:
        if self.ascii:
            return byte_offset
        i = bisect.bisect_left(self._byte_starts, byte_offset) - 1
        if i < 0:
            return byte_offset
        return byte_offset - self._extra_after[i]
