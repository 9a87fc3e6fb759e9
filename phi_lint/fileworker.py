"""The per-file work of a scan, runnable in worker processes.

Pass 1 (`FileProcessor.process`): everything a file contributes (sightings, page-graph edges,
route inferences, inline page tags, suppression directives, notices, hints for the project
passes) is computed from one read of it and returned as a `FileOutcome`; the main process merges
outcomes in file order, so a parallel run produces exactly what a single-process run does.

Pass 2 (`infer_pages`): the pages a tracker reaches are read once more for what each says of
itself (see phi_lint.filepasses); a file that holds a sighting has that done in pass 1.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import lru_cache

from phi_lint.budget import BudgetExceeded, FileBudget
from phi_lint.context import inline_tags
from phi_lint.discovery import SIGHTING_KINDS, SourceFile
from phi_lint.generic.files import GENERIC, listed_ending, looks_like_page
from phi_lint.generic.files import table as generic_table
from phi_lint.lang import Source
from phi_lint.lang.embedded import markup_view, may_hold_markup, view_ending
from phi_lint.mobile import MOBILE, reads_as_mobile
from phi_lint.models import Notification
from phi_lint.outcome import FileOutcome
from phi_lint.parsers.indented import markup_text
from phi_lint.prefilter import has_tag_marker
from phi_lint.safeio import read_head
from phi_lint.senders import language_of
from phi_lint.siteconfig import may_be_config
from phi_lint.textio import read_given, read_source

# the file kinds read for server-side senders and the server SDKs of manifests (phi_lint.senders):
# server code, JS/TS, PHP pages, Go files (generic: no framework reads them), package.json,
# composer.json, go.mod, .csproj, requirements, pyproject.toml, Gemfile, pom.xml and Gradle files
SENDER_KINDS = ("code", "script", "markup", GENERIC, "manifest", "json", "sign", MOBILE)


def is_reported(rel: str, prefixes) -> bool:
    """Whether findings of this file are reported (all files, unless files were named)."""
    if prefixes is None:
        return True
    files, folders = _prefix_sets(tuple(prefixes))
    return rel in files or (bool(folders) and ("./" in folders or rel.startswith(folders)))


def reporter(prefixes) -> Callable[[str], bool]:
    """is_reported for one run's prefixes, worked out once: it is asked for every file."""
    if prefixes is None:
        return lambda rel: True
    files, folders = _prefix_sets(tuple(prefixes))
    if not folders:
        return files.__contains__
    if "./" in folders:
        return lambda rel: True
    return lambda rel: rel in files or rel.startswith(folders)


@lru_cache(maxsize=8)
def _prefix_sets(prefixes: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
    """The files named (exact paths) and the folders named (ending in "/")."""
    return frozenset(prefixes), tuple(p for p in prefixes if p.endswith("/"))


class FileProcessor:
    """Built once per process: the catalogue's matchers and the per-file graph/inference modules."""

    def __init__(self, catalogue, repo_root, repo_files: dict[str, str], max_file_size: int,
                 infer: bool, inline_ignores: bool, report_prefixes, frameworks=None):
        from phi_lint.engine.analyzer import Analyzer
        from phi_lint.pagegraph.build import GraphBuilder
        from phi_lint.pagegraph.repo import RepoIndex

        if frameworks is not None:  # the run's framework knowledge, the user's guards included
            from phi_lint import frameworks_data

            frameworks_data.use(frameworks)
        self.analyzer = Analyzer(catalogue)
        self.repo = RepoIndex(repo_root, repo_files, max_file_size)
        self.max_file_size = max_file_size
        self.inline_ignores = inline_ignores
        self.report_prefixes = report_prefixes
        self._notes: list[Notification] = []
        self.graph = GraphBuilder(self.repo, self._notes)
        self.inference = None
        if infer:
            from phi_lint.inference.run import InferenceRunner

            self.inference = InferenceRunner(self.repo, self._notes)

    def reported(self, rel: str) -> bool:
        return is_reported(rel, self.report_prefixes)

    def process(self, source: SourceFile) -> FileOutcome:
        """Everything the file contributes, within the per-file time budget."""
        budget = FileBudget()
        try:
            with budget:
                return self._process(source)
        except BudgetExceeded:
            self._drop_partial_state()
            out = FileOutcome(source.rel, source.kind, skipped=source.kind in SIGHTING_KINDS)
            out.notifications.append(Notification(source.rel, budget.message()))
            return out

    def _drop_partial_state(self) -> None:
        """What a stopped file had half-contributed is not kept: it would be merged into the next file."""
        self.graph.edges = []
        self.repo.missing = []
        self.repo.notices.clear()
        self._notes.clear()
        if self.inference is not None:
            self.inference.found = []

    def _process(self, source: SourceFile) -> FileOutcome:
        out = FileOutcome(source.rel, source.kind)
        if source.kind == GENERIC and source.data is None and not _may_be_plain_text_page(source):
            return out  # an unlisted ending whose start holds no markup: the rest is never read
        if source.data is not None:  # standard input, named by --stdin-filename
            read = read_given(source.data, self.max_file_size)
        else:
            read = read_source(str(source.path), self.max_file_size)
        if source.kind == GENERIC and not _plain_text_page(source, read):
            # an unknown ending that is not a text page: nothing to say, unless it is server code
            # in a language read only for senders (Go)
            if read.text is not None and language_of(source.rel) is not None:
                out.sightings = self._senders(source, Source(source.rel, read.text), out)
            return out
        if read.problem:
            # code and JSON files are read only for the page graph, inference and tag-manager
            # exports: their problems are notes (shown with --verbose), not warnings
            level = "warning" if source.kind in SIGHTING_KINDS or read.text is not None else "note"
            out.notifications.append(Notification(source.rel, read.problem, level=level))
        if read.text is None:
            out.skipped = source.kind in SIGHTING_KINDS
            return out
        text = markup_text(source.name, read.text) if source.kind == "markup" else read.text
        if source.kind == "json":
            try:
                export = self.analyzer.tag_manager_export(source, text)
            except Exception as exc:  # a bad export must not end the scan
                out.notifications.append(
                    Notification(source.rel, f"tag-manager export: internal error ({type(exc).__name__}: {exc}); skipped")
                )
                return out
            if export is not None:
                out.scanned = True
                out.sightings.extend(export.sightings)
                out.containers.extend(export.container_ids)
                out.notifications.extend(Notification(source.rel, p) for p in export.problems)
            out.sightings.extend(self._senders(source, Source(source.rel, text), out))  # composer.json
            return out
        # the file's one parse per language, shared by every stage below and dropped with it
        parsed = Source(source.rel, text)
        if source.kind == MOBILE:
            self._mobile(source, parsed, out)
            if source.rel.lower().endswith((".gradle", ".gradle.kts")):  # a server's build.gradle
                out.sightings.extend(self._senders(source, parsed, out))
            return out
        written = text  # what the file says in its own comments (tags, ignores), as written
        self._graph_and_inference(source, parsed, out)
        switched = self._config_switches(source, parsed, out) + self._senders(source, parsed, out)
        if source.kind not in SIGHTING_KINDS:
            embedded = self._embedded_markup(source, parsed)
            if embedded is None:
                self._policies_only(source, text, out)
                out.sightings.extend(switched)
                if reads_as_mobile(source.rel, source.kind, text):  # Android code: .kt / .java importing Android
                    self._mobile(source, parsed, out)
                return out
            source, parsed = embedded  # Go / Elixir code: its literals' markup is read as a page
            text = parsed.text
        if source.kind != "manifest":
            out.page = True
            if has_tag_marker(written):
                out.tags = inline_tags(written)
                if self.inline_ignores:
                    from phi_lint.suppress import parse_directives

                    out.directives = parse_directives(source.rel, written)
        if not self.reported(source.rel):
            return out
        out.scanned = True
        try:
            sightings, problems = self.analyzer.sightings(source, text, parsed)
            hosts, more = self.analyzer.third_party_sightings(source, text, parsed)
            hosts = _not_senders(hosts, switched)
            sightings, problems = sightings + hosts + self.analyzer.csp_sightings(source, text), problems + more
        except RecursionError:
            out.analysis_notices.append(Notification(source.rel, "skipped: nesting too deep to analyse"))
            return out
        except Exception as exc:  # a parser bug must not end the scan; say so
            out.analysis_notices.append(
                Notification(source.rel, f"internal error while analysing ({type(exc).__name__}: {exc}); skipped")
            )
            return out
        for problem in problems:
            level = "note" if problem.startswith("syntax errors") else "warning"
            out.analysis_notices.append(Notification(source.rel, problem, level=level))
        out.sightings = sightings + switched
        if source.kind == "script" and reads_as_mobile(source.rel, source.kind, text):  # Expo app.config.js / .ts
            self._mobile(source, parsed, out)
        sightings = out.sightings
        if sightings and self.inference is not None:
            # a page that holds a tracker is judged for certain: no second read in pass 2
            out.page_inferences = self.inference.page_inferences(source.rel, source.kind, text, parsed)
            if self._notes:
                out.analysis_notices.extend(self._notes)
                self._notes.clear()
        return out

    def _mobile(self, source: SourceFile, parsed: Source, out: FileOutcome) -> None:
        """A mobile app's file (phi_lint.mobile): SDK dependencies, platform flags, SDK calls; a
        health screen is a page labelled health (its inline ignores are read as a page's are)."""
        from phi_lint.mobile.expoconfig import problem_level
        from phi_lint.mobile.screens import screen_inferences
        from phi_lint.mobile.sightings import mobile_sightings

        text = parsed.text
        health = screen_inferences(source.rel, text)
        if health:
            out.page = True
            if self.inference is not None:
                out.inferences.extend(health)
        if not self.reported(source.rel):
            return
        if self.inline_ignores and has_tag_marker(text):
            from phi_lint.suppress import parse_directives

            out.directives = parse_directives(source.rel, text)
        try:
            found, problems = mobile_sightings(source.rel, text, self.analyzer.catalogue,
                                               self.analyzer.prefilter.vendors_in(text), self.repo, parsed)
        except RecursionError:
            out.analysis_notices.append(Notification(source.rel, "mobile app code: nesting too deep to analyse; skipped"))
            return
        except Exception as exc:  # a reader bug must not end the scan; say so
            out.analysis_notices.append(Notification(
                source.rel, f"mobile app file: internal error ({type(exc).__name__}: {exc}); skipped"))
            return
        out.scanned = True
        out.sightings.extend(found)
        out.analysis_notices.extend(Notification(source.rel, p, level=problem_level(p)) for p in problems)

    def _embedded_markup(self, source: SourceFile, parsed: Source) -> tuple[SourceFile, Source] | None:
        """A Go or Elixir file whose string literals or markup sigils (`~H`) hold a tracker
        snippet, as a markup file of that view (phi_lint.lang.embedded): same path, same lines."""
        if not may_hold_markup(source.rel, parsed.text) or not self.analyzer.prefilter.vendors_in(parsed.text):
            return None
        view = markup_view(parsed)
        if view is None:
            return None
        return SourceFile(str(source.path) + view_ending(source.rel), source.rel, "markup", source.data), Source(source.rel, view)

    def _config_switches(self, source: SourceFile, parsed: Source, out: FileOutcome) -> list:
        """The trackers a site generator's config file switches on (phi_lint.siteconfig): only
        files named in rules/config-trackers.toml are read for them."""
        if not may_be_config(source.rel) or not self.reported(source.rel):
            return []
        from phi_lint.siteconfig import config_sightings

        try:
            files = self.repo.memo(__name__ + ":files", lambda: self.repo.files)
            found, problems = config_sightings(parsed, files, self.analyzer.catalogue)
        except RecursionError:
            out.analysis_notices.append(Notification(source.rel, "trackers switched on by configuration: nesting too deep; skipped"))
            return []
        except Exception as exc:  # a bad config must not end the scan
            out.analysis_notices.append(Notification(
                source.rel, f"trackers switched on by configuration: internal error ({type(exc).__name__}: {exc}); skipped"))
            return []
        out.analysis_notices.extend(Notification(source.rel, p) for p in problems)
        if found:
            out.scanned = True
        return found

    def _senders(self, source: SourceFile, parsed: Source, out: FileOutcome) -> list:
        """The server-side senders of server code and the server SDKs of dependency manifests
        (phi_lint.senders): read only in files that hold one of the catalogue's server keywords
        (one literal-set search)."""
        if source.kind not in SENDER_KINDS or not self.reported(source.rel):
            return []
        from phi_lint.senders import dependency_sightings, is_manifest, sender_sightings

        problems: list[str] = []
        try:
            if is_manifest(source.rel):
                found = dependency_sightings(parsed, self.analyzer.senders)
            elif language_of(source.rel) is not None:
                found, problems = sender_sightings(parsed, self.analyzer.senders)
            else:
                return []
        except RecursionError:
            out.analysis_notices.append(Notification(source.rel, "server-side senders: nesting too deep; skipped"))
            return []
        except Exception as exc:  # a bad file must not end the scan
            out.analysis_notices.append(Notification(
                source.rel, f"server-side senders: internal error ({type(exc).__name__}: {exc}); skipped"))
            return []
        out.analysis_notices.extend(Notification(source.rel, p, level="note") for p in problems)
        if found:
            out.scanned = True
            if self.inline_ignores and not out.directives and has_tag_marker(parsed.text):
                from phi_lint.suppress import parse_directives  # a page's are read with its tags

                out.directives = parse_directives(source.rel, parsed.text)
        return found

    def _policies_only(self, source: SourceFile, text: str, out: FileOutcome) -> None:
        """Server code and server config are not pages, but a Content-Security-Policy they
        commit (django-csp settings, nginx or Apache headers) is evidence for every page."""
        if source.kind not in ("code", "server-config") or not self.reported(source.rel):
            return
        try:
            out.sightings = self.analyzer.csp_sightings(source, text)
        except Exception as exc:  # a bad policy must not end the scan
            out.analysis_notices.append(Notification(
                source.rel, f"Content-Security-Policy: internal error ({type(exc).__name__}: {exc}); skipped"))

    def _graph_and_inference(self, source: SourceFile, parsed: Source, out: FileOutcome) -> None:
        text = parsed.text
        self.graph.add_file(source.rel, source.kind, text, parsed)
        if self.inference is not None:
            self.inference.add_file(source.rel, source.kind, text, parsed)
            out.hints = self.inference.file_hints(source.rel, source.kind, text, parsed)
            out.inferences, self.inference.found = self.inference.found, []
        out.edges, self.graph.edges = self.graph.edges, []
        out.missing, self.repo.missing = self.repo.missing, []
        if self.repo.notices:
            out.notifications.extend(self.repo.notices)
            self.repo.notices.clear()
        if self._notes:
            out.notifications.extend(self._notes)
            self._notes.clear()


def _not_senders(hosts: list, found: list) -> list:
    """The third-party requests that are not a server-side sender already reported on their
    line (a `fetch` to the Measurement Protocol is the sender, not an unknown load of its host)."""
    lines = {s.span.line for s in found if s.kind == "server-send"}
    return [h for h in hosts if h.span.line not in lines] if lines else hosts


def _may_be_plain_text_page(source: SourceFile) -> bool:
    """Before a generic file is read whole: a listed ending, server code read for senders, or an
    unlisted ending whose first sniff-bytes hold markup (a C or Rust repository's sources are not
    read in full to learn that they are not pages)."""
    if listed_ending(source.name.lower()) is not None or language_of(source.rel) is not None:
        return True
    head = read_head(str(source.path), generic_table().sniff_bytes)
    return looks_like_page(head.decode("utf-8", "replace"))


def _plain_text_page(source: SourceFile, read) -> bool:
    """Whether a generic file is read as plain text: a listed template ending always (its read
    problems are reported like a template's), any other ending only when it decodes cleanly
    and its start holds markup (phi_lint.generic.files)."""
    if listed_ending(source.name.lower()) is not None:
        return True
    return read.problem is None and read.text is not None and looks_like_page(read.text)


def _page_text(rel: str, kind: str, text: str) -> tuple[str, str]:
    """(kind, text) a page is judged by: a Go or Elixir page (a LiveView rendering `~H`, a
    handler writing markup) by the markup of its literals, any other file as the stages read it."""
    if kind == "code" and may_hold_markup(rel, text):
        view = markup_view(Source(rel, text))
        if view is not None:
            return "markup", view
    return kind, markup_text(rel, text)


def infer_pages(pages, inference, root, max_file_size) -> list[tuple[str, list, list[Notification]]]:
    """(rel, inferences, notices) of what each (rel, kind) page says of itself (scan pass 2)."""
    results: list[tuple[str, list, list[Notification]]] = []
    for rel, kind in pages:
        read = read_source(os.path.join(root, rel), max_file_size)
        if read.text is None:
            # gone or changed since pass 1 (or pass 1 took it from the cache): say so, since the
            # findings on the pages it is part of may be missing a label
            problem = read.problem or "could not be read"
            results.append((rel, [], [Notification(rel, f"{problem}; what the page says of itself was not inferred")]))
            continue
        before = len(inference.notifications)
        budget = FileBudget()
        try:
            with budget:
                inferred = inference.page_inferences(rel, *_page_text(rel, kind, read.text))
        except BudgetExceeded:
            inferred = []
            inference.notifications.append(Notification(rel, budget.message() + " (what the page says of itself)"))
        notes = inference.notifications[before:]
        del inference.notifications[before:]
        results.append((rel, inferred, notes))
    return results


_PROCESSOR: FileProcessor | None = None


def init_worker(*args) -> None:
    global _PROCESSOR
    import gc

    from phi_lint.engine.gc_thresholds import few_collections

    gc.set_threshold(*few_collections.THRESHOLDS)  # a worker lives for one scan
    _PROCESSOR = FileProcessor(*args)


def process_in_worker(source: SourceFile) -> FileOutcome:
    assert _PROCESSOR is not None
    return _PROCESSOR.process(source)


def infer_pages_in_worker(pages):
    assert _PROCESSOR is not None and _PROCESSOR.inference is not None
    return infer_pages(pages, _PROCESSOR.inference, _PROCESSOR.repo.root, _PROCESSOR.max_file_size)
