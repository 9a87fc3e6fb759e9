"""The language layer: one parse per file, shared by every stage of the scan that reads it.

The per-file worker makes a `Source` for each file it reads and hands it to the sightings,
data-sent, page-graph and inference stages. What a stage derives from the file's code (its
syntax tree, its route table) is computed on first demand and kept on the `Source`, so the next
stage that wants it gets it for free; when the worker is done with the file the `Source` goes,
and its trees with it. Nothing is kept between files.
"""

from __future__ import annotations

from phi_lint.lang.endings import name_suffix
from phi_lint.lang.javascript import Script, language_for

__all__ = ["Source", "Script"]


class Source:
    """One file's text, and what the stages of pass 1 derive from it, computed once each."""

    __slots__ = ("rel", "text", "language", "suffix", "_scripts", "_derived")

    def __init__(self, rel: str, text: str, language: str | None = None):
        self.rel = rel
        self.text = text
        self.language = language if language is not None else language_for(rel)  # None: not JS/TS
        self.suffix = name_suffix(rel)  # what the per-file dispatch (phi_lint.frameworks.reads) keys on
        self._scripts: dict[tuple[int, int, str], Script] = {}
        self._derived: dict[str, object] = {}

    @property
    def script(self) -> Script | None:
        """The whole file as JS/TS code, for a JS/TS file; None for any other file."""
        if self.language is None:
            return None
        return self.script_at(0, len(self.text), self.language)

    def script_at(self, start: int, end: int, dialect: str) -> Script:
        """The code of text[start:end] (a `<script>` block, front matter) in a dialect, made once."""
        key = (start, end, dialect)
        found = self._scripts.get(key)
        if found is None:
            found = self._scripts[key] = Script(self.text[start:end], dialect)
        return found

    def script_for(self, code: str, start: int, dialect: str) -> Script:
        """The Script for `code` if it is the file's text at `start` unchanged (so its tree is
        shared); a Script of its own otherwise (code rewritten for parsing, say)."""
        end = start + len(code)
        if self.text[start:end] == code:
            return self.script_at(start, end, dialect)
        return Script(code, dialect)

    def tree(self, language: str):
        """The file's tree-sitter tree in a server language ("ruby", "php", "java", "kotlin"; see
        phi_lint.lang.treesitter), parsed the first time a stage asks, or None when too large."""
        from phi_lint.lang.treesitter import parse

        return self.derived("tree:" + language, lambda: parse(self.text, language))

    def derived(self, key: str, compute):
        """What `compute()` gives, computed the first time a stage asks for `key` in this file."""
        if key not in self._derived:
            self._derived[key] = compute()
        return self._derived[key]
