"""Each catalogue vendor's hosts: declared (`hosts = [...]` in its file) and derived.

A URL pattern that starts with a host names it literally: `connect\\.facebook\\.net/…` gives
connect.facebook.net, `(?:z|js)\\.moatads\\.com/…` gives both hosts, `cdn\\d*\\.mxpnl\\.com/…`
gives the literal domain after the last non-literal part (mxpnl.com). A pattern that starts
with a path (`/utag.js`) gives none, and a host on shared hosting (cloudfront.net, jsDelivr,
unpkg: see rules/library-cdns.toml) is never derived: that pattern names one path on it.

A host matches a vendor host when it is that host or a subdomain of it; when several vendors
claim a host, the longest (most specific) claim wins, then a declared host over a derived one,
then the first vendor id.
"""

from __future__ import annotations

from phi_lint.sre_compat import parse, sre_constants
from phi_lint.thirdparty.cdns import LibraryCdns
from phi_lint.thirdparty.hosts import valid_host

BRANCH, LITERAL, SUBPATTERN = sre_constants.BRANCH, sre_constants.LITERAL, sre_constants.SUBPATTERN
MAX_REPEAT, MIN_REPEAT = sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT

MAX_ALTERNATIVES = 16


def _alternatives(items) -> list[str] | None:
    """Every text a run of literals, groups, alternations and optional parts can be; None when
    it holds anything else (a class, a repeat, an anchor) or too many texts."""
    texts = [""]
    for op, value in items:
        choices: list[str] | None
        if op is LITERAL:
            char = chr(value)
            if char == "/":
                return None
            choices = [char]
        elif op is SUBPATTERN:
            choices = _alternatives(value[-1])
        elif op is BRANCH:
            choices = []
            for branch in value[1]:
                more = _alternatives(branch)
                if more is None:
                    return None
                choices.extend(more)
        elif op in (MAX_REPEAT, MIN_REPEAT) and value[0] == 0 and value[1] == 1:
            inner = _alternatives(value[2])
            choices = None if inner is None else ["", *inner]
        else:
            return None
        if choices is None:
            return None
        texts = [text + choice for text in texts for choice in choices]
        if len(texts) > MAX_ALTERNATIVES:
            return None
    return texts


def derive_hosts(pattern: str) -> list[str]:
    """The literal hosts at the start of a URL pattern, up to its first `/` (see the module)."""
    try:
        items, _flags = parse(pattern)
    except Exception:  # an RE2-only pattern of a user's vendor file: nothing derived
        return []
    texts = [""]
    for op, value in items:
        if op is LITERAL and chr(value) == "/":
            hosts = []
            for text in texts:
                host = text.lstrip(".").lower()
                if valid_host(host) and host not in hosts:
                    hosts.append(host)
            return hosts
        choices = _alternatives([(op, value)])
        if choices is None:
            texts = [""]  # only what follows a non-literal part is the host's literal domain
            continue
        texts = [text + choice for text in texts for choice in choices]
        if len(texts) > MAX_ALTERNATIVES:
            return []
    return []


class VendorHosts:
    """Host → vendor id, from every vendor's declared and derived hosts."""

    def __init__(self, catalogue, cdns: LibraryCdns):
        self._owners: dict[str, str] = {}
        vendors = sorted(catalogue, key=lambda v: v.id)
        for vendor in vendors:  # declared hosts first: they are the vendor file's own word
            for host in vendor.hosts:
                self._owners.setdefault(host, vendor.id)
        for vendor in vendors:
            for signature in vendor.urls:
                for host in derive_hosts(signature.pattern.pattern):
                    if not cdns.is_shared(host) and cdns.name_of(host) is None:
                        self._owners.setdefault(host, vendor.id)

    def owner(self, host: str) -> str | None:
        """The vendor whose host (or a parent domain of it) this is, most specific first."""
        parts = host.split(".")
        for i in range(len(parts) - 1):
            found = self._owners.get(".".join(parts[i:]))
            if found is not None:
                return found
        return None

    def owners_within(self, domain: str) -> list[str]:
        """The vendors with a host that is domain or under it (a CSP's `*.facebook.net`), sorted;
        a parent domain's owner counts too (`*.mxpnl.com` when the vendor host is mxpnl.com)."""
        owners = {owner for host, owner in self._owners.items() if host == domain or host.endswith("." + domain)}
        parent = self.owner(domain)
        if parent is not None:
            owners.add(parent)
        return sorted(owners)

    def hosts_of(self, vendor_id: str) -> list[str]:
        return sorted(host for host, owner in self._owners.items() if owner == vendor_id)
