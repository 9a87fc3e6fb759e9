"""PHI004 identifiers-sent-to-tracker: a data-sent sighting and the pages it reaches -> finding.

Level: error on any page that is authenticated or health-related, and error anywhere when the
data is health data; a warning when a page with no sensitive context sends only contact details
or identifiers. Neither consent nor a vendor listed in baa-vendors lowers PHI004: both are named in
the message (a BAA claim in config is not checked against what is sent; a reasoned suppression
of the one finding is).
"""

from __future__ import annotations

from phi_lint.catalogue import Catalogue
from phi_lint.models import Evidence, Finding, Headline, PageContext, PageReach, Sighting

MAX_PAGES_IN_MESSAGE = 3
MAX_ITEMS_IN_MESSAGE = 6
_CLASS_WORDS = {"health": "health data", "identity": "personal data", "contact": "contact details"}


def _why(contexts: dict[str, PageContext], page: str, label: str) -> str:
    evidence = contexts[page].labels.get(label, []) if page in contexts else []
    return evidence[0].describe(page) if evidence else label


def _pages(sighting: Sighting, reaches: list[PageReach], contexts, label: str) -> str:
    from phi_lint.findings import page_list

    if len(reaches) == 1 and reaches[0].page == sighting.path:
        return f"on this {label} page ({_why(contexts, sighting.path, label)})"
    count = f"an {label} page" if len(reaches) == 1 and label[0] in "aeiou" else (
        f"a {label} page" if len(reaches) == 1 else f"{len(reaches)} {label} pages")
    return f"on {count}: {page_list(reaches, contexts, label)}"


def _sent(details: dict) -> str:
    parts = []
    sent = details.get("sent") or []
    for item in sent[:MAX_ITEMS_IN_MESSAGE]:
        key, source, cls = item.get("key"), item.get("source"), item.get("class")
        word = _CLASS_WORDS.get(cls, cls)
        if source and source != key:
            parts.append(f"{key} = {source} ({word})")
        else:
            parts.append(f"{key} ({word})")
    if len(sent) > MAX_ITEMS_IN_MESSAGE:
        parts.append(f"and {len(sent) - MAX_ITEMS_IN_MESSAGE} more")
    return "; ".join(parts)


def decide_data(
    sighting: Sighting,
    reaches: list[PageReach],
    contexts: dict[str, PageContext],
    catalogue: Catalogue,
    baa_vendors: set[str],
) -> Finding:
    details = sighting.details or {}
    from phi_lint.findings import vendor_label

    vendor_name, category = vendor_label(catalogue, sighting.vendor_id, details.get("vendorName"))
    classes = {item.get("class") for item in details.get("sent", [])}
    health_data = "health" in classes
    auth = [r for r in reaches if r.page in contexts and contexts[r.page].authenticated]
    health_pages = [r for r in reaches if r.page in contexts and contexts[r.page].health and not contexts[r.page].authenticated]
    sensitive = auth + health_pages
    evidence: list[Evidence] = []
    for reach in sensitive:
        for label_evidence in contexts[reach.page].labels.values():
            evidence.extend(label_evidence)

    kind = "health data" if health_data else "personal data"
    call = details.get("call", sighting.snippet)
    what = details.get("what")
    head = f"{vendor_name} ({category}) is handed {kind} by {call}" + (f" ({what})" if what else "")
    head += f": {_sent(details)}."
    notes: list[str] = []
    headline = Headline(f"is handed {kind}", _first_sent(details))

    rule_id = "PHI004"
    pages = sensitive
    if auth:
        level = "error"
        message = f"{head} It runs {_pages(sighting, auth, contexts, 'authenticated')}"
        if health_pages:  # the health pages are named too: PHI004 covers both kinds
            message += f", and {_pages(sighting, health_pages, contexts, 'health')}"
        message += "."
    elif health_pages:
        level = "error"
        message = f"{head} It runs {_pages(sighting, health_pages, contexts, 'health')}."
    elif health_data:
        level = "error"
        message = (f"{head} No page it reaches is known to be authenticated or health-related, but health data "
                   "sent to an analytics or ad vendor without a BAA is a disclosure on any page.")
        headline = Headline(headline.what, headline.detail, " on a page not known to be sensitive", pages=False)
    else:
        level = "warning"
        message = (f"{head} No page it reaches is known to be authenticated or health-related; identifiers and "
                   "contact details sent to a tracker are still personal data (warning).")
        headline = Headline(headline.what, headline.detail, " on a page not known to be sensitive", pages=False)
    notes.append(f"Sent: {_sent(details)}.")
    if details.get("consentGated"):
        notes.append(f"Consent-gated ({details.get('consent', 'consent manager')}); a cookie banner is not a HIPAA "
                     "authorization, so this stays a finding.")
    if sighting.vendor_id in baa_vendors:
        notes.append("The vendor is listed in baa-vendors, which does not lower PHI004: a BAA covers only the "
                     "data it names; if it covers this, suppress the finding with that reason.")
    message = " ".join([message, *notes[1:]])
    from phi_lint.findings import make_finding

    return make_finding(
        rule_id, sighting, vendor_name, category, message, pages, evidence, level=level,
        headline=headline, notes=tuple(notes),
    )


def _first_sent(details: dict) -> str:
    """The first item sent, for the headline: `content_ids = {{ patient_id }}, +2 more`."""
    sent = details.get("sent") or []
    if not sent:
        return ""
    key, source = sent[0].get("key"), sent[0].get("source")
    first = f"{key} = {source}" if source and source != key else str(key)
    return first + (f", +{len(sent) - 1} more" if len(sent) > 1 else "")
