"""One inferred page label with its evidence."""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter

# not a page label: an Inference with this label carries the URL a route serves its page at
# (text = the URL pattern, path and line = where the route is declared), for `-f routes`; the
# scan keeps it out of the page contexts
URL_LABEL = "url"
# not page labels either: a guard in force on a handler function (page = "file#function", see
# phi_lint.frameworks.routes.handler_key) and the URL that handler serves, declared in another
# file (a route file, a URLconf); server-side senders inside that handler take them as guards
HANDLER_GUARD_LABEL = "handler-guard"
HANDLER_URL_LABEL = "handler-url"


@dataclass(frozen=True, order=True)
class Inference:
    """`page` (repo-relative) is `label` because of `text`, seen at `path`:`line`.

    label: "authenticated", "health", or "public" (a login page: not itself behind login).
    weak: a lower-confidence signal (a path name, a page that shows the signed-in user); weak
    signals are shown as such in messages.
    own_guard: an authenticated label from a guard written on the code that serves this very page
    (`[Authorize]` on its controller or action), not a rule for a whole area or site.
    by_name: a public label from the page's name or URL alone (`SetPassword.cshtml`, `/login`); an
    own guard beats it (see `guards_beat_names`).
    """

    page: str
    label: str
    text: str
    path: str
    line: int = 0
    weak: bool = False
    own_guard: bool = False
    by_name: bool = False


# the dataclass order as a fast sort key: every field, in declaration order
INFERENCE_ORDER = attrgetter("page", "label", "text", "path", "line", "weak", "own_guard", "by_name")


def guards_beat_names(found: list[Inference]) -> list[Inference]:
    """`found` without the public labels a page has by its name alone where a guard on the page's
    own code says it is behind login: ASP.NET Identity's `Manage/SetPassword` under `[Authorize]`
    is a signed-in user's page, whatever its name says. A site-wide guard does not do this: a
    sign-in page is let through by the framework whatever the blanket rule."""
    guarded = {item.page for item in found if item.own_guard and item.label == "authenticated"}
    if not guarded:
        return found
    return [item for item in found if not (item.by_name and item.page in guarded)]
