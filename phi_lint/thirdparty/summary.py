"""The third-party hosts a run saw: for the text summary, `--statistics` and JSON.

`thirdPartyHosts` maps each host (first-party hosts left out) to what classified it (a vendor
id, "library-cdn", or None: no catalogue knows it), and on how many pages and in how many files
it is loaded. Hosts are sorted by name, so the output is stable.
"""

from __future__ import annotations

from phi_lint.thirdparty import is_host_sighting


def host_table(sightings, pages_of: dict) -> dict[str, dict]:
    files: dict[str, set] = {}
    pages: dict[str, set] = {}
    classified: dict[str, str | None] = {}
    for sighting in sightings:
        if not is_host_sighting(sighting):
            continue
        host = sighting.vendor_id
        kind = (sighting.details or {}).get("classified")
        # a host is classified when any of its loads is (a vendor's signature on one URL)
        if classified.get(host) is None:
            classified[host] = kind
        files.setdefault(host, set()).add(sighting.path)
        pages.setdefault(host, set()).update(reach.page for reach in pages_of.get(sighting.path, ()))
    return {
        host: {"classified": classified[host], "pages": len(pages[host]), "files": len(files[host])}
        for host in sorted(files)
    }


def unclassified(table: dict[str, dict]) -> list[str]:
    return [host for host, entry in table.items() if entry["classified"] is None]


def hosts_sentence(table: dict[str, dict]) -> str:
    """'Third-party hosts: 12 seen, 9 classified by the catalogue (2 library CDNs), 3 unclassified.'"""
    if not table:
        return ""
    cdns = sum(1 for entry in table.values() if entry["classified"] == "library-cdn")
    known = sum(1 for entry in table.values() if entry["classified"] is not None)
    cdn_part = f" ({cdns} library CDN{'s' if cdns != 1 else ''})" if cdns else ""
    rest = len(table) - known
    tail = f", {rest} unclassified (--statistics lists them)" if rest else ""
    return f"Third-party hosts: {len(table)} seen, {known} classified by the catalogue{cdn_part}{tail}."
