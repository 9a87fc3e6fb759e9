"""Who a loaded URL belongs to: a catalogue vendor, a public library CDN, or nobody phi-lint knows.

In order: a URL one of the vendor's URL signatures matches is that vendor's (and already a
sighting of it); a library CDN's host is a library CDN; a vendor's host (see vendorhosts) is
that vendor's, classified but not a sighting: the URL matches none of its signatures, so the
catalogue cannot say what it loads (which product of a company that has several, whether it
records sessions, which account), and attributing it would invent a PHI001 the code does not
show. Everything else is unclassified.
"""

from __future__ import annotations

from dataclasses import dataclass

from phi_lint.thirdparty.cdns import LIBRARY_CDN, library_cdns
from phi_lint.thirdparty.vendorhosts import VendorHosts

SIGNATURE, HOST = "signature", "host"  # how a vendor was recognised


@dataclass(frozen=True)
class Classification:
    classified: str | None  # a vendor id, "library-cdn", or None
    match: str | None  # signature | host | library-cdn | None
    name: str | None = None  # the library CDN's name


UNCLASSIFIED = Classification(None, None)


class HostClassifier:
    def __init__(self, catalogue):
        self.cdns = library_cdns()
        self.vendor_hosts = VendorHosts(catalogue, self.cdns)
        self._signatures = [(vendor.id, sig.pattern) for vendor in catalogue for sig in vendor.urls]

    def classify(self, url: str, host: str) -> Classification:
        for vendor_id, pattern in self._signatures:
            if pattern.search(url):
                return Classification(vendor_id, SIGNATURE)
        name = self.cdns.name_of(host)
        if name is not None:
            return Classification(LIBRARY_CDN, LIBRARY_CDN, name)
        owner = self.vendor_hosts.owner(host)
        if owner is not None:
            return Classification(owner, HOST)
        return UNCLASSIFIED
