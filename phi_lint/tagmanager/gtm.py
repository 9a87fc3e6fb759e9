"""Google Tag Manager container exports: detection, a position-keeping JSON parse, and one
sighting per tag that sends data to a catalogue vendor.

Exports are recognised by content (a top-level `exportFormatVersion` and `containerVersion`),
whatever the file is called, with a BOM, leading junk before the first `{` or a trailing `;`.
Both spellings of the enums are accepted: the UI's export (`PAGEVIEW`, `MATCH_REGEX`) and the
API's (`pageview`, `matchRegex`). Every tag keeps the position of its object in the file, so a
finding points at the tag, never at line 1. Bad input never raises: an invalid or truncated
file is analysed as far as it goes, with a notification.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from phi_lint.jsonvalues import member
from phi_lint.lazyre import lazy_pattern
from phi_lint.models import Sighting, Span
from phi_lint.tagmanager import firing, reads
from phi_lint.tagmanager.firing import norm, param_text, params_by_key
from phi_lint.tagmanager.vendors import MAX_TEMPLATE_URLS, UTILITY_TYPES, VendorResolver, image_markup
from phi_lint.textio import LineIndex

MAX_SETUP_ROUNDS = 20  # setup/teardown inheritance is followed this many steps


@dataclass
class ExportResult:
    container_ids: list[str] = field(default_factory=list)
    sightings: list[Sighting] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    tags: list[dict] = field(default_factory=list)  # details of every tag, sighting or not
    usage: str = "web"  # web | server | amp | …


# --- detection -------------------------------------------------------------------------------------


def looks_like_export(text: str) -> bool:
    """Cheap: both top-level keys of a GTM export occur in the text."""
    return '"exportFormatVersion"' in text and '"containerVersion"' in text


# --- a JSON parser that keeps positions ----------------------------------------------------------------

_WS = lazy_pattern(r"[ \t\r\n]*")
_TOKEN = lazy_pattern(
    r"""[ \t\r\n]*(?:([{}\[\],:])|("[^"\\]*(?:\\.[^"\\]*)*")|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(true|false|null))""",
    re.S,
)
_WORDS = {"true": True, "false": False, "null": None}
_NOTHING = object()


@dataclass
class Parsed:
    value: object
    positions: dict[int, tuple[int, int]]  # id(dict or list) → (start offset, end offset)
    error: str | None = None
    error_offset: int | None = None
    incomplete: set[int] = field(default_factory=set)  # containers cut short by the error
    end: int = 0


def _string(token: str) -> str:
    if "\\" not in token:
        return token[1:-1]
    try:
        return json.loads(token, strict=False)
    except ValueError:
        return re.sub(r"\\(.)", r"\1", token[1:-1])


class _JsonReader:
    """parse_json's state between tokens: the containers still open, each as [container, start,
    state, pending key], the root once read, where reading is, and the error that stopped it.

    Each step takes one token and says whether reading stops there (the top value is complete,
    or an error)."""

    def __init__(self, text: str, start: int):
        self.text = text
        self.positions: dict[int, tuple[int, int]] = {}
        self.stack: list[list] = []
        self.root: object = _NOTHING
        self.pos = start
        self.error: str | None = None
        self.error_at: int | None = None  # set with error

    def fail(self, error: str, at: int) -> bool:
        self.error, self.error_at = error, at
        return True

    def read(self) -> None:
        """Read tokens, each handed to the step its state expects, until one says reading stops."""
        text, stack, match = self.text, self.stack, _TOKEN.match
        while True:
            m = match(text, self.pos)
            if m is None:
                self._fail_without_token()
                return
            punct, string, number, word = m.groups()
            token_start = m.start(m.lastindex or 0)  # one of the groups always matched
            self.pos = m.end()
            top = stack[-1] if stack else None
            state = top[2] if top else ("done" if self.root is not _NOTHING else "value")
            if state == "done":
                stop = True
            elif punct in ("}", "]"):
                stop = self._close(top, state, punct, token_start)
            # past here only an open container's states expect ',', ':' or a key; "value" may be the root's
            elif punct == ",":
                stop = self._comma(top, state, token_start)
            elif punct == ":":
                stop = self._colon(top, state, token_start)
            elif state in ("key_or_end", "key"):
                stop = self._key(top, string, token_start)
            elif state not in ("value", "value_or_end"):
                stop = self.fail("expected ',' or a closing bracket", token_start)
            else:
                stop = self._value(top, punct, string, number, word, token_start)
            if stop:
                return

    def _fail_without_token(self) -> bool:
        """No token where one is due: say why from the first character that is not white space."""
        blank = _WS.match(self.text, self.pos)  # always matches (it may be empty)
        at = blank.end() if blank else self.pos
        if at >= len(self.text):
            return self.fail("the file ends before the JSON does (truncated)", at)
        if self.text[at] == '"':
            return self.fail("a string is not closed (truncated)", at)
        return self.fail(f"unexpected character {self.text[at]!r}", at)

    def _close(self, top: list | None, state: str, punct: str, token_start: int) -> bool:
        """`}` or `]`: close the open container if it is of that kind and may end here."""
        closing_ok = top is not None and (
            (punct == "}" and isinstance(top[0], dict) and state in ("key_or_end", "comma_or_end"))
            or (punct == "]" and isinstance(top[0], list) and state in ("value_or_end", "comma_or_end"))
        )
        if top is None or not closing_ok:
            return self.fail(f"unexpected {punct!r}", token_start)
        self.positions[id(top[0])] = (top[1], self.pos)
        self.stack.pop()
        return not self.stack

    def _comma(self, top: list | None, state: str, token_start: int) -> bool:
        if state != "comma_or_end":
            return self.fail("unexpected ','", token_start)
        assert top is not None
        top[2] = "key" if isinstance(top[0], dict) else "value"
        return False

    def _colon(self, top: list | None, state: str, token_start: int) -> bool:
        if state != "colon":
            return self.fail("unexpected ':'", token_start)
        assert top is not None
        top[2] = "value"
        return False

    def _key(self, top: list | None, string: str | None, token_start: int) -> bool:
        """An object's key: remembered until its value comes."""
        if string is None:
            return self.fail("expected a key", token_start)
        assert top is not None
        top[3] = _string(string)
        top[2] = "colon"
        return False

    def _value(
        self, top: list | None, punct: str | None, string: str | None, number: str | None, word: str | None,
        token_start: int,
    ) -> bool:
        """A value: the root, an array's next item or the pending key's value; `{` and `[` open a
        container. Reading stops after a scalar root."""
        if punct == "{":
            value: object = {}
        elif punct == "[":
            value = []
        elif string is not None:
            value = _string(string)
        elif number is not None:
            value = float(number) if any(c in number for c in ".eE") else int(number)
        else:
            assert word is not None  # the token's only other group
            value = _WORDS[word]
        if top is None:
            self.root = value
        elif isinstance(top[0], dict):
            top[0][top[3]] = value
            top[2] = "comma_or_end"
        else:
            top[0].append(value)
            top[2] = "comma_or_end"
        if punct == "{":
            self.stack.append([value, token_start, "key_or_end", None])
        elif punct == "[":
            self.stack.append([value, token_start, "value_or_end", None])
        else:
            return top is None
        return False

    def result(self) -> Parsed:
        """What was read; on an error the containers still open end where the error is, marked incomplete."""
        incomplete: set[int] = set()
        if self.error_at is not None:
            for frame in self.stack:
                self.positions[id(frame[0])] = (frame[1], self.error_at)
                incomplete.add(id(frame[0]))
        root = None if self.root is _NOTHING else self.root
        return Parsed(root, self.positions, self.error, self.error_at, incomplete, self.pos)


def parse_json(text: str, start: int = 0) -> Parsed:
    """Iterative (no recursion), lenient about raw control characters, stops after the top value.

    On an error the containers still open are closed where the error is and marked incomplete,
    so a truncated export keeps everything before the cut.
    """
    reader = _JsonReader(text, start)
    reader.read()
    return reader.result()


def export_start(text: str) -> int:
    """Offset of the export's opening brace (after a BOM or any junk)."""
    keys = [i for i in (text.find('"exportFormatVersion"'), text.find('"containerVersion"')) if i != -1]
    if not keys:
        return max(text.find("{"), 0)
    brace = text.rfind("{", 0, min(keys))
    return brace if brace != -1 else max(text.find("{"), 0)


def parse_export(text: str) -> Parsed:
    start = export_start(text)
    parsed = parse_json(text, start)
    if not (isinstance(parsed.value, dict) and "containerVersion" in parsed.value):
        first = text.find("{")
        if first != -1 and first != start:
            retry = parse_json(text, first)
            if isinstance(retry.value, dict) and "containerVersion" in retry.value:
                return retry
    return parsed


# --- analysis ---------------------------------------------------------------------------------------


def analyze_export(rel: str, text: str, analyzer) -> ExportResult:
    """Never raises: an internal error becomes a notification."""
    try:
        return _Export(rel, text, analyzer).run()
    except RecursionError:
        return ExportResult(problems=["Google Tag Manager export: nesting too deep to analyse; skipped"])
    except Exception as exc:  # noqa: BLE001 - a bug here must not end the scan
        return ExportResult(
            problems=[f"Google Tag Manager export: internal error ({type(exc).__name__}: {exc}); not analysed"]
        )


def _unique_ids(value) -> list[str]:
    return list(dict.fromkeys(str(i) for i in value)) if isinstance(value, list) else []


def _items(value) -> list:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


class _Export:
    def __init__(self, rel: str, text: str, analyzer):
        self.rel = rel
        self.text = text
        self.analyzer = analyzer
        self.result = ExportResult()

    def problem(self, message: str) -> None:
        self.result.problems.append(f"Google Tag Manager export: {message}")

    def span(self, obj) -> Span:
        start, end = self.parsed.positions.get(id(obj), (self.parsed_start, self.parsed_start + 1))
        line, column = self.lines.position(start)
        end_line, end_column = self.lines.position(max(end, start + 1))
        return Span(line, column, end_line, end_column)

    def run(self) -> ExportResult:
        self.parsed = parse_export(self.text)
        self.parsed_start = export_start(self.text)
        self.lines = LineIndex(self.text)
        top = self.parsed.value
        error = None
        if self.parsed.error:
            line, column = self.lines.position(self.parsed.error_offset or 0)
            error = f"invalid JSON at line {line}, column {column}: {self.parsed.error}"
        if not isinstance(top, dict) or not isinstance(top.get("containerVersion"), dict):
            self.problem(f"{error}; not analysed" if error else "no containerVersion object; not analysed")
            return self.result
        version = top["containerVersion"]
        container = member(version, "container", dict, {})
        ids = []
        tag_ids = member(container, "tagIds", list, [])
        for value in [container.get("publicId"), *tag_ids]:
            if isinstance(value, str) and re.fullmatch(r"[A-Z]{1,3}-[A-Z0-9]{4,14}", value.strip()):
                ids.append(value.strip())
        self.result.container_ids = list(dict.fromkeys(ids))
        self.public_id = self.result.container_ids[0] if self.result.container_ids else None
        contexts = member(container, "usageContext", list, [])
        usage = [norm(u) for u in contexts if isinstance(u, str)]
        self.server = "server" in usage
        self.result.usage = usage[0] if usage else "web"
        incomplete = self.parsed.incomplete
        self.variables = {
            v["name"]: v for v in _items(version.get("variable")) if isinstance(v.get("name"), str) and id(v) not in incomplete
        }
        self.builtin_names = {
            v["name"].lower() for v in _items(version.get("builtInVariable")) if isinstance(v.get("name"), str)
        }
        self.triggers = {
            str(t.get("triggerId")): t for t in _items(version.get("trigger")) if "triggerId" in t and id(t) not in incomplete
        }
        self.trigger_table = firing.TriggerTable(self.triggers, self.variables)
        self.templates: dict[str, dict] = {}
        for entry in _items(version.get("customTemplate")):
            if id(entry) in self.parsed.incomplete:
                continue
            if entry.get("templateId") is not None:
                self.templates[f"cvt_{entry.get('containerId')}_{entry.get('templateId')}".lower()] = entry
            gallery = entry.get("galleryReference")
            if isinstance(gallery, dict) and gallery.get("galleryTemplateId"):
                self.templates[f"cvt_{gallery['galleryTemplateId']}".lower()] = entry
        self.resolver = VendorResolver(self.analyzer.catalogue, self.analyzer)
        # every tag: analysis is linear in the tags (each costs about a millisecond), and the
        # export is already bounded by max-file-size
        tags = _items(version.get("tag"))
        complete = [t for t in tags if id(t) not in self.parsed.incomplete]
        if error:
            cut = len(tags) - len(complete)
            self.problem(
                f"{error}; analysed as far as it goes: {len(complete)} complete tag(s)"
                + (f", {cut} cut off" if cut else "")
                + "; tags, triggers and variables after that point are not checked"
            )
        self.tags_by_name = {t["name"]: t for t in complete if isinstance(t.get("name"), str)}
        scopes = {id(t): self.scope(t) for t in complete}
        for message in [*self.trigger_table.problems, self.trigger_table.regexes.problem()]:
            if message:
                self.problem(message)
        for message in unsupported_regex_notices(scopes.values()):
            self.problem(message)
        self.inherit(complete, scopes)
        budget = firing.ScopeBudget()
        for tag in complete:
            name = member(tag, "name", str, f"tag {tag.get('tagId', '?')}")
            self.analyse_tag(tag, budget.fit(scopes[id(tag)], name))
        if coarse := budget.problem():
            self.problem(coarse)
        return self.result

    # -- scope ---------------------------------------------------------------------------------

    def scope(self, tag: dict) -> dict:
        # a trigger listed twice fires (or blocks) no differently from once
        firing_ids = _unique_ids(tag.get("firingTriggerId"))
        blocking_ids = _unique_ids(tag.get("blockingTriggerId"))
        unless = [self.trigger_table.ref(i) for i in blocking_ids]
        rules: list[dict[str, Any]] = [{"when": self.trigger_table.ref(i), "unless": unless, "via": None} for i in firing_ids]
        scope: dict[str, Any] = {"kind": "pages", "rules": rules}
        if tag.get("paused") in (True, "true"):
            scope.update(kind="never", reason="paused")
        elif self.server:
            scope.update(kind="server", reason="server container")
        elif not rules:
            scope.update(kind="never", reason="no firing trigger")
        elif all(r["when"]["base"] == "unknown" for r in rules):
            scope.update(kind="unknown", reason="its triggers are not in this export")
        return scope

    def inherit(self, tags: list[dict], scopes: dict[int, dict]) -> None:
        """Setup and teardown tags fire whenever their main tag fires."""
        links = []
        linked = set()  # a helper listed twice is one link
        for main in tags:
            for key, role in (("setupTag", "setup"), ("teardownTag", "teardown")):
                items = member(main, key, list, [])
                for item in items:
                    name = item.get("tagName") if isinstance(item, dict) else None
                    helper = self.tags_by_name.get(name) if isinstance(name, str) else None
                    if helper is not None and helper is not main and (id(main), id(helper), role) not in linked:
                        linked.add((id(main), id(helper), role))
                        links.append((main, helper, role))
        known: dict[int, set] = {}  # per helper tag: (trigger id, via) of its rules
        for _ in range(MAX_SETUP_ROUNDS):  # transitive, bounded
            if not self._inherit_step(links, scopes, known, apply=True):
                return
        if self._inherit_step(links, scopes, known, apply=False):
            self.problem(
                f"setup and teardown tags are followed {MAX_SETUP_ROUNDS} steps along their chains; "
                "tags further along may fire on more triggers than reported"
            )

    @staticmethod
    def _inherit_step(links, scopes: dict[int, dict], known: dict[int, set], apply: bool) -> bool:
        """One step of inheritance along every link; True if it adds (or, dry, would add) a rule."""
        changed = False
        for main, helper, role in links:
            source, target = scopes[id(main)], scopes[id(helper)]
            if source["kind"] != "pages" or target.get("reason") == "paused" or target["kind"] == "server":
                continue
            if id(helper) not in known:
                known[id(helper)] = {(r["when"]["id"], r.get("via")) for r in target["rules"]}
            seen = known[id(helper)]
            via = f"{role} tag of '{main.get('name')}'"
            added = False
            for rule in source["rules"]:
                new_via = rule.get("via") or via
                if (rule["when"]["id"], new_via) in seen:
                    continue
                if not apply:
                    return True
                target["rules"].append({**rule, "via": new_via})
                seen.add((rule["when"]["id"], new_via))
                added = True
            if added and target["kind"] in ("never", "unknown"):
                target["kind"] = "pages"
                target.pop("reason", None)
            changed = changed or added
        return changed

    # -- one tag ----------------------------------------------------------------------------------

    def resolve(self, value: str | None) -> str | None:
        """A parameter value with {{Constant}} variables replaced by their values."""
        if not value:
            return value
        def substitute(match, name):
            var = self.variables.get(name)
            if isinstance(var, dict) and norm(var.get("type")) == "c":
                return param_text(params_by_key(var.get("parameter")), "value") or match.group(0)
            if isinstance(var, dict) and norm(var.get("type")) == "gas":
                return param_text(params_by_key(var.get("parameter")), "trackingId") or match.group(0)
            return match.group(0)
        return reads.replace_references(value, substitute).strip()

    def data_sent_in_html(self, html_text: str, span, name: str, tag_type: str) -> list:
        return _data_sent_sightings(self.analyzer, self.rel, html_text, span, name, tag_type)

    def analyse_tag(self, tag: dict, scope: dict) -> None:
        name = member(tag, "name", str, f"tag {tag.get('tagId', '?')}")
        tag_type = member(tag, "type", str, "")
        params = params_by_key(tag.get("parameter"))
        code = tag_type.lower()
        span = self.span(tag)
        html_text = None
        identified = []
        template_info = None
        if code == "html":
            html_text = self.resolve(param_text(params, "html")) or ""
            identified = self.resolver.markup(html_text, "Custom HTML")
        elif code == "img":
            url = self.resolve(param_text(params, "url")) or ""
            identified = self.resolver.markup(image_markup(url), "Custom Image") if url else []
        elif code.startswith("cvt_"):
            entry = self.templates.get(code)
            found, template_info = self.resolver.template(tag_type, entry, params, self.resolve)
            if template_info.get("urlsNotChecked"):
                self.problem(
                    f"tag '{name}' (line {span.line}): template {tag_type} names more than {MAX_TEMPLATE_URLS} URLs; "
                    f"the last {template_info['urlsNotChecked']} are not looked up in the catalogue"
                )
            if entry is None:
                self.problem(f"tag '{name}' (line {span.line}) uses template {tag_type}, which is not in this export; vendor unknown")
            identified = [found] if found else []
        elif code == "gaawe" and not param_text(params, "measurementIdOverride"):
            ref = param_text(params, "measurementId")
            config = self.tags_by_name.get(ref) if ref else None
            merged = dict(params)
            if isinstance(config, dict):
                merged.update({k: v for k, v in params_by_key(config.get("parameter")).items() if k in ("measurementId", "tagId")})
            found = self.resolver.builtin(tag_type, merged, self.resolve)
            identified = [found] if found else []
        elif code not in UTILITY_TYPES:
            found = self.resolver.builtin(tag_type, params, self.resolve)
            identified = [found] if found else []
        if code == "html" and html_text and identified:
            self.result.sightings.extend(self.data_sent_in_html(html_text, span, name, tag_type))
        limits: list[str] = []
        tag_reads, unresolved = reads.tag_reads(tag, self.variables, self.builtin_names, html_text, limits)
        for limit in dict.fromkeys(limits):
            self.problem(f"tag '{name}' (line {span.line}) {limit}; what they read is not recorded")
        if unresolved and not self.parsed.error:  # a cut-off file explains missing variables
            names = ", ".join("{{" + n + "}}" for n in unresolved[:5]) + (" …" if len(unresolved) > 5 else "")
            self.problem(f"tag '{name}' (line {span.line}) refers to undefined variable(s) {names} (unresolved)")
        for rule in scope["rules"]:
            for trig in (rule["when"], *rule["unless"]):
                if trig.get("missing") and not rule.get("via") and not self.parsed.error:
                    self.problem(f"tag '{name}' (line {span.line}) refers to {trig['name']}")
        scope["summary"] = firing.summary(scope)
        consent = _consent(tag.get("consentSettings"))
        details = {
            "tagName": name,
            "tagType": tag_type,
            "tagId": str(tag.get("tagId", "")),
            "container": self.public_id,
            "usage": self.result.usage,
            "triggers": [r["when"]["name"] for r in scope["rules"] if not r.get("via")],
            "blockingTriggers": list(dict.fromkeys(b["name"] for r in scope["rules"] for b in r["unless"])),
            "scope": scope,
            "paused": tag.get("paused") in (True, "true"),
            "reads": tag_reads,
            "consent": consent,
            "template": template_info,
            "vendors": [i.vendor_id for i in identified],
        }
        self.result.tags.append(details)
        for item in identified:
            vendor_details = dict(details, identifiedBy=item.how)
            snippet = f'tag "{name}" ({tag_type})'
            self.result.sightings.append(
                Sighting(
                    vendor_id=item.vendor_id,
                    path=self.rel,
                    span=span,
                    kind="tag-manager-tag",
                    snippet=snippet if len(snippet) <= 120 else snippet[:117] + "...",
                    account_id=item.account_id,
                    capabilities=tuple(sorted(set(item.capabilities))),
                    signature=f"gtm {item.how}"[:200],
                    lines=(span.line,),
                    details=vendor_details,
                )
            )


def unsupported_regex_notices(scopes) -> list[str]:
    """One notice per trigger condition whose RegEx RE2 rejects (each is evaluated as "may match")."""
    out: dict[str, None] = {}
    for scope in scopes:
        for trig, c, why in firing.unsupported_regexes(scope):
            out.setdefault(
                f"trigger {excerpt(str(trig.get('name')))}: RegEx {excerpt(str(c.get('value')))} is not supported "
                f"by RE2 ({why}); the condition is treated as one that may match",
                None,
            )
    return list(out)


def excerpt(text: str, limit: int = 80) -> str:
    """A short printable quotation of text from the export (a pattern may hold anything)."""
    shown = "".join(c if c.isprintable() else "?" for c in text[: limit + 1])
    return "`" + (shown if len(shown) <= limit else shown[: limit - 1] + "…") + "`"


def _data_sent_sightings(analyzer, rel: str, html_text: str, span: Span, name: str, tag_type: str) -> list:
    """PHI004 sightings for a Custom HTML tag that hands personal or health data to a tracker
    (a form field, a user record): the same data-sent analysis as for source files, located at
    the tag in the export."""
    from dataclasses import replace
    from pathlib import Path

    from phi_lint.discovery import SourceFile

    try:
        found, _ = analyzer.sightings(SourceFile(Path("custom-html.html"), "custom-html.html", "markup"), html_text)
    except Exception:
        return []
    out = []
    for sighting in found:
        if sighting.kind != "data-sent":
            continue
        details = dict(sighting.details or {}, tagName=name, tagType=tag_type, inCustomHtml=True)
        out.append(replace(sighting, path=rel, span=span, lines=(span.line,), details=details))
    return out


def _consent(settings) -> dict | None:
    if not isinstance(settings, dict):
        return None
    status = norm(settings.get("consentStatus")) or "notset"
    kinds = []
    consent_type = settings.get("consentType")
    if isinstance(consent_type, dict) and isinstance(consent_type.get("list"), list):
        kinds = [i.get("value") for i in consent_type["list"] if isinstance(i, dict) and isinstance(i.get("value"), str)]
    return {"status": status, "types": kinds}
