"""The merged state: what every file contributed to the last run, in one cache record.

A pre-commit run names ten files of a repository of twenty thousand, yet the page graph and the
project passes need what every other file contributed. Decoding sixteen thousand per-file
outcomes from the cache shards, one record each, was most of such a run's time. The state keeps
the same data in columns instead: a column per field of plain values (path, size, modification
time, flags, kind, project digest, how many edges and unresolved names), the page-graph edges
and unresolved names of all files as columns too, so a run reads one JSON document, checks each
column's types at once and builds only the edges. The few files that contributed anything else
(sightings, notices, inferences, tags, directives, containers, what the page says of itself)
keep their whole outcome, by index; so do the hints of the files that have any.

A row holds while the file has the size and modification time the row was made from, as a shard
entry does: the row was made from exactly that outcome, under the same cache key (code, data,
configuration, options, list of files, shared inputs), so a file whose stat differs is looked
up in its shard or read again, and the rest of the state still holds. Rows are only ever made
from shard entries whose stat is the one the run saw (phi_lint.cache.FileCache._state_out).

The state is data only (JSON), checked when read like the shards (phi_lint.cachecodec): a
document that is not what phi-lint writes is not used, with a note.
"""

from __future__ import annotations

import json
from itertools import accumulate

from phi_lint.outcome import FileOutcome, UnchangedRun
from phi_lint.pagegraph.model import Edge

FORMAT = 2  # 2: columns; 1: a row a file
NAME = "state.json"  # in the scan-<key>/ folder, beside the shards
_KEYS = {"phi-lint-state", "key", "files", "edges", "missing", "hints", "outcomes", "pages"}
ANALYSED, PAGE, SCANNED, SKIPPED = 1, 2, 4, 8  # the bits of a file's flags
_FILE_COLUMNS = {"rel": str, "size": int, "mtime": int, "flags": int, "kind": str, "digest": str, "edges": int,
                 "missing": int}
_EDGE_COLUMNS = {"source": str, "target": str, "kind": str, "line": int, "detail": str}
_MISSING_COLUMNS = {"source": str, "name": str, "line": int}
_EDGE_FIELDS = tuple(_EDGE_COLUMNS)  # Edge's fields, in order
INT_LIMIT = 2**63


class State:
    """The files of the merged state, by position: `find` gives a file's position when its
    stat is the one its outcome was made from."""

    def __init__(self, files: dict[str, list], edges: list, missing: list, hints: dict[int, tuple[str, ...]],
                 outcomes: dict[int, FileOutcome], pages: dict[int, list]):
        self.rels, self.sizes, self.mtimes = files["rel"], files["size"], files["mtime"]
        self.flags, self.kinds, self.digests = files["flags"], files["kind"], files["digest"]
        self.position = {rel: i for i, rel in enumerate(self.rels)}
        self.edges, self.missing = edges, missing
        self.edge_ends = list(accumulate(files["edges"]))
        self.missing_ends = list(accumulate(files["missing"]))
        self.hints, self.outcomes, self._pages = hints, outcomes, pages

    def find(self, rel: str, size: int, mtime_ns: int) -> int | None:
        i = self.position.get(rel)
        if i is None or self.sizes[i] != size or self.mtimes[i] != mtime_ns:
            return None
        return i

    def analysed(self, i: int) -> bool:
        return bool(self.flags[i] & ANALYSED)

    def outcome(self, i: int) -> FileOutcome | None:
        """The whole outcome of a file that contributed more than edges, names and hints."""
        return self.outcomes.get(i)

    def add_to(self, i: int, run: UnchangedRun) -> None:
        """File i (one without a whole outcome) at the end of an UnchangedRun."""
        flags = self.flags[i]
        run.files.append((self.rels[i], self.kinds[i], bool(flags & PAGE), bool(flags & SCANNED),
                          bool(flags & SKIPPED), self.hints.get(i, ()), self.digests[i]))
        end = self.edge_ends[i]
        start = self.edge_ends[i - 1] if i else 0
        if end > start:
            run.edges.extend(self.edges[start:end])
        end = self.missing_ends[i]
        start = self.missing_ends[i - 1] if i else 0
        if end > start:
            run.missing.extend(self.missing[start:end])

    def pages(self, i: int) -> list | None:
        """What page i says of itself, as the state holds it; None when absent or malformed (the
        shard is asked instead)."""
        from phi_lint.cachecodec import INFERENCES, Invalid

        raw = self._pages.get(i)
        if raw is None:
            return None
        try:
            return INFERENCES.decode(raw)
        except (Invalid, RecursionError):
            return None


def empty() -> State:
    """A state that holds no file (none written yet, or one not usable)."""
    columns: dict[str, list] = {name: [] for name in _FILE_COLUMNS}
    return State(columns, [], [], {}, {}, {})


# FileOutcome's fields as the state keeps them: in the columns of every file, or (any of the rest
# not empty) by keeping the whole outcome; a field added to FileOutcome must be added here
IN_COLUMNS = ("rel", "kind", "edges", "missing", "hints", "page", "scanned", "skipped")
WHOLE_ONLY = ("notifications", "analysis_notices", "sightings", "inferences", "tags", "directives", "containers", "page_inferences")


def is_plain(outcome: FileOutcome) -> bool:
    """Whether the outcome is all in the columns (nothing but edges, unresolved names, hints)."""
    return not (outcome.notifications or outcome.analysis_notices or outcome.sightings or outcome.inferences or outcome.tags
                or outcome.directives or outcome.containers or outcome.page_inferences is not None)


def encode(key: str, entries) -> bytes:
    """The state of `entries`: (rel, size, mtime_ns, analysed, outcome, pages, digest) in file
    order. TypeError/ValueError for a value the reader would refuse."""
    from phi_lint.cachecodec import INFERENCES, OUTCOME, STR, tuple_of

    encode_hints = tuple_of(STR).encode
    files: dict[str, list] = {name: [] for name in _FILE_COLUMNS}
    edges: dict[str, list] = {name: [] for name in _EDGE_COLUMNS}
    missing: dict[str, list] = {name: [] for name in _MISSING_COLUMNS}
    hints, outcomes, pages_of = [], [], []
    for i, (rel, size, mtime_ns, analysed, outcome, pages, digest) in enumerate(entries):
        plain = is_plain(outcome)
        flags = (ANALYSED * analysed) | (PAGE * outcome.page) | (SCANNED * outcome.scanned) | (SKIPPED * outcome.skipped)
        for name, value in (("rel", rel), ("size", size), ("mtime", mtime_ns), ("flags", flags), ("kind", outcome.kind),
                            ("digest", digest), ("edges", len(outcome.edges) if plain else 0),
                            ("missing", len(outcome.missing) if plain else 0)):
            files[name].append(value)
        if plain:
            for edge in outcome.edges:
                for name in _EDGE_FIELDS:
                    edges[name].append(getattr(edge, name))
            for item in outcome.missing:
                for name, value in zip(_MISSING_COLUMNS, item):
                    missing[name].append(value)
            if outcome.hints:
                hints.append([i, encode_hints(outcome.hints)])
        else:
            outcomes.append([i, OUTCOME.encode(outcome)])
        if pages is not None:
            pages_of.append([i, INFERENCES.encode(pages)])
    for columns, kinds in ((files, _FILE_COLUMNS), (edges, _EDGE_COLUMNS), (missing, _MISSING_COLUMNS)):
        for name, kind in kinds.items():
            if not _typed(columns[name], kind):
                raise TypeError(f"a value of column {name} that is not a {kind.__name__}")
    document = {"phi-lint-state": FORMAT, "key": key, "files": files, "edges": edges, "missing": missing,
                "hints": hints, "outcomes": outcomes, "pages": pages_of}
    return json.dumps(document, separators=(",", ":"), allow_nan=False).encode("ascii")


def decode(data: bytes, key: str) -> State | None:
    """The state in a document; None when it is of another version or key. Invalid (a
    ValueError) when it is not what phi-lint writes."""
    from phi_lint.cachecodec import OUTCOME, STR, Invalid, tuple_of

    document = json.loads(data, parse_constant=_no_constants)
    if type(document) is not dict or document.keys() != _KEYS:
        raise Invalid("not a phi-lint state file")
    if document["phi-lint-state"] != FORMAT or document["key"] != key:
        return None
    files = columns(document["files"], _FILE_COLUMNS)
    count = len(files["rel"])
    if len(set(files["rel"])) != count:
        raise Invalid("a file named twice")
    if count and (min(files["flags"]) < 0 or max(files["flags"]) > 15):
        raise Invalid("flags out of range")
    edge_columns = columns(document["edges"], _EDGE_COLUMNS)
    missing_columns = columns(document["missing"], _MISSING_COLUMNS)
    for name, total in (("edges", len(edge_columns["source"])), ("missing", len(missing_columns["source"]))):
        counts = files[name]
        if count and min(counts) < 0 or sum(counts) != total:
            raise Invalid("the columns do not add up")
    new, fields = object.__new__, _EDGE_FIELDS
    edges = []
    for values in zip(*edge_columns.values()):
        edge = new(Edge)
        edge.__dict__.update(zip(fields, values))  # Edge computes nothing in __init__ (cachecodec builds it so too)
        edges.append(edge)
    missing = list(zip(*missing_columns.values()))
    decode_hints = tuple_of(STR).decode
    hints = {i: decode_hints(value) for i, value in _by_position(document["hints"], count)}
    outcomes = {}
    for i, value in _by_position(document["outcomes"], count):
        outcome = outcomes[i] = OUTCOME.decode(value)
        if outcome.rel != files["rel"][i] or files["edges"][i] or files["missing"][i]:
            raise Invalid("a file's entry holds another file's outcome")
    pages = dict(_by_position(document["pages"], count))
    return State(files, edges, missing, hints, outcomes, pages)


def _typed(column, kind: type) -> bool:
    """Whether every value of a column is exactly of its type (bool is not int), ints bounded."""
    if type(column) is not list or not set(map(type, column)) <= {kind}:
        return False
    return kind is not int or not column or (-INT_LIMIT < min(column) and max(column) < INT_LIMIT)


def columns(value, kinds: dict[str, type]) -> dict[str, list]:
    """Columns of one length, each of its type, in the declared order."""
    from phi_lint.cachecodec import Invalid

    if type(value) is not dict or value.keys() != kinds.keys():
        raise Invalid("columns missing or unknown")
    lengths = {len(column) if type(column) is list else -1 for column in value.values()}
    if len(lengths) != 1 or not all(_typed(value[name], kind) for name, kind in kinds.items()):
        raise Invalid("a column of the wrong type or length")
    return {name: value[name] for name in kinds}


def _by_position(value, count: int):
    """(position, value) pairs of a sparse column, each position once and in range."""
    from phi_lint.cachecodec import Invalid

    if type(value) is not list:
        raise Invalid("a sparse column that is not a list")
    seen = set()
    for item in value:
        if type(item) is not list or len(item) != 2 or type(item[0]) is not int or not 0 <= item[0] < count:
            raise Invalid("a malformed sparse entry")
        if item[0] in seen:
            raise Invalid("a file twice in a sparse column")
        seen.add(item[0])
        yield item[0], item[1]


def _no_constants(name: str):
    raise ValueError(f"{name} is not something phi-lint writes")
