"""The merged state: what every file contributed to the last run, in one cache record.

A pre-commit run names ten files of a repository of twenty thousand, yet the page graph and the
project passes need what every other file contributed. Decoding sixteen thousand per-file
outcomes from the cache shards, one record each, was most of such a run's time. The state keeps
the same data in columns instead: one row of plain values a file (its stat, kind, page flag,
hints, project digest) and the page-graph edges and unresolved names of all files as two flat
lists, so a run reads one JSON document and turns whole columns into objects at once. The few
files that contributed anything else (sightings, notices, inferences, tags, directives,
containers, what the page says of itself) keep their whole outcome in their row.

A row holds while the file has the size and modification time the row was made from, as a shard
entry does: the row was made from exactly that outcome, under the same cache key (code, data,
configuration, options, list of files, shared inputs), so a file whose stat differs is looked
up in its shard or read again, and the rest of the state still holds. Rows are only ever made
from shard entries whose stat is the one the run saw (phi_lint.cache.FileCache.state_out).

The state is data only (JSON), checked when read like the shards (phi_lint.cachecodec): a
document that is not what phi-lint writes is not used, with a note.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from phi_lint.outcome import FileOutcome

FORMAT = 1
NAME = "state.json"  # in the scan-<key>/ folder, beside the shards
_KEYS = {"phi-lint-state", "key", "files", "edges", "missing"}
_ROW_LENGTH = 14
# rel, size, mtime_ns, analysed, kind, page, scanned, skipped, digest, edges, missing (counts)
_ROW_KINDS = [str, int, int, bool, str, bool, bool, bool, str, int, int]


@dataclass
class Row:
    """One file of the state: the stat its outcome was made from and that outcome, either in
    parts (`outcome` None: only edges, unresolved names and hints) or whole."""

    size: int
    mtime_ns: int
    analysed: bool  # sightings were computed (the file was reported on in that run)
    kind: str
    page: bool
    scanned: bool
    skipped: bool
    digest: str  # phi_lint.projectindex.project_digest of the outcome
    hints: tuple[str, ...]
    edges: list
    missing: list
    outcome: FileOutcome | None  # the whole outcome of a file that contributed more
    pages: list | None  # what the page says of itself (pass 2) as written; decoded when asked

    def holds(self, size: int, mtime_ns: int) -> bool:
        return self.size == size and self.mtime_ns == mtime_ns


def is_plain(outcome: FileOutcome) -> bool:
    """Whether the outcome is all in a row's parts (nothing but edges, unresolved names, hints)."""
    return not (outcome.notifications or outcome.sightings or outcome.inferences or outcome.tags
                or outcome.directives or outcome.containers or outcome.page_inferences is not None)


def encode(key: str, entries) -> bytes:
    """The state of `entries`: (rel, size, mtime_ns, analysed, outcome, pages, digest) in file
    order. TypeError/ValueError for a value the reader would refuse."""
    from phi_lint.cachecodec import EDGE, INFERENCES, INT, OUTCOME, STR, Invalid, _Exact, fixed_tuple, tuple_of

    encode_edge, encode_missing = EDGE.encode, fixed_tuple(STR, STR, INT).encode
    encode_hints, check_row = tuple_of(STR).encode, _Exact(_ROW_KINDS).check
    files: list[list] = []
    edges: list[list] = []
    missing: list[list] = []
    for rel, size, mtime_ns, analysed, outcome, pages, digest in entries:
        plain = is_plain(outcome)
        row = [rel, size, mtime_ns, analysed, outcome.kind, outcome.page, outcome.scanned, outcome.skipped, digest,
               len(outcome.edges) if plain else 0, len(outcome.missing) if plain else 0,
               encode_hints(outcome.hints) if plain else [],
               None if plain else OUTCOME.encode(outcome),
               None if pages is None else INFERENCES.encode(pages)]
        try:
            check_row(row[:11])
        except Invalid as exc:
            raise TypeError(str(exc)) from None
        if plain:
            edges.extend(encode_edge(edge) for edge in outcome.edges)
            missing.extend(encode_missing(item) for item in outcome.missing)
        files.append(row)
    document = {"phi-lint-state": FORMAT, "key": key, "files": files, "edges": edges, "missing": missing}
    return json.dumps(document, separators=(",", ":"), allow_nan=False).encode("ascii")


def decode(data: bytes, key: str) -> dict[str, Row] | None:
    """The rows of a state document, by file; None when it is of another version or key.
    Invalid (a ValueError) when it is not what phi-lint writes."""
    from phi_lint.cachecodec import EDGE, INT, OUTCOME, STR, Invalid, _Exact, fixed_tuple, tuple_of

    document = json.loads(data, parse_constant=_no_constants)
    if type(document) is not dict or document.keys() != _KEYS:
        raise Invalid("not a phi-lint state file")
    if document["phi-lint-state"] != FORMAT or document["key"] != key:
        return None
    files, edge_rows, missing_rows = document["files"], document["edges"], document["missing"]
    if type(files) is not list or type(edge_rows) is not list or type(missing_rows) is not list:
        raise Invalid("a column that is not a list")
    edges = [EDGE.decode(item) for item in edge_rows]
    decode_missing = fixed_tuple(STR, STR, INT).decode
    missing = [decode_missing(item) for item in missing_rows]
    check_row, decode_hints, decode_outcome = _Exact(_ROW_KINDS).check, tuple_of(STR).decode, OUTCOME.decode
    rows: dict[str, Row] = {}
    at_edge = at_missing = 0
    for fields in files:
        if type(fields) is not list or len(fields) != _ROW_LENGTH:
            raise Invalid("a malformed row")
        head = fields[:11]
        check_row(head)
        rel, size, mtime_ns, analysed, kind, page, scanned, skipped, digest, edge_count, missing_count = head
        if edge_count < 0 or missing_count < 0 or rel in rows:
            raise Invalid(f"row {rel!r} is malformed")
        outcome = None if fields[12] is None else decode_outcome(fields[12])
        if outcome is not None and (outcome.rel != rel or edge_count or missing_count):
            raise Invalid(f"row {rel!r} holds another file's outcome")
        pages = fields[13]
        if pages is not None and type(pages) is not list:
            raise Invalid(f"row {rel!r} has malformed pages")
        rows[rel] = Row(size, mtime_ns, analysed, kind, page, scanned, skipped, digest, decode_hints(fields[11]),
                        edges[at_edge:at_edge + edge_count], missing[at_missing:at_missing + missing_count],
                        outcome, pages)
        at_edge += edge_count
        at_missing += missing_count
    if at_edge != len(edges) or at_missing != len(missing):
        raise Invalid("the columns do not add up")
    return rows


def decode_pages(row: Row) -> list | None:
    """What the page says of itself, as the row holds it; None when absent or malformed (the
    shard is asked instead)."""
    from phi_lint.cachecodec import INFERENCES, Invalid

    if row.pages is None:
        return None
    try:
        return INFERENCES.decode(row.pages)
    except (Invalid, RecursionError):
        return None


def _no_constants(name: str):
    raise ValueError(f"{name} is not something phi-lint writes")
