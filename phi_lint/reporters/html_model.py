"""What the HTML report shows, as plain data: the findings (as in `-f json`), each with the page
contexts it touches and whether it is new since the baseline; the vendor × context matrix; each
vendor's files, sensitive pages, data and BAA position; and the summary counts.

Kept apart from the markup (phi_lint/reporters/html.py) so that the counts a privacy officer
reads can be tested as numbers, and the markup only escapes and lays them out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from phi_lint.reporters.json_report import finding_dict
from phi_lint.vendor_detail import BAA_MEANING

# the matrix columns: a finding counts under each sensitive label of a page it reaches, and under
# `public` when it reaches no sensitive page (public, or not known to be sensitive)
CONTEXTS = ("authenticated", "health", "public")


@dataclass
class VendorView:
    id: str
    name: str
    category: str
    baa: str  # yes | conditional | no | unknown | "" (a host no catalogue knows)
    baa_meaning: str
    docs: str
    findings: list[dict] = field(default_factory=list)
    by_context: dict[str, list[dict]] = field(default_factory=lambda: {c: [] for c in CONTEXTS})
    files: dict[str, list[int]] = field(default_factory=dict)  # file -> lines where it loads
    pages: dict[str, dict] = field(default_factory=dict)  # sensitive page -> {labels, chains}
    data_sent: list[dict] = field(default_factory=list)  # {key, source, class, finding}
    capabilities: set[str] = field(default_factory=set)
    baa_vendor: bool = False  # named in baa-vendors of the configuration


@dataclass
class ReportModel:
    findings: list[dict]
    vendors: list[VendorView]
    summary: dict
    notifications: list[dict]
    fixed: list[dict] | None  # baseline entries no finding matches; None without a baseline
    baseline: str | None


def finding_contexts(finding, contexts) -> list[str]:
    """The matrix columns a finding counts under."""
    found = set()
    for reach in finding.pages:
        context = contexts.get(reach.page)
        if context is None:
            continue
        if context.authenticated:
            found.add("authenticated")
        if context.health:
            found.add("health")
    return [c for c in CONTEXTS if c in found] or ["public"]


def _finding(finding, result, baseline) -> dict:
    data = finding_dict(finding, result)
    data["contexts"] = finding_contexts(finding, result.contexts)
    data["consentGated"] = bool((finding.sighting.details or {}).get("consentGated"))
    if baseline is None:
        data["status"] = None
    elif finding.suppression is not None and finding.suppression.kind == "baseline":
        data["status"] = "unchanged"
    else:
        data["status"] = "new" if finding.fingerprint not in baseline.fingerprints else "in-baseline"
    return data


def _vendor_view(vendor_id: str, first: dict, catalogue, baa_vendors) -> VendorView:
    vendor = catalogue.get(vendor_id)
    baa = vendor.baa if vendor is not None else ""
    return VendorView(
        id=vendor_id,
        name=first["vendorName"],
        category=first["category"] or (vendor.category if vendor else ""),
        baa=baa,
        baa_meaning=BAA_MEANING.get(baa, "not in the vendor catalogue: a host phi-lint does not know"),
        docs=vendor.docs if vendor is not None else "",
        baa_vendor=vendor_id in baa_vendors,
    )


def _add_to_vendor(view: VendorView, data: dict) -> None:
    view.findings.append(data)
    for context in data["contexts"]:
        view.by_context[context].append(data)
    view.files.setdefault(data["path"], [])
    if data["line"] not in view.files[data["path"]]:
        view.files[data["path"]].append(data["line"])
    view.capabilities.update(data["capabilities"])
    for page in data["pages"]:
        if not set(page["labels"]) & {"authenticated", "health"} or "public" in page["labels"]:
            continue
        entry = view.pages.setdefault(page["page"], {"labels": page["labels"], "chains": []})
        if page["chain"] not in entry["chains"]:
            entry["chains"].append(page["chain"])
    for sent in (data["details"] or {}).get("sent") or []:
        view.data_sent.append({**sent, "finding": data["fingerprint"]})


def _vendors(findings: list[dict], result) -> list[VendorView]:
    baa_vendors = set(getattr(result.config, "baa_vendors", ()) or ())
    views: dict[str, VendorView] = {}
    for data in findings:
        if data["kind"] in ("suppression", "csp"):
            continue
        view = views.get(data["vendor"])
        if view is None:
            view = views[data["vendor"]] = _vendor_view(data["vendor"], data, result.catalogue, baa_vendors)
        _add_to_vendor(view, data)
    return sorted(views.values(), key=lambda v: (-len(v.findings), v.name.lower(), v.id))


def _summary(findings: list[dict], vendors: list[VendorView], result) -> dict:
    trackers = [f for f in findings if f["kind"] not in ("suppression", "csp")]
    sensitive_pages = {
        page["page"]: page["labels"] for f in trackers for page in f["pages"]
        if set(page["labels"]) & {"authenticated", "health"} and "public" not in page["labels"]
    }
    return {
        "findings": len(findings),
        "byLevel": dict(Counter(f["level"] for f in findings)),
        "byRule": dict(sorted(Counter((f["rule"], f["level"]) for f in findings).items())),
        "vendors": len(vendors),
        "sensitivePages": len(sensitive_pages),
        "authenticatedPages": sum(1 for labels in sensitive_pages.values() if "authenticated" in labels),
        "healthPages": sum(1 for labels in sensitive_pages.values() if "health" in labels),
        "dataSent": sum(len(v.data_sent) for v in vendors),
        "dataFindings": sum(1 for f in findings if f["rule"] == "PHI004"),
        "baa": dict(Counter(v.baa or "unknown" for v in vendors)),
        "baaVendors": sorted(v.name for v in vendors if v.baa_vendor),
        "consentGated": sum(1 for f in trackers if f["consentGated"]),
        "notConsentGated": sum(1 for f in trackers if not f["consentGated"] and f["level"] != "note"),
        "unread": sum(1 for n in result.notifications if n.level == "warning"),
        "suppressed": len(getattr(result, "suppressed", None) or []),
        "new": sum(1 for f in findings if f["status"] == "new"),
    }


def build_model(result) -> ReportModel:
    baseline = getattr(result, "baseline", None)
    shown = list(result.findings)
    if getattr(result, "include_suppressed", False):
        shown = sorted(shown + list(result.suppressed), key=lambda f: f.sort_key)
    findings = [_finding(f, result, baseline) for f in shown]
    vendors = _vendors(findings, result)
    notifications = [
        {"path": n.path, "level": n.level, "message": n.message, "code": n.code}
        for n in result.notifications if n.level == "warning"
    ]
    return ReportModel(
        findings=findings,
        vendors=vendors,
        summary=_summary(findings, vendors, result),
        notifications=notifications,
        fixed=list(baseline.fixed) if baseline is not None else None,
        baseline=baseline.path if baseline is not None else None,
    )

