"""A Content-Security-Policy's host sources, and the catalogue vendors they allow.

A policy committed in the repository lists the origins a page may run scripts from and send data
to. That is evidence about the page, never a sighting of the tracker: a policy that allows
connect.facebook.net says the pixel may be loaded at run time, not that it is. So an allowed
catalogue vendor is inventory (PHI100) with the policy as evidence, and a host no catalogue
knows is counted nowhere (it is not a load, so it is not PHI006).

Only the directives that decide what runs and where data goes are read: script-src (and its
-elem variant), default-src, connect-src, img-src, frame-src and child-src. Keyword sources
('self', 'unsafe-inline', 'nonce-…', 'sha256-…'), scheme-only sources (`https:`, `data:`) and a
bare `*` name no host, so they are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from phi_lint.lazyre import lazy_pattern
from phi_lint.thirdparty.hosts import is_reserved, valid_host

DIRECTIVES = ("script-src", "script-src-elem", "default-src", "connect-src", "img-src", "frame-src", "child-src")
# what allowing a vendor in a directive means, for messages
LOADS = ("script-src", "script-src-elem", "default-src")

_SCHEME_ONLY = lazy_pattern(r"^[a-z][a-z0-9+.-]*:$", re.IGNORECASE)
_SOURCE = lazy_pattern(r"^(?:[a-z][a-z0-9+.-]*://)?(\*\.)?([^/:?#]+)(?::(?:\d+|\*))?(?:[/?#].*)?$", re.IGNORECASE)


@dataclass(frozen=True)
class HostSource:
    directive: str
    source: str  # as written: https://*.facebook.net
    host: str  # facebook.net
    wildcard: bool  # *.facebook.net: the host's subdomains


def parse_policy(text: str) -> dict[str, list[str]]:
    """Directive name (lower case) → its sources; the first occurrence of a directive wins, as in
    browsers. Several policies joined by `,` (one header sent twice) are read as one."""
    policy: dict[str, list[str]] = {}
    for part in re.split(r"[;,]", text):
        tokens = part.split()
        if not tokens:
            continue
        name = tokens[0].lower()
        policy.setdefault(name, tokens[1:])
    return policy


def source_host(source: str) -> tuple[str, bool] | None:
    """(host, wildcard) of a host source, or None for keywords, schemes, `*` and non-hosts."""
    if not source or source.startswith("'") or source == "*" or _SCHEME_ONLY.match(source):
        return None
    match = _SOURCE.match(source)
    if match is None:
        return None
    host = match.group(2).lower().rstrip(".")
    if not valid_host(host) or is_reserved(host):
        return None
    return host, match.group(1) is not None


def host_sources(policy: dict[str, list[str]]) -> list[HostSource]:
    """The host sources of the directives that matter, in directive order."""
    found = []
    for directive in DIRECTIVES:
        for source in policy.get(directive, ()):
            parsed = source_host(source)
            if parsed is not None:
                found.append(HostSource(directive, source, *parsed))
    return found


def allowed_vendors(sources: list[HostSource], classifier) -> dict[str, list[HostSource]]:
    """Catalogue vendor id → the sources that allow it. An exact host is classified like a load
    (phi_lint.thirdparty.classify); a wildcard allows every vendor host under its domain."""
    from phi_lint.thirdparty.cdns import LIBRARY_CDN

    found: dict[str, list[HostSource]] = {}
    for item in sources:
        if item.wildcard:
            owners = classifier.vendor_hosts.owners_within(item.host)
        else:
            kind = classifier.classify(f"https://{item.host}/", item.host)
            owners = [kind.classified] if kind.classified not in (None, LIBRARY_CDN) else []
        for owner in owners:
            entries = found.setdefault(owner, [])
            if item not in entries:
                entries.append(item)
    return dict(sorted(found.items()))
