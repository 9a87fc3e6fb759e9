"""Tag → catalogue vendor: built-in type codes, Custom HTML / Custom Image bodies, and
community templates (`cvt_*`) identified from their gallery reference, the URLs their
sandboxed code and permissions name, and their display name.

Utility tags (Conversion Linker, listeners, consent and data-layer templates) name no vendor
and are not sightings.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from phi_lint.catalogue import Catalogue
from phi_lint.lazyre import lazy_pattern
from phi_lint.untrusted_regex import compile_linear

# the parameters that hold a built-in type's account id: the vendor files' [gtm_type_details]
GENERIC_ACCOUNT_KEYS = (
    "pixelId", "pixel_id", "pixelIds", "tagId", "measurementId", "trackingId", "conversionId",
    "advertiserId", "accountId", "partnerId", "siteId", "site_id", "projectToken", "apiKey", "id",
)
# utility types that never send anything to a vendor (listeners, linkers, AMP helpers)
UTILITY_TYPES = {"gclidw", "gclidw_amp", "sgtmadscl", "lcl", "cl", "fsl", "hl", "jel", "tl", "sdl", "ytl", "evl"}
# host names spelled in a vendor file's URL patterns (`static\.hotjar\.com`); run in RE2, as the
# pattern text of a user's vendor file may be anything (`a-a-a-…` is quadratic in Python's re)
_HOST_IN_PATTERN = r"((?:[a-z0-9-]+\\\.)+[a-z]{2,})"
_URL = lazy_pattern(r"""(?:https?:)?//[A-Za-z0-9*.-]+\.[A-Za-z]{2,}(?:/[^\s"'\\<>,]*)?""")
_SECTION = lazy_pattern(r"^___([A-Z_]+)___[ \t]*$", re.MULTILINE)
MAX_TEMPLATE_URLS = 1000  # distinct URLs of a template's code looked up in the catalogue
_CODE_SECTIONS = ("WEB_PERMISSIONS", "SERVER_PERMISSIONS", "SANDBOXED_JS_FOR_WEB_TEMPLATE", "SANDBOXED_JS_FOR_SERVER")


def _hosts_in_pattern(pattern_text: str) -> list[str]:
    compiled = compile_linear(_HOST_IN_PATTERN, True)[0]
    return compiled.findall(pattern_text) if compiled is not None else []


@dataclass
class Identified:
    vendor_id: str
    account_id: str | None
    capabilities: tuple[str, ...]
    how: str  # what identified the vendor, shown to users
    template: dict | None = None
    extra: dict = field(default_factory=dict)


class VendorResolver:
    """Look-up tables over the catalogue for tags; built once per export."""

    def __init__(self, catalogue: Catalogue, analyzer=None):
        self.catalogue = catalogue
        self.analyzer = analyzer
        self.by_type: dict[str, str] = {}
        self.by_template: dict[str, str] = {}
        hosts: dict[str, set[str]] = {}
        for vendor in catalogue:
            for code in vendor.gtm_types:
                self.by_type.setdefault(code.lower(), vendor.id)
            for ref in vendor.gtm_templates:
                self.by_template.setdefault(ref.lower(), vendor.id)
            for sig in vendor.urls:
                for host in _hosts_in_pattern(sig.pattern.pattern):
                    hosts.setdefault(host.replace("\\.", ".").lower(), set()).add(vendor.id)
        self.hosts = {host: next(iter(ids)) for host, ids in hosts.items() if len(ids) == 1}
        # display-name words → vendor id (the vendor files' tag_names); longest first when matching
        self.account_keys = {code: keys for vendor in catalogue for code, (_, keys) in vendor.gtm_type_details.items() if keys}
        named = {(name, vendor.id) for vendor in catalogue for name in vendor.tag_names}
        aliases = sorted(named, key=lambda x: (-len(x[0]), x[0], x[1]))
        self.names = [(re.compile(r"(?<![a-z0-9])" + re.escape(a) + r"(?![a-z0-9])", re.IGNORECASE), v) for a, v in aliases]

    # -- built-in types ---------------------------------------------------------------------

    def builtin(self, tag_type: str, params: dict, resolve) -> Identified | None:
        code = tag_type.lower()
        vendor_id = self.by_type.get(code)
        if vendor_id is None:
            return None
        keys = self.account_keys.get(code, GENERIC_ACCOUNT_KEYS)
        raw = next((v for v in (resolve(_value(params.get(k))) for k in keys) if v), None)
        if code == "googtag" and raw:
            prefix = raw.split("-", 1)[0].upper()
            routed = {"AW": "google-ads", "DC": "google-floodlight"}.get(prefix)
            if routed and routed in self.catalogue.vendors:
                vendor_id = routed
        vendor = self.catalogue.get(vendor_id)
        if vendor is None:
            return None
        return Identified(vendor_id, vendor.valid_id(raw), vendor.capabilities, f"built-in tag type {tag_type}")

    # -- Custom HTML / Custom Image ------------------------------------------------------------

    def markup(self, text: str, what: str) -> list[Identified]:
        """Vendors in an HTML body, found by the same sighting code as source files."""
        return self.code(text, what, "markup")

    def code(self, text: str, what: str, kind: str = "script") -> list[Identified]:
        """Vendors in a piece of HTML (kind "markup") or JavaScript (kind "script")."""
        if self.analyzer is None or not text:
            return []
        from phi_lint.engine.facts import parse_facts
        from phi_lint.sightings import cluster, match_facts

        vendor_ids = self.analyzer.prefilter.vendors_in(text)
        if not vendor_ids:
            return []
        name = "tag.html" if kind == "markup" else "tag.js"
        facts = parse_facts(name, text, kind, self.analyzer.index.package_names)
        hits = match_facts(facts, self.analyzer.index, vendor_ids)
        found = cluster(hits, text, "<tag>", inline_ranges=facts.inline_ranges)
        merged: dict[str, Identified] = {}
        for sighting in found:
            item = merged.get(sighting.vendor_id)
            if item is None:
                merged[sighting.vendor_id] = Identified(
                    sighting.vendor_id, sighting.account_id, sighting.capabilities, f"{what}: {sighting.snippet}"
                )
            else:
                item.account_id = item.account_id or sighting.account_id
                item.capabilities = tuple(sorted(set(item.capabilities) | set(sighting.capabilities)))
        return list(merged.values())

    # -- community / custom templates ------------------------------------------------------------

    def by_url(self, url: str) -> str | None:
        vendors = self.analyzer.prefilter.vendors_in(url) if self.analyzer is not None else set(self.catalogue.vendors)
        for vendor in self.catalogue:
            if vendor.id in vendors and any(sig.pattern.search(url) for sig in vendor.urls):
                return vendor.id
        host = re.sub(r"^(?:https?:)?//", "", url).split("/", 1)[0].lstrip("*.").lower()
        while host.count(".") >= 1:
            if host in self.hosts:
                return self.hosts[host]
            host = host.split(".", 1)[1]
        return None

    def by_name(self, text: str) -> str | None:
        for pattern, vendor_id in self.names:
            if pattern.search(text):
                return vendor_id
        return None

    def template(self, tag_type: str, entry: dict | None, params: dict, resolve) -> tuple[Identified | None, dict]:
        info: dict[str, Any] = {"type": tag_type, "name": None, "gallery": None, "displayName": None, "brand": None,
                                "categories": [], "urls": [], "identifiedBy": None}
        if not isinstance(entry, dict):
            return None, info
        info["name"] = entry.get("name") if isinstance(entry.get("name"), str) else None
        gallery = entry.get("galleryReference")
        if not isinstance(gallery, dict):
            gallery = {}
        owner, repository = gallery.get("owner"), gallery.get("repository")
        if isinstance(owner, str) and isinstance(repository, str) and owner and repository:
            info["gallery"] = f"{owner}/{repository}"
        data = entry.get("templateData")
        if not isinstance(data, str):
            data = ""
        sections = _sections(data)
        meta = _json(sections.get("INFO", ""))
        if isinstance(meta, dict):
            info["displayName"] = meta.get("displayName") if isinstance(meta.get("displayName"), str) else None
            brand = meta.get("brand")
            if isinstance(brand, dict) and isinstance(brand.get("displayName"), str):
                info["brand"] = brand["displayName"]
            if isinstance(meta.get("categories"), list):
                info["categories"] = [c for c in meta["categories"] if isinstance(c, str)]
        code = "\n".join(sections[s] for s in _CODE_SECTIONS if s in sections) or data
        urls = list(dict.fromkeys(m.group(0) for m in _URL.finditer(code)))
        if len(urls) > MAX_TEMPLATE_URLS:
            info["urlsNotChecked"] = len(urls) - MAX_TEMPLATE_URLS
            urls = urls[:MAX_TEMPLATE_URLS]
        info["urls"] = urls[:10]

        identified = self._template_vendor(info, urls)
        info["identifiedBy"] = identified[1] if identified else None
        if identified is None:
            return None, info
        vendor_id, how = identified
        vendor = self.catalogue.vendors[vendor_id]
        raw = next((v for v in (resolve(_value(params.get(k))) for k in GENERIC_ACCOUNT_KEYS) if v), None)
        return Identified(vendor_id, vendor.valid_id(raw), vendor.capabilities, how, template=info), info

    def _template_vendor(self, info: dict[str, Any], urls: list[str]) -> tuple[str, str] | None:
        """The vendor a template is for and how that was seen: its gallery entry, else a URL its
        code loads (a tag manager's last), else a vendor name in its display name, brand or name."""
        gallery = info["gallery"]
        if gallery and gallery.lower() in self.by_template:
            return self.by_template[gallery.lower()], f"gallery template {gallery}"
        ranked = [(url, vendor_id) for url in urls if (vendor_id := self.by_url(url))]
        ranked.sort(key=lambda item: self.catalogue.vendors[item[1]].category == "tag-manager")
        if ranked:
            return ranked[0][1], f"template loads {ranked[0][0]}"
        for label in (info["displayName"], info["brand"], info["name"]):
            found = self.by_name(label) if label else None
            if found:
                return found, f"template named '{label}'"
        return None


def _value(param) -> str | None:
    if isinstance(param, dict):
        value = param.get("value")
        if isinstance(value, str):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        items = param.get("list")
        if isinstance(items, list) and items and isinstance(items[0], dict):
            return _value(items[0])
    return None


def _sections(data: str) -> dict[str, str]:
    out: dict[str, str] = {}
    matches = list(_SECTION.finditer(data))
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(data)
        out[match.group(1)] = data[match.end():end]
    return out


def _json(text: str):
    try:
        return json.loads(text.strip(), strict=False) if text.strip() else None
    except (ValueError, RecursionError):
        return None


def image_markup(url: str) -> str:
    return f'<img src="{html_lib.escape(url, quote=True)}" alt="">'
