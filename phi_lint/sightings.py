"""Catalogue × facts → sightings: which vendor each URL, call, assignment or import belongs to."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from phi_lint.catalogue import Catalogue, Vendor
from phi_lint.models import Sighting, Span
from phi_lint.parsers.facts import FileFacts
from phi_lint.textio import LineIndex

MERGE_GAP_LINES = 5  # sightings of a vendor this close together are one snippet

_URL_KINDS = {
    "script": "script",
    "img": "pixel",
    "iframe": "iframe",
    "link": "link",
    "source": "embed",
    "embed": "embed",
}


# when two signatures match the same code, the stronger evidence names the sighting
_KIND_PRIORITY = {
    kind: i
    for i, kind in enumerate(
        ["script", "pixel", "iframe", "link", "embed", "component", "package", "inline-script", "call", "assignment", "url"]
    )
}


class CatalogueIndex:
    """Look-up tables over the catalogue, built once per run."""

    def __init__(self, catalogue: Catalogue):
        self.catalogue = catalogue
        self.calls: dict[str, list] = {}
        self.assignments: dict[str, list] = {}
        self.packages: dict[str, list] = {}
        for vendor in catalogue:
            for sig in vendor.calls:
                self.calls.setdefault(sig.callee, []).append((vendor, sig))
            for sig in vendor.assignments:
                self.assignments.setdefault(sig.target, []).append((vendor, sig))
            for sig in vendor.packages:
                self.packages.setdefault(sig.name, []).append((vendor, sig))
        self.package_names = frozenset(self.packages)


@dataclass
class _Hit:
    vendor: Vendor
    kind: str
    start: int
    end: int
    account_id: str | None
    capabilities: tuple[str, ...]
    signature: str


def _in_ranges(offset: int, starts: list[int], ranges: list[tuple[int, int]]) -> bool:
    i = bisect.bisect_right(starts, offset) - 1
    return i >= 0 and ranges[i][0] <= offset < ranges[i][1]


def _args_match(patterns, args) -> bool:
    for i, pattern in enumerate(patterns):
        if pattern is None:
            continue
        if i >= len(args) or args[i] is None or not pattern.search(args[i]):
            return False
    return True


def match_facts(facts: FileFacts, index: CatalogueIndex, vendor_ids: set[str]) -> list[_Hit]:
    ranges = sorted(facts.inline_ranges)
    starts = [r[0] for r in ranges]

    def inline(offset: int) -> bool:
        return bool(ranges) and _in_ranges(offset, starts, ranges)

    hits: list[_Hit] = []
    vendors = [v for v in index.catalogue if v.id in vendor_ids]
    for fact in facts.urls:
        for vendor in vendors:
            for sig in vendor.urls:
                match = sig.pattern.search(fact.value)
                if not match:
                    continue
                if fact.context == "js":
                    kind = "inline-script" if inline(fact.start) else "url"
                else:
                    kind = _URL_KINDS.get(fact.context, "script")
                account = match.groupdict().get("id") if "id" in sig.pattern.groupindex else None
                hits.append(
                    _Hit(vendor, kind, fact.start, fact.end, vendor.valid_id(account),
                         sig.capabilities, f"url {sig.pattern.pattern}")
                )
                break
    for call in facts.calls:
        for vendor, sig in index.calls.get(call.callee, ()):
            if vendor.id not in vendor_ids or not _args_match(sig.args, call.args):
                continue
            account = None
            if sig.id_arg is not None and sig.id_arg < len(call.args):
                account = vendor.valid_id(call.args[sig.id_arg])
            kind = "inline-script" if inline(call.start) else "call"
            hits.append(_Hit(vendor, kind, call.start, call.end, account, sig.capabilities,
                             f"call {sig.callee}"))
    for assignment in facts.assignments:
        for vendor, sig in index.assignments.get(assignment.target, ()):
            if vendor.id not in vendor_ids:
                continue
            kind = "inline-script" if inline(assignment.start) else "assignment"
            hits.append(_Hit(vendor, kind, assignment.start, assignment.end, None, sig.capabilities,
                             f"assignment {sig.target}"))
    for use in facts.package_uses:
        for vendor, sig in index.packages.get(use.module, ()):
            if vendor.id not in vendor_ids:
                continue
            if use.side_effect:
                if sig.imports is not None or sig.uses is not None:
                    continue
            else:
                if sig.imports is not None and use.binding not in sig.imports:
                    continue
                if sig.uses is not None and use.binding in ("default", "*") and use.member not in sig.uses:
                    continue
            kind = "component" if use.jsx else "package"
            hits.append(_Hit(vendor, kind, use.start, use.end, None, sig.capabilities,
                             f"package {sig.name}"))
    return hits


def _snippet(text: str, start: int, end: int) -> str:
    line_end = text.find("\n", start, end)
    piece = text[start : line_end if line_end != -1 else end].strip()
    return piece if len(piece) <= 120 else piece[:117] + "..."


def cluster(
    hits: list[_Hit],
    text: str,
    path: str,
    lines: LineIndex | None = None,
    inline_ranges: list[tuple[int, int]] | None = None,
) -> list[Sighting]:
    """Merge a vendor's hits that sit within MERGE_GAP_LINES of each other into one sighting.

    A hit inside an inline script counts as spanning that whole script element, so the parts of
    one official snippet (a loader tag, an inline init block, a noscript pixel) stay one sighting
    even when the vendor's own snippet has blank lines between them.
    """
    if not hits:
        return []
    lines = lines or LineIndex(text)
    ranges = sorted(inline_ranges or [])
    range_starts = [r[0] for r in ranges]

    def extent(hit: _Hit) -> tuple[int, int]:
        first = lines.position(hit.start)[0]
        last = lines.position(max(hit.end - 1, hit.start))[0]
        i = bisect.bisect_right(range_starts, hit.start) - 1
        while i >= 0:  # the innermost enclosing range starts last
            start, end = ranges[i]
            if start <= hit.start < end:
                return min(first, lines.position(start)[0]), max(last, lines.position(max(end - 1, start))[0])
            i -= 1
        return first, last

    by_vendor: dict[str, list[_Hit]] = {}
    for hit in hits:
        by_vendor.setdefault(hit.vendor.id, []).append(hit)
    sightings: list[Sighting] = []
    for vendor_hits in by_vendor.values():
        vendor_hits.sort(key=lambda h: (h.start, _KIND_PRIORITY.get(h.kind, 99), h.end))
        groups: list[list[_Hit]] = []
        group_end = 0
        for hit in vendor_hits:
            line, end_line = extent(hit)
            if groups and line - group_end <= MERGE_GAP_LINES:
                groups[-1].append(hit)
                group_end = max(group_end, end_line)
            else:
                groups.append([hit])
                group_end = end_line
        for group in groups:
            first = group[0]
            vendor = first.vendor
            line, column = lines.position(first.start)
            end_line, end_column = lines.position(max(first.end, first.start + 1))
            capabilities = set(vendor.capabilities)
            for hit in group:
                capabilities.update(hit.capabilities)
            sightings.append(
                Sighting(
                    vendor_id=vendor.id,
                    path=path,
                    span=Span(line, column, end_line, end_column),
                    kind=first.kind,
                    snippet=_snippet(text, first.start, first.end),
                    account_id=next((h.account_id for h in group if h.account_id), None),
                    capabilities=tuple(sorted(capabilities)),
                    signature=first.signature,
                    lines=tuple(sorted({lines.position(h.start)[0] for h in group})),
                )
            )
    sightings.sort(key=lambda s: (s.span, s.vendor_id))
    return sightings
