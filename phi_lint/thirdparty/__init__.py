"""Third parties beyond the catalogue (PHI006): which hosts a page loads, who they belong to.

- `hosts`: the host of a URL, and host patterns (`*.riverbend.org`, a vendor's domain);
- `cdns`: the public library CDNs and shared-hosting suffixes of rules/library-cdns.toml;
- `vendorhosts`: each catalogue vendor's hosts, derived from its URL patterns and `hosts`;
- `loads`: the loading shapes of a file (script src, pixel, fetch, WebSocket, …) from its facts;
- `classify` / `found`: one sighting per host and file, classified (vendor, library CDN, unknown);
- `firstparty`: the hosts a repository says are its own, and the `first-party` setting;
- `policy`: PHI006 on sensitive pages, inventory (PHI100) elsewhere;
- `summary`: the hosts seen, for the summary, `--statistics` and JSON `thirdPartyHosts`.
"""

from __future__ import annotations

# the details key that marks a third-party host sighting (its vendor_id is the host itself)
HOST_KEY = "thirdPartyHost"


def is_host_sighting(sighting) -> bool:
    details = sighting.details
    return bool(details) and HOST_KEY in details
