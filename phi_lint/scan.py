"""The pipeline: discover → read → prefilter → parse → sightings → pages → policy."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from phi_lint.catalogue import Catalogue, load_catalogue
from phi_lint.config import Config, find_config, load_config
from phi_lint.context import ContextBuilder, PageContexts
from phi_lint.discovery import SIGHTING_KINDS, SourceFile, discover, project_root, rel_to
from phi_lint.errors import UserError
from phi_lint.manifest import manifest_sightings
from phi_lint.models import Finding, Notification, PageContext, PageReach, Sighting, notification_order
from phi_lint.pagegraph.build import GraphBuilder
from phi_lint.pagegraph.graph import PageGraph
from phi_lint.pagegraph.repo import RepoIndex
from phi_lint.pageroles import PageRoles, pages_reached
from phi_lint.policy import decide
from phi_lint.prefilter import Prefilter
from phi_lint.fingerprint import assign_fingerprints
from phi_lint.rulebook import select_rules
from phi_lint.safeio import is_inside
from phi_lint.sightings import CatalogueIndex, cluster, match_facts


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
    # host -> {classified, pages, files} of every third-party host loaded (phi_lint.thirdparty.summary)
    third_party_hosts: dict = field(default_factory=dict)


class Analyzer:
    """Everything that is built once per run and used for every file."""

    def __init__(self, catalogue: Catalogue):
        self.catalogue = catalogue
        self.index = CatalogueIndex(catalogue)
        self.prefilter = Prefilter(catalogue)
        self._facts = None  # (text, facts) of the last file parsed for vendors, for its hosts
        self._classifier = None

    def sightings(self, source: SourceFile, text: str, parsed=None) -> tuple[list[Sighting], list[str]]:
        """The file's sightings and problems; `parsed` is its phi_lint.lang.Source, whose
        trees the parse and the data-sent analysis share with the other stages."""
        vendor_ids = self.prefilter.vendors_in(text)
        if not vendor_ids:
            return [], []
        if source.kind == "manifest":
            return manifest_sightings(text, source.rel, self.index, vendor_ids)
        facts = parse_facts(source.name, text, source.kind, self.index.package_names, parsed)
        self._facts = (text, facts)
        hits = match_facts(facts, self.index, vendor_ids)
        found = cluster(hits, text, source.rel, inline_ranges=facts.inline_ranges)
        problems = list(facts.problems)
        if source.kind == "script":
            runtime = _tag_manager_runtime(source, text, self)
            if runtime is not None:
                found.extend(runtime.sightings)
                problems.extend(runtime.problems)
        if found:
            found, more = _data_sent(source, text, found, self, parsed)
            problems.extend(more)
        return found, problems


    def third_party_sightings(self, source: SourceFile, text: str, parsed=None) -> tuple[list[Sighting], list[str]]:
        """One sighting per third-party host the file loads (PHI006, phi_lint.thirdparty), and
        the problems of a parse made for them alone. Call after `sightings` for the same text:
        its parse is shared."""
        from phi_lint.thirdparty.loads import may_load

        known, self._facts = self._facts, None
        if source.kind not in ("markup", "script") or not may_load(text):
            return [], []
        from phi_lint.thirdparty.classify import HostClassifier
        from phi_lint.thirdparty.found import host_sightings

        if self._classifier is None:
            self._classifier = HostClassifier(self.catalogue)
        problems: list[str] = []
        if known is not None and known[0] is text:
            facts = known[1]
        else:
            facts = parse_facts(source.name, text, source.kind, self.index.package_names, parsed)
            problems = list(facts.problems)
        return host_sightings(facts, text, source.rel, self._classifier), problems


def parse_facts(name: str, text: str, kind: str, packages: frozenset[str], parsed=None):
    if kind == "script":
        from phi_lint.parsers.javascript import dialect_for, parse_javascript

        dialect = dialect_for(name)
        script = parsed.script_at(0, len(text), dialect) if parsed is not None and parsed.text is text else None
        return parse_javascript(text, dialect, packages, script=script)
    from phi_lint.parsers.html import parse_markup
    from phi_lint.parsers.template_comments import markup_flavour

    flavour, syntaxes = markup_flavour(name) or ("html", ())
    shared = parsed if parsed is not None and parsed.text is text else None
    return parse_markup(text, flavour, syntaxes, packages, source=shared)


def scan(options: ScanOptions) -> ScanResult:
    with few_collections():
        return _scan(options)


class few_collections:
    """A scan allocates many small objects that live to its end (edges, outcomes, inferences),
    which makes the cyclic garbage collector run often for nothing: unpickling the workers'
    results took five times longer with the default thresholds. Collect less often during the
    scan (memory stays bounded: collections still run) and restore the settings afterwards."""

    THRESHOLDS = (50_000, 20, 20)

    def __enter__(self):
        import gc

        self._saved = gc.get_threshold()
        gc.set_threshold(*self.THRESHOLDS)
        return self

    def __exit__(self, *exc):
        import gc

        gc.set_threshold(*self._saved)
        return False


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
    found = discover(plan.universe, plan.config, plan.root, options.default_excludes, options.force_exclude, plan.stand_ins)
    if options.stdin is not None:
        real = os.path.realpath(options.stdin.path)
        for source in found.files:
            if source.path == real:
                source.data = options.stdin.data
    return found


def _scan(options: ScanOptions) -> ScanResult:
    plan = plan_scan(options)
    root, config, config_note, rules = plan.root, plan.config, plan.notes, plan.rules
    report_prefixes = plan.report_prefixes
    catalogue = load_catalogue(config.vendor_dirs)
    unknown = sorted(set(config.baa_vendors) - set(catalogue.vendors))
    if unknown:
        raise UserError(
            f"{config.key_origin('baa-vendors')}: unknown vendor id(s) {', '.join(unknown)}; "
            "run `phi-lint vendors` for the ids"
        )
    config_note += _contradicted_baa_claims(config, catalogue, root)
    found = discover_planned(plan, options)
    contexts = ContextBuilder(config)
    notifications = list(found.notifications) + config_note
    repo_files = {f.rel: f.kind for f in found.files}
    repo = RepoIndex(root, repo_files, config.max_file_size)
    graph_builder = GraphBuilder(repo, notifications)
    inference = None
    if config.infer:
        from phi_lint.inference.run import InferenceRunner

        inference = InferenceRunner(repo, notifications)
    sightings: list[Sighting] = []
    directives: dict[str, list] = {}
    exports_by_container: dict[str, list[str]] = {}
    scanned = skipped = 0
    pages: list[str] = []
    worker_args = (catalogue, root, repo_files, config.max_file_size, config.infer, options.inline_ignores, report_prefixes)
    # pass 1: every file is read once, and every stage that needs its text sees it then; files
    # unchanged since the last run come from the cache
    from phi_lint.filepasses import FilePasses

    passes = FilePasses(worker_args, options, config, root, report_prefixes, notifications)
    hints: dict[str, tuple[str, ...]] = {}
    if inference is not None:
        repo.hints = hints  # filled as the outcomes come in, read by the project passes
    try:
        for outcome in passes.outcomes(found.files):
            notifications.extend(outcome.notifications)
            graph_builder.edges.extend(outcome.edges)
            repo.missing.extend(outcome.missing)
            if outcome.hints:
                hints[outcome.rel] = outcome.hints
            if inference is not None:
                inference.found.extend(outcome.inferences)
            reported = report_prefixes is None or passes.reported(outcome.rel)
            scanned += outcome.scanned and reported
            skipped += outcome.skipped
            if outcome.page:
                pages.append(outcome.rel)
                if outcome.tags:
                    contexts.add_tags(outcome.rel, outcome.tags)
                if contexts.has_globs:
                    contexts.add_config(outcome.rel, root / outcome.rel)
            if outcome.directives and reported:
                # an ignore covers findings of its own file only: in a file this run does not
                # report on (pre-commit names the staged files) it has nothing to match, and
                # "matches no finding" would be a false PHI900
                directives[outcome.rel] = outcome.directives
            for container_id in outcome.containers:
                exports_by_container.setdefault(container_id, []).append(outcome.rel)
            if reported:
                sightings.extend(outcome.sightings)

        sightings = _without_first_party(sightings, config, root, repo_files, notifications, options.paths)
        graph_builder.edges.extend(_container_edges(sightings, exports_by_container))
        graph = graph_builder.finish()
        reaches_of = _reaches(sightings, graph, repo)
        if inference is not None:
            # pass 2: what a page says of itself matters only where a tracker reaches it
            judged = _judged_pages(reaches_of, graph, repo)
            inference.found.extend(passes.page_inferences(judged, inference))
            for item in inference.finish(graph):
                contexts.add_inference(item)
        notifications.extend(repo.notices)
    finally:
        passes.close()
    page_contexts: dict[str, PageContext] = {}
    baa = set(config.baa_vendors)
    findings = []
    baa_lowered: list[Finding] = []
    roles = PageRoles(graph.edges, repo.kind)
    pages_of: dict[str, list[PageReach]] = {}
    for sighting in sightings:
        reaches = pages_of.get(sighting.path)
        if reaches is None:
            reached = reaches_of[sighting.path]
            for reach in reached:
                if reach.page not in page_contexts:
                    page_contexts[reach.page] = contexts.context(reach.page, graph)
            # layouts, partials and loaded scripts are how a tracker gets to a page, not pages
            reaches = pages_of[sighting.path] = pages_reached(reached, roles, page_contexts)
        for finding in decide(sighting, reaches, page_contexts, catalogue, baa, strict=config.strict):
            if finding.rule_id in rules:
                findings.append(finding)
            if rules.intersection(finding.lowered_from):
                baa_lowered.append(finding)  # said in the summary even with PHI100 ignored
    from phi_lint.thirdparty.summary import host_table

    third_party_hosts = host_table(sightings, pages_of)
    all_contexts = PageContexts(page_contexts, pages, contexts, graph)
    assign_fingerprints(findings)
    _suppress(findings, directives, config, root, options, rules, notifications, report_prefixes)
    suppressed = [f for f in findings if f.suppression is not None]
    findings = [f for f in findings if f.suppression is None]
    findings.sort(key=lambda f: f.sort_key)
    suppressed.sort(key=lambda f: f.sort_key)
    notifications.sort(key=notification_order)
    return ScanResult(
        findings=findings,
        notifications=notifications,
        files_scanned=scanned,
        files_skipped=skipped,
        files_excluded=found.excluded,
        root=root,
        config=config,
        catalogue=catalogue,
        rules=rules,
        contexts=all_contexts,
        sightings=sightings,
        graph=graph,
        suppressed=suppressed,
        baa_lowered=sorted(baa_lowered, key=lambda f: f.sort_key),
        third_party_hosts=third_party_hosts,
    )


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
    named = first_party.described()
    if named:
        notifications.append(Notification(".", "first-party hosts the repository names: " + ", ".join(named),
                                          level="note", code="first-party"))
    if not first_party.patterns:
        return sightings
    return [s for s in sightings if not (is_host_sighting(s) and first_party.covers(s.vendor_id))]


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


def _reaches(sightings: list[Sighting], graph: PageGraph, repo: RepoIndex) -> dict[str, list[PageReach]]:
    """The pages (with the include chain) that render each file holding a sighting."""
    found: dict[str, list[PageReach]] = {}
    for sighting in sightings:
        if sighting.path in found:
            continue
        reaches = [r for r in graph.pages_reaching(sighting.path) if repo.kind(r.page) in ("markup", "script")]
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
    return [(rel, repo.kind(rel)) for rel in sorted(pages) if repo.kind(rel) in ("markup", "script")]


def _suppress(findings, directives, config, root, options, rules, notifications, report_prefixes=None) -> None:
    """Inline ignores, per-file-ignores, the ignore file and the baseline, in that order; then
    the entries of the ignore file and the baseline that match no finding (warnings)."""
    from phi_lint.baseline import apply_baseline, load_baseline, stale_entries
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
    if baseline is not None:
        notifications.extend(stale_entries(baseline, live, judged, lambda path: is_reported(path, report_prefixes)))


def _data_sent(source: SourceFile, text: str, found: list[Sighting], analyzer: Analyzer, parsed=None):
    """What the tracker calls of this file are handed (PHI004), how replay and consent are set up."""
    try:
        from phi_lint.datasent import analyze_file
    except ImportError:
        return found, []
    try:
        return analyze_file(source, text, found, analyzer, parsed)
    except Exception as exc:  # the trackers found stay reported even if this analysis fails
        return found, [f"data-sent analysis: internal error ({type(exc).__name__}: {exc}); skipped"]


def _tag_manager_runtime(source: SourceFile, text: str, analyzer: Analyzer):
    """A committed tag-manager runtime (compiled gtm.js, Tealium utag.js, Adobe launch-*.js)."""
    try:
        from phi_lint.tagmanager import runtime
    except ImportError:
        return None
    if not runtime.looks_like_runtime(source.rel, text):
        return None
    return runtime.analyze_runtime(source.rel, text, analyzer)


def _tag_manager_export(source: SourceFile, text: str, analyzer: Analyzer):
    """A committed tag-manager export (recognised by content), or None for any other JSON."""
    try:
        from phi_lint import tagmanager
    except ImportError:  # pragma: no cover - the package ships with phi-lint
        return None
    looks_like = getattr(tagmanager, "looks_like_export", None)
    if looks_like is None or not looks_like(text):
        return None
    return tagmanager.analyze_export(source.rel, text, analyzer)


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


def sightings_in_text(name: str, text: str, analyzer: Analyzer) -> tuple[list[Sighting], list[str]]:
    """Sightings of one in-memory file, as the scan would find them (used by the case tests)."""
    from phi_lint.discovery import classify

    kind = classify(name)
    if kind not in SIGHTING_KINDS:
        return [], []  # Markdown, Python, CSS, …: never scanned for sightings
    source = SourceFile(Path(name), name, kind)
    return analyzer.sightings(source, text)
