"""The pipeline: discover → read → prefilter → parse → sightings → pages → policy."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from phi_lint import dialects, frameworks_data, projectindex
from phi_lint.catalogue import Catalogue, load_catalogue
from phi_lint.config import Config, find_config, load_config
from phi_lint.context import ContextBuilder, PageContexts
from phi_lint.discovery import discover, project_root, rel_to
from phi_lint.engine.analyzer import Analyzer, sightings_in_text
from phi_lint.engine.gc_thresholds import few_collections
from phi_lint.errors import UserError
from phi_lint.fingerprint import assign_fingerprints
from phi_lint.generic.files import GENERIC
from phi_lint.generic.unread import Unread
from phi_lint.inference.model import URL_LABEL, Inference
from phi_lint.lang.embedded import may_render_markup
from phi_lint.models import Finding, Notification, PageContext, PageReach, Sighting, notification_order
from phi_lint.outcome import UnchangedRun
from phi_lint.pagegraph.build import GraphBuilder
from phi_lint.pagegraph.graph import PageGraph
from phi_lint.pagegraph.repo import RepoIndex
from phi_lint.pageroles import PageRoles, pages_reached
from phi_lint.policy import decide
from phi_lint.profiles import check_profile_name, load_profile
from phi_lint.rulebook import select_rules
from phi_lint.safeio import is_inside
from phi_lint.tomlread import shipped_memo

if TYPE_CHECKING:
    from datetime import datetime

# the per-file engine lives in phi_lint.engine; its entry points stay importable from here
__all__ = ["Analyzer", "ScanOptions", "ScanPlan", "ScanResult", "StdinFile", "plan_scan", "scan", "sightings_in_text"]


@dataclass
class ScanOptions:
    paths: list[Path] = field(default_factory=lambda: [Path(".")])
    config_file: Path | None = None
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    default_excludes: bool = True
    force_exclude: bool = False  # apply the default excludes to files named explicitly (pre-commit)
    use_cache: bool = True
    cache_dir: Path | None = None  # the cache's base folder (default: phi_lint.cache.cache_base)
    jobs: int = 0  # worker processes; 0 = one per CPU (small inputs always run in-process)
    progress: bool = False  # a progress bar on stderr for long scans
    inline_ignores: bool = True  # --no-inline-ignores: a security team may disallow them
    require_reason: bool = True
    baseline: Path | None = None
    stdin: StdinFile | None = None  # `phi-lint - --stdin-filename PATH`: one of paths, read from stdin
    profile: str | None = None  # --profile: wins over the configuration's `profile`


@dataclass(frozen=True)
class StdinFile:
    """A file's contents read from standard input (an editor's unsaved buffer), scanned as if
    they were at `path`: the path decides the file kind, configuration, excludes and page
    context, and the rest of the project still forms the page graph."""

    path: Path
    data: bytes


@dataclass
class ScanResult:
    findings: list[Finding]
    notifications: list[Notification]
    files_scanned: int
    files_skipped: int
    files_excluded: int
    root: Path
    config: Config
    catalogue: Catalogue
    rules: set[str]
    contexts: Mapping[str, PageContext]  # every page of the run (PageContexts: computed on demand)
    sightings: list[Sighting]
    graph: PageGraph | None = None
    suppressed: list[Finding] = field(default_factory=list)  # covered by an ignore or the baseline
    include_suppressed: bool = False  # reporters add the suppressed findings, marked as such
    fail_on: str = "warning"  # the lowest level that fails the run (--fail-on)
    baa_lowered: list[Finding] = field(default_factory=list)  # problems baa-vendors made PHI100
    started_at: datetime | None = None  # when the scan began (GitLab reports give start and end)
    # host -> {classified, pages, files} of every third-party host loaded (phi_lint.thirdparty.summary)
    third_party_hosts: dict = field(default_factory=dict)
    source_texts: dict = field(default_factory=dict)  # rel -> the text scanned when it did not come from disk (stdin)
    # with a baseline: the fingerprints it holds and its entries that match no finding any more
    # (the HTML report's "new" and "fixed"); None without a baseline
    baseline: BaselineState | None = None
    # the files read only as plain text and the frameworks detected but not modelled
    unread: Unread = field(default_factory=Unread)
    # page -> the route that serves it (an Inference of label URL_LABEL: text is the URL pattern,
    # path and line where the route is declared), for `-f routes`
    route_urls: dict = field(default_factory=dict)


@dataclass(frozen=True)
class BaselineState:
    """What a run's baseline says about its findings: a finding whose fingerprint is not in
    `fingerprints` is new since the baseline; `fixed` are the entries no finding matches."""

    path: str
    fingerprints: frozenset[str]
    fixed: tuple[dict, ...]


def scan(options: ScanOptions) -> ScanResult:
    from datetime import datetime, timezone

    started = datetime.now(timezone.utc)
    before = frameworks_data.use(None)
    try:
        with few_collections():
            result = _scan(options)
    finally:
        frameworks_data.use(before)  # the user's guards are this run's, not the next caller's
    result.started_at = started
    return result


@dataclass
class ScanPlan:
    """What a scan is about to do, before any file is read (also shown by --show-settings and
    --show-files): the project root, the configuration, the rules in effect, the paths walked,
    and which files are reported on (None: every file; else the named files and folders)."""

    root: Path
    config: Config
    rules: set[str]
    universe: list[Path]
    report_prefixes: list[str] | None
    notes: list[Notification]
    stand_ins: frozenset[str] = frozenset()  # absolute paths whose contents come from stdin


def plan_scan(options: ScanOptions) -> ScanPlan:
    paths = options.paths or [Path(".")]
    stand_ins = frozenset({os.path.abspath(options.stdin.path)}) if options.stdin is not None else frozenset()
    for path in paths:
        if os.path.abspath(path) not in stand_ins and not path.exists() and not path.is_symlink():
            raise UserError(f"{path}: no such file or directory")
    root, config, config_note = _root_and_config(paths, options.config_file)
    if options.profile is not None:
        config.profile = check_profile_name(options.profile, "--profile")
    rules = select_rules(config.select + options.select, config.ignore + options.ignore)
    # Files given explicitly (pre-commit passes the staged files) are reported on, but their pages
    # are resolved against the whole project: a partial is judged by the pages that include it.
    explicit = [p for p in paths if p.is_file() or os.path.abspath(p) in stand_ins]
    universe = list(paths)
    report_prefixes: list[str] | None = None
    if explicit:
        project = config.root if config.path and is_inside(str(config.root), str(root)) else root
        # a file piped in from outside any project (no repository, no configuration) is scanned
        # alone: the folder it would sit in is not a project whose pages it belongs to
        in_project = options.stdin is None or config.path is not None or (root / ".git").exists()
        universe = [project, *paths] if in_project and project.is_dir() else list(paths)
        report_prefixes = []
        for path in paths:
            rel = rel_to(Path(os.path.abspath(path)).resolve(), root)
            named_file = path.is_file() or os.path.abspath(path) in stand_ins
            report_prefixes.append(rel if named_file else rel.rstrip("/") + "/")
    return ScanPlan(root, config, rules, universe, report_prefixes, config_note, stand_ins)


def discover_planned(plan: ScanPlan, options: ScanOptions):
    """The files of a planned scan; the file read from standard input carries its contents."""
    found = discover(plan.universe, plan.config, plan.root, options.default_excludes, options.force_exclude, plan.stand_ins,
                     _walk_memo(plan, options))
    if options.stdin is not None:
        real = os.path.realpath(options.stdin.path)
        for source in found.files:
            if source.path == real:
                source.data = options.stdin.data
    return found


SHIPPED_MEMO = "shipped.json"  # the parsed data files of phi-lint (tomlread.shipped_memo)


def _walk_memo(plan: ScanPlan, options: ScanOptions):
    """Where the walk of the project is kept between runs (phi_lint.walkmemo), with a cache only."""
    if options.stdin is not None:
        return None
    from phi_lint.walkmemo import NAME

    config = plan.config
    return _cache_file(options, NAME, config.root if config.path else plan.root)


def _cache_file(options: ScanOptions, name: str, project: Path):
    """A cache.ProjectFile of this project's cache folder, None without a cache."""
    if not options.use_cache:
        return None
    from phi_lint.cache import ProjectFile, cache_base

    try:
        base = cache_base(options.cache_dir)
    except (RuntimeError, KeyError):  # no home folder: FilePasses says so
        return None
    return ProjectFile(base, project, name)


def _scan(options: ScanOptions) -> ScanResult:
    plan = plan_scan(options)
    project = plan.config.root if plan.config.path else plan.root
    with shipped_memo(_cache_file(options, SHIPPED_MEMO, project)):
        return _scan_planned(plan, options)


def _scan_planned(plan: ScanPlan, options: ScanOptions) -> ScanResult:
    catalogue = _catalogue_for(plan)
    found = discover_planned(plan, options)
    run = _Run(plan, options, catalogue, found)
    passes = run.file_passes()
    try:
        run.read_files(passes)  # pass 1
        run.say_what_was_not_read()
        run.sightings = _without_first_party(run.sightings, plan.config, plan.root, run.repo_files,
                                             run.notifications, options.paths)
        graph = run.page_graph(passes)
        reaches_of = _reaches(run.sightings, graph, run.repo, run.pages)
        run.page_contexts(passes, graph, reaches_of)  # pass 2
    finally:
        passes.close()
    findings, baa_lowered, page_contexts = run.judge(graph, reaches_of)
    assign_fingerprints(findings)
    baseline_state = _suppress(findings, run.directives, plan.config, plan.root, options, plan.rules,
                               run.notifications, plan.report_prefixes)
    suppressed = sorted((f for f in findings if f.suppression is not None), key=lambda f: f.sort_key)
    findings = sorted((f for f in findings if f.suppression is None), key=lambda f: f.sort_key)
    run.notifications.sort(key=notification_order)
    return ScanResult(
        findings=findings,
        notifications=run.notifications,
        files_scanned=run.scanned,
        files_skipped=run.skipped,
        files_excluded=found.excluded,
        root=plan.root,
        config=plan.config,
        catalogue=catalogue,
        rules=plan.rules,
        contexts=PageContexts(page_contexts, run.pages, run.contexts, graph),
        sightings=run.sightings,
        graph=graph,
        suppressed=suppressed,
        baa_lowered=sorted(baa_lowered, key=lambda f: f.sort_key),
        third_party_hosts=run.third_party_hosts,
        baseline=baseline_state,
        unread=run.unread,
        route_urls=run.route_urls,
    )


def _catalogue_for(plan: ScanPlan) -> Catalogue:
    """The vendor catalogue of the run (built-in and the config's vendor-dirs); baa-vendors must
    name vendors of it, and a claimed BAA the catalogue contradicts is warned about."""
    config = plan.config
    catalogue = load_catalogue(config.vendor_dirs)
    unknown = sorted(set(config.baa_vendors) - set(catalogue.vendors))
    if unknown:
        raise UserError(
            f"{config.key_origin('baa-vendors')}: unknown vendor id(s) {', '.join(unknown)}; "
            "run `phi-lint vendors` for the ids"
        )
    plan.notes.extend(_contradicted_baa_claims(config, catalogue, plan.root))
    return catalogue


class _Run:
    """One scan's state as it goes through the stages, one method a stage: pass 1 over every
    file, the page graph, pass 2 and the page contexts, then the policy."""

    def __init__(self, plan: ScanPlan, options: ScanOptions, catalogue: Catalogue, found):
        self.plan, self.options, self.catalogue, self.found = plan, options, catalogue, found
        config = plan.config
        self.contexts = ContextBuilder(config)
        self.notifications: list[Notification] = list(found.notifications) + plan.notes
        self.repo_files = {f.rel: f.kind for f in found.files}
        self.repo = RepoIndex(plan.root, self.repo_files, config.max_file_size)
        self.graph_builder = GraphBuilder(self.repo, self.notifications)
        self.inference = None
        if config.infer:
            from phi_lint.inference.run import InferenceRunner

            self.inference = InferenceRunner(self.repo, self.notifications)
        self.sightings: list[Sighting] = []
        self.directives: dict[str, list] = {}
        self.exports_by_container: dict[str, list[str]] = {}
        self.pages: list[str] = []
        self.hints: dict[str, tuple[str, ...]] = {}
        self.scanned = self.skipped = 0
        self.third_party_hosts: dict = {}
        self.route_urls: dict[str, Inference] = {}  # page -> the URL a route serves it at
        self.page_urls: dict[str, set[str]] = {}  # page -> every URL pattern the routes serve it at
        self.plain_text: list[str] = []  # files read only as plain text (phi_lint.generic)
        self.unread = Unread()
        # the project index (phi_lint.projectindex), with a cache only: each file's digest, the
        # last run's index, its outputs when they hold for this run, else the outputs being made
        self.project_digests: dict[str, str] | None = None
        self.project_index: projectindex.ProjectIndex | None = None
        self.project_reused: projectindex.ProjectOutputs | None = None
        self.project_fresh: projectindex.ProjectOutputs | None = None
        self.project_reads: set[str] = set()
        self.container_edges: list = []

    def file_passes(self):
        """The two passes over files, in this process or a pool of workers, cached when unchanged."""
        from phi_lint.filepasses import FilePasses

        plan, config = self.plan, self.plan.config
        frameworks = frameworks_data.load_frameworks(config.frameworks)  # the user's guards too, in every worker
        frameworks_data.use(frameworks)
        _check_shipped_tables()  # a broken data file is a user-facing error here, not a worker's
        worker_args = (self.catalogue, plan.root, self.repo_files, config.max_file_size, config.infer,
                       self.options.inline_ignores, plan.report_prefixes, frameworks)
        return FilePasses(worker_args, self.options, config, plan.root, plan.report_prefixes, self.notifications)

    def read_files(self, passes) -> None:
        """Pass 1: every file is read once, and every stage that needs its text sees it then;
        files unchanged since the last run come from the cache. Outcomes merge in file order."""
        if self.inference is not None:
            self.repo.hints = self.hints  # filled as the outcomes come in, read by the project passes
        digests = None
        every_file = self.plan.report_prefixes is None
        for outcome in passes.outcomes(self.found.files):
            if digests is None and passes.cache is not None:  # loaded as the first outcome is asked for
                digests = self.project_digests = passes.cache.state_digests  # a new merged state keeps them
                self.project_index = projectindex.decode(passes.cache.project, passes.cache.key)
            if type(outcome) is UnchangedRun:
                self._merge_unchanged(outcome, passes, digests)
                continue
            if digests is not None:
                digests[outcome.rel] = passes.known_digest(outcome.rel) or projectindex.project_digest(outcome)
            self._merge(outcome, every_file or passes.reported(outcome.rel))

    def _merge_unchanged(self, unchanged: UnchangedRun, passes, digests: dict[str, str] | None) -> None:
        """Files the cache's merged state holds in parts: as _merge, with nothing but edges,
        unresolved names and hints to add."""
        self.graph_builder.edges.extend(unchanged.edges)
        self.repo.missing.extend(unchanged.missing)
        every_file = self.plan.report_prefixes is None
        for rel, kind, page, scanned, skipped, hints, digest in unchanged.files:
            if digests is not None:
                digests[rel] = digest
            self._merge_file(rel, kind, page, scanned, skipped, hints, (), every_file or passes.reported(rel))

    def _merge(self, outcome, reported: bool) -> None:
        self.notifications.extend(outcome.notifications)
        if reported:  # a file not reported on is not analysed (fileworker): none of its analysis's notices
            self.notifications.extend(outcome.analysis_notices)
        self.graph_builder.edges.extend(outcome.edges)
        self.repo.missing.extend(outcome.missing)
        if self.inference is not None:
            self.inference.found.extend(outcome.inferences)
        self._merge_file(outcome.rel, outcome.kind, outcome.page, outcome.scanned, outcome.skipped, outcome.hints,
                         outcome.tags, reported)
        if outcome.directives and reported:
            # an ignore covers findings of its own file only: in a file this run does not
            # report on (pre-commit names the staged files) it has nothing to match, and
            # "matches no finding" would be a false PHI900
            self.directives[outcome.rel] = outcome.directives
        for container_id in outcome.containers:
            self.exports_by_container.setdefault(container_id, []).append(outcome.rel)
        if reported:
            self.sightings.extend(outcome.sightings)

    def _merge_file(self, rel: str, kind: str, page: bool, scanned: bool, skipped: bool, hints: tuple[str, ...],
                    tags: Sequence[tuple[str, int]], reported: bool) -> None:
        """What every file adds, whether from its outcome or the merged state."""
        if hints:
            self.hints[rel] = hints
        self.scanned += scanned and reported
        if kind == GENERIC and page and reported:
            self.plain_text.append(rel)
        self.skipped += skipped
        if page:
            self.pages.append(rel)
            if tags:
                self.contexts.add_tags(rel, tags)
            if self.contexts.has_globs:
                self.contexts.add_config(rel, self.plan.root / rel)

    def say_what_was_not_read(self) -> None:
        """The files read only as plain text and the frameworks detected but not modelled, as
        the run's `unread` and as notifications (phi_lint.generic.unread)."""
        from phi_lint.generic.frameworks import MAX_SIGN_SIZE, detect, is_sign
        from phi_lint.generic.unread import build_unread, modelled_ids
        from phi_lint.textio import read_source

        signs = [(f.rel, str(f.path)) for f in self.found.files if is_sign(f.rel.rpartition("/")[2].lower())]
        frameworks = detect(signs, modelled_ids(), lambda path: read_source(path, MAX_SIGN_SIZE).text) if signs else []
        self.unread = build_unread(self.plain_text, frameworks)
        self.notifications.extend(self.unread.notifications())

    def page_graph(self, passes) -> PageGraph:
        """The edges of every file, of the project (framework layouts) and of tag-manager
        containers; the project's from the project index when it holds for this run."""
        containers = self.container_edges = _container_edges(self.sightings, self.exports_by_container)
        self.graph_builder.edges.extend(containers)
        index = self.project_index
        if index is not None and self.project_digests is not None and index.reusable(
                self.project_digests, projectindex.containers_digest(containers),
                lambda rel: _stat(passes, self.plan.root, rel), self.repo.read):
            reused = self.project_reused = index.outputs
            self.notifications.extend(reused.graph_notes)
            self.repo.notices.extend(reused.repo_notes)
            return self.graph_builder.finish(reused.edges)
        if self.project_digests is None:
            return self.graph_builder.finish()
        fresh = self.project_fresh = projectindex.ProjectOutputs()
        fresh.edges = self._logged(fresh, "graph_notes", self.graph_builder.project_edges)
        return self.graph_builder.finish(fresh.edges)

    def _logged(self, fresh: projectindex.ProjectOutputs, notes: str, project_pass):
        """project_pass(), noting the files it reads and the notices it gives into `fresh`."""
        before, before_repo = len(self.notifications), len(self.repo.notices)
        self.repo.read_log = self.project_reads
        try:
            result = project_pass()
        finally:
            self.repo.read_log = None
        getattr(fresh, notes).extend(self.notifications[before:])
        fresh.repo_notes.extend(self.repo.notices[before_repo:])
        return result

    def _project_inferences(self, graph: PageGraph):
        """The project passes of inference: from the project index, or computed and noted."""
        assert self.inference is not None
        if self.project_reused is not None:
            self.notifications.extend(self.project_reused.inference_notes)
            return self.project_reused.inferences
        if self.project_fresh is None:
            return None
        fresh = self.project_fresh
        fresh.inferences = self._logged(fresh, "inference_notes", lambda: self.inference.project_inferences(graph))
        return fresh.inferences

    def save_project_index(self, passes) -> None:
        """A new project index in the cache, when this run computed the project passes."""
        fresh, digests, cache = self.project_fresh, self.project_digests, passes.cache
        if fresh is None or digests is None or cache is None:
            return
        root = self.plan.root
        reads = {rel: (*projectindex.stat_pair(_stat(passes, root, rel)), projectindex.text_digest(self.repo.text_read(rel)))
                 for rel in sorted(self.project_reads)}
        index = projectindex.ProjectIndex(projectindex.files_digest(digests), projectindex.containers_digest(self.container_edges), reads, fresh)
        try:
            cache.put_project(projectindex.encode(index, cache.key))
        except (TypeError, ValueError, RecursionError):
            pass  # a value the reader would refuse: the passes just run again next time

    def page_contexts(self, passes, graph: PageGraph, reaches_of: dict[str, list[PageReach]]) -> None:
        """Pass 2 and the project passes of inference: the labels of the pages trackers reach."""
        if self.inference is not None:
            # what a page says of itself matters only where a tracker reaches it, and for a
            # profile that asks whether the repository has any health page, on every page
            if load_profile(self.plan.config.profile).needs_health_pages:
                reaches_of = {**reaches_of, **{page: [PageReach(page, (page,))] for page in self.pages}}
            judged = _judged_pages(reaches_of, graph, self.repo)
            self.inference.found.extend(passes.page_inferences(judged, self.inference))
            from phi_lint.senders.handlers import HandlerTable, asked_inferences, wanted_handlers, with_handler_guards

            handlers = HandlerTable()
            for item in self.inference.finish(graph, self._project_inferences(graph)):
                if handlers.add(item):
                    continue  # a guard on a handler declared elsewhere: for the senders in it
                if item.label == URL_LABEL:
                    self.route_urls.setdefault(item.page, item)  # sorted: the first URL of a page
                    self.page_urls.setdefault(item.page, set()).add(item.text)
                else:
                    self.contexts.add_inference(item)
            # the routes of the handlers senders are reached from: asked only when there are any
            for item in asked_inferences(self.repo, wanted_handlers(self.sightings), self.notifications):
                handlers.add(item)
            if handlers:
                self.sightings = with_handler_guards(self.sightings, handlers)
        self.save_project_index(passes)
        self.notifications.extend(self.repo.notices)

    def judge(self, graph: PageGraph, reaches_of: dict[str, list[PageReach]]):
        """The policy: each sighting with the pages it reaches and their contexts → findings of
        the rules in effect; also the findings baa-vendors lowered, and the contexts computed."""
        from phi_lint.anywhere import raised

        config, rules = self.plan.config, self.plan.rules
        profile = load_profile(config.profile)
        health_page = self._health_page(graph) if profile.needs_health_pages else None
        page_contexts: dict[str, PageContext] = {}
        baa = set(config.baa_vendors)
        findings: list[Finding] = []
        baa_lowered: list[Finding] = []
        roles = PageRoles(graph, lambda rel: page_kind(self.repo, rel))
        from phi_lint.signedin.chains import ScanConditions

        conditions = ScanConditions(graph, self.repo, self.page_urls)
        pages_of: dict[str, list[PageReach]] = {}
        for sighting in self.sightings:
            key = _reach_key(sighting)
            reaches = pages_of.get(key)
            if reaches is None:
                reached = reaches_of[key]
                for reach in reached:
                    if reach.page not in page_contexts:
                        page_contexts[reach.page] = self.contexts.context(reach.page, graph)
                # layouts, partials and loaded scripts are how a tracker gets to a page, not pages
                reaches = pages_of[key] = pages_reached(reached, roles, page_contexts)
            decided = decide(sighting, reaches, page_contexts, self.catalogue, baa, strict=config.strict,
                             conditions=conditions, profile=profile)
            for finding in raised(decided, profile, self.catalogue, health_page, baa):
                if finding.rule_id in rules:
                    findings.append(finding)
                if rules.intersection(finding.lowered_from):
                    baa_lowered.append(finding)  # said in the summary even with PHI100 ignored
        from phi_lint.thirdparty.summary import host_table

        self.third_party_hosts = host_table(self.sightings, pages_of)
        return findings, baa_lowered, page_contexts

    def _health_page(self, graph: PageGraph):
        """(page, evidence) of the first page or screen labelled health, in path order; None when
        the repository has none."""
        for page in sorted(self.pages):
            context = self.contexts.context(page, graph)
            if context.health:
                return page, context.labels["health"][0]
        return None


def _stat(passes, root: Path, rel: str) -> os.stat_result | None:
    """A file's stat as the run saw it, else as it is now (a file the scan did not list)."""
    known = passes.stat(rel)
    if known is not None:
        return known
    try:
        return os.stat(root / rel)
    except (OSError, ValueError):
        return None


def _without_first_party(sightings, config, root, repo_files, notifications, paths=()) -> list[Sighting]:
    """The sightings less the loads from the site's own hosts (the `first-party` setting and
    what the repository says about itself, phi_lint.thirdparty.firstparty)."""
    from phi_lint.thirdparty import is_host_sighting
    from phi_lint.thirdparty.firstparty import first_party_hosts

    if not any(is_host_sighting(s) for s in sightings):
        return sightings
    folders = [config.root if config.path else root, *(p for p in paths if p.is_dir())]
    bases = tuple(dict.fromkeys(["", *(rel_to(Path(os.path.abspath(p)).resolve(), root) for p in folders)]))
    bases = tuple("" if base == "." else base for base in bases)
    first_party = first_party_hosts(config.first_party, root, repo_files, config.max_file_size, bases)
    for rel, why in first_party.unread:
        notifications.append(Notification(rel, f"{why.removeprefix('skipped: ')}: the hosts it may name as the site's own "
                                          "were not learnt (PHI006 may report them)", code="first-party"))
    named = first_party.described()
    if named:
        notifications.append(Notification(".", "first-party hosts the repository names: " + ", ".join(named),
                                          level="note", code="first-party"))
    if not first_party.patterns:
        return sightings
    return [s for s in sightings if not (is_host_sighting(s) and first_party.covers(s.vendor_id))]


def _check_shipped_tables() -> None:
    """Read every data table of rules/ that the workers use, in this process first: a broken one
    (an edited install) stops the run with its UserError naming the file, instead of one internal
    error per file from inside the workers."""
    from phi_lint.generic import files, frameworks
    from phi_lint.signedin import conditions
    from phi_lint.siteconfig import data

    dialects.table()
    files.table()
    frameworks.signs()
    conditions.table()
    data.table()


def _anchor(path: Path) -> Path:
    """The directory a named path stands for. A named file's link is not followed: a committed
    `t/evil.html -> /home/user/notes.html` must not make /home/user the project."""
    absolute = Path(os.path.abspath(path))
    if absolute.is_dir():
        return absolute.resolve() if absolute.is_symlink() else absolute
    return absolute.parent


def _root_and_config(paths: list[Path], config_file: Path | None) -> tuple[Path, Config, list[Notification]]:
    """The project root (nearest .git above the named paths), and the configuration: the one
    named, or the nearest at or above the first path up to the project root."""
    anchors = [_anchor(p) for p in paths]
    root = project_root(Path(os.path.commonpath([str(a) for a in anchors])))
    config_path = config_file or find_config(anchors[0], stop=root)
    config = load_config(config_path, anchors[0])
    notes: list[Notification] = []
    if config.path is not None:
        notes.append(Notification(rel_to(config.path, root), "configuration file used", level="note"))
        if is_inside(str(config.path), str(root)):
            _paths_stay_inside(config, root)
    return root, config, notes


def _contradicted_baa_claims(config: Config, catalogue: Catalogue, root: Path) -> list[Notification]:
    """A warning for each baa-vendors entry whose catalogue entry says the vendor signs no BAA:
    the claim still lowers its trackers to inventory, so the user must hear that it is doubtful."""
    notes = []
    key = "[tool.phi-lint] baa-vendors" if config.path is not None and config.path.name == "pyproject.toml" else "baa-vendors"
    where = rel_to(config.path, root) if config.path is not None else "configuration"
    for vendor_id in config.baa_vendors:
        vendor = catalogue.get(vendor_id)
        if vendor is None or vendor.baa != "no":
            continue
        notes.append(Notification(
            where,
            f"`{key}` lists `{vendor_id}`, but the vendor catalogue records that {vendor.name} does not sign "
            "BAAs (baa = \"no\"); its trackers are lowered to inventory on this claim alone: remove it unless "
            "you hold a BAA signed by the vendor",
            level="warning",
            code="config",
        ))
    return notes


def _paths_stay_inside(config: Config, root: Path) -> None:
    """A repository's own configuration may name files only inside the repository: a baseline
    or vendor folder elsewhere (or reached through a link) is a file the repository does not own."""
    named = [("baseline", config.baseline)] if config.baseline is not None else []
    named += [("vendor-dirs", directory) for directory in config.vendor_dirs]
    for key, path in named:
        if not is_inside(str(path), str(root)):
            raise UserError(
                f"{config.key_origin(key)}: {path} is outside the repository {root}; "
                "a repository's configuration may only name files inside it"
            )


PROJECT_WIDE = "\0project"  # the reach key of a policy that applies to every page


def _reach_key(sighting: Sighting) -> str:
    """The key of the pages a sighting reaches: its file's, or every page for a project-wide
    Content-Security-Policy (a response header set in server config, next.config, settings)."""
    from phi_lint.thirdparty.cspfound import is_project_wide

    return PROJECT_WIDE if is_project_wide(sighting) else sighting.path


def page_kind(repo: RepoIndex, rel: str) -> str | None:
    """A file's kind as a page: Go or Elixir code that renders markup itself (a LiveView
    returning ~H, a handler writing HTML: phi_lint.lang.embedded) is markup here."""
    kind = repo.kind(rel)
    return "markup" if kind == "code" and may_render_markup(rel) else kind


def is_page_kind(repo: RepoIndex, rel: str) -> bool:
    """Markup and scripts are pages, and the code that renders markup itself."""
    return page_kind(repo, rel) in ("markup", "script")


def _reaches(sightings: list[Sighting], graph: PageGraph, repo: RepoIndex, pages=()) -> dict[str, list[PageReach]]:
    """The pages (with the include chain) that render each file holding a sighting; every page
    for a project-wide policy."""
    found: dict[str, list[PageReach]] = {}
    for sighting in sightings:
        key = _reach_key(sighting)
        if key in found:
            continue
        if key == PROJECT_WIDE:
            found[key] = [PageReach(page, (page,)) for page in sorted(pages) if is_page_kind(repo, page)]
            continue
        reaches = [r for r in graph.pages_reaching(sighting.path) if is_page_kind(repo, r.page)]
        if not any(r.page == sighting.path for r in reaches):
            reaches.insert(0, PageReach(sighting.path, (sighting.path,)))
        found[sighting.path] = reaches
    return found


def _judged_pages(reaches_of: dict[str, list[PageReach]], graph: PageGraph, repo: RepoIndex) -> list[tuple[str, str]]:
    """(rel, kind) of every page a finding can depend on: the pages the trackers reach and the
    layouts those pages extend (a page inherits its layouts' sensitive labels)."""
    pages: set[str] = set()
    for reaches in reaches_of.values():
        for reach in reaches:
            if reach.page not in pages:
                pages.add(reach.page)
                pages.update(layout for layout, _ in graph.layouts_of(reach.page))
    judged: list[tuple[str, str]] = []
    for rel in sorted(pages):
        kind = repo.kind(rel)
        if kind is not None and (kind == GENERIC or is_page_kind(repo, rel)):
            judged.append((rel, kind))
    return judged


def _suppress(findings, directives, config, root, options, rules, notifications,
              report_prefixes=None) -> BaselineState | None:
    """Inline ignores, per-file-ignores, the ignore file and the baseline, in that order; then
    the entries of the ignore file and the baseline that match no finding (warnings). Returns
    what the baseline says of the findings, or None without one."""
    from phi_lint.baseline import apply_baseline, load_baseline, stale_entries, unmatched_entries
    from phi_lint.fileworker import is_reported
    from phi_lint.rulebook import load_rules
    from phi_lint.suppress import (
        IGNORE_FILE,
        apply_ignore_file,
        apply_inline,
        apply_per_file_ignores,
        directive_findings,
        load_ignore_file,
        unused_ignore_entries,
    )

    if options.inline_ignores:
        apply_inline(findings, directives)
    apply_per_file_ignores(findings, config.per_file_ignores, config.root, root, config.source)
    ignore_path = (config.root if config.path else root) / IGNORE_FILE
    ignore = baseline = None
    if ignore_path.is_file() or ignore_path.is_symlink():
        display = rel_to(ignore_path, root)
        ignore = load_ignore_file(ignore_path, notifications, display, root)
        apply_ignore_file(findings, ignore, display)
    baseline_path = options.baseline or config.baseline
    if baseline_path is not None:
        baseline = load_baseline(baseline_path, root if options.baseline is None else None)
        apply_baseline(findings, baseline)
    if options.inline_ignores:
        extra = directive_findings(directives, rules, options.require_reason)
        from phi_lint.fingerprint import assign_fingerprints as _assign

        _assign(extra)
        findings.extend(extra)
    live = {finding.fingerprint for finding in findings}
    judged = rules if options.inline_ignores else rules - {"PHI900"}  # no PHI900 without inline ignores
    if ignore is not None and report_prefixes is None and judged >= set(load_rules()):
        # fingerprints say neither file nor rule: only a run over everything can tell one unused
        notifications.extend(unused_ignore_entries(ignore, live, display))
    if baseline is None:
        return None

    def reported(path: str) -> bool:
        return is_reported(path, report_prefixes)

    notifications.extend(stale_entries(baseline, live, judged, reported))
    return BaselineState(baseline.path.name, frozenset(baseline.entries),
                         tuple(unmatched_entries(baseline, live, judged, reported)))


def _container_edges(sightings: list[Sighting], exports: dict[str, list[str]]):
    """A page that loads container GTM-XXXX renders the tags of the export with that id."""
    from phi_lint.pagegraph.model import Edge

    edges = []
    for sighting in sightings:
        if sighting.kind == "tag-manager-tag" or not sighting.account_id:
            continue
        for export in exports.get(sighting.account_id, ()):
            edges.append(Edge(sighting.path, export, "container", sighting.span.line, sighting.account_id))
    return edges
