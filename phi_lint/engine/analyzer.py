"""The sightings of one file: prefilter, parse, catalogue match, and the tag-manager and data-sent
analyses that refine them. Built once per process and used for every file of the run."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from phi_lint.catalogue import Catalogue
from phi_lint.discovery import SIGHTING_KINDS, SourceFile
from phi_lint.engine.facts import parse_facts
from phi_lint.generic.files import GENERIC
from phi_lint.manifest import manifest_sightings
from phi_lint.models import Sighting
from phi_lint.parsers.facts import FileFacts
from phi_lint.prefilter import Prefilter
from phi_lint.sightings import CatalogueIndex, cluster, match_facts

if TYPE_CHECKING:
    from phi_lint.senders import SenderIndex
    from phi_lint.thirdparty.classify import HostClassifier

class Analyzer:
    """Everything that is built once per run and used for every file."""

    def __init__(self, catalogue: Catalogue):
        self.catalogue = catalogue
        self.index = CatalogueIndex(catalogue)
        self.prefilter = Prefilter(catalogue)
        self._senders: SenderIndex | None = None
        self._facts: tuple[str, FileFacts] | None = None  # (text, facts) of the last file parsed for vendors, for its hosts
        self._classifier: HostClassifier | None = None

    def sightings(self, source: SourceFile, text: str, parsed=None) -> tuple[list[Sighting], list[str]]:
        """The file's sightings and problems; `parsed` is its phi_lint.lang.Source, whose
        trees the parse and the data-sent analysis share with the other stages."""
        self._facts = None  # the last file's parse is never kept past it (third_party_sightings reads it)
        vendor_ids = self.prefilter.vendors_in(text)
        if not vendor_ids:
            return [], []
        if source.kind == "manifest":
            return manifest_sightings(text, source.rel, self.index, vendor_ids)
        if source.kind == GENERIC:
            from phi_lint.generic.sightings import plain_text_sightings

            return plain_text_sightings(text, source.rel, self.index, vendor_ids), []
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
            found, more = _signed_in(source, text, found, parsed)
            problems.extend(more)
        return found, problems

    @property
    def senders(self) -> SenderIndex:
        """The catalogue's server-side sender signatures (phi_lint.senders), built on first use."""
        if self._senders is None:
            from phi_lint.senders import SenderIndex

            self._senders = SenderIndex(self.catalogue)
        return self._senders

    def third_party_sightings(self, source: SourceFile, text: str, parsed=None) -> tuple[list[Sighting], list[str]]:
        """One sighting per third-party host the file loads (PHI006, phi_lint.thirdparty), and
        the problems of a parse made for them alone. Call after `sightings` for the same text:
        its parse is shared."""
        from phi_lint.thirdparty.loads import may_load

        known, self._facts = self._facts, None
        if source.kind not in ("markup", "script") or not may_load(text):
            return [], []
        from phi_lint.thirdparty.found import host_sightings

        problems: list[str] = []
        if known is not None and known[0] is text:
            facts = known[1]
        else:
            facts = parse_facts(source.name, text, source.kind, self.index.package_names, parsed)
            problems = list(facts.problems)
        hosts = host_sightings(facts, text, source.rel, self._host_classifier())
        if hosts:
            hosts, more = _signed_in(source, text, hosts, parsed)
            problems.extend(more)
        return hosts, problems

    def csp_sightings(self, source: SourceFile, text: str) -> list[Sighting]:
        """One sighting per committed Content-Security-Policy and catalogue vendor it allows
        (phi_lint.thirdparty.cspfound): evidence, never a sighting of the tracker."""
        from phi_lint.thirdparty.cspfiles import reads_policies

        if not reads_policies(source.rel, source.kind):
            return []
        from phi_lint.thirdparty.cspfound import csp_sightings  # one gate search, in file_policies

        return csp_sightings(source.rel, source.kind, text, _WhenUsed(self._host_classifier))

    def _host_classifier(self):
        if self._classifier is None:
            from phi_lint.thirdparty.classify import HostClassifier

            self._classifier = HostClassifier(self.catalogue)
        return self._classifier

    def tag_manager_export(self, source: SourceFile, text: str):
        """A committed tag-manager export (recognised by content), or None for any other JSON."""
        try:
            from phi_lint import tagmanager
        except ImportError:  # pragma: no cover - the package ships with phi-lint
            return None
        looks_like = getattr(tagmanager, "looks_like_export", None)
        if looks_like is None or not looks_like(text):
            return None
        return tagmanager.analyze_export(source.rel, text, self)


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


def _signed_in(source: SourceFile, text: str, found: list[Sighting], parsed=None):
    """The sightings marked with the condition on the signed-in state each sits in, if any."""
    from phi_lint.signedin.guard import guard_sightings

    try:
        return guard_sightings(source.rel, source.kind, text, found, parsed), []
    except RecursionError:
        return found, ["signed-in conditions: nesting too deep to read; judged as if unconditional"]
    except Exception as exc:  # the trackers found stay reported, as if unconditional
        return found, [f"signed-in conditions: internal error ({type(exc).__name__}: {exc}); judged as if unconditional"]


def _tag_manager_runtime(source: SourceFile, text: str, analyzer: Analyzer):
    """A committed tag-manager runtime (compiled gtm.js, Tealium utag.js, Adobe launch-*.js)."""
    try:
        from phi_lint.tagmanager import runtime
    except ImportError:
        return None
    if not runtime.looks_like_runtime(source.rel, text):
        return None
    return runtime.analyze_runtime(source.rel, text, analyzer)


def sightings_in_text(name: str, text: str, analyzer: Analyzer) -> tuple[list[Sighting], list[str]]:
    """Sightings of one in-memory file, as the scan would find them (used by the case tests)."""
    from phi_lint.discovery import classify

    kind = classify(name)
    if kind == "mobile" or (kind == "code" and name.lower().endswith((".kt", ".java"))):
        from phi_lint.mobile import reads_as_mobile
        from phi_lint.mobile.sightings import mobile_sightings

        if not reads_as_mobile(name, kind, text):
            return [], []
        return mobile_sightings(name, text, analyzer.catalogue, analyzer.prefilter.vendors_in(text))
    if kind not in SIGHTING_KINDS:
        return [], []  # Markdown, Python, CSS, …: never scanned for sightings
    from phi_lint.parsers.indented import markup_text

    source = SourceFile(Path(name), name, kind)
    found, problems = analyzer.sightings(source, markup_text(name, text) if kind == "markup" else text)
    from phi_lint.mobile import reads_as_mobile

    if reads_as_mobile(name, kind, text):  # an Expo app.config.js / .ts: its plugins too
        from phi_lint.mobile.sightings import mobile_sightings

        more, said = mobile_sightings(name, text, analyzer.catalogue, analyzer.prefilter.vendors_in(text))
        found, problems = found + more, problems + said
    return found, problems


class _WhenUsed:
    """Stands for the object make() returns, made at its first use: most pages hold no
    Content-Security-Policy, and the host classifier (every catalogue host, derived) cost a
    pre-commit run 0.07 CPU s to build for none."""

    def __init__(self, make):
        self._make = make

    def __getattr__(self, name: str):
        return getattr(self._make(), name)
