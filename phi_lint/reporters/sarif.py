"""SARIF 2.1.0 for GitHub code scanning, built with sarif-om and serialised by our own walk.

sarif-om's own `to_json` drops values equal to attrs defaults (an explicit level "warning"
disappears) and `attrs.asdict` emits Python names, so `to_sarif_dict` walks the objects
itself: schema property names, free-form maps untouched, `level` always kept.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import attr

from phi_lint import __version__
from phi_lint.fingerprint import fingerprint
from phi_lint.generic.unread import caveat_of
from phi_lint.headline import chain_text, ranked_pages, sentence
from phi_lint.pagegraph.graph import Elided
from phi_lint.profiles import DEFAULT_PROFILE, load_profile
from phi_lint.reporters.common import json_utf8
from phi_lint.rulebook import load_rules

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/phi-lint/"
MAX_RELATED_PAGES = 10
MAX_RESULTS = 25000  # GitHub rejects runs with more; keep the most severe
_SRCROOT = "%SRCROOT%"


def to_sarif_dict(obj):
    if attr.has(type(obj)):
        out = {}
        names = set()
        for field in attr.fields(type(obj)):
            names.add(field.name)
            value = getattr(obj, field.name)
            if value is None:
                continue
            # attrs' stubs declare Factory as a function; at run time it is the class of factory defaults
            factory = isinstance(field.default, attr.Factory)  # type: ignore[arg-type]
            default = field.default.factory() if factory else field.default
            if default is not attr.NOTHING and value == default and field.name != "level":
                continue
            out[field.metadata["schema_property_name"]] = to_sarif_dict(value)
        for key, value in vars(obj).items():  # property-bag extras
            if key not in names and value is not None:
                out[key] = to_sarif_dict(value)
        return out
    if isinstance(obj, dict):
        return {str(k): to_sarif_dict(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_sarif_dict(v) for v in obj]
    return obj


def _uri(rel: str) -> str:
    """rel as a relative reference (RFC 3986) to resolve against %SRCROOT%: percent-encoded, `:`
    included, so no name (`x:y.html`, `javascript:alert(1).html`) reads as a scheme; a name's bytes
    that are not UTF-8 are encoded as they are on disk; never a `//host` network-path reference."""
    encoded = quote(rel, safe="/()!$&'*+,;=@~", errors="surrogateescape")
    return "/" + encoded.lstrip("/") if encoded.startswith("//") else encoded


def _artifact(om, rel: str):
    return om.ArtifactLocation(uri=_uri(rel), uri_base_id=_SRCROOT)


def _rule_descriptor(om, rule, level: str):
    """A rule's descriptor; `level`: its default level under the run's profile."""
    return om.ReportingDescriptor(
        id=rule.id,
        name=rule.name,
        short_description=om.MultiformatMessageString(text=rule.short),
        full_description=om.MultiformatMessageString(text=rule.full),
        help=om.MultiformatMessageString(text=rule.help_text, markdown=rule.help_markdown),
        default_configuration=om.ReportingConfiguration(level=level),
        properties={
            "tags": list(rule.tags),
            "precision": rule.precision,
            "problem.severity": {"error": "error", "warning": "warning", "note": "recommendation"}[level],
            "security-severity": rule.security_severity,
        },
    )


def _related_locations(om, finding, contexts) -> list:
    """The finding's pages, strongest evidence first (the one the message names leads), each
    with its include chain and evidence; then the steps of the first page's chain, each file
    that renders the next one. At most MAX_RELATED_PAGES pages."""
    ranked = ranked_pages(finding, contexts)
    ranked_reaches = [item.reach for item in ranked]
    reaches = ranked_reaches + [reach for reach in finding.pages if reach not in ranked_reaches]
    labels = {item.reach: item.label for item in ranked}
    related: list = []  # sarif_om Locations (the package has no types)
    for reach in reaches[:MAX_RELATED_PAGES]:
        context = contexts.get(reach.page) if reach.page in contexts else None
        why = "; ".join(e.describe(reach.page) for ev in context.labels.values() for e in ev) if context else ""
        kind = f"{labels[reach].capitalize()} page" if reach in labels else "Page"
        text = f"{kind} {chain_text(reach.chain)}" + (f": {why}" if why else "")
        related.append(
            om.Location(
                id=len(related) + 1,
                physical_location=om.PhysicalLocation(artifact_location=_artifact(om, reach.page)),
                message=om.Message(text=text),
            )
        )
    if reaches and len(reaches[0].chain) > 2:
        first = reaches[0]
        step = 0  # the step's number in the whole chain, also past an elided middle
        for outer, inner in zip(first.chain[1:-1], first.chain[2:]):
            step += outer.left_out if isinstance(outer, Elided) else 1
            if isinstance(outer, Elided) or isinstance(inner, Elided):
                continue  # "… 570 more …" is not a file
            related.append(
                om.Location(
                    id=len(related) + 1,
                    physical_location=om.PhysicalLocation(artifact_location=_artifact(om, outer)),
                    message=om.Message(text=f"Include chain of {first.page}, step {step}: {outer} renders {inner}"),
                )
            )
    return related


def _findings_to_report(result) -> tuple[list, int]:
    """The findings the log lists (suppressed ones too when asked), in report order, and how
    many lower-severity ones were left out to stay under GitHub's MAX_RESULTS per run."""
    findings = list(result.findings)
    if getattr(result, "include_suppressed", False):
        findings = sorted(findings + result.suppressed, key=lambda f: f.sort_key)
    if len(findings) <= MAX_RESULTS:
        return findings, 0
    order = {"error": 0, "warning": 1, "note": 2}
    kept = sorted(findings, key=lambda f: (order[f.level], f.sort_key))[:MAX_RESULTS]
    return sorted(kept, key=lambda f: f.sort_key), len(findings) - MAX_RESULTS


def _region(om, sighting):
    """Where the sighting is in its file, with the text found there."""
    span = sighting.span
    return om.Region(
        start_line=span.line,
        start_column=span.column,
        end_line=span.end_line,
        end_column=span.end_column,
        snippet=om.ArtifactContent(text=sighting.snippet),
    )


def _result_properties(finding) -> dict:
    """The result's property bag: the vendor, its pages and evidence, and the optional
    account, BAA lowering and details only when the finding has them."""
    s = finding.sighting
    properties = {
        "vendor": s.vendor_id,
        "vendorName": finding.vendor_name,
        "category": finding.category,
        "kind": s.kind,
        "capabilities": list(s.capabilities),
        "pages": [reach.page for reach in finding.pages],
        "pageCount": len(finding.pages),
        "pagesListed": min(len(finding.pages), MAX_RELATED_PAGES),
        "evidence": [e.describe() for e in finding.evidence],
        "explanation": finding.message,  # the full message: every page named, with notes
    }
    if s.account_id:
        properties["accountId"] = s.account_id
    if finding.lowered_from:
        properties["loweredByBaaVendors"] = list(finding.lowered_from)
    if s.details:
        properties["details"] = s.details
        if s.details.get("thirdPartyHost"):
            properties["host"] = s.details["thirdPartyHost"]
    return properties


def _suppressions(om, finding):
    """The finding's suppression as SARIF's list of one, or None when it is not suppressed."""
    if not finding.suppression:
        return None
    return [om.Suppression(
        kind="inSource" if finding.suppression.kind == "inSource" else "external",
        justification=finding.suppression.justification,
    )]


def _result(om, finding, contexts, rule_index: dict[str, int]):
    """One finding as a SARIF result."""
    s = finding.sighting
    related = _related_locations(om, finding, contexts)
    return om.Result(
        rule_id=finding.rule_id,
        rule_index=rule_index[finding.rule_id],
        level=finding.level,
        message=om.Message(text=f"{sentence(finding, contexts)}. Fix: {finding.help_hint}."),
        locations=[
            om.Location(
                physical_location=om.PhysicalLocation(artifact_location=_artifact(om, s.path), region=_region(om, s))
            )
        ],
        related_locations=related or None,
        partial_fingerprints={"phiLintFinding/v1": fingerprint(finding)},
        properties=_result_properties(finding),
        suppressions=_suppressions(om, finding),
    )


def _notifications(om, result, omitted: int) -> list:
    """The run's notifications: each of the scan's, then one saying how many results were left out."""
    notifications = [
        om.Notification(
            message=om.Message(text=f"{n.path}: {n.message}"),
            level=n.level,
            locations=[om.Location(physical_location=om.PhysicalLocation(artifact_location=_artifact(om, n.path)))],
        )
        for n in result.notifications
    ]
    if omitted:
        notifications.append(
            om.Notification(
                message=om.Message(
                    text=f"{omitted} lower-severity results were left out: GitHub code scanning accepts at most {MAX_RESULTS} per run."
                ),
                level="warning",
            )
        )
    return notifications


def _driver(om, enabled: list, profile):
    """phi-lint as the run's tool, with a descriptor for every enabled rule at the profile's level."""
    return om.ToolComponent(
        name="phi-lint",
        version=__version__,
        semantic_version=__version__,
        information_uri=INFORMATION_URI,
        rules=[_rule_descriptor(om, rule, profile.levels.get(rule.id, rule.level)) for rule in enabled],
    )


def _run_properties(result, profile) -> dict:
    """The run's property bag: the profile its levels follow and what was left unread."""
    properties = {"profile": profile.id}  # rules/profiles/<id>.toml: the law the levels follow
    unread = caveat_of(result)
    if unread is not None:
        # the files read only as plain text and the frameworks not modelled, as JSON gives them
        # (the notifications above say the same in words)
        properties["unread"] = unread.as_json()
    return properties


def build_log(result):
    import sarif_om as om

    rules = load_rules()
    profile = load_profile(getattr(result.config, "profile", DEFAULT_PROFILE))
    enabled = [rules[r] for r in sorted(result.rules)]
    rule_index = {rule.id: i for i, rule in enumerate(enabled)}
    findings, omitted = _findings_to_report(result)
    results = [_result(om, finding, result.contexts, rule_index) for finding in findings]
    notifications = _notifications(om, result, omitted)
    root_uri = result.root.resolve().as_uri().rstrip("/") + "/"
    run = om.Run(
        tool=om.Tool(driver=_driver(om, enabled, profile)),
        results=results,
        invocations=[
            om.Invocation(execution_successful=True, tool_execution_notifications=notifications or None)
        ],
        automation_details=om.RunAutomationDetails(id="phi-lint/"),
        column_kind="unicodeCodePoints",
        original_uri_base_ids={_SRCROOT: om.ArtifactLocation(uri=root_uri)},
    )
    run.newline_sequences = None
    run.properties = _run_properties(result, profile)
    return om.SarifLog(version="2.1.0", schema_uri=SCHEMA_URI, runs=[run])


def render_sarif(result) -> str:
    return json_utf8(json.dumps(to_sarif_dict(build_log(result)), indent=2, ensure_ascii=False)) + "\n"
