"""One sighting per third-party host (and classification) and file: its vendor_id is the host.

A host name always holds a dot and a vendor id never does, so the two cannot be mistaken for
each other, and the host is in every place a vendor id is: the fingerprint, `--statistics`,
the JSON `vendor` field, the expected-findings files.
"""

from __future__ import annotations

from phi_lint.models import Sighting, Span
from phi_lint.textio import LineIndex
from phi_lint.thirdparty import HOST_KEY
from phi_lint.thirdparty.classify import HostClassifier
from phi_lint.thirdparty.loads import file_loads

SNIPPET_LENGTH = 120


def _snippet(text: str, start: int, end: int) -> str:
    line_end = text.find("\n", start, end)
    piece = text[start : line_end if line_end != -1 else end].strip()
    return piece if len(piece) <= SNIPPET_LENGTH else piece[: SNIPPET_LENGTH - 3] + "..."


def host_sightings(facts, text: str, rel: str, classifier: HostClassifier) -> list[Sighting]:
    """The file's third-party loads, grouped by host and classification, located at the first."""
    groups: dict[tuple, list] = {}
    for load in file_loads(facts, text):
        kind = classifier.classify(load.url, load.host)
        groups.setdefault((load.host, kind), []).append(load)
    if not groups:
        return []
    lines = LineIndex(text)
    found = []
    for (host, kind), loads in groups.items():
        first = loads[0]
        line, column = lines.position(first.start)
        end_line, end_column = lines.position(max(first.end, first.start + 1))
        details = {HOST_KEY: host, "url": first.url, "load": first.shape, "classified": kind.classified, "match": kind.match}
        if kind.name:
            details["libraryCdn"] = kind.name
        found.append(
            Sighting(
                vendor_id=host,
                path=rel,
                span=Span(line, column, end_line, end_column),
                kind=first.kind,
                snippet=_snippet(text, first.start, first.end),
                signature=f"third-party {first.shape}",
                lines=tuple(sorted({lines.position(load.start)[0] for load in loads})),
                details=details,
            )
        )
    found.sort(key=lambda s: (s.span, s.vendor_id))
    return found
