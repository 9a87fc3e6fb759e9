"""`phi-lint vendors ID`: one vendor of the catalogue, and the rules its trackers can trigger.

The rules are worked out from the same data the policy reads, so they cannot drift from it:
every tracker is PHI001 on an authenticated page, PHI002 on a health page and PHI100 elsewhere;
replay or keystroke capture (the vendor's or a signature's capabilities) makes PHI003 instead;
a call in rules/data-calls.toml that hands the vendor data is PHI004; tags of a committed
tag-manager export are PHI005.
"""

from __future__ import annotations

BAA_MEANING = {
    "yes": "signs BAAs",
    "conditional": "signs BAAs for some products or plans only",
    "no": "does not sign BAAs: no baa-vendors entry can cover it",
    "unknown": "not known whether it signs BAAs",
}


def _signature_capabilities(vendor) -> set[str]:
    found = set(vendor.capabilities)
    for group in (vendor.urls, vendor.calls, vendor.assignments, vendor.packages):
        for signature in group:
            found.update(signature.capabilities)
    return found


def _callee(name: str) -> str:
    return "the loader snippet (an inline function)" if name == "<iife>" else name


def data_calls(vendor_id: str) -> list[str]:
    """`callee (what)` of each call or global in data-calls.toml that hands this vendor data."""
    from phi_lint.datasent.calls import shapes

    found: dict[str, None] = {}
    table = shapes()
    for kind, by_name in (("call", table.calls), ("global", table.assignments)):
        for name, items in by_name.items():
            for shape in items:
                if vendor_id in shape.vendors:
                    shown = f"{name}(…)" if kind == "call" else f"{name} = …"
                    found[f"{shown} ({shape.what})"] = None
    return sorted(found)


def vendor_rules(vendor) -> list[str]:
    """The rule ids this vendor's trackers can be reported under, in id order."""
    from phi_lint.findings import REPLAY_CAPABILITIES

    rules = {"PHI001", "PHI002", "PHI100"}
    if REPLAY_CAPABILITIES & _signature_capabilities(vendor):
        rules.add("PHI003")
    if data_calls(vendor.id):
        rules.add("PHI004")
    if vendor.gtm_types or vendor.gtm_templates or vendor.category == "tag-manager":
        rules.add("PHI005")
    return sorted(rules)


def vendor_record(vendor) -> dict:
    """Everything `phi-lint vendors ID --json` shows of a vendor."""
    return {
        "id": vendor.id,
        "name": vendor.name,
        "category": vendor.category,
        "description": vendor.description,
        "capabilities": sorted(_signature_capabilities(vendor)),
        "baa": vendor.baa,
        "docs": vendor.docs,
        "keywords": list(vendor.keywords),
        "urls": [signature.pattern.pattern for signature in vendor.urls],
        "calls": sorted({_callee(signature.callee) for signature in vendor.calls}),
        "globals": [signature.target for signature in vendor.assignments],
        "packages": [signature.name for signature in vendor.packages],
        "gtm_types": list(vendor.gtm_types),
        "gtm_templates": list(vendor.gtm_templates),
        "data_calls": data_calls(vendor.id),
        "rules": vendor_rules(vendor),
        "source": vendor.source,
    }


def render_vendor(vendor) -> str:
    """The detail of one vendor as text; every value is made printable (vendor-dirs are data)."""
    from phi_lint.reporters.common import printable
    from phi_lint.rulebook import load_rules

    record = vendor_record(vendor)
    all_rules = load_rules()

    def listed(values) -> str:
        return ", ".join(printable(str(v)) for v in values) if values else "(none)"

    lines = [
        f"{printable(vendor.name)} ({printable(vendor.id)})",
        "",
        f"category:      {printable(vendor.category)}",
        f"capabilities:  {listed(record['capabilities'])}",
        f"BAA:           {printable(vendor.baa)} ({BAA_MEANING.get(vendor.baa, 'see the vendor file')})",
        f"docs:          {printable(vendor.docs) or '(none)'}",
    ]
    if vendor.description:
        lines[1:1] = ["", printable(vendor.description)]
    lines.append("")
    lines.append("Recognised by")
    lines.append(f"  script URLs: {listed(record['urls'])}")
    lines.append(f"  calls:       {listed(record['calls'])}")
    if record["globals"]:
        lines.append(f"  globals:     {listed(record['globals'])}")
    lines.append(f"  packages:    {listed(record['packages'])}")
    if record["gtm_types"] or record["gtm_templates"]:
        lines.append(f"  tag-manager: {listed(record['gtm_types'] + record['gtm_templates'])}")
    if record["data_calls"]:
        lines.append(f"  data sent:   {listed(record['data_calls'])}")
    lines.append("")
    lines.append("Rules it can trigger")
    for rule_id in record["rules"]:
        rule = all_rules.get(rule_id)
        name = rule.name if rule is not None else ""
        lines.append(f"  {rule_id}  {name}")
    lines.append("")
    lines.append(f"defined in {printable(vendor.source)}")
    return "\n".join(lines) + "\n"
