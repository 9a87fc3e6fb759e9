"""One multi-literal search over a file decides which vendors can possibly be in it.

Every vendor's keywords (and npm package names) go into one Aho-Corasick automaton
(pyahocorasick, a C extension), so a file is searched once whatever the catalogue size.
"""

from __future__ import annotations

from phi_lint.catalogue import Catalogue

# Inline page tags and suppressions are found by the same cheap literal check.
TAG_MARKERS = ("phi-lint:", "phi_lint:")


class Prefilter:
    def __init__(self, catalogue: Catalogue):
        import ahocorasick

        self._automaton = ahocorasick.Automaton()
        owners: dict[str, set[str]] = {}
        for vendor in catalogue:
            literals = set(vendor.keywords)
            literals.update(p.name.lower() for p in vendor.packages)
            for literal in literals:
                owners.setdefault(literal, set()).add(vendor.id)
        for literal, vendor_ids in owners.items():
            self._automaton.add_word(literal, frozenset(vendor_ids))
        self._empty = not owners
        if not self._empty:
            self._automaton.make_automaton()

    def vendors_in(self, text: str) -> set[str]:
        """Ids of the vendors whose keywords occur in text (case-insensitive)."""
        if self._empty:
            return set()
        found: set[str] = set()
        for _, vendor_ids in self._automaton.iter(text.lower()):
            found.update(vendor_ids)
        return found


def has_tag_marker(text: str) -> bool:
    return any(marker in text for marker in TAG_MARKERS)
