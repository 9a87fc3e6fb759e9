"""What the policy does with a sighting inside a condition on the signed-in state.

Shown only to signed-out visitors: the pages behind login that it reaches do not count (a
signed-in visitor never loads it there), and every finding of the sighting says so. Public
health pages still count: a signed-out visitor of a health page still sends the pixel (PHI002
stays). When nothing sensitive is left, the sighting is inventory (PHI100) with the reason, so
the fix shows in the inventory instead of disappearing.

Shown only to signed-in visitors (the `else` of `if not user.is_authenticated`): nothing changes;
those are exactly the visitors of the pages behind login.
"""

from __future__ import annotations

from phi_lint.models import PageContext, PageReach, Sighting
from phi_lint.signedin.conditions import SIGNED_OUT

KEY = "signedIn"
MAX_NAMED = 3  # authenticated pages named in the note


def signed_out_only(sighting: Sighting) -> dict | None:
    """The condition that shows this sighting to signed-out visitors only, or None."""
    guard = (sighting.details or {}).get(KEY)
    if isinstance(guard, dict) and guard.get("shown") == SIGNED_OUT:
        return guard
    return None


def split_reaches(
    sighting: Sighting, reaches: list[PageReach], contexts: dict[str, PageContext]
) -> tuple[list[PageReach], list[PageReach]]:
    """(pages that count, authenticated pages a signed-out-only sighting never loads on)."""
    if signed_out_only(sighting) is None:
        return reaches, []
    behind_login = {r.page for r in reaches if r.page in contexts and contexts[r.page].authenticated}
    kept = [r for r in reaches if r.page not in behind_login]
    dropped = [r for r in reaches if r.page in behind_login]
    return kept, dropped


def where(guard: dict) -> str:
    """`inside `{% if not user.is_authenticated %}` (templates/layout.html:3)`."""
    return f"{guard['condition']} ({guard['path']}:{guard['line']})"


def note(sighting: Sighting, dropped: list[PageReach]) -> str:
    """The sentence every finding of a signed-out-only sighting carries."""
    guard = signed_out_only(sighting)
    assert guard is not None
    names = sorted({r.page for r in dropped})
    listed = ", ".join(names[:MAX_NAMED]) + (f" and {len(names) - MAX_NAMED} more" if len(names) > MAX_NAMED else "")
    pages = f"the authenticated page it reaches ({listed}) does" if len(names) == 1 else (
        f"the {len(names)} authenticated pages it reaches ({listed}) do")
    return (
        f"Only for signed-out visitors: {where(guard)}, so it is not loaded for signed-in visitors "
        f"and {pages} not count."
    )
