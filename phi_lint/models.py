"""The shared data model: one sighting model, one page model, one finding model.

Every later stage (page graph, tag-manager exports, data-sent analysis, baselines) builds on
these types, so they carry stable identifiers (vendor ids, repo-relative paths, rule ids)
rather than parser objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Span:
    """A 1-based region: columns count code points, end_column is exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class Evidence:
    """Why something is believed: a human sentence plus where it was seen."""

    text: str
    path: str | None = None
    line: int | None = None
    # how much the evidence weighs, for choosing the page a headline names (see STRENGTH in
    # phi_lint/context.py), and a short form for that headline; neither changes what it is
    strength: float = field(default=0.0, compare=False)
    brief: str = field(default="", compare=False)

    def describe(self, page: str | None = None) -> str:
        if self.path and self.path == page:
            return f"{self.text} at line {self.line}" if self.line else self.text
        if self.path and self.line:
            return f"{self.text} ({self.path}:{self.line})"
        if self.path:
            return f"{self.text} ({self.path})"
        return self.text


@dataclass(frozen=True)
class Sighting:
    """A tracker seen in code: which vendor, how it appears and where."""

    vendor_id: str
    path: str  # repo-relative, forward slashes
    span: Span
    kind: str  # script, inline-script, pixel, iframe, link, call, url, assignment, package, component, dependency, config
    snippet: str  # the matched source text, shortened
    account_id: str | None = None
    capabilities: tuple[str, ...] = ()
    signature: str = ""  # which catalogue signature matched, e.g. "call fbq"
    lines: tuple[int, ...] = ()  # every line of the merged snippet that matched
    # kind-specific facts, JSON-serialisable (a tag-manager tag's name, type, triggers, scope, …)
    details: dict | None = field(default=None, compare=False, hash=False)


PAGE_LABELS = ("authenticated", "health", "public")


@dataclass
class PageContext:
    """The labels of one page, each with the evidence that gave it."""

    path: str
    labels: dict[str, list[Evidence]] = field(default_factory=dict)

    def has(self, label: str) -> bool:
        return bool(self.labels.get(label))

    @property
    def authenticated(self) -> bool:
        return self.has("authenticated") and not self.has("public")

    @property
    def health(self) -> bool:
        return self.has("health") and not self.has("public")

    @property
    def sensitive(self) -> bool:
        return self.authenticated or self.health


@dataclass(frozen=True)
class PageReach:
    """A page that a sighting reaches, with the include chain from the page to the sighting."""

    page: str
    chain: tuple[str, ...]  # page, ..., file holding the sighting


@dataclass(frozen=True)
class Headline:
    """The parts of a finding's one-line message, fitted to the line when shown (phi_lint/headline.py):
    `what`, then the strongest sensitive page with its evidence and "+N more pages" when `pages`
    is set and the finding has sensitive pages, then `after`. `detail` is a parenthesis after
    `what` that is cut first ("is handed health data (content_ids = {{ patient_id }})")."""

    what: str
    detail: str = ""
    after: str = ""
    pages: bool = True


@dataclass
class Finding:
    rule_id: str
    level: str  # error | warning | note
    sighting: Sighting
    vendor_name: str
    category: str
    message: str
    pages: list[PageReach] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    help_hint: str = ""
    fingerprint: str = ""
    suppression: Suppression | None = None  # set when an ignore, ignore file or baseline covers it
    lowered_from: tuple[str, ...] = ()  # the rules a baa-vendors entry turned into this PHI100
    headline: Headline | None = None  # the one-line message's parts; None: `message`, cut to fit
    notes: tuple[str, ...] = ()  # sentences of `message` beyond rule, pages and evidence (shown by -v)

    @property
    def sort_key(self) -> tuple:
        s = self.sighting
        return (s.path, s.span.line, s.span.column, self.rule_id, s.vendor_id)


@dataclass(frozen=True)
class Suppression:
    """Why a finding is not reported: kind is inSource (inline ignore), external (ignore file,
    per-file-ignores) or baseline; justification is the reason the user gave."""

    kind: str
    justification: str
    where: str = ""  # e.g. "templates/portal/base.html:3" or ".phi-lint-ignore:7"


# a Notification's own order (its fields in turn), as a C tuple key: a run can hold thousands
# (one per unresolved include or import) and the generated __lt__ is slow to sort them
def notification_order(note: Notification) -> tuple:
    return (note.path, note.message, note.level, note.code)


@dataclass(frozen=True, order=True)
class Notification:
    """Something the user should know about the run itself: a skipped or damaged file."""

    path: str
    message: str
    level: str = "warning"  # warning | note (note: only shown with --verbose)
    code: str = "skipped"
