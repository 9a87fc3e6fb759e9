"""The project index: what the project passes produced in the last cached run, and what they read.

The project passes (framework layouts and route tables, project-wide inference) look at the
whole repository, so a pre-commit run that names ten files would redo them over twenty thousand.
Their outputs (the page graph's project edges, the project inferences, the notices they gave)
are a function of:

- the phi-lint code and data, the configuration and the list of files: the cache key, so the
  index lives in the cache folder of that key and goes with it;
- what pass 1 found in each file that the passes see: its kind, page-graph edges, unresolved
  names and hints (`project_digest`);
- the run's tag-manager container edges (the page graph they walk includes them);
- the text of each file the passes read (RepoIndex.read_log).

The index keeps one digest of every file's digest (`files_digest`, in the run's file order), the
container edges' digest, and each file read with its stat and a digest of its text. A run
reuses the outputs when its files give the same digest of digests (a file whose stat the
cache's merged state holds takes its digest from there, phi_lint.cachestate; the others are
digested from their outcomes), the container edges are the same, and every file read has the
same stat or the same text (a file touched but not changed, as `git stash` / `git checkout`
leave them).
Otherwise the passes run again and a new index is written. The index is data only (JSON,
checked by phi_lint.cachecodec); one that is not what phi-lint writes is not used.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field

from phi_lint.models import Notification

FORMAT = 3  # 3: one digest of the files' digests (their stats are the merged state's); 1-2: a digest a file
_NO_STAT = (-1, -1)


def _digest(data: str) -> str:
    return hashlib.blake2b(data.encode("utf-8", "surrogatepass"), digest_size=10).hexdigest()


def project_digest(outcome) -> str:
    """What the project passes see of one file's pass-1 outcome, as a short digest."""
    return _digest(repr((outcome.kind, outcome.edges, outcome.missing, outcome.hints)))


def files_digest(digests: dict[str, str]) -> str:
    """One digest of every file's project digest, in the run's file order (the same for a key)."""
    return _digest("\n".join([f"{rel}\t{digest}" for rel, digest in digests.items()]))


def containers_digest(edges: list) -> str:
    return _digest(repr(sorted(edges)))


def text_digest(text: str | None) -> str:
    return "none" if text is None else _digest(text)


def stat_pair(info: os.stat_result | None) -> tuple[int, int]:
    return _NO_STAT if info is None else (info.st_size, info.st_mtime_ns)


@dataclass
class ProjectOutputs:
    """What the project passes gave: edges and notices of the page graph's pass, inferences
    and notices of inference's; `repo_notes` are the RepoIndex notices of both."""

    edges: list = field(default_factory=list)
    graph_notes: list[Notification] = field(default_factory=list)
    inferences: list = field(default_factory=list)
    inference_notes: list[Notification] = field(default_factory=list)
    repo_notes: list[Notification] = field(default_factory=list)


@dataclass
class ProjectIndex:
    files: str  # files_digest of the run that made the outputs
    containers: str
    reads: dict[str, tuple[int, int, str]]  # rel -> (size, mtime_ns, text_digest)
    outputs: ProjectOutputs

    def reusable(self, digests: dict[str, str], containers: str, stat_of, text_of) -> bool:
        """Whether the outputs hold for a run with these file digests and container edges;
        stat_of(rel) and text_of(rel) give what a file the passes read is like now."""
        if containers != self.containers or files_digest(digests) != self.files:
            return False
        for rel, (size, mtime_ns, digest) in self.reads.items():
            if stat_pair(stat_of(rel)) == (size, mtime_ns) and size >= 0:
                continue
            if text_digest(text_of(rel)) != digest:
                return False
        return True


# -- on disk ---------------------------------------------------------------------------------


def encode(index: ProjectIndex, key: str) -> bytes:
    from phi_lint.cachecodec import EDGE, INFERENCE, NOTIFICATION

    out = index.outputs
    notes = NOTIFICATION.encode
    document = {
        "phi-lint-project": FORMAT,
        "key": key,
        "files": index.files,
        "containers": index.containers,
        "reads": {rel: list(entry) for rel, entry in index.reads.items()},
        "edges": [EDGE.encode(edge) for edge in out.edges],
        "graph_notes": [notes(n) for n in out.graph_notes],
        "inferences": [INFERENCE.encode(item) for item in out.inferences],
        "inference_notes": [notes(n) for n in out.inference_notes],
        "repo_notes": [notes(n) for n in out.repo_notes],
    }
    return json.dumps(document, separators=(",", ":"), allow_nan=False).encode("ascii")


_KEYS = {"phi-lint-project", "key", "files", "containers", "reads", "edges", "graph_notes", "inferences",
         "inference_notes", "repo_notes"}


def decode(data: bytes | None, key: str) -> ProjectIndex | None:
    """The index in `data`, or None when absent, of another key, or not what phi-lint writes."""
    from phi_lint.cachecodec import EDGE, INFERENCE, NOTIFICATION, Invalid

    if not data:
        return None
    try:
        document = json.loads(data)
        if type(document) is not dict or document.keys() != _KEYS:
            return None
        if document["phi-lint-project"] != FORMAT or document["key"] != key:
            return None
        notes = NOTIFICATION.decode
        outputs = ProjectOutputs(
            [EDGE.decode(e) for e in _list(document["edges"])],
            [notes(n) for n in _list(document["graph_notes"])],
            [INFERENCE.decode(i) for i in _list(document["inferences"])],
            [notes(n) for n in _list(document["inference_notes"])],
            [notes(n) for n in _list(document["repo_notes"])],
        )
        containers, files = document["containers"], document["files"]
        if type(containers) is not str or type(files) is not str:
            return None
        return ProjectIndex(files, containers, _entries(document["reads"]), outputs)
    except (Invalid, ValueError, TypeError, RecursionError):
        return None


def _list(value) -> list:
    if type(value) is not list:
        raise ValueError("not a list")
    return value


def _entries(value) -> dict[str, tuple[int, int, str]]:
    if type(value) is not dict:
        raise ValueError("not a mapping")
    out = {}
    for rel, entry in value.items():
        if (type(entry) is not list or len(entry) != 3 or type(entry[0]) is not int or type(entry[1]) is not int
                or type(entry[2]) is not str):
            raise ValueError("a malformed entry")
        out[rel] = (entry[0], entry[1], entry[2])
    return out
