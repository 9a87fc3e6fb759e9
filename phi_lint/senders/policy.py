"""A server-side sender → findings: PHI004 when its payload holds personal or health data,
PHI001 when a login-guarded handler reaches it, inventory (PHI100) when neither.

A sender is not on a page, so the page rules' evidence is what the sender analysis found in its
file: the payload fields (phi_lint.senders.payload) and the handler chain with its guards and
route (phi_lint.senders.guards). A page it is part of (a plain PHP page) that is behind login
counts as a guard too. PHI004 is not lowered by baa-vendors (as in the browser, a BAA covers only
the data it names); PHI001 and inventory are, like any page finding.
"""

from __future__ import annotations

from phi_lint.catalogue import Catalogue
from phi_lint.datasent.policy import MAX_ITEMS_IN_MESSAGE
from phi_lint.findings import lowered_by_baa, make_finding, vendor_label
from phi_lint.models import Evidence, Finding, Headline, PageContext, PageReach, Sighting

_CLASS_WORDS = {"health": "health data", "identity": "personal data", "contact": "contact details"}


def decide_sender(sighting: Sighting, reaches: list[PageReach], contexts: dict[str, PageContext],
                  catalogue: Catalogue, baa_vendors: set[str]) -> list[Finding]:
    details = sighting.details or {}
    vendor_name, category = vendor_label(catalogue, sighting.vendor_id)
    sender = f"{vendor_name} {details.get('sender', 'server sender')}"
    guards = _guard_evidence(sighting, details)
    auth_pages = [r for r in reaches if r.page in contexts and contexts[r.page].authenticated]
    for reach in auth_pages:
        guards.extend(contexts[reach.page].labels.get("authenticated", []))
    reached = _reached(details, guards, sighting.path)
    findings: list[Finding] = []
    sent = details.get("sent") or []
    if sent:
        findings.append(_data_finding(sighting, sender, vendor_name, category, sent, reached, guards, baa_vendors))
    page_findings: list[Finding] = []
    if guards:
        message = (f"{sender} is called from a handler behind login: {reached}. A server-side send from a "
                   "signed-in patient's request discloses that relationship to the vendor, with the user's "
                   "identifiers and IP address if it sends them. Fix: send nothing from signed-in handlers, "
                   "or only to a vendor that signed a BAA, with the authorization the law requires.")
        page_findings.append(make_finding("PHI001", sighting, vendor_name, category, message, auth_pages, guards,
                                          headline=Headline(f"server-side sender ({details.get('sender', '')}) behind login",
                                                            reached, pages=False)))
    elif details.get("dependency") or details.get("imported"):
        how = (f"is a dependency of this project (`{details['dependency']}`)" if details.get("dependency")
               else f"is imported here (`{details['imported']}`) but no sending call of it was found in this file")
        message = f"{sender} {how}; inventory only (its sends are reported where they are made)."
        page_findings.append(make_finding("PHI100", sighting, vendor_name, category, message, [], [],
                                          headline=Headline("server SDK of this project; inventory only", pages=False)))
    elif not sent:
        message = (f"{sender} sends from server code; its payload names no personal or health data and no "
                   f"login guard reaches it{_route_note(details)}; inventory only.")
        page_findings.append(make_finding("PHI100", sighting, vendor_name, category, message, [], [],
                                          headline=Headline("server-side sender; inventory only", pages=False)))
    if sighting.vendor_id in baa_vendors:
        page_findings = lowered_by_baa(page_findings)
    return findings + page_findings


def _data_finding(sighting: Sighting, sender: str, vendor_name: str, category: str, sent: list[dict],
                  reached: str, guards: list[Evidence], baa_vendors: set[str]) -> Finding:
    health = any(item.get("class") == "health" for item in sent)
    kind = "health data" if health else "personal data"
    fields = _fields(sent)
    fix = ("remove the health fields from the payload" if health else
           "remove the identifiers (hashing does not make them anonymous)")
    message = f"{sender} is sent {kind} from server code: {fields}."
    if guards:
        message += f" It runs {reached}."
    message += (f" Fix: {fix}, or send only to a vendor under a BAA that covers this data, with the patient's "
                "authorization where the law requires it; consent to cookies does not cover a server-side send.")
    notes = [f"Sent: {fields}."]
    if sighting.vendor_id in baa_vendors:
        note = ("The vendor is listed in baa-vendors, which does not lower PHI004: a BAA covers only the data it "
                "names; if it covers this, suppress the finding with that reason.")
        message += " " + note
        notes.append(note)
    level = "error" if health or guards else "warning"
    first = sent[0]
    detail = str(first.get("key")) + (f", +{len(sent) - 1} more" if len(sent) > 1 else "")
    return make_finding("PHI004", sighting, vendor_name, category, message, [], guards, level=level,
                        headline=Headline(f"server-side sender is handed {kind}", detail, pages=False),
                        notes=tuple(notes))


def _fields(sent: list[dict]) -> str:
    parts = []
    for item in sent[:MAX_ITEMS_IN_MESSAGE]:
        key, source, cls = item.get("key"), item.get("source"), item.get("class")
        word = _CLASS_WORDS.get(str(cls), str(cls))
        parts.append(f"{key} = {source} ({word})" if source and source != key else f"{key} ({word})")
    if len(sent) > MAX_ITEMS_IN_MESSAGE:
        parts.append(f"and {len(sent) - MAX_ITEMS_IN_MESSAGE} more")
    return "; ".join(parts)


def _guard_evidence(sighting: Sighting, details: dict) -> list[Evidence]:
    return [Evidence(g["text"], g.get("path") or sighting.path, g.get("line"), strength=1.0, brief=g["text"])
            for g in details.get("guards") or []]


def _reached(details: dict, guards: list[Evidence], path: str) -> str:
    """`from book() (`@login_required` on the handler, line 12) at route `/appointments/book``;
    a guard written in another file (a route file) is given with its path."""
    chain = details.get("chain") or []
    via = " ← ".join(f"{name}()" if not name.startswith("(") else name for name in chain[:4])
    said = "; ".join(_where(g, path) for g in guards[:3])
    out = f"from {via}" if via else "from this file"
    if said:
        out += f" ({said})"
    return out + _route_note(details)


def _where(guard: Evidence, path: str) -> str:
    if guard.path and guard.path != path:
        return f"{guard.text}, {guard.path}:{guard.line}" if guard.line else f"{guard.text}, {guard.path}"
    return f"{guard.text}, line {guard.line}" if guard.line else guard.text


def _route_note(details: dict) -> str:
    route = details.get("route")
    return f" at route `{route}`" if route else ""
