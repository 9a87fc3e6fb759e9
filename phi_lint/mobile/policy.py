"""Mobile sightings → findings. Rule ids:

- PHI002 (tracker-on-health-page, warning): an SDK call inside a health screen, and automatic
  event logging left on in an app that has health screens (every screen's use is then sent,
  health screens included). A health screen of an app is what a health page is to a site.
- PHI004 (identifiers-sent-to-tracker): personal or health data handed to an SDK call, judged by
  the data-sent model (phi_lint.datasent.policy), with the health screen named.
- PHI100: everything else (a call on a screen not known to be about health, automatic logging in
  an app with no health screen found, app ids).

No PHI001: whether a screen is behind the app's login is not known from its code.
"""

from __future__ import annotations

from phi_lint.mobile.sightings import MAX_SCREENS_LISTED
from phi_lint.models import Evidence, Finding, Headline, PageReach, Sighting


def is_mobile(sighting: Sighting) -> bool:
    return bool(sighting.details and sighting.details.get("mobile"))


def decide_mobile(sighting: Sighting, catalogue, baa_vendors: set[str]) -> list[Finding]:
    from phi_lint.findings import lowered_by_baa, make_finding, vendor_label

    details = sighting.details or {}
    vendor_name, category = vendor_label(catalogue, sighting.vendor_id)
    if sighting.kind == "data-sent":
        return [_data(sighting, catalogue, baa_vendors)]
    head = f"{vendor_name} ({category})"
    if details.get("mobile") == "app-id":
        message = f"{head} is set up in the app's platform configuration ({details.get('why', '')}); inventory only."
        findings = [make_finding("PHI100", sighting, vendor_name, category, message, [], [],
                                 headline=Headline("is set up in the app's platform configuration; inventory only", pages=False))]
    elif details.get("mobile") == "auto-logging":
        screens = details.get("healthScreens") or []
        what = f"{head} {details.get('what', 'logs events automatically')}: {details.get('why', '')}."
        if not screens:
            message = f"{what} No health screen was found in the app; inventory only."
            findings = [make_finding("PHI100", sighting, vendor_name, category, message, [], [],
                                     headline=Headline("logs app events automatically; inventory only", pages=False))]
        else:
            listed = "; ".join(f"{path} ({why})" for path, why in screens[:MAX_SCREENS_LISTED])
            more = f" and {len(screens) - MAX_SCREENS_LISTED} more" if len(screens) > MAX_SCREENS_LISTED else ""
            message = (f"{what} The app has {len(screens)} health screen{'s' if len(screens) != 1 else ''}: {listed}{more}. "
                       "Automatic events carry the device's identifiers and the screens used; turn automatic logging "
                       "off in AndroidManifest.xml / Info.plist.")
            evidence = [Evidence(why, path) for path, why in screens]
            pages = [PageReach(path, (path, sighting.path)) for path, _why in screens]
            findings = [make_finding("PHI002", sighting, vendor_name, category, message, pages, evidence,
                                     headline=Headline(f"logs app events automatically in an app with {len(screens)} health screen"
                                                       + ("s" if len(screens) != 1 else ""), pages=False))]
    else:
        call = details.get("call", sighting.snippet)
        health = details.get("healthScreen")
        if health:
            message = (f"{head} is called ({call}) in a health screen ({health}). "
                       "Events from health screens can reveal a person's conditions to the vendor.")
            findings = [make_finding("PHI002", sighting, vendor_name, category, message, [_own(sighting)],
                                     [Evidence(health, sighting.path, sighting.span.line)],
                                     headline=Headline(f"is called in a health screen ({health})", pages=False))]
        else:
            screen = f" in screen {details['screen']}" if details.get("screen") else ""
            message = f"{head} is called ({call}){screen}, not known to be about health; inventory only."
            findings = [make_finding("PHI100", sighting, vendor_name, category, message, [], [],
                                     headline=Headline("runs in app code not known to be sensitive; inventory only", pages=False))]
    if sighting.vendor_id in baa_vendors:
        findings = lowered_by_baa(findings)
    return findings


def _data(sighting: Sighting, catalogue, baa_vendors: set[str]) -> Finding:
    from phi_lint.datasent.policy import decide_data

    finding = decide_data(sighting, [], {}, catalogue, baa_vendors)
    health = (sighting.details or {}).get("healthScreen")
    if health:
        finding.level = "error"
        note = f"It is called in a health screen ({health})."
        finding.message = finding.message.split(" No page it reaches", 1)[0] + " " + note
        finding.notes += (note,)
        finding.evidence = [*finding.evidence, Evidence(health, sighting.path, sighting.span.line)]
        finding.pages = [_own(sighting)]
    return finding


def _own(sighting: Sighting) -> PageReach:
    """The screen a call is made in: the file that holds it."""
    return PageReach(sighting.path, (sighting.path,))
