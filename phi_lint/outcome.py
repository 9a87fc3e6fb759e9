"""What one file contributes to a scan (pass 1), as the workers return it and the cache keeps it."""

from __future__ import annotations

from dataclasses import dataclass, field

from phi_lint.models import Notification, Sighting


@dataclass
class FileOutcome:
    rel: str
    kind: str
    notifications: list[Notification] = field(default_factory=list)  # of reading it: given in every run
    # of analysing it (sightings, senders, config switches, what a tracker's page says of itself),
    # done only when the run reports on the file: a cached outcome analysed for an earlier run over
    # everything gives these only to a run that reports on the file too, as --no-cache would
    analysis_notices: list[Notification] = field(default_factory=list)
    sightings: list[Sighting] = field(default_factory=list)
    edges: list = field(default_factory=list)
    inferences: list = field(default_factory=list)
    missing: list = field(default_factory=list)
    tags: list[tuple[str, int]] = field(default_factory=list)
    directives: list = field(default_factory=list)
    containers: list[str] = field(default_factory=list)
    page: bool = False
    page_inferences: list | None = None  # what the page says of itself, when it holds a sighting
    hints: tuple[str, ...] = ()  # for the project passes (InferenceRunner.file_hints)
    scanned: bool = False
    skipped: bool = False


@dataclass
class UnchangedRun:
    """Consecutive files (in file order) whose outcomes hold only edges, unresolved names and
    hints, as the cache's merged state keeps them (phi_lint.cachestate): merged as a whole, so
    a run with ten changed files builds no outcome for the other thousands."""

    files: list[tuple[str, str, bool, bool, bool, tuple[str, ...], str]] = field(default_factory=list)
    # (rel, kind, page, scanned, skipped, hints, project digest) of each file
    edges: list = field(default_factory=list)
    missing: list = field(default_factory=list)
