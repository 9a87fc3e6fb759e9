"""Where a tag fires: triggers → a serialisable scope, and evaluating a scope against URL paths.

GTM semantics (see ../shared/reference/tag-managers.md §1.6, §1.9): a tag fires when ANY of its
firing triggers fires and NONE of its blocking triggers does; a trigger fires when its event
happens and ALL its conditions hold. The built-in ids 2147479553 (All Pages), 2147479572 and
2147479573 (the two Initialization triggers), and any id ≥ 2147479000 that the export does not
define, mean every page. Page-view-like triggers without a filter fire on every page; click,
form, timer, visibility and custom-event triggers may fire on any page unless a page condition
restricts them. Setup and teardown tags fire whenever their main tag fires.

A scope is plain data (it travels in `Sighting.details["scope"]`):

    {"kind": "pages" | "never" | "server" | "unknown",
     "rules": [{"when": TRIGGER, "unless": [TRIGGER, …], "via": None | "setup tag of 'X'"}],
     "reason": "…", "summary": "…"}

    TRIGGER = {"id", "name", "type", "base": "page" | "interaction" | "event" | "server" | "unknown",
               "event": str | None, "conditions": [CONDITION, …]}
    CONDITION = {"variable", "on": "path" | "url" | "host" | "event" | "other", "op", "value",
                 "negate": bool, "ignoreCase": bool}

Evaluation is three-valued: True (fires), False (provably does not), None (may fire: it
depends on something a static reading cannot know, such as a click target or a custom event).
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import islice

from phi_lint.sre_compat import parse, sre_constants
from phi_lint.untrusted_regex import compile_linear

BUILTIN_TRIGGER_MIN = 2147479000
BUILTIN_TRIGGERS = {
    "2147479553": ("All Pages", "pageview"),
    "2147479572": ("Consent Initialization - All Pages", "consentinit"),
    "2147479573": ("Initialization - All Pages", "init"),
}
PAGE_TYPES = {"pageview", "domready", "windowloaded", "init", "consentinit", "historychange"}
INTERACTION_TYPES = {
    "click", "linkclick", "formsubmission", "formsubmit", "elementvisibility", "scrolldepth", "timer",
    "youtubevideo", "jserror", "ampclick", "amptimer", "ampscroll", "ampvisibility",
}
SERVER_TYPES = {"always", "serverpageview"}
PAGE_EVENTS = {"gtm.js", "gtm.dom", "gtm.load", "gtm.init", "gtm.init_consent", "gtm.historychange", "gtm.historychange-v2"}
DEFAULT_HOST = "www.example.org"

_PATH_VARS = {"page path": "path", "page url": "url", "page hostname": "host", "_event": "event", "event": "event"}
# host names a URL condition's value spells out; run in RE2: with Python's `re` a long run of
# `a-a-a-…` without a dot costs time quadratic in its length
_HOST_TOKEN = r"(?:[a-z0-9-]+\.)+[a-z]{2,}"
MAX_URL_HOSTS = 16  # a URL condition naming more hosts is not evaluated (it may match)


def _host_tokens(value: str) -> list[str]:
    compiled = compile_linear(_HOST_TOKEN, True)[0]
    return compiled.findall(value) if compiled is not None else []


@lru_cache(maxsize=1024)
def _url_hosts(value: str) -> tuple[str, ...] | None:
    """The hosts a URL condition is tried with: ours and the ones its value names, sorted; None
    when it names more than MAX_URL_HOSTS (each is a match per page probed)."""
    named = dict.fromkeys(h.lower() for h in _host_tokens(value.replace("\\", "")))
    if len(named) > MAX_URL_HOSTS:
        return None
    return tuple(sorted({DEFAULT_HOST, *named}))


def norm(value) -> str:
    """Export (PAGEVIEW, MATCH_REGEX) and API (pageview, matchRegex) spellings to one form."""
    return value.lower().replace("_", "").replace(" ", "") if isinstance(value, str) else ""


def params_by_key(params) -> dict:
    out = {}
    if isinstance(params, list):
        for param in params:
            if isinstance(param, dict) and isinstance(param.get("key"), str):
                out[param["key"]] = param
    return out


def param_text(params: dict, key: str) -> str | None:
    param = params.get(key)
    if isinstance(param, dict):
        value = param.get("value")
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value)
        if isinstance(value, bool):
            return "true" if value else "false"
    return None


def _flag(params: dict, key: str) -> bool:
    return (param_text(params, key) or "").lower() == "true"


def variable_role(name: str | None, variables: dict) -> str:
    """What a condition's left operand is: path, url, host, event or other."""
    if not name:
        return "other"
    role = _PATH_VARS.get(name.lower())
    if role:
        return role
    var = variables.get(name)
    if isinstance(var, dict) and norm(var.get("type")) == "u":
        params = params_by_key(var.get("parameter"))
        if param_text(params, "customUrlSource"):
            return "other"
        component = norm(param_text(params, "component") or "url")
        return {"path": "path", "url": "url", "host": "host", "hostname": "host"}.get(component, "other")
    return "other"


def _whole_reference(text: str) -> str | None:
    """The variable name of an operand that is one `{{Name}}` reference (spaces around allowed).

    String operations, not a regex: `^\\s*\\{\\{\\s*([^{}]+?)\\s*\\}\\}\\s*$` took time quadratic in
    the spaces of `{{` followed by many spaces and no `}}`. Same answers: the name without the
    spaces around it, and for a reference of spaces only (`{{  }}`), its last space.
    """
    inner = text.strip()
    if len(inner) < 5 or not inner.startswith("{{") or not inner.endswith("}}"):
        return None
    inner = inner[2:-2]
    if "{" in inner or "}" in inner:
        return None
    return inner.strip() or inner[-1]


def condition(cond, variables: dict) -> dict | None:
    if not isinstance(cond, dict):
        return None
    params = params_by_key(cond.get("parameter"))
    arg0 = param_text(params, "arg0") or ""
    name = _whole_reference(arg0)
    return {
        "variable": name or arg0,
        "on": variable_role(name, variables),
        "op": norm(cond.get("type")),
        "value": param_text(params, "arg1") or "",
        "negate": _flag(params, "negate"),
        "ignoreCase": _flag(params, "ignore_case"),
    }


def describe_condition(c: dict) -> str:
    words = {
        "equals": "equals", "contains": "contains", "startswith": "starts with", "endswith": "ends with",
        "matchregex": "matches RegEx", "cssselector": "matches CSS selector", "urlmatches": "matches URL",
        "greater": ">", "greaterorequals": ">=", "less": "<", "lessorequals": "<=",
    }
    op = words.get(c.get("op", ""), c.get("op", "?"))
    if c.get("negate"):
        op = {"equals": "does not equal", "contains": "does not contain", "starts with": "does not start with",
              "ends with": "does not end with", "matches RegEx": "does not match RegEx"}.get(op, "not " + op)
    if c.get("ignoreCase") and "RegEx" in op:
        op += " (ignore case)"
    return f"{{{{{c.get('variable', '?')}}}}} {op} {c.get('value', '')!s}".rstrip()


def builtin_trigger(trigger_id: str) -> dict | None:
    try:
        number = int(trigger_id)
    except (TypeError, ValueError):
        return None
    if number < BUILTIN_TRIGGER_MIN:
        return None
    name, kind = BUILTIN_TRIGGERS.get(str(number), (f"built-in trigger {number}", "pageview"))
    return {"id": str(number), "name": name, "type": kind, "base": "page", "event": None, "conditions": []}


MAX_GROUP_DEPTH = 8  # trigger groups inside trigger groups, followed this deep
MAX_CONDITIONS = 100  # conditions kept for one trigger, a group's members' included
MAX_REGEXES = 100  # different RegEx conditions compiled per export or runtime


def _own_trigger(raw: dict, variables: dict) -> dict:
    """A trigger object of the export as a TRIGGER description, without a group's members."""
    kind = norm(raw.get("type"))
    conditions: list[dict] = []
    for key in ("filter", "autoEventFilter", "customEventFilter"):
        items = raw.get(key)
        if isinstance(items, list):
            conditions.extend(c for c in (condition(item, variables) for item in items) if c)
    event = None
    for c in conditions:
        if c["on"] == "event" and c["op"] == "equals" and not c["negate"]:
            event = c["value"]
    if kind in PAGE_TYPES or kind == "triggergroup":
        base = "page"  # a group: until a member says otherwise
    elif kind in INTERACTION_TYPES:
        base = "interaction"
    elif kind == "customevent":
        base = "event"
    elif kind in SERVER_TYPES:
        base = "server"
    else:
        base = "unknown"
    return {
        "id": str(raw.get("triggerId", "")),
        "name": str(raw.get("name") or raw.get("triggerId") or "unnamed trigger"),
        "type": kind or "unknown",
        "base": base,
        "event": event,
        "conditions": conditions,
    }


def _group_members(raw: dict) -> list[str]:
    """The trigger ids a trigger group lists, each once (a group fires when all have fired)."""
    params = params_by_key(raw.get("parameter"))
    listed = params.get("triggerIds", {}).get("list") if isinstance(params.get("triggerIds"), dict) else None
    ids = (member.get("value") if isinstance(member, dict) else None for member in listed or ())
    return list(dict.fromkeys(str(i) for i in ids if i is not None))


def _condition_key(c: dict) -> tuple:
    return (c["variable"], c["on"], c["op"], c["value"], c["negate"], c["ignoreCase"])


class TriggerTable:
    """The triggers of one export as TRIGGER descriptions, each worked out once.

    A trigger group fires once all its members have fired: its conditions are the AND of its
    own and its members'. Expansion is memoised (a group used by 5,000 tags is expanded once), a
    member listed many times counts once, identical conditions are kept once, a group that
    contains itself does not follow itself again, groups are followed MAX_GROUP_DEPTH deep and a
    trigger keeps MAX_CONDITIONS conditions. A trigger cut short (too deep, too many conditions)
    is marked `truncated`: the conditions kept can still rule a page out, but it never fires
    "for certain", so it may fire wherever they allow and, as a blocking trigger, never rules a
    page out on its own. Each cut is in `problems`.
    """

    def __init__(self, raw_by_id: dict, variables: dict):
        self.raw_by_id = raw_by_id
        self.variables = variables
        self.done: dict[str, dict] = {}
        self.problems: list[str] = []
        self.regexes = RegexBudget()

    def ref(self, trigger_id) -> dict:
        """The trigger a tag names: one of the export, a built-in one, or a missing one."""
        key = str(trigger_id)
        raw = self.raw_by_id.get(key)
        if raw is None:
            return builtin_trigger(key) or unknown_trigger(key)
        return self._expand(key, raw, ())

    def _problem(self, message: str) -> None:
        if message not in self.problems:
            self.problems.append(message)

    def _expand(self, key: str, raw: dict, open_groups: tuple[str, ...]) -> dict:
        found = self.done.get(key)
        if found is not None:
            return found
        result = _own_trigger(raw, self.variables)
        for c in result["conditions"]:
            self.regexes.admit(c)
        kept = _Conditions()
        kept.add(result["conditions"])
        if result["type"] == "triggergroup":
            if len(open_groups) >= MAX_GROUP_DEPTH:
                kept.truncated = True
                self._problem(
                    f"trigger group '{result['name']}' is nested more than {MAX_GROUP_DEPTH} groups deep; "
                    "its members are not followed and it is treated as one that may fire"
                )
            else:
                self._add_members(result, raw, (*open_groups, key), kept)
        result["conditions"] = list(kept.kept.values())
        if kept.truncated:
            result["truncated"] = True
        if kept.full:
            self._problem(
                f"trigger '{result['name']}' has more than {MAX_CONDITIONS} conditions; the first {MAX_CONDITIONS} "
                "are checked and the trigger is treated as one that may fire"
            )
        self.done[key] = result
        return result

    def _add_members(self, group: dict, raw: dict, open_groups: tuple[str, ...], kept: _Conditions) -> None:
        for member_id in _group_members(raw):
            if member_id in open_groups:
                self._problem(f"trigger group '{group['name']}' contains itself; the repeated member is left out")
                continue
            member_raw = self.raw_by_id.get(member_id)
            if member_raw is None:
                member = builtin_trigger(member_id) or {"base": "unknown", "conditions": []}
            else:
                member = self._expand(member_id, member_raw, open_groups)
            if member["base"] != "page" and group["base"] == "page":
                group["base"] = member["base"]
            kept.truncated = kept.truncated or bool(member.get("truncated"))
            kept.add(member["conditions"])


class _Conditions:
    """The conditions of one trigger: each once, at most MAX_CONDITIONS."""

    def __init__(self):
        self.kept: dict[tuple, dict] = {}
        self.truncated = False  # some conditions are not known: the trigger may fire, never surely does
        self.full = False  # more than MAX_CONDITIONS

    def add(self, conditions) -> None:
        for c in conditions:
            key = _condition_key(c)
            if key in self.kept:
                continue
            if len(self.kept) >= MAX_CONDITIONS:
                self.truncated = self.full = True
                return
            self.kept[key] = c


def unknown_trigger(trigger_id: str) -> dict:
    return {"id": str(trigger_id), "name": f"trigger {trigger_id} (not in this export)", "type": "unknown",
            "base": "unknown", "event": None, "conditions": [], "missing": True}


# --- evaluation --------------------------------------------------------------------------------


def _js_regex(pattern: str) -> str:
    return re.sub(r"\(\?<(?![=!])", "(?P<", pattern)


@lru_cache(maxsize=4096)
def _linear(pattern: str, ignore_case: bool):
    return compile_linear(_js_regex(pattern), ignore_case)


def _compiled(pattern: str, ignore_case: bool):
    """The condition's RegEx in RE2 (linear time, GTM's own engine), or None if RE2 rejects it."""
    return _linear(pattern, ignore_case)[0]


def regex_problem(pattern: str, ignore_case: bool = False) -> str | None:
    """Why RE2 rejects a condition's RegEx (look-around, back-references, a syntax error), or None."""
    return _linear(pattern, ignore_case)[1]


def _evaluated_regex(c: dict) -> bool:
    """A RegEx condition that evaluation compiles (one on the page path or URL)."""
    return c.get("op") == "matchregex" and c.get("on") in ("path", "url")


class RegexBudget:
    """At most MAX_REGEXES distinct RegEx conditions of one export or runtime are compiled.

    RE2 matches in linear time, but compiling is not free: a short pattern such as `\\p{L}{1000}`
    expands until RE2's memory budget says no (milliseconds), and a 2 MB export holds thousands
    of conditions. Past the budget a condition is marked `unchecked` (it may match).
    """

    def __init__(self):
        self.admitted: set[tuple[str, bool]] = set()
        self.refused = 0

    def admit(self, c: dict) -> None:
        if not _evaluated_regex(c) or c.get("unchecked"):
            return
        key = (str(c.get("value", "")), bool(c.get("ignoreCase")))
        if key in self.admitted:
            return
        if len(self.admitted) >= MAX_REGEXES:
            c["unchecked"] = True
            self.refused += 1
            return
        self.admitted.add(key)

    def problem(self) -> str | None:
        if not self.refused:
            return None
        return (
            f"more than {MAX_REGEXES} different RegEx conditions; {self.refused} more are not compiled and "
            "are treated as ones that may match"
        )


MAX_SCOPE_TEXT = 10_000  # characters of trigger text one tag's scope may carry
MAX_EXPORT_SCOPE_TEXT = 2_000_000  # … the scopes of all tags of one export or runtime together


def _trigger_text(t: dict) -> int:
    return len(str(t.get("name", ""))) + sum(
        len(str(c.get("value", ""))) + len(str(c.get("variable", ""))) + 40 for c in t.get("conditions", ())
    )


class ScopeBudget:
    """Bounds what the scopes of one export's tags carry into findings and reports.

    A scope holds its triggers, and a report writes them out for every tag: one trigger with
    100 long conditions, named by 500 tags, made a 318 MB report (1 GB of memory) from a 334 KB
    export. A scope larger than MAX_SCOPE_TEXT, or one that no longer fits the export's
    MAX_EXPORT_SCOPE_TEXT, is replaced by a coarse one that may fire on any page (the safe
    answer), and `problems` says which tags.
    """

    def __init__(self):
        self.left = MAX_EXPORT_SCOPE_TEXT
        self.coarse: list[str] = []
        self._sizes: dict[int, int] = {}

    def size(self, scope: dict) -> int:
        total = 0
        for rule in scope.get("rules", ()):
            for t in (rule.get("when", {}), *rule.get("unless", ())):
                known = self._sizes.get(id(t))
                if known is None:
                    known = self._sizes[id(t)] = _trigger_text(t)
                total += known
            if total > MAX_SCOPE_TEXT:
                break
        return total

    def fit(self, scope: dict, tag_name: str) -> dict:
        if scope.get("kind") not in ("pages", "unknown"):
            return scope
        size = self.size(scope)
        if size <= MAX_SCOPE_TEXT and size <= self.left:
            self.left -= size
            return scope
        self.coarse.append(tag_name)
        rules = scope.get("rules", ())
        when: dict[str, object] = {"id": "coarse", "name": f"{len(rules)} trigger rule(s), too large to evaluate", "type": "unknown",
                "base": "page", "event": None, "conditions": [], "truncated": True}
        return {"kind": "pages", "rules": [{"when": when, "unless": [], "via": None}]}

    def problem(self) -> str | None:
        if not self.coarse:
            return None
        names = ", ".join(f"'{name[:60]}'" for name in self.coarse[:3]) + (" …" if len(self.coarse) > 3 else "")
        return (
            f"{len(self.coarse)} tag(s) have triggers too large to evaluate and report ({names}); "
            "each is treated as one that may fire on any page"
        )


def unsupported_regexes(scope: dict) -> list[tuple[dict, dict, str]]:
    """(trigger, condition, why) for each RegEx condition on the page path or URL that RE2
    rejects: such a condition is evaluated as "may match" (None), never as "does not fire"."""
    out = []
    for rule in scope.get("rules", ()):
        for trig in (rule.get("when", {}), *rule.get("unless", ())):
            for c in trig.get("conditions", ()):
                if _evaluated_regex(c) and not c.get("unchecked"):
                    why = regex_problem(str(c.get("value", "")), bool(c.get("ignoreCase")))
                    if why is not None:
                        out.append((trig, c, why))
    return out


def _test(op: str, subject: str, value: str, ignore_case: bool) -> bool | None:
    if op == "matchregex":
        compiled = _compiled(value, ignore_case)
        return None if compiled is None else compiled.search(subject) is not None
    if ignore_case:
        subject, value = subject.lower(), value.lower()
    if op == "equals":
        return subject == value
    if op == "contains":
        return value in subject
    if op == "startswith":
        return subject.startswith(value)
    if op == "endswith":
        return subject.endswith(value)
    return None  # css selectors, numeric comparisons, url matchers: not about the page path


def condition_holds(c: dict, path: str) -> bool | None:
    if c.get("unchecked"):
        return None  # past the RegEx budget: may match
    on = c.get("on")
    op, value = c.get("op", ""), str(c.get("value", ""))
    ignore_case = bool(c.get("ignoreCase"))
    if on == "path":
        result = _test(op, path, value, ignore_case)
    elif on == "url":
        hosts = _url_hosts(value)
        if hosts is None:
            return None
        results = {_test(op, f"https://{host}{path}", value, ignore_case) for host in hosts}
        result = results.pop() if len(results) == 1 else None
    elif on == "event" and op == "equals" and not c.get("negate") and value.lower() in PAGE_EVENTS:
        return True
    else:
        return None  # host names, events, clicks, data-layer values: unknown statically
    if result is None:
        return None
    return (not result) if c.get("negate") else result


def trigger_holds(t: dict, path: str) -> bool | None:
    if t.get("base") in ("unknown", "server"):
        return None
    result: bool | None = None if t.get("truncated") else True  # left-out conditions: unknown
    for c in t.get("conditions", ()):
        value = condition_holds(c, path)
        if value is False:
            return False
        if value is None:
            result = None
    if result is True and t.get("base") == "event" and not _page_event(t):
        return None  # fires only where the site pushes that event
    return result


def _page_event(t: dict) -> bool:
    return (t.get("event") or "").lower() in PAGE_EVENTS


def fires(scope: dict, path: str) -> bool | None:
    """Does a tag with this scope fire on a page at `path`? True, False, or None (may fire)."""
    kind = scope.get("kind")
    if kind in ("never",):
        return False
    if kind in ("server", "unknown"):
        return None
    best: bool | None = False
    for rule in scope.get("rules", ()):
        when = trigger_holds(rule.get("when", {}), path)
        if when is False:
            continue
        blocked: bool | None = False
        for block in rule.get("unless", ()):
            value = trigger_holds(block, path)
            if value is True:
                blocked = True
                break
            if value is None:
                blocked = None
        if blocked is True:
            continue
        if when is True and blocked is False:
            return True
        best = None
    return best


# --- witnesses: example paths that a trigger's own conditions name ---------------------------------

ANY = sre_constants.ANY
AT = sre_constants.AT
BRANCH = sre_constants.BRANCH
CATEGORY = sre_constants.CATEGORY
IN = sre_constants.IN
LITERAL = sre_constants.LITERAL
MAX_REPEAT = sre_constants.MAX_REPEAT
MIN_REPEAT = sre_constants.MIN_REPEAT
NEGATE = sre_constants.NEGATE
NOT_LITERAL = sre_constants.NOT_LITERAL
RANGE = sre_constants.RANGE
SUBPATTERN = sre_constants.SUBPATTERN

_MAX_EXAMPLES = 24


def _examples(items, depth: int = 0) -> list[str]:
    """A few strings a parsed regex matches (bounded; unknown constructs give short stand-ins)."""
    if depth > 12:
        return [""]
    results = [""]
    for op, arg in items:
        if op == LITERAL:
            options = [chr(arg)]
        elif op == NOT_LITERAL or op == ANY:
            options = ["x"]
        elif op == IN:
            options = ["x"]
            for sub_op, sub_arg in arg:
                if sub_op == NEGATE:
                    break
                if sub_op == LITERAL:
                    options = [chr(sub_arg)]
                    break
                if sub_op == RANGE:
                    options = [chr(sub_arg[0])]
                    break
                if sub_op == CATEGORY:
                    options = ["1" if "DIGIT" in str(sub_arg) else "a"]
                    break
        elif op == BRANCH:
            options = []
            for branch in arg[1]:
                options.extend(_examples(list(branch), depth + 1))
        elif op == SUBPATTERN:
            options = _examples(list(arg[-1]), depth + 1)
        elif op in (MAX_REPEAT, MIN_REPEAT):
            low, _high, sub = arg
            inner = _examples(list(sub), depth + 1)
            options = [s * min(max(low, 1), 8) for s in inner]
            if low == 0:
                options.append("")
        elif op == AT:
            options = [""]
        elif op == CATEGORY:
            options = ["1" if "DIGIT" in str(arg) else "a"]
        else:  # assertions, back references, conditionals
            options = [""]
        results = list(islice((r + o for r in results for o in options), _MAX_EXAMPLES))
        results = [r[:200] for r in results]
    return results


def regex_examples(pattern: str) -> list[str]:
    return list(_regex_examples(pattern))


@lru_cache(maxsize=4096)
def _regex_examples(pattern: str) -> tuple[str, ...]:
    if len(pattern) > 2000:
        return ()
    try:
        nodes, _flags = parse(_js_regex(pattern))
    except Exception:  # noqa: BLE001 - any unparsable pattern simply gives no examples
        return ()
    try:
        return tuple(e for e in dict.fromkeys(_examples(nodes)) if e)
    except (RecursionError, TypeError, ValueError, IndexError):
        return ()


def witnesses(scope: dict) -> list[tuple[str, str]]:
    """(path, condition text) for each example path that a positive page condition names."""
    out: list[tuple[str, str]] = []
    from phi_lint.tagmanager.paths import normal_path

    for rule in scope.get("rules", ()):
        for c in rule.get("when", {}).get("conditions", ()):
            if c.get("negate") or c.get("on") not in ("path", "url"):
                continue
            value = str(c.get("value", ""))
            if c.get("op") == "matchregex":
                examples = regex_examples(value)
            elif c.get("op") in ("equals", "contains", "startswith", "endswith"):
                examples = [value]
            else:
                examples = []
            for example in examples:
                out.append((normal_path(example), describe_condition(c)))
    return list(dict.fromkeys(out))


def is_broad(scope: dict) -> bool:
    """Fires (or may fire) on ordinary pages that name nothing sensitive: every page, in effect."""
    return all(fires(scope, probe) is not False for probe in ("/", "/zq-page", "/zq-section/zq-page"))


def describe_trigger(t: dict) -> str:
    conditions = [describe_condition(c) for c in t.get("conditions", ()) if c.get("on") != "event"]
    kind = t.get("type", "unknown")
    label = f"'{t.get('name')}'"
    if t.get("base") == "unknown":
        return f"{label} (unknown trigger)"
    detail = kind if not t.get("event") else f"{kind} '{t['event']}'"
    if conditions:
        detail += ": " + " and ".join(conditions)
        if t.get("truncated"):
            detail += " and more conditions, not checked"
    elif t.get("truncated"):
        detail += ": conditions not checked"
    elif t.get("base") == "page":
        detail += ", every page"
    return f"{label} ({detail})"


def summary(scope: dict) -> str:
    kind = scope.get("kind")
    if kind == "never":
        return f"never fires ({scope.get('reason', 'no firing trigger')})"
    if kind == "server":
        return "server container: fires on requests the server container receives, not on pages"
    if kind == "unknown":
        return f"unknown ({scope.get('reason', 'triggers not in the export')})"
    parts = []
    for rule in scope.get("rules", ()):
        text = describe_trigger(rule.get("when", {}))
        if rule.get("unless"):
            text += " unless " + ", ".join(describe_trigger(b) for b in rule["unless"])
        if rule.get("via"):
            text += f" (as {rule['via']})"
        parts.append(text)
    return "; or ".join(parts) if parts else "never fires (no firing trigger)"
