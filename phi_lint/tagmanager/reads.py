"""What a tag can read: `{{Variable}}` references followed to the variables that read page
content or identity (DOM elements, JavaScript globals, custom JavaScript that reads form fields,
data-layer keys naming personal or health data, Google Ads user-provided data, the Form/Click
built-ins), through lookup and RegEx tables and nested references.

Recorded in `details["reads"]` for the data-sent rule (PHI004); PHI005 does not use it.
"""

from __future__ import annotations

import re
from collections import deque

from phi_lint.lazyre import lazy_pattern
from phi_lint.tagmanager.firing import norm, param_text, params_by_key

# `{{Name}}`: what lies between the braces, without braces; the name is that text stripped of
# spaces, at most MAX_NAME characters. Matched as a brace-free run and checked afterwards: the
# old `\{\{\s*([^{}]{1,200}?)\s*\}\}` took minutes on `{{` followed by 30,000 newlines.
_REF_RUN = lazy_pattern(r"\{\{([^{}]*)\}\}")
MAX_NAME = 200
MAX_VARIABLES = 500  # variables followed per tag

# built-in variables that read what the visitor typed or clicked
BUILTIN_READS = {
    "form text": "the text of the submitted form (Form Text)",
    "form element": "the submitted form element, with its fields (Form Element)",
    "click text": "the text of the clicked element (Click Text)",
    "click element": "the clicked element (Click Element)",
}
# every other built-in variable name (display names, web, AMP and server)
BUILTIN_NAMES = {
    "page url", "page hostname", "page path", "referrer", "event", "_event", "click classes", "click id",
    "click target", "click url", "form classes", "form id", "form target", "form url",
    "new history fragment", "old history fragment", "new history state", "old history state",
    "history source", "error message", "error url", "error line", "debug mode", "random number",
    "container id", "container version", "environment name", "html id", "scroll depth threshold",
    "scroll depth units", "scroll direction", "video provider", "video status", "video url",
    "video title", "video duration", "video current time", "video percent", "video visible",
    "percent visible", "on-screen duration", "event name", "client name", "request path",
    "request method", "query string", "visitor region", "page encoding", "user agent", "ip address",
    "request host", "request port", "container url", "element visibility ratio",
    "element visibility time", "page title",
}
_PERSONAL_KEY = lazy_pattern(
    r"^(?:e-?mail|email_?address|phone|phone_?number|tel|mobile|first_?name|last_?name|full_?name|"
    r"patient_?name|address|street|zip|zip_?code|postal_?code|birth_?date|date_?of_?birth|dob|"
    r"gender|user_?data|user_?id|userid|customer_?id|patient|patient_?id|mrn|member_?id|"
    r"ssn|insurance|insurance_?id|diagnosis|symptoms?|medications?|prescription|"
    r"appointment_?type|visit_?reason|doctor|specialty|em|ph|fn|ln|zp|"
    r"sha256_?email_?address|sha256_?phone_?number|hashed_?email)$",
    re.IGNORECASE,
)
# the text in between is bounded ({0,40}, {0,500}): with `\w*` or `[^)]*`, each of 20,000
# `getElementBy` or `querySelector(` in one body scanned to its end (quadratic, a minute)
_PAGE_READING_JS = lazy_pattern(
    r"querySelector(?:All)?\s*\(|getElements?By\w{0,40}\s*\(|\.value\b|\.innerText\b|"
    r"\.textContent\b|new\s+FormData\b|\.elements\b|localStorage|sessionStorage|document\.cookie"
)
_HTML_READS = (
    (lazy_pattern(r"(?:querySelector|getElementById|getElementsByName)\s*\([^)]{0,500}\)(?:\[\d+\])?\s*\.value"),
     "reads a form field's value in its code"),
    (lazy_pattern(r"new\s+FormData\b"), "reads a whole form (FormData)"),
    (lazy_pattern(r"fbq\s*\(\s*['\"]init['\"]\s*,[^)]{0,500}\{"), "passes advanced-matching data to fbq('init')"),
    (lazy_pattern(r"\b(?:hj|ttq|analytics|mixpanel|heap|posthog|FS)\s*(?:\.\s*identify|\(\s*['\"]identify['\"])"),
     "identifies the visitor"),
    (lazy_pattern(r"localStorage|sessionStorage|document\.cookie"), "reads browser storage"),
)


def find_references(text: str):
    """(match, name) for each `{{Name}}` reference in a string, in order (linear time)."""
    for match in _REF_RUN.finditer(text):
        inner = match.group(1)
        name = inner.strip()
        if inner and len(name) <= MAX_NAME:
            yield match, name


def replace_references(text: str, replacement) -> str:
    """`text` with each `{{Name}}` replaced by `replacement(match, name)`."""
    parts = []
    end = 0
    for match, name in find_references(text):
        parts.append(text[end : match.start()])
        parts.append(replacement(match, name))
        end = match.end()
    if not parts:
        return text
    parts.append(text[end:])
    return "".join(parts)


def references(value, limit: int = 2000, limits: list | None = None) -> list[str]:
    """Every {{Name}} inside any string of a parameter structure (iterative, bounded: at most
    `limit` names from 20,000 values; hitting a bound is said in `limits`)."""
    names: dict[str, None] = {}
    stack = [value]
    seen = 0
    while stack:
        if seen >= 20000:
            if limits is not None:
                limits.append("has more than 20000 parameter values; the rest are not read for variables")
            break
        item = stack.pop()
        seen += 1
        if isinstance(item, str):
            for _match, name in find_references(item):
                names.setdefault(name, None)
                if len(names) >= limit:
                    if limits is not None:
                        limits.append(f"refers to {limit} or more variables in one parameter; the rest are not read")
                    return list(names)
        elif isinstance(item, dict):
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))
    return list(names)


def _describe(var: dict) -> str | None:
    """Why a variable reads page content or identity, or None."""
    kind = norm(var.get("type"))
    params = params_by_key(var.get("parameter"))
    if kind == "d":
        selector = param_text(params, "elementSelector") or param_text(params, "elementId") or "?"
        attribute = param_text(params, "attributeName")
        return f"DOM element {selector}" + (f" (attribute {attribute})" if attribute else "")
    if kind == "j":
        return f"JavaScript variable {param_text(params, 'name') or '?'}"
    if kind == "jsm":
        code = param_text(params, "javascript") or ""
        if _PAGE_READING_JS.search(code):
            return "custom JavaScript that reads the page (form fields, DOM or storage)"
        return None
    if kind == "aev":
        var_type = norm(param_text(params, "varType"))
        if var_type in ("text", "element"):
            return f"auto-event element {var_type}"
        return None
    if kind == "v":
        key = param_text(params, "name") or ""
        if any(_PERSONAL_KEY.match(part) for part in re.split(r"[.\[\]]+", key) if part):
            return f"data layer key {key} (personal or health data)"
        return None
    if kind == "k":
        name = param_text(params, "name") or ""
        return f"cookie {name} (personal data)" if _PERSONAL_KEY.match(name) else None
    if kind == "awec":
        mode = (param_text(params, "mode") or "").upper()
        if mode == "AUTO":
            return "Google Ads user-provided data, automatic mode (scrapes e-mail and phone from the page)"
        return "Google Ads user-provided data (e-mail, phone, name, address)"
    if kind in ("gtes", "gtcs"):
        for row in _map_rows(var.get("parameter")):
            name = (row.get("parameter") or row.get("name") or "").lower()
            if name.startswith("user_data") or name in ("user_id", "userid"):
                return f"Google tag settings that send {name}"
        return None
    if kind == "ed":
        key = param_text(params, "keyPath") or ""
        if key.startswith("user_data") or any(_PERSONAL_KEY.match(p) for p in key.split(".") if p):
            return f"server event data {key}"
        return None
    return None


def _map_rows(parameters) -> list[dict]:
    """LIST-of-MAP parameters as {key: value} rows (settings tables, lookup tables, event parameters)."""
    rows = []
    for param in parameters if isinstance(parameters, list) else []:
        if not isinstance(param, dict) or not isinstance(param.get("list"), list):
            continue
        for item in param["list"]:
            if isinstance(item, dict) and isinstance(item.get("map"), list):
                row = {}
                for entry in item["map"]:
                    if isinstance(entry, dict) and isinstance(entry.get("key"), str):
                        value = entry.get("value")
                        row[entry["key"]] = value if isinstance(value, str) else ""
                rows.append(row)
    return rows


def tag_reads(tag: dict, variables: dict, builtin_names: set[str], html: str | None = None, limits: list | None = None):
    """(reads, unresolved names) of one tag. A read: {variable, type, what, via}.

    Variables are followed breadth-first, each once, at most MAX_VARIABLES per tag; when that
    cap is hit, a sentence saying so is appended to `limits`.
    """
    reads: list[dict] = []
    unresolved: list[str] = []
    queue: deque[tuple[str, tuple[str, ...]]] = deque((name, ()) for name in references(tag.get("parameter"), limits=limits))
    queued: set[str] = {name for name, _via in queue}
    followed = 0
    while queue:
        if followed >= MAX_VARIABLES:
            if limits is not None:
                limits.append(f"refers to more than {MAX_VARIABLES} variables; the rest are not followed")
            break
        name, via = queue.popleft()
        followed += 1
        lower = name.lower()
        var = variables.get(name)
        if var is None:
            if lower in BUILTIN_READS:
                reads.append({"variable": name, "type": "built-in", "what": BUILTIN_READS[lower], "via": list(via)})
            elif lower not in BUILTIN_NAMES and lower not in builtin_names:
                unresolved.append(name)
            continue
        what = _describe(var)
        if what:
            reads.append({"variable": name, "type": norm(var.get("type")) or "?", "what": what, "via": list(via)})
        for ref in references(var.get("parameter"), limits=limits):
            if ref not in queued:
                queued.add(ref)
                queue.append((ref, (*via, name)))
    if html:
        for pattern, what in _HTML_READS:
            if pattern.search(html):
                reads.append({"variable": None, "type": "html", "what": f"Custom HTML {what}", "via": []})
    return reads, unresolved
