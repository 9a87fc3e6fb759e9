"""Small builders for Google Tag Manager exports in the tag-manager tests (not a test module).

Everything is written in the UI's export spelling (PAGEVIEW, MATCH_REGEX, TEMPLATE); `export(...,
spelling="api")` rewrites the enums in the API's lowerCamel spelling (pageview, matchRegex,
template) so both can be tested with the same cases.
"""

from __future__ import annotations

import json
import zlib

ALL_PAGES = "2147479553"
INIT_ALL_PAGES = "2147479573"
CONSENT_INIT_ALL_PAGES = "2147479572"


def p(key: str, value, kind: str = "TEMPLATE") -> dict:
    if isinstance(value, bool):
        return {"type": "BOOLEAN", "key": key, "value": "true" if value else "false"}
    return {"type": kind, "key": key, "value": str(value)}


def lst(key: str, items: list) -> dict:
    return {"type": "LIST", "key": key, "list": items}


def row(**values) -> dict:
    return {"type": "MAP", "map": [p(k, v) for k, v in values.items()]}


def cond(op: str, variable: str, value: str, negate: bool = False, ignore_case: bool = False) -> dict:
    arg0 = variable if variable.startswith("{{") else "{{" + variable + "}}"
    params = [p("arg0", arg0), p("arg1", value)]
    if ignore_case:
        params.append(p("ignore_case", True))
    if negate:
        params.append(p("negate", True))
    return {"type": op, "parameter": params}


def trig(trigger_id, name: str, kind: str = "PAGEVIEW", filters=(), custom=(), auto=(), **extra) -> dict:
    out = {"accountId": "1", "containerId": "2", "triggerId": str(trigger_id), "name": name, "type": kind}
    if custom:
        out["customEventFilter"] = list(custom)
    if filters:
        out["filter"] = list(filters)
    if auto:
        out["autoEventFilter"] = list(auto)
    out.update(extra)
    return out


def tag(name: str, kind: str, params=(), firing=(ALL_PAGES,), blocking=(), **extra) -> dict:
    out = {"accountId": "1", "containerId": "2", "tagId": str(zlib.crc32(name.encode()) % 100000), "name": name, "type": kind,
           "parameter": list(params)}
    if firing is not None:
        out["firingTriggerId"] = [str(f) for f in firing]
    if blocking:
        out["blockingTriggerId"] = [str(b) for b in blocking]
    out["tagFiringOption"] = "ONCE_PER_EVENT"
    out.update(extra)
    return out


def html_tag(name: str, html: str, **kw) -> dict:
    return tag(name, "html", [p("html", html), p("supportDocumentWrite", False)], **kw)


def var(name: str, kind: str, *params) -> dict:
    return {"accountId": "1", "containerId": "2", "variableId": str(zlib.crc32(name.encode()) % 100000), "name": name,
            "type": kind, "parameter": list(params)}


def template(template_id: str, name: str, data: str, gallery: dict | None = None) -> dict:
    out = {"accountId": "1", "containerId": "2", "templateId": template_id, "name": name, "templateData": data}
    if gallery:
        out["galleryReference"] = gallery
    return out


def _camel(value: str) -> str:
    parts = value.lower().split("_")
    return parts[0] + "".join(part.title() for part in parts[1:])


def _to_api(node):
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in list(item.items()):
                if key in ("type", "consentStatus", "tagFiringOption") and isinstance(value, str) and value.isupper():
                    item[key] = _camel(value)
                elif key == "usageContext" and isinstance(value, list):
                    item[key] = [_camel(v) for v in value]
                else:
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
    return node


def export(tags=(), triggers=(), variables=(), templates=(), public_id: str = "GTM-TEST123", usage: str = "WEB",
           builtins=(), spelling: str = "export", indent: int = 4, **container_extra) -> str:
    container = {"accountId": "1", "containerId": "2", "name": "test", "publicId": public_id, "usageContext": [usage]}
    container.update(container_extra)
    version = {"accountId": "1", "containerId": "2", "containerVersionId": "0", "container": container}
    if tags:
        version["tag"] = list(tags)
    if triggers:
        version["trigger"] = list(triggers)
    if variables:
        version["variable"] = list(variables)
    if builtins:
        version["builtInVariable"] = [{"accountId": "1", "containerId": "2", "type": t, "name": n} for t, n in builtins]
    if templates:
        version["customTemplate"] = list(templates)
    data = {"exportFormatVersion": 2, "exportTime": "2026-01-01 00:00:00", "containerVersion": version}
    if spelling == "api":
        data = _to_api(json.loads(json.dumps(data)))
    return json.dumps(data, indent=indent) + "\n"
