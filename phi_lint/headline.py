"""A finding's one-line message, read at a glance: about 160 characters at most.

`path:line:col: RULE [Vendor] runs on authenticated page portal/inbox.html (config glob
`portal/**`) +3 more pages`: what the tracker does, the strongest of its sensitive pages with the
strongest evidence for it, and how many more pages it reaches. Every page, its include chain
(`page ← layout ← partial`, the one arrow style of all output) and all its evidence are for
`-v`, JSON and SARIF related locations.

The strongest page is the one whose best evidence weighs most (`Evidence.strength`: a tag or
config glob over a route guard, over a title or text that mentions health terms, over a path
name); ties keep the order in which the page graph found the pages. A finding's `pages` are
never reordered here: the first of them is part of its fingerprint.

When the parts do not fit, the least important is shortened first: the page's leading
directories (`…/portal/inbox.html`), the detail in parentheses, the evidence, the part after
the pages, then what the tracker does; the page's label and "+N more pages" stay. A line that
still does not fit is cut with `…`. The location itself is never cut (a path is no use cut).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from phi_lint.models import Evidence, Finding, Headline, PageContext, PageReach
from phi_lint.reporters.common import printable

HEADLINE_WIDTH = 160
ARROW = " ← "
ELLIPSIS = "…"
_MIN_CUT = 8  # a part cut shorter than this says nothing: it is left out instead
# the page labels a rule is about; other rules cover both kinds of sensitive page
_RULE_LABELS = {"PHI001": ("authenticated",), "PHI002": ("health",)}
_SENSITIVE = ("authenticated", "health")


def chain_text(chain) -> str:
    """`page ← layout ← partial`: a page and the files through which it renders the tracker."""
    return ARROW.join(str(step) for step in chain)


@dataclass(frozen=True)
class RankedPage:
    reach: PageReach
    label: str  # the sensitive label its strongest evidence gives: authenticated or health
    evidence: Evidence | None


def _best(context: PageContext, labels: tuple[str, ...]) -> tuple[str, Evidence | None] | None:
    """The label and evidence that weigh most on one page (authenticated first on a tie)."""
    best: tuple[str, Evidence | None] | None = None
    for label in labels:
        holds = context.authenticated if label == "authenticated" else context.health
        if not holds:
            continue
        for evidence in context.labels.get(label, []):
            if best is None or best[1] is None or evidence.strength > best[1].strength:
                best = (label, evidence)
        if best is None:
            best = (label, None)
    return best


def ranked_pages(finding: Finding, contexts: Mapping[str, PageContext]) -> list[RankedPage]:
    """The finding's sensitive pages, strongest evidence first (stable among equals)."""
    return rank_reaches(finding.pages, contexts, _RULE_LABELS.get(finding.rule_id, _SENSITIVE))


def rank_reaches(
    reaches, contexts: Mapping[str, PageContext], labels: tuple[str, ...] = _SENSITIVE
) -> list[RankedPage]:
    """The reaches that carry one of labels, strongest evidence first (stable among equals)."""
    ranked = []
    for index, reach in enumerate(reaches):
        context = contexts.get(reach.page) if reach.page in contexts else None
        found = _best(context, labels) if context is not None else None
        if found is None:
            continue
        label, evidence = found
        weight = evidence.strength if evidence is not None else -1.0
        ranked.append((-weight, label != "authenticated", index, RankedPage(reach, label, evidence)))
    return [item[-1] for item in sorted(ranked, key=lambda item: item[:3])]


def evidence_brief(evidence: Evidence) -> str:
    """The evidence in few words; where it was seen is for `-v`, JSON and SARIF."""
    return evidence.brief or evidence.text


# ---------------------------------------------------------------------------------------------
# fitting parts to a width


@dataclass
class _Part:
    text: str
    keep: int  # parts are shortened in rising order of keep
    before: str = ""
    after: str = ""
    path: bool = False  # shortened by leaving out leading directories, down to `…/name`
    fixed: bool = False  # never shortened nor left out (what the tracker does, the page's label)
    min_cut: int = _MIN_CUT  # a cut shorter than this says too little: the part is left out

    def __post_init__(self):
        self.original = self.text

    def path_forms(self) -> list[str]:
        """The path whole, then without one leading directory after another: `…/portal/a.html`."""
        segments = self.original.split("/")
        return [self.original] + [ELLIPSIS + "/" + "/".join(segments[start:]) for start in range(1, len(segments))]

    def length(self) -> int:
        return len(self.before) + len(self.text) + len(self.after) if self.text else 0

    def shortened(self, room: int) -> str | None:
        """The text in at most `room` characters (a path: its shortest form when none is that
        short), or None when no useful form is that short."""
        if self.fixed:
            return None
        if self.path:
            forms = self.path_forms()
            return next((form for form in forms if len(form) <= room), forms[-1])
        if room < self.min_cut:
            return None
        return self.text[: room - 1].rstrip() + ELLIPSIS


def _fit(parts: list[_Part], width: int) -> str:
    for part in sorted(parts, key=lambda p: p.keep):
        over = sum(p.length() for p in parts) - width
        if over <= 0:
            break
        if not part.text:
            continue
        shorter = part.shortened(len(part.text) - over)
        if shorter is not None:
            part.text = shorter
        elif not (part.fixed or part.path):
            part.text = ""
    for part in parts:  # a path cut before a later part was left out gets the room back
        if part.path and part.text != part.original:
            slack = width - sum(p.length() for p in parts)
            part.text = next(form for form in part.path_forms() if len(form) <= len(part.text) + slack or form == part.text)
    text = "".join(p.before + p.text + p.after for p in parts if p.text)
    if len(text) > width:
        text = text[: max(width - 1, 0)].rstrip() + ELLIPSIS
    return text


def _page_parts(finding: Finding, ranked: list[RankedPage], shown: Callable[[str], str]) -> list[_Part]:
    top = ranked[0]
    parts = []
    if top.reach.page == finding.sighting.path:
        parts.append(_Part(f"on this {top.label} page", keep=9, before=" ", fixed=True))
    else:
        parts.append(_Part(f"on {top.label} page", keep=9, before=" ", fixed=True))
        parts.append(_Part(printable(shown(top.reach.page)), keep=1, before=" ", path=True))
    if top.evidence is not None:
        parts.append(_Part(printable(evidence_brief(top.evidence)), keep=3, before=" (", after=")", min_cut=16))
    more = len(ranked) - 1
    if more:
        parts.append(_Part(f"+{more} more page{'s' if more > 1 else ''}", keep=7, before=" ", fixed=True))
    return parts


def short_message(
    finding: Finding,
    contexts: Mapping[str, PageContext],
    width: int,
    shown: Callable[[str], str] = lambda rel: rel,
) -> str:
    """The message part of the headline (after `RULE [Vendor] `) in at most `width` characters,
    printable; `shown` turns a repo-relative page path into the one to show."""
    head: Headline | None = finding.headline
    if head is None:
        return _fit([_Part(printable(" ".join(finding.message.split())), keep=7)], width)
    parts = [_Part(printable(head.what), keep=6, min_cut=16)]
    if head.detail:
        parts.append(_Part(printable(head.detail), keep=2, before=" (", after=")"))
    ranked = ranked_pages(finding, contexts) if head.pages else []
    if ranked:
        parts.extend(_page_parts(finding, ranked, shown))
    if head.after:
        parts.append(_Part(printable(head.after), keep=5))
    return _fit(parts, width)


def prefix(location: str, finding: Finding) -> str:
    """`path:line:col: RULE [Vendor] `: what stands before the message on a headline."""
    return f"{location} {finding.rule_id} [{printable(finding.vendor_name)}] "


def location_of(finding: Finding, shown: Callable[[str], str] = lambda rel: rel) -> str:
    s = finding.sighting
    return f"{printable(shown(s.path))}:{s.span.line}:{s.span.column}:"


def headline(
    finding: Finding,
    contexts: Mapping[str, PageContext],
    shown: Callable[[str], str] = lambda rel: rel,
    width: int = HEADLINE_WIDTH,
) -> str:
    """`path:line:col: RULE [Vendor] message` in at most `width` characters (unless the location
    alone is longer), printable."""
    start = prefix(location_of(finding, shown), finding)
    return start + short_message(finding, contexts, max(width - len(start), 0), shown)


def headline_message(finding: Finding, contexts: Mapping[str, PageContext]) -> str:
    """The message of the headline as shown from the repository root, for JSON."""
    start = prefix(location_of(finding), finding)
    return short_message(finding, contexts, max(HEADLINE_WIDTH - len(start), 0))


def sentence(finding: Finding, contexts: Mapping[str, PageContext], width: int = HEADLINE_WIDTH) -> str:
    """The headline as a sentence of at most `width` characters, for a message shown beside the
    rule and location rather than after them (SARIF, GitHub annotations): `Meta Pixel runs on
    this authenticated page (…)`; no location before it, so the page path is seldom shortened."""
    if finding.headline is None:
        return short_message(finding, contexts, width)
    vendor = printable(finding.vendor_name)
    return f"{vendor} {short_message(finding, contexts, max(width - len(vendor) - 1, 0))}"
