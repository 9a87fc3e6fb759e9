"""The two passes of a scan over files: in this process or a pool of workers, cached when unchanged.

1. Every file: sightings, page-graph edges, route inferences, tags and directives
   (`FileProcessor.process`), merged in file order.
2. After the page graph is built, only the pages a tracker reaches and the layouts they extend:
   what each page says of itself (titles, headings, text, forms, path, login form). A page no
   tracker reaches cannot change a finding, so it is not read a second time.

One pool serves both passes, so a large scan starts its workers once; a small one (pre-commit)
never starts a pool.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from phi_lint.fileworker import (
    FileProcessor,
    infer_pages,
    infer_pages_in_worker,
    init_worker,
    process_in_worker,
    reporter,
)
from phi_lint.models import Notification
from phi_lint.outcome import UnchangedRun

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from phi_lint.cache import FileCache

PARALLEL_MIN_FILES = 400  # below this, a pool costs more to start than it saves
PARALLEL_MIN_PAGES = 400
MAX_CHUNK, MAX_PAGE_CHUNK = 128, 256  # files per task: fewer tasks, less inter-process traffic


def _chunk(count: int, workers: int, largest: int) -> int:
    """Tasks big enough to amortise the hand-over, small enough that every worker gets ~8."""
    return max(8, min(largest, count // (workers * 8) or 1))


def _before_forking() -> None:
    """What every worker needs, done once here when workers are forked (they inherit it): the
    framework modules imported and the lazy patterns compiled (phi_lint.lazyre), as happened at
    import before those were deferred for pre-commit runs, which start no pool."""
    import multiprocessing

    if multiprocessing.get_start_method() != "fork":
        return
    from phi_lint.frameworks import registered
    from phi_lint.lazyre import compile_all

    registered()
    compile_all()


class FilePasses:
    def __init__(self, worker_args: tuple, options, config, root, report_prefixes, notifications=None):
        self.worker_args = worker_args
        self.notifications = notifications if notifications is not None else []  # the cache's notes
        self.options = options
        self.report_prefixes = report_prefixes
        # whether this file's sightings count in this run (every file, unless files were named)
        self.reported: Callable[[str], bool] = reporter(report_prefixes)
        self.workers = options.jobs or (os.cpu_count() or 1)
        self._pool: ProcessPoolExecutor | None = None
        self._stats: dict[str, os.stat_result] = {}
        self._known_pages: dict[str, list] = {}  # page inferences that came with pass 1
        self._known_digests: dict[str, str] = {}  # project digests the merged state holds (projectindex)
        self.cache: FileCache | None = None
        self._config, self._root = config, root

    # -- pass 1 ------------------------------------------------------------------------------

    def outcomes(self, files):
        """FileOutcomes in file order, from the cache where the file is unchanged; consecutive
        files the merged state holds in parts come as one UnchangedRun."""
        for outcome in self._outcomes(files):
            if type(outcome) is UnchangedRun:
                yield outcome
                continue
            if outcome.page_inferences is not None:
                self._known_pages[outcome.rel] = outcome.page_inferences
            yield outcome

    def _outcomes(self, files):
        if not self.options.use_cache:
            yield from self._computed(files)
            return
        from phi_lint.cache import FileCache, cache_base, cache_key, shared_inputs

        config, root = self._config, self._root
        for source in files:
            try:
                self._stats[source.rel] = os.stat(source.path)
            except OSError:
                pass
        # per-file edges and inferences resolve names against the list of files: a file added or
        # removed anywhere can change them, so the list is part of the key, and so are the files
        # read while resolving them (path aliases, package.json)
        listing = hashlib.sha256("\n".join(f"{f.rel}\t{f.kind}" for f in files).encode("utf-8", "surrogateescape")).hexdigest()[:16]
        flags = (config.infer, self.options.inline_ignores, config.max_file_size, self.options.default_excludes,
                 listing, str(root), shared_inputs(files, self._stats, root))
        try:
            base = cache_base(self.options.cache_dir)
        except (RuntimeError, KeyError):  # no home folder to put it in
            self.notifications.append(Notification(".", "phi-lint cache not used: no home folder; use --cache-dir",
                                                   level="note", code="cache"))
            yield from self._computed(files)
            return
        self.cache = cache = FileCache(base, config.root if config.path else root,
                                       cache_key(config, config.vendor_dirs, flags), self.notifications)
        # every file the merged state holds for its stat comes from it (those with only edges,
        # names and hints unbuilt); the others from their shard, or read again
        cache.full_run = self.report_prefixes is None
        cache.state_files, cache.state_stats = [source.rel for source in files], self._stats
        state, reported, known_digests = cache.state, self.reported, self._known_digests
        cached, positions, todo = {}, {}, []
        for source in files:
            if source.data is not None:  # standard input: not the file on disk the cache knows
                self._stats.pop(source.rel, None)
            stat = self._stats.get(source.rel)
            if stat is None:
                todo.append(source)
                continue
            wanted = reported(source.rel)
            position = cache.state_position(source.rel, stat)
            if position is None or (wanted and not state.analysed(position)):
                cache.state_misses += 1
            else:
                known_digests[source.rel] = state.digests[position]
                whole = state.outcome(position)
                if whole is None:
                    positions[source.rel] = position
                else:
                    cached[source.rel] = whole
                continue
            # (a cached outcome may hold sightings of a file not reported on now: the scan
            # leaves those out, see FilePasses.reported)
            outcome = cache.get(source.rel, stat, need_sightings=wanted)
            if outcome is None:
                todo.append(source)
            else:
                cached[source.rel] = outcome
        fresh = {}
        for outcome in self._computed(todo):
            fresh[outcome.rel] = outcome
            if outcome.rel in self._stats:
                cache.put(outcome.rel, self._stats[outcome.rel], reported(outcome.rel), outcome)
        unchanged = None
        for source in files:
            position = positions.get(source.rel)
            if position is not None:
                if unchanged is None:
                    unchanged = UnchangedRun()
                state.add_to(position, unchanged)
                continue
            if unchanged is not None:
                yield unchanged
                unchanged = None
            yield cached.get(source.rel) or fresh[source.rel]
        if unchanged is not None:
            yield unchanged
        if self.report_prefixes is None:
            cache.prune({source.rel for source in files})

    def _computed(self, files):
        bar = _Progress(len(files)) if self.options.progress else None
        try:
            if self.workers <= 1 or len(files) < PARALLEL_MIN_FILES:
                processor = FileProcessor(*self.worker_args)
                for source in files:
                    yield processor.process(source)
                    if bar:
                        bar.advance()
                return
            for outcome in self.pool().map(process_in_worker, files, chunksize=_chunk(len(files), self.workers, MAX_CHUNK)):
                yield outcome
                if bar:
                    bar.advance()
        finally:
            if bar:
                bar.close()

    def known_digest(self, rel: str) -> str | None:
        """The file's project digest (phi_lint.projectindex) as the merged state holds it for
        the stat this run saw, else None (then it is digested from its outcome)."""
        return self._known_digests.get(rel)

    def stat(self, rel: str) -> os.stat_result | None:
        """The file's stat as this run saw it before reading (None without a cache, for standard
        input, or when it could not be taken)."""
        return self._stats.get(rel)

    # -- pass 2 ------------------------------------------------------------------------------

    def page_inferences(self, pages: list[tuple[str, str]], inference) -> list:
        """What each of these (rel, kind) pages says of itself, from the cache where unchanged."""
        found, todo = [], []
        for rel, kind in pages:
            stat = self._stats.get(rel)
            known = self._known_pages.get(rel)
            if known is None and self.cache is not None and stat is not None:
                known = self.cache.get_pages(rel, stat)
            if known is None:
                todo.append((rel, kind))
            else:
                found.extend(known)
        size = _chunk(len(todo), self.workers, MAX_PAGE_CHUNK)
        chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
        if self.workers > 1 and len(todo) >= PARALLEL_MIN_PAGES:
            done = self.pool().map(infer_pages_in_worker, chunks)
        else:
            done = (infer_pages(chunk, inference, self._root, self._config.max_file_size) for chunk in chunks)
        bar = _Progress(len(todo), "pages judged") if self.options.progress else None
        results = []
        for chunk_results, chunk in zip(done, chunks):
            results.extend(chunk_results)
            if bar:
                bar.advance(len(chunk))
        if bar:
            bar.close()
        for rel, inferred, notes in results:
            found.extend(inferred)
            inference.notifications.extend(notes)
            stat = self._stats.get(rel)
            if self.cache is not None and stat is not None:
                self.cache.put_pages(rel, stat, inferred)
        return found

    # -- the pool ----------------------------------------------------------------------------

    def pool(self):
        if self._pool is None:
            from concurrent.futures import ProcessPoolExecutor

            _before_forking()
            self._pool = ProcessPoolExecutor(max_workers=self.workers, initializer=init_worker, initargs=self.worker_args)
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        if self.cache is not None:
            self.cache.save()


class _Progress:
    """A one-line progress bar on stderr, shown only after the scan has run for a second."""

    def __init__(self, total: int, what: str = "files"):
        import sys
        import time

        self.total, self.done, self.stream, self.what = total, 0, sys.stderr, what
        self.start = time.monotonic()
        self.last = 0.0
        self.shown = False

    def advance(self, count: int = 1) -> None:
        import time

        self.done += count
        now = time.monotonic()
        if now - self.start < 1.0 or now - self.last < 0.1:
            return
        self.last, self.shown = now, True
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        rate = self.done / max(now - self.start, 1e-9)
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {self.what}  {rate:,.0f}/s")
        self.stream.flush()

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * 70 + "\r")
            self.stream.flush()
