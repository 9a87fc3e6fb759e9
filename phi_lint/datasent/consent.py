"""Consent gating: trackers that only run after the visitor consents.

Recognised as evidence (never as an exemption from PHI001: a cookie banner is not a HIPAA
authorization):
- scripts deferred by type="text/plain" with a consent manager's marker (Cookiebot
  data-cookieconsent, CookieConsent data-category, OneTrust optanon-category-* classes, Klaro
  data-name / data-type, iubenda, Complianz, Usercentrics), whether inline or with a src;
- code wrapped in a consent manager's callback (OneTrust.OnConsentChanged, OptanonWrapper,
  Cookiebot events, __tcfapi, Osano.cm.addEventListener, didomiOnReady, CookieConsent.run
  callbacks) or guarded by a consent check (`if (Cookiebot.consent.marketing)`,
  `CookieConsent.acceptedCategory('analytics')`, OnetrustActiveGroups, Osano.cm.analytics);
- Google consent mode defaults of `denied` (gtag('consent', 'default', {...: 'denied'})) for
  Google's own tags in the same file.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from phi_lint.datasent.flow import Flow, arguments, string_value, unwrap
from phi_lint.datasent.units import consent_marker
from phi_lint.lazyre import lazy_pattern

GOOGLE_VENDORS = {"google-analytics", "google-ads", "google-floodlight", "google-tag-manager"}

CMP_CALLBACK_CALLS = {
    "OneTrust.OnConsentChanged": "OneTrust.OnConsentChanged callback",
    "Optanon.OnConsentChanged": "OneTrust OnConsentChanged callback",
    "Osano.cm.addEventListener": "Osano consent event listener",
    "__tcfapi": "IAB TCF __tcfapi callback",
    "didomiOnReady.push": "Didomi didomiOnReady callback",
    "Didomi.getObservableOnUserConsentStatusForVendor": "Didomi consent observer",
    "CookieConsent.run": "CookieConsent callbacks",
    "cc.run": "CookieConsent callbacks",
    "cookieconsent.run": "CookieConsent callbacks",
    "klaro.setup": "Klaro callbacks",
    "Cookiebot.onaccept": "Cookiebot onaccept callback",
    "UC_UI.onConsentChanged": "Usercentrics consent callback",
}
CMP_EVENTS = {
    "CookiebotOnAccept", "CookiebotOnConsentReady", "CookiebotOnLoad", "consent.onetrust",
    "OneTrustGroupsUpdated", "cookieyes_consent_update", "UC_UI_CMP_EVENT", "UC_CONSENT",
    "ucEvent", "cc:onConsent", "cc:onChange", "cm_consent_given", "osano-cm-consent-saved",
    "osano-cm-analytics", "osano-cm-marketing", "complianz_event_marketing",
    "cmplz_event_marketing", "cmplz_event_statistics", "termlyConsent", "iubenda_consent_given",
}
CMP_CONDITION = lazy_pattern(
    r"Cookiebot\.consent\.(?:marketing|statistics|preferences)|"
    r"(?:CookieConsent|cookieconsent|cc)\.(?:acceptedCategory|allowedCategory|acceptedService)\s*\(|"
    r"(?:Optanon|Onetrust|OneTrust)ActiveGroups|"
    r"Osano\.cm\.(?:analytics|marketing|personalization|getConsent)|"
    r"klaro\.getManager|UC_UI\.(?:areAllConsentsAccepted|getServicesBaseInfo)|"
    r"Didomi\.getUserConsentStatus|iubenda|cmplz_has_consent|"
    r"\bhasConsent\s*\(|\bconsentGiven\b|\b(?:tcData|tcdata)\.(?:eventStatus|purpose)|"
    r"\bconsent\s*\.\s*(?:analytics|marketing|statistics|ads)\b"
)


@dataclass
class Gate:
    start: int  # host offsets of the gated code
    end: int
    how: str
    vendors: frozenset | None = None  # None: every vendor
    at: int = -1  # where the gate is declared, when it is not around the code (consent mode)


def markup_gates(info) -> list[Gate]:
    """Scripts (inline or with src) deferred with type="text/plain" and a consent marker."""
    gates: list[Gate] = []
    text = info.text
    if "text/plain" not in text.lower() and "text/x-" not in text.lower():
        return gates
    try:
        from bs4 import BeautifulSoup
    except ImportError:  # pragma: no cover
        return gates
    from phi_lint.textio import LineIndex

    soup = BeautifulSoup(text, "html.parser")
    index = LineIndex(text)
    lower = text.lower()
    for tag in soup.find_all("script"):
        how = consent_marker(tag.attrs)
        if not how or tag.sourceline is None:
            continue
        start = index.offset(tag.sourceline, (tag.sourcepos or 0) + 1)
        end = lower.find("</script", start)
        end = len(text) if end == -1 else end + len("</script>")
        gates.append(Gate(start, end, how))
    return gates


_CMP_CONDITION_AT = lazy_pattern("(?=(" + CMP_CONDITION.pattern + "))")
_SHOWN_FROM = 4096  # characters of a condition read to show its first 80 (white space collapsed)


class _ConsentChecks:
    """Whether a condition's code holds a consent check (CMP_CONDITION).

    `a && b && …` nests each operand in the next, so searching every operand read the code once
    per level (quadratic). Each condition is searched as it comes while the conditions read add
    up to less than twice the code; after that, the code's matches are listed once and looked
    up: a match starting inside the condition and ending before its end. (Nodes start and end
    at token boundaries, so a match there is the one the condition's own text gives.)
    """

    def __init__(self, unit):
        self.unit = unit
        self.budget = 2 * len(unit.code) + 4096
        self.starts: list[int] | None = None
        self.earliest_end_from: list[int] = []  # the smallest match end among matches from i on

    def holds(self, node) -> bool:
        start, end = self.unit.span_of(node)
        if self.starts is None and end - start <= self.budget:
            self.budget -= end - start
            return CMP_CONDITION.search(self.unit.code[start:end]) is not None
        starts = self.starts if self.starts is not None else self._list_matches()
        at = bisect.bisect_left(starts, start)
        return at < len(starts) and self.earliest_end_from[at] <= end

    def _list_matches(self) -> list[int]:
        """Where each consent comparison in the unit starts (kept in self.starts), in order."""
        matches = [(m.start(), m.end(1)) for m in _CMP_CONDITION_AT.finditer(self.unit.code)]
        self.starts = [start for start, _ in matches]
        self.earliest_end_from = [0] * len(matches)
        earliest = len(self.unit.code) + 1
        for i in range(len(matches) - 1, -1, -1):
            earliest = min(earliest, matches[i][1])
            self.earliest_end_from[i] = earliest
        return self.starts

    def shown(self, node) -> str:
        """The condition's first 80 characters, white space collapsed (read from its start only)."""
        start, end = self.unit.span_of(node)
        return " ".join(self.unit.code[start : min(end, start + _SHOWN_FROM)].split())[:80]


def code_gates(unit, flow: Flow, naming) -> list[Gate]:
    gates = []
    checks = _ConsentChecks(unit)
    nodes = unit.nodes("call_expression", "if_statement", "function_declaration", "binary_expression")
    for node in nodes:
        if node.type == "function_declaration":
            name = node.child_by_field_name("name")
            if name is not None and name.text == b"OptanonWrapper":
                start, end = unit.host_range(node)
                gates.append(Gate(start, end, "OneTrust OptanonWrapper callback"))
            continue
        if node.type == "if_statement":
            condition = node.child_by_field_name("condition")
            if condition is not None and checks.holds(condition):
                body = node.child_by_field_name("consequence")
                if body is not None:
                    start, end = unit.host_range(body)
                    gates.append(Gate(start, end, f"guarded by `{checks.shown(condition)}`"))
            continue
        if node.type == "binary_expression":
            operator = node.child_by_field_name("operator")
            left = node.child_by_field_name("left")
            if operator is not None and operator.text == b"&&" and left is not None and checks.holds(left):
                right = node.child_by_field_name("right")
                start, end = unit.host_range(right)
                gates.append(Gate(start, end, f"guarded by `{checks.shown(left)}`"))
            continue
        if node.type != "call_expression":
            continue
        callee = node.child_by_field_name("function")
        name = naming(callee) or ""
        args = arguments(node)
        how = CMP_CALLBACK_CALLS.get(name)
        if how is None and name.rsplit(".", 1)[-1] == "addEventListener" and args:
            event = string_value(args[0])
            if event in CMP_EVENTS:
                how = f"{event} event listener"
        if how is None and name.endswith(".run") and "cookieconsent" in name.lower():
            how = "CookieConsent callbacks"
        if how is not None:
            for arg in args:
                inner = unwrap(arg)
                if inner is not None and inner.type in ("arrow_function", "function_expression", "function", "object"):
                    start, end = unit.host_range(inner)
                    gates.append(Gate(start, end, how))
            continue
        if name == "gtag" and len(args) >= 3 and string_value(args[0]) == "consent" and string_value(args[1]) == "default":
            settings = unwrap(args[2])
            denied: list[str] = []
            if settings is not None and settings.type == "object":
                for pair in settings.named_children:
                    if pair.type != "pair":
                        continue
                    value = string_value(unwrap(pair.child_by_field_name("value")))
                    if value == "denied":
                        key = pair.child_by_field_name("key")
                        quoted = string_value(key) if key is not None and key.type == "string" else None
                        denied.append(quoted if quoted is not None else unit.node_text(key))
            if denied:
                start, _end = unit.host_range(node)
                how = f"Google consent mode defaults to denied ({', '.join(denied[:4])})"
                gates.append(Gate(0, 1 << 60, how, frozenset(GOOGLE_VENDORS), at=start))
    return gates
