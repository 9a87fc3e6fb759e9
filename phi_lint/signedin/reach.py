"""What the policy does with a sighting inside a condition on the signed-in state or on the URL.

Shown only to signed-out visitors: the pages behind login that it reaches do not count (a
signed-in visitor never loads it there), and every finding of the sighting says so. Public
health pages still count: a signed-out visitor of a health page still sends the pixel (PHI002
stays). When nothing sensitive is left, the sighting is inventory (PHI100) with the reason, so
the fix shows in the inventory instead of disappearing.

Shown only off (or on) a URL prefix (`{% if not request.path.startswith('/portal') %}`): the pages
whose URLs, from the route table (phi_lint/signedin/urls.py), are all on the wrong side of the
prefix do not count; a page without a known URL is judged as if the condition were not there,
and the finding says so.

Shown only to signed-in visitors (the `else` of `if not user.is_authenticated`): nothing changes;
those are exactly the visitors of the pages behind login.

The condition may be around the sighting itself (`details["signedIn"]`, `details["pathConditions"]`,
phi_lint/signedin/guard.py) or around the include that brings its file to a page
(`{% if not user.is_authenticated %}{% include "analytics.html" %}{% endif %}`): then it holds for
the pages that render the file through that include only (phi_lint/signedin/chains.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from phi_lint.models import PageContext, PageReach, Sighting
from phi_lint.signedin.conditions import OFF_PATH, ON_PATH, SIGNED_OUT

KEY = "signedIn"
PATH_KEY = "pathConditions"
MAX_NAMED = 3  # pages named in a note
SIGNED_OUT_INVENTORY = "only for signed-out visitors, so not on the pages behind login it reaches"
PATH_INVENTORY = "only where its URL condition holds, so not on the pages that condition excludes"


class ReachConditions(Protocol):
    """What the scan knows beyond the sighting: the conditions along a reach's include chain and
    the URLs a page is served at."""

    def along(self, reach: PageReach) -> list[dict]: ...

    def urls(self, page: str, context: PageContext | None) -> frozenset[str]: ...


@dataclass
class Split:
    """The pages that count, those a condition keeps the sighting off, the sentences that say
    why, and the reason an inventory note gives when nothing sensitive is left."""

    kept: list[PageReach]
    not_loaded: list[PageReach] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    inventory: str = ""


def signed_out_only(sighting: Sighting) -> dict | None:
    """The condition that shows this sighting to signed-out visitors only, or None."""
    guard = (sighting.details or {}).get(KEY)
    if isinstance(guard, dict) and guard.get("shown") == SIGNED_OUT:
        return guard
    return None


def own_conditions(sighting: Sighting) -> list[dict]:
    """The conditions written around the sighting itself that can keep it off a page."""
    found = []
    guard = signed_out_only(sighting)
    if guard is not None:
        found.append(guard)
    paths = (sighting.details or {}).get(PATH_KEY)
    if isinstance(paths, list):
        found.extend(item for item in paths if isinstance(item, dict) and item.get("shown") in (OFF_PATH, ON_PATH))
    return found


def split_reaches(
    sighting: Sighting,
    reaches: list[PageReach],
    contexts: dict[str, PageContext],
    conditions: ReachConditions | None = None,
) -> Split:
    """The reaches that count, and what the conditions on the sighting or its includes leave out."""
    own = own_conditions(sighting)
    if not own and conditions is None:
        return Split(reaches)
    kept: list[PageReach] = []
    dropped: dict[tuple, list[PageReach]] = {}
    unknown: dict[tuple, list[PageReach]] = {}
    said: dict[tuple, dict] = {}
    for reach in reaches:
        context = contexts.get(reach.page)
        excluded = False
        for condition in own + (conditions.along(reach) if conditions is not None else []):
            key = _key(condition)
            said.setdefault(key, condition)
            verdict = _verdict(condition, reach.page, context, conditions)
            if verdict == "unknown":
                unknown.setdefault(key, []).append(reach)
            elif verdict == "excluded":
                dropped.setdefault(key, []).append(reach)
                excluded = True
                break
        if not excluded:
            kept.append(reach)
    if not dropped and not unknown:
        return Split(reaches)
    notes = [_dropped_note(said[key], pages) for key, pages in dropped.items()]
    notes += [_unknown_note(said[key], pages) for key, pages in unknown.items()]
    not_loaded = [reach for pages in dropped.values() for reach in pages]
    kinds = {said[key]["shown"] for key in dropped}
    inventory = SIGNED_OUT_INVENTORY if SIGNED_OUT in kinds else PATH_INVENTORY if kinds else ""
    return Split(kept, not_loaded, notes, inventory)


def _key(condition: dict) -> tuple:
    return (condition.get("path"), condition.get("line"), condition.get("condition"), condition.get("shown"),
            condition.get("prefix"))


def _verdict(condition: dict, page: str, context: PageContext | None, conditions: ReachConditions | None) -> str:
    """`excluded` (the sighting is not loaded on the page), `unknown` (a URL condition on a page
    without a known URL) or `kept`."""
    shown = condition.get("shown")
    if shown == SIGNED_OUT:
        return "excluded" if context is not None and context.authenticated else "kept"
    if shown not in (OFF_PATH, ON_PATH):
        return "kept"
    urls = conditions.urls(page, context) if conditions is not None else frozenset()
    if not urls:
        return "unknown"
    prefix = str(condition.get("prefix") or "/")
    inside = [url.startswith(prefix) for url in urls]
    shown_somewhere = not all(inside) if shown == OFF_PATH else any(inside)
    return "kept" if shown_somewhere else "excluded"


def where(guard: dict) -> str:
    """`inside `{% if not user.is_authenticated %}` (templates/layout.html:3)`."""
    return f"{guard['condition']} ({guard['path']}:{guard['line']})"


def _listed(pages: list[PageReach]) -> tuple[list[str], str]:
    names = sorted({r.page for r in pages})
    listed = ", ".join(names[:MAX_NAMED]) + (f" and {len(names) - MAX_NAMED} more" if len(names) > MAX_NAMED else "")
    return names, listed


def _dropped_note(condition: dict, pages: list[PageReach]) -> str:
    names, listed = _listed(pages)
    if condition["shown"] == SIGNED_OUT:
        counted = f"the authenticated page it reaches ({listed}) does" if len(names) == 1 else (
            f"the {len(names)} authenticated pages it reaches ({listed}) do")
        return (
            f"Only for signed-out visitors: {where(condition)}, so it is not loaded for signed-in visitors "
            f"and {counted} not count."
        )
    prefix = condition.get("prefix")
    side, there = ("outside", f"served under `{prefix}`") if condition["shown"] == OFF_PATH else ("under", "served elsewhere")
    counted = f"the page it reaches ({listed}), {there}, does" if len(names) == 1 else (
        f"the {len(names)} pages it reaches ({listed}), {there}, do")
    return f"Only on URLs {side} `{prefix}`: {where(condition)}, so {counted} not count."


def _unknown_note(condition: dict, pages: list[PageReach]) -> str:
    names, listed = _listed(pages)
    which = f"the page it reaches ({listed}) has" if len(names) == 1 else f"{len(names)} pages it reaches ({listed}) have"
    return (
        f"Limited by URL ({where(condition)}), but {which} no known URL in the route table, "
        "so the condition is not applied there."
    )
