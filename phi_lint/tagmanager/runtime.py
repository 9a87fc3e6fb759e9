"""Committed tag-manager runtimes: a self-hosted compiled `gtm.js`, Tealium `utag.js` and an
Adobe Experience Platform Tags (Launch) library `launch-*.js`.

Each is inventory (one sighting of the tag-manager vendor with the container / profile /
library id). Where the compiled configuration names a vendor, its tags become sightings of kind
"tag-manager-tag" with a scope taken from the compiled rules, so they are judged like the tags
of an export:

- compiled `gtm.js` (`var data = {"resource": {"macros", "tags", "predicates", "rules"}}`):
  built-in tag functions (`__gaawc`, `__awct`, `__flc`, `__hjtc`, …) and Custom HTML
  (`__html`, scanned like source files); scope from the rules' `if` / `unless` / `block`
  predicates over the event and `__u` (URL / path / host) macros. Template tags (`__cvt_…`) are
  not identified.
- Adobe Launch (`_satellite.container = {…}`): rule actions of extensions named like a catalogue
  vendor (`adobe-analytics`, …) and Core custom code given as a string; scope from the rule's
  events and `core` path conditions.
- Tealium `utag.js`: inventory only. Its compiled configuration names tags by marketplace
  template id, not by vendor; the vendor code sits in `utag.<n>.js` files, which the ordinary
  code scan reads like any script.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from itertools import islice

from phi_lint.jsonvalues import member
from phi_lint.lazyre import lazy_pattern
from phi_lint.models import Sighting, Span
from phi_lint.parsers.facts import looks_like_markup
from phi_lint.tagmanager import firing
from phi_lint.tagmanager.gtm import parse_json, unsupported_regex_notices
from phi_lint.tagmanager.vendors import UTILITY_TYPES, VendorResolver
from phi_lint.textio import LineIndex

_GTM_DATA = lazy_pattern(r"\bvar\s+data\s*=\s*\{\s*\"resource\"\s*:")
_GTM_ID = lazy_pattern(r"\b(GTM-[A-Z0-9]{4,12})\b")
_TEALIUM = lazy_pattern(r"utag\.loader|//\s*tealium universal tag", re.IGNORECASE)
_TEALIUM_ID = lazy_pattern(r"""\bid\s*:\s*["']([A-Za-z0-9_-]+)\.([A-Za-z0-9_.-]+)["']""")
_TEALIUM_CFG = lazy_pattern(r"""["']?(\d+)["']?\s*:\s*\{([^{}]{0,400})\}""")
_ADOBE = lazy_pattern(r"_satellite\.container\s*=\s*\{")
_LAUNCH_ID = lazy_pattern(r"(launch-(?:EN)?[0-9a-f]{12,34})", re.IGNORECASE)
_PREDICATES = {
    "_eq": "equals", "_cn": "contains", "_sw": "startswith", "_ew": "endswith", "_re": "matchregex",
    "_css": "cssselector", "_lt": "less", "_le": "lessorequals", "_gt": "greater", "_ge": "greaterorequals",
}
_ADOBE_PAGE_EVENTS = ("pagebottom", "pagetop", "libraryloaded", "domready", "windowloaded", "historychange")
_ADOBE_INTERACTIONS = ("click", "submit", "change", "focus", "blur", "hover", "entersviewport", "timeonpage", "mediaplay")
MAX_PATH_ALTERNATIVES = 50  # Adobe rules: combinations of "any of these paths" conditions kept
MAX_OBJECT_DEPTH = 60  # Adobe container object: nesting read this deep


@dataclass
class RuntimeResult:
    sightings: list[Sighting] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    kind: str = ""
    container_id: str | None = None


def looks_like_runtime(rel: str, text: str) -> bool:
    head = text[:50000]
    if _GTM_DATA.search(head):
        return True
    if "utag" in head and _TEALIUM.search(head) and ("utag.loader.cfg" in text or "var utag" in head):
        return True
    return "_satellite" in text and _ADOBE.search(text) is not None


def analyze_runtime(rel: str, text: str, analyzer) -> RuntimeResult:
    """Never raises: an internal error becomes a notification."""
    try:
        runtime = _Runtime(rel, text, analyzer)
        if gtm_data := _GTM_DATA.search(text[:50000]):
            result = runtime.gtm(gtm_data)
        elif adobe := _ADOBE.search(text):
            result = runtime.adobe(adobe)
        else:
            result = runtime.tealium()
        for budget in (runtime.regexes.problem(), runtime.scopes.problem()):
            if budget:
                result.problems.append(f"{result.kind or 'tag-manager runtime'}: {budget}")
        return result
    except RecursionError:
        return RuntimeResult(problems=["tag-manager runtime: nesting too deep to analyse; skipped"])
    except Exception as exc:  # noqa: BLE001 - a bug here must not end the scan
        return RuntimeResult(problems=[f"tag-manager runtime: internal error ({type(exc).__name__}: {exc}); not analysed"])


class _Runtime:
    def __init__(self, rel: str, text: str, analyzer):
        self.rel = rel
        self.text = text
        self.analyzer = analyzer
        self.lines = LineIndex(text)
        self.resolver = VendorResolver(analyzer.catalogue, analyzer)
        self.result = RuntimeResult()
        self.noted: set[str] = set()  # problems already said
        self.regexes = firing.RegexBudget()
        self.scopes = firing.ScopeBudget()

    def span(self, start: int, end: int) -> Span:
        line, column = self.lines.position(start)
        end_line, end_column = self.lines.position(max(end, start + 1))
        return Span(line, column, end_line, end_column)

    def inventory(self, vendor_id: str, account: str | None, start: int, end: int, what: str, extra: dict) -> None:
        vendor = self.analyzer.catalogue.get(vendor_id)
        if vendor is None:
            return
        details = {"runtime": what, "tagName": f"{what} runtime", "tagType": "runtime", "inventory": True,
                   "container": account, "scope": {"kind": "unknown", "reason": "compiled container", "rules": []}}
        details.update(extra)
        self.result.sightings.append(
            Sighting(vendor_id=vendor_id, path=self.rel, span=self.span(start, end), kind="tag-manager-tag",
                     snippet=f"{what} container {account or ''}".strip(), account_id=vendor.valid_id(account),
                     capabilities=vendor.capabilities, signature=f"runtime {what}", lines=(self.lines.position(start)[0],),
                     details=details)
        )

    def tag_sighting(self, identified, name: str, tag_type: str, scope: dict, start: int, end: int, what: str) -> None:
        scope = self.scopes.fit(scope, name)
        scope["summary"] = firing.summary(scope)
        for rule in scope.get("rules", ()):
            for trigger in (rule["when"], *rule["unless"]):
                for condition in trigger.get("conditions", ()):
                    self.regexes.admit(condition)
        for message in unsupported_regex_notices([scope]):
            message = f"{what}: {message}"
            if message not in self.noted:
                self.noted.add(message)
                self.result.problems.append(message)
        details = {"runtime": what, "tagName": name, "tagType": tag_type, "container": self.result.container_id,
                   "triggers": [r["when"]["name"] for r in scope.get("rules", ())], "scope": scope, "paused": False,
                   "reads": [], "consent": None, "template": None, "identifiedBy": identified.how}
        self.result.sightings.append(
            Sighting(vendor_id=identified.vendor_id, path=self.rel, span=self.span(start, end), kind="tag-manager-tag",
                     snippet=f'{what} tag "{name}" ({tag_type})'[:120], account_id=identified.account_id,
                     capabilities=tuple(sorted(set(identified.capabilities))), signature=f"runtime {what} {identified.how}"[:200],
                     lines=(self.lines.position(start)[0],), details=details)
        )

    # -- compiled gtm.js ---------------------------------------------------------------------------

    def gtm(self, match: re.Match[str]) -> RuntimeResult:
        """A compiled gtm.js; `match` is _GTM_DATA's, the start of its data object."""
        self.result.kind = "gtm.js"
        brace = self.text.index("{", match.start())
        parsed = parse_json(self.text, brace)
        if parsed.error:
            line, column = self.lines.position(parsed.error_offset or 0)
            self.result.problems.append(
                f"compiled gtm.js: its data object does not parse at line {line}, column {column} ({parsed.error}); "
                "analysed as far as it goes"
            )
        found = _GTM_ID.search(self.text)
        self.result.container_id = found.group(1) if found else None
        data = parsed.value if isinstance(parsed.value, dict) else {}
        resource = member(data, "resource", dict, {})
        macros = member(resource, "macros", list, [])
        tags = member(resource, "tags", list, [])
        predicates = member(resource, "predicates", list, [])
        rules = member(resource, "rules", list, [])
        self.inventory("google-tag-manager", self.result.container_id, match.start(), brace + 1, "gtm.js",
                       {"size": f"{len(tags)} tags"})
        fire: dict[int, list[dict]] = {}
        block: dict[int, list[dict]] = {}
        for number, rule in enumerate(rules):
            if not isinstance(rule, list):
                continue
            clauses: dict[str, list[int]] = {"if": [], "unless": [], "add": [], "block": []}
            for clause in rule:
                if isinstance(clause, list) and clause and clause[0] in clauses:
                    clauses[clause[0]].extend(i for i in clause[1:] if isinstance(i, int))
            trigger = self._gtm_trigger(number, clauses["if"], clauses["unless"], predicates, macros)
            for index in clauses["add"]:
                fire.setdefault(index, []).append(trigger)
            for index in clauses["block"]:
                block.setdefault(index, []).append(trigger)
        for index, tag in enumerate(tags):  # every tag: linear, and the file is bounded by max-file-size
            if not isinstance(tag, dict) or not isinstance(tag.get("function"), str):
                continue
            code = tag["function"].lstrip("_")
            name = f"{code} #{tag.get('tag_id', index)}"
            params = {k[4:]: {"value": _flatten(v)} for k, v in tag.items() if k.startswith("vtp_")}
            start, end = parsed.positions.get(id(tag), (brace, brace + 1))
            if code == "html":
                # unescaped markup in the file is already read by the ordinary code scan
                raw_markup = looks_like_markup(self.text[start:end])
                body = params.get("html", {}).get("value") or ""
                identified = [] if raw_markup else self.resolver.markup(body, "Custom HTML")
            elif code.startswith("cvt_") or code in UTILITY_TYPES:
                identified = []
            else:
                found_vendor = self.resolver.builtin(code, params, lambda v: v)
                identified = [found_vendor] if found_vendor else []
            if not identified:
                continue
            unless = block.get(index, [])
            scope = {"kind": "pages", "rules": [{"when": t, "unless": unless, "via": None} for t in fire.get(index, [])]}
            if not scope["rules"]:
                scope.update(kind="never", reason="no rule adds it")
            for item in identified:
                self.tag_sighting(item, name, code, scope, start, end, "gtm.js")
        return self.result

    def _gtm_trigger(self, number: int, if_ids: list[int], unless_ids: list[int], predicates: list, macros: list) -> dict:
        conditions = []
        for negate, ids in ((False, if_ids), (True, unless_ids)):
            for i in ids:
                predicate = predicates[i] if 0 <= i < len(predicates) and isinstance(predicates[i], dict) else {}
                conditions.append(self._gtm_condition(predicate, macros, negate))
        event = next((c["value"] for c in conditions if c["on"] == "event" and c["op"] == "equals" and not c["negate"]), None)
        if event is None or event.lower() in firing.PAGE_EVENTS:
            base = "page"
        elif event in ("gtm.click", "gtm.linkClick", "gtm.formSubmit", "gtm.timer", "gtm.scrollDepth", "gtm.elementVisibility", "gtm.video"):
            base = "interaction"
        else:
            base = "event"
        return {"id": f"rule {number}", "name": f"compiled rule {number}", "type": "compiled", "base": base,
                "event": event, "conditions": conditions}

    @staticmethod
    def _gtm_condition(predicate: dict, macros: list, negate: bool) -> dict:
        arg0 = predicate.get("arg0")
        role, variable = "other", str(arg0)
        if isinstance(arg0, list) and len(arg0) == 2 and arg0[0] == "macro" and isinstance(arg0[1], int):
            macro = macros[arg0[1]] if 0 <= arg0[1] < len(macros) and isinstance(macros[arg0[1]], dict) else {}
            function = macro.get("function")
            if function == "__e":
                role, variable = "event", "_event"
            elif function == "__u":
                component = str(macro.get("vtp_component") or "URL").upper()
                role = {"PATH": "path", "URL": "url", "HOST": "host"}.get(component, "other")
                variable = {"path": "Page Path", "url": "Page URL", "host": "Page Hostname"}.get(role, f"URL {component}")
            else:
                variable = f"macro {arg0[1]} ({function})"
        op = _PREDICATES.get(str(predicate.get("function")), str(predicate.get("function")))
        return {"variable": variable, "on": role, "op": op, "value": _flatten(predicate.get("arg1")) or "",
                "negate": negate != bool(predicate.get("negate")), "ignoreCase": bool(predicate.get("ignore_case"))}

    # -- Tealium utag.js -------------------------------------------------------------------------

    def tealium(self) -> RuntimeResult:
        self.result.kind = "utag.js"
        found = _TEALIUM_ID.search(self.text)
        account, profile = (found.group(1), found.group(2)) if found else (None, None)
        self.result.container_id = f"{account}.{profile}" if found else None
        tags = []
        cfg = self.text.find("utag.loader.cfg")
        if cfg != -1:
            segment = self.text[cfg: cfg + 20000]
            end = segment.find("};")
            for uid, body in _TEALIUM_CFG.findall(segment[: end if end != -1 else len(segment)]):
                load = re.search(r"load\s*:\s*([^,}]+)", body)
                tid = re.search(r"tid\s*:\s*(\d+)", body)
                tags.append({"uid": uid, "tid": tid.group(1) if tid else None,
                             "load": load.group(1).strip() if load else None})
        start = found.start() if found else 0
        self.inventory("tealium", account, start, start + 1, "utag.js",
                       {"profile": self.result.container_id, "tags": tags, "size": f"profile {self.result.container_id}, {len(tags)} tags"})
        return self.result

    # -- Adobe Launch -------------------------------------------------------------------------------

    def adobe(self, match: re.Match[str]) -> RuntimeResult:
        """An Adobe Launch library; `match` is _ADOBE's, ending at the container object's brace."""
        self.result.kind = "launch"
        name_id = _LAUNCH_ID.search(posixpath.basename(self.rel))
        limits: list[str] = []
        container = _object_literal(self.text, match.end() - 1, limits)
        if container is None:
            self.result.problems.append("Adobe Launch library: the _satellite.container object could not be read")
            container = ({}, {})
        value, positions = container
        self.result.problems.extend(f"Adobe Launch library: the _satellite.container object {limit}" for limit in limits)
        environment = member(value, "environment", dict, {})
        library_id = name_id.group(1) if name_id else (f"launch-{environment['id']}" if isinstance(environment.get("id"), str) else None)
        self.result.container_id = library_id
        rules = member(value, "rules", list, [])
        extensions = member(value, "extensions", dict, {})
        self.inventory("adobe-launch", library_id, match.start(), match.end(), "Adobe Launch",
                       {"size": f"{len(rules)} rules", "extensions": sorted(extensions)})
        for number, rule in enumerate(rules):  # every rule: linear, and the file is bounded by max-file-size
            if not isinstance(rule, dict):
                continue
            scope = self._adobe_scope(rule, number)
            if scope.pop("cut", False):
                self.result.problems.append(
                    f"Adobe Launch library: rule '{str(rule.get('name') or number)[:80]}' has more than "
                    f"{MAX_PATH_ALTERNATIVES} combinations of path conditions; the rest are not checked and "
                    "the rule is treated as one that may fire on any page"
                )
            start, end = positions.get(id(rule), (match.start(), match.end()))
            rule_name = str(rule.get("name") or rule.get("id") or f"rule {number}")
            for action in _list(rule.get("actions")):
                if not isinstance(action, dict) or not isinstance(action.get("modulePath"), str):
                    continue
                extension = action["modulePath"].split("/", 1)[0]
                identified = []
                if extension == "core":
                    settings = member(action, "settings", dict, {})
                    source = settings.get("source")
                    # markup strings are already read by the ordinary code scan; JavaScript strings are not
                    if isinstance(source, str) and not looks_like_markup(source):
                        identified = self.resolver.code(source, "custom code", "script")
                else:
                    display = extensions.get(extension, {}).get("displayName") if isinstance(extensions.get(extension), dict) else None
                    vendor_id = extension if extension in self.analyzer.catalogue.vendors else None
                    vendor_id = vendor_id or self.resolver.by_name(extension.replace("-", " ")) or (
                        self.resolver.by_name(display) if isinstance(display, str) else None)
                    vendor = self.analyzer.catalogue.get(vendor_id) if vendor_id else None
                    if vendor is not None and vendor.category != "tag-manager":
                        from phi_lint.tagmanager.vendors import Identified

                        identified = [Identified(vendor.id, None, vendor.capabilities, f"extension {extension}")]
                for item in identified:
                    self.tag_sighting(item, rule_name, action["modulePath"], scope, start, end, "Adobe Launch")
        return self.result

    @staticmethod
    def _adobe_scope(rule: dict, number: int) -> dict:
        events = [e for e in _list(rule.get("events")) if isinstance(e, dict)]
        base = "page"
        names = [str(e.get("modulePath", "")).rsplit("/", 1)[-1].lower().replace(".js", "") for e in events]
        if names and not any(n in _ADOBE_PAGE_EVENTS for n in names):
            base = "interaction" if any(n in _ADOBE_INTERACTIONS for n in names) else "event"
        fixed: list[dict] = []
        alternatives: list[list[dict]] = [[]]
        cut = False  # alternatives left out: the rule may fire where none of those kept does
        for cond in _list(rule.get("conditions")):
            if not isinstance(cond, dict):
                continue
            module = str(cond.get("modulePath", ""))
            settings = member(cond, "settings", dict, {})
            negate = bool(cond.get("negate"))
            if module.startswith("core/") and module.rsplit("/", 1)[-1] in ("path.js", "pathAndQuerystring.js"):
                options = []
                for item in _list(settings.get("paths")):
                    if isinstance(item, dict) and isinstance(item.get("value"), str):
                        options.append({"variable": "Page Path", "on": "path",
                                        "op": "matchregex" if item.get("valueIsRegex") else "equals",
                                        "value": item["value"], "negate": negate, "ignoreCase": False})
                if negate or len(options) <= 1:  # not any of them = none of them: an AND
                    fixed.extend(options)
                else:
                    combined = list(islice((alt + [o] for alt in alternatives for o in options), MAX_PATH_ALTERNATIVES + 1))
                    cut = cut or len(combined) > MAX_PATH_ALTERNATIVES
                    alternatives = combined[:MAX_PATH_ALTERNATIVES]
            else:
                fixed.append({"variable": module or "condition", "on": "other", "op": "custom", "value": "",
                              "negate": negate, "ignoreCase": False})
        rules: list[dict] = []
        for i, alt in enumerate(alternatives):
            rules.append({"when": {"id": f"{rule.get('id', number)}:{i}", "name": str(rule.get("name") or f"rule {number}"),
                                   "type": ",".join(names) or "rule", "base": base, "event": None,
                                   "conditions": fixed + alt}, "unless": [], "via": None})
        if cut:  # an OR cut short: unknown beyond it, so it may fire anywhere
            rules.append({"when": {"id": f"{rule.get('id', number)}:more", "name": str(rule.get("name") or f"rule {number}"),
                                   "type": ",".join(names) or "rule", "base": "unknown", "event": None,
                                   "conditions": []}, "unless": [], "via": None})
        return {"kind": "pages", "rules": rules, "cut": cut}


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _flatten(value) -> str | None:
    """A compiled value as text: strings as they are, ["template", …] joined, macros as {{macro n}}."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list) and value and value[0] in ("template", "escape") :
        parts = []
        for item in value[1:]:
            if isinstance(item, str):
                parts.append(item)
            elif isinstance(item, list) and len(item) == 2 and item[0] == "macro":
                parts.append(f"{{{{macro {item[1]}}}}}")
        return "".join(parts)
    return None


def _object_literal(text: str, brace: int, limits: list | None = None):
    """(value, positions) of the JS object literal that starts at `brace`, via tree-sitter.

    Functions and other expressions become None; positions map id(dict/list) → (start, end)
    character offsets in `text`. Iterative, MAX_OBJECT_DEPTH deep; if anything deeper is
    left out, a sentence saying so is appended to `limits`.
    """
    from phi_lint.parsers.javascript import _parser
    from phi_lint.parsers.offsets import ByteToChar

    data = text.encode("utf-8", "surrogatepass")
    tree = _parser("js").parse(data)
    to_char = ByteToChar(text)
    brace_byte = len(text[:brace].encode("utf-8", "surrogatepass"))
    target = tree.root_node.descendant_for_byte_range(brace_byte, brace_byte + 1)
    while target is not None and not (target.type == "object" and target.start_byte == brace_byte):
        target = target.parent
    if target is None:
        return None
    positions: dict[int, tuple[int, int]] = {}

    def make(node):
        if node.type == "object":
            value: object = {}
        elif node.type == "array":
            value = []
        elif node.type == "string":
            raw = node.text.decode("utf-8", "replace")
            return _js_string(raw)
        elif node.type == "number":
            raw = node.text.decode()
            try:
                return float(raw) if any(c in raw for c in ".eE") else int(raw, 0)
            except ValueError:
                return None
        elif node.type in ("true", "false"):
            return node.type == "true"
        else:
            return None
        positions[id(value)] = (to_char(node.start_byte), to_char(node.end_byte))
        return value

    root = make(target)
    too_deep = False
    work = [(target, root, 0)]
    while work:
        node, value, depth = work.pop()
        if depth > MAX_OBJECT_DEPTH:
            too_deep = True
            continue
        if isinstance(value, dict):
            for pair in node.named_children:
                if pair.type != "pair":
                    continue
                key_node, value_node = pair.child_by_field_name("key"), pair.child_by_field_name("value")
                if key_node is None or value_node is None:
                    continue
                key = key_node.text.decode("utf-8", "replace")
                key = _js_string(key) if key_node.type == "string" else key
                child = make(value_node)
                value[key] = child
                if isinstance(child, (dict, list)):
                    work.append((value_node, child, depth + 1))
        elif isinstance(value, list):
            for item in node.named_children:
                child = make(item)
                value.append(child)
                if isinstance(child, (dict, list)):
                    work.append((item, child, depth + 1))
    if too_deep and limits is not None:
        limits.append(f"nests more than {MAX_OBJECT_DEPTH} levels deep; what lies deeper is not read")
    return root, positions


_ESCAPE = lazy_pattern(r"\\(u\{[0-9a-fA-F]{1,6}\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.S)
_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0", "\n": ""}


def _unescape(match) -> str:
    s = match.group(1)
    try:
        if s.startswith("u{"):
            return chr(int(s[2:-1], 16))
        if s[0] == "u" and len(s) == 5 or s[0] == "x" and len(s) == 3:
            return chr(int(s[1:], 16))
    except (ValueError, OverflowError):
        return s
    return _SIMPLE.get(s, s)


def _js_string(raw: str) -> str:
    inner = raw[1:-1] if len(raw) >= 2 else ""
    return _ESCAPE.sub(_unescape, inner) if "\\" in inner else inner
