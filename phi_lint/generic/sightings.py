"""Sightings of a file read as plain text: the catalogue matched against its plain-text facts."""

from __future__ import annotations

from dataclasses import replace

from phi_lint.generic.reader import plain_text_facts
from phi_lint.models import Sighting
from phi_lint.sightings import CatalogueIndex, cluster, match_facts

# said in every finding of such a file (policy appends a sighting's notes to its message)
PLAIN_TEXT_NOTE = "Read as plain text: its pages and guards are unknown."


def plain_text_sightings(text: str, rel: str, index: CatalogueIndex, vendor_ids: set[str]) -> list[Sighting]:
    """The trackers of one file no dialect models, each marked as read as plain text."""
    facts = plain_text_facts(text, frozenset(index.calls))
    found = cluster(match_facts(facts, index, vendor_ids), text, rel)
    return [replace(s, details={**(s.details or {}), "readAs": "plain text", "notes": [PLAIN_TEXT_NOTE]})
            for s in found]
