"""`-f html`: one self-contained HTML report for the privacy officer's risk analysis.

The page is written out in full on the server side (it reads and prints without script); the
inline script only adds the filters and the search. Style, script and page skeleton are package
data files in html_assets/. Nothing is loaded from the network: the page's Content-Security-
Policy allows no source at all beyond its own inline style and the one script whose hash it
names, so even a snippet that escaped its escaping could not run or fetch anything.

Every text from the scanned repository (paths, snippets, vendor strings, evidence, messages) is
data: shown through `_text` (control and bidi characters made visible, then HTML-escaped), and
the findings embedded as JSON in a `<script type="application/json">` with `<`, `>` and `&`
written as JSON escapes, so no `</script>` can end it.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from pathlib import Path
from string import Template

from phi_lint import __version__
from phi_lint.reporters.common import plural, printable
from phi_lint.reporters.html_model import CONTEXTS, ReportModel, VendorView, build_model
from phi_lint.rulebook import inline_examples, load_rules

ASSETS = Path(__file__).resolve().parent / "html_assets"
_LEVELS = ("error", "warning", "note")
_CONTEXT_TITLES = {
    "authenticated": "authenticated",
    "health": "health",
    "public": "public or not known to be sensitive",
}


def _text(value) -> str:
    """Any text from a scan, safe as HTML text or attribute value."""
    return html.escape(printable(str(value)), quote=True)


def _slug(value: str) -> str:
    """An id fragment from a vendor id or host (anchors only; never shown)."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", value)


def _asset(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


def embedded_json(value) -> str:
    """JSON that cannot end the <script> element holding it nor open a comment in it."""
    document = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return document.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _script_hash(script: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


# ------------------------------------------------------------------------------------------
# summary cards


def _card(title: str, value: str, detail: str = "", anchor: str = "") -> str:
    link = f' href="#{anchor}"' if anchor else ""
    body = f'<div class="card-value">{value}</div>' + (f'<div class="card-detail">{detail}</div>' if detail else "")
    return f'<a class="card"{link}><div class="card-title">{_text(title)}</div>{body}</a>'


def _cards(model: ReportModel) -> str:
    s = model.summary
    levels = ", ".join(f"{s['byLevel'][lv]} {lv}" for lv in _LEVELS if s["byLevel"].get(lv)) or "none"
    rules = "".join(
        f'<li><span class="rule">{_text(rule)}</span> <span class="level level-{_text(level)}">{_text(level)}</span> {n}</li>'
        for (rule, level), n in s["byRule"].items()
    )
    signing = s["baa"].get("yes", 0) + s["baa"].get("conditional", 0)
    baa = ", ".join(f"{n} {_text(k)}" for k, n in sorted(s["baa"].items())) or "no vendors"
    covered = f"; BAA recorded in baa-vendors: {_text(', '.join(s['baaVendors']))}" if s["baaVendors"] else ""
    cards = [
        _card("Vendors found", str(s["vendors"]), _text(", ".join(v.name for v in model.vendors[:6]) + (" …" if len(model.vendors) > 6 else "")), "vendors"),
        _card("Sensitive pages reached", str(s["sensitivePages"]),
              f"{s['authenticatedPages']} authenticated, {s['healthPages']} health", "matrix"),
        _card("Findings", str(s["findings"]), levels + (f'<ul class="by-rule">{rules}</ul>' if rules else ""), "findings"),
        _card("Data sent to vendors", str(s["dataSent"]),
              f"values handed to trackers in {plural(s['dataFindings'], 'PHI004 finding')}", "vendors"),
        _card("BAA coverage", f"{signing} of {s['vendors']}",
              f"vendors that sign Business Associate Agreements (all or some plans): {baa}{covered}", "vendors"),
        _card("Consent gating", f"{s['consentGated']} gated",
              f"{s['notConsentGated']} problem findings load without a consent check phi-lint can see", "findings"),
        _card("Could not be read", str(s["unread"]), "files phi-lint skipped or read only in part", "unread"),
    ]
    if model.fixed is not None:
        cards.append(_card("Since the baseline", f"{s['new']} new, {len(model.fixed)} fixed",
                           f"compared with {_text(model.baseline or '')}", "baseline"))
    return '<section class="cards" aria-label="Summary">' + "".join(cards) + "</section>"


# ------------------------------------------------------------------------------------------
# the vendor × context matrix


def _matrix(model: ReportModel) -> str:
    head = "".join(f'<th scope="col" title="{_text(_CONTEXT_TITLES[c])}">{_text(c)}</th>' for c in CONTEXTS)
    rows = []
    for vendor in model.vendors:
        cells = []
        for context in CONTEXTS:
            n = len(vendor.by_context[context])
            target = f"cell-{_slug(vendor.id)}-{context}"
            cell = (f'<a href="#{target}" data-vendor="{_text(vendor.id)}" data-context="{context}">{n}</a>'
                    if n else '<span class="zero">0</span>')
            cells.append(f'<td class="count ctx-{context}{" hit" if n else ""}" data-count="{n}">{cell}</td>')
        rows.append(f'<tr data-vendor="{_text(vendor.id)}"><th scope="row"><a href="#vendor-{_slug(vendor.id)}">'
                    f'{_text(vendor.name)}</a></th>{"".join(cells)}</tr>')
    body = "".join(rows) or f'<tr><td colspan="{len(CONTEXTS) + 1}">No trackers found.</td></tr>'
    return (
        '<section id="matrix"><h2>Vendors × page context</h2>'
        '<p class="hint">Findings of each vendor on pages behind login, pages about health, and other pages '
        '(a finding reaching several kinds of page counts in each). A count links to its findings.</p>'
        f'<table class="matrix"><thead><tr><th scope="col">Vendor</th>{head}</tr></thead><tbody>{body}</tbody></table></section>'
    )


# ------------------------------------------------------------------------------------------
# vendors


def _chain(chain: list[str]) -> str:
    """An include chain drawn as boxes joined by arrows: page → layout → file with the tracker."""
    steps = "".join(f'<li><code>{_text(step)}</code></li>' for step in chain)
    return f'<ol class="chain" aria-label="include chain">{steps}</ol>'


def _vendor_pages(vendor: VendorView) -> str:
    if not vendor.pages:
        return '<p class="muted">Reaches no page known to be authenticated or about health.</p>'
    items = []
    for page, entry in sorted(vendor.pages.items()):
        labels = " ".join(f'<span class="label label-{_text(lb)}">{_text(lb)}</span>' for lb in entry["labels"])
        chains = "".join(_chain(chain) for chain in entry["chains"])
        items.append(f'<li><code>{_text(page)}</code> {labels}{chains}</li>')
    return f'<ul class="pages">{"".join(items)}</ul>'


def _vendor_data(vendor: VendorView) -> str:
    parts = []
    if vendor.data_sent:
        rows = "".join(
            f'<tr><td><code>{_text(d.get("key", ""))}</code></td><td><code>{_text(d.get("source", ""))}</code></td>'
            f'<td>{_text(d.get("class", ""))}</td><td><a href="#finding-{_text(d["finding"])}">finding</a></td></tr>'
            for d in vendor.data_sent
        )
        parts.append('<table class="sent"><thead><tr><th>sent as</th><th>from</th><th>kind</th><th></th></tr></thead>'
                     f'<tbody>{rows}</tbody></table>')
    if vendor.capabilities:
        parts.append("<p>Able to collect: " + ", ".join(f"<code>{_text(c)}</code>" for c in sorted(vendor.capabilities)) + "</p>")
    return "".join(parts) or '<p class="muted">No data handed to it in code phi-lint could follow.</p>'


def _cell_lists(vendor: VendorView) -> str:
    """The matrix cells' targets: the vendor's findings in each page context."""
    lists = []
    for context in CONTEXTS:
        found = vendor.by_context[context]
        if not found:
            continue
        links = "".join(
            f'<li><a href="#finding-{_text(f["fingerprint"])}">{_text(f["rule"])} {_text(f["path"])}:{f["line"]}</a></li>'
            for f in found
        )
        lists.append(f'<div class="cell-list" id="cell-{_slug(vendor.id)}-{context}"><h4>{_text(context)} '
                     f'({len(found)})</h4><ul>{links}</ul></div>')
    return "".join(lists)


def _vendor(vendor: VendorView) -> str:
    where = "".join(
        f'<li><code>{_text(path)}</code> line {", ".join(str(n) for n in sorted(lines))}</li>'
        for path, lines in sorted(vendor.files.items())
    )
    baa = f'<span class="baa baa-{_text(vendor.baa or "unknown")}">{_text(vendor.baa or "unknown")}</span> {_text(vendor.baa_meaning)}'
    if vendor.baa_vendor:
        baa += " — named in <code>baa-vendors</code> of the configuration"
    docs = f' · <span class="docs">{_text(vendor.docs)}</span>' if vendor.docs else ""
    return (
        f'<article class="vendor" id="vendor-{_slug(vendor.id)}" data-vendor="{_text(vendor.id)}">'
        f'<h3>{_text(vendor.name)} <code class="muted">{_text(vendor.id)}</code></h3>'
        f'<p class="meta">Category: <b>{_text(vendor.category or "unknown")}</b> · BAA: {baa}{docs}</p>'
        f'<h4>Where it loads</h4><ul class="files">{where}</ul>'
        f'<h4>Sensitive pages it reaches</h4>{_vendor_pages(vendor)}'
        f'<h4>Data it receives</h4>{_vendor_data(vendor)}'
        f'<div class="cells">{_cell_lists(vendor)}</div></article>'
    )


def _vendors(model: ReportModel) -> str:
    body = "".join(_vendor(v) for v in model.vendors) or "<p>No trackers found.</p>"
    return f'<section id="vendors"><h2>Vendors</h2>{body}</section>'


# ------------------------------------------------------------------------------------------
# findings


def _evidence(pages: list[dict]) -> str:
    if not pages:
        return '<p class="muted">No page reaches this file.</p>'
    items = []
    for page in pages:
        labels = " ".join(f'<span class="label label-{_text(lb)}">{_text(lb)}</span>' for lb in page["labels"])
        evidence = "".join(
            f'<li>{_text(e["text"])}' + (f' <span class="muted">({_text(e["path"])}{":" + str(e["line"]) if e["line"] else ""})</span>' if e["path"] else "") + "</li>"
            for e in page["evidence"]
        )
        chain = _chain(page["chain"]) if len(page["chain"]) > 1 else ""
        items.append(f'<li><code>{_text(page["page"])}</code> {labels}{chain}<ul class="evidence">{evidence}</ul></li>')
    return f'<ul class="pages">{"".join(items)}</ul>'


def _suppression(data: dict) -> str:
    inline = "".join(f"<li>{_text(files)}: <code>{_text(comment)}</code></li>" for files, comment in inline_examples(data["rule"]))
    return (
        '<details class="suppress"><summary>How to suppress (with a reason)</summary>'
        f'<p><code>phi-lint --add-ignore "REASON" {_text(data["path"])}</code> writes the comment; by hand, in the file\'s comment syntax:</p>'
        f'<ul>{inline}</ul>'
        f'<p>Or the fingerprint in <code>.phi-lint-ignore</code>: <code>{_text(data["fingerprint"])}  # REASON</code></p></details>'
    )


def _finding(data: dict, names: dict[str, str]) -> str:
    status = data["status"]
    badge = f'<span class="status status-{_text(status)}">{_text(status)}</span>' if status in ("new", "unchanged") else ""
    suppressed = ""
    if data["suppressed"]:
        suppressed = f'<p class="suppressed">Suppressed ({_text(data["suppressed"]["kind"])}): {_text(data["suppressed"]["justification"])}</p>'
    labels = sorted({lb for page in data["pages"] for lb in page["labels"]})
    attrs = (
        f'data-rule="{_text(data["rule"])}" data-level="{_text(data["level"])}" data-vendor="{_text(data["vendor"])}" '
        f'data-labels="{_text(" ".join(labels))}" data-contexts="{_text(" ".join(data["contexts"]))}" '
        f'data-status="{_text(status or "")}"'
    )
    notes = "".join(f"<li>{_text(n)}</li>" for n in data["notes"])
    return (
        f'<article class="finding sev-{_text(data["level"])}" id="finding-{_text(data["fingerprint"])}" {attrs}>'
        f'<h3><span class="rule">{_text(data["rule"])}</span> <span class="level level-{_text(data["level"])}">{_text(data["level"])}</span> '
        f'{badge} <span class="vendor-name">{_text(data["vendorName"])}</span> <span class="headline">{_text(data["headline"])}</span></h3>'
        f'<p class="location"><code>{_text(data["path"])}:{data["line"]}:{data["column"]}</code> · {_text(names.get(data["rule"], ""))}</p>'
        f'{suppressed}<pre class="snippet"><code>{_text(data["snippet"])}</code></pre>'
        + (f'<ul class="notes">{notes}</ul>' if notes else "")
        + f'<h4>Pages and evidence</h4>{_evidence(data["pages"])}'
        f'<h4>Fix</h4><p class="fix">{_text(data["fix"])}</p>'
        f'{_suppression(data)}'
        f'<p class="fingerprint">Fingerprint <code>{_text(data["fingerprint"])}</code></p></article>'
    )


def _options(values) -> str:
    return "".join(f'<option value="{_text(v)}">{_text(label)}</option>' for v, label in values)


def _filters(model: ReportModel) -> str:
    rules = sorted({f["rule"] for f in model.findings})
    levels = [lv for lv in _LEVELS if any(f["level"] == lv for f in model.findings)]
    vendors = sorted({(f["vendor"], f["vendorName"]) for f in model.findings}, key=lambda v: v[1].lower())
    labels = ("authenticated", "health", "public")
    status = '<label>Since baseline <select id="filter-status"><option value="">all</option><option value="new">new</option></select></label>' if model.fixed is not None else ""
    return (
        '<form class="filters" id="filters" role="search">'
        f'<label>Rule <select id="filter-rule"><option value="">all</option>{_options((r, r) for r in rules)}</select></label>'
        f'<label>Level <select id="filter-level"><option value="">all</option>{_options((lv, lv) for lv in levels)}</select></label>'
        f'<label>Vendor <select id="filter-vendor"><option value="">all</option>{_options(vendors)}</select></label>'
        f'<label>Page label <select id="filter-label"><option value="">all</option>{_options((lb, lb) for lb in labels)}</select></label>'
        f'{status}<label>Search <input type="search" id="filter-search" placeholder="path, vendor, evidence…"></label>'
        '<button type="button" id="filter-reset">Reset</button>'
        f'<output id="filter-count">{len(model.findings)} of {len(model.findings)} findings shown</output></form>'
    )


def _findings(model: ReportModel) -> str:
    names = {rule_id: rule.name for rule_id, rule in load_rules().items()}
    body = "".join(_finding(f, names) for f in model.findings) or "<p>No findings.</p>"
    return f'<section id="findings"><h2>Findings</h2>{_filters(model)}<div id="finding-list">{body}</div></section>'


# ------------------------------------------------------------------------------------------
# baseline and notifications


def _baseline(model: ReportModel) -> str:
    if model.fixed is None:
        return ""
    new = [f for f in model.findings if f["status"] == "new"]
    new_items = "".join(f'<li><a href="#finding-{_text(f["fingerprint"])}">{_text(f["rule"])} {_text(f["vendorName"])} '
                        f'{_text(f["path"])}:{f["line"]}</a></li>' for f in new) or "<li>none</li>"
    fixed_items = "".join(
        f'<li class="fixed-entry">{_text(e.get("rule", ""))} {_text(e.get("vendor", ""))} <code>{_text(e.get("path", ""))}</code> '
        f'<span class="muted">{_text(e["fingerprint"])}</span></li>' for e in model.fixed
    ) or "<li>none</li>"
    return (
        f'<section id="baseline"><h2>Since the baseline <code>{_text(model.baseline or "")}</code></h2>'
        f'<h3>New ({len(new)})</h3><ul class="new-list">{new_items}</ul>'
        f'<h3>Fixed ({len(model.fixed)})</h3><p class="hint">Baseline entries that no finding matches any more.</p>'
        f'<ul class="fixed-list">{fixed_items}</ul></section>'
    )


def _unread(model: ReportModel) -> str:
    items = "".join(f'<li><code>{_text(n["path"])}</code>: {_text(n["message"])}</li>' for n in model.notifications)
    body = f"<ul>{items}</ul>" if items else "<p>Every file was read.</p>"
    return f'<section id="unread"><h2>What could not be read</h2>{body}</section>'


# ------------------------------------------------------------------------------------------


def _data(model: ReportModel) -> dict:
    return {
        "tool": {"name": "phi-lint", "version": __version__},
        "summary": {**model.summary, "byRule": {f"{r} {lv}": n for (r, lv), n in model.summary["byRule"].items()}},
        "findings": model.findings,
        "fixed": model.fixed,
    }


def render_html(result) -> str:
    model = build_model(result)
    script = _asset("report.js")
    # the project a configuration file names (a repository of several projects), else the root
    config = getattr(result, "config", None)
    project = config.root if config is not None and getattr(config, "path", None) else result.root
    title = f"phi-lint report: {project.name}"
    page = Template(_asset("report.html")).substitute(
        title=_text(title),
        root=_text(str(result.root)),
        version=_text(__version__),
        script_hash=_script_hash(script),
        css=_asset("report.css"),
        cards=_cards(model),
        matrix=_matrix(model),
        vendors=_vendors(model),
        findings=_findings(model),
        baseline=_baseline(model),
        unread=_unread(model),
        files=_text(f"{plural(result.files_scanned, 'file')} scanned"),
        data=embedded_json(_data(model)),
        script=script,
    )
    return page
